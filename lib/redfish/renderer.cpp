// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Renderer: keeps a rendered tree in step with the Fabric by re-rendering
// only the resources each recorded change touches.
#include <algorithm>
#include <set>
#include <unordered_map>
#include <utility>

#include "ofmf/redfish/render.hpp"
#include "redfish/detail/tree_access.hpp"
#include "redfish/detail/view.hpp"

namespace ofmf::redfish {

using json = nlohmann::json;
using detail::View;
using model::ChangeKind;
using model::Guid;
using model::Node;
using model::NodeType;

namespace {

/// What the tree was rendered from, per node: enough to find the URIs of
/// a node that is gone, or whose port GUIDs changed.
struct NodeInfo {
  NodeType type = NodeType::Switch;
  Guid guid = 0;
  Guid sys = 0;
  std::vector<Guid> port_guids;  // [p] for p in 0..N
};

NodeInfo info_of(const Node& n) {
  NodeInfo i;
  i.type = n.type;
  i.guid = n.guid;
  i.sys = n.system_guid ? n.system_guid : n.guid;
  i.port_guids.reserve(n.ports.size());
  for (const auto& p : n.ports) i.port_guids.push_back(p.attributes.guid);
  return i;
}

/// LID and LMC an endpoint resource (compact text) shows, (-1, -1) for
/// none.
std::pair<long, long> lid_of(std::string_view text) {
  if (text.empty()) return {-1, -1};
  const json r = json::parse(text, nullptr, false);
  auto o = r.find("Oem");
  if (o == r.end()) return {-1, -1};
  auto f = o->find("Ofmf");
  if (f == o->end()) return {-1, -1};
  auto l = f->find("LID");
  auto m = f->find("LMC");
  if (l == f->end() || m == f->end() || !l->is_number_unsigned() || !m->is_number_unsigned()) return {-1, -1};
  return {long(l->get<unsigned>()), long(m->get<unsigned>())};
}

} // namespace

struct Renderer::Impl {
  model::Fabric* fabric = nullptr;
  ExportOptions opt;
  Tree tree;
  model::ObserverId sub;
  std::vector<model::Change> changes;
  std::unordered_map<std::uint32_t, NodeInfo> known;

  ~Impl() {
    if (fabric) fabric->unsubscribe(sub);
  }

  RefreshResult refresh();
};

Result<Renderer> Renderer::create(model::Fabric& fabric, ExportOptions options) {
  auto tree = render(fabric, options);
  if (!tree) return fail(tree.error());
  auto impl = std::make_unique<Impl>();
  impl->opt = std::move(options);
  impl->tree = std::move(*tree);
  for (model::NodeId id : fabric.nodes())
    if (auto n = fabric.node(id)) impl->known.emplace(id.value, info_of(*n));
  Impl* raw = impl.get();
  impl->sub = fabric.subscribe([raw](const model::Change& c) { raw->changes.push_back(c); });
  impl->fabric = &fabric;
  return Renderer(std::move(impl));
}

Renderer::Renderer(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
Renderer::Renderer(Renderer&&) noexcept = default;
Renderer& Renderer::operator=(Renderer&&) noexcept = default;
Renderer::~Renderer() = default;

const Tree& Renderer::tree() const noexcept { return impl_->tree; }
const ExportOptions& Renderer::options() const noexcept { return impl_->opt; }
std::size_t Renderer::pending() const noexcept { return impl_->changes.size(); }
RefreshResult Renderer::refresh() { return impl_->refresh(); }

RefreshResult Renderer::Impl::refresh() {
  RefreshResult out;
  if (changes.empty()) return out;
  std::vector<model::Change> todo;
  todo.swap(changes);
  View v(*fabric, opt, false);
  std::set<std::string> cand;
  bool pool = false;

  // Every URI a node had in the tree (its subtree and its endpoints).
  auto add_known = [&](const NodeInfo& i) {
    std::string prefix = i.type == NodeType::Switch ? v.switch_uri(i.guid) : v.adapter_uri(i.sys, i.guid);
    detail::TreeAccess::scan(tree, prefix, [&](const std::string& k, std::string_view) {
      if (k.compare(0, prefix.size(), prefix) != 0) return false;
      if (k.size() == prefix.size() || k[prefix.size()] == '/') cand.insert(k);
      return true;
    });
    if (i.type == NodeType::Switch)
      cand.insert(v.endpoint_uri(i.guid));
    else
      for (std::size_t p = 1; p < i.port_guids.size(); ++p) cand.insert(v.endpoint_uri(i.port_guids[p]));
  };
  auto add_collections = [&](const NodeInfo& i) {
    cand.insert(v.endpoints_uri);
    pool = true;
    if (i.type == NodeType::Switch) {
      cand.insert(v.switches_uri);
    } else {
      cand.insert("/redfish/v1/Chassis");
      cand.insert(v.chassis_uri(i.sys));
      cand.insert(v.chassis_uri(i.sys) + "/FabricAdapters");
    }
  };
  auto add_node = [&](const Node& n) {
    for (auto& u : detail::node_uris(v, n)) cand.insert(std::move(u));
  };
  auto add_zones_of = [&](Guid g) {
    for (model::PKey k : v.pkeys(g)) cand.insert(v.zone_uri(k));
  };
  // A port and what shows it: its endpoint, its node (Port0 of a switch
  // or an adapter),
  // and the zones of its endpoint when `zones` (link changes move
  // InvolvedSwitches).
  auto add_port = [&](model::PortRef r, bool zones) {
    const Node* n = v.node(r.node);
    if (!n || r.port >= n->ports.size()) return;
    if (r.port > 0) cand.insert(v.port_uri(*n, r.port));
    if (n->type == NodeType::Switch) {
      if (r.port == 0) cand.insert(v.switch_uri(n->guid));
      cand.insert(v.endpoint_uri(n->guid));
    } else if (r.port == 0) {
      cand.insert(v.node_uri(*n));
    } else {
      Guid g = n->ports[r.port].attributes.guid;
      cand.insert(v.endpoint_uri(g));
      if (zones) add_zones_of(g);
    }
  };

  for (const model::Change& c : todo) {
    switch (c.kind) {
      case ChangeKind::NodeAdded: {
        const Node* n = v.node(c.node);
        if (!n) break;  // removed again before this refresh
        NodeInfo i = info_of(*n);
        add_node(*n);
        add_collections(i);
        known[c.node.value] = std::move(i);
        break;
      }
      case ChangeKind::NodeRemoved: {
        auto it = known.find(c.node.value);
        if (it == known.end()) break;
        add_known(it->second);
        add_collections(it->second);
        known.erase(it);
        break;
      }
      case ChangeKind::NodeChanged: {
        const Node* n = v.node(c.node);
        if (!n) break;
        cand.insert(v.node_uri(*n));
        if (n->type == NodeType::Switch)
          cand.insert(v.endpoint_uri(n->guid));
        else
          for (unsigned p = 1; p <= n->num_ports(); ++p) cand.insert(v.endpoint_uri(n->ports[p].attributes.guid));
        break;
      }
      case ChangeKind::PortChanged: {
        const Node* n = v.node(c.port.node);
        if (!n || c.port.port >= n->ports.size()) break;
        auto it = known.find(c.port.node.value);
        Guid now = n->ports[c.port.port].attributes.guid;
        if (it != known.end() && c.port.port < it->second.port_guids.size() &&
            it->second.port_guids[c.port.port] != now) {
          // A new port GUID renames the endpoint: drop the old one.
          Guid old = it->second.port_guids[c.port.port];
          if (n->type != NodeType::Switch) {
            cand.insert(v.endpoint_uri(old));
            add_zones_of(old);
            add_zones_of(now);
            cand.insert(v.endpoints_uri);
            cand.insert(v.node_uri(*n));
            pool = true;
            // The peer port names the endpoint in AssociatedEndpoints.
            if (const auto& peer = n->ports[c.port.port].peer) add_port(*peer, false);
          }
          it->second.port_guids[c.port.port] = now;
        }
        add_port(c.port, false);
        break;
      }
      case ChangeKind::LinkAdded:
      case ChangeKind::LinkRemoved:
        add_port(c.port, true);
        add_port(c.peer, true);
        break;
      case ChangeKind::PartitionChanged: {
        std::string zuri = v.zone_uri(c.pkey);
        cand.insert(v.zones_uri);
        cand.insert(zuri);
        if (auto p = fabric->partition(c.pkey))
          for (const auto& m : p->members) cand.insert(v.endpoint_uri(m.port_guid));
        if (const json* old = tree.find(zuri)) {
          auto l = old->find("Links");
          if (l != old->end()) {
            auto eps = l->find("Endpoints");
            if (eps != l->end() && eps->is_array())
              for (const json& x : *eps) {
                auto id = x.find("@odata.id");
                if (id != x.end() && id->is_string()) cand.insert(id->get<std::string>());
              }
          }
        }
        break;
      }
      case ChangeKind::CountersChanged: {
        const Node* n = v.node(c.port.node);
        if (!n || c.port.port == 0 || c.port.port >= n->ports.size()) break;
        std::string puri = v.port_uri(*n, c.port.port);
        cand.insert(puri + "/Metrics");
        cand.insert(std::move(puri));
        break;
      }
    }
  }
  cand.insert(v.fabric_uri);  // Oem.Ofmf.Generation

  const std::string endpoints_prefix = v.endpoints_uri + "/";
  std::string scratch;
  auto apply = [&](const std::string& uri) {
    auto r = detail::render_uri(v, uri);
    const bool had = tree.contains(uri);
    const std::string_view old = had ? detail::TreeAccess::text(tree, uri, scratch) : std::string_view{};
    const bool endpoint = uri.compare(0, endpoints_prefix.size(), endpoints_prefix) == 0;
    if (!r) {
      if (had) {
        if (endpoint && lid_of(old).first > 0) pool = true;
        tree.erase(uri);
        out.removed.push_back(uri);
      }
      return;
    }
    if (had && old == *r) return;
    if (endpoint && lid_of(old) != lid_of(*r)) pool = true;
    detail::TreeAccess::put_text(tree, uri, std::move(*r));
    out.rendered.push_back(uri);
  };
  for (const std::string& uri : cand) apply(uri);
  if (pool && !cand.count(v.lid_pool_uri)) apply(v.lid_pool_uri);
  std::sort(out.rendered.begin(), out.rendered.end());
  return out;
}

} // namespace ofmf::redfish
