// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

// The whole content of a file ("" when it cannot be read).

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace ofmf::test {

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

} // namespace ofmf::test
