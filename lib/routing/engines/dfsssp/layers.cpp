// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include "routing/engines/dfsssp/layers.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <numeric>
#include <span>
#include <string>

#include "routing/detail/common.hpp"

namespace ofmf::routing::engines::dfsssp {

using model::TopologyView;

ChannelGraph::ChannelGraph(const TopologyView& view) {
  switches = view.switch_count();
  const std::uint32_t nsw = switches;
  out_off.assign(std::size_t(nsw) + 1, 0);
  port_off.assign(std::size_t(nsw) + 1, 0);
  for (std::uint32_t x = 0; x < nsw; ++x) {
    for (const model::Edge& e : view.edges(x)) {
      if (e.target >= nsw) continue;
      from.push_back(x);
      to.push_back(e.target);
      port.push_back(e.local_port);
    }
    out_off[x + 1] = std::uint32_t(from.size());
    port_off[x + 1] = port_off[x] + std::uint32_t(view.ports(x).size());
  }
  count = std::uint32_t(from.size());
  by_port.assign(port_off[nsw], none);
  for (std::uint32_t c = 0; c < count; ++c) by_port[port_off[from[c]] + port[c]] = c;
  in_off.assign(std::size_t(nsw) + 1, 0);
  for (std::uint32_t c = 0; c < count; ++c) ++in_off[to[c] + 1];
  for (std::uint32_t x = 0; x < nsw; ++x) in_off[x + 1] += in_off[x];
  in_list.assign(count, none);
  in_idx.assign(count, 0);
  std::vector<std::uint32_t> fill(in_off.begin(), in_off.end() - 1);
  for (std::uint32_t c = 0; c < count; ++c) {
    in_idx[c] = fill[to[c]] - in_off[to[c]];
    in_list[fill[to[c]]++] = c;
  }
  dep_off.assign(std::size_t(nsw) + 1, 0);
  for (std::uint32_t x = 0; x < nsw; ++x)
    dep_off[x + 1] = dep_off[x] + std::uint64_t(in_degree(x)) * out_degree(x);
}

namespace {

constexpr unsigned max_rounds = 4;

/// One virtual layer: dependency counts (paths using each dependency) and
/// a topological order of the channels consistent with the dependencies
/// present (count > 0).
struct Layer {
  std::vector<std::uint32_t> uses;
  std::vector<std::uint32_t> ord;
};

/// Assignment of paths to layers with Pearce-Kelly incremental
/// topological ordering per layer.
class Layering {
 public:
  explicit Layering(const ChannelGraph& g) : g_(g), mark_(g.count, 0) {}

  /// Puts `path` (channels in order) on the lowest layer where it closes
  /// no cycle, opening a new layer when none fits; returns the layer.
  std::uint32_t add(std::span<const std::uint32_t> path) {
    // Best fit: the layers needing the fewest new dependencies first.
    cand_.clear();
    for (std::uint32_t l = 0; l < layers_.size(); ++l) {
      std::uint32_t fresh = 0;
      for (std::size_t k = 1; k < path.size(); ++k) fresh += layers_[l].uses[g_.dep(path[k - 1], path[k])] == 0;
      cand_.push_back(std::uint64_t(fresh) << 32 | l);
    }
    std::sort(cand_.begin(), cand_.end());
    for (std::uint64_t c : cand_)
      if (try_add(layers_[std::uint32_t(c)], path)) return std::uint32_t(c);
    Layer& n = layers_.emplace_back();
    n.uses.assign(g_.dep_off.back(), 0);
    n.ord.resize(g_.count);
    std::iota(n.ord.begin(), n.ord.end(), 0u);
    try_add(n, path);  // a shortest path alone is acyclic
    return std::uint32_t(layers_.size() - 1);
  }
  std::size_t layers() const noexcept { return layers_.size(); }

 private:
  bool try_add(Layer& layer, std::span<const std::uint32_t> path) {
    for (std::size_t k = 1; k < path.size(); ++k) {
      const std::uint32_t a = path[k - 1], b = path[k];
      std::uint32_t& u = layer.uses[g_.dep(a, b)];
      if (u == 0 && layer.ord[a] > layer.ord[b] && !insert(layer, a, b)) {
        for (std::size_t j = 1; j < k; ++j) --layer.uses[g_.dep(path[j - 1], path[j])];
        return false;
      }
      ++u;
    }
    return true;
  }

  std::uint32_t next_epoch() {
    if (++epoch_ == 0) {
      std::fill(mark_.begin(), mark_.end(), 0u);
      epoch_ = 1;
    }
    return epoch_;
  }

  // Adds a -> b where ord[a] > ord[b] (Pearce-Kelly): false if b reaches a.
  bool insert(Layer& layer, std::uint32_t a, std::uint32_t b) {
    auto& ord = layer.ord;
    const std::uint32_t ub = ord[a], lb = ord[b];
    // Forward from b over channels ordered below a.
    std::uint32_t ep = next_epoch();
    fwd_.clear();
    stack_.assign(1, b);
    mark_[b] = ep;
    while (!stack_.empty()) {
      const std::uint32_t w = stack_.back();
      stack_.pop_back();
      fwd_.push_back(w);
      const std::uint32_t x = g_.to[w];
      const std::uint32_t deg = g_.out_degree(x);
      const std::uint32_t* row = layer.uses.data() + g_.dep_off[x] + std::uint64_t(g_.in_idx[w]) * deg;
      for (std::uint32_t j = 0; j < deg; ++j) {
        if (row[j] == 0) continue;
        const std::uint32_t y = g_.out_off[x] + j;
        if (y == a) return false;
        if (mark_[y] != ep && ord[y] < ub) {
          mark_[y] = ep;
          stack_.push_back(y);
        }
      }
    }
    // Backward from a over channels ordered above b.
    ep = next_epoch();
    bwd_.clear();
    stack_.assign(1, a);
    mark_[a] = ep;
    while (!stack_.empty()) {
      const std::uint32_t w = stack_.back();
      stack_.pop_back();
      bwd_.push_back(w);
      const std::uint32_t x = g_.from[w];
      const std::uint32_t deg = g_.out_degree(x);
      const std::uint32_t* col = layer.uses.data() + g_.dep_off[x] + (w - g_.out_off[x]);
      const std::uint32_t nin = g_.in_degree(x);
      for (std::uint32_t i = 0; i < nin; ++i) {
        if (col[std::size_t(i) * deg] == 0) continue;
        const std::uint32_t y = g_.in_list[g_.in_off[x] + i];
        if (mark_[y] != ep && ord[y] > lb) {
          mark_[y] = ep;
          stack_.push_back(y);
        }
      }
    }
    // Reorder: the backward set, then the forward set, into their slots.
    auto by_ord = [&](std::uint32_t p, std::uint32_t q) { return ord[p] < ord[q]; };
    std::sort(fwd_.begin(), fwd_.end(), by_ord);
    std::sort(bwd_.begin(), bwd_.end(), by_ord);
    slots_.clear();
    for (std::uint32_t w : bwd_) slots_.push_back(ord[w]);
    for (std::uint32_t w : fwd_) slots_.push_back(ord[w]);
    std::sort(slots_.begin(), slots_.end());
    std::size_t k = 0;
    for (std::uint32_t w : bwd_) ord[w] = slots_[k++];
    for (std::uint32_t w : fwd_) ord[w] = slots_[k++];
    return true;
  }

  const ChannelGraph& g_;
  std::vector<Layer> layers_;
  std::vector<std::uint32_t> mark_;
  std::uint32_t epoch_ = 0;
  std::vector<std::uint32_t> stack_, fwd_, bwd_, slots_;
  std::vector<std::uint64_t> cand_;
};

/// Kahn's algorithm on the dependency graph given as one flag per slot.
bool acyclic(const ChannelGraph& g, const std::vector<std::uint8_t>& dep) {
  std::vector<std::uint32_t> indeg(g.count, 0), queue;
  for (std::uint32_t x = 0; x < g.switches; ++x) {
    const std::uint32_t deg = g.out_degree(x);
    for (std::uint64_t s = g.dep_off[x]; s < g.dep_off[x + 1]; ++s)
      if (dep[s]) ++indeg[g.out_off[x] + std::uint32_t((s - g.dep_off[x]) % deg)];
  }
  queue.reserve(g.count);
  for (std::uint32_t c = 0; c < g.count; ++c)
    if (indeg[c] == 0) queue.push_back(c);
  for (std::size_t h = 0; h < queue.size(); ++h) {
    const std::uint32_t w = queue[h];
    const std::uint32_t x = g.to[w];
    const std::uint32_t deg = g.out_degree(x);
    const std::uint64_t row = g.dep_off[x] + std::uint64_t(g.in_idx[w]) * deg;
    for (std::uint32_t j = 0; j < deg; ++j)
      if (dep[row + j] && --indeg[g.out_off[x] + j] == 0) queue.push_back(g.out_off[x] + j);
  }
  return queue.size() == g.count;
}

} // namespace

Result<unsigned> assign_layers(const TopologyView& view, const ChannelGraph& g, RouteTable& table, unsigned max_vls,
                               unsigned threads, std::string_view engine) {
  const std::uint32_t nsw = view.switch_count();
  const std::size_t space = table.lid_space();
  const auto dst = detail::destinations(view, table);
  const std::string who(engine);

  // LIDs to layer. A switch LID routed exactly like an endpoint LID of its
  // switch shares that LID's paths, hence its SLs.
  std::vector<std::uint32_t> rep(space, none), first_ep(nsw, none), lids;
  for (std::size_t lid = 1; lid < space; ++lid) {
    const std::uint32_t d = dst.dest_switch[lid];
    if (d == TopologyView::npos) continue;
    rep[lid] = std::uint32_t(lid);
    if (dst.final_port[lid] != 0 && first_ep[d] == none) first_ep[d] = std::uint32_t(lid);
  }
  for (std::size_t lid = 1; lid < space; ++lid) {
    const std::uint32_t d = dst.dest_switch[lid];
    if (d == TopologyView::npos || dst.final_port[lid] != 0 || first_ep[d] == none) continue;
    bool same = true;
    for (std::uint32_t x = 0; x < nsw && same; ++x)
      same = x == d || table.out_port(x, std::uint32_t(lid)) == table.out_port(x, first_ep[d]);
    if (same) rep[lid] = first_ep[d];
  }
  for (std::size_t lid = 1; lid < space; ++lid)
    if (rep[lid] == lid) lids.push_back(std::uint32_t(lid));

  // Sources: switches with endpoints attached (the traffic the layers
  // protect; switches themselves send management traffic on VL 15).
  std::vector<std::uint8_t> source(nsw, 0);
  for (std::uint32_t i = nsw; i < view.node_count(); ++i) {
    const auto ports = view.ports(i);
    for (std::size_t p = 1; p < ports.size(); ++p)
      if (ports[p].linked() && view.is_switch(ports[p].peer) && table.base_lid(i, model::PortNum(p)))
        source[ports[p].peer] = 1;
  }

  // Union of all dependencies (one layer), checking for forwarding loops.
  std::vector<std::uint8_t> dep(g.dep_off.back(), 0);
  const unsigned workers = detail::worker_count(threads, lids.size());
  struct Scratch {
    std::vector<std::uint32_t> state;
    std::uint32_t stamp = 0;
  };
  std::vector<Scratch> scratch(workers);
  for (Scratch& s : scratch) s.state.assign(nsw, 0);
  std::atomic<std::uint32_t> loop_lid{none};
  detail::parallel_for(lids.size(), workers, 16, [&](unsigned w, std::size_t i) {
    const std::uint32_t t = lids[i];
    Scratch& sc = scratch[w];
    if (sc.stamp > UINT32_MAX - 8) {
      std::fill(sc.state.begin(), sc.state.end(), 0u);
      sc.stamp = 0;
    }
    const std::uint32_t busy = sc.stamp + 1, done = sc.stamp + 2, marked = sc.stamp + 3;
    sc.stamp += 3;
    // Loops: walk from every switch until a switch already known.
    for (std::uint32_t s = 0; s < nsw; ++s) {
      std::uint32_t x = s;
      for (;;) {
        if (sc.state[x] == done) break;
        if (sc.state[x] == busy) {
          std::uint32_t expected = none;
          loop_lid.compare_exchange_strong(expected, t);
          return;
        }
        sc.state[x] = busy;
        const std::uint32_t c = g.channel(x, table.out_port(x, t));
        if (c == none) break;
        x = g.to[c];
      }
      for (std::uint32_t y = s; sc.state[y] == busy;) {
        sc.state[y] = done;
        const std::uint32_t c = g.channel(y, table.out_port(y, t));
        if (c == none) break;
        y = g.to[c];
      }
    }
    // Dependencies of the paths from sources; a switch already walked has
    // its whole remaining path marked.
    for (std::uint32_t s = 0; s < nsw; ++s) {
      if (!source[s]) continue;
      std::uint32_t x = s, prev = none;
      for (;;) {
        const bool seen = sc.state[x] == marked;
        sc.state[x] = marked;
        const std::uint32_t c = g.channel(x, table.out_port(x, t));
        if (c == none) break;
        if (prev != none) std::atomic_ref<std::uint8_t>(dep[g.dep(prev, c)]).store(1, std::memory_order_relaxed);
        if (seen) break;
        prev = c;
        x = g.to[c];
      }
    }
  });
  if (loop_lid.load() != none)
    return fail(errc::inconsistent, who + ": the forwarding tables loop for LID " + std::to_string(loop_lid.load()));

  std::uint32_t layers = 1;
  if (acyclic(g, dep)) {
    table.enable_sl();  // every SL 0
  } else {
    // Paths of every (source switch, LID) group with at least one
    // dependency, longest first (then LID, then switch).
    std::vector<std::uint64_t> offset{0};
    std::vector<std::uint32_t> chans, group_s, group_t;
    for (std::uint32_t t : lids) {
      for (std::uint32_t s = 0; s < nsw; ++s) {
        if (!source[s]) continue;
        const std::size_t before = chans.size();
        for (std::uint32_t x = s;;) {
          const std::uint32_t c = g.channel(x, table.out_port(x, t));
          if (c == none) break;
          chans.push_back(c);
          x = g.to[c];
        }
        if (chans.size() - before < 2) {
          chans.resize(before);
          continue;
        }
        offset.push_back(chans.size());
        group_s.push_back(s);
        group_t.push_back(t);
      }
    }
    const std::size_t ng = group_s.size();
    std::vector<std::uint32_t> order(ng);
    std::iota(order.begin(), order.end(), 0u);
    // Groups are in LID order, then source switch: sort longest first per LID.
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t p, std::uint32_t q) {
      if (group_t[p] != group_t[q]) return group_t[p] < group_t[q];
      return offset[p + 1] - offset[p] > offset[q + 1] - offset[q];
    });
    // A few rounds while over budget: the paths that ended on the highest
    // layers go first in the next round ("squeaky wheel"); the best round
    // is kept.
    std::vector<std::uint32_t> layer_of(ng, 0), best_of;
    layers = UINT32_MAX;
    for (unsigned round = 0; round < max_rounds && layers > max_vls; ++round) {
      if (round > 0)
        std::stable_sort(order.begin(), order.end(),
                         [&](std::uint32_t p, std::uint32_t q) { return layer_of[p] > layer_of[q]; });
      Layering lay(g);
      for (std::uint32_t k : order)
        layer_of[k] = lay.add(std::span<const std::uint32_t>(chans.data() + offset[k], offset[k + 1] - offset[k]));
      if (lay.layers() < layers) layers = std::uint32_t(lay.layers()), best_of = layer_of;
    }
    layer_of = std::move(best_of);
    if (layers > max_vls)
      return fail(errc::limit_exceeded, who + ": needs " + std::to_string(layers) + " VLs, budget " +
                                            std::to_string(max_vls));
    table.enable_sl();
    for (std::size_t k = 0; k < ng; ++k)
      table.set_switch_path_sl(group_s[k], group_t[k], std::uint8_t(layer_of[k]));
  }
  // LIDs that share another LID's paths share its SLs.
  if (layers > 1)
    for (std::size_t lid = 1; lid < space; ++lid)
      if (rep[lid] != none && rep[lid] != lid)
        for (std::uint32_t s = 0; s < nsw; ++s)
          table.set_switch_path_sl(s, std::uint32_t(lid), table.switch_path_sl(s, rep[lid]));
  table.enable_sl2vl(view);
  std::array<std::uint8_t, 16> map{};
  const unsigned vls = std::min(max_vls, 15u);
  for (unsigned sl = 0; sl < 16; ++sl) map[sl] = std::uint8_t(sl % vls);
  table.fill_sl2vl(map);
  return unsigned(layers);
}

} // namespace ofmf::routing::engines::dfsssp
