// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

// Private storage of ofmf::model::Fabric, shared by fabric.cpp and
// topology_view.cpp. Nodes and ports live in flat arrays; a removed node
// keeps its slot (IDs are never reused) with alive = false.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ofmf/model/fabric.hpp"

namespace ofmf::model {

struct PortRec {
  PortAttributes attr;
  std::uint32_t peer_node = UINT32_MAX;
  PortNum peer_port = 0;
};

struct NodeRec {
  Guid guid = 0;
  Guid system_guid = 0;
  std::uint64_t port_begin = 0;  // index of port 0 in Fabric::Impl::ports
  std::uint32_t vendor_id = 0;
  std::uint16_t device_id = 0;
  std::uint16_t num_ports = 0;
  NodeType type = NodeType::Switch;
  bool alive = true;
  std::string description;
};

struct Fabric::Impl {
  std::vector<NodeRec> nodes;
  std::vector<PortRec> ports;
  std::unordered_map<Guid, std::uint32_t> by_guid;     // node GUID -> slot
  std::unordered_map<Guid, PortRef> by_port_guid;      // CA/router port GUIDs
  std::size_t live = 0;
  std::size_t switches = 0;
  std::size_t links = 0;
  std::size_t port_total = 0;
  std::uint64_t generation = 0;
  std::map<PKey, Partition> partitions;                      // ordered by P_Key
  std::unordered_map<std::uint64_t, PortCounters> counters;  // index into ports -> counters

  // shared_ptr: a callback that unsubscribes (or subscribes) while it runs
  // must not destroy or move the callable being executed.
  std::vector<std::pair<std::uint64_t, std::shared_ptr<Observer>>> observers;
  std::uint64_t next_observer = 1;
  bool notifying = false;

  const NodeRec* live_node(NodeId id) const noexcept {
    if (id.value >= nodes.size() || !nodes[id.value].alive) return nullptr;
    return &nodes[id.value];
  }
  PortRec& port_rec(PortRef p) noexcept { return ports[nodes[p.node.value].port_begin + p.port]; }
  const PortRec& port_rec(PortRef p) const noexcept { return ports[nodes[p.node.value].port_begin + p.port]; }
};

} // namespace ofmf::model
