// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include <catch2/catch.hpp>

#include <string>

#include "fabrics.hpp"
#include "ofmf/routing/analysis.hpp"
#include "ofmf/routing/engine.hpp"

using namespace routing_test;
using ofmf::errc;
namespace routing = ofmf::routing;

#ifndef OFMF_TEST_PLUGIN_DIR
#error "OFMF_TEST_PLUGIN_DIR must name the folder of the test plug-ins"
#endif

namespace {
const std::string dir = OFMF_TEST_PLUGIN_DIR;
}

TEST_CASE("Plugin: an external engine is loaded, registered and routes", "[routing]") {
  auto r = routing::EngineRegistry::builtin();
  auto name = r.load_plugin(dir + "/libofmf-testhop.so");
  if (!name) FAIL(name.error().message);
  CHECK(*name == "testhop");
  CHECK(r.contains("testhop"));
  CHECK(r.names().back() == "testhop");
  Fabric f = two_level(2, 3, 2);
  auto v = f.snapshot();
  auto t = routing::compute_chain(r, "testhop", *v, {});
  REQUIRE(t);
  CHECK(t->engine() == "testhop");
  CHECK(routing::analyze(*v, *t).value().complete());
  // Same tables as the built-in minhop it wraps.
  auto m = routing::compute_chain(r, "minhop", *v, {});
  REQUIRE(m);
  for (std::uint32_t s = 0; s < v->switch_count(); ++s) {
    const auto a = t->lft(s), b = m->lft(s);
    CHECK(std::equal(a.begin(), a.end(), b.begin(), b.end()));
  }
  // An engine outlives the registry that created it (the library stays loaded).
  auto e = r.create("testhop");
  REQUIRE(e);
  r = routing::EngineRegistry::builtin();
  CHECK_FALSE(r.contains("testhop"));
  CHECK((*e)->compute(*v, {}));

  SECTION("loading it twice is a duplicate") {
    auto again = routing::EngineRegistry::builtin();
    REQUIRE(again.load_plugin(dir + "/libofmf-testhop.so"));
    auto dup = again.load_plugin(dir + "/libofmf-testhop.so");
    REQUIRE_FALSE(dup);
    CHECK(dup.error().code == errc::already_exists);
    CHECK(again.names().size() == routing::EngineRegistry::builtin().names().size() + 1);
  }
}

TEST_CASE("Plugin: bad plug-ins are refused and nothing is registered", "[routing]") {
  auto r = routing::EngineRegistry::builtin();
  const auto before = r.names();
  SECTION("wrong ABI version") {
    auto x = r.load_plugin(dir + "/libofmf-oldabi.so");
    REQUIRE_FALSE(x);
    CHECK(x.error().code == errc::not_supported);
    CHECK(x.error().message.find("ABI version") != std::string::npos);
  }
  SECTION("missing entry symbol") {
    auto x = r.load_plugin(dir + "/libofmf-noentry.so");
    REQUIRE_FALSE(x);
    CHECK(x.error().code == errc::not_found);
    CHECK(x.error().message.find("ofmf_plugin_entry") != std::string::npos);
  }
  SECTION("name does not match the file") {
    auto x = r.load_plugin(dir + "/libofmf-misnamed.so");
    REQUIRE_FALSE(x);
    CHECK(x.error().code == errc::invalid_argument);
  }
  SECTION("duplicate of a built-in") {
    auto x = r.load_plugin(dir + "/libofmf-minhop.so");
    REQUIRE_FALSE(x);
    CHECK(x.error().code == errc::already_exists);
  }
  SECTION("missing file and bad file names") {
    auto x = r.load_plugin(dir + "/libofmf-absent.so");
    REQUIRE_FALSE(x);
    CHECK(x.error().code == errc::not_found);
    CHECK(r.load_plugin(dir + "/testhop.so").error().code == errc::invalid_argument);
  }
  CHECK(r.names() == before);
}
