// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Writing an output file: the rules every writer of the library and of
/// `ofmfctl` follows for a path it is given.

#include <filesystem>
#include <string_view>

#include "ofmf/error.hpp"
#include "ofmf/export.hpp"

namespace ofmf {

/// Writes `text` to the output named `path`:
/// - `-`, `/dev/stdout`, `/dev/stderr`, `/dev/fd/N` and `/proc/self/fd/N`
///   write to that open descriptor, in place (nothing is created, renamed
///   or closed);
/// - a symbolic link is resolved (up to 40 links); what it points to is
///   written by the rules below and the link itself stays. A link to a
///   missing file is refused (errc::not_found): nothing is created
///   through a link;
/// - a regular file, or a path that does not exist, is replaced
///   atomically: a temporary file `NAME.ofmf-tmp-PID-HEX` (16 random
///   hexadecimal digits) is created exclusively in the same folder, never
///   through a link, written, fsync()ed and renamed over `NAME`, then the
///   folder is fsync()ed. A replaced file keeps its permission bits; a new
///   one gets 0666 less the umask. Readers see the old content or the new,
///   never a part; on failure the temporary is removed and the target is
///   left as it was. Temporaries of the same target left by a killed
///   writer (its process gone, its lock free) are removed first;
/// - a character device or a FIFO is opened for writing and written
///   through in place (a FIFO waits for its reader, as a shell does);
/// - a folder, a block device or a socket is refused
///   (errc::invalid_argument).
/// Errors: errc::io_error with the path and the system's reason,
/// errc::not_found, errc::invalid_argument as above.
OFMF_API Result<void> write_output(const std::filesystem::path& path, std::string_view text);

} // namespace ofmf
