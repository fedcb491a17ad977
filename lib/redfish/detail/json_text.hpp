// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Private to the Redfish layer: JSON text laid out for people, straight
/// from text (no JSON values built), for the mockup writer.

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

} // namespace ofmf::redfish::detail
