// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include <catch2/catch.hpp>

#include <array>
#include <set>

#include "fabrics.hpp"
#include "ofmf/routing/route_table.hpp"

using namespace routing_test;
using ofmf::errc;
using ofmf::routing::Lid;
using ofmf::routing::RouteTable;
namespace routing = ofmf::routing;

TEST_CASE("RouteTable: LIDs are unique, switches get one, endpoints 2^lmc aligned", "[routing]") {
  Fabric f = ring(3, 2);
  auto v = f.snapshot();
  for (std::uint8_t lmc : {0, 1, 3}) {
    auto t = RouteTable::create(*v, lmc);
    REQUIRE(t);
    CHECK(t->lmc() == lmc);
    std::set<unsigned> seen;
    for (std::uint32_t i = 0; i < v->node_count(); ++i) {
      for (std::size_t p = 0; p < v->ports(i).size(); ++p) {
        const Lid b = t->base_lid(i, PortNum(p));
        const bool wants = v->is_switch(i) ? p == 0 : (p == 1);
        CHECK((b != 0) == wants);
        if (!b) continue;
        const unsigned count = t->lid_count(i, PortNum(p));
        CHECK(count == (v->is_switch(i) ? 1u : 1u << lmc));
        CHECK(b % count == 0);
        for (unsigned k = 0; k < count; ++k) {
          CHECK(seen.insert(b + k).second);
          CHECK(t->owner(b + k) == routing::LidOwner{i, PortNum(p)});
        }
      }
    }
    CHECK(t->max_lid() == *seen.rbegin());
    CHECK(t->lid_space() % routing::lft_block_size == 0);
    CHECK(t->lid_space() > t->max_lid());
    CHECK_FALSE(t->owner(0).valid());
    CHECK_FALSE(t->owner(0xFFFF).valid());
    for (std::uint32_t s = 0; s < t->switch_count(); ++s)
      for (std::uint8_t e : t->lft(s)) CHECK(e == routing::no_route);
  }
}

TEST_CASE("RouteTable: LIDs set on ports are kept; invalid ones reassigned", "[routing]") {
  Fabric f = ring(2, 2);
  const NodeId sw1 = *f.find(0x1001);
  const NodeId ca_a = *f.find(0x100000);  // switch 0, first endpoint
  const NodeId ca_b = *f.find(0x100002);  // switch 0, second endpoint
  const NodeId ca_c = *f.find(0x100100);  // switch 1, first endpoint
  auto set_lid = [&](PortRef p, std::uint16_t lid) {
    PortAttributes a = f.port(p)->attributes;
    a.lid = lid;
    REQUIRE(f.set_port(p, a));
  };
  set_lid({sw1, 0}, 77);
  set_lid({ca_a, 1}, 40);   // aligned for lmc 2
  set_lid({ca_b, 1}, 41);   // not aligned for lmc 2: reassigned
  set_lid({ca_c, 1}, 40);   // collides with ca_a: reassigned
  auto v = f.snapshot();
  auto t = RouteTable::create(*v, 2);
  REQUIRE(t);
  CHECK(t->base_lid(v->find(sw1), 0) == 77);
  CHECK(t->base_lid(v->find(ca_a), 1) == 40);
  const Lid b = t->base_lid(v->find(ca_b), 1);
  const Lid c = t->base_lid(v->find(ca_c), 1);
  CHECK(b % 4 == 0);
  CHECK(c % 4 == 0);
  CHECK(b != 40);
  CHECK(c != 40);
  CHECK(b != c);
  CHECK(t->owner(41) == routing::LidOwner{v->find(ca_a), 1});
  // Switch 0 had no LID: it got the lowest free one.
  CHECK(t->base_lid(v->find(*f.find(0x1000)), 0) == 1);

  SECTION("with lmc 0 the unaligned LID is kept") {
    auto t0 = RouteTable::create(*v, 0);
    REQUIRE(t0);
    CHECK(t0->base_lid(v->find(ca_b), 1) == 41);
  }
}

TEST_CASE("RouteTable: bad lmc and exhausted LID space are errors", "[routing]") {
  Fabric f = ring(2, 1);
  auto v = f.snapshot();
  auto bad = RouteTable::create(*v, 8);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == errc::invalid_argument);

  Fabric big;
  const NodeId s = add_switch(big, 0x1, 254);
  for (unsigned i = 0; i < 200; ++i) link(big, s, PortNum(i + 1), add_ca(big, 0x1000 + 2 * i), 1);
  auto vb = big.snapshot();
  REQUIRE(RouteTable::create(*vb, 7));  // 200 * 128 = 25,600 LIDs fit
  Fabric huge = big;
  const NodeId s2 = add_switch(huge, 0x2, 254);
  link(huge, s, 254, s2, 254);
  for (unsigned i = 0; i < 200; ++i) link(huge, s2, PortNum(i + 1), add_ca(huge, 0x9000 + 2 * i), 1);
  auto vh = huge.snapshot();
  auto over = RouteTable::create(*vh, 7);  // 51,200 endpoint LIDs do not fit in 49,151
  REQUIRE_FALSE(over);
  CHECK(over.error().code == errc::limit_exceeded);
}

TEST_CASE("RouteTable: blocks and changed_blocks", "[routing]") {
  Fabric f = ring(3, 30);  // 93 LIDs: two blocks
  auto v = f.snapshot();
  auto a = RouteTable::create(*v, 0);
  REQUIRE(a);
  REQUIRE(a->block_count() == 2);
  RouteTable b = *a;
  for (std::uint32_t s = 0; s < 3; ++s) CHECK(b.changed_blocks(*a)[s].empty());
  b.set_out_port(1, 70, 3);
  CHECK(b.lft_block(1, 1)[70 - 64] == 3);
  CHECK(b.out_port(1, 70) == 3);
  auto ch = b.changed_blocks(*a);
  REQUIRE(ch.size() == 3);
  CHECK(ch[0].empty());
  CHECK(ch[1] == std::vector<std::uint32_t>{1});
  CHECK(ch[2].empty());
  b.set_out_port(1, 5, 4);
  CHECK(b.changed_blocks(*a)[1] == std::vector<std::uint32_t>{0, 1});
  // A switch unknown to the old table: every block.
  CHECK(b.changed_blocks(RouteTable{})[0] == std::vector<std::uint32_t>{0, 1});
  // Out of range writes are ignored.
  b.set_out_port(9, 5, 4);
  b.set_out_port(0, 100000, 4);
  CHECK(b.out_port(0, 100000) == routing::no_route);
}

TEST_CASE("RouteTable: SL and SL2VL are empty unless enabled", "[routing]") {
  Fabric f = ring(3, 2);
  auto v = f.snapshot();
  auto t = RouteTable::create(*v, 1);
  REQUIRE(t);
  CHECK_FALSE(t->has_sl());
  CHECK_FALSE(t->has_sl2vl());
  const std::uint32_t s1 = v->find(Guid{0x1001});
  const std::uint32_t ca_a = v->find(Guid{0x100100});  // on switch 1
  const std::uint32_t ca_b = v->find(Guid{0x100102});  // on switch 1
  const std::uint32_t ca_c = v->find(Guid{0x100200});  // on switch 2
  const Lid a = t->base_lid(ca_a, 1), b = t->base_lid(ca_b, 1), c = t->base_lid(ca_c, 1);
  // Ingress switches: the switch itself, or the one an endpoint is linked to.
  CHECK(t->ingress_switch(t->base_lid(s1, 0)) == s1);
  CHECK(t->ingress_switch(a) == s1);
  CHECK(t->ingress_switch(a + 1) == s1);  // second LID of the port (lmc 1)
  CHECK(t->ingress_switch(c) == v->find(Guid{0x1002}));
  CHECK(t->ingress_switch(0) == TopologyView::npos);
  CHECK(t->ingress_switch(t->max_lid() + 1) == TopologyView::npos);

  t->set_switch_path_sl(s1, c, 3);
  CHECK(t->switch_path_sl(s1, c) == 0);
  CHECK(t->path_sl(a, c) == 0);
  t->enable_sl();
  REQUIRE(t->has_sl());
  t->set_switch_path_sl(s1, c, 3);
  CHECK(t->switch_path_sl(s1, c) == 3);
  // Every source on switch 1 (and the switch itself) shares the SL.
  CHECK(t->path_sl(a, c) == 3);
  CHECK(t->path_sl(b, c) == 3);
  CHECK(t->path_sl(a + 1, c) == 3);
  CHECK(t->path_sl(t->base_lid(s1, 0), c) == 3);
  CHECK(t->path_sl(c, a) == 0);
  CHECK(t->path_sl(a, c + 1) == 0);  // another destination LID
  // Out of range: ignored, reads 0.
  t->set_switch_path_sl(s1, c, 16);
  CHECK(t->switch_path_sl(s1, c) == 3);
  t->set_switch_path_sl(9, c, 2);
  CHECK(t->switch_path_sl(9, c) == 0);
  CHECK(t->switch_path_sl(s1, 100000) == 0);
  CHECK(t->path_sl(0, c) == 0);
  // Storage is per (switch, LID), not per LID pair.
  CHECK(t->memory_bytes() < RouteTable::create(*v, 1)->memory_bytes() + t->switch_count() * t->lid_space() +
                                std::size_t(t->lid_space()));

  t->enable_sl2vl(*v);
  REQUIRE(t->has_sl2vl());
  t->set_vl(1, 3, 1, 3, 2);
  CHECK(t->vl(1, 3, 1, 3) == 2);
  CHECK(t->vl(1, 1, 3, 3) == 0);
  CHECK(t->vl(1, 9, 1, 3) == 0);  // port out of range
  std::array<std::uint8_t, 16> map{};
  for (std::uint8_t sl = 0; sl < 16; ++sl) map[sl] = std::uint8_t(sl % 8);
  map[9] = 15;  // ignored: SL 9 keeps its VL
  t->fill_sl2vl(map);
  CHECK(t->vl(0, 1, 2, 5) == 5);
  CHECK(t->vl(2, 4, 1, 12) == 4);
  CHECK(t->vl(1, 3, 1, 9) == 0);
  t->set_vl(1, 3, 1, 9, 6);
  map[9] = 1;
  map[3] = 200;  // ignored
  t->fill_sl2vl(map);
  CHECK(t->vl(1, 3, 1, 9) == 1);
  CHECK(t->vl(1, 3, 1, 3) == 3);  // from the first fill
  CHECK(t->vl(0, 1, 2, 3) == 3);
}
