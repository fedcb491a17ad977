// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

// Private: the record-oriented reader shared by the ibnetdiscover and ibsim
// netfile parsers (both formats are node records made of a header line and
// port lines) and the node naming shared by the writers.

#include <string>
#include <vector>

#include "ofmf/topology/format.hpp"

namespace ofmf::topology::detail {

/// Which of the two related formats is read.
enum class Dialect {
  Ibnetdiscover,  // GUIDs from guid lines, descriptions from comments, LIDs
  Netfile,        // GUIDs from ibsim's counters, IDs are descriptions, no LIDs
};

/// Parses either format into a fabric (see format.hpp for the contract).
Result<model::Fabric> parse_records(std::string_view text, const ReadOptions& options, Dialect dialect);

/// True when `id` can be a netfile node ID that both ibsim and
/// parse_netfile() accept: 1..64 bytes, no control characters, no '"',
/// '#' or '@'.
bool valid_netfile_id(std::string_view id) noexcept;

/// Node IDs for writers: "S-"/"H-"/"R-" + 16 hex digits of the node GUID.
std::string guid_id(model::NodeType type, model::Guid guid);

/// Copies of the fabric's nodes indexed by NodeId.value (dead IDs leave
/// default-constructed holes), so writers can follow links by ID.
std::vector<model::Node> nodes_by_id(const model::Fabric& fabric);

/// Description made safe for a quoted field on one line: NUL and '\n'
/// become spaces ('\r' is kept: it never ends a written line).
std::string one_line(std::string_view description);

} // namespace ofmf::topology::detail
