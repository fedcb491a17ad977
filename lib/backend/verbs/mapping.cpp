// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// libibverbs attribute values -> inventory and model values.
#include "mapping.hpp"

#include <bit>

namespace ofmf::backend::verbs {
namespace {

std::string port_where(const std::string& device, unsigned port) {
  return (device.empty() ? std::string("port ") : device + " port ") + std::to_string(port);
}

std::optional<model::LinkWidth> width(std::uint8_t w) {
  switch (w) {
    case 1: return model::LinkWidth::X1;
    case 2: return model::LinkWidth::X4;
    case 4: return model::LinkWidth::X8;
    case 8: return model::LinkWidth::X12;
    case 16: return model::LinkWidth::X2;
    default: return std::nullopt;
  }
}

std::optional<model::LinkSpeed> speed(std::uint8_t s) {
  switch (s) {
    case 1: return model::LinkSpeed::SDR;
    case 2: return model::LinkSpeed::DDR;
    case 4: return model::LinkSpeed::QDR;
    case 8: return model::LinkSpeed::FDR10;
    case 16: return model::LinkSpeed::FDR;
    case 32: return model::LinkSpeed::EDR;
    case 64: return model::LinkSpeed::HDR;
    case 128: return model::LinkSpeed::NDR;
    default: return std::nullopt;
  }
}

} // namespace

std::uint64_t be64_to_host(std::uint64_t v) noexcept {
  if constexpr (std::endian::native == std::endian::little) return __builtin_bswap64(v);
  return v;
}

Result<RdmaPort> map_port(unsigned number, const VerbsPortAttr& a) {
  if (number == 0 || number > model::max_ports)
    return fail(errc::out_of_range, "port number " + std::to_string(number) + " outside 1.." + std::to_string(model::max_ports));
  const std::string where = port_where("", number);
  RdmaPort p;
  p.number = model::PortNum(number);
  if (a.link_layer > 2)
    return fail(errc::protocol_error, where + ": link layer " + std::to_string(a.link_layer) + " is not 0, 1 or 2");
  p.link_layer = LinkLayer(a.link_layer);
  model::PortAttributes& m = p.attributes;
  if (a.state > 5) return fail(errc::protocol_error, where + ": port state " + std::to_string(a.state) + " unknown");
  // ACTIVE_DEFER (5) is active with an error pending: active for the model.
  m.state = a.state == 5 ? model::PortState::Active : model::PortState(a.state);
  if (a.phys_state > 7)
    return fail(errc::protocol_error, where + ": physical state " + std::to_string(a.phys_state) + " unknown");
  m.phys_state = model::PhysState(a.phys_state);
  if (a.active_mtu < 1 || a.active_mtu > 5 || a.max_mtu < 1 || a.max_mtu > 5)
    return fail(errc::protocol_error, where + ": MTU code " + std::to_string(a.active_mtu < 1 || a.active_mtu > 5 ? a.active_mtu : a.max_mtu) +
                                          " is not 1 (256) .. 5 (4096)");
  m.mtu = model::Mtu(a.active_mtu);
  p.max_mtu = model::Mtu(a.max_mtu);
  if (auto w = width(a.active_width))
    m.width = *w;
  else
    p.notes.push_back("active width code " + std::to_string(a.active_width) + " not known to the model");
  if (auto s = speed(a.active_speed))
    m.speed = *s;
  else
    p.notes.push_back("active speed code " + std::to_string(a.active_speed) + " not known to the model");
  if (a.lmc > 7) return fail(errc::protocol_error, where + ": LMC " + std::to_string(a.lmc) + " above 7");
  // LIDs mean nothing on an Ethernet (RoCE) port; the kernel reports 0.
  m.lid = p.link_layer == LinkLayer::Ethernet ? 0 : a.lid;
  m.lmc = p.link_layer == LinkLayer::Ethernet ? 0 : a.lmc;
  p.sm_lid = p.link_layer == LinkLayer::Ethernet ? 0 : a.sm_lid;
  m.guid = be64_to_host(a.gid0_interface_id_be);
  return p;
}

Result<RdmaDevice> map_device(const VerbsDeviceAttr& d, std::span<const VerbsPortAttr> ports) {
  if (ports.size() != d.phys_port_cnt)
    return fail(errc::inconsistent, d.name + ": " + std::to_string(ports.size()) + " port attributes for " +
                                        std::to_string(d.phys_port_cnt) + " ports");
  RdmaDevice out;
  out.name = d.name;
  out.node_guid = be64_to_host(d.node_guid_be);
  if (out.node_guid == 0) return fail(errc::invalid_argument, d.name + ": node GUID is 0");
  out.system_guid = be64_to_host(d.sys_image_guid_be);
  out.vendor_id = d.vendor_id;
  out.vendor_part_id = d.vendor_part_id;
  out.hw_version = d.hw_ver;
  out.firmware = d.fw_ver;
  switch (d.node_type) {
    case 2: out.node_type = model::NodeType::Switch; break;
    case 3: out.node_type = model::NodeType::Router; break;
    default: out.node_type = model::NodeType::ChannelAdapter; break;  // CA, RNIC, usNIC, ...
  }
  for (std::size_t i = 0; i < ports.size(); ++i) {
    auto p = map_port(unsigned(i + 1), ports[i]);
    if (!p) return fail(p.error().code == make_error_code(errc::out_of_range) ? errc::out_of_range : errc::protocol_error,
                        d.name + " " + p.error().message);
    out.ports.push_back(std::move(*p));
  }
  return out;
}

Result<model::Fabric> to_fabric(std::span<const RdmaDevice> devices) {
  model::Fabric f;
  for (const RdmaDevice& d : devices) {
    if (d.ports.empty()) continue;
    model::NodeSpec spec;
    spec.type = d.node_type;
    spec.guid = d.node_guid;
    spec.num_ports = unsigned(d.ports.size());
    spec.description = d.name;
    spec.system_guid = d.system_guid;
    spec.vendor_id = d.vendor_id & 0xffffff;
    spec.device_id = std::uint16_t(d.vendor_part_id);
    if (d.node_type != model::NodeType::Switch)
      for (const RdmaPort& p : d.ports) spec.port_guids.push_back(p.attributes.guid ? p.attributes.guid : d.node_guid + p.number);
    auto id = f.add_node(spec);
    if (!id) return fail(id.error().code == make_error_code(errc::already_exists) ? errc::already_exists : errc::invalid_argument,
                         d.name + ": " + id.error().message);
    for (const RdmaPort& p : d.ports) {
      model::PortAttributes a = p.attributes;
      a.guid = d.node_type == model::NodeType::Switch ? d.node_guid : spec.port_guids[p.number - 1];
      if (auto r = f.set_port({*id, p.number}, a); !r) return fail(errc::invalid_argument, d.name + " port " + std::to_string(p.number) + ": " + r.error().message);
    }
  }
  return f;
}

} // namespace ofmf::backend::verbs
