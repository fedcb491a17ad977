// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include "routing/engines/minhop/minhop.hpp"

#include "routing/detail/common.hpp"
#include "routing/detail/reroute.hpp"

namespace ofmf::routing::engines {
namespace {

class Minhop final : public Engine {
 public:
  std::string_view name() const noexcept override { return "minhop"; }

  Result<RouteTable> compute(const model::TopologyView& view, const Options& options) const override {
    const std::uint32_t nsw = view.switch_count();
    if (nsw == 0) return fail(errc::invalid_argument, "minhop: the fabric has no switches");
    auto table = RouteTable::create(view, options.lmc);
    if (!table) return fail(std::move(table).error());
    const auto hops = detail::all_pairs_hops(view, options.threads);
    const auto dst = detail::destinations(view, *table);
    detail::fill_balanced(view, *table, dst, options.threads,
                          [&](std::uint32_t s, std::uint32_t d, std::vector<std::uint8_t>& out) {
                            const std::uint16_t* row = hops.data() + std::size_t(d) * nsw;
                            const std::uint16_t hs = row[s];
                            if (hs == detail::unreachable_hops) return;
                            for (const model::Edge& e : view.edges(s))
                              if (e.target < nsw && row[e.target] + 1 == hs) out.push_back(e.local_port);
                          });
    table->set_engine("minhop");
    return table;
  }

  // Incremental reroute. Pure link/switch losses are first repaired in
  // place: a switch whose entry lost its link takes another neighbour whose
  // current route is one hop shorter than the lost one (then no distance
  // changed, and every route stays minimal). LIDs that cannot be repaired
  // so, LIDs whose delivering switch or port changed, and every affected
  // LID when links came up, get their column recomputed from a BFS on the
  // new view, keeping entries that are still on a shortest path. So
  // minimal paths and loop freedom hold for every LID (unaffected LIDs'
  // routes are intact and their distances did not change). Balance is
  // only local: a changed entry takes the least-loaded shortest port of
  // its switch; nothing else moves, nothing is globally re-optimized (on
  // link up, unaffected destinations do not start using the new link).
  Result<void> reroute(const model::TopologyView& ov, const RouteTable& old, const model::TopologyView& view,
                       const Options& options, std::span<const Lid> affected, RouteTable& out) const override {
    using model::TopologyView;
    const std::uint32_t nsw = view.switch_count();
    if (nsw == 0) return fail(errc::invalid_argument, "minhop: the fabric has no switches");
    // Switches whose links changed; did any gain a switch link?
    std::vector<std::uint32_t> changed, old_index(nsw);
    bool gained = false;
    for (std::uint32_t s = 0; s < nsw; ++s) {
      const std::uint32_t o = ov.find(view.guid(s));
      old_index[s] = o;
      if (o == TopologyView::npos || !ov.is_switch(o)) {
        gained = true;
        continue;
      }
      const auto np = view.ports(s), op = ov.ports(o);
      bool diff = np.size() != op.size();
      for (std::size_t p = 1; p < np.size(); ++p) {
        const bool nl = np[p].linked(), ol = p < op.size() && op[p].linked();
        if (nl == ol && (!nl || (view.guid(np[p].peer) == ov.guid(op[p].peer) && np[p].peer_port == op[p].peer_port)))
          continue;
        diff = true;
        if (nl && np[p].peer < nsw) gained = true;
      }
      if (diff) changed.push_back(s);
    }
    std::vector<Lid> rest;
    if (gained) {
      rest.assign(affected.begin(), affected.end());
    } else {
      repair_in_place(ov, old, view, out, affected, changed, old_index, rest);
    }
    if (rest.empty()) return {};
    const auto g = detail::switch_graph(view);
    std::vector<std::vector<std::uint32_t>> queues(detail::worker_count(options.threads, nsw));
    detail::repair_columns(
        view, out, rest, options.threads,
        [&](unsigned w, std::uint32_t d, std::uint16_t* row) { detail::bfs(g, d, row, queues[w]); },
        [&](std::uint32_t s, const std::uint16_t* row, std::vector<std::uint8_t>& c) {
          const std::uint16_t hs = row[s];
          if (hs == detail::unreachable_hops) return;
          for (const model::Edge& e : view.edges(s))
            if (e.target < nsw && row[e.target] + 1 == hs) c.push_back(e.local_port);
        },
        [&](std::uint32_t s, const std::uint16_t* row, std::uint8_t port) {
          const auto ports = view.ports(s);
          if (port >= ports.size() || !ports[port].linked()) return false;
          const std::uint32_t t = ports[port].peer;
          return t < nsw && row[s] != detail::unreachable_hops && row[t] + 1 == row[s];
        });
    return {};
  }

 private:
  // Switch hops from `from` to the delivering switch `d` of `lid` along the
  // table; UINT32_MAX when the walk breaks or exceeds `limit` hops.
  static std::uint32_t walk(const model::TopologyView& v, const RouteTable& t, std::uint32_t from, std::uint32_t d,
                            std::uint32_t lid, std::uint32_t limit) {
    std::uint32_t cur = from, hops = 0;
    while (cur != d) {
      const std::uint8_t p = t.out_port(cur, lid);
      const auto ports = v.ports(cur);
      if (p == 0 || p >= ports.size() || !ports[p].linked() || ports[p].peer >= v.switch_count()) return UINT32_MAX;
      cur = ports[p].peer;
      if (++hops > limit) return UINT32_MAX;
    }
    return hops;
  }

  static void repair_in_place(const model::TopologyView& ov, const RouteTable& old, const model::TopologyView& view,
                              RouteTable& out, std::span<const Lid> affected, const std::vector<std::uint32_t>& changed,
                              const std::vector<std::uint32_t>& old_index, std::vector<Lid>& rest) {
    using model::TopologyView;
    const std::uint32_t nsw = view.switch_count();
    const auto dn = detail::destinations(view, out);
    const auto dold = detail::destinations(ov, old);
    std::vector<std::vector<std::uint32_t>> counts(nsw);
    std::vector<std::uint8_t> cands;
    std::vector<std::uint32_t> cand_len;
    for (const Lid l : affected) {
      const std::uint32_t d = dn.dest_switch[l];
      const bool same = d != TopologyView::npos && l < dold.dest_switch.size() &&
                        dold.dest_switch[l] != TopologyView::npos && ov.guid(dold.dest_switch[l]) == view.guid(d) &&
                        dold.final_port[l] == dn.final_port[l];
      if (!same) {
        rest.push_back(l);
        continue;
      }
      bool ok = true;
      for (const std::uint32_t x : changed) {
        if (x == d) continue;
        const auto ports = view.ports(x);
        const std::uint8_t e = out.lft(x)[l];
        if (e == no_route) continue;  // unreachable before: still unreachable
        if (e != 0 && e < ports.size() && ports[e].linked() && ports[e].peer < nsw) continue;
        const std::uint32_t lost = walk(ov, old, old_index[x], dold.dest_switch[l], l, nsw);
        if (lost == UINT32_MAX || lost == 0) {
          ok = false;
          break;
        }
        cands.clear();
        for (const model::Edge& ed : view.edges(x))
          if (ed.target < nsw && walk(view, out, ed.target, d, l, lost - 1) == lost - 1) cands.push_back(ed.local_port);
        if (cands.empty()) {
          ok = false;
          break;
        }
        auto& cnt = counts[x];
        if (cnt.empty()) {  // endpoint LIDs per out port, as in detail::repair_columns()
          cnt.assign(256, 0);
          const auto row = out.lft(x);
          for (std::size_t k = 1; k < row.size(); ++k)
            cnt[row[k]] += dn.final_port[k] != 0 && dn.final_port[k] != no_route;
        }
        const std::uint32_t nc = std::uint32_t(cands.size()), rot = x % nc;
        std::uint8_t best = cands[rot];
        for (std::uint32_t k = 1; k < nc; ++k) {
          const std::uint8_t p = cands[(rot + k) % nc];
          if (cnt[p] < cnt[best]) best = p;
        }
        if (dn.final_port[l] != 0) {
          if (cnt[e] > 0) --cnt[e];
          ++cnt[best];
        }
        out.lft(x)[l] = best;
      }
      if (!ok) rest.push_back(l);
    }
  }
};

} // namespace

std::unique_ptr<Engine> make_minhop() { return std::make_unique<Minhop>(); }

} // namespace ofmf::routing::engines
