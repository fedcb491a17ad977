// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Deterministic topology generators. The same spec (and seed, where the
/// generator is random) always gives the same fabric: same GUIDs, same
/// descriptions, same port numbers, same creation order. Invalid specs
/// return errc::invalid_argument with the parameter named and its allowed
/// range; specs that would exceed the model's limits (more than 254 ports
/// on a switch) or the generator caps (max_generated_nodes,
/// max_generated_ports) return errc::limit_exceeded. GUID bases that would
/// wrap around or make switch and channel-adapter GUIDs overlap are
/// errc::invalid_argument.
///
/// Common to all generators:
/// - switches are created first (in the order given per generator), then
///   endpoints: channel adapters with one port, described "h<i>" where i
///   is the endpoint's index (0-based, creation order);
/// - every port of every node gets GeneratorOptions::width and ::speed;
///   state, MTU and the rest keep the model defaults;
/// - switch descriptions are unique, at most 64 bytes, made of
///   [A-Za-z0-9._-] (usable as ibsim netfile node names);
/// - the returned Fabric has no observers; its generation counts the
///   mutations made while building it.

#include <cstdint>
#include <string>
#include <vector>

#include "ofmf/error.hpp"
#include "ofmf/export.hpp"
#include "ofmf/model/fabric.hpp"

namespace ofmf::topology {

/// Largest number of nodes (switches + endpoints) a generator builds, so a
/// typo cannot exhaust memory; larger specs are errc::limit_exceeded.
inline constexpr std::uint64_t max_generated_nodes = std::uint64_t(1) << 24;
/// Largest number of ports (1..N over all nodes) a generator builds
/// (2^25 holds the largest 3-level fat tree, radix 254: 24.6 M ports).
inline constexpr std::uint64_t max_generated_ports = std::uint64_t(1) << 25;

/// Settings shared by all generators.
struct GeneratorOptions {
  /// GUID of the first switch; switch i gets switch_guid_base + i.
  model::Guid switch_guid_base = 0x0002c90000000000ull;
  /// GUID of the first endpoint (channel adapter); endpoint i gets
  /// ca_guid_base + 2*i and its port 1 GUID is that + 1 (ibsim's layout).
  model::Guid ca_guid_base = 0x0002c90100000000ull;
  /// Width and speed set on every port (invalid enum values are
  /// errc::invalid_argument).
  model::LinkWidth width = model::LinkWidth::X4;
  model::LinkSpeed speed = model::LinkSpeed::EDR;
};

/// k-ary n-tree (Petrini/Vanneschi): n levels of k^(n-1) switches with 2k
/// ports (the top level uses k), k^n endpoints. Leaf switches use ports
/// 1..k for endpoints and k+1..2k upward.
///
/// Ranges: k 2..127 (k > 127 needs more than 254 ports: limit_exceeded),
/// n 1..16 (and within max_generated_nodes).
///
/// Layout: levels are numbered 1 (leaves) to n (top). A switch at level L
/// has an index w in 0..k^(n-1)-1 whose base-k digits are w_0 (least
/// significant) .. w_{n-2}; it is created in order (L, w) and described
/// "kt-L<L>-<w>". Switch (L, w), L < n, port k+1+j links to port
/// w_{L-1}+1 of switch (L+1, w with digit L-1 replaced by j), j = 0..k-1;
/// so ports 1..k of a switch above the leaves go down, in digit order.
/// Endpoint e (0..k^n-1) is on leaf e/k, port e%k+1.
struct KaryNTreeSpec {
  unsigned k = 4;
  unsigned n = 2;
};
OFMF_API Result<model::Fabric> generate_kary_ntree(const KaryNTreeSpec& spec, const GeneratorOptions& options = {});

/// Extended generalized fat tree XGFT(h; m1..mh; w1..wh) (Ohring et al.):
/// level 0 are endpoints; a level-i node has m[i-1] children and level-(i-1)
/// nodes have w[i-1] parents. m and w have h = 1..8 entries.
///
/// Ranges: m.size() == w.size() in 1..8; every m[i] and w[i] >= 1; w[0]
/// must be 1 (endpoints have one port); a level-i switch has m[i-1] +
/// w[i] ports (top level m[h-1]), more than 254 is limit_exceeded.
///
/// Layout (Ohring's labels): a level-i node is labelled (x_h..x_1) with
/// x_j in 0..w_j-1 for j <= i and 0..m_j-1 for j > i; its index is that
/// mixed-radix number with x_1 least significant. Level-i and level-(i+1)
/// nodes are linked when their labels differ only in x_{i+1}. A level-i
/// switch has ports 1..m_i down (port x_i+1 goes to the child whose x_i
/// is that digit) and ports m_i+1..m_i+w_{i+1} up (port m_i+1+c goes to
/// the parent with x_{i+1} = c). Switches are created level 1..h, index
/// order, described "xgft-L<i>-<index>"; endpoint e is the level-0 node
/// with index e.
struct XgftSpec {
  std::vector<unsigned> m;
  std::vector<unsigned> w;
};
OFMF_API Result<model::Fabric> generate_xgft(const XgftSpec& spec, const GeneratorOptions& options = {});

/// Folded-Clos fat tree of switches of one radix (even, 4..254), 2 or 3
/// levels, non-blocking: 2 levels hold radix^2/2 endpoints, 3 levels
/// radix^3/4 (radix 64: 65,536). The top level uses all its ports downward.
/// `endpoints_per_leaf` (0 = radix/2) oversubscribes or thins the leaves.
///
/// Ranges: radix even, 4..254 (odd or < 4: invalid_argument, > 254:
/// limit_exceeded); levels 2..3; endpoints_per_leaf 0..radix-1.
///
/// Layout, with R = radix, e = endpoints per leaf, u = R - e uplinks per
/// leaf (every switch uses all R ports; e = R/2 is non-blocking, e > R/2
/// oversubscribed, e < R/2 has spare uplink capacity):
/// - leaf: ports 1..e endpoints, e+1..R uplinks (uplink j = port e+1+j);
/// - 2 levels: R leaves "ft-L1-<l>", u spines "ft-L2-<j>" with R ports;
///   leaf l uplink j goes to spine j port l+1. R*e endpoints.
/// - 3 levels: R pods, each of R/2 leaves and u aggregation switches;
///   leaf "ft-L1-<p*R/2+i>" uplink j goes to aggregation "ft-L2-<p*u+j>"
///   port i+1; aggregation ports R/2+1..R go up: port R/2+1+c to core
///   "ft-L3-<j*R/2+c>" port p+1 (core groups j = 0..u-1 of R/2 switches).
///   R*R/2*e endpoints, 5R^2/4 switches when e = R/2.
/// Switches are created leaves, then level 2, then level 3; endpoint i is
/// on leaf i/e, port i%e+1.
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
///
/// Ranges: dims.size() 2..3, each size 2..2^24 (and within
/// max_generated_nodes); endpoints_per_switch 1..254-2*dims.size().
///
/// Layout: switch (x0, x1[, x2]) has index x0 + s0*(x1 + s1*x2), is
/// created in index order and described "torus-x0.x1.x2" ("mesh-..." when
/// wrap is false). Every switch has 2*D + endpoints_per_switch ports;
/// port 2d+1 of x links to port 2d+2 of x + e_d (mod s_d in a torus).
/// On a mesh border, and in a size-2 torus dimension for the wrap
/// direction, those ports stay unlinked. Endpoints of switch i are on
/// ports 2D+1.. in order; endpoint i is on switch i/endpoints_per_switch.
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
///
/// Ranges: a, p, h >= 1 with p + (a-1) + h <= 254 (else limit_exceeded);
/// g 0 or 2..a*h+1.
///
/// Layout: router r of group G is created in order (G, r), described
/// "df-g<G>-r<r>", with ports 1..p endpoints, p+1..p+a-1 local links (to
/// the other routers of the group in ascending order, skipping itself),
/// p+a..p+a+h-1 global links. Global port j of router r is the group's
/// global link k = r*h + j; it goes to group (G + 1 + k mod (g-1)) mod g,
/// which uses its link with the mirrored offset in the same round
/// k/(g-1). With g = a*h+1 every pair of groups is joined by exactly one
/// global link; with fewer groups pairs get several links and, in the last
/// incomplete round, links whose mirror does not exist stay unlinked.
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
///
/// Ranges: dims.size() 1..8, each size 2..2^24; trunking >= 1;
/// endpoints_per_switch >= 1; a switch has trunking*sum(S_d - 1) +
/// endpoints_per_switch ports, more than 254 is limit_exceeded.
///
/// Layout: switch index = mixed-radix coordinates with x_0 least
/// significant, created in index order, described "hx-x0.x1...". With
/// T = trunking, dimension d owns the T*(S_d - 1) ports after those of
/// dimensions < d; in that block the peer with coordinate c (c != own)
/// takes block ports T*c'+1 .. T*c'+T, c' = c if c < own else c-1, and
/// trunk t of a pair uses block port T*c'+1+t on both sides. Endpoints
/// take the last ports.
struct HyperXSpec {
  std::vector<unsigned> dims;
  unsigned trunking = 1;
  unsigned endpoints_per_switch = 1;
};
OFMF_API Result<model::Fabric> generate_hyperx(const HyperXSpec& spec, const GeneratorOptions& options = {});

/// Random `degree`-regular connected switch graph (switches * degree even),
/// built from `seed` with the library's own deterministic generator (the
/// result does not depend on the standard library's distributions).
///
/// Ranges: switches 2..max_generated_nodes; degree 1..switches-1 and
/// switches*degree even; degree 1 only with 2 switches (otherwise no
/// connected graph exists); endpoints_per_switch >= 1; degree +
/// endpoints_per_switch > 254 is limit_exceeded.
///
/// Method: degree 2 is a random Hamiltonian cycle; otherwise a circulant
/// regular graph is randomised by 10*links degree-preserving double-edge
/// swaps (xoshiro256** seeded by splitmix64(seed), unbiased bounded
/// integers by rejection), and components, if any, are then joined by
/// swapping a non-bridge edge of one with an edge of the next. The result
/// is always simple (no self or parallel links) and connected.
///
/// Layout: switch i is described "rr-<i>"; its neighbours in ascending
/// index order use ports 1..degree; endpoints use degree+1...
struct RandomRegularSpec {
  unsigned switches = 16;
  unsigned degree = 4;
  unsigned endpoints_per_switch = 1;
  std::uint64_t seed = 1;
};
OFMF_API Result<model::Fabric> generate_random_regular(const RandomRegularSpec& spec,
                                                       const GeneratorOptions& options = {});

} // namespace ofmf::topology
