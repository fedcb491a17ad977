// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// The fabric model as Redfish resources, following lib/redfish/MAPPING.md.
#include "ofmf/redfish/render.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <set>
#include <thread>
#include <utility>

#include "ofmf/redfish/enums.hpp"
#include "ofmf/redfish/schema_versions.hpp"
#include "redfish/detail/json_out.hpp"
#include "redfish/detail/tree_access.hpp"
#include "redfish/detail/view.hpp"
#include "core/detail/parallel.hpp"

namespace ofmf::redfish {
namespace detail {

using model::Guid;
using model::Node;
using model::NodeType;
using model::PKey;
using model::PortNum;

namespace {

using J = JsonOut;

constexpr char hex_digits[] = "0123456789abcdef";
constexpr char hex_upper[] = "0123456789ABCDEF";
constexpr std::string_view root_uri = "/redfish/v1/";
constexpr std::string_view oem_key = "Ofmf";

template <class E>
std::string_view e(E v) {
  return to_string(v);
}

/// Short text of a fixed length, held inline.
template <std::size_t N>
struct Fixed {
  char c[N];
  operator std::string_view() const noexcept { return {c, N}; }
};

/// "0x0002c90300a1b2c3".
Fixed<18> guid_0x(Guid g) {
  Fixed<18> out;
  out.c[0] = '0';
  out.c[1] = 'x';
  for (int i = 0; i < 16; ++i) out.c[17 - i] = hex_digits[(g >> (4 * i)) & 0xf];
  return out;
}

/// "0002:c903:00a1:b2c3" (Port InfiniBand GUID pattern).
Fixed<19> guid_colon4(Guid g) {
  Fixed<19> out;
  int pos = 18;
  for (int i = 0; i < 16; ++i) {
    if (i && i % 4 == 0) out.c[pos--] = ':';
    out.c[pos--] = hex_digits[(g >> (4 * i)) & 0xf];
  }
  return out;
}

/// "00:02:C9:03:00:A1:B2:C3" (EUI-64 durable name).
Fixed<23> eui(Guid g) {
  Fixed<23> out;
  for (int b = 0; b < 8; ++b) {
    unsigned byte = unsigned(g >> (8 * (7 - b))) & 0xff;
    out.c[3 * b] = hex_upper[byte >> 4];
    out.c[3 * b + 1] = hex_upper[byte & 0xf];
    if (b < 7) out.c[3 * b + 2] = ':';
  }
  return out;
}

J link(std::string_view uri) {
  J j = J::object();
  j["@odata.id"] = uri;
  return j;
}

/// Sets `name` to the array of links and `name@odata.count`.
void set_links(J& obj, std::string_view name, const std::vector<std::string>& uris) {
  J arr = J::array();
  std::size_t bytes = 2;
  for (const auto& u : uris) bytes += u.size() + 16;
  arr.reserve(bytes);
  for (const auto& u : uris) arr.push_back(link(u));
  obj[name] = std::move(arr);
  obj.count(name) = uris.size();
}

/// set_links() with exactly one link.
void set_link1(J& obj, std::string_view name, std::string_view uri) {
  J arr = J::array();
  arr.push_back(link(uri));
  obj[name] = std::move(arr);
  obj.count(name) = 1u;
}

/// A JSON array holding one string.
J array1(std::string_view v) {
  J arr = J::array();
  arr.push_back(v);
  return arr;
}

J status(bool enabled = true) {
  J st = J::object();
  st["State"] = e(enabled ? State::Enabled : State::Disabled);
  st["Health"] = e(Health::OK);
  return st;
}

J resource(std::string_view uri, std::string_view type, std::string_view id, std::string_view name) {
  J j = J::object();
  j["@odata.id"] = uri;
  j["@odata.type"] = type;
  j["Id"] = std::move(id);
  j["Name"] = std::move(name);
  return j;
}

J collection(std::string_view uri, std::string_view type, std::string_view name, const std::vector<std::string>& members) {
  J j = J::object();
  j["@odata.id"] = uri;
  j["@odata.type"] = type;
  j["Name"] = std::move(name);
  set_links(j, "Members", members);
  return j;
}

std::string node_name(const Node& n) {
  return n.description.empty() ? std::string(std::string_view(guid_0x(n.guid))) : n.description;
}

Guid sys_of(const Node& n) { return n.system_guid ? n.system_guid : n.guid; }

bool is_switch(const Node& n) { return n.type == NodeType::Switch; }

J port_attributes(const model::PortAttributes& a) {
  J o = J::object();
  o["PortGUID"] = guid_0x(a.guid);
  o["LID"] = a.lid;
  o["LMC"] = a.lmc;
  o["PortState"] = model::to_string(a.state);
  o["PhysState"] = model::to_string(a.phys_state);
  o["LinkWidth"] = model::to_string(a.width);
  o["LinkSpeed"] = model::to_string(a.speed);
  o["MTU"] = model::mtu_bytes(a.mtu);
  return o;
}

J oem(J body) {
  J o = J::object();
  o[oem_key] = std::move(body);
  return o;
}

// Oem.Ofmf of a switch or an adapter: the node's identity and Port0.
// `with_type` adds NodeType (adapters: a router renders as an adapter).
J node_oem(const Node& n, bool with_type) {
  J o = J::object();
  o["NodeGUID"] = guid_0x(n.guid);
  if (with_type) o["NodeType"] = model::to_string(n.type);
  o["SystemImageGUID"] = guid_0x(sys_of(n));
  o["VendorID"] = n.vendor_id;
  o["DeviceID"] = n.device_id;
  o["NodeDescription"] = n.description;
  if (!n.ports.empty()) o["Port0"] = port_attributes(n.ports[0].attributes);
  return o;
}

LinkStatus link_status(const model::Port& p) {
  using model::PhysState;
  switch (p.attributes.phys_state) {
    case PhysState::LinkUp: return LinkStatus::LinkUp;
    case PhysState::Polling: return p.peer ? LinkStatus::LinkDown : LinkStatus::NoLink;
    case PhysState::PortConfigurationTraining: return LinkStatus::Training;
    default: return LinkStatus::LinkDown;
  }
}

// ----- resources -----

J r_root(const View& v) {
  J j = resource(root_uri, schema::service_root, "RootService", "Root Service");
  j["RedfishVersion"] = schema::redfish_version;
  j["Fabrics"] = link("/redfish/v1/Fabrics");
  j["Chassis"] = link("/redfish/v1/Chassis");
  j["SessionService"] = link("/redfish/v1/SessionService");
  J links = J::object();
  links["Sessions"] = link("/redfish/v1/SessionService/Sessions");
  j["Links"] = std::move(links);
  (void)v;
  return j;
}

J r_session_service() {
  J j = resource("/redfish/v1/SessionService", schema::session_service, "SessionService", "Session Service");
  j["ServiceEnabled"] = false;
  j["Sessions"] = link("/redfish/v1/SessionService/Sessions");
  j["Status"] = status(false);
  return j;
}

J r_sessions() {
  return collection("/redfish/v1/SessionService/Sessions", schema::session_collection, "Session Collection", {});
}

J r_fabrics(const View& v) {
  return collection("/redfish/v1/Fabrics", schema::fabric_collection, "Fabric Collection", {v.fabric_uri});
}

J r_fabric(const View& v) {
  J j = resource(v.fabric_uri, schema::fabric, v.opt.fabric_id, "InfiniBand fabric " + v.opt.fabric_id);
  j["FabricType"] = e(Protocol::InfiniBand);
  j["MaxZones"] = model::default_pkey;
  j["Switches"] = link(v.switches_uri);
  j["Endpoints"] = link(v.endpoints_uri);
  j["Zones"] = link(v.zones_uri);
  j["AddressPools"] = link(v.pools_uri);
  j["Status"] = status();
  J o = J::object();
  o["Generation"] = v.fabric.generation();
  j["Oem"] = oem(std::move(o));
  return j;
}

J r_switches(const View& v) {
  std::vector<std::string> m;
  for (const Node* n : v.all_nodes())
    if (is_switch(*n)) m.push_back(v.switch_uri(n->guid));
  return collection(v.switches_uri, schema::switch_collection, "Switch Collection", std::move(m));
}

J r_switch(const View& v, const Node& n) {
  const Uri uri = v.switch_uri(n.guid);
  J j = resource(uri, schema::switch_, guid_segment(n.guid), node_name(n));
  j["SwitchType"] = e(Protocol::InfiniBand);
  j["TotalSwitchWidth"] = n.num_ports();
  j["Ports"] = link(uri + "/Ports");
  j["Status"] = status();
  J links = J::object();
  set_link1(links, "Endpoints", v.endpoint_uri(n.guid));
  j["Links"] = std::move(links);
  j["Oem"] = oem(node_oem(n, false));
  return j;
}

J r_ports(const View& v, const Node& n) {
  const Uri uri = v.node_uri(n) + "/Ports";
  std::vector<std::string> m;
  m.reserve(n.num_ports());
  for (unsigned p = 1; p <= n.num_ports(); ++p) m.push_back(uri + "/" + std::to_string(p));
  return collection(uri, schema::port_collection, "Port Collection", std::move(m));
}

J r_port(const View& v, const Node& n, PortNum p, bool has_counters) {
  const model::Port& port = n.ports[p];
  const model::PortAttributes& a = port.attributes;
  const Uri uri = v.port_uri(n, p);
  std::string id = std::to_string(p);
  J j = resource(uri, schema::port, id, "Port " + id);
  j["PortId"] = id;
  j["PortProtocol"] = e(Protocol::InfiniBand);
  j["LinkNetworkTechnology"] = e(LinkNetworkTechnology::InfiniBand);

  const Node* peer = port.peer ? v.node(port.peer->node) : nullptr;
  PortType type;
  if (is_switch(n))
    type = !peer ? PortType::UnconfiguredPort : is_switch(*peer) ? PortType::InterswitchPort : PortType::DownstreamPort;
  else
    type = !peer ? PortType::UnconfiguredPort : is_switch(*peer) ? PortType::UpstreamPort : PortType::BidirectionalPort;
  j["PortType"] = e(type);
  j["LinkStatus"] = e(link_status(port));
  const bool disabled = a.phys_state == model::PhysState::Disabled;
  j["LinkState"] = e(disabled ? LinkState::Disabled : LinkState::Enabled);
  const unsigned lanes = model::lanes(a.width);
  j["Width"] = lanes;
  j["ActiveWidth"] = lanes;
  if (peer) j["CurrentSpeedGbps"] = double(lanes) * model::lane_data_rate_gbps(a.speed);
  J ib = J::object();
  ib["AssociatedPortGUIDs"] = array1(guid_colon4(a.guid));
  ib["AssociatedNodeGUIDs"] = array1(guid_colon4(n.guid));
  ib["AssociatedSystemGUIDs"] = array1(guid_colon4(sys_of(n)));
  j["InfiniBand"] = std::move(ib);
  if (has_counters) j["Metrics"] = link(uri + "/Metrics");
  j["Status"] = status(!disabled);

  J links = J::object();
  if (peer) {
    const Uri peer_port = v.port_uri(*peer, port.peer->port);
    if (is_switch(*peer)) {
      set_link1(links, "ConnectedSwitches", v.switch_uri(peer->guid));
      set_link1(links, "ConnectedSwitchPorts", peer_port);
    } else {
      set_link1(links, "ConnectedPorts", peer_port);
    }
  }
  if (!is_switch(n))
    set_link1(links, "AssociatedEndpoints", v.endpoint_of(n, p));
  else if (peer && !is_switch(*peer))
    set_link1(links, "AssociatedEndpoints", v.endpoint_of(*peer, port.peer->port));
  j["Links"] = std::move(links);
  j["Oem"] = oem(port_attributes(a));
  return j;
}

J r_metrics(const View& v, const Node& n, PortNum p, const model::PortCounters& c) {
  const Uri uri = v.port_uri(n, p) + "/Metrics";
  J j = resource(uri, schema::port_metrics, "Metrics", "Port " + std::to_string(p) + " Metrics");
  j["RXBytes"] = c.rx_bytes;
  j["TXBytes"] = c.tx_bytes;
  j["RXErrors"] = c.rx_errors;
  j["TXErrors"] = c.tx_discards;
  J net = J::object();
  net["RXFrames"] = c.rx_packets;
  net["TXFrames"] = c.tx_packets;
  net["RXUnicastFrames"] = c.rx_unicast_packets;
  net["TXUnicastFrames"] = c.tx_unicast_packets;
  net["RXMulticastFrames"] = c.rx_multicast_packets;
  net["TXMulticastFrames"] = c.tx_multicast_packets;
  net["TXDiscards"] = c.tx_discards;
  j["Networking"] = std::move(net);
  J o = J::object();
#define OFMF_COUNTER(f) o[#f] = c.f
  OFMF_COUNTER(tx_bytes);
  OFMF_COUNTER(rx_bytes);
  OFMF_COUNTER(tx_packets);
  OFMF_COUNTER(rx_packets);
  OFMF_COUNTER(tx_unicast_packets);
  OFMF_COUNTER(rx_unicast_packets);
  OFMF_COUNTER(tx_multicast_packets);
  OFMF_COUNTER(rx_multicast_packets);
  OFMF_COUNTER(symbol_errors);
  OFMF_COUNTER(link_error_recoveries);
  OFMF_COUNTER(link_downed);
  OFMF_COUNTER(rx_errors);
  OFMF_COUNTER(rx_remote_physical_errors);
  OFMF_COUNTER(rx_switch_relay_errors);
  OFMF_COUNTER(tx_discards);
  OFMF_COUNTER(tx_constraint_errors);
  OFMF_COUNTER(rx_constraint_errors);
  OFMF_COUNTER(local_link_integrity_errors);
  OFMF_COUNTER(excessive_buffer_overrun_errors);
  OFMF_COUNTER(vl15_dropped);
  OFMF_COUNTER(tx_wait);
  OFMF_COUNTER(sampled_at_ms);
#undef OFMF_COUNTER
  j["Oem"] = oem(std::move(o));
  return j;
}

J r_endpoints(const View& v) {
  std::vector<std::string> m;
  for (const Node* n : v.all_nodes()) {
    if (is_switch(*n))
      m.push_back(v.endpoint_uri(n->guid));
    else
      for (unsigned p = 1; p <= n->num_ports(); ++p) m.push_back(v.endpoint_uri(n->ports[p].attributes.guid));
  }
  return collection(v.endpoints_uri, schema::endpoint_collection, "Endpoint Collection", std::move(m));
}

/// Endpoint of port p of n (p = 0 for a switch).
J r_endpoint(const View& v, const Node& n, PortNum p) {
  const bool sw = is_switch(n);
  const model::Port& port = n.ports[sw ? 0 : p];
  const Guid guid = sw ? n.guid : port.attributes.guid;
  const Uri uri = v.endpoint_uri(guid);
  J j = resource(uri, schema::endpoint, guid_segment(guid),
                    sw ? node_name(n) : node_name(n) + " port " + std::to_string(p));
  j["EndpointProtocol"] = e(Protocol::InfiniBand);
  J ident = J::object();
  ident["DurableName"] = eui(guid);
  ident["DurableNameFormat"] = e(DurableNameFormat::EUI);
  J idents = J::array();
  idents.push_back(std::move(ident));
  j["Identifiers"] = std::move(idents);
  J ent = J::object();
  ent["EntityType"] = e(sw ? EntityType::Switch : EntityType::NetworkController);
  ent["EntityRole"] = e(EntityRole::Both);
  ent["EntityLink"] = link(v.node_uri(n));
  J ents = J::array();
  ents.push_back(std::move(ent));
  j["ConnectedEntities"] = std::move(ents);
  j["Status"] = status();
  J links = J::object();
  if (!sw) {
    set_link1(links, "Ports", v.port_uri(n, p));
    std::vector<std::string> connected;
    if (port.peer)
      if (const Node* peer = v.node(port.peer->node)) connected.push_back(v.port_uri(*peer, port.peer->port));
    set_links(links, "ConnectedPorts", std::move(connected));
  }
  std::vector<std::string> zones;
  for (PKey k : v.pkeys(guid)) zones.push_back(v.zone_uri(k));
  set_links(links, "Zones", std::move(zones));
  std::vector<std::string> pools;
  if (port.attributes.lid != 0) pools.push_back(v.lid_pool_uri);
  set_links(links, "AddressPools", std::move(pools));
  j["Links"] = std::move(links);
  J o = J::object();
  o["LID"] = port.attributes.lid;
  o["LMC"] = port.attributes.lmc;
  j["Oem"] = oem(std::move(o));
  return j;
}

J r_zones(const View& v) {
  std::vector<std::string> m;
  for (const model::Partition& p : v.partitions()) m.push_back(v.zone_uri(p.pkey));
  return collection(v.zones_uri, schema::zone_collection, "Zone Collection", std::move(m));
}

J r_zone(const View& v, const model::Partition& part) {
  const Uri uri = v.zone_uri(part.pkey);
  std::string pk = model::format_pkey(part.pkey);
  J j = resource(uri, schema::zone, pkey_segment(part.pkey), part.name.empty() ? "Partition " + pk : part.name);
  j["ZoneType"] = e(ZoneType::ZoneOfEndpoints);
  j["Status"] = status();
  std::vector<std::string> members, limited, switches;
  std::set<Guid> seen_switch;
  auto add_switch = [&](const Node& sw) {
    if (seen_switch.insert(sw.guid).second) switches.push_back(v.switch_uri(sw.guid));
  };
  for (const model::PartitionMember& m : part.members) {
    std::string ep = v.endpoint_uri(m.port_guid);
    if (m.membership == model::Membership::Limited) limited.push_back(ep);
    members.push_back(std::move(ep));
    auto ref = v.fabric.find_port(m.port_guid);
    if (!ref) continue;
    const Node* n = v.node(ref->node);
    if (!n) continue;
    if (is_switch(*n)) {
      add_switch(*n);
    } else if (ref->port < n->ports.size() && n->ports[ref->port].peer) {
      const Node* peer = v.node(n->ports[ref->port].peer->node);
      if (peer && is_switch(*peer)) add_switch(*peer);
    }
  }
  J links = J::object();
  set_links(links, "Endpoints", std::move(members));
  set_links(links, "InvolvedSwitches", std::move(switches));
  j["Links"] = std::move(links);
  J o = J::object();
  o["PKey"] = pk;
  o["PartitionName"] = part.name;
  J lim = J::array();
  for (auto& l : limited) lim.push_back(link(std::move(l)));
  o["LimitedMembers"] = std::move(lim);
  j["Oem"] = oem(std::move(o));
  return j;
}

J r_pools(const View& v) {
  return collection(v.pools_uri, schema::address_pool_collection, "Address Pool Collection", {v.lid_pool_uri});
}

J r_lid_pool(const View& v) {
  J j = resource(v.lid_pool_uri, schema::address_pool, "LIDs", "InfiniBand unicast LIDs");
  std::vector<std::string> eps;
  std::uint64_t assigned = 0;
  auto add = [&](Guid g, const model::PortAttributes& a) {
    if (a.lid == 0) return;
    eps.push_back(v.endpoint_uri(g));
    assigned += std::uint64_t{1} << a.lmc;
  };
  for (const Node* n : v.all_nodes()) {
    if (is_switch(*n))
      add(n->guid, n->ports[0].attributes);
    else
      for (unsigned p = 1; p <= n->num_ports(); ++p) add(n->ports[p].attributes.guid, n->ports[p].attributes);
  }
  j["Status"] = status();
  J links = J::object();
  set_links(links, "Endpoints", std::move(eps));
  j["Links"] = std::move(links);
  J range = J::object();
  range["Lower"] = 1;
  range["Upper"] = 0xbfff;
  J o = J::object();
  o["UnicastLIDRange"] = std::move(range);
  o["AssignedLIDs"] = assigned;
  j["Oem"] = oem(std::move(o));
  return j;
}

J r_chassis_collection(const View& v) {
  std::vector<std::string> m;
  for (Guid g : v.chassis_ids()) m.push_back(v.chassis_uri(g));
  return collection("/redfish/v1/Chassis", schema::chassis_collection, "Chassis Collection", std::move(m));
}

J r_chassis(const View& v, Guid sys, const std::vector<const Node*>& adapters) {
  const Uri uri = v.chassis_uri(sys);
  J j = resource(uri, schema::chassis, guid_segment(sys), std::string("System image ").append(guid_0x(sys)));
  // One adapter: the chassis is the card; several share a system image
  // (one host or device enclosing them).
  j["ChassisType"] = e(adapters.size() == 1 ? ChassisType::Card : ChassisType::Enclosure);
  j["FabricAdapters"] = link(uri + "/FabricAdapters");
  j["Status"] = status();
  J o = J::object();
  o["SystemImageGUID"] = guid_0x(sys);
  j["Oem"] = oem(std::move(o));
  return j;
}

J r_adapters(const View& v, Guid sys, const std::vector<const Node*>& adapters) {
  const Uri uri = v.chassis_uri(sys) + "/FabricAdapters";
  std::vector<std::string> m;
  for (const Node* n : adapters) m.push_back(v.adapter_uri(sys, n->guid));
  return collection(uri, schema::fabric_adapter_collection, "Fabric Adapter Collection", std::move(m));
}

J r_adapter(const View& v, const Node& n) {
  const Uri uri = v.adapter_uri(sys_of(n), n.guid);
  J j = resource(uri, schema::fabric_adapter, guid_segment(n.guid), node_name(n));
  j["FabricType"] = e(Protocol::InfiniBand);
  j["Ports"] = link(uri + "/Ports");
  j["Status"] = status();
  std::vector<std::string> eps;
  for (unsigned p = 1; p <= n.num_ports(); ++p) eps.push_back(v.endpoint_uri(n.ports[p].attributes.guid));
  J links = J::object();
  set_links(links, "Endpoints", std::move(eps));
  j["Links"] = std::move(links);
  j["Oem"] = oem(node_oem(n, true));
  return j;
}

} // namespace

// ----- helpers declared in view.hpp -----

std::string guid_segment(Guid g) {
  std::string out(16, '0');
  for (int i = 0; i < 16; ++i) out[std::size_t(15 - i)] = hex_digits[(g >> (4 * i)) & 0xf];
  return out;
}

namespace {
// Exactly `width` lower-case hex digits (the form guid_segment() and
// pkey_segment() write), as a number; nullopt for anything else.
std::optional<std::uint64_t> parse_lower_hex(std::string_view s, std::size_t width) noexcept {
  if (s.size() != width) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    unsigned d;
    if (c >= '0' && c <= '9')
      d = unsigned(c - '0');
    else if (c >= 'a' && c <= 'f')
      d = unsigned(c - 'a' + 10);
    else
      return std::nullopt;
    v = (v << 4) | d;
  }
  return v;
}
} // namespace

std::optional<Guid> parse_guid_segment(std::string_view s) noexcept { return parse_lower_hex(s, 16); }

std::string pkey_segment(PKey k) {
  std::string out(4, '0');
  for (int i = 0; i < 4; ++i) out[std::size_t(3 - i)] = hex_digits[(k >> (4 * i)) & 0xf];
  return out;
}

bool valid_fabric_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > 64 || id == "." || id == "..") return false;
  for (char c : id)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
          c == '-'))
      return false;
  return true;
}

void finish(const View& v, JsonOut& r) {
  if (v.opt.mockup_copyright) r["@Redfish.Copyright"] = v.opt.copyright;
}

View::View(const model::Fabric& f, const ExportOptions& o, bool full_view)
    : fabric(f), opt(o), full(full_view), fabric_uri("/redfish/v1/Fabrics/" + o.fabric_id) {
  switches_uri = fabric_uri + "/Switches";
  endpoints_uri = fabric_uri + "/Endpoints";
  zones_uri = fabric_uri + "/Zones";
  pools_uri = fabric_uri + "/AddressPools";
  lid_pool_uri = pools_uri + "/LIDs";
  if (full) {
    load_all();
    index_pkeys();
    chassis_ids();
    partitions();
  }
}

void View::load_all() const {
  if (all_loaded_) return;
  auto ids = fabric.nodes();
  order_.clear();
  order_.reserve(ids.size());
  nodes_.reserve(ids.size());
  for (model::NodeId id : ids) {
    auto& slot = nodes_[id.value];
    if (!slot) {
      auto n = fabric.node(id);
      if (!n) continue;
      slot = std::make_unique<Node>(std::move(*n));
    }
    order_.push_back(slot.get());
  }
  all_loaded_ = true;
}

const Node* View::node(model::NodeId id) const {
  auto it = nodes_.find(id.value);
  if (it != nodes_.end()) return it->second.get();
  if (full) return nullptr;
  auto n = fabric.node(id);
  if (!n) return nullptr;
  auto& slot = nodes_[id.value];
  slot = std::make_unique<Node>(std::move(*n));
  return slot.get();
}

const std::vector<const Node*>& View::all_nodes() const {
  load_all();
  return order_;
}

void View::index_pkeys() const {
  if (pkeys_indexed_) return;
  for (const model::Partition& p : partitions())
    for (const model::PartitionMember& m : p.members) pkeys_[m.port_guid].push_back(p.pkey);
  pkeys_indexed_ = true;
}

const std::vector<PKey>& View::pkeys(Guid port_guid) const {
  static const std::vector<PKey> none;
  if (!full && !pkeys_indexed_) {
    // On demand: this port's partitions only, without copying them all.
    auto [it, fresh] = pkeys_.try_emplace(port_guid);
    if (fresh)
      for (std::uint16_t entry : fabric.pkeys_of(port_guid)) it->second.push_back(PKey(entry & 0x7fff));
    return it->second;
  }
  index_pkeys();
  auto it = pkeys_.find(port_guid);
  return it == pkeys_.end() ? none : it->second;
}

const std::vector<model::Partition>& View::partitions() const {
  if (!partitions_loaded_) {
    partitions_ = fabric.partitions();
    partitions_loaded_ = true;
  }
  return partitions_;
}

const std::vector<Guid>& View::chassis_ids() const {
  if (!chassis_loaded_) {
    for (const Node* n : all_nodes()) {
      if (is_switch(*n)) continue;
      auto& members = chassis_members_[sys_of(*n)];
      if (members.empty()) chassis_.push_back(sys_of(*n));
      members.push_back(n);
    }
    chassis_loaded_ = true;
  }
  return chassis_;
}

std::vector<const Node*> View::adapters_of(Guid sys) const {
  chassis_ids();
  auto it = chassis_members_.find(sys);
  return it == chassis_members_.end() ? std::vector<const Node*>{} : it->second;
}

namespace {
/// Appends a GUID as a URI segment (16 lower-case hex digits).
void append_guid(Uri& u, Guid g) {
  char b[16];
  for (int i = 0; i < 16; ++i) b[15 - i] = hex_digits[(g >> (4 * i)) & 0xf];
  u.append(std::string_view(b, 16));
}
void append_number(Uri& u, unsigned v) {
  char b[12];
  auto [end, ec] = std::to_chars(b, b + sizeof b, v);
  u.append(std::string_view(b, std::size_t(end - b)));
}
} // namespace

Uri View::switch_uri(Guid g) const {
  Uri u(switches_uri);
  u += '/';
  append_guid(u, g);
  return u;
}
Uri View::chassis_uri(Guid sys) const {
  Uri u("/redfish/v1/Chassis/");
  append_guid(u, sys);
  return u;
}
Uri View::adapter_uri(Guid sys, Guid g) const {
  Uri u = chassis_uri(sys);
  u += "/FabricAdapters/";
  append_guid(u, g);
  return u;
}
Uri View::node_uri(const Node& n) const { return is_switch(n) ? switch_uri(n.guid) : adapter_uri(sys_of(n), n.guid); }
Uri View::port_uri(const Node& n, PortNum p) const {
  Uri u = node_uri(n);
  u += "/Ports/";
  append_number(u, p);
  return u;
}
Uri View::endpoint_uri(Guid g) const {
  Uri u(endpoints_uri);
  u += '/';
  append_guid(u, g);
  return u;
}
Uri View::endpoint_of(const Node& n, PortNum p) const {
  return endpoint_uri(is_switch(n) || p >= n.ports.size() ? n.guid : n.ports[p].attributes.guid);
}
Uri View::zone_uri(PKey k) const {
  Uri u(zones_uri);
  u += '/';
  u += pkey_segment(k);
  return u;
}

// ----- enumeration -----

template <class Emit>
void visit_globals(const View& v, Emit&& emit) {
  emit(std::string(root_uri), [&] { return r_root(v); });
  emit("/redfish/v1/SessionService", [&] { return r_session_service(); });
  emit("/redfish/v1/SessionService/Sessions", [&] { return r_sessions(); });
  emit("/redfish/v1/Fabrics", [&] { return r_fabrics(v); });
  emit(v.fabric_uri, [&] { return r_fabric(v); });
  emit(v.switches_uri, [&] { return r_switches(v); });
  emit(v.endpoints_uri, [&] { return r_endpoints(v); });
  emit(v.zones_uri, [&] { return r_zones(v); });
  for (const model::Partition& p : v.partitions()) emit(v.zone_uri(p.pkey), [&] { return r_zone(v, p); });
  emit(v.pools_uri, [&] { return r_pools(v); });
  emit(v.lid_pool_uri, [&] { return r_lid_pool(v); });
  emit("/redfish/v1/Chassis", [&] { return r_chassis_collection(v); });
  for (Guid sys : v.chassis_ids()) {
    auto adapters = v.adapters_of(sys);
    emit(v.chassis_uri(sys), [&] { return r_chassis(v, sys, adapters); });
    emit(v.chassis_uri(sys) + "/FabricAdapters", [&] { return r_adapters(v, sys, adapters); });
  }
}

template <class Emit>
void visit_node(const View& v, const Node& n, Emit&& emit) {
  const bool sw = is_switch(n);
  const Uri base = v.node_uri(n);
  if (sw)
    emit(base, [&] { return r_switch(v, n); });
  else
    emit(base, [&] { return r_adapter(v, n); });
  emit(base + "/Ports", [&] { return r_ports(v, n); });
  for (unsigned p = 1; p <= n.num_ports(); ++p) {
    std::optional<model::PortCounters> c;
    if (v.opt.metrics) c = v.fabric.counters(model::PortRef{n.id, PortNum(p)});
    Uri puri_u = base + "/Ports/";
    append_number(puri_u, p);
    std::string puri = puri_u;
    if (c) emit(puri + "/Metrics", [&] { return r_metrics(v, n, PortNum(p), *c); });
    emit(std::move(puri), [&] { return r_port(v, n, PortNum(p), c.has_value()); });
    if (!sw) emit(v.endpoint_uri(n.ports[p].attributes.guid), [&] { return r_endpoint(v, n, PortNum(p)); });
  }
  if (sw) emit(v.endpoint_uri(n.guid), [&] { return r_endpoint(v, n, 0); });
}

namespace {

/// Splits "/redfish/v1/a/b/c" into {"a","b","c"}; false when not safe.
bool split(std::string_view uri, std::vector<std::string_view>& out) {
  if (!is_safe_uri(uri)) return false;
  out.clear();
  if (uri == root_uri) return true;
  std::string_view rest = uri.substr(root_uri.size());
  while (true) {
    auto slash = rest.find('/');
    out.push_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return true;
}

std::optional<PortNum> parse_port(std::string_view s) {
  if (s.empty() || s.size() > 3 || s[0] == '0') return std::nullopt;
  unsigned v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + unsigned(c - '0');
  }
  if (v == 0 || v > model::max_ports) return std::nullopt;
  return PortNum(v);
}

std::optional<PKey> parse_pkey(std::string_view s) {
  const auto v = parse_lower_hex(s, 4);
  if (!v) return std::nullopt;
  return PKey(*v);
}

/// The node with this GUID and kind (switch or not), or nullptr.
const Node* node_by_guid(const View& v, std::string_view seg, bool want_switch) {
  auto g = parse_guid_segment(seg);
  if (!g) return nullptr;
  auto id = v.fabric.find(*g);
  if (!id) return nullptr;
  const Node* n = v.node(*id);
  if (!n || is_switch(*n) != want_switch) return nullptr;
  return n;
}

/// Port resources below a node: seg = {"Ports"} or {"Ports", n} or
/// {"Ports", n, "Metrics"}.
std::optional<J> node_sub(const View& v, const Node& n, const std::vector<std::string_view>& seg, std::size_t i) {
  if (i == seg.size()) return is_switch(n) ? r_switch(v, n) : r_adapter(v, n);
  if (seg[i] != "Ports") return std::nullopt;
  if (i + 1 == seg.size()) return r_ports(v, n);
  auto p = parse_port(seg[i + 1]);
  if (!p || *p > n.num_ports()) return std::nullopt;
  std::optional<model::PortCounters> c;
  if (v.opt.metrics) c = v.fabric.counters(model::PortRef{n.id, *p});
  if (i + 2 == seg.size()) return r_port(v, n, *p, c.has_value());
  if (i + 3 == seg.size() && seg[i + 2] == "Metrics" && c) return r_metrics(v, n, *p, *c);
  return std::nullopt;
}

std::optional<J> resolve(const View& v, std::string_view uri) {
  std::vector<std::string_view> seg;
  if (!split(uri, seg)) return std::nullopt;
  const std::size_t k = seg.size();
  if (k == 0) return r_root(v);
  if (seg[0] == "SessionService") {
    if (k == 1) return r_session_service();
    if (k == 2 && seg[1] == "Sessions") return r_sessions();
    return std::nullopt;
  }
  if (seg[0] == "Fabrics") {
    if (k == 1) return r_fabrics(v);
    if (seg[1] != v.opt.fabric_id) return std::nullopt;
    if (k == 2) return r_fabric(v);
    std::string_view c = seg[2];
    if (c == "Switches") {
      if (k == 3) return r_switches(v);
      const Node* n = node_by_guid(v, seg[3], true);
      if (!n) return std::nullopt;
      return node_sub(v, *n, seg, 4);
    }
    if (c == "Endpoints") {
      if (k == 3) return r_endpoints(v);
      if (k != 4) return std::nullopt;
      auto g = parse_guid_segment(seg[3]);
      if (!g) return std::nullopt;
      auto ref = v.fabric.find_port(*g);
      if (!ref) return std::nullopt;
      const Node* n = v.node(ref->node);
      if (!n) return std::nullopt;
      if (is_switch(*n) ? (n->guid != *g) : ref->port == 0) return std::nullopt;
      return r_endpoint(v, *n, ref->port);
    }
    if (c == "Zones") {
      if (k == 3) return r_zones(v);
      if (k != 4) return std::nullopt;
      auto pk = parse_pkey(seg[3]);
      if (!pk) return std::nullopt;
      auto part = v.fabric.partition(*pk);
      if (!part) return std::nullopt;
      return r_zone(v, *part);
    }
    if (c == "AddressPools") {
      if (k == 3) return r_pools(v);
      if (k == 4 && seg[3] == "LIDs") return r_lid_pool(v);
      return std::nullopt;
    }
    return std::nullopt;
  }
  if (seg[0] == "Chassis") {
    if (k == 1) return r_chassis_collection(v);
    auto sys = parse_guid_segment(seg[1]);
    if (!sys) return std::nullopt;
    if (k >= 4) {  // an adapter or below: no need to list the chassis' adapters
      if (seg[2] != "FabricAdapters") return std::nullopt;
      const Node* n = node_by_guid(v, seg[3], false);
      if (!n || sys_of(*n) != *sys) return std::nullopt;
      return node_sub(v, *n, seg, 4);
    }
    auto adapters = v.adapters_of(*sys);
    if (adapters.empty()) return std::nullopt;
    if (k == 2) return r_chassis(v, *sys, adapters);
    if (seg[2] != "FabricAdapters") return std::nullopt;
    return r_adapters(v, *sys, adapters);
  }
  return std::nullopt;
}

} // namespace

std::vector<std::string> node_uris(const View& v, const Node& n) {
  std::vector<std::string> out;
  visit_node(v, n, [&](std::string uri, auto&&) { out.push_back(std::move(uri)); });
  return out;
}

std::optional<std::string> render_uri(const View& v, std::string_view uri) {
  auto r = resolve(v, uri);
  if (!r) return std::nullopt;
  finish(v, *r);
  return std::move(*r).close();
}

} // namespace detail

// ----- public API -----

using detail::JsonOut;
using detail::View;

namespace {

Result<void> check_options(const ExportOptions& o) {
  if (!detail::valid_fabric_id(o.fabric_id))
    return fail(errc::invalid_argument, "redfish: fabric id '" + o.fabric_id +
                                            "' is not 1-64 characters from [A-Za-z0-9_.-]");
  return {};
}

using Entries = std::vector<std::pair<std::string, std::string>>;

/// Renders nodes [begin, end) into `out`, sorted by URI.
void render_nodes(const View& v, std::size_t begin, std::size_t end, Entries& out) {
  const auto& nodes = v.all_nodes();
  // Reserve once (an upper bound: node, Ports, and per port the port, its
  // metrics and an endpoint, plus a switch endpoint), so that the vector
  // never grows mid-way through millions of small allocations.
  std::size_t bound = 0;
  for (std::size_t i = begin; i < end; ++i) bound += 3 + 3 * std::size_t(nodes[i]->num_ports());
  out.reserve(bound);
  for (std::size_t i = begin; i < end; ++i)
    detail::visit_node(v, *nodes[i], [&](std::string uri, auto&& make) {
      JsonOut r = make();
      detail::finish(v, r);
      out.emplace_back(std::move(uri), std::move(r).close());
    });
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
}

/// Moves sorted runs into `tree` in URI order (each insertion then lands
/// next to the previous one: the map's search path stays in cache).
void merge_into(Tree& tree, std::vector<Entries>& runs) {
  std::vector<std::size_t> at(runs.size(), 0);
  while (true) {
    std::size_t best = runs.size();
    for (std::size_t r = 0; r < runs.size(); ++r)
      if (at[r] < runs[r].size() && (best == runs.size() || runs[r][at[r]].first < runs[best][at[best]].first))
        best = r;
    if (best == runs.size()) break;
    auto& [uri, res] = runs[best][at[best]++];
    detail::TreeAccess::append_text(tree, std::move(uri), std::move(res));
  }
  for (auto& run : runs) Entries().swap(run);
}

} // namespace

Result<Tree> render(const model::Fabric& fabric, const ExportOptions& options) {
  if (auto ok = check_options(options); !ok) return fail(ok.error());
  View v(fabric, options, true);

  const std::size_t n = v.all_nodes().size();
  unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = unsigned(std::min<std::size_t>(threads, std::max<std::size_t>(1, n / 256)));
  // Run 0 holds the fabric-wide resources (rendered by thread 0 before its
  // nodes: the big collections and zones list every node); runs 1.. the
  // nodes' resources, each sorted by its thread.
  std::vector<Entries> runs(threads + 1);
  ofmf::detail::split(threads, [&](unsigned t) {
    if (t == 0) {
      detail::visit_globals(v, [&](std::string uri, auto&& make) {
        JsonOut r = make();
        detail::finish(v, r);
        runs[0].emplace_back(std::move(uri), std::move(r).close());
      });
      std::sort(runs[0].begin(), runs[0].end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    }
    render_nodes(v, n * t / threads, n * (t + 1) / threads, runs[t + 1]);
  });

  Tree tree;
  merge_into(tree, runs);
  return tree;
}

Result<nlohmann::json> render_resource(const model::Fabric& fabric, std::string_view uri,
                                       const ExportOptions& options) {
  if (auto ok = check_options(options); !ok) return fail(ok.error());
  if (!is_safe_uri(uri))
    return fail(errc::invalid_argument, "redfish: '" + std::string(uri) + "' is not a Redfish URI under /redfish/v1/");
  View v(fabric, options, false);
  auto r = detail::render_uri(v, uri);
  if (!r) return fail(errc::not_found, "redfish: no resource at " + std::string(uri));
  return nlohmann::json::parse(*r);
}

Result<Tree> render_subtree(const model::Fabric& fabric, std::string_view prefix, const ExportOptions& options) {
  if (auto ok = check_options(options); !ok) return fail(ok.error());
  if (!is_safe_uri(prefix))
    return fail(errc::invalid_argument,
                "redfish: '" + std::string(prefix) + "' is not a Redfish URI under /redfish/v1/");
  if (prefix == "/redfish/v1/") return render(fabric, options);
  View v(fabric, options, true);
  if (!detail::render_uri(v, prefix)) return fail(errc::not_found, "redfish: no resource at " + std::string(prefix));
  Tree tree;
  auto emit = [&](std::string uri, auto&& make) {
    if (uri.size() < prefix.size() || uri.compare(0, prefix.size(), prefix) != 0) return;
    if (uri.size() > prefix.size() && uri[prefix.size()] != '/') return;
    JsonOut r = make();
    detail::finish(v, r);
    detail::TreeAccess::put_text(tree, std::move(uri), std::move(r).close());
  };
  detail::visit_globals(v, emit);
  for (const model::Node* n : v.all_nodes()) detail::visit_node(v, *n, emit);
  return tree;
}

} // namespace ofmf::redfish
