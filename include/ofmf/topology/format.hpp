// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Topology file formats: the text infiniband-diags' `ibnetdiscover`
/// prints, ibsim's netfile, and Graphviz DOT (export only).
///
/// Parsers never return a partly built model: on any error they return the
/// Error (errc::parse_error, errc::inconsistent or errc::limit_exceeded)
/// whose message starts with "<source_name>:<line>: " and says what was
/// expected and what was found:
///  - errc::limit_exceeded: input above ReadOptions::max_bytes (the line is
///    the one holding the first byte over the limit);
///  - errc::inconsistent: the input contradicts itself: a node ID or GUID
///    declared twice, a port listed twice, asymmetric links (the message
///    names both lines), a port GUID that differs from the one declared;
///  - errc::parse_error: everything else (malformed or truncated lines, NUL
///    bytes, lines longer than ReadOptions::max_line_bytes, numbers that
///    overflow, port numbers 0 or above the node's port count, links to
///    undeclared nodes, values the model refuses), and a text without any
///    node unless ReadOptions::allow_empty (the message is then
///    "<source_name>: no nodes", without a line).
///
/// Ports that a port line links get PortState::Active and
/// PhysState::LinkUp; other attributes keep the NodeSpec defaults unless
/// the format carries them.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "ofmf/error.hpp"
#include "ofmf/export.hpp"
#include "ofmf/model/fabric.hpp"

namespace ofmf::topology {

/// Formats the library reads and writes.
enum class Format {
  Ibnetdiscover,  ///< `ibnetdiscover` output (read and write)
  Netfile,        ///< ibsim netfile (read and write)
  Dot,            ///< Graphviz DOT (write only)
};

struct ReadOptions {
  /// Name used in error messages ("<source_name>:<line>: ...").
  std::string source_name = "<input>";
  /// Inputs larger than this are refused with errc::limit_exceeded.
  std::size_t max_bytes = std::size_t{1} << 30;
  /// Most ports (over all nodes, port 0 of switches included) a file may
  /// declare. A header line of a few bytes declares up to 254 ports, so
  /// this, not max_bytes, bounds the memory a hostile file can make the
  /// parser use: past it, errc::limit_exceeded names the header's line.
  std::size_t max_ports = std::size_t{1} << 24;
  /// Longest line accepted, in bytes (without the line break). The longest
  /// line `ibnetdiscover` prints is under 300 bytes (node descriptions are
  /// at most 64 bytes); a longer line is not a topology line and is refused
  /// with errc::parse_error naming it. read_topology() stops reading there.
  std::size_t max_line_bytes = 4096;
  /// Accept a text without any node (empty, or only comments and blank
  /// lines) as an empty fabric. When false (the default), such a text is
  /// refused with errc::parse_error "<source_name>: no nodes".
  bool allow_empty = false;
};

/// Parses `ibnetdiscover` text: node records (vendid/devid/sysimgguid,
/// switchguid/caguid/rtguid lines, `Switch|Ca|Rt N "id"` headers with
/// their `# "description" ... lid L lmc M` comments) and port lines
/// (`[p](portguid) "remote-id"[rp](remote portguid) # ... lid L 4xQDR`).
/// Node descriptions come from the header comments, LIDs from the lid/lmc
/// annotations, width and speed from the port comments. Links must agree
/// from both sides when both sides list them; a link listed on one side
/// only is accepted. Node IDs only name nodes inside the text; without a
/// guid line, an ID of the form S-/H-/R-<16 hex digits> gives the GUID.
OFMF_API Result<model::Fabric> parse_ibnetdiscover(std::string_view text, const ReadOptions& options = {});

/// Writes the fabric as `ibnetdiscover` prints it, parseable by
/// parse_ibnetdiscover() and by infiniband-diags tools that read topology
/// files (e.g. `iblinkinfo --load-cache` does not, but `ibnetdiscover`-style
/// consumers such as ibsim do).
OFMF_API std::string write_ibnetdiscover(const model::Fabric& fabric);

/// Parses an ibsim netfile (`Switch N "id"`, `Hca N "id"`, `[p] "id"[rp]`,
/// optional `switchguid=` / `caguid=` / `rtguid=` lines, `# ...` comments).
/// Node IDs become descriptions (1..64 bytes, no control characters, '"',
/// '#' or '@', as ibsim requires); GUIDs follow ibsim's defaults when not
/// given: switches from 0x200000 +1 each, channel adapters and routers from
/// 0x100000 +(ports+1) each, a guid line resets the counter of its type. A
/// `lid N <w>x<SPEED>` annotation after the last quote of a port line sets
/// width and speed (default 4xSDR, as in ibsim). LIDs are not read (ibsim
/// ignores them too).
OFMF_API Result<model::Fabric> parse_netfile(std::string_view text, const ReadOptions& options = {});

/// Writes an ibsim netfile that ibsim loads as it is: every node preceded by
/// its `switchguid=`/`caguid=` line so GUIDs survive, each link written
/// from both sides with `lid N <w>x<SPEED>` annotations. Node IDs are the
/// descriptions when all of them are unique and valid IDs (see
/// parse_netfile()), else "S-<guid>" / "H-<guid>" / "R-<guid>" for every
/// node. Switches come first (ibsim attaches clients to the first node).
/// Port GUIDs other than node GUID + port, system image GUIDs and vendor
/// and device IDs cannot be expressed. ibsim 0.10 knows speeds up to HDR
/// and shows EDR/FDR10 as QDR; it loads NDR/XDR with a warning.
OFMF_API std::string write_netfile(const model::Fabric& fabric);

/// Graphviz DOT: one vertex per node (switches as boxes), one edge per link
/// labelled with the port numbers.
OFMF_API std::string write_dot(const model::Fabric& fabric);

/// "ibnetdiscover", "netfile", "dot" (case-sensitive); nullopt otherwise.
OFMF_API std::optional<Format> parse_format_name(std::string_view name) noexcept;
OFMF_API std::string_view to_string(Format f) noexcept;
/// By extension: .ibnd/.ibnet/.topo/.txt -> Ibnetdiscover, .net -> Netfile,
/// .dot/.gv -> Dot.
OFMF_API std::optional<Format> format_from_path(const std::filesystem::path& path);
/// By content (the first 64 KiB): a "# Topology file" header, a
/// `switchguid=` value followed by a port GUID in parentheses, a port GUID
/// in parentheses after a port number, or quoted IDs of the form
/// S-/H-/R-<16 hex digits> mean Ibnetdiscover; anything else is Netfile.
OFMF_API Format detect_format(std::string_view text) noexcept;

/// Reads a file; the format is taken from `format`, else the extension,
/// else the content. A default source_name is replaced by the path.
/// Errors: errc::io_error (cannot read; the message has the path and
/// errno's text), errc::limit_exceeded (file above max_bytes, refused
/// before reading), errc::not_supported (DOT cannot be read), parser errors.
/// Reading stops at the first line that no topology line can be (a NUL
/// byte, a line longer than max_line_bytes, a line that is neither blank,
/// a comment, a node header, a port line nor a `key=value` line of a node
/// record), so binary data or a device such as /dev/zero or /dev/urandom
/// is refused after at most max_line_bytes + 64 KiB read, with the parser's
/// "<path>:<line>: ..." error for that line (or an earlier one).
OFMF_API Result<model::Fabric> read_topology(const std::filesystem::path& path,
                                             std::optional<Format> format = std::nullopt,
                                             ReadOptions options = {});

/// Renders the fabric in a format.
OFMF_API std::string format_topology(const model::Fabric& fabric, Format format);

/// Writes the fabric to `path` by write_output()'s rules (ofmf/output.hpp):
/// a regular file is replaced atomically (temporary file, fsync, rename),
/// so a failed write never leaves a half-written file; `-`, /dev/stdout, a
/// character device or a FIFO is written through in place; a symbolic
/// link is resolved. Errors: those of write_output().
OFMF_API Result<void> write_topology(const model::Fabric& fabric, const std::filesystem::path& path, Format format);

} // namespace ofmf::topology
