// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

// Catch2 v2 has no SKIP(): a test case that cannot run here (no device,
// no provider) says why and returns. The reason shows in the output.
#include <catch2/catch.hpp>

#ifndef SKIP
#define SKIP(why)               \
  do {                          \
    WARN("skipped: " << (why)); \
    return;                     \
  } while (false)
#endif
