// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

// Private: the library's two ways of running work on several threads.
// - parallel_for(): independent items taken in chunks by whichever worker
//   is free (routing: one switch or destination per item); the caller
//   makes results independent of which thread ran which item.
// - split(): one fixed slice per thread (Redfish rendering and writing:
//   slice t is always run as fn(t)), so results do not depend on timing.
// Work that is found while it is done (the Redfish mockup reader, which
// learns a folder's size only by listing it) keeps its own queue instead:
// lib/redfish/mockup_read.cpp.

#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <new>
#include <thread>
#include <vector>

namespace ofmf::detail {

/// Number of workers for `requested` (0 = all cores) and `items`.
inline unsigned worker_count(unsigned requested, std::size_t items) {
  unsigned n = requested ? requested : std::thread::hardware_concurrency();
  if (n == 0) n = 1;
  if (items < n) n = unsigned(items ? items : 1);
  return n;
}

/// Calls fn(worker, item) for item in [0, items), items taken in chunks by
/// `workers` threads (worker 0 is the calling thread). If a thread cannot
/// be started the remaining work runs on the threads that did start.
/// std::bad_alloc thrown by fn is rethrown after all threads joined.
template <class Fn>
void parallel_for(std::size_t items, unsigned workers, std::size_t chunk, Fn&& fn) {
  if (chunk == 0) chunk = 1;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  auto body = [&](unsigned w) {
    try {
      for (;;) {
        const std::size_t begin = next.fetch_add(chunk, std::memory_order_relaxed);
        if (begin >= items || failed.load(std::memory_order_relaxed)) break;
        const std::size_t end = begin + chunk < items ? begin + chunk : items;
        for (std::size_t i = begin; i < end; ++i) fn(w, i);
      }
    } catch (...) {
      failed.store(true);
    }
  };
  std::vector<std::thread> threads;
  try {
    threads.reserve(workers > 1 ? workers - 1 : 0);
    for (unsigned w = 1; w < workers; ++w) threads.emplace_back(body, w);
  } catch (...) {
    // Fewer threads than asked: the rest of the work is shared by those running.
  }
  body(0);
  for (auto& t : threads) t.join();
  if (failed.load()) throw std::bad_alloc();
}

/// Runs fn(t) for t in [0, threads) on `threads` threads (t = 0 on the
/// calling thread) and rethrows, after every thread joined, the first
/// exception one of them threw (std::bad_alloc is the only one expected).
template <class Fn>
void split(unsigned threads, Fn&& fn) {
  if (threads <= 1) {
    fn(0u);
    return;
  }
  std::vector<std::exception_ptr> errors(threads);
  auto run = [&](unsigned t) {
    try {
      fn(t);
    } catch (...) {
      errors[t] = std::current_exception();
    }
  };
  std::vector<std::thread> workers;
  try {
    workers.reserve(threads - 1);
    for (unsigned t = 1; t < threads; ++t) workers.emplace_back(run, t);
  } catch (...) {
    for (auto& w : workers) w.join();
    throw;
  }
  run(0);
  for (auto& w : workers) w.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

} // namespace ofmf::detail
