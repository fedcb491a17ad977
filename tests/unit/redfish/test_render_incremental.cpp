// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Renderer: after each model change, refresh() re-renders only what the
// change touched, and the kept tree equals a full render.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "import_fixtures.hpp"
#include "ofmf/redfish/render.hpp"
#include "ofmf/topology/generators.hpp"
#include "render_fixture.hpp"

using namespace ofmf;

namespace {

/// Tree of the Renderer equals a full render of the fabric.
void check_in_step(const redfish::Renderer& r, const model::Fabric& f) {
  auto full = redfish::render(f, r.options());
  REQUIRE(full);
  if (r.tree() == *full) return;
  // Name the first difference.
  for (const auto& [uri, j] : *full) {
    const auto* k = r.tree().find(uri);
    INFO(uri);
    REQUIRE(k);
    CHECK(*k == j);
  }
  for (const auto& [uri, j] : r.tree()) {
    INFO("stale " << uri);
    CHECK(full->contains(uri));
  }
  FAIL("trees differ");
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

} // namespace

TEST_CASE("Renderer: a port state change re-renders O(1) resources", "[redfish]") {
  for (unsigned k : {4u, 8u}) {
    DYNAMIC_SECTION("k-ary-n-tree k=" << k << " n=3") {
      auto f = topology::generate_kary_ntree({k, 3});
      REQUIRE(f);
      REQUIRE(test::decorate(*f));
      auto r = redfish::Renderer::create(*f);
      REQUIRE(r);
      CHECK(r->pending() == 0);
      CHECK(r->refresh().rendered.empty());

      // An adapter port goes down.
      model::NodeId ca;
      for (auto id : f->nodes())
        if (f->type(id) == model::NodeType::ChannelAdapter) ca = id;
      auto port = f->port({ca, 1});
      REQUIRE(port);
      auto a = port->attributes;
      a.state = model::PortState::Down;
      a.phys_state = model::PhysState::Polling;
      REQUIRE(f->set_port({ca, 1}, a));
      CHECK(r->pending() == 1);
      auto res = r->refresh();
      INFO(res.rendered.size());
      // The port, its endpoint (unchanged: LID and links are the same) and
      // the fabric (its generation): independent of the fabric's size.
      CHECK(res.rendered.size() <= 3);
      CHECK(res.removed.empty());
      auto ca_node = f->node(ca);
      REQUIRE(ca_node);
      std::string sys = "0x" + std::string();  // not used
      bool port_seen = false;
      for (const auto& u : res.rendered)
        if (u.find("/FabricAdapters/") != std::string::npos && u.size() > 8 && u.substr(u.size() - 8) == "/Ports/1")
          port_seen = true;
      CHECK(port_seen);
      check_in_step(*r, *f);
      CHECK(r->refresh().rendered.empty());  // nothing pending
    }
  }
}

TEST_CASE("Renderer: the kept tree follows every kind of change", "[redfish]") {
  auto f = test::small_fabric();
  auto r = redfish::Renderer::create(f);
  REQUIRE(r);
  const std::string F = "/redfish/v1/Fabrics/IB";
  auto sw1 = *f.find(test::sw1_guid);
  auto sw2 = *f.find(test::sw2_guid);
  auto a = *f.find(test::ca_a_guid);
  auto b = *f.find(test::ca_b_guid);

  SECTION("LID changes: the address pool only when its content changes") {
    auto p = f.port({b, 1});
    auto at = p->attributes;
    at.lid = 40;  // another LID: the pool lists the same endpoints, same count
    REQUIRE(f.set_port({b, 1}, at));
    auto res = r->refresh();
    CHECK(contains(res.rendered, F + "/Endpoints/0002c90300000021"));
    CHECK_FALSE(contains(res.rendered, F + "/AddressPools/LIDs"));
    check_in_step(*r, f);
    at.lid = 0;  // unassigned: leaves the pool
    REQUIRE(f.set_port({b, 1}, at));
    res = r->refresh();
    CHECK(contains(res.rendered, F + "/AddressPools/LIDs"));
    check_in_step(*r, f);
    at.lid = 41;
    at.lmc = 2;
    REQUIRE(f.set_port({b, 1}, at));
    res = r->refresh();
    CHECK(contains(res.rendered, F + "/AddressPools/LIDs"));
    check_in_step(*r, f);
  }
  SECTION("link removed and added") {
    REQUIRE(f.disconnect({sw2, 2}));
    auto res = r->refresh();
    CHECK(contains(res.rendered, F + "/Switches/0002c90200000002/Ports/2"));
    CHECK(contains(res.rendered, F + "/Endpoints/0002c90300000021"));
    CHECK(contains(res.rendered, F + "/Zones/0012"));  // sw2 no longer involved
    check_in_step(*r, f);
    REQUIRE(f.connect({sw1, 4}, {b, 1}));
    r->refresh();
    check_in_step(*r, f);
  }
  SECTION("node added and removed") {
    model::NodeSpec ca;
    ca.type = model::NodeType::ChannelAdapter;
    ca.guid = 0x0002c90300000040;
    ca.system_guid = test::ca_a_sys;  // joins A's chassis
    ca.num_ports = 1;
    auto c = f.add_node(ca);
    REQUIRE(c);
    REQUIRE(f.connect({sw2, 4}, {*c, 1}));
    auto res = r->refresh();
    CHECK(contains(res.rendered, "/redfish/v1/Chassis/0002c903000000f0/FabricAdapters/0002c90300000040"));
    CHECK(contains(res.rendered, "/redfish/v1/Chassis/0002c903000000f0/FabricAdapters"));
    CHECK(contains(res.rendered, F + "/Endpoints"));
    CHECK(contains(res.rendered, F + "/Endpoints/0002c90300000041"));
    check_in_step(*r, f);

    REQUIRE(f.remove_node(a));
    res = r->refresh();
    CHECK(contains(res.removed, "/redfish/v1/Chassis/0002c903000000f0/FabricAdapters/0002c90300000010"));
    CHECK(contains(res.removed, "/redfish/v1/Chassis/0002c903000000f0/FabricAdapters/0002c90300000010/Ports/1/Metrics"));
    CHECK(contains(res.removed, F + "/Endpoints/0002c90300000011"));
    CHECK_FALSE(contains(res.removed, "/redfish/v1/Chassis/0002c903000000f0"));  // R and the new adapter remain
    check_in_step(*r, f);

    REQUIRE(f.remove_node(b));  // B's chassis goes with it
    res = r->refresh();
    CHECK(contains(res.removed, "/redfish/v1/Chassis/0002c90300000020"));
    CHECK(contains(res.removed, "/redfish/v1/Chassis/0002c90300000020/FabricAdapters"));
    check_in_step(*r, f);

    REQUIRE(f.remove_node(sw1));
    r->refresh();
    check_in_step(*r, f);
  }
  SECTION("node added then removed before a refresh") {
    model::NodeSpec sw;
    sw.type = model::NodeType::Switch;
    sw.guid = 0x0002c90200000077;
    sw.num_ports = 2;
    auto s = f.add_node(sw);
    REQUIRE(s);
    REQUIRE(f.remove_node(*s));
    auto res = r->refresh();
    CHECK(res.removed.empty());
    check_in_step(*r, f);
  }
  SECTION("partitions") {
    REQUIRE(f.set_partition({0x0012, "storage", {{test::sw1_guid, model::Membership::Full}}}));
    auto res = r->refresh();
    CHECK(contains(res.rendered, F + "/Zones/0012"));
    CHECK(contains(res.rendered, F + "/Endpoints/0002c90300000011"));  // left the zone
    CHECK(contains(res.rendered, F + "/Endpoints/0002c90200000001"));  // joined
    check_in_step(*r, f);
    REQUIRE(f.remove_partition(0x0012));
    res = r->refresh();
    CHECK(contains(res.removed, F + "/Zones/0012"));
    CHECK(contains(res.rendered, F + "/Zones"));
    check_in_step(*r, f);
    REQUIRE(f.set_partition({0x0033, "new", {{test::ca_b_guid + 1, model::Membership::Limited}}}));
    r->refresh();
    check_in_step(*r, f);
  }
  SECTION("counters and descriptions") {
    REQUIRE(f.clear_counters({a, 1}));
    auto res = r->refresh();
    CHECK(contains(res.removed, "/redfish/v1/Chassis/0002c903000000f0/FabricAdapters/0002c90300000010/Ports/1/Metrics"));
    check_in_step(*r, f);
    model::PortCounters c;
    c.rx_bytes = 77;
    REQUIRE(f.set_counters({sw1, 1}, c));
    REQUIRE(f.set_description(sw2, "spine"));
    REQUIRE(f.set_description(a, "host-a renamed"));
    r->refresh();
    check_in_step(*r, f);
  }
  SECTION("port GUID change renames the endpoint") {
    auto p = f.port({b, 1});
    auto at = p->attributes;
    at.guid = 0x0002c903000000aa;
    auto set = f.set_port({b, 1}, at);
    if (set) {  // the model may refuse renaming a partition member
      auto res = r->refresh();
      CHECK(contains(res.removed, F + "/Endpoints/0002c90300000021"));
      check_in_step(*r, f);
    }
  }
}

TEST_CASE("Renderer: random mutations keep the tree equal to a full render", "[redfish]") {
  auto g = topology::generate_kary_ntree({2, 3});
  REQUIRE(g);
  model::Fabric f = std::move(*g);
  REQUIRE(test::decorate(f));
  auto r = redfish::Renderer::create(f);
  REQUIRE(r);
  std::mt19937 rng(12345);
  model::Guid next_guid = 0x00aa000000000001;
  for (int step = 0; step < 120; ++step) {
    auto ids = f.nodes();
    REQUIRE_FALSE(ids.empty());
    auto id = ids[rng() % ids.size()];
    auto n = f.node(id);
    REQUIRE(n);
    model::PortNum p = model::PortNum(1 + rng() % n->num_ports());
    switch (rng() % 8) {
      case 0: {
        auto a = n->ports[p].attributes;
        a.state = a.state == model::PortState::Active ? model::PortState::Down : model::PortState::Active;
        a.lid = std::uint16_t(rng() % 3 == 0 ? 0 : 1 + rng() % 500);
        (void)f.set_port({id, p}, a);
        break;
      }
      case 1: (void)f.disconnect({id, p}); break;
      case 2: {
        auto other = ids[rng() % ids.size()];
        auto on = f.num_ports(other);
        if (on) (void)f.connect({id, p}, {other, model::PortNum(1 + rng() % *on)});
        break;
      }
      case 3: {
        model::NodeSpec s;
        s.type = rng() % 2 ? model::NodeType::Switch : model::NodeType::ChannelAdapter;
        s.guid = next_guid += 0x100;
        s.num_ports = 1 + rng() % 4;
        s.system_guid = rng() % 2 ? 0x00bb000000000001 : 0;
        (void)f.add_node(s);
        break;
      }
      case 4:
        if (ids.size() > 4) (void)f.remove_node(id);
        break;
      case 5: {
        model::PortCounters c;
        c.rx_bytes = rng();
        if (rng() % 3)
          (void)f.set_counters({id, p}, c);
        else
          (void)f.clear_counters({id, p});
        break;
      }
      case 6: {
        model::Partition part{model::PKey(1 + rng() % 4), "p", {}};
        auto pg = n->type == model::NodeType::Switch ? n->guid : n->ports[p].attributes.guid;
        part.members.push_back({pg, rng() % 2 ? model::Membership::Full : model::Membership::Limited});
        if (rng() % 4 == 0)
          (void)f.remove_partition(part.pkey);
        else
          (void)f.set_partition(part);
        break;
      }
      default: (void)f.set_description(id, "node " + std::to_string(step)); break;
    }
    if (rng() % 3 == 0 || step == 119) {
      INFO("step " << step);
      r->refresh();
      check_in_step(*r, f);
    }
  }
}

TEST_CASE("Renderer: lifetime and moves", "[redfish]") {
  auto f = test::small_fabric();
  auto r1 = redfish::Renderer::create(f);
  REQUIRE(r1);
  redfish::Renderer r2 = std::move(*r1);
  REQUIRE(f.set_description(*f.find(test::sw1_guid), "moved"));
  r2.refresh();
  CHECK((*r2.tree().find("/redfish/v1/Fabrics/IB/Switches/0002c90200000001"))["Name"] == "moved");
  {
    auto r3 = redfish::Renderer::create(f);
    REQUIRE(r3);
  }  // unsubscribes: later changes must not touch freed memory
  REQUIRE(f.set_description(*f.find(test::sw1_guid), "again"));
  r2.refresh();
  check_in_step(r2, f);
  redfish::ExportOptions bad;
  bad.fabric_id = "a/b";
  CHECK_FALSE(redfish::Renderer::create(f, bad));
}
