// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include <catch2/catch.hpp>

#include <string>

#include "fabrics.hpp"
#include "ofmf/routing/engine.hpp"
#include "ofmf/routing/lft_dump.hpp"

using namespace routing_test;
using ofmf::errc;
namespace routing = ofmf::routing;

TEST_CASE("LftDump: write then parse gives the same tables", "[routing]") {
  Fabric f = two_level(2, 3, 2);
  auto v = f.snapshot();
  routing::Options o;
  o.lmc = 1;
  auto t = (*routing::EngineRegistry::builtin().create("minhop"))->compute(*v, o);
  REQUIRE(t);
  const std::string text = routing::format_lft_dump(*v, *t).value();
  auto parsed = routing::parse_lft_dump(text, "mem");
  REQUIRE(parsed);
  REQUIRE(parsed->size() == v->switch_count());
  for (std::uint32_t s = 0; s < v->switch_count(); ++s) {
    const auto& d = (*parsed)[s];
    CHECK(d.guid == v->guid(s));
    CHECK(d.lid == t->base_lid(s, 0));
    CHECK(d.description == std::string(v->description(s)));
    REQUIRE(d.ports.size() == std::size_t(t->max_lid()) + 1);
    for (std::uint32_t lid = 0; lid <= t->max_lid(); ++lid) CHECK(d.ports[lid] == t->out_port(s, lid));
    // Every entry names the port GUID the fabric gives the LID's owner.
    for (const auto& e : d.entries) {
      const auto o = t->owner(e.lid);
      REQUIRE(o.valid());
      auto pg = v->ports(o.node)[o.port].attributes.guid;
      if (pg == 0) pg = v->guid(o.node);
      CHECK(e.owner == pg);
      CHECK(e.port == t->out_port(s, e.lid));
    }
  }
  // The layout OpenSM uses.
  const std::string head = "Unicast lids [0-" + std::to_string(t->max_lid()) + "] of switch Lid " +
                           std::to_string(t->base_lid(0, 0)) + " guid 0x0000000000002000 ('sw'):\n";
  CHECK(text.substr(0, head.size()) == head);
  CHECK(text.find("\n0x0001 000 # Switch portguid 0x0000000000002000: 'sw'\n") != std::string::npos);
  CHECK(text.find(" # Channel Adapter portguid 0x0000000000200001: 'ca'\n") != std::string::npos);
  CHECK(text.find("\n" + std::to_string(t->max_lid()) + " lids dumped\n") != std::string::npos);
}

TEST_CASE("LftDump: parse errors name the source and line", "[routing]") {
  const std::string good =
      "Unicast lids [0-3] of switch Lid 1 guid 0x0000000000000010 ('s (x)'):\n"
      "0x0001 000 # Switch portguid 0x0000000000000010: 's (x)'\n"
      "0x0003 002\n"
      "3 lids dumped\n";
  auto ok = routing::parse_lft_dump(good, "f");
  REQUIRE(ok);
  REQUIRE(ok->size() == 1);
  CHECK((*ok)[0].description == "s (x)");
  CHECK((*ok)[0].ports == std::vector<std::uint8_t>{routing::no_route, 0, routing::no_route, 2});
  // Lines and owners as written (the file engine reports errors with them).
  CHECK((*ok)[0].line == 1);
  REQUIRE((*ok)[0].entries.size() == 2);
  CHECK((*ok)[0].entries[0].lid == 1);
  CHECK((*ok)[0].entries[0].port == 0);
  CHECK((*ok)[0].entries[0].line == 2);
  CHECK((*ok)[0].entries[0].owner == 0x10);
  CHECK((*ok)[0].entries[1].lid == 3);
  CHECK((*ok)[0].entries[1].port == 2);
  CHECK((*ok)[0].entries[1].line == 3);
  CHECK((*ok)[0].entries[1].owner == 0);

  auto bad = [](const std::string& text, const std::string& where) {
    auto r = routing::parse_lft_dump(text, "lfts.dump");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::parse_error);
    CHECK(r.error().message.rfind("lfts.dump:" + where + ": ", 0) == 0);
    return r.error().message;
  };
  bad("0x0001 000\n", "1");
  CHECK(bad(good.substr(0, good.rfind("3 lids")) + "0x0004 001\n", "4").find("range") != std::string::npos);
  CHECK(bad(good.substr(0, good.rfind("3 lids")) + "0x0003 001\n", "4").find("twice") != std::string::npos);
  bad(good.substr(0, good.rfind("3 lids")) + "0x0002 999\n", "4");
  bad(good.substr(0, good.rfind("3 lids")) + "0x00zz 001\n", "4");
  bad(good.substr(0, good.rfind("3 lids")), "4");  // truncated
  bad("Unicast lids [0-3] of switch Lid 1 guid 0xZZ ('s'):\n", "1");
  bad(good + "hello\n", "5");
  bad(good + "\n3 lids dumped\n", "6");
}
