// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Routing-engine benchmarks: time of Engine::compute() (LID assignment and
// every LFT) on large generated fabrics. Fabrics are generated and
// snapshotted once, outside the timed loop. Argument = worker threads.
//
// Targets (issue): ftree on the k=18 k-ary 3-tree (5,832 endpoints, 972
// switches) well under 95 ms on one core (OpenSM ftree: 1.9 s), with max
// all-to-all link load 5,814; ftree on a 3-level radix-64 fat tree in
// under 2 s on 2 cores with peak memory < 2 GiB.
//
// Counters: switches, lids (max LID), lft_MiB (forwarding tables);
// peak_rss_MiB = getrusage() ru_maxrss after the run (the process peak so
// far, so it includes earlier benchmarks); max_load / non_minimal /
// acyclic from one analyze() of the k=18 tables, run outside the timing.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <map>
#include <memory>
#include <string>

#include "ofmf/routing/analysis.hpp"
#include "ofmf/routing/engine.hpp"
#include "ofmf/routing/incremental.hpp"
#include "ofmf/topology/generators.hpp"

namespace {

namespace routing = ofmf::routing;
namespace topo = ofmf::topology;
using ofmf::model::TopologyView;

double peak_rss_mib() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return double(ru.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

// Fabrics by name, generated once.
std::shared_ptr<const TopologyView> view(const std::string& name) {
  static std::map<std::string, std::shared_ptr<const TopologyView>> cache;
  auto it = cache.find(name);
  if (it != cache.end()) return it->second;
  ofmf::Result<ofmf::model::Fabric> f = ofmf::fail(ofmf::errc::not_found, name);
  if (name == "kary18") f = topo::generate_kary_ntree({18, 3});
  else if (name == "fat64") f = topo::generate_fat_tree({64, 3, 0});
  else if (name == "fat64e20") f = topo::generate_fat_tree({64, 3, 20});
  else if (name == "fat56") f = topo::generate_fat_tree({56, 3, 0});
  else if (name == "torus6") f = topo::generate_torus({{6, 6, 6}, true, 1});
  if (!f) return nullptr;
  auto v = f->snapshot();
  cache.emplace(name, v);
  return v;
}

void run(benchmark::State& state, const char* engine, const char* fabric, bool analyse = false) {
  auto v = view(fabric);
  if (!v) {
    state.SkipWithError("fabric generation failed");
    return;
  }
  auto e = routing::EngineRegistry::builtin().create(engine);
  if (!e) {
    state.SkipWithError(e.error().message.c_str());
    return;
  }
  routing::Options o;
  o.threads = unsigned(state.range(0));
  std::string error;
  std::size_t lids = 0, lft_bytes = 0;
  for (auto _ : state) {
    auto t = (*e)->compute(*v, o);
    if (!t) {
      error = t.error().message;
      break;
    }
    lids = t->max_lid();
    lft_bytes = t->lid_space() * t->switch_count();
    benchmark::DoNotOptimize(t->lft(0).data());
    if (analyse) {
      state.PauseTiming();
      const auto a = routing::analyze(*v, *t).value();
      state.counters["max_load"] = double(a.max_load);
      state.counters["non_minimal"] = double(a.non_minimal);
      state.counters["unreachable"] = double(a.unreachable);
      state.counters["acyclic"] = a.cdg_acyclic ? 1 : 0;
      analyse = false;
      state.ResumeTiming();
    }
  }
  if (!error.empty()) {
    state.SkipWithError(error.c_str());
    return;
  }
  state.counters["switches"] = double(v->switch_count());
  state.counters["lids"] = double(lids);
  state.counters["lft_MiB"] = double(lft_bytes) / 1048576.0;
  state.counters["peak_rss_MiB"] = peak_rss_mib();
}

void BM_ftree_kary18(benchmark::State& s) { run(s, "ftree", "kary18", true); }
void BM_minhop_kary18(benchmark::State& s) { run(s, "minhop", "kary18", true); }
void BM_updn_kary18(benchmark::State& s) { run(s, "updn", "kary18", true); }
void BM_dor_torus_6x6x6(benchmark::State& s) { run(s, "dor", "torus6"); }
// 65,536 endpoints + 5,120 switches need 70,656 LIDs: more than the
// 49,151 unicast LIDs, so RouteTable::create() refuses (reported as an
// error). Below: radix 64 with 20 endpoints per leaf (6,272 switches,
// 40,960 endpoints) and radix 56 non-blocking (3,920 switches, 43,904
// endpoints), both within the LID range.
void BM_ftree_fat_tree_65536(benchmark::State& s) { run(s, "ftree", "fat64"); }
void BM_ftree_fat_tree_r64_e20(benchmark::State& s) { run(s, "ftree", "fat64e20"); }
void BM_ftree_fat_tree_r56(benchmark::State& s) { run(s, "ftree", "fat56"); }

BENCHMARK(BM_ftree_kary18)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_minhop_kary18)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_updn_kary18)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_dor_torus_6x6x6)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ftree_fat_tree_65536)->Arg(2)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ftree_fat_tree_r64_e20)->Arg(1)->Arg(2)->Iterations(3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ftree_fat_tree_r56)->Arg(2)->Iterations(3)->Unit(benchmark::kMillisecond);
void BM_dfsssp_kary18(benchmark::State& s) { run(s, "dfsssp", "kary18", true); }
BENCHMARK(BM_dfsssp_kary18)->Arg(1)->Arg(2)->Iterations(3)->Unit(benchmark::kMillisecond);

// Incremental reroute (routing/incremental.hpp) after one leaf-to-middle
// link failure on the k=18 k-ary 3-tree: time of routing::reroute() only
// (the old table is computed, its LIDs stored in the fabric and the link
// taken down outside the timing). Counters: affected LIDs, switches and
// blocks in the delta, incremental (1 = engine hook, 0 = full compute).
// Target (issue): < 20 ms, only changed blocks reported.
void incremental_kary18(benchmark::State& state, const char* engine_name) {
  auto f = ofmf::topology::generate_kary_ntree({18, 3});
  if (!f) {
    state.SkipWithError(f.error().message.c_str());
    return;
  }
  auto engine = ofmf::routing::EngineRegistry::builtin().create(engine_name);
  if (!engine) {
    state.SkipWithError(engine.error().message.c_str());
    return;
  }
  ofmf::routing::Options o;
  o.threads = unsigned(state.range(0));
  auto v0 = f->snapshot();
  auto t0 = (*engine)->compute(*v0, o);
  if (!t0 || !ofmf::routing::store_lids(*f, *v0, *t0)) {
    state.SkipWithError("cannot route the k=18 tree");
    return;
  }
  v0 = f->snapshot();
  // The first uplink of the first leaf (a switch with endpoints).
  const std::uint32_t nsw = v0->switch_count();
  std::uint32_t leaf = 0;
  auto has_endpoint = [&](std::uint32_t s) {
    for (const auto& e : v0->edges(s))
      if (e.target >= nsw) return true;
    return false;
  };
  while (leaf < nsw && !has_endpoint(leaf)) ++leaf;
  ofmf::model::PortNum up = 0;
  for (const auto& e : v0->edges(leaf))
    if (e.target < nsw) up = e.local_port;
  if (leaf == nsw || !up || !f->disconnect({v0->node_id(leaf), up})) {
    state.SkipWithError("no leaf uplink found");
    return;
  }
  auto v1 = f->snapshot();
  std::size_t affected = 0, switches = 0, blocks = 0;
  bool incremental = false;
  for (auto _ : state) {
    auto r = ofmf::routing::reroute(**engine, *v0, *t0, *v1, o);
    if (!r) {
      state.SkipWithError(r.error().message.c_str());
      return;
    }
    affected = r->affected_lids;
    switches = r->delta.size();
    blocks = 0;
    for (const auto& sb : r->delta) blocks += sb.blocks.size();
    incremental = r->incremental;
    benchmark::DoNotOptimize(r);
  }
  state.counters["affected_lids"] = double(affected);
  state.counters["delta_switches"] = double(switches);
  state.counters["delta_blocks"] = double(blocks);
  state.counters["incremental"] = incremental ? 1 : 0;
}

void BM_reroute_minhop_kary18_link_down(benchmark::State& s) { incremental_kary18(s, "minhop"); }
void BM_reroute_updn_kary18_link_down(benchmark::State& s) { incremental_kary18(s, "updn"); }
BENCHMARK(BM_reroute_minhop_kary18_link_down)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_reroute_updn_kary18_link_down)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
void BM_reroute_ftree_kary18_link_down(benchmark::State& s) { incremental_kary18(s, "ftree"); }
BENCHMARK(BM_reroute_ftree_kary18_link_down)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
