// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// ofmf::model::reconcile() - applies a fresh discovery to the live Fabric
/// as mutations, so that its observers (a redfish::Renderer, subscribers)
/// keep following it instead of being dropped with a replaced model.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ofmf/error.hpp"
#include "ofmf/export.hpp"
#include "ofmf/model/fabric.hpp"
#include "ofmf/model/types.hpp"

namespace ofmf::model {

/// Where reconcile() takes partitions or counters from. Partitions are
/// keyed by P_Key, counters by (node GUID, port number).
enum class ReconcileFrom : std::uint8_t {
  /// Keep the live fabric's, for ports that still exist afterwards; those
  /// of removed ports go (partition members by port GUID).
  Live,
  /// Take the discovered fabric's: live partitions the discovery does not
  /// have are removed, counters the discovery does not have are cleared.
  Discovered,
  /// The live fabric's, replaced by the discovered ones where the
  /// discovery has them.
  Merged,
};

/// How reconcile() treats what the discovery did not see.
struct ReconcileOptions {
  /// Keep every live node the discovery did not see (a partial discovery:
  /// a lost MAD is no reason to drop a node). A kept node keeps its links
  /// unless the discovery has the port at the other end linked elsewhere.
  bool keep_missing = false;
  /// Node GUIDs that are kept when the discovery did not see them, as with
  /// keep_missing, when keep_missing is off.
  std::vector<Guid> keep;
  /// Partitions are policy the manager owns: by default the live ones stay.
  ReconcileFrom partitions = ReconcileFrom::Live;
  /// Counters are read into the live fabric between discoveries: by
  /// default they stay (a discovery usually carries none).
  ReconcileFrom counters = ReconcileFrom::Live;
  /// Compute and check the changes, but leave `live` as it is.
  bool dry_run = false;
};

/// A node as the report names it.
struct NodeSummary {
  Guid guid = 0;  ///< node GUID
  NodeType type = NodeType::Switch;
  std::string description;
  unsigned num_ports = 0;
  friend bool operator==(const NodeSummary&, const NodeSummary&) = default;
};

/// One end of a link, by node GUID and port number.
struct LinkEnd {
  Guid node = 0;
  PortNum port = 0;
  friend constexpr bool operator==(LinkEnd, LinkEnd) = default;
  friend constexpr auto operator<=>(LinkEnd, LinkEnd) = default;
};

/// A link by its two ends; `a` is the smaller end.
struct LinkSummary {
  LinkEnd a;
  LinkEnd b;
  friend constexpr bool operator==(const LinkSummary&, const LinkSummary&) = default;
  friend constexpr auto operator<=>(const LinkSummary&, const LinkSummary&) = default;
};

/// Attributes of a port that changed (ports of nodes that were there
/// before and are still there; ports of added nodes are part of the node).
struct PortChange {
  LinkEnd port;
  PortAttributes before;
  PortAttributes after;
};

/// A NodeDescription that changed.
struct DescriptionChange {
  Guid node = 0;
  std::string before;
  std::string after;
};

/// What reconcile() changed (or, with dry_run, would change). Every list
/// is sorted: nodes by GUID, links and ports by their ends.
struct ReconcileReport {
  /// New nodes, as discovered (their links are in links_added).
  std::vector<NodeSummary> nodes_added;
  /// Removed nodes, as they were. Their links are in links_removed.
  std::vector<NodeSummary> nodes_removed;
  /// GUIDs of nodes that are both in nodes_removed and nodes_added: the
  /// discovery has the GUID with what only a new node can take (another
  /// type, port count, system GUID, vendor or device ID, port GUIDs of an
  /// adapter or router, or attributes of its placeholder port 0).
  std::vector<Guid> nodes_replaced;
  /// GUIDs of live nodes the discovery did not see that were kept
  /// (ReconcileOptions::keep_missing, keep). Not a change.
  std::vector<Guid> nodes_kept;
  /// Links made, those of added nodes included.
  std::vector<LinkSummary> links_added;
  /// Links that are gone, those of removed nodes included.
  std::vector<LinkSummary> links_removed;
  /// Ports of nodes that stay whose attributes changed.
  std::vector<PortChange> ports_changed;
  /// Nodes that stay whose NodeDescription changed.
  std::vector<DescriptionChange> descriptions_changed;
  /// P_Keys of partitions added, changed (members dropped with removed
  /// ports included) or removed.
  std::vector<PKey> partitions_changed;
  /// Ports whose counters were set or cleared (counters of removed nodes
  /// go with them and are not counted).
  std::size_t counters_changed = 0;
  /// Fabric mutations applied to `live` (its generation() advanced by as
  /// much); 0 with dry_run.
  std::uint64_t mutations = 0;

  /// True when `live` was (with dry_run: would be) changed.
  bool changed() const noexcept {
    return !nodes_added.empty() || !nodes_removed.empty() || !links_added.empty() || !links_removed.empty() ||
           !ports_changed.empty() || !descriptions_changed.empty() || !partitions_changed.empty() ||
           counters_changed != 0;
  }
};

/// Makes `live` match `discovered` by mutating it: nodes are matched by
/// GUID, ports by (node GUID, port number), links by their two ends. In
/// this order it unlinks links that are gone, removes nodes, adds nodes
/// (with their port attributes), sets changed port attributes and
/// descriptions, links new links, then sets partitions and counters as
/// `options` say. Observers of `live` see each mutation as it is made.
/// Nothing else of `live` (NodeIds of the nodes that stay, observers) changes.
///
/// Afterwards same_topology(live, discovered) holds, unless nodes were
/// kept (ReconcileOptions::keep_missing, keep); with partitions and
/// counters both ReconcileFrom::Discovered, same_fabric() holds too.
/// A discovery equal to `live` makes no mutation (no notification).
///
/// All or nothing: the changes are first made on a private copy of `live`
/// (only when there are any); when a mutation is refused there, `live` is
/// left untouched and the error returned. They are then made on `live`,
/// where they cannot be refused. Only std::bad_alloc can stop that part
/// way, leaving `live` a valid fabric with part of the changes.
///
/// Errors: errc::already_exists (a GUID of the discovery is still held by
/// a kept node), errc::busy (called from inside an observer of `live`);
/// the message starts with "reconcile: ". `live` and `discovered` may be
/// the same object (nothing changes).
OFMF_API Result<ReconcileReport> reconcile(Fabric& live, const Fabric& discovered,
                                           const ReconcileOptions& options = {});

/// The report as text, one change a line ("node added: Switch
/// 0x0000000000000010 \"leaf\"", "link removed: 0x...[3] - 0x...[1]",
/// "port 0x...[2]: state Active -> Down, LID 4 -> 0", ...); "" when
/// nothing changed.
OFMF_API std::string to_string(const ReconcileReport& report);

} // namespace ofmf::model
