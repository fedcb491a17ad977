// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// libFuzzer target: parse_netfile, then write/parse round trip.

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return ofmf::fuzz::round_trip(data, size, &ofmf::topology::parse_netfile, &ofmf::topology::write_netfile);
}
