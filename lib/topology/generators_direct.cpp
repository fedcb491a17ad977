// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Direct-network generators: torus/mesh, dragonfly, HyperX and random
// regular graphs. The port layouts are documented in
// include/ofmf/topology/generators.hpp.
#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ofmf/topology/generators.hpp"
#include "topology/detail/generator_common.hpp"

namespace ofmf::topology {

using detail::FabricBuilder;
using detail::Name;
using model::NodeId;

namespace {

constexpr std::uint64_t max_dim_size = std::uint64_t(1) << 24;

// Checks a lattice (each size 2..2^24, product within the caps) and
// returns the number of switches (saturating; plan() rejects it).
Result<std::uint64_t> check_dims(std::string_view gen, const std::vector<unsigned>& dims, std::size_t min_dims,
                                 std::size_t max_dims) {
  if (dims.size() < min_dims || dims.size() > max_dims)
    return detail::bad_range(gen, "number of dims", dims.size(), min_dims, max_dims);
  std::uint64_t n = 1;
  for (std::size_t d = 0; d < dims.size(); ++d) {
    if (dims[d] < 2 || dims[d] > max_dim_size)
      return detail::bad_range(gen, "dims[" + std::to_string(d) + "]", dims[d], 2, max_dim_size);
    n = detail::mul_sat(n, dims[d]);
  }
  return n;
}

Name coord_name(std::string_view prefix, std::uint64_t index, const std::vector<unsigned>& dims) {
  Name name(prefix);
  for (std::size_t d = 0; d < dims.size(); ++d) {
    if (d) name.add(".");
    name.add(index % dims[d]);
    index /= dims[d];
  }
  return name;
}

} // namespace

Result<model::Fabric> generate_torus(const TorusSpec& spec, const GeneratorOptions& options) {
  const std::string_view gen = spec.wrap ? "torus" : "mesh";
  auto count = check_dims(gen, spec.dims, 2, 3);
  if (!count) return fail(std::move(count).error());
  const unsigned D = unsigned(spec.dims.size());
  const unsigned E = spec.endpoints_per_switch;
  if (E < 1) return detail::bad_range(gen, "endpoints_per_switch", E, 1, model::max_ports - 2 * D);
  if (auto r = detail::check_ports(gen, "2*dims + endpoints_per_switch", 2ull * D + E); !r)
    return fail(std::move(r).error());
  const std::uint64_t n = *count;
  const unsigned ports = 2 * D + E;
  FabricBuilder b(gen, options);
  if (auto r = b.plan(n, detail::mul_sat(n, ports), detail::mul_sat(n, E)); !r) return fail(std::move(r).error());

  std::vector<NodeId> sw(n);
  const std::string prefix = std::string(gen) + "-";
  for (std::uint64_t i = 0; i < n; ++i) sw[i] = b.add_switch(ports, coord_name(prefix, i, spec.dims).view());
  std::uint64_t stride = 1;
  for (unsigned d = 0; d < D; ++d) {
    const std::uint64_t s = spec.dims[d];
    for (std::uint64_t i = 0; i < n; ++i) {
      const std::uint64_t x = (i / stride) % s;
      std::uint64_t next;
      if (x + 1 < s) next = i + stride;
      else if (spec.wrap && s > 2) next = i - x * stride;  // wrap to coordinate 0
      else continue;                                       // mesh border, or size-2 torus
      b.link(sw[i], 2 * d + 1, sw[next], 2 * d + 2);
    }
    stride *= s;
  }
  for (std::uint64_t i = 0; i < n * E; ++i) b.attach_endpoint(sw[i / E], 2 * D + 1 + unsigned(i % E));
  return std::move(b).finish();
}

Result<model::Fabric> generate_dragonfly(const DragonflySpec& spec, const GeneratorOptions& options) {
  constexpr std::string_view gen = "dragonfly";
  const unsigned a = spec.a, p = spec.p, h = spec.h;
  if (a < 1) return detail::bad_range(gen, "a", a, 1, model::max_ports);
  if (p < 1) return detail::bad_range(gen, "p", p, 1, model::max_ports);
  if (h < 1) return detail::bad_range(gen, "h", h, 1, model::max_ports);
  const std::uint64_t ports = std::uint64_t(p) + (a - 1) + h;
  if (auto r = detail::check_ports(gen, "a router (p + a-1 + h)", ports); !r) return fail(std::move(r).error());
  const std::uint64_t links_per_group = std::uint64_t(a) * h;  // <= 254^2
  const std::uint64_t g = spec.g == 0 ? links_per_group + 1 : spec.g;
  if (g < 2 || g > links_per_group + 1) return detail::bad_range(gen, "g (0 = a*h+1)", spec.g, 2, links_per_group + 1);
  const std::uint64_t routers = g * a;
  FabricBuilder b(gen, options);
  if (auto r = b.plan(routers, routers * ports, routers * p); !r) return fail(std::move(r).error());

  std::vector<NodeId> rt(routers);
  for (std::uint64_t G = 0; G < g; ++G)
    for (unsigned r = 0; r < a; ++r)
      rt[G * a + r] = b.add_switch(unsigned(ports), Name("df-g").add(G).add("-r").add(r).view());
  // Local: router r port p+1+(s<r ? s : s-1) <-> router s.
  for (std::uint64_t G = 0; G < g; ++G)
    for (unsigned r = 0; r < a; ++r)
      for (unsigned s = r + 1; s < a; ++s) b.link(rt[G * a + r], p + 1 + s - 1, rt[G * a + s], p + 1 + r);
  // Global: link k of group G (router k/h, port p+a+k%h), round q =
  // k/(g-1), offset o = k%(g-1)+1 -> group (G+o)%g, its link in round q
  // at offset g-o. Each link is made once, from the side with the smaller
  // offset (or the smaller group when the offsets are equal).
  const std::uint64_t span = g - 1;
  auto port_of = [&](std::uint64_t group, std::uint64_t k) {
    return std::pair{rt[group * a + k / h], unsigned(p + a + k % h)};
  };
  for (std::uint64_t G = 0; G < g; ++G)
    for (std::uint64_t k = 0; k < links_per_group; ++k) {
      const std::uint64_t q = k / span, o = k % span + 1, mo = g - o;
      const std::uint64_t T = (G + o) % g, k2 = q * span + mo - 1;
      if (k2 >= links_per_group) continue;  // mirror port does not exist
      if (o > mo || (o == mo && G > T)) continue;
      const auto [na, pa] = port_of(G, k);
      const auto [nb, pb] = port_of(T, k2);
      b.link(na, pa, nb, pb);
    }
  for (std::uint64_t i = 0; i < routers * p; ++i) b.attach_endpoint(rt[i / p], 1 + unsigned(i % p));
  return std::move(b).finish();
}

Result<model::Fabric> generate_hyperx(const HyperXSpec& spec, const GeneratorOptions& options) {
  constexpr std::string_view gen = "HyperX";
  auto count = check_dims(gen, spec.dims, 1, 8);
  if (!count) return fail(std::move(count).error());
  const unsigned T = spec.trunking, E = spec.endpoints_per_switch;
  if (T < 1) return detail::bad_range(gen, "trunking", T, 1, model::max_ports);
  if (E < 1) return detail::bad_range(gen, "endpoints_per_switch", E, 1, model::max_ports);
  std::uint64_t fabric_ports = 0;
  for (unsigned s : spec.dims) fabric_ports = detail::add_sat(fabric_ports, detail::mul_sat(T, s - 1));
  if (auto r = detail::check_ports(gen, "trunking*sum(dims-1) + endpoints_per_switch",
                                   detail::add_sat(fabric_ports, E));
      !r)
    return fail(std::move(r).error());
  const unsigned ports = unsigned(fabric_ports) + E;
  const std::uint64_t n = *count;
  FabricBuilder b(gen, options);
  if (auto r = b.plan(n, detail::mul_sat(n, ports), detail::mul_sat(n, E)); !r) return fail(std::move(r).error());

  std::vector<NodeId> sw(n);
  for (std::uint64_t i = 0; i < n; ++i) sw[i] = b.add_switch(ports, coord_name("hx-", i, spec.dims).view());
  std::uint64_t stride = 1;
  unsigned block = 1;  // first port of the current dimension
  for (std::size_t d = 0; d < spec.dims.size(); ++d) {
    const std::uint64_t s = spec.dims[d];
    for (std::uint64_t i = 0; i < n; ++i) {
      const std::uint64_t x = (i / stride) % s;
      for (std::uint64_t y = x + 1; y < s; ++y) {
        const std::uint64_t j = i + (y - x) * stride;
        // On i the peer y > x has rank y-1; on j the peer x < y has rank x.
        for (unsigned t = 0; t < T; ++t)
          b.link(sw[i], block + T * unsigned(y - 1) + t, sw[j], block + T * unsigned(x) + t);
      }
    }
    stride *= s;
    block += T * unsigned(s - 1);
  }
  for (std::uint64_t i = 0; i < n * E; ++i) b.attach_endpoint(sw[i / E], block + unsigned(i % E));
  return std::move(b).finish();
}

namespace {

using detail::RegularGraph;

RegularGraph random_regular_graph(std::uint32_t n, unsigned d, std::uint64_t seed) {
  RegularGraph g(n, d);
  detail::Rng rng(seed);
  if (d == 2) {  // the connected 2-regular graphs are the Hamiltonian cycles
    std::vector<std::uint32_t> perm(n);
    for (std::uint32_t i = 0; i < n; ++i) perm[i] = i;
    for (std::uint32_t i = n - 1; i > 0; --i) std::swap(perm[i], perm[rng.below(i + 1)]);
    for (std::uint32_t i = 0; i < n; ++i) {
      g.row(perm[i])[0] = perm[(i + 1) % n];
      g.row(perm[i])[1] = perm[(i + n - 1) % n];
    }
    g.sort_rows();
    return g;
  }
  // Circulant start: i ~ i +- j (j = 1..d/2), plus i ~ i + n/2 when d is odd.
  for (std::uint32_t i = 0; i < n; ++i) {
    unsigned slot = 0;
    for (unsigned j = 1; j <= d / 2; ++j) {
      g.row(i)[slot++] = std::uint32_t((i + j) % n);
      g.row(i)[slot++] = std::uint32_t((i + n - j) % n);
    }
    if (d % 2) g.row(i)[slot++] = std::uint32_t((i + n / 2) % n);
  }
  // Edge list (u < v) for uniform edge picks; kept in step with swaps.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
  edges.reserve(std::size_t(n) * d / 2);
  for (std::uint32_t u = 0; u < n; ++u)
    for (unsigned i = 0; i < d; ++i)
      if (const std::uint32_t v = g.row(u)[i]; u < v) edges.emplace_back(u, v);
  const std::uint64_t m = edges.size();
  if (m >= 2) {
    const std::uint64_t swaps = 10 * m;
    for (std::uint64_t s = 0; s < swaps; ++s) {
      const std::uint64_t i = rng.below(m), j = rng.below(m);
      if (i == j) continue;
      auto [a, b] = edges[i];
      auto [c, e] = edges[j];
      if (rng.next() & 1) std::swap(c, e);
      if (!g.try_swap(a, b, c, e)) continue;
      edges[i] = {std::min(a, c), std::max(a, c)};
      edges[j] = {std::min(b, e), std::max(b, e)};
    }
  }
  detail::join_components(g);
  g.sort_rows();
  return g;
}

} // namespace

Result<model::Fabric> generate_random_regular(const RandomRegularSpec& spec, const GeneratorOptions& options) {
  constexpr std::string_view gen = "random regular";
  const std::uint64_t n = spec.switches;
  const unsigned d = spec.degree, E = spec.endpoints_per_switch;
  if (n < 2 || n > max_generated_nodes) return detail::bad_range(gen, "switches", n, 2, max_generated_nodes);
  if (d < 1 || d >= n) return detail::bad_range(gen, "degree", d, 1, n - 1);
  if ((n * d) % 2 != 0)
    return fail(errc::invalid_argument, std::string(gen) + ": switches * degree = " + std::to_string(n) + " * " +
                                            std::to_string(d) + " is odd, a regular graph needs an even product");
  if (d == 1 && n != 2)
    return fail(errc::invalid_argument, std::string(gen) + ": degree = 1 with " + std::to_string(n) +
                                            " switches cannot be connected (degree 1 needs exactly 2 switches)");
  if (E < 1) return detail::bad_range(gen, "endpoints_per_switch", E, 1, model::max_ports);
  if (auto r = detail::check_ports(gen, "degree + endpoints_per_switch", std::uint64_t(d) + E); !r)
    return fail(std::move(r).error());
  FabricBuilder b(gen, options);
  if (auto r = b.plan(n, n * (d + E), n * E); !r) return fail(std::move(r).error());

  const RegularGraph g = random_regular_graph(std::uint32_t(n), d, spec.seed);
  std::vector<NodeId> sw(n);
  for (std::uint64_t i = 0; i < n; ++i) sw[i] = b.add_switch(d + E, Name("rr-").add(i).view());
  for (std::uint32_t u = 0; u < n; ++u) {
    const std::uint32_t* row = g.row(u);
    for (unsigned k = 0; k < d; ++k) {
      const std::uint32_t v = row[k];
      if (v < u) continue;
      const std::uint32_t* vr = g.row(v);
      const unsigned back = unsigned(std::lower_bound(vr, vr + d, u) - vr);
      b.link(sw[u], k + 1, sw[v], back + 1);
    }
  }
  for (std::uint64_t i = 0; i < n * E; ++i) b.attach_endpoint(sw[i / E], d + 1 + unsigned(i % E));
  return std::move(b).finish();
}

} // namespace ofmf::topology
