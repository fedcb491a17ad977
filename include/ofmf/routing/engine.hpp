// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// The routing-engine seam: ofmf::routing::Engine, its Options, the
/// EngineRegistry and compute_chain().

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ofmf/error.hpp"
#include "ofmf/export.hpp"
#include "ofmf/model/topology_view.hpp"
#include "ofmf/routing/route_table.hpp"

namespace ofmf::routing {

/// ABI version of the Engine interface. A descriptor with another value is
/// refused by EngineRegistry::add() and EngineRegistry::load_plugin().
/// Version 2 added Engine::reroute().
inline constexpr unsigned engine_abi_version = 2;

/// Settings shared by all engines. Engines ignore fields they do not use.
struct Options {
  std::uint8_t lmc = 0;             ///< LID mask control for endpoint ports, 0..7
  std::vector<model::Guid> roots;   ///< root switch GUIDs (updn, ftree); empty = automatic
  unsigned threads = 0;             ///< worker threads; 0 = all cores
  unsigned max_vls = 8;             ///< VLs an engine may use (VL engines)
  bool allow_fallback = true;       ///< compute_chain(): try the next engine on failure
  /// `file` engine: path of an OpenSM opensm-lfts.dump to load.
  std::string lft_file;
};

/// A routing engine. Engines are pure: compute() reads the view and
/// returns a new table; they hold no per-fabric state and are safe to call
/// from several threads at once.
class OFMF_API Engine {
 public:
  virtual ~Engine();
  /// Short name as used in chains ("minhop").
  virtual std::string_view name() const noexcept = 0;
  /// Assigns LIDs (RouteTable::create) and fills every switch LFT.
  /// Errors are engine specific; the message names the switch involved.
  virtual Result<RouteTable> compute(const model::TopologyView& view, const Options& options) const = 0;
  /// Optional hook: fill path SLs and SL-to-VL tables of `table`.
  /// Default: errc::not_supported.
  virtual Result<void> assign_vls(const model::TopologyView& view, const Options& options, RouteTable& table) const;
  /// Optional hook for incremental rerouting (see routing/incremental.hpp,
  /// which calls it; users normally call routing::reroute() instead).
  /// `old` was computed by this engine on `old_view`; `new_view` is the
  /// fabric after some links or switches went down or came up. `out`
  /// arrives created for `new_view` with the old LIDs kept for every port
  /// that still has one, and each switch LFT copied from `old` (switches
  /// matched by GUID). The hook must recompute, on every switch, the
  /// entries of the LIDs in `affected` (ascending, each < out.lid_space());
  /// it may keep the other entries as they are, and should change as few
  /// entries as its guarantees allow.
  /// Default: errc::not_supported, and the caller computes the table in
  /// full (correct, just slower). A hook may also return not_supported for
  /// changes it cannot handle; any other error is reported to the caller.
  virtual Result<void> reroute(const model::TopologyView& old_view, const RouteTable& old,
                               const model::TopologyView& new_view, const Options& options,
                               std::span<const Lid> affected, RouteTable& out) const;
};

/// Creates a new engine; the caller owns it.
using EngineFactory = std::function<std::unique_ptr<Engine>()>;

/// What EngineRegistry::add() takes.
struct EngineDescriptor {
  std::string name;                          ///< unique, non-empty, no ','
  unsigned abi_version = engine_abi_version; ///< must equal engine_abi_version
  EngineFactory factory;                     ///< non-null
};

/// Named engine factories. A value type; copying copies the factories.
class OFMF_API EngineRegistry {
 public:
  /// A registry with the built-in engines (listed in one place,
  /// lib/routing/builtin_engines.cpp), in the order they are listed.
  static EngineRegistry builtin();

  /// Adds an engine. Errors: errc::already_exists (name taken),
  /// errc::invalid_argument (empty name or one containing ',' or spaces,
  /// null factory), errc::not_supported (abi_version mismatch).
  Result<void> add(EngineDescriptor descriptor);
  /// Creates the engine named `name`. Errors: errc::not_found; a factory
  /// returning null gives errc::invalid_argument.
  Result<std::unique_ptr<Engine>> create(std::string_view name) const;
  /// True when `name` is registered.
  bool contains(std::string_view name) const noexcept;
  /// Registered names in registration order.
  std::vector<std::string> names() const;

  /// Loads an external engine: dlopen()s `path`, a shared library named
  /// `libofmf-<name>.so` (a path with a '/' is used as is, otherwise the
  /// dynamic linker's search path applies), calls its
  /// `extern "C" const ofmf_routing_plugin* ofmf_plugin_entry()` and adds
  /// the engine it describes under <name>, which must equal the
  /// descriptor's name. The library stays loaded while this registry, a
  /// copy of it, or an engine created from it exists.
  /// Returns the engine name. On any error nothing is registered and the
  /// library is closed again. Errors: errc::invalid_argument (file name
  /// not libofmf-<name>.so, null descriptor or factory, name mismatch),
  /// errc::not_found (dlopen failed: the message has dlerror()'s text; or
  /// no ofmf_plugin_entry symbol), errc::not_supported (abi_version is not
  /// engine_abi_version), errc::already_exists (name taken).
  Result<std::string> load_plugin(const std::string& path);

 private:
  std::vector<EngineDescriptor> engines_;
};

/// Runs the engines of a comma-separated chain ("updn,minhop") in order
/// and returns the first table computed. The table records the engine used
/// (RouteTable::engine()) and, for each engine tried before it, why it was
/// skipped (RouteTable::skipped()). Without options.allow_fallback the
/// first engine's error is returned as is.
/// Errors: errc::invalid_argument (empty chain or empty name),
/// errc::not_found (an unknown engine name, checked before anything runs),
/// otherwise the last engine's error code with every engine's reason in
/// the message.
OFMF_API Result<RouteTable> compute_chain(const EngineRegistry& registry, std::string_view chain,
                                          const model::TopologyView& view, const Options& options);

} // namespace ofmf::routing

extern "C" {
/// What an external engine library returns from ofmf_plugin_entry(). It
/// must stay valid while the library is loaded (a static object).
struct ofmf_routing_plugin {
  /// ofmf::routing::engine_abi_version of the headers the plug-in was built with.
  unsigned abi_version;
  /// Engine name (as in EngineDescriptor::name); equals <name> of libofmf-<name>.so.
  const char* name;
  /// Creates an engine with `new`; the caller owns it and deletes it
  /// through the virtual destructor. Must not throw (return null instead).
  ofmf::routing::Engine* (*create)();
};
/// Type of the entry point a plug-in exports (with default visibility, e.g.
/// marked OFMF_API) as `ofmf_plugin_entry`.
typedef const ofmf_routing_plugin* (*ofmf_plugin_entry_fn)();
}
