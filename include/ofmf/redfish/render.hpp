// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// The fabric model as DMTF Redfish resources (lib/redfish/MAPPING.md):
/// the whole tree, one resource or a subtree on demand, and a Renderer
/// that keeps a tree up to date by re-rendering only what a model change
/// touched.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ofmf/error.hpp"
#include "ofmf/export.hpp"
#include "ofmf/model/fabric.hpp"
#include "ofmf/redfish/tree.hpp"

namespace ofmf::redfish {

/// How the model is rendered.
struct ExportOptions {
  /// Id of the Fabric resource (`/redfish/v1/Fabrics/{fabric_id}`): 1 to 64
  /// characters from [A-Za-z0-9_.-], not "." or "..". Anything else is
  /// refused with errc::invalid_argument.
  std::string fabric_id = "IB";
  /// Adds `@Redfish.Copyright` to every resource, as DMTF's mockups carry.
  /// For mockup folders only: a live service must not emit it.
  bool mockup_copyright = false;
  /// Text of `@Redfish.Copyright` when mockup_copyright is set.
  std::string copyright = "Copyright ofmf contributors. BSD-2-Clause OR GPL-2.0-only.";
  /// Renders PortMetrics for ports that have counters (and the `Metrics`
  /// links to them).
  bool metrics = true;
  /// Worker threads for render() (0 = std::thread::hardware_concurrency(),
  /// 1 = the calling thread only). The result does not depend on it.
  unsigned threads = 0;
};

/// Renders every resource of the fabric (MAPPING.md): ServiceRoot,
/// SessionService, Fabrics, the fabric with its Switches, Ports, Endpoints,
/// Zones, AddressPools, PortMetrics, and Chassis with FabricAdapters and
/// their Ports. Every link is present in both directions.
/// Errors: errc::invalid_argument (bad ExportOptions::fabric_id).
/// Throws only std::bad_alloc.
OFMF_API Result<Tree> render(const model::Fabric& fabric, const ExportOptions& options = {});

/// Renders the one resource at `uri` (exactly as render() would).
/// Errors: errc::invalid_argument (bad fabric_id, or `uri` not
/// is_safe_uri()), errc::not_found (no such resource in this fabric: the
/// message names the URI).
OFMF_API Result<nlohmann::json> render_resource(const model::Fabric& fabric, std::string_view uri,
                                                const ExportOptions& options = {});

/// Renders the resources at `prefix` and below (Tree::subtree() rules),
/// e.g. "/redfish/v1/Fabrics/IB/Switches/0002c90300000001" gives the switch,
/// its Ports collection, its ports and their metrics.
/// Errors: as render_resource() (errc::not_found when `prefix` itself is
/// not a resource).
OFMF_API Result<Tree> render_subtree(const model::Fabric& fabric, std::string_view prefix,
                                     const ExportOptions& options = {});

/// What Renderer::refresh() did.
struct RefreshResult {
  std::vector<std::string> rendered;  ///< URIs (re)rendered, sorted, each once
  std::vector<std::string> removed;   ///< URIs that no longer exist, sorted
};

/// Keeps a rendered Tree in step with a Fabric. It subscribes to the
/// fabric's change notifications and records which resources each change
/// touches; refresh() renders only those again. A port state change touches
/// a constant number of resources (the port, its peer port, their
/// endpoints, the switch or adapter holding them), independent of the size
/// of the fabric; node additions/removals also re-render the collections
/// that list them.
///
/// Lifetime: the Fabric must outlive the Renderer (the destructor
/// unsubscribes). A Renderer may be moved; it is not copyable. Like the
/// Fabric it is not thread-safe: mutate the fabric and call refresh() from
/// one thread at a time.
class OFMF_API Renderer {
 public:
  /// Renders the whole tree once and subscribes to `fabric`.
  /// Errors: as render().
  static Result<Renderer> create(model::Fabric& fabric, ExportOptions options = {});

  Renderer(Renderer&&) noexcept;
  Renderer& operator=(Renderer&&) noexcept;
  Renderer(const Renderer&) = delete;
  Renderer& operator=(const Renderer&) = delete;
  ~Renderer();

  /// Re-renders the resources affected by the changes since the last
  /// refresh() (or create()) and returns their URIs, and those removed.
  /// When nothing changed both lists are empty. Afterwards tree() equals
  /// render(fabric, options). Throws only std::bad_alloc.
  RefreshResult refresh();

  /// The current tree (as of the last refresh()). Valid until the next
  /// refresh() or the Renderer's destruction.
  const Tree& tree() const noexcept;

  /// The options the tree is rendered with.
  const ExportOptions& options() const noexcept;

  /// Number of changes recorded and not yet refreshed.
  std::size_t pending() const noexcept;

  struct Impl;

 private:
  explicit Renderer(std::unique_ptr<Impl> impl) noexcept;
  std::unique_ptr<Impl> impl_;
};

} // namespace ofmf::redfish
