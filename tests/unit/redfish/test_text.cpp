// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// The Redfish layer's text: JsonOut (resources written as JSON text) and
// the Tree holding text, parsed on demand. nlohmann's parser is the
// reference for what the text means.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "ofmf/redfish/tree.hpp"
#include "redfish/detail/json_out.hpp"
#include "redfish/detail/tree_access.hpp"

using nlohmann::json;
using ofmf::redfish::Tree;
using ofmf::redfish::detail::JsonOut;
using ofmf::redfish::detail::TreeAccess;

namespace {

json parsed(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  REQUIRE_FALSE(j.is_discarded());
  return j;
}

std::string string_value(std::string_view raw) {
  JsonOut o = JsonOut::object();
  o["s"] = raw;
  return parsed(std::move(o).close())["s"].get<std::string>();
}

} // namespace

TEST_CASE("JsonOut: objects, arrays and scalars read back as written", "[redfish]") {
  JsonOut o = JsonOut::object();
  o["@odata.id"] = std::string("/redfish/v1/");
  o["Count"] = 3u;
  o["Big"] = std::numeric_limits<std::uint64_t>::max();
  o["Negative"] = -42;
  o["Small"] = std::uint8_t{7};
  o["Flag"] = false;
  o["Speed"] = 103.125;
  o["Whole"] = 100.0;
  o["NotANumber"] = std::numeric_limits<double>::quiet_NaN();
  JsonOut links = JsonOut::object();
  JsonOut arr = JsonOut::array();
  JsonOut l = JsonOut::object();
  l["@odata.id"] = "/redfish/v1/Fabrics";
  arr.push_back(std::move(l));
  arr.push_back(std::string_view("plain"));
  links["Members"] = std::move(arr);
  links.count("Members") = 2u;
  o["Links"] = std::move(links);
  o["Empty"] = JsonOut::object();
  o["None"] = JsonOut::array();
  const std::string text = std::move(o).close();

  CHECK(text.find(' ') == std::string::npos);  // compact
  const json j = parsed(text);
  CHECK(j["@odata.id"] == "/redfish/v1/");
  CHECK(j["Count"].is_number_unsigned());
  CHECK(j["Count"] == 3);
  CHECK(j["Big"].get<std::uint64_t>() == std::numeric_limits<std::uint64_t>::max());
  CHECK(j["Negative"] == -42);
  CHECK(j["Small"] == 7);
  CHECK(j["Flag"] == false);
  CHECK(j["Speed"].get<double>() == 103.125);
  CHECK(j["Whole"].is_number_float());  // "100.0", as nlohmann writes a double
  CHECK(j["NotANumber"].is_null());
  CHECK(j["Links"]["Members"].size() == 2);
  CHECK(j["Links"]["Members"][0]["@odata.id"] == "/redfish/v1/Fabrics");
  CHECK(j["Links"]["Members"][1] == "plain");
  CHECK(j["Links"]["Members@odata.count"] == 2);
  CHECK(j["Empty"] == json::object());
  CHECK(j["None"] == json::array());
  // Properties come out in the order written.
  CHECK(text.rfind("{\"@odata.id\":", 0) == 0);
}

TEST_CASE("JsonOut: strings are escaped and made valid UTF-8", "[redfish]") {
  SECTION("characters JSON escapes") {
    const std::string raw = std::string("q\"b\\s/t\tn\nr\rb\bf\f") + '\0' + "\x01\x1f\x7f";
    CHECK(string_value(raw) == raw);
  }
  SECTION("valid UTF-8 passes unchanged") {
    for (const std::string raw : {"caf\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xed\x9f\xbf", "\xf4\x8f\xbf\xbf"})
      CHECK(string_value(raw) == raw);
  }
  SECTION("bytes that are not UTF-8 become U+FFFD, one per byte") {
    const std::string fffd = "\xef\xbf\xbd";
    CHECK(string_value("a\xff" "b") == "a" + fffd + "b");
    CHECK(string_value("\xc3") == fffd);                          // truncated
    CHECK(string_value("\xc0\xaf") == fffd + fffd);               // overlong
    CHECK(string_value("\xed\xa0\x80") == fffd + fffd + fffd);    // surrogate
    CHECK(string_value("\xf4\x90\x80\x80") == fffd + fffd + fffd + fffd);  // above U+10FFFF
    CHECK(string_value("\x80x") == fffd + "x");                   // stray continuation
  }
}

TEST_CASE("Tree: text is stored as given and parsed on demand", "[redfish]") {
  Tree t;
  CHECK(TreeAccess::put_text(t, "/redfish/v1/", R"({"@odata.id":"/redfish/v1/","Zeta":1,"Alpha":2})"));
  CHECK_FALSE(TreeAccess::put_text(t, "/redfish/v1/", R"({"@odata.id":"/redfish/v1/","Zeta":1,"Alpha":[]})"));
  TreeAccess::append_text(t, "/redfish/v1/Fabrics", R"({"@odata.id":"/redfish/v1/Fabrics"})");
  REQUIRE(t.size() == 2);
  CHECK(t.text("/redfish/v1/") == R"({"@odata.id":"/redfish/v1/","Zeta":1,"Alpha":[]})");
  CHECK_FALSE(t.text("/redfish/v1/Nope"));
  CHECK(t.text_bytes() == t.text("/redfish/v1/")->size() + t.text("/redfish/v1/Fabrics")->size());

  const Tree& ct = t;
  const json* root = ct.find("/redfish/v1/");
  REQUIRE(root);
  CHECK((*root)["Alpha"] == json::array());
  CHECK(ct.find("/redfish/v1/") == root);  // parsed once, kept

  SECTION("a change through mutable find() is what text() gives next") {
    json* m = t.find("/redfish/v1/");
    REQUIRE(m);
    (*m)["Alpha"] = 5;
    CHECK(parsed(*t.text("/redfish/v1/"))["Alpha"] == 5);
    std::string scratch;
    CHECK(parsed(std::string(TreeAccess::text(t, "/redfish/v1/", scratch)))["Alpha"] == 5);
  }
  SECTION("insert_or_assign stores a value; text() is its serialization") {
    CHECK(t.insert_or_assign("/redfish/v1/Chassis", json{{"@odata.id", "/redfish/v1/Chassis"}, {"N", 1}}));
    CHECK(*t.text("/redfish/v1/Chassis") == R"({"@odata.id":"/redfish/v1/Chassis","N":1})");
  }
  SECTION("iteration and for_each_text go in URI order") {
    std::vector<std::string> a, b;
    for (const auto& [uri, r] : t) {
      a.push_back(uri);
      CHECK(r.is_object());
    }
    t.for_each_text([&](const std::string& uri, std::string_view text) {
      b.push_back(uri);
      CHECK(!text.empty());
    });
    CHECK(a == std::vector<std::string>{"/redfish/v1/", "/redfish/v1/Fabrics"});
    CHECK(b == a);
  }
  SECTION("equality compares values, whatever the text's property order") {
    Tree u;
    u.insert_or_assign("/redfish/v1/", json::parse(R"({"Alpha":[],"Zeta":1,"@odata.id":"/redfish/v1/"})"));
    u.insert_or_assign("/redfish/v1/Fabrics", json::parse(R"({"@odata.id":"/redfish/v1/Fabrics"})"));
    CHECK(t == u);
    (*u.find("/redfish/v1/"))["Zeta"] = 2;
    CHECK_FALSE(t == u);
  }
  SECTION("copies hold their own values") {
    json* m = t.find("/redfish/v1/Fabrics");
    (*m)["X"] = 1;  // a value without text is copied as a value
    Tree c = t;
    CHECK(c == t);
    (*c.find("/redfish/v1/Fabrics"))["X"] = 2;
    CHECK((*t.find("/redfish/v1/Fabrics"))["X"] == 1);
    Tree sub = t.subtree("/redfish/v1/Fabrics");
    CHECK(sub.size() == 1);
    CHECK((*sub.find("/redfish/v1/Fabrics"))["X"] == 1);
  }
  SECTION("erase and clear") {
    CHECK(t.erase("/redfish/v1/Fabrics"));
    CHECK_FALSE(t.erase("/redfish/v1/Fabrics"));
    CHECK_FALSE(t.contains("/redfish/v1/Fabrics"));
    t.clear();
    CHECK(t.empty());
  }
}

TEST_CASE("Tree: concurrent const find() parses each resource once", "[redfish]") {
  Tree t;
  for (int i = 0; i < 200; ++i) {
    const std::string uri = "/redfish/v1/R" + std::to_string(1000 + i);
    TreeAccess::append_text(t, uri, R"({"@odata.id":")" + uri + R"(","V":)" + std::to_string(i) + "}");
  }
  const Tree& ct = t;
  std::vector<std::vector<const json*>> seen(4);
  std::vector<std::thread> threads;
  for (int k = 0; k < 4; ++k)
    threads.emplace_back([&, k] {
      for (const auto& [uri, r] : ct) seen[std::size_t(k)].push_back(ct.find(uri));
    });
  for (auto& th : threads) th.join();
  for (int k = 1; k < 4; ++k) CHECK(seen[std::size_t(k)] == seen[0]);
  std::set<int> values;
  for (const json* j : seen[0]) values.insert((*j)["V"].get<int>());
  CHECK(values.size() == 200);
}
