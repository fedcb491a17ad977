// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// The parts of the MAD codec every class shares: the common header (its
// table is tables::mad_header), names and status text, the hex text form
// of captures, directed routes, the checks of an answer, and the dump of
// a whole MAD.
#include "common.hpp"

#include <algorithm>

namespace ofmf::backend::umad {
namespace detail {

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

MadHeader request_header(MgmtClass cls, std::uint8_t class_version, Method method, std::uint16_t attr,
                         std::uint32_t attr_mod, std::uint64_t tid) noexcept {
  MadHeader h;
  h.base_version = mad_base_version;
  h.mgmt_class = static_cast<std::uint8_t>(cls);
  h.class_version = class_version;
  h.method = static_cast<std::uint8_t>(method);
  h.tid = tid;
  h.attr_id = attr;
  h.attr_mod = attr_mod;
  return h;
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

} // namespace detail

using detail::bad;
using detail::hex;

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
  if (auto r = fields::need(bytes, mad_size, "MAD"); !r) return fail(std::move(r).error());
  MadHeader h;
  fields::decode_into(tables::mad_header, bytes, h);
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

// ---- dump -------------------------------------------------------------------

std::string dump_mad(std::span<const std::uint8_t> bytes) {
  std::string out;
  fields::dump(out, tables::mad_header, bytes);
  MadHeader h;
  fields::decode_into(tables::mad_header, bytes, h);  // fields beyond `bytes` read as 0
  auto data_of = [&](const fields::Field& f) {
    const std::size_t from = std::min<std::size_t>(f.bit / 8, bytes.size());
    return bytes.subspan(from, std::min<std::size_t>(f.count, bytes.size() - from));
  };
  const bool dr = h.mgmt_class == static_cast<std::uint8_t>(MgmtClass::SubnDirected);
  if (dr || h.mgmt_class == static_cast<std::uint8_t>(MgmtClass::SubnLid)) {
    for (const auto& m : tables::smp.rows) {
      fields::Field f = m.field;
      if (f.name == "SMPData") {
        if (!detail::dump_smp_attribute(out, h.attr_id, data_of(f), true)) fields::dump(out, bytes, f);
      } else if (f.name == "M_Key") {
        fields::dump(out, bytes, f);
      } else if (dr) {
        // The paths up to the hop count (entry 0 is unused but shown).
        if (f.count > 1) f.count = static_cast<std::uint16_t>(std::min<unsigned>(h.hop_count, DrPath::max_hops) + 1);
        fields::dump(out, bytes, f);
      }
    }
  } else if (h.mgmt_class == static_cast<std::uint8_t>(MgmtClass::PerfMgt)) {
    for (const auto& m : tables::perf.rows)
      if (!detail::dump_perf_attribute(out, h.attr_id, data_of(m.field), true)) fields::dump(out, bytes, m.field);
  }
  return out;
}

} // namespace ofmf::backend::umad
