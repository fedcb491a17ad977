// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Shared pieces of partition rules (lib/sm/detail/partition_rules.hpp).
#include "sm/detail/partition_rules.hpp"

#include <arpa/inet.h>

#include <cstdio>
#include <tuple>

namespace ofmf::sm::detail {

namespace {

struct FlagInfo {
  std::string_view conf, json, alias;
  std::uint64_t min, max;
  const char* range;
};

constexpr FlagInfo flag_info[flag_count] = {
    {"mtu", "mtu", "", 1, 5, "1..5 (256..4096 bytes)"},
    {"rate", "rate", "", 2, 22, "2..22 (an IBTA rate code)"},
    {"sl", "sl", "", 0, 15, "0..15"},
    {"scope", "scope", "", 1, 15, "1..15"},
    {"Q_Key", "qkey", "qkey", 0, 0xffffffff, "0..0xffffffff"},
    {"TClass", "tclass", "tclass", 0, 255, "0..255"},
    {"FlowLabel", "flow_label", "flowlabel", 0, 0xfffff, "0..0xfffff"},
};

const FlagInfo& info(Flag f) { return flag_info[unsigned(f)]; }

std::uint32_t value_of(const GroupFlags& g, Flag f) {
  switch (f) {
    case Flag::Mtu: return g.mtu;
    case Flag::Rate: return g.rate;
    case Flag::Sl: return g.sl;
    case Flag::Scope: return g.scope_mask;
    case Flag::QKey: return g.qkey;
    case Flag::TClass: return g.tclass;
    case Flag::FlowLabel: return g.flow_label;
  }
  return 0;
}

void assign(GroupFlags& g, Flag f, std::uint32_t v) {
  switch (f) {
    case Flag::Mtu: g.mtu = std::uint8_t(v); break;
    case Flag::Rate: g.rate = std::uint8_t(v); break;
    case Flag::Sl: g.sl = std::uint8_t(v); break;
    case Flag::Scope: g.scope_mask = std::uint16_t(v); break;
    case Flag::QKey: g.qkey = v; break;
    case Flag::TClass: g.tclass = std::uint8_t(v); break;
    case Flag::FlowLabel: g.flow_label = v; break;
  }
}

std::string hex(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

} // namespace

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

KeyValue key_value(std::string_view item) {
  const auto eq = item.find('=');
  if (eq == std::string_view::npos) return {trim(item), {}, false};
  return {trim(item.substr(0, eq)), trim(item.substr(eq + 1)), true};
}

std::optional<std::uint64_t> parse_number(std::string_view s) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  }
  std::uint64_t v = 0;
  for (char c : s) {
    unsigned d;
    if (c >= '0' && c <= '9') d = unsigned(c - '0');
    else if (base == 16 && c >= 'a' && c <= 'f') d = unsigned(c - 'a' + 10);
    else if (base == 16 && c >= 'A' && c <= 'F') d = unsigned(c - 'A' + 10);
    else return std::nullopt;
    if (v > (UINT64_MAX - d) / unsigned(base)) return std::nullopt;
    v = v * unsigned(base) + d;
  }
  return v;
}

std::optional<RuleMembership> parse_membership(std::string_view s) {
  if (s.empty()) return std::nullopt;
  for (auto m : {RuleMembership::Full, RuleMembership::Limited, RuleMembership::Both})
    if (to_string(m).substr(0, s.size()) == s) return m;
  return std::nullopt;
}

std::optional<MemberKind> member_kind(std::string_view s) {
  for (auto k : {MemberKind::All, MemberKind::AllCas, MemberKind::AllSwitches, MemberKind::AllRouters, MemberKind::Self})
    if (to_string(k) == s) return k;
  return std::nullopt;
}

std::optional<Flag> flag_of(std::string_view name) {
  for (unsigned i = 0; i < flag_count; ++i) {
    const FlagInfo& f = flag_info[i];
    if (name == f.conf || name == f.json || (!f.alias.empty() && name == f.alias)) return Flag(i);
  }
  return std::nullopt;
}

std::string_view json_name(Flag f) { return info(f).json; }
std::string_view conf_name(Flag f) { return info(f).conf; }

Result<void> set_flag(GroupFlags& flags, Flag f, std::uint64_t v) {
  const FlagInfo& i = info(f);
  if (v < i.min || v > i.max)
    return fail(errc::parse_error, std::string(i.conf) + " must be " + i.range + ", not " + std::to_string(v));
  if (f == Flag::Scope)
    flags.scope_mask = std::uint16_t(flags.scope_mask | (1u << v));
  else
    assign(flags, f, std::uint32_t(v));
  return {};
}

Result<void> set_flag(GroupFlags& flags, Flag f, std::string_view value) {
  const auto v = parse_number(value);
  if (!v)
    return fail(errc::parse_error, std::string(info(f).conf) + " must be a number " + info(f).range + ", not '" +
                                       std::string(value) + "'");
  return set_flag(flags, f, *v);
}

std::optional<Flag> first_difference(const GroupFlags& a, const GroupFlags& b, unsigned mask) {
  for (unsigned i = 0; i < flag_count; ++i)
    if ((mask >> i & 1u) && value_of(a, Flag(i)) != value_of(b, Flag(i))) return Flag(i);
  return std::nullopt;
}

void adopt(GroupFlags& to, const GroupFlags& from, unsigned mask) {
  for (unsigned i = 0; i < flag_count; ++i)
    if (mask >> i & 1u) assign(to, Flag(i), value_of(from, Flag(i)));
}

std::string describe(const GroupFlags& flags, Flag f) {
  if (f == Flag::Scope) {
    std::string s;
    for (unsigned k = 1; k < 16; ++k)
      if (flags.scope_mask >> k & 1u) s += (s.empty() ? "scope=" : ",scope=") + std::to_string(k);
    return s.empty() ? "no scope" : s;
  }
  const std::uint32_t v = value_of(flags, f);
  return std::string(info(f).conf) + "=" + (f == Flag::QKey ? hex(v) : std::to_string(v));
}

std::string format_flags(const GroupFlags& flags, const GroupFlags& base) {
  std::string s;
  for (unsigned i = 0; i < flag_count; ++i)
    if (value_of(flags, Flag(i)) != value_of(base, Flag(i)) && (Flag(i) != Flag::Scope || flags.scope_mask))
      s += "," + describe(flags, Flag(i));
  return s;
}

bool is_ip_group(const std::array<std::uint8_t, 16>& m) noexcept {
  return (m[2] == 0x40 || m[2] == 0x60) && m[3] == 0x1b;
}

std::uint16_t group_pkey(const std::array<std::uint8_t, 16>& m) noexcept {
  return std::uint16_t(m[4] << 8 | m[5]);
}

void set_group_pkey(std::array<std::uint8_t, 16>& m, std::uint16_t pkey) noexcept {
  m[4] = std::uint8_t(pkey >> 8);
  m[5] = std::uint8_t(pkey);
}

std::array<std::uint8_t, 16> broadcast_mgid(model::PKey pkey) noexcept {
  std::array<std::uint8_t, 16> m{0xff, 0x12, 0x40, 0x1b, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff};
  set_group_pkey(m, std::uint16_t(pkey | 0x8000));
  return m;
}

std::optional<GroupError> fill_group_pkeys(std::vector<GroupRule>& groups, model::PKey pkey) {
  const auto full = std::uint16_t(pkey | 0x8000);
  for (GroupRule& g : groups) {
    if (!is_ip_group(g.mgid)) continue;
    const std::uint16_t k = group_pkey(g.mgid);
    if (k == 0 || k == 0xffff) {
      set_group_pkey(g.mgid, full);
    } else if (k != full) {
      return GroupError{g.line, "IP multicast group " + format_gid(g.mgid) + " carries P_Key " + hex(k) +
                                    ", its partition is " + hex(full) + " (write 0 to take the partition's)"};
    }
  }
  return std::nullopt;
}

std::optional<std::string> bad_name(std::string_view name) {
  if (name.size() > max_name)
    return "is " + std::to_string(name.size()) + " bytes, at most " + std::to_string(max_name) + " allowed";
  for (char c : name)
    if (c < 0x20 || c > 0x7e || std::string_view(",:;=#").find(c) != std::string_view::npos)
      return std::string("may hold printable ASCII only, without , : ; = #");
  if (trim(name) != name) return std::string("may not begin or end with white space");
  return std::nullopt;
}

std::optional<GroupError> check_ip_groups(const PartitionRule& p) {
  for (const GroupRule& g : p.groups) {
    if (!is_ip_group(g.mgid)) continue;
    for (auto [what, have, want] : {std::tuple{"mtu", g.flags.mtu, p.flags.mtu}, std::tuple{"rate", g.flags.rate, p.flags.rate}})
      if (have != want)
        return GroupError{g.line, "IP multicast group " + format_gid(g.mgid) + " has " + what + " " + std::to_string(have) +
                                      ", its partition's broadcast group " + std::to_string(want)};
  }
  return std::nullopt;
}

PartitionRule implicit_default() {
  PartitionRule d;
  d.name = "Default";
  d.pkey = model::default_pkey;
  d.members = {{MemberKind::All, 0, RuleMembership::Limited, 0}, {MemberKind::Self, 0, RuleMembership::Full, 0}};
  return d;
}

} // namespace ofmf::sm::detail

namespace ofmf::sm {

std::optional<std::array<std::uint8_t, 16>> parse_gid(std::string_view s) {
  if (s.empty() || s.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  std::array<std::uint8_t, 16> g{};
  if (::inet_pton(AF_INET6, std::string(s).c_str(), g.data()) != 1) return std::nullopt;
  return g;
}

std::string format_gid(const std::array<std::uint8_t, 16>& gid) {
  char buf[INET6_ADDRSTRLEN];
  return ::inet_ntop(AF_INET6, gid.data(), buf, sizeof buf) ? std::string(buf) : std::string();
}

} // namespace ofmf::sm
