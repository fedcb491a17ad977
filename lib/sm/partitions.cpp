// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Partition policy values and their resolution on a fabric.
#include "ofmf/sm/partitions.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "sm/detail/partition_rules.hpp"

namespace ofmf::sm {

std::string_view to_string(MemberKind kind) noexcept {
  switch (kind) {
    case MemberKind::Port: return "";
    case MemberKind::All: return "ALL";
    case MemberKind::AllCas: return "ALL_CAS";
    case MemberKind::AllSwitches: return "ALL_SWITCHES";
    case MemberKind::AllRouters: return "ALL_ROUTERS";
    case MemberKind::Self: return "SELF";
  }
  return "";
}

std::string_view to_string(RuleMembership membership) noexcept {
  switch (membership) {
    case RuleMembership::Limited: return "limited";
    case RuleMembership::Full: return "full";
    case RuleMembership::Both: return "both";
  }
  return "";
}

const PartitionRule* PartitionPolicy::find(model::PKey pkey) const noexcept {
  for (const PartitionRule& p : partitions)
    if (p.pkey == pkey) return &p;
  return nullptr;
}

PartitionPolicy default_partition_policy() {
  // As a file holding only this rule reads: OpenSM's own rules first (full
  // membership of ALL then makes every port a full member).
  PartitionRule d = detail::implicit_default();
  d.ipoib = true;
  d.members.push_back({MemberKind::All, 0, RuleMembership::Full, 0});
  PartitionPolicy p;
  p.partitions.push_back(std::move(d));
  return p;
}

namespace {

/// The end ports of a fabric by kind (switches by node GUID: port 0).
struct EndPorts {
  std::vector<model::Guid> cas, routers, switches;
  explicit EndPorts(const model::Fabric& fabric) {
    for (model::NodeId id : fabric.nodes()) {
      const auto n = fabric.node(id);
      if (!n) continue;
      if (n->type == model::NodeType::Switch) {
        switches.push_back(n->guid);
        continue;
      }
      auto& list = n->type == model::NodeType::Router ? routers : cas;
      for (std::size_t p = 1; p < n->ports.size(); ++p) list.push_back(n->ports[p].attributes.guid);
    }
  }
};

/// The groups a partition asks for: its broadcast group (ipoib) and its
/// mgid lines, one per scope of their scope mask.
void add_groups(const PartitionRule& p, std::vector<MulticastGroup>& out) {
  auto add = [&](std::array<std::uint8_t, 16> mgid, const GroupFlags& f, bool ip) {
    MulticastGroup g;
    g.pkey = p.pkey;
    g.mtu = f.mtu;
    g.rate = f.rate;
    g.sl = f.sl;
    g.tclass = f.tclass;
    g.flow_label = f.flow_label;
    g.qkey = f.qkey ? f.qkey : (ip ? detail::ipoib_qkey : 0);
    if (!f.scope_mask) {
      g.mgid = mgid;
      out.push_back(g);
      return;
    }
    for (unsigned s = 1; s < 16; ++s)
      if (f.scope_mask >> s & 1u) {
        mgid[1] = std::uint8_t((mgid[1] & 0xf0) | s);
        g.mgid = mgid;
        out.push_back(g);
      }
  };
  if (p.ipoib) add(detail::broadcast_mgid(p.pkey), p.flags, true);
  for (const GroupRule& r : p.groups) add(r.mgid, r.flags, detail::is_ip_group(r.mgid));
}

} // namespace

ResolvedPartitions resolve_partitions(const PartitionPolicy& policy, const model::Fabric& fabric, model::Guid sm_port) {
  ResolvedPartitions out;
  const EndPorts ends(fabric);
  for (const PartitionRule& rule : policy.partitions) {
    model::Partition part;
    part.pkey = rule.pkey;
    part.name = rule.name;
    std::map<model::Guid, std::size_t> at;
    bool both = false;
    auto add = [&](model::Guid g, RuleMembership m) {
      both |= m == RuleMembership::Both;
      const auto ms = m == RuleMembership::Limited ? model::Membership::Limited : model::Membership::Full;
      if (auto [it, fresh] = at.emplace(g, part.members.size()); !fresh) {
        if (ms == model::Membership::Full) part.members[it->second].membership = ms;  // full wins
      } else {
        part.members.push_back({g, ms});
      }
    };
    const std::string who = "partition " + (rule.name.empty() ? "" : rule.name + " ") + "(" + model::format_pkey(rule.pkey) + ")";
    for (const MemberRule& m : rule.members) {
      switch (m.kind) {
        case MemberKind::All:
          for (const auto* list : {&ends.cas, &ends.routers, &ends.switches})
            for (model::Guid g : *list) add(g, m.membership);
          break;
        case MemberKind::AllCas:
          for (model::Guid g : ends.cas) add(g, m.membership);
          break;
        case MemberKind::AllSwitches:
          for (model::Guid g : ends.switches) add(g, m.membership);
          break;
        case MemberKind::AllRouters:
          for (model::Guid g : ends.routers) add(g, m.membership);
          break;
        case MemberKind::Self:
          if (sm_port != 0 && fabric.find_port(sm_port)) add(sm_port, m.membership);
          break;
        case MemberKind::Port:
          if (!fabric.find_port(m.guid)) {
            out.warnings.push_back(who + ": port " + model::format_guid(m.guid) + " is not in the fabric; skipped");
            break;
          }
          add(m.guid, m.membership);
          break;
      }
    }
    if (both) out.warnings.push_back(who + ": 'both' membership is programmed as full");
    if (part.members.empty()) {
      out.warnings.push_back(who + ": no member is in the fabric; not programmed");
      continue;
    }
    add_groups(rule, out.groups);
    if (rule.indx0) out.index0.push_back(rule.pkey);
    out.partitions.push_back(std::move(part));
  }
  std::sort(out.partitions.begin(), out.partitions.end(),
            [](const model::Partition& a, const model::Partition& b) { return a.pkey < b.pkey; });
  return out;
}

} // namespace ofmf::sm
