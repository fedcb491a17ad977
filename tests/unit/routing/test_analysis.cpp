// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "fabrics.hpp"
#include "ofmf/routing/analysis.hpp"
#include "ofmf/routing/engine.hpp"
#include "ofmf/routing/incremental.hpp"
#include "ofmf/routing/lft_dump.hpp"

using namespace routing_test;
namespace routing = ofmf::routing;

namespace {

routing::RouteTable minhop(const TopologyView& v) {
  auto t = (*routing::EngineRegistry::builtin().create("minhop"))->compute(v, {});
  REQUIRE(t);
  return std::move(t).value();
}

std::uint64_t edge_index(const TopologyView& v, std::uint32_t node, PortNum port) {
  const auto es = v.edges(node);
  for (std::size_t k = 0; k < es.size(); ++k)
    if (es[k].local_port == port) return v.edge_offset()[node] + k;
  FAIL("no edge on port " << int(port));
  return 0;
}

} // namespace

TEST_CASE("Analysis: link load of all-to-all traffic on a line of two switches", "[routing]") {
  Fabric f = ring(2, 2, true);
  auto v = f.snapshot();
  const auto a = routing::analyze(*v, minhop(*v)).value();
  CHECK(a.endpoint_ports == 4);
  CHECK(a.pairs == 12);
  CHECK(a.complete());
  CHECK(a.cdg_acyclic);
  REQUIRE(a.link_load.size() == v->all_edges().size());
  // 2 sources x 2 destinations cross the inter-switch link each way.
  CHECK(a.link_load[edge_index(*v, 0, 1)] == 4);
  CHECK(a.link_load[edge_index(*v, 1, 2)] == 4);
  CHECK(a.max_load == 4);
  CHECK(a.mean_load == Approx(4.0));
  CHECK(a.stddev_load == Approx(0.0));
  // Every endpoint sends to and receives from 3 others.
  for (std::uint32_t i = v->switch_count(); i < v->node_count(); ++i) {
    CHECK(a.link_load[edge_index(*v, i, 1)] == 3);
    const auto& p = v->ports(i)[1];
    CHECK(a.link_load[edge_index(*v, p.peer, p.peer_port)] == 3);
  }
}

TEST_CASE("Analysis: broken tables are caught", "[routing]") {
  Fabric f = ring(3, 1, true);  // s0 - s1 - s2, one endpoint each
  auto v = f.snapshot();
  auto t = minhop(*v);
  REQUIRE(routing::analyze(*v, t).value().complete());
  const std::uint32_t ca2 = v->find(Guid{0x100200});
  const routing::Lid dst = t.base_lid(ca2, 1);

  SECTION("a missing entry") {
    t.set_out_port(1, dst, routing::no_route);
    const auto a = routing::analyze(*v, t).value();
    CHECK_FALSE(a.complete());
    CHECK(a.loops == 0);
    CHECK(a.unreachable == 2);  // from the endpoints on s0 and s1
    REQUIRE(a.unreachable_examples.size() == 2);
    CHECK(a.unreachable_examples[0] ==
          routing::LidPair{t.base_lid(v->find(Guid{0x100000}), 1), dst});
    CHECK(a.unreachable_examples[1].destination == dst);
  }
  SECTION("a loop") {
    t.set_out_port(1, dst, 2);  // s1 sends it back to s0, s0 forwards to s1
    const auto a = routing::analyze(*v, t).value();
    CHECK(a.loops == 2);         // walks from s0 and s1
    CHECK(a.unreachable == 2);
    CHECK_FALSE(a.complete());
  }
  SECTION("delivery to the wrong endpoint") {
    t.set_out_port(2, dst, 2);  // s2 sends it to s1
    t.set_out_port(1, dst, 3);  // s1 delivers to its own endpoint instead
    const auto a = routing::analyze(*v, t).value();
    CHECK(a.unreachable == 2);
    CHECK(a.loops == 0);
  }
  SECTION("a switch delivering to itself a LID it does not own") {
    t.set_out_port(1, dst, 0);
    CHECK(routing::analyze(*v, t).value().unreachable == 2);
  }
  SECTION("a table for no fabric") {
    const auto a = routing::analyze(*v, routing::RouteTable{});
    REQUIRE_FALSE(a);
    CHECK(a.error().code == make_error_code(ofmf::errc::invalid_argument));
  }
}

TEST_CASE("Analysis: a table computed on another fabric is refused", "[routing]") {
  // Same switch count, other GUIDs and links: before tables carried their
  // view's identity, this analysed as 0 pairs and dumped mislabelled LFTs.
  Fabric f = ring(3, 1, true);
  Fabric g = ring(3, 2, true);
  auto vf = f.snapshot();
  auto vg = g.snapshot();
  REQUIRE(vf->switch_count() == vg->switch_count());
  CHECK(vf->fingerprint() != vg->fingerprint());
  const auto tg = minhop(*vg);
  CHECK(tg.view_fingerprint() == vg->fingerprint());
  const auto a = routing::analyze(*vf, tg);
  REQUIRE_FALSE(a);
  CHECK(a.error().code == make_error_code(ofmf::errc::invalid_argument));
  CHECK_THAT(a.error().message, Catch::Matchers::StartsWith("analyze: the route table was not computed on this view"));
  CHECK_THAT(a.error().message, Catch::Matchers::Contains(ofmf::model::format_guid(vg->fingerprint())));
  const auto d = routing::format_lft_dump(*vf, tg);
  REQUIRE_FALSE(d);
  CHECK(d.error().code == make_error_code(ofmf::errc::invalid_argument));
  CHECK_THAT(d.error().message, Catch::Matchers::StartsWith("format_lft_dump: "));
  auto s = routing::store_lids(f, *vf, tg);
  REQUIRE_FALSE(s);
  CHECK(s.error().code == make_error_code(ofmf::errc::invalid_argument));
  CHECK(routing::analyze(*vg, tg));
  CHECK(routing::format_lft_dump(*vg, tg));
}

TEST_CASE("Analysis: the view identity is structural", "[routing]") {
  Fabric f = two_level(2, 3, 2);
  auto v1 = f.snapshot();
  const auto t = minhop(*v1);
  SECTION("snapshots of the same fabric, of a copy, after the LIDs are stored") {
    CHECK(f.snapshot()->fingerprint() == v1->fingerprint());
    const Fabric copy = f;
    CHECK(copy.snapshot()->fingerprint() == v1->fingerprint());
    REQUIRE(routing::store_lids(f, *v1, t));
    auto v2 = f.snapshot();
    CHECK(v2->generation() != v1->generation());
    CHECK(v2->fingerprint() == v1->fingerprint());
    CHECK(routing::analyze(*v2, t).value().complete());
  }
  SECTION("a description changed: same structure") {
    REQUIRE(f.set_description(v1->node_id(0), "renamed"));
    CHECK(f.snapshot()->fingerprint() == v1->fingerprint());
  }
  SECTION("a link removed, a link moved, a node added: another fabric") {
    const auto id = v1->node_id(v1->switch_count());  // the first endpoint
    const auto peer = *f.peer({id, 1});
    REQUIRE(f.disconnect({id, 1}));
    const auto v2 = f.snapshot();
    CHECK(v2->fingerprint() != v1->fingerprint());
    CHECK_FALSE(routing::analyze(*v2, t));
    REQUIRE(f.connect({id, 1}, peer));
    CHECK(f.snapshot()->fingerprint() == v1->fingerprint());
    add_ca(f, Guid{0xabcdef});
    CHECK(f.snapshot()->fingerprint() != v1->fingerprint());
  }
}

TEST_CASE("Analysis: hops against the shortest path", "[routing]") {
  Fabric f = ring(4, 1);
  auto v = f.snapshot();
  auto t = minhop(*v);
  REQUIRE(routing::analyze(*v, t).value().non_minimal == 0);
  const routing::Lid dst = t.base_lid(v->find(Guid{0x100100}), 1);  // endpoint on s1
  // s0 -> s3 -> s2 -> s1 instead of s0 -> s1.
  t.set_out_port(0, dst, 2);
  t.set_out_port(3, dst, 2);
  t.set_out_port(2, dst, 2);
  const auto a = routing::analyze(*v, t).value();
  CHECK(a.complete());
  CHECK(a.non_minimal == 1);
  CHECK(a.max_extra_hops == 2);
  CHECK(a.max_stretch == Approx(5.0 / 3.0));
}

TEST_CASE("Analysis: per-VL dependency check with SLs", "[routing]") {
  Fabric f = ring(5, 1);
  auto v = f.snapshot();
  auto t = minhop(*v);
  REQUIRE_FALSE(routing::analyze(*v, t).value().cdg_acyclic);
  // Dateline between s4 and s0: paths crossing it use SL 1.
  const std::uint64_t e40 = edge_index(*v, 4, 1), e04 = edge_index(*v, 0, 2);
  t.enable_sl();
  t.enable_sl2vl(*v);
  for (std::uint32_t src = v->switch_count(); src < v->node_count(); ++src)
    for (std::uint32_t dn = v->switch_count(); dn < v->node_count(); ++dn) {
      if (src == dn) continue;
      const routing::Lid dl = t.base_lid(dn, 1);
      std::uint32_t cur = v->ports(src)[1].peer;
      bool crosses = false;
      for (int guard = 0; guard < 10 && cur != dn; ++guard) {
        const PortNum out = t.out_port(cur, dl);
        const std::uint64_t e = edge_index(*v, cur, out);
        crosses = crosses || e == e40 || e == e04;
        cur = v->ports(cur)[out].peer;
      }
      REQUIRE(cur == dn);
      // One endpoint per switch: the source switch's SL is this path's.
      t.set_switch_path_sl(v->ports(src)[1].peer, dl, crosses ? 1 : 0);
      REQUIRE(t.path_sl(t.base_lid(src, 1), dl) == (crosses ? 1 : 0));
    }
  SECTION("SL2VL still maps everything to VL 0: the cycle stays") {
    const auto a = routing::analyze(*v, t).value();
    CHECK_FALSE(a.cdg_acyclic);
    CHECK(a.vls_with_cycle == std::vector<std::uint8_t>{0});
    CHECK(a.vls_used == 1);
  }
  SECTION("SL 1 on VL 1 breaks it") {
    for (std::uint32_t s = 0; s < v->switch_count(); ++s)
      for (PortNum in = 0; in < v->ports(s).size(); ++in)
        for (PortNum out = 0; out < v->ports(s).size(); ++out) t.set_vl(s, in, out, 1, 1);
    const auto a = routing::analyze(*v, t).value();
    CHECK(a.complete());
    CHECK(a.cdg_acyclic);
    CHECK(a.vls_used == 2);
  }
}

TEST_CASE("Analysis: path diversity with LMC", "[routing]") {
  Fabric f = two_level(4, 3, 2);
  auto v = f.snapshot();
  for (std::uint8_t lmc : {0, 1, 2, 3}) {
    INFO("lmc " << int(lmc));
    routing::Options o;
    o.lmc = lmc;
    auto t = (*routing::EngineRegistry::builtin().create("minhop"))->compute(*v, o);
    REQUIRE(t);
    const auto a = routing::analyze(*v, *t).value();
    REQUIRE(a.complete());
    // 4 spines: up to 4 distinct leaf-to-leaf paths.
    const unsigned expect = std::min(1u << lmc, 4u);
    CHECK(a.min_distinct_paths == expect);
    CHECK(a.mean_distinct_paths == Approx(expect));
    if (lmc == 2) {
      // Force two LIDs of one endpoint onto the same spine from leaf 0.
      const std::uint32_t leaf0 = v->find(Guid{0x3000});
      const std::uint32_t ca = v->find(Guid{0x200010});
      const routing::Lid b = t->base_lid(ca, 1);
      t->set_out_port(leaf0, b + 1, t->out_port(leaf0, b));
      const auto c = routing::analyze(*v, *t).value();
      CHECK(c.complete());
      CHECK(c.min_distinct_paths == 3);
      CHECK(c.mean_distinct_paths < 4.0);
    }
  }
}
