// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

// Private: factory of the ftree engine (listed in builtin_engines.cpp).

#include <memory>

#include "ofmf/routing/engine.hpp"

namespace ofmf::routing::engines {

/// Fat-tree routing: balanced, minimal, up*/down* (deadlock-free on one VL).
///
/// Accepted class ("levelled trees"): switches that have at least one
/// channel adapter or router linked are the leaves (level 0); the other
/// switches get their level by BFS from the leaves. The fabric is accepted
/// when (1) every switch is connected to a leaf, (2) every switch-to-switch
/// link joins adjacent levels (no link inside a level, which also means no
/// endpoint above level 0), and (3) every leaf reaches every other leaf by
/// an up*/down* path (up zero or more levels, then down). k-ary n-trees,
/// XGFTs and the folded-Clos fat trees of topology/generators.hpp are in
/// the class, also with links or switches missing as long as (3) holds.
/// Options::roots is ignored (the levels come from the leaves).
///
/// Routes, per destination LID whose port sits on leaf L:
/// - a switch with L below it goes down (to a child with L below it);
/// - any other switch goes up, to a parent from which L is reachable at
///   the lowest possible level (so paths are minimal). Among those parents
///   the choice is "destination index modulo up-degree" per level (d-mod-k):
///   endpoints are numbered D = 0.. leaf by leaf (view order, then port
///   order); a switch at level l takes up port number (D / P_l) mod U_l in
///   port order, U_l = largest up-degree at level l, P_l = U_0 * .. *
///   U_{l-1}. All flows to one destination then meet on one switch per
///   level; on full k-ary n-trees and the generators' fat trees every link
///   carries the ideal all-to-all load. LID q of a port with LMC uses D + q *
///   (P_0 + .. + P_{h-1}), which changes the up port at every level (path
///   diversity when 2^lmc <= up-degree).
/// Switch LIDs take up*/down* paths where one exists; otherwise first down
/// (first down port) until one does, else shortest paths. These routes
/// carry no endpoint traffic, so they do not enter the CDG.
///
/// Incremental hook (Engine::reroute): the structure is rebuilt for the
/// new view; in the affected LIDs' columns an entry that is still a legal
/// choice of the rules above (down to a child with the target below it,
/// up to a parent from which it is reachable at the lowest level) is
/// kept, every other one gets the rules' choice with the endpoint
/// numbering of the old view, i.e. the entry compute() gives on the new
/// view; all other columns are kept.
/// Returns errc::not_supported (reroute() then computes in full) when the
/// new view is not in the class, when a surviving switch changes level,
/// the number of levels or the largest up-degree of a level changes (the
/// up labels would change for every LID), a switch that had up-links lost
/// them all, or an affected endpoint LID was not linked before.
/// Cost: O(switches x LIDs) for the tables (parallel over switches,
/// identical for any thread count), plus bitsets of switches x switches x
/// (levels + 2) bits and a switches x switches 16-bit down-port table.
/// Errors: errc::invalid_argument (no switches, lmc > 7),
/// errc::not_supported (not in the class above; the message names the
/// first offending switch by GUID and why), errc::limit_exceeded (LIDs, or
/// the structure tables above 1 GiB).
std::unique_ptr<Engine> make_ftree();

} // namespace ofmf::routing::engines
