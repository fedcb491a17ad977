// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

// Private: the record-oriented reader shared by the ibnetdiscover and ibsim
// netfile parsers (both formats are node records made of a header line and
// port lines) and the node naming shared by the writers.

#include <string>
#include <vector>

#include "ofmf/model/fabric.hpp"

#include "ofmf/topology/format.hpp"

namespace ofmf::topology::detail {

/// Which of the two related formats is read.
enum class Dialect {
  Ibnetdiscover,  // GUIDs from guid lines, descriptions from comments, LIDs
  Netfile,        // GUIDs from ibsim's counters, IDs are descriptions, no LIDs
};

/// Parses either format into a fabric (see format.hpp for the contract).
Result<model::Fabric> parse_records(std::string_view text, const ReadOptions& options, Dialect dialect);

/// True when a line (without its line break) may be a line of either
/// format, judged from its start only: blank, a comment, a port line, a
/// node header or a key=value line. A false line is refused by the parser.
bool can_be_record_line(std::string_view line) noexcept;

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

/// The walk both writers make: every node, switches first (ibsim attaches
/// clients to the first node of a netfile by default), in NodeId order.
/// `on_node(node)` is called once per node, then `on_link(node, port_num,
/// port, peer_node, peer_port_num)` once per linked external port.
template <class OnNode, class OnLink>
void walk_switches_first(const model::Fabric& fabric, const std::vector<model::Node>& nodes, OnNode&& on_node,
                         OnLink&& on_link) {
  const auto ids = fabric.nodes();
  auto visit = [&](const model::Node& n) {
    on_node(n);
    for (unsigned p = 1; p <= n.num_ports(); ++p) {
      const model::Port& port = n.ports[p];
      if (!port.peer) continue;
      on_link(n, model::PortNum(p), port, nodes[port.peer->node.value], port.peer->port);
    }
  };
  for (auto id : ids)
    if (nodes[id.value].type == model::NodeType::Switch) visit(nodes[id.value]);
  for (auto id : ids)
    if (nodes[id.value].type != model::NodeType::Switch) visit(nodes[id.value]);
}

/// The GUID keyword of a node record: "switchguid=0x", "caguid=0x" or
/// "rtguid=0x".
inline const char* guid_keyword(model::NodeType type) noexcept {
  return type == model::NodeType::Switch ? "switchguid=0x" : type == model::NodeType::ChannelAdapter ? "caguid=0x" : "rtguid=0x";
}

/// The LID a port answers to: a switch's base LID (port 0), else the port's.
inline unsigned port_lid(const model::Node& n, model::PortNum p) noexcept {
  return n.type == model::NodeType::Switch ? n.ports[0].attributes.lid : n.ports[p].attributes.lid;
}

/// The "lid L lmc M " a link comment carries for a channel adapter's or
/// router's own port (nothing for a switch: its LID is on the node line).
void append_lid_lmc(std::string& out, const model::Node& n, const model::Port& port);

/// The end of a link line: `"NAME" lid L WIDTH SPEED` and a newline, with
/// the LID of the peer (`r`, port `rp`) and the width and speed of `port`.
void append_link_tail(std::string& out, std::string_view name, const model::Node& r, model::PortNum rp,
                      const model::Port& port);

} // namespace ofmf::topology::detail
