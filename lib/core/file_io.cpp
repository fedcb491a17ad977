// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Whole reads and writes of a descriptor (lib/core/detail/file_io.hpp).
#include "core/detail/file_io.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ofmf::detail {

Unexpected io_failure(std::string_view what, const std::filesystem::path& path, int err) {
  return fail(errc::io_error, std::string(what) + " '" + path.string() + "': " + std::strerror(err));
}

int write_all(int fd, std::string_view data) noexcept {
  const char* p = data.data();
  std::size_t left = data.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    p += n;
    left -= std::size_t(n);
  }
  return 0;
}

int read_all(int fd, std::size_t max_bytes, std::string& out) {
  char buf[65536];
  const std::size_t start = out.size();
  while (out.size() - start <= max_bytes) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (n == 0) break;
    out.append(buf, std::size_t(n));
  }
  return 0;
}

} // namespace ofmf::detail
