// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include "ofmf/routing/incremental.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <utility>

#include "routing/detail/common.hpp"
#include "routing/detail/reroute.hpp"

namespace ofmf::routing {

using model::Guid;
using model::TopologyView;

namespace {

constexpr std::uint32_t npos = TopologyView::npos;

// True when every port of `nv` that had a LID in `old` has it in `t`.
bool lids_kept(const TopologyView& nv, const TopologyView& ov, const RouteTable& old, const RouteTable& t) {
  for (std::uint32_t i = 0; i < nv.node_count(); ++i) {
    const std::uint32_t o = ov.find(nv.guid(i));
    if (o == npos) continue;
    const std::size_t np = nv.ports(i).size();
    for (std::size_t p = 0; p < np; ++p) {
      const Lid ob = old.base_lid(o, model::PortNum(p));
      if (ob && t.lid_count(i, model::PortNum(p)) && t.base_lid(i, model::PortNum(p)) != ob) return false;
    }
  }
  return true;
}

// A copy of `nv` whose port LIDs are the old table's (0 for ports that had
// none, so they get free LIDs), in the same view order.
Result<std::shared_ptr<const TopologyView>> pinned_view(const TopologyView& nv, const TopologyView& ov,
                                                        const RouteTable& old) {
  model::Fabric f;
  const std::uint32_t n = nv.node_count();
  std::size_t total_ports = 0;
  for (std::uint32_t i = 0; i < n; ++i) total_ports += nv.ports(i).size();
  f.reserve(n, total_ports);
  std::vector<model::NodeId> ids(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    const auto ports = nv.ports(i);
    model::NodeSpec spec;
    spec.type = nv.type(i);
    spec.guid = nv.guid(i);
    spec.num_ports = nv.num_ports(i);
    spec.description = std::string(nv.description(i));
    if (!nv.is_switch(i))
      for (std::size_t p = 1; p < ports.size(); ++p)
        spec.port_guids.push_back(ports[p].attributes.guid ? ports[p].attributes.guid : nv.guid(i) + p);
    auto id = f.add_node(spec);
    if (!id) return fail(std::move(id).error());
    ids[i] = *id;
  }
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint32_t o = ov.find(nv.guid(i));
    const auto ports = nv.ports(i);
    for (std::size_t p = nv.is_switch(i) ? 0 : 1; p < ports.size(); ++p) {
      model::PortAttributes a = ports[p].attributes;
      a.guid = 0;
      a.lid = o == npos ? 0 : old.base_lid(o, model::PortNum(p));
      if (!nv.is_switch(i) && a.lid) a.lmc = old.lmc();
      if (a == model::PortAttributes{}) continue;
      if (auto r = f.set_port({ids[i], model::PortNum(p)}, a); !r) return fail(std::move(r).error());
    }
    for (const model::Edge& e : nv.edges(i))
      if (i < e.target || (i == e.target && e.local_port < e.remote_port))
        if (auto r = f.connect({ids[i], e.local_port}, {ids[e.target], e.remote_port}); !r)
          return fail(std::move(r).error());
  }
  auto v = f.snapshot();
  for (std::uint32_t i = 0; i < n; ++i)
    if (v->guid(i) != nv.guid(i)) return fail(errc::inconsistent, "reroute: view copy changed the node order");
  return v;
}

// (node GUID, port) of a LID's owner, or (0, 0).
std::pair<Guid, model::PortNum> owner_key(const TopologyView& v, const RouteTable& t, std::uint32_t lid) {
  const LidOwner o = t.owner(lid);
  if (!o.valid() || o.node >= v.node_count()) return {0, 0};
  return {v.guid(o.node), o.port};
}

// What changed between the views and which LIDs that affects.
struct ChangeSet {
  bool new_switch = false;
  std::vector<Lid> affected;
};

ChangeSet analyse_changes(const TopologyView& nv, const RouteTable& out, const TopologyView& ov,
                          const RouteTable& old, const std::vector<std::uint8_t>* only, unsigned threads) {
  ChangeSet cs;
  const std::uint32_t nsw = nv.switch_count();
  const std::size_t space = out.lid_space();
  std::vector<std::uint8_t> hit(space, 0);

  // Owner and delivering switch/port of every LID.
  const auto dn = detail::destinations(nv, out);
  const auto dold = detail::destinations(ov, old);
  for (std::uint32_t l = 1; l < space; ++l) {
    const bool in_old = l < old.lid_space();
    const Guid dsn = dn.dest_switch[l] == npos ? 0 : nv.guid(dn.dest_switch[l]);
    const Guid dso = !in_old || dold.dest_switch[l] == npos ? 0 : ov.guid(dold.dest_switch[l]);
    const std::uint8_t fpo = in_old ? dold.final_port[l] : no_route;
    if (dsn != dso || dn.final_port[l] != fpo || owner_key(nv, out, l) != owner_key(ov, old, l)) hit[l] = 1;
  }

  // Switch ports whose link changed.
  std::vector<std::uint32_t> to_old(nsw, npos);
  std::vector<std::uint32_t> touched;  // switches that gained a switch link
  std::vector<std::uint8_t> changed;   // per port of the switch being scanned
  for (std::uint32_t s = 0; s < nsw; ++s) {
    const std::uint32_t o = ov.find(nv.guid(s));
    if (o == npos || !ov.is_switch(o)) {
      cs.new_switch = true;
      continue;
    }
    to_old[s] = o;
    if (only && !(*only)[s]) continue;
    const auto np = nv.ports(s);
    const auto op = ov.ports(o);
    changed.assign(256, 0);
    bool any = false, gained = false;
    for (std::size_t p = 1; p < np.size(); ++p) {
      const bool nl = np[p].linked();
      const bool ol = p < op.size() && op[p].linked();
      const Guid ng = nl ? nv.guid(np[p].peer) : 0;
      const Guid og = ol ? ov.guid(op[p].peer) : 0;
      if (nl == ol && ng == og && (!nl || np[p].peer_port == op[p].peer_port)) continue;
      changed[p] = 1;
      any = true;
      if (nl && nv.is_switch(np[p].peer)) gained = true;
    }
    for (std::size_t p = np.size(); p < op.size(); ++p) changed[p] = 1, any = true;
    if (gained) touched.push_back(s);
    if (!any) continue;
    const auto row = old.lft(o);
    const std::size_t n = std::min(space, old.lid_space());
    for (std::size_t l = 1; l < n; ++l)
      if (changed[row[l]]) hit[l] = 1;
  }

  // Link up: destination switches to which some distance shrank. If one
  // did, it did at a switch that gained a link (see the design notes in
  // the header of the engines' hooks), so BFS from those suffices.
  if (!touched.empty() && !cs.new_switch) {
    const auto gn = detail::switch_graph(nv);
    const auto go = detail::switch_graph(ov);
    std::vector<std::uint32_t> from_old(ov.switch_count(), npos);
    for (std::uint32_t s = 0; s < nsw; ++s)
      if (to_old[s] != npos) from_old[to_old[s]] = s;
    std::vector<std::uint8_t> shrink(nsw, 0);
    const unsigned workers = detail::worker_count(threads, touched.size());
    struct Scratch {
      std::vector<std::uint16_t> dn, dold;
      std::vector<std::uint32_t> q;
    };
    std::vector<Scratch> sc(workers);
    detail::parallel_for(touched.size(), workers, 1, [&](unsigned w, std::size_t k) {
      Scratch& x = sc[w];
      x.dn.resize(nsw);
      x.dold.resize(ov.switch_count());
      const std::uint32_t s = touched[k];
      detail::bfs(gn, s, x.dn.data(), x.q);
      detail::bfs(go, to_old[s], x.dold.data(), x.q);
      for (std::uint32_t o = 0; o < ov.switch_count(); ++o) {
        const std::uint32_t d = from_old[o];
        if (d != npos && x.dn[d] < x.dold[o]) std::atomic_ref<std::uint8_t>(shrink[d]).store(1, std::memory_order_relaxed);
      }
    });
    for (std::uint32_t l = 1; l < space; ++l)
      if (dn.dest_switch[l] != npos && shrink[dn.dest_switch[l]]) hit[l] = 1;
  }
  for (std::uint32_t l = 1; l < space; ++l)
    if (hit[l]) cs.affected.push_back(Lid(l));
  return cs;
}

Result<Reroute> run(const Engine& engine, const TopologyView& old_view, const RouteTable& old,
                    const TopologyView& new_view, const std::vector<std::uint8_t>* only, const Options& options) {
  if (auto r = old.check_view(old_view, "reroute"); !r) return fail(std::move(r).error());
  Options o = options;
  o.lmc = old.lmc();

  // A table for the new view with the old LIDs.
  std::shared_ptr<const TopologyView> pinned;
  auto created = RouteTable::create(new_view, o.lmc);
  if (!created) return fail(std::move(created).error());
  if (!lids_kept(new_view, old_view, old, *created)) {
    auto v = pinned_view(new_view, old_view, old);
    if (!v) return fail(std::move(v).error());
    pinned = std::move(v).value();
    created = RouteTable::create(*pinned, o.lmc);
    if (!created) return fail(std::move(created).error());
    if (!lids_kept(*pinned, old_view, old, *created))
      return fail(errc::inconsistent, "reroute: the old LIDs cannot be kept on the new fabric");
  }
  const TopologyView& nv = pinned ? *pinned : new_view;
  RouteTable out = std::move(created).value();

  Reroute r;
  auto full = [&](std::string why) -> Result<Reroute> {
    auto t = engine.compute(nv, o);
    if (!t) return fail(std::move(t).error());
    t->set_engine(std::string(engine.name()));
    r.table = std::move(t).value();
    r.incremental = false;
    r.full_reason = std::move(why);
    r.affected_lids = 0;
    r.delta = lft_delta(r.table, old);
    return std::move(r);
  };
  if (old.engine() != engine.name())
    return full("the old table was computed by '" + old.engine() + "', not '" + std::string(engine.name()) + "'");
  ChangeSet cs = analyse_changes(nv, out, old_view, old, only, o.threads);
  if (cs.new_switch) return full("switches were added");

  // Start from the old LFTs.
  const std::size_t n = std::min(out.lid_space(), old.lid_space());
  for (std::uint32_t s = 0; s < nv.switch_count(); ++s) {
    const std::uint32_t os = old_view.find(nv.guid(s));
    std::memcpy(out.lft(s).data(), old.lft(os).data(), n);
  }
  if (!cs.affected.empty()) {
    auto h = engine.reroute(old_view, old, nv, o, cs.affected, out);
    if (!h) {
      if (h.error().code == errc::not_supported) return full(h.error().message);
      return fail(std::move(h).error());
    }
  }
  out.set_engine(std::string(engine.name()));
  r.table = std::move(out);
  r.incremental = true;
  r.affected_lids = cs.affected.size();
  r.delta = lft_delta(r.table, old);
  return r;
}

} // namespace

Result<Reroute> reroute(const Engine& engine, const TopologyView& old_view, const RouteTable& old,
                        const TopologyView& new_view, const Options& options) {
  return run(engine, old_view, old, new_view, nullptr, options);
}

Result<Reroute> reroute(const Engine& engine, const TopologyView& old_view, const RouteTable& old,
                        const TopologyView& new_view, std::span<const model::Change> changes,
                        const Options& options) {
  std::vector<std::uint8_t> only(new_view.switch_count(), 0);
  auto mark = [&](model::NodeId id) {
    const std::uint32_t i = new_view.find(id);
    if (i != npos && new_view.is_switch(i)) only[i] = 1;
  };
  for (const model::Change& c : changes) {
    mark(c.node);
    mark(c.port.node);
    mark(c.peer.node);
  }
  return run(engine, old_view, old, new_view, &only, options);
}

std::vector<SwitchBlocks> lft_delta(const RouteTable& table, const RouteTable& old) {
  std::vector<std::pair<Guid, std::uint32_t>> by_guid;
  by_guid.reserve(old.switch_count());
  for (std::uint32_t s = 0; s < old.switch_count(); ++s) by_guid.emplace_back(old.switch_guid(s), s);
  std::sort(by_guid.begin(), by_guid.end());
  std::vector<SwitchBlocks> out;
  const std::size_t blocks = table.block_count();
  const std::size_t old_space = old.lid_space();
  for (std::uint32_t s = 0; s < table.switch_count(); ++s) {
    const Guid g = table.switch_guid(s);
    auto it = std::lower_bound(by_guid.begin(), by_guid.end(), std::make_pair(g, std::uint32_t(0)));
    const bool present = it != by_guid.end() && it->first == g;
    SwitchBlocks sb{g, s, {}};
    for (std::size_t b = 0; b < blocks; ++b) {
      const auto cur = table.lft_block(s, b);
      bool differs = !present;
      if (present) {
        const std::size_t first = b * lft_block_size;
        if (first + lft_block_size <= old_space) {
          differs = std::memcmp(cur.data(), old.lft(it->second).data() + first, lft_block_size) != 0;
        } else {
          for (std::size_t k = 0; k < lft_block_size && !differs; ++k)
            differs = cur[k] != old.out_port(it->second, std::uint32_t(first + k));
        }
      }
      if (!differs) continue;
      LftBlock blk;
      blk.block = std::uint32_t(b);
      std::copy(cur.begin(), cur.end(), blk.ports.begin());
      sb.blocks.push_back(blk);
    }
    if (!sb.blocks.empty()) out.push_back(std::move(sb));
  }
  return out;
}

Result<void> store_lids(model::Fabric& fabric, const TopologyView& view, const RouteTable& table) {
  if (auto r = table.check_view(view, "store_lids"); !r) return r;
  for (std::uint32_t i = 0; i < view.node_count(); ++i) {
    const auto ports = view.ports(i);
    for (std::size_t p = 0; p < ports.size(); ++p) {
      const Lid b = table.base_lid(i, model::PortNum(p));
      if (!b) continue;
      model::PortAttributes a = ports[p].attributes;
      const std::uint8_t lmc = view.is_switch(i) ? 0 : table.lmc();
      if (a.lid == b && a.lmc == lmc) continue;
      a.lid = b;
      a.lmc = lmc;
      if (auto r = fabric.set_port({view.node_id(i), model::PortNum(p)}, a); !r) return r;
    }
  }
  return {};
}

} // namespace ofmf::routing
