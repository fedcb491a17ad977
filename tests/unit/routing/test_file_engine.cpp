// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "fabrics.hpp"
#include "ofmf/routing/engine.hpp"
#include "ofmf/routing/lft_dump.hpp"
#include "ofmf/topology/generators.hpp"

using namespace routing_test;
using ofmf::errc;
namespace routing = ofmf::routing;
namespace fs = std::filesystem;

namespace {

// A file in the test's temporary folder, removed at the end of the scope.
struct TempFile {
  fs::path path;
  explicit TempFile(const std::string& name, const std::string& text)
      : path(fs::temp_directory_path() / ("ofmf-file-engine-" + std::to_string(::getpid()) + "-" + name)) {
    std::ofstream(path, std::ios::binary) << text;
  }
  ~TempFile() {
    std::error_code ec;
    fs::remove(path, ec);
  }
};

ofmf::Result<routing::RouteTable> load(const TopologyView& v, const fs::path& file, std::uint8_t lmc = 0) {
  routing::Options o;
  o.lft_file = file.string();
  o.lmc = lmc;
  return (*routing::EngineRegistry::builtin().create("file"))->compute(v, o);
}

// Replaces the first occurrence of `from` in `text`.
std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

} // namespace

TEST_CASE("FileEngine: minhop -> dump -> file engine gives identical LFTs", "[routing]") {
  auto f = ofmf::topology::generate_kary_ntree({4, 2});
  REQUIRE(f);
  auto v = f->snapshot();
  for (std::uint8_t lmc : {0, 1}) {
    INFO("lmc " << int(lmc));
    routing::Options o;
    o.lmc = lmc;
    auto t = (*routing::EngineRegistry::builtin().create("minhop"))->compute(*v, o);
    REQUIRE(t);
    TempFile file("rt" + std::to_string(lmc) + ".dump", routing::format_lft_dump(*v, *t).value());
    auto loaded = load(*v, file.path, lmc);
    if (!loaded) FAIL(loaded.error().message);
    CHECK(loaded->engine() == "file");
    REQUIRE(loaded->switch_count() == t->switch_count());
    CHECK(loaded->max_lid() == t->max_lid());
    for (std::uint32_t s = 0; s < t->switch_count(); ++s) {
      const auto a = t->lft(s), b = loaded->lft(s);
      CHECK(std::equal(a.begin(), a.end(), b.begin(), b.end()));
    }
  }
}

TEST_CASE("FileEngine: refuses dumps that do not match the fabric, with file:line", "[routing]") {
  Fabric f = two_level(2, 3, 2);
  auto v = f.snapshot();
  auto t = (*routing::EngineRegistry::builtin().create("minhop"))->compute(*v, {});
  REQUIRE(t);
  const std::string good = routing::format_lft_dump(*v, *t).value();

  SECTION("no file given") {
    auto r = (*routing::EngineRegistry::builtin().create("file"))->compute(*v, {});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::invalid_argument);
  }
  SECTION("missing file") {
    auto r = load(*v, "/nonexistent/ofmf.dump");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::io_error);
  }
  SECTION("unknown switch") {
    TempFile file("unknown.dump", replace(good, "guid 0x0000000000002000", "guid 0x00000000000020ff"));
    auto r = load(*v, file.path);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::inconsistent);
    CHECK(r.error().message == file.path.string() + ":1: switch 0x00000000000020ff is not a switch of the fabric");
  }
  SECTION("LID owned by another port") {
    // Line 2 is LID 1 (a switch) on the first switch; claim it is an endpoint's.
    TempFile file("owner.dump", replace(good, "0x0001 000 # Switch portguid 0x0000000000002000",
                                        "0x0001 000 # Switch portguid 0x0000000000200001"));
    auto r = load(*v, file.path);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::inconsistent);
    CHECK(r.error().message.find(file.path.string() + ":2: LID 1 belongs to port 0x0000000000200001") == 0);
  }
  SECTION("LID not assigned") {
    const std::string last = "\n" + std::to_string(t->max_lid()) + " lids dumped\n";
    std::string text = replace(good, "Unicast lids [0-" + std::to_string(t->max_lid()) + "]", "Unicast lids [0-200]");
    text = replace(text, last, "\n0x00C8 001\n" + std::to_string(t->max_lid()) + " lids dumped\n");
    TempFile file("unassigned.dump", text);
    auto r = load(*v, file.path);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("LID 200 is not assigned in the fabric") != std::string::npos);
  }
  SECTION("port out of range") {
    TempFile file("port.dump", replace(good, "0x0001 000 # Switch", "0x0001 009 # Switch"));
    auto r = load(*v, file.path);
    REQUIRE_FALSE(r);
    CHECK(r.error().message == file.path.string() + ":2: port 9 is out of range: switch 0x0000000000002000 has 3 ports");
  }
  SECTION("a switch of the fabric missing") {
    const auto second = good.find("Unicast lids", 1);
    TempFile file("missing.dump", good.substr(0, second));
    auto r = load(*v, file.path);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("has no table in the file") != std::string::npos);
  }
  SECTION("syntax errors keep the parser's file:line") {
    TempFile file("syntax.dump", replace(good, "0x0001 000", "0x0001 abc"));
    auto r = load(*v, file.path);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::parse_error);
    CHECK(r.error().message.find(file.path.string() + ":2:") == 0);
  }
}
