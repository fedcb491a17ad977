// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include "ofmf/backend/backend.hpp"

namespace ofmf::backend {

Session::~Session() = default;
Backend::~Backend() = default;

Result<ApplyReport> Session::apply(const model::Fabric&, const routing::RouteTable&, const ApplyOptions&,
                                   const ProgressFn&) {
  return fail(errc::not_supported, "this backend does not program forwarding tables");
}

Result<std::vector<Problem>> Session::read_counters(model::Fabric&, const ProgressFn&) {
  return fail(errc::not_supported, "this backend does not read port counters");
}

Statistics Session::statistics() const { return {}; }

} // namespace ofmf::backend
