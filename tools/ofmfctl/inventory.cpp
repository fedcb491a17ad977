// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// `ofmfctl inventory`: local RDMA devices (libibverbs) and libfabric
// interfaces (fi_getinfo), as text or JSON.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "command.hpp"
#include "ofmf/backend/inventory.hpp"
#include "ofmf/backend/probe.hpp"

namespace ofmfctl {
namespace {

namespace be = ofmf::backend;

struct InventoryOptions {
  std::string backend;  // "", "verbs", "ofi"
  std::string provider;
  std::vector<std::string> caps;
  std::string ep;
  bool json = false;
  bool redfish = false;
};

nlohmann::ordered_json to_json(const be::RdmaDevice& d) {
  nlohmann::ordered_json j;
  j["name"] = d.name;
  j["node_guid"] = ofmf::model::format_guid(d.node_guid);
  j["system_guid"] = ofmf::model::format_guid(d.system_guid);
  j["node_type"] = std::string(ofmf::model::to_string(d.node_type));
  j["vendor_id"] = d.vendor_id;
  j["vendor_part_id"] = d.vendor_part_id;
  j["hw_version"] = d.hw_version;
  j["firmware"] = d.firmware;
  auto ports = nlohmann::ordered_json::array();
  for (const be::RdmaPort& p : d.ports) {
    const auto& a = p.attributes;
    ports.push_back({{"port", p.number},
                     {"link_layer", std::string(be::to_string(p.link_layer))},
                     {"guid", ofmf::model::format_guid(a.guid)},
                     {"lid", a.lid},
                     {"lmc", a.lmc},
                     {"sm_lid", p.sm_lid},
                     {"state", std::string(ofmf::model::to_string(a.state))},
                     {"phys_state", std::string(ofmf::model::to_string(a.phys_state))},
                     {"width", std::string(ofmf::model::to_string(a.width))},
                     {"speed", std::string(ofmf::model::to_string(a.speed))},
                     {"mtu", ofmf::model::mtu_bytes(a.mtu)},
                     {"max_mtu", ofmf::model::mtu_bytes(p.max_mtu)},
                     {"notes", p.notes}});
  }
  j["ports"] = ports;
  return j;
}

nlohmann::ordered_json to_json(const be::OfiInterface& o) {
  return {{"provider", o.provider},         {"provider_version", o.provider_version},
          {"fabric", o.fabric},             {"domain", o.domain},
          {"endpoint_type", std::string(be::to_string(o.endpoint_type))},
          {"protocol", o.protocol},         {"caps", o.caps},
          {"address_format", o.address_format}, {"source_address", o.source_address},
          {"max_msg_size", o.max_msg_size}, {"inject_size", o.inject_size},
          {"link_layer", o.link_layer}};
}

int run_inventory(const InventoryOptions& o) {
  const bool verbs = (o.backend.empty() && !o.redfish) || o.backend == "verbs";
  const bool ofi = o.backend.empty() || o.backend == "ofi";
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  std::string text;
  char buf[512];
  int rc = exit_ok;
  if (verbs) {
    auto devices = be::verbs_inventory();
    if (!devices) {
      if (o.backend == "verbs") {
        print_error(devices.error().message);
        return exit_failed;
      }
      text += "verbs: " + devices.error().message + "\n";
      out["verbs"] = {{"error", devices.error().message}};
    } else {
      auto list = nlohmann::ordered_json::array();
      if (devices->empty()) text += "verbs: no RDMA device on this host (libibverbs found none)\n";
      for (const be::RdmaDevice& d : *devices) {
        list.push_back(to_json(d));
        text += "verbs: " + d.name + " " + std::string(ofmf::model::to_string(d.node_type)) + " node " +
                ofmf::model::format_guid(d.node_guid) + " fw " + d.firmware + "\n";
        for (const be::RdmaPort& p : d.ports) {
          const auto& a = p.attributes;
          std::snprintf(buf, sizeof buf, "  port %u: %s, %s, LID %u, %s %s, MTU %u, GUID %s\n", unsigned(p.number),
                        std::string(ofmf::model::to_string(a.state)).c_str(), std::string(be::to_string(p.link_layer)).c_str(),
                        unsigned(a.lid), std::string(ofmf::model::to_string(a.width)).c_str(),
                        std::string(ofmf::model::to_string(a.speed)).c_str(), ofmf::model::mtu_bytes(a.mtu),
                        ofmf::model::format_guid(a.guid).c_str());
          text += buf;
        }
      }
      out["verbs"] = list;
    }
  }
  if (ofi) {
    be::OfiFilter f;
    f.provider = o.provider;
    for (const std::string& c : o.caps) {
      // --caps msg,rma and --caps msg --caps rma both work.
      std::size_t pos = 0;
      while (pos <= c.size()) {
        const std::size_t comma = std::min(c.find(',', pos), c.size());
        if (comma > pos) f.caps.push_back(c.substr(pos, comma - pos));
        pos = comma + 1;
      }
    }
    if (!o.ep.empty()) f.endpoint_type = be::parse_endpoint_type(o.ep);
    auto inv = be::ofi_inventory(f);
    if (!inv) {
      print_error(inv.error().message);
      return exit_failed;
    }
    if (o.redfish) {
      auto tree = be::ofi_to_redfish(*inv);
      if (!tree) {
        print_error(tree.error().message);
        return exit_failed;
      }
      nlohmann::ordered_json resources = nlohmann::ordered_json::object();
      for (const auto& [uri, resource] : *tree) resources[uri] = resource;
      return write_stdout(resources.dump(2, ' ', false, json_replace_invalid_utf8) + "\n");
    }
    auto list = nlohmann::ordered_json::array();
    if (inv->empty()) text += "ofi: no libfabric interface matches\n";
    else {
      std::snprintf(buf, sizeof buf, "%-16s %-20s %-8s %-5s %-18s %s\n", "provider", "fabric", "domain", "ep", "protocol", "address");
      text += buf;
    }
    for (const be::OfiInterface& i : *inv) {
      list.push_back(to_json(i));
      std::snprintf(buf, sizeof buf, "%-16s %-20s %-8s %-5s %-18s %s\n", i.provider.c_str(), i.fabric.c_str(), i.domain.c_str(),
                    std::string(be::to_string(i.endpoint_type)).c_str(), i.protocol.c_str(), i.source_address.c_str());
      text += buf;
    }
    out["ofi"] = list;
  }
  if (o.json) return write_stdout(out.dump(2, ' ', false, json_replace_invalid_utf8) + "\n");
  const int w = write_stdout(text);
  return w != exit_ok ? w : rc;
}

} // namespace

void register_inventory(CLI::App& app, Context& context) {
  auto o = std::make_shared<InventoryOptions>();
  CLI::App* cmd = app.add_subcommand("inventory", "List local RDMA devices (libibverbs) and libfabric interfaces");
  cmd->add_option("--backend", o->backend, "Only this backend")->check(CLI::IsMember({"verbs", "ofi"}));
  cmd->add_option("--provider", o->provider, "libfabric provider (a chain like tcp;ofi_rxm or a part of it)");
  cmd->add_option("--caps", o->caps, "libfabric capabilities every interface must have (msg,tagged,rma,...)");
  cmd->add_option("--ep", o->ep, "libfabric endpoint type")->check(CLI::IsMember({"msg", "rdm", "dgram"}));
  cmd->add_flag("--json", o->json, "Print a JSON object");
  cmd->add_flag("--redfish", o->redfish, "Print the libfabric interfaces as Redfish resources {URI: resource}");
  cmd->callback([&context, o] { context.run = [o] { return run_inventory(*o); }; });
}

} // namespace ofmfctl
