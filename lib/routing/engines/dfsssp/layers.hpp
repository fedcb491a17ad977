// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

// Private to the dfsssp engine: the channel graph of a view (directed
// switch-to-switch links) and the assignment of paths to virtual layers
// with an acyclic channel-dependency graph per layer.

#include <cstdint>
#include <string_view>
#include <vector>

#include "ofmf/error.hpp"
#include "ofmf/model/topology_view.hpp"
#include "ofmf/routing/route_table.hpp"

namespace ofmf::routing::engines::dfsssp {

inline constexpr std::uint32_t none = UINT32_MAX;

/// Directed switch-to-switch links ("channels"), numbered in view edge
/// order, so the channels leaving switch x are [out_off[x], out_off[x+1]).
/// A dependency a -> b (a enters x, b leaves x) has the slot
/// dep_off[x] + in_idx[a] * out_degree(x) + (b - out_off[x]).
struct ChannelGraph {
  std::uint32_t switches = 0;
  std::uint32_t count = 0;
  std::vector<std::uint32_t> from, to;       // per channel
  std::vector<model::PortNum> port;          // per channel: port at `from`
  std::vector<std::uint32_t> out_off;        // per switch (+1)
  std::vector<std::uint32_t> in_off, in_list;  // per switch (+1): channels entering it
  std::vector<std::uint32_t> in_idx;         // per channel: position in its target's in_list
  std::vector<std::uint64_t> dep_off;        // per switch (+1)
  std::vector<std::uint32_t> port_off, by_port;  // (switch, port) -> channel leaving there, or none

  explicit ChannelGraph(const model::TopologyView& view);
  std::uint32_t out_degree(std::uint32_t x) const noexcept { return out_off[x + 1] - out_off[x]; }
  std::uint32_t in_degree(std::uint32_t x) const noexcept { return in_off[x + 1] - in_off[x]; }
  /// Channel leaving switch x on port p, or none (endpoint, unlinked, 0).
  std::uint32_t channel(std::uint32_t x, std::uint32_t p) const noexcept {
    return p < port_off[x + 1] - port_off[x] ? by_port[port_off[x] + p] : none;
  }
  /// Dependency slot of a -> b; to[a] must equal from[b].
  std::uint64_t dep(std::uint32_t a, std::uint32_t b) const noexcept {
    const std::uint32_t x = to[a];
    return dep_off[x] + std::uint64_t(in_idx[a]) * out_degree(x) + (b - out_off[x]);
  }
};

/// Fills the path SLs and SL-to-VL tables of `table` from its LFTs so that
/// the channel-dependency graph of each VL is acyclic. Paths are those from
/// switches with endpoints attached. When all of them together are
/// acyclic every SL is 0; otherwise every (source switch, destination LID)
/// path goes to the virtual layer, among those where its dependencies
/// close no cycle (incremental topological order, Pearce-Kelly), that
/// needs the fewest new dependencies, or to a new layer; per LID longest
/// paths first; while over budget a few more rounds put the paths of the
/// highest layers first. Layer = SL = VL. Switch LIDs routed like an
/// endpoint LID of their switch share its SLs. On success returns the
/// number of layers used and the table has SLs (layer) and SL2VL (SL s to
/// VL s, s % max_vls above the budget); on error the table is unchanged.
/// Errors: errc::limit_exceeded ("needs N VLs, budget M"),
/// errc::inconsistent (a forwarding loop in the table).
Result<unsigned> assign_layers(const model::TopologyView& view, const ChannelGraph& graph, RouteTable& table,
                               unsigned max_vls, unsigned threads, std::string_view engine);

} // namespace ofmf::routing::engines::dfsssp
