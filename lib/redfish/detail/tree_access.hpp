// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Private to the Redfish layer: access to a Tree's stored text, for the
/// renderer, the mockup reader and writer and the importer, which work on
/// text and never build nlohmann::json values.

#include <string>
#include <string_view>

#include "ofmf/redfish/tree.hpp"

namespace ofmf::redfish::detail {

struct TreeAccess {
  /// Stores `text` at `uri`, replacing what was there; true when the URI
  /// was new. `text` must be one JSON object in compact form, produced by
  /// the library's writer or checked by a parser: it is not checked here.
  static bool put_text(Tree& t, std::string uri, std::string text);
  /// As put_text(), for URIs given in increasing order: each lands right
  /// after the previous one (amortized constant time).
  static void append_text(Tree& t, std::string uri, std::string text);

  /// The compact text of the resource at `uri`: the stored text, or (for a
  /// resource assigned or changed as a value) its serialization written to
  /// `scratch`. Empty when there is no such resource.
  static std::string_view text(const Tree& t, std::string_view uri, std::string& scratch);

  /// Calls f(const std::string& uri) for every URI in order, without
  /// touching the resources (no parsing, no serialization).
  template <class F>
  static void scan_keys(const Tree& t, F&& f) {
    for (const auto& kv : t.map_) f(kv.first);
  }

  /// The URI string as stored in the tree (stable while the resource is
  /// there), or nullptr.
  static const std::string* key(const Tree& t, std::string_view uri) noexcept;

  /// Calls f(const std::string& uri, std::string_view text) for every
  /// resource in URI order starting at the first URI >= `from`, until f
  /// returns false.
  template <class F>
  static void scan(const Tree& t, std::string_view from, F&& f) {
    std::string scratch;
    for (auto it = t.map_.lower_bound(from); it != t.map_.end(); ++it)
      if (!f(it->first, entry_text(it->second, scratch))) return;
  }

  /// Calls f(const std::string& uri, std::string_view text,
  /// const nlohmann::json* value) for every resource in URI order, until f
  /// returns false: the stored text (stable while the resource is neither
  /// assigned, changed nor erased) and nullptr, or, for a resource held as
  /// a value, an empty text and the value (not serialized).
  template <class F>
  static void scan_stored(const Tree& t, F&& f) {
    for (const auto& [uri, e] : t.map_)
      if (!f(uri, std::string_view(e.text), e.text.empty() ? &e.value() : nullptr)) return;
  }

 private:
  static std::string_view entry_text(const Tree::Entry& e, std::string& scratch);
};

} // namespace ofmf::redfish::detail
