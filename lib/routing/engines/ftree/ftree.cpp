// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Fat-tree routing (see ftree.hpp for the accepted class and the scheme).
//
// Structure, all as bitsets over switch indices:
//   V_m(s), m >= level(s): the switches below (or equal to) some switch of
//     level m that s reaches going up only; V_level(s)(s) = cov(s), the
//     switches below s.
//   reach(s) = union of V_m(s): what s reaches by an up*/down* path.
//   desc(s)  = reach(s) | desc(first child of s): what s reaches by going
//     down its first down ports, then up*/down*.
// A switch whose parents all have the same V_m (m > level) is "uniform":
// any up port is minimal for every target, so the d-mod-k choice is a
// table lookup. Otherwise the candidates are the parents from which the
// target is reachable at the lowest level.
#include "routing/engines/ftree/ftree.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "routing/detail/common.hpp"

namespace ofmf::routing::engines {
namespace {

using model::TopologyView;
using Word = std::uint64_t;
constexpr std::uint32_t npos = TopologyView::npos;
constexpr std::size_t max_structure_bytes = std::size_t(1) << 30;

inline bool test(const Word* row, std::uint32_t i) noexcept { return (row[i >> 6] >> (i & 63)) & 1u; }

struct Link {
  std::uint32_t target;
  std::uint8_t port;
};

struct Tree {
  std::uint32_t nsw = 0;
  std::uint32_t words = 0;
  std::uint32_t levels = 0;  // top level + 1
  std::vector<std::uint32_t> level;
  std::vector<std::uint32_t> up_off, down_off;  // CSR per switch, port order
  std::vector<Link> up, down;
  std::vector<std::uint32_t> max_up;  // U_l: largest up-degree at level l
  std::vector<Word> v;                // ((s * levels) + m) * words
  std::vector<Word> reach, desc;      // s * words
  std::vector<std::uint8_t> uniform;
  std::vector<std::uint16_t> down_tab;  // s * nsw + t: first down port | count << 8
  std::vector<std::uint32_t> bad_id;    // targets not in every desc(): index into dist
  std::vector<std::uint16_t> dist;      // bad_id * nsw + x: hops from x to the target

  const Word* row(std::uint32_t s, std::uint32_t m) const noexcept {
    return v.data() + (std::size_t(s) * levels + m) * words;
  }
  Word* row(std::uint32_t s, std::uint32_t m) noexcept { return v.data() + (std::size_t(s) * levels + m) * words; }
  const Word* cov(std::uint32_t s) const noexcept { return row(s, level[s]); }
  std::span<const Link> ups(std::uint32_t s) const noexcept {
    return {up.data() + up_off[s], up.data() + up_off[s + 1]};
  }
  std::span<const Link> downs(std::uint32_t s) const noexcept {
    return {down.data() + down_off[s], down.data() + down_off[s + 1]};
  }
};

std::string guid_of(const TopologyView& view, std::uint32_t i) { return model::format_guid(view.guid(i)); }

std::uint32_t first_bit(const Word* row, std::uint32_t words) noexcept {
  for (std::uint32_t w = 0; w < words; ++w)
    if (row[w]) return w * 64 + std::uint32_t(__builtin_ctzll(row[w]));
  return npos;
}

Result<Tree> build(const TopologyView& view) {
  Tree t;
  const std::uint32_t nsw = view.switch_count();
  t.nsw = nsw;
  t.words = (nsw + 63) / 64;

  // Levels: leaves (switches with endpoints) are 0, the rest by BFS.
  t.level.assign(nsw, npos);
  std::vector<std::uint32_t> q;
  for (std::uint32_t s = 0; s < nsw; ++s)
    for (const model::Edge& e : view.edges(s))
      if (!view.is_switch(e.target)) {
        t.level[s] = 0;
        q.push_back(s);
        break;
      }
  if (q.empty())
    return fail(errc::not_supported,
                "ftree: no switch has a channel adapter or router linked, so there are no leaves to build a fat tree "
                "from");
  std::uint32_t top = 0;
  for (std::size_t h = 0; h < q.size(); ++h)
    for (const model::Edge& e : view.edges(q[h]))
      if (e.target < nsw && t.level[e.target] == npos) {
        t.level[e.target] = t.level[q[h]] + 1;
        top = std::max(top, t.level[e.target]);
        q.push_back(e.target);
      }
  for (std::uint32_t s = 0; s < nsw; ++s) {
    if (t.level[s] == npos)
      return fail(errc::not_supported, "ftree: switch " + guid_of(view, s) +
                                           " is not connected to any leaf switch (a switch with endpoints)");
    for (const model::Edge& e : view.edges(s))
      if (e.target < nsw && t.level[e.target] == t.level[s])
        return fail(errc::not_supported,
                    "ftree: switch " + guid_of(view, s) + " (level " + std::to_string(t.level[s]) + ") port " +
                        std::to_string(e.local_port) + " is linked to switch " + guid_of(view, e.target) +
                        " on the same level: not a fat tree (switches with endpoints are leaves, level 0, and every "
                        "switch-to-switch link must join adjacent levels)");
  }
  t.levels = top + 1;
  const std::size_t bytes = std::size_t(nsw) * t.words * 8 * (t.levels + 2) + std::size_t(nsw) * nsw * 2;
  if (bytes > max_structure_bytes)
    return fail(errc::limit_exceeded, "ftree: " + std::to_string(nsw) + " switches on " + std::to_string(t.levels) +
                                          " levels need " + std::to_string(bytes >> 20) +
                                          " MiB of structure tables (limit " +
                                          std::to_string(max_structure_bytes >> 20) + " MiB)");

  // Up and down links in port order.
  t.up_off.assign(std::size_t(nsw) + 1, 0);
  t.down_off.assign(std::size_t(nsw) + 1, 0);
  t.max_up.assign(t.levels, 0);
  for (std::uint32_t s = 0; s < nsw; ++s) {
    std::uint32_t nu = 0, nd = 0;
    for (const model::Edge& e : view.edges(s))
      if (e.target < nsw) (t.level[e.target] > t.level[s] ? nu : nd) += 1;
    t.up_off[s + 1] = t.up_off[s] + nu;
    t.down_off[s + 1] = t.down_off[s] + nd;
    t.max_up[t.level[s]] = std::max(t.max_up[t.level[s]], nu);
  }
  t.up.resize(t.up_off[nsw]);
  t.down.resize(t.down_off[nsw]);
  for (std::uint32_t s = 0; s < nsw; ++s) {
    std::uint32_t iu = t.up_off[s], id = t.down_off[s];
    for (const model::Edge& e : view.edges(s)) {
      if (e.target >= nsw) continue;
      if (t.level[e.target] > t.level[s]) t.up[iu++] = {e.target, e.local_port};
      else t.down[id++] = {e.target, e.local_port};
    }
  }

  // Switches by level (index order inside a level).
  std::vector<std::uint32_t> by_level(nsw), level_off(std::size_t(t.levels) + 1, 0);
  for (std::uint32_t s = 0; s < nsw; ++s) ++level_off[t.level[s] + 1];
  for (std::uint32_t l = 0; l < t.levels; ++l) level_off[l + 1] += level_off[l];
  {
    std::vector<std::uint32_t> fill(level_off.begin(), level_off.end() - 1);
    for (std::uint32_t s = 0; s < nsw; ++s) by_level[fill[t.level[s]]++] = s;
  }
  const std::uint32_t W = t.words;
  auto or_into = [W](Word* dst, const Word* src) {
    for (std::uint32_t w = 0; w < W; ++w) dst[w] |= src[w];
  };

  // cov (bottom-up), then V_m for m above the level (top-down).
  t.v.assign(std::size_t(nsw) * t.levels * W, 0);
  for (std::uint32_t l = 0; l < t.levels; ++l)
    for (std::uint32_t k = level_off[l]; k < level_off[l + 1]; ++k) {
      const std::uint32_t s = by_level[k];
      Word* c = t.row(s, l);
      c[s >> 6] |= Word(1) << (s & 63);
      for (const Link& d : t.downs(s)) or_into(c, t.row(d.target, l - 1));
    }
  for (std::uint32_t l = t.levels - 1; l-- > 0;)
    for (std::uint32_t k = level_off[l]; k < level_off[l + 1]; ++k) {
      const std::uint32_t s = by_level[k];
      for (std::uint32_t m = l + 1; m < t.levels; ++m) {
        Word* r = t.row(s, m);
        for (const Link& p : t.ups(s)) or_into(r, t.row(p.target, m));
      }
    }

  // Uniformity, reach, desc.
  t.uniform.assign(nsw, 0);
  t.reach.assign(std::size_t(nsw) * W, 0);
  t.desc.assign(std::size_t(nsw) * W, 0);
  for (std::uint32_t s = 0; s < nsw; ++s) {
    const std::uint32_t l = t.level[s];
    const auto ups = t.ups(s);
    if (!ups.empty()) {
      bool same = true;
      const std::size_t n = std::size_t(t.levels - 1 - l) * W * sizeof(Word);
      for (std::size_t i = 1; i < ups.size() && same; ++i)
        same = std::memcmp(t.row(ups[0].target, l + 1), t.row(ups[i].target, l + 1), n) == 0;
      t.uniform[s] = same ? 1 : 0;
    }
    Word* r = t.reach.data() + std::size_t(s) * W;
    for (std::uint32_t m = l; m < t.levels; ++m) or_into(r, t.row(s, m));
  }
  for (std::uint32_t k = 0; k < nsw; ++k) {
    const std::uint32_t s = by_level[k];  // children first
    Word* d = t.desc.data() + std::size_t(s) * W;
    std::memcpy(d, t.reach.data() + std::size_t(s) * W, W * sizeof(Word));
    const auto downs = t.downs(s);
    if (!downs.empty()) or_into(d, t.desc.data() + std::size_t(downs[0].target) * W);
  }

  // Every leaf must reach every leaf up*/down*.
  std::vector<Word> leaves(W, 0), missing(W);
  for (std::uint32_t k = level_off[0]; k < level_off[1]; ++k) leaves[by_level[k] >> 6] |= Word(1) << (by_level[k] & 63);
  for (std::uint32_t k = level_off[0]; k < level_off[1]; ++k) {
    const std::uint32_t s = by_level[k];
    const Word* r = t.reach.data() + std::size_t(s) * W;
    for (std::uint32_t w = 0; w < W; ++w) missing[w] = leaves[w] & ~r[w];
    const std::uint32_t m = first_bit(missing.data(), W);
    if (m != npos)
      return fail(errc::not_supported, "ftree: leaf switch " + guid_of(view, s) + " cannot reach leaf switch " +
                                           guid_of(view, m) +
                                           " by an up*/down* path (links missing?): not routable as a fat tree");
  }

  // Targets that some switch reaches neither up*/down* nor by going down
  // first (switch LIDs on degraded trees): shortest-path distances.
  std::vector<Word> all(W, ~Word(0));
  for (std::uint32_t s = 0; s < nsw; ++s)
    for (std::uint32_t w = 0; w < W; ++w) all[w] &= t.desc[std::size_t(s) * W + w];
  t.bad_id.assign(nsw, npos);
  std::uint32_t nbad = 0;
  for (std::uint32_t x = 0; x < nsw; ++x)
    if (!test(all.data(), x)) t.bad_id[x] = nbad++;
  if (nbad) {
    t.dist.assign(std::size_t(nbad) * nsw, detail::unreachable_hops);
    for (std::uint32_t x = 0; x < nsw; ++x) {
      if (t.bad_id[x] == npos) continue;
      std::uint16_t* row = t.dist.data() + std::size_t(t.bad_id[x]) * nsw;
      q.clear();
      row[x] = 0;
      q.push_back(x);
      for (std::size_t h = 0; h < q.size(); ++h)
        for (const model::Edge& e : view.edges(q[h]))
          if (e.target < nsw && row[e.target] == detail::unreachable_hops) {
            row[e.target] = std::uint16_t(row[q[h]] + 1);
            q.push_back(e.target);
          }
    }
  }

  // First down port (and count) toward each switch below.
  t.down_tab.assign(std::size_t(nsw) * nsw, 0);
  for (std::uint32_t s = 0; s < nsw; ++s) {
    std::uint16_t* tab = t.down_tab.data() + std::size_t(s) * nsw;
    for (const Link& d : t.downs(s)) {
      const Word* c = t.cov(d.target);
      for (std::uint32_t w = 0; w < W; ++w)
        for (Word bits = c[w]; bits; bits &= bits - 1) {
          std::uint16_t& e = tab[w * 64 + std::uint32_t(__builtin_ctzll(bits))];
          if (e == 0) e = std::uint16_t(d.port | (1u << 8));
          else if ((e >> 8) < 255) e = std::uint16_t(e + (1u << 8));
        }
    }
  }
  return t;
}

// Up and down-port choices shared by compute() and reroute().
struct Labels {
  std::vector<std::uint64_t> dix;    // per LID: d-mod-k destination index
  std::vector<std::uint8_t> label;   // l * space + lid: up label at level l < h
  std::vector<std::uint64_t> upp_off;
  std::vector<std::uint8_t> upp;     // per switch: its up ports repeated to U_l entries
};

// P_l (products of the largest up-degrees below level l) and the LMC stride.
std::vector<std::uint64_t> products(const std::vector<std::uint32_t>& max_up, std::uint64_t& stride) {
  constexpr std::uint64_t cap = std::uint64_t(1) << 48;
  const std::size_t levels = max_up.size();
  std::vector<std::uint64_t> P(levels, 1);
  stride = 0;
  for (std::size_t l = 0; l + 1 < levels; ++l) {
    stride += P[l];
    P[l + 1] = std::min(cap, P[l] * std::max<std::uint32_t>(max_up[l], 1));
  }
  return P;
}

// Endpoint LIDs numbered D = 0.. leaf by leaf (view order, then port
// order); LID q of a port gets D + q * stride. Marks the numbered LIDs.
void number_endpoints(const TopologyView& view, const RouteTable& table, std::uint64_t stride,
                      std::vector<std::uint64_t>& dix, std::vector<std::uint8_t>* numbered) {
  std::uint64_t next = 0;
  for (std::uint32_t s = 0; s < view.switch_count(); ++s)
    for (const model::Edge& e : view.edges(s)) {
      if (view.is_switch(e.target)) continue;
      const Lid b = table.base_lid(e.target, e.remote_port);
      if (!b) continue;
      const unsigned n = table.lid_count(e.target, e.remote_port);
      for (unsigned k = 0; k < n && b + k < dix.size(); ++k) {
        dix[b + k] = next + k * stride;
        if (numbered) (*numbered)[b + k] = 1;
      }
      ++next;
    }
}

void make_labels(const Tree& tree, const std::vector<std::uint64_t>& P, Labels& L) {
  const std::size_t space = L.dix.size();
  const std::uint32_t h = tree.levels - 1, nsw = tree.nsw;
  L.label.assign(std::size_t(h) * space, 0);
  for (std::uint32_t l = 0; l < h; ++l) {
    const std::uint64_t u = std::max<std::uint32_t>(tree.max_up[l], 1);
    std::uint8_t* lab = L.label.data() + std::size_t(l) * space;
    for (std::size_t lid = 0; lid < space; ++lid) lab[lid] = std::uint8_t(L.dix[lid] / P[l] % u);
  }
  L.upp_off.assign(std::size_t(nsw) + 1, 0);
  for (std::uint32_t s = 0; s < nsw; ++s)
    L.upp_off[s + 1] = L.upp_off[s] + (tree.ups(s).empty() ? 0 : tree.max_up[tree.level[s]]);
  L.upp.assign(L.upp_off[nsw], 0);
  for (std::uint32_t s = 0; s < nsw; ++s) {
    const auto ups = tree.ups(s);
    for (std::uint64_t j = 0; j < L.upp_off[s + 1] - L.upp_off[s]; ++j) L.upp[L.upp_off[s] + j] = ups[j % ups.size()].port;
  }
}

// Fills the LFT entries of `lids` (ascending) on every switch. With
// `keep`, an entry toward an endpoint's or switch's leaf that is still a
// legal choice of the rules (a down port to a child with the target below
// it; an up port to a parent from which the target is reachable at the
// lowest level) is left as it is; only the others get the rules' choice.
// Every hop of such a path still shortens the up*/down* distance by one,
// so the mix stays minimal, loop-free and up*/down*.
void fill(const TopologyView& view, const Tree& tree, const Labels& L, const detail::Destinations& dst,
          RouteTable& table, unsigned threads, std::span<const Lid> lids, bool keep) {
  const std::uint32_t nsw = tree.nsw;
  const std::size_t space = table.lid_space();
  const std::uint32_t h = tree.levels - 1;
  const std::uint32_t W = tree.words;
  const unsigned workers = detail::worker_count(threads, nsw);
  // Up-port candidates of the current destination switch, one vector per
  // worker, each on its own cache lines: vectors side by side would share
  // a line, and every push_back would bounce it between cores.
  struct alignas(64) Scratch {
    std::vector<std::uint8_t> cand;
  };
  std::vector<Scratch> scratch(workers);
  detail::parallel_for(nsw, workers, 4, [&](unsigned w, std::size_t si) {
    const auto s = std::uint32_t(si);
    auto lft = table.lft(s);
    const std::uint32_t l = tree.level[s];
    const Word* cov = tree.cov(s);
    const Word* reach = tree.reach.data() + std::size_t(s) * W;
    const Word* desc = tree.desc.data() + std::size_t(s) * W;
    const std::uint16_t* dtab = tree.down_tab.data() + std::size_t(s) * nsw;
    const std::uint8_t* lab = l < h ? L.label.data() + std::size_t(l) * space : nullptr;
    const std::uint8_t* up = L.upp.data() + L.upp_off[s];
    const bool uniform = tree.uniform[s] != 0;
    const auto downs = tree.downs(s);
    auto& cand = scratch[w].cand;
    std::uint32_t cand_for = npos, cand_level = 0;
    std::array<std::uint32_t, 256> peer;  // switch on each port (keep only)
    peer.fill(npos);
    if (keep) {
      for (const Link& d : downs) peer[d.port] = d.target;
      for (const Link& p : tree.ups(s)) peer[p.port] = p.target;
    }
    for (const Lid lid : lids) {
      if (lid == 0 || lid >= space) continue;
      const std::uint32_t t = dst.dest_switch[lid];
      if (t == npos) {
        lft[lid] = no_route;
      } else if (t == s) {
        lft[lid] = dst.final_port[lid];
      } else if (keep && test(cov, t) && peer[lft[lid]] != npos && tree.level[peer[lft[lid]]] < l &&
                 test(tree.cov(peer[lft[lid]]), t)) {
        continue;  // still a down port toward t
      } else if (test(cov, t)) {
        const std::uint16_t code = dtab[t];
        if ((code >> 8) == 1) {
          lft[lid] = std::uint8_t(code & 255);
        } else {
          std::vector<std::uint8_t> ports;
          for (const Link& d : downs)
            if (test(tree.cov(d.target), t)) ports.push_back(d.port);
          lft[lid] = ports[L.dix[lid] % ports.size()];
        }
      } else if (test(reach, t)) {
        const std::uint32_t cur = keep ? peer[lft[lid]] : npos;
        const bool cur_up = cur != npos && tree.level[cur] > l;
        if (uniform) {
          if (!cur_up) lft[lid] = up[lab[lid]];  // uniform: every up port is minimal
          continue;
        }
        if (cand_for != t) {
          cand.clear();
          cand_for = t;
          std::uint32_t m = l + 1;
          while (!test(tree.row(s, m), t)) ++m;  // exists: t is in reach, not below
          cand_level = m;
          for (const Link& p : tree.ups(s))
            if (test(tree.row(p.target, m), t)) cand.push_back(p.port);
        }
        if (cur_up && test(tree.row(cur, cand_level), t)) continue;
        lft[lid] = cand[lab[lid] % cand.size()];
      } else if (test(desc, t)) {
        lft[lid] = downs[0].port;
      } else {
        const std::uint16_t* row = tree.dist.data() + std::size_t(tree.bad_id[t]) * nsw;
        for (const model::Edge& e : view.edges(s))
          if (e.target < nsw && row[s] != detail::unreachable_hops && row[e.target] + 1 == row[s]) {
            lft[lid] = e.local_port;
            break;
          }
      }
    }
  });
}

class Ftree final : public Engine {
 public:
  std::string_view name() const noexcept override { return "ftree"; }

  Result<RouteTable> compute(const TopologyView& view, const Options& options) const override {
    const std::uint32_t nsw = view.switch_count();
    if (nsw == 0) return fail(errc::invalid_argument, "ftree: the fabric has no switches");
    auto tree_r = build(view);
    if (!tree_r) return fail(std::move(tree_r).error());
    const Tree& tree = *tree_r;
    auto table = RouteTable::create(view, options.lmc);
    if (!table) return fail(std::move(table).error());
    const auto dst = detail::destinations(view, *table);
    const std::size_t space = table->lid_space();

    std::uint64_t stride = 0;
    const auto P = products(tree.max_up, stride);
    Labels L;
    L.dix.assign(space, 0);
    for (std::uint32_t s = 0; s < nsw; ++s)
      if (const Lid b = table->base_lid(s, 0)) L.dix[b] = s;
    number_endpoints(view, *table, stride, L.dix, nullptr);
    make_labels(tree, P, L);
    std::vector<Lid> all(space > 0 ? space - 1 : 0);
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = Lid(i + 1);
    fill(view, tree, L, dst, *table, options.threads, all, false);
    table->set_engine("ftree");
    return table;
  }

  // Incremental hook. The fat-tree structure is rebuilt for the new view
  // (O(switches^2 / 64), small next to the tables). In the affected LIDs'
  // columns an entry that is still a legal choice is kept and every other
  // one gets compute()'s choice, the one a full compute() on the new view
  // gives, as long as the d-mod-k labels are the same: that holds when
  // every surviving switch keeps its level, the largest up-degree per
  // level is unchanged, and the endpoint numbering is taken from the old
  // view (LIDs are stable). The other columns are kept: their paths
  // survived the change and, levels being the same, are up*/down* paths of
  // the same ranking as the new ones, so the union stays deadlock-free on
  // one VL; link down shortens no path, so kept minimal paths stay minimal
  // (link up: reroute() marks the LIDs whose distances shrank as
  // affected). Anything else is not_supported.
  Result<void> reroute(const TopologyView& old_view, const RouteTable& old, const TopologyView& new_view,
                       const Options& options, std::span<const Lid> affected, RouteTable& out) const override {
    if (new_view.switch_count() == 0) return fail(errc::invalid_argument, "ftree: the fabric has no switches");
    auto tree_r = build(new_view);
    if (!tree_r) return fail(errc::not_supported, tree_r.error().message);
    const Tree& tree = *tree_r;

    // Old levels and up-degrees, switches matched by GUID.
    const std::uint32_t onsw = old_view.switch_count();
    std::vector<std::uint32_t> olevel(onsw, npos), q;
    for (std::uint32_t s = 0; s < onsw; ++s)
      for (const model::Edge& e : old_view.edges(s))
        if (!old_view.is_switch(e.target)) {
          olevel[s] = 0;
          q.push_back(s);
          break;
        }
    std::uint32_t otop = 0;
    for (std::size_t k = 0; k < q.size(); ++k)
      for (const model::Edge& e : old_view.edges(q[k]))
        if (e.target < onsw && olevel[e.target] == npos) {
          olevel[e.target] = olevel[q[k]] + 1;
          otop = std::max(otop, olevel[e.target]);
          q.push_back(e.target);
        }
    if (otop + 1 != tree.levels)
      return fail(errc::not_supported, "ftree: the fat tree has " + std::to_string(tree.levels) +
                                           " levels after the change, " + std::to_string(otop + 1) + " before");
    std::vector<std::uint32_t> omax_up(tree.levels, 0);
    for (std::uint32_t o = 0; o < onsw; ++o) {
      if (olevel[o] == npos) continue;
      std::uint32_t nu = 0;
      for (const model::Edge& e : old_view.edges(o))
        if (e.target < onsw && olevel[e.target] != npos && olevel[e.target] > olevel[o]) ++nu;
      omax_up[olevel[o]] = std::max(omax_up[olevel[o]], nu);
      const std::uint32_t n = new_view.find(old_view.guid(o));
      if (n == npos || !new_view.is_switch(n)) continue;
      if (tree.level[n] != olevel[o])
        return fail(errc::not_supported, "ftree: switch " + guid_of(new_view, n) + " moved from level " +
                                             std::to_string(olevel[o]) + " to " + std::to_string(tree.level[n]));
      if (nu > 0 && tree.ups(n).empty())
        return fail(errc::not_supported, "ftree: switch " + guid_of(new_view, n) + " (level " +
                                             std::to_string(tree.level[n]) + ") lost all its up-links");
    }
    for (std::uint32_t l = 0; l < tree.levels; ++l)
      if (omax_up[l] != tree.max_up[l])
        return fail(errc::not_supported, "ftree: the largest up-degree on level " + std::to_string(l) +
                                             " changed from " + std::to_string(omax_up[l]) + " to " +
                                             std::to_string(tree.max_up[l]) + ", which changes every up label");

    // Labels: endpoint numbering of the old view (the one the kept columns
    // were computed with), switch LIDs by new view index as in compute().
    const std::size_t space = out.lid_space();
    std::uint64_t stride = 0;
    const auto P = products(tree.max_up, stride);
    Labels L;
    L.dix.assign(space, 0);
    std::vector<std::uint8_t> numbered(space, 0);
    number_endpoints(old_view, old, stride, L.dix, &numbered);
    for (std::uint32_t s = 0; s < tree.nsw; ++s)
      if (const Lid b = out.base_lid(s, 0)) L.dix[b] = s, numbered[b] = 1;
    const auto dst = detail::destinations(new_view, out);
    for (const Lid lid : affected)
      if (lid < space && dst.dest_switch[lid] != npos && !numbered[lid])
        return fail(errc::not_supported, "ftree: LID " + std::to_string(lid) +
                                             " is an endpoint that was not linked before the change");
    make_labels(tree, P, L);
    fill(new_view, tree, L, dst, out, options.threads, affected, true);
    return {};
  }
};

} // namespace

std::unique_ptr<Engine> make_ftree() { return std::make_unique<Ftree>(); }

} // namespace ofmf::routing::engines
