// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

// Peak resident memory of the test process, for checks that an input
// costs a bounded multiple of its size. ctest runs every test case in a
// process of its own, so the growth measured around a call is that call's.
#include <sys/resource.h>

#include <cstddef>

namespace ofmf::test {

/// Peak resident memory of this process so far, in bytes.
inline std::size_t peak_rss_bytes() {
  struct rusage u {};
  ::getrusage(RUSAGE_SELF, &u);
  return std::size_t(u.ru_maxrss) * 1024;  // Linux: KiB
}

} // namespace ofmf::test
