// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

// Shared body of the format fuzzers: parse; on success write, parse the
// output again and abort unless both fabrics and both texts agree.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ofmf/topology/format.hpp"

namespace ofmf::fuzz {

using Parse = Result<model::Fabric> (*)(std::string_view, const topology::ReadOptions&);
using Write = std::string (*)(const model::Fabric&);

inline int round_trip(const std::uint8_t* data, std::size_t size, Parse parse, Write write) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  topology::ReadOptions options;
  options.source_name = "fuzz";
  options.max_bytes = std::size_t{1} << 20;
  auto first = parse(text, options);
  if (!first) {
    // Every error names the source and a line.
    if (first.error().message.rfind("fuzz:", 0) != 0) {
      std::fprintf(stderr, "error without location: %s\n", first.error().message.c_str());
      std::abort();
    }
    return 0;
  }
  const std::string written = write(*first);
  options.max_bytes = written.size();
  auto second = parse(written, options);
  if (!second) {
    std::fprintf(stderr, "written text does not parse: %s\n--- written:\n%s\n", second.error().message.c_str(),
                 written.c_str());
    std::abort();
  }
  std::string why;
  if (!model::same_topology(*first, *second, &why)) {
    std::fprintf(stderr, "round trip differs: %s\n--- written:\n%s\n", why.c_str(), written.c_str());
    std::abort();
  }
  if (write(*second) != written) {
    std::fprintf(stderr, "writing the re-parsed fabric gives other text\n");
    std::abort();
  }
  return 0;
}

} // namespace ofmf::fuzz
