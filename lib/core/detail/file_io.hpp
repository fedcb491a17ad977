// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Private to the library: whole reads and writes of a descriptor, and the
/// error every layer reports when a file operation fails.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "ofmf/error.hpp"

namespace ofmf::detail {

/// errc::io_error "WHAT 'PATH': <the system's reason for err>".
Unexpected io_failure(std::string_view what, const std::filesystem::path& path, int err);

/// Writes all of `data` to `fd`, retrying short writes and EINTR; 0 or an errno.
int write_all(int fd, std::string_view data) noexcept;

/// Appends what `fd` holds to `out`, retrying EINTR, and stops once more
/// than `max_bytes` were read (the caller sees out.size() > max_bytes);
/// 0 or an errno.
int read_all(int fd, std::size_t max_bytes, std::string& out);

} // namespace ofmf::detail
