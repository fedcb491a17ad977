// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include "ofmf/routing/route_table.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace ofmf::routing {

using model::NodeType;
using model::TopologyView;

Result<void> RouteTable::check_view(const TopologyView& view, std::string_view what) const {
  if (view_fingerprint_ == view.fingerprint()) return {};
  return fail(errc::invalid_argument,
              std::string(what) + ": the route table was not computed on this view (another fabric): table for view " +
                  model::format_guid(view_fingerprint_) + " with " + std::to_string(switch_count()) + " switches, view " +
                  model::format_guid(view.fingerprint()) + " with " + std::to_string(view.switch_count()) + " switches");
}

Result<RouteTable> RouteTable::create(const TopologyView& view, std::uint8_t lmc) {
  if (lmc > 7) return fail(errc::invalid_argument, "lmc " + std::to_string(lmc) + " is above 7");
  RouteTable t;
  t.view_fingerprint_ = view.fingerprint();
  t.lmc_ = lmc;
  const std::uint32_t n = view.node_count();
  const std::uint32_t nsw = view.switch_count();
  t.switch_guid_.resize(nsw);
  for (std::uint32_t i = 0; i < nsw; ++i) t.switch_guid_[i] = view.guid(i);
  t.port_offset_.resize(std::size_t(n) + 1, 0);
  for (std::uint32_t i = 0; i < n; ++i) t.port_offset_[i + 1] = t.port_offset_[i] + view.ports(i).size();
  t.port_lid_.assign(t.port_offset_[n], 0);

  // Which ports need LIDs and how many.
  auto wants = [&](std::uint32_t i, std::size_t p) -> unsigned {
    if (view.is_switch(i)) return p == 0 ? 1u : 0u;
    if (p == 0) return 0u;
    return view.ports(i)[p].linked() ? (1u << lmc) : 0u;
  };
  std::vector<std::uint8_t> used(std::size_t(max_unicast_lid) + 1, 0);
  auto range_free = [&](std::uint32_t base, unsigned count) {
    if (base == 0 || base + count - 1 > max_unicast_lid) return false;
    for (unsigned k = 0; k < count; ++k)
      if (used[base + k]) return false;
    return true;
  };
  // Pass 1: keep valid given LIDs, in view order.
  for (std::uint32_t i = 0; i < n; ++i) {
    const auto ports = view.ports(i);
    for (std::size_t p = 0; p < ports.size(); ++p) {
      const unsigned count = wants(i, p);
      if (count == 0) continue;
      const std::uint32_t lid = ports[p].attributes.lid;
      if (lid == 0 || lid % count != 0 || !range_free(lid, count)) continue;
      for (unsigned k = 0; k < count; ++k) used[lid + k] = 1;
      t.port_lid_[t.port_offset_[i] + p] = Lid(lid);
    }
  }
  // Pass 2: assign the rest, lowest free aligned range first.
  std::uint32_t next[8] = {1, 1, 1, 1, 1, 1, 1, 1};  // search cursor per alignment
  for (std::uint32_t i = 0; i < n; ++i) {
    const auto ports = view.ports(i);
    for (std::size_t p = 0; p < ports.size(); ++p) {
      const unsigned count = wants(i, p);
      if (count == 0 || t.port_lid_[t.port_offset_[i] + p] != 0) continue;
      const unsigned shift = view.is_switch(i) ? 0 : lmc;
      std::uint32_t base = std::max<std::uint32_t>(next[shift], count);
      base = (base + count - 1) / count * count;
      while (base + count - 1 <= max_unicast_lid && !range_free(base, count)) base += count;
      if (base + count - 1 > max_unicast_lid)
        return fail(errc::limit_exceeded, "no free LID range left for node " + model::format_guid(view.guid(i)) +
                                              " port " + std::to_string(p) + " (unicast LIDs exhausted)");
      for (unsigned k = 0; k < count; ++k) used[base + k] = 1;
      next[shift] = base + count;
      t.port_lid_[t.port_offset_[i] + p] = Lid(base);
    }
  }
  // Owners.
  std::uint32_t max_lid = 0;
  for (std::uint32_t i = 0; i < n; ++i)
    for (std::size_t p = 0; p < view.ports(i).size(); ++p) {
      const Lid b = t.port_lid_[t.port_offset_[i] + p];
      if (b) max_lid = std::max<std::uint32_t>(max_lid, b + wants(i, p) - 1);
    }
  t.max_lid_ = Lid(max_lid);
  t.owner_.assign(std::size_t(max_lid) + 1, LidOwner{});
  for (std::uint32_t i = 0; i < n; ++i)
    for (std::size_t p = 0; p < view.ports(i).size(); ++p) {
      const Lid b = t.port_lid_[t.port_offset_[i] + p];
      if (!b) continue;
      for (unsigned k = 0; k < wants(i, p); ++k) t.owner_[b + k] = LidOwner{i, model::PortNum(p)};
    }
  t.ingress_.assign(std::size_t(max_lid) + 1, TopologyView::npos);
  for (std::uint32_t lid = 1; lid <= max_lid; ++lid) {
    const LidOwner o = t.owner_[lid];
    if (!o.valid()) continue;
    if (view.is_switch(o.node)) {
      t.ingress_[lid] = o.node;
      continue;
    }
    const auto& port = view.ports(o.node)[o.port];
    if (port.linked() && view.is_switch(port.peer)) t.ingress_[lid] = port.peer;
  }
  t.lid_space_ = (std::size_t(max_lid) + 1 + lft_block_size - 1) / lft_block_size * lft_block_size;
  t.lft_.assign(std::size_t(nsw) * t.lid_space_, no_route);
  return t;
}

Lid RouteTable::base_lid(std::uint32_t node, model::PortNum port) const noexcept {
  if (std::size_t(node) + 1 >= port_offset_.size()) return 0;
  const std::uint64_t at = port_offset_[node] + port;
  return at < port_offset_[node + 1] ? port_lid_[at] : 0;
}

unsigned RouteTable::lid_count(std::uint32_t node, model::PortNum port) const noexcept {
  if (base_lid(node, port) == 0) return 0;
  return node < switch_guid_.size() ? 1u : (1u << lmc_);
}

std::vector<std::vector<std::uint32_t>> RouteTable::changed_blocks(const RouteTable& old) const {
  std::vector<std::pair<model::Guid, std::uint32_t>> by_guid;
  by_guid.reserve(old.switch_count());
  for (std::uint32_t s = 0; s < old.switch_count(); ++s) by_guid.emplace_back(old.switch_guid_[s], s);
  std::sort(by_guid.begin(), by_guid.end());
  std::vector<std::vector<std::uint32_t>> out(switch_count());
  for (std::uint32_t s = 0; s < switch_count(); ++s) {
    auto it = std::lower_bound(by_guid.begin(), by_guid.end(), std::make_pair(switch_guid_[s], std::uint32_t(0)));
    const bool present = it != by_guid.end() && it->first == switch_guid_[s];
    for (std::size_t b = 0; b < block_count(); ++b) {
      bool differs = !present;
      if (present) {
        for (std::size_t k = 0; k < lft_block_size && !differs; ++k) {
          const std::size_t lid = b * lft_block_size + k;
          differs = out_port(s, std::uint32_t(lid)) != old.out_port(it->second, std::uint32_t(lid));
        }
      }
      if (differs) out[s].push_back(std::uint32_t(b));
    }
  }
  return out;
}

void RouteTable::enable_sl() { path_sl_.assign(std::size_t(switch_count()) * lid_space_, 0); }

void RouteTable::enable_sl2vl(const TopologyView& view) {
  if (view.switch_count() != switch_count()) return;
  sl2vl_offset_.assign(std::size_t(switch_count()) + 1, 0);
  sl2vl_ports_.assign(switch_count(), 0);
  for (std::uint32_t s = 0; s < switch_count(); ++s) {
    const std::size_t p = view.ports(s).size();
    sl2vl_ports_[s] = std::uint16_t(p);
    sl2vl_offset_[s + 1] = sl2vl_offset_[s] + p * p * 16;
  }
  sl2vl_.assign(sl2vl_offset_.back(), 0);
}

std::size_t RouteTable::sl2vl_index(std::uint32_t sw, model::PortNum in, model::PortNum out,
                                    std::uint8_t sl) const noexcept {
  if (sl2vl_.empty() || sw >= switch_count() || sl >= 16) return SIZE_MAX;
  const std::size_t p = sl2vl_ports_[sw];
  if (in >= p || out >= p) return SIZE_MAX;
  return sl2vl_offset_[sw] + (std::size_t(in) * p + out) * 16 + sl;
}

std::uint8_t RouteTable::vl(std::uint32_t sw, model::PortNum in, model::PortNum out, std::uint8_t sl) const noexcept {
  const std::size_t i = sl2vl_index(sw, in, out, sl);
  return i == SIZE_MAX ? 0 : sl2vl_[i];
}

void RouteTable::set_vl(std::uint32_t sw, model::PortNum in, model::PortNum out, std::uint8_t sl,
                        std::uint8_t v) noexcept {
  const std::size_t i = sl2vl_index(sw, in, out, sl);
  if (i != SIZE_MAX && v < 15) sl2vl_[i] = v;
}

void RouteTable::fill_sl2vl(const std::array<std::uint8_t, 16>& sl_to_vl) noexcept {
  bool all = true;
  for (std::uint8_t v : sl_to_vl) all = all && v < 15;
  if (all) {
    for (std::size_t b = 0; b < sl2vl_.size(); b += 16)
      std::copy(sl_to_vl.begin(), sl_to_vl.end(), sl2vl_.begin() + std::ptrdiff_t(b));
    return;
  }
  for (std::size_t i = 0; i < sl2vl_.size(); ++i)
    if (sl_to_vl[i % 16] < 15) sl2vl_[i] = sl_to_vl[i % 16];
}

std::size_t RouteTable::memory_bytes() const noexcept {
  return sizeof(*this) + switch_guid_.capacity() * sizeof(model::Guid) + owner_.capacity() * sizeof(LidOwner) +
         port_offset_.capacity() * 8 + port_lid_.capacity() * sizeof(Lid) + lft_.capacity() + ingress_.capacity() * 4 + path_sl_.capacity() +
         sl2vl_offset_.capacity() * 8 + sl2vl_ports_.capacity() * 2 + sl2vl_.capacity();
}

} // namespace ofmf::routing
