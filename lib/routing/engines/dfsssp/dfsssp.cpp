// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include "routing/engines/dfsssp/dfsssp.hpp"

#include <algorithm>
#include <string>

#include "routing/detail/common.hpp"
#include "routing/engines/dfsssp/layers.hpp"

namespace ofmf::routing::engines {
namespace {

using model::TopologyView;
using dfsssp::ChannelGraph;
using dfsssp::none;


/// Deterministic tie-break among equally weighted candidates.
inline std::uint64_t tie(std::uint32_t channel, std::uint32_t lid) noexcept {
  std::uint64_t h = (std::uint64_t(channel) << 32 | lid) * 0x9E3779B97F4A7C15ull;
  h ^= h >> 31;
  return h * 0xBF58476D1CE4E5B9ull;
}

struct Scratch {
  std::vector<std::uint32_t> order;   // switches by hops from the destination switch
  std::vector<std::uint32_t> bucket;  // hop-level counts
  std::vector<std::uint64_t> dist;    // accumulated weight to the destination
  std::vector<std::uint8_t> fixed;    // per switch: parent final
  std::vector<std::uint32_t> next;    // per switch: the switch its parent channel leads to
};

/// Fills the LFT column of `lid` with a shortest-path tree. First every
/// switch gets a tentative parent of least accumulated weight. With
/// `spread` (and a mutable `weight`), the source switches (with
/// endpoints), nearest first, then fix their paths hop by hop: each switch
/// on the way not fixed yet takes the channel whose path to the
/// destination is lightest, counting the routes this tree already put on
/// it, and the source's endpoints are added to the weights of its path.
/// So the sources of one destination spread over its links instead of all
/// following the one lightest path, and afterwards the weights count the
/// routes of this tree too. parent[x] = channel x uses (none at the root
/// and for unreachable switches).
void tree(const TopologyView& view, const ChannelGraph& g, const std::vector<std::uint16_t>& hops,
          const detail::Destinations& dst, const std::vector<std::uint32_t>& endpoints, std::uint64_t* weight,
          bool spread, std::uint32_t lid, RouteTable& table, Scratch& sc, std::uint32_t* parent) {
  const std::uint32_t nsw = view.switch_count();
  const std::uint32_t d = dst.dest_switch[lid];
  const std::uint16_t* row = hops.data() + std::size_t(d) * nsw;
  // Counting sort by hop distance.
  sc.bucket.assign(std::size_t(nsw) + 1, 0);
  for (std::uint32_t x = 0; x < nsw; ++x)
    if (row[x] != detail::unreachable_hops) ++sc.bucket[row[x] + 1u];
  for (std::uint32_t h = 0; h < nsw; ++h) sc.bucket[h + 1] += sc.bucket[h];
  const std::uint32_t reached = sc.bucket[nsw];
  sc.order.resize(reached);
  for (std::uint32_t x = 0; x < nsw; ++x) {
    parent[x] = none;
    if (row[x] != detail::unreachable_hops) sc.order[sc.bucket[row[x]]++] = x;
  }
  sc.dist[d] = 0;
  for (std::uint32_t k = 1; k < reached; ++k) {
    const std::uint32_t x = sc.order[k];
    const std::uint16_t want = std::uint16_t(row[x] - 1);
    std::uint32_t best = none;
    std::uint64_t best_w = UINT64_MAX;
    for (std::uint32_t c = g.out_off[x]; c < g.out_off[x + 1]; ++c) {
      const std::uint32_t y = g.to[c];
      if (row[y] != want) continue;
      const std::uint64_t w = sc.dist[y] + weight[c];
      if (w < best_w || (w == best_w && tie(c, lid) < tie(best, lid))) best = c, best_w = w;
    }
    parent[x] = best;
    sc.next[x] = g.to[best];
    sc.dist[x] = best_w;
  }
  if (spread) {
    // Cost of the current path of y (weights include this tree's routes).
    // Stops early once above `limit` (the candidate then loses anyway).
    auto path_cost = [&](std::uint32_t y, std::uint64_t limit) {
      std::uint64_t cost = 0;
      for (; y != d && cost <= limit; y = sc.next[y]) cost += weight[parent[y]];
      return cost;
    };
    for (std::uint32_t k = 1; k < reached; ++k) {
      const std::uint32_t s = sc.order[k];
      if (endpoints[s] == 0) continue;
      for (std::uint32_t x = s; x != d && !sc.fixed[x]; x = g.to[parent[x]]) {
        const std::uint16_t want = std::uint16_t(row[x] - 1);
        std::uint32_t best = none;
        std::uint64_t best_w = UINT64_MAX;
        for (std::uint32_t c = g.out_off[x]; c < g.out_off[x + 1]; ++c) {
          const std::uint32_t y = g.to[c];
          if (row[y] != want) continue;
          if (weight[c] > best_w) continue;
          const std::uint64_t w = weight[c] + path_cost(y, best_w - weight[c]);
          if (w < best_w || (w == best_w && tie(c, lid) < tie(best, lid))) best = c, best_w = w;
        }
        parent[x] = best;
        sc.next[x] = g.to[best];
        sc.fixed[x] = 1;
      }
      for (std::uint32_t c = parent[s]; c != none; c = parent[g.to[c]]) weight[c] += endpoints[s];
    }
  }
  table.set_out_port(d, lid, dst.final_port[lid]);
  for (std::uint32_t k = 1; k < reached; ++k) {
    const std::uint32_t x = sc.order[k];
    table.set_out_port(x, lid, g.port[parent[x]]);
    sc.fixed[x] = 0;
  }
}

class Dfsssp final : public Engine {
 public:
  std::string_view name() const noexcept override { return "dfsssp"; }

  Result<RouteTable> compute(const TopologyView& view, const Options& options) const override {
    const std::uint32_t nsw = view.switch_count();
    if (nsw == 0) return fail(errc::invalid_argument, "dfsssp: the fabric has no switches");
    if (options.max_vls == 0) return fail(errc::invalid_argument, "dfsssp: max_vls is 0");
    auto table = RouteTable::create(view, options.lmc);
    if (!table) return fail(std::move(table).error());
    const ChannelGraph g(view);
    route(view, g, *table, options.threads);
    auto layers = dfsssp::assign_layers(view, g, *table, options.max_vls, options.threads, "dfsssp");
    if (!layers) return fail(std::move(layers).error());
    table->set_engine("dfsssp");
    return table;
  }

  Result<void> assign_vls(const TopologyView& view, const Options& options, RouteTable& table) const override {
    if (options.max_vls == 0) return fail(errc::invalid_argument, "dfsssp: max_vls is 0");
    if (table.switch_count() != view.switch_count())
      return fail(errc::inconsistent, "dfsssp: the table has " + std::to_string(table.switch_count()) +
                                          " switches, the view " + std::to_string(view.switch_count()));
    for (std::uint32_t s = 0; s < view.switch_count(); ++s)
      if (table.switch_guid(s) != view.guid(s))
        return fail(errc::inconsistent, "dfsssp: switch " + model::format_guid(view.guid(s)) +
                                            " of the view is not switch " + std::to_string(s) + " of the table");
    const ChannelGraph g(view);
    auto layers = dfsssp::assign_layers(view, g, table, options.max_vls, options.threads, "dfsssp");
    if (!layers) return fail(std::move(layers).error());
    return {};
  }

 private:
  static void route(const TopologyView& view, const ChannelGraph& g, RouteTable& table, unsigned threads) {
    const std::uint32_t nsw = view.switch_count();
    const auto hops = detail::all_pairs_hops(view, threads);
    const auto dst = detail::destinations(view, table);
    const std::size_t space = table.lid_space();

    // Source endpoints (linked ports with a LID) per switch.
    std::vector<std::uint32_t> endpoints(nsw, 0);
    for (std::uint32_t i = nsw; i < view.node_count(); ++i) {
      const auto ports = view.ports(i);
      for (std::size_t p = 1; p < ports.size(); ++p)
        if (ports[p].linked() && view.is_switch(ports[p].peer) && table.base_lid(i, model::PortNum(p)))
          ++endpoints[ports[p].peer];
    }

    // Endpoint LIDs in LID order; switch LIDs of switches without
    // endpoints afterwards (they carry no endpoint traffic).
    std::vector<std::uint32_t> first(nsw, none), order, tail;
    for (std::size_t lid = 1; lid < space; ++lid) {
      const std::uint32_t d = dst.dest_switch[lid];
      if (d == TopologyView::npos || dst.final_port[lid] == 0) continue;
      if (first[d] == none) first[d] = std::uint32_t(lid);
      order.push_back(std::uint32_t(lid));
    }
    for (std::size_t lid = 1; lid < space; ++lid) {
      const std::uint32_t d = dst.dest_switch[lid];
      if (d != TopologyView::npos && dst.final_port[lid] == 0 && first[d] == none) tail.push_back(std::uint32_t(lid));
    }

    // True DFSSSP order: each tree sees the weights of all trees before it
    // (the routes on each link), and spreads its own sources over the
    // links with the routes it already placed (see tree()). Sequential,
    // hence independent of the thread count.
    std::vector<std::uint64_t> weight(g.count, 1);
    const unsigned workers = detail::worker_count(threads, tail.size());
    std::vector<Scratch> scratch(std::max(workers, 1u));
    for (Scratch& s : scratch) s.dist.assign(nsw, 0), s.fixed.assign(nsw, 0), s.next.assign(nsw, 0);
    std::vector<std::uint32_t> parent(std::size_t(scratch.size()) * nsw);
    for (std::uint32_t lid : order)
      tree(view, g, hops, dst, endpoints, weight.data(), true, lid, table, scratch[0], parent.data());
    // Switches without endpoints: own trees on the final weights (read
    // only, in parallel).
    detail::parallel_for(tail.size(), workers, 1, [&](unsigned w, std::size_t i) {
      tree(view, g, hops, dst, endpoints, weight.data(), false, tail[i], table, scratch[w],
           parent.data() + std::size_t(w) * nsw);
    });
    // Switch LIDs of switches with endpoints follow their first endpoint LID.
    for (std::size_t lid = 1; lid < space; ++lid) {
      const std::uint32_t d = dst.dest_switch[lid];
      if (d == TopologyView::npos || dst.final_port[lid] != 0 || first[d] == none) continue;
      for (std::uint32_t x = 0; x < nsw; ++x)
        table.set_out_port(x, std::uint32_t(lid), x == d ? std::uint8_t(0) : table.out_port(x, first[d]));
    }
  }
};

} // namespace

std::unique_ptr<Engine> make_dfsssp() { return std::make_unique<Dfsssp>(); }

} // namespace ofmf::routing::engines
