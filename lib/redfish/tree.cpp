// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include "ofmf/redfish/tree.hpp"

#include <utility>

namespace ofmf::redfish {

namespace {
constexpr std::string_view root = "/redfish/v1/";
} // namespace

const nlohmann::json* Tree::find(std::string_view uri) const noexcept {
  auto it = map_.find(uri);
  return it == map_.end() ? nullptr : &it->second;
}

nlohmann::json* Tree::find(std::string_view uri) noexcept {
  auto it = map_.find(uri);
  return it == map_.end() ? nullptr : &it->second;
}

bool Tree::insert_or_assign(std::string uri, nlohmann::json resource) {
  return map_.insert_or_assign(std::move(uri), std::move(resource)).second;
}

bool Tree::erase(std::string_view uri) {
  auto it = map_.find(uri);
  if (it == map_.end()) return false;
  map_.erase(it);
  return true;
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
