// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>

#include "fabrics.hpp"
#include "ofmf/routing/analysis.hpp"
#include "ofmf/routing/engine.hpp"
#include "ofmf/topology/format.hpp"
#include "ofmf/topology/generators.hpp"

using namespace routing_test;
using ofmf::errc;
namespace routing = ofmf::routing;
namespace topo = ofmf::topology;

namespace {

routing::RouteTable run(const std::string& engine, const TopologyView& v, routing::Options o = {}) {
  auto e = routing::EngineRegistry::builtin().create(engine);
  REQUIRE(e);
  auto t = (*e)->compute(v, o);
  if (!t) FAIL(engine << ": " << t.error().message);
  CHECK(t->engine() == engine);
  return std::move(t).value();
}

struct Named {
  std::string name;
  Fabric fabric;
};

std::vector<Named> topologies() {
  std::vector<Named> out;
  out.push_back({"line of 4", ring(4, 2, true)});
  out.push_back({"ring of 6", ring(6, 1)});
  out.push_back({"two-level 3x4", two_level(3, 4, 3)});
  auto add = [&](std::string name, ofmf::Result<Fabric> f) {
    if (!f) FAIL(name << ": " << f.error().message);
    out.push_back({std::move(name), std::move(f).value()});
  };
  add("4-ary 3-tree", topo::generate_kary_ntree({4, 3}));
  add("fat tree radix 8, 3 levels", topo::generate_fat_tree({8, 3, 0}));
  add("torus 4x3", topo::generate_torus({{4, 3}, true, 2}));
  add("mesh 3x3x2", topo::generate_torus({{3, 3, 2}, false, 1}));
  add("dragonfly a4 p2 h2", topo::generate_dragonfly({4, 2, 2, 0}));
  add("hyperx 3x3", topo::generate_hyperx({{3, 3}, 1, 2}));
  add("random regular 20x4", topo::generate_random_regular({20, 4, 2, 7}));
  return out;
}

} // namespace

TEST_CASE("Minhop: complete, loop-free, minimal tables on every topology", "[routing]") {
  for (auto& [name, f] : topologies()) {
    INFO(name);
    auto v = f.snapshot();
    for (std::uint8_t lmc : {0, 2}) {
      INFO("lmc " << int(lmc));
      routing::Options o;
      o.lmc = lmc;
      const auto t = run("minhop", *v, o);
      const auto a = routing::analyze(*v, t).value();
      CHECK(a.endpoint_ports > 0);
      CHECK(a.pairs == a.endpoint_ports * (a.endpoint_ports - 1) * (1u << lmc));
      CHECK(a.unreachable == 0);
      CHECK(a.loops == 0);
      CHECK(a.complete());
      CHECK(a.non_minimal == 0);
      CHECK(a.max_extra_hops == 0);
    }
  }
}

TEST_CASE("Updn: complete, loop-free, deadlock-free tables on every topology", "[routing]") {
  for (auto& [name, f] : topologies()) {
    INFO(name);
    auto v = f.snapshot();
    routing::Options o;
    o.lmc = 1;
    const auto t = run("updn", *v, o);
    const auto a = routing::analyze(*v, t).value();
    CHECK(a.complete());
    CHECK(a.cdg_acyclic);
    CHECK(a.cdg_cycle.empty());
  }
}

TEST_CASE("Updn: minimal on trees", "[routing]") {
  auto f = topo::generate_kary_ntree({4, 3});
  REQUIRE(f);
  auto v = f->snapshot();
  const auto a = routing::analyze(*v, run("updn", *v)).value();
  CHECK(a.complete());
  CHECK(a.non_minimal == 0);
  // Balanced: on a k-ary n-tree every up link of a leaf carries the same load.
  for (const auto& r : {a, routing::analyze(*v, run("minhop", *v)).value()}) {
    for (std::uint32_t s = 0; s < v->switch_count(); ++s) {
      bool leaf = false;
      for (const Edge& e : v->edges(s)) leaf = leaf || e.target >= v->switch_count();
      if (!leaf) continue;
      std::set<std::uint64_t> loads;
      for (std::size_t k = 0; k < v->edges(s).size(); ++k)
        if (v->edges(s)[k].target < v->switch_count()) loads.insert(r.link_load[v->edge_offset()[s] + k]);
      CHECK(loads.size() == 1);
      CHECK(*loads.begin() > 0);
    }
  }
}

TEST_CASE("Minhop: a ring of 5 has a channel-dependency cycle, updn does not", "[routing]") {
  Fabric f = ring(5, 1);
  auto v = f.snapshot();
  const auto m = routing::analyze(*v, run("minhop", *v)).value();
  CHECK(m.complete());
  CHECK_FALSE(m.cdg_acyclic);
  REQUIRE(m.cdg_cycle.size() >= 5);
  // The reported cycle is a closed chain of switch-to-switch channels.
  const auto all = v->all_edges();
  for (std::size_t i = 0; i < m.cdg_cycle.size(); ++i) {
    const auto& c = m.cdg_cycle[i];
    const auto& n = m.cdg_cycle[(i + 1) % m.cdg_cycle.size()];
    CHECK(c.vl == 0);
    CHECK(all[c.edge].target < v->switch_count());
    // The next channel starts where this one ends.
    CHECK(n.edge >= v->edge_offset()[all[c.edge].target]);
    CHECK(n.edge < v->edge_offset()[all[c.edge].target + 1]);
  }
  CHECK(m.vls_with_cycle == std::vector<std::uint8_t>{0});
  const auto u = routing::analyze(*v, run("updn", *v)).value();
  CHECK(u.complete());
  CHECK(u.cdg_acyclic);
  CHECK(u.non_minimal > 0);  // the ring's up*/down* detour around the root
}

TEST_CASE("Minhop: identical tables for any thread count", "[routing]") {
  auto f = topo::generate_random_regular({40, 5, 3, 3});
  REQUIRE(f);
  auto v = f->snapshot();
  for (const char* engine : {"minhop", "updn"}) {
    INFO(engine);
    routing::Options o;
    o.lmc = 1;
    o.threads = 1;
    const auto ref = run(engine, *v, o);
    const auto ref_a = routing::analyze(*v, ref, {1, 8}).value();
    for (unsigned threads : {2u, 3u, 7u}) {
      o.threads = threads;
      const auto t = run(engine, *v, o);
      for (std::uint32_t s = 0; s < t.switch_count(); ++s) {
        REQUIRE(t.changed_blocks(ref)[s].empty());
      }
      const auto a = routing::analyze(*v, t, {threads, 8}).value();
      CHECK(a.link_load == ref_a.link_load);
      CHECK(a.stddev_load == ref_a.stddev_load);
      CHECK(a.cdg_cycle == ref_a.cdg_cycle);
    }
  }
}

TEST_CASE("Minhop: LMC spreads the LIDs of one port over several up ports", "[routing]") {
  Fabric f = two_level(4, 2, 1);
  auto v = f.snapshot();
  routing::Options o;
  o.lmc = 2;
  const auto t = run("minhop", *v, o);
  // The endpoint on leaf 1, seen from leaf 0: 4 LIDs over 4 spines.
  const auto leaf0 = v->find(Guid{0x3000});
  const auto ca = v->find(Guid{0x200010});
  const auto base = t.base_lid(ca, 1);
  std::set<unsigned> ports;
  for (unsigned k = 0; k < 4; ++k) ports.insert(t.out_port(leaf0, base + k));
  CHECK(ports.size() == 4);
}

TEST_CASE("Minhop: disconnected fabrics route each part, switches without endpoints are fine", "[routing]") {
  Fabric f = ring(3, 1, true);
  const NodeId lone = add_switch(f, 0x9000, 4);   // no endpoints, no links
  const NodeId island = add_switch(f, 0x9001, 4);
  link(f, island, 1, add_ca(f, 0x990000), 1);
  link(f, island, 2, add_ca(f, 0x990002), 1);
  auto v = f.snapshot();
  const auto t = run("minhop", *v);
  // Each switch routes its own LID to itself.
  for (std::uint32_t s = 0; s < v->switch_count(); ++s) CHECK(t.out_port(s, t.base_lid(s, 0)) == 0);
  CHECK(t.out_port(v->find(lone), t.base_lid(0, 0)) == routing::no_route);
  const auto a = routing::analyze(*v, t).value();
  CHECK(a.loops == 0);
  // 5 endpoints; the 2 on the island reach each other only: 3*2 + 2*3 pairs fail.
  CHECK(a.endpoint_ports == 5);
  CHECK(a.unreachable == 12);
  CHECK_FALSE(a.unreachable_examples.empty());
  CHECK(a.unreachable_examples.size() <= 8);
  SECTION("updn refuses") {
    auto e = routing::EngineRegistry::builtin().create("updn");
    REQUIRE(e);
    auto r = (*e)->compute(*v, {});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::invalid_argument);
    CHECK(r.error().message.find("not connected") != std::string::npos);
  }
}

TEST_CASE("Updn: roots from options, and errors for bad roots", "[routing]") {
  Fabric f = ring(6, 1);
  auto v = f.snapshot();
  routing::Options o;
  o.roots = {0x1003};
  const auto t = run("updn", *v, o);
  CHECK(routing::analyze(*v, t).value().cdg_acyclic);
  auto e = *routing::EngineRegistry::builtin().create("updn");
  o.roots = {0x424242};
  auto r = e->compute(*v, o);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::not_found);
  o.roots = {0x100000};  // an endpoint
  r = e->compute(*v, o);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::invalid_argument);
}

TEST_CASE("Updn: explicit roots that cannot connect every pair are refused", "[routing]") {
  // Line a - b - c with roots a and c: b ranks 1 and goes up to either; a
  // cannot reach c (a would have to go down to b then up to c).
  Fabric f = ring(3, 1, true);
  auto v = f.snapshot();
  routing::Options o;
  o.roots = {0x1000, 0x1002};
  auto r = (*routing::EngineRegistry::builtin().create("updn"))->compute(*v, o);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::invalid_argument);
  CHECK(r.error().message.find("no up*/down* path") != std::string::npos);
}

TEST_CASE("Minhop: no switches is an error", "[routing]") {
  Fabric f;
  link(f, add_ca(f, 0x10), 1, add_ca(f, 0x20), 1);
  auto v = f.snapshot();
  for (const char* name : {"minhop", "updn"}) {
    auto r = (*routing::EngineRegistry::builtin().create(name))->compute(*v, {});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::invalid_argument);
  }
}

TEST_CASE("Engines: every engine on every tests/data topology gives complete, loop-free tables", "[routing]") {
  const auto files = routing_test::fixture_files();
  for (const auto& p : files) {
    INFO(p.filename().string());
    auto f = topo::read_topology(p);
    if (!f) FAIL(f.error().message);
    auto v = f->snapshot();
    if (v->switch_count() == 0) continue;
    const auto registry = routing::EngineRegistry::builtin();
    for (const std::string& engine : registry.names()) {
      INFO(engine);
      routing::Options o;
      o.lmc = 1;
      auto e = registry.create(engine);
      REQUIRE(e);
      auto computed = (*e)->compute(*v, o);
      if (!computed) {
        // Engines for one topology class (ftree, dor) and the file engine
        // refuse other inputs; a refusal must say why and be not_supported
        // or invalid_argument, never anything else.
        CHECK((computed.error().code == ofmf::errc::not_supported ||
               computed.error().code == ofmf::errc::invalid_argument));
        CHECK((engine != "minhop" && engine != "updn" && engine != "dfsssp"));  // general engines route all
        CHECK_FALSE(computed.error().message.empty());
        continue;
      }
      const auto& t = *computed;
      const auto a = routing::analyze(*v, t).value();
      CHECK(a.complete());
      if (engine == "updn") CHECK(a.cdg_acyclic);
    }
  }
}
