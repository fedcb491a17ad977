// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include "routing/engines/updn/updn.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <numeric>

#include "routing/detail/common.hpp"
#include "routing/detail/reroute.hpp"

namespace ofmf::routing::engines {
namespace {

using model::TopologyView;
constexpr std::uint16_t down_flag = 0x8000;
constexpr std::uint16_t inf = detail::unreachable_hops;
constexpr std::uint8_t go_down = 1, go_up = 2;

// Per destination d: m[d*nsw + x] = legal hops from x to d, with down_flag
// set when x uses its down-only path; inf when x cannot reach d.
struct Plan {
  std::vector<std::uint64_t> key;  // (rank << 32) | position in GUID order
  std::vector<std::uint32_t> order;  // switches by key
  // Per switch: its switch neighbours of lower key ("up"), as CSR.
  std::vector<std::uint32_t> up_off, up;
  // Per (switch, port), at switch * 256 + port: the direction of the link
  // (0 = no switch there, go_down, go_up) and the switch it leads to.
  std::vector<std::uint8_t> port_dir;
  std::vector<std::uint32_t> port_peer;
  std::vector<std::uint16_t> m;
  bool complete = true;
  std::uint32_t bad_src = 0, bad_dst = 0;
};

// Row of destination d: down-only distances by a reverse BFS, then the
// switches that go up first, in `order`. Both passes only look at "up"
// neighbours: x -> y goes down exactly when x is an up neighbour of y.
void fill_row(const Plan& p, std::uint32_t d, std::uint16_t* row, std::vector<std::uint32_t>& bq) {
  const auto nsw = std::uint32_t(p.order.size());
  std::fill(row, row + nsw, inf);
  bq.clear();
  // Down-only distances: reverse BFS, from y to x when x -> y goes down.
  row[d] = down_flag;
  bq.push_back(d);
  for (std::size_t h = 0; h < bq.size(); ++h) {
    const std::uint32_t y = bq[h];
    const std::uint16_t next = std::uint16_t((row[y] & ~down_flag) + 1);
    for (std::uint32_t k = p.up_off[y]; k < p.up_off[y + 1]; ++k) {
      const std::uint32_t x = p.up[k];
      if (row[x] == inf) row[x] = std::uint16_t(next | down_flag), bq.push_back(x);
    }
  }
  // The others go up first: 1 + best over up neighbours (already final).
  for (std::uint32_t x : p.order) {
    if (row[x] != inf) continue;
    std::uint16_t best = inf;
    for (std::uint32_t k = p.up_off[x]; k < p.up_off[x + 1]; ++k) {
      const std::uint16_t r = row[p.up[k]];
      if (r != inf) best = std::min<std::uint16_t>(best, std::uint16_t(r & ~down_flag));
    }
    if (best != inf) row[x] = std::uint16_t(best + 1);
  }
}

// Legal next hops of switch s towards one destination; at(x) = the value
// of switch x in the destination's row (see fill_row()).
template <class At>
void candidates_at(const TopologyView& view, const Plan& p, std::uint32_t s, At&& at, std::vector<std::uint8_t>& out) {
  const std::uint16_t ms = at(s);
  if (ms == inf) return;
  const std::uint8_t dir = ms & down_flag ? go_down : go_up;
  const std::uint16_t want = std::uint16_t((ms & ~down_flag) - 1);
  const std::uint8_t* pd = p.port_dir.data() + std::size_t(s) * 256;
  for (const model::Edge& e : view.edges(s)) {
    if (pd[e.local_port] != dir) continue;
    const std::uint16_t mt = at(e.target);
    if (mt == inf || (mt & ~down_flag) != want) continue;
    if (dir == go_up || (mt & down_flag)) out.push_back(e.local_port);
  }
}

void candidates(const TopologyView& view, const Plan& p, std::uint32_t s, const std::uint16_t* row,
                std::vector<std::uint8_t>& out) {
  candidates_at(view, p, s, [row](std::uint32_t x) { return row[x]; }, out);
}

// True when `port` of switch s is one of candidates_at(s, at).
template <class At>
bool legal_hop_at(const Plan& p, std::uint32_t s, At&& at, std::uint8_t port) {
  const std::size_t k = std::size_t(s) * 256 + port;
  const std::uint8_t dir = p.port_dir[k];
  if (dir == 0) return false;
  const std::uint16_t ms = at(s);
  if (ms == inf) return false;
  const std::uint16_t mt = at(p.port_peer[k]);
  if (mt == inf || (mt & ~down_flag) != std::uint16_t((ms & ~down_flag) - 1)) return false;
  return ms & down_flag ? dir == go_down && (mt & down_flag) : dir == go_up;
}

// Every row at once, transposed: m[x * nsw + d] = the value fill_row(d)
// gives switch x. Bit-parallel over the destinations (one bit per
// destination switch): the down-only distances level by level over the
// "down" neighbours, then, in `order`, the switches that go up first take
// the destinations first reached by an up neighbour at the smallest
// level. reached = destinations every switch reaches (one bit each).
struct AllRows {
  std::vector<std::uint16_t> m;
  std::vector<std::uint64_t> reached;
};

AllRows all_rows(const Plan& p) {
  const std::size_t n = p.order.size();
  const std::size_t words = (n + 63) / 64;
  // "Down" neighbours: y for every up neighbour x of y.
  std::vector<std::uint32_t> down_off(n + 1, 0), down(p.up.size());
  for (std::uint32_t y = 0; y < n; ++y)
    for (std::uint32_t k = p.up_off[y]; k < p.up_off[y + 1]; ++k) ++down_off[p.up[k] + 1];
  for (std::size_t x = 0; x < n; ++x) down_off[x + 1] += down_off[x];
  {
    std::vector<std::uint32_t> fill(down_off.begin(), down_off.end() - 1);
    for (std::uint32_t y = 0; y < n; ++y)
      for (std::uint32_t k = p.up_off[y]; k < p.up_off[y + 1]; ++k) down[fill[p.up[k]]++] = y;
  }
  using Level = std::vector<std::uint64_t>;  // n * words
  std::vector<Level> dn, all;                // per level: down-only, and any value
  std::vector<std::uint64_t> seen(n * words, 0);
  dn.emplace_back(n * words, 0);
  for (std::size_t x = 0; x < n; ++x) dn[0][x * words + x / 64] = seen[x * words + x / 64] = std::uint64_t(1) << (x % 64);
  for (;;) {
    Level cur(n * words, 0);
    bool any = false;
    const Level& prev = dn.back();
    for (std::size_t x = 0; x < n; ++x) {
      std::uint64_t* c = cur.data() + x * words;
      for (std::uint32_t k = down_off[x]; k < down_off[x + 1]; ++k) {
        const std::uint64_t* f = prev.data() + std::size_t(down[k]) * words;
        for (std::size_t w = 0; w < words; ++w) c[w] |= f[w];
      }
      std::uint64_t* sx = seen.data() + x * words;
      for (std::size_t w = 0; w < words; ++w) {
        c[w] &= ~sx[w];
        sx[w] |= c[w];
        any |= c[w] != 0;
      }
    }
    if (!any) break;
    dn.push_back(std::move(cur));
  }
  all = dn;
  std::vector<Level> upl(all.size(), Level(n * words, 0));
  std::vector<std::uint64_t> rest(words), c(words);
  std::uint64_t tail = n % 64 ? (std::uint64_t(1) << (n % 64)) - 1 : ~std::uint64_t(0);
  for (std::uint32_t x : p.order) {
    bool left = false;
    for (std::size_t w = 0; w < words; ++w) {
      rest[w] = ~seen[std::size_t(x) * words + w] & (w + 1 == words ? tail : ~std::uint64_t(0));
      left |= rest[w] != 0;
    }
    for (std::size_t h = 0; left && h < all.size(); ++h) {
      std::fill(c.begin(), c.end(), 0);
      for (std::uint32_t k = p.up_off[x]; k < p.up_off[x + 1]; ++k) {
        const std::uint64_t* f = all[h].data() + std::size_t(p.up[k]) * words;
        for (std::size_t w = 0; w < words; ++w) c[w] |= f[w];
      }
      bool found = false;
      for (std::size_t w = 0; w < words; ++w) found |= (c[w] &= rest[w]) != 0;
      if (!found) continue;
      if (h + 1 == all.size()) all.emplace_back(n * words, 0), upl.emplace_back(n * words, 0);
      left = false;
      for (std::size_t w = 0; w < words; ++w) {
        all[h + 1][std::size_t(x) * words + w] |= c[w];
        upl[h + 1][std::size_t(x) * words + w] |= c[w];
        rest[w] &= ~c[w];
        left |= rest[w] != 0;
      }
    }
  }
  AllRows r;
  r.m.assign(n * n, inf);
  r.reached.assign(words, ~std::uint64_t(0));
  r.reached.back() &= tail;
  for (std::size_t x = 0; x < n; ++x) {
    std::uint16_t* row = r.m.data() + x * n;
    for (std::size_t w = 0; w < words; ++w) {
      std::uint64_t got = 0;
      for (std::size_t h = 0; h < all.size(); ++h) {
        got |= all[h][x * words + w];
        if (h < dn.size())
          for (std::uint64_t b = dn[h][x * words + w]; b; b &= b - 1)
            row[w * 64 + std::size_t(std::countr_zero(b))] = std::uint16_t(h | down_flag);
        for (std::uint64_t b = upl[h][x * words + w]; b; b &= b - 1)
          row[w * 64 + std::size_t(std::countr_zero(b))] = std::uint16_t(h);
      }
      r.reached[w] &= got;
    }
  }
  return r;
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
  p.up_off.assign(std::size_t(nsw) + 1, 0);
  p.port_dir.assign(std::size_t(nsw) * 256, 0);
  p.port_peer.assign(std::size_t(nsw) * 256, 0);
  for (std::uint32_t s = 0; s < nsw; ++s) {
    for (const model::Edge& e : view.edges(s)) {
      if (e.target >= nsw) continue;
      const bool up = p.key[e.target] < p.key[s];
      if (up) p.up.push_back(e.target);
      p.port_dir[std::size_t(s) * 256 + e.local_port] = up ? go_up : go_down;
      p.port_peer[std::size_t(s) * 256 + e.local_port] = e.target;
    }
    p.up_off[s + 1] = std::uint32_t(p.up.size());
  }
  return p;
}

Plan plan(const TopologyView& view, const std::vector<std::uint32_t>& roots, unsigned threads) {
  const std::uint32_t nsw = view.switch_count();
  Plan p = ranking(view, roots);
  p.m.assign(std::size_t(nsw) * nsw, inf);
  const unsigned workers = detail::worker_count(threads, nsw);
  std::vector<std::vector<std::uint32_t>> queues(workers);
  detail::parallel_for(nsw, workers, 8, [&](unsigned w, std::size_t di) {
    fill_row(p, std::uint32_t(di), p.m.data() + di * nsw, queues[w]);
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
    auto central = [&] { return central_by_ecc(view, detail::eccentricities(detail::switch_graph(view))); };
    if (roots.empty()) roots = {central()};
    Plan p = ranking(view, roots);
    std::vector<std::vector<std::uint32_t>> queues(detail::worker_count(options.threads, nsw));
    std::atomic<bool> incomplete{false};
    // Rows of the destinations of the affected LIDs, then the columns.
    // Many destinations: all rows at once (bit-parallel), else one by one.
    auto repair = [&] {
      incomplete = false;
      const auto dst = detail::destinations(view, out);
      const auto dsw = detail::destination_switches(dst, nsw, affected);
      std::vector<std::uint16_t> m;
      std::vector<std::uint32_t> row_of(nsw, TopologyView::npos);
      const bool transposed = dsw.size() * 8 >= nsw;
      if (transposed) {
        AllRows r = all_rows(p);
        for (std::uint32_t d : dsw)
          if (!(r.reached[d / 64] >> (d % 64) & 1)) incomplete = true;
        m = std::move(r.m);
      } else {
        m.resize(dsw.size() * nsw);
        for (std::uint32_t i = 0; i < dsw.size(); ++i) row_of[dsw[i]] = i;
        detail::parallel_for(dsw.size(), detail::worker_count(options.threads, dsw.size()), 2,
                             [&](unsigned w, std::size_t i) {
                               std::uint16_t* row = m.data() + i * nsw;
                               fill_row(p, dsw[i], row, queues[w]);
                               if (std::find(row, row + nsw, inf) != row + nsw) incomplete = true;
                             });
      }
      if (incomplete) return;  // this ranking is given up (see below)
      auto at = [&](std::uint32_t d) {
        return [&m, d, nsw, transposed, o = transposed ? 0 : std::size_t(row_of[d]) * nsw](std::uint32_t x) {
          return transposed ? m[std::size_t(x) * nsw + d] : m[o + x];
        };
      };
      detail::repair_columns_to(
          view, out, dst, affected, options.threads,
          [&](std::uint32_t s, std::uint32_t d, std::vector<std::uint8_t>& c) { candidates_at(view, p, s, at(d), c); },
          [&](std::uint32_t s, std::uint32_t d, std::uint8_t port) { return legal_hop_at(p, s, at(d), port); });
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
        fill_row(p, s, row.data(), queues[0]);
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
      const auto lft = t.lft(s);
      const std::uint8_t* dir = p.port_dir.data() + std::size_t(s) * 256;
      const std::uint32_t* peer = p.port_peer.data() + std::size_t(s) * 256;
      for (Lid l : lids) {
        if (l >= lft.size()) continue;
        const std::uint8_t q = lft[l];
        if (dir[q] != go_down) continue;  // up (anything may follow) or no switch
        const std::uint32_t n = peer[q];
        if (p.port_dir[std::size_t(n) * 256 + t.lft(n)[l]] == go_up) return false;
      }
    }
    return true;
  }

  // True when no route goes down and then up again (each hop checked
  // against the next switch's entry for the same LID).
  static bool all_legal(const TopologyView& view, const Plan& p, const RouteTable& t, unsigned threads) {
    const std::uint32_t nsw = view.switch_count();
    const std::size_t space = t.lid_space();
    std::atomic<bool> ok{true};
    detail::parallel_for(nsw, detail::worker_count(threads, nsw), 8, [&](unsigned, std::size_t si) {
      if (!ok.load(std::memory_order_relaxed)) return;
      const std::uint8_t* lft = t.lft(std::uint32_t(si)).data();
      const std::uint8_t* dir = p.port_dir.data() + si * 256;
      const std::uint32_t* peer = p.port_peer.data() + si * 256;
      for (std::size_t l = 1; l < space; ++l) {
        const std::uint8_t q = lft[l];
        if (dir[q] != go_down) continue;
        const std::uint32_t n = peer[q];
        if (p.port_dir[std::size_t(n) * 256 + t.lft(n)[l]] == go_up) {
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

  // Smallest eccentricity (given per switch), lowest GUID on ties.
  static std::uint32_t central_by_ecc(const TopologyView& view, const std::vector<std::uint16_t>& ecc) {
    std::uint32_t best = 0;
    for (std::uint32_t s = 1; s < view.switch_count(); ++s)
      if (ecc[s] < ecc[best] || (ecc[s] == ecc[best] && view.guid(s) < view.guid(best))) best = s;
    return best;
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
