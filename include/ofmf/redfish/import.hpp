// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Redfish back into the model: a Tree (rendered by render(), read from a
/// mockup folder, or received from elsewhere) becomes a model::Fabric, as
/// lib/redfish/MAPPING.md describes. Import of a tree rendered from a
/// fabric gives a Fabric for which model::same_fabric() holds.
///
/// The input is untrusted. Nothing throws except std::bad_alloc; every
/// error message has the form "<URI>: <property>: what" (read_mockup()
/// errors that concern a file name the file instead of the URI). Error
/// codes:
///  - errc::parse_error: malformed JSON, a resource nested deeper than
///    ImportOptions::max_depth, a property of the wrong JSON type (an
///    `@odata.count` or a port `Width` that is not an unsigned integer), a
///    missing required property, a value outside its range or enum (a
///    `Width` that is not 1, 2, 4, 8 or 12 lanes);
///  - errc::invalid_argument: a hostile or foreign URI (not is_safe_uri():
///    "..", "%2F", "//", not under /redfish/v1/), an unknown `@odata.type`,
///    a resource where the mapping puts another type, no fabric or several
///    when ImportOptions::fabric_id does not choose;
///  - errc::inconsistent: the tree contradicts itself: a dangling link, a
///    link given one way only, duplicate Ids or GUIDs, an `Id` that is not
///    the last URI segment, `@odata.id` other than the resource's URI, an
///    `X@odata.count` that differs from the length of the array `X` beside
///    it or has no such array (`Members@odata.count`, and those of link
///    arrays such as `Links.ConnectedPorts`), a port's `Width` or
///    `ActiveWidth` other than the lanes of `Oem.Ofmf.LinkWidth`, values
///    the model refuses (the model's message is kept);
///  - errc::limit_exceeded: more resources or bytes than ImportOptions
///    allows (a file larger than ImportOptions::max_file_bytes);
///  - errc::io_error (read_mockup()): a file or folder cannot be read, a
///    symbolic link leads out of the mockup folder.
/// Import is atomic: the Fabric is returned only when the whole tree is
/// consistent; on error nothing is built.

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "ofmf/error.hpp"
#include "ofmf/export.hpp"
#include "ofmf/model/fabric.hpp"
#include "ofmf/redfish/tree.hpp"

namespace ofmf::redfish {

/// Limits and choices of an import.
struct ImportOptions {
  /// Most resources a tree or mockup may hold (errc::limit_exceeded past
  /// it). The default holds a rendered fabric of about 2 million ports.
  std::size_t max_resources = std::size_t{1} << 23;
  /// Most bytes read_mockup() reads, all files together
  /// (errc::limit_exceeded past it).
  std::size_t max_bytes = std::size_t{1} << 32;
  /// Largest single index.json read_mockup() reads (errc::limit_exceeded,
  /// naming the file, refused before it is read). The largest resource
  /// render() writes is a collection: about 100 bytes per member, so the
  /// default of 8 MiB holds the Endpoints collection of a fabric of some
  /// 80,000 endpoints (raise it for larger fabrics). Reading a file costs
  /// up to about 16 times its size while it is parsed (simdjson's index and
  /// tape); files above 1 MiB are parsed one at a time, so the reader's
  /// peak memory is about the tree's text plus 16 × max_file_bytes.
  std::size_t max_file_bytes = std::size_t{8} << 20;
  /// Deepest nesting of a resource, as simdjson counts it: the resource
  /// object is level 1, its properties' values level 2, and so on (a
  /// rendered resource reaches 5). Deeper resources are refused with
  /// errc::parse_error naming the file (read_mockup()) or the URI
  /// (import_tree()), the byte offset and the limit, before any value is
  /// built.
  std::size_t max_depth = 32;
  /// The fabric to import (`/redfish/v1/Fabrics/{fabric_id}`); empty = the
  /// only member of `/redfish/v1/Fabrics` (several are then an error).
  std::string fabric_id;
  /// When not null, receives one line per value the importer had to
  /// default because the tree does not carry it (a tree without the
  /// `Oem.Ofmf` blocks), "<URI>: <property>: ...". Not owned; must stay
  /// valid during the call.
  std::vector<std::string>* notes = nullptr;
};

/// Builds the fabric a Redfish tree describes (MAPPING.md). The tree is
/// only read. Errors: see the file comment.
OFMF_API Result<model::Fabric> import_tree(const Tree& tree, const ImportOptions& options = {});

/// Reads a mockup folder: every `dir/redfish/v1/**/index.json`, each one
/// resource whose `@odata.id` must equal the folder it is in
/// (`dir/redfish/v1/A/B/index.json` holds `/redfish/v1/A/B`). Other files
/// are ignored. Symbolic links are followed only while they stay inside
/// `dir`. Each resource is stored as its compact text (Tree). Errors: errc::io_error (unreadable, link out of `dir`, `dir`
/// has no `redfish/v1/index.json`), errc::parse_error (malformed JSON: the
/// message names the file and the byte offset; also a key given twice in
/// one object, and an integer beyond 64 bits, which JSON parsers read
/// differently), errc::inconsistent
/// (`@odata.id` differs from the file's place), errc::invalid_argument
/// (a folder name that is not a safe URI segment), errc::limit_exceeded
/// (the message names the mockup folder; a single file larger than
/// `max_file_bytes` is named itself). A file nested deeper than
/// `max_depth` is errc::parse_error naming the file, its URI, the byte
/// offset and the limit; no JSON value is built for a malformed file
/// (its error is located by a parse that keeps nothing). A large mockup is read by several
/// threads; of several errors, the one reported is the first in the walk
/// (folders depth first, subfolders by name), as one thread would find
/// it, except that a limit, once the walk crosses it, is reported first.
OFMF_API Result<Tree> read_mockup(const std::filesystem::path& dir, const ImportOptions& options = {});

/// read_mockup() then import_tree().
OFMF_API Result<model::Fabric> import_mockup(const std::filesystem::path& dir, const ImportOptions& options = {});

} // namespace ofmf::redfish
