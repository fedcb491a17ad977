// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Redfish benchmarks. The targets, for a 10,000-endpoint fabric
// (k-ary n-tree k=10 n=4: 10,000 adapters, 4,000 switches) with every
// resource and every link both ways: in-memory export < 0.5 s, mockup
// folder < 3 s, import < 1 s; re-render after one port state change
// touches O(1) resources.
//
// Counters: resources = size of the rendered tree; tree_MB = heap bytes
// held by the tree (mallinfo2().uordblks after minus before); maxrss_MB =
// peak resident set of the process so far (getrusage); rendered = URIs
// re-rendered by one Renderer::refresh().
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <sys/resource.h>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "ofmf/redfish/import.hpp"
#include "ofmf/redfish/mockup.hpp"
#include "ofmf/redfish/render.hpp"
#include "ofmf/topology/generators.hpp"

namespace {

namespace fs = std::filesystem;
using ofmf::model::Fabric;

std::size_t heap_in_use() { return mallinfo2().uordblks; }

double maxrss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_maxrss) / 1024.0;
}

/// What a live subnet has: LIDs on every endpoint, every linked port
/// Active/LinkUp, the default partition with every endpoint, counters on
/// every adapter port.
void decorate(Fabric& f) {
  std::uint16_t lid = 1;
  ofmf::model::Partition all{ofmf::model::default_pkey, "default", {}};
  for (auto id : f.nodes()) {
    auto n = f.node(id);
    const bool sw = n->type == ofmf::model::NodeType::Switch;
    for (unsigned p = sw ? 0 : 1; p <= n->num_ports(); ++p) {
      auto a = n->ports[p].attributes;
      if (p == 0 || !sw) a.lid = lid++;
      if (p == 0 || n->ports[p].peer) {
        a.state = ofmf::model::PortState::Active;
        a.phys_state = ofmf::model::PhysState::LinkUp;
      }
      (void)f.set_port({id, ofmf::model::PortNum(p)}, a);
      if (!sw) {
        ofmf::model::PortCounters c;
        c.rx_bytes = c.tx_bytes = 1u << 20;
        (void)f.set_counters({id, ofmf::model::PortNum(p)}, c);
        all.members.push_back({a.guid, ofmf::model::Membership::Full});
      }
    }
    if (sw) all.members.push_back({n->guid, ofmf::model::Membership::Full});
  }
  (void)f.set_partition(all);
}

const Fabric& fabric_10k() {
  static const Fabric f = [] {
    auto g = ofmf::topology::generate_kary_ntree({10, 4});
    Fabric x = std::move(*g);
    decorate(x);
    return x;
  }();
  return f;
}

const ofmf::redfish::Tree& tree_10k() {
  static const ofmf::redfish::Tree t = *ofmf::redfish::render(fabric_10k());
  return t;
}

fs::path bench_dir() {
  std::random_device rd;
  return fs::temp_directory_path() / ("ofmf-bench-redfish-" + std::to_string(rd()));
}

void BM_RenderTree(benchmark::State& state) {
  const Fabric& f = fabric_10k();
  ofmf::redfish::ExportOptions o;
  o.threads = unsigned(state.range(0));
  std::size_t resources = 0, bytes = 0;
  for (auto _ : state) {
    const std::size_t before = heap_in_use();
    auto t = ofmf::redfish::render(f, o);
    bytes = heap_in_use() - before;
    resources = t->size();
    state.PauseTiming();
    { auto drop = std::move(*t); }  // freeing is not timed
    state.ResumeTiming();
  }
  state.counters["resources"] = double(resources);
  state.counters["tree_MB"] = double(bytes) / 1e6;
  state.counters["maxrss_MB"] = maxrss_mb();
}
BENCHMARK(BM_RenderTree)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// Render and write the mockup folder, as `ofmfctl redfish export` does.
// Each iteration writes a fresh folder; all are removed at the end, not
// in between: ext4 without a journal skips inodes freed in the last
// minutes when it allocates new ones, so a deletion right before a write
// slows the write (bench/mockup-vs-tar compares with tar on the same
// filesystem).
void BM_ExportMockup(benchmark::State& state) {
  const Fabric& f = fabric_10k();
  const fs::path base = bench_dir();
  std::vector<fs::path> dirs;
  std::size_t resources = 0;
  for (auto _ : state) {
    dirs.push_back(base.string() + "-" + std::to_string(dirs.size()));
    auto t = ofmf::redfish::render(f);
    auto w = ofmf::redfish::write_mockup(*t, dirs.back());
    if (!w) state.SkipWithError(w.error().message.c_str());
    resources = t->size();
  }
  for (const auto& d : dirs) {
    std::error_code ec;
    fs::remove_all(d, ec);
  }
  state.counters["resources"] = double(resources);
  state.counters["maxrss_MB"] = maxrss_mb();
}
BENCHMARK(BM_ExportMockup)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);

void BM_ImportTree(benchmark::State& state) {
  const auto& t = tree_10k();
  for (auto _ : state) {
    auto f = ofmf::redfish::import_tree(t);
    if (!f) state.SkipWithError(f.error().message.c_str());
    benchmark::DoNotOptimize(f);
  }
  state.counters["resources"] = double(t.size());
  state.counters["maxrss_MB"] = maxrss_mb();
}
BENCHMARK(BM_ImportTree)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// Writes the 10,000-endpoint mockup once, then times read(dir).
template <class Read>
void time_mockup_read(benchmark::State& state, Read read) {
  const fs::path dir = bench_dir();
  if (auto w = ofmf::redfish::write_mockup(tree_10k(), dir); !w) {
    state.SkipWithError(w.error().message.c_str());
    return;
  }
  for (auto _ : state) {
    auto r = read(dir);
    if (!r) state.SkipWithError(r.error().message.c_str());
    benchmark::DoNotOptimize(r);
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  state.counters["maxrss_MB"] = maxrss_mb();
}

// Reading the mockup folder into a Tree, without the import.
void BM_ReadMockup(benchmark::State& state) {
  time_mockup_read(state, [](const fs::path& dir) { return ofmf::redfish::read_mockup(dir); });
}
BENCHMARK(BM_ReadMockup)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

void BM_ImportMockup(benchmark::State& state) {
  time_mockup_read(state, [](const fs::path& dir) { return ofmf::redfish::import_mockup(dir); });
}
BENCHMARK(BM_ImportMockup)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);

// One adapter port goes down and comes back: refresh() after each change.
void BM_RefreshPortState(benchmark::State& state) {
  Fabric f = fabric_10k();
  auto r = ofmf::redfish::Renderer::create(f);
  ofmf::model::NodeId ca;
  for (auto id : f.nodes())
    if (f.type(id) == ofmf::model::NodeType::ChannelAdapter) ca = id;
  auto a = f.port({ca, 1})->attributes;
  std::size_t rendered = 0;
  bool down = false;
  for (auto _ : state) {
    down = !down;
    a.state = down ? ofmf::model::PortState::Down : ofmf::model::PortState::Active;
    a.phys_state = down ? ofmf::model::PhysState::Polling : ofmf::model::PhysState::LinkUp;
    (void)f.set_port({ca, 1}, a);
    auto res = r->refresh();
    rendered = res.rendered.size() + res.removed.size();
  }
  state.counters["rendered"] = double(rendered);
  state.counters["resources"] = double(r->tree().size());
}
BENCHMARK(BM_RefreshPortState)->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
