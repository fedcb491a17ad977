// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// model::reconcile() of a discovery into the live fabric, on the radix-36
// 3-level fat tree (11,664 endpoints, 1,620 switches). Target: a few tens
// of milliseconds at most for an unchanged discovery.
//
// BM_reconcile_unchanged: the discovery equals the live fabric (no
// mutation). BM_reconcile_one_link: one host link down; iterations
// alternate between that discovery and the original one, so each applies
// one link change (1 mutation: unlink, then link again). Counters: nodes,
// links, mutations per reconcile.
#include <benchmark/benchmark.h>

#include <optional>

#include "ofmf/model/reconcile.hpp"
#include "ofmf/topology/generators.hpp"

namespace {

using ofmf::model::Fabric;

std::optional<Fabric> fat_tree(benchmark::State& state) {
  auto f = ofmf::topology::generate_fat_tree({36, 3, 0});
  if (!f) {
    state.SkipWithError(f.error().message.c_str());
    return std::nullopt;
  }
  return std::move(*f);
}

// Reconciles `live` with `a`, `b`, `a`, ... one per iteration.
void measure(benchmark::State& state, Fabric& live, const Fabric& a, const Fabric& b) {
  std::uint64_t mutations = 0;
  bool flip = false;
  for (auto _ : state) {
    auto r = ofmf::model::reconcile(live, flip ? b : a);
    flip = !flip;
    if (!r) {
      state.SkipWithError(r.error().message.c_str());
      return;
    }
    mutations += r->mutations;
    benchmark::DoNotOptimize(r);
  }
  state.counters["nodes"] = double(live.node_count());
  state.counters["links"] = double(live.link_count());
  state.counters["mutations"] = benchmark::Counter(double(mutations), benchmark::Counter::kAvgIterations);
}

void BM_reconcile_unchanged(benchmark::State& state) {
  auto live = fat_tree(state);
  if (!live) return;
  const Fabric disc = *live;
  measure(state, *live, disc, disc);
}

void BM_reconcile_one_link(benchmark::State& state) {
  auto live = fat_tree(state);
  if (!live) return;
  const Fabric original = *live;
  Fabric down = *live;
  // The last host's link is down (every port of this tree is in use, so
  // there is no free port to move it to).
  if (!down.disconnect({down.nodes().back(), 1})) {
    state.SkipWithError("cannot unlink the host");
    return;
  }
  measure(state, *live, down, original);
}

} // namespace

BENCHMARK(BM_reconcile_unchanged)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_reconcile_one_link)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
