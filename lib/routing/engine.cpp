// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include "ofmf/routing/engine.hpp"

#include <algorithm>

namespace ofmf::routing {

Engine::~Engine() = default;

Result<void> Engine::assign_vls(const model::TopologyView&, const Options&, RouteTable&) const {
  return fail(errc::not_supported, std::string(name()) + ": engine does not assign SLs/VLs");
}

Result<void> Engine::reroute(const model::TopologyView&, const RouteTable&, const model::TopologyView&,
                             const Options&, std::span<const Lid>, RouteTable&) const {
  return fail(errc::not_supported, std::string(name()) + ": engine has no incremental reroute");
}

Result<void> EngineRegistry::add(EngineDescriptor d) {
  if (d.name.empty()) return fail(errc::invalid_argument, "engine name is empty");
  if (d.name.find_first_of(", \t\n") != std::string::npos)
    return fail(errc::invalid_argument, "engine name '" + d.name + "' contains ',' or white space");
  if (!d.factory) return fail(errc::invalid_argument, "engine '" + d.name + "' has no factory");
  if (d.abi_version != engine_abi_version)
    return fail(errc::not_supported, "engine '" + d.name + "' has ABI version " + std::to_string(d.abi_version) +
                                         ", expected " + std::to_string(engine_abi_version));
  if (contains(d.name)) return fail(errc::already_exists, "engine '" + d.name + "' is already registered");
  engines_.push_back(std::move(d));
  return {};
}

bool EngineRegistry::contains(std::string_view name) const noexcept {
  return std::any_of(engines_.begin(), engines_.end(), [&](const EngineDescriptor& d) { return d.name == name; });
}

Result<std::unique_ptr<Engine>> EngineRegistry::create(std::string_view name) const {
  for (const EngineDescriptor& d : engines_) {
    if (d.name != name) continue;
    std::unique_ptr<Engine> e = d.factory();
    if (!e) return fail(errc::invalid_argument, "engine '" + d.name + "': factory returned nothing");
    return e;
  }
  return fail(errc::not_found, "no routing engine named '" + std::string(name) + "'");
}

std::vector<std::string> EngineRegistry::names() const {
  std::vector<std::string> out;
  out.reserve(engines_.size());
  for (const EngineDescriptor& d : engines_) out.push_back(d.name);
  return out;
}

Result<RouteTable> compute_chain(const EngineRegistry& registry, std::string_view chain,
                                 const model::TopologyView& view, const Options& options) {
  std::vector<std::string> names;
  std::size_t pos = 0;
  while (pos <= chain.size()) {
    std::size_t comma = chain.find(',', pos);
    if (comma == std::string_view::npos) comma = chain.size();
    std::string_view n = chain.substr(pos, comma - pos);
    while (!n.empty() && (n.front() == ' ' || n.front() == '\t')) n.remove_prefix(1);
    while (!n.empty() && (n.back() == ' ' || n.back() == '\t')) n.remove_suffix(1);
    if (n.empty()) return fail(errc::invalid_argument, "routing chain '" + std::string(chain) + "' has an empty name");
    names.emplace_back(n);
    pos = comma + 1;
  }
  for (const std::string& n : names)
    if (!registry.contains(n))
      return fail(errc::not_found, "routing chain '" + std::string(chain) + "': no engine named '" + n + "'");

  std::vector<SkippedEngine> skipped;
  for (const std::string& n : names) {
    auto engine = registry.create(n);
    Result<RouteTable> table = engine ? (*engine)->compute(view, options) : Result<RouteTable>(fail(engine.error()));
    if (table) {
      table->set_engine(n);
      table->skipped() = std::move(skipped);
      return table;
    }
    if (!options.allow_fallback) return table;
    skipped.push_back({n, std::move(table).error()});
  }
  std::string msg = "every engine of routing chain '" + std::string(chain) + "' failed:";
  for (const SkippedEngine& s : skipped) msg += " [" + s.engine + ": " + s.error.message + "]";
  return fail(Error{skipped.back().error.code, std::move(msg)});
}

} // namespace ofmf::routing
