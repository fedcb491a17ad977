// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// The ftree engine, checked by the route analysis (never by the engine's
// own word): complete, loop-free, minimal, acyclic CDG on one VL, and the
// ideal all-to-all link load on full fat trees.
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

ofmf::Result<routing::RouteTable> ftree(const TopologyView& v, routing::Options o = {}) {
  auto e = routing::EngineRegistry::builtin().create("ftree");
  REQUIRE(e);
  return (*e)->compute(v, o);
}

routing::RouteTable must_route(const TopologyView& v, routing::Options o = {}) {
  auto t = ftree(v, o);
  if (!t) FAIL("ftree: " << t.error().message);
  return std::move(t).value();
}

Fabric must(ofmf::Result<Fabric> f) {
  if (!f) FAIL(f.error().message);
  return std::move(f).value();
}

// Complete, loop-free, minimal, deadlock-free on one VL.
routing::Analysis check_sound(const TopologyView& v, const routing::RouteTable& t, bool minimal = true) {
  auto a = routing::analyze(v, t).value();
  CHECK(a.endpoint_ports > 0);
  CHECK(a.unreachable == 0);
  CHECK(a.loops == 0);
  CHECK(a.complete());
  if (minimal) CHECK(a.non_minimal == 0);
  CHECK(a.cdg_acyclic);
  CHECK(!t.has_sl());
  return a;
}

std::uint64_t ipow(std::uint64_t b, unsigned e) {
  std::uint64_t r = 1;
  while (e--) r *= b;
  return r;
}

} // namespace

TEST_CASE("Ftree: k-ary n-trees get minimal, deadlock-free tables with the ideal load", "[routing]") {
  struct Shape {
    unsigned k, n;
  };
  for (Shape s : {Shape{2, 2}, Shape{2, 3}, Shape{3, 2}, Shape{3, 3}, Shape{4, 2}, Shape{4, 3}, Shape{2, 4}, Shape{5, 3}}) {
    INFO("k=" << s.k << " n=" << s.n);
    auto f = must(topo::generate_kary_ntree({s.k, s.n}));
    auto v = f.snapshot();
    auto t = must_route(*v);
    CHECK(t.engine() == "ftree");
    auto a = check_sound(*v, t);
    // A leaf has k endpoints and k up-links; the k * (k^n - k) flows from
    // its endpoints to the other k^n - k endpoints all leave over those k
    // links, so the busiest carries at least k^n - k. d-mod-k reaches it.
    const std::uint64_t ideal = ipow(s.k, s.n) - s.k;
    CHECK(a.max_load == ideal);
  }
}

TEST_CASE("Ftree: folded-Clos fat trees get the ideal load", "[routing]") {
  struct Shape {
    unsigned radix, levels;
  };
  for (Shape s : {Shape{4, 2}, Shape{8, 2}, Shape{6, 3}, Shape{8, 3}}) {
    INFO("radix=" << s.radix << " levels=" << s.levels);
    auto f = must(topo::generate_fat_tree({s.radix, s.levels, 0}));
    auto v = f.snapshot();
    auto t = must_route(*v);
    auto a = check_sound(*v, t);
    // Non-blocking: e = radix/2 endpoints and as many up-links per leaf;
    // the e * (N - e) flows leaving a leaf need N - e per up-link.
    const std::uint64_t e = s.radix / 2;
    const std::uint64_t n = a.endpoint_ports;
    CHECK(n == (s.levels == 2 ? s.radix * e : s.radix * s.radix / 2 * e));
    CHECK(a.max_load == n - e);
  }
}

TEST_CASE("Ftree: oversubscribed trees, XGFTs and hand-built trees route soundly", "[routing]") {
  SECTION("oversubscribed fat tree") {
    auto f = must(topo::generate_fat_tree({8, 3, 5}));  // 5 endpoints, 3 up-links per leaf
    auto v = f.snapshot();
    auto a = check_sound(*v, must_route(*v));
    // Lower bound from a leaf: 5 * (N - 5) flows over 3 up-links.
    const std::uint64_t n = a.endpoint_ports;
    CHECK(a.max_load >= (5 * (n - 5) + 2) / 3);
    CHECK(a.max_load <= 2 * ((5 * (n - 5) + 2) / 3));
  }
  SECTION("XGFT") {
    for (const topo::XgftSpec& spec : {topo::XgftSpec{{4, 4}, {1, 2}}, topo::XgftSpec{{3, 3, 2}, {1, 3, 2}},
                                       topo::XgftSpec{{2, 2, 2}, {1, 2, 2}}}) {
      auto f = must(topo::generate_xgft(spec));
      auto v = f.snapshot();
      check_sound(*v, must_route(*v));
    }
  }
  SECTION("hand-built two-level tree") {
    auto f = two_level(3, 4, 3);
    auto v = f.snapshot();
    auto a = check_sound(*v, must_route(*v));
    // 3 endpoints and 3 up-links per leaf: 9 endpoints elsewhere each.
    CHECK(a.max_load == 9);
  }
  SECTION("single switch") {
    auto f = must(topo::generate_kary_ntree({4, 1}));
    auto v = f.snapshot();
    check_sound(*v, must_route(*v));
  }
}

TEST_CASE("Ftree: missing links and switches are tolerated while leaves stay connected", "[routing]") {
  const topo::GeneratorOptions go;
  auto f = must(topo::generate_kary_ntree({4, 3}));
  auto sw = [&](unsigned i) {
    auto id = f.find(go.switch_guid_base + i);
    REQUIRE(id);
    return *id;
  };
  SECTION("one leaf up-link and one top switch gone") {
    REQUIRE(f.disconnect({sw(0), PortNum(5)}));
    REQUIRE(f.disconnect({sw(17), PortNum(7)}));  // a level-2 up-link
    REQUIRE(f.remove_node(sw(37)));               // a top switch
    auto v = f.snapshot();
    auto t = must_route(*v);
    auto a = check_sound(*v, t, false);
    CHECK(a.non_minimal == 0);
  }
  SECTION("a leaf that lost every up-link is refused") {
    for (PortNum p = 5; p <= 8; ++p) REQUIRE(f.disconnect({sw(3), p}));
    auto v = f.snapshot();
    auto t = ftree(*v);
    REQUIRE(!t);
    CHECK(t.error().code == errc::not_supported);
    CHECK_THAT(t.error().message, Catch::Contains("cannot reach leaf switch") &&
                                      Catch::Contains(format_guid(go.switch_guid_base + 0)));
  }
}

TEST_CASE("Ftree: refuses non-trees with the offending switch, and the chain falls back", "[routing]") {
  const topo::GeneratorOptions go;
  SECTION("torus") {
    auto f = must(topo::generate_torus({{4, 4}, true, 1}));
    auto v = f.snapshot();
    auto t = ftree(*v);
    REQUIRE(!t);
    CHECK(t.error().code == errc::not_supported);
    CHECK_THAT(t.error().message, Catch::Contains("ftree: switch " + format_guid(go.switch_guid_base)) &&
                                      Catch::Contains("same level"));
    auto c = routing::compute_chain(routing::EngineRegistry::builtin(), "ftree,minhop", *v, {});
    REQUIRE(c);
    CHECK(c->engine() == "minhop");
    REQUIRE(c->skipped().size() == 1);
    CHECK(c->skipped()[0].engine == "ftree");
    CHECK(c->skipped()[0].error.code == errc::not_supported);
    CHECK_THAT(c->skipped()[0].error.message, Catch::Contains("same level"));
    CHECK(routing::analyze(*v, *c).value().complete());
  }
  SECTION("random regular graph") {
    auto f = must(topo::generate_random_regular({16, 4, 1, 3}));
    auto v = f.snapshot();
    auto t = ftree(*v);
    REQUIRE(!t);
    CHECK(t.error().code == errc::not_supported);
    CHECK_THAT(t.error().message, Catch::Contains("not a fat tree"));
  }
  SECTION("endpoint on a spine") {
    Fabric f = two_level(2, 3, 1);
    auto spine = f.find(0x2000);
    REQUIRE(spine);
    // Give spine 0 an endpoint by replacing its link to leaf 0.
    REQUIRE(f.disconnect({*spine, PortNum(1)}));
    link(f, *spine, 1, add_ca(f, 0x900000), 1);
    auto v = f.snapshot();
    auto t = ftree(*v);
    REQUIRE(!t);
    CHECK_THAT(t.error().message, Catch::Contains("same level"));
  }
  SECTION("no endpoints") {
    Fabric f;
    auto a = add_switch(f, 0x10, 4), b = add_switch(f, 0x11, 4);
    link(f, a, 1, b, 1);
    auto v = f.snapshot();
    auto t = ftree(*v);
    REQUIRE(!t);
    CHECK(t.error().code == errc::not_supported);
    CHECK_THAT(t.error().message, Catch::Contains("no leaves"));
  }
  SECTION("no switches") {
    Fabric f;
    auto v = f.snapshot();
    auto t = ftree(*v);
    REQUIRE(!t);
    CHECK(t.error().code == errc::invalid_argument);
  }
}

TEST_CASE("Ftree: tables do not depend on the thread count", "[routing]") {
  for (auto make : {+[] { return topo::generate_kary_ntree({4, 3}); }, +[] { return topo::generate_fat_tree({8, 3, 0}); }}) {
    auto f = must(make());
    auto v = f.snapshot();
    routing::Options o;
    o.lmc = 1;
    o.threads = 1;
    const auto ref = must_route(*v, o);
    for (unsigned th : {2u, 3u, 7u}) {
      o.threads = th;
      const auto t = must_route(*v, o);
      REQUIRE(t.switch_count() == ref.switch_count());
      for (std::uint32_t s = 0; s < t.switch_count(); ++s) {
        const auto x = t.lft(s), y = ref.lft(s);
        CHECK(std::equal(x.begin(), x.end(), y.begin(), y.end()));
      }
    }
  }
}

TEST_CASE("Ftree: with LMC the LIDs of a port take different paths", "[routing]") {
  for (std::uint8_t lmc : {std::uint8_t(1), std::uint8_t(2)}) {
    INFO("lmc=" << int(lmc));
    routing::Options o;
    o.lmc = lmc;
    SECTION("4-ary 3-tree") {
      auto f = must(topo::generate_kary_ntree({4, 3}));
      auto v = f.snapshot();
      auto t = must_route(*v, o);
      CHECK(t.lmc() == lmc);
      auto a = check_sound(*v, t);
      CHECK(a.max_load == ipow(4, 3) - 4);  // base LIDs keep the d-mod-k balance
      // 4 up-links per leaf >= 2^lmc: every LID of a destination port gets its own path.
      CHECK(a.min_distinct_paths == (1u << lmc));
    }
    SECTION("fat tree radix 8") {
      auto f = must(topo::generate_fat_tree({8, 3, 0}));
      auto v = f.snapshot();
      auto a = check_sound(*v, must_route(*v, o));
      CHECK(a.min_distinct_paths == (1u << lmc));
    }
  }
}

TEST_CASE("Ftree: every tests/data topology is routed soundly or refused as not supported", "[routing]") {
  routing_test::check_fixtures_sound_or_refused("ftree", [](const auto& v, const auto& o) { return ftree(v, o); });
}
