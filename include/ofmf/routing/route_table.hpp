// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// ofmf::routing::RouteTable - LID assignment and the per-switch linear
/// forwarding tables (LFTs) a routing engine produces.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ofmf/error.hpp"
#include "ofmf/export.hpp"
#include "ofmf/model/topology_view.hpp"

namespace ofmf::routing {

/// A unicast LID (1..0xBFFF; 0 = none).
using Lid = std::uint16_t;

/// Highest unicast LID.
inline constexpr Lid max_unicast_lid = 0xBFFF;
/// LFT entry meaning "no route" (the packet is dropped).
inline constexpr std::uint8_t no_route = 255;
/// Entries per LFT block (the unit a switch is programmed in).
inline constexpr std::size_t lft_block_size = 64;

/// The port a LID belongs to: a view index and a port number (0 for a
/// switch). `node == TopologyView::npos` when the LID is unassigned.
struct LidOwner {
  std::uint32_t node = model::TopologyView::npos;
  model::PortNum port = 0;
  bool valid() const noexcept { return node != model::TopologyView::npos; }
  friend constexpr bool operator==(LidOwner, LidOwner) = default;
};

/// Why an engine of a chain was not used (see compute_chain()).
struct SkippedEngine {
  std::string engine;  ///< engine name
  Error error;         ///< what it (or the chain) reported
};

/// LIDs plus forwarding tables of one view. A value type: copyable, owns
/// all its data, does not refer to the view it was built from (switches are
/// identified by view index and GUID), but carries that view's identity
/// (TopologyView::fingerprint(), set by create()): the functions that read
/// a table together with a view (analyze(), format_lft_dump(), reroute(),
/// store_lids()) refuse a view with another fingerprint
/// (errc::invalid_argument, see check_view()). The identity is
/// structural: a table fits every snapshot of a fabric of the same nodes,
/// GUIDs and links, whatever its LIDs, states or descriptions.
///
/// LFTs are flat arrays of lid_space() bytes per switch: entry L is the out
/// port for destination LID L, 0 = the switch itself, no_route = drop.
///
/// SL / SL2VL: engines that use virtual lanes fill a path SL per (source
/// switch, destination LID) and an SL-to-VL table per switch (in port, out
/// port, SL). With LFT routing the path of a packet depends only on the
/// switch it enters the fabric at and its destination LID, so every port
/// attached to one switch (and the switch itself) uses the same SL for a
/// destination. Both are empty (has_sl() / has_sl2vl() false) for engines
/// that do not use VLs; then every hop is on VL 0.
class OFMF_API RouteTable {
 public:
  /// An empty table (no switches, no LIDs).
  RouteTable() = default;

  /// Assigns LIDs for `view` and returns a table whose LFTs are all
  /// no_route. LIDs already set on ports of the view are kept when valid
  /// (unicast range, aligned to 2^lmc for channel-adapter/router ports, not
  /// colliding with a LID kept earlier in view order); the others are
  /// assigned in view order (switches first, then ports in order), each
  /// taking the lowest free aligned range. A switch gets one LID, on port 0;
  /// every linked port of a channel adapter or router gets 2^lmc LIDs.
  /// Unlinked endpoint ports get no LID.
  /// Errors: errc::invalid_argument (lmc > 7), errc::limit_exceeded (more
  /// LIDs needed than the unicast range holds).
  static Result<RouteTable> create(const model::TopologyView& view, std::uint8_t lmc);

  /// TopologyView::fingerprint() of the view create() was given; 0 for a
  /// default-constructed table (which fits no view).
  std::uint64_t view_fingerprint() const noexcept { return view_fingerprint_; }
  /// Whether the table was computed on `view` (or a view of the same
  /// structure). Errors: errc::invalid_argument naming both fingerprints
  /// and switch counts: the table belongs to another fabric. `what` starts
  /// the message ("analyze", ...).
  Result<void> check_view(const model::TopologyView& view, std::string_view what) const;

  /// LID mask control used for endpoint ports.
  std::uint8_t lmc() const noexcept { return lmc_; }
  /// Highest assigned LID (0 when none).
  Lid max_lid() const noexcept { return max_lid_; }
  /// Entries per switch LFT: max_lid()+1 rounded up to a whole block.
  std::size_t lid_space() const noexcept { return lid_space_; }
  /// Number of switches (view indices 0..switch_count()-1).
  std::uint32_t switch_count() const noexcept { return std::uint32_t(switch_guid_.size()); }
  /// Node GUID of switch `sw`.
  model::Guid switch_guid(std::uint32_t sw) const noexcept { return switch_guid_[sw]; }

  /// Owner of a LID; invalid for unassigned or out-of-range LIDs.
  LidOwner owner(std::uint32_t lid) const noexcept {
    return lid < owner_.size() ? owner_[lid] : LidOwner{};
  }
  /// Base LID of a port (switch: port 0), 0 when the port has none or the
  /// node/port is out of range.
  Lid base_lid(std::uint32_t node, model::PortNum port) const noexcept;
  /// Number of LIDs of a port: 1 for a switch, 2^lmc() for endpoint ports,
  /// 0 when it has none.
  unsigned lid_count(std::uint32_t node, model::PortNum port) const noexcept;

  /// LFT of switch `sw` (lid_space() entries). `sw` must be < switch_count().
  std::span<const std::uint8_t> lft(std::uint32_t sw) const noexcept {
    return {lft_.data() + std::size_t(sw) * lid_space_, lid_space_};
  }
  std::span<std::uint8_t> lft(std::uint32_t sw) noexcept {
    return {lft_.data() + std::size_t(sw) * lid_space_, lid_space_};
  }
  /// Out port of switch `sw` for `lid`; no_route when `lid` >= lid_space().
  std::uint8_t out_port(std::uint32_t sw, std::uint32_t lid) const noexcept {
    return lid < lid_space_ ? lft_[std::size_t(sw) * lid_space_ + lid] : no_route;
  }
  /// Sets one entry; ignored when `sw` or `lid` is out of range.
  void set_out_port(std::uint32_t sw, std::uint32_t lid, std::uint8_t port) noexcept {
    if (sw < switch_count() && lid < lid_space_) lft_[std::size_t(sw) * lid_space_ + lid] = port;
  }

  /// Number of 64-entry blocks per switch.
  std::size_t block_count() const noexcept { return lid_space_ / lft_block_size; }
  /// Entries block*64 .. block*64+63 of switch `sw` (block < block_count()).
  std::span<const std::uint8_t> lft_block(std::uint32_t sw, std::size_t block) const noexcept {
    return lft(sw).subspan(block * lft_block_size, lft_block_size);
  }

  /// For each switch of this table (by view index), the blocks that differ
  /// from `old`. Switches are matched by GUID; a switch absent from `old`
  /// lists every block; entries beyond old's lid_space() count as
  /// no_route. Block numbers are ascending.
  std::vector<std::vector<std::uint32_t>> changed_blocks(const RouteTable& old) const;

  /// Name of the engine that produced the table ("" before routing).
  const std::string& engine() const noexcept { return engine_; }
  void set_engine(std::string name) { engine_ = std::move(name); }
  /// Engines of a chain tried before engine(), with the reason each was
  /// skipped (compute_chain() fills this; empty otherwise).
  const std::vector<SkippedEngine>& skipped() const noexcept { return skipped_; }
  std::vector<SkippedEngine>& skipped() noexcept { return skipped_; }

  /// True when path SLs are present.
  bool has_sl() const noexcept { return !path_sl_.empty(); }
  /// Allocates the path-SL array (switch_count() * lid_space() bytes), all
  /// SL 0.
  void enable_sl();
  /// SL of the paths that enter the fabric at switch `src_switch` (view
  /// index: the switch itself or the switch an endpoint is linked to) and
  /// go to `dlid`; 0 when has_sl() is false or out of range.
  std::uint8_t switch_path_sl(std::uint32_t src_switch, std::uint32_t dlid) const noexcept {
    if (path_sl_.empty() || src_switch >= switch_count() || dlid >= lid_space_) return 0;
    return path_sl_[std::size_t(src_switch) * lid_space_ + dlid];
  }
  /// Sets the SL (0..15) of the paths from switch `src_switch` to `dlid`;
  /// ignored unless has_sl() and in range.
  void set_switch_path_sl(std::uint32_t src_switch, std::uint32_t dlid, std::uint8_t sl) noexcept {
    if (!path_sl_.empty() && src_switch < switch_count() && dlid < lid_space_ && sl < 16)
      path_sl_[std::size_t(src_switch) * lid_space_ + dlid] = sl;
  }
  /// The switch where packets sent from `lid` enter the fabric: the owner
  /// for a switch LID, the switch the port is linked to for an endpoint
  /// LID; TopologyView::npos when the LID is unassigned or its port is not
  /// linked to a switch.
  std::uint32_t ingress_switch(std::uint32_t lid) const noexcept {
    return lid < ingress_.size() ? ingress_[lid] : model::TopologyView::npos;
  }
  /// SL of the path slid -> dlid (what a path-record answer carries):
  /// switch_path_sl(ingress_switch(slid), dlid); 0 when has_sl() is false,
  /// out of range, or slid has no ingress switch.
  std::uint8_t path_sl(std::uint32_t slid, std::uint32_t dlid) const noexcept {
    return switch_path_sl(ingress_switch(slid), dlid);
  }

  /// True when SL-to-VL tables are present.
  bool has_sl2vl() const noexcept { return !sl2vl_.empty(); }
  /// Allocates SL-to-VL tables for every switch of `view` (the view the
  /// table was created from), every entry VL 0. Does nothing when the view
  /// has a different number of switches than the table.
  void enable_sl2vl(const model::TopologyView& view);
  /// VL used by switch `sw` for a packet with `sl` entering on `in_port`
  /// and leaving on `out_port`; 0 without tables or when out of range.
  std::uint8_t vl(std::uint32_t sw, model::PortNum in_port, model::PortNum out_port, std::uint8_t sl) const noexcept;
  /// Sets one SL-to-VL entry; ignored without tables or when out of range.
  void set_vl(std::uint32_t sw, model::PortNum in_port, model::PortNum out_port, std::uint8_t sl, std::uint8_t vl) noexcept;
  /// Sets every SL-to-VL table (each switch, in port, out port) to the
  /// same mapping: SL s -> `sl_to_vl[s]`. Entries of 15 or more are
  /// ignored (that SL keeps its VL). Does nothing without tables.
  void fill_sl2vl(const std::array<std::uint8_t, 16>& sl_to_vl) noexcept;

  /// Bytes held (for memory accounting).
  std::size_t memory_bytes() const noexcept;

 private:
  std::size_t sl2vl_index(std::uint32_t sw, model::PortNum in, model::PortNum out, std::uint8_t sl) const noexcept;

  std::uint64_t view_fingerprint_ = 0;
  std::uint8_t lmc_ = 0;
  Lid max_lid_ = 0;
  std::size_t lid_space_ = 0;
  std::vector<model::Guid> switch_guid_;
  std::vector<LidOwner> owner_;                // by LID, size max_lid_+1
  std::vector<std::uint64_t> port_offset_;     // per node, into port_lid_
  std::vector<Lid> port_lid_;                  // base LID per (node, port)
  std::vector<std::uint8_t> lft_;              // switch_count * lid_space_
  std::string engine_;
  std::vector<SkippedEngine> skipped_;
  std::vector<std::uint32_t> ingress_;         // by LID, size max_lid_+1
  std::vector<std::uint8_t> path_sl_;          // switch_count * lid_space_ or empty
  std::vector<std::uint64_t> sl2vl_offset_;    // per switch (+1) or empty
  std::vector<std::uint16_t> sl2vl_ports_;     // ports+1 per switch
  std::vector<std::uint8_t> sl2vl_;            // ((in*P)+out)*16+sl
};

} // namespace ofmf::routing
