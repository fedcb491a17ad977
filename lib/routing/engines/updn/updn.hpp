// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

// Private: factory of the updn engine (listed in builtin_engines.cpp).

#include <memory>

#include "ofmf/routing/engine.hpp"

namespace ofmf::routing::engines {

/// Up*/down* routing. Switches are ranked by BFS from the roots
/// (Options::roots, or automatic: the switches farthest from every
/// endpoint-carrying switch when that distance is >= 1, i.e. the top of a
/// tree; otherwise the switch of smallest eccentricity, lowest GUID on
/// ties; if the tree roots cannot connect every pair, the single-root
/// choice is used). A link is "up" toward the lower (rank, GUID). Every
/// route is zero or more up hops then zero or more down hops, so the
/// channel-dependency graph is acyclic. A switch that has a down-only path
/// to a destination always uses it (that is what keeps destination-based
/// tables legal); so paths are not always minimal.
/// Has the Engine::reroute() hook: affected LIDs are rerouted under the
/// new ranking (the single-root fallback as compute() takes it, decided
/// first from the rows of the switches whose links changed) when every
/// kept route is still up*/down* under it, else errc::not_supported (full
/// compute). Each rerouted column gets the entries a compute() under the
/// same ranking allows (shortest up*/down* next hops; entries already among
/// them are kept). The central switch comes from bit-parallel BFS (no
/// all-pairs table); with many affected destinations their up*/down* rows
/// are computed together, bit-parallel over the destinations. With Options::roots and every rank unchanged only the
/// rerouted columns are checked (kept ones were legal under the same
/// ranking); otherwise the whole table is.
/// Errors: errc::invalid_argument (no switches, disconnected switch graph,
/// a root GUID that is not a switch, no legal path for some pair with the
/// given roots), errc::not_found (unknown root GUID), errc::limit_exceeded.
std::unique_ptr<Engine> make_updn();

} // namespace ofmf::routing::engines
