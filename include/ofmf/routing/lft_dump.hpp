// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// OpenSM's unicast LFT dump format (opensm-lfts.dump): writer and parser.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ofmf/error.hpp"
#include "ofmf/export.hpp"
#include "ofmf/model/topology_view.hpp"
#include "ofmf/routing/route_table.hpp"

namespace ofmf::routing {

/// One switch of a parsed dump.
struct DumpedLft {
  model::Guid guid = 0;
  Lid lid = 0;
  std::string description;
  /// Entry per LID 0..max_lid of the header; no_route where the dump has
  /// no line.
  std::vector<std::uint8_t> ports;
};

/// Formats every switch LFT of `table` as OpenSM writes opensm-lfts.dump:
/// a header per switch, one line per LID with a route (no_route entries are
/// omitted), each with a comment naming the LID's owner, and a trailer.
/// `view` must be the view the table was computed for (it supplies
/// descriptions and port GUIDs).
OFMF_API std::string format_lft_dump(const model::TopologyView& view, const RouteTable& table);

/// Parses a dump. `source` names the input in error messages.
/// Errors: errc::parse_error with "<source>:<line>: what".
OFMF_API Result<std::vector<DumpedLft>> parse_lft_dump(std::string_view text, std::string_view source);

} // namespace ofmf::routing
