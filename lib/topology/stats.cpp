// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include "ofmf/topology/stats.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <span>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace ofmf::topology {
namespace {

using model::TopologyView;
using Index = TopologyView::Index;

// ---------------------------------------------------------------------------
// Helpers

// Runs work(worker, item) for item in [0, count) on up to `threads` threads
// (worker < the returned number of workers, see worker_count()). Items
// are handed out through an atomic counter; callers make the combined
// result independent of which thread ran which item. If a thread cannot be
// started the remaining work runs on the threads that did start (at least
// the calling one), so nothing but std::bad_alloc escapes.
unsigned worker_count(unsigned threads, std::size_t count) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  return unsigned(std::max<std::size_t>(1, std::min<std::size_t>(threads, count)));
}

template <class Work>
void parallel_for(unsigned threads, std::size_t count, Work&& work) {
  if (count == 0) return;
  threads = worker_count(threads, count);
  std::atomic<std::size_t> next{0};
  auto run = [&](unsigned worker) {
    for (std::size_t i = next.fetch_add(1, std::memory_order_relaxed); i < count;
         i = next.fetch_add(1, std::memory_order_relaxed))
      work(worker, i);
  };
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (unsigned t = 1; t < threads; ++t) {
    try {
      pool.emplace_back(run, t);
    } catch (const std::system_error&) {
      break;  // run with the threads we have
    }
  }
  run(0);
  for (auto& th : pool) th.join();
}

DegreeStats degree_stats(const std::vector<unsigned>& v) {
  DegreeStats d;
  if (v.empty()) return d;
  d.min = *std::min_element(v.begin(), v.end());
  d.max = *std::max_element(v.begin(), v.end());
  double sum = 0.0;
  for (unsigned x : v) sum += x;
  d.mean = sum / double(v.size());
  double sq = 0.0;
  for (unsigned x : v) sq += (x - d.mean) * (x - d.mean);
  d.stddev = std::sqrt(sq / double(v.size()));
  return d;
}

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// Compressed adjacency with optional edge weights.
struct Csr {
  std::vector<std::uint32_t> offset;  // size n+1
  std::vector<std::uint32_t> target;
  std::vector<std::uint32_t> weight;  // parallel to target (may be empty)
  std::uint32_t size() const noexcept { return std::uint32_t(offset.size() - 1); }
};

// Builds a CSR from undirected (a, b) pairs, a != b: both directions,
// duplicates merged (their count becomes the weight).
Csr build_csr(std::uint32_t n, std::vector<std::pair<std::uint32_t, std::uint32_t>>& pairs) {
  const std::size_t m = pairs.size();
  pairs.reserve(2 * m);
  for (std::size_t i = 0; i < m; ++i) pairs.emplace_back(pairs[i].second, pairs[i].first);
  std::sort(pairs.begin(), pairs.end());
  Csr g;
  g.offset.assign(n + 1, 0);
  for (std::size_t i = 0; i < pairs.size();) {
    std::size_t j = i;
    while (j < pairs.size() && pairs[j] == pairs[i]) ++j;
    g.target.push_back(pairs[i].second);
    g.weight.push_back(std::uint32_t(j - i));
    ++g.offset[pairs[i].first + 1];
    i = j;
  }
  for (std::uint32_t v = 0; v < n; ++v) g.offset[v + 1] += g.offset[v];
  return g;
}

// ---------------------------------------------------------------------------
// Diameter
//
// Terminals are the endpoints (the switches when there are none). Terminals
// are grouped by the set S of switches they link to ("signature"); every
// group is one BFS source over the switch graph, seeded with all of S
// (multi-source), and the distance between two terminals of groups g, h is
// min over t in S(h) of dist(S(g), t) + 2 (+0 when terminals are switches).
// Pairs linked directly have distance 1. Sources are processed 64 at a time
// with one bit per source (multi-source BFS with bit sets): the frontier of
// a level is a list of switches, each with the word of sources that reached
// it at that level.

struct DiameterInput {
  std::uint32_t n_switch = 0;
  const Csr* switch_graph = nullptr;
  std::uint32_t n_groups = 0;
  std::vector<std::uint32_t> group_size;
  std::vector<std::uint32_t> group_seed_offset;  // S(g) as a CSR
  std::vector<std::uint32_t> group_seed;
  std::vector<std::uint32_t> switch_group_offset;  // groups whose S contains switch v
  std::vector<std::uint32_t> switch_group;
  // Group pairs (g, h) whose every terminal pair is linked directly, both
  // orders, sorted.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> covered;
  int offset = 2;  // added to switch distances
};

struct BfsScratch {
  std::vector<std::uint64_t> seen, frontier, next, reached;
  std::vector<std::uint32_t> active, next_active;
};

// Returns the largest terminal distance from the sources of batch `batch`
// (-1 if no pair counted); sets *unreachable when some pair is not
// connected.
int diameter_batch(const DiameterInput& in, std::uint32_t batch, BfsScratch& s, bool* unreachable) {
  const Csr& g = *in.switch_graph;
  const std::uint32_t first = batch * 64;
  const std::uint32_t count = std::min<std::uint32_t>(64, in.n_groups - first);
  const std::uint64_t valid = count == 64 ? ~0ull : ((1ull << count) - 1);
  std::fill(s.seen.begin(), s.seen.end(), 0);
  std::fill(s.reached.begin(), s.reached.end(), ~valid);
  int best = -1;
  // A terminal alone in its group has no partner there.
  for (std::uint32_t b = 0; b < count; ++b)
    if (in.group_size[first + b] < 2) s.reached[first + b] |= 1ull << b;
  // Pairs linked directly: distance 1, never via the switches.
  {
    auto it = std::lower_bound(in.covered.begin(), in.covered.end(), std::make_pair(first, 0u));
    for (; it != in.covered.end() && it->first < first + count; ++it) {
      s.reached[it->second] |= 1ull << (it->first - first);
      best = std::max(best, 1);
    }
  }
  s.active.clear();
  for (std::uint32_t b = 0; b < count; ++b) {
    const std::uint32_t grp = first + b;
    for (std::uint32_t k = in.group_seed_offset[grp]; k < in.group_seed_offset[grp + 1]; ++k) {
      const std::uint32_t v = in.group_seed[k];
      if (s.frontier[v] == 0) s.active.push_back(v);
      s.frontier[v] |= 1ull << b;
      s.seen[v] |= 1ull << b;
    }
  }
  int level = 0;
  while (!s.active.empty()) {
    // Terminal groups attached to the switches reached at this level.
    for (std::uint32_t v : s.active) {
      const std::uint64_t bits = s.frontier[v];
      for (std::uint32_t k = in.switch_group_offset[v]; k < in.switch_group_offset[v + 1]; ++k) {
        std::uint64_t& r = s.reached[in.switch_group[k]];
        if (bits & ~r) {
          r |= bits;
          best = std::max(best, level + in.offset);
        }
      }
    }
    // Next level.
    s.next_active.clear();
    for (std::uint32_t u : s.active) {
      const std::uint64_t f = s.frontier[u];
      for (std::uint32_t k = g.offset[u]; k < g.offset[u + 1]; ++k) {
        const std::uint32_t v = g.target[k];
        const std::uint64_t add = f & ~s.seen[v];
        if (!add) continue;
        if (s.next[v] == 0) s.next_active.push_back(v);
        s.next[v] |= add;
        s.seen[v] |= add;
      }
    }
    for (std::uint32_t u : s.active) s.frontier[u] = 0;
    for (std::uint32_t v : s.next_active) {
      s.frontier[v] = s.next[v];
      s.next[v] = 0;
    }
    std::swap(s.active, s.next_active);
    ++level;
  }
  for (std::uint32_t h = 0; h < in.n_groups; ++h)
    if (s.reached[h] != ~0ull) {
      *unreachable = true;
      break;
    }
  return best;
}

int compute_diameter(const TopologyView& view, const Csr& switch_graph, unsigned threads, bool* between_switches) {
  const Index n = view.node_count();
  const Index ns = view.switch_count();
  DiameterInput in;
  in.n_switch = ns;
  in.switch_graph = &switch_graph;
  *between_switches = (n == ns);
  if (n == ns) {
    // Every switch is a terminal group of its own.
    in.offset = 0;
    in.n_groups = ns;
    in.group_size.assign(ns, 1);
    in.group_seed_offset.resize(ns + 1);
    in.group_seed.resize(ns);
    for (Index v = 0; v <= ns; ++v) in.group_seed_offset[v] = v;
    for (Index v = 0; v < ns; ++v) in.group_seed[v] = v;
  } else {
    // Signatures of the endpoints: sorted distinct switches they link to.
    const Index ne = n - ns;
    std::vector<std::uint32_t> sig_off(ne + 1, 0), sig;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> direct;  // endpoint pairs linked directly
    for (Index e = 0; e < ne; ++e) {
      const std::size_t start = sig.size();
      for (const auto& edge : view.edges(ns + e)) {
        if (edge.target < ns)
          sig.push_back(edge.target);
        else if (edge.target > ns + e)
          direct.emplace_back(e, edge.target - ns);
      }
      std::sort(sig.begin() + std::ptrdiff_t(start), sig.end());
      sig.erase(std::unique(sig.begin() + std::ptrdiff_t(start), sig.end()), sig.end());
      sig_off[e + 1] = std::uint32_t(sig.size());
    }
    auto sig_of = [&](std::uint32_t e) {
      return std::span<const std::uint32_t>(sig.data() + sig_off[e], sig.data() + sig_off[e + 1]);
    };
    std::vector<std::uint32_t> order(ne);
    for (Index e = 0; e < ne; ++e) order[e] = e;
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
      auto sa = sig_of(a), sb = sig_of(b);
      if (std::lexicographical_compare(sa.begin(), sa.end(), sb.begin(), sb.end())) return true;
      if (std::lexicographical_compare(sb.begin(), sb.end(), sa.begin(), sa.end())) return false;
      return a < b;
    });
    std::vector<std::uint32_t> group_of(ne);
    in.group_seed_offset.push_back(0);
    for (std::size_t i = 0; i < order.size(); ++i) {
      const auto cur = sig_of(order[i]);
      if (i == 0 || !std::equal(cur.begin(), cur.end(), sig_of(order[i - 1]).begin(), sig_of(order[i - 1]).end())) {
        in.group_size.push_back(0);
        in.group_seed.insert(in.group_seed.end(), cur.begin(), cur.end());
        in.group_seed_offset.push_back(std::uint32_t(in.group_seed.size()));
      }
      group_of[order[i]] = std::uint32_t(in.group_size.size() - 1);
      ++in.group_size.back();
    }
    in.n_groups = std::uint32_t(in.group_size.size());
    // Group pairs whose every terminal pair is linked directly.
    std::sort(direct.begin(), direct.end());
    direct.erase(std::unique(direct.begin(), direct.end()), direct.end());
    std::vector<std::pair<std::uint32_t, std::uint32_t>> gp;
    gp.reserve(direct.size());
    for (auto [a, b] : direct) gp.emplace_back(std::min(group_of[a], group_of[b]), std::max(group_of[a], group_of[b]));
    std::sort(gp.begin(), gp.end());
    for (std::size_t i = 0; i < gp.size();) {
      std::size_t j = i;
      while (j < gp.size() && gp[j] == gp[i]) ++j;
      const auto [a, b] = gp[i];
      const std::uint64_t pairs = a == b ? std::uint64_t(in.group_size[a]) * (in.group_size[a] - 1) / 2
                                         : std::uint64_t(in.group_size[a]) * in.group_size[b];
      if (j - i == pairs) {
        in.covered.emplace_back(a, b);
        if (a != b) in.covered.emplace_back(b, a);
      }
      i = j;
    }
    std::sort(in.covered.begin(), in.covered.end());
  }
  // Reverse index: switch -> groups seeded there.
  in.switch_group_offset.assign(ns + 1, 0);
  for (std::uint32_t v : in.group_seed) ++in.switch_group_offset[v + 1];
  for (Index v = 0; v < ns; ++v) in.switch_group_offset[v + 1] += in.switch_group_offset[v];
  in.switch_group.resize(in.group_seed.size());
  {
    std::vector<std::uint32_t> fill(in.switch_group_offset.begin(), in.switch_group_offset.end() - 1);
    for (std::uint32_t grp = 0; grp < in.n_groups; ++grp)
      for (std::uint32_t k = in.group_seed_offset[grp]; k < in.group_seed_offset[grp + 1]; ++k)
        in.switch_group[fill[in.group_seed[k]]++] = grp;
  }

  const std::uint32_t batches = (in.n_groups + 63) / 64;
  std::vector<BfsScratch> scratch(worker_count(threads, batches));
  std::vector<int> best(batches, -1);
  std::atomic<bool> unreachable{false};
  parallel_for(threads, batches, [&](unsigned worker, std::size_t b) {
    if (unreachable.load(std::memory_order_relaxed)) return;
    BfsScratch& s = scratch[worker];
    if (s.seen.empty()) {
      s.seen.assign(ns, 0);
      s.frontier.assign(ns, 0);
      s.next.assign(ns, 0);
      s.reached.assign(in.n_groups, 0);
      s.active.reserve(ns);
      s.next_active.reserve(ns);
    }
    bool unr = false;
    best[b] = diameter_batch(in, std::uint32_t(b), s, &unr);
    if (unr) unreachable.store(true);
  });
  if (unreachable.load()) return -1;
  int result = 0;
  for (int b : best) result = std::max(result, b);
  return result;
}

// ---------------------------------------------------------------------------
// Bisection
//
// Partition graph: one vertex per switch, plus one per endpoint that does
// not link to exactly one switch (multi-homed, linked to other endpoints, or
// unlinked). An endpoint whose links all go to one switch is folded into
// that switch and gives it weight 1. Every link maps
// to an edge between the vertices of its ends (links inside a vertex are
// never cut). Without endpoints each switch weighs 1.
//
// Each start grows half of the weight by BFS from a seed vertex, then runs
// Fiduccia-Mattheyses passes (gain buckets, moves within a balance slack of
// the heaviest vertex, best prefix kept). The objective is cut + excess,
// where excess is how far side A's weight is from floor/ceil(W/2): with
// endpoints an excess endpoint can be cut off its switch for one link;
// without endpoints only balanced states count. The result of a start is
// the exact number of crossing links of the full node assignment after
// moving excess endpoints across, so every value is a real balanced cut.

struct PartGraph {
  Csr g;
  std::vector<std::uint32_t> vertex_weight;
  std::vector<std::uint32_t> rep;  // node -> vertex
  std::uint64_t total_weight = 0;
  std::uint32_t max_weight = 0;
  std::uint32_t max_degree = 0;  // weighted
  bool endpoints = false;
  bool strict = false;  // only exactly balanced states count
};

// `fold` = false gives the full node graph: one vertex per node, the
// terminals weighing 1.
PartGraph build_part_graph(const TopologyView& view, bool fold) {
  PartGraph p;
  const Index n = view.node_count();
  const Index ns = view.switch_count();
  p.endpoints = n > ns;
  p.strict = !p.endpoints || !fold;
  p.rep.assign(n, 0);
  std::uint32_t nv = ns;
  for (Index v = 0; v < ns; ++v) p.rep[v] = v;
  for (Index e = ns; e < n && !fold; ++e) p.rep[e] = nv++;
  for (Index e = ns; e < n && fold; ++e) {
    // Folded when every link goes to one switch.
    std::uint32_t home = UINT32_MAX;
    bool single = true;
    for (const auto& edge : view.edges(e)) {
      if (edge.target >= ns || (home != UINT32_MAX && edge.target != home)) single = false;
      home = edge.target;
    }
    p.rep[e] = single && home != UINT32_MAX ? home : nv++;
  }
  p.vertex_weight.assign(nv, p.endpoints ? 0 : 1);
  if (p.endpoints)
    for (Index e = ns; e < n; ++e) ++p.vertex_weight[p.rep[e]];
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  for (Index u = 0; u < n; ++u)
    for (const auto& edge : view.edges(u))
      if (u < edge.target && p.rep[u] != p.rep[edge.target]) pairs.emplace_back(p.rep[u], p.rep[edge.target]);
  p.g = build_csr(nv, pairs);
  for (std::uint32_t w : p.vertex_weight) {
    p.total_weight += w;
    p.max_weight = std::max(p.max_weight, w);
  }
  for (std::uint32_t v = 0; v < nv; ++v) {
    std::uint32_t d = 0;
    for (std::uint32_t k = p.g.offset[v]; k < p.g.offset[v + 1]; ++k) d += p.g.weight[k];
    p.max_degree = std::max(p.max_degree, d);
  }
  return p;
}

class FmSearch {
 public:
  explicit FmSearch(const PartGraph& p)
      : p_(p), n_(p.g.size()), side_(n_, 0), gain_(n_, 0), prev_(n_, -1), next_(n_, -1), locked_(n_, 0) {
    lo_ = std::int64_t(p.total_weight / 2);
    hi_ = std::int64_t((p.total_weight + 1) / 2);
    const std::int64_t slack = std::max<std::int64_t>(1, p.max_weight);
    min_a_ = lo_ - slack;
    max_a_ = hi_ + slack;
    std::int64_t total_edges = 0;
    for (std::uint32_t w : p.g.weight) total_edges += w;
    penalty_ = p.strict ? total_edges + 1 : 1;
    max_gain_ = std::int64_t(p.max_degree);
    for (auto& h : head_) h.assign(std::size_t(2 * max_gain_ + 1), -1);
  }

  // Grows side 0 by BFS from `seed` until it holds half of the weight.
  void initial(std::uint32_t seed) {
    std::fill(side_.begin(), side_.end(), 1);
    std::vector<std::uint8_t> seen(n_, 0);
    std::vector<std::uint32_t> queue;
    queue.reserve(n_);
    std::int64_t wa = 0;
    std::uint32_t next_root = 0;
    std::size_t head = 0;
    queue.push_back(seed);
    seen[seed] = 1;
    while (wa < lo_) {
      if (head == queue.size()) {
        while (next_root < n_ && seen[next_root]) ++next_root;
        if (next_root == n_) break;
        seen[next_root] = 1;
        queue.push_back(next_root);
      }
      const std::uint32_t v = queue[head++];
      side_[v] = 0;
      wa += p_.vertex_weight[v];
      for (std::uint32_t k = p_.g.offset[v]; k < p_.g.offset[v + 1]; ++k) {
        const std::uint32_t u = p_.g.target[k];
        if (!seen[u]) {
          seen[u] = 1;
          queue.push_back(u);
        }
      }
    }
  }

  // Starts from given sides (0/1 per vertex).
  void set_sides(std::vector<std::uint8_t> sides) { side_ = std::move(sides); }

  // Runs FM passes until one does not improve.
  void refine(unsigned max_passes = 24) {
    for (unsigned pass = 0; pass < max_passes; ++pass)
      if (!fm_pass()) break;
  }

  const std::vector<std::uint8_t>& sides() const noexcept { return side_; }

 private:
  std::int64_t excess(std::int64_t wa) const noexcept {
    return wa < lo_ ? lo_ - wa : (wa > hi_ ? wa - hi_ : 0);
  }
  std::int64_t objective(std::int64_t cut, std::int64_t wa) const noexcept { return cut + penalty_ * excess(wa); }

  void insert(std::uint32_t v) {
    const int s = side_[v];
    const std::size_t b = std::size_t(gain_[v] + max_gain_);
    prev_[v] = -1;
    next_[v] = head_[s][b];
    if (next_[v] >= 0) prev_[std::size_t(next_[v])] = std::int32_t(v);
    head_[s][b] = std::int32_t(v);
    top_[s] = std::max(top_[s], std::int64_t(b));
  }
  void remove(std::uint32_t v) {
    const int s = side_[v];
    const std::size_t b = std::size_t(gain_[v] + max_gain_);
    if (prev_[v] >= 0)
      next_[std::size_t(prev_[v])] = next_[v];
    else
      head_[s][b] = next_[v];
    if (next_[v] >= 0) prev_[std::size_t(next_[v])] = prev_[v];
  }

  // Highest-gain unlocked vertex of side s whose move keeps the balance
  // within the slack, or -1. Looks at a bounded number of candidates.
  std::int64_t pick(int s, std::int64_t wa) {
    while (top_[s] >= 0 && head_[s][std::size_t(top_[s])] < 0) --top_[s];
    int budget = 64;
    for (std::int64_t b = top_[s]; b >= 0 && budget > 0; --b)
      for (std::int32_t v = head_[s][std::size_t(b)]; v >= 0 && budget > 0; v = next_[std::size_t(v)], --budget) {
        const std::int64_t w = p_.vertex_weight[std::size_t(v)];
        const std::int64_t after = s == 0 ? wa - w : wa + w;
        if (after >= min_a_ && after <= max_a_) return v;
      }
    return -1;
  }

  bool fm_pass() {
    std::int64_t cut = 0, wa = 0;
    top_[0] = top_[1] = -1;
    for (auto& h : head_) std::fill(h.begin(), h.end(), -1);
    for (std::uint32_t v = 0; v < n_; ++v) {
      if (side_[v] == 0) wa += p_.vertex_weight[v];
      std::int64_t g = 0;
      for (std::uint32_t k = p_.g.offset[v]; k < p_.g.offset[v + 1]; ++k) {
        const std::int64_t w = p_.g.weight[k];
        if (side_[p_.g.target[k]] != side_[v]) {
          g += w;
          if (v < p_.g.target[k]) cut += w;
        } else {
          g -= w;
        }
      }
      gain_[v] = g;
      locked_[v] = 0;
      insert(v);
    }
    const std::int64_t start_obj = objective(cut, wa);
    const std::int64_t start_excess = excess(wa);
    std::int64_t best_obj = start_obj, best_excess = start_excess;
    std::size_t best_len = 0;
    moves_.clear();
    for (;;) {
      const std::int64_t c0 = pick(0, wa), c1 = pick(1, wa);
      if (c0 < 0 && c1 < 0) break;
      std::uint32_t v;
      if (c0 < 0)
        v = std::uint32_t(c1);
      else if (c1 < 0)
        v = std::uint32_t(c0);
      else if (gain_[std::size_t(c0)] != gain_[std::size_t(c1)])
        v = std::uint32_t(gain_[std::size_t(c0)] > gain_[std::size_t(c1)] ? c0 : c1);
      else  // equal gains: move off the heavier side
        v = std::uint32_t(2 * wa >= std::int64_t(p_.total_weight) ? c0 : c1);
      remove(v);
      locked_[v] = 1;
      cut -= gain_[v];
      const std::uint8_t from = side_[v];
      wa += from == 0 ? -std::int64_t(p_.vertex_weight[v]) : std::int64_t(p_.vertex_weight[v]);
      side_[v] = std::uint8_t(1 - from);
      for (std::uint32_t k = p_.g.offset[v]; k < p_.g.offset[v + 1]; ++k) {
        const std::uint32_t u = p_.g.target[k];
        if (locked_[u]) continue;
        remove(u);
        gain_[u] += side_[u] == from ? 2 * std::int64_t(p_.g.weight[k]) : -2 * std::int64_t(p_.g.weight[k]);
        insert(u);
      }
      moves_.push_back(v);
      const std::int64_t obj = objective(cut, wa), ex = excess(wa);
      if (obj < best_obj || (obj == best_obj && ex < best_excess)) {
        best_obj = obj;
        best_excess = ex;
        best_len = moves_.size();
      }
    }
    for (std::size_t i = moves_.size(); i > best_len; --i) side_[moves_[i - 1]] ^= 1;
    return best_obj < start_obj || (best_obj == start_obj && best_excess < start_excess);
  }

  const PartGraph& p_;
  std::uint32_t n_;
  std::vector<std::uint8_t> side_;
  std::vector<std::int64_t> gain_;
  std::vector<std::int32_t> prev_, next_;
  std::vector<std::uint8_t> locked_;
  std::vector<std::int32_t> head_[2];
  std::int64_t top_[2] = {-1, -1};
  std::vector<std::uint32_t> moves_;
  std::int64_t lo_ = 0, hi_ = 0, min_a_ = 0, max_a_ = 0, penalty_ = 1, max_gain_ = 0;
};

// The node assignment that follows from the vertex sides of the folded
// graph, with excess endpoints moved to the lighter side: balanced.
std::vector<std::uint8_t> node_sides(const TopologyView& view, const PartGraph& p,
                                     const std::vector<std::uint8_t>& vertex_side) {
  const Index n = view.node_count();
  const Index ns = view.switch_count();
  std::vector<std::uint8_t> side(n);
  for (Index v = 0; v < n; ++v) side[v] = vertex_side[p.rep[v]];
  if (p.endpoints) {
    const std::int64_t ne = n - ns;
    std::int64_t on_a = 0;
    for (Index e = ns; e < n; ++e) on_a += side[e] == 0;
    std::int64_t move = 0;
    std::uint8_t heavy = 0;
    if (on_a > (ne + 1) / 2) {
      move = on_a - (ne + 1) / 2;
      heavy = 0;
    } else if (on_a < ne / 2) {
      move = ne / 2 - on_a;
      heavy = 1;
    }
    if (move > 0) {
      // Cheapest endpoints first: links kept on the heavy side minus links
      // to the light side is what moving one adds to the cut.
      std::vector<std::pair<std::int64_t, Index>> cand;
      for (Index e = ns; e < n; ++e) {
        if (side[e] != heavy) continue;
        std::int64_t d = 0;
        for (const auto& edge : view.edges(e))
          if (edge.target != e) d += side[edge.target] == heavy ? 1 : -1;
        cand.emplace_back(d, e);
      }
      std::sort(cand.begin(), cand.end());
      for (std::int64_t i = 0; i < move; ++i) side[cand[std::size_t(i)].second] = std::uint8_t(1 - heavy);
    }
  }
  return side;
}

// Links crossing a node assignment.
long long crossing_links(const TopologyView& view, const std::vector<std::uint8_t>& side) {
  long long cut = 0;
  for (Index u = 0; u < view.node_count(); ++u)
    for (const auto& edge : view.edges(u))
      if (u < edge.target && side[u] != side[edge.target]) ++cut;
  return cut;
}

long long compute_bisection(const TopologyView& view, const StatsOptions& options) {
  const PartGraph coarse = build_part_graph(view, true);
  const std::uint32_t nv = coarse.g.size();
  if (nv == 0) return 0;
  // With endpoints, refine each coarse result on the full node graph (which
  // can place an endpoint apart from its switch) under strict balance.
  PartGraph full;
  if (coarse.endpoints) full = build_part_graph(view, false);
  const unsigned starts = std::max(1u, std::min<unsigned>(options.bisection_starts, nv));
  std::vector<std::uint32_t> seeds(starts);
  std::uint64_t rng = options.seed;
  for (unsigned i = 0; i < starts; ++i) seeds[i] = std::uint32_t(splitmix64(rng) % nv);
  std::vector<long long> result(starts, -1);
  parallel_for(options.threads, starts, [&](unsigned, std::size_t i) {
    FmSearch fm(coarse);
    fm.initial(seeds[i]);
    fm.refine();
    std::vector<std::uint8_t> side = node_sides(view, coarse, fm.sides());
    if (coarse.endpoints) {
      FmSearch fine(full);
      std::vector<std::uint8_t> vs(full.g.size());
      for (Index v = 0; v < view.node_count(); ++v) vs[full.rep[v]] = side[v];
      fine.set_sides(std::move(vs));
      fine.refine();
      for (Index v = 0; v < view.node_count(); ++v) side[v] = fine.sides()[full.rep[v]];
    }
    result[i] = crossing_links(view, side);
  });
  return *std::min_element(result.begin(), result.end());
}

} // namespace

TopologyStats compute_stats(const model::TopologyView& view, const StatsOptions& options) {
  TopologyStats st;
  const Index n = view.node_count();
  const Index ns = view.switch_count();
  st.nodes = n;
  st.switches = ns;
  st.links = view.link_count();
  for (Index v = 0; v < n; ++v) {
    if (view.type(v) == model::NodeType::ChannelAdapter) ++st.channel_adapters;
    if (view.type(v) == model::NodeType::Router) ++st.routers;
    st.ports += view.num_ports(v);
    const auto ports = view.ports(v);
    for (std::size_t p = 1; p < ports.size(); ++p) st.linked_ports += ports[p].linked();
  }

  // Per-switch degrees and the switch graph (distinct neighbours).
  std::vector<unsigned> sw_deg(ns, 0), ep_deg(ns, 0);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> sw_pairs;
  std::size_t sw_directed = 0;
  for (Index v = 0; v < ns; ++v)
    for (const auto& e : view.edges(v)) {
      if (e.target < ns) {
        ++sw_deg[v];
        ++sw_directed;
        if (v < e.target) sw_pairs.emplace_back(v, e.target);
      } else {
        ++ep_deg[v];
      }
    }
  // A switch linked to itself (two of its ports) counts twice in edges().
  st.switch_links = sw_directed / 2;
  st.switch_degree = degree_stats(sw_deg);
  st.endpoints_per_switch = degree_stats(ep_deg);

  // Connected components over all nodes.
  {
    std::vector<std::uint8_t> seen(n, 0);
    std::vector<Index> stack;
    for (Index r = 0; r < n; ++r) {
      if (seen[r]) continue;
      ++st.components;
      seen[r] = 1;
      stack.push_back(r);
      while (!stack.empty()) {
        const Index u = stack.back();
        stack.pop_back();
        for (const auto& e : view.edges(u))
          if (!seen[e.target]) {
            seen[e.target] = 1;
            stack.push_back(e.target);
          }
      }
    }
  }

  if (options.diameter) {
    Csr sg = build_csr(ns, sw_pairs);
    sg.weight.clear();
    st.diameter = compute_diameter(view, sg, options.threads, &st.diameter_between_switches);
    st.diameter_computed = true;
  }
  if (options.bisection) {
    st.bisection_width = compute_bisection(view, options);
    st.bisection_computed = true;
  }
  return st;
}

std::string format_stats(const TopologyStats& s) {
  std::string out;
  char buf[256];
  auto line = [&](const char* name, const std::string& value) {
    std::snprintf(buf, sizeof buf, "%-18s %s\n", name, value.c_str());
    out += buf;
  };
  auto num = [](std::size_t v) { return std::to_string(v); };
  auto deg = [&](const DegreeStats& d) {
    char b[160];
    std::snprintf(b, sizeof b, "min %u, max %u, mean %.2f, stddev %.2f", d.min, d.max, d.mean, d.stddev);
    return std::string(b);
  };
  line("nodes:", num(s.nodes) + " (" + num(s.switches) + " switches, " + num(s.channel_adapters) +
                     " channel adapters, " + num(s.routers) + " routers)");
  line("ports:", num(s.ports) + " (" + num(s.linked_ports) + " linked)");
  line("links:", num(s.links) + " (" + num(s.switch_links) + " switch-switch)");
  line("switch degree:", deg(s.switch_degree));
  line("endpoints/switch:", deg(s.endpoints_per_switch));
  line("components:", num(s.components));
  if (!s.diameter_computed)
    line("diameter:", "not computed");
  else if (s.diameter < 0)
    line("diameter:", "infinite (not all pairs connected)");
  else
    line("diameter:", std::to_string(s.diameter) + " links (between " +
                          (s.diameter_between_switches ? "switches" : "endpoints") + ")");
  if (!s.bisection_computed)
    line("bisection width:", "not computed");
  else
    line("bisection width:", std::to_string(s.bisection_width) + " links (estimate, upper bound)");
  return out;
}

} // namespace ofmf::topology
