// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// write_output(): the output-path rules (ofmf/output.hpp).
#include "ofmf/output.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <string>

#include "core/detail/temp_files.hpp"

namespace ofmf {

namespace fs = std::filesystem;

namespace {

constexpr int max_links = 40;

/// The descriptor a path names in place of a file ("-", /dev/stdout,
/// /dev/fd/N, ...), else -1.
int descriptor_of(const std::string& p) {
  if (p == "-" || p == "/dev/stdout") return 1;
  if (p == "/dev/stderr") return 2;
  for (std::string_view prefix : {"/dev/fd/", "/proc/self/fd/"}) {
    if (p.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string n = p.substr(prefix.size());
    if (n.empty() || n.size() > 9 || n.find_first_not_of("0123456789") != std::string::npos) return -1;
    return std::stoi(n);
  }
  return -1;
}

Result<void> write_to(int fd, const fs::path& path, std::string_view text) {
  // Keep the order of what the program printed through stdio before.
  if (fd == 1) std::fflush(stdout);
  if (fd == 2) std::fflush(stderr);
  if (int err = detail::write_all(fd, text)) return detail::io_failure("cannot write", path, err);
  return {};
}

Result<void> replace(const fs::path& target, const fs::path& named, std::string_view text, const struct stat* existing) {
  const fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  const std::string name = target.filename().string();
  detail::Fd dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.fd < 0) return detail::io_failure("cannot open the folder of", named, errno);
  detail::remove_stale(folder, name);
  detail::ReplaceOptions options;
  if (existing) {
    options.mode = existing->st_mode & 07777;
    options.keep_mode = true;
  }
  if (int err = detail::replace_file_at(dir.fd, name, text, options)) return detail::io_failure("cannot write", named, err);
  return {};
}

} // namespace

Result<void> write_output(const fs::path& path, std::string_view text) {
  if (path.empty()) return fail(errc::invalid_argument, "no output path given");
  fs::path target = path;
  struct stat st {};
  for (int links = 0;; ++links) {
    if (const int fd = descriptor_of(target.string()); fd >= 0) return write_to(fd, path, text);
    if (::lstat(target.c_str(), &st) != 0) {
      const int err = errno;
      if (err != ENOENT) return detail::io_failure("cannot inspect", target, err);
      if (links > 0)
        return fail(errc::not_found, "'" + path.string() + "' is a symbolic link to the missing '" +
                                         target.string() + "'; no file is created through a link");
      if (!target.has_filename())
        return fail(errc::invalid_argument, "'" + path.string() + "' names a folder, not a file");
      return replace(target, path, text, nullptr);
    }
    if (!S_ISLNK(st.st_mode)) break;
    if (links == max_links) return detail::io_failure("cannot resolve", path, ELOOP);
    std::string link(PATH_MAX, '\0');
    const ssize_t n = ::readlink(target.c_str(), link.data(), link.size());
    if (n < 0) return detail::io_failure("cannot read the link", target, errno);
    link.resize(std::size_t(n));
    target = fs::path(link).is_absolute() ? fs::path(link) : target.parent_path() / link;
  }
  if (S_ISREG(st.st_mode)) return replace(target, path, text, &st);
  if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
    detail::Fd fd(::open(target.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC));
    if (fd.fd < 0) return detail::io_failure("cannot open", path, errno);
    if (auto w = write_to(fd.fd, path, text); !w) return w;
    if (int err = fd.close()) return detail::io_failure("cannot write", path, err);
    return {};
  }
  const char* kind = S_ISDIR(st.st_mode) ? "a folder" : S_ISBLK(st.st_mode) ? "a block device" : "a socket";
  return fail(errc::invalid_argument, "'" + path.string() + "' is " + kind + "; refusing to write over it");
}

} // namespace ofmf
