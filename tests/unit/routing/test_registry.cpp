// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include <string>

#include "fabrics.hpp"
#include "ofmf/routing/engine.hpp"

using namespace routing_test;
using ofmf::errc;
namespace routing = ofmf::routing;

namespace {

// An engine that always fails with a given code.
class Failing final : public routing::Engine {
 public:
  explicit Failing(errc code) : code_(code) {}
  std::string_view name() const noexcept override { return "failing"; }
  ofmf::Result<routing::RouteTable> compute(const TopologyView&, const routing::Options&) const override {
    return ofmf::fail(code_, "failing: refused on purpose");
  }

 private:
  errc code_;
};

routing::EngineDescriptor failing(std::string name, errc code = errc::not_supported) {
  return {std::move(name), routing::engine_abi_version, [code] { return std::make_unique<Failing>(code); }};
}

} // namespace

TEST_CASE("EngineRegistry: built-ins are listed and created by name", "[routing]") {
  const auto r = routing::EngineRegistry::builtin();
  const auto names = r.names();
  for (const char* core : {"minhop", "updn", "ftree", "dor"})
    CHECK(std::find(names.begin(), names.end(), core) != names.end());
  CHECK(std::set<std::string>(names.begin(), names.end()).size() == names.size());
  for (const auto& n : names) {
    auto e = r.create(n);
    REQUIRE(e);
    CHECK((*e)->name() == n);
  }
  auto missing = r.create("ftree-nope");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == errc::not_found);
}

TEST_CASE("EngineRegistry: duplicates and bad descriptors are refused", "[routing]") {
  auto r = routing::EngineRegistry::builtin();
  auto expected = r.names();
  auto dup = r.add(failing("minhop"));
  REQUIRE_FALSE(dup);
  CHECK(dup.error().code == errc::already_exists);
  REQUIRE(r.add(failing("mine")));
  CHECK(r.add(failing("mine")).error().code == errc::already_exists);
  CHECK(r.add(failing("")).error().code == errc::invalid_argument);
  CHECK(r.add(failing("a,b")).error().code == errc::invalid_argument);
  CHECK(r.add({"nofactory", routing::engine_abi_version, {}}).error().code == errc::invalid_argument);
  auto abi = failing("old");
  abi.abi_version = routing::engine_abi_version + 1;
  CHECK(r.add(abi).error().code == errc::not_supported);
  expected.push_back("mine");
  CHECK(r.names() == expected);
  // The default hook says not supported.
  Fabric f = ring(2, 1);
  auto v = f.snapshot();
  auto t = routing::RouteTable::create(*v, 0);
  REQUIRE(t);
  auto hook = (*r.create("minhop"))->assign_vls(*v, {}, *t);
  REQUIRE_FALSE(hook);
  CHECK(hook.error().code == errc::not_supported);
}

TEST_CASE("compute_chain: falls back in order and records why", "[routing]") {
  auto r = routing::EngineRegistry::builtin();
  REQUIRE(r.add(failing("first", errc::not_supported)));
  REQUIRE(r.add(failing("second", errc::inconsistent)));
  Fabric f = ring(3, 1, true);
  const NodeId island = add_switch(f, 0x9001, 4);  // disconnected: updn refuses
  link(f, island, 1, add_ca(f, 0x990000), 1);
  auto v = f.snapshot();

  SECTION("updn refused, minhop used") {
    auto t = routing::compute_chain(r, "updn, minhop", *v, {});
    REQUIRE(t);
    CHECK(t->engine() == "minhop");
    REQUIRE(t->skipped().size() == 1);
    CHECK(t->skipped()[0].engine == "updn");
    CHECK(t->skipped()[0].error.code == errc::invalid_argument);
    CHECK(t->skipped()[0].error.message.find("not connected") != std::string::npos);
  }
  SECTION("the first that works wins") {
    auto t = routing::compute_chain(r, "first,second,minhop,updn", *v, {});
    REQUIRE(t);
    CHECK(t->engine() == "minhop");
    REQUIRE(t->skipped().size() == 2);
    CHECK(t->skipped()[0].engine == "first");
    CHECK(t->skipped()[1].engine == "second");
    CHECK(t->skipped()[1].error.code == errc::inconsistent);
  }
  SECTION("no fallback: the first error is returned") {
    routing::Options o;
    o.allow_fallback = false;
    auto t = routing::compute_chain(r, "second,minhop", *v, o);
    REQUIRE_FALSE(t);
    CHECK(t.error().code == errc::inconsistent);
    auto ok = routing::compute_chain(r, "minhop,second", *v, o);
    REQUIRE(ok);
    CHECK(ok->skipped().empty());
  }
  SECTION("all fail: every reason in the message") {
    auto t = routing::compute_chain(r, "first,second", *v, {});
    REQUIRE_FALSE(t);
    CHECK(t.error().code == errc::inconsistent);
    CHECK(t.error().message.find("[first:") != std::string::npos);
    CHECK(t.error().message.find("[second:") != std::string::npos);
  }
  SECTION("unknown names and empty chains are refused before anything runs") {
    auto t = routing::compute_chain(r, "minhop,bogus", *v, {});
    REQUIRE_FALSE(t);
    CHECK(t.error().code == errc::not_found);
    CHECK(t.error().message.find("bogus") != std::string::npos);
    CHECK(routing::compute_chain(r, "", *v, {}).error().code == errc::invalid_argument);
    CHECK(routing::compute_chain(r, "minhop,,updn", *v, {}).error().code == errc::invalid_argument);
  }
}
