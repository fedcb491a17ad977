// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

// Private: factory of the dfsssp engine (listed in builtin_engines.cpp).

#include <memory>

#include "ofmf/routing/engine.hpp"

namespace ofmf::routing::engines {

/// Deadlock-free single-source-shortest-path routing for any topology.
/// compute(): shortest switch paths only, per destination LID (in LID
/// order) a tree of least accumulated link weight, the weights counting
/// the routes on each link; inside a tree the source switches, nearest
/// first, fix their paths one after the other and add their endpoints to
/// the weights at once, so the sources of one destination spread over its
/// links (sequential, so results do not depend on Options::threads); then
/// paths are put on
/// virtual layers with
/// an acyclic channel-dependency graph each: the table has path SLs (SL =
/// layer) and SL-to-VL tables (SL s -> VL s).
/// assign_vls(): the layering alone, for a table computed by any engine.
/// Errors: errc::invalid_argument (no switches, max_vls 0, lmc > 7),
/// errc::limit_exceeded ("needs N VLs, budget M", or LIDs exhausted),
/// errc::inconsistent (assign_vls on a table that loops or does not match
/// the view).
std::unique_ptr<Engine> make_dfsssp();

} // namespace ofmf::routing::engines
