// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
//
// What a job scheduler asks the fabric model: which leaf switch each
// endpoint hangs off, and how far apart the endpoints of a placement are.
// Works on an immutable snapshot (TopologyView), as a scheduler thread would.
//
//   scheduler_query [--radix R] [--ranks N] [TOPOLOGY-FILE]

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <queue>
#include <vector>

#include "ofmf/ofmf.hpp"
#include "ofmf/topology/format.hpp"
#include "ofmf/topology/generators.hpp"

using namespace ofmf;
using model::TopologyView;

namespace {

// Hops from one node to every other (BFS over links).
std::vector<int> distances(const TopologyView& v, TopologyView::Index from) {
  std::vector<int> d(v.node_count(), -1);
  std::queue<TopologyView::Index> q;
  d[from] = 0;
  q.push(from);
  while (!q.empty()) {
    const auto u = q.front();
    q.pop();
    if (u != from && !v.is_switch(u)) continue;  // endpoints do not forward
    for (const model::Edge& e : v.edges(u))
      if (d[e.target] < 0) {
        d[e.target] = d[u] + 1;
        q.push(e.target);
      }
  }
  return d;
}

} // namespace

int main(int argc, char** argv) {
  unsigned radix = 8;
  unsigned ranks = 16;
  const char* file = nullptr;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--radix") && i + 1 < argc) radix = unsigned(std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--ranks") && i + 1 < argc) ranks = unsigned(std::atoi(argv[++i]));
    else file = argv[i];
  }
  auto fabric = file ? topology::read_topology(file) : topology::generate_fat_tree({.radix = radix, .levels = 2});
  if (!fabric) {
    std::fprintf(stderr, "scheduler_query: %s\n", fabric.error().what().c_str());
    return 1;
  }
  const std::shared_ptr<const TopologyView> view = fabric->snapshot();

  // Leaf of every endpoint; group endpoints by leaf for locality.
  std::map<TopologyView::Index, std::vector<TopologyView::Index>> by_leaf;
  for (auto i = view->switch_count(); i < view->node_count(); ++i)
    for (const model::Edge& e : view->edges(i))
      if (view->is_switch(e.target)) by_leaf[e.target].push_back(i);
  std::printf("%zu leaf switches with endpoints\n", by_leaf.size());

  // Pack ranks leaf by leaf, then report the spread of the placement.
  std::vector<TopologyView::Index> placement;
  std::size_t leaves_used = 0;
  for (const auto& [leaf, eps] : by_leaf) {
    if (placement.size() >= ranks) break;
    ++leaves_used;
    for (auto ep : eps)
      if (placement.size() < ranks) placement.push_back(ep);
  }
  if (placement.size() < ranks) {
    std::fprintf(stderr, "scheduler_query: only %zu endpoints for %u ranks\n", placement.size(), ranks);
    return 1;
  }
  int max_hops = 0;
  for (auto a : placement) {
    const auto d = distances(*view, a);
    for (auto b : placement) {
      if (d[b] < 0) {
        std::fprintf(stderr, "scheduler_query: %s cannot reach %s\n", std::string(view->description(a)).c_str(),
                     std::string(view->description(b)).c_str());
        return 1;
      }
      max_hops = std::max(max_hops, d[b]);
    }
  }
  std::printf("placement of %u ranks: %zu leaves, max %d hops\n", ranks, leaves_used, max_hops);
  return 0;
}
