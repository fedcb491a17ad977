// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// The routing-engine seam: ofmf::routing::Engine, its Options, the
/// EngineRegistry and compute_chain().

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ofmf/error.hpp"
#include "ofmf/export.hpp"
#include "ofmf/model/topology_view.hpp"
#include "ofmf/routing/route_table.hpp"

namespace ofmf::routing {

/// ABI version of the Engine interface. A descriptor with another value is
/// refused by EngineRegistry::add().
inline constexpr unsigned engine_abi_version = 1;

/// Settings shared by all engines. Engines ignore fields they do not use.
struct Options {
  std::uint8_t lmc = 0;             ///< LID mask control for endpoint ports, 0..7
  std::vector<model::Guid> roots;   ///< root switch GUIDs (updn, ftree); empty = automatic
  unsigned threads = 0;             ///< worker threads; 0 = all cores
  unsigned max_vls = 8;             ///< VLs an engine may use (VL engines)
  bool allow_fallback = true;       ///< compute_chain(): try the next engine on failure
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
