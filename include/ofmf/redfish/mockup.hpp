// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Writing a Tree as a Redfish mockup folder, the layout DMTF's Redfish
/// Mockup Server serves as it is: the resource at `/redfish/v1/A/B` goes to
/// `<dir>/redfish/v1/A/B/index.json` (`/redfish/v1/` to
/// `<dir>/redfish/v1/index.json`). Reading a mockup is import.hpp's
/// read_mockup().

#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "ofmf/error.hpp"
#include "ofmf/export.hpp"
#include "ofmf/redfish/tree.hpp"

namespace ofmf::redfish {

/// The file a resource URI is stored in below a mockup root `dir`.
/// Errors: errc::invalid_argument when `uri` is not is_safe_uri().
OFMF_API Result<std::filesystem::path> mockup_file(const std::filesystem::path& dir, std::string_view uri);

/// The file write_mockup() leaves at the top of every mockup folder it
/// writes (beside `redfish/`): only a folder holding it is ever replaced.
inline constexpr std::string_view mockup_marker = ".ofmf-mockup";

/// Writes the whole tree as a mockup in `dir`. Atomic: the tree is written
/// into a temporary sibling folder (`<dir>.ofmf-tmp-<pid>-<16 hex digits>`,
/// locked with flock() while it is written) which then replaces `dir`, so
/// `dir` holds either the old content or the new one, never a half-written
/// tree. A crash may leave the temporary sibling (or, on filesystems
/// without RENAME_EXCHANGE, the old tree as `<dir>.ofmf-old-...`) behind;
/// it is never read, and the next write_mockup() of the same `dir` removes
/// it once its writer is gone (the process in its name has exited and its
/// lock is free). `dir` may be absent, an empty folder, or a mockup that
/// write_mockup() wrote (it holds mockup_marker; the whole folder is
/// replaced, with anything added to it since); anything else is refused
/// with errc::already_exists and left untouched.
/// Durable: before the temporary folder is renamed into place, one
/// syncfs() flushes the filesystem holding it (every file and folder of
/// the new tree, without an fsync() per file); after the rename, `dir`'s
/// parent folder is fsync()ed, so once the call returns the new tree
/// survives a power loss. syncfs() flushes everything pending on that
/// filesystem, so the call may wait for other writers' data too.
/// Errors: errc::invalid_argument (a URI in the tree that is not
/// is_safe_uri(), or a tree without `/redfish/v1/`), errc::already_exists,
/// errc::io_error (the message names the path and the system error).
OFMF_API Result<void> write_mockup(const Tree& tree, const std::filesystem::path& dir);

/// Incremental update of a mockup written by write_mockup(): for each URI,
/// writes its resource from `tree` (each file atomically: temporary file,
/// then rename), or, when `tree` has no resource there, removes the
/// resource's index.json and the folders that become empty. Use it with
/// Renderer::refresh()'s `rendered` and `removed` lists. Not synced to
/// disk: readers never see a half-written file, but a crash may lose the
/// latest updates; write_mockup() gives a durable snapshot.
/// Errors: errc::not_found (`dir` is not a mockup: no
/// `redfish/v1/index.json`), errc::invalid_argument (unsafe URI; nothing
/// is written then), errc::io_error.
OFMF_API Result<void> write_resources(const Tree& tree, std::span<const std::string> uris,
                                      const std::filesystem::path& dir);

} // namespace ofmf::redfish
