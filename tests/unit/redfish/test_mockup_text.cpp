// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// The mockup writer's layout of JSON text, checked against nlohmann's
// dump(4) of the same value (the layout mockup files had when they were
// written from nlohmann values, and what DMTF's mockups use).
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "redfish/detail/json_text.hpp"

using nlohmann::json;
using ofmf::redfish::detail::append_indented;

namespace {

/// nlohmann's layout of `j`, as a mockup file holds it.
std::string reference(const json& j) { return j.dump(4, ' ', false, json::error_handler_t::replace) + "\n"; }
/// The same for a value keeping its properties in the order of the text
/// (the order a Tree's text has).
std::string reference(const nlohmann::ordered_json& j) {
  return j.dump(4, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}
nlohmann::ordered_json parse(std::string_view text) { return nlohmann::ordered_json::parse(text); }

std::string indented(std::string_view text) {
  std::string out = "left alone:";
  append_indented(out, text);
  REQUIRE(out.rfind("left alone:", 0) == 0);  // appends
  return out.substr(11);
}

/// A random string of code points: ASCII (with quotes, backslashes,
/// slashes and control characters), 2-, 3- and 4-byte UTF-8.
std::string random_string(std::mt19937& rng) {
  std::string s;
  const int n = std::uniform_int_distribution<int>(0, 12)(rng);
  for (int i = 0; i < n; ++i) {
    std::uint32_t cp = 0;
    switch (std::uniform_int_distribution<int>(0, 5)(rng)) {
      case 0: cp = std::uniform_int_distribution<std::uint32_t>(0, 0x1F)(rng); break;
      case 1: cp = "\"\\/{}[],: "[std::uniform_int_distribution<int>(0, 9)(rng)]; break;
      case 2: cp = std::uniform_int_distribution<std::uint32_t>(0x20, 0x7F)(rng); break;
      case 3: cp = std::uniform_int_distribution<std::uint32_t>(0x80, 0x7FF)(rng); break;
      case 4:
        cp = std::uniform_int_distribution<std::uint32_t>(0x800, 0xFFFF)(rng);
        if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xE9;
        break;
      default: cp = std::uniform_int_distribution<std::uint32_t>(0x10000, 0x10FFFF)(rng); break;
    }
    if (cp < 0x80) {
      s += char(cp);
    } else if (cp < 0x800) {
      s += char(0xC0 | (cp >> 6));
      s += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      s += char(0xE0 | (cp >> 12));
      s += char(0x80 | ((cp >> 6) & 0x3F));
      s += char(0x80 | (cp & 0x3F));
    } else {
      s += char(0xF0 | (cp >> 18));
      s += char(0x80 | ((cp >> 12) & 0x3F));
      s += char(0x80 | ((cp >> 6) & 0x3F));
      s += char(0x80 | (cp & 0x3F));
    }
  }
  return s;
}

json random_value(std::mt19937& rng, int depth) {
  const int kind = std::uniform_int_distribution<int>(0, depth > 4 ? 6 : 8)(rng);
  switch (kind) {
    case 0: return nullptr;
    case 1: return std::uniform_int_distribution<int>(0, 1)(rng) == 1;
    case 2: return std::uniform_int_distribution<std::int64_t>(std::numeric_limits<std::int64_t>::min(), -1)(rng);
    case 3: return std::uniform_int_distribution<std::uint64_t>()(rng);
    case 4: return std::uniform_real_distribution<double>(-1e6, 1e6)(rng);
    case 5:
    case 6: return random_string(rng);
    case 7: {
      json a = json::array();
      const int n = std::uniform_int_distribution<int>(0, 4)(rng);
      for (int i = 0; i < n; ++i) a.push_back(random_value(rng, depth + 1));
      return a;
    }
    default: {
      json o = json::object();
      const int n = std::uniform_int_distribution<int>(0, 4)(rng);
      for (int i = 0; i < n; ++i) o[random_string(rng)] = random_value(rng, depth + 1);
      return o;
    }
  }
}

} // namespace

TEST_CASE("Mockup text: compact text laid out as nlohmann's dump(4)", "[redfish]") {
  SECTION("scalars, empty and nested containers") {
    for (const char* text : {
             "null", "true", "false", "0", "-12", "18446744073709551615", "103.125", "1e+100", "\"\"",
             "{}", "[]", "[[]]", "[{}]", "{\"a\":{}}", "{\"a\":[]}", "[1,[2,[3,[]]],{}]",
             R"({"b":1,"a":{"d":[],"c":{}}})",  // properties stay in the text's order
             R"({"@odata.id":"/redfish/v1/","Links":{"Members":[{"@odata.id":"/x"},{"@odata.id":"/y"}],)"
             R"("Empty":[]},"N":-0.5})",
         }) {
      INFO(text);
      CHECK(indented(text) == reference(parse(text)));
    }
  }
  SECTION("brackets, commas, colons and escapes inside strings") {
    for (const char* text : {
             R"({"a,b":"c:d","{[":"]}","q\"":"\\","\\\"{":"x\"}\\"})",
             R"(["\b\f\n\r\t","\u0001\u001f","tab\there",",",":","[","{"])",
             R"({"":""})",
         }) {
      INFO(text);
      CHECK(indented(text) == reference(parse(text)));
    }
  }
  SECTION("unicode: UTF-8 kept, escapes decoded as nlohmann writes them") {
    for (const char* text : {
             "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"",
             R"("\u00e9\u20AC\ud83d\ude00")",  // escapes become UTF-8
             R"("\/\u002f\u0022\u005c\u007f")",  // "/" unescaped, quote and backslash escaped
             R"(["\u0000","\u0008\u000C"])",
         }) {
      INFO(text);
      CHECK(indented(text) == reference(parse(text)));
    }
  }
  SECTION("white space outside strings is dropped") {
    const char* text = " {\n  \"a\" : [ 1 ,\t2 , { } , [ ] ] ,\r\n \"b c\" : \" x \" } ";
    CHECK(indented(text) == reference(parse(text)));
  }
  SECTION("invalid UTF-8 becomes U+FFFD as with error_handler_t::replace") {
    for (std::string raw : {std::string("a\x80z"), std::string("a\xC3(z"), std::string("a\xE2\x82z"),
                            std::string("\xF0\x9F\x98"), std::string("\xED\xA0\x80"), std::string("\xC0\xAF"),
                            std::string("\xF5\x80\x80\x80"), std::string("x\xE0\x80\x80y")}) {
      INFO(json(raw).dump(-1, ' ', true, json::error_handler_t::replace));
      CHECK(indented("[\"" + raw + "\"]") == reference(json::array({raw})));
    }
  }
  SECTION("random values") {
    std::mt19937 rng(20240611);
    for (int i = 0; i < 500; ++i) {
      const json j = random_value(rng, 0);
      const std::string compact = j.dump();
      INFO(compact);
      REQUIRE(indented(compact) == reference(j));
    }
  }
}
