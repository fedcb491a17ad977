// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

// A fresh folder below the system's temporary folder, removed with
// everything in it when the test ends.

#include <filesystem>
#include <random>
#include <string>
#include <system_error>

namespace ofmf::test {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::random_device rd;
    path = std::filesystem::temp_directory_path() /
           ("ofmf-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

} // namespace ofmf::test
