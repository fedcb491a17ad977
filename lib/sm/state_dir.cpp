// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// The subnet manager's state folder (ofmf/sm/state_dir.hpp).
#include "ofmf/sm/state_dir.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <ctime>
#include <set>

#include "core/detail/fd.hpp"
#include "core/detail/file_io.hpp"
#include "core/detail/json_parse.hpp"
#include "core/detail/temp_files.hpp"
#include "sm/detail/partition_rules.hpp"

namespace ofmf::sm {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view header = "# ofmf guid2lid 1\n";
constexpr std::size_t max_file = std::size_t(64) << 20;
constexpr std::uint16_t max_unicast = 0xbfff;

std::uint32_t crc32(std::string_view data) {
  static const auto table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t c = 0xffffffffu;
  for (unsigned char b : data) c = table[(c ^ b) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

std::string utc_stamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

} // namespace

std::string format_guid2lid(const Guid2Lid& lids) {
  std::string body;
  body.reserve(lids.size() * 36);
  char line[64];
  for (const auto& [guid, r] : lids) {
    const unsigned last = unsigned(r.base) + (1u << r.lmc) - 1;
    std::snprintf(line, sizeof line, "0x%016llx 0x%04x 0x%04x\n", static_cast<unsigned long long>(guid), unsigned(r.base),
                  last);
    body += line;
  }
  std::snprintf(line, sizeof line, "# end %zu crc32=%08x\n", lids.size(), unsigned(crc32(body)));
  return std::string(header) + body + line;
}

Result<Guid2Lid> parse_guid2lid(std::string_view text, std::string_view source) {
  const std::string src(source);
  if (text.substr(0, header.size()) != header)
    return fail(errc::inconsistent, src + ": not an ofmf guid2lid file (no '" + std::string(header.substr(0, header.size() - 1)) + "' line)");
  Guid2Lid out;
  std::set<std::uint16_t> used;
  std::size_t pos = header.size(), line_no = 1, body_begin = header.size();
  auto err = [&](const std::string& what) { return fail(errc::parse_error, src + ":" + std::to_string(line_no) + ": " + what); };
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    ++line_no;
    if (nl == std::string_view::npos)
      return fail(errc::inconsistent, src + ":" + std::to_string(line_no) + ": truncated (the last line has no end)");
    const std::string_view line = text.substr(pos, nl - pos);
    if (line.substr(0, 6) == "# end ") {
      unsigned long long count = 0;
      unsigned crc = 0;
      char tail = 0;
      const std::string l(line);
      if (std::sscanf(l.c_str(), "# end %llu crc32=%8x%c", &count, &crc, &tail) != 2)
        return err("expected '# end N crc32=XXXXXXXX'");
      if (count != out.size())
        return fail(errc::inconsistent, src + ": the end line counts " + std::to_string(count) + " ports, the file has " +
                                            std::to_string(out.size()));
      if (crc != crc32(text.substr(body_begin, pos - body_begin)))
        return fail(errc::inconsistent, src + ": the checksum does not match: the file is corrupt");
      if (nl + 1 != text.size()) return err("text after the end line");
      return out;
    }
    const auto a = line.find(' '), b = a == std::string_view::npos ? a : line.find(' ', a + 1);
    if (b == std::string_view::npos) return err("expected 'GUID FIRST-LID LAST-LID'");
    const auto g = detail::parse_number(line.substr(0, a));
    const auto lo = detail::parse_number(line.substr(a + 1, b - a - 1));
    const auto hi = detail::parse_number(line.substr(b + 1));
    if (!g || *g == 0) return err("bad port GUID '" + std::string(line.substr(0, a)) + "'");
    if (!lo || !hi || *lo == 0 || *hi < *lo || *hi > max_unicast)
      return err("bad LID range '" + std::string(line.substr(a + 1)) + "' (unicast LIDs 0x0001..0xbfff)");
    const std::uint64_t n = *hi - *lo + 1;
    std::uint8_t lmc = 0;
    while ((1u << lmc) < n) ++lmc;
    if ((1u << lmc) != n || lmc > 7 || (*lo & (n - 1)) != 0)
      return err("LIDs " + std::string(line.substr(a + 1)) + " are not 2^LMC LIDs aligned on their first");
    for (std::uint64_t l = *lo; l <= *hi; ++l)
      if (!used.insert(std::uint16_t(l)).second) return err("LID " + std::to_string(l) + " is given to two ports");
    if (!out.emplace(*g, LidRange{std::uint16_t(*lo), lmc}).second)
      return err("port GUID " + model::format_guid(*g) + " is listed twice");
    pos = nl + 1;
  }
  return fail(errc::inconsistent, src + ": truncated (no end line)");
}

Guid2Lid lids_of(const model::Fabric& fabric) {
  Guid2Lid out;
  for (model::NodeId id : fabric.nodes()) {
    const auto n = fabric.node(id);
    if (!n) continue;
    const bool sw = n->type == model::NodeType::Switch;
    for (std::size_t p = sw ? 0 : 1; p < (sw ? std::size_t(1) : n->ports.size()); ++p) {
      const auto& a = n->ports[p].attributes;
      if (a.lid != 0) out[sw ? n->guid : a.guid] = {a.lid, sw ? std::uint8_t(0) : a.lmc};
    }
  }
  return out;
}

Result<std::size_t> apply_lids(model::Fabric& fabric, const Guid2Lid& lids) {
  // Validate every change first, then apply: all or nothing.
  std::vector<std::pair<model::PortRef, model::PortAttributes>> changes;
  for (const auto& [guid, r] : lids) {
    const auto ref = fabric.find_port(guid);
    if (!ref) continue;
    auto port = fabric.port(*ref);
    if (!port) return fail(port.error());
    model::PortAttributes a = port->attributes;
    if (a.lid == r.base && a.lmc == r.lmc) continue;
    a.lid = r.base;
    a.lmc = r.lmc;
    changes.emplace_back(*ref, a);
  }
  // Ports the file does not name but whose LID it gives to another port
  // lose that LID, so that routing assigns them a free one.
  std::set<std::uint16_t> taken;
  for (const auto& [guid, r] : lids)
    for (unsigned k = 0; k < (1u << r.lmc); ++k) taken.insert(std::uint16_t(r.base + k));
  for (const auto& [guid, r] : lids_of(fabric)) {
    if (lids.count(guid)) continue;
    bool clash = false;
    for (unsigned k = 0; k < (1u << r.lmc) && !clash; ++k) clash = taken.count(std::uint16_t(r.base + k)) > 0;
    if (!clash) continue;
    const auto ref = fabric.find_port(guid);
    auto port = fabric.port(*ref);
    if (!port) return fail(port.error());
    model::PortAttributes a = port->attributes;
    a.lid = 0;
    changes.emplace_back(*ref, a);
  }
  model::Fabric copy = fabric;
  for (const auto& [ref, a] : changes)
    if (auto r = copy.set_port(ref, a); !r) return fail(r.error());
  for (const auto& [ref, a] : changes) (void)fabric.set_port(ref, a);
  return changes.size();
}

// ---------------------------------------------------------------------------

struct StateDir::Impl {
  fs::path path;
  ofmf::detail::Fd dir, lock;

  Result<std::optional<std::string>> read(const char* name) const {
    ofmf::detail::Fd fd(::openat(dir.fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (fd.fd < 0) {
      if (errno == ENOENT) return std::optional<std::string>();
      return ofmf::detail::io_failure("cannot open", path / name, errno);
    }
    std::string text;
    // A file above the limit is read no further; it is parsed as corrupt.
    if (int err = ofmf::detail::read_all(fd.fd, max_file, text)) return ofmf::detail::io_failure("cannot read", path / name, err);
    return std::optional<std::string>(std::move(text));
  }

  /// Renames a corrupt file out of the way; the problem line for it.
  Result<std::string> set_aside(const char* name, const std::string& why) const {
    std::string aside = std::string(name) + ".corrupt-" + utc_stamp();
    for (int k = 1; ::faccessat(dir.fd, aside.c_str(), F_OK, AT_SYMLINK_NOFOLLOW) == 0; ++k)
      aside = std::string(name) + ".corrupt-" + utc_stamp() + "-" + std::to_string(k);
    if (::renameat(dir.fd, name, dir.fd, aside.c_str()) != 0) return ofmf::detail::io_failure("cannot set aside", path / name, errno);
    ::fsync(dir.fd);
    return std::string(name) + ": " + why + "; set aside as " + aside;
  }

  Result<bool> save(const char* name, std::string_view text) {
    auto current = read(name);
    if (current && *current && **current == text) return false;
    ofmf::detail::ReplaceOptions o;
    o.mode = 0600;
    if (int err = ofmf::detail::replace_file_at(dir.fd, name, text, o)) return ofmf::detail::io_failure("cannot write", path / name, err);
    return true;
  }
};

StateDir::StateDir(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
StateDir::StateDir(StateDir&&) noexcept = default;
StateDir& StateDir::operator=(StateDir&&) noexcept = default;
StateDir::~StateDir() = default;

const fs::path& StateDir::path() const noexcept { return impl_->path; }

Result<StateDir> StateDir::open(const fs::path& folder) {
  auto impl = std::make_unique<Impl>();
  impl->path = folder;
  if (::mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST) return ofmf::detail::io_failure("cannot create the state folder", folder, errno);
  impl->dir = ofmf::detail::Fd(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (impl->dir.fd < 0) return ofmf::detail::io_failure("cannot open the state folder", folder, errno);
  impl->lock = ofmf::detail::Fd(::openat(impl->dir.fd, "lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (impl->lock.fd < 0) return ofmf::detail::io_failure("cannot open the lock of", folder, errno);
  if (::flock(impl->lock.fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK)
      return fail(errc::busy, "the state folder '" + folder.string() + "' is in use by another manager");
    return ofmf::detail::io_failure("cannot lock", folder / "lock", errno);
  }
  for (const char* name : {"guid2lid", "policy.json"}) ofmf::detail::remove_stale(folder, name);
  return StateDir(std::move(impl));
}

Result<StateDir::Loaded> StateDir::load() {
  Loaded out;
  auto g = impl_->read("guid2lid");
  if (!g) return fail(g.error());
  if (*g) {
    auto parsed = parse_guid2lid(**g, (impl_->path / "guid2lid").string());
    if (parsed) {
      out.guid2lid = std::move(*parsed);
    } else {
      auto p = impl_->set_aside("guid2lid", parsed.error().message);
      if (!p) return fail(p.error());
      out.problems.push_back(*p);
    }
  }
  auto pol = impl_->read("policy.json");
  if (!pol) return fail(pol.error());
  if (*pol) {
    auto parsed = ofmf::detail::parse_json(**pol, (impl_->path / "policy.json").string());
    if (parsed && parsed->is_object()) {
      out.policy = std::move(**pol);
    } else {
      auto p = impl_->set_aside("policy.json", parsed ? "not a JSON object" : parsed.error().message);
      if (!p) return fail(p.error());
      out.problems.push_back(*p);
    }
  }
  return out;
}

Result<bool> StateDir::save_guid2lid(const Guid2Lid& lids) { return impl_->save("guid2lid", format_guid2lid(lids)); }

Result<bool> StateDir::save_policy(std::string_view json) { return impl_->save("policy.json", json); }

} // namespace ofmf::sm
