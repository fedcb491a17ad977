// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include "routing/detail/common.hpp"

namespace ofmf::routing::detail {

using model::TopologyView;

Destinations destinations(const TopologyView& view, const RouteTable& table) {
  Destinations d;
  const std::size_t space = table.lid_space();
  d.dest_switch.assign(space, TopologyView::npos);
  d.final_port.assign(space, no_route);
  for (std::size_t lid = 1; lid < space; ++lid) {
    const LidOwner o = table.owner(std::uint32_t(lid));
    if (!o.valid() || o.node >= view.node_count()) continue;
    if (view.is_switch(o.node)) {
      d.dest_switch[lid] = o.node;
      d.final_port[lid] = 0;
      continue;
    }
    const auto ports = view.ports(o.node);
    if (o.port >= ports.size() || !ports[o.port].linked()) continue;
    const std::uint32_t peer = ports[o.port].peer;
    if (!view.is_switch(peer)) continue;
    d.dest_switch[lid] = peer;
    d.final_port[lid] = ports[o.port].peer_port;
  }
  return d;
}

std::vector<std::uint16_t> all_pairs_hops(const TopologyView& view, unsigned threads) {
  const std::uint32_t nsw = view.switch_count();
  std::vector<std::uint16_t> hops(std::size_t(nsw) * nsw, unreachable_hops);
  const unsigned workers = worker_count(threads, nsw);
  std::vector<std::vector<std::uint32_t>> queues(workers);
  parallel_for(nsw, workers, 8, [&](unsigned w, std::size_t di) {
    auto& q = queues[w];
    q.clear();
    std::uint16_t* row = hops.data() + di * nsw;
    row[di] = 0;
    q.push_back(std::uint32_t(di));
    for (std::size_t h = 0; h < q.size(); ++h) {
      const std::uint32_t x = q[h];
      const std::uint16_t next = std::uint16_t(row[x] + 1);
      for (const model::Edge& e : view.edges(x)) {
        if (e.target >= nsw || row[e.target] != unreachable_hops) continue;
        row[e.target] = next;
        q.push_back(e.target);
      }
    }
  });
  return hops;
}

} // namespace ofmf::routing::detail
