// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

// Private helpers shared by the topology format readers and writers: a
// small cursor over one line of text, overflow-checked number parsing and
// error messages of the form "<source>:<line>: ...".

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "ofmf/error.hpp"
#include "ofmf/model/types.hpp"

namespace ofmf::topology::detail {

inline bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }
inline bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
inline int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Human-readable description of what a parser found at a position:
/// "end of line" or the next token (at most 24 bytes), quoted.
inline std::string describe_found(std::string_view rest) {
  if (rest.empty()) return "end of line";
  std::size_t n = 0;
  if (is_blank(rest[0])) return rest[0] == ' ' ? "' '" : "a tab";
  while (n < rest.size() && n < 24 && !is_blank(rest[n])) ++n;
  std::string out = "'";
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(rest[i]);
    if (c < 0x20 || c == 0x7f) {
      static constexpr char digits[] = "0123456789abcdef";
      out += "\\x";
      out += digits[c >> 4];
      out += digits[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (n < rest.size() && n == 24) out += "...";
  out += '\'';
  return out;
}

/// Cursor over one line (without its line break).
class Cursor {
 public:
  explicit Cursor(std::string_view line) noexcept : s_(line) {}

  bool done() const noexcept { return pos_ >= s_.size(); }
  char peek() const noexcept { return done() ? '\0' : s_[pos_]; }
  std::string_view rest() const noexcept { return s_.substr(pos_); }
  std::size_t pos() const noexcept { return pos_; }
  void seek(std::size_t p) noexcept { pos_ = p < s_.size() ? p : s_.size(); }
  std::string_view line() const noexcept { return s_; }

  void skip_blanks() noexcept {
    while (pos_ < s_.size() && is_blank(s_[pos_])) ++pos_;
  }
  bool eat(char c) noexcept {
    if (peek() != c || done()) return false;
    ++pos_;
    return true;
  }
  bool eat(std::string_view word) noexcept {
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  /// Consumes a word followed by a blank or the end of the line.
  bool eat_word(std::string_view word) noexcept {
    if (s_.substr(pos_, word.size()) != word) return false;
    const std::size_t e = pos_ + word.size();
    if (e < s_.size() && !is_blank(s_[e])) return false;
    pos_ = e;
    return true;
  }

  enum class Num { ok, none, overflow };

  /// Decimal number up to `max`.
  Num decimal(std::uint64_t max, std::uint64_t& out) noexcept {
    if (done() || !is_digit(s_[pos_])) return Num::none;
    std::uint64_t v = 0;
    bool over = false;
    while (pos_ < s_.size() && is_digit(s_[pos_])) {
      const unsigned d = unsigned(s_[pos_] - '0');
      if (d > max || v > (max - d) / 10) over = true;
      else v = v * 10 + d;
      ++pos_;
    }
    if (over) return Num::overflow;
    out = v;
    return Num::ok;
  }
  /// Hexadecimal number (digits only, no prefix), at most 64 bits.
  Num hex(std::uint64_t& out) noexcept {
    if (done() || hex_value(s_[pos_]) < 0) return Num::none;
    std::uint64_t v = 0;
    bool over = false;
    int h;
    while (pos_ < s_.size() && (h = hex_value(s_[pos_])) >= 0) {
      if (v >> 60) over = true;
      v = (v << 4) | unsigned(h);
      ++pos_;
    }
    if (over) return Num::overflow;
    out = v;
    return Num::ok;
  }
  /// Quoted string without escapes: '"' text '"'. Returns false when the
  /// cursor is not on a quote or the closing quote is missing; then
  /// `unterminated` tells which.
  bool quoted(std::string_view& out, bool& unterminated) noexcept {
    unterminated = false;
    if (peek() != '"' || done()) return false;
    const std::size_t close = s_.find('"', pos_ + 1);
    if (close == std::string_view::npos) {
      unterminated = true;
      return false;
    }
    out = s_.substr(pos_ + 1, close - pos_ - 1);
    pos_ = close + 1;
    return true;
  }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

/// Splits `text` into lines; strips a trailing '\r'.
class LineReader {
 public:
  explicit LineReader(std::string_view text) noexcept : text_(text) {}
  bool next(std::string_view& line) noexcept {
    if (pos_ >= text_.size()) return false;
    const char* base = text_.data() + pos_;
    const std::size_t left = text_.size() - pos_;
    const void* nl = std::memchr(base, '\n', left);
    std::size_t len = nl ? std::size_t(static_cast<const char*>(nl) - base) : left;
    pos_ += nl ? len + 1 : len;
    ++number_;
    if (len > 0 && base[len - 1] == '\r') --len;
    line = std::string_view(base, len);
    return true;
  }
  std::uint32_t number() const noexcept { return number_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::uint32_t number_ = 0;
};

/// 1-based number of the line holding byte `offset` of `text`.
inline std::size_t line_of_offset(std::string_view text, std::size_t offset) noexcept {
  std::size_t line = 1;
  const std::size_t end = offset < text.size() ? offset : text.size();
  for (std::size_t i = 0; i < end; ++i)
    if (text[i] == '\n') ++line;
  return line;
}

/// "<source>:<line>: <message>" with the given code.
inline Unexpected error_at(errc code, std::string_view source, std::size_t line, std::string_view message) {
  std::string m;
  m.reserve(source.size() + message.size() + 16);
  m.append(source);
  m += ':';
  m += std::to_string(line);
  m += ": ";
  m.append(message);
  return fail(code, std::move(m));
}

/// Checks the size limit and NUL bytes shared by every reader.
inline Result<void> check_input(std::string_view text, std::string_view source, std::size_t max_bytes) {
  if (text.size() > max_bytes)
    return error_at(errc::limit_exceeded, source, line_of_offset(text, max_bytes),
                    "input is " + std::to_string(text.size()) + " bytes, more than the limit of " +
                        std::to_string(max_bytes) + " bytes");
  if (const void* nul = std::memchr(text.data(), '\0', text.size()))
    return error_at(errc::parse_error, source,
                    line_of_offset(text, std::size_t(static_cast<const char*>(nul) - text.data())),
                    "expected text, found a NUL byte (binary data?)");
  return {};
}

/// Appends `v` in lower-case hex without prefix or padding.
inline void append_hex(std::string& out, std::uint64_t v) {
  char buf[16];
  int n = 0;
  do {
    buf[n++] = "0123456789abcdef"[v & 15];
    v >>= 4;
  } while (v);
  while (n) out += buf[--n];
}
/// Appends `v` as exactly 16 lower-case hex digits.
inline void append_hex16(std::string& out, std::uint64_t v) {
  for (int shift = 60; shift >= 0; shift -= 4) out += "0123456789abcdef"[(v >> shift) & 15];
}
inline void append_dec(std::string& out, std::uint64_t v) {
  char buf[20];
  int n = 0;
  do {
    buf[n++] = char('0' + v % 10);
    v /= 10;
  } while (v);
  while (n) out += buf[--n];
}

/// "4xQDR" style token.
inline void append_width_speed(std::string& out, model::LinkWidth w, model::LinkSpeed s) {
  out.append(model::to_string(w));
  out.append(model::to_string(s));
}

} // namespace ofmf::topology::detail
