// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Incremental rerouting: after links or switches went down or came back,
/// recompute only what changed and return the LFT blocks a backend has to
/// program (the delta), with LIDs kept stable.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "ofmf/error.hpp"
#include "ofmf/export.hpp"
#include "ofmf/model/fabric.hpp"
#include "ofmf/model/topology_view.hpp"
#include "ofmf/routing/engine.hpp"
#include "ofmf/routing/route_table.hpp"

namespace ofmf::routing {

/// New contents of one 64-entry LFT block.
struct LftBlock {
  std::uint32_t block = 0;                        ///< LIDs block*64 .. block*64+63
  std::array<std::uint8_t, lft_block_size> ports{};  ///< out port per LID (no_route = drop)
};

/// The blocks to program on one switch.
struct SwitchBlocks {
  model::Guid guid = 0;          ///< switch node GUID
  std::uint32_t index = 0;       ///< view index of the switch in the new view
  std::vector<LftBlock> blocks;  ///< ascending block numbers, never empty
};

/// What reroute() returns.
struct Reroute {
  /// Complete table for the new view. LIDs of ports that had one in the
  /// old table are unchanged; ports new to the fabric get free LIDs.
  RouteTable table;
  /// Switches (in view order) whose LFT differs from the old one, with the
  /// blocks that differ and their new contents: exactly
  /// table.changed_blocks(old), switches without changes left out.
  std::vector<SwitchBlocks> delta;
  /// True when the engine's Engine::reroute() hook recomputed only the
  /// affected LIDs; false when the table was computed in full and diffed.
  bool incremental = false;
  /// Why the table was computed in full ("" when incremental).
  std::string full_reason;
  /// LIDs whose columns the hook recomputed (0 when not incremental).
  std::size_t affected_lids = 0;
};

/// Reroutes after a change of the fabric. `old` is the table `engine`
/// computed on `old_view`; `new_view` is a later snapshot of the same
/// fabric (switches and ports are matched by GUID). The old table's LMC is
/// kept (options.lmc is ignored); the other options should be those used
/// for `old`.
///
/// Affected LIDs are those whose owner or delivering switch/port changed,
/// those some switch routes over a port whose link changed, and (link up)
/// those of destination switches to which some hop distance shrank. When
/// the engine has a reroute hook (minhop, updn, ftree) it recomputes only their
/// columns, with the engine's guarantees (see the engines); otherwise,
/// when switches were added, when `old` came from another engine, or when
/// the hook declines (errc::not_supported), the table is computed in full
/// and diffed: still correct, just slower.
///
/// LIDs stay stable: when `new_view` does not carry the old LIDs in its
/// port attributes (see store_lids()), a copy of the view with those LIDs
/// is built internally first (slower; store_lids() avoids it).
/// Errors: errc::invalid_argument (`old` does not match `old_view`), the
/// engine's errors (e.g. a fabric it cannot route), errc::inconsistent if
/// the old LIDs cannot be kept.
OFMF_API Result<Reroute> reroute(const Engine& engine, const model::TopologyView& old_view, const RouteTable& old,
                                 const model::TopologyView& new_view, const Options& options = {});

/// Same, with the changes the Fabric reported (its observers) between the
/// two snapshots: only the switches they name are compared port by port
/// (the rest is assumed unchanged). `new_view` must reflect all of them.
OFMF_API Result<Reroute> reroute(const Engine& engine, const model::TopologyView& old_view, const RouteTable& old,
                                 const model::TopologyView& new_view, std::span<const model::Change> changes,
                                 const Options& options = {});

/// The blocks of `table` that differ from `old` (switches matched by GUID,
/// a switch absent from `old` lists every block), with their contents.
/// Same blocks as table.changed_blocks(old).
OFMF_API std::vector<SwitchBlocks> lft_delta(const RouteTable& table, const RouteTable& old);

/// Writes the LIDs of `table` (computed on `view`, a snapshot of `fabric`)
/// into the fabric's port attributes (LID, and LMC on endpoint ports), as
/// a subnet manager does when it programs PortInfo. Later snapshots then
/// carry them and RouteTable::create() keeps them, so reroute() needs no
/// internal copy. Ports without a LID are left alone.
/// Errors: errc::invalid_argument when `table` was not computed on `view`
/// (RouteTable::check_view()); those of Fabric::set_port() (e.g.
/// errc::not_found when `view` is not a snapshot of `fabric`).
OFMF_API Result<void> store_lids(model::Fabric& fabric, const model::TopologyView& view, const RouteTable& table);

} // namespace ofmf::routing
