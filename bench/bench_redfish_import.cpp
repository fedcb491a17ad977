// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Redfish import of a 10,368-endpoint fabric (3-level fat tree of radix-36
// switches with 16 endpoints per leaf, LIDs and the default partition
// set): from an in-memory tree, and from a mockup folder (read_mockup,
// then the whole import_mockup).

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include "ofmf/redfish/import.hpp"
#include "ofmf/redfish/mockup.hpp"
#include "ofmf/redfish/render.hpp"
#include "ofmf/topology/generators.hpp"

namespace {

namespace fs = std::filesystem;
using namespace ofmf;

model::Fabric make_fabric() {
  auto f = topology::generate_fat_tree({36, 3, 16});
  if (!f) std::abort();
  std::uint16_t lid = 1;
  model::Partition all{model::default_pkey, "default", {}};
  for (auto id : f->nodes()) {
    auto n = f->node(id);
    const bool sw = n->type == model::NodeType::Switch;
    for (unsigned p = sw ? 0 : 1; p <= (sw ? 0 : n->num_ports()); ++p) {
      auto a = n->ports[p].attributes;
      a.lid = lid++;
      a.state = model::PortState::Active;
      a.phys_state = model::PhysState::LinkUp;
      if (!f->set_port({id, static_cast<model::PortNum>(p)}, a)) std::abort();
      all.members.push_back({sw ? n->guid : a.guid, model::Membership::Full});
    }
  }
  if (!f->set_partition(all)) std::abort();
  return std::move(*f);
}

struct Fixture {
  model::Fabric fabric = make_fabric();
  redfish::Tree tree = *redfish::render(fabric);
  fs::path dir;
  Fixture() {
    std::random_device rd;
    dir = fs::temp_directory_path() / ("ofmf-bench-import-" + std::to_string(rd()));
    if (!redfish::write_mockup(tree, dir)) std::abort();
  }
  ~Fixture() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void label(benchmark::State& state, const Fixture& f) {
  state.counters["endpoints"] = double(f.fabric.node_count() - f.fabric.switch_count());
  state.counters["resources"] = double(f.tree.size());
}

void BM_import_tree(benchmark::State& state) {
  auto& f = fixture();
  for (auto _ : state) {
    auto r = redfish::import_tree(f.tree);
    if (!r) state.SkipWithError(r.error().message.c_str());
    benchmark::DoNotOptimize(r);
  }
  label(state, f);
}
BENCHMARK(BM_import_tree)->Unit(benchmark::kMillisecond);

void BM_read_mockup(benchmark::State& state) {
  auto& f = fixture();
  for (auto _ : state) {
    auto r = redfish::read_mockup(f.dir);
    if (!r) state.SkipWithError(r.error().message.c_str());
    benchmark::DoNotOptimize(r);
  }
  label(state, f);
}
BENCHMARK(BM_read_mockup)->Unit(benchmark::kMillisecond);

void BM_import_mockup(benchmark::State& state) {
  auto& f = fixture();
  for (auto _ : state) {
    auto r = redfish::import_mockup(f.dir);
    if (!r) state.SkipWithError(r.error().message.c_str());
    benchmark::DoNotOptimize(r);
  }
  label(state, f);
}
BENCHMARK(BM_import_mockup)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
