// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// topology_compare EXPECTED ACTUAL [--descriptions] [--subset]
//
// Compares two topology files (ibnetdiscover text or ibsim netfiles, read
// by the library's parsers) on what every source of them knows: node
// GUIDs, types and port counts, the links (node GUID and port at both
// ends), and the width and speed of every linked port. --descriptions
// compares node descriptions too; --subset accepts ACTUAL missing nodes
// and links of EXPECTED (a partial discovery) but nothing that EXPECTED
// does not have. Exit 0 when equal, 1 with the differences on stderr,
// 2 when a file cannot be read.
#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "ofmf/model/fabric.hpp"
#include "ofmf/topology/format.hpp"

using namespace ofmf;

namespace {

struct Summary {
  std::map<model::Guid, std::tuple<model::NodeType, unsigned, std::string>> nodes;
  // (guid, port) -> (peer guid, peer port, width, speed)
  std::map<std::pair<model::Guid, unsigned>, std::tuple<model::Guid, unsigned, int, int>> ports;
};

Summary summarize(const model::Fabric& f) {
  Summary s;
  for (model::NodeId id : f.nodes()) {
    const model::Node n = *f.node(id);
    s.nodes[n.guid] = {n.type, n.num_ports(), n.description};
    for (const model::Port& p : n.ports) {
      if (!p.peer) continue;
      const model::Guid pg = *f.guid(p.peer->node);
      s.ports[{n.guid, p.number}] = {pg, p.peer->port, int(p.attributes.width), int(p.attributes.speed)};
    }
  }
  return s;
}

std::string g(model::Guid x) { return model::format_guid(x); }

} // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s EXPECTED ACTUAL [--descriptions] [--subset]\n", argv[0]);
    return 2;
  }
  bool descriptions = false, subset = false;
  for (int i = 3; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--descriptions")) descriptions = true;
    else if (!std::strcmp(argv[i], "--subset")) subset = true;
    else {
      std::fprintf(stderr, "unknown option %s\n", argv[i]);
      return 2;
    }
  }
  auto a = topology::read_topology(argv[1]);
  auto b = topology::read_topology(argv[2]);
  if (!a || !b) {
    std::fprintf(stderr, "%s\n", (!a ? a.error() : b.error()).what().c_str());
    return 2;
  }
  const Summary x = summarize(*a), y = summarize(*b);
  int differences = 0;
  auto diff = [&](const std::string& what) {
    if (++differences <= 20) std::fprintf(stderr, "difference: %s\n", what.c_str());
  };
  for (const auto& [guid, n] : x.nodes) {
    auto it = y.nodes.find(guid);
    if (it == y.nodes.end()) {
      if (!subset) diff("node " + g(guid) + " (" + std::get<2>(n) + ") missing in " + argv[2]);
      continue;
    }
    if (std::get<0>(n) != std::get<0>(it->second) || std::get<1>(n) != std::get<1>(it->second))
      diff("node " + g(guid) + ": type/ports " + std::string(model::to_string(std::get<0>(n))) + "/" +
           std::to_string(std::get<1>(n)) + " vs " + std::string(model::to_string(std::get<0>(it->second))) + "/" +
           std::to_string(std::get<1>(it->second)));
    if (descriptions && std::get<2>(n) != std::get<2>(it->second))
      diff("node " + g(guid) + ": description \"" + std::get<2>(n) + "\" vs \"" + std::get<2>(it->second) + "\"");
  }
  for (const auto& [guid, n] : y.nodes)
    if (!x.nodes.count(guid)) diff("node " + g(guid) + " (" + std::get<2>(n) + ") not in " + argv[1]);
  for (const auto& [key, p] : x.ports) {
    auto it = y.ports.find(key);
    if (it == y.ports.end()) {
      if (!subset) diff("link " + g(key.first) + "[" + std::to_string(key.second) + "] missing in " + argv[2]);
      continue;
    }
    if (p != it->second)
      diff("port " + g(key.first) + "[" + std::to_string(key.second) + "]: peer " + g(std::get<0>(p)) + "[" +
           std::to_string(std::get<1>(p)) + "] width " + std::to_string(std::get<2>(p)) + " speed " +
           std::to_string(std::get<3>(p)) + " vs peer " + g(std::get<0>(it->second)) + "[" +
           std::to_string(std::get<1>(it->second)) + "] width " + std::to_string(std::get<2>(it->second)) +
           " speed " + std::to_string(std::get<3>(it->second)));
  }
  for (const auto& [key, p] : y.ports)
    if (!x.ports.count(key)) diff("link " + g(key.first) + "[" + std::to_string(key.second) + "] not in " + argv[1]);
  if (differences) {
    std::fprintf(stderr, "%d differences between %s and %s\n", differences, argv[1], argv[2]);
    return 1;
  }
  std::printf("same: %zu nodes, %zu linked ports\n", x.nodes.size(), x.ports.size());
  return 0;
}
