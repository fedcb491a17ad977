// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// The sim backend: a fabric described by a topology file (ibnetdiscover
// output, an ibsim netfile or DOT). discover() reads the file again each
// time, so editing it between calls looks like a fabric change; apply()
// programs an in-memory copy (LIDs, LFTs, P_Keys) and reads it back.
//
// Config: device = the topology file (required); options: "format" =
// ibnetdiscover | netfile | dot (default: from the extension, then the
// content). Other option keys are refused.
#include <chrono>
#include <filesystem>
#include <map>
#include <system_error>

#include "../detail/factories.hpp"
#include "ofmf/model/topology_view.hpp"
#include "ofmf/topology/format.hpp"

namespace ofmf::backend {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

class SimSession final : public Session {
 public:
  SimSession(std::filesystem::path file, std::optional<topology::Format> format)
      : file_(std::move(file)), format_(format) {}

  Result<TopologyDelta> discover(const ProgressFn& progress) override {
    const auto t0 = Clock::now();
    auto fabric = topology::read_topology(file_, format_);
    if (!fabric) return Unexpected(std::move(fabric.error()));
    // What was programmed before survives a resweep, as on real hardware.
    for (model::NodeId id : fabric->nodes()) {
      const model::Node n = *fabric->node(id);
      for (const model::Port& p : n.ports) {
        const auto at = lids_.find({n.guid, p.number});
        if (at == lids_.end()) continue;
        model::PortAttributes a = p.attributes;
        a.lid = at->second.first;
        a.lmc = at->second.second;
        if (auto r = fabric->set_port({id, p.number}, a); !r) return Unexpected(std::move(r.error()));
      }
    }
    TopologyDelta out;
    out.fabric = std::move(*fabric);
    out.statistics.elapsed_ms = ms_since(t0);
    out.statistics.received = out.fabric.node_count();
    stats_.received += out.fabric.node_count();
    if (progress) progress({"discover", out.fabric.node_count(), out.fabric.node_count()});
    return out;
  }

  Result<ApplyReport> apply(const model::Fabric& fabric, const routing::RouteTable& table, const ApplyOptions& options,
                            const ProgressFn& progress) override {
    const auto t0 = Clock::now();
    const auto view = fabric.snapshot();
    if (view->switch_count() != table.switch_count())
      return fail(errc::invalid_argument, "the route table has " + std::to_string(table.switch_count()) +
                                              " switches, the fabric " + std::to_string(view->switch_count()));
    ApplyReport report;
    if (options.assign_lids)
      for (std::uint32_t n = 0; n < view->node_count(); ++n)
        for (model::PortNum p = 0; p <= view->num_ports(n); ++p) {
          if (view->is_switch(n) != (p == 0)) continue;
          const routing::Lid lid = table.base_lid(n, p);
          if (lid == 0) continue;
          lids_[{view->guid(n), p}] = {lid, view->is_switch(n) ? std::uint8_t(0) : table.lmc()};
          ++report.lids_set;
        }
    auto program = [&](std::uint32_t sw, std::uint32_t block, std::span<const std::uint8_t> ports) {
      auto& lft = lfts_[table.switch_guid(sw)];
      if (lft.size() < table.lid_space()) lft.resize(table.lid_space(), routing::no_route);
      std::copy(ports.begin(), ports.end(), lft.begin() + std::ptrdiff_t(block) * routing::lft_block_size);
      ++report.lft_blocks;
    };
    if (options.only.empty()) {
      for (std::uint32_t sw = 0; sw < table.switch_count(); ++sw)
        for (std::uint32_t b = 0; b < table.block_count(); ++b) program(sw, b, table.lft_block(sw, b));
    } else {
      for (const routing::SwitchBlocks& s : options.only) {
        if (s.index >= table.switch_count() || table.switch_guid(s.index) != s.guid)
          return fail(errc::invalid_argument, "delta names switch " + model::format_guid(s.guid) +
                                                  " at index " + std::to_string(s.index) + ", not in the table");
        for (const routing::LftBlock& b : s.blocks) {
          if (b.block >= table.block_count())
            return fail(errc::out_of_range, "delta block " + std::to_string(b.block) + " above the table's " +
                                                std::to_string(table.block_count()) + " blocks");
          program(s.index, b.block, b.ports);
        }
      }
    }
    if (options.program_pkeys) {
      pkeys_.clear();
      for (const model::Partition& part : fabric.partitions())
        for (const model::PartitionMember& m : part.members)
          pkeys_[m.port_guid].push_back(model::pkey_entry(part.pkey, m.membership));
      report.pkey_blocks = pkeys_.size();
    }
    if (options.verify)
      for (std::uint32_t sw = 0; sw < table.switch_count(); ++sw) {
        const auto& lft = lfts_[table.switch_guid(sw)];
        const auto want = table.lft(sw);
        if (lft.size() < want.size() || !std::equal(want.begin(), want.end(), lft.begin()))
          report.problems.push_back({"switch " + model::format_guid(table.switch_guid(sw)),
                                     Error{make_error_code(errc::inconsistent), "LFT differs from the table"}});
        else
          ++report.verified;
      }
    if (progress) progress({"lft", report.lft_blocks, report.lft_blocks});
    report.statistics.elapsed_ms = ms_since(t0);
    report.statistics.sent = report.lft_blocks + report.lids_set;
    stats_.sent += report.statistics.sent;
    return report;
  }

  Statistics statistics() const override { return stats_; }

 private:
  std::filesystem::path file_;
  std::optional<topology::Format> format_;
  std::map<std::pair<model::Guid, model::PortNum>, std::pair<std::uint16_t, std::uint8_t>> lids_;
  std::map<model::Guid, std::vector<std::uint8_t>> lfts_;
  std::map<model::Guid, std::vector<std::uint16_t>> pkeys_;
  Statistics stats_;
};

class SimBackend final : public Backend {
 public:
  std::string_view name() const noexcept override { return "sim"; }

  // A simulated fabric is always available; it needs a file to open.
  Result<std::vector<Capability>> probe() const override {
    return std::vector<Capability>{{"<topology file>", "a fabric read from a topology file", {}}};
  }

  Result<std::unique_ptr<Session>> open(const Config& config) const override {
    if (config.device.empty())
      return fail(errc::invalid_argument, "sim backend: device must name a topology file");
    std::optional<topology::Format> format;
    for (const auto& [key, value] : config.options) {
      if (key != "format") return fail(errc::invalid_argument, "sim backend: unknown option \"" + key + "\" (known: format)");
      format = topology::parse_format_name(value);
      if (!format)
        return fail(errc::invalid_argument, "sim backend: format \"" + value + "\" is not ibnetdiscover, netfile or dot");
    }
    std::error_code ec;
    if (!std::filesystem::is_regular_file(config.device, ec))
      return fail(errc::unavailable, "sim backend: " + config.device + ": no such file");
    return std::unique_ptr<Session>(std::make_unique<SimSession>(config.device, format));
  }
};

} // namespace

std::unique_ptr<Backend> make_sim_backend() { return std::make_unique<SimBackend>(); }

} // namespace ofmf::backend
