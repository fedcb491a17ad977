// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
//
// A vendor agent's first step: load a topology (a file written by
// `ibnetdiscover`, an ibsim netfile, or a generated default), keep it in an
// ofmf::model::Fabric, follow changes through an observer, and print it.
//
//   vendor_agent [TOPOLOGY-FILE]

#include <cstdio>

#include "ofmf/ofmf.hpp"
#include "ofmf/topology/format.hpp"
#include "ofmf/topology/generators.hpp"

using namespace ofmf;

int main(int argc, char** argv) {
  Result<model::Fabric> loaded = argc > 1 ? topology::read_topology(argv[1])
                                          : topology::generate_fat_tree({.radix = 8, .levels = 2});
  if (!loaded) {
    std::fprintf(stderr, "vendor_agent: %s\n", loaded.error().what().c_str());
    return 1;
  }
  model::Fabric fabric = std::move(*loaded);

  // An agent reacts to changes (a resweep, an operator action).
  std::size_t changes = 0;
  fabric.subscribe([&](const model::Change&) { ++changes; });

  std::printf("ofmf %s\n", version_string());
  std::printf("fabric: %zu switches, %zu endpoints, %zu links\n", fabric.switch_count(),
              fabric.node_count() - fabric.switch_count(), fabric.link_count());
  for (model::NodeId id : fabric.nodes()) {
    const model::Node n = *fabric.node(id);
    std::printf("%-6s %s \"%s\"\n", std::string(model::to_string(n.type)).c_str(), model::format_guid(n.guid).c_str(),
                n.description.c_str());
    for (const model::Port& p : n.ports) {
      if (!p.peer) continue;
      const model::Node peer = *fabric.node(p.peer->node);
      std::printf("  [%u] -> \"%s\"[%u] %s%s\n", unsigned(p.number), peer.description.c_str(), unsigned(p.peer->port),
                  std::string(model::to_string(p.attributes.width)).c_str(),
                  std::string(model::to_string(p.attributes.speed)).c_str());
    }
  }

  // Take one link down, as a resweep would report it.
  const auto links = fabric.links();
  if (!links.empty()) {
    if (auto r = fabric.disconnect(links.front().a); !r) {
      std::fprintf(stderr, "vendor_agent: %s\n", r.error().what().c_str());
      return 1;
    }
  }
  std::printf("changes observed: %zu, links now %zu\n", changes, fabric.link_count());
  return changes == (links.empty() ? 0u : 1u) ? 0 : 1;
}
