// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Partitions as policy (desired state): the rules of OpenSM's
/// partitions.conf, held as values, resolved against a fabric into the
/// model's partitions and the multicast groups they ask for. The text
/// form is partitions_conf.hpp; the JSON form is partitions_to_json() /
/// partitions_from_json() below.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ofmf/error.hpp"
#include "ofmf/export.hpp"
#include "ofmf/model/fabric.hpp"
#include "ofmf/model/types.hpp"

namespace ofmf::sm {

/// Membership a rule asks for. `Both` (a full and a limited P_Key entry in
/// OpenSM with allow_both_pkeys) is programmed as full membership, as
/// OpenSM does by default.
enum class RuleMembership : std::uint8_t { Limited = 0, Full = 1, Both = 2 };

/// What a member rule names.
enum class MemberKind : std::uint8_t {
  Port,         ///< one port GUID (a switch by its node GUID: its port 0)
  All,          ///< every end port: channel adapters, routers, switch port 0
  AllCas,       ///< every channel-adapter port
  AllSwitches,  ///< every switch's port 0
  AllRouters,   ///< every router port
  Self,         ///< the subnet manager's own port
};

/// "ALL", "ALL_CAS", ..., "" for MemberKind::Port.
OFMF_API std::string_view to_string(MemberKind kind) noexcept;
/// "limited", "full", "both".
OFMF_API std::string_view to_string(RuleMembership membership) noexcept;

/// One member specifier of a partition ("0x0002c903000a1b2c=full", "ALL").
struct MemberRule {
  MemberKind kind = MemberKind::Port;
  model::Guid guid = 0;  ///< MemberKind::Port only
  RuleMembership membership = RuleMembership::Limited;
  std::size_t line = 0;  ///< where it was written (0: not from a file)
  /// What the rule asks for; where it was written does not count.
  friend bool operator==(const MemberRule& a, const MemberRule& b) noexcept {
    return a.kind == b.kind && a.guid == b.guid && a.membership == b.membership;
  }
};

/// Multicast group parameters (partition flags and mgroup flags), with
/// OpenSM's defaults. Values are the IBTA encodings (mtu 4 = 2048 bytes,
/// rate 3 = 10 Gb/s).
struct GroupFlags {
  std::uint8_t mtu = 4;            ///< 1..5
  std::uint8_t rate = 3;           ///< 2..22 (IBTA static rate codes)
  std::uint8_t sl = 0;             ///< 0..15
  std::uint16_t scope_mask = 0;    ///< bit s set: a group of scope s (1..15); 0 = the MGID's own scope
  std::uint32_t qkey = 0;          ///< 0 = default (0x0b1b for IP groups)
  std::uint8_t tclass = 0;
  std::uint32_t flow_label = 0;    ///< 0..0xfffff
  friend bool operator==(const GroupFlags&, const GroupFlags&) = default;
};

/// A multicast group line ("mgid=ff12:401b::1,sl=1").
struct GroupRule {
  std::array<std::uint8_t, 16> mgid{};  ///< network order; mgid[0] == 0xff
  GroupFlags flags;
  std::size_t line = 0;
  /// The group and its flags; where it was written does not count.
  friend bool operator==(const GroupRule& a, const GroupRule& b) noexcept {
    return a.mgid == b.mgid && a.flags == b.flags;
  }
};

/// One partition: every statement of the file with its P_Key, merged.
struct PartitionRule {
  std::string name;          ///< at most 64 bytes; the first statement's name
  model::PKey pkey = 0;      ///< 0x0001..0x7fff (the membership bit is not part of it)
  bool pkey_generated = false;  ///< no P_Key was written: generated (see parse_partitions_conf())
  bool ipoib = false;        ///< an IPoIB broadcast group is created
  bool indx0 = false;        ///< the P_Key goes to index 0 of the P_Key table
  GroupFlags flags;          ///< of the broadcast group; inherited by the groups below
  std::vector<MemberRule> members;  ///< in the order written
  std::vector<GroupRule> groups;    ///< mgid lines
  std::size_t line = 0;      ///< first statement
  /// What the partition asks for: not where it was written, nor whether
  /// its P_Key was generated (a policy written out and read back is equal).
  friend bool operator==(const PartitionRule& a, const PartitionRule& b) noexcept {
    return a.name == b.name && a.pkey == b.pkey && a.ipoib == b.ipoib && a.indx0 == b.indx0 &&
           a.flags == b.flags && a.members == b.members && a.groups == b.groups;
  }
};

/// The partition policy: rules ordered by P_Key, each P_Key once.
struct PartitionPolicy {
  std::vector<PartitionRule> partitions;
  friend bool operator==(const PartitionPolicy&, const PartitionPolicy&) = default;

  /// The partition with `pkey`, or nullptr.
  const PartitionRule* find(model::PKey pkey) const noexcept;
};

/// OpenSM's policy when there is no partitions.conf: every port a full
/// member of the default partition, with its IPoIB broadcast group. Equal
/// to what parse_partitions_conf() makes of `Default=0x7fff,ipoib :
/// ALL=full ;` (OpenSM's own ALL=limited, SELF=full come first, and full
/// membership wins).
OFMF_API PartitionPolicy default_partition_policy();

/// A multicast group a policy asks for, resolved: the MGID with the
/// partition's P_Key in IP groups' P_Key bits and one group per scope.
struct MulticastGroup {
  std::array<std::uint8_t, 16> mgid{};
  model::PKey pkey = 0;
  std::uint8_t mtu = 4, rate = 3, sl = 0, tclass = 0;
  std::uint32_t qkey = 0;
  std::uint32_t flow_label = 0;
  friend bool operator==(const MulticastGroup&, const MulticastGroup&) = default;
};

/// The IPv6 text of an MGID ("ff12:401b:ffff::1").
OFMF_API std::string format_gid(const std::array<std::uint8_t, 16>& gid);
/// A GID from its IPv6 text; nullopt when it is not one.
OFMF_API std::optional<std::array<std::uint8_t, 16>> parse_gid(std::string_view text);

/// What resolve_partitions() makes of a policy on a fabric.
struct ResolvedPartitions {
  /// Partitions with at least one member present, ordered by P_Key; each
  /// port once (full membership wins over limited, as in OpenSM).
  std::vector<model::Partition> partitions;
  std::vector<MulticastGroup> groups;  ///< of the partitions kept
  /// P_Keys to place at index 0 of P_Key tables (indx0).
  std::vector<model::PKey> index0;
  /// Port GUIDs not in the fabric, partitions left without members,
  /// `both` programmed as full: one line each, for people.
  std::vector<std::string> warnings;
};

/// Resolves `policy` on the ports `fabric` has now. `sm_port` is the
/// subnet manager's port GUID (SELF; 0: SELF names nothing).
OFMF_API ResolvedPartitions resolve_partitions(const PartitionPolicy& policy, const model::Fabric& fabric,
                                               model::Guid sm_port);

/// The JSON form of a policy:
/// `{"partitions": [{"name", "pkey": "0x8001"..., "ipoib", "indx0", "mtu",
/// "rate", "sl", "scope": [2], "qkey", "tclass", "flow_label",
/// "members": [{"port": "ALL"|"0x..."," membership": "full"}],
/// "groups": [{"mgid": "ff12::1", ...flags}]}]}` (pkey_generated is
/// "pkey_generated": true; lines are not kept).
OFMF_API std::string partitions_to_json(const PartitionPolicy& policy);

/// Reads the JSON form. Members' and groups' flags default to their
/// partition's; the same checks as the text form. Errors:
/// errc::parse_error naming `source` and the JSON pointer of the value
/// ("policy.json: /partitions/1/members/0/membership: expected full,
/// limited or both").
OFMF_API Result<PartitionPolicy> partitions_from_json(std::string_view text, std::string_view source);

} // namespace ofmf::sm
