// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Private to the umad backend: the subnet-manager actions of a Session
/// (apply() and read_counters()), over a Transport.
///
/// apply_routes() programs, in this order and as ApplyOptions says:
///  1. LIDs: PortInfo Set of switch port 0 (LID, LMC 0) and of every linked
///     channel-adapter/router port (LID, LMC), MasterSMLID = the local
///     port's LID. Ports whose PortInfo already holds the wanted LID and
///     LMC are left alone (LIDs are kept, not rewritten).
///  2. Forwarding tables: per switch SwitchInfo Get; LinearFDBTop raised
///     to the table's top LID before the blocks when it grows, lowered
///     after all blocks when it shrinks (entries are never left pointing
///     past the top); then LinearForwardingTable blocks, all of them or
///     only ApplyOptions::only, with the transport's window of SMPs in
///     flight. Blocks at or above LinearFDBCap are problems, not written.
///  3. P_Key tables of switch port 0 and of every linked channel-adapter
///     port, from the fabric's partitions (the default partition first);
///     without partitions 0xffff (the default partition, full) for every
///     port, as OpenSM does. NodeInfo.PartitionCap bounds the entries: a
///     port with more P_Keys than that is a problem and is not written.
///     Blocks up to PartitionCap (at most 4 blocks, 128 entries) are
///     written; unused entries are 0.
///     Partition enforcement on switches (OpenSM with
///     no_partition_enforcement off): every switch external port linked to
///     a channel-adapter or router port gets that port's P_Keys, each as a
///     full member (attribute modifier port << 16 | block), bounded by
///     SwitchInfo.PartitionEnforcementCap instead of PartitionCap; a switch
///     whose PartitionEnforcementCap is 0 does not enforce and is skipped.
///     Switch-to-switch ports are left alone. The PortInfo
///     PartitionEnforcementInbound/Outbound bits are sent as read.
///  3b. SL-to-VL tables, when the table has them (has_sl2vl()) and
///     ApplyOptions::program_sl2vl: on every switch one SLtoVLMappingTable
///     per (in port, out port) with the out port linked and the in port 0
///     or linked, in != out (modifier in << 8 | out); on every linked
///     channel-adapter port the table its switch uses for (in 0, out =
///     the port facing the adapter), so both directions of a link use the
///     same VLs. OperationalVLs of both ends of every link is set, where it
///     differs, to the fewest VLs holding the highest VL either end sends
///     on (vls_code()); a port whose VLCap is lower is a problem.
///  4. Activation: linked switch external ports and channel-adapter ports
///     in Init are set Armed, then every Armed one Active (PortInfo Set of
///     PortState; the other fields as IBA 14.2.5.6 wants for a Set).
///  5. Verify: LFT blocks, LinearFDBTop, P_Key blocks, SL2VL tables and
///     PortInfo (LID, LMC, OperationalVLs, Active) read back with Gets and
///     compared.
/// ApplyOptions::only with entries that list no block writes no LFT block
/// (LinearFDBTop is still corrected): the other steps run alone, e.g. to
/// activate ports that a reset left in Init.
/// Everything is sent directed-route (it works before any LFT exists).
///
/// Problems (a node that does not answer, a value refused or read back
/// different) go into ApplyReport::problems and the rest goes on; an
/// Error is returned only when nothing can be done at all.

#include <vector>

#include "discovery.hpp"
#include "ofmf/backend/backend.hpp"
#include "transport.hpp"

namespace ofmf::backend::umad {

/// Programs `table` (computed on a snapshot of `fabric`) through
/// `transport`. `last` is the session's latest discovery of this fabric
/// (directed routes, SwitchInfo and PortInfo as read); may be null, then
/// routes are computed from `fabric` starting at the transport's local
/// port and PortInfo is read before it is set. The PortInfo that Sets
/// return and Gets read goes into last->port_info, also when apply stops
/// early, so that it holds the latest PortInfo known.
/// Errors: errc::invalid_argument (the table does not match the fabric:
/// switch count or GUIDs; a delta naming a switch or block not in the
/// table), errc::not_found (the local port is not in the fabric),
/// errc::cancelled (the transport's cancellation flag).
Result<ApplyReport> apply_routes(Transport& transport, Discovered* last, const model::Fabric& fabric,
                                 const routing::RouteTable& table, const ApplyOptions& options = {},
                                 const ProgressFn& progress = {});

/// Reads the PerfMgt counters of every port with a LID: channel-adapter
/// ports by their own LID, every linked port of a switch by the switch's
/// LID (PortSelect = port). ClassPortInfo of each agent decides whether
/// PortCountersExtended is read as well (extended width supported); its
/// 64-bit data and packet counters then replace the 32-bit ones. Results
/// go into fabric.set_counters() (data counters in octets, sampled_at_ms
/// stamped); ports that do not answer are returned as problems.
/// Errors: none beyond std::bad_alloc today (Result for the seam).
Result<std::vector<Problem>> read_port_counters(Transport& transport, model::Fabric& fabric,
                                                const ProgressFn& progress = {});

} // namespace ofmf::backend::umad
