// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// libFuzzer target: the state folder's guid2lid file. What parses must
// write out to the same text's meaning and read back unchanged.

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ofmf/sm/state_dir.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto lids = ofmf::sm::parse_guid2lid(text, "fuzz");
  if (!lids) return 0;
  auto back = ofmf::sm::parse_guid2lid(ofmf::sm::format_guid2lid(*lids), "out");
  if (!back || *back != *lids) std::abort();
  return 0;
}
