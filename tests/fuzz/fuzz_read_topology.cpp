// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// libFuzzer target: read_topology(), which stops reading at the first line
// no topology line can be (NUL byte, overlong line, unknown line kind).
// The first input byte chooses the format and a small ReadOptions::
// max_line_bytes; the rest is the file, held in a memfd. Stopping early
// must never change the outcome: read_topology() succeeds exactly when the
// parser accepts the whole text, with the same fabric, and its errors name
// the file.

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ofmf/topology/format.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ofmf;
  if (size == 0) return 0;
  const bool netfile = data[0] & 1;
  topology::ReadOptions options;
  options.max_line_bytes = 16 + (data[0] >> 1) * 4;  // 16..524: overlong lines are common
  options.allow_empty = data[0] & 2;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);

  const int fd = ::memfd_create("fuzz-topology", MFD_CLOEXEC);
  if (fd < 0) std::abort();
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) std::abort();
    done += std::size_t(n);
  }
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  const auto format = netfile ? topology::Format::Netfile : topology::Format::Ibnetdiscover;
  auto read = topology::read_topology(path, format, options);
  ::close(fd);

  options.source_name = path;
  auto parsed = netfile ? topology::parse_netfile(text, options) : topology::parse_ibnetdiscover(text, options);
  if (read.has_value() != parsed.has_value()) {
    std::fprintf(stderr, "read_topology %s, the parser %s: %s\n", read ? "succeeds" : "fails",
                 parsed ? "succeeds" : "fails", (read ? parsed : read).error().message.c_str());
    std::abort();
  }
  if (!read) {
    if (read.error().message.rfind(path, 0) != 0) {
      std::fprintf(stderr, "error without the file: %s\n", read.error().message.c_str());
      std::abort();
    }
    return 0;
  }
  std::string why;
  if (!model::same_topology(*read, *parsed, &why)) {
    std::fprintf(stderr, "read_topology and the parser differ: %s\n", why.c_str());
    std::abort();
  }
  return 0;
}
