// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Directed-route discovery: a breadth-first walk driven by SMP completions,
// with the transport's window keeping several SMPs in flight.
#include "discovery.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace ofmf::backend::umad {
namespace {

using model::Guid;
using model::PortNum;

constexpr std::uint8_t switch_type = static_cast<std::uint8_t>(model::NodeType::Switch);

struct NodeRec {
  NodeInfo info;
  std::string description;
  DrPath path;
  std::vector<std::optional<PortInfo>> ports;  // 0..num_ports
  std::vector<Guid> port_guids;                // 0..num_ports, 0 = not seen
  unsigned outstanding = 0;
  // Lost answers about this node: PortInfo per port, the others.
  std::vector<bool> port_lost;                 // 0..num_ports
  bool description_lost = false;
  bool switch_info_lost = false;
  // Not reached: taken from the previous discovery.
  bool kept = false;
  unsigned unanswered = 0;
  bool switch_node() const noexcept { return info.node_type == switch_type; }
};

using PortKey = std::pair<Guid, PortNum>;

bool lost_answer(const Error& e) { return e.code == errc::timeout; }

std::string where(const DrPath& path, AttrId attr, std::uint32_t mod) {
  std::string s = "DR path " + path.to_string() + " (" + to_string(attr);
  if (attr == AttrId::PortInfo) s += " port " + std::to_string(mod);
  return s + ")";
}

Statistics minus(const Statistics& a, const Statistics& b) {
  return {a.sent - b.sent, a.received - b.received, a.retries - b.retries,
          a.timeouts - b.timeouts, a.rejected - b.rejected, a.elapsed_ms - b.elapsed_ms};
}

class Walk {
 public:
  Walk(Transport& t, const ProgressFn& progress, const Discovered* previous, unsigned gone_after)
      : t_(t), progress_(progress), previous_(previous), gone_after_(std::max(1u, gone_after)) {}

  Result<Discovered> run() {
    const Statistics before = t_.statistics();
    probe(DrPath{}, std::nullopt);
    if (auto r = t_.run(); !r) return Unexpected{std::move(r).error()};
    if (nodes_.empty()) {
      Error e = root_error_ ? *root_error_ : make_error(errc::timeout, "no answer");
      e.message = "umad: the local node did not answer NodeInfo: " + e.message;
      return fail(std::move(e));
    }
    if (auto r = check_local_port(); !r) return Unexpected{std::move(r).error()};
    if (previous_ != nullptr) keep_unreached(*previous_);
    build();
    out_.delta.statistics = minus(t_.statistics(), before);
    out_.delta.problems = std::move(problems_);
    out_.delta.lost = lost_answers();
    out_.delta.local_port_guid = t_.local().port_guid;
    if (out_.delta.local_port_guid == 0 && !nodes_.empty()) {
      const NodeRec& root = nodes_.front();
      out_.delta.local_port_guid = root.info.port_guid;
    }
    return std::move(out_);
  }

 private:
  // NodeInfo at `path`. `from` is the (node, port) the last hop left
  // through; nullopt for the local node.
  void probe(const DrPath& path, std::optional<std::pair<std::size_t, PortNum>> from) {
    if (from) ++nodes_[from->first].outstanding;
    ask(make_dr_get(path, AttrId::NodeInfo, 0, 0), [this, path, from](Result<Smp> r) {
      if (!r) {
        if (!from) root_error_ = r.error();
        if (from && lost_answer(r.error())) {
          lost_.push_back({from->first, AttrId::NodeInfo, from->second, true, path});
          lost_behind_.push_back({nodes_[from->first].info.node_guid, from->second});
        }
        problem(where(path, AttrId::NodeInfo, 0) + neighbour_of(from), std::move(r).error());
      } else if (auto info = decode_node_info(r->data); !info) {
        problem(where(path, AttrId::NodeInfo, 0) + neighbour_of(from), std::move(info).error());
      } else {
        found(path, *info, from);
      }
      if (from) finished(from->first);
    });
  }

  std::string neighbour_of(const std::optional<std::pair<std::size_t, PortNum>>& from) const {
    if (!from) return "";
    const NodeRec& n = nodes_[from->first];
    return ", behind " + std::string(n.switch_node() ? "switch " : "node ") + model::format_guid(n.info.node_guid) +
           " port " + std::to_string(from->second);
  }

  void found(const DrPath& path, const NodeInfo& info, std::optional<std::pair<std::size_t, PortNum>> from) {
    const PortNum in_port = info.local_port_num;
    auto it = index_.find(info.node_guid);
    std::size_t i;
    if (it != index_.end()) {
      i = it->second;
      NodeRec& n = nodes_[i];
      if (n.info.node_type != info.node_type || n.info.num_ports != info.num_ports) {
        problem(where(path, AttrId::NodeInfo, 0),
                make_error(errc::inconsistent, "node GUID " + model::format_guid(info.node_guid) +
                                                   " answers with another type or port count than at DR path " +
                                                   n.path.to_string()));
        return;
      }
      if (path.hops < n.path.hops) {
        n.path = path;
        out_.paths[info.node_guid] = path;
      }
      if (from) link(from->first, from->second, i, in_port, path);
      // A channel adapter's other ports are only seen through their links.
      if (!n.switch_node() && in_port >= 1 && in_port < n.ports.size() && !n.ports[in_port]) {
        n.port_guids[in_port] = info.port_guid;
        read_port(i, path, in_port);
      }
      return;
    }
    i = nodes_.size();
    index_.emplace(info.node_guid, i);
    NodeRec n;
    n.info = info;
    n.path = path;
    n.ports.resize(std::size_t(info.num_ports) + 1);
    n.port_guids.assign(std::size_t(info.num_ports) + 1, 0);
    n.port_lost.assign(std::size_t(info.num_ports) + 1, false);
    if (n.switch_node()) {
      std::fill(n.port_guids.begin(), n.port_guids.end(), info.node_guid);
    } else if (in_port >= 1 && in_port <= info.num_ports) {
      n.port_guids[in_port] = info.port_guid;
    }
    nodes_.push_back(std::move(n));
    out_.paths[info.node_guid] = path;
    report();
    if (from) link(from->first, from->second, i, in_port, path);

    request(i, path, AttrId::NodeDescription, 0, [this, i](const Smp& s) {
      auto d = decode_node_description(s.data);
      if (!d) return Result<void>(Unexpected{std::move(d).error()});
      nodes_[i].description = std::move(d->text);
      return Result<void>{};
    });
    if (nodes_[i].switch_node()) {
      request(i, path, AttrId::SwitchInfo, 0, [this, i](const Smp& s) {
        auto si = decode_switch_info(s.data);
        if (!si) return Result<void>(Unexpected{std::move(si).error()});
        out_.switches[nodes_[i].info.node_guid] = *si;
        return Result<void>{};
      });
      for (unsigned p = 0; p <= info.num_ports; ++p) read_port(i, path, static_cast<PortNum>(p));
    } else if (in_port >= 1 && in_port <= info.num_ports) {
      read_port(i, path, in_port);
    }
  }

  // PortInfo of port `p` of node `i` (reached at `path`); when the link is
  // up and the port not yet linked, looks behind it.
  void read_port(std::size_t i, const DrPath& path, PortNum p) {
    request(i, path, AttrId::PortInfo, p, [this, i, path, p](const Smp& s) {
      auto pi = decode_port_info(s.data);
      if (!pi) return Result<void>(Unexpected{std::move(pi).error()});
      NodeRec& n = nodes_[i];
      n.ports[p] = *pi;
      out_.port_info[{n.info.node_guid, p}] = *pi;
      // Switches forward directed-route SMPs through every port; a channel
      // adapter only out of itself when it is the local node.
      const bool can_leave = p != 0 && (n.switch_node() || path.hops == 0);
      const bool up = pi->port_state >= static_cast<std::uint8_t>(model::PortState::Init);
      if (can_leave && up && !links_.count({n.info.node_guid, p})) {
        auto next = path.extend(p);
        if (!next) {
          problem(where(path, AttrId::PortInfo, p), std::move(next).error());
        } else {
          probe(*next, std::make_pair(i, p));
        }
      }
      return Result<void>{};
    });
  }

  template <class Handle>
  void request(std::size_t i, const DrPath& path, AttrId attr, std::uint32_t mod, Handle handle) {
    ++nodes_[i].outstanding;
    ask(make_dr_get(path, attr, mod, 0), [this, i, path, attr, mod, handle](Result<Smp> r) {
      if (!r) {
        if (lost_answer(r.error())) lost(i, path, attr, mod);
        problem(where(path, attr, mod), std::move(r).error());
      } else if (auto ok = handle(*r); !ok) {
        problem(where(path, attr, mod), std::move(ok).error());
      }
      finished(i);
    });
  }

  void link(std::size_t a, PortNum ap, std::size_t b, PortNum bp, const DrPath& path) {
    const Guid ag = nodes_[a].info.node_guid, bg = nodes_[b].info.node_guid;
    const auto ka = std::make_pair(ag, ap), kb = std::make_pair(bg, bp);
    const auto ia = links_.find(ka), ib = links_.find(kb);
    if (ia != links_.end() && ia->second == kb) return;  // seen from the other side already
    if (ia != links_.end() || ib != links_.end() || ka == kb) {
      problem(where(path, AttrId::NodeInfo, 0),
              make_error(errc::inconsistent, model::format_guid(ag) + " port " + std::to_string(ap) + " and " +
                                                 model::format_guid(bg) + " port " + std::to_string(bp) +
                                                 " look linked, but one of them is linked elsewhere already"));
      return;
    }
    links_.emplace(ka, kb);
    links_.emplace(kb, ka);
  }

  // Submits `smp`. A request that got no answer after the transport's
  // resends is asked once more (another 1 + retries attempts, after the
  // requests queued meanwhile) before its answer counts as lost.
  void ask(const Smp& smp, Transport::SmpCompletion done, bool again = true) {
    t_.submit(smp, [this, smp, done = std::move(done), again](Result<Smp> r) mutable {
      if (!r && again && lost_answer(r.error())) return ask(smp, std::move(done), false);
      done(std::move(r));
    });
  }

  void lost(std::size_t i, const DrPath& path, AttrId attr, std::uint32_t mod) {
    NodeRec& n = nodes_[i];
    if (attr == AttrId::PortInfo && mod < n.port_lost.size()) n.port_lost[mod] = true;
    if (attr == AttrId::NodeDescription) n.description_lost = true;
    if (attr == AttrId::SwitchInfo) n.switch_info_lost = true;
    lost_.push_back({i, attr, static_cast<PortNum>(attr == AttrId::PortInfo ? mod : 0), false, path});
  }

  // The local port as its PortInfo reads now (the transport's view of it
  // dates from when it was opened).
  Result<void> check_local_port() const {
    const NodeRec& root = nodes_.front();
    const PortNum p = root.info.local_port_num;
    if (root.switch_node() || p == 0 || p >= root.ports.size() || !root.ports[p]) return {};
    if (root.ports[p]->port_state != static_cast<std::uint8_t>(model::PortState::Down)) return {};
    return fail(errc::unavailable, "umad: " + t_.local().ca + " port " + std::to_string(t_.local().port) +
                                       ": link is down, nothing to discover");
  }

  // What lost answers hid, from the previous discovery (discovery.hpp).
  void keep_unreached(const Discovered& prev) {
    std::vector<PortKey> frontier = lost_behind_;
    for (NodeRec& n : nodes_) {
      const Guid g = n.info.node_guid;
      const auto pn = prev.nodes.find(g);
      if (pn == prev.nodes.end()) continue;
      if (n.description_lost) n.description = pn->second.description;
      if (n.switch_info_lost)
        if (auto it = prev.switches.find(g); it != prev.switches.end()) out_.switches[g] = it->second;
      for (std::size_t p = 0; p < n.ports.size(); ++p) {
        if (n.ports[p] || !n.port_lost[p]) continue;
        const auto it = prev.port_info.find({g, PortNum(p)});
        if (it == prev.port_info.end()) continue;
        n.ports[p] = it->second;
        out_.port_info[{g, PortNum(p)}] = it->second;
        ++out_.delta.kept_ports;
        frontier.push_back({g, PortNum(p)});
      }
    }
    while (!frontier.empty()) {
      const PortKey here = frontier.back();
      frontier.pop_back();
      const auto pl = prev.links.find(here);
      if (pl == prev.links.end() || links_.count(here)) continue;
      const PortKey there = pl->second;
      if (links_.count(there)) continue;  // linked elsewhere now
      auto it = index_.find(there.first);
      if (it == index_.end()) {
        const auto pn = prev.nodes.find(there.first);
        if (pn == prev.nodes.end() || pn->second.unanswered + 1 >= gone_after_) continue;  // gone
        it = index_.emplace(there.first, keep_node(prev, pn->second)).first;
        for (auto l = prev.links.lower_bound({there.first, 0}); l != prev.links.end() && l->first.first == there.first;
             ++l)
          if (l->first != there) frontier.push_back(l->first);
      } else if (!port_may_be_up(nodes_[it->second], there.second)) {
        continue;
      }
      links_.emplace(here, there);
      links_.emplace(there, here);
      ++out_.delta.kept_links;
    }
    for (const NodeRec& n : nodes_)
      if (n.kept) out_.delta.kept.push_back({n.info.node_guid, n.description, n.unanswered});
    std::sort(out_.delta.kept.begin(), out_.delta.kept.end(),
              [](const KeptNode& a, const KeptNode& b) { return a.guid < b.guid; });
  }

  // Whether port `p` of a node in the model may still be linked: it did
  // not read Down (a kept port reads as last seen).
  static bool port_may_be_up(const NodeRec& n, PortNum p) {
    if (p >= n.ports.size()) return false;
    return !n.ports[p] || n.ports[p]->port_state != static_cast<std::uint8_t>(model::PortState::Down);
  }

  // Adds a node of the previous discovery that was not reached; its index.
  std::size_t keep_node(const Discovered& prev, const Discovered::Node& was) {
    const Guid g = was.info.node_guid;
    NodeRec n;
    n.info = was.info;
    n.description = was.description;
    n.port_guids = was.port_guids;
    n.port_guids.resize(std::size_t(was.info.num_ports) + 1, 0);
    n.ports.resize(std::size_t(was.info.num_ports) + 1);
    n.port_lost.assign(n.ports.size(), false);
    for (std::size_t p = 0; p < n.ports.size(); ++p)
      if (auto it = prev.port_info.find({g, PortNum(p)}); it != prev.port_info.end()) {
        n.ports[p] = it->second;
        out_.port_info[{g, PortNum(p)}] = it->second;
      }
    if (auto it = prev.paths.find(g); it != prev.paths.end()) {
      n.path = it->second;
      out_.paths[g] = it->second;
    }
    if (auto it = prev.switches.find(g); it != prev.switches.end()) out_.switches[g] = it->second;
    n.kept = true;
    n.unanswered = was.unanswered + 1;
    nodes_.push_back(std::move(n));
    return nodes_.size() - 1;
  }

  std::vector<LostAnswer> lost_answers() const {
    std::vector<LostAnswer> out;
    out.reserve(lost_.size());
    for (const Lost& l : lost_) {
      const NodeRec& n = nodes_[l.node];
      out.push_back({n.info.node_guid, n.description, l.port, std::string(to_string(l.attr)), l.behind,
                     l.path.to_string()});
    }
    return out;
  }

  void finished(std::size_t i) {
    if (--nodes_[i].outstanding == 0) {
      ++done_;
      report();
    }
  }

  void report() {
    if (progress_) progress_({"discover", done_, nodes_.size()});
  }

  void problem(std::string where, Error e) { problems_.push_back({std::move(where), std::move(e)}); }

  // The model from what answered: switches first, then the others, each
  // ordered by GUID (the same fabric gives the same output every time).
  void build() {
    std::vector<std::size_t> order(nodes_.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
      const bool sx = nodes_[x].switch_node(), sy = nodes_[y].switch_node();
      if (sx != sy) return sx;
      return nodes_[x].info.node_guid < nodes_[y].info.node_guid;
    });
    model::Fabric& f = out_.delta.fabric;
    std::size_t ports = 0;
    for (const NodeRec& n : nodes_) ports += n.ports.size();
    f.reserve(nodes_.size(), ports);
    std::unordered_map<Guid, model::NodeId> ids;
    for (std::size_t k : order) {
      const NodeRec& n = nodes_[k];
      const Guid g = n.info.node_guid;
      model::NodeSpec spec;
      spec.type = static_cast<model::NodeType>(n.info.node_type);
      spec.guid = g;
      spec.num_ports = n.info.num_ports;
      spec.description = n.description.substr(0, 64);
      spec.system_guid = n.info.system_image_guid;
      spec.vendor_id = n.info.vendor_id & 0xffffff;
      spec.device_id = n.info.device_id;
      if (!n.switch_node()) {
        // Ports never reached keep the derived GUID (node GUID + port).
        for (unsigned p = 1; p <= n.info.num_ports; ++p)
          spec.port_guids.push_back(n.port_guids[p] ? n.port_guids[p] : g + p);
      }
      auto id = f.add_node(spec);
      if (!id) {
        problem("DR path " + n.path.to_string(), std::move(id).error());
        continue;
      }
      ids.emplace(g, *id);
      out_.nodes[g] = {n.info, n.description, n.port_guids, n.unanswered};
      for (unsigned p = 0; p < n.ports.size(); ++p) {
        if (!n.ports[p] || (p == 0 && !n.switch_node())) continue;
        const Guid pg = n.switch_node() ? g : spec.port_guids[p - 1];
        PortInfo info = *n.ports[p];
        if (n.switch_node() && p != 0 && n.ports[0]) {
          // A switch's CapabilityMask is only valid on port 0 (IBA
          // 14.2.5.6); it says whether LinkSpeedExtActive counts.
          info.capability_mask = n.ports[0]->capability_mask;
          info.capability_mask2 = n.ports[0]->capability_mask2;
        }
        auto a = to_attributes(info, pg);
        if (!a) {
          problem(where(n.path, AttrId::PortInfo, p), std::move(a).error());
          continue;
        }
        if (n.switch_node() && p != 0) {
          a->lid = 0;  // a switch's LID lives on port 0
          a->lmc = 0;
        }
        if (auto r = f.set_port({*id, static_cast<PortNum>(p)}, *a); !r)
          problem(where(n.path, AttrId::PortInfo, p), std::move(r).error());
      }
    }
    for (const auto& [a, b] : links_) {
      if (b < a) continue;  // each link once
      const auto ia = ids.find(a.first), ib = ids.find(b.first);
      if (ia == ids.end() || ib == ids.end()) continue;
      out_.links.emplace(a, b);
      out_.links.emplace(b, a);
      if (auto r = f.connect({ia->second, a.second}, {ib->second, b.second}); !r)
        problem("link " + model::format_guid(a.first) + " port " + std::to_string(a.second) + " - " +
                    model::format_guid(b.first) + " port " + std::to_string(b.second),
                std::move(r).error());
    }
  }

  struct Lost {
    std::size_t node;
    AttrId attr;
    PortNum port;
    bool behind;
    DrPath path;
  };

  Transport& t_;
  const ProgressFn& progress_;
  const Discovered* previous_;
  unsigned gone_after_;
  std::vector<NodeRec> nodes_;
  std::vector<Lost> lost_;
  std::vector<PortKey> lost_behind_;  // ports whose far-side NodeInfo was lost
  std::unordered_map<Guid, std::size_t> index_;
  std::map<PortKey, PortKey> links_;
  std::vector<Problem> problems_;
  std::optional<Error> root_error_;
  std::size_t done_ = 0;
  Discovered out_;
};

} // namespace

Result<Discovered> discover(Transport& transport, const ProgressFn& progress, const Discovered* previous,
                            unsigned gone_after) {
  Walk walk(transport, progress, previous, gone_after);
  return walk.run();
}

} // namespace ofmf::backend::umad
