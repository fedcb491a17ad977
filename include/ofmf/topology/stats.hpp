// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Graph statistics of a topology (what `ofmfctl topo info` prints).
///
/// "Endpoints" are channel adapters and routers (every node that is not a
/// switch). Distances count links. A path between two endpoints may only
/// pass through switches: channel adapters do not forward, and routers
/// forward between subnets, not inside one.

#include <cstddef>
#include <cstdint>
#include <string>

#include "ofmf/error.hpp"
#include "ofmf/export.hpp"
#include "ofmf/model/topology_view.hpp"

namespace ofmf::topology {

/// Minimum, maximum, mean and (population) standard deviation of a
/// per-switch count. All zero when the fabric has no switches.
struct DegreeStats {
  unsigned min = 0;
  unsigned max = 0;
  double mean = 0.0;
  double stddev = 0.0;
};

/// Statistics of one topology; a plain value.
struct TopologyStats {
  std::size_t nodes = 0;
  std::size_t switches = 0;
  std::size_t channel_adapters = 0;
  std::size_t routers = 0;
  std::size_t ports = 0;         ///< ports 1..N over all nodes
  std::size_t linked_ports = 0;
  std::size_t links = 0;
  std::size_t switch_links = 0;  ///< links between two switches (parallel links each count)
  DegreeStats switch_degree;     ///< inter-switch links per switch (parallel links each count)
  DegreeStats endpoints_per_switch;  ///< links from a switch to endpoints, per switch
  std::size_t components = 0;    ///< connected components (all nodes, any link)
  /// True when the diameter was computed (StatsOptions::diameter).
  bool diameter_computed = false;
  /// True when there are no endpoints and the diameter is between switches.
  bool diameter_between_switches = false;
  /// Largest shortest-path distance in links between two endpoints
  /// (between two switches when there are no endpoints); paths pass only
  /// through switches. 0 when there are fewer than two such nodes. -1 when
  /// some pair is not connected, or when not computed.
  int diameter = -1;
  /// True when bisection_width was computed (StatsOptions::bisection).
  bool bisection_computed = false;
  /// Estimated bisection width: the number of links crossing a cut that
  /// splits the endpoints into halves of floor(N/2) and ceil(N/2) (the
  /// switches when there are no endpoints; then the switch-switch links
  /// are the only ones). The cut is found by a seeded multi-start
  /// Fiduccia-Mattheyses search on the switch graph weighted by endpoint
  /// counts. The cut is a real balanced cut, so the value is an upper
  /// bound on the true bisection width (usually equal on regular
  /// topologies). -1 when not computed.
  long long bisection_width = -1;
};

/// What compute_stats() computes and how.
struct StatsOptions {
  bool diameter = true;   ///< compute the diameter (BFS from every endpoint switch)
  bool bisection = true;  ///< compute the bisection-width estimate
  std::uint64_t seed = 1; ///< seed of the bisection search's starting points
  unsigned bisection_starts = 8;  ///< independent starts of the bisection search (at least 1)
  unsigned threads = 0;  ///< 0 = hardware concurrency; results do not depend on it
};

/// Computes the statistics. Deterministic for a view, options and seed
/// (independent of `threads`). Does not throw except std::bad_alloc; if
/// worker threads cannot be started it runs on the calling thread.
OFMF_API TopologyStats compute_stats(const model::TopologyView& view, const StatsOptions& options = {});

/// Human-readable multi-line summary, one "name: value" line per item,
/// ending with a newline.
OFMF_API std::string format_stats(const TopologyStats& stats);

} // namespace ofmf::topology
