// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Private to the Redfish layer: a file descriptor closed on scope exit,
/// for the mockup reader and writer.

#include <unistd.h>

#include <utility>

namespace ofmf::redfish::detail {

struct Fd {
  int fd = -1;
  Fd() noexcept = default;
  explicit Fd(int f) noexcept : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& o) noexcept : fd(std::exchange(o.fd, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    std::swap(fd, o.fd);
    return *this;
  }
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

} // namespace ofmf::redfish::detail
