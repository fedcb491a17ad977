// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "fabrics.hpp"
#include "ofmf/routing/analysis.hpp"
#include "ofmf/routing/engine.hpp"
#include "ofmf/topology/generators.hpp"

using namespace routing_test;
using ofmf::errc;
namespace routing = ofmf::routing;
namespace topo = ofmf::topology;

namespace {

ofmf::Result<routing::RouteTable> dfsssp(const TopologyView& v, routing::Options o = {}) {
  auto e = routing::EngineRegistry::builtin().create("dfsssp");
  REQUIRE(e);
  return (*e)->compute(v, o);
}

/// Checks a dfsssp table with the analysis only (never the engine's word).
routing::Analysis check(const TopologyView& v, const routing::RouteTable& t, unsigned max_vls) {
  CHECK(t.engine() == "dfsssp");
  CHECK(t.has_sl());
  CHECK(t.has_sl2vl());
  const auto a = routing::analyze(v, t).value();
  CHECK(a.endpoint_ports > 0);
  CHECK(a.unreachable == 0);
  CHECK(a.loops == 0);
  CHECK(a.complete());
  CHECK(a.non_minimal == 0);
  CHECK(a.max_extra_hops == 0);
  CHECK(a.cdg_acyclic);
  CHECK(a.vls_with_cycle.empty());
  CHECK(a.vls_used >= 1);
  CHECK(a.vls_used <= max_vls);
  return a;
}

Fabric must(ofmf::Result<Fabric> f) {
  if (!f) FAIL(f.error().message);
  return std::move(f).value();
}

/// Complete graph of n switches, `cas` endpoints each.
Fabric complete_graph(unsigned n, unsigned cas) {
  Fabric f;
  std::vector<NodeId> sw;
  for (unsigned i = 0; i < n; ++i) sw.push_back(add_switch(f, 0x4000 + i, n - 1 + cas));
  for (unsigned i = 0; i < n; ++i)
    for (unsigned j = i + 1; j < n; ++j) link(f, sw[i], PortNum(j), sw[j], PortNum(i + 1));
  for (unsigned i = 0; i < n; ++i)
    for (unsigned c = 0; c < cas; ++c) link(f, sw[i], PortNum(n + c), add_ca(f, 0x400000 + 256 * i + 2 * c), 1);
  return f;
}

bool same_tables(const routing::RouteTable& a, const routing::RouteTable& b, const TopologyView& v) {
  if (a.lid_space() != b.lid_space() || a.switch_count() != b.switch_count()) return false;
  for (std::uint32_t s = 0; s < a.switch_count(); ++s) {
    const auto la = a.lft(s), lb = b.lft(s);
    if (!std::equal(la.begin(), la.end(), lb.begin())) return false;
    for (std::uint32_t lid = 0; lid < a.lid_space(); ++lid)
      if (a.switch_path_sl(s, lid) != b.switch_path_sl(s, lid)) return false;
    const auto np = v.ports(s).size();
    for (std::size_t in = 0; in < np; ++in)
      for (std::size_t out = 0; out < np; ++out)
        for (std::uint8_t sl = 0; sl < 16; ++sl)
          if (a.vl(s, PortNum(in), PortNum(out), sl) != b.vl(s, PortNum(in), PortNum(out), sl)) return false;
  }
  return true;
}

} // namespace

TEST_CASE("Dfsssp: complete, minimal, deadlock-free on small and generated topologies", "[routing]") {
  struct Named {
    std::string name;
    Fabric fabric;
  };
  std::vector<Named> cases;
  cases.push_back({"ring of 6", ring(6, 1)});
  cases.push_back({"ring of 5, 2 endpoints", ring(5, 2)});
  cases.push_back({"line of 4", ring(4, 2, true)});
  cases.push_back({"two-level 3x4", two_level(3, 4, 2)});
  cases.push_back({"complete K5", complete_graph(5, 2)});
  cases.push_back({"4-ary 3-tree", must(topo::generate_kary_ntree({4, 3}))});
  cases.push_back({"torus 4x3", must(topo::generate_torus({{4, 3}, true, 2}))});
  cases.push_back({"torus 4x4x3", must(topo::generate_torus({{4, 4, 3}, true, 1}))});
  cases.push_back({"mesh 3x3x2", must(topo::generate_torus({{3, 3, 2}, false, 1}))});
  cases.push_back({"dragonfly a4 p2 h2", must(topo::generate_dragonfly({4, 2, 2, 0}))});
  cases.push_back({"hyperx 3x3x2", must(topo::generate_hyperx({{3, 3, 2}, 1, 2}))});
  cases.push_back({"random regular 20x4", must(topo::generate_random_regular({20, 4, 2, 7}))});
  for (auto& [name, f] : cases) {
    INFO(name);
    auto v = f.snapshot();
    for (std::uint8_t lmc : {0, 1}) {
      INFO("lmc " << int(lmc));
      routing::Options o;
      o.lmc = lmc;
      auto t = dfsssp(*v, o);
      if (!t) FAIL(t.error().message);
      const auto a = check(*v, *t, o.max_vls);
      CHECK(a.pairs == a.endpoint_ports * (a.endpoint_ports - 1) * (1u << lmc));
    }
  }
}

TEST_CASE("Dfsssp: rings need a second VL and get it", "[routing]") {
  Fabric f = ring(6, 1);
  auto v = f.snapshot();
  // Minimal routes around a ring close a dependency cycle on one VL.
  auto minhop = (*routing::EngineRegistry::builtin().create("minhop"))->compute(*v, {});
  REQUIRE(minhop);
  REQUIRE_FALSE(routing::analyze(*v, *minhop).value().cdg_acyclic);
  auto t = dfsssp(*v);
  REQUIRE(t);
  const auto a = check(*v, *t, 8);
  CHECK(a.vls_used == 2);
  // SL2VL is the identity on the SLs used.
  for (std::uint8_t sl = 0; sl < 8; ++sl) CHECK(t->vl(0, 1, 2, sl) == sl);
}

TEST_CASE("Dfsssp: SLs come per source switch and destination LID", "[routing]") {
  Fabric f = ring(5, 2);
  auto v = f.snapshot();
  auto t = dfsssp(*v);
  REQUIRE(t);
  for (std::uint32_t lid = 1; lid <= t->max_lid(); ++lid) {
    const std::uint32_t sw = t->ingress_switch(lid);
    REQUIRE(sw != TopologyView::npos);
    for (std::uint32_t dlid = 1; dlid <= t->max_lid(); ++dlid) CHECK(t->path_sl(lid, dlid) == t->switch_path_sl(sw, dlid));
  }
}

TEST_CASE("Dfsssp: 6x6x6 torus with 2 endpoints per switch fits in 8 VLs", "[routing]") {
  Fabric f = must(topo::generate_torus({{6, 6, 6}, true, 2}));
  auto v = f.snapshot();
  routing::Options o;
  o.max_vls = 8;
  auto t = dfsssp(*v, o);
  if (!t) FAIL(t.error().message);
  const auto a = check(*v, *t, 8);
  CHECK(a.vls_used > 1);
}

TEST_CASE("Dfsssp: random regular 256 switches of degree 8 fits in 8 VLs", "[routing]") {
  Fabric f = must(topo::generate_random_regular({256, 8, 2, 1}));
  auto v = f.snapshot();
  routing::Options o;
  o.max_vls = 8;
  auto t = dfsssp(*v, o);
  if (!t) FAIL(t.error().message);
  const auto a = check(*v, *t, 8);
  CHECK(a.vls_used > 1);
}

TEST_CASE("Dfsssp: spreads the sources of each destination over a fat tree's links", "[routing]") {
  // All-to-all on a k-ary 3-tree: a leaf switch sends k * (k^3 - k) routes
  // over its k up-links, so no routing has a maximum link load below
  // k^3 - k (the ftree engine reaches it). One tree per destination that
  // sends every source over the same lightest link ends far above it.
  for (unsigned k : {6u, 8u}) {
    INFO("k " << k);
    Fabric f = must(topo::generate_kary_ntree({k, 3}));
    auto v = f.snapshot();
    auto t = dfsssp(*v);
    if (!t) FAIL(t.error().message);
    const auto a = check(*v, *t, 8);
    const std::uint64_t bound = std::uint64_t(k) * k * k - k;
    CHECK(a.max_load >= bound);
    CHECK(a.max_load <= bound + bound / 20);  // within 5% of the bound
  }
}

TEST_CASE("Dfsssp: too small a VL budget is an error and the chain falls back", "[routing]") {
  Fabric f = ring(6, 1);
  auto v = f.snapshot();
  routing::Options o;
  o.max_vls = 1;
  auto t = dfsssp(*v, o);
  REQUIRE_FALSE(t);
  CHECK(t.error().code == errc::limit_exceeded);
  CHECK(t.error().message.find("needs 2 VLs, budget 1") != std::string::npos);

  auto c = routing::compute_chain(routing::EngineRegistry::builtin(), "dfsssp,minhop", *v, o);
  REQUIRE(c);
  CHECK(c->engine() == "minhop");
  REQUIRE(c->skipped().size() == 1);
  CHECK(c->skipped()[0].engine == "dfsssp");
  CHECK(c->skipped()[0].error.code == errc::limit_exceeded);

  o.allow_fallback = false;
  auto n = routing::compute_chain(routing::EngineRegistry::builtin(), "dfsssp,minhop", *v, o);
  REQUIRE_FALSE(n);
  CHECK(n.error().code == errc::limit_exceeded);

  o.max_vls = 0;
  auto z = dfsssp(*v, o);
  REQUIRE_FALSE(z);
  CHECK(z.error().code == errc::invalid_argument);
  // A line needs no second VL: budget 1 is enough.
  Fabric line = ring(4, 1, true);
  auto lv = line.snapshot();
  o.max_vls = 1;
  auto l = dfsssp(*lv, o);
  REQUIRE(l);
  CHECK(check(*lv, *l, 1).vls_used == 1);
}

TEST_CASE("Dfsssp: results do not depend on the thread count", "[routing]") {
  for (auto spec : {topo::RandomRegularSpec{40, 5, 2, 3}, topo::RandomRegularSpec{24, 3, 1, 9}}) {
    Fabric f = must(topo::generate_random_regular(spec));
    auto v = f.snapshot();
    routing::Options o;
    o.threads = 1;
    auto one = dfsssp(*v, o);
    REQUIRE(one);
    for (unsigned threads : {2u, 3u, 0u}) {
      INFO("threads " << threads);
      o.threads = threads;
      auto other = dfsssp(*v, o);
      REQUIRE(other);
      CHECK(same_tables(*one, *other, *v));
    }
  }
}

TEST_CASE("Dfsssp: assign_vls makes another engine's table deadlock-free", "[routing]") {
  Fabric f = must(topo::generate_torus({{5, 4}, true, 1}));
  auto v = f.snapshot();
  const auto reg = routing::EngineRegistry::builtin();
  auto t = (*reg.create("minhop"))->compute(*v, {});
  REQUIRE(t);
  REQUIRE_FALSE(routing::analyze(*v, *t).value().cdg_acyclic);
  auto engine = reg.create("dfsssp");
  REQUIRE(engine);
  REQUIRE((*engine)->assign_vls(*v, {}, *t));
  const auto a = routing::analyze(*v, *t).value();
  CHECK(a.complete());
  CHECK(a.cdg_acyclic);
  CHECK(a.vls_used >= 2);
  CHECK(a.vls_used <= 8);

  SECTION("a table that loops is refused") {
    auto bad = (*reg.create("minhop"))->compute(*v, {});
    REQUIRE(bad);
    const routing::Lid dst = bad->base_lid(v->switch_count(), 1);  // first endpoint, on switch 0
    // Switches 1 and 2 send it to each other.
    for (const auto& e : v->edges(1))
      if (e.target == 2) bad->set_out_port(1, dst, e.local_port);
    for (const auto& e : v->edges(2))
      if (e.target == 1) bad->set_out_port(2, dst, e.local_port);
    auto r = (*engine)->assign_vls(*v, {}, *bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::inconsistent);
    CHECK_FALSE(bad->has_sl());
  }
  SECTION("a table of another fabric is refused") {
    routing::RouteTable empty;
    auto r = (*engine)->assign_vls(*v, {}, empty);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::inconsistent);
  }
}
