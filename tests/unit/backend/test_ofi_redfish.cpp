// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// libfabric interfaces and probe results as Redfish resources, checked
// field by field; protocol values must be names of DMTF's Protocol enum.
#include <catch2/catch.hpp>

#include <set>

#include "ofmf/backend/probe.hpp"
#include "ofmf/redfish/enums.hpp"
#include "ofmf/redfish/schema_versions.hpp"

using namespace ofmf;
using namespace ofmf::backend;

namespace {

OfiInterface iface(std::string provider, std::string fabric, std::string domain, EndpointType t, std::string addr_format,
                   std::string address) {
  OfiInterface o;
  o.provider = provider;
  o.core_provider = provider.substr(0, provider.find(';'));
  o.provider_version = "117.0";
  o.fabric = std::move(fabric);
  o.domain = std::move(domain);
  o.endpoint_type = t;
  o.protocol = "FI_PROTO_RXM";
  o.caps = {"FI_MSG", "FI_TAGGED"};
  o.address_format = std::move(addr_format);
  o.source_address = std::move(address);
  o.max_msg_size = 1 << 30;
  return o;
}

} // namespace

TEST_CASE("OFI Redfish: protocol per provider", "[backend]") {
  CHECK(redfish_protocol(iface("tcp;ofi_rxm", "127.0.0.1/32", "lo", EndpointType::Rdm, "FI_SOCKADDR_IN", "")) == "TCP");
  CHECK(redfish_protocol(iface("udp", "127.0.0.1/32", "lo", EndpointType::Dgram, "FI_SOCKADDR_IN", "")) == "UDP");
  CHECK(redfish_protocol(iface("shm", "shm", "shm", EndpointType::Rdm, "FI_ADDR_STR", "")) == "OEM");
  auto ib = iface("verbs;ofi_rxm", "IB-0xfe80000000000000", "mlx5_0", EndpointType::Rdm, "FI_SOCKADDR_IB", "");
  CHECK(redfish_protocol(ib) == "InfiniBand");
  auto roce = iface("verbs;ofi_rxm", "192.0.2.0/24", "mlx5_1", EndpointType::Rdm, "FI_SOCKADDR_IN", "");
  roce.link_layer = "Ethernet";
  CHECK(redfish_protocol(roce) == "RoCEv2");
  for (auto* p : {"TCP", "UDP", "OEM", "InfiniBand", "RoCEv2"}) CHECK(redfish::parse<redfish::Protocol>(p));
}

TEST_CASE("OFI Redfish: fabrics and endpoints field by field", "[backend]") {
  std::vector<OfiInterface> in = {
      iface("tcp;ofi_rxm", "127.0.0.1/32", "lo", EndpointType::Rdm, "FI_SOCKADDR_IN", "127.0.0.1:0"),
      iface("tcp", "127.0.0.1/32", "lo", EndpointType::Msg, "FI_SOCKADDR_IN", "127.0.0.1:4711"),
      iface("tcp", "::1/128", "lo", EndpointType::Msg, "FI_SOCKADDR_IN6", "[::1]:4712"),
      iface("shm", "shm", "shm", EndpointType::Rdm, "FI_ADDR_STR", "fi_shm://42"),
  };
  ProbeReport rep;
  rep.provider = "tcp";
  rep.fabric = "127.0.0.1/32";
  rep.domain = "lo";
  rep.endpoint_type = EndpointType::Msg;
  rep.peer_address = "127.0.0.1:5000";
  rep.results = {{64, 100, 1000.0, 5.0, 12.8, 200000.0}};
  auto tree = ofi_to_redfish(in, {rep});
  REQUIRE(tree);
  const std::string f = "/redfish/v1/Fabrics/ofi-tcp-127.0.0.1_32";
  const auto* fabric = tree->find(f);
  REQUIRE(fabric);
  CHECK((*fabric)["@odata.type"] == std::string(redfish::schema::fabric));
  CHECK((*fabric)["@odata.id"] == f);
  CHECK((*fabric)["Id"] == "ofi-tcp-127.0.0.1_32");
  CHECK((*fabric)["FabricType"] == "TCP");
  CHECK((*fabric)["Endpoints"]["@odata.id"] == f + "/Endpoints");
  CHECK((*fabric)["Oem"]["Ofmf"]["Provider"] == "tcp");
  const auto* coll = tree->find(f + "/Endpoints");
  REQUIRE(coll);
  CHECK((*coll)["@odata.type"] == std::string(redfish::schema::endpoint_collection));
  CHECK((*coll)["Members@odata.count"] == 1);
  const auto* ep = tree->find(f + "/Endpoints/lo-msg");
  REQUIRE(ep);
  CHECK((*ep)["@odata.type"] == std::string(redfish::schema::endpoint));
  CHECK((*ep)["EndpointProtocol"] == "TCP");
  REQUIRE((*ep)["IPTransportDetails"].size() == 1);
  CHECK((*ep)["IPTransportDetails"][0]["TransportProtocol"] == "TCP");
  CHECK((*ep)["IPTransportDetails"][0]["IPv4Address"]["Address"] == "127.0.0.1");
  CHECK((*ep)["IPTransportDetails"][0]["Port"] == 4711);
  const auto& oem = (*ep)["Oem"]["Ofmf"];
  CHECK(oem["EndpointType"] == "msg");
  CHECK(oem["Capabilities"] == nlohmann::json::array({"FI_MSG", "FI_TAGGED"}));
  REQUIRE(oem["Probe"].size() == 1);
  CHECK(oem["Probe"][0]["PeerAddress"] == "127.0.0.1:5000");
  CHECK(oem["Probe"][0]["Results"][0]["Bytes"] == 64);
  CHECK(oem["Probe"][0]["Results"][0]["LatencyMicroseconds"] == 5.0);
  CHECK(oem["Probe"][0]["Results"][0]["BandwidthMBps"] == 12.8);
  // The rxm endpoint of the same fabric is another fabric (another provider chain), without the probe.
  const auto* rxm = tree->find("/redfish/v1/Fabrics/ofi-tcp_ofi_rxm-127.0.0.1_32/Endpoints/lo-rdm");
  REQUIRE(rxm);
  CHECK((*rxm)["Oem"]["Ofmf"].find("Probe") == (*rxm)["Oem"]["Ofmf"].end());
  CHECK((*rxm)["IPTransportDetails"][0].find("Port") == (*rxm)["IPTransportDetails"][0].end());  // port 0: none yet
  const auto* v6 = tree->find("/redfish/v1/Fabrics/ofi-tcp-__1_128/Endpoints/lo-msg");
  REQUIRE(v6);
  CHECK((*v6)["IPTransportDetails"][0]["IPv6Address"]["Address"] == "::1");
  const auto* shm = tree->find("/redfish/v1/Fabrics/ofi-shm-shm/Endpoints/shm-rdm");
  REQUIRE(shm);
  CHECK((*shm)["EndpointProtocol"] == "OEM");
  CHECK(shm->find("IPTransportDetails") == shm->end());
  for (const auto& [uri, res] : *tree) CHECK(redfish::is_safe_uri(uri));
}

TEST_CASE("OFI Redfish: the inventory of this host renders", "[backend]") {
  auto inv = ofi_inventory();
  if (!inv) {
    WARN("skipped: " << inv.error().message);
    return;
  }
  auto tree = ofi_to_redfish(*inv);
  REQUIRE(tree);
  std::size_t endpoints = 0;
  for (const auto& [uri, res] : *tree) {
    CHECK(redfish::is_safe_uri(uri));
    if (res["@odata.type"] == std::string(redfish::schema::endpoint)) {
      ++endpoints;
      CHECK(redfish::parse<redfish::Protocol>(res["EndpointProtocol"].get<std::string>()));
    }
  }
  CHECK(endpoints == inv->size());
}

TEST_CASE("OFI Redfish: merge_ofi adds the libfabric Fabrics to a service tree", "[backend]") {
  // A service tree with an InfiniBand fabric, as redfish::render() starts it.
  redfish::Tree service;
  const std::string root = "/redfish/v1/Fabrics";
  service.insert_or_assign(root, {{"@odata.id", root},
                                  {"@odata.type", std::string(redfish::schema::fabric_collection)},
                                  {"Name", "Fabrics"},
                                  {"Members", nlohmann::json::array({{{"@odata.id", root + "/IB"}}})},
                                  {"Members@odata.count", 1}});
  service.insert_or_assign(root + "/IB", {{"@odata.id", root + "/IB"}, {"Id", "IB"}});
  std::vector<OfiInterface> in = {
      iface("tcp;ofi_rxm", "127.0.0.1/32", "lo", EndpointType::Rdm, "FI_SOCKADDR_IN", "127.0.0.1:0"),
      iface("tcp", "127.0.0.1/32", "lo", EndpointType::Msg, "FI_SOCKADDR_IN", "127.0.0.1:4711"),
      iface("shm", "shm", "shm", EndpointType::Rdm, "FI_ADDR_STR", "fi_shm://42"),
  };
  auto alone = ofi_to_redfish(in);
  REQUIRE(alone);

  SECTION("every resource, the collection's Members and count") {
    REQUIRE(merge_ofi(service, in));
    CHECK(service.size() == 2 + alone->size());
    for (const auto& [uri, res] : *alone) {
      REQUIRE(service.contains(uri));
      CHECK(*service.find(uri) == res);
    }
    const auto& coll = *service.find(root);
    REQUIRE(coll["Members"].size() == 4);
    CHECK(coll["Members@odata.count"] == 4);
    CHECK(coll["Members"][0]["@odata.id"] == root + "/IB");
    std::set<std::string> members;
    for (const auto& m : coll["Members"]) members.insert(m["@odata.id"].get<std::string>());
    CHECK(members == std::set<std::string>{root + "/IB", root + "/ofi-tcp_ofi_rxm-127.0.0.1_32",
                                           root + "/ofi-tcp-127.0.0.1_32", root + "/ofi-shm-shm"});
  }
  SECTION("a URI clash is refused and leaves the tree unchanged") {
    service.insert_or_assign(root + "/ofi-shm-shm", {{"@odata.id", root + "/ofi-shm-shm"}, {"Id", "ofi-shm-shm"}});
    const redfish::Tree before = service;
    auto r = merge_ofi(service, in);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::already_exists);
    CHECK_THAT(r.error().message, Catch::Contains("/redfish/v1/Fabrics/ofi-shm-shm"));
    CHECK(service == before);
  }
  SECTION("merging twice clashes") {
    REQUIRE(merge_ofi(service, in));
    const redfish::Tree once = service;
    CHECK(merge_ofi(service, in).error().code == errc::already_exists);
    CHECK(service == once);
  }
  SECTION("a tree without a Fabrics collection is refused") {
    redfish::Tree empty;
    auto r = merge_ofi(empty, in);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::invalid_argument);
    CHECK(empty.empty());
    service.find(root)->erase("Members");
    const redfish::Tree before = service;
    CHECK(merge_ofi(service, in).error().code == errc::invalid_argument);
    CHECK(service == before);
  }
  SECTION("no interface changes nothing but the count stays right") {
    REQUIRE(merge_ofi(service, {}));
    CHECK(service.size() == 2);
    CHECK((*service.find(root))["Members@odata.count"] == 1);
  }
}
