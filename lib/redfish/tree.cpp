// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include "ofmf/redfish/tree.hpp"

#include <utility>

#include "redfish/detail/tree_access.hpp"

namespace ofmf::redfish {

namespace {
constexpr std::string_view root = "/redfish/v1/";
} // namespace

// ----- Entry -----

Tree::Entry::Entry(const Entry& o) : text(o.text) {
  // A value without text is copied as a value; otherwise the copy parses
  // its own text when asked.
  if (text.empty())
    if (const nlohmann::json* p = o.parsed.load(std::memory_order_acquire)) parsed.store(new nlohmann::json(*p));
}

Tree::Entry::Entry(Entry&& o) noexcept : text(std::move(o.text)) {
  parsed.store(o.parsed.exchange(nullptr));
}

Tree::Entry::~Entry() { delete parsed.load(); }

const nlohmann::json& Tree::Entry::value() const {
  if (const nlohmann::json* p = parsed.load(std::memory_order_acquire)) return *p;
  // The text was written by the library or checked when it was read: it
  // parses. Two threads may both parse; the first to publish wins.
  auto* fresh = new nlohmann::json(nlohmann::json::parse(text, nullptr, false));
  nlohmann::json* expected = nullptr;
  if (parsed.compare_exchange_strong(expected, fresh, std::memory_order_acq_rel)) return *fresh;
  delete fresh;
  return *expected;
}

// ----- Tree -----

const nlohmann::json* Tree::find(std::string_view uri) const {
  auto it = map_.find(uri);
  return it == map_.end() ? nullptr : &it->second.value();
}

nlohmann::json* Tree::find(std::string_view uri) {
  auto it = map_.find(uri);
  if (it == map_.end()) return nullptr;
  auto& v = const_cast<nlohmann::json&>(it->second.value());
  // The caller may change the value: the text is made again from it.
  std::string().swap(it->second.text);
  return &v;
}

bool Tree::insert_or_assign(std::string uri, nlohmann::json resource) {
  auto [it, inserted] = map_.try_emplace(std::move(uri));
  Entry& e = it->second;
  std::string().swap(e.text);
  delete e.parsed.exchange(new nlohmann::json(std::move(resource)));
  return inserted;
}

bool Tree::erase(std::string_view uri) {
  auto it = map_.find(uri);
  if (it == map_.end()) return false;
  map_.erase(it);
  return true;
}

std::optional<std::string> Tree::text(std::string_view uri) const {
  auto it = map_.find(uri);
  if (it == map_.end()) return std::nullopt;
  if (!it->second.text.empty()) return it->second.text;
  return it->second.value().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void Tree::for_each_text(const std::function<void(const std::string&, std::string_view)>& f) const {
  detail::TreeAccess::scan(*this, {}, [&](const std::string& uri, std::string_view text) {
    f(uri, text);
    return true;
  });
}

std::size_t Tree::text_bytes() const noexcept {
  std::size_t n = 0;
  for (const auto& [uri, e] : map_) n += e.text.size();
  return n;
}

Tree Tree::subtree(std::string_view prefix) const {
  Tree out;
  if (prefix == root || prefix == "/redfish/v1") {
    out.map_ = map_;
    return out;
  }
  while (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
  if (prefix.empty()) return out;
  // Keys starting with `prefix` are contiguous in the map; keep `prefix`
  // itself and those continuing with '/'.
  for (auto it = map_.lower_bound(prefix); it != map_.end(); ++it) {
    std::string_view k = it->first;
    if (k.substr(0, prefix.size()) != prefix) break;
    if (k.size() == prefix.size() || k[prefix.size()] == '/') out.map_.emplace_hint(out.map_.end(), *it);
  }
  return out;
}

bool operator==(const Tree& a, const Tree& b) {
  if (a.map_.size() != b.map_.size()) return false;
  for (auto i = a.map_.begin(), j = b.map_.begin(); i != a.map_.end(); ++i, ++j) {
    if (i->first != j->first) return false;
    if (!i->second.text.empty() && i->second.text == j->second.text) continue;
    if (i->second.value() != j->second.value()) return false;
  }
  return true;
}

// ----- TreeAccess -----

namespace detail {

bool TreeAccess::put_text(Tree& t, std::string uri, std::string text) {
  auto [it, inserted] = t.map_.try_emplace(std::move(uri));
  it->second.text = std::move(text);
  delete it->second.parsed.exchange(nullptr);
  return inserted;
}

void TreeAccess::append_text(Tree& t, std::string uri, std::string text) {
  auto it = t.map_.try_emplace(t.map_.end(), std::move(uri));
  it->second.text = std::move(text);
  delete it->second.parsed.exchange(nullptr);
}

std::string_view TreeAccess::entry_text(const Tree::Entry& e, std::string& scratch) {
  if (!e.text.empty()) return e.text;
  scratch = e.value().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return scratch;
}

std::string_view TreeAccess::text(const Tree& t, std::string_view uri, std::string& scratch) {
  auto it = t.map_.find(uri);
  if (it == t.map_.end()) return {};
  return entry_text(it->second, scratch);
}

const std::string* TreeAccess::key(const Tree& t, std::string_view uri) noexcept {
  auto it = t.map_.find(uri);
  return it == t.map_.end() ? nullptr : &it->first;
}

} // namespace detail

// ----- URIs -----

bool is_safe_uri(std::string_view uri) noexcept {
  if (uri == root) return true;
  if (uri.size() <= root.size() || uri.substr(0, root.size()) != root) return false;
  std::string_view rest = uri.substr(root.size());
  std::size_t start = 0;
  while (true) {
    std::size_t slash = rest.find('/', start);
    std::string_view seg = rest.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (seg.empty() || seg == "." || seg == "..") return false;
    for (char c : seg) {
      auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u == 0x7f || c == '%' || c == '\\' || c == '?' || c == '#' || c == ' ') return false;
    }
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

std::string_view last_segment(std::string_view uri) noexcept {
  while (!uri.empty() && uri.back() == '/') uri.remove_suffix(1);
  auto slash = uri.rfind('/');
  return slash == std::string_view::npos ? uri : uri.substr(slash + 1);
}

std::string parent_uri(std::string_view uri) {
  if (uri == root || uri == "/redfish/v1") return {};
  while (!uri.empty() && uri.back() == '/') uri.remove_suffix(1);
  auto slash = uri.rfind('/');
  if (slash == std::string_view::npos) return {};
  std::string_view parent = uri.substr(0, slash);
  if (parent == "/redfish/v1") return std::string(root);
  return std::string(parent);
}

} // namespace ofmf::redfish
