// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// JSON text laid out as nlohmann::json::dump(4) lays it out, by one pass
// over the text.
#include "redfish/detail/json_text.hpp"

#include <cstddef>
#include <cstdint>

#include "redfish/detail/json_out.hpp"

namespace ofmf::redfish::detail {

namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD

bool is_space(char c) noexcept { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

void newline_indent(std::string& out, std::size_t depth) {
  out += '\n';
  out.append(4 * depth, ' ');
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xC0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += char(0xE0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xF0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3F));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  }
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// The 4 hex digits at `s[i]`, or -1.
long hex4(std::string_view s, std::size_t i) noexcept {
  if (i + 4 > s.size()) return -1;
  long v = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    const int h = hex_value(s[i + k]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

/// Copies the string starting after the opening quote at `i` (re-escaped),
/// closing quote included; returns the index after the closing quote.
std::size_t copy_string(std::string& out, std::string_view s, std::size_t i) {
  out += '"';
  const std::size_t n = s.size();
  while (i < n) {
    // Plain run: printable ASCII other than '"' and '\\'.
    std::size_t j = i;
    while (j < n) {
      const auto c = static_cast<unsigned char>(s[j]);
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') break;
      ++j;
    }
    out.append(s.data() + i, j - i);
    i = j;
    if (i >= n) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"') {
      out += '"';
      return i + 1;
    }
    if (c == '\\') {
      if (i + 1 >= n) {
        ++i;
        break;
      }
      const char e = s[i + 1];
      i += 2;
      switch (e) {
        case 'b': out += "\\b"; continue;
        case 'f': out += "\\f"; continue;
        case 'n': out += "\\n"; continue;
        case 'r': out += "\\r"; continue;
        case 't': out += "\\t"; continue;
        case '"': out += "\\\""; continue;
        case '\\': out += "\\\\"; continue;
        case '/': out += '/'; continue;
        case 'u': break;
        default: out += replacement; continue;  // not JSON
      }
      long cp = hex4(s, i);
      if (cp < 0) {
        out += replacement;
        continue;
      }
      i += 4;
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        // A high surrogate must be followed by "\u" and a low one.
        const long low = (i + 1 < n && s[i] == '\\' && s[i + 1] == 'u') ? hex4(s, i + 2) : -1;
        if (low >= 0xDC00 && low <= 0xDFFF) {
          i += 6;
          append_utf8(out, 0x10000 + ((std::uint32_t(cp) - 0xD800) << 10) + (std::uint32_t(low) - 0xDC00));
        } else {
          out += replacement;
        }
      } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
        out += replacement;
      } else if (cp < 0x80) {
        append_escaped_ascii(out, static_cast<unsigned char>(cp));
      } else {
        append_utf8(out, std::uint32_t(cp));
      }
      continue;
    }
    if (c < 0x20) {  // raw control character (not JSON): escaped
      append_escaped_ascii(out, c);
      ++i;
      continue;
    }
    // A UTF-8 sequence: checked as nlohmann's decoder does (no overlong
    // forms, no surrogates, nothing above U+10FFFF). An invalid lead byte
    // becomes U+FFFD; a sequence cut short becomes U+FFFD and the byte
    // that cut it is read again.
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    }
    if (len == 0) {
      out += replacement;
      ++i;
      continue;
    }
    std::size_t k = 1;
    for (; k < len && i + k < n; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if (b < lo || b > hi) break;
      lo = 0x80;
      hi = 0xBF;
    }
    if (k == len) {
      out.append(s.data() + i, len);
    } else {
      out += replacement;
    }
    i += k;
  }
  out += '"';  // text ended inside the string (not JSON)
  return i;
}

} // namespace

void append_indented(std::string& out, std::string_view s) {
  const std::size_t n = s.size();
  std::size_t depth = 0;
  std::size_t i = 0;
  while (i < n) {
    const char c = s[i];
    switch (c) {
      case '{':
      case '[': {
        const char close = c == '{' ? '}' : ']';
        std::size_t j = i + 1;
        while (j < n && is_space(s[j])) ++j;
        if (j < n && s[j] == close) {
          out += c;
          out += close;
          i = j + 1;
          break;
        }
        out += c;
        newline_indent(out, ++depth);
        i = j;
        break;
      }
      case '}':
      case ']':
        if (depth > 0) --depth;
        newline_indent(out, depth);
        out += c;
        ++i;
        break;
      case ',':
        out += ',';
        newline_indent(out, depth);
        ++i;
        break;
      case ':':
        out += ": ";
        ++i;
        break;
      case '"':
        i = copy_string(out, s, i + 1);
        break;
      case ' ':
      case '\n':
      case '\r':
      case '\t':
        ++i;
        break;
      default: {
        // A number or a literal: up to the next structural character.
        std::size_t j = i + 1;
        while (j < n && s[j] != ',' && s[j] != '}' && s[j] != ']' && s[j] != ':' && s[j] != '"' && !is_space(s[j]))
          ++j;
        out.append(s.data() + i, j - i);
        i = j;
        break;
      }
    }
  }
  out += '\n';
}

std::size_t first_too_deep(std::string_view text, std::size_t max_depth) noexcept {
  std::size_t depth = 0;  // containers open
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (is_space(c) || c == ',' || c == ':') continue;
    if (c == ']' || c == '}') {
      if (depth > 0) --depth;
      continue;
    }
    // A value, a key, or the rest of a number or literal: at level depth + 1.
    if (depth >= max_depth) return i;
    if (c == '[' || c == '{') ++depth;
    else if (c == '"') in_string = true;
  }
  return std::string_view::npos;
}

} // namespace ofmf::redfish::detail
