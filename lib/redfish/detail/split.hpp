// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

// Private: runs fn(t) for t in [0, threads) on `threads` threads (t = 0 on
// the calling thread) and rethrows, after every thread joined, the first
// exception one of them threw (std::bad_alloc is the only one expected).
// Each t owns its slice of the work, so results do not depend on timing.

#include <exception>
#include <thread>
#include <vector>

namespace ofmf::redfish::detail {

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

} // namespace ofmf::redfish::detail
