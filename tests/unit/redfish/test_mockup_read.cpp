// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Mockup folders written as text and read back: the files' layout against
// nlohmann's dump(4), numbers kept exactly, and the reader's rules for an
// untrusted folder (symbolic links, loops, names, malformed files,
// duplicate keys).
#include <catch2/catch.hpp>


#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ofmf/redfish/import.hpp"
#include "ofmf/redfish/mockup.hpp"
#include "ofmf/redfish/render.hpp"
#include "ofmf/topology/generators.hpp"
#include "peak_memory.hpp"
#include "render_fixture.hpp"
#include "temp_dir.hpp"

using namespace ofmf;
namespace fs = std::filesystem;
using nlohmann::json;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

using ofmf::test::TempDir;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

redfish::Tree small_tree() {
  auto f = test::small_fabric();
  auto t = redfish::render(f);
  REQUIRE(t);
  return std::move(*t);
}

const std::string sw1 = "/redfish/v1/Fabrics/IB/Switches/0002c90200000001";

void check_fails(const Result<redfish::Tree>& r, errc code, const std::string& what) {
  REQUIRE_FALSE(r);
  INFO(r.error().message);
  CHECK(r.error().code == make_error_code(code));
  CHECK_THAT(r.error().message, Contains(what));
}

} // namespace

TEST_CASE("Mockup read: write then read gives the same tree", "[redfish]") {
  TempDir tmp;
  const fs::path m = tmp.path / "m";
  const auto tree = small_tree();
  REQUIRE(redfish::write_mockup(tree, m));

  SECTION("every file is nlohmann's dump(4) of its resource, properties in the tree's order") {
    std::size_t files = 0;
    tree.for_each_text([&](const std::string& uri, std::string_view text) {
      auto file = redfish::mockup_file(m, uri);
      REQUIRE(file);
      INFO(*file);
      CHECK(slurp(*file) == nlohmann::ordered_json::parse(text).dump(4) + "\n");
      ++files;
    });
    CHECK(files == tree.size());
  }
  SECTION("read back: same URIs and values; compact text") {
    auto back = redfish::read_mockup(m);
    REQUIRE(back);
    CHECK(*back == tree);
    auto text = back->text(sw1);
    REQUIRE(text);
    CHECK(text->find('\n') == std::string::npos);
    CHECK(text->find(": ") == std::string::npos);
    CHECK(json::parse(*text) == *tree.find(sw1));
    // Written again, the files are the same.
    REQUIRE(redfish::write_mockup(*back, tmp.path / "again"));
    CHECK(slurp(tmp.path / "again/redfish/v1/Fabrics/IB/Switches/0002c90200000001/index.json") ==
          slurp(m / "redfish/v1/Fabrics/IB/Switches/0002c90200000001/index.json"));
  }
  SECTION("import_mockup imports what import_tree imports") {
    auto a = redfish::import_mockup(m);
    auto b = redfish::import_tree(tree);
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->node_count() == b->node_count());
  }
}

TEST_CASE("Mockup read: numbers survive exactly", "[redfish]") {
  TempDir tmp;
  redfish::Tree t;
  t.insert_or_assign("/redfish/v1/", json{{"@odata.id", "/redfish/v1/"}});
  const std::string uri = "/redfish/v1/Counters";
  t.insert_or_assign(uri, json{{"@odata.id", uri},
                               {"Max", std::numeric_limits<std::uint64_t>::max()},
                               {"Min", std::numeric_limits<std::int64_t>::min()},
                               {"Ratio", 103.125},
                               {"Tiny", 5e-324},
                               {"Name", "caf\xC3\xA9 \"quoted\" \\ / \t"}});
  REQUIRE(redfish::write_mockup(t, tmp.path / "m"));
  const std::string file = slurp(tmp.path / "m/redfish/v1/Counters/index.json");
  CHECK_THAT(file, Contains("\"Max\": 18446744073709551615"));
  CHECK_THAT(file, Contains("\"Ratio\": 103.125"));
  auto back = redfish::read_mockup(tmp.path / "m");
  REQUIRE(back);
  const json* r = back->find(uri);
  REQUIRE(r != nullptr);
  CHECK((*r)["Max"].get<std::uint64_t>() == std::numeric_limits<std::uint64_t>::max());
  CHECK((*r)["Min"].get<std::int64_t>() == std::numeric_limits<std::int64_t>::min());
  CHECK((*r)["Ratio"].get<double>() == 103.125);
  CHECK((*r)["Tiny"].get<double>() == 5e-324);
  CHECK(*back == t);
  CHECK_THAT(*back->text(uri), Contains("18446744073709551615"));
  CHECK_THAT(*back->text(uri), Contains("103.125"));
}

TEST_CASE("Mockup read: symbolic links, loops and names", "[redfish]") {
  TempDir tmp;
  const fs::path m = tmp.path / "m";
  const auto tree = small_tree();
  REQUIRE(redfish::write_mockup(tree, m));
  const fs::path ib = m / "redfish/v1/Fabrics/IB";

  SECTION("links that stay inside the mockup are followed") {
    // A folder and a file moved elsewhere in the mockup, linked back.
    fs::create_directories(m / "store");
    fs::rename(ib / "Zones", m / "store/Zones");
    fs::create_directory_symlink("../../../../store/Zones", ib / "Zones");
    const fs::path sw = ib / "Switches/0002c90200000001";
    fs::rename(sw / "index.json", m / "store/sw1.json");
    fs::create_symlink("../../../../../../store/sw1.json", sw / "index.json");
    auto r = redfish::read_mockup(m);
    REQUIRE(r);
    CHECK(*r == tree);
  }
  SECTION("a link out of the mockup is refused") {
    TempDir other;
    fs::create_directories(other.path / "X");
    std::ofstream(other.path / "X/index.json") << json{{"@odata.id", "/redfish/v1/Fabrics/IB/X"}}.dump();
    fs::create_directory_symlink(other.path / "X", ib / "X");
    check_fails(redfish::read_mockup(m), errc::io_error, "symbolic link leads out of the mockup folder");
  }
  SECTION("a link to a file out of the mockup is refused, even one not read") {
    TempDir other;
    std::ofstream(other.path / "notes.txt") << "x";
    fs::create_symlink(other.path / "notes.txt", ib / "notes.txt");
    check_fails(redfish::read_mockup(m), errc::io_error, (ib / "notes.txt").string() + ": symbolic link leads out");
  }
  SECTION("a dangling link is refused") {
    fs::create_symlink(m / "nowhere", ib / "Gone");
    check_fails(redfish::read_mockup(m), errc::io_error, "cannot resolve the symbolic link");
  }
  SECTION("a loop is refused") {
    fs::create_directory_symlink("..", ib / "Switches/Loop");
    check_fails(redfish::read_mockup(m), errc::io_error, "folder reached twice (a symbolic link loop)");
  }
  SECTION("a folder reached twice is refused") {
    fs::create_directory_symlink("Zones", ib / "Zones2");
    check_fails(redfish::read_mockup(m), errc::io_error, "folder reached twice");
  }
  SECTION("redfish/ itself may not lead out") {
    TempDir other;
    fs::rename(m / "redfish", other.path / "redfish");
    fs::create_directory_symlink(other.path / "redfish", m / "redfish");
    check_fails(redfish::read_mockup(m), errc::io_error, "symbolic link leads out of the mockup folder");
  }
  SECTION("a folder name that is not a safe URI segment") {
    for (const char* name : {"a b", "100%", "q?x"}) {
      INFO(name);
      fs::create_directories(ib / name);
      check_fails(redfish::read_mockup(m), errc::invalid_argument,
                  (ib / name).string() + ": folder name " + name + " is not a safe URI segment");
      fs::remove_all(ib / name);
    }
  }
  SECTION("other files are ignored; index.json must be a file") {
    std::ofstream(ib / "README") << "not JSON";
    REQUIRE(redfish::read_mockup(m));
    fs::remove(ib / "Switches/index.json");
    fs::create_directory(ib / "Switches/index.json");
    // A folder named index.json is a resource folder; it has no file.
    auto r = redfish::read_mockup(m);
    REQUIRE(r);
    CHECK_FALSE(r->contains("/redfish/v1/Fabrics/IB/Switches"));
  }
}

TEST_CASE("Mockup read: malformed files", "[redfish]") {
  TempDir tmp;
  const fs::path m = tmp.path / "m";
  REQUIRE(redfish::write_mockup(small_tree(), m));
  const fs::path file = m / "redfish/v1/Fabrics/IB/Switches/0002c90200000001/index.json";
  auto write = [&](const std::string& text) { std::ofstream(file, std::ios::trunc | std::ios::binary) << text; };

  SECTION("the byte where parsing stopped, as nlohmann counts it") {
    const std::string text = "{\"@odata.id\": \"" + sw1 + "\", \"x\": [1, 2,, 3]}";
    write(text);
    json ignored;
    std::string expected;
    try {
      ignored = json::parse(text);
    } catch (const json::parse_error& e) {
      expected = ": malformed JSON at byte " + std::to_string(e.byte) + ": " + e.what();
    }
    REQUIRE_FALSE(expected.empty());
    auto r = redfish::read_mockup(m);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == make_error_code(errc::parse_error));
    CHECK(r.error().message == file.string() + expected);
  }
  SECTION("empty file, trailing garbage, invalid UTF-8") {
    for (std::string text : {std::string(), "{\"@odata.id\": \"" + sw1 + "\"} x",
                             "{\"@odata.id\": \"" + sw1 + "\", \"N\": \"\xC3(\"}"}) {
      INFO(text);
      CHECK_FALSE(json::accept(text));  // nlohmann refuses it too
      write(text);
      check_fails(redfish::read_mockup(m), errc::parse_error, file.string() + ": malformed JSON at byte ");
    }
  }
  SECTION("not an object; no @odata.id; @odata.id not a string") {
    write("\"text\"");
    check_fails(redfish::read_mockup(m), errc::parse_error, sw1 + ": expected a JSON object, found string");
    write("{\"Id\": \"x\"}");
    check_fails(redfish::read_mockup(m), errc::parse_error, sw1 + ": @odata.id: required property missing");
    write("{\"@odata.id\": 7}");
    check_fails(redfish::read_mockup(m), errc::parse_error, sw1 + ": @odata.id: expected a string");
  }
  SECTION("duplicate keys are refused") {
    // nlohmann keeps the last value of a key given twice, simdjson's DOM
    // keeps both (and finds the first): the reader refuses such a file
    // rather than let readers of the tree disagree.
    const std::string dup = "{\"@odata.id\": \"" + sw1 + "\", \"Id\": \"a\", \"Links\": {\"x\": 1, \"x\": 2}}";
    CHECK(json::parse(dup)["Links"]["x"] == 2);
    write(dup);
    check_fails(redfish::read_mockup(m), errc::parse_error, sw1 + ": /Links: key \"x\" appears twice");
    write("{\"@odata.id\": \"" + sw1 + "\", \"@odata.id\": \"/redfish/v1/Other\"}");
    check_fails(redfish::read_mockup(m), errc::parse_error, sw1 + ": /: key \"@odata.id\" appears twice");
    std::string many = "{\"@odata.id\": \"" + sw1 + "\"";
    for (int i = 0; i < 20; ++i) many += ", \"k" + std::to_string(i) + "\": [{\"a\": 1}]";
    write(many + ", \"k7\": 0}");
    check_fails(redfish::read_mockup(m), errc::parse_error, sw1 + ": /: key \"k7\" appears twice");
    write(many + ", \"k20\": [{\"a\": 1, \"b\": 2, \"a\": 3}]}");
    check_fails(redfish::read_mockup(m), errc::parse_error, sw1 + ": /k20/0: key \"a\" appears twice");
  }
  SECTION("an integer beyond 64 bits") {
    write("{\"@odata.id\": \"" + sw1 + "\", \"Big\": 123456789012345678901234567890}");
    check_fails(redfish::read_mockup(m), errc::parse_error, file.string() + ": unsupported JSON: ");
  }
}

TEST_CASE("Mockup read: large folders are read by several threads, errors as one thread finds them", "[redfish]") {
  // k-ary n-tree k=4 n=3: 112 endpoints and 64 chassis, so both folders
  // are shared out in pieces.
  auto g = topology::generate_kary_ntree({4, 3});
  REQUIRE(g);
  auto rendered = redfish::render(*g);
  REQUIRE(rendered);
  const redfish::Tree& tree = *rendered;
  TempDir tmp;
  const fs::path m = tmp.path / "m";
  REQUIRE(redfish::write_mockup(tree, m));
  const fs::path eps = m / "redfish/v1/Fabrics/IB/Endpoints";
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(eps))
    if (e.is_directory()) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  REQUIRE(names.size() == 112);
  const fs::path first = eps / names.front();
  const fs::path last = eps / names.back();
  constexpr int rounds = 20;

  SECTION("the whole tree comes back") {
    auto r = redfish::read_mockup(m);
    REQUIRE(r);
    CHECK(*r == tree);
  }
  SECTION("of two malformed files, the first in the walk is reported") {
    std::ofstream(last / "index.json", std::ios::trunc) << "{";
    std::ofstream(eps / names[50] / "index.json", std::ios::trunc) << "[";
    std::ofstream(first / "index.json", std::ios::trunc) << "{\"@odata.id\": 1}";
    for (int i = 0; i < rounds; ++i)
      check_fails(redfish::read_mockup(m), errc::parse_error, "/Endpoints/" + names.front() + ": @odata.id: expected a string");
    // Chassis come before Fabrics.
    const fs::path chassis = m / "redfish/v1/Chassis";
    std::vector<fs::path> all_chassis;
    for (const auto& e : fs::directory_iterator(chassis))
      if (e.is_directory()) all_chassis.push_back(e.path());
    REQUIRE(all_chassis.size() == 64);
    std::ofstream(*std::max_element(all_chassis.begin(), all_chassis.end()) / "index.json", std::ios::trunc) << "7";
    for (int i = 0; i < rounds; ++i)
      check_fails(redfish::read_mockup(m), errc::parse_error, "expected a JSON object, found number");
  }
  SECTION("a folder reached twice: the later way in the walk is reported") {
    // Folders without index.json, so that only the second way is an error.
    fs::create_directory(first / "Sub");
    fs::create_directory_symlink("../" + names.front() + "/Sub", last / "Again");
    for (int i = 0; i < rounds; ++i)
      check_fails(redfish::read_mockup(m), errc::io_error, (last / "Again").string() + ": folder reached twice");
    fs::remove(last / "Again");
    // Now the link comes first in the walk and the folder itself second.
    fs::create_directory(last / "Sub");
    fs::create_directory_symlink("../" + names.back() + "/Sub", first / "Ahead");
    for (int i = 0; i < rounds; ++i)
      check_fails(redfish::read_mockup(m), errc::io_error, (last / "Sub").string() + ": folder reached twice");
  }
  SECTION("limits") {
    redfish::ImportOptions o;
    o.max_resources = 100;
    check_fails(redfish::read_mockup(m, o), errc::limit_exceeded, "more than ImportOptions::max_resources (100)");
    o = {};
    o.max_bytes = 20000;
    check_fails(redfish::read_mockup(m, o), errc::limit_exceeded, "exceeds ImportOptions::max_bytes (20000 bytes)");
  }
}

TEST_CASE("Mockup read: nesting deeper than ImportOptions::max_depth", "[redfish]") {
  TempDir tmp;
  const fs::path m = tmp.path / "m";
  REQUIRE(redfish::write_mockup(small_tree(), m));
  const fs::path file = m / "redfish/v1/Fabrics/IB/Switches/0002c90200000001/index.json";
  auto write = [&](const std::string& text) { std::ofstream(file, std::ios::trunc | std::ios::binary) << text; };
  // `"D": [[...[1]...]]` with the 1 at level `levels`.
  const std::string head = "{\"@odata.id\": \"" + sw1 + "\", \"D\": ";
  auto nested = [&](std::size_t levels) {
    return head + std::string(levels - 2, '[') + "1" + std::string(levels - 2, ']') + "}";
  };
  redfish::ImportOptions o;
  REQUIRE(o.max_depth == 32);
  SECTION("at the limit, and one level more") {
    write(nested(32));
    CHECK(redfish::read_mockup(m, o));
    write(nested(33));
    auto r = redfish::read_mockup(m, o);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == make_error_code(errc::parse_error));
    CHECK(r.error().message == file.string() + ": " + sw1 +
                                   ": nested deeper than ImportOptions::max_depth (32 levels) at byte " +
                                   std::to_string(head.size() + 31));
    o.max_depth = 33;
    CHECK(redfish::read_mockup(m, o));
  }
  SECTION("unterminated: the depth error comes before the end of the text") {
    write(std::string(100000, '['));
    auto r = redfish::read_mockup(m, o);
    REQUIRE_FALSE(r);
    CHECK(r.error().message == file.string() + ": " + sw1 +
                                   ": nested deeper than ImportOptions::max_depth (32 levels) at byte 32");
  }
  SECTION("a syntax error before the nesting gets too deep") {
    write("[[[,[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[");
    check_fails(redfish::read_mockup(m, o), errc::parse_error, file.string() + ": malformed JSON at byte 4: ");
  }
}

TEST_CASE("Mockup read: a file above ImportOptions::max_file_bytes is refused before it is read", "[redfish]") {
  TempDir tmp;
  const fs::path m = tmp.path / "m";
  REQUIRE(redfish::write_mockup(small_tree(), m));
  const fs::path file = m / "redfish/v1/Fabrics/IB/Switches/0002c90200000001/index.json";
  redfish::ImportOptions o;
  CHECK(o.max_file_bytes == std::size_t{8} << 20);
  // The largest file of the mockup: padded with white space.
  const std::size_t size = 100000;
  std::ofstream(file, std::ios::app | std::ios::binary) << std::string(size - fs::file_size(file), ' ');
  REQUIRE(fs::file_size(file) == size);
  o.max_file_bytes = size;
  CHECK(redfish::read_mockup(m, o));
  o.max_file_bytes = size - 1;
  auto r = redfish::read_mockup(m, o);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == make_error_code(errc::limit_exceeded));
  CHECK(r.error().message == file.string() + ": " + sw1 + ": " + std::to_string(size) +
                                 " bytes, larger than ImportOptions::max_file_bytes (" + std::to_string(size - 1) +
                                 " bytes)");
}

TEST_CASE("Mockup read: hostile nesting costs a small multiple of the file", "[redfish]") {
  // 48 MiB of '[' (nlohmann's DOM of it took some 40 times that): with the
  // default limits refused by its size, unread; with the size limit raised,
  // refused by its depth after simdjson indexed it (about 4 bytes per
  // bracket) and nothing more.
  TempDir tmp;
  const fs::path m = tmp.path / "m";
  REQUIRE(redfish::write_mockup(small_tree(), m));
  const fs::path file = m / "redfish/v1/Fabrics/IB/Switches/0002c90200000001/index.json";
  const std::size_t size = std::size_t{48} << 20;
  {
    std::ofstream out(file, std::ios::trunc | std::ios::binary);
    const std::string chunk(std::size_t{1} << 20, '[');
    for (std::size_t i = 0; i < size / chunk.size(); ++i) out << chunk;
  }
  REQUIRE(fs::file_size(file) == size);
  const std::size_t before = ofmf::test::peak_rss_bytes();
  auto r = redfish::read_mockup(m);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == make_error_code(errc::limit_exceeded));
  CHECK_THAT(r.error().message, Contains("larger than ImportOptions::max_file_bytes"));
  const std::size_t unread = ofmf::test::peak_rss_bytes() - before;
  INFO("peak resident memory grew by " << unread << " bytes (default limits)");
  CHECK(unread < size / 4);

  redfish::ImportOptions o;
  o.max_file_bytes = std::size_t{64} << 20;
  auto d = redfish::read_mockup(m, o);
  REQUIRE_FALSE(d);
  CHECK(d.error().code == make_error_code(errc::parse_error));
  CHECK_THAT(d.error().message, Contains(": nested deeper than ImportOptions::max_depth (32 levels) at byte 32"));
  const std::size_t grown = ofmf::test::peak_rss_bytes() - before;
  INFO("peak resident memory grew by " << grown << " bytes (a " << size << "-byte file read)");
  // About 5 times the file in a Release build (the file and simdjson's
  // index of it), 6.5 under AddressSanitizer; nlohmann's DOM was over 40.
  CHECK(grown < 8 * size);
}
