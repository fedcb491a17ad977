// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// The dor engine, checked by the route analysis: complete, loop-free,
// minimal tables; meshes acyclic on one VL, tori acyclic with the
// dateline SL/VLs and cyclic without them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "fabrics.hpp"
#include "ofmf/routing/analysis.hpp"
#include "ofmf/routing/engine.hpp"
#include "ofmf/topology/format.hpp"
#include "ofmf/topology/generators.hpp"

using namespace routing_test;
using ofmf::errc;
namespace routing = ofmf::routing;
namespace topo = ofmf::topology;

namespace {

std::unique_ptr<routing::Engine> dor_engine() {
  auto e = routing::EngineRegistry::builtin().create("dor");
  REQUIRE(e);
  return std::move(e).value();
}

ofmf::Result<routing::RouteTable> dor(const TopologyView& v, routing::Options o = {}) {
  return dor_engine()->compute(v, o);
}

routing::RouteTable must_route(const TopologyView& v, routing::Options o = {}) {
  auto t = dor(v, o);
  if (!t) FAIL("dor: " << t.error().message);
  CHECK(t->engine() == "dor");
  return std::move(t).value();
}

Fabric must(ofmf::Result<Fabric> f) {
  if (!f) FAIL(f.error().message);
  return std::move(f).value();
}

Fabric torus(std::vector<unsigned> dims, bool wrap, unsigned eps = 1) {
  return must(topo::generate_torus({std::move(dims), wrap, eps}));
}

routing::Analysis check_sound(const TopologyView& v, const routing::RouteTable& t) {
  auto a = routing::analyze(v, t).value();
  CHECK(a.endpoint_ports > 0);
  CHECK(a.unreachable == 0);
  CHECK(a.loops == 0);
  CHECK(a.non_minimal == 0);
  CHECK(a.cdg_acyclic);
  CHECK(a.vls_with_cycle.empty());
  return a;
}

// The same LIDs and LFTs without any SL/VL.
routing::RouteTable strip_vls(const TopologyView& v, const routing::RouteTable& t) {
  auto bare = routing::RouteTable::create(v, t.lmc());
  REQUIRE(bare);
  REQUIRE(bare->lid_space() == t.lid_space());
  for (std::uint32_t s = 0; s < t.switch_count(); ++s) std::copy(t.lft(s).begin(), t.lft(s).end(), bare->lft(s).begin());
  return std::move(bare).value();
}

} // namespace

TEST_CASE("Dor: meshes get minimal tables, deadlock-free on one VL", "[routing]") {
  struct Shape {
    std::vector<unsigned> dims;
    unsigned eps;
  };
  for (const Shape& s : {Shape{{3, 3}, 1}, Shape{{4, 3, 2}, 1}, Shape{{5, 5}, 2}, Shape{{2, 2}, 1}, Shape{{6, 4}, 1},
                         Shape{{3, 3, 3}, 2}}) {
    INFO("mesh " << s.dims.size() << "D, first size " << s.dims[0]);
    auto f = torus(s.dims, false, s.eps);
    auto v = f.snapshot();
    auto t = must_route(*v);
    CHECK(!t.has_sl());
    CHECK(!t.has_sl2vl());
    auto a = check_sound(*v, t);
    CHECK(a.vls_used == 1);
  }
}

TEST_CASE("Dor: tori get minimal tables made deadlock-free by dateline VLs", "[routing]") {
  for (const auto& dims : {std::vector<unsigned>{5, 5}, std::vector<unsigned>{5, 3}, std::vector<unsigned>{6, 6},
                           std::vector<unsigned>{5, 4, 6}, std::vector<unsigned>{3, 5, 4},
                           std::vector<unsigned>{8, 2}, std::vector<unsigned>{7, 5}, std::vector<unsigned>{6, 6, 6}}) {
    INFO("torus " << dims[0] << "x" << dims[1] << (dims.size() > 2 ? "x" + std::to_string(dims[2]) : ""));
    auto f = torus(dims, true, 2);
    auto v = f.snapshot();
    auto t = must_route(*v);
    CHECK(t.has_sl());
    CHECK(t.has_sl2vl());
    auto a = check_sound(*v, t);
    CHECK(a.vls_used == 2);

    // The checker can fail: the same routes on one VL deadlock.
    auto bare = strip_vls(*v, t);
    auto b = routing::analyze(*v, bare).value();
    CHECK(b.complete());
    CHECK(!b.cdg_acyclic);
    CHECK(!b.cdg_cycle.empty());
    CHECK(b.vls_with_cycle == std::vector<std::uint8_t>{0});

    // assign_vls() alone repairs the bare table.
    REQUIRE(dor_engine()->assign_vls(*v, {}, bare));
    auto c = routing::analyze(*v, bare).value();
    CHECK(c.cdg_acyclic);
    CHECK(c.vls_used == 2);
  }
  SECTION("rings of 3 and 4 need no VLs") {
    for (const auto& dims : {std::vector<unsigned>{3, 3}, std::vector<unsigned>{4, 4}, std::vector<unsigned>{4, 3, 4}}) {
      auto f = torus(dims, true, 2);
      auto v = f.snapshot();
      auto t = must_route(*v);
      CHECK(!t.has_sl());
      CHECK(check_sound(*v, t).vls_used == 1);
    }
  }
}

TEST_CASE("Dor: a torus needs 2 VLs; with max_vls 1 it is refused and the chain falls back", "[routing]") {
  auto f = torus({5, 4}, true, 1);
  auto v = f.snapshot();
  routing::Options o;
  o.max_vls = 1;
  auto t = dor(*v, o);
  REQUIRE(!t);
  CHECK(t.error().code == errc::not_supported);
  CHECK_THAT(t.error().message, Catch::Contains("needs 2 VLs"));
  auto c = routing::compute_chain(routing::EngineRegistry::builtin(), "dor,updn", *v, o);
  REQUIRE(c);
  CHECK(c->engine() == "updn");
  REQUIRE(c->skipped().size() == 1);
  CHECK(c->skipped()[0].engine == "dor");

  auto m = torus({4, 4}, false, 1);
  auto mv = m.snapshot();
  check_sound(*mv, must_route(*mv, o));  // a mesh is fine on one VL
}

TEST_CASE("Dor: refuses fabrics that do not follow the port convention", "[routing]") {
  const topo::GeneratorOptions go;
  auto refused = [](const TopologyView& v, const std::string& why) {
    auto t = dor(v);
    REQUIRE(!t);
    CHECK(t.error().code == errc::not_supported);
    CHECK_THAT(t.error().message, Catch::StartsWith("dor: ") && Catch::Contains(why));
  };
  SECTION("fat tree") {
    auto f = must(topo::generate_kary_ntree({4, 2}));
    auto v = f.snapshot();
    refused(*v, "switch " + format_guid(go.switch_guid_base) + " has an endpoint on port 1");
    auto c = routing::compute_chain(routing::EngineRegistry::builtin(), "dor,minhop", *v, {});
    REQUIRE(c);
    CHECK(c->engine() == "minhop");
    REQUIRE(c->skipped().size() == 1);
    CHECK(c->skipped()[0].engine == "dor");
  }
  SECTION("random regular graph") {
    auto f = must(topo::generate_random_regular({16, 4, 1, 3}));
    auto v = f.snapshot();
    refused(*v, "not a mesh or torus");
  }
  SECTION("HyperX with a missing link") {
    auto f = must(topo::generate_hyperx({{3, 3}, 1, 1}));
    auto sw = f.find(go.switch_guid_base + 4);
    REQUIRE(sw);
    REQUIRE(f.disconnect({*sw, PortNum(1)}));
    auto v = f.snapshot();
    refused(*v, "not a mesh or torus");
    refused(*v, "; not a HyperX: ");
  }
  SECTION("3x3 grid of cliques plus one diagonal link") {
    auto f = must(topo::generate_hyperx({{3, 3}, 1, 1}));
    // An extra switch port would change the generator's layout: add the
    // diagonal on a fresh pair of switches' endpoint ports instead.
    auto a = f.find(go.switch_guid_base + 0), b = f.find(go.switch_guid_base + 4);
    REQUIRE(a);
    REQUIRE(b);
    REQUIRE(f.disconnect({*a, PortNum(5)}));
    REQUIRE(f.disconnect({*b, PortNum(5)}));
    link(f, *a, 5, *b, 5);
    auto v = f.snapshot();
    refused(*v, "not a HyperX: ");
  }
  SECTION("torus with a missing link") {
    auto f = torus({4, 4}, true, 1);
    auto sw = f.find(go.switch_guid_base + 5);
    REQUIRE(sw);
    REQUIRE(f.disconnect({*sw, PortNum(3)}));
    auto v = f.snapshot();
    refused(*v, "has no switch on port");
  }
  SECTION("ring of 6 (ports 1 = +, 2 = -) is a 1-D torus and accepted") {
    auto f = ring(6, 1);
    auto v = f.snapshot();
    auto a = check_sound(*v, must_route(*v));
    CHECK(a.vls_used == 2);
  }
}

TEST_CASE("Dor: tables and SLs do not depend on the thread count", "[routing]") {
  auto f = torus({4, 3, 5}, true, 2);
  auto v = f.snapshot();
  routing::Options o;
  o.threads = 1;
  const auto ref = must_route(*v, o);
  for (unsigned th : {2u, 5u}) {
    o.threads = th;
    const auto t = must_route(*v, o);
    REQUIRE(t.has_sl());
    std::size_t lft_diff = 0, sl_diff = 0;
    for (std::uint32_t s = 0; s < t.switch_count(); ++s) {
      if (!std::equal(t.lft(s).begin(), t.lft(s).end(), ref.lft(s).begin(), ref.lft(s).end())) ++lft_diff;
      for (std::uint32_t lid = 1; lid <= t.max_lid(); ++lid)
        if (t.switch_path_sl(s, lid) != ref.switch_path_sl(s, lid)) ++sl_diff;
    }
    CHECK(lft_diff == 0);
    CHECK(sl_diff == 0);
  }
}

TEST_CASE("Dor: LMC 1 and 2", "[routing]") {
  for (std::uint8_t lmc : {std::uint8_t(1), std::uint8_t(2)}) {
    INFO("lmc=" << int(lmc));
    routing::Options o;
    o.lmc = lmc;
    for (bool wrap : {false, true}) {
      auto f = torus({4, 5}, wrap, 2);
      auto v = f.snapshot();
      auto t = must_route(*v, o);
      CHECK(t.lmc() == lmc);
      auto a = check_sound(*v, t);
      CHECK(a.pairs == a.endpoint_ports * (a.endpoint_ports - 1) * (1u << lmc));
      CHECK(a.min_distinct_paths == 1);  // dimension order has one path per pair
    }
  }
}

TEST_CASE("Dor: every tests/data topology is routed soundly or refused as not supported", "[routing]") {
  routing_test::check_fixtures_sound_or_refused("dor", [](const auto& v, const auto& o) { return dor(v, o); });
}

namespace {

// A S0 x S1 HyperX built by hand with switch ports in a scrambled order
// (not the generator's layout), `eps` endpoints per switch after them.
Fabric scrambled_hyperx(unsigned s0, unsigned s1, unsigned eps) {
  Fabric f;
  const unsigned n = s0 * s1, deg = s0 - 1 + s1 - 1;
  std::vector<NodeId> sw;
  for (unsigned i = 0; i < n; ++i) sw.push_back(add_switch(f, 0x5000 + (i * 7) % n, deg + eps));
  // Neighbour j (0..deg-1, in coordinate order) of switch i uses port
  // (j * 7 + i) % deg + 1 (7 is coprime to deg in the shapes used).
  auto port = [&](unsigned i, unsigned j) { return PortNum((j * 7 + i) % deg + 1); };
  auto nbrs = [&](unsigned i) {
    std::vector<unsigned> out;
    const unsigned x = i % s0, y = i / s0;
    for (unsigned c = 0; c < s0; ++c)
      if (c != x) out.push_back(y * s0 + c);
    for (unsigned c = 0; c < s1; ++c)
      if (c != y) out.push_back(c * s0 + x);
    return out;
  };
  for (unsigned i = 0; i < n; ++i) {
    const auto ni = nbrs(i);
    for (unsigned j = 0; j < ni.size(); ++j) {
      const unsigned k = ni[j];
      if (k < i) continue;
      const auto nk = nbrs(k);
      const unsigned back = unsigned(std::find(nk.begin(), nk.end(), i) - nk.begin());
      link(f, sw[i], port(i, j), sw[k], port(k, back));
    }
    for (unsigned e = 0; e < eps; ++e) link(f, sw[i], PortNum(deg + 1 + e), add_ca(f, 0x500000 + 16 * i + 2 * e), 1);
  }
  return f;
}

} // namespace

TEST_CASE("Dor: HyperX gets minimal tables, deadlock-free on one VL", "[routing]") {
  struct Shape {
    std::vector<unsigned> dims;
    unsigned trunking, eps;
  };
  for (const Shape& s : {Shape{{3, 3}, 1, 1}, Shape{{4, 2}, 1, 3}, Shape{{5, 3}, 2, 2}, Shape{{2, 3, 4}, 1, 2},
                         Shape{{3, 3, 3}, 1, 1}, Shape{{4, 3, 2}, 2, 3}, Shape{{6}, 1, 2}, Shape{{2, 2, 2, 3}, 1, 1}}) {
    std::string shape;
    for (unsigned d : s.dims) shape += (shape.empty() ? "" : "x") + std::to_string(d);
    INFO("HyperX " << shape << " trunking " << s.trunking << ", " << s.eps << " endpoints/switch");
    auto f = must(topo::generate_hyperx({s.dims, s.trunking, s.eps}));
    auto v = f.snapshot();
    auto t = must_route(*v);
    CHECK(!t.has_sl());
    auto a = check_sound(*v, t);
    CHECK(a.vls_used == 1);
    std::size_t cells = 1;
    for (unsigned d : s.dims) cells *= d;
    CHECK(a.endpoint_ports == cells * s.eps);
    CHECK(a.pairs == a.endpoint_ports * (a.endpoint_ports - 1));
    // assign_vls() accepts the HyperX and adds nothing.
    REQUIRE(dor_engine()->assign_vls(*v, {}, t));
    CHECK(!t.has_sl());
    if (s.trunking > 1) {
      // Trunks are used: with LMC 1 a pair's two LIDs take different links.
      routing::Options o;
      o.lmc = 1;
      auto t1 = must_route(*v, o);
      auto a1 = check_sound(*v, t1);
      CHECK(a1.min_distinct_paths == 2);
    }
  }
  SECTION("found from the graph, not from port numbers") {
    for (auto [s0, s1] : {std::pair{3u, 4u}, std::pair{4u, 4u}, std::pair{2u, 6u}}) {
      INFO(s0 << "x" << s1 << " scrambled");
      auto f = scrambled_hyperx(s0, s1, 2);
      auto v = f.snapshot();
      auto t = must_route(*v);
      check_sound(*v, t);
    }
  }
  SECTION("thread count does not change the table") {
    auto f = must(topo::generate_hyperx({{4, 3, 3}, 1, 2}));
    auto v = f.snapshot();
    routing::Options one, two;
    one.threads = 1;
    two.threads = 2;
    auto a = must_route(*v, one), b = must_route(*v, two);
    for (std::uint32_t s = 0; s < a.switch_count(); ++s) {
      const auto x = a.lft(s), y = b.lft(s);
      CHECK(std::equal(x.begin(), x.end(), y.begin(), y.end()));
    }
  }
}
