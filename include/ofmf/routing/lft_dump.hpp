// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// OpenSM's unicast LFT dump format (opensm-lfts.dump): writer and parser.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ofmf/error.hpp"
#include "ofmf/export.hpp"
#include "ofmf/model/topology_view.hpp"
#include "ofmf/routing/route_table.hpp"

namespace ofmf::routing {

/// One LFT line of a parsed dump, as written.
struct DumpedEntry {
  Lid lid = 0;
  std::uint8_t port = 0;
  std::size_t line = 0;      ///< 1-based line number in the parsed text
  /// Port GUID the line's comment names as the LID's owner ("# ... portguid
  /// 0x...: '...'"); 0 when the line has no such comment.
  model::Guid owner = 0;
};

/// One switch of a parsed dump.
struct DumpedLft {
  model::Guid guid = 0;
  Lid lid = 0;
  std::string description;
  /// Entry per LID 0..max_lid of the header; no_route where the dump has
  /// no line.
  std::vector<std::uint8_t> ports;
  std::size_t line = 0;              ///< 1-based line number of the header
  std::vector<DumpedEntry> entries;  ///< the LFT lines in file order
};

/// Formats every switch LFT of `table` as OpenSM writes opensm-lfts.dump:
/// a header per switch, one line per LID with a route (no_route entries are
/// omitted), each with a comment naming the LID's owner, and a trailer.
/// `view` must be the view the table was computed for (it supplies
/// descriptions and port GUIDs). Errors: errc::invalid_argument when the
/// table was computed on another fabric (RouteTable::check_view()).
OFMF_API Result<std::string> format_lft_dump(const model::TopologyView& view, const RouteTable& table);

/// Parses a dump. `source` names the input in error messages. Each switch
/// keeps its lines (header and entries, with line numbers and the owner
/// port GUIDs of the comments) so callers can report where a value came
/// from.
/// Errors: errc::parse_error with "<source>:<line>: what".
OFMF_API Result<std::vector<DumpedLft>> parse_lft_dump(std::string_view text, std::string_view source);

} // namespace ofmf::routing
