// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Format names, detection and file I/O for the topology formats.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <string>

#include "detail/records.hpp"
#include "detail/scan.hpp"
#include "core/detail/file_io.hpp"
#include "ofmf/output.hpp"
#include "ofmf/topology/format.hpp"

namespace ofmf::topology {
namespace {

using ofmf::detail::io_failure;

bool is_hex16_id(std::string_view s, std::size_t at) noexcept {
  // `"X-` already matched at `at`; 16 hex digits and a closing quote follow.
  if (s.size() < at + 3 + 16 + 1) return false;
  for (std::size_t i = at + 3; i < at + 19; ++i)
    if (detail::hex_value(s[i]) < 0) return false;
  return s[at + 19] == '"';
}

// Watches a topology text as read_topology() reads it and finds where
// reading can stop: after the first line that no topology line can be (a
// NUL byte, a line longer than the limit, a line of an unknown kind). The
// parser, given the text up to there, reports that line or an earlier one.
class EarlyStop {
 public:
  explicit EarlyStop(std::size_t max_line) noexcept : max_line_(max_line) {}

  // Looks at the bytes of `text` not seen yet; returns the length of text
  // to keep when reading should stop.
  std::optional<std::size_t> scan(std::string_view text) noexcept {
    const char* const base = text.data();
    while (pos_ < text.size()) {
      const void* nl = std::memchr(base + pos_, '\n', text.size() - pos_);
      const std::size_t end = nl ? std::size_t(static_cast<const char*>(nl) - base) : text.size();
      if (std::memchr(base + pos_, '\0', end - pos_)) return nl ? end + 1 : text.size();
      // One byte more than the limit for a '\r' the parser drops, one more
      // for the parser to see the line is too long.
      std::size_t len = end - line_start_;
      if (len > max_line_ && len - max_line_ > 1) return line_start_ + max_line_ + 2;
      if (!nl) {
        pos_ = end;
        break;
      }
      if (len > 0 && text[end - 1] == '\r') --len;
      if (!detail::can_be_record_line(text.substr(line_start_, len))) return end + 1;
      line_start_ = pos_ = end + 1;
    }
    return std::nullopt;
  }

 private:
  std::size_t max_line_;
  std::size_t line_start_ = 0;  // start of the line being read
  std::size_t pos_ = 0;         // first byte not looked at
};

} // namespace

std::optional<Format> parse_format_name(std::string_view name) noexcept {
  if (name == "ibnetdiscover") return Format::Ibnetdiscover;
  if (name == "netfile") return Format::Netfile;
  if (name == "dot") return Format::Dot;
  return std::nullopt;
}

std::string_view to_string(Format f) noexcept {
  switch (f) {
    case Format::Ibnetdiscover: return "ibnetdiscover";
    case Format::Netfile: return "netfile";
    case Format::Dot: return "dot";
  }
  return "?";
}

std::optional<Format> format_from_path(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  for (char& c : ext)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  if (ext == ".ibnd" || ext == ".ibnet" || ext == ".topo" || ext == ".txt") return Format::Ibnetdiscover;
  if (ext == ".net") return Format::Netfile;
  if (ext == ".dot" || ext == ".gv") return Format::Dot;
  return std::nullopt;
}

Format detect_format(std::string_view text) noexcept {
  const std::string_view head = text.substr(0, std::size_t{64} << 10);
  if (head.find("# Topology file") != std::string_view::npos) return Format::Ibnetdiscover;
  for (std::size_t at = head.find("switchguid=0x"); at != std::string_view::npos;
       at = head.find("switchguid=0x", at + 1)) {
    std::size_t i = at + 13;
    while (i < head.size() && detail::hex_value(head[i]) >= 0) ++i;
    if (i < head.size() && head[i] == '(') return Format::Ibnetdiscover;
  }
  if (head.find("](") != std::string_view::npos) return Format::Ibnetdiscover;
  for (std::size_t at = head.find('"'); at != std::string_view::npos; at = head.find('"', at + 1)) {
    if (at + 2 < head.size() && (head[at + 1] == 'S' || head[at + 1] == 'H' || head[at + 1] == 'R') &&
        head[at + 2] == '-' && is_hex16_id(head, at))
      return Format::Ibnetdiscover;
  }
  return Format::Netfile;
}

Result<model::Fabric> read_topology(const std::filesystem::path& path, std::optional<Format> format,
                                    ReadOptions options) {
  if (options.source_name == ReadOptions{}.source_name) options.source_name = path.string();
  if (format == Format::Dot)
    return fail(errc::not_supported, path.string() + ": DOT files can be written, not read");
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_failure("cannot open", path, errno);
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) return io_failure("cannot read", path, errno);
  if (S_ISDIR(st.st_mode)) return io_failure("cannot read", path, EISDIR);
  if (S_ISREG(st.st_mode) && std::uint64_t(st.st_size) > options.max_bytes)
    return fail(errc::limit_exceeded, path.string() + ": file is " + std::to_string(st.st_size) +
                                          " bytes, more than the limit of " + std::to_string(options.max_bytes) +
                                          " bytes");
  std::string text;
  if (S_ISREG(st.st_mode)) text.reserve(std::size_t(st.st_size));
  char buf[1 << 16];
  EarlyStop early(options.max_line_bytes);
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_failure("cannot read", path, errno);
    }
    if (n == 0) break;
    text.append(buf, std::size_t(n));
    if (const auto keep = early.scan(text)) {
      text.resize(*keep);
      break;
    }
    if (text.size() > options.max_bytes)
      return fail(errc::limit_exceeded, path.string() + ": more than the limit of " +
                                            std::to_string(options.max_bytes) + " bytes");
  }
  if (!format) format = format_from_path(path);
  if (!format) format = detect_format(text);
  switch (*format) {
    case Format::Ibnetdiscover: return parse_ibnetdiscover(text, options);
    case Format::Netfile: return parse_netfile(text, options);
    case Format::Dot: break;
  }
  return fail(errc::not_supported, path.string() + ": DOT files can be written, not read");
}

std::string format_topology(const model::Fabric& fabric, Format format) {
  switch (format) {
    case Format::Ibnetdiscover: return write_ibnetdiscover(fabric);
    case Format::Netfile: return write_netfile(fabric);
    case Format::Dot: return write_dot(fabric);
  }
  return {};
}

Result<void> write_topology(const model::Fabric& fabric, const std::filesystem::path& path, Format format) {
  return write_output(path, format_topology(fabric, format));
}

} // namespace ofmf::topology
