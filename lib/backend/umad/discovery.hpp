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
/// A node or port that does not answer after the retries becomes a
/// backend::Problem ("DR path 0,1,3 (NodeInfo)", the error) and discovery
/// continues with the rest.

#include <cstdint>
#include <map>
#include <unordered_map>
#include <utility>

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
  std::map<std::pair<model::Guid, model::PortNum>, PortInfo> port_info;
};

/// Walks the fabric through `transport`. `progress` (may be empty) gets
/// phase "discover" with done = nodes completely read and total = nodes
/// found so far. Errors: errc::timeout / the transport's error when not
/// even the local node answers (nothing was discovered), errc::unavailable
/// when the local port's link is down; anything later is a Problem.
Result<Discovered> discover(Transport& transport, const ProgressFn& progress = {});

} // namespace ofmf::backend::umad
