// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// InfiniBand MAD codec of the umad backend: subnet-management packets
/// (SMPs, directed-route and LID-routed) and performance-management MADs,
/// encoded, decoded and dumped from the IBA 1.4 field layouts. Each
/// layout is declared once, as a table with one row per field
/// (mad/tables.hpp, machinery in mad/fields.hpp); the functions here walk
/// those tables and add the checks of each attribute. Sources:
/// mad/common.cpp (header, names, routes, dump_mad), mad/smp.cpp,
/// mad/perf.cpp.
///
/// Pure byte-level code: it includes no rdma-core header and needs no
/// device, so unit tests and the fuzzer run anywhere. Every decoder is
/// bounds-checked and reports malformed input as errc::protocol_error with
/// a message naming the field ("NodeInfo.NumPorts is 0"); nothing here
/// throws except std::bad_alloc, and no input makes it read out of bounds.
///
/// Multi-byte fields are big-endian on the wire ("network order"); the
/// structs hold host values. Field names are the IBA names in snake_case.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ofmf/error.hpp"
#include "ofmf/model/types.hpp"

namespace ofmf::backend::umad {

/// Size of every MAD this codec handles (no RMPP).
constexpr std::size_t mad_size = 256;
/// One MAD on the wire.
using MadBuffer = std::array<std::uint8_t, mad_size>;
/// The 64-octet data area of an SMP (SMP Data, IBA 14.2.1).
constexpr std::size_t smp_data_size = 64;
using SmpData = std::array<std::uint8_t, smp_data_size>;
/// The 192-octet data area of a performance-management MAD (IBA 16.1.1).
constexpr std::size_t perf_data_size = 192;
using PerfData = std::array<std::uint8_t, perf_data_size>;

/// MAD base version of every MAD here.
constexpr std::uint8_t mad_base_version = 1;
/// Class version of the SM classes and of the PerfMgt class.
constexpr std::uint8_t smp_class_version = 1;
constexpr std::uint8_t perf_class_version = 1;

/// Permissive LID (DrSLID/DrDLID of a pure directed-route SMP).
constexpr std::uint16_t permissive_lid = 0xFFFF;

/// Bit 15 of the status word of a directed-route SMP: 0 = outbound, 1 = return.
constexpr std::uint16_t dr_direction_bit = 0x8000;

/// The kernel's umad layer replaces the high 32 bits of a request's
/// transaction ID with its agent ID; only these bits come back as sent.
constexpr std::uint64_t tid_mask = 0xFFFF'FFFFull;

/// Management classes (MAD header MgmtClass).
enum class MgmtClass : std::uint8_t { SubnLid = 0x01, SubnDirected = 0x81, PerfMgt = 0x04 };

/// Methods (MAD header R bit + Method).
enum class Method : std::uint8_t { Get = 0x01, Set = 0x02, GetResp = 0x81, Trap = 0x05, TrapRepress = 0x07 };

/// Attribute IDs of the SM classes (IBA 14.2.5).
enum class AttrId : std::uint16_t {
  ClassPortInfo = 0x0001,
  NodeDescription = 0x0010,
  NodeInfo = 0x0011,
  SwitchInfo = 0x0012,
  PortInfo = 0x0015,
  PKeyTable = 0x0016,
  SL2VLTable = 0x0017,
  LinearForwardingTable = 0x0019,
};

/// Attribute IDs of the PerfMgt class (IBA 16.1.2); they overlap AttrId.
enum class PerfAttr : std::uint16_t {
  ClassPortInfo = 0x0001,
  PortCounters = 0x0012,
  PortCountersExtended = 0x001D,
};

/// IBA name of an attribute ("NodeInfo"), "0x1234" for others.
std::string to_string(AttrId id);
/// IBA name of a PerfMgt attribute ("PortCounters"), "0x1234" for others.
std::string to_string(PerfAttr id);

/// The 24-octet common MAD header (IBA 13.4.3), plus the two octets that
/// directed-route SMPs use for the hop pointer and count (IBA 14.2.1.2);
/// in other MADs those are class-specific and kept as read.
struct MadHeader {
  std::uint8_t base_version = mad_base_version;
  std::uint8_t mgmt_class = 0;    ///< a MgmtClass value
  std::uint8_t class_version = 1;
  std::uint8_t method = 0;        ///< a Method value (bit 7 = response)
  /// Status word. For directed-route SMPs bit 15 is the direction bit D
  /// (dr_direction_bit) and bits 14..0 the status.
  std::uint16_t status = 0;
  std::uint8_t hop_pointer = 0;   ///< DR only (else class-specific, high octet)
  std::uint8_t hop_count = 0;     ///< DR only (else class-specific, low octet)
  std::uint64_t tid = 0;          ///< transaction ID
  std::uint16_t attr_id = 0;
  std::uint32_t attr_mod = 0;
  friend bool operator==(const MadHeader&, const MadHeader&) = default;
};

/// Decodes the common header only (to dispatch on the class before the
/// full decode). Errors: errc::protocol_error when `bytes` is shorter
/// than mad_size or the base version is not 1.
Result<MadHeader> decode_header(std::span<const std::uint8_t> bytes);

/// MADs as hex text, the way libibmad's debug dump prints them ("0181
/// 0181 8000 ..."): lines starting with '#' are comments, other
/// whitespace is ignored, the octets of all MADs follow each other.
/// Errors: errc::parse_error for a non-hex character or an odd digit
/// count (the message gives the line), or when the octets are not a
/// multiple of mad_size.
Result<std::vector<MadBuffer>> parse_mad_hex(std::string_view text);
/// One MAD in that form: 16 lines of 8 groups of 2 octets.
std::string format_mad_hex(std::span<const std::uint8_t, mad_size> mad);

/// One "Name: value" line per field of the whole MAD, for logs, debugging
/// and for callers that put a MAD into an error message: the header, then for SMPs M_Key (and for directed
/// route DrSLID, DrDLID and both paths up to the hop count), for PerfMgt
/// nothing more; then the attribute's fields named "Attribute.Field"
/// ("NodeInfo.NumPorts: 12"), or the raw data area when the attribute
/// has no table. IBA field names; values in decimal, or hex for IDs,
/// GUIDs, keys and masks. Reads only `bytes` (fields beyond its end say
/// so), whatever they hold; never fails.
std::string dump_mad(std::span<const std::uint8_t> bytes);

/// Text of the status bits of a MAD status word (direction bit ignored):
/// "busy", "redirect required", "bad version", "method not supported",
/// "unsupported attribute" (method/attribute combination not supported),
/// "invalid field", class-specific bits as "class-specific 0x..".
/// "success" for 0.
std::string status_text(std::uint16_t status);

/// A directed route: the out-port taken at each hop from the local node.
/// ports[1..hops] are the out ports (IBA InitialPath layout, ports[0]
/// unused); hops == 0 is the local node itself.
struct DrPath {
  static constexpr std::uint8_t max_hops = 63;
  std::uint8_t hops = 0;
  std::array<std::uint8_t, 64> ports{};

  /// This path plus one more hop out of `port`. Errors: errc::limit_exceeded
  /// when the path already has max_hops hops, errc::invalid_argument for
  /// port 0 or 255.
  Result<DrPath> extend(model::PortNum port) const;
  /// "0,1,3" (smpquery -D syntax: the local node, then each out port);
  /// "0" for the local node.
  std::string to_string() const;
  /// Parses to_string()'s form (a leading "0" is optional: "1,3" works
  /// too). Errors: errc::invalid_argument naming the bad element.
  static Result<DrPath> parse(std::string_view text);
  /// Equal when the hop count and ports[1..hops] are (unused entries ignored).
  friend bool operator==(const DrPath& a, const DrPath& b) noexcept;
};

/// A subnet-management packet (IBA 14.2.1). For LID-routed SMPs
/// (SubnLid) dr_slid, dr_dlid and the paths are not on the wire (those
/// octets are reserved and encode as 0).
struct Smp {
  MadHeader header;
  std::uint64_t mkey = 0;
  std::uint16_t dr_slid = permissive_lid;
  std::uint16_t dr_dlid = permissive_lid;
  SmpData data{};
  DrPath initial_path;
  DrPath return_path;
  /// Destination LID of a LID-routed SMP. Not part of the MAD: the
  /// transport puts it into the address (LRH). 0 for directed route.
  std::uint16_t dest_lid = 0;

  /// True for MgmtClass::SubnDirected.
  bool directed() const noexcept { return header.mgmt_class == static_cast<std::uint8_t>(MgmtClass::SubnDirected); }
};

/// Writes `smp` into `out` (all 256 octets; reserved ones are 0).
/// initial_path/return_path entries above hop_count are written as 0.
void encode(const Smp& smp, MadBuffer& out) noexcept;

/// Decodes an SMP. Checks: at least mad_size octets (longer input: the
/// rest is ignored), base version 1, class SubnDirected or SubnLid, class
/// version 1, for DR hop count <= 63 and hop pointer <= hop count + 1.
/// Errors: errc::protocol_error naming the field.
Result<Smp> decode_smp(std::span<const std::uint8_t> bytes);

/// Directed-route Get of `attr` at the end of `path`, DrSLID = DrDLID =
/// permissive, hop pointer 0, M_Key 0.
Smp make_dr_get(const DrPath& path, AttrId attr, std::uint32_t attr_mod, std::uint64_t tid);
/// Directed-route Set with `data` as the attribute.
Smp make_dr_set(const DrPath& path, AttrId attr, std::uint32_t attr_mod, std::uint64_t tid,
                std::span<const std::uint8_t, smp_data_size> data);
/// LID-routed Get to `dlid` (Smp::dest_lid).
Smp make_lid_get(std::uint16_t dlid, AttrId attr, std::uint32_t attr_mod, std::uint64_t tid);
/// LID-routed Set to `dlid`.
Smp make_lid_set(std::uint16_t dlid, AttrId attr, std::uint32_t attr_mod, std::uint64_t tid,
                 std::span<const std::uint8_t, smp_data_size> data);

/// Checks that `response` answers `request`: same class, method GetResp
/// (for Get and Set), same transaction ID (low 32 bits, see tid_mask),
/// attribute ID and modifier; for DR the direction bit set and the same
/// hop count; status 0. Errors: errc::busy (status busy),
/// errc::not_supported ("unsupported attribute", "method not supported"),
/// errc::invalid_argument ("invalid field": the node refused a value or
/// the modifier), errc::protocol_error for every mismatch and other
/// status; the message says which field and both values.
Result<void> check_response(const Smp& request, const Smp& response);

// ---------------------------------------------------------------------------
// SMP attributes. Each has encode() to the 64-octet SMP data and a
// decode_*() that reads the first octets of `data` (which must hold at
// least the attribute's size, else errc::protocol_error).

/// One "Name: value" line per field of SMP attribute `id` in `data` (an
/// SMP data area; see dump_mad() for the form). Empty for an attribute
/// without a table. Never reads outside `data`; never fails.
std::string dump_attribute(AttrId id, std::span<const std::uint8_t> data);

/// NodeInfo (IBA 14.2.5.3), 40 octets.
struct NodeInfo {
  std::uint8_t base_version = 1;
  std::uint8_t class_version = 1;
  std::uint8_t node_type = 0;      ///< model::NodeType value (1 CA, 2 switch, 3 router)
  std::uint8_t num_ports = 0;
  std::uint64_t system_image_guid = 0;
  std::uint64_t node_guid = 0;
  std::uint64_t port_guid = 0;
  std::uint16_t partition_cap = 0;
  std::uint16_t device_id = 0;
  std::uint32_t revision = 0;
  std::uint8_t local_port_num = 0;
  std::uint32_t vendor_id = 0;     ///< 24 bits
  friend bool operator==(const NodeInfo&, const NodeInfo&) = default;
};
SmpData encode(const NodeInfo& v) noexcept;
/// Rejects impossible nodes: NumPorts 0 or 255, NodeType not 1..3,
/// LocalPortNum > NumPorts, LocalPortNum 0 on a channel adapter or router
/// (errc::protocol_error).
Result<NodeInfo> decode_node_info(std::span<const std::uint8_t> data);

/// NodeDescription (IBA 14.2.5.2): 64 octets of text, NUL padded.
struct NodeDescription {
  /// The octets before the first NUL (at most 64). Not checked for UTF-8:
  /// invalid sequences are kept as they came.
  std::string text;
  friend bool operator==(const NodeDescription&, const NodeDescription&) = default;
};
/// Text beyond 64 octets is cut off; the rest is NUL padded.
SmpData encode(const NodeDescription& v) noexcept;
Result<NodeDescription> decode_node_description(std::span<const std::uint8_t> data);

/// PortInfo.CapabilityMask bits used here.
constexpr std::uint32_t cap_is_sm = 1u << 1;
constexpr std::uint32_t cap_is_extended_speeds_supported = 1u << 14;
constexpr std::uint32_t cap_has_capability_mask2 = 1u << 15;
/// PortInfo.LinkSpeedExtEnabled: 30 = disable extended speeds, 31 = all supported.
constexpr std::uint8_t link_speed_ext_disable = 30;
constexpr std::uint8_t link_speed_ext_set_to_supported = 31;

/// PortInfo (IBA 14.2.5.6), 64 octets.
struct PortInfo {
  std::uint64_t m_key = 0;
  std::uint64_t gid_prefix = 0;
  std::uint16_t lid = 0;
  std::uint16_t master_sm_lid = 0;
  std::uint32_t capability_mask = 0;
  std::uint16_t diag_code = 0;
  std::uint16_t m_key_lease_period = 0;
  std::uint8_t local_port_num = 0;
  std::uint8_t link_width_enabled = 0;
  std::uint8_t link_width_supported = 0;
  std::uint8_t link_width_active = 0;     ///< model::LinkWidth bit
  std::uint8_t link_speed_supported = 0;  ///< 4 bits
  std::uint8_t port_state = 0;            ///< 4 bits, model::PortState value
  std::uint8_t port_physical_state = 0;   ///< 4 bits, model::PhysState value
  std::uint8_t link_down_default_state = 0;  ///< 4 bits
  std::uint8_t m_key_protect_bits = 0;    ///< 2 bits
  std::uint8_t lmc = 0;                   ///< 3 bits
  std::uint8_t link_speed_active = 0;     ///< 4 bits: 1 SDR, 2 DDR, 4 QDR
  std::uint8_t link_speed_enabled = 0;    ///< 4 bits
  std::uint8_t neighbor_mtu = 0;          ///< 4 bits, model::Mtu value
  std::uint8_t master_sm_sl = 0;          ///< 4 bits
  std::uint8_t vl_cap = 0;                ///< 4 bits
  std::uint8_t init_type = 0;             ///< 4 bits
  std::uint8_t vl_high_limit = 0;
  std::uint8_t vl_arbitration_high_cap = 0;
  std::uint8_t vl_arbitration_low_cap = 0;
  std::uint8_t init_type_reply = 0;       ///< 4 bits
  std::uint8_t mtu_cap = 0;               ///< 4 bits
  std::uint8_t vl_stall_count = 0;        ///< 3 bits
  std::uint8_t hoq_life = 0;              ///< 5 bits
  std::uint8_t operational_vls = 0;       ///< 4 bits
  bool partition_enforcement_inbound = false;
  bool partition_enforcement_outbound = false;
  bool filter_raw_inbound = false;
  bool filter_raw_outbound = false;
  std::uint16_t m_key_violations = 0;
  std::uint16_t p_key_violations = 0;
  std::uint16_t q_key_violations = 0;
  std::uint8_t guid_cap = 0;
  bool client_reregister = false;
  std::uint8_t multicast_pkey_trap_suppression_enabled = 0;  ///< 2 bits
  std::uint8_t subnet_timeout = 0;        ///< 5 bits
  std::uint8_t resp_time_value = 0;       ///< 5 bits
  std::uint8_t local_phy_errors = 0;      ///< 4 bits
  std::uint8_t overrun_errors = 0;        ///< 4 bits
  std::uint16_t max_credit_hint = 0;
  std::uint32_t link_round_trip_latency = 0;  ///< 24 bits
  std::uint16_t capability_mask2 = 0;
  std::uint8_t link_speed_ext_active = 0;     ///< 4 bits: 1 FDR, 2 EDR, 4 HDR, 8 NDR
  std::uint8_t link_speed_ext_supported = 0;  ///< 4 bits
  std::uint8_t link_speed_ext_enabled = 0;    ///< 5 bits
  friend bool operator==(const PortInfo&, const PortInfo&) = default;
};
SmpData encode(const PortInfo& v) noexcept;
/// Rejects reserved PortState (> 4) and PortPhysicalState (> 7) values.
Result<PortInfo> decode_port_info(std::span<const std::uint8_t> data);

/// The model's view of a port from its PortInfo. Speed: as infiniband-
/// diags does, LinkSpeedExtActive (1 FDR, 2 EDR, 4 HDR, 8 NDR) when the
/// CapabilityMask has IsExtendedSpeedsSupported and a non-zero value is
/// there; else
/// FDR10 when `fdr10_active` (which only a vendor attribute tells:
/// Mellanox ExtendedPortInfo.LinkSpeedActive bit 0); else LinkSpeedActive
/// (1 SDR, 2 DDR, 4 QDR). Width: LinkWidthActive bit; MTU: NeighborMTU.
/// Errors: errc::protocol_error when a value has no model equivalent
/// (width not one bit, unknown speed, MTU outside 1..5) on a port that is
/// not Down; on a Down port such fields keep PortAttributes' defaults.
/// `capability_mask` is the mask that governs the port: on a switch only
/// port 0 carries one (IBA 14.2.5.6; external ports report 0), so pass
/// port 0's CapabilityMask for a switch's external ports, as ibnetdiscover
/// does; nullopt = info.capability_mask. XDR is not decoded (its speed
/// field is not in the IBA 1.4 layout).
Result<model::PortAttributes> to_attributes(const PortInfo& info, model::Guid port_guid,
                                            std::optional<std::uint32_t> capability_mask = std::nullopt,
                                            bool fdr10_active = false);

/// What a PortInfo Set changes; empty optionals leave a field alone.
struct PortInfoChange {
  std::optional<std::uint16_t> lid;
  std::optional<std::uint8_t> lmc;
  /// Down, Armed or Active (Init cannot be set; NoChange = leave alone).
  std::optional<model::PortState> state;
  /// Disabled or Polling (Sleep where supported).
  std::optional<model::PhysState> phys_state;
  std::optional<std::uint16_t> master_sm_lid;
  std::optional<std::uint8_t> master_sm_sl;
  std::optional<std::uint8_t> subnet_timeout;
  std::optional<std::uint64_t> gid_prefix;
  /// OperationalVLs code (1 = VL0, 2 = VL0-1, 3 = VL0-3, 4 = VL0-7,
  /// 5 = VL0-14); must not exceed the port's VLCap.
  std::optional<std::uint8_t> operational_vls;
  bool client_reregister = false;
};

/// The VLCap/OperationalVLs code (IBA 14.2.5.6) of the fewest data VLs
/// that hold VLs 0..`max_vl`: 1 for VL 0 only, 2 up to VL 1, 3 up to VL 3,
/// 4 up to VL 7, 5 up to VL 14; 0 for `max_vl` > 14 (no such code).
constexpr std::uint8_t vls_code(std::uint8_t max_vl) noexcept {
  return max_vl == 0 ? 1 : max_vl <= 1 ? 2 : max_vl <= 3 ? 3 : max_vl <= 7 ? 4 : max_vl <= 14 ? 5 : 0;
}

/// Builds the PortInfo to Set from the `current` one (as read) and a
/// change, following the IBA rules for a Set (14.2.5.6): every other
/// writable field is sent back as read; PortState, PortPhysicalState,
/// LinkDownDefaultState, LinkWidthEnabled, LinkSpeedEnabled and
/// LinkSpeedExtEnabled are 0 ("no change") unless changed; read-only
/// fields are sent as read (the SMA ignores them). On a switch the LID
/// and LMC matter on port 0 only (external ports ignore them).
/// Errors: errc::invalid_argument for LMC > 7, state Init or NoChange
/// given explicitly, a phys_state other than Sleep/Polling/Disabled,
/// SL > 15, subnet_timeout > 31, operational_vls 0, above 5 or above the
/// VLCap of `current`.
Result<PortInfo> for_set(const PortInfo& current, const PortInfoChange& change);
/// Shorthand: LID and LMC from `want`, and PortState `state` if given.
Result<PortInfo> for_set(const PortInfo& current, const model::PortAttributes& want,
                         std::optional<model::PortState> state = std::nullopt);

/// SwitchInfo (IBA 14.2.5.4), 20 octets used.
struct SwitchInfo {
  std::uint16_t linear_fdb_cap = 0;
  std::uint16_t random_fdb_cap = 0;
  std::uint16_t multicast_fdb_cap = 0;
  std::uint16_t linear_fdb_top = 0;
  std::uint8_t default_port = 0;
  std::uint8_t default_multicast_primary_port = 0;
  std::uint8_t default_multicast_not_primary_port = 0;
  std::uint8_t life_time_value = 0;        ///< 5 bits
  bool port_state_change = false;          ///< write 1 to clear
  std::uint8_t optimized_sl_to_vl_mapping_programming = 0;  ///< 2 bits
  std::uint16_t lids_per_port = 0;
  std::uint16_t partition_enforcement_cap = 0;
  bool inbound_enforcement_cap = false;
  bool outbound_enforcement_cap = false;
  bool filter_raw_inbound_cap = false;
  bool filter_raw_outbound_cap = false;
  bool enhanced_port0 = false;
  std::uint16_t multicast_fdb_top = 0;
  friend bool operator==(const SwitchInfo&, const SwitchInfo&) = default;
};
SmpData encode(const SwitchInfo& v) noexcept;
Result<SwitchInfo> decode_switch_info(std::span<const std::uint8_t> data);

/// One LinearForwardingTable block (IBA 14.2.5.10): out ports of LIDs
/// 64 * block .. 64 * block + 63 (attribute modifier = block). 255 = drop.
struct LftBlock {
  std::array<std::uint8_t, 64> ports{};
  friend bool operator==(const LftBlock&, const LftBlock&) = default;
};
SmpData encode(const LftBlock& v) noexcept;
Result<LftBlock> decode_lft_block(std::span<const std::uint8_t> data);

/// One P_KeyTable block (IBA 14.2.5.7): 32 entries, bit 15 = full member.
struct PKeyBlock {
  std::array<std::uint16_t, 32> entries{};
  friend bool operator==(const PKeyBlock&, const PKeyBlock&) = default;
};
SmpData encode(const PKeyBlock& v) noexcept;
Result<PKeyBlock> decode_pkey_block(std::span<const std::uint8_t> data);
/// Attribute modifier of a P_KeyTable block: block in bits 15..0, and for
/// a switch's external port the port number in bits 23..16.
constexpr std::uint32_t pkey_attr_mod(std::uint16_t block, model::PortNum port = 0) noexcept {
  return (std::uint32_t(port) << 16) | block;
}

/// SLtoVLMappingTable (IBA 14.2.5.8): VL of each SL (4 bits each).
struct Sl2VlTable {
  std::array<std::uint8_t, 16> vl{};  ///< vl[sl], 0..15
  friend bool operator==(const Sl2VlTable&, const Sl2VlTable&) = default;
};
/// VL values above 15 are masked to 4 bits.
SmpData encode(const Sl2VlTable& v) noexcept;
Result<Sl2VlTable> decode_sl2vl(std::span<const std::uint8_t> data);
/// Attribute modifier of a switch's SL2VL table: input port in bits 15..8,
/// output port in bits 7..0 (channel adapters: 0).
constexpr std::uint32_t sl2vl_attr_mod(model::PortNum in_port, model::PortNum out_port) noexcept {
  return (std::uint32_t(in_port) << 8) | out_port;
}

// ---------------------------------------------------------------------------
// Performance management (IBA 16.1). Sent LID-routed to QP1 with the
// GSI Q_Key 0x80010000 (the transport's business).

/// A PerfMgt MAD: common header, 40 reserved octets, 192 octets of data.
struct PerfMad {
  MadHeader header;
  PerfData data{};
  /// Destination LID (not in the MAD, see Smp::dest_lid).
  std::uint16_t dest_lid = 0;
};
void encode(const PerfMad& mad, MadBuffer& out) noexcept;
/// Checks length, base version 1, class PerfMgt, class version 1.
Result<PerfMad> decode_perf(std::span<const std::uint8_t> bytes);

/// Get of `attr` for `port` (PortSelect; 0xFF = all ports where the
/// agent supports AllPortSelect).
PerfMad make_perf_get(std::uint16_t dlid, PerfAttr attr, std::uint8_t port, std::uint64_t tid);
/// Set of PortCounters or PortCountersExtended with every CounterSelect
/// bit set: clears the port's counters.
PerfMad make_perf_reset(std::uint16_t dlid, PerfAttr attr, std::uint8_t port, std::uint64_t tid);
/// Same checks as the SMP check_response(), for PerfMgt.
Result<void> check_response(const PerfMad& request, const PerfMad& response);

/// PerfMgt ClassPortInfo.CapabilityMask bits (IBA 16.1.2 and
/// infiniband-diags' perfquery).
constexpr std::uint16_t pm_all_port_select = 1u << 8;
constexpr std::uint16_t pm_ext_width_supported = 1u << 9;
constexpr std::uint16_t pm_ext_width_noietf_supported = 1u << 10;
constexpr std::uint16_t pm_xmit_wait_supported = 1u << 12;
constexpr std::uint16_t pm_additional_port_counters_ext_supported = 1u << 14;

/// The fields of ClassPortInfo (IBA 13.4.8.1) a manager uses.
struct ClassPortInfo {
  std::uint8_t base_version = 1;
  std::uint8_t class_version = 1;
  std::uint16_t capability_mask = 0;
  std::uint32_t capability_mask2 = 0;  ///< 27 bits
  std::uint8_t resp_time_value = 0;    ///< 5 bits
  friend bool operator==(const ClassPortInfo&, const ClassPortInfo&) = default;
};
/// The fields above, the rest of the attribute 0.
PerfData encode(const ClassPortInfo& v) noexcept;
Result<ClassPortInfo> decode_class_port_info(std::span<const std::uint8_t> data);

/// dump_attribute() for PerfMgt attribute `id` in a PerfMgt data area.
std::string dump_attribute(PerfAttr id, std::span<const std::uint8_t> data);

/// PortCounters (IBA 16.1.3.5): 16-bit and 32-bit saturating counters;
/// the data counters count 4-octet words.
struct PortCounters {
  std::uint8_t port_select = 0;
  std::uint16_t counter_select = 0;
  std::uint16_t symbol_error_counter = 0;
  std::uint8_t link_error_recovery_counter = 0;
  std::uint8_t link_downed_counter = 0;
  std::uint16_t port_rcv_errors = 0;
  std::uint16_t port_rcv_remote_physical_errors = 0;
  std::uint16_t port_rcv_switch_relay_errors = 0;
  std::uint16_t port_xmit_discards = 0;
  std::uint8_t port_xmit_constraint_errors = 0;
  std::uint8_t port_rcv_constraint_errors = 0;
  std::uint8_t counter_select2 = 0;
  std::uint8_t local_link_integrity_errors = 0;      ///< 4 bits
  std::uint8_t excessive_buffer_overrun_errors = 0;  ///< 4 bits
  std::uint16_t vl15_dropped = 0;
  std::uint32_t port_xmit_data = 0;  ///< 4-octet words
  std::uint32_t port_rcv_data = 0;   ///< 4-octet words
  std::uint32_t port_xmit_pkts = 0;
  std::uint32_t port_rcv_pkts = 0;
  std::uint32_t port_xmit_wait = 0;
  friend bool operator==(const PortCounters&, const PortCounters&) = default;
};
PerfData encode(const PortCounters& v) noexcept;
Result<PortCounters> decode_port_counters(std::span<const std::uint8_t> data);

/// PortCountersExtended (IBA 16.1.4.11): 64-bit counters. The error
/// counters (symbol_error_counter ... qp1_dropped) are only meaningful
/// when the agent's ClassPortInfo has
/// pm_additional_port_counters_ext_supported.
struct PortCountersExtended {
  std::uint8_t port_select = 0;
  std::uint16_t counter_select = 0;
  std::uint64_t port_xmit_data = 0;  ///< 4-octet words
  std::uint64_t port_rcv_data = 0;   ///< 4-octet words
  std::uint64_t port_xmit_pkts = 0;
  std::uint64_t port_rcv_pkts = 0;
  std::uint64_t port_unicast_xmit_pkts = 0;
  std::uint64_t port_unicast_rcv_pkts = 0;
  std::uint64_t port_multicast_xmit_pkts = 0;
  std::uint64_t port_multicast_rcv_pkts = 0;
  std::uint64_t symbol_error_counter = 0;
  std::uint64_t link_error_recovery_counter = 0;
  std::uint64_t link_downed_counter = 0;
  std::uint64_t port_rcv_errors = 0;
  std::uint64_t port_rcv_remote_physical_errors = 0;
  std::uint64_t port_rcv_switch_relay_errors = 0;
  std::uint64_t port_xmit_discards = 0;
  std::uint64_t port_xmit_constraint_errors = 0;
  std::uint64_t port_rcv_constraint_errors = 0;
  std::uint64_t local_link_integrity_errors = 0;
  std::uint64_t excessive_buffer_overrun_errors = 0;
  std::uint64_t vl15_dropped = 0;
  std::uint64_t port_xmit_wait = 0;
  std::uint64_t qp1_dropped = 0;
  friend bool operator==(const PortCountersExtended&, const PortCountersExtended&) = default;
};
PerfData encode(const PortCountersExtended& v) noexcept;
Result<PortCountersExtended> decode_port_counters_ext(std::span<const std::uint8_t> data);

/// The model's counters from either or both attributes (null = not read).
/// Data counters become octets (words x 4). The extended attribute wins
/// for the counters it has: data and packet counters always, the error
/// counters when `ext_has_error_counters` (see PortCountersExtended) or
/// when `basic` is null.
/// sampled_at_ms stays 0 (the caller stamps it).
model::PortCounters to_counters(const PortCounters* basic, const PortCountersExtended* ext,
                                bool ext_has_error_counters = false) noexcept;

} // namespace ofmf::backend::umad
