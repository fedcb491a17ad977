// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// The hardware-backend seam. A Backend says what it can reach (probe())
/// and opens Sessions; a Session discovers the fabric into the model and
/// programs what a subnet manager programs (LIDs, forwarding tables,
/// partitions) and reads counters. Built-in backends are listed in one
/// place (lib/backend/builtin_backends.cpp); which were compiled in
/// depends on the libraries found at build time (OFMF_BACKEND_<X>).
///
/// This header includes no rdma-core or libfabric header.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ofmf/error.hpp"
#include "ofmf/export.hpp"
#include "ofmf/model/fabric.hpp"
#include "ofmf/routing/incremental.hpp"
#include "ofmf/routing/route_table.hpp"

namespace ofmf::backend {

/// Something a backend can reach: a device port, a provider, a file.
/// probe() returns an empty list when nothing is present (like fi_getinfo).
struct Capability {
  std::string name;    ///< what Config::device takes ("mlx5_0", "tcp", a file name)
  std::string detail;  ///< one line for people ("mlx5_0 port 1: Active, LID 3")
  /// Backend-specific facts as text ("port" -> "1", "link_layer" -> "InfiniBand").
  std::map<std::string, std::string> properties;
};

/// Settings of Backend::open(). Each backend documents the keys of
/// `options` it reads and refuses keys it does not know. Environment
/// variables may override settings; they never replace Config.
struct Config {
  std::string device;   ///< "" = the first usable one
  unsigned port = 0;    ///< local port number; 0 = the first active one
  std::chrono::milliseconds timeout{200};  ///< one request's time to answer
  unsigned retries = 3;                    ///< resends after a timeout
  unsigned window = 8;                     ///< requests in flight at most
  std::map<std::string, std::string> options;
};

/// Progress of a long operation, for a progress bar.
struct Progress {
  std::string_view phase;   ///< "discover", "lids", "lft", "pkeys", "verify", "counters"
  std::size_t done = 0;
  std::size_t total = 0;    ///< 0 when not known yet
};
using ProgressFn = std::function<void(const Progress&)>;

/// Something that did not answer or answered nonsense during a discovery
/// or an apply; the operation went on without it.
struct Problem {
  std::string where;  ///< "DR path 0,1,3", "switch 0x0002c90300000010 port 4", ...
  Error error;        ///< errc::timeout, errc::protocol_error, ...
};

/// Counts of a session's traffic (for reports and benchmarks).
struct Statistics {
  std::uint64_t sent = 0;       ///< requests sent, resends included
  std::uint64_t received = 0;   ///< answers accepted
  std::uint64_t retries = 0;    ///< resends after a timeout
  std::uint64_t timeouts = 0;   ///< requests that never got an answer
  std::uint64_t rejected = 0;   ///< answers dropped as malformed or unexpected
  double elapsed_ms = 0;        ///< wall time of the operation
};

/// What Session::discover() returns: a model of what answered, and what
/// did not. A partial discovery is not an error: `problems` lists what is
/// missing and `fabric` holds everything else.
///
/// Despite its name this is not a list of changes: `fabric` is the whole
/// fabric as discovered, in a new Fabric of its own. The delta against
/// the fabric a manager keeps is computed, and applied as mutations so its
/// observers keep following, by model::reconcile(live, delta.fabric)
/// (ofmf/model/reconcile.hpp); when `problems` is not empty, pass
/// ReconcileOptions::keep_missing (or keep) so nodes that did not answer
/// are not dropped.
struct TopologyDelta {
  model::Fabric fabric;
  std::vector<Problem> problems;
  Statistics statistics;
  model::Guid local_port_guid = 0;  ///< the port discovery started from (0 if none)
};

/// What to program in Session::apply().
struct ApplyOptions {
  /// Program only these blocks (from routing::reroute()); empty = every
  /// block of every switch up to the table's top LID.
  std::span<const routing::SwitchBlocks> only;
  bool assign_lids = true;      ///< set PortInfo LID/LMC of every port from the table
  bool program_pkeys = true;    ///< program P_Key tables from the fabric's partitions
  bool program_sl2vl = true;    ///< program SL2VL tables when the table has them
  bool activate = true;         ///< move ports Init -> Armed -> Active
  bool verify = true;           ///< read back everything written and compare
};

/// What Session::apply() did.
struct ApplyReport {
  std::size_t lids_set = 0;        ///< ports whose LID/LMC was written
  std::size_t lft_blocks = 0;      ///< 64-entry LFT blocks written
  std::size_t pkey_blocks = 0;     ///< 32-entry P_Key table blocks written
  std::size_t sl2vl_tables = 0;    ///< SL2VL tables written
  std::size_t ports_activated = 0; ///< ports moved to Active
  std::size_t verified = 0;        ///< items read back and found equal
  std::vector<Problem> problems;   ///< what could not be written or verified
  Statistics statistics;
};

/// An open connection to a fabric through one local device.
/// Not thread-safe: one thread uses a Session at a time.
class OFMF_API Session {
 public:
  virtual ~Session();

  /// Walks the fabric and returns its model. Errors: errc::unavailable
  /// (the local port is down or gone), errc::timeout (not even the local
  /// node answered); partial answers are not errors (see TopologyDelta).
  virtual Result<TopologyDelta> discover(const ProgressFn& progress = {}) = 0;

  /// Programs a route table computed on a snapshot of `fabric` (nodes
  /// matched by GUID): LIDs, forwarding tables, partitions, SL2VL, port
  /// activation, each as `options` says. Default: errc::not_supported
  /// (backends that cannot manage a subnet).
  virtual Result<ApplyReport> apply(const model::Fabric& fabric, const routing::RouteTable& table,
                                    const ApplyOptions& options = {}, const ProgressFn& progress = {});

  /// Reads the port counters of every port of `fabric` that has a LID and
  /// stores them with Fabric::set_counters(). Ports that do not answer
  /// are listed in the returned problems. Default: errc::not_supported.
  virtual Result<std::vector<Problem>> read_counters(model::Fabric& fabric, const ProgressFn& progress = {});

  /// Statistics of everything this session sent so far.
  virtual Statistics statistics() const;
};

/// A kind of hardware access (umad, verbs, ofi, sim).
class OFMF_API Backend {
 public:
  virtual ~Backend();
  /// Short lowercase name: "umad", "verbs", "ofi", "sim".
  virtual std::string_view name() const noexcept = 0;
  /// What this backend can reach on this host; empty when nothing.
  /// Errors only for failures other than absence (e.g. permissions).
  virtual Result<std::vector<Capability>> probe() const = 0;
  /// Opens a session. Errors: errc::unavailable (no such device / nothing
  /// present), errc::invalid_argument (a bad or unknown Config option).
  virtual Result<std::unique_ptr<Session>> open(const Config& config) const = 0;
};

/// Names of the backends compiled into this library, in preference order.
OFMF_API std::vector<std::string_view> builtin_backends();

/// A built-in backend by name. Errors: errc::not_found, with the list of
/// compiled-in backends in the message.
OFMF_API Result<std::unique_ptr<Backend>> make_backend(std::string_view name);

} // namespace ofmf::backend
