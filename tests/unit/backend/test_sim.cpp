// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "ofmf/backend/backend.hpp"
#include "ofmf/model/topology_view.hpp"
#include "ofmf/routing/engine.hpp"
#include "ofmf/routing/incremental.hpp"
#include "ofmf/topology/format.hpp"

using namespace ofmf;

namespace {
const std::string fixture = std::string(OFMF_TEST_DATA_DIR) + "/ibsim-2sw2path4hca.ibnd";
}

TEST_CASE("Backend registry: the sim backend is always built, unknown names are refused", "[backend]") {
  const auto names = backend::builtin_backends();
  CHECK(std::find(names.begin(), names.end(), "sim") != names.end());
  auto sim = backend::make_backend("sim");
  REQUIRE(sim);
  CHECK((*sim)->name() == "sim");
  auto none = backend::make_backend("nosuch");
  REQUIRE_FALSE(none);
  CHECK(none.error().code == errc::not_found);
  CHECK_THAT(none.error().message, Catch::Contains("sim"));
}

TEST_CASE("Sim backend: open checks its configuration", "[backend]") {
  auto sim = *backend::make_backend("sim");
  backend::Config c;
  CHECK(sim->open(c).error().code == errc::invalid_argument);
  c.device = "/nonexistent/fabric.ibnd";
  CHECK(sim->open(c).error().code == errc::unavailable);
  c.device = fixture;
  c.options["colour"] = "blue";
  auto r = sim->open(c);
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error().message, Catch::Contains("colour"));
  c.options = {{"format", "yaml"}};
  CHECK(sim->open(c).error().code == errc::invalid_argument);
}

TEST_CASE("Sim backend: discover, route, apply all, apply a delta, LIDs survive a resweep", "[backend]") {
  auto sim = *backend::make_backend("sim");
  backend::Config c;
  c.device = fixture;
  auto session = sim->open(c);
  REQUIRE(session);
  auto found = (*session)->discover();
  REQUIRE(found);
  const auto expected = topology::read_topology(fixture);
  REQUIRE(expected);
  CHECK(model::same_topology(found->fabric, *expected));

  model::Fabric& fabric = found->fabric;
  auto engine = routing::EngineRegistry::builtin().create("minhop");
  REQUIRE(engine);
  const auto view = fabric.snapshot();
  auto table = (*engine)->compute(*view, {});
  REQUIRE(table);
  auto report = (*session)->apply(fabric, *table);
  REQUIRE(report);
  CHECK(report->problems.empty());
  CHECK(report->lft_blocks == table->switch_count() * table->block_count());
  CHECK(report->verified == table->switch_count());

  SECTION("only the changed blocks are programmed; a wrong delta is caught by verification") {
    routing::RouteTable changed = *table;
    const routing::Lid lid = changed.max_lid();
    changed.set_out_port(0, lid, changed.out_port(0, lid) == 1 ? 2 : 1);
    const auto delta = routing::lft_delta(changed, *table);
    REQUIRE(delta.size() == 1);
    REQUIRE(delta[0].blocks.size() == 1);
    auto r = (*session)->apply(fabric, changed, {.only = delta, .assign_lids = false});
    REQUIRE(r);
    CHECK(r->lft_blocks == 1);
    CHECK(r->problems.empty());

    // Back to the old table, but naming the other switch's block.
    REQUIRE(table->switch_count() == 2);
    std::vector<routing::SwitchBlocks> wrong = delta;
    wrong[0].index = 1 - delta[0].index;
    wrong[0].guid = table->switch_guid(wrong[0].index);
    const auto right = table->lft_block(wrong[0].index, wrong[0].blocks[0].block);
    std::copy(right.begin(), right.end(), wrong[0].blocks[0].ports.begin());
    auto stale = (*session)->apply(fabric, *table, {.only = wrong, .assign_lids = false});
    REQUIRE(stale);
    REQUIRE(stale->problems.size() == 1);
    CHECK_THAT(stale->problems[0].where, Catch::Contains(model::format_guid(delta[0].guid)));
  }
  SECTION("programmed LIDs show in the next discovery") {
    auto again = (*session)->discover();
    REQUIRE(again);
    const auto v2 = again->fabric.snapshot();
    for (std::uint32_t n = 0; n < v2->node_count(); ++n)
      if (v2->is_switch(n)) CHECK(v2->ports(n)[0].attributes.lid != 0);
  }
}
