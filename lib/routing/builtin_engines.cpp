// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// The one list of built-in routing engines (no self-registration: static
// links would drop it).
#include "routing/engines/dfsssp/dfsssp.hpp"
#include "routing/engines/file/file.hpp"
#include "routing/engines/dor/dor.hpp"
#include "routing/engines/ftree/ftree.hpp"
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
      {"ftree", &engines::make_ftree},
      {"dor", &engines::make_dor},
      {"dfsssp", &engines::make_dfsssp},
      {"file", &engines::make_file},
  };
  EngineRegistry r;
  for (const Builtin& b : list) {
    auto added = r.add({b.name, engine_abi_version, b.factory});
    if (!added) ofmf::detail::bad_result_access(added.error());  // a duplicate in this list is a bug
  }
  return r;
}

} // namespace ofmf::routing
