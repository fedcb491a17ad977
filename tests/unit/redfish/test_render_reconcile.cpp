// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// A Renderer attached to the live fabric follows model::reconcile(): it
// re-renders only what the discovery changed, and its tree equals a fresh
// render of the discovered fabric.
#include <catch2/catch.hpp>

#include <algorithm>

#include "import_fixtures.hpp"
#include "ofmf/model/reconcile.hpp"
#include "ofmf/redfish/render.hpp"
#include "ofmf/topology/generators.hpp"

using namespace ofmf;

namespace {

model::NodeId last_of(const model::Fabric& f, model::NodeType t) {
  model::NodeId out;
  for (auto id : f.nodes())
    if (f.type(id) == t) out = id;
  REQUIRE(out.valid());
  return out;
}

// The trees hold the same resources with the same content, apart from the
// model generation the Fabric resource carries (Oem.Ofmf.Generation: the
// live fabric has had other mutations than the discovered one).
void check_same_tree(const redfish::Tree& kept, const redfish::Tree& fresh) {
  CHECK(kept.size() == fresh.size());
  auto without_generation = [](nlohmann::json j) {
    if (auto oem = j.find("Oem"); oem != j.end() && oem->is_object())
      if (auto o = oem->find("Ofmf"); o != oem->end() && o->is_object()) o->erase("Generation");
    return j;
  };
  for (const auto& [uri, j] : fresh) {
    INFO(uri);
    const auto* k = kept.find(uri);
    REQUIRE(k);
    CHECK(without_generation(*k) == without_generation(j));
  }
}

} // namespace

TEST_CASE("Renderer: follows a reconcile of the fabric it renders", "[redfish]") {
  auto made = topology::generate_kary_ntree({4, 3});
  REQUIRE(made);
  model::Fabric live = std::move(*made);
  REQUIRE(test::decorate(live));
  auto r = redfish::Renderer::create(live);
  REQUIRE(r);
  model::ReconcileOptions take;
  take.partitions = model::ReconcileFrom::Discovered;
  take.counters = model::ReconcileFrom::Discovered;

  SECTION("an identical discovery renders nothing") {
    const model::Fabric disc = live;
    auto rep = model::reconcile(live, disc, take);
    REQUIRE(rep);
    CHECK_FALSE(rep->changed());
    CHECK(r->pending() == 0);
    const auto res = r->refresh();
    CHECK(res.rendered.empty());
    CHECK(res.removed.empty());
  }

  SECTION("a discovery with a port down, a host gone and a new description") {
    model::Fabric disc = live;
    const auto ca = last_of(disc, model::NodeType::ChannelAdapter);
    const auto gone = disc.nodes()[disc.nodes().size() - 2];
    REQUIRE(disc.type(gone) == model::NodeType::ChannelAdapter);
    auto a = disc.port({ca, 1})->attributes;
    a.state = model::PortState::Down;
    a.phys_state = model::PhysState::Polling;
    REQUIRE(disc.set_port({ca, 1}, a));
    REQUIRE(disc.remove_node(gone));
    const auto sw = last_of(disc, model::NodeType::Switch);
    REQUIRE(disc.set_description(sw, "renamed"));

    auto rep = model::reconcile(live, disc, take);
    REQUIRE(rep);
    CHECK(rep->nodes_removed.size() == 1);
    CHECK(rep->ports_changed.size() == 1);
    CHECK(rep->descriptions_changed.size() == 1);
    CHECK(r->pending() > 0);
    const auto res = r->refresh();
    // Only what the changes touch, not the whole tree.
    CHECK_FALSE(res.rendered.empty());
    CHECK(res.rendered.size() * 4 < r->tree().size());
    CHECK_FALSE(res.removed.empty());
    const std::string host = "/redfish/v1/Chassis/";
    CHECK(std::any_of(res.removed.begin(), res.removed.end(),
                      [&](const std::string& u) { return u.rfind(host, 0) == 0; }));
    auto fresh = redfish::render(disc, r->options());
    REQUIRE(fresh);
    check_same_tree(r->tree(), *fresh);
    // And exactly a fresh render of the live fabric.
    auto again = redfish::render(live, r->options());
    REQUIRE(again);
    CHECK(r->tree() == *again);
  }
}
