// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Private to the Redfish renderer: a read view of the Fabric that renders
/// resources (MAPPING.md) either from a complete copy of the model taken
/// once (render()), or from what one resource needs, fetched on demand
/// (render_resource(), Renderer::refresh()).

#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ofmf/model/fabric.hpp"
#include "ofmf/redfish/render.hpp"
#include "redfish/detail/json_out.hpp"

namespace ofmf::redfish::detail {

/// A URI held inline, without a heap allocation. The longest URI the
/// mapping makes is 128 bytes (a port's Metrics below a switch, with the
/// longest fabric id ExportOptions allows, 64 characters); the fabric id is
/// checked before anything is rendered.
class Uri {
 public:
  static constexpr std::size_t capacity = 192;
  Uri() = default;
  explicit Uri(std::string_view s) { append(s); }
  Uri& append(std::string_view s) noexcept {
    if (s.size() > capacity - n_) std::terminate();  // unreachable: see above
    std::memcpy(buf_ + n_, s.data(), s.size());
    n_ += s.size();
    return *this;
  }
  Uri& operator+=(std::string_view s) noexcept { return append(s); }
  Uri& operator+=(char c) noexcept { return append(std::string_view(&c, 1)); }
  friend Uri operator+(Uri u, std::string_view s) noexcept { return u.append(s); }
  std::string_view view() const noexcept { return {buf_, n_}; }
  operator std::string_view() const noexcept { return view(); }
  operator std::string() const { return std::string(view()); }
  std::string str() const { return std::string(view()); }

 private:
  char buf_[capacity];
  std::size_t n_ = 0;
};

/// "0002c90300a1b2c3": a GUID as a URI segment.
std::string guid_segment(model::Guid g);
/// Parses exactly 16 lower-case hex digits; nullopt otherwise.
std::optional<model::Guid> parse_guid_segment(std::string_view s) noexcept;
/// "7fff": a P_Key as a URI segment.
std::string pkey_segment(model::PKey k);
/// Checks ExportOptions::fabric_id.
bool valid_fabric_id(std::string_view id) noexcept;

/// Read view of a Fabric for rendering. Full views are immutable after
/// construction and may be used from several threads; on-demand views
/// cache what they fetch and are single-threaded.
class View {
 public:
  View(const model::Fabric& fabric, const ExportOptions& options, bool full);

  const model::Fabric& fabric;
  const ExportOptions& opt;
  const bool full;

  // URI prefixes.
  std::string fabric_uri;  // /redfish/v1/Fabrics/{F}
  std::string switches_uri, endpoints_uri, zones_uri, pools_uri, lid_pool_uri;

  /// The node, or nullptr.
  const model::Node* node(model::NodeId id) const;
  /// Every node in creation order.
  const std::vector<const model::Node*>& all_nodes() const;
  /// Partitions of a port (P_Keys without membership bit, ordered).
  const std::vector<model::PKey>& pkeys(model::Guid port_guid) const;
  /// Channel adapters and routers of a system image, in node order.
  std::vector<const model::Node*> adapters_of(model::Guid system_guid) const;
  /// System image GUIDs of channel adapters and routers, by first appearance.
  const std::vector<model::Guid>& chassis_ids() const;
  /// All partitions, ordered by P_Key.
  const std::vector<model::Partition>& partitions() const;

  // URIs.
  Uri switch_uri(model::Guid node_guid) const;
  Uri chassis_uri(model::Guid sys) const;
  Uri adapter_uri(model::Guid sys, model::Guid node_guid) const;
  /// The switch or fabric adapter resource of a node.
  Uri node_uri(const model::Node& n) const;
  /// A port resource (p >= 1).
  Uri port_uri(const model::Node& n, model::PortNum p) const;
  Uri endpoint_uri(model::Guid guid) const;
  /// The endpoint of a port: the switch endpoint for any port of a switch.
  Uri endpoint_of(const model::Node& n, model::PortNum p) const;
  Uri zone_uri(model::PKey k) const;

 private:
  void load_all() const;
  void index_pkeys() const;

  mutable std::vector<const model::Node*> order_;
  mutable bool all_loaded_ = false;
  mutable std::unordered_map<std::uint32_t, std::unique_ptr<model::Node>> nodes_;
  mutable std::unordered_map<model::Guid, std::vector<model::PKey>> pkeys_;
  mutable bool pkeys_indexed_ = false;
  mutable std::vector<model::Partition> partitions_;
  mutable bool partitions_loaded_ = false;
  mutable std::vector<model::Guid> chassis_;
  mutable bool chassis_loaded_ = false;
  mutable std::unordered_map<model::Guid, std::vector<const model::Node*>> chassis_members_;
};

/// Renders the resource at `uri` on demand, as compact JSON text; nullopt
/// when the fabric has no resource there (or the URI is not one the
/// mapping produces).
std::optional<std::string> render_uri(const View& v, std::string_view uri);

/// URIs of the resources a node owns: its switch or fabric adapter, the
/// Ports collection, ports, port metrics, and its endpoints.
std::vector<std::string> node_uris(const View& v, const model::Node& n);

/// Adds the annotations every resource gets (mockup copyright).
void finish(const View& v, JsonOut& resource);

} // namespace ofmf::redfish::detail
