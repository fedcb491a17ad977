// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

// Hand-built fabrics shared by the routing tests.

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "ofmf/model/fabric.hpp"
#include "ofmf/model/topology_view.hpp"
#include "ofmf/routing/analysis.hpp"
#include "ofmf/routing/engine.hpp"
#include "ofmf/topology/format.hpp"

namespace routing_test {

using namespace ofmf::model;

inline NodeId add_switch(Fabric& f, Guid guid, unsigned ports) {
  auto id = f.add_node(NodeSpec{NodeType::Switch, guid, ports, "sw", 0, 0, 0, {}, {}});
  REQUIRE(id);
  return *id;
}

inline NodeId add_ca(Fabric& f, Guid guid) {
  auto id = f.add_node(NodeSpec{NodeType::ChannelAdapter, guid, 1, "ca", 0, 0, 0, {}, {}});
  REQUIRE(id);
  return *id;
}

inline void link(Fabric& f, NodeId a, PortNum pa, NodeId b, PortNum pb) { REQUIRE(f.connect({a, pa}, {b, pb})); }

/// Ring of n switches (port 1 -> next, port 2 -> previous), `cas` channel
/// adapters on ports 3.. of each switch. With `open`, the link n-1 -> 0 is
/// left out (a line).
inline Fabric ring(unsigned n, unsigned cas, bool open = false) {
  Fabric f;
  std::vector<NodeId> sw;
  for (unsigned i = 0; i < n; ++i) sw.push_back(add_switch(f, 0x1000 + i, 2 + cas));
  for (unsigned i = 0; i < n; ++i) {
    if (!open || i + 1 < n) link(f, sw[i], 1, sw[(i + 1) % n], 2);
    for (unsigned c = 0; c < cas; ++c) link(f, sw[i], PortNum(3 + c), add_ca(f, 0x100000 + 256 * i + 2 * c), 1);
  }
  return f;
}

/// Two-level tree: `spines` spine switches, `leaves` leaves, every leaf
/// linked once to every spine, `cas` endpoints per leaf. Spine ports are
/// 1..leaves; leaf ports 1..cas for endpoints, cas+1.. upward.
inline Fabric two_level(unsigned spines, unsigned leaves, unsigned cas) {
  Fabric f;
  std::vector<NodeId> sp, lf;
  for (unsigned i = 0; i < spines; ++i) sp.push_back(add_switch(f, 0x2000 + i, leaves));
  for (unsigned i = 0; i < leaves; ++i) lf.push_back(add_switch(f, 0x3000 + i, cas + spines));
  for (unsigned l = 0; l < leaves; ++l) {
    for (unsigned s = 0; s < spines; ++s) link(f, lf[l], PortNum(cas + 1 + s), sp[s], PortNum(l + 1));
    for (unsigned c = 0; c < cas; ++c) link(f, lf[l], PortNum(c + 1), add_ca(f, 0x200000 + 16 * l + 2 * c), 1);
  }
  return f;
}

/// Every topology file in tests/data (.net and .ibnd), sorted.
inline std::vector<std::filesystem::path> fixture_files() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(OFMF_TEST_DATA_DIR))
    if (entry.is_regular_file() && (entry.path().extension() == ".net" || entry.path().extension() == ".ibnd"))
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  REQUIRE_FALSE(files.empty());
  return files;
}

/// Runs `compute(view, options)` (an engine) on every fixture: each must be
/// routed soundly (complete, loop-free, minimal, deadlock-free on its VLs)
/// or refused with errc::not_supported and a message starting "<name>: ".
template <class Compute>
void check_fixtures_sound_or_refused(const std::string& name, Compute compute) {
  const auto files = fixture_files();
  std::size_t routed = 0;
  for (const auto& p : files) {
    INFO(p.filename().string());
    auto f = ofmf::topology::read_topology(p);
    if (!f) FAIL(f.error().message);
    auto v = f->snapshot();
    if (v->switch_count() == 0) continue;
    ofmf::routing::Options o;
    o.lmc = 1;
    auto t = compute(*v, o);
    if (!t) {
      CHECK(t.error().code == ofmf::errc::not_supported);
      CHECK_THAT(t.error().message, Catch::StartsWith(name + ": "));
      continue;
    }
    ++routed;
    const auto a = ofmf::routing::analyze(*v, *t).value();
    CHECK(a.complete());
    CHECK(a.non_minimal == 0);
    CHECK(a.cdg_acyclic);
  }
  INFO("routed " << routed << " of " << files.size());
  SUCCEED();
}

} // namespace routing_test
