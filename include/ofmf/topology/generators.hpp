// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Deterministic topology generators. The same spec (and seed, where the
/// generator is random) always gives the same fabric: same GUIDs, same
/// descriptions, same port numbers. Invalid specs return errc::invalid_argument
/// with the parameter named; specs that would exceed the model's limits
/// (more than 254 ports on a switch) return errc::limit_exceeded.

#include <cstdint>
#include <string>
#include <vector>

#include "ofmf/error.hpp"
#include "ofmf/export.hpp"
#include "ofmf/model/fabric.hpp"

namespace ofmf::topology {

/// Settings shared by all generators.
struct GeneratorOptions {
  /// GUID of the first switch; switch i gets switch_guid_base + i.
  model::Guid switch_guid_base = 0x0002c90000000000ull;
  /// GUID of the first endpoint (channel adapter); endpoint i gets
  /// ca_guid_base + 2*i and its port 1 GUID is that + 1 (ibsim's layout).
  model::Guid ca_guid_base = 0x0002c90100000000ull;
  model::LinkWidth width = model::LinkWidth::X4;
  model::LinkSpeed speed = model::LinkSpeed::EDR;
};

/// k-ary n-tree (Petrini/Vanneschi): n levels of k^(n-1) switches with 2k
/// ports (the top level uses k), k^n endpoints. Leaf switches use ports
/// 1..k for endpoints and k+1..2k upward.
struct KaryNTreeSpec {
  unsigned k = 4;
  unsigned n = 2;
};
OFMF_API Result<model::Fabric> generate_kary_ntree(const KaryNTreeSpec& spec, const GeneratorOptions& options = {});

/// Extended generalized fat tree XGFT(h; m1..mh; w1..wh) (Ohring et al.):
/// level 0 are endpoints; a level-i node has m[i-1] children and level-(i-1)
/// nodes have w[i-1] parents. m and w have h = 1..8 entries.
struct XgftSpec {
  std::vector<unsigned> m;
  std::vector<unsigned> w;
};
OFMF_API Result<model::Fabric> generate_xgft(const XgftSpec& spec, const GeneratorOptions& options = {});

/// Folded-Clos fat tree of switches of one radix (even, 4..254), 2 or 3
/// levels, non-blocking: 2 levels hold radix^2/2 endpoints, 3 levels
/// radix^3/4 (radix 64: 65,536). The top level uses all its ports downward.
/// `endpoints_per_leaf` (0 = radix/2) oversubscribes or thins the leaves.
struct FatTreeSpec {
  unsigned radix = 36;
  unsigned levels = 3;
  unsigned endpoints_per_leaf = 0;
};
OFMF_API Result<model::Fabric> generate_fat_tree(const FatTreeSpec& spec, const GeneratorOptions& options = {});

/// Mesh or torus of 2 or 3 dimensions (each size >= 2). Dimension d uses
/// port 2d+1 toward + and 2d+2 toward - (as OpenSM's dor expects);
/// endpoints take the ports after those. A torus dimension of size 2 gets
/// a single link per pair (no parallel wrap link).
struct TorusSpec {
  std::vector<unsigned> dims;
  bool wrap = true;  ///< false = mesh
  unsigned endpoints_per_switch = 1;
};
OFMF_API Result<model::Fabric> generate_torus(const TorusSpec& spec, const GeneratorOptions& options = {});

/// Dragonfly (Kim et al.): g groups of a routers, each router with p
/// endpoints and h global links; routers in a group are fully connected.
/// g = 0 means the maximum a*h+1. Global links are assigned in the
/// "consecutive" arrangement, deterministically.
struct DragonflySpec {
  unsigned a = 4;
  unsigned p = 2;
  unsigned h = 2;
  unsigned g = 0;
};
OFMF_API Result<model::Fabric> generate_dragonfly(const DragonflySpec& spec, const GeneratorOptions& options = {});

/// HyperX (Ahn et al.): switches on an L-dimensional lattice S1 x .. x SL,
/// fully connected along each dimension, `trunking` parallel links per
/// connected pair, `endpoints_per_switch` endpoints each.
struct HyperXSpec {
  std::vector<unsigned> dims;
  unsigned trunking = 1;
  unsigned endpoints_per_switch = 1;
};
OFMF_API Result<model::Fabric> generate_hyperx(const HyperXSpec& spec, const GeneratorOptions& options = {});

/// Random `degree`-regular connected switch graph (switches * degree even),
/// built from `seed` with the library's own deterministic generator (the
/// result does not depend on the standard library's distributions).
struct RandomRegularSpec {
  unsigned switches = 16;
  unsigned degree = 4;
  unsigned endpoints_per_switch = 1;
  std::uint64_t seed = 1;
};
OFMF_API Result<model::Fabric> generate_random_regular(const RandomRegularSpec& spec,
                                                       const GeneratorOptions& options = {});

} // namespace ofmf::topology
