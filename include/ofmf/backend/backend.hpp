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

#include <atomic>
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

/// A request to stop a session's operations early. Set it from any thread
/// or from a signal handler: request() is one lock-free atomic store, and
/// so async-signal-safe. A session opened with Config::cancel checks it
/// between windows of requests and while it waits for answers (at least
/// every 50 ms); the operation then ends with errc::cancelled and reports
/// nothing of what it did. What an apply() wrote before the request stays
/// written. The flag stays set until clear(); every later operation of the
/// session ends at once with errc::cancelled.
class CancelFlag {
 public:
  /// Asks for the stop (async-signal-safe).
  void request() noexcept { set_.store(true, std::memory_order_relaxed); }
  /// Whether request() was called since the last clear().
  bool requested() const noexcept { return set_.load(std::memory_order_relaxed); }
  /// Lets operations run again.
  void clear() noexcept { set_.store(false, std::memory_order_relaxed); }

 private:
  static_assert(std::atomic<bool>::is_always_lock_free, "CancelFlag must be usable in a signal handler");
  std::atomic<bool> set_{false};
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
  /// Discoveries in a row that must fail to reach a node, or a link, that an
  /// earlier discovery of the session saw, before it counts as gone, when
  /// what hid it were lost answers (requests unanswered after the resends)
  /// rather than a port known to be down. Until then discover() keeps it in
  /// the model as last seen and lists it in TopologyDelta::kept. 1 = gone at
  /// the first discovery that does not reach it. Backends that cannot lose
  /// answers ignore it.
  unsigned gone_after = 2;
  /// Checked by the session's operations (see CancelFlag); null = they run
  /// to the end. Not owned: the flag must outlive the session.
  const CancelFlag* cancel = nullptr;
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

/// A request of a discovery that got no answer after the resends (it is
/// also one of TopologyDelta::problems).
struct LostAnswer {
  /// The node asked; for NodeInfo through a port (`behind`), the node that
  /// port belongs to.
  model::Guid node = 0;
  std::string description;   ///< of `node`, as far as known ("" if not)
  model::PortNum port = 0;   ///< PortInfo: the port asked about; `behind`: the port looked through
  std::string attribute;     ///< "NodeInfo", "NodeDescription", "SwitchInfo", "PortInfo"
  bool behind = false;       ///< NodeInfo of whatever is linked to `port` of `node`
  std::string path;          ///< directed route of the request ("0,1,3")
};

/// A node that lost answers kept this discovery from reaching (or from
/// reading completely), taken as the session last saw it.
struct KeptNode {
  model::Guid guid = 0;
  std::string description;
  /// Discoveries in a row that did not reach it, this one included;
  /// always below Config::gone_after (at gone_after it is gone instead).
  unsigned unanswered = 0;
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
///
/// What lost answers hide is not taken for gone: a node or link an earlier
/// discovery of the session saw stays in `fabric` as last seen (listed in
/// `kept`, `kept_links`, `kept_ports`) until Config::gone_after discoveries
/// in a row fail to reach it. It is gone at once when the discovery knows
/// it is: every way to it the session knew leads through a port that now
/// reads Down or is linked to something else.
struct TopologyDelta {
  model::Fabric fabric;
  std::vector<Problem> problems;
  Statistics statistics;
  model::Guid local_port_guid = 0;  ///< the port discovery started from (0 if none)
  std::vector<LostAnswer> lost;     ///< requests that got no answer, in the order they were given up
  std::vector<KeptNode> kept;       ///< nodes in `fabric` only as last seen, by GUID
  std::size_t kept_links = 0;       ///< links in `fabric` only as last seen
  std::size_t kept_ports = 0;       ///< ports of reached nodes whose PortInfo is the last one seen
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
  /// (the local port is down or gone: its link is read on every call),
  /// errc::timeout (not even the local node answered), errc::cancelled
  /// (Config::cancel); partial answers are not errors (see TopologyDelta).
  virtual Result<TopologyDelta> discover(const ProgressFn& progress = {}) = 0;

  /// Programs a route table computed on a snapshot of `fabric` (nodes
  /// matched by GUID): LIDs, forwarding tables, partitions, SL2VL, port
  /// activation, each as `options` says. Errors: errc::cancelled
  /// (Config::cancel; what was written before stays). Default:
  /// errc::not_supported (backends that cannot manage a subnet).
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
