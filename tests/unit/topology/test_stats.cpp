// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "ofmf/model/fabric.hpp"
#include "ofmf/model/topology_view.hpp"
#include "ofmf/topology/stats.hpp"

using namespace ofmf;
using namespace ofmf::model;
using ofmf::topology::compute_stats;
using ofmf::topology::format_stats;
using ofmf::topology::StatsOptions;
using ofmf::topology::TopologyStats;

namespace {

// Builds fabrics by hand: nodes get the next free port on each connect.
class Builder {
 public:
  std::uint32_t sw(unsigned ports = 32) { return add(NodeType::Switch, ports); }
  std::uint32_t ca(unsigned ports = 2) { return add(NodeType::ChannelAdapter, ports); }
  std::uint32_t router(unsigned ports = 4) { return add(NodeType::Router, ports); }
  void link(std::uint32_t a, std::uint32_t b) {
    const auto pa = PortNum(++used_[a]);
    const auto pb = PortNum(++used_[b]);
    REQUIRE(f.connect({ids_[a], pa}, {ids_[b], pb}));
  }
  Fabric f;

 private:
  std::uint32_t add(NodeType t, unsigned ports) {
    NodeSpec s;
    s.type = t;
    s.guid = next_guid_;
    next_guid_ += 0x100;
    s.num_ports = ports;
    s.description = "n" + std::to_string(ids_.size());
    const auto id = f.add_node(s);
    if (!id) FAIL(id.error().message);
    ids_.push_back(*id);
    used_.push_back(0);
    return std::uint32_t(ids_.size() - 1);
  }
  std::vector<NodeId> ids_;
  std::vector<unsigned> used_;
  Guid next_guid_ = 0x1000;
};

TopologyStats stats_of(const Fabric& f, StatsOptions o = {}) { return compute_stats(*f.snapshot(), o); }

// Exact bisection width by brute force over every node assignment: the
// terminals (endpoints, or switches when there are none) split into
// floor/ceil halves, fewest crossing links.
long long brute_bisection(const TopologyView& v) {
  const auto n = v.node_count();
  REQUIRE(n <= 22);
  const bool endpoints = n > v.switch_count();
  std::uint32_t terminals = 0;
  for (std::uint32_t i = 0; i < n; ++i) terminals += endpoints != v.is_switch(i);
  long long best = -1;
  for (std::uint32_t mask = 0; mask < (1u << n); mask += 2) {  // node 0 always on side 0
    std::uint32_t t0 = 0;
    for (std::uint32_t i = 0; i < n; ++i) t0 += (endpoints != v.is_switch(i)) && !(mask >> i & 1);
    if (t0 != terminals / 2 && t0 != (terminals + 1) / 2) continue;
    long long cut = 0;
    for (std::uint32_t u = 0; u < n; ++u)
      for (const auto& e : v.edges(u))
        if (u < e.target && ((mask >> u) & 1) != ((mask >> e.target) & 1)) ++cut;
    if (best < 0 || cut < best) best = cut;
  }
  return best;
}

// Reference diameter: BFS from every terminal over the whole graph, where
// only switches may be passed through.
int reference_diameter(const TopologyView& v) {
  const auto n = v.node_count();
  const bool endpoints = n > v.switch_count();
  int best = 0;
  for (std::uint32_t s = 0; s < n; ++s) {
    if (endpoints == v.is_switch(s)) continue;
    std::vector<int> dist(n, -1);
    std::deque<std::uint32_t> q{s};
    dist[s] = 0;
    while (!q.empty()) {
      const auto u = q.front();
      q.pop_front();
      if (u != s && !v.is_switch(u)) continue;  // endpoints do not forward
      for (const auto& e : v.edges(u))
        if (dist[e.target] < 0) {
          dist[e.target] = dist[u] + 1;
          q.push_back(e.target);
        }
    }
    for (std::uint32_t t = 0; t < n; ++t) {
      if (t == s || endpoints == v.is_switch(t)) continue;
      if (dist[t] < 0) return -1;
      best = std::max(best, dist[t]);
    }
  }
  return best;
}

// Ring of n switches, `eps` endpoints on each.
Builder ring(unsigned n, unsigned eps) {
  Builder b;
  for (unsigned i = 0; i < n; ++i) b.sw(8);
  for (unsigned i = 0; i < n; ++i) b.link(i, (i + 1) % n);
  for (unsigned i = 0; i < n; ++i)
    for (unsigned k = 0; k < eps; ++k) b.link(i, b.ca(1));
  return b;
}

// Two-level folded Clos: `leaves` leaf switches with `down` endpoints and
// one link to each of `spines` spines.
Builder clos(unsigned leaves, unsigned spines, unsigned down) {
  Builder b;
  for (unsigned i = 0; i < leaves + spines; ++i) b.sw(16);
  for (unsigned l = 0; l < leaves; ++l)
    for (unsigned s = 0; s < spines; ++s) b.link(l, leaves + s);
  for (unsigned l = 0; l < leaves; ++l)
    for (unsigned k = 0; k < down; ++k) b.link(l, b.ca(1));
  return b;
}

// Deterministic pseudo-random graph: `ns` switches in a spanning path plus
// extra links, endpoints on random switches, some dual-homed, and a few
// endpoint-to-endpoint links.
Builder random_graph(unsigned ns, unsigned extra, unsigned eps, std::uint64_t seed) {
  std::uint64_t x = seed;
  auto rnd = [&](unsigned m) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    return unsigned((x >> 33) % m);
  };
  Builder b;
  for (unsigned i = 0; i < ns; ++i) b.sw(64);
  for (unsigned i = 1; i < ns; ++i) b.link(rnd(i), i);
  for (unsigned i = 0; i < extra; ++i) {
    const unsigned a = rnd(ns), c = rnd(ns);
    if (a != c) b.link(a, c);
  }
  std::vector<std::uint32_t> cas;
  for (unsigned i = 0; i < eps; ++i) {
    const auto e = b.ca(4);
    cas.push_back(e);
    b.link(rnd(ns), e);
    if (rnd(4) == 0) b.link(rnd(ns), e);
  }
  for (unsigned i = 0; i + 1 < cas.size(); i += 7) b.link(cas[i], cas[i + 1]);
  return b;
}

} // namespace

TEST_CASE("Stats: counts and degree statistics", "[topology]") {
  Builder b = clos(4, 2, 2);  // radix-4 folded Clos: 8 endpoints
  b.router(4);                // an unlinked router
  const TopologyStats s = stats_of(b.f);
  CHECK(s.nodes == 15);
  CHECK(s.switches == 6);
  CHECK(s.channel_adapters == 8);
  CHECK(s.routers == 1);
  CHECK(s.ports == 6 * 16 + 8 * 1 + 4);
  CHECK(s.links == 16);
  CHECK(s.linked_ports == 32);
  CHECK(s.switch_links == 8);
  CHECK(s.switch_degree.min == 2);
  CHECK(s.switch_degree.max == 4);
  CHECK(s.switch_degree.mean == Approx(16.0 / 6));
  CHECK(s.switch_degree.stddev == Approx(0.9428090416));
  CHECK(s.endpoints_per_switch.min == 0);
  CHECK(s.endpoints_per_switch.max == 2);
  CHECK(s.endpoints_per_switch.mean == Approx(8.0 / 6));
  CHECK(s.components == 2);  // the router is alone
  CHECK(s.diameter_computed);
  CHECK(s.diameter == -1);  // the router cannot reach anyone
}

TEST_CASE("Stats: diameter", "[topology]") {
  SECTION("folded Clos: endpoint-leaf-spine-leaf-endpoint") {
    const auto s = stats_of(clos(4, 2, 2).f);
    CHECK(s.components == 1);
    CHECK(s.diameter == 4);
    CHECK_FALSE(s.diameter_between_switches);
  }
  SECTION("one leaf: endpoints two links apart") {
    const auto s = stats_of(clos(1, 0, 3).f);
    CHECK(s.diameter == 2);
  }
  SECTION("ring without endpoints is measured between switches") {
    const auto s = stats_of(ring(7, 0).f);
    CHECK(s.diameter == 3);
    CHECK(s.diameter_between_switches);
  }
  SECTION("rings with more than 64 terminals") {
    CHECK(stats_of(ring(100, 0).f).diameter == 50);
    CHECK(stats_of(ring(131, 1).f).diameter == 65 + 2);
  }
  SECTION("endpoints only, linked back to back") {
    Builder b;
    const auto a = b.ca(1), c = b.ca(1);
    b.link(a, c);
    const auto s = stats_of(b.f);
    CHECK(s.diameter == 1);
    CHECK(s.bisection_width == 1);
  }
  SECTION("an endpoint linked only to another endpoint does not forward") {
    Builder b;
    b.sw(4);
    const auto e0 = b.ca(2), e1 = b.ca(1), lone = b.ca(1);
    b.link(0, e0);
    b.link(0, e1);
    b.link(e0, lone);
    const auto s = stats_of(b.f);
    CHECK(s.components == 1);
    CHECK(s.diameter == -1);  // lone-e0 is one link, lone-e1 has no path
    CHECK(reference_diameter(*b.f.snapshot()) == -1);
  }
  SECTION("dual-homed endpoints take the nearer switch") {
    Builder b;
    for (int i = 0; i < 5; ++i) b.sw(8);
    for (int i = 0; i + 1 < 5; ++i) b.link(i, i + 1);  // path s0..s4
    const auto e0 = b.ca(2), e1 = b.ca(2);
    b.link(0, e0);
    b.link(3, e0);
    b.link(4, e1);
    const auto s = stats_of(b.f);
    CHECK(s.diameter == 3);  // e0-s3-s4-e1
    CHECK(reference_diameter(*b.f.snapshot()) == 3);
  }
  SECTION("empty and single-node fabrics") {
    Fabric f;
    CHECK(stats_of(f).diameter == 0);
    CHECK(stats_of(f).bisection_width == 0);
    Builder b;
    b.sw(4);
    CHECK(stats_of(b.f).diameter == 0);
  }
  SECTION("agrees with a plain BFS on irregular graphs") {
    for (std::uint64_t seed = 1; seed <= 6; ++seed) {
      Builder b = random_graph(20 + 30 * unsigned(seed), 40, 90, seed);
      auto v = b.f.snapshot();
      INFO("seed " << seed);
      CHECK(compute_stats(*v).diameter == reference_diameter(*v));
    }
  }
  SECTION("not computed when switched off") {
    StatsOptions o;
    o.diameter = false;
    const auto s = stats_of(clos(4, 2, 2).f, o);
    CHECK_FALSE(s.diameter_computed);
    CHECK(s.diameter == -1);
  }
}

TEST_CASE("Stats: results do not depend on the thread count", "[topology]") {
  Builder b = random_graph(300, 500, 400, 42);
  auto v = b.f.snapshot();
  StatsOptions o;
  o.threads = 1;
  const auto one = compute_stats(*v, o);
  for (unsigned t : {2u, 3u, 8u}) {
    o.threads = t;
    const auto s = compute_stats(*v, o);
    CHECK(s.diameter == one.diameter);
    CHECK(s.bisection_width == one.bisection_width);
  }
  CHECK(one.diameter == reference_diameter(*v));
  CHECK(one.bisection_width > 0);
}

TEST_CASE("Stats: bisection width", "[topology]") {
  SECTION("ring of switches: 2") {
    for (unsigned n : {4u, 9u, 64u, 257u}) {
      INFO("n = " << n);
      CHECK(stats_of(ring(n, 0).f).bisection_width == 2);
      CHECK(stats_of(ring(n, 2).f).bisection_width == 2 + (n % 2 ? 1 : 0));
    }
    // An odd ring with two endpoints per switch has no balanced switch cut:
    // one endpoint is cut off its switch.
    CHECK(brute_bisection(*ring(5, 2).f.snapshot()) == 3);
  }
  SECTION("radix-4 folded Clos (full bisection): 4, equal to brute force") {
    Builder b = clos(4, 2, 2);
    auto v = b.f.snapshot();
    const auto exact = brute_bisection(*v);
    CHECK(exact == 4);
    CHECK(compute_stats(*v).bisection_width == exact);
  }
  SECTION("2-ary 2-tree: k^n/2 = 2") {
    Builder b = clos(2, 2, 2);
    auto v = b.f.snapshot();
    CHECK(brute_bisection(*v) == 2);
    CHECK(compute_stats(*v).bisection_width == 2);
  }
  SECTION("matches brute force on small irregular fabrics") {
    std::vector<Builder> cases;
    cases.push_back(clos(3, 2, 2));  // odd number of leaves
    cases.push_back(ring(8, 1));
    cases.push_back(ring(7, 0));
    {
      Builder b;  // uneven endpoint counts: 3 and 1 on two linked switches
      b.sw(8);
      b.sw(8);
      b.link(0, 1);
      for (int i = 0; i < 3; ++i) b.link(0, b.ca(1));
      b.link(1, b.ca(1));
      cases.push_back(std::move(b));
    }
    {
      Builder b;  // dual-homed endpoints
      b.sw(8);
      b.sw(8);
      b.sw(8);
      b.link(0, 1);
      b.link(1, 2);
      for (int i = 0; i < 4; ++i) {
        const auto e = b.ca(2);
        b.link(i % 3, e);
        b.link((i + 1) % 3, e);
      }
      cases.push_back(std::move(b));
    }
    {
      Builder b;  // 2x3 mesh, one endpoint per switch
      for (int i = 0; i < 6; ++i) b.sw(8);
      for (int r = 0; r < 2; ++r)
        for (int c = 0; c < 3; ++c) {
          if (c + 1 < 3) b.link(r * 3 + c, r * 3 + c + 1);
          if (r == 0) b.link(c, 3 + c);
        }
      for (int i = 0; i < 6; ++i) b.link(i, b.ca(1));
      cases.push_back(std::move(b));
    }
    for (std::size_t i = 0; i < cases.size(); ++i) {
      auto v = cases[i].f.snapshot();
      INFO("case " << i);
      CHECK(compute_stats(*v).bisection_width == brute_bisection(*v));
    }
  }
  SECTION("an upper bound, nearly always exact, on tiny random fabrics") {
    int exact_hits = 0;
    const int trials = 30;
    for (std::uint64_t seed = 1; seed <= trials; ++seed) {
      Builder b = random_graph(8, 6, 8, seed);
      auto v = b.f.snapshot();
      const auto exact = brute_bisection(*v);
      const auto est = compute_stats(*v).bisection_width;
      INFO("seed " << seed);
      CHECK(est >= exact);
      exact_hits += est == exact;
    }
    CHECK(exact_hits >= trials * 9 / 10);
  }
  SECTION("deterministic for a seed, never below the exact value") {
    Builder b = random_graph(10, 12, 10, 9);
    auto v = b.f.snapshot();
    const auto exact = brute_bisection(*v);
    for (std::uint64_t seed : {1u, 2u, 3u}) {
      StatsOptions o;
      o.seed = seed;
      o.bisection_starts = 1;
      const auto a = compute_stats(*v, o).bisection_width;
      CHECK(a == compute_stats(*v, o).bisection_width);
      CHECK(a >= exact);
    }
  }
  SECTION("not computed when switched off") {
    StatsOptions o;
    o.bisection = false;
    const auto s = stats_of(ring(6, 0).f, o);
    CHECK_FALSE(s.bisection_computed);
    CHECK(s.bisection_width == -1);
  }
}

TEST_CASE("Stats: format_stats prints every item", "[topology]") {
  const std::string text = format_stats(stats_of(clos(4, 2, 2).f));
  CHECK(text.find("nodes:") != std::string::npos);
  CHECK(text.find("14 (6 switches, 8 channel adapters, 0 routers)") != std::string::npos);
  CHECK(text.find("16 (8 switch-switch)") != std::string::npos);
  CHECK(text.find("diameter:          4 links (between endpoints)") != std::string::npos);
  CHECK(text.find("bisection width:   4 links") != std::string::npos);
  CHECK(text.back() == '\n');
  StatsOptions o;
  o.diameter = false;
  o.bisection = false;
  const std::string off = format_stats(stats_of(clos(4, 2, 2).f, o));
  CHECK(off.find("diameter:          not computed") != std::string::npos);
}
