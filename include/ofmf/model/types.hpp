// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Value types of the fabric model: IDs, node and port attributes, and the
/// InfiniBand enumerations (numeric values as in the IBA specification, so
/// a backend can copy them from MAD fields without a table).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ofmf/export.hpp"

namespace ofmf::model {

/// EUI-64 GUID (node, port or system image GUID). 0 means "none".
using Guid = std::uint64_t;

/// Port number on a node. Switches number their ports 0 (management port,
/// never linked) to N; channel adapters and routers 1 to N.
using PortNum = std::uint8_t;

/// Highest number of external ports a node may have (NodeInfo.NumPorts is
/// 8 bits and 255 is reserved as "drop" in forwarding tables).
inline constexpr unsigned max_ports = 254;

/// Handle of a node inside one Fabric. A value: cheap to copy, compare and
/// hash. IDs are never reused inside a Fabric, so a stale ID is reported
/// as not found instead of silently naming another node.
struct NodeId {
  std::uint32_t value = UINT32_MAX;
  constexpr bool valid() const noexcept { return value != UINT32_MAX; }
  friend constexpr bool operator==(NodeId, NodeId) = default;
  friend constexpr auto operator<=>(NodeId, NodeId) = default;
};

/// One port of one node.
struct PortRef {
  NodeId node;
  PortNum port = 0;
  friend constexpr bool operator==(PortRef, PortRef) = default;
  friend constexpr auto operator<=>(PortRef, PortRef) = default;
};

/// NodeInfo.NodeType.
enum class NodeType : std::uint8_t { ChannelAdapter = 1, Switch = 2, Router = 3 };

/// PortInfo.PortState (logical state).
enum class PortState : std::uint8_t { NoChange = 0, Down = 1, Init = 2, Armed = 3, Active = 4 };

/// PortInfo.PortPhysicalState.
enum class PhysState : std::uint8_t {
  NoChange = 0,
  Sleep = 1,
  Polling = 2,
  Disabled = 3,
  PortConfigurationTraining = 4,
  LinkUp = 5,
  LinkErrorRecovery = 6,
  PhyTest = 7,
};

/// Link width (PortInfo.LinkWidthActive bit values).
enum class LinkWidth : std::uint8_t { X1 = 1, X4 = 2, X8 = 4, X12 = 8, X2 = 16 };

/// Link speed per lane, in order of rate. (The wire encodes these in two
/// PortInfo fields, LinkSpeedActive and LinkSpeedExtActive; a backend maps.)
enum class LinkSpeed : std::uint8_t { SDR = 1, DDR, QDR, FDR10, FDR, EDR, HDR, NDR, XDR };

/// PortInfo.NeighborMTU / MTUCap encoding.
enum class Mtu : std::uint8_t { Mtu256 = 1, Mtu512 = 2, Mtu1024 = 3, Mtu2048 = 4, Mtu4096 = 5 };

/// Number of lanes of a width (X4 -> 4).
OFMF_API unsigned lanes(LinkWidth w) noexcept;
/// Data rate of one lane in Gbit/s after line encoding (QDR -> 8, EDR -> 25).
OFMF_API double lane_data_rate_gbps(LinkSpeed s) noexcept;
/// Signalling rate of one lane in Gbit/s (QDR -> 10, EDR -> 25.78125).
OFMF_API double lane_signal_rate_gbps(LinkSpeed s) noexcept;
/// Bytes of an MTU value (Mtu4096 -> 4096).
OFMF_API unsigned mtu_bytes(Mtu m) noexcept;

/// Names as infiniband-diags print them: "Switch", "Ca", "Router";
/// "4x", "SDR", "Active", "LinkUp". Parsers accept exactly these.
OFMF_API std::string_view to_string(NodeType t) noexcept;
OFMF_API std::string_view to_string(PortState s) noexcept;
OFMF_API std::string_view to_string(PhysState s) noexcept;
OFMF_API std::string_view to_string(LinkWidth w) noexcept;
OFMF_API std::string_view to_string(LinkSpeed s) noexcept;
OFMF_API std::optional<LinkWidth> parse_link_width(std::string_view s) noexcept;
OFMF_API std::optional<LinkSpeed> parse_link_speed(std::string_view s) noexcept;

/// "0x0002c90300a1b2c3" (16 hex digits).
OFMF_API std::string format_guid(Guid g);

/// Attributes of a port that a subnet manager reads and sets (PortInfo).
struct PortAttributes {
  Guid guid = 0;  ///< port GUID; 0 in NodeSpec-built ports means "derived" (see NodeSpec)
  std::uint16_t lid = 0;  ///< base LID, 0 = unassigned (switches: on port 0)
  std::uint8_t lmc = 0;   ///< LID mask control, 0..7
  PortState state = PortState::Down;
  PhysState phys_state = PhysState::Polling;
  LinkWidth width = LinkWidth::X4;
  LinkSpeed speed = LinkSpeed::SDR;
  Mtu mtu = Mtu::Mtu4096;
  friend bool operator==(const PortAttributes&, const PortAttributes&) = default;
};

/// A port as the model reports it.
struct Port {
  PortNum number = 0;
  PortAttributes attributes;
  std::optional<PortRef> peer;  ///< the port at the other end of the link, if linked
};

/// What add_node() needs to create a node.
struct NodeSpec {
  NodeType type = NodeType::Switch;
  Guid guid = 0;                 ///< node GUID, non-zero, unique in the fabric
  unsigned num_ports = 0;        ///< external ports, 1..max_ports
  std::string description;       ///< NodeDescription, at most 64 bytes
  Guid system_guid = 0;          ///< SystemImageGUID; 0 = same as guid
  std::uint32_t vendor_id = 0;   ///< 24-bit IEEE OUI
  std::uint16_t device_id = 0;
  /// Port GUIDs. Empty = derived: a switch's ports share the node GUID,
  /// a channel adapter's or router's port p gets guid + p (as ibsim does).
  /// Otherwise exactly num_ports entries, for ports 1..num_ports (for a
  /// switch each must equal guid).
  std::vector<Guid> port_guids;
  /// Attributes every port starts with (guid is ignored: see port_guids).
  PortAttributes port_defaults;
};

/// A node as the model reports it (a copy; later mutations do not show).
struct Node {
  NodeId id;
  NodeType type = NodeType::Switch;
  Guid guid = 0;
  Guid system_guid = 0;
  std::uint32_t vendor_id = 0;
  std::uint16_t device_id = 0;
  std::string description;
  /// ports[p] is port p, for p in 0..num_ports. Port 0 is the switch
  /// management port; on channel adapters and routers it is a placeholder.
  std::vector<Port> ports;
  unsigned num_ports() const noexcept { return ports.empty() ? 0u : unsigned(ports.size() - 1); }
};

/// A link between two ports; `a` is the smaller PortRef.
struct Link {
  PortRef a;
  PortRef b;
  friend constexpr bool operator==(const Link&, const Link&) = default;
};

/// A partition key without its membership bit (15 bits, 0x0001..0x7fff;
/// 0x7fff is the default partition).
using PKey = std::uint16_t;

/// Highest partition key value (the default partition).
inline constexpr PKey default_pkey = 0x7fff;

/// Partition membership of a port: full members talk to everyone in the
/// partition, limited members only to full members (P_Key bit 15).
enum class Membership : std::uint8_t { Limited = 0, Full = 1 };

/// One member port of a partition, by port GUID (a switch is named by its
/// node GUID, i.e. its port 0).
struct PartitionMember {
  Guid port_guid = 0;
  Membership membership = Membership::Full;
  friend bool operator==(const PartitionMember&, const PartitionMember&) = default;
};

/// An InfiniBand partition (in Redfish: a Zone).
struct Partition {
  PKey pkey = 0;             ///< 0x0001..0x7fff, unique in the fabric
  std::string name;          ///< free text, at most 64 bytes ("" = none)
  /// Members in the order given; each port GUID at most once.
  std::vector<PartitionMember> members;
  friend bool operator==(const Partition&, const Partition&) = default;
};

/// "0x7fff" (4 hex digits).
OFMF_API std::string format_pkey(PKey pkey);

/// P_Key as it sits in a P_KeyTable entry: the partition key with the
/// membership bit (0x8000 = full).
constexpr std::uint16_t pkey_entry(PKey pkey, Membership m) noexcept {
  return static_cast<std::uint16_t>((pkey & 0x7fff) | (m == Membership::Full ? 0x8000 : 0));
}

/// Port counters as the performance-management agent reports them
/// (PortCounters and PortCountersExtended). Data counters are in octets
/// here (the wire counts 4-octet words; a backend multiplies). A counter
/// the port does not support stays 0.
struct PortCounters {
  std::uint64_t tx_bytes = 0;             ///< PortXmitData x 4
  std::uint64_t rx_bytes = 0;             ///< PortRcvData x 4
  std::uint64_t tx_packets = 0;           ///< PortXmitPkts
  std::uint64_t rx_packets = 0;           ///< PortRcvPkts
  std::uint64_t tx_unicast_packets = 0;   ///< PortUnicastXmitPkts
  std::uint64_t rx_unicast_packets = 0;   ///< PortUnicastRcvPkts
  std::uint64_t tx_multicast_packets = 0; ///< PortMulticastXmitPkts
  std::uint64_t rx_multicast_packets = 0; ///< PortMulticastRcvPkts
  std::uint64_t symbol_errors = 0;        ///< SymbolErrorCounter
  std::uint64_t link_error_recoveries = 0;///< LinkErrorRecoveryCounter
  std::uint64_t link_downed = 0;          ///< LinkDownedCounter
  std::uint64_t rx_errors = 0;            ///< PortRcvErrors
  std::uint64_t rx_remote_physical_errors = 0; ///< PortRcvRemotePhysicalErrors
  std::uint64_t rx_switch_relay_errors = 0;    ///< PortRcvSwitchRelayErrors
  std::uint64_t tx_discards = 0;          ///< PortXmitDiscards
  std::uint64_t tx_constraint_errors = 0; ///< PortXmitConstraintErrors
  std::uint64_t rx_constraint_errors = 0; ///< PortRcvConstraintErrors
  std::uint64_t local_link_integrity_errors = 0;     ///< LocalLinkIntegrityErrors
  std::uint64_t excessive_buffer_overrun_errors = 0; ///< ExcessiveBufferOverrunErrors
  std::uint64_t vl15_dropped = 0;         ///< VL15Dropped
  std::uint64_t tx_wait = 0;              ///< PortXmitWait (ticks)
  std::uint64_t sampled_at_ms = 0;        ///< when read, milliseconds since the Unix epoch (0 = unknown)
  friend bool operator==(const PortCounters&, const PortCounters&) = default;
};

} // namespace ofmf::model

template <>
struct std::hash<ofmf::model::NodeId> {
  std::size_t operator()(ofmf::model::NodeId id) const noexcept { return std::hash<std::uint32_t>{}(id.value); }
};
template <>
struct std::hash<ofmf::model::PortRef> {
  std::size_t operator()(ofmf::model::PortRef r) const noexcept {
    return std::hash<std::uint64_t>{}((std::uint64_t(r.node.value) << 8) | r.port);
  }
};
