// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Built without libfabric: the inventory and the probe say so.
#include "ofmf/backend/inventory.hpp"
#include "ofmf/backend/probe.hpp"

namespace ofmf::backend {
namespace {
Unexpected no_libfabric() {
  return fail(errc::not_supported, "this ofmf was built without libfabric (OFMF_BACKEND_OFI)");
}
} // namespace

Result<std::vector<OfiInterface>> ofi_inventory(const OfiFilter&) { return no_libfabric(); }
Result<std::vector<std::string>> ofi_providers() { return no_libfabric(); }
Result<ProbeReport> probe_loopback(const ProbeOptions&) { return no_libfabric(); }
Result<ProbeReport> probe_server(const ProbeOptions&) { return no_libfabric(); }
Result<ProbeReport> probe_client(const ProbeOptions&, std::string_view) { return no_libfabric(); }

} // namespace ofmf::backend
