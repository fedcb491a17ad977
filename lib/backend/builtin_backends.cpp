// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// The one list of built-in backends, in preference order. A backend is in
// it when its folder was compiled (OFMF_HAVE_BACKEND_<NAME>, set by
// ofmf_add_backend()); there is no self-registration.
#include <string>

#include "detail/factories.hpp"

namespace ofmf::backend {
namespace {

struct Entry {
  std::string_view name;
  std::unique_ptr<Backend> (*make)();
};

constexpr Entry builtins[] = {
#ifdef OFMF_HAVE_BACKEND_UMAD
    {"umad", make_umad_backend},
#endif
#ifdef OFMF_HAVE_BACKEND_VERBS
    {"verbs", make_verbs_backend},
#endif
#ifdef OFMF_HAVE_BACKEND_OFI
    {"ofi", make_ofi_backend},
#endif
    {"sim", make_sim_backend},
};

} // namespace

std::vector<std::string_view> builtin_backends() {
  std::vector<std::string_view> out;
  for (const Entry& e : builtins) out.push_back(e.name);
  return out;
}

Result<std::unique_ptr<Backend>> make_backend(std::string_view name) {
  std::string known;
  for (const Entry& e : builtins) {
    if (e.name == name) return e.make();
    known += known.empty() ? "" : ", ";
    known += e.name;
  }
  return fail(errc::not_found, "no backend \"" + std::string(name) + "\" in this build (built: " + known + ")");
}

} // namespace ofmf::backend
