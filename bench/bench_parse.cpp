// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Parse throughput of the topology formats. Input: a 3-level fat tree of
// radix-36 switches (1,620 switches, 11,664 endpoints) written in memory.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "ofmf/topology/format.hpp"
#include "ofmf/topology/generators.hpp"

namespace {

const ofmf::model::Fabric& fat_tree() {
  static const ofmf::model::Fabric f = [] {
    ofmf::topology::FatTreeSpec spec;
    spec.radix = 36;
    spec.levels = 3;
    auto r = ofmf::topology::generate_fat_tree(spec);
    if (!r) {
      std::fprintf(stderr, "generate_fat_tree: %s\n", r.error().what().c_str());
      std::abort();
    }
    return std::move(r).value();
  }();
  return f;
}

void check(const ofmf::Result<ofmf::model::Fabric>& r, benchmark::State& state) {
  if (!r) state.SkipWithError(r.error().message.c_str());
}

void BM_parse_ibnetdiscover(benchmark::State& state) {
  const std::string text = ofmf::topology::write_ibnetdiscover(fat_tree());
  for (auto _ : state) {
    auto r = ofmf::topology::parse_ibnetdiscover(text);
    check(r, state);
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(text.size()));
  state.counters["input_MB"] = double(text.size()) / 1e6;
}
BENCHMARK(BM_parse_ibnetdiscover)->Unit(benchmark::kMillisecond);

void BM_parse_netfile(benchmark::State& state) {
  const std::string text = ofmf::topology::write_netfile(fat_tree());
  for (auto _ : state) {
    auto r = ofmf::topology::parse_netfile(text);
    check(r, state);
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(text.size()));
  state.counters["input_MB"] = double(text.size()) / 1e6;
}
BENCHMARK(BM_parse_netfile)->Unit(benchmark::kMillisecond);

void BM_write_ibnetdiscover(benchmark::State& state) {
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string text = ofmf::topology::write_ibnetdiscover(fat_tree());
    bytes = text.size();
    benchmark::DoNotOptimize(text);
  }
  state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(bytes));
}
BENCHMARK(BM_write_ibnetdiscover)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
