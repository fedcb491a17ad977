// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Symbol visibility. The library is built with hidden visibility; every
/// public entry point is marked OFMF_API. Consumers of the static library
/// need nothing special: the attribute is harmless there.
#if defined(__GNUC__) || defined(__clang__)
#define OFMF_API __attribute__((visibility("default")))
#else
#define OFMF_API
#endif
