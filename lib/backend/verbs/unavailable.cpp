// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Built without libibverbs: the device list says so.
#include "ofmf/backend/inventory.hpp"

namespace ofmf::backend {

Result<std::vector<RdmaDevice>> verbs_inventory() {
  return fail(errc::not_supported, "this ofmf was built without libibverbs (OFMF_BACKEND_VERBS)");
}

} // namespace ofmf::backend
