// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// The subnet manager's state folder (OpenSM's OSM_CACHE_DIR): what a
/// restart needs to come back to the same subnet. Files:
/// - `guid2lid`: the LIDs of every port, by port GUID, so that LIDs stay
///   the same across restarts of the manager and reboots of nodes;
/// - `policy.json`: the last policy the manager accepted (partitions, in
///   the JSON form of partitions.hpp).
/// Every write is atomic and durable: a temporary file (created
/// exclusively, see ofmf/output.hpp), fsync, rename, fsync of the folder;
/// a file whose content would not change is not written. A file that does
/// not read back whole (truncated, corrupt, its checksum wrong) is set
/// aside as `NAME.corrupt-YYYYMMDDTHHMMSSZ` and reported, never trusted
/// half-way. The folder is locked (flock() of `lock` in it) by the one
/// manager that uses it.

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ofmf/error.hpp"
#include "ofmf/export.hpp"
#include "ofmf/model/fabric.hpp"

namespace ofmf::sm {

/// A port's LIDs: its base LID and LMC (2^lmc LIDs from the base).
struct LidRange {
  std::uint16_t base = 0;  ///< 1..0xbfff
  std::uint8_t lmc = 0;    ///< 0..7
  friend bool operator==(const LidRange&, const LidRange&) = default;
};

/// LIDs by port GUID (a switch by its node GUID: its port 0).
using Guid2Lid = std::map<model::Guid, LidRange>;

/// guid2lid text: `# ofmf guid2lid 1`, then one line per port as OpenSM
/// writes its guid2lid file (`0x0002c90300000001 0x0001 0x0001`: GUID,
/// first and last LID), then `# end N crc32=XXXXXXXX` (N lines, the CRC-32
/// of the lines between header and end).
OFMF_API std::string format_guid2lid(const Guid2Lid& lids);

/// Reads guid2lid text. Errors: errc::parse_error ("SOURCE:LINE: ...":
/// a bad line, a LID range that is not 2^lmc LIDs aligned on it, two
/// ports on one LID, a GUID twice), errc::inconsistent (no header, no end
/// line: truncated; a count or checksum that does not match).
OFMF_API Result<Guid2Lid> parse_guid2lid(std::string_view text, std::string_view source);

/// The LIDs the ports of `fabric` have now (ports with LID 0 left out).
OFMF_API Guid2Lid lids_of(const model::Fabric& fabric);

/// Gives the ports of `fabric` that `lids` names the LIDs it records, so
/// that routing keeps them (routing keeps LIDs set on ports). A LID
/// recorded for a port that is not in the fabric stays reserved: no
/// other port gets it from here. Returns the number of ports changed.
/// Errors: those of Fabric::set_port() (nothing is changed then).
OFMF_API Result<std::size_t> apply_lids(model::Fabric& fabric, const Guid2Lid& lids);

/// The state folder. Movable, not copyable; the lock goes with the object.
class OFMF_API StateDir {
 public:
  /// Opens (creating it, mode 0700, when missing) and locks `folder`.
  /// Errors: errc::busy (another manager holds it: the message says so),
  /// errc::io_error (cannot create, open or lock; with the system's reason).
  static Result<StateDir> open(const std::filesystem::path& folder);

  StateDir(StateDir&&) noexcept;
  StateDir& operator=(StateDir&&) noexcept;
  ~StateDir();

  const std::filesystem::path& path() const noexcept;

  /// What load() found.
  struct Loaded {
    Guid2Lid guid2lid;                 ///< empty when there was none
    std::optional<std::string> policy; ///< the text of policy.json, if any
    /// Files set aside and why ("guid2lid: truncated (no end line); set
    /// aside as guid2lid.corrupt-20261208T040102Z").
    std::vector<std::string> problems;
  };
  /// Reads the folder. A missing file is not a problem; a corrupt one is
  /// set aside and reported. Errors: errc::io_error when a file exists but
  /// cannot be read or set aside.
  Result<Loaded> load();

  /// Writes guid2lid when it differs from the file's content. Returns
  /// whether it wrote. Errors: errc::io_error (the old file is kept).
  Result<bool> save_guid2lid(const Guid2Lid& lids);
  /// Writes policy.json (the same rules).
  Result<bool> save_policy(std::string_view json);

 private:
  struct Impl;
  explicit StateDir(std::unique_ptr<Impl> impl) noexcept;
  std::unique_ptr<Impl> impl_;
};

} // namespace ofmf::sm
