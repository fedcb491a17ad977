// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Private to the library: temporary files and folders that are renamed
/// over a target, named so that a later writer of the same target can
/// recognise and remove the ones a killed writer left behind.
///
/// A temporary of the target `NAME` in folder `D` is `D/NAME.ofmf-KIND-PID-HEX`:
/// KIND is `tmp` (being written) or `old` (a replaced folder about to be
/// removed), PID the writer's process ID, HEX 16 random hexadecimal digits.
/// It is created exclusively (O_EXCL, never through a symbolic link) and
/// its writer holds an flock() on it until it is renamed or removed.
/// A temporary is stale when the process in its name is gone and nobody
/// holds its lock; remove_stale() deletes those of one target.

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "core/detail/fd.hpp"
#include "core/detail/file_io.hpp"

namespace ofmf::detail {

/// "NAME.ofmf-KIND-PID-HEX" with fresh random digits.
std::string temp_name(std::string_view name, std::string_view kind);

/// True when `entry` is a temporary of `name` (any kind); its PID in `pid`.
bool is_temp_of(std::string_view entry, std::string_view name, long& pid);

/// Removes the stale temporaries of `name` in `folder` (files, or folders
/// with all they hold). Best effort: what cannot be removed is left.
void remove_stale(const std::filesystem::path& folder, std::string_view name);

/// Replaces the file `name` in the folder `dir_fd` by one holding `text`:
/// a temporary file (see above) written, optionally fsync()ed, renamed
/// over `name` and the folder fsync()ed. `name` itself may be absent or
/// anything but a folder; a symbolic link there is replaced, not followed.
/// `mode` applies to the new file (the umask is not applied again when
/// `keep_mode` says the mode is an existing file's). On failure the
/// temporary is removed and `name` is left as it was. Returns 0 or an errno.
struct ReplaceOptions {
  mode_t mode = 0666;
  bool keep_mode = false;  ///< set the exact mode (fchmod), not mode & ~umask
  bool durable = true;     ///< fsync the file before and the folder after the rename
};
int replace_file_at(int dir_fd, const std::string& name, std::string_view text, const ReplaceOptions& options);

} // namespace ofmf::detail
