// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Test helper for the schema validation suite (validate.cmake): reads a
// topology file, gives it LIDs, port states, partitions and counters
// (import_fixtures.hpp decorate(), unless --plain), renders it and writes
// the Redfish mockup folder.
//
// usage: redfish_export_fixture TOPOLOGY_FILE OUT_DIR [--plain]

#include <cstdio>
#include <string>

#include "import_fixtures.hpp"
#include "ofmf/redfish/mockup.hpp"
#include "ofmf/redfish/render.hpp"

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4 || (argc == 4 && std::string(argv[3]) != "--plain")) {
    std::fprintf(stderr, "usage: %s TOPOLOGY_FILE OUT_DIR [--plain]\n", argv[0]);
    return 2;
  }
  auto f = ofmf::topology::read_topology(argv[1]);
  if (!f) {
    std::fprintf(stderr, "%s\n", f.error().what().c_str());
    return 1;
  }
  if (argc == 3 && !ofmf::test::decorate(*f)) {
    std::fprintf(stderr, "%s: the model refused the decoration\n", argv[1]);
    return 1;
  }
  ofmf::redfish::ExportOptions opt;
  opt.mockup_copyright = true;
  auto tree = ofmf::redfish::render(*f, opt);
  if (!tree) {
    std::fprintf(stderr, "%s\n", tree.error().what().c_str());
    return 1;
  }
  if (auto w = ofmf::redfish::write_mockup(*tree, argv[2]); !w) {
    std::fprintf(stderr, "%s\n", w.error().what().c_str());
    return 1;
  }
  std::fprintf(stderr, "%s: %zu resources\n", argv[2], tree->size());
  return 0;
}
