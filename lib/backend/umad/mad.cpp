// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// The MAD codec: IBA 1.4 field layouts, read and written bit by bit at
// their specification offsets (bit 0 = most significant bit of octet 0,
// as the IBA tables and libibmad's BITSOFFS count).
#include "mad.hpp"

#include <algorithm>
#include <cstdio>

namespace ofmf::backend::umad {
namespace {

// ---- bit fields -----------------------------------------------------------

std::uint64_t get_bits(std::span<const std::uint8_t> p, unsigned off, unsigned width) noexcept {
  // Callers check the span's size first; this guard only keeps a wrong
  // offset from reading out of bounds.
  if ((off + width + 7) / 8 > p.size()) return 0;
  if (off % 8 == 0 && width % 8 == 0) {
    std::uint64_t v = 0;
    for (unsigned i = 0; i < width / 8; ++i) v = (v << 8) | p[off / 8 + i];
    return v;
  }
  std::uint64_t v = 0;
  for (unsigned i = 0; i < width; ++i) {
    const unsigned b = off + i;
    v = (v << 1) | ((p[b / 8] >> (7 - b % 8)) & 1u);
  }
  return v;
}

void put_bits(std::span<std::uint8_t> p, unsigned off, unsigned width, std::uint64_t v) noexcept {
  if ((off + width + 7) / 8 > p.size()) return;
  if (off % 8 == 0 && width % 8 == 0) {
    for (unsigned i = width / 8; i-- > 0; v >>= 8) p[off / 8 + i] = static_cast<std::uint8_t>(v);
    return;
  }
  for (unsigned i = 0; i < width; ++i) {
    const unsigned b = off + width - 1 - i;
    const auto mask = static_cast<std::uint8_t>(1u << (7 - b % 8));
    if ((v >> i) & 1u)
      p[b / 8] = static_cast<std::uint8_t>(p[b / 8] | mask);
    else
      p[b / 8] = static_cast<std::uint8_t>(p[b / 8] & ~mask);
  }
}

template <class T>
T get(std::span<const std::uint8_t> p, unsigned off, unsigned width) noexcept {
  return static_cast<T>(get_bits(p, off, width));
}

std::string hex(std::uint64_t v, int digits) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%0*llx", digits, static_cast<unsigned long long>(v));
  return buf;
}

Unexpected bad(std::string what) { return fail(errc::protocol_error, std::move(what)); }

Result<void> need(std::span<const std::uint8_t> data, std::size_t size, const char* what) {
  if (data.size() < size)
    return bad(std::string(what) + ": " + std::to_string(data.size()) + " octets, needs " + std::to_string(size));
  return {};
}

// ---- common header (IBA 13.4.3) -------------------------------------------

void put_header(const MadHeader& h, std::span<std::uint8_t> p) noexcept {
  put_bits(p, 0, 8, h.base_version);
  put_bits(p, 8, 8, h.mgmt_class);
  put_bits(p, 16, 8, h.class_version);
  put_bits(p, 24, 8, h.method);
  put_bits(p, 32, 16, h.status);
  put_bits(p, 48, 8, h.hop_pointer);
  put_bits(p, 56, 8, h.hop_count);
  put_bits(p, 64, 64, h.tid);
  put_bits(p, 128, 16, h.attr_id);
  put_bits(p, 144, 16, 0);  // reserved
  put_bits(p, 160, 32, h.attr_mod);
}

MadHeader get_header(std::span<const std::uint8_t> p) noexcept {
  MadHeader h;
  h.base_version = get<std::uint8_t>(p, 0, 8);
  h.mgmt_class = get<std::uint8_t>(p, 8, 8);
  h.class_version = get<std::uint8_t>(p, 16, 8);
  h.method = get<std::uint8_t>(p, 24, 8);
  h.status = get<std::uint16_t>(p, 32, 16);
  h.hop_pointer = get<std::uint8_t>(p, 48, 8);
  h.hop_count = get<std::uint8_t>(p, 56, 8);
  h.tid = get<std::uint64_t>(p, 64, 64);
  h.attr_id = get<std::uint16_t>(p, 128, 16);
  h.attr_mod = get<std::uint32_t>(p, 160, 32);
  return h;
}

// Octet offsets inside an SMP (IBA 14.2.1.1 and 14.2.1.2).
constexpr std::size_t smp_mkey_off = 24;
constexpr std::size_t smp_dr_slid_off = 32;
constexpr std::size_t smp_dr_dlid_off = 34;
constexpr std::size_t smp_data_off = 64;
constexpr std::size_t smp_initial_path_off = 128;
constexpr std::size_t smp_return_path_off = 192;
// PerfMgt MAD: 24-octet header, 40 reserved, 192 data (IBA 16.1.1).
constexpr std::size_t perf_data_off = 64;

std::string method_name(std::uint8_t m) {
  switch (m) {
    case 0x01: return "Get";
    case 0x02: return "Set";
    case 0x81: return "GetResp";
    case 0x05: return "Trap";
    case 0x07: return "TrapRepress";
    default: return hex(m, 2);
  }
}

Smp make_smp(MgmtClass cls, Method method, AttrId attr, std::uint32_t attr_mod, std::uint64_t tid) {
  Smp s;
  s.header.base_version = mad_base_version;
  s.header.mgmt_class = static_cast<std::uint8_t>(cls);
  s.header.class_version = smp_class_version;
  s.header.method = static_cast<std::uint8_t>(method);
  s.header.tid = tid;
  s.header.attr_id = static_cast<std::uint16_t>(attr);
  s.header.attr_mod = attr_mod;
  return s;
}

Smp make_dr(const DrPath& path, Method method, AttrId attr, std::uint32_t attr_mod, std::uint64_t tid) {
  Smp s = make_smp(MgmtClass::SubnDirected, method, attr, attr_mod, tid);
  s.header.hop_count = std::min(path.hops, DrPath::max_hops);
  s.initial_path = path;
  s.initial_path.hops = s.header.hop_count;
  s.dr_slid = permissive_lid;
  s.dr_dlid = permissive_lid;
  return s;
}

Smp make_lid(std::uint16_t dlid, Method method, AttrId attr, std::uint32_t attr_mod, std::uint64_t tid) {
  Smp s = make_smp(MgmtClass::SubnLid, method, attr, attr_mod, tid);
  s.dr_slid = 0;
  s.dr_dlid = 0;
  s.dest_lid = dlid;
  return s;
}

// Shared by both check_response() overloads.
Result<void> check_common(const MadHeader& q, const MadHeader& r, const char* kind) {
  const std::string who = std::string(kind) + " " + method_name(q.method) + " attribute " + hex(q.attr_id, 4) +
                          " modifier " + hex(q.attr_mod, 8) + " tid " + hex(q.tid, 16);
  if (r.mgmt_class != q.mgmt_class)
    return bad(who + ": answer has class " + hex(r.mgmt_class, 2) + ", expected " + hex(q.mgmt_class, 2));
  if (r.method != static_cast<std::uint8_t>(Method::GetResp))
    return bad(who + ": answer has method " + method_name(r.method) + ", expected GetResp");
  if ((r.tid & tid_mask) != (q.tid & tid_mask))
    return bad(who + ": answer has transaction ID " + hex(r.tid, 16) + ", expected " + hex(q.tid & tid_mask, 8) +
               " in the low 32 bits");
  if (r.attr_id != q.attr_id)
    return bad(who + ": answer has attribute " + hex(r.attr_id, 4) + ", expected " + hex(q.attr_id, 4));
  if (r.attr_mod != q.attr_mod)
    return bad(who + ": answer has attribute modifier " + hex(r.attr_mod, 8) + ", expected " + hex(q.attr_mod, 8));
  return {};
}

Result<void> check_status(const MadHeader& r, std::uint16_t status, const char* kind) {
  if (status == 0) return {};
  const std::string msg = std::string(kind) + " attribute " + hex(r.attr_id, 4) + " modifier " + hex(r.attr_mod, 8) +
                          ": status " + hex(status, 4) + " (" + status_text(status) + ")";
  if (status & 0x0001) return fail(errc::busy, msg);
  switch ((status >> 2) & 0x7) {
    case 2:
    case 3: return fail(errc::not_supported, msg);
    case 7: return fail(errc::invalid_argument, msg);
    default: return bad(msg);
  }
}

} // namespace

// ---- names ----------------------------------------------------------------

std::string to_string(AttrId id) {
  switch (id) {
    case AttrId::ClassPortInfo: return "ClassPortInfo";
    case AttrId::NodeDescription: return "NodeDescription";
    case AttrId::NodeInfo: return "NodeInfo";
    case AttrId::SwitchInfo: return "SwitchInfo";
    case AttrId::PortInfo: return "PortInfo";
    case AttrId::PKeyTable: return "P_KeyTable";
    case AttrId::SL2VLTable: return "SLtoVLMappingTable";
    case AttrId::LinearForwardingTable: return "LinearForwardingTable";
  }
  return hex(static_cast<std::uint16_t>(id), 4);
}

std::string to_string(PerfAttr id) {
  switch (id) {
    case PerfAttr::ClassPortInfo: return "ClassPortInfo";
    case PerfAttr::PortCounters: return "PortCounters";
    case PerfAttr::PortCountersExtended: return "PortCountersExtended";
  }
  return hex(static_cast<std::uint16_t>(id), 4);
}

std::string status_text(std::uint16_t status) {
  status = static_cast<std::uint16_t>(status & ~dr_direction_bit);
  if (status == 0) return "success";
  std::string out;
  auto add = [&](const std::string& s) {
    if (!out.empty()) out += ", ";
    out += s;
  };
  if (status & 0x0001) add("busy");
  if (status & 0x0002) add("redirect required");
  switch ((status >> 2) & 0x7) {
    case 0: break;
    case 1: add("bad version"); break;
    case 2: add("method not supported"); break;
    case 3: add("unsupported attribute"); break;
    case 7: add("invalid field"); break;
    default: add("reserved code " + std::to_string((status >> 2) & 0x7)); break;
  }
  if (status & 0x00E0) add("reserved bits " + hex(status & 0x00E0, 4));
  if (status & 0x7F00) add("class-specific " + hex(status & 0x7F00, 4));
  return out;
}

Result<MadHeader> decode_header(std::span<const std::uint8_t> bytes) {
  if (auto r = need(bytes, mad_size, "MAD"); !r) return fail(std::move(r).error());
  MadHeader h = get_header(bytes);
  if (h.base_version != mad_base_version)
    return bad("MAD: base version " + std::to_string(h.base_version) + ", expected 1");
  return h;
}

Result<std::vector<MadBuffer>> parse_mad_hex(std::string_view text) {
  std::vector<std::uint8_t> octets;
  unsigned line = 1;
  int high = -1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      continue;
    }
    if (c == '#') {
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') continue;
    int v = -1;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    if (v < 0) return fail(errc::parse_error, "MAD hex: line " + std::to_string(line) + ": unexpected character");
    if (high < 0) {
      high = v;
    } else {
      octets.push_back(static_cast<std::uint8_t>(high << 4 | v));
      high = -1;
    }
  }
  if (high >= 0) return fail(errc::parse_error, "MAD hex: odd number of hex digits");
  if (octets.size() % mad_size != 0)
    return fail(errc::parse_error,
                "MAD hex: " + std::to_string(octets.size()) + " octets, not a multiple of " + std::to_string(mad_size));
  std::vector<MadBuffer> out(octets.size() / mad_size);
  for (std::size_t m = 0; m < out.size(); ++m)
    std::copy_n(octets.begin() + std::ptrdiff_t(m * mad_size), mad_size, out[m].begin());
  return out;
}

std::string format_mad_hex(std::span<const std::uint8_t, mad_size> mad) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s;
  s.reserve(mad_size / 16 * 40);
  for (std::size_t i = 0; i < mad_size; ++i) {
    s += digits[mad[i] >> 4];
    s += digits[mad[i] & 15];
    if (i % 16 == 15) s += '\n';
    else if (i % 2 == 1) s += ' ';
  }
  return s;
}

// ---- directed routes ------------------------------------------------------

Result<DrPath> DrPath::extend(model::PortNum port) const {
  if (hops >= max_hops) return fail(errc::limit_exceeded, "DR path " + to_string() + ": already 63 hops");
  if (port == 0 || port == 255)
    return fail(errc::invalid_argument, "DR path " + to_string() + ": out port " + std::to_string(port));
  DrPath p = *this;
  ++p.hops;
  p.ports[p.hops] = port;
  return p;
}

std::string DrPath::to_string() const {
  std::string s = "0";
  for (unsigned i = 1; i <= std::min<unsigned>(hops, max_hops); ++i) s += "," + std::to_string(ports[i]);
  return s;
}

Result<DrPath> DrPath::parse(std::string_view text) {
  DrPath p;
  std::size_t pos = 0;
  bool first = true;
  if (text.empty()) return fail(errc::invalid_argument, "DR path: empty");
  while (pos <= text.size()) {
    const std::size_t end = std::min(text.find(',', pos), text.size());
    const std::string_view item = text.substr(pos, end - pos);
    unsigned v = 0;
    if (item.empty() || item.size() > 3)
      return fail(errc::invalid_argument, "DR path \"" + std::string(text) + "\": bad element \"" + std::string(item) + "\"");
    for (char c : item) {
      if (c < '0' || c > '9')
        return fail(errc::invalid_argument,
                    "DR path \"" + std::string(text) + "\": bad element \"" + std::string(item) + "\"");
      v = v * 10 + unsigned(c - '0');
    }
    if (first && v == 0) {
      // the leading local node
    } else {
      if (v == 0 || v > 254)
        return fail(errc::invalid_argument,
                    "DR path \"" + std::string(text) + "\": out port " + std::to_string(v) + " (1..254)");
      if (p.hops >= max_hops) return fail(errc::limit_exceeded, "DR path \"" + std::string(text) + "\": over 63 hops");
      p.ports[++p.hops] = static_cast<std::uint8_t>(v);
    }
    first = false;
    pos = end + 1;
  }
  return p;
}

bool operator==(const DrPath& a, const DrPath& b) noexcept {
  if (a.hops != b.hops) return false;
  const unsigned n = std::min<unsigned>(a.hops, DrPath::max_hops);
  return std::equal(a.ports.begin() + 1, a.ports.begin() + 1 + n, b.ports.begin() + 1);
}

// ---- SMPs -----------------------------------------------------------------

void encode(const Smp& smp, MadBuffer& out) noexcept {
  out.fill(0);
  const std::span<std::uint8_t> p(out);
  put_header(smp.header, p);
  put_bits(p, smp_mkey_off * 8, 64, smp.mkey);
  std::copy(smp.data.begin(), smp.data.end(), out.begin() + smp_data_off);
  if (!smp.directed()) {
    // LID routed: octets 6..7 are class-specific, 32..63 and 128..255 reserved.
    return;
  }
  put_bits(p, smp_dr_slid_off * 8, 16, smp.dr_slid);
  put_bits(p, smp_dr_dlid_off * 8, 16, smp.dr_dlid);
  const unsigned n = std::min<unsigned>(smp.header.hop_count, DrPath::max_hops);
  for (unsigned i = 1; i <= n; ++i) {
    out[smp_initial_path_off + i] = smp.initial_path.ports[i];
    out[smp_return_path_off + i] = smp.return_path.ports[i];
  }
}

Result<Smp> decode_smp(std::span<const std::uint8_t> bytes) {
  auto h = decode_header(bytes);
  if (!h) return fail(std::move(h).error());
  Smp s;
  s.header = *h;
  const bool dr = h->mgmt_class == static_cast<std::uint8_t>(MgmtClass::SubnDirected);
  if (!dr && h->mgmt_class != static_cast<std::uint8_t>(MgmtClass::SubnLid))
    return bad("SMP: management class " + hex(h->mgmt_class, 2) + ", expected 0x81 or 0x01");
  if (h->class_version != smp_class_version)
    return bad("SMP: class version " + std::to_string(h->class_version) + ", expected 1");
  s.mkey = get<std::uint64_t>(bytes, smp_mkey_off * 8, 64);
  std::copy_n(bytes.begin() + smp_data_off, smp_data_size, s.data.begin());
  if (!dr) {
    s.dr_slid = 0;
    s.dr_dlid = 0;
    return s;
  }
  if (h->hop_count > DrPath::max_hops)
    return bad("SMP: hop count " + std::to_string(h->hop_count) + ", at most 63");
  if (h->hop_pointer > h->hop_count + 1)
    return bad("SMP: hop pointer " + std::to_string(h->hop_pointer) + " beyond hop count " +
               std::to_string(h->hop_count) + " + 1");
  s.dr_slid = get<std::uint16_t>(bytes, smp_dr_slid_off * 8, 16);
  s.dr_dlid = get<std::uint16_t>(bytes, smp_dr_dlid_off * 8, 16);
  s.initial_path.hops = h->hop_count;
  s.return_path.hops = h->hop_count;
  for (unsigned i = 1; i <= h->hop_count; ++i) {
    s.initial_path.ports[i] = bytes[smp_initial_path_off + i];
    s.return_path.ports[i] = bytes[smp_return_path_off + i];
  }
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
  if (auto c = check_common(q, r, "SMP"); !c) return c;
  std::uint16_t status = r.status;
  if (request.directed()) {
    const std::string who = "SMP " + method_name(q.method) + " " + to_string(AttrId(q.attr_id)) + " at DR path " +
                            request.initial_path.to_string();
    if (!(r.status & dr_direction_bit)) return bad(who + ": answer lacks the direction bit (D = 0)");
    if (r.hop_count != q.hop_count)
      return bad(who + ": answer has hop count " + std::to_string(r.hop_count) + ", expected " +
                 std::to_string(q.hop_count));
    status = static_cast<std::uint16_t>(status & ~dr_direction_bit);
  }
  return check_status(r, status, "SMP");
}

// ---- NodeInfo (IBA 14.2.5.3) ----------------------------------------------

SmpData encode(const NodeInfo& v) noexcept {
  SmpData d{};
  const std::span<std::uint8_t> p(d);
  put_bits(p, 0, 8, v.base_version);
  put_bits(p, 8, 8, v.class_version);
  put_bits(p, 16, 8, v.node_type);
  put_bits(p, 24, 8, v.num_ports);
  put_bits(p, 32, 64, v.system_image_guid);
  put_bits(p, 96, 64, v.node_guid);
  put_bits(p, 160, 64, v.port_guid);
  put_bits(p, 224, 16, v.partition_cap);
  put_bits(p, 240, 16, v.device_id);
  put_bits(p, 256, 32, v.revision);
  put_bits(p, 288, 8, v.local_port_num);
  put_bits(p, 296, 24, v.vendor_id);
  return d;
}

Result<NodeInfo> decode_node_info(std::span<const std::uint8_t> p) {
  if (auto r = need(p, 40, "NodeInfo"); !r) return fail(std::move(r).error());
  NodeInfo v;
  v.base_version = get<std::uint8_t>(p, 0, 8);
  v.class_version = get<std::uint8_t>(p, 8, 8);
  v.node_type = get<std::uint8_t>(p, 16, 8);
  v.num_ports = get<std::uint8_t>(p, 24, 8);
  v.system_image_guid = get<std::uint64_t>(p, 32, 64);
  v.node_guid = get<std::uint64_t>(p, 96, 64);
  v.port_guid = get<std::uint64_t>(p, 160, 64);
  v.partition_cap = get<std::uint16_t>(p, 224, 16);
  v.device_id = get<std::uint16_t>(p, 240, 16);
  v.revision = get<std::uint32_t>(p, 256, 32);
  v.local_port_num = get<std::uint8_t>(p, 288, 8);
  v.vendor_id = get<std::uint32_t>(p, 296, 24);
  const std::string who = "NodeInfo of " + hex(v.node_guid, 16);
  if (v.node_type < 1 || v.node_type > 3) return bad(who + ": NodeType " + std::to_string(v.node_type) + " (1..3)");
  if (v.num_ports == 0 || v.num_ports > model::max_ports)
    return bad(who + ": NumPorts " + std::to_string(v.num_ports) + " (1.." + std::to_string(model::max_ports) + ")");
  if (v.local_port_num > v.num_ports)
    return bad(who + ": LocalPortNum " + std::to_string(v.local_port_num) + " > NumPorts " +
               std::to_string(v.num_ports));
  if (v.local_port_num == 0 && v.node_type != static_cast<std::uint8_t>(model::NodeType::Switch))
    return bad(who + ": LocalPortNum 0 on a node that is not a switch");
  return v;
}

// ---- NodeDescription (IBA 14.2.5.2) ---------------------------------------

SmpData encode(const NodeDescription& v) noexcept {
  SmpData d{};
  std::copy_n(v.text.begin(), std::min(v.text.size(), d.size()), d.begin());
  return d;
}

Result<NodeDescription> decode_node_description(std::span<const std::uint8_t> p) {
  if (auto r = need(p, 64, "NodeDescription"); !r) return fail(std::move(r).error());
  const auto begin = p.begin();
  const auto end = std::find(begin, begin + 64, std::uint8_t{0});
  NodeDescription v;
  v.text.assign(begin, end);
  return v;
}

// ---- PortInfo (IBA 14.2.5.6) ----------------------------------------------
// Bit offsets as in the IBA table (and libibmad's fields.c).

SmpData encode(const PortInfo& v) noexcept {
  SmpData d{};
  const std::span<std::uint8_t> p(d);
  put_bits(p, 0, 64, v.m_key);
  put_bits(p, 64, 64, v.gid_prefix);
  put_bits(p, 128, 16, v.lid);
  put_bits(p, 144, 16, v.master_sm_lid);
  put_bits(p, 160, 32, v.capability_mask);
  put_bits(p, 192, 16, v.diag_code);
  put_bits(p, 208, 16, v.m_key_lease_period);
  put_bits(p, 224, 8, v.local_port_num);
  put_bits(p, 232, 8, v.link_width_enabled);
  put_bits(p, 240, 8, v.link_width_supported);
  put_bits(p, 248, 8, v.link_width_active);
  put_bits(p, 256, 4, v.link_speed_supported);
  put_bits(p, 260, 4, v.port_state);
  put_bits(p, 264, 4, v.port_physical_state);
  put_bits(p, 268, 4, v.link_down_default_state);
  put_bits(p, 272, 2, v.m_key_protect_bits);
  put_bits(p, 277, 3, v.lmc);
  put_bits(p, 280, 4, v.link_speed_active);
  put_bits(p, 284, 4, v.link_speed_enabled);
  put_bits(p, 288, 4, v.neighbor_mtu);
  put_bits(p, 292, 4, v.master_sm_sl);
  put_bits(p, 296, 4, v.vl_cap);
  put_bits(p, 300, 4, v.init_type);
  put_bits(p, 304, 8, v.vl_high_limit);
  put_bits(p, 312, 8, v.vl_arbitration_high_cap);
  put_bits(p, 320, 8, v.vl_arbitration_low_cap);
  put_bits(p, 328, 4, v.init_type_reply);
  put_bits(p, 332, 4, v.mtu_cap);
  put_bits(p, 336, 3, v.vl_stall_count);
  put_bits(p, 339, 5, v.hoq_life);
  put_bits(p, 344, 4, v.operational_vls);
  put_bits(p, 348, 1, v.partition_enforcement_inbound);
  put_bits(p, 349, 1, v.partition_enforcement_outbound);
  put_bits(p, 350, 1, v.filter_raw_inbound);
  put_bits(p, 351, 1, v.filter_raw_outbound);
  put_bits(p, 352, 16, v.m_key_violations);
  put_bits(p, 368, 16, v.p_key_violations);
  put_bits(p, 384, 16, v.q_key_violations);
  put_bits(p, 400, 8, v.guid_cap);
  put_bits(p, 408, 1, v.client_reregister);
  put_bits(p, 409, 2, v.multicast_pkey_trap_suppression_enabled);
  put_bits(p, 411, 5, v.subnet_timeout);
  put_bits(p, 419, 5, v.resp_time_value);
  put_bits(p, 424, 4, v.local_phy_errors);
  put_bits(p, 428, 4, v.overrun_errors);
  put_bits(p, 432, 16, v.max_credit_hint);
  put_bits(p, 456, 24, v.link_round_trip_latency);
  put_bits(p, 480, 16, v.capability_mask2);
  put_bits(p, 496, 4, v.link_speed_ext_active);
  put_bits(p, 500, 4, v.link_speed_ext_supported);
  put_bits(p, 507, 5, v.link_speed_ext_enabled);
  return d;
}

Result<PortInfo> decode_port_info(std::span<const std::uint8_t> p) {
  if (auto r = need(p, 64, "PortInfo"); !r) return fail(std::move(r).error());
  PortInfo v;
  v.m_key = get<std::uint64_t>(p, 0, 64);
  v.gid_prefix = get<std::uint64_t>(p, 64, 64);
  v.lid = get<std::uint16_t>(p, 128, 16);
  v.master_sm_lid = get<std::uint16_t>(p, 144, 16);
  v.capability_mask = get<std::uint32_t>(p, 160, 32);
  v.diag_code = get<std::uint16_t>(p, 192, 16);
  v.m_key_lease_period = get<std::uint16_t>(p, 208, 16);
  v.local_port_num = get<std::uint8_t>(p, 224, 8);
  v.link_width_enabled = get<std::uint8_t>(p, 232, 8);
  v.link_width_supported = get<std::uint8_t>(p, 240, 8);
  v.link_width_active = get<std::uint8_t>(p, 248, 8);
  v.link_speed_supported = get<std::uint8_t>(p, 256, 4);
  v.port_state = get<std::uint8_t>(p, 260, 4);
  v.port_physical_state = get<std::uint8_t>(p, 264, 4);
  v.link_down_default_state = get<std::uint8_t>(p, 268, 4);
  v.m_key_protect_bits = get<std::uint8_t>(p, 272, 2);
  v.lmc = get<std::uint8_t>(p, 277, 3);
  v.link_speed_active = get<std::uint8_t>(p, 280, 4);
  v.link_speed_enabled = get<std::uint8_t>(p, 284, 4);
  v.neighbor_mtu = get<std::uint8_t>(p, 288, 4);
  v.master_sm_sl = get<std::uint8_t>(p, 292, 4);
  v.vl_cap = get<std::uint8_t>(p, 296, 4);
  v.init_type = get<std::uint8_t>(p, 300, 4);
  v.vl_high_limit = get<std::uint8_t>(p, 304, 8);
  v.vl_arbitration_high_cap = get<std::uint8_t>(p, 312, 8);
  v.vl_arbitration_low_cap = get<std::uint8_t>(p, 320, 8);
  v.init_type_reply = get<std::uint8_t>(p, 328, 4);
  v.mtu_cap = get<std::uint8_t>(p, 332, 4);
  v.vl_stall_count = get<std::uint8_t>(p, 336, 3);
  v.hoq_life = get<std::uint8_t>(p, 339, 5);
  v.operational_vls = get<std::uint8_t>(p, 344, 4);
  v.partition_enforcement_inbound = get_bits(p, 348, 1) != 0;
  v.partition_enforcement_outbound = get_bits(p, 349, 1) != 0;
  v.filter_raw_inbound = get_bits(p, 350, 1) != 0;
  v.filter_raw_outbound = get_bits(p, 351, 1) != 0;
  v.m_key_violations = get<std::uint16_t>(p, 352, 16);
  v.p_key_violations = get<std::uint16_t>(p, 368, 16);
  v.q_key_violations = get<std::uint16_t>(p, 384, 16);
  v.guid_cap = get<std::uint8_t>(p, 400, 8);
  v.client_reregister = get_bits(p, 408, 1) != 0;
  v.multicast_pkey_trap_suppression_enabled = get<std::uint8_t>(p, 409, 2);
  v.subnet_timeout = get<std::uint8_t>(p, 411, 5);
  v.resp_time_value = get<std::uint8_t>(p, 419, 5);
  v.local_phy_errors = get<std::uint8_t>(p, 424, 4);
  v.overrun_errors = get<std::uint8_t>(p, 428, 4);
  v.max_credit_hint = get<std::uint16_t>(p, 432, 16);
  v.link_round_trip_latency = get<std::uint32_t>(p, 456, 24);
  v.capability_mask2 = get<std::uint16_t>(p, 480, 16);
  v.link_speed_ext_active = get<std::uint8_t>(p, 496, 4);
  v.link_speed_ext_supported = get<std::uint8_t>(p, 500, 4);
  v.link_speed_ext_enabled = get<std::uint8_t>(p, 507, 5);
  if (v.port_state > 4)
    return bad("PortInfo of port " + std::to_string(v.local_port_num) + ": PortState " + std::to_string(v.port_state) +
               " is reserved");
  if (v.port_physical_state > 7)
    return bad("PortInfo of port " + std::to_string(v.local_port_num) + ": PortPhysicalState " +
               std::to_string(v.port_physical_state) + " is reserved");
  return v;
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

// ---- SwitchInfo (IBA 14.2.5.4) --------------------------------------------

SmpData encode(const SwitchInfo& v) noexcept {
  SmpData d{};
  const std::span<std::uint8_t> p(d);
  put_bits(p, 0, 16, v.linear_fdb_cap);
  put_bits(p, 16, 16, v.random_fdb_cap);
  put_bits(p, 32, 16, v.multicast_fdb_cap);
  put_bits(p, 48, 16, v.linear_fdb_top);
  put_bits(p, 64, 8, v.default_port);
  put_bits(p, 72, 8, v.default_multicast_primary_port);
  put_bits(p, 80, 8, v.default_multicast_not_primary_port);
  put_bits(p, 88, 5, v.life_time_value);
  put_bits(p, 93, 1, v.port_state_change);
  put_bits(p, 94, 2, v.optimized_sl_to_vl_mapping_programming);
  put_bits(p, 96, 16, v.lids_per_port);
  put_bits(p, 112, 16, v.partition_enforcement_cap);
  put_bits(p, 128, 1, v.inbound_enforcement_cap);
  put_bits(p, 129, 1, v.outbound_enforcement_cap);
  put_bits(p, 130, 1, v.filter_raw_inbound_cap);
  put_bits(p, 131, 1, v.filter_raw_outbound_cap);
  put_bits(p, 132, 1, v.enhanced_port0);
  put_bits(p, 144, 16, v.multicast_fdb_top);
  return d;
}

Result<SwitchInfo> decode_switch_info(std::span<const std::uint8_t> p) {
  if (auto r = need(p, 20, "SwitchInfo"); !r) return fail(std::move(r).error());
  SwitchInfo v;
  v.linear_fdb_cap = get<std::uint16_t>(p, 0, 16);
  v.random_fdb_cap = get<std::uint16_t>(p, 16, 16);
  v.multicast_fdb_cap = get<std::uint16_t>(p, 32, 16);
  v.linear_fdb_top = get<std::uint16_t>(p, 48, 16);
  v.default_port = get<std::uint8_t>(p, 64, 8);
  v.default_multicast_primary_port = get<std::uint8_t>(p, 72, 8);
  v.default_multicast_not_primary_port = get<std::uint8_t>(p, 80, 8);
  v.life_time_value = get<std::uint8_t>(p, 88, 5);
  v.port_state_change = get_bits(p, 93, 1) != 0;
  v.optimized_sl_to_vl_mapping_programming = get<std::uint8_t>(p, 94, 2);
  v.lids_per_port = get<std::uint16_t>(p, 96, 16);
  v.partition_enforcement_cap = get<std::uint16_t>(p, 112, 16);
  v.inbound_enforcement_cap = get_bits(p, 128, 1) != 0;
  v.outbound_enforcement_cap = get_bits(p, 129, 1) != 0;
  v.filter_raw_inbound_cap = get_bits(p, 130, 1) != 0;
  v.filter_raw_outbound_cap = get_bits(p, 131, 1) != 0;
  v.enhanced_port0 = get_bits(p, 132, 1) != 0;
  v.multicast_fdb_top = get<std::uint16_t>(p, 144, 16);
  return v;
}

// ---- tables ---------------------------------------------------------------

SmpData encode(const LftBlock& v) noexcept { return v.ports; }

Result<LftBlock> decode_lft_block(std::span<const std::uint8_t> p) {
  if (auto r = need(p, 64, "LinearForwardingTable"); !r) return fail(std::move(r).error());
  LftBlock v;
  std::copy_n(p.begin(), 64, v.ports.begin());
  return v;
}

SmpData encode(const PKeyBlock& v) noexcept {
  SmpData d{};
  for (std::size_t i = 0; i < v.entries.size(); ++i) put_bits(d, unsigned(i * 16), 16, v.entries[i]);
  return d;
}

Result<PKeyBlock> decode_pkey_block(std::span<const std::uint8_t> p) {
  if (auto r = need(p, 64, "P_KeyTable"); !r) return fail(std::move(r).error());
  PKeyBlock v;
  for (std::size_t i = 0; i < v.entries.size(); ++i) v.entries[i] = get<std::uint16_t>(p, unsigned(i * 16), 16);
  return v;
}

SmpData encode(const Sl2VlTable& v) noexcept {
  SmpData d{};
  for (std::size_t sl = 0; sl < 16; ++sl) put_bits(d, unsigned(sl * 4), 4, v.vl[sl] & 0x0F);
  return d;
}

Result<Sl2VlTable> decode_sl2vl(std::span<const std::uint8_t> p) {
  if (auto r = need(p, 8, "SLtoVLMappingTable"); !r) return fail(std::move(r).error());
  Sl2VlTable v;
  for (std::size_t sl = 0; sl < 16; ++sl) v.vl[sl] = get<std::uint8_t>(p, unsigned(sl * 4), 4);
  return v;
}

// ---- performance management -----------------------------------------------

void encode(const PerfMad& mad, MadBuffer& out) noexcept {
  out.fill(0);
  put_header(mad.header, std::span<std::uint8_t>(out));
  std::copy(mad.data.begin(), mad.data.end(), out.begin() + perf_data_off);
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
  std::copy_n(bytes.begin() + perf_data_off, perf_data_size, m.data.begin());
  return m;
}

namespace {
PerfMad make_perf(std::uint16_t dlid, Method method, PerfAttr attr, std::uint8_t port, std::uint64_t tid) {
  PerfMad m;
  m.header.base_version = mad_base_version;
  m.header.mgmt_class = static_cast<std::uint8_t>(MgmtClass::PerfMgt);
  m.header.class_version = perf_class_version;
  m.header.method = static_cast<std::uint8_t>(method);
  m.header.tid = tid;
  m.header.attr_id = static_cast<std::uint16_t>(attr);
  m.dest_lid = dlid;
  if (attr != PerfAttr::ClassPortInfo) m.data[1] = port;  // PortSelect
  return m;
}
} // namespace

PerfMad make_perf_get(std::uint16_t dlid, PerfAttr attr, std::uint8_t port, std::uint64_t tid) {
  return make_perf(dlid, Method::Get, attr, port, tid);
}

PerfMad make_perf_reset(std::uint16_t dlid, PerfAttr attr, std::uint8_t port, std::uint64_t tid) {
  PerfMad m = make_perf(dlid, Method::Set, attr, port, tid);
  m.data[2] = 0xFF;  // CounterSelect
  m.data[3] = 0xFF;
  if (attr == PerfAttr::PortCounters) m.data[18] = 0xFF;  // CounterSelect2
  return m;
}

Result<void> check_response(const PerfMad& request, const PerfMad& response) {
  if (auto c = check_common(request.header, response.header, "PerfMgt"); !c) return c;
  return check_status(response.header, response.header.status, "PerfMgt");
}

Result<ClassPortInfo> decode_class_port_info(std::span<const std::uint8_t> p) {
  if (auto r = need(p, 8, "ClassPortInfo"); !r) return fail(std::move(r).error());
  ClassPortInfo v;
  v.base_version = get<std::uint8_t>(p, 0, 8);
  v.class_version = get<std::uint8_t>(p, 8, 8);
  v.capability_mask = get<std::uint16_t>(p, 16, 16);
  v.capability_mask2 = get<std::uint32_t>(p, 32, 27);
  v.resp_time_value = get<std::uint8_t>(p, 59, 5);
  return v;
}

// PortCounters (IBA 16.1.3.5), bit offsets.
PerfData encode(const PortCounters& v) noexcept {
  PerfData d{};
  const std::span<std::uint8_t> p(d);
  put_bits(p, 8, 8, v.port_select);
  put_bits(p, 16, 16, v.counter_select);
  put_bits(p, 32, 16, v.symbol_error_counter);
  put_bits(p, 48, 8, v.link_error_recovery_counter);
  put_bits(p, 56, 8, v.link_downed_counter);
  put_bits(p, 64, 16, v.port_rcv_errors);
  put_bits(p, 80, 16, v.port_rcv_remote_physical_errors);
  put_bits(p, 96, 16, v.port_rcv_switch_relay_errors);
  put_bits(p, 112, 16, v.port_xmit_discards);
  put_bits(p, 128, 8, v.port_xmit_constraint_errors);
  put_bits(p, 136, 8, v.port_rcv_constraint_errors);
  put_bits(p, 144, 8, v.counter_select2);
  put_bits(p, 152, 4, v.local_link_integrity_errors);
  put_bits(p, 156, 4, v.excessive_buffer_overrun_errors);
  put_bits(p, 176, 16, v.vl15_dropped);
  put_bits(p, 192, 32, v.port_xmit_data);
  put_bits(p, 224, 32, v.port_rcv_data);
  put_bits(p, 256, 32, v.port_xmit_pkts);
  put_bits(p, 288, 32, v.port_rcv_pkts);
  put_bits(p, 320, 32, v.port_xmit_wait);
  return d;
}

Result<PortCounters> decode_port_counters(std::span<const std::uint8_t> p) {
  if (auto r = need(p, 44, "PortCounters"); !r) return fail(std::move(r).error());
  PortCounters v;
  v.port_select = get<std::uint8_t>(p, 8, 8);
  v.counter_select = get<std::uint16_t>(p, 16, 16);
  v.symbol_error_counter = get<std::uint16_t>(p, 32, 16);
  v.link_error_recovery_counter = get<std::uint8_t>(p, 48, 8);
  v.link_downed_counter = get<std::uint8_t>(p, 56, 8);
  v.port_rcv_errors = get<std::uint16_t>(p, 64, 16);
  v.port_rcv_remote_physical_errors = get<std::uint16_t>(p, 80, 16);
  v.port_rcv_switch_relay_errors = get<std::uint16_t>(p, 96, 16);
  v.port_xmit_discards = get<std::uint16_t>(p, 112, 16);
  v.port_xmit_constraint_errors = get<std::uint8_t>(p, 128, 8);
  v.port_rcv_constraint_errors = get<std::uint8_t>(p, 136, 8);
  v.counter_select2 = get<std::uint8_t>(p, 144, 8);
  v.local_link_integrity_errors = get<std::uint8_t>(p, 152, 4);
  v.excessive_buffer_overrun_errors = get<std::uint8_t>(p, 156, 4);
  v.vl15_dropped = get<std::uint16_t>(p, 176, 16);
  v.port_xmit_data = get<std::uint32_t>(p, 192, 32);
  v.port_rcv_data = get<std::uint32_t>(p, 224, 32);
  v.port_xmit_pkts = get<std::uint32_t>(p, 256, 32);
  v.port_rcv_pkts = get<std::uint32_t>(p, 288, 32);
  v.port_xmit_wait = get<std::uint32_t>(p, 320, 32);
  return v;
}

// PortCountersExtended (IBA 16.1.4.11), octet offsets.
PerfData encode(const PortCountersExtended& v) noexcept {
  PerfData d{};
  const std::span<std::uint8_t> p(d);
  put_bits(p, 8, 8, v.port_select);
  put_bits(p, 16, 16, v.counter_select);
  const std::uint64_t fields[] = {v.port_xmit_data,
                                  v.port_rcv_data,
                                  v.port_xmit_pkts,
                                  v.port_rcv_pkts,
                                  v.port_unicast_xmit_pkts,
                                  v.port_unicast_rcv_pkts,
                                  v.port_multicast_xmit_pkts,
                                  v.port_multicast_rcv_pkts,
                                  v.symbol_error_counter,
                                  v.link_error_recovery_counter,
                                  v.link_downed_counter,
                                  v.port_rcv_errors,
                                  v.port_rcv_remote_physical_errors,
                                  v.port_rcv_switch_relay_errors,
                                  v.port_xmit_discards,
                                  v.port_xmit_constraint_errors,
                                  v.port_rcv_constraint_errors,
                                  v.local_link_integrity_errors,
                                  v.excessive_buffer_overrun_errors,
                                  v.vl15_dropped,
                                  v.port_xmit_wait,
                                  v.qp1_dropped};
  unsigned off = 64;  // octet 8
  for (std::uint64_t f : fields) {
    put_bits(p, off, 64, f);
    off += 64;
  }
  return d;
}

Result<PortCountersExtended> decode_port_counters_ext(std::span<const std::uint8_t> p) {
  if (auto r = need(p, 184, "PortCountersExtended"); !r) return fail(std::move(r).error());
  PortCountersExtended v;
  v.port_select = get<std::uint8_t>(p, 8, 8);
  v.counter_select = get<std::uint16_t>(p, 16, 16);
  std::uint64_t* fields[] = {&v.port_xmit_data,
                             &v.port_rcv_data,
                             &v.port_xmit_pkts,
                             &v.port_rcv_pkts,
                             &v.port_unicast_xmit_pkts,
                             &v.port_unicast_rcv_pkts,
                             &v.port_multicast_xmit_pkts,
                             &v.port_multicast_rcv_pkts,
                             &v.symbol_error_counter,
                             &v.link_error_recovery_counter,
                             &v.link_downed_counter,
                             &v.port_rcv_errors,
                             &v.port_rcv_remote_physical_errors,
                             &v.port_rcv_switch_relay_errors,
                             &v.port_xmit_discards,
                             &v.port_xmit_constraint_errors,
                             &v.port_rcv_constraint_errors,
                             &v.local_link_integrity_errors,
                             &v.excessive_buffer_overrun_errors,
                             &v.vl15_dropped,
                             &v.port_xmit_wait,
                             &v.qp1_dropped};
  unsigned off = 64;
  for (std::uint64_t* f : fields) {
    *f = get_bits(p, off, 64);
    off += 64;
  }
  return v;
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
