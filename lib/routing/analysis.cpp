// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include "ofmf/routing/analysis.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>

#include "routing/detail/common.hpp"

namespace ofmf::routing {

using model::TopologyView;

namespace {

struct Endpoint {
  std::uint32_t node;
  model::PortNum port;
  Lid base;
  std::uint32_t sw;          // attached switch or npos
  model::PortNum sw_port;    // port on that switch
  std::uint64_t edge;        // endpoint -> switch edge
};

struct Hop {
  std::uint32_t sw;
  model::PortNum out;
  std::uint64_t edge;
};

struct Acc {
  std::size_t pairs = 0, unreachable = 0, loops = 0, non_minimal = 0;
  unsigned max_extra = 0;
  double max_stretch = 1.0;
  std::uint32_t vl_mask = 0;
  std::vector<std::uint64_t> load;
  std::vector<Hop> path;
  std::vector<std::uint64_t> hashes;  // path hash per LID of the current destination port
  std::size_t div_pairs = 0;
  double div_sum = 0;
  unsigned div_min = UINT32_MAX;
};

enum class Walk { delivered, failed, loop };

Analysis analyze_table(const TopologyView& view, const RouteTable& table, const AnalysisOptions& options);

} // namespace

Result<Analysis> analyze(const TopologyView& view, const RouteTable& table, const AnalysisOptions& options) {
  if (auto r = table.check_view(view, "analyze"); !r) return fail(std::move(r).error());
  return analyze_table(view, table, options);
}

namespace {

Analysis analyze_table(const TopologyView& view, const RouteTable& table, const AnalysisOptions& options) {
  Analysis a;
  const std::uint32_t n = view.node_count();
  const std::uint32_t nsw = view.switch_count();
  const auto eoff = view.edge_offset();
  const auto all = view.all_edges();
  a.link_load.assign(all.size(), 0);

  // Edge index per (node, port).
  std::vector<std::uint64_t> pofs(std::size_t(n) + 1, 0);
  for (std::uint32_t i = 0; i < n; ++i) pofs[i + 1] = pofs[i] + view.ports(i).size();
  std::vector<std::uint64_t> pedge(pofs[n], UINT64_MAX);
  for (std::uint32_t i = 0; i < n; ++i) {
    const auto es = view.edges(i);
    for (std::size_t k = 0; k < es.size(); ++k) pedge[pofs[i] + es[k].local_port] = eoff[i] + k;
  }

  // Endpoints and the LIDs they own.
  std::vector<Endpoint> eps;
  for (std::uint32_t i = nsw; i < n; ++i) {
    const auto ports = view.ports(i);
    for (std::size_t p = 1; p < ports.size(); ++p) {
      const Lid b = table.base_lid(i, model::PortNum(p));
      if (!b || !ports[p].linked()) continue;
      const bool to_switch = view.is_switch(ports[p].peer);
      eps.push_back({i, model::PortNum(p), b, to_switch ? ports[p].peer : TopologyView::npos,
                     to_switch ? ports[p].peer_port : model::PortNum(0), pedge[pofs[i] + p]});
    }
  }
  a.endpoint_ports = eps.size();
  const std::size_t nl = std::size_t(1) << table.lmc();
  std::vector<std::vector<std::uint32_t>> sources(nsw);  // endpoint indices per switch
  std::size_t detached = 0;
  for (std::uint32_t k = 0; k < eps.size(); ++k) {
    if (eps[k].sw == TopologyView::npos) ++detached;
    else sources[eps[k].sw].push_back(k);
  }
  const std::size_t others = eps.empty() ? 0 : eps.size() - 1;
  a.pairs = eps.size() * others * nl;
  if (table.switch_count() != nsw) {
    a.unreachable = a.pairs;
    return a;
  }
  // Endpoints attached to no switch reach nothing and are reached by nothing.
  a.unreachable = detached * others * nl + (eps.size() - detached) * detached * nl;

  const auto hops = detail::all_pairs_hops(view, options.threads);
  const bool vl_mode = table.has_sl() || table.has_sl2vl();
  const std::size_t nvl = vl_mode ? 16 : 1;
  // Dependency bitmaps per switch: (in port, vl) x (out port, vl).
  std::vector<std::uint64_t> dep_off(std::size_t(nsw) + 1, 0);
  for (std::uint32_t s = 0; s < nsw; ++s) {
    const std::size_t c = view.ports(s).size() * nvl;
    dep_off[s + 1] = dep_off[s] + (c * c + 63) / 64;
  }
  std::vector<std::uint64_t> deps(dep_off[nsw], 0);
  auto mark = [&](std::uint32_t v, model::PortNum in, std::uint8_t vl1, model::PortNum out, std::uint8_t vl2) {
    const std::size_t c = view.ports(v).size() * nvl;
    const std::size_t bit = (std::size_t(in) * nvl + vl1) * c + std::size_t(out) * nvl + vl2;
    std::atomic_ref<std::uint64_t>(deps[dep_off[v] + bit / 64])
        .fetch_or(std::uint64_t(1) << (bit % 64), std::memory_order_relaxed);
  };

  const unsigned workers = detail::worker_count(options.threads, nsw);
  std::vector<Acc> acc(workers);
  for (Acc& x : acc) x.load.assign(all.size(), 0), x.hashes.assign(nl, 0);
  std::vector<std::vector<LidPair>> examples(nsw);
  const std::uint32_t max_lid = table.max_lid();

  detail::parallel_for(nsw, workers, 1, [&](unsigned w, std::size_t si) {
    const auto s = std::uint32_t(si);
    Acc& x = acc[w];
    const auto& src = sources[s];
    for (std::uint32_t lid = 1; lid <= max_lid; ++lid) {
      const LidOwner o = table.owner(lid);
      if (!o.valid()) continue;
      // Walk s -> lid.
      x.path.clear();
      Walk r = Walk::failed;
      std::uint32_t cur = s;
      for (;;) {
        const std::uint8_t out = table.out_port(cur, lid);
        if (out == no_route) break;
        if (out == 0) {
          if (o.node == cur) r = Walk::delivered;
          break;
        }
        const auto ports = view.ports(cur);
        if (out >= ports.size() || !ports[out].linked()) break;
        x.path.push_back({cur, out, pedge[pofs[cur] + out]});
        const std::uint32_t next = ports[out].peer;
        if (next == o.node && ports[out].peer_port == o.port) {
          r = Walk::delivered;
          break;
        }
        if (!view.is_switch(next)) break;
        if (x.path.size() > nsw) {
          r = Walk::loop;
          break;
        }
        cur = next;
      }
      if (r == Walk::loop) ++x.loops;
      if (view.is_switch(o.node) || src.empty()) continue;
      // Endpoint pairs from the endpoints on s.
      std::size_t nsrc = 0;
      for (std::uint32_t k : src)
        if (!(eps[k].node == o.node && eps[k].port == o.port)) ++nsrc;
      if (nsrc == 0) continue;
      // Path diversity: hash each LID's path, compare at the port's last LID.
      const std::size_t k_lid = lid - table.base_lid(o.node, o.port);
      std::uint64_t hash = 0;  // 0 = not delivered
      if (r == Walk::delivered) {
        hash = 1469598103934665603ull;
        for (const Hop& h : x.path) hash = (hash ^ h.edge) * 1099511628211ull;
        hash |= 1;
      }
      x.hashes[k_lid] = hash;
      if (k_lid + 1 == nl && view.ports(o.node)[o.port].peer != s) {
        std::sort(x.hashes.begin(), x.hashes.end());
        unsigned distinct = 0;
        for (std::size_t j = 0; j < nl; ++j)
          if (x.hashes[j] != 0 && (j == 0 || x.hashes[j] != x.hashes[j - 1])) ++distinct;
        x.div_pairs += nsrc;
        x.div_sum += double(distinct) * double(nsrc);
        x.div_min = std::min(x.div_min, distinct);
      }
      if (r != Walk::delivered) {
        x.unreachable += nsrc;
        for (std::uint32_t k : src) {
          if (examples[s].size() >= options.max_examples) break;
          if (!(eps[k].node == o.node && eps[k].port == o.port)) examples[s].push_back({eps[k].base, Lid(lid)});
        }
        continue;
      }
      const std::size_t sw_hops = x.path.size() - 1;  // last hop enters the endpoint
      // Dependencies between consecutive switch-to-switch channels.
      for (std::size_t h = 1; h + 1 < x.path.size(); ++h) {
        const Hop& prev = x.path[h - 1];
        const Hop& here = x.path[h];
        const model::PortNum in = view.ports(prev.sw)[prev.out].peer_port;
        if (!vl_mode) {
          mark(here.sw, in, 0, here.out, 0);
          continue;
        }
        for (std::uint32_t k : src) {
          if (eps[k].node == o.node && eps[k].port == o.port) continue;
          const std::uint8_t sl = table.switch_path_sl(s, lid);  // == path_sl(eps[k].base, lid)
          const model::PortNum prev_in = h - 1 == 0 ? eps[k].sw_port : view.ports(x.path[h - 2].sw)[x.path[h - 2].out].peer_port;
          const std::uint8_t vl1 = std::uint8_t(table.vl(prev.sw, prev_in, prev.out, sl) & 15);
          const std::uint8_t vl2 = std::uint8_t(table.vl(here.sw, in, here.out, sl) & 15);
          x.vl_mask |= (1u << vl1) | (1u << vl2);
          mark(here.sw, in, vl1, here.out, vl2);
        }
      }
      if (lid != table.base_lid(o.node, o.port)) continue;
      // Base LID: load, hops.
      for (const Hop& h : x.path) x.load[h.edge] += nsrc;
      for (std::uint32_t k : src)
        if (!(eps[k].node == o.node && eps[k].port == o.port)) ++x.load[eps[k].edge];
      const std::uint32_t dsw = x.path.back().sw;
      const std::uint16_t shortest = hops[std::size_t(dsw) * nsw + s];
      if (shortest != detail::unreachable_hops && sw_hops > shortest) {
        x.non_minimal += nsrc;
        x.max_extra = std::max(x.max_extra, unsigned(sw_hops - shortest));
        x.max_stretch = std::max(x.max_stretch, double(sw_hops + 2) / double(shortest + 2));
      }
    }
  });

  std::size_t div_pairs = 0;
  double div_sum = 0;
  unsigned div_min = UINT32_MAX;
  for (const Acc& x : acc) {
    div_pairs += x.div_pairs;
    div_sum += x.div_sum;
    div_min = std::min(div_min, x.div_min);
    a.unreachable += x.unreachable;
    a.loops += x.loops;
    a.non_minimal += x.non_minimal;
    a.max_extra_hops = std::max(a.max_extra_hops, x.max_extra);
    a.max_stretch = std::max(a.max_stretch, x.max_stretch);
    for (std::size_t e = 0; e < all.size(); ++e) a.link_load[e] += x.load[e];
  }
  if (div_pairs) {
    a.min_distinct_paths = div_min;
    a.mean_distinct_paths = div_sum / double(div_pairs);
  }
  for (std::uint32_t s = 0; s < nsw; ++s)
    for (const LidPair& p : examples[s])
      if (a.unreachable_examples.size() < options.max_examples) a.unreachable_examples.push_back(p);

  // Load statistics over switch-to-switch directed links.
  std::size_t links = 0;
  double sum = 0, sq = 0;
  for (std::uint32_t s = 0; s < nsw; ++s)
    for (std::uint64_t e = eoff[s]; e < eoff[s + 1]; ++e) {
      if (all[e].target >= nsw) continue;
      ++links;
      a.max_load = std::max(a.max_load, a.link_load[e]);
      sum += double(a.link_load[e]);
      sq += double(a.link_load[e]) * double(a.link_load[e]);
    }
  if (links) {
    a.mean_load = sum / double(links);
    a.stddev_load = std::sqrt(std::max(0.0, sq / double(links) - a.mean_load * a.mean_load));
  }
  if (vl_mode) {
    std::uint32_t mask = 0;
    for (const Acc& x : acc) mask |= x.vl_mask;
    a.vls_used = unsigned(__builtin_popcount(mask | 1u));
  }

  // Cycle search on the channel-dependency graph. Channel id = edge*nvl + vl.
  const std::size_t nch = all.size() * nvl;
  std::vector<std::uint64_t> adj_off(nch + 1, 0);
  std::vector<std::uint64_t> adj;
  for (int pass = 0; pass < 2; ++pass) {
    std::vector<std::uint64_t> fill;
    if (pass == 1) {
      for (std::size_t c = 0; c < nch; ++c) adj_off[c + 1] += adj_off[c];
      adj.resize(adj_off[nch]);
      fill.assign(adj_off.begin(), adj_off.end() - 1);
    }
    for (std::uint32_t v = 0; v < nsw; ++v) {
      const auto ports = view.ports(v);
      const std::size_t c = ports.size() * nvl;
      for (std::size_t bit = 0; bit < c * c; ++bit) {
        if (!(deps[dep_off[v] + bit / 64] >> (bit % 64) & 1)) continue;
        const std::size_t in = bit / c / nvl, vl1 = bit / c % nvl, out = bit % c / nvl, vl2 = bit % c % nvl;
        const std::uint32_t u = ports[in].peer;
        const std::uint64_t from = pedge[pofs[u] + ports[in].peer_port] * nvl + vl1;
        const std::uint64_t to = pedge[pofs[v] + out] * nvl + vl2;
        if (pass == 0) ++adj_off[from + 1];
        else adj[fill[from]++] = to;
      }
    }
  }
  std::vector<std::uint8_t> color(nch, 0);  // 0 white, 1 on stack, 2 done
  std::vector<std::pair<std::uint64_t, std::uint64_t>> stack;  // channel, next adjacency slot
  std::uint32_t cyc_mask = 0;
  for (std::size_t root = 0; root < nch; ++root) {
    if (color[root] || adj_off[root] == adj_off[root + 1]) continue;
    stack.push_back({root, adj_off[root]});
    color[root] = 1;
    while (!stack.empty()) {
      auto& [c, next] = stack.back();
      if (next == adj_off[c + 1]) {
        color[c] = 2;
        stack.pop_back();
        continue;
      }
      const std::uint64_t t = adj[next++];
      if (color[t] == 0) {
        color[t] = 1;
        stack.push_back({t, adj_off[t]});
      } else if (color[t] == 1) {
        if (a.cdg_acyclic) {
          a.cdg_acyclic = false;
          std::size_t k = stack.size();
          while (k > 0 && stack[k - 1].first != t) --k;
          for (std::size_t j = k - 1; j < stack.size(); ++j)
            a.cdg_cycle.push_back({stack[j].first / nvl, std::uint8_t(stack[j].first % nvl)});
        }
        for (std::size_t k = stack.size(); k > 0; --k) {
          cyc_mask |= 1u << (stack[k - 1].first % nvl);
          if (stack[k - 1].first == t) break;
        }
      }
    }
  }
  for (unsigned v = 0; v < 16; ++v)
    if (cyc_mask >> v & 1) a.vls_with_cycle.push_back(std::uint8_t(v));
  return a;
}

} // namespace

} // namespace ofmf::routing
