// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// The verbs backend: local RDMA devices and their ports through
// libibverbs (ibv_get_device_list, ibv_query_device, ibv_query_port,
// ibv_query_gid), mapped by mapping.cpp. With no device present probe()
// returns an empty list and open() says there is none.
//
// Config: device = a device name ("" = every device); port: ignored
// (every port is read). Option keys are refused.
#include <infiniband/verbs.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "../detail/factories.hpp"
#include "mapping.hpp"

namespace ofmf::backend {
namespace {

Error sys_error(int e, const std::string& what) {
  return Error{std::error_code(e, std::system_category()), what + ": " + std::strerror(e)};
}

struct DeviceList {
  ibv_device** list = nullptr;
  ~DeviceList() {
    if (list) ibv_free_device_list(list);
  }
};

struct Context {
  ibv_context* ctx = nullptr;
  ~Context() {
    if (ctx) ibv_close_device(ctx);
  }
};

Result<RdmaDevice> read_device(ibv_device* dev) {
  verbs::VerbsDeviceAttr d;
  d.name = ibv_get_device_name(dev);
  d.node_type = int(dev->node_type);
  Context c;
  c.ctx = ibv_open_device(dev);
  if (!c.ctx) return Unexpected(sys_error(errno, "verbs: ibv_open_device(" + d.name + ")"));
  ibv_device_attr da{};
  if (int rc = ibv_query_device(c.ctx, &da)) return Unexpected(sys_error(rc, "verbs: ibv_query_device(" + d.name + ")"));
  d.fw_ver = da.fw_ver;
  d.node_guid_be = da.node_guid;
  d.sys_image_guid_be = da.sys_image_guid;
  d.vendor_id = da.vendor_id;
  d.vendor_part_id = da.vendor_part_id;
  d.hw_ver = da.hw_ver;
  d.phys_port_cnt = da.phys_port_cnt;
  std::vector<verbs::VerbsPortAttr> ports;
  for (unsigned p = 1; p <= da.phys_port_cnt; ++p) {
    ibv_port_attr pa{};
    if (int rc = ibv_query_port(c.ctx, std::uint8_t(p), &pa))
      return Unexpected(sys_error(rc, "verbs: ibv_query_port(" + d.name + ", " + std::to_string(p) + ")"));
    verbs::VerbsPortAttr a;
    a.state = std::uint8_t(pa.state);
    a.max_mtu = std::uint8_t(pa.max_mtu);
    a.active_mtu = std::uint8_t(pa.active_mtu);
    a.lid = pa.lid;
    a.sm_lid = pa.sm_lid;
    a.lmc = pa.lmc;
    a.active_width = pa.active_width;
    a.active_speed = pa.active_speed;
    a.phys_state = pa.phys_state;
    a.link_layer = pa.link_layer;
    ibv_gid gid{};
    if (ibv_query_gid(c.ctx, std::uint8_t(p), 0, &gid) == 0) a.gid0_interface_id_be = gid.global.interface_id;
    ports.push_back(a);
  }
  return verbs::map_device(d, ports);
}

} // namespace

Result<std::vector<RdmaDevice>> verbs_inventory() {
  int n = 0;
  errno = 0;
  DeviceList l;
  l.list = ibv_get_device_list(&n);
  std::vector<RdmaDevice> out;
  if (!l.list) {
    // ENOSYS: no kernel RDMA support at all - nothing present, not an error.
    if (errno == ENOSYS || errno == 0 || errno == ENOENT) return out;
    return Unexpected(sys_error(errno, "verbs: ibv_get_device_list"));
  }
  for (int i = 0; i < n; ++i) {
    auto d = read_device(l.list[i]);
    if (!d) return Unexpected(std::move(d).error());
    out.push_back(std::move(*d));
  }
  return out;
}

namespace {

class VerbsSession final : public Session {
 public:
  explicit VerbsSession(std::string device) : device_(std::move(device)) {}

  Result<TopologyDelta> discover(const ProgressFn& progress) override {
    auto devices = verbs_inventory();
    if (!devices) return Unexpected(std::move(devices).error());
    std::vector<RdmaDevice> chosen;
    for (RdmaDevice& d : *devices)
      if (device_.empty() || d.name == device_) chosen.push_back(std::move(d));
    if (chosen.empty())
      return fail(errc::unavailable, device_.empty() ? std::string("verbs: no RDMA device present any more")
                                                     : "verbs: device " + device_ + " is gone");
    auto fabric = verbs::to_fabric(chosen);
    if (!fabric) return Unexpected(std::move(fabric).error());
    TopologyDelta out;
    out.fabric = std::move(*fabric);
    for (const RdmaDevice& d : chosen)
      for (const RdmaPort& p : d.ports) {
        if (out.local_port_guid == 0 && p.attributes.state == model::PortState::Active)
          out.local_port_guid = p.attributes.guid ? p.attributes.guid : d.node_guid + p.number;
        for (const std::string& note : p.notes)
          out.problems.push_back({d.name + " port " + std::to_string(p.number), make_error(errc::not_supported, note)});
      }
    out.statistics.received = chosen.size();
    if (progress) progress({"discover", chosen.size(), chosen.size()});
    return out;
  }

 private:
  std::string device_;
};

class VerbsBackend final : public Backend {
 public:
  std::string_view name() const noexcept override { return "verbs"; }

  Result<std::vector<Capability>> probe() const override {
    auto devices = verbs_inventory();
    if (!devices) return Unexpected(std::move(devices).error());
    std::vector<Capability> out;
    for (const RdmaDevice& d : *devices)
      for (const RdmaPort& p : d.ports) {
        Capability c;
        c.name = d.name;
        c.detail = d.name + " port " + std::to_string(p.number) + ": " + std::string(model::to_string(p.attributes.state)) +
                   ", " + std::string(to_string(p.link_layer)) +
                   (p.link_layer == LinkLayer::Ethernet ? std::string() : ", LID " + std::to_string(p.attributes.lid));
        c.properties["port"] = std::to_string(p.number);
        c.properties["link_layer"] = std::string(to_string(p.link_layer));
        c.properties["state"] = std::string(model::to_string(p.attributes.state));
        c.properties["node_guid"] = model::format_guid(d.node_guid);
        c.properties["firmware"] = d.firmware;
        out.push_back(std::move(c));
      }
    return out;
  }

  Result<std::unique_ptr<Session>> open(const Config& config) const override {
    if (!config.options.empty())
      return fail(errc::invalid_argument, "verbs backend: unknown option \"" + config.options.begin()->first + "\" (it takes none)");
    auto devices = verbs_inventory();
    if (!devices) return Unexpected(std::move(devices).error());
    if (devices->empty())
      return fail(errc::unavailable, "verbs backend: no RDMA device on this host (ibv_get_device_list found none)");
    if (!config.device.empty()) {
      bool found = false;
      std::string names;
      for (const RdmaDevice& d : *devices) {
        found = found || d.name == config.device;
        names += (names.empty() ? "" : ", ") + d.name;
      }
      if (!found) return fail(errc::unavailable, "verbs backend: no device \"" + config.device + "\" (present: " + names + ")");
    }
    return std::unique_ptr<Session>(std::make_unique<VerbsSession>(config.device));
  }
};

} // namespace

std::unique_ptr<Backend> make_verbs_backend() { return std::make_unique<VerbsBackend>(); }

} // namespace ofmf::backend
