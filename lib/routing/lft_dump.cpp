// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include "ofmf/routing/lft_dump.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace ofmf::routing {

using model::NodeType;
using model::TopologyView;

namespace {

std::string_view type_name(NodeType t) {
  switch (t) {
    case NodeType::Switch: return "Switch";
    case NodeType::Router: return "Router";
    default: return "Channel Adapter";
  }
}

} // namespace

Result<std::string> format_lft_dump(const TopologyView& view, const RouteTable& table) {
  if (auto r = table.check_view(view, "format_lft_dump"); !r) return fail(std::move(r).error());
  std::string out;
  char buf[128];
  const std::uint32_t nsw = std::min(view.switch_count(), table.switch_count());
  for (std::uint32_t s = 0; s < nsw; ++s) {
    std::snprintf(buf, sizeof buf, "Unicast lids [0-%u] of switch Lid %u guid 0x%016llx (", unsigned(table.max_lid()),
                  unsigned(table.base_lid(s, 0)), static_cast<unsigned long long>(view.guid(s)));
    out += buf;
    out += '\'';
    out += view.description(s);
    out += "'):\n";
    for (std::uint32_t lid = 0; lid <= table.max_lid(); ++lid) {
      const std::uint8_t p = table.out_port(s, lid);
      if (p == no_route) continue;
      std::snprintf(buf, sizeof buf, "0x%04X %03u", lid, unsigned(p));
      out += buf;
      const LidOwner o = table.owner(lid);
      if (o.valid() && o.node < view.node_count()) {
        const auto ports = view.ports(o.node);
        model::Guid pg = o.port < ports.size() ? ports[o.port].attributes.guid : 0;
        if (pg == 0) pg = view.guid(o.node);
        std::snprintf(buf, sizeof buf, " # %s portguid 0x%016llx: '", std::string(type_name(view.type(o.node))).c_str(),
                      static_cast<unsigned long long>(pg));
        out += buf;
        out += view.description(o.node);
        out += '\'';
      }
      out += '\n';
    }
    out += std::to_string(table.max_lid()) + " lids dumped\n";
  }
  return out;
}

namespace {

struct Cursor {
  std::string_view s;
  bool literal(std::string_view lit) {
    if (s.substr(0, lit.size()) != lit) return false;
    s.remove_prefix(lit.size());
    return true;
  }
  template <class T>
  bool number(T& v, int base, std::size_t max_digits = 32) {
    const char* b = s.data();
    const char* e = s.data() + std::min(s.size(), max_digits);
    auto r = std::from_chars(b, e, v, base);
    if (r.ec != std::errc() || r.ptr == b) return false;
    s.remove_prefix(std::size_t(r.ptr - b));
    return true;
  }
};

} // namespace

Result<std::vector<DumpedLft>> parse_lft_dump(std::string_view text, std::string_view source) {
  std::vector<DumpedLft> out;
  bool open = false;  // inside a switch section
  std::size_t line_no = 0;
  auto err = [&](const std::string& what) {
    return fail(errc::parse_error, std::string(source) + ":" + std::to_string(line_no) + ": " + what);
  };
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    Cursor c{line};
    if (c.literal("Unicast lids [")) {
      if (open) return err("new switch before the 'lids dumped' line of the previous one");
      unsigned lo = 0, hi = 0, lid = 0;
      unsigned long long guid = 0;
      if (!c.number(lo, 10) || lo != 0 || !c.literal("-") || !c.number(hi, 10) || hi > 0xFFFF)
        return err("bad LID range in switch header");
      if (!c.literal("] of switch Lid ") || !c.number(lid, 10) || lid > 0xFFFF) return err("bad switch LID");
      if (!c.literal(" guid 0x") || !c.number(guid, 16, 16)) return err("bad switch GUID");
      if (!c.literal(" ('") || c.s.size() < 3 || c.s.substr(c.s.size() - 3) != "'):")
        return err("bad switch description (expected ('...'):)");
      DumpedLft d;
      d.guid = guid;
      d.lid = Lid(lid);
      d.description = std::string(c.s.substr(0, c.s.size() - 3));
      d.ports.assign(std::size_t(hi) + 1, no_route);
      d.line = line_no;
      out.push_back(std::move(d));
      open = true;
      continue;
    }
    if (c.literal("0x")) {
      if (!open) return err("LFT entry outside a switch section");
      unsigned lid = 0, port = 0;
      if (!c.number(lid, 16, 4)) return err("bad LID");
      if (!c.literal(" ") || !c.number(port, 10, 3)) return err("bad port number");
      if (!c.s.empty() && !c.literal(" #")) return err("unexpected text after the port number");
      model::Guid owner = 0;
      if (const std::size_t g = c.s.find("portguid 0x"); g != std::string_view::npos) {
        Cursor o{c.s.substr(g + 11)};
        unsigned long long v = 0;
        if (o.number(v, 16, 16)) owner = v;  // a comment: never an error
      }
      DumpedLft& d = out.back();
      if (lid >= d.ports.size()) return err("LID " + std::to_string(lid) + " outside the header's range");
      if (port > model::max_ports) return err("port " + std::to_string(port) + " out of range");
      if (d.ports[lid] != no_route) return err("LID " + std::to_string(lid) + " listed twice");
      d.ports[lid] = std::uint8_t(port);
      d.entries.push_back({Lid(lid), std::uint8_t(port), line_no, owner});
      continue;
    }
    unsigned count = 0;
    if (c.number(count, 10) && c.literal(" lids dumped") && c.s.empty()) {
      if (!open) return err("'lids dumped' without a switch header");
      open = false;
      continue;
    }
    return err("unrecognised line");
  }
  if (open) {
    ++line_no;
    return err("missing 'lids dumped' line at end of input");
  }
  return out;
}

} // namespace ofmf::routing
