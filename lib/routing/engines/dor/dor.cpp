// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Dimension-order routing: meshes, tori with dateline VLs, HyperX (see dor.hpp).
#include "routing/engines/dor/dor.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "routing/detail/common.hpp"
#include "routing/detail/reroute.hpp"

namespace ofmf::routing::engines {
namespace {

using model::TopologyView;
constexpr std::uint32_t npos = TopologyView::npos;
constexpr unsigned max_dims = 16;
constexpr unsigned max_datelines = 4;  // SL is 4 bits

struct Grid {
  unsigned dims = 0;
  std::vector<std::uint32_t> size;  // per dimension
  std::vector<std::uint8_t> ring;   // per dimension
  std::vector<std::uint32_t> coord; // s * dims + d

  const std::uint32_t* at(std::uint32_t s) const noexcept { return coord.data() + std::size_t(s) * dims; }
  // +1, -1 or 0 for coordinate a toward b in dimension d.
  int direction(unsigned d, std::uint32_t a, std::uint32_t b) const noexcept {
    if (a == b) return 0;
    if (!ring[d]) return b > a ? 1 : -1;
    const std::uint32_t fwd = (b + size[d] - a) % size[d], bwd = size[d] - fwd;
    if (fwd != bwd) return fwd < bwd ? 1 : -1;
    return a % 2 == 0 ? 1 : -1;
  }
  // Rings of up to 3 have no two-hop paths; in a ring of 4 the only
  // two-hop paths are the ties, which go + from even and - from odd
  // coordinates: 0>1>2, 2>3>0, 1>0>3, 3>2>1 close no cycle of channels.
  bool dateline(unsigned d) const noexcept { return ring[d] && size[d] >= 5; }
};

std::string guid_of(const TopologyView& view, std::uint32_t i) { return model::format_guid(view.guid(i)); }

// Switch linked on port p of switch s, or npos.
std::uint32_t neighbour(const TopologyView& view, std::uint32_t s, unsigned p) {
  const auto ports = view.ports(s);
  if (p >= ports.size() || !ports[p].linked() || !view.is_switch(ports[p].peer)) return npos;
  return ports[p].peer;
}

std::string coords(const Grid& g, std::uint32_t s) {
  std::string out = "(";
  for (unsigned d = 0; d < g.dims; ++d) {
    if (d) out += ',';
    out += std::to_string(g.at(s)[d]);
  }
  out += ')';
  return out;
}

Result<Grid> detect(const TopologyView& view) {
  const std::uint32_t nsw = view.switch_count();
  Grid g;
  unsigned max_port = 0;
  for (std::uint32_t s = 0; s < nsw; ++s)
    for (const model::Edge& e : view.edges(s))
      if (e.target < nsw) max_port = std::max<unsigned>(max_port, e.local_port);
  if (max_port == 0) {
    if (nsw == 1) return g;  // a single switch: zero dimensions
    return fail(errc::not_supported, "dor: switch " + guid_of(view, 0) + " has no link to another switch");
  }
  const unsigned D = (max_port + 1) / 2;
  if (D > max_dims)
    return fail(errc::not_supported, "dor: switch-to-switch links on port " + std::to_string(max_port) + " mean " +
                                         std::to_string(D) + " dimensions (at most " + std::to_string(max_dims) +
                                         "): not a mesh or torus with ports 2d+1 (+) and 2d+2 (-)");
  for (std::uint32_t s = 0; s < nsw; ++s)
    for (const model::Edge& e : view.edges(s)) {
      const unsigned p = e.local_port;
      if (!view.is_switch(e.target)) {
        if (p <= 2 * D)
          return fail(errc::not_supported,
                      "dor: switch " + guid_of(view, s) + " has an endpoint on port " + std::to_string(p) +
                          ", but ports 1.." + std::to_string(2 * D) + " carry the " + std::to_string(D) +
                          " dimensions (port 2d+1 toward +, 2d+2 toward -): not a mesh or torus");
        continue;
      }
      const unsigned want = p % 2 ? p + 1 : p - 1;
      if (e.target == s || e.remote_port != want)
        return fail(errc::not_supported,
                    "dor: switch " + guid_of(view, s) + " port " + std::to_string(p) + " is linked to switch " +
                        guid_of(view, e.target) + " port " + std::to_string(e.remote_port) + "; dimension " +
                        std::to_string((p - 1) / 2) + " needs port " + std::to_string(p) + " linked to port " +
                        std::to_string(want) + " of the neighbour: not a mesh or torus");
    }

  // Size and kind of each dimension from switch 0; its coordinates.
  g.dims = D;
  g.size.assign(D, 0);
  g.ring.assign(D, 0);
  std::vector<std::uint32_t> origin(D, 0);
  std::uint64_t cells = 1;
  for (unsigned d = 0; d < D; ++d) {
    std::uint32_t plus = 0, minus = 0, cur = 0;
    for (;;) {
      const std::uint32_t n = neighbour(view, cur, 2 * d + 1);
      if (n == npos) break;
      ++plus;
      if (n == 0) {
        g.ring[d] = 1;
        break;
      }
      if (plus > nsw)
        return fail(errc::not_supported, "dor: walking + in dimension " + std::to_string(d) + " from switch " +
                                             guid_of(view, 0) + " never returns nor ends: not a mesh or torus");
      cur = n;
    }
    if (g.ring[d]) {
      g.size[d] = plus;
    } else {
      cur = 0;
      for (;;) {
        const std::uint32_t n = neighbour(view, cur, 2 * d + 2);
        if (n == npos) break;
        if (++minus > nsw || n == 0)
          return fail(errc::not_supported, "dor: walking - in dimension " + std::to_string(d) + " from switch " +
                                               guid_of(view, 0) + " closes a ring that + does not: not a mesh or torus");
        cur = n;
      }
      g.size[d] = plus + minus + 1;
      origin[d] = minus;
    }
    cells *= g.size[d];
    if (cells > nsw) break;
  }
  if (cells != nsw)
    return fail(errc::not_supported, "dor: the lines through switch " + guid_of(view, 0) + " span a grid of " +
                                         (cells > nsw ? "more" : "fewer") + " cells than the " +
                                         std::to_string(nsw) + " switches: not a full mesh or torus");

  // Coordinates by BFS; every link must step by one in its dimension.
  g.coord.assign(std::size_t(nsw) * D, UINT32_MAX);
  std::vector<std::uint8_t> seen(nsw, 0);
  std::vector<std::uint32_t> q{0};
  std::copy(origin.begin(), origin.end(), g.coord.begin());
  seen[0] = 1;
  std::vector<std::uint32_t> want(D);
  for (std::size_t h = 0; h < q.size(); ++h) {
    const std::uint32_t x = q[h];
    for (unsigned d = 0; d < D; ++d)
      for (int dir : {1, -1}) {
        const unsigned p = dir > 0 ? 2 * d + 1 : 2 * d + 2;
        const std::uint32_t n = neighbour(view, x, p);
        const std::uint32_t c = g.at(x)[d];
        const bool edge = !g.ring[d] && (dir > 0 ? c + 1 == g.size[d] : c == 0);
        if (n == npos) {
          if (edge) continue;
          return fail(errc::not_supported, "dor: switch " + guid_of(view, x) + " at " + coords(g, x) +
                                               " has no switch on port " + std::to_string(p) + " (dimension " +
                                               std::to_string(d) + (dir > 0 ? " +" : " -") +
                                               "): DOR needs the whole mesh or torus");
        }
        std::copy(g.at(x), g.at(x) + D, want.begin());
        if (edge)
          return fail(errc::not_supported, "dor: switch " + guid_of(view, x) + " at " + coords(g, x) + " port " +
                                               std::to_string(p) + " leaves the " + std::to_string(g.size[d]) +
                                               "-switch line of dimension " + std::to_string(d) +
                                               ": not a mesh or torus");
        want[d] = dir > 0 ? (c + 1) % g.size[d] : (c + g.size[d] - 1) % g.size[d];
        if (!seen[n]) {
          seen[n] = 1;
          std::copy(want.begin(), want.end(), g.coord.begin() + std::ptrdiff_t(n) * D);
          q.push_back(n);
        } else if (!std::equal(want.begin(), want.end(), g.at(n))) {
          return fail(errc::not_supported, "dor: switch " + guid_of(view, n) + " is at " + coords(g, n) +
                                               " and also one step from " + coords(g, x) + " (switch " +
                                               guid_of(view, x) + ") in dimension " + std::to_string(d) +
                                               ": not a mesh or torus");
        }
      }
  }
  std::vector<std::uint8_t> taken(nsw, 0);
  for (std::uint32_t s = 0; s < nsw; ++s) {
    if (!seen[s])
      return fail(errc::not_supported, "dor: switch " + guid_of(view, s) + " is not connected to switch " +
                                           guid_of(view, 0) + " by dimension links");
    std::uint64_t idx = 0;
    for (unsigned d = D; d-- > 0;) idx = idx * g.size[d] + g.at(s)[d];
    if (taken[idx])
      return fail(errc::not_supported, "dor: switch " + guid_of(view, s) + " has coordinates " + coords(g, s) +
                                           " of another switch: not a mesh or torus");
    taken[idx] = 1;
  }
  return g;
}

// Port out of switch s toward switch t (s != t).
std::uint8_t route(const Grid& g, std::uint32_t s, std::uint32_t t) noexcept {
  const std::uint32_t* a = g.at(s);
  const std::uint32_t* b = g.at(t);
  for (unsigned d = 0; d < g.dims; ++d) {
    const int dir = g.direction(d, a[d], b[d]);
    if (dir) return std::uint8_t(dir > 0 ? 2 * d + 1 : 2 * d + 2);
  }
  return no_route;
}

// HyperX (a Hamming graph K_{S_0} x .. x K_{S_{L-1}}, parallel links
// allowed): coordinates found from the graph alone, no port convention.
struct HyperX {
  unsigned dims = 0;
  std::vector<std::uint32_t> size;   // S_d, per dimension
  std::vector<std::uint32_t> off;    // first key of dimension d: S_0 + .. + S_{d-1}
  std::vector<std::uint32_t> coord;  // s * dims + d
  std::uint32_t keys = 0;            // S_0 + .. + S_{L-1}
  std::vector<std::uint32_t> slot;   // s * keys + off[d] + c: first port toward coordinate c in dimension d
  std::vector<std::uint8_t> ports;   // switch ports, grouped by slot (port order)

  const std::uint32_t* at(std::uint32_t s) const noexcept { return coord.data() + std::size_t(s) * dims; }
};

Result<HyperX> detect_hyperx(const TopologyView& view) {
  const std::uint32_t nsw = view.switch_count();
  auto refuse = [](std::string why) { return fail(errc::not_supported, "not a HyperX: " + std::move(why)); };
  // Distinct switch neighbours per switch (CSR, ascending).
  std::vector<std::uint32_t> noff(std::size_t(nsw) + 1, 0), nbr;
  for (std::uint32_t s = 0; s < nsw; ++s) {
    const std::size_t first = nbr.size();
    for (const model::Edge& e : view.edges(s)) {
      if (e.target >= nsw) continue;
      if (e.target == s) return refuse("switch " + guid_of(view, s) + " port " + std::to_string(e.local_port) +
                                       " is linked to the switch itself");
      nbr.push_back(e.target);
    }
    std::sort(nbr.begin() + std::ptrdiff_t(first), nbr.end());
    nbr.erase(std::unique(nbr.begin() + std::ptrdiff_t(first), nbr.end()), nbr.end());
    noff[s + 1] = std::uint32_t(nbr.size());
  }
  auto adjacent = [&](std::uint32_t a, std::uint32_t b) {
    return std::binary_search(nbr.begin() + noff[a], nbr.begin() + noff[a + 1], b);
  };
  // Lines through switch 0: its neighbours split into classes of mutually
  // linked switches (in a Hamming graph two neighbours of a switch are
  // linked iff they differ from it in the same dimension), taken in the
  // order of switch 0's lowest port toward them.
  std::vector<std::uint32_t> order;  // neighbours of 0 by lowest port
  for (const model::Edge& e : view.edges(0))
    if (e.target < nsw && std::find(order.begin(), order.end(), e.target) == order.end()) order.push_back(e.target);
  std::vector<std::vector<std::uint32_t>> lines;  // lines[d][c], c = 0 is switch 0
  std::vector<std::uint8_t> classed(nsw, 0);
  for (std::uint32_t u : order) {
    if (classed[u]) continue;
    std::vector<std::uint32_t> line{0, u};
    classed[u] = 1;
    for (std::uint32_t w : order)
      if (!classed[w] && adjacent(u, w)) line.push_back(w), classed[w] = 1;
    lines.push_back(std::move(line));
  }
  if (lines.empty()) return refuse("switch " + guid_of(view, 0) + " has no link to another switch");
  if (lines.size() > max_dims)
    return refuse("switch " + guid_of(view, 0) + " lies on " + std::to_string(lines.size()) +
                  " lines of mutually linked switches (at most " + std::to_string(max_dims) + " dimensions)");
  HyperX h;
  h.dims = unsigned(lines.size());
  std::uint64_t cells = 1;
  for (const auto& line : lines) {
    h.off.push_back(h.keys);
    h.size.push_back(std::uint32_t(line.size()));
    h.keys += std::uint32_t(line.size());
    cells *= line.size();
    if (cells > nsw) break;
  }
  std::string shape;
  for (std::uint32_t sz : h.size) shape += (shape.empty() ? "" : "x") + std::to_string(sz);
  if (cells != nsw)
    return refuse("the lines through switch " + guid_of(view, 0) + " span " + (cells > nsw ? "more" : "fewer") +
                  " cells (" + shape + (cells > nsw ? "..." : "") + ") than the " + std::to_string(nsw) +
                  " switches");
  // Coordinate in dimension d: the member of line d the switch is closest
  // to (in a Hamming graph hops(x, line[d][c]) = (nonzero coordinates of x
  // outside d) + [x_d != c], so the minimum is unique and at c = x_d).
  const auto graph = detail::switch_graph(view);
  std::vector<std::uint16_t> row(nsw), best(nsw);
  std::vector<std::uint8_t> ties(nsw);
  std::vector<std::uint32_t> q;
  h.coord.assign(std::size_t(nsw) * h.dims, 0);
  for (unsigned d = 0; d < h.dims; ++d) {
    std::fill(best.begin(), best.end(), detail::unreachable_hops);
    for (std::uint32_t c = 0; c < h.size[d]; ++c) {
      detail::bfs(graph, lines[d][c], row.data(), q);
      for (std::uint32_t s = 0; s < nsw; ++s) {
        if (row[s] < best[s]) best[s] = row[s], ties[s] = 0, h.coord[std::size_t(s) * h.dims + d] = c;
        else if (row[s] == best[s]) ties[s] = 1;
      }
    }
    for (std::uint32_t s = 0; s < nsw; ++s) {
      if (best[s] == detail::unreachable_hops)
        return refuse("switch " + guid_of(view, s) + " is not connected to switch " + guid_of(view, 0));
      if (ties[s])
        return refuse("switch " + guid_of(view, s) + " is equally close to two switches of line " +
                      std::to_string(d) + " through switch " + guid_of(view, 0));
    }
  }
  // One switch per cell; every link steps in exactly one dimension; every
  // switch has S_0 - 1 + .. + S_{L-1} - 1 distinct neighbours. Then each
  // switch is linked to all cells that differ in one coordinate: the graph
  // is exactly the Hamming graph.
  std::vector<std::uint8_t> taken(nsw, 0);
  const std::uint32_t degree = h.keys - h.dims;
  for (std::uint32_t s = 0; s < nsw; ++s) {
    std::uint64_t idx = 0;
    for (unsigned d = h.dims; d-- > 0;) idx = idx * h.size[d] + h.at(s)[d];
    if (taken[idx]) return refuse("switch " + guid_of(view, s) + " gets the coordinates of another switch");
    taken[idx] = 1;
    if (noff[s + 1] - noff[s] != degree)
      return refuse("switch " + guid_of(view, s) + " has " + std::to_string(noff[s + 1] - noff[s]) +
                    " distinct switch neighbours, a " + shape + " HyperX has " + std::to_string(degree));
    for (std::uint32_t k = noff[s]; k < noff[s + 1]; ++k) {
      unsigned differ = 0;
      for (unsigned d = 0; d < h.dims; ++d) differ += h.at(s)[d] != h.at(nbr[k])[d];
      if (differ != 1)
        return refuse("switch " + guid_of(view, s) + " is linked to switch " + guid_of(view, nbr[k]) +
                      ", which differs from it in " + std::to_string(differ) + " coordinates");
    }
  }
  // Ports toward each neighbour (trunks in port order).
  h.slot.assign(std::size_t(nsw) * h.keys + 1, 0);
  auto key = [&](std::uint32_t s, std::uint32_t t) {
    unsigned d = 0;
    while (h.at(s)[d] == h.at(t)[d]) ++d;
    return std::size_t(s) * h.keys + h.off[d] + h.at(t)[d];
  };
  for (std::uint32_t s = 0; s < nsw; ++s)
    for (const model::Edge& e : view.edges(s))
      if (e.target < nsw) ++h.slot[key(s, e.target) + 1];
  for (std::size_t i = 1; i < h.slot.size(); ++i) h.slot[i] += h.slot[i - 1];
  h.ports.resize(h.slot.back());
  std::vector<std::uint32_t> fill(h.slot.begin(), h.slot.end() - 1);
  for (std::uint32_t s = 0; s < nsw; ++s) {
    std::vector<model::Edge> es(view.edges(s).begin(), view.edges(s).end());
    std::sort(es.begin(), es.end(), [](const model::Edge& a, const model::Edge& b) { return a.local_port < b.local_port; });
    for (const model::Edge& e : es)
      if (e.target < nsw) h.ports[fill[key(s, e.target)]++] = std::uint8_t(e.local_port);
  }
  return h;
}

// Port out of switch s toward switch t (s != t) for LID `lid`: the first
// dimension in which they differ, straight to t's coordinate; among
// parallel links the LID picks one (lid mod trunks).
std::uint8_t route_hyperx(const HyperX& h, std::uint32_t s, std::uint32_t t, std::size_t lid) noexcept {
  const std::uint32_t* a = h.at(s);
  const std::uint32_t* b = h.at(t);
  for (unsigned d = 0; d < h.dims; ++d) {
    if (a[d] == b[d]) continue;
    const std::size_t k = std::size_t(s) * h.keys + h.off[d] + b[d];
    const std::uint32_t n = h.slot[k + 1] - h.slot[k];
    return h.ports[h.slot[k] + lid % n];
  }
  return no_route;
}

Result<void> fill_vls(const TopologyView& view, const Grid& g, const Options& options, RouteTable& table) {
  const std::uint32_t nsw = view.switch_count();
  if (table.switch_count() != nsw)
    return fail(errc::invalid_argument, "dor: the table has " + std::to_string(table.switch_count()) +
                                            " switches, the fabric " + std::to_string(nsw));
  std::vector<unsigned> lines;  // dateline dimensions; bit j of the SL is lines[j]
  for (unsigned d = 0; d < g.dims; ++d)
    if (g.dateline(d)) lines.push_back(d);
  if (lines.empty()) return {};  // deadlock-free on VL 0
  if (lines.size() > max_datelines)
    return fail(errc::not_supported, "dor: " + std::to_string(lines.size()) +
                                         " torus dimensions of size >= 5 need one SL bit each; SLs have " +
                                         std::to_string(max_datelines));
  if (options.max_vls < 2)
    return fail(errc::not_supported, "dor: a torus with rings of size >= 5 needs 2 VLs (dateline), max_vls is " +
                                         std::to_string(options.max_vls));
  const std::size_t space = table.lid_space();
  table.enable_sl();
  table.enable_sl2vl(view);

  // SL per (ingress switch, destination LID): bit j when the path crosses
  // the wrap link of dimension lines[j].
  const auto dst = detail::destinations(view, table);
  for (std::uint32_t a = 0; a < nsw; ++a)
    for (std::size_t lid = 1; lid < space; ++lid) {
      const std::uint32_t b = dst.dest_switch[lid];
      if (b == npos) continue;
      std::uint8_t bits = 0;
      for (std::size_t j = 0; j < lines.size(); ++j) {
        const unsigned d = lines[j];
        const std::uint32_t x = g.at(a)[d], y = g.at(b)[d];
        const int dir = g.direction(d, x, y);
        if ((dir > 0 && y < x) || (dir < 0 && y > x)) bits = std::uint8_t(bits | (1u << j));
      }
      table.set_switch_path_sl(a, std::uint32_t(lid), bits);
    }
  // VL 1 for hops before the wrap link of a crossing path, VL 0 otherwise.
  for (std::uint32_t s = 0; s < nsw; ++s) {
    const std::size_t nports = view.ports(s).size();
    for (std::size_t j = 0; j < lines.size(); ++j) {
      const unsigned d = lines[j];
      const std::uint32_t x = g.at(s)[d];
      for (int dir : {1, -1}) {
        const bool before = dir > 0 ? 2 * x >= g.size[d] : 2 * x < g.size[d];
        if (!before) continue;
        const auto out = model::PortNum(dir > 0 ? 2 * d + 1 : 2 * d + 2);
        for (unsigned level = 0; level < 16; ++level) {
          if (!(level >> j & 1u)) continue;
          for (std::size_t in = 0; in < nports; ++in)
            table.set_vl(s, model::PortNum(in), out, std::uint8_t(level), 1);
        }
      }
    }
  }
  return {};
}

class Dor final : public Engine {
 public:
  std::string_view name() const noexcept override { return "dor"; }

  Result<RouteTable> compute(const TopologyView& view, const Options& options) const override {
    const std::uint32_t nsw = view.switch_count();
    if (nsw == 0) return fail(errc::invalid_argument, "dor: the fabric has no switches");
    auto grid = detect(view);
    if (!grid) {
      auto hx = detect_hyperx(view);
      if (!hx) return fail(errc::not_supported, grid.error().message + "; " + hx.error().message);
      return compute_hyperx(view, *hx, options);
    }
    const Grid& g = *grid;
    auto table = RouteTable::create(view, options.lmc);
    if (!table) return fail(std::move(table).error());
    const auto dst = detail::destinations(view, *table);
    const std::size_t space = table->lid_space();
    // Port toward every switch, per switch.
    const unsigned workers = detail::worker_count(options.threads, nsw);
    std::vector<std::vector<std::uint8_t>> toward(workers);
    detail::parallel_for(nsw, workers, 4, [&](unsigned w, std::size_t si) {
      const auto s = std::uint32_t(si);
      auto& port = toward[w];
      port.resize(nsw);
      for (std::uint32_t t = 0; t < nsw; ++t) port[t] = t == s ? 0 : route(g, s, t);
      auto lft = table->lft(s);
      for (std::size_t lid = 1; lid < space; ++lid) {
        const std::uint32_t t = dst.dest_switch[lid];
        if (t == npos) continue;
        lft[lid] = t == s ? dst.final_port[lid] : port[t];
      }
    });
    if (auto v = fill_vls(view, g, options, *table); !v) return fail(std::move(v).error());
    table->set_engine("dor");
    return table;
  }

  Result<void> assign_vls(const TopologyView& view, const Options& options, RouteTable& table) const override {
    if (view.switch_count() == 0) return fail(errc::invalid_argument, "dor: the fabric has no switches");
    auto grid = detect(view);
    if (!grid) {
      auto hx = detect_hyperx(view);
      if (!hx) return fail(errc::not_supported, grid.error().message + "; " + hx.error().message);
      return {};  // a HyperX needs no SLs or VLs
    }
    return fill_vls(view, *grid, options, table);
  }

 private:
  // Dimension order on a HyperX. Deadlock freedom on one VL: a path takes
  // dimensions in increasing order and at most one link per dimension
  // (each dimension is a full clique, so one hop reaches the target
  // coordinate). A channel dependency (c1 -> c2) needs one path using c1
  // then c2; if c1 is a link of dimension i, c2 is a link of a dimension
  // j > i (or the final link to an endpoint, which has no successor). So
  // every dependency strictly increases the dimension of the channel, and
  // no cycle of dependencies can close. Paths are minimal: one hop per
  // differing coordinate is the Hamming distance.
  static Result<RouteTable> compute_hyperx(const TopologyView& view, const HyperX& h, const Options& options) {
    const std::uint32_t nsw = view.switch_count();
    auto table = RouteTable::create(view, options.lmc);
    if (!table) return fail(std::move(table).error());
    const auto dst = detail::destinations(view, *table);
    const std::size_t space = table->lid_space();
    const unsigned workers = detail::worker_count(options.threads, nsw);
    detail::parallel_for(nsw, workers, 4, [&](unsigned, std::size_t si) {
      const auto s = std::uint32_t(si);
      auto lft = table->lft(s);
      for (std::size_t lid = 1; lid < space; ++lid) {
        const std::uint32_t t = dst.dest_switch[lid];
        if (t == npos) continue;
        lft[lid] = t == s ? dst.final_port[lid] : route_hyperx(h, s, t, lid);
      }
    });
    table->set_engine("dor");
    return table;
  }
};

} // namespace

std::unique_ptr<Engine> make_dor() { return std::make_unique<Dor>(); }

} // namespace ofmf::routing::engines
