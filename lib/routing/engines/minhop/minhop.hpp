// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

// Private: factory of the minhop engine (listed in builtin_engines.cpp).

#include <memory>

#include "ofmf/routing/engine.hpp"

namespace ofmf::routing::engines {

/// Shortest switch-to-switch paths, out ports balanced by routes per port.
/// Disconnected fabrics: routes what is reachable, no_route elsewhere.
/// Has the Engine::reroute() hook: after a change only the affected LIDs
/// are rerouted, keeping minimal paths; balance is re-optimized only
/// locally (changed entries take the least-loaded shortest port), not
/// globally, and on link up only destinations whose distance shrank move.
/// Errors: errc::invalid_argument (no switches, lmc > 7),
/// errc::limit_exceeded (LIDs exhausted).
std::unique_ptr<Engine> make_minhop();

} // namespace ofmf::routing::engines
