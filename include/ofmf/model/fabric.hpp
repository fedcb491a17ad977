// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// ofmf::model::Fabric - the mutable fabric graph every layer works on.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ofmf/error.hpp"
#include "ofmf/export.hpp"
#include "ofmf/model/types.hpp"

namespace ofmf::model {

class TopologyView;

/// What changed, as told to observers.
enum class ChangeKind : std::uint8_t {
  NodeAdded,    ///< `node` was created
  NodeRemoved,  ///< `node` is gone (its links were reported removed first)
  NodeChanged,  ///< description of `node` changed
  PortChanged,  ///< attributes of `port` changed
  LinkAdded,    ///< `port` and `peer` were linked
  LinkRemoved,  ///< `port` and `peer` were unlinked
  PartitionChanged,  ///< partition `pkey` was added, replaced or removed
  CountersChanged,   ///< the counters of `port` were set or cleared
};

/// One change. `port`/`peer` are meaningful for port and link changes.
struct Change {
  ChangeKind kind = ChangeKind::NodeAdded;
  NodeId node;
  PortRef port;
  PortRef peer;
  PKey pkey = 0;                 ///< for PartitionChanged
  std::uint64_t generation = 0;  ///< Fabric::generation() after the change
};

/// Observer callback. Called synchronously, on the mutating thread, after
/// the change is complete. It must not mutate the Fabric: mutations from
/// inside an observer are refused with errc::busy.
using Observer = std::function<void(const Change&)>;

/// Token of a subscription; pass it to unsubscribe().
struct ObserverId {
  std::uint64_t value = 0;
  friend constexpr bool operator==(ObserverId, ObserverId) = default;
};

/// The fabric graph: nodes (switches, channel adapters, routers) with their
/// ports, and the links between ports. Nodes are keyed by GUID; callers hold
/// NodeId/PortRef values, never pointers into the model.
///
/// Every mutation is validated first and either applies completely or not
/// at all: a refused call leaves the Fabric unchanged and returns an Error
/// whose message names the node (by GUID) and port involved.
///
/// Thread safety: like a standard container. Concurrent const calls are
/// safe; a mutation needs exclusive access. For concurrent algorithms take
/// a snapshot(): it is immutable and may be shared freely.
class OFMF_API Fabric {
 public:
  Fabric();
  ~Fabric();
  /// Copies nodes, links and generation; observers are not copied.
  Fabric(const Fabric& other);
  Fabric& operator=(const Fabric& other);
  /// Moves everything, observers included. The moved-from Fabric is empty
  /// and usable; giving it fresh empty state allocates, so a move may throw
  /// std::bad_alloc (and leaves both Fabrics unchanged when it does).
  /// (Neither assignment may be made from inside an observer of either
  /// Fabric: that aborts, as it would free the state being notified.)
  Fabric(Fabric&& other);
  Fabric& operator=(Fabric&& other);

  /// Adds a node. Errors: errc::invalid_argument (GUID 0, 0 or more than
  /// max_ports ports, description over 64 bytes, wrong port_guids size,
  /// lmc > 7), errc::already_exists (node or port GUID already in use),
  /// errc::limit_exceeded (2^32 - 2 node IDs used up).
  Result<NodeId> add_node(const NodeSpec& spec);

  /// Removes a node; its links are removed first (each reported as
  /// LinkRemoved), then its ports leave the partitions they were members
  /// of (each changed partition reported as PartitionChanged) and their
  /// counters are dropped. Errors: errc::not_found.
  Result<void> remove_node(NodeId id);

  /// Links two ports. Errors: errc::not_found (unknown node),
  /// errc::out_of_range (port 0 or above num_ports), errc::invalid_argument
  /// (self link: both ends on the same port), errc::busy (a port is
  /// already linked).
  Result<void> connect(PortRef a, PortRef b);

  /// Unlinks a port from its peer. Errors: errc::not_found (unknown node or
  /// port not linked), errc::out_of_range.
  Result<void> disconnect(PortRef p);

  /// Replaces the attributes of a port. A zero guid keeps the current one.
  /// Errors: errc::not_found, errc::out_of_range, errc::invalid_argument
  /// (lmc > 7, enum value out of range), errc::already_exists (port GUID
  /// used elsewhere).
  Result<void> set_port(PortRef p, const PortAttributes& attributes);

  /// Sets the NodeDescription (at most 64 bytes).
  Result<void> set_description(NodeId id, std::string description);

  /// Number of live nodes / switches / links.
  std::size_t node_count() const noexcept;
  std::size_t switch_count() const noexcept;
  std::size_t link_count() const noexcept;
  /// Total number of ports 1..N over all nodes.
  std::size_t port_count() const noexcept;

  /// Live node IDs in creation order.
  std::vector<NodeId> nodes() const;
  /// Every link once, in order of `a`.
  std::vector<Link> links() const;

  bool contains(NodeId id) const noexcept;
  /// Node with this node GUID.
  std::optional<NodeId> find(Guid node_guid) const noexcept;
  /// Port with this port GUID (a switch answers with port 0).
  std::optional<PortRef> find_port(Guid port_guid) const noexcept;

  /// A copy of a node with its ports. Errors: errc::not_found.
  Result<Node> node(NodeId id) const;
  /// A copy of one port. Errors: errc::not_found, errc::out_of_range.
  Result<Port> port(PortRef p) const;
  /// The peer of a linked port; nullopt when unlinked or invalid.
  std::optional<PortRef> peer(PortRef p) const noexcept;
  /// Type, GUID, number of ports of a node without copying it;
  /// nullopt for an unknown ID.
  std::optional<NodeType> type(NodeId id) const noexcept;
  std::optional<Guid> guid(NodeId id) const noexcept;
  std::optional<unsigned> num_ports(NodeId id) const noexcept;

  /// Counter incremented by every successful mutation.
  std::uint64_t generation() const noexcept;

  /// An immutable compact (CSR) copy of the current graph, shareable across
  /// threads. Later mutations of the Fabric do not affect it.
  std::shared_ptr<const TopologyView> snapshot() const;

  /// Registers an observer; it sees every later change.
  ObserverId subscribe(Observer observer);
  /// Removes an observer. Returns false when the ID is unknown.
  bool unsubscribe(ObserverId id) noexcept;

  // ----- partitions (InfiniBand P_Keys; Redfish Zones) -----

  /// Adds a partition, or replaces the one with the same P_Key. Every
  /// member must be an existing port GUID of a channel adapter or router
  /// port, or a switch node GUID (port 0), at most once. Errors:
  /// errc::invalid_argument (P_Key 0 or above 0x7fff, name over 64 bytes,
  /// duplicate member), errc::not_found (unknown member GUID).
  Result<void> set_partition(const Partition& partition);
  /// Removes a partition. Errors: errc::not_found.
  Result<void> remove_partition(PKey pkey);
  /// All partitions, ordered by P_Key.
  std::vector<Partition> partitions() const;
  /// One partition; nullopt when there is none with this P_Key.
  std::optional<Partition> partition(PKey pkey) const;
  /// P_Keys of the partitions a port belongs to, ordered, with the
  /// membership bit (pkey_entry()). Empty for an unknown port.
  std::vector<std::uint16_t> pkeys_of(Guid port_guid) const;

  // ----- counters -----

  /// Records the counters read from a port (1..N; port 0 of a switch too).
  /// Errors: errc::not_found, errc::out_of_range.
  Result<void> set_counters(PortRef p, const PortCounters& counters);
  /// Forgets the counters of a port. Errors: as set_counters().
  Result<void> clear_counters(PortRef p);
  /// Last counters recorded for a port; nullopt when none were.
  std::optional<PortCounters> counters(PortRef p) const;

  /// Reserves room for this many nodes and ports (a hint for generators
  /// and parsers).
  void reserve(std::size_t nodes, std::size_t ports);

  /// Implementation (pimpl); opaque to users of the library.
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

/// True when both fabrics have the same nodes (by GUID: type, ports,
/// description, port attributes) and the same links. NodeIds may differ.
/// When they differ and `why` is given, it receives the first difference.
OFMF_API bool same_topology(const Fabric& a, const Fabric& b, std::string* why = nullptr);

/// same_topology() and also the same partitions and the same recorded
/// counters (ports matched by node GUID and port number).
OFMF_API bool same_fabric(const Fabric& a, const Fabric& b, std::string* why = nullptr);

} // namespace ofmf::model
