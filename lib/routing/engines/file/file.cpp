// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include "routing/engines/file/file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "ofmf/routing/lft_dump.hpp"

namespace ofmf::routing::engines {
namespace {

using model::TopologyView;

Result<std::string> read_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return fail(errc::io_error, "file: cannot open '" + path + "': " + std::strerror(errno));
  std::string text;
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  const bool bad = std::ferror(f) != 0;
  const int err = errno;
  std::fclose(f);
  if (bad) return fail(errc::io_error, "file: cannot read '" + path + "': " + std::strerror(err));
  return text;
}

class FileEngine final : public Engine {
 public:
  std::string_view name() const noexcept override { return "file"; }

  Result<RouteTable> compute(const TopologyView& view, const Options& options) const override {
    const std::string& path = options.lft_file;
    if (path.empty()) return fail(errc::invalid_argument, "file: no LFT dump given (Options::lft_file)");
    if (view.switch_count() == 0) return fail(errc::invalid_argument, "file: the fabric has no switches");
    auto text = read_file(path);
    if (!text) return fail(std::move(text).error());
    auto dumped = parse_lft_dump(*text, path);
    if (!dumped) return fail(std::move(dumped).error());
    auto table = RouteTable::create(view, options.lmc);
    if (!table) return fail(std::move(table).error());
    auto at = [&](std::size_t line, const std::string& what) {
      return fail(errc::inconsistent, path + ":" + std::to_string(line) + ": " + what);
    };
    std::vector<std::uint8_t> seen(view.switch_count(), 0);
    for (std::size_t k = 0; k < dumped->size(); ++k) {
      const DumpedLft& d = (*dumped)[k];
      const std::uint32_t s = view.find(d.guid);
      if (s == TopologyView::npos || !view.is_switch(s))
        return at(d.line, "switch " + model::format_guid(d.guid) + " is not a switch of the fabric");
      if (seen[s]) return at(d.line, "switch " + model::format_guid(d.guid) + " is listed twice");
      seen[s] = 1;
      const unsigned nports = view.num_ports(s);
      for (const DumpedEntry& e : d.entries) {
        if (e.port == no_route) continue;
        const LidOwner o = table->owner(e.lid);
        if (!o.valid())
          return at(e.line, "LID " + std::to_string(e.lid) + " is not assigned in the fabric (highest LID " +
                                std::to_string(table->max_lid()) + ")");
        if (e.owner) {
          const auto ports = view.ports(o.node);
          model::Guid pg = o.port < ports.size() ? ports[o.port].attributes.guid : 0;
          if (pg == 0) pg = view.guid(o.node);
          if (pg != e.owner)
            return at(e.line, "LID " + std::to_string(e.lid) + " belongs to port " + model::format_guid(e.owner) +
                                  " in the dump but to port " + model::format_guid(pg) + " in the fabric");
        }
        if (e.port > nports)
          return at(e.line, "port " + std::to_string(e.port) + " is out of range: switch " +
                                model::format_guid(d.guid) + " has " + std::to_string(nports) + " ports");
        table->set_out_port(s, e.lid, std::uint8_t(e.port));
      }
    }
    for (std::uint32_t s = 0; s < view.switch_count(); ++s)
      if (!seen[s])
        return fail(errc::inconsistent,
                    path + ": switch " + model::format_guid(view.guid(s)) + " of the fabric has no table in the file");
    table->set_engine("file");
    return table;
  }
};

} // namespace

std::unique_ptr<Engine> make_file() { return std::make_unique<FileEngine>(); }

} // namespace ofmf::routing::engines
