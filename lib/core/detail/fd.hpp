// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Private to the library: a file descriptor closed on scope exit.

#include <unistd.h>

#include <cerrno>

#include <utility>

namespace ofmf::detail {

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
  /// Closes now; 0, or the errno of a failed close().
  int close() noexcept {
    if (fd < 0) return 0;
    return ::close(std::exchange(fd, -1)) == 0 ? 0 : errno;
  }
};

} // namespace ofmf::detail
