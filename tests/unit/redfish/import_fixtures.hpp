// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

// Fabrics for the Redfish import tests and the export helper: every
// generator with a small spec, every tests/data fixture, and decorate(),
// which gives a fabric what the generators leave at defaults (LIDs, port
// states, a multi-port adapter, partitions with limited members, counters)
// so that every part of the mapping is exercised.

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "ofmf/model/fabric.hpp"
#include "ofmf/topology/format.hpp"
#include "ofmf/topology/generators.hpp"

namespace ofmf::test {

struct NamedFabric {
  std::string name;
  std::function<Result<model::Fabric>()> make;
};

/// One small spec per generator (and both torus flavours).
inline std::vector<NamedFabric> generator_fabrics() {
  namespace t = ofmf::topology;
  return {
      {"kary-ntree-2-3", [] { return t::generate_kary_ntree({2, 3}); }},
      {"xgft-2x3-1x2", [] { return t::generate_xgft({{2, 3}, {1, 2}}); }},
      {"fat-tree-4-2", [] { return t::generate_fat_tree({4, 2, 0}); }},
      {"fat-tree-4-3", [] { return t::generate_fat_tree({4, 3, 0}); }},
      {"torus-3x3", [] { return t::generate_torus({{3, 3}, true, 1}); }},
      {"mesh-2x3x2", [] { return t::generate_torus({{2, 3, 2}, false, 2}); }},
      {"dragonfly-2-1-1", [] { return t::generate_dragonfly({2, 1, 1, 0}); }},
      {"hyperx-3x2", [] { return t::generate_hyperx({{3, 2}, 2, 1}); }},
      {"random-regular-8-3", [] { return t::generate_random_regular({8, 3, 1, 7}); }},
  };
}

/// The ibnetdiscover fixtures of tests/data (captured from ibsim).
inline std::vector<std::filesystem::path> fixture_files(const std::filesystem::path& data_dir) {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::directory_iterator(data_dir))
    if (e.path().extension() == ".ibnd") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

/// Sets what a live subnet would have: LIDs (LMC 1 on adapters),
/// Active/LinkUp on linked ports, one unlinked port Disabled, partitions
/// (the default one with every endpoint, one named with a limited member,
/// one empty) and counters on a few ports (distinct values per field).
/// Returns false when the model refuses something (a test failure).
inline bool decorate(model::Fabric& f) {
  std::uint16_t lid = 1;
  std::vector<model::PartitionMember> all;
  std::vector<model::Guid> ca_ports;
  bool disabled_one = false;
  unsigned counted = 0;
  for (const auto id : f.nodes()) {
    auto n = f.node(id);
    if (!n) return false;
    const bool sw = n->type == model::NodeType::Switch;
    for (unsigned p = sw ? 0 : 1; p <= n->num_ports(); ++p) {
      model::PortAttributes a = n->ports[p].attributes;
      const bool linked = n->ports[p].peer.has_value();
      if (p == 0 || !sw) {
        a.lid = lid;
        a.lmc = sw ? 0 : 1;
        lid = static_cast<std::uint16_t>(lid + (sw ? 1 : 2));
      }
      if (linked || p == 0) {
        a.state = model::PortState::Active;
        a.phys_state = model::PhysState::LinkUp;
      } else if (!disabled_one) {
        a.state = model::PortState::Down;
        a.phys_state = model::PhysState::Disabled;
        disabled_one = true;
      }
      a.mtu = sw ? model::Mtu::Mtu4096 : model::Mtu::Mtu2048;
      if (!f.set_port({id, static_cast<model::PortNum>(p)}, a)) return false;
      if (p > 0 && linked && counted < 5) {
        model::PortCounters c;
        std::uint64_t k = 1000u * ++counted;
        for (auto* v : {&c.tx_bytes, &c.rx_bytes, &c.tx_packets, &c.rx_packets, &c.tx_unicast_packets,
                        &c.rx_unicast_packets, &c.tx_multicast_packets, &c.rx_multicast_packets, &c.symbol_errors,
                        &c.link_error_recoveries, &c.link_downed, &c.rx_errors, &c.rx_remote_physical_errors,
                        &c.rx_switch_relay_errors, &c.tx_discards, &c.tx_constraint_errors, &c.rx_constraint_errors,
                        &c.local_link_integrity_errors, &c.excessive_buffer_overrun_errors, &c.vl15_dropped,
                        &c.tx_wait, &c.sampled_at_ms})
          *v = ++k;
        c.tx_bytes = (std::uint64_t(1) << 62) + counted;  // beyond double precision: must stay exact
        if (!f.set_counters({id, static_cast<model::PortNum>(p)}, c)) return false;
      }
      if (sw && p == 0) all.push_back({n->guid, model::Membership::Full});
      if (!sw && p > 0) {
        all.push_back({a.guid, model::Membership::Full});
        ca_ports.push_back(a.guid);
      }
    }
  }
  if (!f.set_partition({model::default_pkey, "", all})) return false;
  if (ca_ports.size() >= 3) {
    model::Partition storage{0x0012, "storage \"tier\" 1", {}};
    storage.members = {{ca_ports[2], model::Membership::Full},
                       {ca_ports[0], model::Membership::Limited},
                       {ca_ports[1], model::Membership::Full}};
    if (!f.set_partition(storage)) return false;
  }
  return static_cast<bool>(f.set_partition({0x0100, "empty", {}}));
}

/// A fabric with a two-port adapter sharing a system image with a router,
/// a switch with an empty description, and port GUIDs not derived from
/// the node GUID (what generators never make).
inline Result<model::Fabric> mixed_fabric() {
  model::Fabric f;
  model::NodeSpec s;
  s.type = model::NodeType::Switch;
  s.guid = 0x0002c90200000001;
  s.num_ports = 8;
  s.vendor_id = 0x0002c9;
  s.device_id = 0xcf08;
  auto sw = f.add_node(s);
  if (!sw) return fail(sw.error());
  model::NodeSpec ca;
  ca.type = model::NodeType::ChannelAdapter;
  ca.guid = 0x0002c90300000010;
  ca.system_guid = 0x0002c903000000f0;
  ca.num_ports = 2;
  ca.description = "host-a mlx5_0";
  ca.port_guids = {0x0002c90300000a11, 0x0002c90300000a12};
  auto a = f.add_node(ca);
  if (!a) return fail(a.error());
  model::NodeSpec rt;
  rt.type = model::NodeType::Router;
  rt.guid = 0x0002c90300000020;
  rt.system_guid = 0x0002c903000000f0;
  rt.num_ports = 1;
  rt.description = "host-a router";
  auto r = f.add_node(rt);
  if (!r) return fail(r.error());
  for (auto [x, y] : {std::pair{model::PortRef{*a, 1}, model::PortRef{*sw, 1}},
                      std::pair{model::PortRef{*a, 2}, model::PortRef{*sw, 2}},
                      std::pair{model::PortRef{*r, 1}, model::PortRef{*sw, 5}}})
    if (auto c = f.connect(x, y); !c) return fail(c.error());
  return f;
}

} // namespace ofmf::test
