// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Private to the umad backend: the MAD transport over rdma-core's
/// libibumad. One Transport owns one local port (umad_open_port) with
/// agents for the classes SubnDirected (0x81), SubnLid (0x01) and
/// PerfMgt (0x04). It sends 256-byte MADs, keeps at most Config::window
/// requests in flight, times each one out after Config::timeout, resends
/// it Config::retries times and matches answers to requests by TID.
///
/// The transport works on raw MAD bytes (the wire layout, big-endian);
/// building and reading attributes is the codec's job (mad.hpp). Requests
/// are asynchronous: submit() queues a request with a completion callback,
/// run() sends, receives and calls completions until nothing is queued or
/// in flight. Completions may submit more requests (a breadth-first
/// discovery does). call() is the one-off synchronous form.
///
/// This header includes no rdma-core header; libibumad is used only in
/// transport.cpp. Tests replace the device with a Wire (see below).
///
/// Not thread-safe: one thread uses a Transport at a time.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "ofmf/backend/backend.hpp"
#include "ofmf/error.hpp"
#include "ofmf/model/types.hpp"
#include "mad.hpp"

namespace ofmf::backend::umad {

// MadBuffer, mad_size, MgmtClass, permissive_lid and tid_mask come from
// the codec (mad.hpp).

/// Default GSI Q_Key (IBA 13.5.1.1).
inline constexpr std::uint32_t gsi_qkey = 0x80010000u;

/// Where a MAD goes: the umad address (DLID, remote QP, Q_Key, SL).
struct Address {
  std::uint16_t dlid = permissive_lid;
  std::uint32_t qpn = 0;     ///< 0 for SMPs (QP0), 1 for GMPs (QP1)
  std::uint32_t qkey = 0;    ///< 0 for SMPs, gsi_qkey for GMPs
  std::uint8_t sl = 0;

  /// A directed-route SMP (the route is inside the MAD): permissive LID, QP0.
  static constexpr Address directed() noexcept { return {}; }
  /// A LID-routed SMP to `lid`, QP0.
  static constexpr Address smp(std::uint16_t lid) noexcept { return {lid, 0, 0, 0}; }
  /// A GMP (PerfMgt) to `lid`, QP1 with the default GSI Q_Key.
  static constexpr Address gsi(std::uint16_t lid) noexcept { return {lid, 1, gsi_qkey, 0}; }
};

/// Facts about the local port the transport is bound to.
struct LocalPort {
  std::string ca;                 ///< CA name ("mlx5_0", "ibsim0")
  unsigned port = 0;              ///< port number on the CA
  std::uint16_t lid = 0;          ///< base LID (0 = unassigned)
  std::uint8_t lmc = 0;
  std::uint16_t sm_lid = 0;       ///< LID of the master SM (0 = none)
  model::Guid port_guid = 0;
  model::Guid node_guid = 0;
  model::Guid system_guid = 0;
  model::PortState state = model::PortState::Down;
  model::PhysState phys_state = model::PhysState::Polling;
  std::string link_layer;         ///< "InfiniBand" (others are refused by open())
};

/// The device seam below the Transport. The umad implementation is
/// created by Transport::open(); tests pass their own (a simulated fabric
/// answering MADs) to the Transport constructor.
class Wire {
 public:
  virtual ~Wire() = default;
  /// Sends one MAD of class `cls` to `to`. The TID inside `mad` is already
  /// set. `timeout` is the answer time the transport waits (a kernel agent
  /// uses it to match the answer). Errors: the driver's errno
  /// (std::system_category()) or errc::unavailable.
  virtual Result<void> send(MgmtClass cls, const MadBuffer& mad, const Address& to,
                            std::chrono::milliseconds timeout) = 0;
  /// Waits at most `wait` for one received MAD; nullopt when none came.
  /// Received MADs that are not answers (unsolicited requests, traps) are
  /// returned too; the transport counts and drops what it cannot match.
  /// Errors: driver errors other than a timeout.
  virtual Result<std::optional<MadBuffer>> receive(std::chrono::milliseconds wait) = 0;
};

/// The MAD transport. Owns its Wire (and so the umad port) for its lifetime.
class Transport {
 public:
  /// Called once per submitted request: the answer MAD (response bit set,
  /// same class and TID; its status may be non-zero, see status_of()),
  /// or an error: errc::timeout after `retries` resends without an
  /// answer, or the send error. May call submit() again.
  using Completion = std::function<void(Result<MadBuffer>)>;

  /// Timing and window of a transport (taken from backend::Config).
  struct Settings {
    std::chrono::milliseconds timeout{200};  ///< per attempt
    unsigned retries = 3;                    ///< resends after a timeout
    unsigned window = 8;                     ///< requests in flight at most (>= 1)
    /// When set and requested, run() stops (see run()); not owned.
    const CancelFlag* cancel = nullptr;
  };

  /// Longest single wait for an answer inside run(): the cancellation
  /// flag is looked at least this often.
  static constexpr std::chrono::milliseconds cancel_poll{50};

  /// Opens `config.device` (empty = the first CA with a port whose link is up)
  /// port `config.port` (0 = its first port with a link) through
  /// libibumad and registers the three agents. Errors: errc::unavailable
  /// (no CA, no such CA or port, not InfiniBand, port not usable),
  /// errc::invalid_argument (window 0), system errors of libibumad
  /// (errno kept, e.g. EACCES for /dev/infiniband/umad*).
  static Result<std::unique_ptr<Transport>> open(const Config& config);

  /// A transport over any Wire (tests). `wire` must not be null.
  Transport(std::unique_ptr<Wire> wire, LocalPort local, Settings settings);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  /// The local port (read when the transport was opened).
  const LocalPort& local() const noexcept;
  const Settings& settings() const noexcept;

  /// Queues `request` for `to`. The transport writes the TID (bytes 8..15;
  /// the low 32 bits are its own, the upper bits belong to the kernel
  /// agent) and the class byte must be that of a registered class
  /// (otherwise `on_done` gets errc::invalid_argument from run()). Nothing
  /// is sent until run() (or call()).
  void submit(const MadBuffer& request, const Address& to, Completion on_done);

  /// Sends and receives until no request is queued or in flight, calling
  /// completions as answers, timeouts and errors come. Errors: a failure
  /// of the device itself (receive failing), or errc::cancelled when
  /// Settings::cancel is requested (looked at before sending, between
  /// answers and at least every cancel_poll while waiting); completions of
  /// the requests still pending then get that error too (also those that
  /// such completions submit), so nothing is left queued.
  Result<void> run();

  /// Whether Settings::cancel is requested.
  bool cancelled() const noexcept;

  /// Sends one request and waits for its answer (retries included). Must
  /// not be called from inside a completion.
  Result<MadBuffer> call(const MadBuffer& request, const Address& to);

  /// Typed forms over the codec. The SMP goes directed-route when its
  /// class is SubnDirected, else LID-routed to Smp::dest_lid; the PerfMad
  /// to PerfMad::dest_lid on QP1. The TID in the request is replaced. The
  /// completion gets the decoded answer after check_response() passed
  /// (same attribute, modifier, hop count; status 0), or the error:
  /// errc::timeout, errc::busy / not_supported / invalid_argument for a
  /// non-zero status, errc::protocol_error for a malformed or mismatched
  /// answer (the raw answer is then counted as accepted, not rejected).
  using SmpCompletion = std::function<void(Result<Smp>)>;
  using PerfCompletion = std::function<void(Result<PerfMad>)>;
  void submit(const Smp& request, SmpCompletion on_done);
  void submit(const PerfMad& request, PerfCompletion on_done);
  Result<Smp> call(const Smp& request);
  Result<PerfMad> call(const PerfMad& request);

  /// Queued + in flight.
  std::size_t pending() const noexcept;

  /// Counts since the transport was opened (or since reset_statistics()).
  /// `elapsed_ms` is the time spent inside run()/call().
  Statistics statistics() const noexcept;
  void reset_statistics() noexcept;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

/// Helpers on raw MAD bytes (offsets of the common MAD header, IBA 13.4.3),
/// for matching without a full decode. Management class (byte 1).
constexpr std::uint8_t class_of(const MadBuffer& m) noexcept { return m[1]; }
/// Method (byte 3), response bit 0x80 included.
constexpr std::uint8_t method_of(const MadBuffer& m) noexcept { return m[3]; }
/// Status (bytes 4..5). For directed-route SMPs bit 15 is the D (direction)
/// bit, not status: status_of() masks it.
constexpr std::uint16_t status_of(const MadBuffer& m) noexcept {
  const std::uint16_t s = static_cast<std::uint16_t>((m[4] << 8) | m[5]);
  return m[1] == static_cast<std::uint8_t>(MgmtClass::SubnDirected) ? static_cast<std::uint16_t>(s & 0x7fff) : s;
}
/// Transaction ID (bytes 8..15).
constexpr std::uint64_t tid_of(const MadBuffer& m) noexcept {
  std::uint64_t t = 0;
  for (int i = 8; i < 16; ++i) t = (t << 8) | m[static_cast<std::size_t>(i)];
  return t;
}

} // namespace ofmf::backend::umad
