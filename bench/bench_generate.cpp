// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Generator benchmarks. The target: generate and snapshot a
// 65,536-endpoint 3-level fat tree (radix 64) in under 1 s on one core.
//
// Counters: nodes, ports, links of the generated fabric; fabric_B/node and
// fabric_B/port = heap bytes held by the Fabric (mallinfo2().uordblks
// after minus before building it) per node and per port; view_B/node and
// view_B/port = TopologyView::memory_bytes() per node and per port.
// Destroying the fabric is not timed.
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>

#include "ofmf/model/topology_view.hpp"
#include "ofmf/topology/generators.hpp"

namespace {

using ofmf::model::Fabric;
using ofmf::topology::generate_fat_tree;

std::size_t heap_in_use() { return mallinfo2().uordblks; }

// Builds one fabric outside the timed loop to measure memory.
void add_counters(benchmark::State& state, const std::function<ofmf::Result<Fabric>()>& make) {
  const std::size_t before = heap_in_use();
  std::optional<Fabric> f;
  {
    auto r = make();
    if (!r) {
      state.SkipWithError(r.error().message.c_str());
      return;
    }
    f.emplace(std::move(r).value());
  }
  const std::size_t fabric_bytes = heap_in_use() - before;
  const auto view = f->snapshot();
  const double nodes = double(f->node_count()), ports = double(f->port_count());
  state.counters["nodes"] = nodes;
  state.counters["ports"] = ports;
  state.counters["links"] = double(f->link_count());
  state.counters["fabric_B/node"] = double(fabric_bytes) / nodes;
  state.counters["fabric_B/port"] = double(fabric_bytes) / ports;
  state.counters["view_B/node"] = double(view->memory_bytes()) / nodes;
  state.counters["view_B/port"] = double(view->memory_bytes()) / ports;
}

ofmf::Result<Fabric> fat_tree(benchmark::State& state) {
  return generate_fat_tree({unsigned(state.range(0)), 3, 0});
}

void BM_FatTreeGenerate(benchmark::State& state) {
  for (auto _ : state) {
    auto f = fat_tree(state);
    benchmark::DoNotOptimize(f);
    state.PauseTiming();
    f = Fabric();
    state.ResumeTiming();
  }
  add_counters(state, [&] { return fat_tree(state); });
}
BENCHMARK(BM_FatTreeGenerate)->Arg(36)->Arg(64)->Unit(benchmark::kMillisecond);

void BM_FatTreeGenerateSnapshot(benchmark::State& state) {
  for (auto _ : state) {
    auto f = fat_tree(state);
    auto view = f->snapshot();
    benchmark::DoNotOptimize(view);
    state.PauseTiming();
    view.reset();
    f = Fabric();
    state.ResumeTiming();
  }
  add_counters(state, [&] { return fat_tree(state); });
}
BENCHMARK(BM_FatTreeGenerateSnapshot)->Arg(36)->Arg(64)->Unit(benchmark::kMillisecond);

void BM_FatTreeSnapshot(benchmark::State& state) {
  auto f = fat_tree(state);
  for (auto _ : state) {
    auto view = f->snapshot();
    benchmark::DoNotOptimize(view);
  }
  add_counters(state, [&] { return fat_tree(state); });
}
BENCHMARK(BM_FatTreeSnapshot)->Arg(64)->Unit(benchmark::kMillisecond);

void BM_Torus3D(benchmark::State& state) {
  const unsigned s = unsigned(state.range(0));
  auto make = [&] { return ofmf::topology::generate_torus({{s, s, s}, true, 1}); };
  for (auto _ : state) benchmark::DoNotOptimize(make());
  add_counters(state, make);
}
BENCHMARK(BM_Torus3D)->Arg(32)->Unit(benchmark::kMillisecond);

void BM_Dragonfly(benchmark::State& state) {
  const unsigned a = unsigned(state.range(0));
  auto make = [&] { return ofmf::topology::generate_dragonfly({a, a / 2, a / 2, 0}); };
  for (auto _ : state) benchmark::DoNotOptimize(make());
  add_counters(state, make);
}
BENCHMARK(BM_Dragonfly)->Arg(16)->Unit(benchmark::kMillisecond);

void BM_RandomRegular(benchmark::State& state) {
  const unsigned n = unsigned(state.range(0));
  auto make = [&] { return ofmf::topology::generate_random_regular({n, 16, 16, 1}); };
  for (auto _ : state) benchmark::DoNotOptimize(make());
  add_counters(state, make);
}
BENCHMARK(BM_RandomRegular)->Arg(4096)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
