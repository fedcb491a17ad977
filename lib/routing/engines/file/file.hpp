// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

// Private: factory of the file engine (listed in builtin_engines.cpp).

#include <memory>

#include "ofmf/routing/engine.hpp"

namespace ofmf::routing::engines {

/// Loads the LFTs of an OpenSM opensm-lfts.dump (Options::lft_file), for
/// golden tests and for analysing tables computed elsewhere. LIDs are
/// assigned as RouteTable::create() does (so the view's own port LIDs are
/// kept, with Options::lmc); switches are matched by GUID; each entry's
/// owner comment (`# ... portguid 0x...`), when present, must name the
/// port that has that LID in the view.
/// Errors: errc::invalid_argument (no file given, no switches),
/// errc::io_error (unreadable file), errc::parse_error (malformed dump,
/// "<file>:<line>: ..."), errc::inconsistent ("<file>:<line>: ..." for a
/// switch not in the fabric or listed twice, a LID not assigned in the
/// view or owned by another port, a port beyond the switch's ports; and
/// for a switch of the fabric with no table in the file).
std::unique_ptr<Engine> make_file();

} // namespace ofmf::routing::engines
