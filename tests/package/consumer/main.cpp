// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Builds against the installed headers and library; checks that the
// version the package declares is the version linked.
#include <cstdio>
#include <cstring>

#include <ofmf/ofmf.hpp>

int main(int argc, char** argv) {
  using namespace ofmf::model;
  Fabric f;
  NodeSpec sw;
  sw.type = NodeType::Switch;
  sw.guid = 0x10;
  sw.num_ports = 4;
  NodeSpec ca;
  ca.type = NodeType::ChannelAdapter;
  ca.guid = 0x100;
  ca.num_ports = 1;
  auto a = f.add_node(sw);
  auto b = f.add_node(ca);
  if (!a || !b || !f.connect({*a, 1}, {*b, 1})) return 1;
  if (argc > 1 && std::strcmp(argv[1], ofmf::version_string()) != 0) {
    std::printf("version mismatch: package %s, library %s\n", argv[1], ofmf::version_string());
    return 1;
  }
  auto view = f.snapshot();
  std::printf("consumer ok: ofmf %s, %u nodes, %zu link\n", ofmf::version_string(), view->node_count(),
              view->link_count());
  return 0;
}
