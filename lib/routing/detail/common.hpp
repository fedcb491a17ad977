// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

// Private helpers shared by the engines and the analysis: switch-graph BFS
// and the balanced LFT fill.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/detail/parallel.hpp"
#include "ofmf/model/topology_view.hpp"
#include "ofmf/routing/route_table.hpp"

namespace ofmf::routing::detail {

using ofmf::detail::parallel_for;
using ofmf::detail::worker_count;

inline constexpr std::uint16_t unreachable_hops = 0xFFFF;

/// Where each LID ends: the switch that delivers it and the port it uses
/// there (0 for the switch's own LID). dest_switch is npos when no switch
/// delivers the LID (unassigned, or an endpoint linked to a non-switch).
struct Destinations {
  std::vector<std::uint32_t> dest_switch;  // per LID, size lid_space
  std::vector<std::uint8_t> final_port;    // per LID
};
Destinations destinations(const model::TopologyView& view, const RouteTable& table);

/// Hop distances between all switches over switch-to-switch links:
/// result[d * nsw + x] = hops from x to d (unreachable_hops if none).
/// Parallel over d.
std::vector<std::uint16_t> all_pairs_hops(const model::TopologyView& view, unsigned threads);

/// Fills every switch LFT of `table`. For each switch s and destination
/// switch d != s, cand(s, d, out) appends the candidate out ports (in
/// ascending order). Each LID goes to the candidate with the fewest
/// endpoint LIDs routed so far, LIDs in ascending order; ties go to the
/// first candidate at or after position (s mod candidates), cyclically. Parallel over switches; deterministic.
template <class Cand>
void fill_balanced(const model::TopologyView& view, RouteTable& table, const Destinations& dst, unsigned threads,
                   Cand&& cand) {
  const std::uint32_t nsw = view.switch_count();
  const unsigned workers = worker_count(threads, nsw);
  struct Scratch {
    std::vector<std::uint32_t> offset;
    std::vector<std::uint8_t> ports;
    std::vector<std::uint32_t> count;
  };
  std::vector<Scratch> scratch(workers);
  const std::size_t space = table.lid_space();
  parallel_for(nsw, workers, 4, [&](unsigned w, std::size_t si) {
    const auto s = std::uint32_t(si);
    Scratch& sc = scratch[w];
    sc.offset.assign(std::size_t(nsw) + 1, 0);
    sc.ports.clear();
    for (std::uint32_t d = 0; d < nsw; ++d) {
      if (d != s) cand(s, d, sc.ports);
      sc.offset[d + 1] = std::uint32_t(sc.ports.size());
    }
    sc.count.assign(view.ports(s).size(), 0);
    auto lft = table.lft(s);
    for (std::size_t lid = 1; lid < space; ++lid) {
      const std::uint32_t d = dst.dest_switch[lid];
      if (d == model::TopologyView::npos) continue;
      if (d == s) {
        lft[lid] = dst.final_port[lid];
        continue;
      }
      const std::uint32_t b = sc.offset[d], e = sc.offset[d + 1];
      if (b == e) continue;
      const std::uint32_t nc = e - b;
      // Ties start at a switch-dependent position: switches of one level
      // otherwise all pick the same port for a LID, and on fat trees the
      // choices of consecutive levels line up (a few top switches get all
      // the traffic of a leaf).
      const std::uint32_t rot = s % nc;
      std::uint8_t best = sc.ports[b + rot];
      std::uint32_t best_count = sc.count[best];
      auto scan = [&](std::uint32_t from, std::uint32_t to) {
        for (std::uint32_t k = from; k < to; ++k) {
          const std::uint8_t p = sc.ports[k];
          if (sc.count[p] < best_count) {
            best = p;
            best_count = sc.count[p];
          }
        }
      };
      scan(b + rot + 1, e);
      scan(b, b + rot);
      lft[lid] = best;
      if (dst.final_port[lid] != 0) ++sc.count[best];  // balance endpoint routes only
    }
  });
}

} // namespace ofmf::routing::detail
