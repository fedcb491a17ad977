// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

// Private helpers shared by the topology generators: overflow-safe size
// arithmetic, parameter checks that produce uniform messages, a builder
// that assigns GUIDs and descriptions and keeps the first error, and the
// library's own deterministic PRNG.

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ofmf/error.hpp"
#include "ofmf/model/fabric.hpp"
#include "ofmf/topology/generators.hpp"

namespace ofmf::topology::detail {

/// a * b, saturating at UINT64_MAX (sizes are compared against caps far
/// below that, so saturation is as good as an error).
constexpr std::uint64_t mul_sat(std::uint64_t a, std::uint64_t b) noexcept {
  if (a != 0 && b > std::numeric_limits<std::uint64_t>::max() / a) return std::numeric_limits<std::uint64_t>::max();
  return a * b;
}
constexpr std::uint64_t add_sat(std::uint64_t a, std::uint64_t b) noexcept {
  return b > std::numeric_limits<std::uint64_t>::max() - a ? std::numeric_limits<std::uint64_t>::max() : a + b;
}
/// base^exp, saturating.
constexpr std::uint64_t pow_sat(std::uint64_t base, unsigned exp) noexcept {
  std::uint64_t r = 1;
  for (unsigned i = 0; i < exp; ++i) r = mul_sat(r, base);
  return r;
}

/// "<generator>: <name> = <value> is outside <lo>..<hi>".
inline Unexpected bad_range(std::string_view gen, std::string_view name, std::uint64_t value, std::uint64_t lo,
                            std::uint64_t hi) {
  return fail(errc::invalid_argument, std::string(gen) + ": " + std::string(name) + " = " + std::to_string(value) +
                                          " is outside the allowed range " + std::to_string(lo) + ".." +
                                          std::to_string(hi));
}

/// Switch radix check: more than model::max_ports is errc::limit_exceeded.
inline Result<void> check_ports(std::string_view gen, std::string_view what, std::uint64_t ports) {
  if (ports > model::max_ports)
    return fail(errc::limit_exceeded, std::string(gen) + ": " + std::string(what) + " would need " +
                                          std::to_string(ports) + " ports, a switch has at most " +
                                          std::to_string(model::max_ports));
  return {};
}

/// Appends the decimal form of v to a fixed buffer (no allocation).
class Name {
 public:
  explicit Name(std::string_view prefix) noexcept { add(prefix); }
  Name& add(std::string_view s) noexcept {
    for (char c : s)
      if (len_ < buf_.size()) buf_[len_++] = c;
    return *this;
  }
  Name& add(std::uint64_t v) noexcept {
    auto r = std::to_chars(buf_.data() + len_, buf_.data() + buf_.size(), v);
    if (r.ec == std::errc{}) len_ = std::size_t(r.ptr - buf_.data());
    return *this;
  }
  std::string_view view() const noexcept { return {buf_.data(), len_}; }

 private:
  std::array<char, 64> buf_{};
  std::size_t len_ = 0;
};

/// Builds a Fabric for a generator. Switch i (in creation order) gets
/// switch_guid_base + i, endpoint i gets ca_guid_base + 2*i. The first
/// error is kept; later calls do nothing, so generators can build
/// straight-line and check once in finish().
class FabricBuilder {
 public:
  FabricBuilder(std::string_view gen, const GeneratorOptions& options) : gen_(gen), options_(options) {}

  /// Validates the planned size (caps, GUID ranges) and reserves storage.
  /// `switch_ports` is the sum of the switches' port counts.
  Result<void> plan(std::uint64_t switches, std::uint64_t switch_ports, std::uint64_t endpoints) {
    const std::uint64_t nodes = add_sat(switches, endpoints);
    const std::uint64_t ports = add_sat(switch_ports, endpoints);
    if (nodes > max_generated_nodes)
      return fail(errc::limit_exceeded, std::string(gen_) + ": " + size_text(nodes) + " nodes, at most " +
                                            std::to_string(max_generated_nodes) + " can be generated");
    if (ports > max_generated_ports)
      return fail(errc::limit_exceeded, std::string(gen_) + ": " + size_text(ports) + " ports, at most " +
                                            std::to_string(max_generated_ports) + " can be generated");
    const std::uint64_t sb = options_.switch_guid_base, cb = options_.ca_guid_base;
    const std::uint64_t top = std::numeric_limits<std::uint64_t>::max();
    if (switches > 0 && (sb == 0 || sb > top - switches))
      return fail(errc::invalid_argument, std::string(gen_) + ": switch_guid_base " + model::format_guid(sb) +
                                              " leaves no room for " + std::to_string(switches) + " switch GUIDs");
    if (endpoints > 0 && (cb == 0 || cb > top - 2 * endpoints))
      return fail(errc::invalid_argument, std::string(gen_) + ": ca_guid_base " + model::format_guid(cb) +
                                              " leaves no room for " + std::to_string(endpoints) +
                                              " channel adapter GUIDs");
    if (switches > 0 && endpoints > 0 && sb < cb + 2 * endpoints && cb < sb + switches)
      return fail(errc::invalid_argument, std::string(gen_) + ": switch GUIDs " + model::format_guid(sb) + ".. and " +
                                              "channel adapter GUIDs " + model::format_guid(cb) + ".. overlap");
    fabric_.reserve(nodes, ports);
    return {};
  }

  model::NodeId add_switch(unsigned ports, std::string_view description) {
    return add(model::NodeType::Switch, options_.switch_guid_base + switches_++, ports, description);
  }
  model::NodeId add_endpoint(std::string_view description) {
    return add(model::NodeType::ChannelAdapter, options_.ca_guid_base + 2 * endpoints_++, 1, description);
  }
  /// Adds an endpoint named "h<index>" (index = endpoints so far) and
  /// links its port 1 to `sw` port `port`.
  void attach_endpoint(model::NodeId sw, unsigned port) {
    const model::NodeId e = add_endpoint(Name("h").add(endpoints_).view());
    link(e, 1, sw, port);
  }
  void link(model::NodeId a, unsigned pa, model::NodeId b, unsigned pb) {
    if (failed_) return;
    if (auto r = fabric_.connect({a, model::PortNum(pa)}, {b, model::PortNum(pb)}); !r) keep(std::move(r).error());
  }

  bool failed() const noexcept { return failed_; }

  /// The fabric, or the first error.
  Result<model::Fabric> finish() && {
    if (failed_) return fail(std::move(error_));
    return std::move(fabric_);
  }

 private:
  static std::string size_text(std::uint64_t v) {
    return v == std::numeric_limits<std::uint64_t>::max() ? std::string("more than 2^64") : std::to_string(v);
  }

  model::NodeId add(model::NodeType type, model::Guid guid, unsigned ports, std::string_view description) {
    if (failed_) return {};
    spec_.type = type;
    spec_.guid = guid;
    spec_.num_ports = ports;
    spec_.description.assign(description);
    spec_.port_defaults.width = options_.width;
    spec_.port_defaults.speed = options_.speed;
    auto r = fabric_.add_node(spec_);
    if (!r) {
      keep(std::move(r).error());
      return {};
    }
    return *r;
  }
  void keep(Error e) {
    e.message = std::string(gen_) + ": " + e.message;
    error_ = std::move(e);
    failed_ = true;
  }

  std::string_view gen_;
  GeneratorOptions options_;
  model::Fabric fabric_;
  model::NodeSpec spec_;
  std::uint64_t switches_ = 0;
  std::uint64_t endpoints_ = 0;
  bool failed_ = false;
  Error error_;
};

/// splitmix64 (Steele, Lea, Flood); used to seed Xoshiro256.
constexpr std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/// xoshiro256** (Blackman, Vigna) with the library's own bounded mapping,
/// so sequences are identical on every platform and standard library.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) noexcept {
    for (auto& w : s_) w = splitmix64(seed);
  }
  std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  /// Uniform in [0, bound), bound > 0: rejection of the low remainder,
  /// then modulo (unbiased).
  std::uint64_t below(std::uint64_t bound) noexcept {
    const std::uint64_t threshold = (0 - bound) % bound;
    for (;;) {
      const std::uint64_t x = next();
      if (x >= threshold) return x % bound;
    }
  }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> s_{};
};

// Regular simple graph on n vertices with fixed degree d, adjacency in a
// flat n*d array (slot order is arbitrary until sorted at the end).
class RegularGraph {
 public:
  RegularGraph(std::uint32_t n, unsigned d) : n_(n), d_(d), adj_(std::size_t(n) * d) {}

  std::uint32_t* row(std::uint32_t v) noexcept { return adj_.data() + std::size_t(v) * d_; }
  const std::uint32_t* row(std::uint32_t v) const noexcept { return adj_.data() + std::size_t(v) * d_; }
  bool has(std::uint32_t u, std::uint32_t v) const noexcept {
    const std::uint32_t* r = row(u);
    return std::find(r, r + d_, v) != r + d_;
  }
  // Replaces neighbour `from` of u by `to`.
  void rewire(std::uint32_t u, std::uint32_t from, std::uint32_t to) noexcept {
    std::uint32_t* r = row(u);
    *std::find(r, r + d_, from) = to;
  }
  // Swaps edges {a,b} and {c,e} for {a,c} and {b,e} when that keeps the
  // graph simple. Returns true when done.
  bool try_swap(std::uint32_t a, std::uint32_t b, std::uint32_t c, std::uint32_t e) noexcept {
    if (a == c || b == e || a == e || b == c) return false;
    if (has(a, c) || has(b, e)) return false;
    rewire(a, b, c);
    rewire(b, a, e);
    rewire(c, e, a);
    rewire(e, c, b);
    return true;
  }
  // Component label of every vertex (labels 0.., by smallest vertex).
  std::vector<std::uint32_t> components(std::uint32_t& count) const {
    std::vector<std::uint32_t> comp(n_, UINT32_MAX), stack;
    count = 0;
    for (std::uint32_t s = 0; s < n_; ++s) {
      if (comp[s] != UINT32_MAX) continue;
      comp[s] = count;
      stack.push_back(s);
      while (!stack.empty()) {
        const std::uint32_t v = stack.back();
        stack.pop_back();
        for (unsigned i = 0; i < d_; ++i)
          if (const std::uint32_t w = row(v)[i]; comp[w] == UINT32_MAX) {
            comp[w] = count;
            stack.push_back(w);
          }
      }
      ++count;
    }
    return comp;
  }
  // True when v is still reachable from u without the edge {u,v}.
  bool on_cycle(std::uint32_t u, std::uint32_t v) const {
    std::vector<bool> seen(n_, false);
    std::vector<std::uint32_t> stack{u};
    seen[u] = true;
    while (!stack.empty()) {
      const std::uint32_t x = stack.back();
      stack.pop_back();
      for (unsigned i = 0; i < d_; ++i) {
        const std::uint32_t y = row(x)[i];
        if ((x == u && y == v) || seen[y]) continue;
        if (y == v) return true;
        seen[y] = true;
        stack.push_back(y);
      }
    }
    return false;
  }
  void sort_rows() {
    for (std::uint32_t v = 0; v < n_; ++v) std::sort(row(v), row(v) + d_);
  }
  std::uint32_t size() const noexcept { return n_; }
  unsigned degree() const noexcept { return d_; }

 private:
  std::uint32_t n_;
  unsigned d_;
  std::vector<std::uint32_t> adj_;
};

/// Joins the components of a d-regular simple graph (d >= 2) into one,
/// keeping it d-regular and simple: a non-bridge edge {a,b} of component
/// 0 and any edge {c,e} of another become {a,c},{b,e}, which is simple
/// (different components) and connected ({a,b} was on a cycle).
inline void join_components(RegularGraph& g) {
  const std::uint32_t n = g.size();
  const unsigned d = g.degree();
  // Join components: a non-bridge edge {a,b} of component 0 swapped with
  // any edge {c,e} of another component gives {a,c},{b,e}: still simple
  // (different components), and connected because {a,b} was on a cycle.
  for (;;) {
    std::uint32_t count = 0;
    const auto comp = g.components(count);
    if (count <= 1) break;
    std::uint32_t a = 0, b = 0, c = 0, e = 0;
    bool found_ab = false;
    for (std::uint32_t u = 0; u < n && !found_ab; ++u)
      if (comp[u] == 0)
        for (unsigned k = 0; k < d && !found_ab; ++k)
          if (g.on_cycle(u, g.row(u)[k])) {
            a = u;
            b = g.row(u)[k];
            found_ab = true;
          }
    for (std::uint32_t u = 0; u < n; ++u)
      if (comp[u] != 0) {
        c = u;
        e = g.row(u)[0];
        break;
      }
    if (!found_ab || !g.try_swap(a, b, c, e)) break;  // cannot happen for d >= 2
  }
}

} // namespace ofmf::topology::detail
