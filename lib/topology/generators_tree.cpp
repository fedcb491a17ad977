// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Tree generators: k-ary n-tree, XGFT and folded-Clos fat tree. The port
// layouts are documented in include/ofmf/topology/generators.hpp.
#include <cstdint>
#include <string>
#include <vector>

#include "ofmf/topology/generators.hpp"
#include "topology/detail/generator_common.hpp"

namespace ofmf::topology {

using detail::FabricBuilder;
using detail::Name;
using model::NodeId;

Result<model::Fabric> generate_kary_ntree(const KaryNTreeSpec& spec, const GeneratorOptions& options) {
  constexpr std::string_view gen = "k-ary n-tree";
  const unsigned k = spec.k, n = spec.n;
  if (k < 2) return detail::bad_range(gen, "k", k, 2, 127);
  if (n < 1 || n > 16) return detail::bad_range(gen, "n", n, 1, 16);
  if (auto r = detail::check_ports(gen, "k = " + std::to_string(k) + " (2k ports per switch)", 2ull * k); !r)
    return fail(std::move(r).error());
  const std::uint64_t per_level = detail::pow_sat(k, n - 1);
  const std::uint64_t endpoints = detail::mul_sat(per_level, k);
  const std::uint64_t switches = detail::mul_sat(per_level, n);
  const unsigned top_ports = k, ports = n == 1 ? k : 2 * k;
  const std::uint64_t switch_ports =
      detail::add_sat(detail::mul_sat(detail::mul_sat(per_level, n - 1), ports), detail::mul_sat(per_level, top_ports));

  FabricBuilder b(gen, options);
  if (auto r = b.plan(switches, switch_ports, endpoints); !r) return fail(std::move(r).error());

  std::vector<NodeId> sw(switches);
  for (unsigned level = 1; level <= n; ++level)
    for (std::uint64_t w = 0; w < per_level; ++w)
      sw[(level - 1) * per_level + w] =
          b.add_switch(level == n ? top_ports : ports, Name("kt-L").add(level).add("-").add(w).view());
  // Level L switch w, up port k+1+j -> level L+1 switch w' (digit L-1 of
  // w replaced by j), down port (digit L-1 of w)+1.
  std::uint64_t stride = 1;  // k^(L-1): weight of digit L-1
  for (unsigned level = 1; level < n; ++level, stride *= k)
    for (std::uint64_t w = 0; w < per_level; ++w) {
      const std::uint64_t digit = (w / stride) % k;
      const std::uint64_t base = w - digit * stride;
      for (unsigned j = 0; j < k; ++j)
        b.link(sw[(level - 1) * per_level + w], k + 1 + j, sw[level * per_level + base + j * stride],
               unsigned(digit) + 1);
    }
  for (std::uint64_t e = 0; e < endpoints; ++e) b.attach_endpoint(sw[e / k], unsigned(e % k) + 1);
  return std::move(b).finish();
}

Result<model::Fabric> generate_xgft(const XgftSpec& spec, const GeneratorOptions& options) {
  constexpr std::string_view gen = "XGFT";
  const std::size_t h = spec.m.size();
  if (h < 1 || h > 8) return detail::bad_range(gen, "h (number of m entries)", h, 1, 8);
  if (spec.w.size() != h)
    return fail(errc::invalid_argument, std::string(gen) + ": w has " + std::to_string(spec.w.size()) +
                                            " entries, expected h = " + std::to_string(h) + " (as many as m)");
  for (std::size_t i = 0; i < h; ++i) {
    if (spec.m[i] < 1) return detail::bad_range(gen, "m[" + std::to_string(i) + "]", spec.m[i], 1, model::max_ports);
    if (spec.w[i] < 1) return detail::bad_range(gen, "w[" + std::to_string(i) + "]", spec.w[i], 1, model::max_ports);
  }
  if (spec.w[0] != 1)
    return fail(errc::invalid_argument, std::string(gen) + ": w[0] = " + std::to_string(spec.w[0]) +
                                            " is outside the allowed range 1..1 (endpoints have one port)");
  // Ports of a level-i switch (i = 1..h): m_i down + w_{i+1} up.
  std::vector<unsigned> ports(h + 1, 0);
  for (std::size_t i = 1; i <= h; ++i) {
    const std::uint64_t p = std::uint64_t(spec.m[i - 1]) + (i < h ? spec.w[i] : 0u);
    if (auto r = detail::check_ports(gen, "a level-" + std::to_string(i) + " switch (m[" + std::to_string(i - 1) +
                                              "]" + (i < h ? " + w[" + std::to_string(i) + "]" : std::string()) + ")",
                                     p);
        !r)
      return fail(std::move(r).error());
    ports[i] = unsigned(p);
  }
  // count[i] = prod_{j<=i} w_j * prod_{j>i} m_j; low[i] = prod_{j<=i} w_j.
  std::vector<std::uint64_t> count(h + 1), low(h + 1);
  std::uint64_t switches = 0, switch_ports = 0;
  for (std::size_t i = 0; i <= h; ++i) {
    std::uint64_t c = 1, l = 1;
    for (std::size_t j = 1; j <= h; ++j) {
      if (j <= i) l = detail::mul_sat(l, spec.w[j - 1]);
      c = detail::mul_sat(c, j <= i ? spec.w[j - 1] : spec.m[j - 1]);
    }
    count[i] = c;
    low[i] = l;
    if (i > 0) {
      switches = detail::add_sat(switches, c);
      switch_ports = detail::add_sat(switch_ports, detail::mul_sat(c, ports[i]));
    }
  }
  FabricBuilder bld(gen, options);
  if (auto r = bld.plan(switches, switch_ports, count[0]); !r) return fail(std::move(r).error());

  // ids[i][u]: node of level i, index u (level 0 = endpoints).
  std::vector<std::vector<NodeId>> ids(h + 1);
  for (std::size_t i = 1; i <= h; ++i) {
    ids[i].resize(count[i]);
    for (std::uint64_t u = 0; u < count[i]; ++u)
      ids[i][u] = bld.add_switch(ports[i], Name("xgft-L").add(i).add("-").add(u).view());
  }
  ids[0].resize(count[0]);
  for (std::uint64_t e = 0; e < count[0]; ++e) ids[0][e] = bld.add_endpoint(Name("h").add(e).view());
  // Level i node u = hi*(m_{i+1}*low) + x*low + lo links to the level-(i+1)
  // nodes hi*(w_{i+1}*low) + c*low + lo, c = 0..w_{i+1}-1, where low =
  // prod_{j<=i} w_j is the weight of digit x_{i+1} at both levels.
  for (std::size_t i = 0; i < h; ++i) {
    const std::uint64_t m = spec.m[i], w = spec.w[i], l = low[i];
    const unsigned up_first = i == 0 ? 1u : spec.m[i - 1] + 1u;
    for (std::uint64_t u = 0; u < count[i]; ++u) {
      const std::uint64_t lo = u % l, x = (u / l) % m, hi = u / (l * m);
      for (std::uint64_t c = 0; c < w; ++c)
        bld.link(ids[i][u], up_first + unsigned(c), ids[i + 1][hi * (w * l) + c * l + lo], unsigned(x) + 1);
    }
  }
  return std::move(bld).finish();
}

Result<model::Fabric> generate_fat_tree(const FatTreeSpec& spec, const GeneratorOptions& options) {
  constexpr std::string_view gen = "fat tree";
  const unsigned R = spec.radix;
  if (R > model::max_ports)
    return fail(errc::limit_exceeded, std::string(gen) + ": radix = " + std::to_string(R) +
                                          " is more than the 254 ports a switch can have");
  if (R < 4 || R % 2 != 0)
    return fail(errc::invalid_argument, std::string(gen) + ": radix = " + std::to_string(R) +
                                            " is outside the allowed range 4..254 (even)");
  if (spec.levels < 2 || spec.levels > 3) return detail::bad_range(gen, "levels", spec.levels, 2, 3);
  if (spec.endpoints_per_leaf > R - 1) return detail::bad_range(gen, "endpoints_per_leaf", spec.endpoints_per_leaf, 0, R - 1);
  const unsigned e = spec.endpoints_per_leaf == 0 ? R / 2 : spec.endpoints_per_leaf;
  const unsigned u = R - e, half = R / 2;

  FabricBuilder b(gen, options);
  std::vector<NodeId> leaf, mid, top;
  if (spec.levels == 2) {
    const std::uint64_t leaves = R, spines = u, switches = leaves + spines;
    if (auto r = b.plan(switches, switches * R, leaves * e); !r) return fail(std::move(r).error());
    for (std::uint64_t l = 0; l < leaves; ++l) leaf.push_back(b.add_switch(R, Name("ft-L1-").add(l).view()));
    for (std::uint64_t s = 0; s < spines; ++s) mid.push_back(b.add_switch(R, Name("ft-L2-").add(s).view()));
    for (std::uint64_t l = 0; l < leaves; ++l)
      for (unsigned j = 0; j < u; ++j) b.link(leaf[l], e + 1 + j, mid[j], unsigned(l) + 1);
  } else {
    const std::uint64_t pods = R, leaves = pods * half, aggs = pods * u, cores = std::uint64_t(u) * half;
    const std::uint64_t switches = leaves + aggs + cores;
    if (auto r = b.plan(switches, switches * R, leaves * e); !r) return fail(std::move(r).error());
    leaf.reserve(leaves);
    mid.reserve(aggs);
    top.reserve(cores);
    for (std::uint64_t l = 0; l < leaves; ++l) leaf.push_back(b.add_switch(R, Name("ft-L1-").add(l).view()));
    for (std::uint64_t a = 0; a < aggs; ++a) mid.push_back(b.add_switch(R, Name("ft-L2-").add(a).view()));
    for (std::uint64_t c = 0; c < cores; ++c) top.push_back(b.add_switch(R, Name("ft-L3-").add(c).view()));
    for (std::uint64_t p = 0; p < pods; ++p)
      for (unsigned i = 0; i < half; ++i)
        for (unsigned j = 0; j < u; ++j) b.link(leaf[p * half + i], e + 1 + j, mid[p * u + j], i + 1);
    for (std::uint64_t p = 0; p < pods; ++p)
      for (unsigned j = 0; j < u; ++j)
        for (unsigned c = 0; c < half; ++c)
          b.link(mid[p * u + j], half + 1 + c, top[std::uint64_t(j) * half + c], unsigned(p) + 1);
  }
  for (std::uint64_t i = 0; i < leaf.size() * e; ++i) b.attach_endpoint(leaf[i / e], unsigned(i % e) + 1);
  return std::move(b).finish();
}

} // namespace ofmf::topology
