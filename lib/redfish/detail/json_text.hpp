// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Private to the Redfish layer: JSON text laid out for people, straight
/// from text (no JSON values built), for the mockup writer.

#include <cstddef>
#include <string>
#include <string_view>

namespace ofmf::redfish::detail {

/// Appends `text`, one valid JSON value (compact or not), to `out` laid out
/// as nlohmann::json::dump(4, ' ', false, error_handler_t::replace) lays out
/// the value `text` parses to, followed by a newline:
/// - `{` or `[` then a newline; each member or element on its own line,
///   indented by 4 spaces per level; `"key": value`; `,` at line ends; the
///   closing bracket on its own line at the opening line's indentation;
///   empty containers as `{}` and `[]`;
/// - strings re-escaped as nlohmann writes them: `\"`, `\\`, `\b`, `\f`,
///   `\n`, `\r`, `\t`, other control characters as `\u00xx`, everything
///   else (including `/` and non-ASCII) as UTF-8; `\uXXXX` escapes of the
///   input are decoded (surrogate pairs joined; a lone surrogate becomes
///   U+FFFD); invalid UTF-8 becomes U+FFFD as with error_handler_t::replace;
/// - numbers, `true`, `false` and `null` copied as written (text the
///   library writes holds them as nlohmann writes them).
/// White space outside strings is dropped. The input is not validated:
/// invalid JSON gives unspecified (but bounded) output. Throws only
/// std::bad_alloc.
void append_indented(std::string& out, std::string_view text);

/// The byte offset in `text` (JSON, valid at least up to the offset) of
/// the first byte of a value or key nested deeper than `max_depth` levels,
/// or npos when there is none. Levels as simdjson's max_depth counts them:
/// the outermost value is level 1, a value (or key) inside a container of
/// level n is level n + 1. One pass, no allocation; used to place a depth
/// error that a parser reported without a position.
std::size_t first_too_deep(std::string_view text, std::size_t max_depth) noexcept;

} // namespace ofmf::redfish::detail
