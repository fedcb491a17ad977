// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// `ofmfctl redfish ...`: the fabric as a DMTF Redfish mockup folder, one
// resource on demand, and a mockup folder back into a topology file.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <memory>
#include <string>

#include "command.hpp"
#include "ofmf/backend/probe.hpp"
#include "ofmf/redfish/import.hpp"
#include "ofmf/redfish/mockup.hpp"
#include "ofmf/redfish/render.hpp"
#include "ofmf/topology/format.hpp"

namespace ofmfctl {
namespace {

namespace rf = ofmf::redfish;
namespace topo = ofmf::topology;

struct RedfishOptions {
  std::string input;
  std::string input_format;
  std::string dir;
  std::string uri;
  std::string output;
  std::string output_format;
  std::string fabric_id = "IB";
  bool copyright = false;
  bool no_metrics = false;
  bool ofi = false;            // export: merge this host's libfabric interfaces
  std::string ofi_provider;    // export --ofi: only this provider ("" = all)
  bool allow_empty = false;    // export, get: accept a topology without nodes
};

void add_input(CLI::App* cmd, RedfishOptions& o) {
  cmd->add_option("TOPO", o.input, "Topology file (ibnetdiscover or ibsim netfile)")->required();
  cmd->add_option("--input-format", o.input_format, "Format of TOPO (default: from its extension or content)")
      ->check(CLI::IsMember(readable_formats));
  add_allow_empty(*cmd, o.allow_empty);
}

rf::ExportOptions export_options(const RedfishOptions& o) {
  rf::ExportOptions e;
  e.fabric_id = o.fabric_id;
  e.mockup_copyright = o.copyright;
  e.metrics = !o.no_metrics;
  return e;
}

void add_render_options(CLI::App* cmd, RedfishOptions& o) {
  cmd->add_option("--fabric-id", o.fabric_id, "Id of the Fabric resource")->capture_default_str();
  cmd->add_flag("--no-metrics", o.no_metrics, "Leave out PortMetrics");
}

int run_export(const RedfishOptions& o) {
  auto fabric = read_fabric(o.input, o.input_format, o.allow_empty);
  if (!fabric) return report(fabric.error());
  auto tree = rf::render(*fabric, export_options(o));
  if (!tree) return report(tree.error());
  if (o.ofi) {
    ofmf::backend::OfiFilter f;
    f.provider = o.ofi_provider;
    auto inv = ofmf::backend::ofi_inventory(f);
    if (!inv) return report(inv.error());
    if (auto m = ofmf::backend::merge_ofi(*tree, *inv); !m) return report(m.error());
  }
  if (auto w = rf::write_mockup(*tree, o.dir); !w) return report(w.error());
  std::fprintf(stderr, "ofmfctl: wrote %s: %zu Redfish resources (%zu nodes, %zu links)\n", o.dir.c_str(),
               tree->size(), fabric->node_count(), fabric->link_count());
  return exit_ok;
}

int run_get(const RedfishOptions& o) {
  auto fabric = read_fabric(o.input, o.input_format, o.allow_empty);
  if (!fabric) return report(fabric.error());
  auto r = rf::render_resource(*fabric, o.uri, export_options(o));
  if (!r) return report(r.error());
  return write_stdout(r->dump(4, ' ', false, json_replace_invalid_utf8) + "\n");
}

int run_import(const RedfishOptions& o) {
  rf::ImportOptions io;
  std::vector<std::string> notes;
  io.notes = &notes;
  auto fabric = rf::import_mockup(o.dir, io);
  if (!fabric) return report(fabric.error());
  for (const auto& n : notes) std::fprintf(stderr, "ofmfctl: note: %s\n", n.c_str());
  topo::Format format = topo::Format::Ibnetdiscover;
  if (!o.output_format.empty())
    format = *topo::parse_format_name(o.output_format);
  else if (!o.output.empty() && o.output != "-")
    if (auto f = topo::format_from_path(o.output)) format = *f;
  if (o.output.empty() || o.output == "-") return write_stdout(topo::format_topology(*fabric, format));
  if (auto w = topo::write_topology(*fabric, o.output, format); !w) return report(w.error());
  std::fprintf(stderr, "ofmfctl: wrote %s: %zu nodes (%zu switches), %zu links, %s format\n", o.output.c_str(),
               fabric->node_count(), fabric->switch_count(), fabric->link_count(),
               std::string(topo::to_string(format)).c_str());
  return exit_ok;
}

} // namespace

void register_redfish(CLI::App& app, Context& ctx) {
  CLI::App* group = app.add_subcommand("redfish", "The fabric as DMTF Redfish resources (mockup folders)");
  group->require_subcommand(1);

  {
    auto o = std::make_shared<RedfishOptions>();
    CLI::App* cmd = group->add_subcommand(
        "export", "Write a topology as a Redfish mockup folder (DIR/redfish/v1/.../index.json) that DMTF's Redfish "
                  "Mockup Server serves as it is. DIR must be absent, empty, or an earlier mockup; it is replaced "
                  "atomically");
    add_input(cmd, *o);
    cmd->add_option("DIR", o->dir, "Mockup folder")->required();
    add_render_options(cmd, *o);
    cmd->add_flag("--copyright", o->copyright, "Add @Redfish.Copyright to every resource, as DMTF's mockups do");
    auto* ofi = cmd->add_flag("--ofi", o->ofi,
                              "Also this host's libfabric interfaces, as Fabrics /redfish/v1/Fabrics/ofi-* in the same "
                              "service tree");
    cmd->add_option("--provider", o->ofi_provider, "With --ofi: only this libfabric provider")->needs(ofi);
    cmd->callback([&ctx, o] { ctx.run = [o] { return run_export(*o); }; });
  }
  {
    auto o = std::make_shared<RedfishOptions>();
    CLI::App* cmd = group->add_subcommand("get", "Print one Redfish resource of a topology as JSON");
    add_input(cmd, *o);
    cmd->add_option("URI", o->uri, "Resource URI, e.g. /redfish/v1/Fabrics/IB/Switches/<GUID>")->required();
    add_render_options(cmd, *o);
    cmd->callback([&ctx, o] { ctx.run = [o] { return run_get(*o); }; });
  }
  {
    auto o = std::make_shared<RedfishOptions>();
    CLI::App* cmd = group->add_subcommand(
        "import", "Read a Redfish mockup folder written by `redfish export` back into a topology");
    cmd->add_option("DIR", o->dir, "Mockup folder")->required();
    cmd->add_option("-o,--output", o->output, "Output file (default: standard output)");
    cmd->add_option("--format", o->output_format,
                    "Output format (default: from the output file's extension, else ibnetdiscover)")
        ->check(CLI::IsMember(std::vector<std::string>{"ibnetdiscover", "netfile", "dot"}));
    cmd->callback([&ctx, o] { ctx.run = [o] { return run_import(*o); }; });
  }
}

} // namespace ofmfctl
