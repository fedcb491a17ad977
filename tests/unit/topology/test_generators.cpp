// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ofmf/model/topology_view.hpp"
#include "ofmf/topology/generators.hpp"
#include "topology/detail/generator_common.hpp"

using namespace ofmf;
using namespace ofmf::model;
using namespace ofmf::topology;

namespace {

using View = std::shared_ptr<const TopologyView>;
using Index = TopologyView::Index;

// Properties every generated fabric has (see generators.hpp): returns the
// first violation, or "" when there is none.
std::string common_violation(const Fabric& f, const GeneratorOptions& o = {}) {
  const View v = f.snapshot();
  std::set<std::string> names;
  std::set<Guid> switch_guids;
  std::size_t endpoints = 0;
  for (Index i = 0; i < v->node_count(); ++i) {
    const std::string d(v->description(i));
    const std::string who = "node " + d;
    if (d.empty() || d.size() > 64) return who + ": description length";
    for (char c : d)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-'))
        return who + ": character '" + c + "' in description";
    if (!names.insert(d).second) return who + ": duplicate description";
    for (unsigned p = 1; p <= v->num_ports(i); ++p) {
      const auto& a = v->ports(i)[p].attributes;
      if (a.width != o.width || a.speed != o.speed) return who + ": width/speed of port " + std::to_string(p);
    }
    for (const Edge& e : v->edges(i))
      if (e.target == i) return who + ": self link";
    if (v->is_switch(i)) {
      switch_guids.insert(v->guid(i));
      continue;
    }
    ++endpoints;
    if (v->type(i) != NodeType::ChannelAdapter || v->num_ports(i) != 1) return who + ": not a 1-port CA";
    const ViewPort& p1 = v->ports(i)[1];
    if (!p1.linked() || !v->is_switch(p1.peer)) return who + ": port 1 not linked to a switch";
    const Guid g = v->guid(i);
    if (g < o.ca_guid_base || (g - o.ca_guid_base) % 2 != 0) return who + ": GUID off the ca_guid_base grid";
    if (d != "h" + std::to_string((g - o.ca_guid_base) / 2)) return who + ": description does not match GUID index";
    if (p1.attributes.guid != g + 1) return who + ": port GUID is not node GUID + 1";
  }
  // Switch GUIDs are exactly base .. base+S-1, endpoints base + 2*(0..E-1).
  if (!switch_guids.empty() &&
      (*switch_guids.begin() != o.switch_guid_base || *switch_guids.rbegin() != o.switch_guid_base + v->switch_count() - 1))
    return "switch GUIDs are not switch_guid_base + 0..S-1";
  for (std::size_t e = 0; e < endpoints; ++e)
    if (v->find(o.ca_guid_base + 2 * e) == TopologyView::npos) return "endpoint GUID index " + std::to_string(e) + " missing";
  return "";
}

std::unordered_map<std::string, Index> by_name(const TopologyView& v) {
  std::unordered_map<std::string, Index> m;
  for (Index i = 0; i < v.node_count(); ++i) m.emplace(std::string(v.description(i)), i);
  return m;
}

unsigned switch_links(const TopologyView& v, Index i) {
  unsigned n = 0;
  for (const Edge& e : v.edges(i)) n += v.is_switch(e.target);
  return n;
}
unsigned endpoint_links(const TopologyView& v, Index i) { return unsigned(v.edges(i).size()) - switch_links(v, i); }

// Number of endpoints reachable from switch i going only "down" (to
// switches whose level prefix is lower), for trees described "<x>-L<n>-..".
int level_of(std::string_view d) {
  const auto pos = d.find("-L");
  if (pos == std::string_view::npos) return 0;  // endpoint
  return std::stoi(std::string(d.substr(pos + 2)));
}
std::size_t endpoints_below(const TopologyView& v, Index top) {
  std::vector<char> seen(v.node_count(), 0);
  std::vector<Index> stack{top};
  seen[top] = 1;
  std::size_t n = 0;
  while (!stack.empty()) {
    const Index x = stack.back();
    stack.pop_back();
    if (!v.is_switch(x)) {
      ++n;
      continue;
    }
    const int lx = level_of(v.description(x));
    for (const Edge& e : v.edges(x))
      if (!seen[e.target] && level_of(v.description(e.target)) < lx) {
        seen[e.target] = 1;
        stack.push_back(e.target);
      }
  }
  return n;
}

bool connected(const TopologyView& v) {
  if (v.node_count() == 0) return true;
  std::vector<char> seen(v.node_count(), 0);
  std::vector<Index> stack{0};
  seen[0] = 1;
  std::size_t n = 1;
  while (!stack.empty()) {
    const Index x = stack.back();
    stack.pop_back();
    for (const Edge& e : v.edges(x))
      if (!seen[e.target]) {
        seen[e.target] = 1;
        ++n;
        stack.push_back(e.target);
      }
  }
  return n == v.node_count();
}

// Switch-to-switch links as (guid, port, guid, port) tuples, for comparing
// the link sets of two fabrics.
std::set<std::tuple<Guid, unsigned, Guid, unsigned>> switch_link_set(const TopologyView& v) {
  std::set<std::tuple<Guid, unsigned, Guid, unsigned>> s;
  for (Index i = 0; i < v.switch_count(); ++i)
    for (const Edge& e : v.edges(i))
      if (v.is_switch(e.target) && i < e.target) s.emplace(v.guid(i), e.local_port, v.guid(e.target), e.remote_port);
  return s;
}

// The peer of (node named `name`, port) as "name:port", or "" when unlinked.
std::string peer_of(const TopologyView& v, const std::unordered_map<std::string, Index>& names, const std::string& name,
                    unsigned port) {
  const auto it = names.find(name);
  if (it == names.end() || port > v.num_ports(it->second)) return "?";
  const ViewPort& p = v.ports(it->second)[port];
  if (!p.linked()) return "";
  return std::string(v.description(p.peer)) + ":" + std::to_string(p.peer_port);
}

template <class R>
void check_error(const R& r, errc code, const std::string& needle) {
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == make_error_code(code));
  INFO(r.error().message);
  CHECK(r.error().message.find(needle) != std::string::npos);
}

} // namespace

TEST_CASE("Generators: behaviour", "[topology]") {
  SECTION("k-ary 3-tree k=18 has the reference size") {
    auto f = generate_kary_ntree({18, 3});
    REQUIRE(f);
    CHECK(f->switch_count() == 972);
    CHECK(f->node_count() - f->switch_count() == 5832);
    CHECK(f->link_count() == 5832 + 2 * 324 * 18);
    CHECK(common_violation(*f) == "");
  }

  SECTION("k-ary n-tree: degrees per level, connection rule, full reach") {
    const unsigned k = 3, n = 3;
    auto f = generate_kary_ntree({k, n});
    REQUIRE(f);
    CHECK(common_violation(*f) == "");
    const View v = f->snapshot();
    CHECK(v->switch_count() == n * 9);
    for (Index i = 0; i < v->switch_count(); ++i) {
      const int level = level_of(v->description(i));
      INFO(v->description(i));
      if (level == 1) {
        CHECK(endpoint_links(*v, i) == k);
        CHECK(switch_links(*v, i) == k);
        for (unsigned p = 1; p <= k; ++p) CHECK_FALSE(v->is_switch(v->ports(i)[p].peer));  // endpoints low
      } else {
        CHECK(endpoint_links(*v, i) == 0);
        CHECK(switch_links(*v, i) == (level == int(n) ? k : 2 * k));
      }
      if (level == int(n)) CHECK(endpoints_below(*v, i) == 27);  // every top switch reaches all k^n endpoints
    }
    // Rule: (L, w) port k+1+j <-> (L+1, w with base-k digit L-1 set to j)
    // port digit+1. Checked on every up link.
    const auto names = by_name(*v);
    unsigned checked = 0;
    for (unsigned level = 1; level < n; ++level)
      for (unsigned w = 0; w < 9; ++w) {
        const unsigned stride = level == 1 ? 1 : 3, digit = (w / stride) % k;
        for (unsigned j = 0; j < k; ++j) {
          const unsigned up = w - digit * stride + j * stride;
          CHECK(peer_of(*v, names, "kt-L" + std::to_string(level) + "-" + std::to_string(w), k + 1 + j) ==
                "kt-L" + std::to_string(level + 1) + "-" + std::to_string(up) + ":" + std::to_string(digit + 1));
          ++checked;
        }
      }
    CHECK(checked == 2 * 9 * 3);
    CHECK(peer_of(*v, names, "h7", 1) == "kt-L1-2:2");  // endpoint e on leaf e/k port e%k+1
  }

  SECTION("k-ary 1-tree is one switch") {
    auto f = generate_kary_ntree({5, 1});
    REQUIRE(f);
    CHECK(f->switch_count() == 1);
    CHECK(f->node_count() == 6);
    CHECK(common_violation(*f) == "");
  }

  SECTION("fat tree radix 36, 3 levels: reference size, all ports used, full reach") {
    auto f = generate_fat_tree({36, 3, 0});
    REQUIRE(f);
    CHECK(f->switch_count() == 1620);
    CHECK(f->node_count() - f->switch_count() == 11664);
    CHECK(common_violation(*f) == "");
    const View v = f->snapshot();
    std::map<int, unsigned> per_level;
    bool degrees_ok = true, reach_ok = true;
    for (Index i = 0; i < v->switch_count(); ++i) {
      const int level = level_of(v->description(i));
      ++per_level[level];
      const unsigned ep = endpoint_links(*v, i), sl = switch_links(*v, i);
      degrees_ok = degrees_ok && v->num_ports(i) == 36 &&
                   (level == 1 ? ep == 18 && sl == 18 : ep == 0 && sl == 36);
      if (level == 1)
        for (unsigned p = 1; p <= 36; ++p) degrees_ok = degrees_ok && v->is_switch(v->ports(i)[p].peer) == (p > 18);
      if (level == 3 && i % 97 == 0) reach_ok = reach_ok && endpoints_below(*v, i) == 11664;
    }
    CHECK(degrees_ok);
    CHECK(reach_ok);
    CHECK(per_level == std::map<int, unsigned>{{1, 648}, {2, 648}, {3, 324}});
  }

  SECTION("fat tree radix 64, 3 levels holds 65,536 endpoints") {
    auto f = generate_fat_tree({64, 3, 0});
    REQUIRE(f);
    CHECK(f->node_count() - f->switch_count() == 65536);
    CHECK(f->switch_count() == 5120);
    CHECK(f->link_count() == 65536 + 2 * 64 * 32 * 32);
  }

  SECTION("fat tree, 2 levels, default and oversubscribed leaves") {
    auto f = generate_fat_tree({8, 2, 0});
    REQUIRE(f);
    CHECK(f->switch_count() == 12);
    CHECK(f->node_count() - f->switch_count() == 32);
    CHECK(common_violation(*f) == "");
    auto g = generate_fat_tree({8, 2, 6});  // 6 endpoints, 2 uplinks per leaf
    REQUIRE(g);
    CHECK(g->switch_count() == 8 + 2);
    CHECK(g->node_count() - g->switch_count() == 48);
    CHECK(common_violation(*g) == "");
    const View v = g->snapshot();
    const auto names = by_name(*v);
    CHECK(peer_of(*v, names, "ft-L1-3", 7) == "ft-L2-0:4");
    CHECK(peer_of(*v, names, "ft-L1-3", 8) == "ft-L2-1:4");
    for (Index i = 0; i < v->switch_count(); ++i)
      if (level_of(v->description(i)) == 2) CHECK(endpoints_below(*v, i) == 48);
    auto t = generate_fat_tree({8, 3, 2});  // thin leaves: 2 endpoints, 6 uplinks
    REQUIRE(t);
    CHECK(t->node_count() - t->switch_count() == 8 * 4 * 2);
    CHECK(common_violation(*t) == "");
    const View tv = t->snapshot();
    for (Index i = 0; i < tv->switch_count(); ++i) {
      CHECK(tv->edges(i).size() == 8);
      if (level_of(tv->description(i)) == 3) CHECK(endpoints_below(*tv, i) == 64);
    }
  }

  SECTION("XGFT: sizes and Ohring's connection rule") {
    // XGFT(2; 3,4; 1,2): 12 endpoints, 4 level-1 switches (3 down, 2 up),
    // 2 level-2 switches (4 down).
    auto f = generate_xgft({{3, 4}, {1, 2}});
    REQUIRE(f);
    CHECK(common_violation(*f) == "");
    const View v = f->snapshot();
    CHECK(v->node_count() - v->switch_count() == 12);
    CHECK(v->switch_count() == 6);
    CHECK(f->link_count() == 12 + 4 * 2);
    // Labels: level 0 (x2 in 0..3, x1 in 0..2), level 1 (x2 in 0..3, x1 = 0),
    // level 2 (x2 in 0..1, x1 = 0). Linked iff labels differ only in x_{i+1}.
    for (Index i = 0; i < v->node_count(); ++i) {
      const int li = level_of(v->description(i));
      INFO(v->description(i));
      if (li == 1) CHECK((endpoint_links(*v, i) == 3 && switch_links(*v, i) == 2));
      if (li == 2) CHECK(switch_links(*v, i) == 4);
      if (li == 2) CHECK(endpoints_below(*v, i) == 12);
    }
    const auto names = by_name(*v);
    for (unsigned e = 0; e < 12; ++e)  // endpoint (x2, x1) -> level-1 switch x2, port x1+1
      CHECK(peer_of(*v, names, "h" + std::to_string(e), 1) ==
            "xgft-L1-" + std::to_string(e / 3) + ":" + std::to_string(e % 3 + 1));
    for (unsigned s = 0; s < 4; ++s)
      for (unsigned c = 0; c < 2; ++c)  // level-1 x2 = s -> level-2 x2 = c, port s+1
        CHECK(peer_of(*v, names, "xgft-L1-" + std::to_string(s), 4 + c) ==
              "xgft-L2-" + std::to_string(c) + ":" + std::to_string(s + 1));
  }

  SECTION("XGFT(3; 4,4,4; 1,4,4) is a 4-ary 3-tree") {
    auto x = generate_xgft({{4, 4, 4}, {1, 4, 4}});
    auto t = generate_kary_ntree({4, 3});
    REQUIRE(x);
    REQUIRE(t);
    CHECK(common_violation(*x) == "");
    CHECK(x->node_count() == t->node_count());
    CHECK(x->link_count() == t->link_count());
    const View v = x->snapshot();
    for (Index i = 0; i < v->switch_count(); ++i)
      if (level_of(v->description(i)) == 3) CHECK(endpoints_below(*v, i) == 64);
  }

  SECTION("torus 6x6x6: degree 6, +/- ports, wrap-around neighbours") {
    auto f = generate_torus({{6, 6, 6}, true, 1});
    REQUIRE(f);
    CHECK(common_violation(*f) == "");
    const View v = f->snapshot();
    CHECK(v->switch_count() == 216);
    bool ok = true;
    for (Index i = 0; i < v->switch_count(); ++i)
      ok = ok && switch_links(*v, i) == 6 && endpoint_links(*v, i) == 1 && !v->is_switch(v->ports(i)[7].peer);
    CHECK(ok);
    const auto names = by_name(*v);
    CHECK(peer_of(*v, names, "torus-5.2.3", 1) == "torus-0.2.3:2");  // +x wraps
    CHECK(peer_of(*v, names, "torus-0.2.3", 2) == "torus-5.2.3:1");  // -x wraps
    CHECK(peer_of(*v, names, "torus-1.0.3", 4) == "torus-1.5.3:3");  // -y wraps
    CHECK(peer_of(*v, names, "torus-1.2.5", 5) == "torus-1.2.0:6");  // +z wraps
    CHECK(peer_of(*v, names, "torus-1.2.3", 3) == "torus-1.3.3:4");
    // Every + port links to the - port of the neighbour one step up.
    for (unsigned x = 0; x < 6; ++x)
      for (unsigned d = 0; d < 3; ++d) {
        unsigned c[3] = {x, (x + 1) % 6, (x + 2) % 6}, n[3] = {c[0], c[1], c[2]};
        n[d] = (c[d] + 1) % 6;
        auto nm = [](const unsigned* a) {
          return "torus-" + std::to_string(a[0]) + "." + std::to_string(a[1]) + "." + std::to_string(a[2]);
        };
        CHECK(peer_of(*v, names, nm(c), 2 * d + 1) == nm(n) + ":" + std::to_string(2 * d + 2));
      }
  }

  SECTION("torus with a size-2 dimension has one link per pair; mesh has open borders") {
    auto f = generate_torus({{2, 3}, true, 2});
    REQUIRE(f);
    CHECK(common_violation(*f) == "");
    const View v = f->snapshot();
    CHECK(f->link_count() == 3 /* dim 0 */ + 6 /* dim 1 ring */ + 12 /* endpoints */);
    const auto names = by_name(*v);
    CHECK(peer_of(*v, names, "torus-0.1", 1) == "torus-1.1:2");
    CHECK(peer_of(*v, names, "torus-1.1", 1) == "");
    CHECK(peer_of(*v, names, "torus-0.1", 2) == "");
    CHECK(peer_of(*v, names, "torus-0.1", 5).rfind("h", 0) == 0);
    CHECK(peer_of(*v, names, "torus-0.1", 6).rfind("h", 0) == 0);

    auto m = generate_torus({{3, 3}, false, 1});
    REQUIRE(m);
    CHECK(common_violation(*m) == "");
    const View mv = m->snapshot();
    const auto mn = by_name(*mv);
    CHECK(m->link_count() == 12 + 9);
    CHECK(switch_links(*mv, mn.at("mesh-0.0")) == 2);
    CHECK(switch_links(*mv, mn.at("mesh-1.0")) == 3);
    CHECK(switch_links(*mv, mn.at("mesh-1.1")) == 4);
    CHECK(peer_of(*mv, mn, "mesh-2.1", 1) == "");
    CHECK(peer_of(*mv, mn, "mesh-2.1", 2) == "mesh-1.1:1");
  }

  SECTION("dragonfly a=4 p=2 h=2: 9 groups, one global link per group pair") {
    auto f = generate_dragonfly({4, 2, 2, 0});
    REQUIRE(f);
    CHECK(common_violation(*f) == "");
    const View v = f->snapshot();
    CHECK(v->switch_count() == 36);
    CHECK(v->node_count() - v->switch_count() == 72);
    auto group = [&](Index i) { return std::stoi(std::string(v->description(i).substr(4))); };
    std::map<std::pair<int, int>, int> global, local;
    for (Index i = 0; i < v->switch_count(); ++i) {
      CHECK(switch_links(*v, i) == 3 + 2);
      CHECK(endpoint_links(*v, i) == 2);
      for (const Edge& e : v->edges(i))
        if (v->is_switch(e.target) && i < e.target) {
          const int a = group(i), b = group(e.target);
          if (a == b) ++local[{int(i), int(e.target)}];
          else ++global[{std::min(a, b), std::max(a, b)}];
          CHECK((e.local_port >= 3 && e.local_port <= 5) == (a == b));  // local ports p+1..p+a-1
        }
    }
    CHECK(global.size() == 9 * 8 / 2);
    CHECK(std::all_of(global.begin(), global.end(), [](const auto& kv) { return kv.second == 1; }));
    CHECK(local.size() == 9 * 6);  // each group is a complete graph on 4 routers
  }

  SECTION("dragonfly with fewer groups: every pair joined, evenly") {
    auto f = generate_dragonfly({4, 1, 2, 5});  // a*h = 8 = 2 rounds of g-1 = 4
    REQUIRE(f);
    CHECK(common_violation(*f) == "");
    const View v = f->snapshot();
    CHECK(v->switch_count() == 20);
    std::map<std::pair<int, int>, int> global;
    for (Index i = 0; i < v->switch_count(); ++i)
      for (const Edge& e : v->edges(i)) {
        const int a = std::stoi(std::string(v->description(i).substr(4)));
        if (!v->is_switch(e.target) || i > e.target) continue;
        const int b = std::stoi(std::string(v->description(e.target).substr(4)));
        if (a != b) ++global[{std::min(a, b), std::max(a, b)}];
      }
    CHECK(global.size() == 10);
    CHECK(std::all_of(global.begin(), global.end(), [](const auto& kv) { return kv.second == 2; }));
  }

  SECTION("HyperX 4x4 trunking 1: degree 6, complete along each dimension") {
    auto f = generate_hyperx({{4, 4}, 1, 1});
    REQUIRE(f);
    CHECK(common_violation(*f) == "");
    const View v = f->snapshot();
    const auto names = by_name(*v);
    for (unsigned a = 0; a < 16; ++a)
      for (unsigned b = 0; b < 16; ++b) {
        const Index ia = names.at("hx-" + std::to_string(a % 4) + "." + std::to_string(a / 4));
        const Index ib = names.at("hx-" + std::to_string(b % 4) + "." + std::to_string(b / 4));
        const bool same_row = a != b && (a % 4 == b % 4 || a / 4 == b / 4);
        const auto n = std::count_if(v->edges(ia).begin(), v->edges(ia).end(),
                                     [&](const Edge& e) { return e.target == ib; });
        CHECK(n == (same_row ? 1 : 0));
      }
    for (Index i = 0; i < v->switch_count(); ++i) {
      CHECK(switch_links(*v, i) == 6);
      CHECK(!v->is_switch(v->ports(i)[7].peer));
    }
  }

  SECTION("HyperX trunking 2 doubles every pair") {
    auto f = generate_hyperx({{3, 3, 2}, 2, 1});
    REQUIRE(f);
    CHECK(common_violation(*f) == "");
    const View v = f->snapshot();
    for (Index i = 0; i < v->switch_count(); ++i) {
      CHECK(switch_links(*v, i) == 2 * (2 + 2 + 1));
      std::map<Index, int> per_peer;
      for (const Edge& e : v->edges(i))
        if (v->is_switch(e.target)) ++per_peer[e.target];
      CHECK(per_peer.size() == 5);
      for (const auto& kv : per_peer) CHECK(kv.second == 2);
    }
  }

  SECTION("random regular: regular, simple, connected, seeded") {
    for (auto [n, d] : std::vector<std::pair<unsigned, unsigned>>{{50, 3}, {40, 2}, {10, 9}, {2, 1}, {64, 7}}) {
      for (std::uint64_t seed = 1; seed <= 3; ++seed) {
        INFO("n=" << n << " d=" << d << " seed=" << seed);
        auto f = generate_random_regular({n, d, 1, seed});
        REQUIRE(f);
        CHECK(common_violation(*f) == "");
        const View v = f->snapshot();
        CHECK(v->switch_count() == n);
        CHECK(connected(*v));
        for (Index i = 0; i < n; ++i) {
          std::set<Index> peers;
          for (const Edge& e : v->edges(i))
            if (v->is_switch(e.target)) peers.insert(e.target);
          CHECK(peers.size() == d);           // regular and no parallel links
          CHECK(peers.count(i) == 0);          // no self link
          CHECK(switch_links(*v, i) == d);
        }
      }
    }
    // Small cubic graphs are often disconnected before the repair step.
    unsigned ok = 0;
    for (std::uint64_t seed = 1; seed <= 200; ++seed) {
      auto f = generate_random_regular({8, 3, 1, seed});
      REQUIRE(f);
      ok += connected(*f->snapshot());
    }
    CHECK(ok == 200);

    auto a = generate_random_regular({100, 4, 1, 7});
    auto b = generate_random_regular({100, 4, 1, 7});
    auto c = generate_random_regular({100, 4, 1, 8});
    REQUIRE(a);
    REQUIRE(b);
    REQUIRE(c);
    std::string why;
    CHECK(same_topology(*a, *b, &why));
    CHECK(switch_link_set(*a->snapshot()) == switch_link_set(*b->snapshot()));
    CHECK(switch_link_set(*a->snapshot()) != switch_link_set(*c->snapshot()));
  }

  SECTION("random regular: the repair step joins components, keeping the graph regular and simple") {
    // Disconnected random regular graphs are rare, so the repair step is
    // tested directly: 3 x K4 (d = 3) and 2 x triangle (d = 2).
    for (auto [n, d, part] : std::vector<std::tuple<unsigned, unsigned, unsigned>>{{12, 3, 4}, {6, 2, 3}}) {
      INFO("n=" << n << " d=" << d);
      topology::detail::RegularGraph g(n, d);
      for (unsigned v = 0; v < n; ++v) {
        unsigned slot = 0;
        for (unsigned w = v / part * part; w < (v / part + 1) * part; ++w)
          if (w != v) g.row(v)[slot++] = w;
      }
      std::uint32_t count = 0;
      (void)g.components(count);
      REQUIRE(count == n / part);
      topology::detail::join_components(g);
      (void)g.components(count);
      CHECK(count == 1);
      for (unsigned v = 0; v < n; ++v) {
        std::set<std::uint32_t> peers(g.row(v), g.row(v) + d);
        CHECK(peers.size() == d);
        CHECK(peers.count(v) == 0);
        for (std::uint32_t w : peers) CHECK(g.has(w, v));  // symmetric
      }
    }
  }

  SECTION("determinism: generating twice gives the same fabric and creation order") {
    GeneratorOptions o;
    o.switch_guid_base = 0x1000;
    o.ca_guid_base = 0x100000;
    o.width = LinkWidth::X1;
    o.speed = LinkSpeed::HDR;
    auto run = [&](int which) -> Result<Fabric> {
      switch (which) {
        case 0: return generate_kary_ntree({3, 3}, o);
        case 1: return generate_xgft({{2, 3, 2}, {1, 2, 3}}, o);
        case 2: return generate_fat_tree({6, 3, 0}, o);
        case 3: return generate_torus({{3, 4, 2}, true, 2}, o);
        case 4: return generate_dragonfly({3, 2, 2, 0}, o);
        case 5: return generate_hyperx({{3, 2, 2}, 2, 1}, o);
        default: return generate_random_regular({30, 5, 2, 42}, o);
      }
    };
    for (int which = 0; which <= 6; ++which) {
      INFO("generator " << which);
      auto x = run(which), y = run(which);
      REQUIRE(x);
      REQUIRE(y);
      std::string why;
      CHECK(same_topology(*x, *y, &why));
      CHECK(why == "");
      CHECK(common_violation(*x, o) == "");
      const auto nx = x->nodes(), ny = y->nodes();
      REQUIRE(nx.size() == ny.size());
      bool same_order = true;
      for (std::size_t i = 0; i < nx.size(); ++i) same_order = same_order && x->guid(nx[i]) == y->guid(ny[i]);
      CHECK(same_order);
      CHECK(x->guid(nx.front()) == o.switch_guid_base);  // switches first
      CHECK(x->guid(nx.back()) == o.ca_guid_base + 2 * (x->node_count() - x->switch_count() - 1));
    }
  }

  SECTION("invalid specs name the parameter and the range") {
    check_error(generate_kary_ntree({1, 2}), errc::invalid_argument, "k = 1");
    check_error(generate_kary_ntree({4, 0}), errc::invalid_argument, "n = 0");
    check_error(generate_kary_ntree({128, 2}), errc::limit_exceeded, "256 ports");
    check_error(generate_kary_ntree({16, 16}), errc::limit_exceeded, "nodes");
    check_error(generate_xgft({{}, {}}), errc::invalid_argument, "1..8");
    check_error(generate_xgft({{2, 2}, {1}}), errc::invalid_argument, "w has 1 entries");
    check_error(generate_xgft({{2, 0}, {1, 1}}), errc::invalid_argument, "m[1]");
    check_error(generate_xgft({{2, 2}, {2, 1}}), errc::invalid_argument, "w[0]");
    check_error(generate_xgft({{200, 2}, {1, 100}}), errc::limit_exceeded, "level-1");
    check_error(generate_fat_tree({7, 3, 0}), errc::invalid_argument, "radix = 7");
    check_error(generate_fat_tree({2, 2, 0}), errc::invalid_argument, "4..254");
    check_error(generate_fat_tree({256, 2, 0}), errc::limit_exceeded, "radix = 256");
    check_error(generate_fat_tree({8, 4, 0}), errc::invalid_argument, "levels = 4");
    check_error(generate_fat_tree({8, 3, 8}), errc::invalid_argument, "endpoints_per_leaf");
    check_error(generate_torus({{6}, true, 1}), errc::invalid_argument, "number of dims");
    check_error(generate_torus({{6, 1}, true, 1}), errc::invalid_argument, "dims[1] = 1");
    check_error(generate_torus({{6, 6}, true, 0}), errc::invalid_argument, "endpoints_per_switch");
    check_error(generate_torus({{6, 6}, true, 251}), errc::limit_exceeded, "255 ports");
    check_error(generate_torus({{4096, 4096, 4096}, true, 1}), errc::limit_exceeded, "nodes");
    check_error(generate_torus({{2048, 2048, 2}, true, 1}), errc::limit_exceeded, "ports, at most");  // 2^24 nodes, 2^26 ports
    check_error(generate_dragonfly({0, 2, 2, 0}), errc::invalid_argument, "a = 0");
    check_error(generate_dragonfly({4, 2, 2, 10}), errc::invalid_argument, "g (0 = a*h+1) = 10");
    check_error(generate_dragonfly({4, 2, 2, 1}), errc::invalid_argument, "2..9");
    check_error(generate_dragonfly({100, 100, 100, 2}), errc::limit_exceeded, "299 ports");
    check_error(generate_hyperx({{}, 1, 1}), errc::invalid_argument, "number of dims");
    check_error(generate_hyperx({{4, 4}, 0, 1}), errc::invalid_argument, "trunking");
    check_error(generate_hyperx({{100, 100, 100}, 1, 1}), errc::limit_exceeded, "298 ports");
    check_error(generate_random_regular({9, 3, 1, 1}), errc::invalid_argument, "odd");
    check_error(generate_random_regular({5, 5, 1, 1}), errc::invalid_argument, "degree = 5");
    check_error(generate_random_regular({6, 1, 1, 1}), errc::invalid_argument, "degree = 1");
    check_error(generate_random_regular({1, 0, 1, 1}), errc::invalid_argument, "switches = 1");
    check_error(generate_random_regular({300, 250, 5, 1}), errc::limit_exceeded, "255 ports");

    GeneratorOptions o;
    o.switch_guid_base = 0x100;
    o.ca_guid_base = 0x104;  // the 6 switch GUIDs 0x100..0x105 overlap
    check_error(generate_fat_tree({4, 2, 0}, o), errc::invalid_argument, "overlap");
    o.ca_guid_base = 0;
    check_error(generate_fat_tree({4, 2, 0}, o), errc::invalid_argument, "ca_guid_base");
    o = {};
    o.switch_guid_base = ~Guid(0) - 2;
    check_error(generate_fat_tree({4, 2, 0}, o), errc::invalid_argument, "switch_guid_base");
    o = {};
    o.width = static_cast<LinkWidth>(3);
    check_error(generate_fat_tree({4, 2, 0}, o), errc::invalid_argument, "link width");
  }
}
