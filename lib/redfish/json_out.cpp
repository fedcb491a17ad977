// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include "redfish/detail/json_out.hpp"

#include <charconv>
#include <cmath>
#include <vector>

namespace ofmf::redfish::detail {

namespace {

// Length of the valid UTF-8 sequence starting at p (p < end), 0 if none
// (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF).
std::size_t utf8_length(const unsigned char* p, const unsigned char* end) {
  const unsigned c = p[0];
  auto cont = [&](std::size_t i) { return p + i < end && (p[i] & 0xc0) == 0x80; };
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xe0 && p[1] < 0xa0) return 0;   // overlong
    if (c == 0xed && p[1] >= 0xa0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xf0 && p[1] < 0x90) return 0;  // overlong
    if (c == 0xf4 && p[1] >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

// Per-thread pool of text buffers (bounded: a few nested values are alive
// at once while a resource is built).
struct Pool {
  std::vector<std::string> free;
};
thread_local Pool pool;

} // namespace

std::string take_buffer() {
  if (pool.free.empty()) {
    std::string s;
    s.reserve(256);
    return s;
  }
  std::string s = std::move(pool.free.back());
  pool.free.pop_back();
  s.clear();
  return s;
}

void give_buffer(std::string&& s) noexcept {
  if (pool.free.size() >= 64 || s.capacity() > (1u << 20)) return;
  try {
    pool.free.push_back(std::move(s));
  } catch (...) {  // no room to keep it: let it go
  }
}

void append_escaped_ascii(std::string& out, unsigned char c) {
  static constexpr char hex[] = "0123456789abcdef";
  switch (c) {
    case '"': out += "\\\""; return;
    case '\\': out += "\\\\"; return;
    case '\b': out += "\\b"; return;
    case '\f': out += "\\f"; return;
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    default: break;
  }
  if (c < 0x20) {
    out += "\\u00";
    out += hex[c >> 4];
    out += hex[c & 15];
  } else {
    out += char(c);
  }
}

void append_json_string(std::string& out, std::string_view v) {
  out.reserve(out.size() + v.size() + 2);
  out += '"';
  const auto* p = reinterpret_cast<const unsigned char*>(v.data());
  const auto* end = p + v.size();
  while (p < end) {
    // Runs of plain ASCII are copied in one go.
    const auto* run = p;
    while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\') ++p;
    out.append(reinterpret_cast<const char*>(run), std::size_t(p - run));
    if (p == end) break;
    const unsigned c = *p;
    if (c >= 0x80) {
      if (const std::size_t n = utf8_length(p, end)) {
        out.append(reinterpret_cast<const char*>(p), n);
        p += n;
      } else {
        out += "\xef\xbf\xbd";  // U+FFFD for a byte that starts no valid sequence
        ++p;
      }
      continue;
    }
    append_escaped_ascii(out, static_cast<unsigned char>(c));
    ++p;
  }
  out += '"';
}

void append_json_double(std::string& out, double v) {
  if (!std::isfinite(v)) {  // JSON has no NaN or infinity (nlohmann writes null)
    out += "null";
    return;
  }
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  std::string_view t(buf, std::size_t(end - buf));
  out += t;
  if (t.find_first_of(".e") == std::string_view::npos) out += ".0";
}

void append_json_uint(std::string& out, std::uint64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, std::size_t(end - buf));
}

void append_json_int(std::string& out, std::int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, std::size_t(end - buf));
}

} // namespace ofmf::redfish::detail
