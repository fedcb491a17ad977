// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include <catch2/catch.hpp>

#include <string>

#include "ofmf/topology/format.hpp"

using namespace ofmf;
using namespace ofmf::topology;

namespace {
std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}
} // namespace

TEST_CASE("Dot: behaviour", "[topology]") {
  auto f = parse_netfile(
      "Switch 4 \"sw\"\n[1] \"h1\"[1] # \"h1\" lid 0 4xEDR\n[2] \"h2\"[1]\n[3] \"r\"[2]\n\n"
      "Hca 1 \"h1\"\nHca 1 \"h2\"\nRt 2 \"r\"\n");
  REQUIRE(f.has_value());
  const std::string dot = write_dot(*f);

  SECTION("one vertex per node, shaped by type") {
    CHECK(dot.rfind("graph fabric {\n", 0) == 0);
    CHECK(dot.substr(dot.size() - 2) == "}\n");
    CHECK(count(dot, "[shape=box") == 1);
    CHECK(count(dot, "[shape=ellipse") == 2);
    CHECK(count(dot, "[shape=diamond") == 1);
    CHECK(dot.find("\"S-0000000000200000\" [shape=box, label=\"sw\\n0x0000000000200000\"];") != std::string::npos);
  }
  SECTION("one edge per link with port numbers and rate") {
    CHECK(count(dot, " -- ") == f->link_count());
    CHECK(dot.find("\"S-0000000000200000\" -- \"H-0000000000100000\" [taillabel=\"1\", headlabel=\"1\", label=\"4xEDR\"];") !=
          std::string::npos);
    CHECK(dot.find("taillabel=\"3\", headlabel=\"2\"") != std::string::npos);
  }
  SECTION("labels are escaped") {
    REQUIRE(f->set_description(*f->find(0x200000), "a \"quoted\\name\"\nx").has_value());
    const std::string d2 = write_dot(*f);
    CHECK(d2.find("label=\"a \\\"quoted\\\\name\\\"\\nx\\n0x0000000000200000\"") != std::string::npos);
    CHECK(format_topology(*f, Format::Dot) == d2);
  }
}
