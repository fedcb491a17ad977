// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// libfabric interfaces and probe results as Redfish Fabric and Endpoint
// resources. Plain code (no libfabric needed).
#include <map>
#include <set>

#include "ofmf/backend/probe.hpp"
#include "ofmf/redfish/enums.hpp"
#include "ofmf/redfish/schema_versions.hpp"

namespace ofmf::backend {
namespace {

using nlohmann::json;
using redfish::Protocol;

std::string uri_safe(std::string_view s) {
  std::string out;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                    c == '.';
    out += ok ? c : '_';
  }
  return out.empty() ? std::string("_") : out;
}

Protocol protocol_of(const OfiInterface& o) {
  const std::string& p = o.core_provider.empty() ? o.provider.substr(0, o.provider.find(';')) : o.core_provider;
  if (p == "tcp" || p == "sockets" || p == "net") return Protocol::TCP;
  if (p == "udp") return Protocol::UDP;
  if (p == "verbs") {
    if (o.link_layer == "InfiniBand" || o.address_format == "FI_SOCKADDR_IB" || o.fabric.rfind("IB-", 0) == 0)
      return Protocol::InfiniBand;
    if (o.link_layer == "Ethernet") return Protocol::RoCEv2;
  }
  return Protocol::OEM;
}

// "127.0.0.1:4711" -> IPv4 address and port; "[::1]:4711" -> IPv6.
json ip_transport(const OfiInterface& o, Protocol proto) {
  if (proto != Protocol::TCP && proto != Protocol::UDP && proto != Protocol::RoCEv2) return nullptr;
  const std::string& a = o.source_address;
  const auto colon = a.rfind(':');
  if (colon == std::string::npos) return nullptr;
  json t;
  t["TransportProtocol"] = std::string(redfish::to_string(proto));
  const std::string host = a.substr(0, colon);
  if (o.address_format == "FI_SOCKADDR_IN6" && host.size() > 2 && host.front() == '[')
    t["IPv6Address"] = {{"Address", host.substr(1, host.size() - 2)}};
  else if (o.address_format == "FI_SOCKADDR_IN")
    t["IPv4Address"] = {{"Address", host}};
  else
    return nullptr;
  try {
    const int port = std::stoi(a.substr(colon + 1));
    if (port > 0 && port <= 65535) t["Port"] = port;
  } catch (...) {
  }
  return json::array({t});
}

json probe_json(const ProbeReport& r) {
  json results = json::array();
  for (const ProbeResult& x : r.results)
    results.push_back({{"Bytes", x.size},
                       {"Iterations", x.iterations},
                       {"LatencyMicroseconds", x.latency_us},
                       {"BandwidthMBps", x.bandwidth_mbps},
                       {"MessagesPerSecond", x.messages_per_s}});
  return {{"Mode", std::string(to_string(r.mode))},
          {"LocalAddress", r.local_address},
          {"PeerAddress", r.peer_address},
          {"FinishedAtMs", r.finished_at_ms},
          {"Results", results}};
}

} // namespace

std::string_view redfish_protocol(const OfiInterface& interface) noexcept {
  try {
    return redfish::to_string(protocol_of(interface));
  } catch (...) {
    return redfish::to_string(Protocol::OEM);
  }
}

Result<redfish::Tree> ofi_to_redfish(const std::vector<OfiInterface>& interfaces, const std::vector<ProbeReport>& probes) {
  redfish::Tree tree;
  const std::string root = "/redfish/v1/Fabrics";
  // Fabrics in first-seen order; endpoints per fabric.
  std::map<std::string, std::string> fabric_id;  // key "provider\nfabric" -> id
  std::set<std::string> used_fabric_ids;
  std::map<std::string, std::set<std::string>> used_endpoint_ids;  // fabric id -> endpoint ids
  for (const OfiInterface& o : interfaces) {
    const std::string key = o.provider + "\n" + o.fabric;
    auto [it, fresh] = fabric_id.try_emplace(key);
    const Protocol proto = protocol_of(o);
    if (fresh) {
      std::string id = "ofi-" + uri_safe(o.provider) + "-" + uri_safe(o.fabric);
      for (int n = 2; used_fabric_ids.count(id); ++n) id = "ofi-" + uri_safe(o.provider) + "-" + uri_safe(o.fabric) + "-" + std::to_string(n);
      used_fabric_ids.insert(id);
      it->second = id;
      const std::string furi = root + "/" + id;
      tree.insert_or_assign(furi, json{{"@odata.id", furi},
                                       {"@odata.type", std::string(redfish::schema::fabric)},
                                       {"Id", id},
                                       {"Name", "libfabric " + o.provider + " fabric " + o.fabric},
                                       {"FabricType", std::string(redfish::to_string(proto))},
                                       {"Endpoints", {{"@odata.id", furi + "/Endpoints"}}},
                                       {"Oem", {{"Ofmf", {{"Provider", o.provider},
                                                          {"ProviderVersion", o.provider_version},
                                                          {"FabricName", o.fabric}}}}}});
      tree.insert_or_assign(furi + "/Endpoints", json{{"@odata.id", furi + "/Endpoints"},
                                                      {"@odata.type", std::string(redfish::schema::endpoint_collection)},
                                                      {"Name", "Endpoints of " + id},
                                                      {"Members", json::array()},
                                                      {"Members@odata.count", 0}});
    }
    const std::string& fid = it->second;
    const std::string furi = root + "/" + fid;
    auto& used = used_endpoint_ids[fid];
    const std::string base = uri_safe(o.domain) + "-" + std::string(to_string(o.endpoint_type));
    std::string eid = base;
    for (int n = 2; used.count(eid); ++n) eid = base + "-" + std::to_string(n);
    used.insert(eid);
    const std::string euri = furi + "/Endpoints/" + eid;
    json oem = {{"Provider", o.provider},
                {"Domain", o.domain},
                {"EndpointType", std::string(to_string(o.endpoint_type))},
                {"LibfabricProtocol", o.protocol},
                {"Capabilities", o.caps},
                {"AddressFormat", o.address_format},
                {"SourceAddress", o.source_address},
                {"MaxMessageSize", o.max_msg_size},
                {"InjectSize", o.inject_size}};
    json probe_list = json::array();
    for (const ProbeReport& r : probes)
      if (r.provider == o.provider && r.fabric == o.fabric && r.domain == o.domain && r.endpoint_type == o.endpoint_type)
        probe_list.push_back(probe_json(r));
    if (!probe_list.empty()) oem["Probe"] = probe_list;
    json ep = {{"@odata.id", euri},
               {"@odata.type", std::string(redfish::schema::endpoint)},
               {"Id", eid},
               {"Name", o.provider + " " + std::string(to_string(o.endpoint_type)) + " endpoint on " + o.domain},
               {"EndpointProtocol", std::string(redfish::to_string(proto))},
               {"Oem", {{"Ofmf", oem}}}};
    if (json t = ip_transport(o, proto); !t.is_null()) ep["IPTransportDetails"] = t;
    tree.insert_or_assign(euri, std::move(ep));
    json* coll = tree.find(furi + "/Endpoints");
    (*coll)["Members"].push_back({{"@odata.id", euri}});
    (*coll)["Members@odata.count"] = (*coll)["Members"].size();
  }
  return tree;
}

Result<void> merge_ofi(redfish::Tree& service, const std::vector<OfiInterface>& interfaces,
                       const std::vector<ProbeReport>& probes) {
  const std::string root = "/redfish/v1/Fabrics";
  const json* coll = service.find(root);
  if (!coll || !coll->is_object())
    return fail(errc::invalid_argument, "merge_ofi: the service tree has no Fabrics collection at " + root);
  auto members = coll->find("Members");
  if (members == coll->end() || !members->is_array())
    return fail(errc::invalid_argument, "merge_ofi: " + root + " has no Members array");
  auto ofi = ofi_to_redfish(interfaces, probes);
  if (!ofi) return Unexpected(std::move(ofi).error());
  // Check everything first, so that an error leaves `service` unchanged.
  for (const auto& [uri, resource] : *ofi)
    if (service.contains(uri))
      return fail(errc::already_exists, "merge_ofi: " + uri + " is already in the service tree (a Fabric Id "
                                                              "of the libfabric view clashes with an existing one)");
  json new_members = *members;
  for (const auto& [uri, resource] : *ofi)
    if (redfish::parent_uri(uri) == root) new_members.push_back({{"@odata.id", uri}});
  for (const auto& [uri, resource] : *ofi) service.insert_or_assign(uri, resource);
  json* c = service.find(root);
  (*c)["Members@odata.count"] = new_members.size();
  (*c)["Members"] = std::move(new_members);
  return {};
}

} // namespace ofmf::backend
