// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Performance management (IBA 16.1): the PerfMgt MAD and its attributes,
// encoded and decoded by the tables in tables.hpp, and the model's
// counters from them.
#include <algorithm>

#include "common.hpp"

namespace ofmf::backend::umad {

using detail::bad;
using detail::hex;

namespace {

template <class T, std::size_t N>
PerfData to_data(const fields::Layout<T, N>& l, const T& v) noexcept {
  PerfData d{};
  fields::encode(l, v, d);
  return d;
}

// A request for `attr`: PortSelect `port` (ClassPortInfo has none), and
// with `clear` every CounterSelect (and CounterSelect2) bit, which makes a
// Set clear every counter.
PerfMad make_perf(std::uint16_t dlid, Method method, PerfAttr attr, std::uint8_t port, bool clear,
                  std::uint64_t tid) {
  PerfMad m;
  m.header = detail::request_header(MgmtClass::PerfMgt, perf_class_version, method, std::uint16_t(attr), 0, tid);
  m.dest_lid = dlid;
  if (attr == PerfAttr::PortCounters) {
    PortCounters c;
    c.port_select = port;
    c.counter_select = clear ? 0xFFFF : 0;
    c.counter_select2 = clear ? 0xFF : 0;
    m.data = encode(c);
  } else if (attr == PerfAttr::PortCountersExtended) {
    PortCountersExtended c;
    c.port_select = port;
    c.counter_select = clear ? 0xFFFF : 0;
    m.data = encode(c);
  }
  return m;
}

} // namespace

void encode(const PerfMad& mad, MadBuffer& out) noexcept {
  out.fill(0);
  fields::encode(tables::mad_header, mad.header, out);
  fields::encode(tables::perf, mad, out);
}

Result<PerfMad> decode_perf(std::span<const std::uint8_t> bytes) {
  auto h = decode_header(bytes);
  if (!h) return fail(std::move(h).error());
  if (h->mgmt_class != static_cast<std::uint8_t>(MgmtClass::PerfMgt))
    return bad("PerfMgt MAD: management class " + hex(h->mgmt_class, 2) + ", expected 0x04");
  if (h->class_version != perf_class_version)
    return bad("PerfMgt MAD: class version " + std::to_string(h->class_version) + ", expected 1");
  PerfMad m;
  m.header = *h;
  fields::decode_into(tables::perf, bytes, m);
  return m;
}

PerfMad make_perf_get(std::uint16_t dlid, PerfAttr attr, std::uint8_t port, std::uint64_t tid) {
  return make_perf(dlid, Method::Get, attr, port, false, tid);
}

PerfMad make_perf_reset(std::uint16_t dlid, PerfAttr attr, std::uint8_t port, std::uint64_t tid) {
  return make_perf(dlid, Method::Set, attr, port, true, tid);
}

Result<void> check_response(const PerfMad& request, const PerfMad& response) {
  if (auto c = detail::check_common(request.header, response.header, "PerfMgt"); !c) return c;
  return detail::check_status(response.header, response.header.status, "PerfMgt");
}

std::string dump_attribute(PerfAttr id, std::span<const std::uint8_t> data) {
  std::string out;
  detail::dump_perf_attribute(out, static_cast<std::uint16_t>(id), data, false);
  return out;
}

bool detail::dump_perf_attribute(std::string& out, std::uint16_t attr, std::span<const std::uint8_t> data,
                                 bool qualified) {
  switch (PerfAttr(attr)) {
    case PerfAttr::ClassPortInfo: fields::dump(out, tables::class_port_info, data, qualified); return true;
    case PerfAttr::PortCounters: fields::dump(out, tables::port_counters, data, qualified); return true;
    case PerfAttr::PortCountersExtended: fields::dump(out, tables::port_counters_ext, data, qualified); return true;
  }
  return false;
}

PerfData encode(const ClassPortInfo& v) noexcept { return to_data(tables::class_port_info, v); }

Result<ClassPortInfo> decode_class_port_info(std::span<const std::uint8_t> p) {
  return fields::decode(tables::class_port_info, p);
}

PerfData encode(const PortCounters& v) noexcept { return to_data(tables::port_counters, v); }

Result<PortCounters> decode_port_counters(std::span<const std::uint8_t> p) {
  return fields::decode(tables::port_counters, p);
}

PerfData encode(const PortCountersExtended& v) noexcept { return to_data(tables::port_counters_ext, v); }

Result<PortCountersExtended> decode_port_counters_ext(std::span<const std::uint8_t> p) {
  return fields::decode(tables::port_counters_ext, p);
}

model::PortCounters to_counters(const PortCounters* basic, const PortCountersExtended* ext,
                                bool ext_has_error_counters) noexcept {
  model::PortCounters c;
  if (basic) {
    c.tx_bytes = std::uint64_t(basic->port_xmit_data) * 4;
    c.rx_bytes = std::uint64_t(basic->port_rcv_data) * 4;
    c.tx_packets = basic->port_xmit_pkts;
    c.rx_packets = basic->port_rcv_pkts;
    c.symbol_errors = basic->symbol_error_counter;
    c.link_error_recoveries = basic->link_error_recovery_counter;
    c.link_downed = basic->link_downed_counter;
    c.rx_errors = basic->port_rcv_errors;
    c.rx_remote_physical_errors = basic->port_rcv_remote_physical_errors;
    c.rx_switch_relay_errors = basic->port_rcv_switch_relay_errors;
    c.tx_discards = basic->port_xmit_discards;
    c.tx_constraint_errors = basic->port_xmit_constraint_errors;
    c.rx_constraint_errors = basic->port_rcv_constraint_errors;
    c.local_link_integrity_errors = basic->local_link_integrity_errors;
    c.excessive_buffer_overrun_errors = basic->excessive_buffer_overrun_errors;
    c.vl15_dropped = basic->vl15_dropped;
    c.tx_wait = basic->port_xmit_wait;
  }
  if (ext) {
    // Words x 4, saturating instead of wrapping on a (theoretical) overflow.
    auto octets = [](std::uint64_t words) { return words > UINT64_MAX / 4 ? UINT64_MAX : words * 4; };
    c.tx_bytes = octets(ext->port_xmit_data);
    c.rx_bytes = octets(ext->port_rcv_data);
    c.tx_packets = ext->port_xmit_pkts;
    c.rx_packets = ext->port_rcv_pkts;
    c.tx_unicast_packets = ext->port_unicast_xmit_pkts;
    c.rx_unicast_packets = ext->port_unicast_rcv_pkts;
    c.tx_multicast_packets = ext->port_multicast_xmit_pkts;
    c.rx_multicast_packets = ext->port_multicast_rcv_pkts;
    if (ext_has_error_counters || !basic) {
      c.symbol_errors = ext->symbol_error_counter;
      c.link_error_recoveries = ext->link_error_recovery_counter;
      c.link_downed = ext->link_downed_counter;
      c.rx_errors = ext->port_rcv_errors;
      c.rx_remote_physical_errors = ext->port_rcv_remote_physical_errors;
      c.rx_switch_relay_errors = ext->port_rcv_switch_relay_errors;
      c.tx_discards = ext->port_xmit_discards;
      c.tx_constraint_errors = ext->port_xmit_constraint_errors;
      c.rx_constraint_errors = ext->port_rcv_constraint_errors;
      c.local_link_integrity_errors = ext->local_link_integrity_errors;
      c.excessive_buffer_overrun_errors = ext->excessive_buffer_overrun_errors;
      c.vl15_dropped = ext->vl15_dropped;
      c.tx_wait = ext->port_xmit_wait;
    }
  }
  return c;
}

} // namespace ofmf::backend::umad
