// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

// Private: pieces shared by the incremental reroute hooks of the engines
// (minhop, updn): a switch-only CSR graph for fast BFS, the eccentricities
// of all switches, and the repair of the LFT columns of a set of
// destination LIDs.

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <span>
#include <vector>

#include "routing/detail/common.hpp"
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

/// Eccentricity of every switch over switch-to-switch links (largest hop
/// count to another switch), unreachable_hops when some switch cannot be
/// reached. Bit-parallel BFS: 256 sources per pass, one pass costs a few
/// sweeps over the links (one per BFS level), so all of them together cost
/// about as much as a handful of plain BFS runs. Same values as the
/// maximum over all_pairs_hops() columns.
inline std::vector<std::uint16_t> eccentricities(const SwitchGraph& g) {
  constexpr std::size_t words = 4;  // sources per pass: 64 * words
  using Mask = std::array<std::uint64_t, words>;
  const std::size_t n = g.offset.size() - 1;
  std::vector<std::uint16_t> ecc(n, 0);
  std::vector<Mask> seen(n), frontier(n), next(n);
  for (std::size_t base = 0; base < n; base += 64 * words) {
    const std::size_t batch = std::min(n - base, 64 * words);
    std::fill(seen.begin(), seen.end(), Mask{});
    std::fill(frontier.begin(), frontier.end(), Mask{});
    for (std::size_t i = 0; i < batch; ++i) {
      seen[base + i][i / 64] |= std::uint64_t(1) << (i % 64);
      frontier[base + i][i / 64] |= std::uint64_t(1) << (i % 64);
    }
    for (std::uint16_t level = 1;; ++level) {
      Mask any{};
      for (std::size_t v = 0; v < n; ++v) {
        Mask m{};
        for (std::uint32_t k = g.offset[v]; k < g.offset[v + 1]; ++k) {
          const Mask& f = frontier[g.target[k]];
          for (std::size_t w = 0; w < words; ++w) m[w] |= f[w];
        }
        for (std::size_t w = 0; w < words; ++w) {
          m[w] &= ~seen[v][w];
          seen[v][w] |= m[w];
          any[w] |= m[w];
        }
        next[v] = m;
      }
      bool more = false;
      for (std::size_t w = 0; w < words; ++w) {
        more |= any[w] != 0;
        for (std::uint64_t b = any[w]; b; b &= b - 1) {
          const std::size_t i = w * 64 + std::size_t(std::countr_zero(b));
          ecc[base + i] = level;
        }
      }
      if (!more) break;
      frontier.swap(next);
    }
    // Sources that did not reach every switch.
    Mask all;
    all.fill(~std::uint64_t(0));
    for (std::size_t v = 0; v < n; ++v)
      for (std::size_t w = 0; w < words; ++w) all[w] &= seen[v][w];
    for (std::size_t i = 0; i < batch; ++i)
      if (!(all[i / 64] >> (i % 64) & 1)) ecc[base + i] = unreachable_hops;
  }
  return ecc;
}

/// The distinct destination switches of the LIDs in `affected` (view
/// indices, in order of first appearance).
inline std::vector<std::uint32_t> destination_switches(const Destinations& dst, std::size_t nsw,
                                                       std::span<const Lid> affected) {
  std::vector<std::uint8_t> seen(nsw, 0);
  std::vector<std::uint32_t> dsw;
  for (Lid l : affected) {
    if (l >= dst.dest_switch.size()) continue;
    const std::uint32_t d = dst.dest_switch[l];
    if (d != model::TopologyView::npos && !seen[d]) seen[d] = 1, dsw.push_back(d);
  }
  return dsw;
}

/// The column repair of repair_columns() with the per-destination data
/// left to the caller: cand(s, d, ports) appends the legal out ports of
/// switch s towards destination switch d, legal(s, d, port) tells whether
/// `port` is one of them. Same choices as repair_columns().
template <class Cand, class Legal>
void repair_columns_to(const model::TopologyView& view, RouteTable& out, const Destinations& dst,
                       std::span<const Lid> affected, unsigned threads, Cand&& cand, Legal&& legal) {
  using model::TopologyView;
  const std::uint32_t nsw = view.switch_count();
  const std::size_t space = out.lid_space();
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
        if (lft[l] < nports && lft[l] != 0 && legal(s, d, lft[l])) continue;
        sc.cands.clear();
        cand(s, d, sc.cands);
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
  repair_columns_to(
      view, out, dst, affected, threads,
      [&](std::uint32_t s, std::uint32_t d, std::vector<std::uint8_t>& c) {
        cand(s, rows.data() + std::size_t(row_of[d]) * nsw, c);
      },
      [&](std::uint32_t s, std::uint32_t d, std::uint8_t port) {
        return legal(s, rows.data() + std::size_t(row_of[d]) * nsw, port);
      });
}

} // namespace ofmf::routing::detail
