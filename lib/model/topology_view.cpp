// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include "ofmf/model/topology_view.hpp"

#include <algorithm>

#include "detail/fabric_impl.hpp"

namespace ofmf::model {

std::string_view TopologyView::description(Index i) const noexcept {
  return std::string_view(desc_).substr(desc_offset_[i], desc_offset_[i + 1] - desc_offset_[i]);
}

TopologyView::Index TopologyView::find(Guid node_guid) const noexcept {
  auto it = std::lower_bound(by_guid_.begin(), by_guid_.end(), node_guid,
                             [](const auto& e, Guid g) { return e.first < g; });
  return it != by_guid_.end() && it->first == node_guid ? it->second : npos;
}

TopologyView::Index TopologyView::find(NodeId id) const noexcept {
  return id.value < by_id_.size() ? by_id_[id.value] : npos;
}

std::size_t TopologyView::memory_bytes() const noexcept {
  return sizeof(*this) + type_.capacity() * sizeof(NodeType) + guid_.capacity() * sizeof(Guid) +
         id_.capacity() * sizeof(NodeId) + desc_offset_.capacity() * sizeof(std::uint32_t) + desc_.capacity() +
         port_offset_.capacity() * sizeof(std::uint64_t) + ports_.capacity() * sizeof(ViewPort) +
         edge_offset_.capacity() * sizeof(std::uint64_t) + adjacency_.capacity() * sizeof(Edge) +
         by_guid_.capacity() * sizeof(std::pair<Guid, Index>) + by_id_.capacity() * sizeof(Index);
}

// Builds views from the Fabric's private storage.
class TopologyBuilder {
 public:
  static std::shared_ptr<const TopologyView> build(const Fabric::Impl& m) {
    std::shared_ptr<TopologyView> v(new TopologyView());
    v->generation_ = m.generation;
    const std::size_t n = m.live;
    v->by_id_.assign(m.nodes.size(), TopologyView::npos);
    v->id_.reserve(n);
    for (int pass = 0; pass < 2; ++pass)  // switches first, then the rest
      for (std::uint32_t i = 0; i < m.nodes.size(); ++i) {
        const NodeRec& r = m.nodes[i];
        if (!r.alive || (r.type == NodeType::Switch) != (pass == 0)) continue;
        v->by_id_[i] = TopologyView::Index(v->id_.size());
        v->id_.push_back(NodeId{i});
      }
    v->switch_count_ = TopologyView::Index(m.switches);
    v->type_.resize(n);
    v->guid_.resize(n);
    v->desc_offset_.resize(n + 1);
    v->port_offset_.resize(n + 1);
    v->edge_offset_.resize(n + 1);
    std::size_t desc_bytes = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const NodeRec& r = m.nodes[v->id_[k].value];
      v->type_[k] = r.type;
      v->guid_[k] = r.guid;
      v->desc_offset_[k] = std::uint32_t(desc_bytes);
      desc_bytes += r.description.size();
      v->port_offset_[k + 1] = v->port_offset_[k] + r.num_ports + 1u;
    }
    v->desc_offset_[n] = std::uint32_t(desc_bytes);
    v->desc_.reserve(desc_bytes);
    v->ports_.resize(v->port_offset_[n]);
    v->adjacency_.reserve(2 * m.links);
    v->by_guid_.reserve(n);
    for (std::size_t k = 0; k < n; ++k) {
      const NodeRec& r = m.nodes[v->id_[k].value];
      v->desc_ += r.description;
      v->by_guid_.emplace_back(r.guid, TopologyView::Index(k));
      ViewPort* out = v->ports_.data() + v->port_offset_[k];
      for (unsigned p = 0; p <= r.num_ports; ++p) {
        const PortRec& pr = m.ports[r.port_begin + p];
        out[p].attributes = pr.attr;
        if (pr.peer_node == UINT32_MAX) continue;
        const auto peer = v->by_id_[pr.peer_node];
        out[p].peer = peer;
        out[p].peer_port = pr.peer_port;
        const PortRec& q = m.ports[m.nodes[pr.peer_node].port_begin + pr.peer_port];
        v->adjacency_.push_back(Edge{peer, PortNum(p), pr.peer_port, std::min(pr.attr.width, q.attr.width, by_lanes),
                                     std::min(pr.attr.speed, q.attr.speed)});
      }
      v->edge_offset_[k + 1] = v->adjacency_.size();
    }
    if (!std::is_sorted(v->by_guid_.begin(), v->by_guid_.end()))  // generated fabrics already are
      std::sort(v->by_guid_.begin(), v->by_guid_.end());
    v->fingerprint_ = fingerprint(*v);
    return v;
  }

 private:
  // TopologyView::fingerprint(): the structure, word by word, through a
  // 64-bit multiply-xorshift mix.
  static std::uint64_t fingerprint(const TopologyView& v) noexcept {
    std::uint64_t h = 0x6f666d662d766965ull;  // "ofmf-vie"
    auto mix = [&h](std::uint64_t w) {
      h = (h ^ w) * 0x9e3779b97f4a7c15ull;
      h ^= h >> 29;
    };
    mix(v.type_.size());
    mix(v.switch_count_);
    for (std::size_t k = 0; k < v.type_.size(); ++k) {
      mix(v.guid_[k]);
      mix((std::uint64_t(v.type_[k]) << 32) | (v.port_offset_[k + 1] - v.port_offset_[k]));
      for (std::uint64_t e = v.edge_offset_[k]; e < v.edge_offset_[k + 1]; ++e) {
        const Edge& ed = v.adjacency_[e];
        mix((std::uint64_t(ed.target) << 16) | (std::uint64_t(ed.local_port) << 8) | ed.remote_port);
      }
    }
    h = (h ^ (h >> 32)) * 0xd6e8feb86659fd93ull;
    h ^= h >> 32;
    return h != 0 ? h : 1;
  }

  static bool by_lanes(LinkWidth a, LinkWidth b) { return lanes(a) < lanes(b); }
};

std::shared_ptr<const TopologyView> Fabric::snapshot() const { return TopologyBuilder::build(*impl_); }

} // namespace ofmf::model
