// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Redfish import: round trips model -> render -> import (in memory and
// through a mockup folder) for every generator, every tests/data fixture
// and a hand-made mixed fabric, with partitions and counters set.
#include <catch2/catch.hpp>

#include <filesystem>
#include <random>
#include <string>

#include "import_fixtures.hpp"
#include "ofmf/redfish/import.hpp"
#include "ofmf/redfish/mockup.hpp"
#include "ofmf/redfish/render.hpp"
#include "temp_dir.hpp"

using namespace ofmf;
namespace fs = std::filesystem;

namespace {

// A fresh folder under the system temporary folder, removed at the end.
using ofmf::test::TempDir;

// The fabric resource carries the model's generation, which counts
// mutations and so differs between a fabric and its import.
redfish::Tree without_generation(redfish::Tree t) {
  for (const auto& [uri, j] : t)
    if (j.contains("Oem") && j["Oem"].contains("Ofmf") && j["Oem"]["Ofmf"].contains("Generation")) {
      auto copy = j;
      copy["Oem"]["Ofmf"].erase("Generation");
      t.insert_or_assign(uri, std::move(copy));
    }
  return t;
}

void check_same(const model::Fabric& f, const model::Fabric& back) {
  std::string why;
  const bool same = model::same_fabric(f, back, &why);
  INFO(why);
  CHECK(same);
}

void check_round_trip(const model::Fabric& f, bool through_mockup) {
  auto tree = redfish::render(f);
  REQUIRE(tree);
  std::vector<std::string> notes;
  redfish::ImportOptions opt;
  opt.notes = &notes;
  auto back = redfish::import_tree(*tree, opt);
  INFO((back ? std::string() : back.error().message));
  REQUIRE(back);
  check_same(f, *back);
  CHECK(notes.empty());
  // Identical round trip: the imported fabric renders to the same tree
  // (members in the same order included).
  auto again = redfish::render(*back);
  REQUIRE(again);
  CHECK(without_generation(*again) == without_generation(*tree));
  if (through_mockup) {
    TempDir dir;
    REQUIRE(redfish::write_mockup(*tree, dir.path / "mockup"));
    auto read = redfish::read_mockup(dir.path / "mockup");
    INFO((read ? std::string() : read.error().message));
    REQUIRE(read);
    CHECK(*read == *tree);
    auto imported = redfish::import_mockup(dir.path / "mockup");
    REQUIRE(imported);
    check_same(f, *imported);
  }
}

} // namespace

TEST_CASE("Import: every generator's fabric round-trips", "[redfish]") {
  for (const auto& g : test::generator_fabrics()) {
    SECTION(g.name) {
      auto f = g.make();
      REQUIRE(f);
      SECTION("as generated") { check_round_trip(*f, false); }
      SECTION("with LIDs, states, partitions and counters") {
        REQUIRE(test::decorate(*f));
        REQUIRE(f->partitions().size() >= 2);
        check_round_trip(*f, true);
      }
    }
  }
}

TEST_CASE("Import: every tests/data fixture round-trips", "[redfish]") {
  const auto files = test::fixture_files(OFMF_TEST_DATA_DIR);
  REQUIRE(files.size() >= 6);
  for (const auto& file : files) {
    SECTION(file.filename().string()) {
      auto f = topology::read_topology(file);
      REQUIRE(f);
      REQUIRE(test::decorate(*f));
      check_round_trip(*f, true);
    }
  }
}

TEST_CASE("Import: adapters sharing a system image, routers, explicit port GUIDs", "[redfish]") {
  auto f = test::mixed_fabric();
  REQUIRE(f);
  SECTION("plain") { check_round_trip(*f, true); }
  SECTION("decorated") {
    REQUIRE(test::decorate(*f));
    check_round_trip(*f, true);
  }
}

TEST_CASE("Import: an empty fabric round-trips", "[redfish]") {
  model::Fabric f;
  check_round_trip(f, true);
}

TEST_CASE("Import: a tree without Oem.Ofmf blocks imports with defaults and says so", "[redfish]") {
  auto f = test::mixed_fabric();
  REQUIRE(f);
  REQUIRE(test::decorate(*f));
  auto tree = redfish::render(*f);
  REQUIRE(tree);
  redfish::Tree bare;
  for (const auto& [uri, j] : *tree) {
    auto copy = j;
    copy.erase("Oem");
    bare.insert_or_assign(uri, std::move(copy));
  }
  std::vector<std::string> notes;
  redfish::ImportOptions opt;
  opt.notes = &notes;
  auto back = redfish::import_tree(bare, opt);
  INFO((back ? std::string() : back.error().message));
  REQUIRE(back);
  CHECK(back->node_count() == f->node_count());
  CHECK(back->link_count() == f->link_count());
  CHECK(back->partitions().size() == f->partitions().size());
  // Port GUIDs come from the endpoints' Ids.
  CHECK(back->find_port(0x0002c90300000a12).has_value());
  REQUIRE_FALSE(notes.empty());
  CHECK(notes.front().find(": Oem.Ofmf") != std::string::npos);
}

TEST_CASE("Import: ImportOptions::fabric_id chooses among several fabrics", "[redfish]") {
  auto f = test::mixed_fabric();
  REQUIRE(f);
  redfish::ExportOptions a;
  a.fabric_id = "A";
  redfish::ExportOptions b;
  b.fabric_id = "B";
  auto ta = redfish::render(*f, a);
  auto tb = redfish::render(model::Fabric{}, b);
  REQUIRE(ta);
  REQUIRE(tb);
  // Tree B's fabric only; keep A's chassis (shared) and list both fabrics.
  redfish::Tree both = *ta;
  for (const auto& [uri, j] : tb->subtree("/redfish/v1/Fabrics/B")) both.insert_or_assign(uri, j);
  auto fabrics = *both.find("/redfish/v1/Fabrics");
  fabrics["Members"].push_back({{"@odata.id", "/redfish/v1/Fabrics/B"}});
  fabrics["Members@odata.count"] = 2;
  both.insert_or_assign("/redfish/v1/Fabrics", fabrics);

  auto none = redfish::import_tree(both);
  REQUIRE_FALSE(none);
  CHECK(none.error().code == errc::invalid_argument);
  CHECK(none.error().message == "/redfish/v1/Fabrics: Members: 2 fabrics; ImportOptions::fabric_id must choose one");
  redfish::ImportOptions opt;
  opt.fabric_id = "A";
  auto got = redfish::import_tree(both, opt);
  REQUIRE(got);
  CHECK(model::same_fabric(*f, *got));
  opt.fabric_id = "C";
  auto missing = redfish::import_tree(both, opt);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message == "/redfish/v1/Fabrics: Members: no fabric 'C'");
}
