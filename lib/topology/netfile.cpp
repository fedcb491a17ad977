// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// ibsim netfile reader and writer.

#include <algorithm>
#include <string>
#include <unordered_set>
#include <vector>

#include "detail/records.hpp"
#include "detail/scan.hpp"
#include "ofmf/topology/format.hpp"

namespace ofmf::topology {

Result<model::Fabric> parse_netfile(std::string_view text, const ReadOptions& options) {
  return detail::parse_records(text, options, detail::Dialect::Netfile);
}

std::string write_netfile(const model::Fabric& fabric) {
  using namespace detail;
  using model::NodeType;
  const auto ids = fabric.nodes();
  const std::vector<model::Node> nodes = nodes_by_id(fabric);

  // Descriptions are the IDs when every one of them can be (unique, and
  // valid for ibsim); otherwise every node is named after its GUID.
  bool use_descriptions = true;
  {
    std::unordered_set<std::string_view> seen;
    seen.reserve(ids.size());
    for (auto id : ids) {
      const std::string& d = nodes[id.value].description;
      if (!valid_netfile_id(d) || !seen.insert(d).second) {
        use_descriptions = false;
        break;
      }
    }
  }
  std::vector<std::string> names(nodes.size());
  for (auto id : ids) {
    const model::Node& n = nodes[id.value];
    names[id.value] = use_descriptions ? n.description : guid_id(n.type, n.guid);
  }

  std::string out;
  out.reserve(100 + fabric.node_count() * 80 + fabric.port_count() * 70);
  out += "# ibsim netfile written by ofmf\n";
  auto on_node = [&](const model::Node& n) {
    out += '\n';
    out += guid_keyword(n.type);
    append_hex(out, n.guid);
    out += '\n';
    out += n.type == NodeType::Switch ? "Switch" : n.type == NodeType::ChannelAdapter ? "Hca" : "Rt";
    out += '\t';
    append_dec(out, n.num_ports());
    out += " \"";
    out += names[n.id.value];
    out += "\"\n";
  };
  auto on_link = [&](const model::Node& n, model::PortNum p, const model::Port& port, const model::Node& r,
                     model::PortNum rp) {
    out += '[';
    append_dec(out, p);
    out += "]\t\"";
    out += names[r.id.value];
    out += "\"[";
    append_dec(out, rp);
    out += "]\t\t# ";
    append_lid_lmc(out, n, port);
    append_link_tail(out, names[r.id.value], r, rp, port);
  };
  walk_switches_first(fabric, nodes, on_node, on_link);
  return out;
}

} // namespace ofmf::topology
