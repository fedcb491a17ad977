// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// The C++ side of bench/python-vs-cpp: the same library call that
// ofmf.compute_chain() wraps (routing::compute_chain on a snapshot of a
// topology file), with the same timing scope as the Python side: the
// clock is read right before and right after the call, the table is
// destroyed after the second reading, before the next call. One untimed
// call first (reported as first_ms), then --repeat timed calls. Each
// call is timed on the wall clock and on the process CPU clock (every
// thread's CPU time; time.process_time() on the Python side), which is
// far less disturbed by other processes on a busy machine.
//
//   bench_python_route [--engine ftree] [--threads 0] [--repeat 5] NETFILE
//
// Prints one JSON object: engine (chain asked), engine_used, threads,
// first_ms, times_ms (every timed call), best_ms, and the same on the
// CPU clock: first_cpu_ms, cpu_times_ms, best_cpu_ms. Exit 0, or 1 with a
// message on stderr.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "ofmf/routing/engine.hpp"
#include "ofmf/routing/route_table.hpp"
#include "ofmf/topology/format.hpp"

namespace {

namespace routing = ofmf::routing;

int usage() {
  std::fprintf(stderr, "usage: bench_python_route [--engine CHAIN] [--threads N] [--repeat N] NETFILE\n");
  return 1;
}

double cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

struct Timing {
  double wall_ms, cpu_ms;
};

// One call of compute_chain, timed like the Python side.
Timing timed_call(const routing::EngineRegistry& reg, const std::string& chain, const ofmf::model::TopologyView& v,
                  const routing::Options& o, std::string& engine_used, std::string& error) {
  const auto t0 = std::chrono::steady_clock::now();
  const double c0 = cpu_ms();
  auto table = routing::compute_chain(reg, chain, v, o);
  const double c1 = cpu_ms();
  const auto t1 = std::chrono::steady_clock::now();
  if (!table) error = table.error().message;
  else engine_used = table->engine();
  return {std::chrono::duration<double, std::milli>(t1 - t0).count(), c1 - c0};
}

std::string json_list(const std::vector<double>& v) {
  std::string list;
  for (double t : v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s%.3f", list.empty() ? "" : ", ", t);
    list += buf;
  }
  return list;
}

} // namespace

int main(int argc, char** argv) {
  std::string chain = "ftree", file;
  unsigned threads = 0;
  int repeat = 5;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--engine" && has_value) chain = argv[++i];
    else if (a == "--threads" && has_value) threads = unsigned(std::strtoul(argv[++i], nullptr, 10));
    else if (a == "--repeat" && has_value) repeat = std::atoi(argv[++i]);
    else if (!a.empty() && a.front() != '-' && file.empty()) file = std::string(a);
    else return usage();
  }
  if (file.empty() || repeat < 1) return usage();

  auto fabric = ofmf::topology::read_topology(file);
  if (!fabric) {
    std::fprintf(stderr, "bench_python_route: %s\n", fabric.error().what().c_str());
    return 1;
  }
  const auto view = fabric->snapshot();
  const auto registry = routing::EngineRegistry::builtin();
  routing::Options o;
  o.threads = threads;

  std::string used, error;
  const Timing first = timed_call(registry, chain, *view, o, used, error);
  std::vector<double> times, cpu_times;
  for (int r = 0; r < repeat && error.empty(); ++r) {
    const Timing t = timed_call(registry, chain, *view, o, used, error);
    times.push_back(t.wall_ms);
    cpu_times.push_back(t.cpu_ms);
  }
  if (!error.empty()) {
    std::fprintf(stderr, "bench_python_route: %s: %s\n", file.c_str(), error.c_str());
    return 1;
  }
  std::printf("{\"engine\": \"%s\", \"engine_used\": \"%s\", \"threads\": %u, \"first_ms\": %.3f, "
              "\"times_ms\": [%s], \"best_ms\": %.3f, \"first_cpu_ms\": %.3f, \"cpu_times_ms\": [%s], "
              "\"best_cpu_ms\": %.3f}\n",
              chain.c_str(), used.c_str(), threads, first.wall_ms, json_list(times).c_str(),
              *std::min_element(times.begin(), times.end()), first.cpu_ms, json_list(cpu_times).c_str(),
              *std::min_element(cpu_times.begin(), cpu_times.end()));
  return 0;
}
