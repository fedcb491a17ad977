// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// OpenSM's partitions.conf (doc/partition-config.txt of OpenSM), read
/// into a PartitionPolicy.
///
///     # comment to the end of the line
///     [Name][=PKey][,ipoib][,indx0][,mtu=N][,rate=N][,sl=N][,scope=N]...
///         [,Q_Key=N][,TClass=N][,FlowLabel=N][,defmember=full|limited|both]
///         : member[=full|limited|both], ..., mgid=GID[,flag=N]... ;
///
/// What is read as OpenSM reads it:
/// - a statement may span lines and ends with `;`; white space is free
///   around `=`, `,`, `:` and `;`;
/// - PKey is hexadecimal (0x...) or decimal; the membership bit 0x8000 is
///   not part of the key (0x8001 and 0x0001 are one partition). A
///   definition that is only a number (`0x8001 : ...`) is the P_Key;
/// - a statement repeating a P_Key adds to that partition (its first name
///   is kept); a statement with a name and no P_Key adds to the partition
///   of that name, else gets a generated P_Key: the lowest from 0x0001 up
///   that no statement of the file names (OpenSM counts up the same way);
/// - members: port GUIDs, ALL, ALL_CAS, ALL_SWITCHES, ALL_ROUTERS, SELF,
///   NONE (nothing). Without `=membership` a member takes the statement's
///   defmember (default limited). The membership words may be shortened
///   (`limi`), as OpenSM allows;
/// - `mgid=GID` takes the rest of its line (up to the end of the line or
///   `;`): the group's flags, which default to the partition's;
/// - flags: mtu 1..5, rate 2..22, sl 0..15, scope 1..15 (repeatable: one
///   group per scope), Q_Key and FlowLabel (0..0xfffff), TClass 0..255;
///   `qkey`, `tclass` and `flowlabel` are accepted for Q_Key, TClass and
///   FlowLabel;
/// - the default partition 0x7fff is always there: without a statement for
///   it, `Default=0x7fff : ALL=limited, SELF=full ;` (OpenSM's rule with a
///   file; default_partition_policy() is the one without a file).
/// Stricter than OpenSM, which warns and goes on: an unknown flag or
/// membership, a value out of range, a bad GUID or MGID, a name over 64
/// bytes, a missing `:` or `;`, two definitions of one P_Key with
/// different flags, an IP multicast group whose P_Key, MTU or rate
/// contradicts its partition's, and an MGID listed twice are errors
/// ("FILE:LINE: what was expected"); nothing is returned then.

#include <filesystem>
#include <string_view>

#include "ofmf/error.hpp"
#include "ofmf/export.hpp"
#include "ofmf/sm/partitions.hpp"

namespace ofmf::sm {

/// Parses partitions.conf text. `source` names it in errors. Errors:
/// errc::parse_error ("SOURCE:LINE: ..."), errc::limit_exceeded (more
/// than 0x7ffe partitions, or text over 16 MiB).
OFMF_API Result<PartitionPolicy> parse_partitions_conf(std::string_view text, std::string_view source);

/// Reads and parses a file. Errors: errc::io_error (with the path and
/// the system's reason), those of parse_partitions_conf().
OFMF_API Result<PartitionPolicy> read_partitions_conf(const std::filesystem::path& path);

/// The policy as partitions.conf text that parse_partitions_conf() reads
/// back to the same policy (generated P_Keys written out).
OFMF_API std::string format_partitions_conf(const PartitionPolicy& policy);

} // namespace ofmf::sm
