// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// EngineRegistry::load_plugin(): external engines in libofmf-<name>.so.
#include <dlfcn.h>

#include <cstring>
#include <memory>
#include <string>
#include <utility>

#include "ofmf/routing/engine.hpp"

namespace ofmf::routing {
namespace {

// Keeps the library loaded while an engine created from it exists: the
// engine's code lives in the library.
class PluginEngine final : public Engine {
 public:
  PluginEngine(std::shared_ptr<void> handle, std::unique_ptr<Engine> inner)
      : handle_(std::move(handle)), inner_(std::move(inner)) {}
  ~PluginEngine() override { inner_.reset(); }  // before handle_ goes

  std::string_view name() const noexcept override { return inner_->name(); }
  Result<RouteTable> compute(const model::TopologyView& view, const Options& options) const override {
    return inner_->compute(view, options);
  }
  Result<void> assign_vls(const model::TopologyView& view, const Options& options, RouteTable& table) const override {
    return inner_->assign_vls(view, options, table);
  }
  Result<void> reroute(const model::TopologyView& old_view, const RouteTable& old, const model::TopologyView& new_view,
                       const Options& options, std::span<const Lid> affected, RouteTable& out) const override {
    return inner_->reroute(old_view, old, new_view, options, affected, out);
  }

 private:
  std::shared_ptr<void> handle_;
  std::unique_ptr<Engine> inner_;
};

std::string dl_message() {
  const char* e = dlerror();
  return e ? e : "unknown error";
}

} // namespace

Result<std::string> EngineRegistry::load_plugin(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  const std::string file = slash == std::string::npos ? path : path.substr(slash + 1);
  const std::string prefix = "libofmf-", suffix = ".so";
  if (file.size() <= prefix.size() + suffix.size() || file.compare(0, prefix.size(), prefix) != 0 ||
      file.compare(file.size() - suffix.size(), suffix.size(), suffix) != 0)
    return fail(errc::invalid_argument, "plug-in '" + path + "': the file name must be libofmf-<name>.so");
  const std::string want = file.substr(prefix.size(), file.size() - prefix.size() - suffix.size());

  dlerror();
  void* raw = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!raw) return fail(errc::not_found, "plug-in '" + path + "': cannot load: " + dl_message());
  std::shared_ptr<void> handle(raw, [](void* h) { dlclose(h); });
  dlerror();
  void* sym = dlsym(raw, "ofmf_plugin_entry");
  if (!sym) return fail(errc::not_found, "plug-in '" + path + "': no ofmf_plugin_entry symbol: " + dl_message());
  ofmf_plugin_entry_fn entry = nullptr;
  static_assert(sizeof entry == sizeof sym);
  std::memcpy(&entry, &sym, sizeof entry);
  const ofmf_routing_plugin* d = entry();
  if (!d) return fail(errc::invalid_argument, "plug-in '" + path + "': ofmf_plugin_entry() returned null");
  if (d->abi_version != engine_abi_version)
    return fail(errc::not_supported, "plug-in '" + path + "': ABI version " + std::to_string(d->abi_version) +
                                         ", this library has " + std::to_string(engine_abi_version));
  if (!d->name || want != d->name)
    return fail(errc::invalid_argument, "plug-in '" + path + "': engine name '" + std::string(d->name ? d->name : "") +
                                            "' does not match the file name (expected '" + want + "')");
  if (!d->create) return fail(errc::invalid_argument, "plug-in '" + path + "': no factory");
  auto create = d->create;
  EngineDescriptor desc{want, engine_abi_version, [handle, create]() -> std::unique_ptr<Engine> {
                          std::unique_ptr<Engine> inner(create());
                          if (!inner) return nullptr;
                          return std::make_unique<PluginEngine>(handle, std::move(inner));
                        }};
  if (auto r = add(std::move(desc)); !r) {
    Error e = std::move(r).error();
    e.message = "plug-in '" + path + "': " + e.message;
    return fail(std::move(e));
  }
  return want;
}

} // namespace ofmf::routing
