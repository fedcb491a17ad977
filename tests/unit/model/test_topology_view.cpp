// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include <catch2/catch.hpp>

#include <thread>

#include "ofmf/model/fabric.hpp"
#include "ofmf/model/topology_view.hpp"

using namespace ofmf::model;

TEST_CASE("TopologyView: switches come first and edges mirror links", "[model]") {
  Fabric f;
  NodeSpec h{NodeType::ChannelAdapter, 0x100, 1, "h0", 0, 0, 0, {}, {}};
  NodeSpec s{NodeType::Switch, 0x10, 4, "s0", 0, 0, 0, {}, {}};
  const NodeId hid = *f.add_node(h);  // created before the switch
  const NodeId sid = *f.add_node(s);
  PortAttributes fast;
  fast.width = LinkWidth::X4;
  fast.speed = LinkSpeed::EDR;
  PortAttributes slow = fast;
  slow.width = LinkWidth::X1;
  REQUIRE(f.set_port({sid, 3}, fast));
  REQUIRE(f.set_port({hid, 1}, slow));
  REQUIRE(f.connect({sid, 3}, {hid, 1}));

  auto v = f.snapshot();
  REQUIRE(v->node_count() == 2);
  REQUIRE(v->switch_count() == 1);
  CHECK(v->is_switch(0));
  CHECK(v->guid(0) == 0x10);
  CHECK(v->find(Guid{0x100}) == 1);
  CHECK(v->find(hid) == 1);
  CHECK(v->find(Guid{0x999}) == TopologyView::npos);
  CHECK(v->description(1) == "h0");
  CHECK(v->num_ports(0) == 4);
  CHECK(v->link_count() == 1);
  REQUIRE(v->edges(0).size() == 1);
  const Edge e = v->edges(0)[0];
  CHECK(e.target == 1);
  CHECK(e.local_port == 3);
  CHECK(e.remote_port == 1);
  CHECK(e.width == LinkWidth::X1);  // the narrower end
  CHECK(e.speed == LinkSpeed::EDR);
  CHECK(v->ports(1)[1].peer == 0);
  CHECK(v->ports(1)[1].peer_port == 3);
  CHECK(v->generation() == f.generation());

  SECTION("a snapshot does not follow later changes") {
    REQUIRE(f.disconnect({sid, 3}));
    CHECK(v->link_count() == 1);
    CHECK(f.snapshot()->link_count() == 0);
  }
  SECTION("removed nodes are not in later snapshots") {
    REQUIRE(f.remove_node(hid));
    auto w = f.snapshot();
    CHECK(w->node_count() == 1);
    CHECK(w->find(hid) == TopologyView::npos);
    CHECK(w->edges(0).empty());
  }
}

TEST_CASE("TopologyView: concurrent readers see the same graph", "[model]") {
  Fabric f;
  std::vector<NodeId> ids;
  for (unsigned i = 0; i < 64; ++i) {
    NodeSpec s{NodeType::Switch, 0x1000 + i, 4, "", 0, 0, 0, {}, {}};
    ids.push_back(*f.add_node(s));
  }
  for (unsigned i = 0; i < 64; ++i) REQUIRE(f.connect({ids[i], 1}, {ids[(i + 1) % 64], 2}));
  auto v = f.snapshot();
  std::vector<std::size_t> sums(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < sums.size(); ++t)
    threads.emplace_back([&, t] {
      for (TopologyView::Index i = 0; i < v->node_count(); ++i)
        for (const Edge& e : v->edges(i)) sums[t] += e.target + e.local_port;
    });
  for (auto& th : threads) th.join();
  for (auto s : sums) CHECK(s == sums[0]);
  CHECK(sums[0] > 0);
}
