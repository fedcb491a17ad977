// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include "routing/engines/updn/updn.hpp"

#include <algorithm>
#include <atomic>
#include <numeric>

#include "routing/detail/common.hpp"
#include "routing/detail/reroute.hpp"

namespace ofmf::routing::engines {
namespace {

using model::TopologyView;
constexpr std::uint16_t down_flag = 0x8000;
constexpr std::uint16_t inf = detail::unreachable_hops;

// Per destination d: m[d*nsw + x] = legal hops from x to d, with down_flag
// set when x uses its down-only path; inf when x cannot reach d.
struct Plan {
  std::vector<std::uint64_t> key;  // (rank << 32) | position in GUID order
  std::vector<std::uint32_t> order;  // switches by key
  std::vector<std::uint16_t> m;
  bool complete = true;
  std::uint32_t bad_src = 0, bad_dst = 0;
};

// Row of destination d: down-only distances by a reverse BFS, then the
// switches that go up first, in `order`.
void fill_row(const TopologyView& view, const Plan& p, std::uint32_t d, std::uint16_t* row,
              std::vector<std::uint32_t>& bq) {
  const std::uint32_t nsw = view.switch_count();
  std::fill(row, row + nsw, inf);
  bq.clear();
  // Down-only distances: reverse BFS, from y to x when x -> y goes down.
  row[d] = down_flag;
  bq.push_back(d);
  for (std::size_t h = 0; h < bq.size(); ++h) {
    const std::uint32_t y = bq[h];
    const std::uint16_t next = std::uint16_t((row[y] & ~down_flag) + 1);
    for (const model::Edge& e : view.edges(y))
      if (e.target < nsw && row[e.target] == inf && p.key[e.target] < p.key[y])
        row[e.target] = std::uint16_t(next | down_flag), bq.push_back(e.target);
  }
  // The others go up first: 1 + best over up neighbours (already final).
  for (std::uint32_t x : p.order) {
    if (row[x] != inf) continue;
    std::uint16_t best = inf;
    for (const model::Edge& e : view.edges(x))
      if (e.target < nsw && p.key[e.target] < p.key[x] && row[e.target] != inf)
        best = std::min<std::uint16_t>(best, std::uint16_t(row[e.target] & ~down_flag));
    if (best != inf) row[x] = std::uint16_t(best + 1);
  }
}

// Legal next hops of switch s towards the destination of `row`.
void candidates(const TopologyView& view, const Plan& p, std::uint32_t s, const std::uint16_t* row,
                std::vector<std::uint8_t>& out) {
  const std::uint32_t nsw = view.switch_count();
  const std::uint16_t ms = row[s];
  if (ms == inf) return;
  const bool down = ms & down_flag;
  const std::uint16_t want = std::uint16_t((ms & ~down_flag) - 1);
  for (const model::Edge& e : view.edges(s)) {
    if (e.target >= nsw) continue;
    const std::uint16_t mt = row[e.target];
    if (mt == inf) continue;
    if (down) {
      if (p.key[e.target] > p.key[s] && (mt & down_flag) && (mt & ~down_flag) == want) out.push_back(e.local_port);
    } else if (p.key[e.target] < p.key[s] && (mt & ~down_flag) == want) {
      out.push_back(e.local_port);
    }
  }
}

// True when `port` of switch s is one of candidates(s, row).
bool legal_hop(const TopologyView& view, const Plan& p, std::uint32_t s, const std::uint16_t* row, std::uint8_t port) {
  const std::uint32_t nsw = view.switch_count();
  const auto ports = view.ports(s);
  if (port >= ports.size() || !ports[port].linked()) return false;
  const std::uint32_t t = ports[port].peer;
  const std::uint16_t ms = row[s];
  if (t >= nsw || ms == inf || row[t] == inf) return false;
  const std::uint16_t mt = row[t];
  const std::uint16_t want = std::uint16_t((ms & ~down_flag) - 1);
  if (ms & down_flag) return p.key[t] > p.key[s] && (mt & down_flag) && (mt & ~down_flag) == want;
  return p.key[t] < p.key[s] && (mt & ~down_flag) == want;
}

// Ranks (BFS from the roots) and the (rank, GUID order) keys; no rows.
Plan ranking(const TopologyView& view, const std::vector<std::uint32_t>& roots) {
  const std::uint32_t nsw = view.switch_count();
  Plan p;
  // Rank by multi-source BFS from the roots.
  std::vector<std::uint32_t> rank(nsw, UINT32_MAX), q;
  for (std::uint32_t r : roots)
    if (rank[r] == UINT32_MAX) rank[r] = 0, q.push_back(r);
  for (std::size_t h = 0; h < q.size(); ++h)
    for (const model::Edge& e : view.edges(q[h]))
      if (e.target < nsw && rank[e.target] == UINT32_MAX) rank[e.target] = rank[q[h]] + 1, q.push_back(e.target);
  std::vector<std::uint32_t> by_guid(nsw);
  std::iota(by_guid.begin(), by_guid.end(), 0u);
  std::sort(by_guid.begin(), by_guid.end(), [&](auto a, auto b) { return view.guid(a) < view.guid(b); });
  p.key.resize(nsw);
  for (std::uint32_t i = 0; i < nsw; ++i) p.key[by_guid[i]] |= i;
  for (std::uint32_t s = 0; s < nsw; ++s) p.key[s] |= std::uint64_t(rank[s]) << 32;
  p.order.resize(nsw);  // roots first: topological order of "up"
  std::iota(p.order.begin(), p.order.end(), 0u);
  std::sort(p.order.begin(), p.order.end(), [&](auto a, auto b) { return p.key[a] < p.key[b]; });
  return p;
}

Plan plan(const TopologyView& view, const std::vector<std::uint32_t>& roots, unsigned threads) {
  const std::uint32_t nsw = view.switch_count();
  Plan p = ranking(view, roots);
  p.m.assign(std::size_t(nsw) * nsw, inf);
  const unsigned workers = detail::worker_count(threads, nsw);
  std::vector<std::vector<std::uint32_t>> queues(workers);
  detail::parallel_for(nsw, workers, 8, [&](unsigned w, std::size_t di) {
    fill_row(view, p, std::uint32_t(di), p.m.data() + di * nsw, queues[w]);
  });
  for (std::uint32_t d = 0; d < nsw && p.complete; ++d)
    for (std::uint32_t s = 0; s < nsw; ++s)
      if (p.m[std::size_t(d) * nsw + s] == inf) {
        p.complete = false, p.bad_src = s, p.bad_dst = d;
        break;
      }
  return p;
}

class Updn final : public Engine {
 public:
  std::string_view name() const noexcept override { return "updn"; }

  Result<RouteTable> compute(const TopologyView& view, const Options& options) const override {
    const std::uint32_t nsw = view.switch_count();
    if (nsw == 0) return fail(errc::invalid_argument, "updn: the fabric has no switches");
    auto table = RouteTable::create(view, options.lmc);
    if (!table) return fail(std::move(table).error());
    const auto hops = detail::all_pairs_hops(view, options.threads);
    for (std::uint32_t s = 1; s < nsw; ++s)
      if (hops[s] == detail::unreachable_hops)
        return fail(errc::invalid_argument, "updn: the switch graph is not connected: switch " +
                                                model::format_guid(view.guid(s)) + " cannot reach switch " +
                                                model::format_guid(view.guid(0)));
    std::vector<std::uint32_t> roots;
    bool automatic_tree = false;
    if (!options.roots.empty()) {
      for (model::Guid g : options.roots) {
        const auto i = view.find(g);
        if (i == TopologyView::npos)
          return fail(errc::not_found, "updn: root " + model::format_guid(g) + " is not in the fabric");
        if (!view.is_switch(i))
          return fail(errc::invalid_argument, "updn: root " + model::format_guid(g) + " is not a switch");
        roots.push_back(i);
      }
    } else {
      roots = tree_roots(view);
      automatic_tree = !roots.empty();
      if (roots.empty()) roots = {central_switch(view, hops)};
    }
    Plan p = plan(view, roots, options.threads);
    if (!p.complete && automatic_tree) p = plan(view, {central_switch(view, hops)}, options.threads);
    if (!p.complete)
      return fail(errc::invalid_argument, "updn: no up*/down* path from switch " +
                                              model::format_guid(view.guid(p.bad_src)) + " to switch " +
                                              model::format_guid(view.guid(p.bad_dst)) + " with the chosen roots");
    const auto dst = detail::destinations(view, *table);
    detail::fill_balanced(view, *table, dst, options.threads,
                          [&](std::uint32_t s, std::uint32_t d, std::vector<std::uint8_t>& out) {
                            candidates(view, p, s, p.m.data() + std::size_t(d) * nsw, out);
                          });
    table->set_engine("updn");
    return table;
  }

  // Ranks the new view (same root choice as compute(), including its
  // central-switch fallback when the tree roots leave a pair without an
  // up*/down* path), recomputes the columns of the affected LIDs from
  // their up*/down* rows (entries that stay legal and shortest are kept),
  // then checks that the routes are up*/down* under the new ranking (all
  // of them, or only the recomputed columns when the ranking provably did
  // not change): then the channel dependencies are acyclic. If a row is
  // incomplete or a kept route went illegal (the ranking changed), returns
  // not_supported: the caller then computes in full.
  Result<void> reroute(const TopologyView& old_view, const RouteTable&, const TopologyView& view, const Options& options,
                       std::span<const Lid> affected, RouteTable& out) const override {
    const std::uint32_t nsw = view.switch_count();
    if (nsw == 0) return fail(errc::invalid_argument, "updn: the fabric has no switches");
    std::vector<std::uint32_t> roots;
    for (model::Guid g : options.roots) {
      const auto i = view.find(g);
      if (i == TopologyView::npos || !view.is_switch(i))
        return fail(errc::not_supported, "updn: root " + model::format_guid(g) + " is gone");
      roots.push_back(i);
    }
    bool automatic_tree = false;
    if (roots.empty()) {
      roots = tree_roots(view);
      automatic_tree = !roots.empty();
    }
    auto central = [&] { return central_switch(view, detail::all_pairs_hops(view, options.threads)); };
    if (roots.empty()) roots = {central()};
    Plan p = ranking(view, roots);
    std::vector<std::vector<std::uint32_t>> queues(detail::worker_count(options.threads, nsw));
    std::atomic<bool> incomplete{false};
    auto repair = [&] {
      incomplete = false;
      detail::repair_columns(
          view, out, affected, options.threads,
          [&](unsigned w, std::uint32_t d, std::uint16_t* row) {
            if (incomplete.load(std::memory_order_relaxed)) {  // given up: see below
              std::fill(row, row + nsw, inf);
              return;
            }
            fill_row(view, p, d, row, queues[w]);
            if (std::find(row, row + nsw, inf) != row + nsw) incomplete = true;
          },
          [&](std::uint32_t s, const std::uint16_t* row, std::vector<std::uint8_t>& c) {
            candidates(view, p, s, row, c);
          },
          // With an incomplete row this ranking is given up: keep every
          // entry as it is instead of repairing columns for nothing.
          [&](std::uint32_t s, const std::uint16_t* row, std::uint8_t port) {
            return incomplete.load(std::memory_order_relaxed) || legal_hop(view, p, s, row, port);
          });
    };
    // Rows of the switches whose switch links changed first: the ones most
    // likely to have lost an up*/down* path (then this ranking is given up
    // before any column is repaired).
    bool given_up = false;
    {
      std::vector<std::uint16_t> row(nsw);
      for (std::uint32_t s = 0; s < nsw && !given_up; ++s) {
        const auto o = old_view.find(view.guid(s));
        if (o != TopologyView::npos && switch_degree(old_view, o) == switch_degree(view, s)) continue;
        fill_row(view, p, s, row.data(), queues[0]);
        given_up = std::find(row.begin(), row.end(), inf) != row.end();
      }
    }
    if (!given_up) repair();
    const bool fallback = (given_up || incomplete) && automatic_tree;
    if (fallback) {  // as compute() does: one central root
      p = ranking(view, {central()});
      repair();
    } else if (given_up) {
      return fail(errc::not_supported, "updn: no up*/down* path for some pair after the change");
    }
    if (incomplete) return fail(errc::not_supported, "updn: no up*/down* path for some pair after the change");
    // With explicit roots compute() never falls back, so `old` follows the
    // ranking of the roots on old_view; when the change left every rank as
    // it was, the kept columns are still up*/down* and only the repaired
    // ones need checking (every route then up*/down* under one ranking:
    // acyclic channel dependencies). Otherwise the whole table is checked.
    const bool same_ranking = !options.roots.empty() && !fallback && same_ranks(old_view, view, p, options.roots);
    if (!all_legal(view, p, out, options.threads, same_ranking ? affected : std::span<const Lid>{}, !same_ranking))
      return fail(errc::not_supported, "updn: the ranking changed; kept routes would not be up*/down*");
    return {};
  }

 private:
  // True when no route goes down and then up again (each hop checked
  // against the next switch's entry for the same LID).
  // Switch neighbours of switch s (links to other switches).
  static std::uint32_t switch_degree(const TopologyView& view, std::uint32_t s) {
    std::uint32_t n = 0;
    for (const model::Edge& e : view.edges(s)) n += e.target < view.switch_count();
    return n;
  }

  // True when the ranking of `roots` on old_view gives every switch of
  // `view` that old_view has the rank it has in `p`.
  static bool same_ranks(const TopologyView& old_view, const TopologyView& view, const Plan& p,
                         const std::vector<model::Guid>& roots) {
    std::vector<std::uint32_t> old_roots;
    for (model::Guid g : roots) {
      const auto i = old_view.find(g);
      if (i == TopologyView::npos || !old_view.is_switch(i)) return false;
      old_roots.push_back(i);
    }
    const Plan o = ranking(old_view, old_roots);
    for (std::uint32_t s = 0; s < view.switch_count(); ++s) {
      const auto i = old_view.find(view.guid(s));
      if (i == TopologyView::npos || !old_view.is_switch(i)) continue;
      if ((o.key[i] >> 32) != (p.key[s] >> 32)) return false;
    }
    return true;
  }

  // all_legal() over the LIDs in `lids` only (all LIDs when `all`).
  static bool all_legal(const TopologyView& view, const Plan& p, const RouteTable& t, unsigned threads,
                        std::span<const Lid> lids, bool all) {
    if (all) return all_legal(view, p, t, threads);
    const std::uint32_t nsw = view.switch_count();
    for (std::uint32_t s = 0; s < nsw; ++s) {
      const auto ports = view.ports(s);
      const auto lft = t.lft(s);
      for (Lid l : lids) {
        if (l >= lft.size()) continue;
        const std::uint8_t q = lft[l];
        if (q >= ports.size() || !ports[q].linked() || ports[q].peer >= nsw) continue;
        const std::uint32_t n = ports[q].peer;
        if (p.key[n] < p.key[s]) continue;  // up: anything may follow
        const std::uint8_t r = t.lft(n)[l];
        const auto np = view.ports(n);
        if (r < np.size() && np[r].linked() && np[r].peer < nsw && p.key[np[r].peer] < p.key[n]) return false;
      }
    }
    return true;
  }

  static bool all_legal(const TopologyView& view, const Plan& p, const RouteTable& t, unsigned threads) {
    const std::uint32_t nsw = view.switch_count();
    std::vector<std::uint64_t> off(std::size_t(nsw) + 1, 0);
    for (std::uint32_t s = 0; s < nsw; ++s) off[s + 1] = off[s] + view.ports(s).size();
    // 1 = to a switch of higher key (down), 2 = to a switch of lower key (up).
    std::vector<std::uint8_t> dir(off[nsw], 0);
    for (std::uint32_t s = 0; s < nsw; ++s)
      for (const model::Edge& e : view.edges(s))
        if (e.target < nsw) dir[off[s] + e.local_port] = p.key[e.target] > p.key[s] ? 1 : 2;
    const std::size_t space = t.lid_space();
    std::atomic<bool> ok{true};
    detail::parallel_for(nsw, detail::worker_count(threads, nsw), 8, [&](unsigned, std::size_t si) {
      const auto s = std::uint32_t(si);
      const auto ports = view.ports(s);
      const auto lft = t.lft(s);
      for (std::size_t l = 1; l < space; ++l) {
        const std::uint8_t q = lft[l];
        if (q >= ports.size() || dir[off[s] + q] != 1) continue;
        const std::uint32_t n = ports[q].peer;
        const std::uint8_t r = t.lft(n)[l];
        if (r < view.ports(n).size() && dir[off[n] + r] == 2) {
          ok = false;
          return;
        }
      }
    });
    return ok;
  }

  // Switches at the largest distance >= 1 from the switches with endpoints.
  static std::vector<std::uint32_t> tree_roots(const TopologyView& view) {
    const std::uint32_t nsw = view.switch_count();
    std::vector<std::uint32_t> level(nsw, UINT32_MAX), q;
    for (std::uint32_t s = 0; s < nsw; ++s)
      for (const model::Edge& e : view.edges(s))
        if (e.target >= nsw && level[s] == UINT32_MAX) level[s] = 0, q.push_back(s);
    if (q.empty()) return {};
    std::uint32_t top = 0;
    for (std::size_t h = 0; h < q.size(); ++h)
      for (const model::Edge& e : view.edges(q[h]))
        if (e.target < nsw && level[e.target] == UINT32_MAX)
          level[e.target] = level[q[h]] + 1, top = std::max(top, level[e.target]), q.push_back(e.target);
    std::vector<std::uint32_t> roots;
    if (top == 0) return roots;
    for (std::uint32_t s = 0; s < nsw; ++s)
      if (level[s] == top) roots.push_back(s);
    return roots;
  }

  // Smallest eccentricity, lowest GUID on ties.
  static std::uint32_t central_switch(const TopologyView& view, const std::vector<std::uint16_t>& hops) {
    const std::uint32_t nsw = view.switch_count();
    std::uint32_t best = 0;
    std::uint32_t best_ecc = UINT32_MAX;
    for (std::uint32_t s = 0; s < nsw; ++s) {
      std::uint32_t ecc = 0;
      for (std::uint32_t d = 0; d < nsw; ++d) ecc = std::max<std::uint32_t>(ecc, hops[std::size_t(d) * nsw + s]);
      if (ecc < best_ecc || (ecc == best_ecc && view.guid(s) < view.guid(best))) best = s, best_ecc = ecc;
    }
    return best;
  }
};

} // namespace

std::unique_ptr<Engine> make_updn() { return std::make_unique<Updn>(); }

} // namespace ofmf::routing::engines
