// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// The one list of built-in routing engines (no self-registration: static
// links would drop it).
#include "routing/engines/minhop/minhop.hpp"
#include "routing/engines/updn/updn.hpp"
#include "ofmf/routing/engine.hpp"

namespace ofmf::routing {

EngineRegistry EngineRegistry::builtin() {
  struct Builtin {
    const char* name;
    std::unique_ptr<Engine> (*factory)();
  };
  static constexpr Builtin list[] = {
      {"minhop", &engines::make_minhop},
      {"updn", &engines::make_updn},
  };
  EngineRegistry r;
  for (const Builtin& b : list) {
    auto added = r.add({b.name, engine_abi_version, b.factory});
    if (!added) ofmf::detail::bad_result_access(added.error());  // a duplicate in this list is a bug
  }
  return r;
}

} // namespace ofmf::routing
