// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// The generic half of the field tables: one element of a field read,
// written and printed at its bit offset (bit 0 = most significant bit of
// octet 0, as the IBA tables count).
#include "fields.hpp"

#include <cstdio>

namespace ofmf::backend::umad::fields {
namespace {

// Bit offset of element `index`; false when it does not lie in `size` octets.
bool locate(std::size_t size, const Field& f, unsigned index, std::size_t& off) noexcept {
  if (f.width == 0 || f.width > 64 || index >= f.count) return false;
  off = std::size_t(f.bit) + std::size_t(f.width) * index;
  return off + f.width <= size * 8;
}

} // namespace

std::uint64_t get(std::span<const std::uint8_t> p, const Field& f, unsigned index) noexcept {
  std::size_t off = 0;
  if (!locate(p.size(), f, index, off)) return 0;
  std::uint64_t v = 0;
  if (off % 8 == 0 && f.width % 8 == 0) {
    for (unsigned i = 0; i < f.width / 8u; ++i) v = (v << 8) | p[off / 8 + i];
    return v;
  }
  for (unsigned i = 0; i < f.width; ++i) {
    const std::size_t b = off + i;
    v = (v << 1) | ((p[b / 8] >> (7 - b % 8)) & 1u);
  }
  return v;
}

void set(std::span<std::uint8_t> p, const Field& f, std::uint64_t v, unsigned index) noexcept {
  std::size_t off = 0;
  if (!locate(p.size(), f, index, off)) return;
  if (off % 8 == 0 && f.width % 8 == 0) {
    for (unsigned i = f.width / 8u; i-- > 0; v >>= 8) p[off / 8 + i] = static_cast<std::uint8_t>(v);
    return;
  }
  for (unsigned i = 0; i < f.width; ++i) {
    const std::size_t b = off + f.width - 1 - i;
    const auto mask = static_cast<std::uint8_t>(1u << (7 - b % 8));
    if ((v >> i) & 1u)
      p[b / 8] = static_cast<std::uint8_t>(p[b / 8] | mask);
    else
      p[b / 8] = static_cast<std::uint8_t>(p[b / 8] & ~mask);
  }
}

std::string hex(std::uint64_t v, int digits) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%0*llx", digits, static_cast<unsigned long long>(v));
  return buf;
}

void dump(std::string& out, std::span<const std::uint8_t> bytes, const Field& f, std::string_view prefix) {
  out += prefix;
  out += f.name;
  out += ':';
  if (f.end_bit() > bytes.size() * 8) {
    out += " (beyond the " + std::to_string(bytes.size()) + " octets)\n";
    return;
  }
  if (f.fmt == Fmt::text) {
    out += ' ';
    for (unsigned i = 0; i < f.count; ++i) {
      const auto c = static_cast<char>(get(bytes, f, i));
      if (c == 0) break;
      // Control octets as \xNN, so one field stays one line.
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
        char esc[8];
        std::snprintf(esc, sizeof esc, "\\x%02x", unsigned(static_cast<unsigned char>(c)));
        out += esc;
      } else {
        out += c;
      }
    }
    out += '\n';
    return;
  }
  const int digits = (f.width + 3) / 4;
  for (unsigned i = 0; i < f.count; ++i) {
    const std::uint64_t v = get(bytes, f, i);
    out += ' ';
    if (f.fmt == Fmt::dec)
      out += std::to_string(v);
    else if (f.count > 1)
      out += hex(v, digits).substr(2);  // arrays: bare digits, "ff ff 00"
    else
      out += hex(v, digits);
  }
  out += '\n';
}

Result<void> need(std::span<const std::uint8_t> bytes, std::size_t octets, std::string_view what) {
  if (bytes.size() < octets)
    return fail(errc::protocol_error, std::string(what) + ": " + std::to_string(bytes.size()) + " octets, needs " +
                                          std::to_string(octets));
  return {};
}

} // namespace ofmf::backend::umad::fields
