// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// The ofi backend: what libfabric reaches on this host. probe() lists one
// capability per provider chain. A session's discover() returns
// errc::not_supported: libfabric does not walk a subnet, and its
// interfaces (no GUIDs, LIDs or links) do not fit the InfiniBand model; an
// empty model would read as "no fabric". The libfabric view is
// ofi_inventory() (as Redfish: ofi_to_redfish(), merge_ofi() into a
// service tree), the measurements probe_loopback()/probe_client().
//
// Config: device = a provider name ("" = any); options: "endpoint_type"
// = msg | rdm | dgram. Other option keys are refused.
#include <map>
#include <set>

#include "../detail/factories.hpp"
#include "ofmf/backend/inventory.hpp"

namespace ofmf::backend {
namespace {

class OfiSession final : public Session {
 public:
  explicit OfiSession(OfiFilter filter) : filter_(std::move(filter)) {}

  Result<TopologyDelta> discover(const ProgressFn& progress) override {
    auto inv = ofi_inventory(filter_);
    if (!inv) return Unexpected(std::move(inv).error());
    if (inv->empty())
      return fail(errc::unavailable, "ofi backend: provider \"" + filter_.provider + "\" offers no " +
                                         (filter_.endpoint_type ? std::string(to_string(*filter_.endpoint_type)) : "") +
                                         " interface any more");
    (void)progress;
    return fail(errc::not_supported,
                "ofi backend: libfabric interfaces are not an InfiniBand subnet and do not fit the fabric model; "
                "the provider \"" + (filter_.provider.empty() ? std::string("(any)") : filter_.provider) + "\" offers " +
                    std::to_string(inv->size()) +
                    " interface(s): list them with ofi_inventory() (ofmfctl inventory --backend ofi), add them to a "
                    "Redfish service with merge_ofi() (ofmfctl redfish export --ofi)");
  }

 private:
  OfiFilter filter_;
};

class OfiBackend final : public Backend {
 public:
  std::string_view name() const noexcept override { return "ofi"; }

  Result<std::vector<Capability>> probe() const override {
    auto inv = ofi_inventory();
    if (!inv) return Unexpected(std::move(inv).error());
    std::map<std::string, std::pair<std::set<std::string>, std::set<std::string>>> by_provider;  // types, fabrics
    for (const OfiInterface& o : *inv) {
      auto& [types, fabrics] = by_provider[o.provider];
      types.insert(std::string(to_string(o.endpoint_type)));
      fabrics.insert(o.fabric);
    }
    std::vector<Capability> out;
    for (const auto& [provider, tf] : by_provider) {
      auto join = [](const std::set<std::string>& s) {
        std::string r;
        for (const std::string& x : s) r += (r.empty() ? "" : ",") + x;
        return r;
      };
      Capability c;
      c.name = provider;
      c.detail = provider + ": " + join(tf.first) + " endpoints on " + join(tf.second);
      c.properties["endpoint_types"] = join(tf.first);
      c.properties["fabrics"] = join(tf.second);
      out.push_back(std::move(c));
    }
    return out;
  }

  Result<std::unique_ptr<Session>> open(const Config& config) const override {
    OfiFilter f;
    f.provider = config.device;
    for (const auto& [key, value] : config.options) {
      if (key != "endpoint_type")
        return fail(errc::invalid_argument, "ofi backend: unknown option \"" + key + "\" (known: endpoint_type)");
      f.endpoint_type = parse_endpoint_type(value);
      if (!f.endpoint_type)
        return fail(errc::invalid_argument, "ofi backend: endpoint_type \"" + value + "\" is not msg, rdm or dgram");
    }
    auto inv = ofi_inventory(f);
    if (!inv) return Unexpected(make_error(errc::unavailable, inv.error().message));
    if (inv->empty())
      return fail(errc::unavailable, "ofi backend: no libfabric interface" +
                                         (f.provider.empty() ? std::string() : " of provider \"" + f.provider + "\"") +
                                         (f.endpoint_type ? " with " + std::string(to_string(*f.endpoint_type)) + " endpoints" : std::string()));
    return std::unique_ptr<Session>(std::make_unique<OfiSession>(std::move(f)));
  }
};

} // namespace

std::unique_ptr<Backend> make_ofi_backend() { return std::make_unique<OfiBackend>(); }

} // namespace ofmf::backend
