// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Private to the Redfish layer: a file descriptor closed on scope exit,
/// for the mockup reader and writer.

#include <unistd.h>

namespace ofmf::redfish::detail {

struct Fd {
  int fd = -1;
  explicit Fd(int f) noexcept : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

} // namespace ofmf::redfish::detail
