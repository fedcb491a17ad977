// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include "ofmf/model/fabric.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "detail/fabric_impl.hpp"

namespace ofmf::model {
namespace {

constexpr std::size_t max_description = 64;

std::string node_name(const NodeRec& n) {
  std::string s = std::string(to_string(n.type)) + " " + format_guid(n.guid);
  if (!n.description.empty()) s += " (\"" + n.description + "\")";
  return s;
}

bool valid_width(LinkWidth w) {
  switch (w) {
    case LinkWidth::X1: case LinkWidth::X2: case LinkWidth::X4: case LinkWidth::X8: case LinkWidth::X12:
      return true;
  }
  return false;
}

// Checks enum ranges and LMC; returns an empty string when valid.
std::string check_attributes(const PortAttributes& a) {
  if (a.lmc > 7) return "LMC " + std::to_string(a.lmc) + " is above 7";
  if (static_cast<unsigned>(a.state) > static_cast<unsigned>(PortState::Active))
    return "port state " + std::to_string(unsigned(a.state)) + " is not a PortState";
  if (static_cast<unsigned>(a.phys_state) > static_cast<unsigned>(PhysState::PhyTest))
    return "physical state " + std::to_string(unsigned(a.phys_state)) + " is not a PhysState";
  if (!valid_width(a.width)) return "link width " + std::to_string(unsigned(a.width)) + " is not a LinkWidth";
  if (a.speed < LinkSpeed::SDR || a.speed > LinkSpeed::XDR)
    return "link speed " + std::to_string(unsigned(a.speed)) + " is not a LinkSpeed";
  if (a.mtu < Mtu::Mtu256 || a.mtu > Mtu::Mtu4096)
    return "MTU code " + std::to_string(unsigned(a.mtu)) + " is not an Mtu";
  return {};
}

} // namespace

Fabric::Fabric() : impl_(std::make_unique<Impl>()) {}
Fabric::~Fabric() = default;

Fabric::Fabric(const Fabric& other) : impl_(std::make_unique<Impl>(*other.impl_)) {
  impl_->observers.clear();
  impl_->notifying = false;
}

namespace {
// Assigning to a Fabric from inside one of its observers would free the
// state being notified; it is a precondition violation (see fabric.hpp).
void check_not_notifying(const Fabric::Impl& m) noexcept {
  if (m.notifying) {
    std::fputs("ofmf: a Fabric was assigned to from inside its own observer callback\n", stderr);
    std::abort();
  }
}
} // namespace

Fabric& Fabric::operator=(const Fabric& other) {
  check_not_notifying(*impl_);
  if (this != &other) {
    auto copy = std::make_unique<Impl>(*other.impl_);
    copy->observers = std::move(impl_->observers);
    copy->next_observer = impl_->next_observer;
    copy->notifying = false;
    impl_ = std::move(copy);
  }
  return *this;
}

// The empty state for the moved-from side is allocated before anything
// moves, so a std::bad_alloc leaves both sides as they were.
Fabric::Fabric(Fabric&& other) : impl_(std::make_unique<Impl>()) { impl_.swap(other.impl_); }

Fabric& Fabric::operator=(Fabric&& other) {
  check_not_notifying(*impl_);
  check_not_notifying(*other.impl_);
  if (this != &other) {
    auto fresh = std::make_unique<Impl>();
    impl_ = std::exchange(other.impl_, std::move(fresh));
  }
  return *this;
}

namespace {

// Calls every observer; an observer that throws ends the program, as the
// observer contract forbids it (no exception may cross the API).
void notify(Fabric::Impl& impl, Change change) noexcept {
  if (impl.observers.empty()) return;
  change.generation = impl.generation;
  impl.notifying = true;
  // Observers subscribed during this round see only later changes.
  for (std::size_t i = 0, n = impl.observers.size(); i < n; ++i)
    if (const std::shared_ptr<Observer> fn = impl.observers[i].second) (*fn)(change);
  impl.notifying = false;
  std::erase_if(impl.observers, [](const auto& o) { return !o.second; });
}

Unexpected busy_error() {
  return fail(errc::busy, "the fabric cannot be changed from inside an observer callback");
}

} // namespace

Result<NodeId> Fabric::add_node(const NodeSpec& spec) {
  Impl& m = *impl_;
  if (m.notifying) return busy_error();
  if (spec.guid == 0) return fail(errc::invalid_argument, "node GUID must not be 0");
  // Built only on error paths: add_node is the hot path of parsers and generators.
  auto who = [&spec] { return std::string(to_string(spec.type)) + " " + format_guid(spec.guid); };
  if (spec.type != NodeType::Switch && spec.type != NodeType::ChannelAdapter && spec.type != NodeType::Router)
    return fail(errc::invalid_argument, who() + ": node type " + std::to_string(unsigned(spec.type)) + " is not a NodeType");
  if (spec.num_ports < 1 || spec.num_ports > max_ports)
    return fail(errc::invalid_argument, who() + ": " + std::to_string(spec.num_ports) +
                                            " ports, expected 1.." + std::to_string(max_ports));
  if (spec.description.size() > max_description)
    return fail(errc::invalid_argument, who() + ": description is " + std::to_string(spec.description.size()) +
                                            " bytes, NodeDescription holds at most 64");
  if (!spec.port_guids.empty() && spec.port_guids.size() != spec.num_ports)
    return fail(errc::invalid_argument, who() + ": " + std::to_string(spec.port_guids.size()) +
                                            " port GUIDs given for " + std::to_string(spec.num_ports) + " ports");
  if (auto why = check_attributes(spec.port_defaults); !why.empty())
    return fail(errc::invalid_argument, who() + ": port defaults: " + why);
  if (auto it = m.by_guid.find(spec.guid); it != m.by_guid.end())
    return fail(errc::already_exists, who() + ": GUID already used by " + node_name(m.nodes[it->second]));
  if (auto it = m.by_port_guid.find(spec.guid); it != m.by_port_guid.end())
    return fail(errc::already_exists, who() + ": GUID already used by port " + std::to_string(it->second.port) +
                                          " of " + node_name(m.nodes[it->second.node.value]));

  // Port GUIDs of channel adapters and routers are indexed; switch ports
  // share the node GUID.
  const bool own_port_guids = spec.type != NodeType::Switch;
  std::array<Guid, max_ports + 1> pg;
  pg.fill(spec.guid);
  for (unsigned p = 1; p <= spec.num_ports; ++p) {
    if (!spec.port_guids.empty()) pg[p] = spec.port_guids[p - 1];
    else if (own_port_guids) pg[p] = spec.guid + p;
    if (!own_port_guids) {
      if (pg[p] != spec.guid)
        return fail(errc::invalid_argument, who() + ": switch port " + std::to_string(p) + " GUID " +
                                                format_guid(pg[p]) + " differs from the node GUID (switch ports share it)");
      continue;
    }
    const Guid g = pg[p];
    if (g == 0) return fail(errc::invalid_argument, who() + ": port " + std::to_string(p) + " GUID must not be 0");
    if (std::find(pg.begin() + 1, pg.begin() + p, g) != pg.begin() + p)
      return fail(errc::already_exists, who() + ": port GUID " + format_guid(g) + " given twice");
    if (auto it = m.by_port_guid.find(g); it != m.by_port_guid.end())
      return fail(errc::already_exists, who() + ": port " + std::to_string(p) + " GUID " + format_guid(g) +
                                            " already used by port " + std::to_string(it->second.port) + " of " +
                                            node_name(m.nodes[it->second.node.value]));
    if (auto it = m.by_guid.find(g); it != m.by_guid.end())
      return fail(errc::already_exists, who() + ": port " + std::to_string(p) + " GUID " + format_guid(g) +
                                            " is the node GUID of " + node_name(m.nodes[it->second]));
  }
  if (m.nodes.size() >= UINT32_MAX - 1) return fail(errc::limit_exceeded, "too many nodes");

  const NodeId id{static_cast<std::uint32_t>(m.nodes.size())};
  NodeRec rec;
  rec.guid = spec.guid;
  rec.system_guid = spec.system_guid ? spec.system_guid : spec.guid;
  rec.vendor_id = spec.vendor_id & 0xffffffu;
  rec.device_id = spec.device_id;
  rec.num_ports = static_cast<std::uint16_t>(spec.num_ports);
  rec.type = spec.type;
  rec.description = spec.description;
  const std::uint64_t port_begin = m.ports.size();
  rec.port_begin = port_begin;
  // Only std::bad_alloc can be thrown below; on it the model is restored,
  // so a failed call still changes nothing.
  try {
    const std::size_t need = m.ports.size() + spec.num_ports + 1;
    if (m.ports.capacity() < need) m.ports.reserve(std::max(need, 2 * m.ports.capacity()));
    for (unsigned p = 0; p <= spec.num_ports; ++p) {
      PortRec pr;
      pr.attr = spec.port_defaults;
      pr.attr.guid = pg[p];
      if (p == 0 && own_port_guids) pr.attr.guid = 0;  // placeholder port 0
      m.ports.push_back(pr);
    }
    m.nodes.push_back(std::move(rec));
    m.by_guid.emplace(spec.guid, id.value);
    if (own_port_guids)
      for (unsigned p = 1; p <= spec.num_ports; ++p) m.by_port_guid.emplace(pg[p], PortRef{id, PortNum(p)});
  } catch (...) {
    if (own_port_guids)
      for (unsigned p = 1; p <= spec.num_ports; ++p) {
        auto it = m.by_port_guid.find(pg[p]);
        if (it != m.by_port_guid.end() && it->second.node == id) m.by_port_guid.erase(it);
      }
    if (auto it = m.by_guid.find(spec.guid); it != m.by_guid.end() && it->second == id.value) m.by_guid.erase(it);
    if (m.nodes.size() > id.value) m.nodes.resize(id.value);
    m.ports.resize(port_begin);
    throw;
  }
  ++m.live;
  if (spec.type == NodeType::Switch) ++m.switches;
  m.port_total += spec.num_ports;
  ++m.generation;
  notify(m, Change{ChangeKind::NodeAdded, id, {}, {}, 0, 0});
  return id;
}

Result<void> Fabric::remove_node(NodeId id) {
  Impl& m = *impl_;
  if (m.notifying) return busy_error();
  if (!m.live_node(id)) return fail(errc::not_found, "no node with ID " + std::to_string(id.value));
  for (unsigned p = 1; p <= m.nodes[id.value].num_ports; ++p)
    if (m.port_rec({id, PortNum(p)}).peer_node != UINT32_MAX) {
      auto r = disconnect({id, PortNum(p)});
      if (!r) return r;
    }
  NodeRec& n = m.nodes[id.value];
  // Memberships and counters of its ports go with the node.
  auto owned = [&](Guid g) {
    if (n.type == NodeType::Switch) return g == n.guid;
    const auto at = m.by_port_guid.find(g);
    return at != m.by_port_guid.end() && at->second.node == id;
  };
  std::vector<PKey> left;
  for (auto& [pkey, part] : m.partitions)
    if (std::erase_if(part.members, [&](const PartitionMember& x) { return owned(x.port_guid); }) > 0)
      left.push_back(pkey);
  for (unsigned p = 0; p <= n.num_ports; ++p) m.counters.erase(n.port_begin + p);
  m.by_guid.erase(n.guid);
  if (n.type != NodeType::Switch)
    for (unsigned p = 1; p <= n.num_ports; ++p) m.by_port_guid.erase(m.port_rec({id, PortNum(p)}).attr.guid);
  n.alive = false;
  --m.live;
  if (n.type == NodeType::Switch) --m.switches;
  m.port_total -= n.num_ports;
  ++m.generation;
  for (PKey k : left) notify(m, Change{ChangeKind::PartitionChanged, id, {}, {}, k, 0});
  notify(m, Change{ChangeKind::NodeRemoved, id, {}, {}, 0, 0});
  return {};
}

namespace {

// Validates that p names an existing, linkable port (1..num_ports).
Result<void> check_port(const Fabric::Impl& m, PortRef p) {
  const NodeRec* n = m.live_node(p.node);
  if (!n) return fail(errc::not_found, "no node with ID " + std::to_string(p.node.value));
  if (p.port < 1 || p.port > n->num_ports)
    return fail(errc::out_of_range, node_name(*n) + ": port " + std::to_string(p.port) + " is outside 1.." +
                                        std::to_string(n->num_ports));
  return {};
}

std::string port_name(const Fabric::Impl& m, PortRef p) {
  return node_name(m.nodes[p.node.value]) + " port " + std::to_string(p.port);
}

} // namespace

Result<void> Fabric::connect(PortRef a, PortRef b) {
  Impl& m = *impl_;
  if (m.notifying) return busy_error();
  if (auto r = check_port(m, a); !r) return r;
  if (auto r = check_port(m, b); !r) return r;
  if (a == b) return fail(errc::invalid_argument, port_name(m, a) + ": a port cannot be linked to itself");
  PortRec& pa = m.port_rec(a);
  PortRec& pb = m.port_rec(b);
  if (pa.peer_node != UINT32_MAX)
    return fail(errc::busy, port_name(m, a) + " is already linked to " +
                                port_name(m, PortRef{NodeId{pa.peer_node}, pa.peer_port}));
  if (pb.peer_node != UINT32_MAX)
    return fail(errc::busy, port_name(m, b) + " is already linked to " +
                                port_name(m, PortRef{NodeId{pb.peer_node}, pb.peer_port}));
  pa.peer_node = b.node.value;
  pa.peer_port = b.port;
  pb.peer_node = a.node.value;
  pb.peer_port = a.port;
  ++m.links;
  ++m.generation;
  notify(m, Change{ChangeKind::LinkAdded, a.node, a, b, 0});
  return {};
}

Result<void> Fabric::disconnect(PortRef p) {
  Impl& m = *impl_;
  if (m.notifying) return busy_error();
  if (auto r = check_port(m, p); !r) return r;
  PortRec& pr = m.port_rec(p);
  if (pr.peer_node == UINT32_MAX) return fail(errc::not_found, port_name(m, p) + " is not linked");
  const PortRef q{NodeId{pr.peer_node}, pr.peer_port};
  PortRec& qr = m.port_rec(q);
  pr.peer_node = qr.peer_node = UINT32_MAX;
  pr.peer_port = qr.peer_port = 0;
  --m.links;
  ++m.generation;
  notify(m, Change{ChangeKind::LinkRemoved, p.node, p, q, 0});
  return {};
}

Result<void> Fabric::set_port(PortRef p, const PortAttributes& attributes) {
  Impl& m = *impl_;
  if (m.notifying) return busy_error();
  const NodeRec* n = m.live_node(p.node);
  if (!n) return fail(errc::not_found, "no node with ID " + std::to_string(p.node.value));
  const unsigned first = n->type == NodeType::Switch ? 0u : 1u;
  if (p.port < first || p.port > n->num_ports)
    return fail(errc::out_of_range, node_name(*n) + ": port " + std::to_string(p.port) + " is outside " +
                                        std::to_string(first) + ".." + std::to_string(n->num_ports));
  if (auto why = check_attributes(attributes); !why.empty())
    return fail(errc::invalid_argument, port_name(m, p) + ": " + why);
  PortRec& pr = m.port_rec(p);
  PortAttributes next = attributes;
  if (next.guid == 0) next.guid = pr.attr.guid;
  if (next.guid != pr.attr.guid) {
    if (n->type == NodeType::Switch)
      return fail(errc::invalid_argument, port_name(m, p) + ": switch ports share the node GUID");
    if (auto it = m.by_port_guid.find(next.guid); it != m.by_port_guid.end())
      return fail(errc::already_exists, port_name(m, p) + ": GUID " + format_guid(next.guid) +
                                            " already used by " + port_name(m, it->second));
    if (auto it = m.by_guid.find(next.guid); it != m.by_guid.end() && it->second != p.node.value)
      return fail(errc::already_exists, port_name(m, p) + ": GUID " + format_guid(next.guid) +
                                            " is the node GUID of " + node_name(m.nodes[it->second]));
    m.by_port_guid.erase(pr.attr.guid);
    m.by_port_guid.emplace(next.guid, p);
  }
  if (next == pr.attr) return {};
  pr.attr = next;
  ++m.generation;
  notify(m, Change{ChangeKind::PortChanged, p.node, p, {}, 0});
  return {};
}

Result<void> Fabric::set_description(NodeId id, std::string description) {
  Impl& m = *impl_;
  if (m.notifying) return busy_error();
  if (!m.live_node(id)) return fail(errc::not_found, "no node with ID " + std::to_string(id.value));
  if (description.size() > max_description)
    return fail(errc::invalid_argument, node_name(m.nodes[id.value]) + ": description is " +
                                            std::to_string(description.size()) + " bytes, at most 64 allowed");
  if (m.nodes[id.value].description == description) return {};
  m.nodes[id.value].description = std::move(description);
  ++m.generation;
  notify(m, Change{ChangeKind::NodeChanged, id, {}, {}, 0});
  return {};
}

std::size_t Fabric::node_count() const noexcept { return impl_->live; }
std::size_t Fabric::switch_count() const noexcept { return impl_->switches; }
std::size_t Fabric::link_count() const noexcept { return impl_->links; }
std::size_t Fabric::port_count() const noexcept { return impl_->port_total; }
std::uint64_t Fabric::generation() const noexcept { return impl_->generation; }

std::vector<NodeId> Fabric::nodes() const {
  std::vector<NodeId> out;
  out.reserve(impl_->live);
  for (std::uint32_t i = 0; i < impl_->nodes.size(); ++i)
    if (impl_->nodes[i].alive) out.push_back(NodeId{i});
  return out;
}

std::vector<Link> Fabric::links() const {
  const Impl& m = *impl_;
  std::vector<Link> out;
  out.reserve(m.links);
  for (std::uint32_t i = 0; i < m.nodes.size(); ++i) {
    const NodeRec& n = m.nodes[i];
    if (!n.alive) continue;
    for (unsigned p = 1; p <= n.num_ports; ++p) {
      const PortRec& pr = m.ports[n.port_begin + p];
      if (pr.peer_node == UINT32_MAX) continue;
      const PortRef a{NodeId{i}, PortNum(p)}, b{NodeId{pr.peer_node}, pr.peer_port};
      if (a < b) out.push_back(Link{a, b});
    }
  }
  return out;
}

bool Fabric::contains(NodeId id) const noexcept { return impl_->live_node(id) != nullptr; }

std::optional<NodeId> Fabric::find(Guid node_guid) const noexcept {
  auto it = impl_->by_guid.find(node_guid);
  if (it == impl_->by_guid.end()) return std::nullopt;
  return NodeId{it->second};
}

std::optional<PortRef> Fabric::find_port(Guid port_guid) const noexcept {
  if (auto it = impl_->by_port_guid.find(port_guid); it != impl_->by_port_guid.end()) return it->second;
  if (auto it = impl_->by_guid.find(port_guid);
      it != impl_->by_guid.end() && impl_->nodes[it->second].type == NodeType::Switch)
    return PortRef{NodeId{it->second}, 0};
  return std::nullopt;
}

Result<Node> Fabric::node(NodeId id) const {
  const NodeRec* n = impl_->live_node(id);
  if (!n) return fail(errc::not_found, "no node with ID " + std::to_string(id.value));
  Node out;
  out.id = id;
  out.type = n->type;
  out.guid = n->guid;
  out.system_guid = n->system_guid;
  out.vendor_id = n->vendor_id;
  out.device_id = n->device_id;
  out.description = n->description;
  out.ports.resize(n->num_ports + 1u);
  for (unsigned p = 0; p <= n->num_ports; ++p) {
    const PortRec& pr = impl_->ports[n->port_begin + p];
    out.ports[p].number = PortNum(p);
    out.ports[p].attributes = pr.attr;
    if (pr.peer_node != UINT32_MAX) out.ports[p].peer = PortRef{NodeId{pr.peer_node}, pr.peer_port};
  }
  return out;
}

Result<Port> Fabric::port(PortRef p) const {
  const NodeRec* n = impl_->live_node(p.node);
  if (!n) return fail(errc::not_found, "no node with ID " + std::to_string(p.node.value));
  if (p.port > n->num_ports)
    return fail(errc::out_of_range, node_name(*n) + ": port " + std::to_string(p.port) + " is outside 0.." +
                                        std::to_string(n->num_ports));
  const PortRec& pr = impl_->port_rec(p);
  Port out{p.port, pr.attr, std::nullopt};
  if (pr.peer_node != UINT32_MAX) out.peer = PortRef{NodeId{pr.peer_node}, pr.peer_port};
  return out;
}

std::optional<PortRef> Fabric::peer(PortRef p) const noexcept {
  const NodeRec* n = impl_->live_node(p.node);
  if (!n || p.port > n->num_ports) return std::nullopt;
  const PortRec& pr = impl_->port_rec(p);
  if (pr.peer_node == UINT32_MAX) return std::nullopt;
  return PortRef{NodeId{pr.peer_node}, pr.peer_port};
}

std::optional<NodeType> Fabric::type(NodeId id) const noexcept {
  const NodeRec* n = impl_->live_node(id);
  return n ? std::optional(n->type) : std::nullopt;
}
std::optional<Guid> Fabric::guid(NodeId id) const noexcept {
  const NodeRec* n = impl_->live_node(id);
  return n ? std::optional(n->guid) : std::nullopt;
}
std::optional<unsigned> Fabric::num_ports(NodeId id) const noexcept {
  const NodeRec* n = impl_->live_node(id);
  return n ? std::optional<unsigned>(n->num_ports) : std::nullopt;
}

ObserverId Fabric::subscribe(Observer observer) {
  const std::uint64_t id = impl_->next_observer++;
  impl_->observers.emplace_back(id, std::make_shared<Observer>(std::move(observer)));
  return ObserverId{id};
}

bool Fabric::unsubscribe(ObserverId id) noexcept {
  auto& obs = impl_->observers;
  for (auto& o : obs)
    if (o.first == id.value && o.second) {
      if (impl_->notifying) o.second.reset();  // erased after the notification round
      else std::erase_if(obs, [&](const auto& x) { return x.first == id.value; });
      return true;
    }
  return false;
}

void Fabric::reserve(std::size_t nodes, std::size_t ports) {
  impl_->nodes.reserve(nodes);
  impl_->ports.reserve(ports + nodes);
  impl_->by_guid.reserve(nodes);
  impl_->by_port_guid.reserve(ports);
}

// ----- partitions -----

Result<void> Fabric::set_partition(const Partition& partition) {
  Impl& m = *impl_;
  if (m.notifying) return busy_error();
  const std::string who = "partition " + format_pkey(partition.pkey);
  if (partition.pkey == 0 || partition.pkey > default_pkey)
    return fail(errc::invalid_argument, who + ": P_Key must be 0x0001..0x7fff");
  if (partition.name.size() > max_description)
    return fail(errc::invalid_argument, who + ": name is " + std::to_string(partition.name.size()) +
                                            " bytes, at most 64 allowed");
  std::unordered_map<Guid, std::size_t> seen;
  seen.reserve(partition.members.size());
  for (std::size_t i = 0; i < partition.members.size(); ++i) {
    const PartitionMember& x = partition.members[i];
    if (x.membership != Membership::Full && x.membership != Membership::Limited)
      return fail(errc::invalid_argument, who + ": member " + std::to_string(i) + ": membership " +
                                              std::to_string(unsigned(x.membership)) + " is not a Membership");
    if (!find_port(x.port_guid))
      return fail(errc::not_found, who + ": member " + std::to_string(i) + ": no port with GUID " + format_guid(x.port_guid));
    if (auto [at, fresh] = seen.emplace(x.port_guid, i); !fresh)
      return fail(errc::invalid_argument, who + ": port " + format_guid(x.port_guid) + " is listed twice (members " +
                                              std::to_string(at->second) + " and " + std::to_string(i) + ")");
  }
  m.partitions.insert_or_assign(partition.pkey, partition);
  ++m.generation;
  notify(m, Change{ChangeKind::PartitionChanged, {}, {}, {}, partition.pkey, 0});
  return {};
}

Result<void> Fabric::remove_partition(PKey pkey) {
  Impl& m = *impl_;
  if (m.notifying) return busy_error();
  if (m.partitions.erase(pkey) == 0) return fail(errc::not_found, "no partition " + format_pkey(pkey));
  ++m.generation;
  notify(m, Change{ChangeKind::PartitionChanged, {}, {}, {}, pkey, 0});
  return {};
}

std::vector<Partition> Fabric::partitions() const {
  std::vector<Partition> out;
  out.reserve(impl_->partitions.size());
  for (const auto& [k, p] : impl_->partitions) out.push_back(p);
  return out;
}

std::optional<Partition> Fabric::partition(PKey pkey) const {
  const auto it = impl_->partitions.find(pkey);
  if (it == impl_->partitions.end()) return std::nullopt;
  return it->second;
}

std::vector<std::uint16_t> Fabric::pkeys_of(Guid port_guid) const {
  std::vector<std::uint16_t> out;
  for (const auto& [k, p] : impl_->partitions)
    for (const PartitionMember& x : p.members)
      if (x.port_guid == port_guid) {
        out.push_back(pkey_entry(k, x.membership));
        break;
      }
  return out;
}

// ----- counters -----

namespace {
// Validates a port reference including port 0.
Result<std::uint64_t> counter_slot(const Fabric::Impl& m, PortRef p) {
  const NodeRec* n = m.live_node(p.node);
  if (!n) return fail(errc::not_found, "no node with ID " + std::to_string(p.node.value));
  if (p.port > n->num_ports)
    return fail(errc::out_of_range, node_name(*n) + ": port " + std::to_string(p.port) + " above " +
                                        std::to_string(n->num_ports));
  return n->port_begin + p.port;
}
} // namespace

Result<void> Fabric::set_counters(PortRef p, const PortCounters& counters) {
  Impl& m = *impl_;
  if (m.notifying) return busy_error();
  auto slot = counter_slot(m, p);
  if (!slot) return Unexpected(std::move(slot.error()));
  m.counters.insert_or_assign(*slot, counters);
  ++m.generation;
  notify(m, Change{ChangeKind::CountersChanged, p.node, p, {}, 0, 0});
  return {};
}

Result<void> Fabric::clear_counters(PortRef p) {
  Impl& m = *impl_;
  if (m.notifying) return busy_error();
  auto slot = counter_slot(m, p);
  if (!slot) return Unexpected(std::move(slot.error()));
  if (m.counters.erase(*slot) == 0) return {};
  ++m.generation;
  notify(m, Change{ChangeKind::CountersChanged, p.node, p, {}, 0, 0});
  return {};
}

std::optional<PortCounters> Fabric::counters(PortRef p) const {
  auto slot = counter_slot(*impl_, p);
  if (!slot) return std::nullopt;
  const auto it = impl_->counters.find(*slot);
  if (it == impl_->counters.end()) return std::nullopt;
  return it->second;
}

bool same_topology(const Fabric& a, const Fabric& b, std::string* why) {
  auto differ = [&](std::string msg) {
    if (why) *why = std::move(msg);
    return false;
  };
  if (a.node_count() != b.node_count())
    return differ("node count " + std::to_string(a.node_count()) + " vs " + std::to_string(b.node_count()));
  if (a.link_count() != b.link_count())
    return differ("link count " + std::to_string(a.link_count()) + " vs " + std::to_string(b.link_count()));
  for (NodeId ia : a.nodes()) {
    const Node na = *a.node(ia);
    const auto ib = b.find(na.guid);
    if (!ib) return differ("node " + format_guid(na.guid) + " missing in second fabric");
    const Node nb = *b.node(*ib);
    const std::string who = std::string(to_string(na.type)) + " " + format_guid(na.guid);
    if (na.type != nb.type) return differ(who + ": type differs");
    if (na.description != nb.description)
      return differ(who + ": description \"" + na.description + "\" vs \"" + nb.description + "\"");
    if (na.system_guid != nb.system_guid) return differ(who + ": system GUID differs");
    if (na.num_ports() != nb.num_ports())
      return differ(who + ": " + std::to_string(na.num_ports()) + " vs " + std::to_string(nb.num_ports()) + " ports");
    for (unsigned p = 0; p <= na.num_ports(); ++p) {
      const Port& pa = na.ports[p];
      const Port& pb = nb.ports[p];
      const std::string port = who + " port " + std::to_string(p);
      if (!(pa.attributes == pb.attributes)) return differ(port + ": attributes differ");
      if (pa.peer.has_value() != pb.peer.has_value()) return differ(port + ": linked in one fabric only");
      if (!pa.peer) continue;
      if (*a.guid(pa.peer->node) != *b.guid(pb.peer->node) || pa.peer->port != pb.peer->port)
        return differ(port + ": linked to different ports");
    }
  }
  return true;
}

bool same_fabric(const Fabric& a, const Fabric& b, std::string* why) {
  if (!same_topology(a, b, why)) return false;
  auto differ = [&](std::string msg) {
    if (why) *why = std::move(msg);
    return false;
  };
  const auto pa = a.partitions();
  const auto pb = b.partitions();
  if (pa.size() != pb.size())
    return differ(std::to_string(pa.size()) + " vs " + std::to_string(pb.size()) + " partitions");
  for (std::size_t i = 0; i < pa.size(); ++i) {
    const std::string who = "partition " + format_pkey(pa[i].pkey);
    if (pa[i].pkey != pb[i].pkey) return differ(who + " missing in second fabric");
    if (pa[i].name != pb[i].name) return differ(who + ": name \"" + pa[i].name + "\" vs \"" + pb[i].name + "\"");
    if (pa[i].members != pb[i].members) return differ(who + ": members differ");
  }
  for (NodeId ia : a.nodes()) {
    const Guid g = *a.guid(ia);
    const NodeId ib = *b.find(g);
    for (unsigned p = 0; p <= *a.num_ports(ia); ++p) {
      const auto ca = a.counters({ia, PortNum(p)});
      const auto cb = b.counters({ib, PortNum(p)});
      if (ca != cb) return differ("node " + format_guid(g) + " port " + std::to_string(p) + ": counters differ");
    }
  }
  return true;
}

} // namespace ofmf::model
