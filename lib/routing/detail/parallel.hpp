// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

// Private: a small deterministic parallel-for. Work items are independent;
// the caller makes results independent of which thread ran which item.

#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <new>
#include <thread>
#include <vector>

namespace ofmf::routing::detail {

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

} // namespace ofmf::routing::detail
