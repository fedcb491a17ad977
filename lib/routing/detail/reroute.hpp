// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

// Private: pieces shared by the incremental reroute hooks of the engines
// (minhop, updn): a switch-only CSR graph for fast BFS and the repair of
// the LFT columns of a set of destination LIDs.

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "routing/detail/common.hpp"
#include "routing/detail/parallel.hpp"
#include "ofmf/model/topology_view.hpp"
#include "ofmf/routing/route_table.hpp"

namespace ofmf::routing::detail {

/// Switch-to-switch adjacency of a view (targets < switch_count() only).
struct SwitchGraph {
  std::vector<std::uint32_t> offset;  // switch_count()+1
  std::vector<std::uint32_t> target;
};

inline SwitchGraph switch_graph(const model::TopologyView& view) {
  const std::uint32_t nsw = view.switch_count();
  SwitchGraph g;
  g.offset.assign(std::size_t(nsw) + 1, 0);
  for (std::uint32_t s = 0; s < nsw; ++s) {
    for (const model::Edge& e : view.edges(s))
      if (e.target < nsw) g.target.push_back(e.target);
    g.offset[s + 1] = std::uint32_t(g.target.size());
  }
  return g;
}

/// Hops from every switch to `src` (== from `src`, links are symmetric).
inline void bfs(const SwitchGraph& g, std::uint32_t src, std::uint16_t* row, std::vector<std::uint32_t>& q) {
  const std::size_t n = g.offset.size() - 1;
  std::fill(row, row + n, unreachable_hops);
  q.clear();
  row[src] = 0;
  q.push_back(src);
  for (std::size_t h = 0; h < q.size(); ++h) {
    const std::uint32_t x = q[h];
    const std::uint16_t next = std::uint16_t(row[x] + 1);
    for (std::uint32_t k = g.offset[x]; k < g.offset[x + 1]; ++k) {
      const std::uint32_t t = g.target[k];
      if (row[t] != unreachable_hops) continue;
      row[t] = next;
      q.push_back(t);
    }
  }
}

/// Recomputes, on every switch of `view`, the LFT entries of `out` for the
/// LIDs in `affected` (the columns). For each distinct destination switch
/// d of those LIDs, row_fn(worker, d, row) fills a per-destination row of
/// switch_count() values (in parallel; worker < worker_count(threads,
/// switch_count())). For switch s, cand(s, row, ports) appends the legal out
/// ports towards d. An entry that is already a candidate is kept (fewest
/// changes); otherwise the candidate with the fewest endpoint LIDs routed
/// on the switch is taken, ties from position (s mod candidates) as in
/// fill_balanced(); no candidate gives no_route. LIDs without a delivering
/// switch get no_route; the delivering switch gets the final port.
/// Deterministic for any thread count.
template <class RowFn, class Cand, class Legal>
void repair_columns(const model::TopologyView& view, RouteTable& out, std::span<const Lid> affected,
                    unsigned threads, RowFn&& row_fn, Cand&& cand, Legal&& legal) {
  using model::TopologyView;
  const std::uint32_t nsw = view.switch_count();
  const std::size_t space = out.lid_space();
  const Destinations dst = destinations(view, out);
  std::vector<std::uint32_t> row_of(nsw, TopologyView::npos), dsw;
  for (Lid l : affected) {
    if (l >= space) continue;
    const std::uint32_t d = dst.dest_switch[l];
    if (d != TopologyView::npos && row_of[d] == TopologyView::npos) {
      row_of[d] = std::uint32_t(dsw.size());
      dsw.push_back(d);
    }
  }
  std::vector<std::uint16_t> rows(dsw.size() * nsw);
  parallel_for(dsw.size(), worker_count(threads, dsw.size()), 2,
               [&](unsigned w, std::size_t i) { row_fn(w, dsw[i], rows.data() + i * nsw); });

  std::vector<std::uint8_t> endpoint(space, 0);
  for (std::size_t l = 1; l < space; ++l) endpoint[l] = dst.final_port[l] != 0 && dst.final_port[l] != no_route;
  struct Scratch {
    std::vector<std::uint8_t> cands;
    std::vector<std::uint32_t> count;
  };
  const unsigned workers = worker_count(threads, nsw);
  std::vector<Scratch> scratch(workers);
  parallel_for(nsw, workers, 8, [&](unsigned w, std::size_t si) {
    const auto s = std::uint32_t(si);
    Scratch& sc = scratch[w];
    auto lft = out.lft(s);
    const std::size_t nports = view.ports(s).size();
    bool counted = false;
    // Endpoint LIDs per out port (the LIDs s delivers itself only count
    // on endpoint ports, which are never candidates).
    auto count_routes = [&] {
      sc.count.assign(256, 0);
      for (std::size_t l = 1; l < space; ++l) sc.count[lft[l]] += endpoint[l];
      counted = true;
    };
    for (Lid l : affected) {
      if (l >= space) continue;
      const std::uint32_t d = dst.dest_switch[l];
      std::uint8_t want;
      if (d == TopologyView::npos) {
        want = no_route;
      } else if (d == s) {
        want = dst.final_port[l];
      } else {
        const std::uint16_t* row = rows.data() + std::size_t(row_of[d]) * nsw;
        if (lft[l] < nports && lft[l] != 0 && legal(s, row, lft[l])) continue;
        sc.cands.clear();
        cand(s, row, sc.cands);
        if (sc.cands.empty()) {
          want = no_route;
        } else {
          if (!counted) count_routes();
          const std::uint32_t nc = std::uint32_t(sc.cands.size());
          const std::uint32_t rot = s % nc;
          want = sc.cands[rot];
          std::uint32_t best = sc.count[want];
          for (std::uint32_t k = 1; k < nc; ++k) {
            const std::uint8_t p = sc.cands[(rot + k) % nc];
            if (sc.count[p] < best) want = p, best = sc.count[p];
          }
        }
      }
      const std::uint8_t cur = lft[l];
      if (cur == want) continue;
      if (counted && endpoint[l]) {
        if (sc.count[cur] > 0) --sc.count[cur];
        ++sc.count[want];
      }
      lft[l] = want;
    }
  });
}

} // namespace ofmf::routing::detail
