// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Writing a Tree as a Redfish mockup folder (redfish/v1/.../index.json).
#include "ofmf/redfish/mockup.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <stdio.h>
#include <unistd.h>

#include "core/detail/parallel.hpp"
#include "core/detail/fd.hpp"
#include "core/detail/temp_files.hpp"
#include "redfish/detail/json_text.hpp"
#include "redfish/detail/tree_access.hpp"

namespace ofmf::redfish {

namespace fs = std::filesystem;

namespace {

using ofmf::detail::Fd;

Unexpected io_fail(const fs::path& p, const std::string& what, std::error_code ec) {
  return fail(make_error(errc::io_error, "redfish mockup: " + what + " " + p.string() + ": " + ec.message()));
}

/// The folder of a resource below `root` ("/redfish/v1/A" -> root/redfish/v1/A).
fs::path folder_of(const fs::path& root, std::string_view uri) {
  while (!uri.empty() && uri.back() == '/') uri.remove_suffix(1);
  return root / fs::path(uri.substr(1));
}

/// The file text of the resource at `uri` (which the tree holds), laid out
/// as nlohmann's dump(4) lays it out, into `out` (cleared first, its
/// capacity reused). The resource's compact text is reformatted; no JSON
/// value is built (a resource assigned as a value is serialized into
/// `scratch` first).
void serialize_into(const Tree& tree, const std::string& uri, std::string& scratch, std::string& out) {
  const std::string_view compact = detail::TreeAccess::text(tree, uri, scratch);
  out.clear();
  out.reserve(compact.size() * 2);
  detail::append_indented(out, compact);
}

/// The path of a resource's folder relative to a mockup root
/// ("/redfish/v1/A" -> "redfish/v1/A", "/redfish/v1/" -> "redfish/v1").
std::string_view relative_folder(std::string_view uri) {
  while (!uri.empty() && uri.back() == '/') uri.remove_suffix(1);
  return uri.substr(1);
}

/// mkdir -p of `rel` below the folder `root`; a folder that exists
/// already (made by another thread) is fine. Returns 0 or an errno.
int make_folders(int root, const std::string& rel) {
  if (::mkdirat(root, rel.c_str(), 0755) == 0 || errno == EEXIST) return 0;
  if (errno != ENOENT) return errno;
  // A parent is missing: create the path one component at a time.
  std::string part;
  part.reserve(rel.size());
  std::size_t pos = 0;
  while (pos <= rel.size()) {
    std::size_t slash = rel.find('/', pos);
    if (slash == std::string::npos) slash = rel.size();
    part.assign(rel, 0, slash);
    if (::mkdirat(root, part.c_str(), 0755) != 0 && errno != EEXIST) return errno;
    pos = slash + 1;
  }
  return 0;
}

Result<void> check_uris(const Tree& tree) {
  const std::string* bad = nullptr;
  detail::TreeAccess::scan_keys(tree, [&](const std::string& uri) {
    if (!bad && !is_safe_uri(uri)) bad = &uri;
  });
  if (bad)
    return fail(errc::invalid_argument, "redfish mockup: resource URI '" + *bad + "' is not a safe /redfish/v1/ URI");
  return {};
}

/// True when `dir` may be replaced: absent (false), an empty folder, or a
/// folder this writer made (it holds the marker file).
Result<bool> replaceable(const fs::path& dir) {
  std::error_code ec;
  auto st = fs::symlink_status(dir, ec);
  if (ec && ec != std::errc::no_such_file_or_directory) return io_fail(dir, "cannot inspect", ec);
  if (!fs::exists(st)) return false;
  if (!fs::is_directory(st))
    return fail(errc::already_exists, "redfish mockup: " + dir.string() + " exists and is not a folder");
  if (fs::is_regular_file(fs::symlink_status(dir / std::string(mockup_marker), ec))) return true;
  fs::directory_iterator it(dir, ec);
  if (ec) return io_fail(dir, "cannot list", ec);
  if (it != fs::directory_iterator())
    return fail(errc::already_exists, "redfish mockup: " + dir.string() + " is not empty and not a mockup written by ofmf (no " +
                                          std::string(mockup_marker) + " in it; it holds " +
                                          it->path().filename().string() + "); choose another folder or empty it");
  return true;
}

/// Writes resources [begin, end) of `items` below the folder `root_fd`
/// (the temporary folder `root`, named in errors): each resource's folder,
/// created relative to `root_fd` (no path walk from `/`), then its
/// index.json. Parents another thread has not created yet are made here.
Result<void> write_range(int root_fd, const fs::path& root, const Tree& tree,
                         const std::vector<const std::string*>& items, std::size_t begin, std::size_t end) {
  std::string text, scratch, rel;
  for (std::size_t i = begin; i < end; ++i) {
    const std::string& uri = *items[i];
    rel.assign(relative_folder(uri));
    if (int err = make_folders(root_fd, rel))
      return io_fail(root / rel, "cannot create", std::error_code(err, std::system_category()));
    rel += "/index.json";
    serialize_into(tree, uri, scratch, text);
    Fd fd(::openat(root_fd, rel.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (fd.fd < 0) return io_fail(root / rel, "cannot create", std::error_code(errno, std::system_category()));
    if (int err = ofmf::detail::write_all(fd.fd, text))
      return io_fail(root / rel, "cannot write", std::error_code(err, std::system_category()));
    if (int err = fd.close()) return io_fail(root / rel, "cannot write", std::error_code(err, std::system_category()));
  }
  return {};
}

/// fsync() of a folder (makes a rename in it durable).
Result<void> sync_folder(const fs::path& folder) {
  Fd d(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (d.fd < 0 || ::fsync(d.fd) != 0)
    return io_fail(folder, "cannot sync", std::error_code(errno, std::system_category()));
  return {};
}

} // namespace

Result<fs::path> mockup_file(const fs::path& dir, std::string_view uri) {
  if (!is_safe_uri(uri))
    return fail(errc::invalid_argument, "redfish mockup: '" + std::string(uri) + "' is not a safe /redfish/v1/ URI");
  return folder_of(dir, uri) / "index.json";
}

Result<void> write_mockup(const Tree& tree, const fs::path& dir_in) {
  if (auto ok = check_uris(tree); !ok) return ok;
  if (!tree.contains("/redfish/v1/"))
    return fail(errc::invalid_argument, "redfish mockup: the tree has no service root /redfish/v1/");
  fs::path dir = dir_in;
  if (!dir.has_filename()) dir = dir.parent_path();  // "out/" -> "out"
  auto rep = replaceable(dir);
  if (!rep) return fail(rep.error());

  std::error_code ec;
  fs::path parent = dir.parent_path().empty() ? fs::path(".") : dir.parent_path();
  const std::string name = dir.filename().string();
  ofmf::detail::remove_stale(parent, name);
  fs::path tmp = parent / ofmf::detail::temp_name(name, "tmp");
  if (!fs::create_directory(tmp, ec)) return io_fail(tmp, "cannot create", ec ? ec : std::make_error_code(std::errc::file_exists));
  auto cleanup = [&] {
    std::error_code ignore;
    fs::remove_all(tmp, ignore);
  };

  try {
    std::vector<const std::string*> items;
    items.reserve(tree.size());
    detail::TreeAccess::scan_keys(tree, [&](const std::string& uri) { items.push_back(&uri); });
    // The lock tells remove_stale() of another writer that this folder is
    // in use; it goes with the descriptor once the tree is published.
    Fd root(::open(tmp.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (root.fd < 0 || ::flock(root.fd, LOCK_EX) != 0) {
      auto e = io_fail(tmp, "cannot open", std::error_code(errno, std::system_category()));
      cleanup();
      return e;
    }
    const std::string marker_text = "A Redfish mockup written by ofmf; the next export into this folder replaces it.\n";
    Fd marker(::openat(root.fd, mockup_marker.data(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (marker.fd < 0 || ofmf::detail::write_all(marker.fd, marker_text) != 0 || marker.close() != 0) {
      auto e = io_fail(tmp / std::string(mockup_marker), "cannot write", std::error_code(errno, std::system_category()));
      cleanup();
      return e;
    }
    // Each thread writes a contiguous run of URIs (folders and files);
    // creating files is mostly kernel time, so more threads than cores
    // still help.
    unsigned threads = std::max(2u, std::min(8u, 2 * std::thread::hardware_concurrency()));
    if (items.size() < 512) threads = 1;
    std::vector<Result<void>> results(threads);
    ofmf::detail::split(threads, [&](unsigned t) {
      results[t] = write_range(root.fd, tmp, tree, items, items.size() * t / threads, items.size() * (t + 1) / threads);
    });
    for (auto& r : results)
      if (!r) {
        cleanup();
        return r;
      }
    // Durability: one syncfs() of the filesystem holding the new tree
    // instead of an fsync() per file; the folder is published only after
    // every file and folder is on disk.
    if (::syncfs(root.fd) != 0) {
      auto e = io_fail(tmp, "cannot sync", std::error_code(errno, std::system_category()));
      cleanup();
      return e;
    }
  } catch (...) {
    cleanup();
    throw;
  }

  if (!*rep) {
    // No previous folder: one rename publishes the tree.
    fs::rename(tmp, dir, ec);
    if (ec) {
      auto e = io_fail(dir, "cannot rename " + tmp.string() + " to", ec);
      cleanup();
      return e;
    }
    return sync_folder(parent);
  }
  // Swap the new tree with the old folder in one step, then drop the old
  // (now under the temporary name: a crash before it is gone leaves a
  // stale temporary that the next export removes).
  if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, dir.c_str(), RENAME_EXCHANGE) == 0) {
    if (auto synced = sync_folder(parent); !synced) return synced;
    fs::remove_all(tmp, ec);
    if (ec) return io_fail(tmp, "published the new mockup but cannot remove the old one, now at", ec);
    return {};
  }
  // Filesystems without RENAME_EXCHANGE: move the old folder aside first;
  // readers may briefly find no folder, never a partial one.
  fs::path old = parent / ofmf::detail::temp_name(name, "old");
  fs::rename(dir, old, ec);
  if (ec) {
    auto e = io_fail(dir, "cannot move aside", ec);
    cleanup();
    return e;
  }
  fs::rename(tmp, dir, ec);
  if (ec) {
    std::error_code ignore;
    fs::rename(old, dir, ignore);
    auto e = io_fail(dir, "cannot rename " + tmp.string() + " to", ec);
    cleanup();
    return e;
  }
  if (auto synced = sync_folder(parent); !synced) return synced;
  fs::remove_all(old, ec);
  if (ec) return io_fail(old, "published the new mockup but cannot remove the old one", ec);
  return {};
}

Result<void> write_resources(const Tree& tree, std::span<const std::string> uris, const fs::path& dir) {
  for (const std::string& uri : uris)
    if (!is_safe_uri(uri))
      return fail(errc::invalid_argument, "redfish mockup: '" + uri + "' is not a safe /redfish/v1/ URI");
  std::error_code ec;
  if (!fs::is_regular_file(dir / "redfish" / "v1" / "index.json", ec))
    return fail(errc::not_found, "redfish mockup: " + dir.string() + " is not a mockup (no redfish/v1/index.json)");
  const fs::path stop = dir / "redfish" / "v1";
  std::string text, scratch;
  for (const std::string& uri : uris) {
    fs::path folder = folder_of(dir, uri);
    fs::path file = folder / "index.json";
    if (tree.contains(uri)) {
      fs::create_directories(folder, ec);
      if (ec) return io_fail(folder, "cannot create", ec);
      Fd folder_fd(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (folder_fd.fd < 0) return io_fail(folder, "cannot open", std::error_code(errno, std::system_category()));
      ofmf::detail::remove_stale(folder, "index.json");
      serialize_into(tree, uri, scratch, text);
      ofmf::detail::ReplaceOptions options;
      options.mode = 0644;
      options.durable = false;
      if (int err = ofmf::detail::replace_file_at(folder_fd.fd, "index.json", text, options))
        return io_fail(file, "cannot replace", std::error_code(err, std::system_category()));
    } else {
      fs::remove(file, ec);
      if (ec) return io_fail(file, "cannot remove", ec);
      // Drop folders left empty, up to (not including) redfish/v1.
      for (fs::path f = folder; f != stop && f.string().size() > stop.string().size(); f = f.parent_path()) {
        if (!fs::is_empty(f, ec) || ec) break;
        fs::remove(f, ec);
        if (ec) return io_fail(f, "cannot remove", ec);
      }
    }
  }
  return {};
}

} // namespace ofmf::redfish
