// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Temporary files and folders renamed over a target, and the removal of
// those a killed writer left behind.
#include "core/detail/temp_files.hpp"

#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <random>
#include <system_error>

namespace ofmf::detail {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view marker = ".ofmf-";
constexpr std::size_t hex_digits = 16;

std::uint64_t random_bits() {
  std::uint64_t v = 0;
  if (::getrandom(&v, sizeof v, GRND_NONBLOCK) == ssize_t(sizeof v)) return v;
  std::random_device rd;
  return (std::uint64_t(rd()) << 32) ^ rd();
}

bool all_of(std::string_view s, bool hex) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool digit = c >= '0' && c <= '9';
    if (!digit && !(hex && c >= 'a' && c <= 'f')) return false;
  }
  return true;
}

/// True when the process `pid` may still be running (kill() cannot tell
/// a process of another user from a live one: EPERM counts as alive).
bool alive(long pid) { return ::kill(pid_t(pid), 0) == 0 || errno == EPERM; }

} // namespace

std::string temp_name(std::string_view name, std::string_view kind) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s;
  s.reserve(name.size() + 40);
  s.append(name).append(marker).append(kind).append("-").append(std::to_string(::getpid())).append("-");
  std::uint64_t bits = random_bits();
  for (std::size_t i = 0; i < hex_digits; ++i, bits >>= 4) s += digits[bits & 15];
  return s;
}

bool is_temp_of(std::string_view entry, std::string_view name, long& pid) {
  if (entry.size() <= name.size() || entry.substr(0, name.size()) != name) return false;
  std::string_view rest = entry.substr(name.size());
  if (rest.substr(0, marker.size()) != marker) return false;
  rest.remove_prefix(marker.size());
  if (rest.substr(0, 4) != "tmp-" && rest.substr(0, 4) != "old-") return false;
  rest.remove_prefix(4);
  const std::size_t dash = rest.find('-');
  if (dash == std::string_view::npos || dash > 9) return false;
  const std::string_view pid_text = rest.substr(0, dash), random = rest.substr(dash + 1);
  if (!all_of(pid_text, false) || random.size() != hex_digits || !all_of(random, true)) return false;
  pid = std::stol(std::string(pid_text));
  return pid > 0;
}

void remove_stale(const fs::path& folder, std::string_view name) {
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    long pid = 0;
    const std::string entry = it->path().filename().string();
    if (!is_temp_of(entry, name, pid) || pid == long(::getpid()) || alive(pid)) continue;
    // Its writer is gone; a writer in another PID namespace would still
    // hold the lock.
    Fd fd(::open(it->path().c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    if (fd.fd < 0 || ::flock(fd.fd, LOCK_EX | LOCK_NB) != 0) continue;
    struct stat st {};
    if (::fstat(fd.fd, &st) != 0) continue;
    std::error_code ignore;
    if (S_ISDIR(st.st_mode))
      fs::remove_all(it->path(), ignore);
    else
      fs::remove(it->path(), ignore);
  }
}

namespace {

/// An exclusively created, locked temporary file of `name` in the folder
/// `dir_fd`: its descriptor and its name in that folder.
struct TempFile {
  Fd fd;
  std::string name;
};

/// Returns 0, or the errno of the last failed open() (EEXIST after 64 tries).
int create_temp_file(int dir_fd, std::string_view name, mode_t mode, TempFile& out) {
  for (int attempt = 0; attempt < 64; ++attempt) {
    std::string tmp = temp_name(name, "tmp");
    const int fd = ::openat(dir_fd, tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) {
      if (errno == EEXIST) continue;
      return errno;
    }
    out.fd = Fd(fd);
    out.name = std::move(tmp);
    ::flock(fd, LOCK_EX);  // a fresh file: nobody else can hold its lock
    return 0;
  }
  return EEXIST;
}

} // namespace

int replace_file_at(int dir_fd, const std::string& name, std::string_view text, const ReplaceOptions& options) {
  TempFile tmp;
  if (int err = create_temp_file(dir_fd, name, options.keep_mode ? 0600 : options.mode, tmp)) return err;
  int err = 0;
  if (options.keep_mode && ::fchmod(tmp.fd.fd, options.mode) != 0) err = errno;
  if (!err) err = write_all(tmp.fd.fd, text);
  if (!err && options.durable && ::fsync(tmp.fd.fd) != 0) err = errno;
  if (const int c = tmp.fd.close(); !err) err = c;
  if (!err && ::renameat(dir_fd, tmp.name.c_str(), dir_fd, name.c_str()) != 0) err = errno;
  if (err) {
    ::unlinkat(dir_fd, tmp.name.c_str(), 0);
    return err;
  }
  if (options.durable && ::fsync(dir_fd) != 0) return errno;
  return 0;
}

} // namespace ofmf::detail
