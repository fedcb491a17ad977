// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "core/detail/temp_files.hpp"
#include "ofmf/output.hpp"
#include "skip.hpp"
#include "slurp.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using ofmf::errc;
using ofmf::make_error_code;
using ofmf::test::TempDir;
using ofmf::test::slurp;

namespace {

void put(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

/// Names in `dir`, sorted.
std::vector<std::string> names(const fs::path& dir) {
  std::vector<std::string> v;
  for (const auto& e : fs::directory_iterator(dir)) v.push_back(e.path().filename().string());
  std::sort(v.begin(), v.end());
  return v;
}

/// The PID of a process that has exited (and been reaped).
long gone_pid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  return long(child);
}

} // namespace

TEST_CASE("write_output: regular files are replaced atomically", "[core]") {
  TempDir tmp;
  const fs::path f = tmp.path / "out.txt";
  SECTION("a new file") {
    REQUIRE(ofmf::write_output(f, "one\n"));
    CHECK(slurp(f) == "one\n");
    CHECK(names(tmp.path) == std::vector<std::string>{"out.txt"});
  }
  SECTION("an existing file keeps its permission bits and gets a new inode") {
    put(f, "old");
    fs::permissions(f, fs::perms::owner_read | fs::perms::owner_write);
    struct stat before {};
    REQUIRE(::stat(f.c_str(), &before) == 0);
    REQUIRE(ofmf::write_output(f, "new"));
    struct stat after {};
    REQUIRE(::stat(f.c_str(), &after) == 0);
    CHECK(slurp(f) == "new");
    CHECK((after.st_mode & 07777) == 0600);
    CHECK(after.st_ino != before.st_ino);
    CHECK(names(tmp.path) == std::vector<std::string>{"out.txt"});
  }
  SECTION("a folder, a missing folder or a path ending in / is refused") {
    auto r = ofmf::write_output(tmp.path, "x");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == make_error_code(errc::invalid_argument));
    CHECK(r.error().message.find("is a folder") != std::string::npos);
    auto m = ofmf::write_output(tmp.path / "no-such-dir" / "f", "x");
    REQUIRE_FALSE(m);
    CHECK(m.error().code == make_error_code(errc::io_error));
    CHECK(m.error().message.find("No such file or directory") != std::string::npos);
    CHECK_FALSE(ofmf::write_output(tmp.path / "sub/", "x"));
    CHECK(names(tmp.path).empty());
  }
}

TEST_CASE("write_output: devices and FIFOs are written through, never replaced", "[core]") {
  TempDir tmp;
  SECTION("a character device") {
    const fs::path null = tmp.path / "mynull";
    if (::mknod(null.c_str(), S_IFCHR | 0666, makedev(1, 3)) != 0) SKIP("mknod needs CAP_MKNOD");
    REQUIRE(ofmf::write_output(null, "text"));
    struct stat st {};
    REQUIRE(::lstat(null.c_str(), &st) == 0);
    CHECK(S_ISCHR(st.st_mode));
    CHECK(st.st_rdev == makedev(1, 3));
    CHECK(names(tmp.path) == std::vector<std::string>{"mynull"});
  }
  SECTION("/dev/null itself stays a device") {
    REQUIRE(ofmf::write_output("/dev/null", "text"));
    struct stat st {};
    REQUIRE(::lstat("/dev/null", &st) == 0);
    CHECK(S_ISCHR(st.st_mode));
  }
  SECTION("a FIFO") {
    const fs::path fifo = tmp.path / "f";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::string got;
    std::thread reader([&] { got = slurp(fifo); });
    auto w = ofmf::write_output(fifo, "through the pipe\n");
    reader.join();
    REQUIRE(w);
    CHECK(got == "through the pipe\n");
    struct stat st {};
    REQUIRE(::lstat(fifo.c_str(), &st) == 0);
    CHECK(S_ISFIFO(st.st_mode));
  }
  SECTION("/dev/fd/N and - write to the open descriptor") {
    int p[2];
    REQUIRE(::pipe(p) == 0);
    REQUIRE(ofmf::write_output("/dev/fd/" + std::to_string(p[1]), "abc"));
    REQUIRE(ofmf::write_output("/proc/self/fd/" + std::to_string(p[1]), "def"));
    // "-" is standard output: point fd 1 at the pipe for the call.
    std::fflush(stdout);  // what the test runner printed stays on its output
    const int saved = ::dup(1);
    ::dup2(p[1], 1);
    auto dash = ofmf::write_output("-", "ghi");
    ::dup2(saved, 1);
    ::close(saved);
    ::close(p[1]);
    REQUIRE(dash);
    char buf[16] = {};
    CHECK(::read(p[0], buf, sizeof buf) == 9);
    ::close(p[0]);
    CHECK(std::string(buf) == "abcdefghi");
  }
}

TEST_CASE("write_output: symbolic links are resolved, never replaced by a file", "[core]") {
  TempDir tmp;
  const fs::path target = tmp.path / "real.txt", link = tmp.path / "link.txt";
  SECTION("a link to a file: the file is replaced, the link stays") {
    put(target, "old");
    fs::create_symlink("real.txt", link);
    REQUIRE(ofmf::write_output(link, "new"));
    CHECK(fs::is_symlink(link));
    CHECK(slurp(target) == "new");
  }
  SECTION("a chain of links into another folder") {
    fs::create_directory(tmp.path / "sub");
    put(tmp.path / "sub" / "deep.txt", "old");
    fs::create_symlink("sub/deep.txt", tmp.path / "a");
    fs::create_symlink(tmp.path / "a", link);
    REQUIRE(ofmf::write_output(link, "new"));
    CHECK(slurp(tmp.path / "sub" / "deep.txt") == "new");
    CHECK(fs::is_symlink(tmp.path / "a"));
    CHECK(names(tmp.path / "sub") == std::vector<std::string>{"deep.txt"});
  }
  SECTION("a link to a missing file is refused and nothing is created") {
    fs::create_symlink("missing.txt", link);
    auto r = ofmf::write_output(link, "x");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == make_error_code(errc::not_found));
    CHECK(r.error().message.find("missing.txt") != std::string::npos);
    CHECK_FALSE(fs::exists(tmp.path / "missing.txt"));
  }
  SECTION("a loop of links is an error") {
    fs::create_symlink("b", tmp.path / "a");
    fs::create_symlink("a", tmp.path / "b");
    auto r = ofmf::write_output(tmp.path / "a", "x");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == make_error_code(errc::io_error));
  }
  SECTION("a planted link at an old temporary name is left alone") {
    put(target, "keep");
    fs::create_symlink("real.txt", tmp.path / "out.txt.tmp");
    REQUIRE(ofmf::write_output(tmp.path / "out.txt", "data"));
    CHECK(slurp(target) == "keep");
    CHECK(fs::is_symlink(tmp.path / "out.txt.tmp"));
    CHECK(slurp(tmp.path / "out.txt") == "data");
  }
}

TEST_CASE("write_output: temporaries a killed writer left are removed", "[core]") {
  TempDir tmp;
  const fs::path f = tmp.path / "out.txt";
  const std::string dead = "out.txt.ofmf-tmp-" + std::to_string(gone_pid()) + "-0123456789abcdef";
  const std::string dead_folder = "out.txt.ofmf-old-" + std::to_string(gone_pid()) + "-fedcba9876543210";
  const std::string live = "out.txt.ofmf-tmp-1-00000000000000aa";  // PID 1 is running
  const std::string locked = "out.txt.ofmf-tmp-" + std::to_string(gone_pid()) + "-00000000000000bb";
  const std::string other = "other.txt.ofmf-tmp-" + std::to_string(gone_pid()) + "-00000000000000cc";
  for (const auto& n : {dead, live, locked, other}) put(tmp.path / n, "partial");
  fs::create_directories(tmp.path / dead_folder / "redfish" / "v1");
  // A writer in another PID namespace would hold the lock.
  ofmf::detail::Fd holder(::open((tmp.path / locked).c_str(), O_RDONLY | O_CLOEXEC));
  REQUIRE(::flock(holder.fd, LOCK_EX) == 0);
  REQUIRE(ofmf::write_output(f, "done"));
  CHECK(slurp(f) == "done");
  auto left = names(tmp.path);
  std::vector<std::string> want{live, locked, "out.txt", other};
  std::sort(want.begin(), want.end());
  CHECK(left == want);
}

TEST_CASE("Temporary names: recognised only for their own target", "[core]") {
  long pid = 0;
  const std::string n = ofmf::detail::temp_name("a.dump", "tmp");
  CHECK(ofmf::detail::is_temp_of(n, "a.dump", pid));
  CHECK(pid == long(::getpid()));
  CHECK_FALSE(ofmf::detail::is_temp_of(n, "a", pid));
  CHECK_FALSE(ofmf::detail::is_temp_of("a.dump.ofmf-tmp-12-0123", "a.dump", pid));
  CHECK_FALSE(ofmf::detail::is_temp_of("a.dump.ofmf-new-12-0123456789abcdef", "a.dump", pid));
  CHECK_FALSE(ofmf::detail::is_temp_of("a.dump.ofmf-tmp-x-0123456789abcdef", "a.dump", pid));
  CHECK(ofmf::detail::is_temp_of("a.dump.ofmf-old-12-0123456789abcdef", "a.dump", pid));
  CHECK(pid == 12);
  CHECK(ofmf::detail::temp_name("a", "tmp") != ofmf::detail::temp_name("a", "tmp"));
}
