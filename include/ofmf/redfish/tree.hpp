// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// ofmf::redfish::Tree - a set of Redfish resources keyed by URI, and the
/// URI helpers every part of the Redfish layer uses.

#include <atomic>
#include <cstddef>
#include <functional>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "ofmf/export.hpp"

namespace ofmf::redfish {

namespace detail {
struct TreeAccess;
}

/// Resources by URI (`@odata.id`), ordered by URI (byte-wise, so a
/// collection comes right before its members and a resource before its
/// sub-resources).
///
/// Storage: each resource is held as compact JSON text (what the renderer
/// writes and a mockup file holds) and parsed into an nlohmann::json only
/// when find() or iteration asks for it; the parsed value is then kept. So
/// rendering, writing and reading mockups never build JSON values, and a
/// tree costs about the size of its text.
///
/// Pointers and references returned by find() and iteration stay valid
/// until that URI is erased or assigned again, or the Tree is destroyed.
/// Const use (find(), iteration, text()) is safe from several threads at
/// once; mutation is not thread-safe.
class OFMF_API Tree {
  struct Entry {
    std::string text;  // compact JSON; empty when `parsed` is the only copy
    mutable std::atomic<nlohmann::json*> parsed{nullptr};

    Entry() = default;
    explicit Entry(std::string t) noexcept : text(std::move(t)) {}
    Entry(const Entry& o);
    Entry(Entry&& o) noexcept;
    Entry& operator=(const Entry&) = delete;
    Entry& operator=(Entry&&) = delete;
    ~Entry();
    const nlohmann::json& value() const;  // parses on first use
  };
  using Map = std::map<std::string, Entry, std::less<>>;

 public:
  /// What iteration yields: (URI, resource).
  using value_type = std::pair<const std::string&, const nlohmann::json&>;

  /// Forward iterator over (URI, resource) pairs in URI order; it yields
  /// value_type by value (bind it as `const auto& [uri, resource]`).
  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Tree::value_type;
    using difference_type = std::ptrdiff_t;
    using reference = value_type;
    struct pointer {
      value_type v;
      const value_type* operator->() const noexcept { return &v; }
    };

    const_iterator() = default;
    value_type operator*() const { return {it_->first, it_->second.value()}; }
    pointer operator->() const { return pointer{**this}; }
    const_iterator& operator++() noexcept {
      ++it_;
      return *this;
    }
    const_iterator operator++(int) noexcept {
      auto old = *this;
      ++it_;
      return old;
    }
    friend bool operator==(const const_iterator&, const const_iterator&) = default;

   private:
    friend class Tree;
    explicit const_iterator(Map::const_iterator it) noexcept : it_(it) {}
    Map::const_iterator it_;
  };

  Tree() = default;
  Tree(const Tree&) = default;
  Tree(Tree&&) noexcept = default;
  Tree& operator=(const Tree&) = default;
  Tree& operator=(Tree&&) noexcept = default;
  ~Tree() = default;

  /// The resource at `uri`, or nullptr. Parses the stored text on first
  /// use (throws only std::bad_alloc).
  const nlohmann::json* find(std::string_view uri) const;
  /// Mutable access to the resource at `uri`, or nullptr. The resource's
  /// text is dropped and made again from the value when next needed.
  nlohmann::json* find(std::string_view uri);
  /// True when a resource is stored at `uri`.
  bool contains(std::string_view uri) const noexcept { return map_.find(uri) != map_.end(); }

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
  /// Iteration over (URI, resource) pairs in URI order (each resource is
  /// parsed on first use).
  const_iterator begin() const noexcept { return const_iterator(map_.begin()); }
  const_iterator end() const noexcept { return const_iterator(map_.end()); }

  /// The resource at `uri` as compact JSON text (no insignificant white
  /// space; properties in the order they were rendered or read), or
  /// nullopt. Does not parse. A resource assigned or changed as a value is
  /// serialized, with bytes that are not UTF-8 replaced by U+FFFD.
  std::optional<std::string> text(std::string_view uri) const;
  /// Calls `f(uri, text)` for every resource in URI order, with the text
  /// text() would return, without parsing or copying.
  void for_each_text(const std::function<void(const std::string& uri, std::string_view text)>& f) const;
  /// Bytes of text held (the sum of every resource's text size).
  std::size_t text_bytes() const noexcept;

  /// A copy of the resources at `prefix` and below it: `prefix` itself and
  /// every URI starting with `prefix` + "/" (a trailing '/' of `prefix` is
  /// ignored, except that "/redfish/v1/" selects everything).
  Tree subtree(std::string_view prefix) const;

  /// Same URIs, and at each the same JSON value (texts are compared first;
  /// different texts are compared as values).
  friend OFMF_API bool operator==(const Tree&, const Tree&);

 private:
  friend struct detail::TreeAccess;
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
