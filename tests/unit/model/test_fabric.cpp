// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include <catch2/catch.hpp>

#include "ofmf/model/fabric.hpp"
#include "specs.hpp"

using namespace ofmf;
using namespace ofmf::model;

using test::ca;
using test::sw;

TEST_CASE("Fabric: nodes are added, found by GUID and copied out", "[model]") {
  Fabric f;
  auto s = f.add_node(sw(0x10, 36, "leaf"));
  REQUIRE(s);
  auto h = f.add_node(ca(0x100, 2));
  REQUIRE(h);
  CHECK(f.node_count() == 2);
  CHECK(f.switch_count() == 1);
  CHECK(f.port_count() == 38);
  CHECK(f.find(0x10) == *s);
  CHECK_FALSE(f.find(0x11).has_value());

  SECTION("channel adapter port GUIDs are derived as guid + port") {
    CHECK(f.find_port(0x101) == PortRef{*h, 1});
    CHECK(f.find_port(0x102) == PortRef{*h, 2});
    auto n = f.node(*h);
    REQUIRE(n);
    CHECK(n->ports.size() == 3);
    CHECK(n->ports[2].attributes.guid == 0x102);
  }
  SECTION("a switch port GUID finds port 0") { CHECK(f.find_port(0x10) == PortRef{*s, 0}); }
  SECTION("node() copies type, description and ports") {
    auto n = f.node(*s);
    REQUIRE(n);
    CHECK(n->type == NodeType::Switch);
    CHECK(n->description == "leaf");
    CHECK(n->num_ports() == 36);
    CHECK(n->system_guid == 0x10);
  }
}

TEST_CASE("Fabric: invalid nodes are refused and leave the model unchanged", "[model]") {
  Fabric f;
  REQUIRE(f.add_node(sw(0x10)));
  const auto gen = f.generation();

  SECTION("duplicate node GUID") {
    auto r = f.add_node(sw(0x10));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::already_exists);
    CHECK_THAT(r.error().message, Catch::Contains("0x0000000000000010"));
  }
  SECTION("GUID 0") { CHECK(f.add_node(sw(0)).error().code == errc::invalid_argument); }
  SECTION("no ports or too many ports") {
    CHECK(f.add_node(sw(0x20, 0)).error().code == errc::invalid_argument);
    CHECK(f.add_node(sw(0x20, 255)).error().code == errc::invalid_argument);
  }
  SECTION("description over 64 bytes") {
    CHECK(f.add_node(sw(0x20, 4, std::string(65, 'x'))).error().code == errc::invalid_argument);
  }
  SECTION("port GUID collides with a node GUID") {
    auto spec = ca(0x0f);  // derives port GUID 0x10
    auto r = f.add_node(spec);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::already_exists);
  }
  SECTION("wrong number of explicit port GUIDs") {
    auto spec = ca(0x200, 2);
    spec.port_guids = {0x201};
    CHECK(f.add_node(spec).error().code == errc::invalid_argument);
  }
  SECTION("switch port GUIDs must equal the node GUID") {
    auto spec = sw(0x300, 2);
    spec.port_guids = {0x300, 0x301};
    CHECK(f.add_node(spec).error().code == errc::invalid_argument);
  }
  SECTION("bad port defaults") {
    auto spec = sw(0x300, 2);
    spec.port_defaults.lmc = 8;
    CHECK(f.add_node(spec).error().code == errc::invalid_argument);
  }
  CHECK(f.node_count() == 1);
  CHECK(f.generation() == gen);
}

TEST_CASE("Fabric: links are validated", "[model]") {
  Fabric f;
  const NodeId a = *f.add_node(sw(0x10, 4));
  const NodeId b = *f.add_node(sw(0x20, 4));
  const NodeId h = *f.add_node(ca(0x100, 1));
  REQUIRE(f.connect({a, 1}, {b, 1}));
  REQUIRE(f.connect({a, 2}, {h, 1}));
  CHECK(f.link_count() == 2);
  CHECK(f.peer({b, 1}) == PortRef{a, 1});

  SECTION("port already linked") {
    auto r = f.connect({a, 1}, {b, 2});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::busy);
    CHECK_THAT(r.error().message, Catch::Contains("already linked"));
  }
  SECTION("self link on one port") { CHECK(f.connect({a, 3}, {a, 3}).error().code == errc::invalid_argument); }
  SECTION("a loop between two ports of one switch is allowed") { CHECK(f.connect({a, 3}, {a, 4})); }
  SECTION("port 0 and out-of-range ports") {
    CHECK(f.connect({a, 0}, {b, 3}).error().code == errc::out_of_range);
    CHECK(f.connect({a, 5}, {b, 3}).error().code == errc::out_of_range);
  }
  SECTION("unknown node") { CHECK(f.connect({NodeId{77}, 1}, {b, 3}).error().code == errc::not_found); }
  SECTION("disconnect and reconnect") {
    REQUIRE(f.disconnect({b, 1}));
    CHECK_FALSE(f.peer({a, 1}).has_value());
    CHECK(f.disconnect({b, 1}).error().code == errc::not_found);
    CHECK(f.connect({a, 1}, {b, 2}));
  }
  SECTION("links() lists each link once") {
    auto links = f.links();
    REQUIRE(links.size() == 2);
    CHECK(links[0] == Link{{a, 1}, {b, 1}});
    CHECK(links[1] == Link{{a, 2}, {h, 1}});
  }
  SECTION("removing a node unlinks it and its ID stays dead") {
    REQUIRE(f.remove_node(a));
    CHECK(f.link_count() == 0);
    CHECK_FALSE(f.peer({b, 1}).has_value());
    CHECK_FALSE(f.contains(a));
    CHECK(f.node(a).error().code == errc::not_found);
    CHECK_FALSE(f.find(0x10).has_value());
    CHECK(f.remove_node(a).error().code == errc::not_found);
    const NodeId again = *f.add_node(sw(0x10, 4));
    CHECK(again != a);
  }
}

TEST_CASE("Fabric: port attributes", "[model]") {
  Fabric f;
  const NodeId s = *f.add_node(sw(0x10, 4));
  const NodeId h = *f.add_node(ca(0x100, 2));
  PortAttributes attr;
  attr.lid = 7;
  attr.lmc = 2;
  attr.state = PortState::Active;
  attr.phys_state = PhysState::LinkUp;
  attr.width = LinkWidth::X4;
  attr.speed = LinkSpeed::EDR;

  SECTION("switch LID on port 0") {
    REQUIRE(f.set_port({s, 0}, attr));
    CHECK(f.port({s, 0})->attributes.lid == 7);
    CHECK(f.port({s, 0})->attributes.guid == 0x10);
  }
  SECTION("channel adapters have no port 0") { CHECK(f.set_port({h, 0}, attr).error().code == errc::out_of_range); }
  SECTION("LMC above 7 and out-of-range enums are refused") {
    attr.lmc = 8;
    CHECK(f.set_port({h, 1}, attr).error().code == errc::invalid_argument);
    attr.lmc = 0;
    attr.speed = static_cast<LinkSpeed>(42);
    CHECK(f.set_port({h, 1}, attr).error().code == errc::invalid_argument);
    attr.speed = LinkSpeed::SDR;
    attr.width = static_cast<LinkWidth>(3);
    CHECK(f.set_port({h, 1}, attr).error().code == errc::invalid_argument);
  }
  SECTION("changing a port GUID re-indexes it") {
    attr.guid = 0x5000;
    REQUIRE(f.set_port({h, 1}, attr));
    CHECK(f.find_port(0x5000) == PortRef{h, 1});
    CHECK_FALSE(f.find_port(0x101).has_value());
    attr.guid = 0x102;  // port 2's GUID
    CHECK(f.set_port({h, 1}, attr).error().code == errc::already_exists);
  }
  SECTION("switch ports cannot take another GUID") {
    attr.guid = 0x99;
    CHECK(f.set_port({s, 1}, attr).error().code == errc::invalid_argument);
  }
}

TEST_CASE("Fabric: observers see every change in order", "[model]") {
  Fabric f;
  std::vector<Change> seen;
  const ObserverId id = f.subscribe([&](const Change& c) { seen.push_back(c); });
  const NodeId a = *f.add_node(sw(0x10, 4));
  const NodeId b = *f.add_node(sw(0x20, 4));
  REQUIRE(f.connect({a, 1}, {b, 1}));
  PortAttributes attr;
  attr.state = PortState::Active;
  REQUIRE(f.set_port({a, 1}, attr));
  REQUIRE(f.set_port({a, 1}, attr));  // no change, no notification
  REQUIRE(f.set_description(b, "spine"));
  REQUIRE(f.remove_node(b));

  REQUIRE(seen.size() == 7);
  CHECK(seen[0].kind == ChangeKind::NodeAdded);
  CHECK(seen[2].kind == ChangeKind::LinkAdded);
  CHECK(seen[2].port == PortRef{a, 1});
  CHECK(seen[2].peer == PortRef{b, 1});
  CHECK(seen[3].kind == ChangeKind::PortChanged);
  CHECK(seen[4].kind == ChangeKind::NodeChanged);
  CHECK(seen[5].kind == ChangeKind::LinkRemoved);
  CHECK(seen[6].kind == ChangeKind::NodeRemoved);
  CHECK(seen[6].node == b);
  CHECK(seen[6].generation == f.generation());

  CHECK(f.unsubscribe(id));
  CHECK_FALSE(f.unsubscribe(id));
  REQUIRE(f.add_node(sw(0x30, 4)));
  CHECK(seen.size() == 7);
}

TEST_CASE("Fabric: observers cannot mutate the fabric re-entrantly", "[model]") {
  Fabric f;
  std::optional<Error> refused;
  f.subscribe([&](const Change& c) {
    if (c.kind != ChangeKind::NodeAdded) return;
    auto r = f.add_node(sw(0x99, 4));
    if (!r) refused = r.error();
  });
  REQUIRE(f.add_node(sw(0x10, 4)));
  REQUIRE(refused.has_value());
  CHECK(refused->code == errc::busy);
  CHECK(f.node_count() == 1);
}

TEST_CASE("Fabric: an observer may unsubscribe itself", "[model]") {
  Fabric f;
  int calls = 0;
  ObserverId self;
  self = f.subscribe([&](const Change&) {
    ++calls;
    f.unsubscribe(self);
  });
  REQUIRE(f.add_node(sw(0x10, 4)));
  REQUIRE(f.add_node(sw(0x20, 4)));
  CHECK(calls == 1);
}

TEST_CASE("Fabric: copies are deep and compare equal", "[model]") {
  Fabric f;
  const NodeId a = *f.add_node(sw(0x10, 4, "a"));
  const NodeId b = *f.add_node(ca(0x100, 1));
  REQUIRE(f.connect({a, 1}, {b, 1}));
  Fabric g = f;
  std::string why;
  CHECK(same_topology(f, g, &why));
  REQUIRE(g.disconnect({a, 1}));
  CHECK_FALSE(same_topology(f, g, &why));
  CHECK_THAT(why, Catch::Contains("link count"));
  CHECK(f.link_count() == 1);

  Fabric moved = std::move(g);
  CHECK(moved.node_count() == 2);
  CHECK(g.node_count() == 0);  // NOLINT(bugprone-use-after-move): documented state
}

TEST_CASE("Fabric: same_topology ignores NodeIds but not attributes", "[model]") {
  Fabric f, g;
  const NodeId fa = *f.add_node(sw(0x10, 4));
  const NodeId fb = *f.add_node(sw(0x20, 4));
  const NodeId gb = *g.add_node(sw(0x20, 4));  // other creation order
  const NodeId ga = *g.add_node(sw(0x10, 4));
  REQUIRE(f.connect({fa, 1}, {fb, 2}));
  REQUIRE(g.connect({gb, 2}, {ga, 1}));
  CHECK(same_topology(f, g));
  PortAttributes attr;
  attr.lid = 3;
  REQUIRE(g.set_port({ga, 0}, attr));
  std::string why;
  CHECK_FALSE(same_topology(f, g, &why));
  CHECK_THAT(why, Catch::Contains("port 0"));
}

TEST_CASE("Fabric: explicit port GUIDs of a channel adapter are kept", "[model]") {
  Fabric f;
  NodeSpec spec;
  spec.type = NodeType::ChannelAdapter;
  spec.guid = 0x100;
  spec.num_ports = 2;
  spec.port_guids = {0x7001, 0x7002};
  const NodeId h = *f.add_node(spec);
  CHECK(f.find_port(0x7001) == PortRef{h, 1});
  CHECK(f.find_port(0x7002) == PortRef{h, 2});
  CHECK_FALSE(f.find_port(0x101).has_value());
  spec.guid = 0x200;
  spec.port_guids = {0x8001, 0x8001};
  auto r = f.add_node(spec);
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error().message, Catch::Contains("given twice"));
}

TEST_CASE("Fabric: an observer that unsubscribes itself may still use its captures", "[model]") {
  Fabric f;
  auto log = std::make_shared<std::vector<ChangeKind>>();
  ObserverId self;
  self = f.subscribe([&f, &self, log](const Change& c) {
    f.unsubscribe(self);   // destroys the stored callable's registration...
    log->push_back(c.kind);  // ...but not the callable that is running
  });
  REQUIRE(f.add_node(sw(0x10, 4)));
  REQUIRE(f.add_node(sw(0x20, 4)));
  CHECK(*log == std::vector<ChangeKind>{ChangeKind::NodeAdded});
}

TEST_CASE("Fabric: an observer subscribed during a notification sees only later changes", "[model]") {
  Fabric f;
  int late_calls = 0;
  bool added = false;
  f.subscribe([&](const Change&) {
    if (added) return;
    added = true;
    for (int i = 0; i < 64; ++i) f.subscribe([&](const Change&) { ++late_calls; });  // forces reallocation
  });
  REQUIRE(f.add_node(sw(0x10, 4)));
  CHECK(late_calls == 0);
  REQUIRE(f.add_node(sw(0x20, 4)));
  CHECK(late_calls == 64);
}
