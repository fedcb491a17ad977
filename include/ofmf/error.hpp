// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Error reporting. Every fallible call returns ofmf::Result<T>, a small
/// type shaped like C++23 std::expected<T, ofmf::Error>. No exception other
/// than std::bad_alloc leaves the public API.

#include <cstdio>
#include <cstdlib>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>

#include "ofmf/export.hpp"

namespace ofmf {

/// Library error codes; their category is ofmf::category(). Errors that
/// come from the operating system or a driver keep their own category
/// (std::system_category() with the errno), they are not flattened.
enum class errc : int {
  ok = 0,
  invalid_argument = 1,   ///< a value is outside what the call accepts
  not_found = 2,          ///< an ID, GUID or name that does not exist
  already_exists = 3,     ///< duplicate GUID or name
  out_of_range = 4,       ///< port number or index outside its range
  busy = 5,               ///< the port is already linked
  parse_error = 6,        ///< malformed input text; the message says where
  io_error = 7,           ///< a file could not be read or written
  not_supported = 8,      ///< an optional feature this object does not have
  limit_exceeded = 9,     ///< input larger than the configured limit
  inconsistent = 10,      ///< input contradicts itself (e.g. asymmetric links)
  timeout = 11,           ///< a peer (device, node, process) did not answer in time
  unavailable = 12,       ///< a device, provider or service is absent or refuses
  protocol_error = 13,    ///< a peer sent something malformed (MAD, packet, message)
  cancelled = 14,         ///< stopped early on request (backend::CancelFlag)
};

/// The category of ofmf::errc ("ofmf").
OFMF_API const std::error_category& category() noexcept;

inline std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), category()};
}

/// An error: a code to branch on and a message for people. The message
/// says what failed and where (file:line for parsers, IDs for the model).
struct Error {
  std::error_code code;
  std::string message;

  /// "message (category:value)" - the form ofmfctl prints.
  OFMF_API std::string what() const;
};

/// Builds an Error with an ofmf::errc code.
inline Error make_error(errc e, std::string message) {
  return Error{make_error_code(e), std::move(message)};
}

/// Marker to construct a Result holding an error (like std::unexpected).
struct Unexpected {
  /// A constructor (not an aggregate) so that `Unexpected(e)` also works
  /// on compilers without parenthesised aggregate initialisation (clang 14).
  explicit Unexpected(Error e) : error(std::move(e)) {}
  Error error;
};
inline Unexpected fail(errc e, std::string message) {
  return Unexpected{make_error(e, std::move(message))};
}
inline Unexpected fail(Error e) { return Unexpected{std::move(e)}; }

namespace detail {
[[noreturn]] inline void bad_result_access(const Error& e) noexcept {
  std::fprintf(stderr, "ofmf: value() called on a Result holding an error: %s\n",
               e.message.c_str());
  std::abort();
}
[[noreturn]] inline void bad_error_access() noexcept {
  std::fprintf(stderr, "ofmf: error() called on a Result holding a value\n");
  std::abort();
}
} // namespace detail

/// Value or Error. Accessing the wrong alternative is a programming error
/// and aborts with a message (it never throws).
template <class T>
class [[nodiscard]] Result {
 public:
  using value_type = T;

  Result(const T& v) : v_(std::in_place_index<0>, v) {}
  Result(T&& v) : v_(std::in_place_index<0>, std::move(v)) {}
  template <class U, class = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                              !std::is_same_v<std::decay_t<U>, Result> &&
                                              !std::is_same_v<std::decay_t<U>, Unexpected>>>
  Result(U&& v) : v_(std::in_place_index<0>, std::forward<U>(v)) {}
  Result(Unexpected u) : v_(std::in_place_index<1>, std::move(u.error)) {}

  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & {
    if (!has_value()) detail::bad_result_access(std::get<1>(v_));
    return std::get<0>(v_);
  }
  const T& value() const& {
    if (!has_value()) detail::bad_result_access(std::get<1>(v_));
    return std::get<0>(v_);
  }
  T&& value() && {
    if (!has_value()) detail::bad_result_access(std::get<1>(v_));
    return std::move(std::get<0>(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& {
    if (has_value()) detail::bad_error_access();
    return std::get<1>(v_);
  }
  Error&& error() && {
    if (has_value()) detail::bad_error_access();
    return std::move(std::get<1>(v_));
  }
  template <class U>
  T value_or(U&& fallback) const& {
    return has_value() ? std::get<0>(v_) : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::variant<T, Error> v_;
};

/// Result of a call that returns nothing on success.
template <>
class [[nodiscard]] Result<void> {
 public:
  using value_type = void;
  Result() = default;
  Result(Unexpected u) : err_(std::move(u.error)), ok_(false) {}

  bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  void value() const {
    if (!ok_) detail::bad_result_access(err_);
  }
  const Error& error() const& {
    if (ok_) detail::bad_error_access();
    return err_;
  }
  Error&& error() && {
    if (ok_) detail::bad_error_access();
    return std::move(err_);
  }

 private:
  Error err_{};
  bool ok_ = true;
};

} // namespace ofmf

template <>
struct std::is_error_code_enum<ofmf::errc> : std::true_type {};
