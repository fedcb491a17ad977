// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Private to the umad backend: fabric discovery with directed-route SMPs.
///
/// Breadth-first from the local port: for every node NodeInfo,
/// NodeDescription, SwitchInfo (switches) and PortInfo of every port
/// (switches: 0..N; channel adapters: the port the SMP arrived on), and
/// NodeInfo through every port whose link is up to find the neighbour.
/// Each node is expanded once (keyed by node GUID); reaching a known node
/// again gives the link. The transport keeps Config::window SMPs in flight.
/// A request unanswered after the transport's resends is asked once more
/// (the same number of attempts again) at the end of the queue; a node or
/// port that does not answer then becomes a backend::Problem ("DR
/// path 0,1,3 (NodeInfo)", the error) and a backend::LostAnswer, and
/// discovery continues with the rest.
///
/// Given the session's previous discovery, what lost answers hid is taken
/// from it instead of being dropped (TopologyDelta documents the rule):
/// PortInfo, NodeDescription and SwitchInfo of reached nodes that did not
/// answer them, and, through every port whose PortInfo or far-side
/// NodeInfo was lost, the link the previous discovery saw there and the
/// node behind it if it was not reached otherwise - with everything behind
/// that node which was not reached either. A node kept that way counts one
/// more unanswered discovery; at `gone_after` it is left out (gone).
/// Nodes that only ports reading Down (or linked elsewhere now) led to are
/// gone at once.

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "mad.hpp"
#include "ofmf/backend/backend.hpp"
#include "transport.hpp"

namespace ofmf::backend::umad {

/// What discovery found, with the wire-level facts a subnet manager needs
/// afterwards (the model does not hold them).
struct Discovered {
  /// The model, the problems, the statistics of this walk.
  TopologyDelta delta;
  /// One directed route to every node that answered, by node GUID (the
  /// first route found: a shortest one in hops).
  std::unordered_map<model::Guid, DrPath> paths;
  /// SwitchInfo of every switch that answered it, by node GUID.
  std::unordered_map<model::Guid, SwitchInfo> switches;
  /// PortInfo as read, by (node GUID, port number); switches include port 0.
  /// apply_routes() stores what it sets or reads later, so that this stays
  /// the latest PortInfo known.
  std::map<std::pair<model::Guid, model::PortNum>, PortInfo> port_info;

  /// What the walk knows of a node of the model (reached or kept).
  struct Node {
    NodeInfo info;
    std::string description;
    /// Port GUIDs by port number (0..num_ports); 0 = not seen.
    std::vector<model::Guid> port_guids;
    /// Discoveries in a row that did not reach it (0 = reached this time).
    unsigned unanswered = 0;
  };
  /// Every node of the model, by node GUID.
  std::unordered_map<model::Guid, Node> nodes;
  /// Every link of the model, in both directions: (node GUID, port) ->
  /// (node GUID, port).
  std::map<std::pair<model::Guid, model::PortNum>, std::pair<model::Guid, model::PortNum>> links;
};

/// Walks the fabric through `transport`. `progress` (may be empty) gets
/// phase "discover" with done = nodes completely read and total = nodes
/// found so far. `previous` (may be null) is the session's latest
/// discovery; `gone_after` as backend::Config::gone_after (0 counts as 1).
/// Errors: errc::timeout / the transport's error when not even the local
/// node answers (nothing was discovered), errc::unavailable when the local
/// port's link is down (as its PortInfo reads now), errc::cancelled (the
/// transport's cancellation flag); anything later is a Problem.
Result<Discovered> discover(Transport& transport, const ProgressFn& progress = {},
                            const Discovered* previous = nullptr, unsigned gone_after = 2);

} // namespace ofmf::backend::umad
