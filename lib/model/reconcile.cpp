// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// reconcile(): the difference between the live fabric and a discovery,
// computed as a plan of Fabric mutations, rehearsed on a copy of the live
// fabric and then applied to it (see reconcile.hpp).
#include "ofmf/model/reconcile.hpp"

#include <algorithm>
#include <optional>
#include <string_view>
#include <unordered_set>
#include <utility>

namespace ofmf::model {
namespace {

// What becomes of a live node.
enum class Fate : std::uint8_t { Unseen, Matched, Replaced, Removed, Kept };

struct CounterTarget {
  LinkEnd port;
  std::optional<PortCounters> counters;  // nullopt = cleared
};

// The mutations, in the order they are made. Live nodes are named by
// NodeId (they exist before the first mutation), everything made on the
// way by GUID.
struct Plan {
  std::vector<PortRef> unlink;            // one end of each live link that goes
  std::vector<NodeId> remove;             // removed and replaced live nodes
  std::vector<NodeId> add;                // nodes of the discovery to create
  std::vector<std::pair<PortRef, PortAttributes>> ports;  // live ports of matched nodes
  std::vector<std::pair<NodeId, std::string>> descriptions;
  std::vector<LinkSummary> link;
  std::vector<Partition> partitions;      // set unless equal
  std::vector<PKey> drop_partitions;      // removed when present
  std::vector<CounterTarget> counters;    // set or cleared unless equal

  bool empty() const noexcept {
    return unlink.empty() && remove.empty() && add.empty() && ports.empty() && descriptions.empty() &&
           link.empty() && partitions.empty() && drop_partitions.empty() && counters.empty();
  }
};

NodeSummary summary(const Node& n) { return {n.guid, n.type, n.description, n.num_ports()}; }

LinkSummary link_of(LinkEnd x, LinkEnd y) { return x < y ? LinkSummary{x, y} : LinkSummary{y, x}; }

LinkEnd end_of(const Fabric& f, PortRef p) { return {*f.guid(p.node), p.port}; }

// Whether the live node can become the discovered one by set_port and
// set_description alone.
bool same_identity(const Node& l, const Node& d) {
  if (l.type != d.type || l.num_ports() != d.num_ports() || l.system_guid != d.system_guid ||
      l.vendor_id != d.vendor_id || l.device_id != d.device_id)
    return false;
  if (l.type == NodeType::Switch) return true;
  // Adapter and router: port GUIDs, and the placeholder port 0 that only
  // add_node() sets.
  if (!(l.ports[0].attributes == d.ports[0].attributes)) return false;
  for (unsigned p = 1; p <= l.num_ports(); ++p)
    if (l.ports[p].attributes.guid != d.ports[p].attributes.guid) return false;
  return true;
}

// The NodeSpec that recreates `d`; ports whose attributes differ from the
// spec's defaults still need set_port() (see first_port()).
NodeSpec spec_of(const Node& d) {
  NodeSpec s;
  s.type = d.type;
  s.guid = d.guid;
  s.num_ports = d.num_ports();
  s.description = d.description;
  s.system_guid = d.system_guid;
  s.vendor_id = d.vendor_id;
  s.device_id = d.device_id;
  if (d.type == NodeType::Switch) {
    // Most ports of a switch look like port 1; port 0 (with the LID) is set after.
    s.port_defaults = d.ports[1].attributes;
  } else {
    s.port_defaults = d.ports[0].attributes;  // the placeholder, exactly
    s.port_guids.reserve(d.num_ports());
    for (unsigned p = 1; p <= d.num_ports(); ++p) s.port_guids.push_back(d.ports[p].attributes.guid);
  }
  s.port_defaults.guid = 0;
  return s;
}

unsigned first_port(NodeType t) { return t == NodeType::Switch ? 0u : 1u; }

// Port GUIDs (a switch: its node GUID) a removed node takes out of the
// partitions, as Fabric::remove_node() does.
void owned_guids(const Node& n, std::unordered_set<Guid>& out) {
  if (n.type == NodeType::Switch) {
    out.insert(n.guid);
    return;
  }
  for (unsigned p = 1; p <= n.num_ports(); ++p) out.insert(n.ports[p].attributes.guid);
}

Partition without(const Partition& p, const std::unordered_set<Guid>& gone) {
  Partition out{p.pkey, p.name, {}};
  for (const PartitionMember& m : p.members)
    if (!gone.count(m.port_guid)) out.members.push_back(m);
  return out;
}

struct Planner {
  const Fabric& live;
  const Fabric& disc;
  const ReconcileOptions& o;
  Plan plan;
  ReconcileReport report;
  std::vector<Fate> fate;          // by live NodeId value
  std::vector<NodeId> counterpart; // live NodeId value -> discovered NodeId (matched)
  std::vector<Node> replaced;      // live nodes that are replaced, as they were
  std::unordered_set<Guid> dropped;  // GUIDs taken out of partitions by remove_node()

  Planner(const Fabric& l, const Fabric& d, const ReconcileOptions& opt) : live(l), disc(d), o(opt) {}

  Fate fate_of(NodeId id) const { return fate[id.value]; }

  Result<void> nodes() {
    const std::vector<NodeId> live_ids = live.nodes();
    const std::size_t slots = live_ids.empty() ? 0 : live_ids.back().value + 1u;
    fate.assign(slots, Fate::Unseen);
    counterpart.assign(slots, NodeId{});
    for (NodeId d : disc.nodes()) {
      auto dn = disc.node(d);
      if (!dn) return Unexpected(std::move(dn).error());
      const auto l = live.find(dn->guid);
      if (!l) {
        plan.add.push_back(d);
        report.nodes_added.push_back(summary(*dn));
        continue;
      }
      auto ln = live.node(*l);
      if (!ln) return Unexpected(std::move(ln).error());
      if (!same_identity(*ln, *dn)) {
        fate[l->value] = Fate::Replaced;
        plan.remove.push_back(*l);
        plan.add.push_back(d);
        report.nodes_removed.push_back(summary(*ln));
        report.nodes_added.push_back(summary(*dn));
        report.nodes_replaced.push_back(dn->guid);
        owned_guids(*ln, dropped);
        replaced.push_back(std::move(*ln));
        continue;
      }
      fate[l->value] = Fate::Matched;
      counterpart[l->value] = d;
      if (ln->description != dn->description) {
        plan.descriptions.emplace_back(*l, dn->description);
        report.descriptions_changed.push_back({dn->guid, ln->description, dn->description});
      }
      for (unsigned p = first_port(ln->type); p <= ln->num_ports(); ++p) {
        const PortAttributes& before = ln->ports[p].attributes;
        const PortAttributes& after = dn->ports[p].attributes;
        if (before == after) continue;
        plan.ports.emplace_back(PortRef{*l, PortNum(p)}, after);
        report.ports_changed.push_back({{dn->guid, PortNum(p)}, before, after});
      }
    }
    std::unordered_set<Guid> keep(o.keep.begin(), o.keep.end());
    for (NodeId l : live_ids) {
      if (fate[l.value] != Fate::Unseen) continue;
      const Guid g = *live.guid(l);
      if (o.keep_missing || keep.count(g)) {
        fate[l.value] = Fate::Kept;
        report.nodes_kept.push_back(g);
        continue;
      }
      auto ln = live.node(l);
      if (!ln) return Unexpected(std::move(ln).error());
      fate[l.value] = Fate::Removed;
      plan.remove.push_back(l);
      report.nodes_removed.push_back(summary(*ln));
      owned_guids(*ln, dropped);
    }
    return {};
  }

  // Whether the discovery has the matched live port `p` linked to the
  // live port `q` (by GUID and port number).
  bool discovered_link(PortRef p, PortRef q) const {
    const auto dp = disc.peer({counterpart[p.node.value], p.port});
    return dp && *disc.guid(dp->node) == *live.guid(q.node) && dp->port == q.port;
  }
  bool discovered_linked(PortRef p) const {
    return fate_of(p.node) == Fate::Matched && disc.peer({counterpart[p.node.value], p.port}).has_value();
  }

  void links() {
    for (const Link& k : live.links()) {
      const Fate fa = fate_of(k.a.node), fb = fate_of(k.b.node);
      bool stays;
      if (fa == Fate::Removed || fa == Fate::Replaced || fb == Fate::Removed || fb == Fate::Replaced)
        stays = false;  // goes with its node
      else if (fa == Fate::Matched && fb == Fate::Matched)
        stays = discovered_link(k.a, k.b);
      else  // a kept node: the link stays unless the discovery links its other end elsewhere
        stays = !discovered_linked(k.a) && !discovered_linked(k.b);
      if (stays) continue;
      report.links_removed.push_back(link_of(end_of(live, k.a), end_of(live, k.b)));
      if (fa != Fate::Removed && fa != Fate::Replaced && fb != Fate::Removed && fb != Fate::Replaced)
        plan.unlink.push_back(k.a);
    }
    for (const Link& k : disc.links()) {
      const LinkEnd a = end_of(disc, k.a), b = end_of(disc, k.b);
      const auto la = live.find(a.node), lb = live.find(b.node);
      if (la && lb && fate_of(*la) == Fate::Matched && fate_of(*lb) == Fate::Matched &&
          live.peer({*la, a.port}) == PortRef{*lb, b.port})
        continue;
      plan.link.push_back(link_of(a, b));
      report.links_added.push_back(link_of(a, b));
    }
  }

  // Partitions: the targets, and those that change. After the structural
  // mutations the live partitions have lost the members in `dropped`.
  void partitions() {
    const auto live_parts = live.partitions();
    std::vector<Partition> targets;
    if (o.partitions != ReconcileFrom::Discovered)
      for (const Partition& p : live_parts) {
        // Members whose port exists afterwards: kept and matched nodes keep
        // their GUIDs; others exist when the discovery has them.
        Partition t{p.pkey, p.name, {}};
        for (const PartitionMember& m : p.members)
          if (!dropped.count(m.port_guid) || disc.find_port(m.port_guid)) t.members.push_back(m);
        targets.push_back(std::move(t));
      }
    if (o.partitions != ReconcileFrom::Live)
      for (const Partition& p : disc.partitions()) {
        const auto at = std::find_if(targets.begin(), targets.end(), [&](const Partition& t) { return t.pkey == p.pkey; });
        if (at != targets.end()) *at = p;
        else targets.push_back(p);
      }
    for (const Partition& t : targets) {
      const auto now = live.partition(t.pkey);
      if (!now || !(without(*now, dropped) == t)) plan.partitions.push_back(t);
    }
    for (const Partition& p : live_parts)
      if (std::none_of(targets.begin(), targets.end(), [&](const Partition& t) { return t.pkey == p.pkey; }))
        plan.drop_partitions.push_back(p.pkey);
  }

  void counters() {
    // Live counters of replaced nodes are dropped by remove_node(); under
    // Live and Merged they come back for the ports that still exist.
    auto from_live = [&](NodeId d, unsigned p) -> std::optional<PortCounters> {
      const Guid g = *disc.guid(d);
      const auto l = live.find(g);
      if (!l) return std::nullopt;
      return live.counters({*l, PortNum(p)});
    };
    for (NodeId d : disc.nodes()) {
      const Guid g = *disc.guid(d);
      const auto l = live.find(g);
      const bool matched = l && fate_of(*l) == Fate::Matched;
      if (o.counters == ReconcileFrom::Live && matched) continue;  // live's stay as they are
      for (unsigned p = 0; p <= *disc.num_ports(d); ++p) {
        std::optional<PortCounters> target;
        if (o.counters != ReconcileFrom::Live) target = disc.counters({d, PortNum(p)});
        if (o.counters != ReconcileFrom::Discovered && !target) target = from_live(d, p);
        // After the structural mutations only matched nodes have counters.
        const std::optional<PortCounters> now = matched ? live.counters({*l, PortNum(p)}) : std::nullopt;
        if (target != now) plan.counters.push_back({{g, PortNum(p)}, target});
      }
    }
  }
};

// Returns the error of a refused mutation.
#define OFMF_RECONCILE_TRY(expr)     \
  do {                               \
    if (auto r_ = (expr); !r_) return r_; \
  } while (false)

// Makes the plan's mutations on `f` (the live fabric or its copy, in the
// same state). `disc` provides the nodes to add.
Result<void> run(Fabric& f, const Plan& plan, const Fabric& disc, std::size_t& counters_changed) {
  auto at = [&](LinkEnd e) { return PortRef{*f.find(e.node), e.port}; };
  for (PortRef p : plan.unlink) OFMF_RECONCILE_TRY(f.disconnect(p));
  for (NodeId id : plan.remove) OFMF_RECONCILE_TRY(f.remove_node(id));
  for (NodeId d : plan.add) {
    const Node dn = *disc.node(d);
    const NodeSpec spec = spec_of(dn);
    auto id = f.add_node(spec);
    if (!id) return Unexpected(std::move(id).error());
    for (unsigned p = first_port(dn.type); p <= dn.num_ports(); ++p) {
      PortAttributes want = dn.ports[p].attributes;
      PortAttributes made = spec.port_defaults;
      made.guid = want.guid;
      if (!(made == want)) OFMF_RECONCILE_TRY(f.set_port({*id, PortNum(p)}, want));
    }
  }
  for (const auto& [p, a] : plan.ports) OFMF_RECONCILE_TRY(f.set_port(p, a));
  for (const auto& [id, d] : plan.descriptions) OFMF_RECONCILE_TRY(f.set_description(id, d));
  for (const LinkSummary& k : plan.link) OFMF_RECONCILE_TRY(f.connect(at(k.a), at(k.b)));
  for (const Partition& p : plan.partitions)
    if (f.partition(p.pkey) != p) OFMF_RECONCILE_TRY(f.set_partition(p));
  for (PKey k : plan.drop_partitions)
    if (f.partition(k)) OFMF_RECONCILE_TRY(f.remove_partition(k));
  counters_changed = 0;
  for (const CounterTarget& c : plan.counters) {
    const PortRef p = at(c.port);
    if (f.counters(p) == c.counters) continue;
    OFMF_RECONCILE_TRY(c.counters ? f.set_counters(p, *c.counters) : f.clear_counters(p));
    ++counters_changed;
  }
  return {};
}

} // namespace

#undef OFMF_RECONCILE_TRY

namespace {

// P_Keys whose partition differs between `before` and `after` (both
// ordered by P_Key).
std::vector<PKey> changed_partitions(const std::vector<Partition>& before, const std::vector<Partition>& after) {
  std::vector<PKey> out;
  auto b = before.begin(), a = after.begin();
  while (b != before.end() || a != after.end()) {
    if (a == after.end() || (b != before.end() && b->pkey < a->pkey)) out.push_back((b++)->pkey);
    else if (b == before.end() || a->pkey < b->pkey) out.push_back((a++)->pkey);
    else {
      if (!(*a == *b)) out.push_back(a->pkey);
      ++a, ++b;
    }
  }
  return out;
}

Unexpected refused(Error e) {
  e.message = "reconcile: " + e.message;
  return Unexpected(std::move(e));
}

} // namespace

Result<ReconcileReport> reconcile(Fabric& live, const Fabric& discovered, const ReconcileOptions& options) {
  Planner planner(live, discovered, options);
  if (auto r = planner.nodes(); !r) return refused(std::move(r).error());
  planner.links();
  planner.partitions();
  planner.counters();
  ReconcileReport& report = planner.report;
  const auto by_guid = [](const NodeSummary& x, const NodeSummary& y) { return x.guid < y.guid; };
  std::sort(report.nodes_added.begin(), report.nodes_added.end(), by_guid);
  std::sort(report.nodes_removed.begin(), report.nodes_removed.end(), by_guid);
  std::sort(report.nodes_replaced.begin(), report.nodes_replaced.end());
  std::sort(report.nodes_kept.begin(), report.nodes_kept.end());
  std::sort(report.links_added.begin(), report.links_added.end());
  std::sort(report.links_removed.begin(), report.links_removed.end());
  std::sort(report.ports_changed.begin(), report.ports_changed.end(),
            [](const PortChange& x, const PortChange& y) { return x.port < y.port; });
  std::sort(report.descriptions_changed.begin(), report.descriptions_changed.end(),
            [](const DescriptionChange& x, const DescriptionChange& y) { return x.node < y.node; });
  if (planner.plan.empty()) return std::move(report);

  // Rehearsal on a copy (it has no observers): a refused mutation leaves
  // `live` untouched. The same mutations on `live`, in the same state,
  // then succeed alike (NodeIds included: a copy keeps the slots).
  const std::vector<Partition> before = live.partitions();
  Fabric rehearsal(live);
  if (auto r = run(rehearsal, planner.plan, discovered, report.counters_changed); !r)
    return refused(std::move(r).error());
  report.partitions_changed = changed_partitions(before, rehearsal.partitions());
  if (options.dry_run) return std::move(report);

  const std::uint64_t generation = live.generation();
  auto r = run(live, planner.plan, discovered, report.counters_changed);
  report.mutations = live.generation() - generation;
  // Only errc::busy (called from an observer of `live`) can get here, and
  // it refuses the first mutation already.
  if (!r) return refused(std::move(r).error());
  return std::move(report);
}

namespace {

std::string end_name(LinkEnd e) { return format_guid(e.node) + "[" + std::to_string(e.port) + "]"; }

std::string node_line(const char* what, const NodeSummary& n) {
  std::string s = std::string(what) + std::string(to_string(n.type)) + " " + format_guid(n.guid);
  if (!n.description.empty()) s += " \"" + n.description + "\"";
  return s + " (" + std::to_string(n.num_ports) + " ports)\n";
}

std::string port_line(const PortChange& c) {
  const PortAttributes &b = c.before, &a = c.after;
  std::string s = "port " + end_name(c.port) + ":";
  auto field = [&s](const char* name, std::string_view x, std::string_view y) {
    if (x != y) s += std::string(" ") + name + " " + std::string(x) + " -> " + std::string(y) + ",";
  };
  field("GUID", format_guid(b.guid), format_guid(a.guid));
  field("LID", std::to_string(b.lid), std::to_string(a.lid));
  field("LMC", std::to_string(b.lmc), std::to_string(a.lmc));
  field("state", to_string(b.state), to_string(a.state));
  field("physical state", to_string(b.phys_state), to_string(a.phys_state));
  field("width", to_string(b.width), to_string(a.width));
  field("speed", to_string(b.speed), to_string(a.speed));
  field("MTU", std::to_string(mtu_bytes(b.mtu)), std::to_string(mtu_bytes(a.mtu)));
  s.back() = '\n';
  return s;
}

} // namespace

std::string to_string(const ReconcileReport& report) {
  std::string out;
  for (const NodeSummary& n : report.nodes_removed) out += node_line("node removed: ", n);
  for (const NodeSummary& n : report.nodes_added) out += node_line("node added: ", n);
  for (const LinkSummary& k : report.links_removed)
    out += "link removed: " + end_name(k.a) + " - " + end_name(k.b) + "\n";
  for (const LinkSummary& k : report.links_added) out += "link added: " + end_name(k.a) + " - " + end_name(k.b) + "\n";
  for (const PortChange& c : report.ports_changed) out += port_line(c);
  for (const DescriptionChange& d : report.descriptions_changed)
    out += "description of " + format_guid(d.node) + ": \"" + d.before + "\" -> \"" + d.after + "\"\n";
  for (PKey k : report.partitions_changed) out += "partition changed: " + format_pkey(k) + "\n";
  if (report.counters_changed)
    out += "counters changed: " + std::to_string(report.counters_changed) + " ports\n";
  return out;
}

} // namespace ofmf::model
