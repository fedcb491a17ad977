// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Field tables of the MAD codec. Every wire layout (the MAD header, the
/// SMP and PerfMgt fields, each attribute) is one table, one row per
/// field: bit offset, width, count, IBA name, and the struct member it
/// fills. Encode, decode and dump are generic walks over a table, so a
/// field's position is written down once (the idea of libibmad's
/// fields.c and its `enum MAD_FIELDS`).
///
/// Offsets count bits from the most significant bit of octet 0, as the
/// IBA tables do; multi-bit fields are big-endian. A row with count > 1
/// is an array of `count` elements of `width` bits back to back.
///
/// Private to the umad backend (not installed).

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "ofmf/error.hpp"

namespace ofmf::backend::umad::fields {

/// How dump() prints a field's value.
enum class Fmt : std::uint8_t {
  dec,   ///< decimal
  hex,   ///< 0x and width / 4 digits
  text,  ///< octets up to the first NUL, as text (an array of 8-bit elements)
};

/// One field of a wire layout. Never owns anything; names are literals.
struct Field {
  std::uint32_t bit = 0;    ///< offset of the first bit (MSB of octet 0 = 0)
  std::uint8_t width = 0;   ///< bits of one element, 1..64
  std::uint16_t count = 1;  ///< elements (arrays: > 1)
  std::string_view name;    ///< IBA name ("NodeGUID")
  Fmt fmt = Fmt::dec;

  /// First bit after the field.
  constexpr std::uint32_t end_bit() const noexcept { return bit + std::uint32_t(width) * count; }
  /// Highest value one element holds.
  constexpr std::uint64_t max() const noexcept { return width >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << width) - 1; }
};

/// Element `index` of `f` in `bytes`; 0 when it does not lie inside
/// `bytes` (callers check the size first, see Layout::octets).
std::uint64_t get(std::span<const std::uint8_t> bytes, const Field& f, unsigned index = 0) noexcept;
/// Writes element `index` of `f` (the value masked to the field's width);
/// leaves every other bit alone. Does nothing when the field does not lie
/// inside `bytes`.
void set(std::span<std::uint8_t> bytes, const Field& f, std::uint64_t value, unsigned index = 0) noexcept;
/// Appends "Name: value\n" (arrays: the elements separated by spaces;
/// Fmt::text: the text, control octets as \xNN) to `out`, the name after
/// `prefix`; "Name: (beyond the N octets)\n" when the field does not fit
/// in `bytes`.
void dump(std::string& out, std::span<const std::uint8_t> bytes, const Field& f, std::string_view prefix = {});

/// A row bound to a member of T: how the codec reads and writes element
/// `index` of that member. Plain function pointers, so tables are constexpr.
template <class T>
struct Member {
  Field field;
  std::uint64_t (*load)(const T&, unsigned index) = nullptr;
  void (*store)(T&, unsigned index, std::uint64_t value) = nullptr;
};

namespace detail {
template <class>
struct member_of;
template <class C, class V>
struct member_of<V C::*> {
  using owner = C;
  using type = V;
};
template <auto M, auto... Ms, class T>
constexpr auto& deref(T& t) noexcept {
  if constexpr (sizeof...(Ms) == 0)
    return t.*M;
  else
    return deref<Ms...>(t.*M);
}
template <auto M, auto... Ms>
struct path_type {
  using type = typename path_type<Ms...>::type;
};
template <auto M>
struct path_type<M> {
  using type = typename member_of<decltype(M)>::type;
};
} // namespace detail

/// A scalar row: the member reached by the member pointers Ms (one, or a
/// chain into nested structs) holds the field; integers and bool. The
/// member must hold `width` bits (tests/unit/backend/test_mad_fields.cpp
/// stores the widest value of every row and reads it back).
template <auto M, auto... Ms>
constexpr Member<typename detail::member_of<decltype(M)>::owner> at(std::uint32_t bit, std::uint8_t width,
                                                                      std::string_view name, Fmt fmt = Fmt::dec) {
  using T = typename detail::member_of<decltype(M)>::owner;
  using V = typename detail::path_type<M, Ms...>::type;
  return {Field{bit, width, 1, name, fmt},
          [](const T& t, unsigned) -> std::uint64_t { return std::uint64_t(detail::deref<M, Ms...>(t)); },
          [](T& t, unsigned, std::uint64_t v) { detail::deref<M, Ms...>(t) = static_cast<V>(v); }};
}

/// An array row: the std::array member reached by Ms holds `count`
/// elements of `width` bits each.
template <auto M, auto... Ms>
constexpr Member<typename detail::member_of<decltype(M)>::owner> each(std::uint32_t bit, std::uint8_t width,
                                                                        std::uint16_t count, std::string_view name,
                                                                        Fmt fmt = Fmt::dec) {
  using T = typename detail::member_of<decltype(M)>::owner;
  using A = typename detail::path_type<M, Ms...>::type;
  using V = typename A::value_type;
  return {Field{bit, width, count, name, fmt},
          [](const T& t, unsigned i) -> std::uint64_t {
            const A& a = detail::deref<M, Ms...>(t);
            return i < a.size() ? std::uint64_t(a[i]) : 0;
          },
          [](T& t, unsigned i, std::uint64_t v) {
            A& a = detail::deref<M, Ms...>(t);
            if (i < a.size()) a[i] = static_cast<V>(v);
          }};
}

/// The table of one layout: its IBA name, the octets a decoder needs, and
/// the rows in wire order.
template <class T, std::size_t N>
struct Layout {
  std::string_view name;
  std::size_t octets = 0;
  std::array<Member<T>, N> rows;
};

/// Builds a Layout from its rows (deduces N).
template <class T, class... Rows>
constexpr Layout<T, sizeof...(Rows)> layout(std::string_view name, std::size_t octets, Rows... rows) {
  return {name, octets, {rows...}};
}

/// Writes every field of `v` into `out` (bits outside the fields are left
/// as they are: start from zeroes for reserved ones).
template <class T, std::size_t N>
void encode(const Layout<T, N>& l, const T& v, std::span<std::uint8_t> out) noexcept {
  for (const Member<T>& m : l.rows)
    for (unsigned i = 0; i < m.field.count; ++i) set(out, m.field, m.load(v, i), i);
}

/// Reads every field into `v` (members without a row keep their values).
/// `bytes` must hold l.octets (see decode()).
template <class T, std::size_t N>
void decode_into(const Layout<T, N>& l, std::span<const std::uint8_t> bytes, T& v) noexcept {
  for (const Member<T>& m : l.rows)
    for (unsigned i = 0; i < m.field.count; ++i) m.store(v, i, get(bytes, m.field, i));
}

/// errc::protocol_error "NodeInfo: 12 octets, needs 40" when `bytes` is
/// shorter than `octets`.
Result<void> need(std::span<const std::uint8_t> bytes, std::size_t octets, std::string_view what);

/// Every field of `bytes` into a value-initialised T, no range checks
/// (attribute decoders add those). Errors: errc::protocol_error when
/// `bytes` is shorter than the layout.
template <class T, std::size_t N>
Result<T> decode(const Layout<T, N>& l, std::span<const std::uint8_t> bytes) {
  if (auto r = need(bytes, l.octets, l.name); !r) return fail(std::move(r).error());
  T v{};
  decode_into(l, bytes, v);
  return v;
}

/// Appends one "Name: value" line per field of `bytes` (see dump(Field));
/// with `qualified` the names are "Layout.Name" ("NodeInfo.NumPorts").
/// Never reads outside `bytes`.
template <class T, std::size_t N>
void dump(std::string& out, const Layout<T, N>& l, std::span<const std::uint8_t> bytes, bool qualified = false) {
  const std::string prefix = qualified ? std::string(l.name) + "." : std::string();
  for (const Member<T>& m : l.rows) dump(out, bytes, m.field, prefix);
}

/// The same, as a new string.
template <class T, std::size_t N>
std::string dump(const Layout<T, N>& l, std::span<const std::uint8_t> bytes) {
  std::string out;
  dump(out, l, bytes);
  return out;
}

/// "0x" and `digits` hex digits (at least).
std::string hex(std::uint64_t v, int digits);

} // namespace ofmf::backend::umad::fields
