// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Private to the sm layer: the pieces of partition rules that the text
/// form, the JSON form and the resolver share (flag names, ranges,
/// membership words, GIDs).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "ofmf/error.hpp"
#include "ofmf/sm/partitions.hpp"

namespace ofmf::sm::detail {

/// Longest partition name (the model's limit).
inline constexpr std::size_t max_name = 64;
/// IPoIB groups' Q_Key when none is given.
inline constexpr std::uint32_t ipoib_qkey = 0x0b1b;

/// The multicast-group flags, one bit each in masks.
enum class Flag : unsigned { Mtu, Rate, Sl, Scope, QKey, TClass, FlowLabel };
inline constexpr unsigned flag_count = 7;

/// `s` without leading and trailing white space.
std::string trim(std::string_view s);

/// "key = value" split at the first '=' and trimmed; has_value says
/// whether there was a '='.
struct KeyValue {
  std::string key, value;
  bool has_value = false;
};
KeyValue key_value(std::string_view item);

/// A whole number, hexadecimal with 0x or decimal, nothing else around it.
std::optional<std::uint64_t> parse_number(std::string_view s);

/// full, limited, both or a non-empty beginning of one of them.
std::optional<RuleMembership> parse_membership(std::string_view s);

/// ALL, ALL_CAS, ALL_SWITCHES, ALL_ROUTERS, SELF.
std::optional<MemberKind> member_kind(std::string_view s);

/// The flag a name (as partitions.conf spells it, or the JSON name) is.
std::optional<Flag> flag_of(std::string_view name);
/// The JSON name of a flag ("mtu", "qkey", "flow_label").
std::string_view json_name(Flag f);
/// The partitions.conf name of a flag ("mtu", "Q_Key", "FlowLabel").
std::string_view conf_name(Flag f);

/// Sets flag `f` from its text value, checking its range (scope adds a
/// scope to the mask). The error message says what was expected.
Result<void> set_flag(GroupFlags& flags, Flag f, std::string_view value);
/// The same from a number.
Result<void> set_flag(GroupFlags& flags, Flag f, std::uint64_t value);

/// The first flag of `mask` whose value differs between a and b.
std::optional<Flag> first_difference(const GroupFlags& a, const GroupFlags& b, unsigned mask);
/// Copies the flags of `mask` from `from` into `to`.
void adopt(GroupFlags& to, const GroupFlags& from, unsigned mask);
/// "mtu=4" (scopes: "scope=2,scope=5").
std::string describe(const GroupFlags& flags, Flag f);
/// ",mtu=5,sl=1": the flags that differ from `base`, in partitions.conf form.
std::string format_flags(const GroupFlags& flags, const GroupFlags& base);

/// An IPv4 or IPv6 over IB group (signature 0x401b or 0x601b).
bool is_ip_group(const std::array<std::uint8_t, 16>& mgid) noexcept;
/// The P_Key an IP group's MGID carries (bytes 4 and 5).
std::uint16_t group_pkey(const std::array<std::uint8_t, 16>& mgid) noexcept;
void set_group_pkey(std::array<std::uint8_t, 16>& mgid, std::uint16_t pkey) noexcept;
/// The IPoIB broadcast group of a partition (ff12:401b:PKEY::ffff:ffff).
std::array<std::uint8_t, 16> broadcast_mgid(model::PKey pkey) noexcept;

/// Gives the IP groups of `groups` the partition's P_Key (full member
/// bit set) where they carry 0 or 0xffff. Error: the line and what is
/// wrong when an IP group names another P_Key.
struct GroupError {
  std::size_t line = 0;
  std::string what;
};
std::optional<GroupError> fill_group_pkeys(std::vector<GroupRule>& groups, model::PKey pkey);

/// Checks a partition name: at most max_name bytes of printable ASCII,
/// none of , : ; = #, no white space at either end. What is wrong with
/// it ("is 70 bytes, at most 64 allowed"), or nullopt.
std::optional<std::string> bad_name(std::string_view name);

/// Checks that the IP multicast groups of a partition have its broadcast
/// group's MTU and rate (as OpenSM requires).
std::optional<GroupError> check_ip_groups(const PartitionRule& p);

/// What makes two member rules the same rule (a repeated one adds nothing).
using MemberKey = std::tuple<MemberKind, model::Guid, RuleMembership>;
inline MemberKey member_key(const MemberRule& m) noexcept { return {m.kind, m.guid, m.membership}; }

/// `Default=0x7fff : ALL=limited, SELF=full ;`, OpenSM's default
/// partition when there is a partitions.conf.
PartitionRule implicit_default();

} // namespace ofmf::sm::detail
