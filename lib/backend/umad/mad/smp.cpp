// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Subnet-management packets and their attributes (IBA 14.2): encode and
// decode are walks over the tables in tables.hpp plus the checks of each
// attribute; the model's view of a PortInfo and the rules of a Set.
#include <algorithm>

#include "common.hpp"

namespace ofmf::backend::umad {

using detail::bad;
using detail::hex;

namespace {

Smp make_dr(const DrPath& path, Method method, AttrId attr, std::uint32_t attr_mod, std::uint64_t tid) {
  Smp s;
  s.header = detail::request_header(MgmtClass::SubnDirected, smp_class_version, method, std::uint16_t(attr), attr_mod, tid);
  s.header.hop_count = std::min(path.hops, DrPath::max_hops);
  s.initial_path = path;
  s.initial_path.hops = s.header.hop_count;
  s.dr_slid = permissive_lid;
  s.dr_dlid = permissive_lid;
  return s;
}

Smp make_lid(std::uint16_t dlid, Method method, AttrId attr, std::uint32_t attr_mod, std::uint64_t tid) {
  Smp s;
  s.header = detail::request_header(MgmtClass::SubnLid, smp_class_version, method, std::uint16_t(attr), attr_mod, tid);
  s.dr_slid = 0;
  s.dr_dlid = 0;
  s.dest_lid = dlid;
  return s;
}

// What the SMP table leaves to the class: a LID-routed SMP has no DR
// fields on the wire, a directed one path entries 1..hop count only.
void keep_wire_fields(Smp& s) noexcept {
  const unsigned n = s.directed() ? std::min<unsigned>(s.header.hop_count, DrPath::max_hops) : 0;
  if (!s.directed()) {
    s.dr_slid = 0;
    s.dr_dlid = 0;
  }
  for (DrPath* p : {&s.initial_path, &s.return_path}) {
    p->hops = static_cast<std::uint8_t>(n);
    p->ports[0] = 0;
    std::fill(p->ports.begin() + 1 + n, p->ports.end(), std::uint8_t{0});
  }
}

// An attribute's SmpData (the 64-octet data area) from its table.
template <class T, std::size_t N>
SmpData to_data(const fields::Layout<T, N>& l, const T& v) noexcept {
  SmpData d{};
  fields::encode(l, v, d);
  return d;
}

} // namespace

// ---- SMPs -----------------------------------------------------------------

void encode(const Smp& smp, MadBuffer& out) noexcept {
  Smp s = smp;
  keep_wire_fields(s);
  out.fill(0);
  fields::encode(tables::mad_header, s.header, out);
  fields::encode(tables::smp, s, out);
}

Result<Smp> decode_smp(std::span<const std::uint8_t> bytes) {
  auto h = decode_header(bytes);
  if (!h) return fail(std::move(h).error());
  const bool dr = h->mgmt_class == static_cast<std::uint8_t>(MgmtClass::SubnDirected);
  if (!dr && h->mgmt_class != static_cast<std::uint8_t>(MgmtClass::SubnLid))
    return bad("SMP: management class " + hex(h->mgmt_class, 2) + ", expected 0x81 or 0x01");
  if (h->class_version != smp_class_version)
    return bad("SMP: class version " + std::to_string(h->class_version) + ", expected 1");
  if (dr && h->hop_count > DrPath::max_hops)
    return bad("SMP: hop count " + std::to_string(h->hop_count) + ", at most 63");
  if (dr && h->hop_pointer > h->hop_count + 1)
    return bad("SMP: hop pointer " + std::to_string(h->hop_pointer) + " beyond hop count " +
               std::to_string(h->hop_count) + " + 1");
  Smp s;
  s.header = *h;
  fields::decode_into(tables::smp, bytes, s);
  keep_wire_fields(s);
  return s;
}

Smp make_dr_get(const DrPath& path, AttrId attr, std::uint32_t attr_mod, std::uint64_t tid) {
  return make_dr(path, Method::Get, attr, attr_mod, tid);
}

Smp make_dr_set(const DrPath& path, AttrId attr, std::uint32_t attr_mod, std::uint64_t tid,
                std::span<const std::uint8_t, smp_data_size> data) {
  Smp s = make_dr(path, Method::Set, attr, attr_mod, tid);
  std::copy(data.begin(), data.end(), s.data.begin());
  return s;
}

Smp make_lid_get(std::uint16_t dlid, AttrId attr, std::uint32_t attr_mod, std::uint64_t tid) {
  return make_lid(dlid, Method::Get, attr, attr_mod, tid);
}

Smp make_lid_set(std::uint16_t dlid, AttrId attr, std::uint32_t attr_mod, std::uint64_t tid,
                 std::span<const std::uint8_t, smp_data_size> data) {
  Smp s = make_lid(dlid, Method::Set, attr, attr_mod, tid);
  std::copy(data.begin(), data.end(), s.data.begin());
  return s;
}

Result<void> check_response(const Smp& request, const Smp& response) {
  const MadHeader& q = request.header;
  const MadHeader& r = response.header;
  if (auto c = detail::check_common(q, r, "SMP"); !c) return c;
  std::uint16_t status = r.status;
  if (request.directed()) {
    const std::string who = "SMP " + detail::method_name(q.method) + " " + to_string(AttrId(q.attr_id)) + " at DR path " +
                            request.initial_path.to_string();
    if (!(r.status & dr_direction_bit)) return bad(who + ": answer lacks the direction bit (D = 0)");
    if (r.hop_count != q.hop_count)
      return bad(who + ": answer has hop count " + std::to_string(r.hop_count) + ", expected " +
                 std::to_string(q.hop_count));
    status = static_cast<std::uint16_t>(status & ~dr_direction_bit);
  }
  return detail::check_status(r, status, "SMP");
}

// ---- attributes -----------------------------------------------------------

std::string dump_attribute(AttrId id, std::span<const std::uint8_t> data) {
  std::string out;
  detail::dump_smp_attribute(out, static_cast<std::uint16_t>(id), data, false);
  return out;
}

bool detail::dump_smp_attribute(std::string& out, std::uint16_t attr, std::span<const std::uint8_t> data,
                                bool qualified) {
  switch (AttrId(attr)) {
    case AttrId::ClassPortInfo: fields::dump(out, tables::class_port_info, data, qualified); return true;
    case AttrId::NodeDescription: fields::dump(out, tables::node_description, data, qualified); return true;
    case AttrId::NodeInfo: fields::dump(out, tables::node_info, data, qualified); return true;
    case AttrId::SwitchInfo: fields::dump(out, tables::switch_info, data, qualified); return true;
    case AttrId::PortInfo: fields::dump(out, tables::port_info, data, qualified); return true;
    case AttrId::PKeyTable: fields::dump(out, tables::pkey_block, data, qualified); return true;
    case AttrId::SL2VLTable: fields::dump(out, tables::sl2vl, data, qualified); return true;
    case AttrId::LinearForwardingTable: fields::dump(out, tables::lft_block, data, qualified); return true;
  }
  return false;
}

SmpData encode(const NodeInfo& v) noexcept { return to_data(tables::node_info, v); }

Result<NodeInfo> decode_node_info(std::span<const std::uint8_t> p) {
  auto n = fields::decode(tables::node_info, p);
  if (!n) return n;
  const NodeInfo& v = *n;
  const std::string who = "NodeInfo of " + hex(v.node_guid, 16);
  if (v.node_type < 1 || v.node_type > 3) return bad(who + ": NodeType " + std::to_string(v.node_type) + " (1..3)");
  if (v.num_ports == 0 || v.num_ports > model::max_ports)
    return bad(who + ": NumPorts " + std::to_string(v.num_ports) + " (1.." + std::to_string(model::max_ports) + ")");
  if (v.local_port_num > v.num_ports)
    return bad(who + ": LocalPortNum " + std::to_string(v.local_port_num) + " > NumPorts " +
               std::to_string(v.num_ports));
  if (v.local_port_num == 0 && v.node_type != static_cast<std::uint8_t>(model::NodeType::Switch))
    return bad(who + ": LocalPortNum 0 on a node that is not a switch");
  return n;
}

SmpData encode(const NodeDescription& v) noexcept { return to_data(tables::node_description, v); }

Result<NodeDescription> decode_node_description(std::span<const std::uint8_t> p) {
  return fields::decode(tables::node_description, p);
}

SmpData encode(const PortInfo& v) noexcept { return to_data(tables::port_info, v); }

Result<PortInfo> decode_port_info(std::span<const std::uint8_t> p) {
  auto r = fields::decode(tables::port_info, p);
  if (!r) return r;
  const PortInfo& v = *r;
  if (v.port_state > 4)
    return bad("PortInfo of port " + std::to_string(v.local_port_num) + ": PortState " + std::to_string(v.port_state) +
               " is reserved");
  if (v.port_physical_state > 7)
    return bad("PortInfo of port " + std::to_string(v.local_port_num) + ": PortPhysicalState " +
               std::to_string(v.port_physical_state) + " is reserved");
  return r;
}

Result<model::PortAttributes> to_attributes(const PortInfo& info, model::Guid port_guid,
                                            std::optional<std::uint32_t> capability_mask, bool fdr10_active) {
  const std::uint32_t cap = capability_mask.value_or(info.capability_mask);
  model::PortAttributes a;
  a.guid = port_guid;
  a.lid = info.lid;
  a.lmc = static_cast<std::uint8_t>(info.lmc & 7);
  if (info.port_state > 4) return bad("PortInfo: PortState " + std::to_string(info.port_state) + " is reserved");
  if (info.port_physical_state > 7)
    return bad("PortInfo: PortPhysicalState " + std::to_string(info.port_physical_state) + " is reserved");
  a.state = static_cast<model::PortState>(info.port_state);
  a.phys_state = static_cast<model::PhysState>(info.port_physical_state);
  // A port that is down has no negotiated width, speed or MTU.
  const bool down = a.state == model::PortState::Down || a.state == model::PortState::NoChange;
  const std::string who = "PortInfo of port " + model::format_guid(port_guid) + "/" + std::to_string(info.local_port_num);

  switch (info.link_width_active) {
    case 1: a.width = model::LinkWidth::X1; break;
    case 2: a.width = model::LinkWidth::X4; break;
    case 4: a.width = model::LinkWidth::X8; break;
    case 8: a.width = model::LinkWidth::X12; break;
    case 16: a.width = model::LinkWidth::X2; break;
    default:
      if (!down) return bad(who + ": LinkWidthActive " + hex(info.link_width_active, 2) + " is not one width");
  }

  std::optional<model::LinkSpeed> speed;
  if ((cap & cap_is_extended_speeds_supported) && info.link_speed_ext_active != 0) {
    switch (info.link_speed_ext_active) {
      case 1: speed = model::LinkSpeed::FDR; break;
      case 2: speed = model::LinkSpeed::EDR; break;
      case 4: speed = model::LinkSpeed::HDR; break;
      case 8: speed = model::LinkSpeed::NDR; break;
      default: break;
    }
    if (!speed && !down)
      return bad(who + ": LinkSpeedExtActive " + std::to_string(info.link_speed_ext_active) + " is not one speed");
  } else if (fdr10_active) {
    speed = model::LinkSpeed::FDR10;
  } else {
    switch (info.link_speed_active) {
      case 1: speed = model::LinkSpeed::SDR; break;
      case 2: speed = model::LinkSpeed::DDR; break;
      case 4: speed = model::LinkSpeed::QDR; break;
      default: break;
    }
    if (!speed && !down)
      return bad(who + ": LinkSpeedActive " + std::to_string(info.link_speed_active) + " is not one speed");
  }
  if (speed) a.speed = *speed;

  if (info.neighbor_mtu >= 1 && info.neighbor_mtu <= 5)
    a.mtu = static_cast<model::Mtu>(info.neighbor_mtu);
  else if (!down)
    return bad(who + ": NeighborMTU " + std::to_string(info.neighbor_mtu) + " (1..5)");
  return a;
}

Result<PortInfo> for_set(const PortInfo& current, const PortInfoChange& change) {
  PortInfo v = current;
  // IBA 14.2.5.6: these mean "no change" when 0 in a Set.
  v.port_state = 0;
  v.port_physical_state = 0;
  v.link_down_default_state = 0;
  v.link_width_enabled = 0;
  v.link_speed_enabled = 0;
  v.link_speed_ext_enabled = 0;
  v.client_reregister = change.client_reregister;
  if (change.lid) v.lid = *change.lid;
  if (change.lmc) {
    if (*change.lmc > 7) return fail(errc::invalid_argument, "PortInfo Set: LMC " + std::to_string(*change.lmc) + " (0..7)");
    v.lmc = *change.lmc;
  }
  if (change.state) {
    switch (*change.state) {
      case model::PortState::Down:
      case model::PortState::Armed:
      case model::PortState::Active: v.port_state = static_cast<std::uint8_t>(*change.state); break;
      default:
        return fail(errc::invalid_argument, "PortInfo Set: PortState " + std::string(model::to_string(*change.state)) +
                                                " cannot be set (Down, Armed or Active)");
    }
  }
  if (change.phys_state) {
    switch (*change.phys_state) {
      case model::PhysState::Sleep:
      case model::PhysState::Polling:
      case model::PhysState::Disabled: v.port_physical_state = static_cast<std::uint8_t>(*change.phys_state); break;
      default:
        return fail(errc::invalid_argument, "PortInfo Set: PortPhysicalState " +
                                                std::string(model::to_string(*change.phys_state)) +
                                                " cannot be set (Sleep, Polling or Disabled)");
    }
  }
  if (change.master_sm_lid) v.master_sm_lid = *change.master_sm_lid;
  if (change.master_sm_sl) {
    if (*change.master_sm_sl > 15)
      return fail(errc::invalid_argument, "PortInfo Set: MasterSMSL " + std::to_string(*change.master_sm_sl) + " (0..15)");
    v.master_sm_sl = *change.master_sm_sl;
  }
  if (change.subnet_timeout) {
    if (*change.subnet_timeout > 31)
      return fail(errc::invalid_argument,
                  "PortInfo Set: SubnetTimeOut " + std::to_string(*change.subnet_timeout) + " (0..31)");
    v.subnet_timeout = *change.subnet_timeout;
  }
  if (change.gid_prefix) v.gid_prefix = *change.gid_prefix;
  if (change.operational_vls) {
    const unsigned ovl = *change.operational_vls;
    if (ovl == 0 || ovl > 5 || ovl > current.vl_cap)
      return fail(errc::invalid_argument, "PortInfo Set: OperationalVLs " + std::to_string(ovl) + " (1.." +
                                              std::to_string(std::min<unsigned>(5, current.vl_cap)) + ", VLCap " +
                                              std::to_string(current.vl_cap) + ")");
    v.operational_vls = std::uint8_t(ovl);
  }
  return v;
}

Result<PortInfo> for_set(const PortInfo& current, const model::PortAttributes& want,
                         std::optional<model::PortState> state) {
  PortInfoChange c;
  c.lid = want.lid;
  c.lmc = want.lmc;
  c.state = state;
  return for_set(current, c);
}


SmpData encode(const SwitchInfo& v) noexcept { return to_data(tables::switch_info, v); }

Result<SwitchInfo> decode_switch_info(std::span<const std::uint8_t> p) { return fields::decode(tables::switch_info, p); }

SmpData encode(const LftBlock& v) noexcept { return to_data(tables::lft_block, v); }

Result<LftBlock> decode_lft_block(std::span<const std::uint8_t> p) { return fields::decode(tables::lft_block, p); }

SmpData encode(const PKeyBlock& v) noexcept { return to_data(tables::pkey_block, v); }

Result<PKeyBlock> decode_pkey_block(std::span<const std::uint8_t> p) { return fields::decode(tables::pkey_block, p); }

SmpData encode(const Sl2VlTable& v) noexcept { return to_data(tables::sl2vl, v); }

Result<Sl2VlTable> decode_sl2vl(std::span<const std::uint8_t> p) { return fields::decode(tables::sl2vl, p); }

} // namespace ofmf::backend::umad
