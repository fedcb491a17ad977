// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// The umad backend: InfiniBand subnet management through rdma-core's
// libibumad (a real HCA, or ibsim through umad2sim).
//
// Config: device = CA name ("" = the first with a port whose link is up),
// port = port number (0 = the first with a link), timeout/retries/window
// for every MAD, gone_after for what lost answers hide, cancel checked
// while MADs are in flight. No option keys are read; unknown ones are
// refused.
#include <infiniband/umad.h>

#include <endian.h>

#include <cstring>
#include <optional>

#include "../detail/factories.hpp"
#include "discovery.hpp"
#include "sm.hpp"
#include "transport.hpp"

namespace ofmf::backend {
namespace {

const char* state_name(unsigned s) {
  switch (s) {
    case 1: return "Down";
    case 2: return "Init";
    case 3: return "Armed";
    case 4: return "Active";
    default: return "?";
  }
}

class UmadSession final : public Session {
 public:
  UmadSession(std::unique_ptr<umad::Transport> t, unsigned gone_after) : t_(std::move(t)), gone_after_(gone_after) {}

  Result<TopologyDelta> discover(const ProgressFn& progress) override {
    // What lost answers hide is taken from the latest discovery.
    auto d = umad::discover(*t_, progress, last_ ? &*last_ : nullptr, gone_after_);
    if (!d) return Unexpected{std::move(d).error()};
    // The model goes to the caller; the session keeps the routes and
    // PortInfo (last_->delta is left empty).
    TopologyDelta delta = std::move(d->delta);
    last_ = std::move(*d);
    return delta;
  }

  // Subnet-manager actions live in sm.cpp.
  Result<ApplyReport> apply(const model::Fabric& fabric, const routing::RouteTable& table,
                            const ApplyOptions& options, const ProgressFn& progress) override {
    return umad::apply_routes(*t_, last_ ? &*last_ : nullptr, fabric, table, options, progress);
  }
  Result<std::vector<Problem>> read_counters(model::Fabric& fabric, const ProgressFn& progress) override {
    return umad::read_port_counters(*t_, fabric, progress);
  }

  Statistics statistics() const override { return t_->statistics(); }

 private:
  std::unique_ptr<umad::Transport> t_;
  unsigned gone_after_;
  /// The latest discovery: directed routes, SwitchInfo, PortInfo as read.
  std::optional<umad::Discovered> last_;
};

class UmadBackend final : public Backend {
 public:
  std::string_view name() const noexcept override { return "umad"; }

  Result<std::vector<Capability>> probe() const override {
    std::vector<Capability> out;
    if (umad_init() < 0) return out;  // no umad ABI: nothing here
    char cas[UMAD_MAX_DEVICES][UMAD_CA_NAME_LEN];
    const int n = umad_get_cas_names(cas, UMAD_MAX_DEVICES);
    for (int i = 0; i < n; ++i) {
      umad_ca_t ca{};
      if (umad_get_ca(cas[i], &ca) < 0) continue;
      const std::string name(ca.ca_name, strnlen(ca.ca_name, UMAD_CA_NAME_LEN));
      for (int p = 0; p < UMAD_CA_MAX_PORTS; ++p) {
        const umad_port_t* port = ca.ports[p];
        if (!port) continue;
        Capability c;
        c.name = name;
        c.detail = name + " port " + std::to_string(p) + ": " + state_name(port->state) + ", LID " +
                   std::to_string(port->base_lid);
        c.properties["port"] = std::to_string(p);
        c.properties["state"] = state_name(port->state);
        c.properties["lid"] = std::to_string(port->base_lid);
        c.properties["sm_lid"] = std::to_string(port->sm_lid);
        c.properties["port_guid"] = model::format_guid(be64toh(port->port_guid));
        c.properties["link_layer"] = std::string(port->link_layer, strnlen(port->link_layer, UMAD_CA_NAME_LEN));
        c.properties["node_guid"] = model::format_guid(be64toh(ca.node_guid));
        out.push_back(std::move(c));
      }
      umad_release_ca(&ca);
    }
    return out;
  }

  Result<std::unique_ptr<Session>> open(const Config& config) const override {
    if (!config.options.empty())
      return fail(errc::invalid_argument,
                  "umad backend: unknown option \"" + config.options.begin()->first + "\" (it reads none)");
    auto t = umad::Transport::open(config);
    if (!t) return Unexpected{std::move(t).error()};
    return std::unique_ptr<Session>(std::make_unique<UmadSession>(std::move(*t), config.gone_after));
  }
};

} // namespace

std::unique_ptr<Backend> make_umad_backend() { return std::make_unique<UmadBackend>(); }

} // namespace ofmf::backend
