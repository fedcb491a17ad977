// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// ofmf::model::TopologyView - an immutable compressed-sparse-row snapshot
/// of a Fabric for algorithms (routing, analysis). Safe to share across
/// threads; obtained from Fabric::snapshot().

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ofmf/export.hpp"
#include "ofmf/model/types.hpp"

namespace ofmf::model {

/// One directed adjacency: from a node's local port to a neighbour.
struct Edge {
  std::uint32_t target;   ///< view index of the neighbour
  PortNum local_port;     ///< port on this node
  PortNum remote_port;    ///< port on the neighbour
  LinkWidth width;        ///< narrower of the two ends
  LinkSpeed speed;        ///< slower of the two ends
};

/// A port in the view: attributes plus the peer as a view index.
struct ViewPort {
  PortAttributes attributes;
  std::uint32_t peer = UINT32_MAX;  ///< view index of the peer node, or UINT32_MAX
  PortNum peer_port = 0;
  bool linked() const noexcept { return peer != UINT32_MAX; }
};

class TopologyBuilder;

/// Compact, immutable graph. Nodes are numbered 0..node_count()-1 ("view
/// index"): switches first, then channel adapters and routers, each group
/// in NodeId order, so results computed on a view are deterministic.
class OFMF_API TopologyView {
 public:
  using Index = std::uint32_t;
  static constexpr Index npos = UINT32_MAX;

  Index node_count() const noexcept { return Index(type_.size()); }
  /// Switches are indices 0..switch_count()-1.
  Index switch_count() const noexcept { return switch_count_; }
  std::size_t link_count() const noexcept { return adjacency_.size() / 2; }
  /// Fabric::generation() when the snapshot was taken.
  std::uint64_t generation() const noexcept { return generation_; }
  /// Identity of the view's structure, never 0: a hash of what routing
  /// depends on, in view order: each node's type, GUID and port count, and
  /// each link (both ends' view indices and port numbers). Port attributes
  /// (LIDs, states, width, speed), descriptions and generation() are left
  /// out, so snapshots of the same fabric, of a copy, of the same file read
  /// again, or of the fabric after its LIDs were stored, have the same
  /// fingerprint; a node, GUID or link added, removed or moved changes it.
  /// routing::RouteTable keeps the fingerprint of the view it was created
  /// for and refuses views with another one (RouteTable::check_view()).
  std::uint64_t fingerprint() const noexcept { return fingerprint_; }

  NodeType type(Index i) const noexcept { return type_[i]; }
  bool is_switch(Index i) const noexcept { return i < switch_count_; }
  Guid guid(Index i) const noexcept { return guid_[i]; }
  NodeId node_id(Index i) const noexcept { return id_[i]; }
  std::string_view description(Index i) const noexcept;
  unsigned num_ports(Index i) const noexcept { return unsigned(port_offset_[i + 1] - port_offset_[i] - 1); }

  /// Ports 0..num_ports(i) of node i (index = port number).
  std::span<const ViewPort> ports(Index i) const noexcept {
    return {ports_.data() + port_offset_[i], ports_.data() + port_offset_[i + 1]};
  }
  /// Linked ports of node i, in port order.
  std::span<const Edge> edges(Index i) const noexcept {
    return {adjacency_.data() + edge_offset_[i], adjacency_.data() + edge_offset_[i + 1]};
  }
  /// Offsets into the flat edge array: edges of i are
  /// [edge_offset()[i], edge_offset()[i+1]). Lets algorithms keep
  /// per-directed-edge data in a plain array.
  std::span<const std::uint64_t> edge_offset() const noexcept { return edge_offset_; }
  std::span<const Edge> all_edges() const noexcept { return adjacency_; }

  /// View index of a node GUID, or npos.
  Index find(Guid node_guid) const noexcept;
  /// View index of a NodeId of the source Fabric, or npos.
  Index find(NodeId id) const noexcept;

  /// Bytes held by the view (for memory accounting).
  std::size_t memory_bytes() const noexcept;

 private:
  friend class TopologyBuilder;
  TopologyView() = default;

  Index switch_count_ = 0;
  std::uint64_t generation_ = 0;
  std::uint64_t fingerprint_ = 0;
  std::vector<NodeType> type_;
  std::vector<Guid> guid_;
  std::vector<NodeId> id_;
  std::vector<std::uint32_t> desc_offset_;
  std::string desc_;
  std::vector<std::uint64_t> port_offset_;
  std::vector<ViewPort> ports_;
  std::vector<std::uint64_t> edge_offset_;
  std::vector<Edge> adjacency_;
  std::vector<std::pair<Guid, Index>> by_guid_;   // sorted by GUID
  std::vector<Index> by_id_;                      // NodeId.value -> index
};

} // namespace ofmf::model
