// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Graphviz DOT export.

#include <string>

#include "detail/records.hpp"
#include "detail/scan.hpp"
#include "ofmf/topology/format.hpp"

namespace ofmf::topology {
namespace {

// Appends `s` as the inside of a DOT double-quoted string.
void append_escaped(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': case '\0': out += ' '; break;
      default: out += c;
    }
  }
}

} // namespace

std::string write_dot(const model::Fabric& fabric) {
  using model::NodeType;
  std::string out;
  out.reserve(64 + fabric.node_count() * 100 + fabric.link_count() * 90);
  out += "graph fabric {\n";
  for (auto id : fabric.nodes()) {
    const model::Node n = *fabric.node(id);
    out += "  \"";
    out += detail::guid_id(n.type, n.guid);
    out += "\" [shape=";
    out += n.type == NodeType::Switch ? "box" : n.type == NodeType::Router ? "diamond" : "ellipse";
    out += ", label=\"";
    append_escaped(out, n.description);
    if (!n.description.empty()) out += "\\n";
    out += model::format_guid(n.guid);
    out += "\"];\n";
  }
  for (const model::Link& l : fabric.links()) {
    const auto ta = *fabric.type(l.a.node), tb = *fabric.type(l.b.node);
    out += "  \"";
    out += detail::guid_id(ta, *fabric.guid(l.a.node));
    out += "\" -- \"";
    out += detail::guid_id(tb, *fabric.guid(l.b.node));
    out += "\" [taillabel=\"";
    detail::append_dec(out, l.a.port);
    out += "\", headlabel=\"";
    detail::append_dec(out, l.b.port);
    out += "\", label=\"";
    const auto pa = fabric.port(l.a);
    detail::append_width_speed(out, pa->attributes.width, pa->attributes.speed);
    out += "\"];\n";
  }
  out += "}\n";
  return out;
}

} // namespace ofmf::topology
