// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// The field tables of every layout the MAD codec handles (IBA 1.4): one
/// row per field, in wire order, bound to the member of the decoded
/// struct in mad.hpp. encode(), decode_*() and dump_attribute() in
/// mad.hpp are walks over these tables (fields.hpp); nothing else in the
/// codec knows an offset. Bits not covered by a row are reserved: they
/// encode as 0 and are ignored when decoding.
///
/// Private to the umad backend (not installed).

#include "../mad.hpp"
#include "fields.hpp"

namespace ofmf::backend::umad::tables {

using fields::at;
using fields::each;
using fields::Fmt;
using fields::layout;

/// The common MAD header (IBA 13.4.3), offsets into the MAD. HopPointer
/// and HopCount are the DR SMP octets (IBA 14.2.1.2); other classes use
/// them as class-specific octets, kept as read.
inline constexpr auto mad_header = layout<MadHeader>(
    "MAD header", 24,
    at<&MadHeader::base_version>(0, 8, "BaseVersion"),
    at<&MadHeader::mgmt_class>(8, 8, "MgmtClass", Fmt::hex),
    at<&MadHeader::class_version>(16, 8, "ClassVersion"),
    at<&MadHeader::method>(24, 8, "Method", Fmt::hex),
    at<&MadHeader::status>(32, 16, "Status", Fmt::hex),
    at<&MadHeader::hop_pointer>(48, 8, "HopPointer"),
    at<&MadHeader::hop_count>(56, 8, "HopCount"),
    at<&MadHeader::tid>(64, 64, "TransactionID", Fmt::hex),
    at<&MadHeader::attr_id>(128, 16, "AttributeID", Fmt::hex),
    // bits 144..159 reserved
    at<&MadHeader::attr_mod>(160, 32, "AttributeModifier", Fmt::hex));

/// The SMP fields after the header (IBA 14.2.1.1 LID routed, 14.2.1.2
/// directed route), offsets into the MAD. In a LID-routed SMP the DR
/// fields are reserved (the codec writes them as 0 and ignores them).
inline constexpr auto smp = layout<Smp>(
    "SMP", mad_size,
    at<&Smp::mkey>(192, 64, "M_Key", Fmt::hex),
    at<&Smp::dr_slid>(256, 16, "DrSLID", Fmt::hex),
    at<&Smp::dr_dlid>(272, 16, "DrDLID", Fmt::hex),
    // bits 288..511 reserved
    each<&Smp::data>(512, 8, smp_data_size, "SMPData", Fmt::hex),
    each<&Smp::initial_path, &DrPath::ports>(1024, 8, 64, "InitialPath"),
    each<&Smp::return_path, &DrPath::ports>(1536, 8, 64, "ReturnPath"));

/// A PerfMgt MAD after the header: 40 reserved octets, then the data
/// (IBA 16.1.1), offsets into the MAD.
inline constexpr auto perf = layout<PerfMad>(
    "PerfMgt MAD", mad_size,
    each<&PerfMad::data>(512, 8, perf_data_size, "PerfData", Fmt::hex));

/// NodeDescription (IBA 14.2.5.2): 64 octets of text. Element i is octet
/// i of the text, 0 past its end; decoding keeps the octets before the
/// first NUL.
inline constexpr fields::Member<NodeDescription> node_string{
    fields::Field{0, 8, 64, "NodeString", Fmt::text},
    [](const NodeDescription& v, unsigned i) -> std::uint64_t {
      return i < v.text.size() ? static_cast<std::uint8_t>(v.text[i]) : 0;
    },
    [](NodeDescription& v, unsigned i, std::uint64_t c) {
      // Elements come in order: the text is still open while its size is i.
      if (c != 0 && v.text.size() == i) v.text.push_back(static_cast<char>(c));
    }};
inline constexpr auto node_description = layout<NodeDescription>("NodeDescription", 64, node_string);

/// NodeInfo (IBA 14.2.5.3).
inline constexpr auto node_info = layout<NodeInfo>(
    "NodeInfo", 40,
    at<&NodeInfo::base_version>(0, 8, "BaseVersion"),
    at<&NodeInfo::class_version>(8, 8, "ClassVersion"),
    at<&NodeInfo::node_type>(16, 8, "NodeType"),
    at<&NodeInfo::num_ports>(24, 8, "NumPorts"),
    at<&NodeInfo::system_image_guid>(32, 64, "SystemImageGUID", Fmt::hex),
    at<&NodeInfo::node_guid>(96, 64, "NodeGUID", Fmt::hex),
    at<&NodeInfo::port_guid>(160, 64, "PortGUID", Fmt::hex),
    at<&NodeInfo::partition_cap>(224, 16, "PartitionCap"),
    at<&NodeInfo::device_id>(240, 16, "DeviceID", Fmt::hex),
    at<&NodeInfo::revision>(256, 32, "Revision", Fmt::hex),
    at<&NodeInfo::local_port_num>(288, 8, "LocalPortNum"),
    at<&NodeInfo::vendor_id>(296, 24, "VendorID", Fmt::hex));

/// SwitchInfo (IBA 14.2.5.4), the first 20 octets.
inline constexpr auto switch_info = layout<SwitchInfo>(
    "SwitchInfo", 20,
    at<&SwitchInfo::linear_fdb_cap>(0, 16, "LinearFDBCap"),
    at<&SwitchInfo::random_fdb_cap>(16, 16, "RandomFDBCap"),
    at<&SwitchInfo::multicast_fdb_cap>(32, 16, "MulticastFDBCap"),
    at<&SwitchInfo::linear_fdb_top>(48, 16, "LinearFDBTop"),
    at<&SwitchInfo::default_port>(64, 8, "DefaultPort"),
    at<&SwitchInfo::default_multicast_primary_port>(72, 8, "DefaultMulticastPrimaryPort"),
    at<&SwitchInfo::default_multicast_not_primary_port>(80, 8, "DefaultMulticastNotPrimaryPort"),
    at<&SwitchInfo::life_time_value>(88, 5, "LifeTimeValue"),
    at<&SwitchInfo::port_state_change>(93, 1, "PortStateChange"),
    at<&SwitchInfo::optimized_sl_to_vl_mapping_programming>(94, 2, "OptimizedSLtoVLMappingProgramming"),
    at<&SwitchInfo::lids_per_port>(96, 16, "LIDsPerPort"),
    at<&SwitchInfo::partition_enforcement_cap>(112, 16, "PartitionEnforcementCap"),
    at<&SwitchInfo::inbound_enforcement_cap>(128, 1, "InboundEnforcementCap"),
    at<&SwitchInfo::outbound_enforcement_cap>(129, 1, "OutboundEnforcementCap"),
    at<&SwitchInfo::filter_raw_inbound_cap>(130, 1, "FilterRawInboundCap"),
    at<&SwitchInfo::filter_raw_outbound_cap>(131, 1, "FilterRawOutboundCap"),
    at<&SwitchInfo::enhanced_port0>(132, 1, "EnhancedPort0"),
    // bits 133..143 reserved
    at<&SwitchInfo::multicast_fdb_top>(144, 16, "MulticastFDBTop"));

/// PortInfo (IBA 14.2.5.6; CapabilityMask2 and the LinkSpeedExt fields
/// as in IBA 1.3 and later).
inline constexpr auto port_info = layout<PortInfo>(
    "PortInfo", 64,
    at<&PortInfo::m_key>(0, 64, "M_Key", Fmt::hex),
    at<&PortInfo::gid_prefix>(64, 64, "GidPrefix", Fmt::hex),
    at<&PortInfo::lid>(128, 16, "LID"),
    at<&PortInfo::master_sm_lid>(144, 16, "MasterSMLID"),
    at<&PortInfo::capability_mask>(160, 32, "CapabilityMask", Fmt::hex),
    at<&PortInfo::diag_code>(192, 16, "DiagCode", Fmt::hex),
    at<&PortInfo::m_key_lease_period>(208, 16, "M_KeyLeasePeriod"),
    at<&PortInfo::local_port_num>(224, 8, "LocalPortNum"),
    at<&PortInfo::link_width_enabled>(232, 8, "LinkWidthEnabled"),
    at<&PortInfo::link_width_supported>(240, 8, "LinkWidthSupported"),
    at<&PortInfo::link_width_active>(248, 8, "LinkWidthActive"),
    at<&PortInfo::link_speed_supported>(256, 4, "LinkSpeedSupported"),
    at<&PortInfo::port_state>(260, 4, "PortState"),
    at<&PortInfo::port_physical_state>(264, 4, "PortPhysicalState"),
    at<&PortInfo::link_down_default_state>(268, 4, "LinkDownDefaultState"),
    at<&PortInfo::m_key_protect_bits>(272, 2, "M_KeyProtectBits"),
    // bits 274..276 reserved
    at<&PortInfo::lmc>(277, 3, "LMC"),
    at<&PortInfo::link_speed_active>(280, 4, "LinkSpeedActive"),
    at<&PortInfo::link_speed_enabled>(284, 4, "LinkSpeedEnabled"),
    at<&PortInfo::neighbor_mtu>(288, 4, "NeighborMTU"),
    at<&PortInfo::master_sm_sl>(292, 4, "MasterSMSL"),
    at<&PortInfo::vl_cap>(296, 4, "VLCap"),
    at<&PortInfo::init_type>(300, 4, "InitType"),
    at<&PortInfo::vl_high_limit>(304, 8, "VLHighLimit"),
    at<&PortInfo::vl_arbitration_high_cap>(312, 8, "VLArbitrationHighCap"),
    at<&PortInfo::vl_arbitration_low_cap>(320, 8, "VLArbitrationLowCap"),
    at<&PortInfo::init_type_reply>(328, 4, "InitTypeReply"),
    at<&PortInfo::mtu_cap>(332, 4, "MTUCap"),
    at<&PortInfo::vl_stall_count>(336, 3, "VLStallCount"),
    at<&PortInfo::hoq_life>(339, 5, "HOQLife"),
    at<&PortInfo::operational_vls>(344, 4, "OperationalVLs"),
    at<&PortInfo::partition_enforcement_inbound>(348, 1, "PartitionEnforcementInbound"),
    at<&PortInfo::partition_enforcement_outbound>(349, 1, "PartitionEnforcementOutbound"),
    at<&PortInfo::filter_raw_inbound>(350, 1, "FilterRawInbound"),
    at<&PortInfo::filter_raw_outbound>(351, 1, "FilterRawOutbound"),
    at<&PortInfo::m_key_violations>(352, 16, "M_KeyViolations"),
    at<&PortInfo::p_key_violations>(368, 16, "P_KeyViolations"),
    at<&PortInfo::q_key_violations>(384, 16, "Q_KeyViolations"),
    at<&PortInfo::guid_cap>(400, 8, "GUIDCap"),
    at<&PortInfo::client_reregister>(408, 1, "ClientReregister"),
    at<&PortInfo::multicast_pkey_trap_suppression_enabled>(409, 2, "MulticastPKeyTrapSuppressionEnabled"),
    at<&PortInfo::subnet_timeout>(411, 5, "SubnetTimeOut"),
    // bits 416..418 reserved
    at<&PortInfo::resp_time_value>(419, 5, "RespTimeValue"),
    at<&PortInfo::local_phy_errors>(424, 4, "LocalPhyErrors"),
    at<&PortInfo::overrun_errors>(428, 4, "OverrunErrors"),
    at<&PortInfo::max_credit_hint>(432, 16, "MaxCreditHint"),
    // bits 448..455 reserved
    at<&PortInfo::link_round_trip_latency>(456, 24, "LinkRoundTripLatency"),
    at<&PortInfo::capability_mask2>(480, 16, "CapabilityMask2", Fmt::hex),
    at<&PortInfo::link_speed_ext_active>(496, 4, "LinkSpeedExtActive"),
    at<&PortInfo::link_speed_ext_supported>(500, 4, "LinkSpeedExtSupported"),
    // bits 504..506 reserved
    at<&PortInfo::link_speed_ext_enabled>(507, 5, "LinkSpeedExtEnabled"));

/// P_KeyTable (IBA 14.2.5.7): one block of 32 P_Keys.
inline constexpr auto pkey_block = layout<PKeyBlock>(
    "P_KeyTable", 64, each<&PKeyBlock::entries>(0, 16, 32, "P_KeyTableBlock", Fmt::hex));

/// SLtoVLMappingTable (IBA 14.2.5.8): SL0 in the high nibble of octet 0.
inline constexpr auto sl2vl = layout<Sl2VlTable>("SLtoVLMappingTable", 8, each<&Sl2VlTable::vl>(0, 4, 16, "SLtoVL"));

/// LinearForwardingTable (IBA 14.2.5.10): one block of 64 out ports.
inline constexpr auto lft_block = layout<LftBlock>(
    "LinearForwardingTable", 64, each<&LftBlock::ports>(0, 8, 64, "Port"));

/// ClassPortInfo (IBA 13.4.8.1), the first 8 octets (what a manager uses).
inline constexpr auto class_port_info = layout<ClassPortInfo>(
    "ClassPortInfo", 8,
    at<&ClassPortInfo::base_version>(0, 8, "BaseVersion"),
    at<&ClassPortInfo::class_version>(8, 8, "ClassVersion"),
    at<&ClassPortInfo::capability_mask>(16, 16, "CapabilityMask", Fmt::hex),
    at<&ClassPortInfo::capability_mask2>(32, 27, "CapabilityMask2", Fmt::hex),
    at<&ClassPortInfo::resp_time_value>(59, 5, "RespTimeValue"));

/// PortCounters (IBA 16.1.3.5).
inline constexpr auto port_counters = layout<PortCounters>(
    "PortCounters", 44,
    // bits 0..7 reserved
    at<&PortCounters::port_select>(8, 8, "PortSelect"),
    at<&PortCounters::counter_select>(16, 16, "CounterSelect", Fmt::hex),
    at<&PortCounters::symbol_error_counter>(32, 16, "SymbolErrorCounter"),
    at<&PortCounters::link_error_recovery_counter>(48, 8, "LinkErrorRecoveryCounter"),
    at<&PortCounters::link_downed_counter>(56, 8, "LinkDownedCounter"),
    at<&PortCounters::port_rcv_errors>(64, 16, "PortRcvErrors"),
    at<&PortCounters::port_rcv_remote_physical_errors>(80, 16, "PortRcvRemotePhysicalErrors"),
    at<&PortCounters::port_rcv_switch_relay_errors>(96, 16, "PortRcvSwitchRelayErrors"),
    at<&PortCounters::port_xmit_discards>(112, 16, "PortXmitDiscards"),
    at<&PortCounters::port_xmit_constraint_errors>(128, 8, "PortXmitConstraintErrors"),
    at<&PortCounters::port_rcv_constraint_errors>(136, 8, "PortRcvConstraintErrors"),
    at<&PortCounters::counter_select2>(144, 8, "CounterSelect2", Fmt::hex),
    at<&PortCounters::local_link_integrity_errors>(152, 4, "LocalLinkIntegrityErrors"),
    at<&PortCounters::excessive_buffer_overrun_errors>(156, 4, "ExcessiveBufferOverrunErrors"),
    // bits 160..175 reserved
    at<&PortCounters::vl15_dropped>(176, 16, "VL15Dropped"),
    at<&PortCounters::port_xmit_data>(192, 32, "PortXmitData"),
    at<&PortCounters::port_rcv_data>(224, 32, "PortRcvData"),
    at<&PortCounters::port_xmit_pkts>(256, 32, "PortXmitPkts"),
    at<&PortCounters::port_rcv_pkts>(288, 32, "PortRcvPkts"),
    at<&PortCounters::port_xmit_wait>(320, 32, "PortXmitWait"));

/// PortCountersExtended (IBA 16.1.4.11): 64-bit counters from octet 8.
inline constexpr auto port_counters_ext = layout<PortCountersExtended>(
    "PortCountersExtended", 184,
    at<&PortCountersExtended::port_select>(8, 8, "PortSelect"),
    at<&PortCountersExtended::counter_select>(16, 16, "CounterSelect", Fmt::hex),
    // bits 32..63 reserved
    at<&PortCountersExtended::port_xmit_data>(64, 64, "PortXmitData"),
    at<&PortCountersExtended::port_rcv_data>(128, 64, "PortRcvData"),
    at<&PortCountersExtended::port_xmit_pkts>(192, 64, "PortXmitPkts"),
    at<&PortCountersExtended::port_rcv_pkts>(256, 64, "PortRcvPkts"),
    at<&PortCountersExtended::port_unicast_xmit_pkts>(320, 64, "PortUnicastXmitPkts"),
    at<&PortCountersExtended::port_unicast_rcv_pkts>(384, 64, "PortUnicastRcvPkts"),
    at<&PortCountersExtended::port_multicast_xmit_pkts>(448, 64, "PortMulticastXmitPkts"),
    at<&PortCountersExtended::port_multicast_rcv_pkts>(512, 64, "PortMulticastRcvPkts"),
    at<&PortCountersExtended::symbol_error_counter>(576, 64, "SymbolErrorCounter"),
    at<&PortCountersExtended::link_error_recovery_counter>(640, 64, "LinkErrorRecoveryCounter"),
    at<&PortCountersExtended::link_downed_counter>(704, 64, "LinkDownedCounter"),
    at<&PortCountersExtended::port_rcv_errors>(768, 64, "PortRcvErrors"),
    at<&PortCountersExtended::port_rcv_remote_physical_errors>(832, 64, "PortRcvRemotePhysicalErrors"),
    at<&PortCountersExtended::port_rcv_switch_relay_errors>(896, 64, "PortRcvSwitchRelayErrors"),
    at<&PortCountersExtended::port_xmit_discards>(960, 64, "PortXmitDiscards"),
    at<&PortCountersExtended::port_xmit_constraint_errors>(1024, 64, "PortXmitConstraintErrors"),
    at<&PortCountersExtended::port_rcv_constraint_errors>(1088, 64, "PortRcvConstraintErrors"),
    at<&PortCountersExtended::local_link_integrity_errors>(1152, 64, "LocalLinkIntegrityErrors"),
    at<&PortCountersExtended::excessive_buffer_overrun_errors>(1216, 64, "ExcessiveBufferOverrunErrors"),
    at<&PortCountersExtended::vl15_dropped>(1280, 64, "VL15Dropped"),
    at<&PortCountersExtended::port_xmit_wait>(1344, 64, "PortXmitWait"),
    at<&PortCountersExtended::qp1_dropped>(1408, 64, "QP1Dropped"));

/// Calls f(layout) for every table above (for tests and dumps).
template <class F>
constexpr void for_each_layout(F&& f) {
  f(mad_header);
  f(smp);
  f(perf);
  f(node_description);
  f(node_info);
  f(switch_info);
  f(port_info);
  f(pkey_block);
  f(sl2vl);
  f(lft_block);
  f(class_port_info);
  f(port_counters);
  f(port_counters_ext);
}

} // namespace ofmf::backend::umad::tables
