// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Private to the Redfish layer: a JSON value written straight into compact
/// text, with the assignment syntax of nlohmann::json (`j["Key"] = value`),
/// so that resources are rendered without building JSON values (a Redfish
/// resource as nlohmann::json is about 80 small allocations; as text it is
/// one string).
///
/// A JsonOut is an object or an array under construction. Properties and
/// elements are appended in the order written; a key is written once (the
/// renderer never assigns a key twice). Strings are escaped as JSON
/// requires; bytes that are not valid UTF-8 become U+FFFD.

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace ofmf::redfish::detail {

/// Appends an ASCII character (below 0x80) as it stands inside a JSON
/// string: `"`, `\\` and control characters escaped (`\n`, `\t`, ...,
/// others as `\u00xx`), anything else as it is.
void append_escaped_ascii(std::string& out, unsigned char c);
/// Appends `v` as a JSON string literal (quotes included) to `out`.
void append_json_string(std::string& out, std::string_view v);
/// Appends a JSON number: shortest text that reads back as `v`, with ".0"
/// when it would otherwise look like an integer (as nlohmann writes it).
void append_json_double(std::string& out, double v);
/// Appends an unsigned or signed integer.
void append_json_uint(std::string& out, std::uint64_t v);
void append_json_int(std::string& out, std::int64_t v);

/// Text buffers of finished nested values, reused by the next JsonOut on
/// the same thread (a resource is built from a dozen nested values: without
/// reuse each would be a heap allocation).
std::string take_buffer();
void give_buffer(std::string&& s) noexcept;

class JsonOut {
 public:
  static JsonOut object() { return JsonOut('{'); }
  static JsonOut array() { return JsonOut('['); }

  JsonOut(JsonOut&& o) noexcept : s_(std::move(o.s_)), first_(o.first_) {}
  JsonOut& operator=(JsonOut&&) = delete;
  JsonOut(const JsonOut&) = delete;
  JsonOut& operator=(const JsonOut&) = delete;
  ~JsonOut() {
    if (s_.capacity() > 15) give_buffer(std::move(s_));
  }

  /// Writes the key of the next property; the value follows by assignment.
  class Slot {
   public:
    Slot(JsonOut& o, std::string_view key, std::string_view suffix = {}) : o_(o) { o_.key(key, suffix); }
    void operator=(std::string_view v) { append_json_string(o_.s_, v); }
    void operator=(const std::string& v) { append_json_string(o_.s_, v); }
    void operator=(const char* v) { append_json_string(o_.s_, v); }
    void operator=(JsonOut&& v) { o_.append(v); }
    void operator=(bool v) { o_.s_ += v ? "true" : "false"; }
    void operator=(double v) { append_json_double(o_.s_, v); }
    template <class T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
    void operator=(T v) {
      if constexpr (std::is_signed_v<T>)
        append_json_int(o_.s_, std::int64_t(v));
      else
        append_json_uint(o_.s_, std::uint64_t(v));
    }

   private:
    JsonOut& o_;
  };

  /// `j["Key"] = value` on an object.
  Slot operator[](std::string_view key) { return Slot(*this, key); }
  /// `j["Key@odata.count"] = value`, without composing the key.
  Slot count(std::string_view key) { return Slot(*this, key, "@odata.count"); }

  /// Appends an element to an array.
  void push_back(JsonOut&& v) {
    sep();
    append(v);
  }
  void push_back(std::string_view v) {
    sep();
    append_json_string(s_, v);
  }

  /// True when nothing was written into it yet.
  bool empty() const noexcept { return first_; }

  /// The finished text, in a string of its exact size (the value is
  /// consumed; its buffer goes back to the thread's pool).
  std::string close() && {
    std::string out;
    out.reserve(s_.size() + 1);
    out += s_;
    out += s_[0] == '{' ? '}' : ']';
    return out;
  }

  /// Pre-sizes the text buffer.
  void reserve(std::size_t n) { s_.reserve(n); }

 private:
  explicit JsonOut(char open) : s_(take_buffer()) { s_ += open; }
  // Appends the finished nested value `v`.
  void append(const JsonOut& v) {
    s_ += v.s_;
    s_ += v.s_[0] == '{' ? '}' : ']';
  }
  void sep() {
    if (!first_) s_ += ',';
    first_ = false;
  }
  // Keys are the renderer's literals and composed count names: plain ASCII
  // without characters that need escaping.
  void key(std::string_view k, std::string_view suffix) {
    sep();
    s_ += '"';
    s_ += k;
    s_ += suffix;
    s_ += "\":";
  }

  std::string s_;
  bool first_ = true;
};

} // namespace ofmf::redfish::detail
