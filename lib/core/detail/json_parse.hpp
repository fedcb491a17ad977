// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Private to the library: untrusted JSON text into a value, without
/// exceptions, with a nesting limit and an error that says where.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>

#include "ofmf/error.hpp"

namespace ofmf::detail {

/// Parses `text`. Errors: errc::parse_error
/// "SOURCE:LINE:COLUMN: <what nlohmann says>", or "nested deeper than N"
/// when arrays and objects nest more than `max_depth` levels.
Result<nlohmann::json> parse_json(std::string_view text, std::string_view source, std::size_t max_depth = 64);

/// Appends `key` to a JSON pointer (RFC 6901: "~" as "~0", "/" as "~1").
void pointer_append(std::string& pointer, std::string_view key);

} // namespace ofmf::detail
