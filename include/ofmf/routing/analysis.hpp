// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Route analysis: checks a RouteTable against its view by walking the
/// forwarding tables, independently of the engine that produced them.

#include <cstddef>
#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "ofmf/error.hpp"
#include "ofmf/export.hpp"
#include "ofmf/model/topology_view.hpp"
#include "ofmf/routing/route_table.hpp"

namespace ofmf::routing {

/// A source/destination pair as LIDs (source = base LID of the port).
struct LidPair {
  Lid source = 0;
  Lid destination = 0;
  friend constexpr bool operator==(LidPair, LidPair) = default;
};

/// A channel of the channel-dependency graph: a directed switch-to-switch
/// link (index into view.all_edges()) on one VL.
struct Channel {
  std::uint64_t edge = 0;
  std::uint8_t vl = 0;
  friend constexpr bool operator==(Channel, Channel) = default;
};

/// What analyze() may do.
struct AnalysisOptions {
  unsigned threads = 0;          ///< 0 = all cores; results do not depend on it
  std::size_t max_examples = 8;  ///< examples kept per kind of failure
};

/// Results of analyze(). Endpoints are the linked ports of channel
/// adapters and routers that have LIDs; traffic is all-to-all between them.
struct Analysis {
  std::size_t endpoint_ports = 0;
  /// (endpoint port, destination LID) pairs checked: every LID of every
  /// other endpoint port (all 2^lmc LIDs).
  std::size_t pairs = 0;
  /// Pairs whose packet is not delivered to the destination port (no
  /// route, unlinked port, wrong node, loop).
  std::size_t unreachable = 0;
  std::vector<LidPair> unreachable_examples;  ///< first ones, in source order
  /// (switch, assigned LID) walks that revisit a switch. Every switch to
  /// every LID is walked, so loops towards switch LIDs count as well.
  std::size_t loops = 0;
  /// Pairs (base LIDs only) delivered over more switch hops than the
  /// shortest path in the view.
  std::size_t non_minimal = 0;
  unsigned max_extra_hops = 0;  ///< largest (hops - shortest hops)
  double max_stretch = 1.0;     ///< largest hops / shortest hops (links, endpoints included)
  /// Path diversity with LMC: for endpoint pairs on different switches,
  /// the number of distinct paths (edge sequences) among the 2^lmc LIDs of
  /// the destination (undelivered LIDs do not count). Minimum and mean
  /// over those pairs; both 0 when there are no such pairs.
  unsigned min_distinct_paths = 0;
  double mean_distinct_paths = 0;
  /// Flows (base LID to base LID, one per ordered endpoint pair) crossing
  /// each directed link, indexed like view.all_edges().
  std::vector<std::uint64_t> link_load;
  /// Over directed switch-to-switch links only.
  std::uint64_t max_load = 0;
  double mean_load = 0;
  double stddev_load = 0;
  /// Channel-dependency graph of all endpoint-to-endpoint paths (all LIDs).
  /// One VL (VL 0) unless the table has SLs or SL-to-VL tables.
  bool cdg_acyclic = true;
  std::vector<Channel> cdg_cycle;  ///< one cycle when !cdg_acyclic, in order
  std::vector<std::uint8_t> vls_with_cycle;  ///< VLs the cycles found touch (sorted)
  unsigned vls_used = 1;

  /// Every pair delivered and no loop.
  bool complete() const noexcept { return unreachable == 0 && loops == 0; }
};

/// Analyses `table` on `view` (the view it was computed for). Parallel
/// over source switches; the result is identical for any thread count.
/// Errors: errc::invalid_argument when the table was computed on another
/// fabric (RouteTable::check_view(): its view fingerprint differs).
OFMF_API Result<Analysis> analyze(const model::TopologyView& view, const RouteTable& table,
                                  const AnalysisOptions& options = {});

/// The JSON form of an analysis, as `ofmfctl route --json` and the
/// manager's reports print it: endpoint_ports, pairs, unreachable, loops,
/// complete, non_minimal, max_extra_hops, max_stretch, link_load {max,
/// mean, stddev}, cdg_acyclic, vls_with_cycle, vls_used, path_diversity
/// {min, mean}.
OFMF_API nlohmann::ordered_json to_json(const Analysis& analysis);

} // namespace ofmf::routing
