// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Graph statistics of a topology (what `ofmfctl topo info` prints).

#include <cstddef>
#include <cstdint>
#include <string>

#include "ofmf/error.hpp"
#include "ofmf/export.hpp"
#include "ofmf/model/topology_view.hpp"

namespace ofmf::topology {

struct DegreeStats {
  unsigned min = 0;
  unsigned max = 0;
  double mean = 0.0;
  double stddev = 0.0;
};

struct TopologyStats {
  std::size_t nodes = 0;
  std::size_t switches = 0;
  std::size_t channel_adapters = 0;
  std::size_t routers = 0;
  std::size_t ports = 0;         ///< ports 1..N over all nodes
  std::size_t linked_ports = 0;
  std::size_t links = 0;
  std::size_t switch_links = 0;  ///< links between two switches
  DegreeStats switch_degree;     ///< inter-switch links per switch
  DegreeStats endpoints_per_switch;
  std::size_t components = 0;    ///< connected components (all nodes)
  /// Largest shortest-path distance in links between two endpoints
  /// (channel adapters/routers; between switches when there are none);
  /// -1 when the fabric is disconnected, or when not computed.
  int diameter = -1;
  /// Estimated bisection width: links crossing the best balanced cut of
  /// the switch graph (endpoints split evenly) found by a seeded
  /// multi-start Kernighan-Lin/Fiduccia-Mattheyses search. An upper bound
  /// on the true bisection width; -1 when not computed.
  long long bisection_width = -1;
};

struct StatsOptions {
  bool diameter = true;
  bool bisection = true;
  std::uint64_t seed = 1;
  unsigned threads = 0;  ///< 0 = hardware concurrency; results do not depend on it
};

/// Computes the statistics. Deterministic for a view, options and seed.
OFMF_API TopologyStats compute_stats(const model::TopologyView& view, const StatsOptions& options = {});

/// Human-readable multi-line summary.
OFMF_API std::string format_stats(const TopologyStats& stats);

} // namespace ofmf::topology
