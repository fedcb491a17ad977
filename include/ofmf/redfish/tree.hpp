// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// ofmf::redfish::Tree - a set of Redfish resources keyed by URI, and the
/// URI helpers every part of the Redfish layer uses.

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ofmf/export.hpp"

namespace ofmf::redfish {

/// Resources by URI (`@odata.id`), ordered by URI (byte-wise, so a
/// collection comes right before its members and a resource before its
/// sub-resources). The Tree owns its JSON values; pointers returned by
/// find() stay valid until that URI is erased or assigned again, or the
/// Tree is destroyed (std::map node stability). Not thread-safe for
/// mutation; concurrent const use is safe.
class OFMF_API Tree {
 public:
  using Map = std::map<std::string, nlohmann::json, std::less<>>;
  using const_iterator = Map::const_iterator;
  using value_type = Map::value_type;

  /// The resource at `uri`, or nullptr.
  const nlohmann::json* find(std::string_view uri) const noexcept;
  /// Mutable access to the resource at `uri`, or nullptr.
  nlohmann::json* find(std::string_view uri) noexcept;
  /// True when a resource is stored at `uri`.
  bool contains(std::string_view uri) const noexcept { return find(uri) != nullptr; }

  /// Stores `resource` at `uri`, replacing what was there. The URI is taken
  /// as given (callers that read untrusted input check is_safe_uri()).
  /// Returns true when the URI was new.
  bool insert_or_assign(std::string uri, nlohmann::json resource);
  /// Removes the resource at `uri`; false when there was none.
  bool erase(std::string_view uri);
  /// Removes everything.
  void clear() noexcept { map_.clear(); }

  std::size_t size() const noexcept { return map_.size(); }
  bool empty() const noexcept { return map_.empty(); }
  /// Iteration over (URI, resource) pairs in URI order.
  const_iterator begin() const noexcept { return map_.begin(); }
  const_iterator end() const noexcept { return map_.end(); }

  /// A copy of the resources at `prefix` and below it: `prefix` itself and
  /// every URI starting with `prefix` + "/" (a trailing '/' of `prefix` is
  /// ignored, except that "/redfish/v1/" selects everything).
  Tree subtree(std::string_view prefix) const;

  /// The underlying map (read-only).
  const Map& map() const noexcept { return map_; }

  friend bool operator==(const Tree&, const Tree&) = default;

 private:
  Map map_;
};

/// True when `uri` is a URI the library writes or accepts: "/redfish/v1/"
/// itself, or "/redfish/v1/" followed by one or more non-empty segments
/// separated by single '/', no trailing '/', and no segment "." or "..";
/// no '%', '\\', NUL, control character, '?', '#', or space anywhere. Such
/// a URI maps to a path below a mockup root without escaping it.
OFMF_API bool is_safe_uri(std::string_view uri) noexcept;

/// The last segment of a URI: "/redfish/v1/Fabrics/IB" -> "IB";
/// "/redfish/v1/" -> "v1" (trailing '/' ignored); "" -> "".
OFMF_API std::string_view last_segment(std::string_view uri) noexcept;

/// The parent of a URI: "/redfish/v1/Fabrics/IB" -> "/redfish/v1/Fabrics";
/// "/redfish/v1/Fabrics" -> "/redfish/v1/"; "/redfish/v1/" -> "".
OFMF_API std::string parent_uri(std::string_view uri);

} // namespace ofmf::redfish
