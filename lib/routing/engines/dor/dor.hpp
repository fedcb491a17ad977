// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

// Private: factory of the dor engine (listed in builtin_engines.cpp).

#include <memory>

#include "ofmf/routing/engine.hpp"

namespace ofmf::routing::engines {

/// Dimension-order routing on meshes, tori and HyperX.
///
/// Coordinates come from the port convention of generate_torus() (and
/// OpenSM's dor): with D dimensions, switch port 2d+1 goes toward + and
/// 2d+2 toward - in dimension d (d = 0..D-1), port 2d+1 of one switch is
/// linked to port 2d+2 of the next, endpoints use ports above 2D. D is
/// taken from the highest switch-to-switch port. Walking + from the switch
/// of view index 0 tells per dimension whether it is a ring (torus) or a
/// line (mesh; a torus dimension of size 2 with one link is a line). The
/// switches must fill the whole s_0 x .. x s_{D-1} grid with every grid
/// link present; anything else is refused, naming the first switch (by
/// GUID) that breaks the convention.
///
/// Routes correct dimension 0 first, then 1, ... On a ring the shorter
/// direction is taken; at exactly half way round the + direction when the
/// current coordinate is even, - when odd (deterministic, and balanced).
/// Paths are minimal. A mesh is deadlock-free on one VL, and so is a ring
/// of size <= 4 (with that tie rule its two-hop paths close no cycle): no
/// SLs are set. Rings of size >= 5 ("dateline dimensions") need two VLs:
/// compute() then also does assign_vls().
///
/// assign_vls(): dateline scheme. Path SL bit j is set when the path
/// crosses the wrap link of the j-th dateline dimension (at most 4, as SLs
/// have 4 bits). In a switch, a hop out of a dateline dimension with its
/// bit set goes on VL 1 while the packet has not yet crossed the wrap
/// link and on VL 0 after. With shortest-direction routes that is decided
/// by the switch's own coordinate x in that dimension of size s: before
/// crossing iff 2x >= s going +, 2x < s going -. VL 0 then never carries
/// a wrap link and VL 1 never continues past it, so no ring of channels
/// closes on either VL; dimensions are taken in order, so the CDG is
/// acyclic. Uses VLs 0 and 1. The SL depends only on the ingress switch
/// and the destination, as RouteTable's path SLs are stored.
/// HyperX (tried when the fabric is not a mesh or torus by the rules
/// above): the switch graph, parallel links merged, must be a Hamming
/// graph K_{S_0} x .. x K_{S_{L-1}} (every dimension a full clique), found
/// from the graph alone, not from port numbers: the neighbours of switch
/// 0 split into classes of mutually linked switches, one per dimension,
/// ordered by switch 0's lowest port toward them; a switch's coordinate in
/// dimension d is the member of switch 0's line d it is closest to. The
/// result is accepted only when every cell holds one switch, every link
/// changes exactly one coordinate and every switch has sum(S_d - 1)
/// distinct switch neighbours (then the graph is exactly that Hamming
/// graph); otherwise refused naming the first switch that breaks it.
/// Endpoints may sit on any port. Routes correct dimension 0 first, then
/// 1, ..., one hop per dimension (minimal); among parallel links (trunks)
/// the destination LID modulo the trunk count picks one. Deadlock-free on
/// one VL (dependencies only lead to higher dimensions; see dor.cpp): no
/// SLs are set and assign_vls() does nothing.
/// Errors: errc::invalid_argument (no switches, lmc > 7, a table of
/// another fabric), errc::not_supported (neither a mesh/torus by the
/// rules above nor a HyperX, with both reasons; more than 4 dateline
/// dimensions; Options::max_vls < 2 on a torus that needs 2),
/// errc::limit_exceeded (LIDs).
std::unique_ptr<Engine> make_dor();

} // namespace ofmf::routing::engines
