// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

// A small hand-made fabric whose Redfish rendering the render tests check
// field by field against MAPPING.md, and a checker of the cross links of
// any rendered tree.

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include "ofmf/model/fabric.hpp"
#include "ofmf/redfish/tree.hpp"

namespace ofmf::test {

// GUIDs of the small fabric.
inline constexpr model::Guid sw1_guid = 0x0002c90200000001;
inline constexpr model::Guid sw2_guid = 0x0002c90200000002;
inline constexpr model::Guid ca_a_guid = 0x0002c90300000010;  // 2 ports: 0x...11, 0x...12
inline constexpr model::Guid ca_a_sys = 0x0002c903000000f0;
inline constexpr model::Guid ca_b_guid = 0x0002c90300000020;  // 1 port: 0x...21
inline constexpr model::Guid rt_guid = 0x0002c90400000030;    // router, same system image as A

/// sw1 "leaf one" (4 ports, LID 1) port 1 <-> sw2 "" (4 ports, LID 2) port 1;
/// sw1 port 2 <-> A port 1 (LID 4, LMC 1, Active, LinkUp, 4x EDR, MTU 2048);
/// sw2 port 2 <-> B port 1 (LID 6, Active, LinkUp, 1x QDR);
/// A port 2 unlinked, Disabled; router R (1 port, unlinked, Polling) in
/// A's system image; sw1 port 3 <-> sw2 port 3 in Polling (cabled, no link).
/// Partitions 0x7fff (A.1, B.1, sw1 full) and 0x0012 "storage"
/// (A.1 limited, B.1 full). Counters on A port 1.
inline model::Fabric small_fabric() {
  using namespace model;
  Fabric f;
  NodeSpec s;
  s.type = NodeType::Switch;
  s.guid = sw1_guid;
  s.num_ports = 4;
  s.description = "leaf one";
  s.vendor_id = 0x0002c9;
  s.device_id = 0xcf08;
  auto sw1 = f.add_node(s);
  s.guid = sw2_guid;
  s.description = "";
  auto sw2 = f.add_node(s);
  NodeSpec ca;
  ca.type = NodeType::ChannelAdapter;
  ca.guid = ca_a_guid;
  ca.system_guid = ca_a_sys;
  ca.num_ports = 2;
  ca.description = "host-a mlx5_0";
  ca.vendor_id = 0x0002c9;
  ca.device_id = 0x1017;
  auto a = f.add_node(ca);
  ca.guid = ca_b_guid;
  ca.system_guid = 0;
  ca.num_ports = 1;
  ca.description = "host-b mlx5_0";
  auto b = f.add_node(ca);
  NodeSpec rt;
  rt.type = NodeType::Router;
  rt.guid = rt_guid;
  rt.system_guid = ca_a_sys;
  rt.num_ports = 1;
  rt.description = "router";
  auto r = f.add_node(rt);
  REQUIRE((sw1 && sw2 && a && b && r));
  REQUIRE(f.connect({*sw1, 1}, {*sw2, 1}));
  REQUIRE(f.connect({*sw1, 2}, {*a, 1}));
  REQUIRE(f.connect({*sw2, 2}, {*b, 1}));
  REQUIRE(f.connect({*sw1, 3}, {*sw2, 3}));

  auto set = [&](PortRef p, auto&& edit) {
    auto port = f.port(p);
    REQUIRE(port);
    PortAttributes at = port->attributes;
    edit(at);
    REQUIRE(f.set_port(p, at));
  };
  auto up = [](PortAttributes& at) {
    at.state = PortState::Active;
    at.phys_state = PhysState::LinkUp;
  };
  set({*sw1, 0}, [&](PortAttributes& at) { at.lid = 1; up(at); });
  set({*sw2, 0}, [&](PortAttributes& at) { at.lid = 2; up(at); });
  set({*sw1, 1}, up);
  set({*sw2, 1}, up);
  set({*sw1, 2}, [&](PortAttributes& at) { up(at); at.speed = LinkSpeed::EDR; });
  set({*a, 1}, [&](PortAttributes& at) {
    up(at);
    at.lid = 4;
    at.lmc = 1;
    at.speed = LinkSpeed::EDR;
    at.mtu = Mtu::Mtu2048;
  });
  set({*a, 2}, [](PortAttributes& at) {
    at.state = PortState::Down;
    at.phys_state = PhysState::Disabled;
  });
  set({*b, 1}, [&](PortAttributes& at) {
    up(at);
    at.lid = 6;
    at.width = LinkWidth::X1;
    at.speed = LinkSpeed::QDR;
  });
  REQUIRE(f.set_partition({default_pkey, "", {{ca_a_guid + 1, Membership::Full}, {ca_b_guid + 1, Membership::Full},
                                              {sw1_guid, Membership::Full}}}));
  REQUIRE(f.set_partition({0x0012, "storage", {{ca_a_guid + 1, Membership::Limited}, {ca_b_guid + 1, Membership::Full}}}));
  PortCounters c;
  c.rx_bytes = 1000;
  c.tx_bytes = 2000;
  c.rx_packets = 10;
  c.tx_packets = 20;
  c.rx_unicast_packets = 7;
  c.tx_unicast_packets = 17;
  c.rx_multicast_packets = 3;
  c.tx_multicast_packets = 3;
  c.rx_errors = 5;
  c.tx_discards = 6;
  c.symbol_errors = 9;
  c.tx_wait = 123456789012345ULL;
  REQUIRE(f.set_counters({*a, 1}, c));
  return f;
}

/// The @odata.id of every link object in `j` (not the resource's own).
inline void collect_links(const nlohmann::json& j, std::vector<std::string>& out, bool top = true) {
  if (j.is_object()) {
    if (!top && j.size() == 1 && j.contains("@odata.id") && j["@odata.id"].is_string()) {
      out.push_back(j["@odata.id"].get<std::string>());
      return;
    }
    for (const auto& [k, v] : j.items())
      if (!(top && k == "@odata.id")) collect_links(v, out, false);
  } else if (j.is_array()) {
    for (const auto& v : j) collect_links(v, out, false);
  }
}

/// URIs in r[path...] (an array of links, or a single link); empty if absent.
inline std::vector<std::string> links_at(const nlohmann::json& r, std::initializer_list<const char*> path) {
  const nlohmann::json* p = &r;
  for (const char* k : path) {
    if (!p->is_object() || !p->contains(k)) return {};
    p = &(*p)[k];
  }
  std::vector<std::string> out;
  if (p->is_array()) {
    for (const auto& x : *p) out.push_back(x.at("@odata.id").get<std::string>());
  } else if (p->is_object()) {
    out.push_back(p->at("@odata.id").get<std::string>());
  }
  return out;
}

inline bool has_link(const nlohmann::json& r, std::initializer_list<const char*> path, const std::string& uri) {
  for (const auto& u : links_at(r, path))
    if (u == uri) return true;
  return false;
}

/// Checks the rules every rendered tree must keep: @odata.id = key, Id =
/// last segment, X@odata.count = |X|, every link resolves, every resource
/// is reachable from its parent, and every cross link has its reverse.
inline void check_tree_links(const redfish::Tree& tree) {
  REQUIRE(tree.find("/redfish/v1/"));
  for (const auto& [uri, r] : tree) {
    INFO(uri);
    REQUIRE(r.is_object());
    CHECK(r.value("@odata.id", "") == uri);
    CHECK(r.contains("@odata.type"));
    CHECK(r.contains("Name"));
    if (uri != "/redfish/v1/" && !r.contains("Members")) CHECK(r.value("Id", "") == redfish::last_segment(uri));
    // X@odata.count everywhere.
    std::vector<const nlohmann::json*> stack{&r};
    while (!stack.empty()) {
      const nlohmann::json* o = stack.back();
      stack.pop_back();
      if (o->is_array())
        for (const auto& x : *o) stack.push_back(&x);
      if (!o->is_object()) continue;
      for (const auto& [k, v] : o->items()) {
        if (v.is_array()) {
          auto c = o->find(k + "@odata.count");
          if (k != "Identifiers" && k != "ConnectedEntities" && k != "AssociatedPortGUIDs" &&
              k != "AssociatedNodeGUIDs" && k != "AssociatedSystemGUIDs" && k != "LimitedMembers") {
            INFO(k);
            REQUIRE(c != o->end());
            CHECK(c->get<std::size_t>() == v.size());
          }
        }
        stack.push_back(&v);
      }
    }
    std::vector<std::string> links;
    collect_links(r, links);
    for (const auto& l : links) {
      INFO("link to " << l);
      CHECK(tree.find(l) != nullptr);
    }
    // Reachable from the parent: a collection lists it, or the parent links it.
    if (uri != "/redfish/v1/") {
      std::string parent = redfish::parent_uri(uri);
      const nlohmann::json* p = tree.find(parent);
      INFO("parent " << parent);
      REQUIRE(p);
      std::vector<std::string> pl;
      collect_links(*p, pl);
      CHECK(std::find(pl.begin(), pl.end(), uri) != pl.end());
    }
  }
  // Cross links both ways.
  auto get = [&](const std::string& u) -> const nlohmann::json& { return *tree.find(u); };
  for (const auto& [uri, r] : tree) {
    INFO(uri);
    const std::string type = r.value("@odata.type", "");
    if (type.rfind("#Endpoint.", 0) == 0) {
      for (const auto& p : links_at(r, {"Links", "Ports"})) CHECK(has_link(get(p), {"Links", "AssociatedEndpoints"}, uri));
      for (const auto& p : links_at(r, {"Links", "ConnectedPorts"}))
        CHECK(has_link(get(p), {"Links", "AssociatedEndpoints"}, uri));
      for (const auto& z : links_at(r, {"Links", "Zones"})) CHECK(has_link(get(z), {"Links", "Endpoints"}, uri));
      for (const auto& a : links_at(r, {"Links", "AddressPools"})) CHECK(has_link(get(a), {"Links", "Endpoints"}, uri));
      REQUIRE(r["ConnectedEntities"].size() == 1);
      const std::string ent = r["ConnectedEntities"][0]["EntityLink"]["@odata.id"];
      CHECK(has_link(get(ent), {"Links", "Endpoints"}, uri));
    } else if (type.rfind("#Port.", 0) == 0) {
      for (const auto& e : links_at(r, {"Links", "AssociatedEndpoints"})) {
        const auto& ep = get(e);
        CHECK((has_link(ep, {"Links", "Ports"}, uri) || has_link(ep, {"Links", "ConnectedPorts"}, uri)));
      }
      for (const auto& p : links_at(r, {"Links", "ConnectedPorts"}))
        CHECK((has_link(get(p), {"Links", "ConnectedPorts"}, uri) ||
               has_link(get(p), {"Links", "ConnectedSwitchPorts"}, uri)));
      for (const auto& p : links_at(r, {"Links", "ConnectedSwitchPorts"}))
        CHECK((has_link(get(p), {"Links", "ConnectedPorts"}, uri) ||
               has_link(get(p), {"Links", "ConnectedSwitchPorts"}, uri)));
      for (const auto& s : links_at(r, {"Links", "ConnectedSwitches"})) {
        // The switch holds the connected switch port.
        auto sp = links_at(r, {"Links", "ConnectedSwitchPorts"});
        REQUIRE(sp.size() == 1);
        CHECK(sp[0].rfind(s + "/Ports/", 0) == 0);
      }
      if (r.contains("Metrics")) CHECK(get(r["Metrics"]["@odata.id"]).value("@odata.id", "") == uri + "/Metrics");
    } else if (type.rfind("#Switch.", 0) == 0 || type.rfind("#FabricAdapter.", 0) == 0) {
      for (const auto& e : links_at(r, {"Links", "Endpoints"})) {
        const auto& ep = get(e);
        CHECK(ep["ConnectedEntities"][0]["EntityLink"]["@odata.id"] == uri);
      }
    } else if (type.rfind("#Zone.", 0) == 0) {
      for (const auto& e : links_at(r, {"Links", "Endpoints"})) CHECK(has_link(get(e), {"Links", "Zones"}, uri));
    } else if (type.rfind("#AddressPool.", 0) == 0) {
      for (const auto& e : links_at(r, {"Links", "Endpoints"})) CHECK(has_link(get(e), {"Links", "AddressPools"}, uri));
    }
  }
}

} // namespace ofmf::test
