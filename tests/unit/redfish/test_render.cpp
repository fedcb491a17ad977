// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Redfish rendering, resource by resource and field by field, against
// lib/redfish/MAPPING.md; cross links on every generator's output.
#include <catch2/catch.hpp>

#include <set>

#include "import_fixtures.hpp"
#include "ofmf/redfish/enums.hpp"
#include "ofmf/redfish/render.hpp"
#include "ofmf/redfish/schema_versions.hpp"
#include "render_fixture.hpp"

using namespace ofmf;
using nlohmann::json;
using test::ca_a_guid;
using test::ca_a_sys;
using test::ca_b_guid;
using test::rt_guid;
using test::sw1_guid;
using test::sw2_guid;

namespace {

const std::string F = "/redfish/v1/Fabrics/IB";
const std::string SW1 = F + "/Switches/0002c90200000001";
const std::string SW2 = F + "/Switches/0002c90200000002";
const std::string CHA = "/redfish/v1/Chassis/0002c903000000f0";
const std::string FA_A = CHA + "/FabricAdapters/0002c90300000010";
const std::string FA_R = CHA + "/FabricAdapters/0002c90400000030";
const std::string CHB = "/redfish/v1/Chassis/0002c90300000020";
const std::string FA_B = CHB + "/FabricAdapters/0002c90300000020";
const std::string EP_A1 = F + "/Endpoints/0002c90300000011";
const std::string EP_A2 = F + "/Endpoints/0002c90300000012";
const std::string EP_B1 = F + "/Endpoints/0002c90300000021";
const std::string EP_SW1 = F + "/Endpoints/0002c90200000001";
const std::string EP_SW2 = F + "/Endpoints/0002c90200000002";
const std::string EP_R1 = F + "/Endpoints/0002c90400000031";

json link_to(const std::string& uri) { return json{{"@odata.id", uri}}; }
json refs(std::initializer_list<std::string> uris) {
  json a = json::array();
  for (const auto& u : uris) a.push_back(link_to(u));
  return a;
}

const redfish::Tree& small_tree() {
  static const redfish::Tree tree = [] {
    auto f = test::small_fabric();
    auto t = redfish::render(f);
    REQUIRE(t);
    return std::move(*t);
  }();
  return tree;
}

const json& at(const std::string& uri) {
  const json* r = small_tree().find(uri);
  INFO(uri);
  REQUIRE(r);
  return *r;
}

} // namespace

TEST_CASE("Render: service root, sessions and fabric", "[redfish]") {
  SECTION("service root") {
    const json& r = at("/redfish/v1/");
    CHECK(r["@odata.id"] == "/redfish/v1/");
    CHECK(r["@odata.type"] == "#ServiceRoot.v1_20_0.ServiceRoot");
    CHECK(r["Id"] == "RootService");
    CHECK(r["Fabrics"] == link_to("/redfish/v1/Fabrics"));
    CHECK(r["Chassis"] == link_to("/redfish/v1/Chassis"));
    CHECK(r["Links"]["Sessions"] == link_to("/redfish/v1/SessionService/Sessions"));
    CHECK(r["RedfishVersion"].get<std::string>().find('.') != std::string::npos);
    CHECK_FALSE(r.contains("@Redfish.Copyright"));
  }
  SECTION("session service and its empty collection") {
    CHECK(at("/redfish/v1/SessionService")["Sessions"] == link_to("/redfish/v1/SessionService/Sessions"));
    const json& c = at("/redfish/v1/SessionService/Sessions");
    CHECK(c["@odata.type"] == "#SessionCollection.SessionCollection");
    CHECK(c["Members"] == json::array());
    CHECK(c["Members@odata.count"] == 0);
  }
  SECTION("fabric collection and fabric") {
    const json& c = at("/redfish/v1/Fabrics");
    CHECK(c["@odata.type"] == "#FabricCollection.FabricCollection");
    CHECK(c["Members"] == refs({F}));
    CHECK(c["Members@odata.count"] == 1);
    const json& f = at(F);
    CHECK(f["@odata.type"] == "#Fabric.v1_4_0.Fabric");
    CHECK(f["Id"] == "IB");
    CHECK(f["FabricType"] == "InfiniBand");
    CHECK(f["MaxZones"] == 32767);
    CHECK(f["Switches"] == link_to(F + "/Switches"));
    CHECK(f["Endpoints"] == link_to(F + "/Endpoints"));
    CHECK(f["Zones"] == link_to(F + "/Zones"));
    CHECK(f["AddressPools"] == link_to(F + "/AddressPools"));
    CHECK(f["Status"]["State"] == "Enabled");
    CHECK(f["Status"]["Health"] == "OK");
    CHECK(f["Oem"]["Ofmf"]["Generation"].is_number_unsigned());
    CHECK_FALSE(f.contains("Connections"));  // no Connection type fits InfiniBand reachability
  }
}

TEST_CASE("Render: switches and switch ports", "[redfish]") {
  SECTION("collection in model order") {
    const json& c = at(F + "/Switches");
    CHECK(c["@odata.type"] == "#SwitchCollection.SwitchCollection");
    CHECK(c["Members"] == refs({SW1, SW2}));
    CHECK(c["Members@odata.count"] == 2);
  }
  SECTION("switch") {
    const json& s = at(SW1);
    CHECK(s["@odata.type"] == "#Switch.v1_11_0.Switch");
    CHECK(s["Id"] == "0002c90200000001");
    CHECK(s["Name"] == "leaf one");
    CHECK(s["SwitchType"] == "InfiniBand");
    CHECK(s["TotalSwitchWidth"] == 4);
    CHECK(s["Ports"] == link_to(SW1 + "/Ports"));
    CHECK(s["Links"]["Endpoints"] == refs({EP_SW1}));
    CHECK(s["Links"]["Endpoints@odata.count"] == 1);
    const json& o = s["Oem"]["Ofmf"];
    CHECK(o["NodeGUID"] == "0x0002c90200000001");
    CHECK(o["SystemImageGUID"] == "0x0002c90200000001");
    CHECK(o["VendorID"] == 0x0002c9);
    CHECK(o["DeviceID"] == 0xcf08);
    CHECK(o["NodeDescription"] == "leaf one");
    CHECK(o["Port0"]["LID"] == 1);
    CHECK(o["Port0"]["PortState"] == "Active");
    CHECK(o["Port0"]["PhysState"] == "LinkUp");
    // Empty description: the GUID names it.
    CHECK(at(SW2)["Name"] == "0x0002c90200000002");
  }
  SECTION("ports collection") {
    const json& c = at(SW1 + "/Ports");
    CHECK(c["@odata.type"] == "#PortCollection.PortCollection");
    CHECK(c["Members"] == refs({SW1 + "/Ports/1", SW1 + "/Ports/2", SW1 + "/Ports/3", SW1 + "/Ports/4"}));
    CHECK(c["Members@odata.count"] == 4);
    CHECK_FALSE(small_tree().contains(SW1 + "/Ports/0"));
  }
  SECTION("interswitch port, link up") {
    const json& p = at(SW1 + "/Ports/1");
    CHECK(p["@odata.type"] == "#Port.v1_18_0.Port");
    CHECK(p["Id"] == "1");
    CHECK(p["PortId"] == "1");
    CHECK(p["PortProtocol"] == "InfiniBand");
    CHECK(p["LinkNetworkTechnology"] == "InfiniBand");
    CHECK(p["PortType"] == "InterswitchPort");
    CHECK(p["LinkStatus"] == "LinkUp");
    CHECK(p["LinkState"] == "Enabled");
    CHECK(p["Width"] == 4);
    CHECK(p["ActiveWidth"] == 4);
    CHECK(p["CurrentSpeedGbps"] == Approx(4 * 2.0));  // 4x SDR: 2 Gbit/s per lane after 8b/10b
    CHECK(p["InfiniBand"]["AssociatedPortGUIDs"] == json::array({"0002:c902:0000:0001"}));
    CHECK(p["InfiniBand"]["AssociatedNodeGUIDs"] == json::array({"0002:c902:0000:0001"}));
    CHECK(p["Links"]["ConnectedSwitches"] == refs({SW2}));
    CHECK(p["Links"]["ConnectedSwitchPorts"] == refs({SW2 + "/Ports/1"}));
    CHECK(p["Links"]["ConnectedSwitchPorts@odata.count"] == 1);
    CHECK_FALSE(p["Links"].contains("ConnectedPorts"));
    CHECK_FALSE(p.contains("Metrics"));
    CHECK(p["Oem"]["Ofmf"]["PortGUID"] == "0x0002c90200000001");
    CHECK(p["Oem"]["Ofmf"]["LinkWidth"] == "4x");
    CHECK(p["Oem"]["Ofmf"]["LinkSpeed"] == "SDR");
    CHECK(p["Oem"]["Ofmf"]["MTU"] == 4096);
  }
  SECTION("downstream port to an adapter") {
    const json& p = at(SW1 + "/Ports/2");
    CHECK(p["PortType"] == "DownstreamPort");
    CHECK(p["CurrentSpeedGbps"] == Approx(4 * 25.0));  // 4x EDR
    CHECK(p["Links"]["ConnectedPorts"] == refs({FA_A + "/Ports/1"}));
    CHECK(p["Links"]["AssociatedEndpoints"] == refs({EP_A1}));
    CHECK_FALSE(p["Links"].contains("ConnectedSwitches"));
  }
  SECTION("cabled port without link, unconfigured port") {
    const json& p = at(SW1 + "/Ports/3");
    CHECK(p["PortType"] == "InterswitchPort");
    CHECK(p["LinkStatus"] == "LinkDown");  // Polling with a cable
    CHECK(p["LinkState"] == "Enabled");
    const json& q = at(SW1 + "/Ports/4");
    CHECK(q["PortType"] == "UnconfiguredPort");
    CHECK(q["LinkStatus"] == "NoLink");  // Polling, nothing attached
    CHECK_FALSE(q.contains("CurrentSpeedGbps"));
    CHECK(q["Links"] == json::object());
  }
}

TEST_CASE("Render: endpoints", "[redfish]") {
  SECTION("collection: switches by node GUID, adapter ports by port GUID, in model order") {
    const json& c = at(F + "/Endpoints");
    CHECK(c["@odata.type"] == "#EndpointCollection.EndpointCollection");
    CHECK(c["Members"] == refs({EP_SW1, EP_SW2, EP_A1, EP_A2, EP_B1, EP_R1}));
    CHECK(c["Members@odata.count"] == 6);
  }
  SECTION("adapter port endpoint") {
    const json& e = at(EP_A1);
    CHECK(e["@odata.type"] == "#Endpoint.v1_8_2.Endpoint");
    CHECK(e["Id"] == "0002c90300000011");
    CHECK(e["Name"] == "host-a mlx5_0 port 1");
    CHECK(e["EndpointProtocol"] == "InfiniBand");
    CHECK(e["Identifiers"] == json::array({{{"DurableName", "00:02:C9:03:00:00:00:11"}, {"DurableNameFormat", "EUI"}}}));
    CHECK(e["ConnectedEntities"] ==
          json::array({{{"EntityType", "NetworkController"}, {"EntityRole", "Both"}, {"EntityLink", link_to(FA_A)}}}));
    CHECK(e["Links"]["Ports"] == refs({FA_A + "/Ports/1"}));
    CHECK(e["Links"]["ConnectedPorts"] == refs({SW1 + "/Ports/2"}));
    CHECK(e["Links"]["Zones"] == refs({F + "/Zones/0012", F + "/Zones/7fff"}));
    CHECK(e["Links"]["Zones@odata.count"] == 2);
    CHECK(e["Links"]["AddressPools"] == refs({F + "/AddressPools/LIDs"}));
    CHECK(e["Oem"]["Ofmf"]["LID"] == 4);
    CHECK(e["Oem"]["Ofmf"]["LMC"] == 1);
  }
  SECTION("unlinked port without LID") {
    const json& e = at(EP_A2);
    CHECK(e["Links"]["ConnectedPorts"] == json::array());
    CHECK(e["Links"]["ConnectedPorts@odata.count"] == 0);
    CHECK(e["Links"]["AddressPools"] == json::array());
    CHECK(e["Links"]["Zones"] == json::array());
  }
  SECTION("switch endpoint") {
    const json& e = at(EP_SW1);
    CHECK(e["Name"] == "leaf one");
    CHECK(e["Identifiers"][0]["DurableName"] == "00:02:C9:02:00:00:00:01");
    CHECK(e["ConnectedEntities"][0]["EntityType"] == "Switch");
    CHECK(e["ConnectedEntities"][0]["EntityLink"] == link_to(SW1));
    CHECK_FALSE(e["Links"].contains("Ports"));
    CHECK(e["Links"]["Zones"] == refs({F + "/Zones/7fff"}));
    CHECK(e["Oem"]["Ofmf"]["LID"] == 1);
  }
  SECTION("router port endpoint") {
    CHECK(at(EP_R1)["ConnectedEntities"][0]["EntityLink"] == link_to(FA_R));
  }
}

TEST_CASE("Render: zones and the LID address pool", "[redfish]") {
  SECTION("zone collection by P_Key") {
    const json& c = at(F + "/Zones");
    CHECK(c["@odata.type"] == "#ZoneCollection.ZoneCollection");
    CHECK(c["Members"] == refs({F + "/Zones/0012", F + "/Zones/7fff"}));
  }
  SECTION("default partition") {
    const json& z = at(F + "/Zones/7fff");
    CHECK(z["@odata.type"] == "#Zone.v1_6_3.Zone");
    CHECK(z["Id"] == "7fff");
    CHECK(z["Name"] == "Partition 0x7fff");
    CHECK(z["ZoneType"] == "ZoneOfEndpoints");
    CHECK(z["Links"]["Endpoints"] == refs({EP_A1, EP_B1, EP_SW1}));  // partition order
    CHECK(z["Links"]["Endpoints@odata.count"] == 3);
    CHECK(z["Links"]["InvolvedSwitches"] == refs({SW1, SW2}));
    CHECK(z["Oem"]["Ofmf"]["PKey"] == "0x7fff");
    CHECK(z["Oem"]["Ofmf"]["PartitionName"] == "");
    CHECK(z["Oem"]["Ofmf"]["LimitedMembers"] == json::array());
  }
  SECTION("named partition with a limited member") {
    const json& z = at(F + "/Zones/0012");
    CHECK(z["Name"] == "storage");
    CHECK(z["Links"]["Endpoints"] == refs({EP_A1, EP_B1}));
    CHECK(z["Links"]["InvolvedSwitches"] == refs({SW1, SW2}));
    CHECK(z["Oem"]["Ofmf"]["LimitedMembers"] == refs({EP_A1}));
  }
  SECTION("address pool") {
    CHECK(at(F + "/AddressPools")["Members"] == refs({F + "/AddressPools/LIDs"}));
    const json& p = at(F + "/AddressPools/LIDs");
    CHECK(p["@odata.type"] == "#AddressPool.v1_3_0.AddressPool");
    CHECK(p["Id"] == "LIDs");
    CHECK(p["Links"]["Endpoints"] == refs({EP_SW1, EP_SW2, EP_A1, EP_B1}));
    CHECK(p["Oem"]["Ofmf"]["UnicastLIDRange"] == json{{"Lower", 1}, {"Upper", 0xbfff}});
    CHECK(p["Oem"]["Ofmf"]["AssignedLIDs"] == 1 + 1 + 2 + 1);  // A has LMC 1
  }
}

TEST_CASE("Render: chassis, fabric adapters and their ports", "[redfish]") {
  SECTION("one chassis per system image") {
    const json& c = at("/redfish/v1/Chassis");
    CHECK(c["@odata.type"] == "#ChassisCollection.ChassisCollection");
    CHECK(c["Members"] == refs({CHA, CHB}));
    const json& a = at(CHA);
    CHECK(a["@odata.type"] == "#Chassis.v1_28_0.Chassis");
    CHECK(a["Id"] == "0002c903000000f0");
    CHECK(a["ChassisType"] == "Enclosure");  // two adapters share the image
    CHECK(at(CHB)["ChassisType"] == "Card");
    CHECK(a["FabricAdapters"] == link_to(CHA + "/FabricAdapters"));
    CHECK(a["Oem"]["Ofmf"]["SystemImageGUID"] == "0x0002c903000000f0");
    CHECK(at(CHA + "/FabricAdapters")["Members"] == refs({FA_A, FA_R}));
    CHECK(at(CHA + "/FabricAdapters")["@odata.type"] == "#FabricAdapterCollection.FabricAdapterCollection");
  }
  SECTION("fabric adapter") {
    const json& a = at(FA_A);
    CHECK(a["@odata.type"] == "#FabricAdapter.v1_5_3.FabricAdapter");
    CHECK(a["Id"] == "0002c90300000010");
    CHECK(a["Name"] == "host-a mlx5_0");
    CHECK(a["FabricType"] == "InfiniBand");
    CHECK(a["Ports"] == link_to(FA_A + "/Ports"));
    CHECK(a["Links"]["Endpoints"] == refs({EP_A1, EP_A2}));
    const json& o = a["Oem"]["Ofmf"];
    CHECK(o["NodeGUID"] == "0x0002c90300000010");
    CHECK(o["NodeType"] == "Ca");
    CHECK(o["SystemImageGUID"] == "0x0002c903000000f0");
    CHECK(o["VendorID"] == 0x0002c9);
    CHECK(o["DeviceID"] == 0x1017);
    CHECK(o["NodeDescription"] == "host-a mlx5_0");
    CHECK(at(FA_R)["Oem"]["Ofmf"]["NodeType"] == "Router");
  }
  SECTION("adapter ports") {
    const json& p = at(FA_A + "/Ports/1");
    CHECK(p["PortType"] == "UpstreamPort");
    CHECK(p["LinkStatus"] == "LinkUp");
    CHECK(p["CurrentSpeedGbps"] == Approx(100.0));
    CHECK(p["InfiniBand"]["AssociatedPortGUIDs"] == json::array({"0002:c903:0000:0011"}));
    CHECK(p["InfiniBand"]["AssociatedNodeGUIDs"] == json::array({"0002:c903:0000:0010"}));
    CHECK(p["InfiniBand"]["AssociatedSystemGUIDs"] == json::array({"0002:c903:0000:00f0"}));
    CHECK(p["Links"]["ConnectedSwitches"] == refs({SW1}));
    CHECK(p["Links"]["ConnectedSwitchPorts"] == refs({SW1 + "/Ports/2"}));
    CHECK(p["Links"]["AssociatedEndpoints"] == refs({EP_A1}));
    CHECK(p["Metrics"] == link_to(FA_A + "/Ports/1/Metrics"));
    CHECK(p["Oem"]["Ofmf"]["PortGUID"] == "0x0002c90300000011");
    CHECK(p["Oem"]["Ofmf"]["LID"] == 4);
    CHECK(p["Oem"]["Ofmf"]["LMC"] == 1);
    CHECK(p["Oem"]["Ofmf"]["MTU"] == 2048);
    CHECK(p["Oem"]["Ofmf"]["LinkSpeed"] == "EDR");
    const json& d = at(FA_A + "/Ports/2");
    CHECK(d["PortType"] == "UnconfiguredPort");
    CHECK(d["LinkStatus"] == "LinkDown");
    CHECK(d["LinkState"] == "Disabled");
    CHECK(d["Status"]["State"] == "Disabled");
    CHECK(d["Oem"]["Ofmf"]["PhysState"] == "Disabled");
    CHECK(d["Oem"]["Ofmf"]["PortState"] == "Down");
    const json& b = at(FA_B + "/Ports/1");
    CHECK(b["Width"] == 1);
    CHECK(b["CurrentSpeedGbps"] == Approx(8.0));  // 1x QDR
  }
  SECTION("port metrics") {
    const json& m = at(FA_A + "/Ports/1/Metrics");
    CHECK(m["@odata.type"] == "#PortMetrics.v1_8_1.PortMetrics");
    CHECK(m["Id"] == "Metrics");
    CHECK(m["RXBytes"] == 1000);
    CHECK(m["TXBytes"] == 2000);
    CHECK(m["RXErrors"] == 5);
    CHECK(m["TXErrors"] == 6);
    CHECK(m["Networking"]["RXFrames"] == 10);
    CHECK(m["Networking"]["TXFrames"] == 20);
    CHECK(m["Networking"]["RXUnicastFrames"] == 7);
    CHECK(m["Networking"]["TXUnicastFrames"] == 17);
    CHECK(m["Networking"]["RXMulticastFrames"] == 3);
    CHECK(m["Networking"]["TXDiscards"] == 6);
    CHECK(m["Oem"]["Ofmf"]["symbol_errors"] == 9);
    CHECK(m["Oem"]["Ofmf"]["tx_wait"] == 123456789012345ULL);
    CHECK(m["Oem"]["Ofmf"].size() == 22);  // every PortCounters field
    CHECK_FALSE(small_tree().contains(FA_A + "/Ports/2/Metrics"));
  }
}

TEST_CASE("Render: every resource has its links both ways", "[redfish]") {
  SECTION("small fabric") { test::check_tree_links(small_tree()); }
  SECTION("resource count of the small fabric") {
    // root, SessionService, Sessions, Fabrics, IB, Switches, Endpoints,
    // Zones (+2), AddressPools (+1), Chassis (+2 chassis, +2 FA coll.);
    // 2 switches x (1 + Ports + 4 ports) + 2 switch endpoints;
    // A: 1 + Ports + 2 + 1 metrics + 2 endpoints; B, R: 1 + Ports + 1 + 1 endpoint each.
    CHECK(small_tree().size() == 3 + 4 + 3 + 2 + 1 + 4 + 2 * 6 + 2 + 7 + 4 + 4);
  }
  for (const auto& g : test::generator_fabrics()) {
    DYNAMIC_SECTION(g.name) {
      auto f = g.make();
      REQUIRE(f);
      REQUIRE(test::decorate(*f));
      auto t = redfish::render(*f);
      REQUIRE(t);
      test::check_tree_links(*t);
    }
  }
}

TEST_CASE("Render: options, single resources and subtrees", "[redfish]") {
  auto f = test::small_fabric();
  SECTION("fabric id") {
    redfish::ExportOptions o;
    o.fabric_id = "ib0";
    auto t = redfish::render(f, o);
    REQUIRE(t);
    CHECK(t->contains("/redfish/v1/Fabrics/ib0/Switches/0002c90200000001"));
    CHECK((*t->find("/redfish/v1/Fabrics"))["Members"] == refs({"/redfish/v1/Fabrics/ib0"}));
    for (const char* bad : {"", ".", "..", "a/b", "a b", "%2F", "x\\y"}) {
      o.fabric_id = bad;
      INFO(bad);
      auto r = redfish::render(f, o);
      REQUIRE_FALSE(r);
      CHECK(r.error().code == make_error_code(errc::invalid_argument));
    }
  }
  SECTION("mockup copyright on request only") {
    redfish::ExportOptions o;
    o.mockup_copyright = true;
    auto t = redfish::render(f, o);
    REQUIRE(t);
    for (const auto& [uri, r] : *t) CHECK(r.contains("@Redfish.Copyright"));
  }
  SECTION("metrics off") {
    redfish::ExportOptions o;
    o.metrics = false;
    auto t = redfish::render(f, o);
    REQUIRE(t);
    CHECK_FALSE(t->contains(FA_A + "/Ports/1/Metrics"));
    CHECK_FALSE((*t->find(FA_A + "/Ports/1")).contains("Metrics"));
  }
  SECTION("thread count does not change the result") {
    auto g = topology::generate_kary_ntree({4, 3});
    REQUIRE(g);
    REQUIRE(test::decorate(*g));
    redfish::ExportOptions one, four;
    one.threads = 1;
    four.threads = 4;
    auto a = redfish::render(*g, one);
    auto b = redfish::render(*g, four);
    REQUIRE((a && b));
    CHECK(*a == *b);
  }
  SECTION("render_resource gives exactly what render() does, for every URI") {
    for (const auto& [uri, r] : small_tree()) {
      INFO(uri);
      auto one = redfish::render_resource(f, uri);
      REQUIRE(one);
      CHECK(*one == r);  // same mutations, so the same generation too
    }
  }
  SECTION("render_resource errors") {
    auto missing = redfish::render_resource(f, F + "/Switches/0002c90200000099");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == make_error_code(errc::not_found));
    CHECK(missing.error().message.find("0002c90200000099") != std::string::npos);
    for (const char* u : {"/redfish/v1/Fabrics/IB/Switches/0002C90200000001",  // upper case
                          "/redfish/v1/Fabrics/IB/Switches/0002c90200000001/Ports/0",
                          "/redfish/v1/Fabrics/IB/Switches/0002c90200000001/Ports/5",
                          "/redfish/v1/Fabrics/IB/Switches/0002c90200000001/Ports/01",
                          "/redfish/v1/Fabrics/IB/Switches/0002c90200000001/Ports/1/Metrics",
                          "/redfish/v1/Fabrics/IB/Endpoints/0002c90300000010",  // a node GUID of an adapter
                          "/redfish/v1/Fabrics/IB/Zones/0001", "/redfish/v1/Fabrics/other",
                          "/redfish/v1/Chassis/0002c90200000001",  // switches have no chassis
                          "/redfish/v1/Chassis/0002c90300000020/FabricAdapters/0002c90300000010"}) {
      INFO(u);
      auto r = redfish::render_resource(f, u);
      REQUIRE_FALSE(r);
      CHECK(r.error().code == make_error_code(errc::not_found));
    }
    for (const char* u : {"/redfish/v1/Fabrics/../Chassis", "/redfish/v1//Fabrics", "/redfish/v2/", "Fabrics",
                          "/redfish/v1/Fabrics/IB/"}) {
      INFO(u);
      auto r = redfish::render_resource(f, u);
      REQUIRE_FALSE(r);
      CHECK(r.error().code == make_error_code(errc::invalid_argument));
    }
  }
  SECTION("render_subtree") {
    auto t = redfish::render_subtree(f, SW1);
    REQUIRE(t);
    CHECK(*t == small_tree().subtree(SW1));
    CHECK(t->size() == 1 + 1 + 4);
    auto c = redfish::render_subtree(f, "/redfish/v1/Chassis");
    REQUIRE(c);
    CHECK(*c == small_tree().subtree("/redfish/v1/Chassis"));
    auto none = redfish::render_subtree(f, F + "/Switches/0002c90200000099");
    REQUIRE_FALSE(none);
    CHECK(none.error().code == make_error_code(errc::not_found));
  }
}

TEST_CASE("Render: generated enums follow the schema spelling", "[redfish]") {
  using namespace redfish;
  CHECK(to_string(Protocol::InfiniBand) == "InfiniBand");
  CHECK(to_string(DurableNameFormat::EUI) == "EUI");
  CHECK(parse<PortType>("InterswitchPort") == PortType::InterswitchPort);
  CHECK_FALSE(parse<PortType>("interswitchport"));  // case-sensitive
  CHECK_FALSE(parse<LinkStatus>(""));
  CHECK(to_string(static_cast<Health>(200)).empty());
  for (std::size_t i = 0; i < EnumTraits<EntityType>::names.size(); ++i) {
    auto v = static_cast<EntityType>(i);
    CHECK(parse<EntityType>(to_string(v)) == v);
  }
  CHECK(std::string_view(schema::port).find(EnumTraits<PortType>::schema.substr(0, 12)) != std::string_view::npos);
}
