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
///  - errc::parse_error: malformed JSON, a property of the wrong JSON type,
///    a missing required property, a value outside its range or enum;
///  - errc::invalid_argument: a hostile or foreign URI (not is_safe_uri():
///    "..", "%2F", "//", not under /redfish/v1/), an unknown `@odata.type`,
///    a resource where the mapping puts another type, no fabric or several
///    when ImportOptions::fabric_id does not choose;
///  - errc::inconsistent: the tree contradicts itself: a dangling link, a
///    link given one way only, duplicate Ids or GUIDs, an `Id` that is not
///    the last URI segment, `@odata.id` other than the resource's URI, a
///    `Members@odata.count` that differs from `Members`, values the model
///    refuses (the model's message is kept);
///  - errc::limit_exceeded: more resources or bytes than ImportOptions
///    allows;
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
  /// Most bytes read_mockup() reads, all files together; also the limit of
  /// one file (errc::limit_exceeded past it).
  std::size_t max_bytes = std::size_t{1} << 32;
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
/// `max_bytes` is named itself). A large mockup is read by several
/// threads; of several errors, the one reported is the first in the walk
/// (folders depth first, subfolders by name), as one thread would find
/// it, except that a limit, once the walk crosses it, is reported first.
OFMF_API Result<Tree> read_mockup(const std::filesystem::path& dir, const ImportOptions& options = {});

/// read_mockup() then import_tree().
OFMF_API Result<model::Fabric> import_mockup(const std::filesystem::path& dir, const ImportOptions& options = {});

} // namespace ofmf::redfish
