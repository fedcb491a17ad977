// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Latency and bandwidth between two libfabric endpoints over a chosen
/// provider. Two modes:
///  - ping-pong: the client sends a message, the server sends it back;
///    the time of `iterations` round trips (after `warmup` untimed ones)
///    gives the one-way latency as half a round trip and the bandwidth as
///    bytes moved in both directions per second, as fi_pingpong reports;
///  - stream: the client sends `iterations` messages with up to `window`
///    in flight, the server acknowledges each window; the bandwidth is the
///    bytes sent per second and the latency the time per message.
/// MB/s are 10^6 bytes per second.
///
/// The two sides are two threads of one process (probe_loopback) or two
/// processes (probe_server / probe_client) that exchange endpoint names
/// and the test parameters over a TCP control connection. Every wait has
/// a deadline (ProbeOptions::timeout): an unreachable address or a peer
/// that vanishes gives errc::timeout or a libfabric error, never a hang.
///
/// This header includes no libfabric header. Built without libfabric,
/// every function returns errc::not_supported.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ofmf/backend/inventory.hpp"
#include "ofmf/error.hpp"
#include "ofmf/export.hpp"
#include "ofmf/redfish/tree.hpp"

namespace ofmf::backend {

/// How messages flow.
enum class ProbeMode : std::uint8_t { PingPong, Stream };

/// "pingpong", "stream".
OFMF_API std::string_view to_string(ProbeMode m) noexcept;
/// Accepts "pingpong", "ping-pong", "stream" (any case).
OFMF_API std::optional<ProbeMode> parse_probe_mode(std::string_view s) noexcept;

/// How a ping-pong is set up and timed.
///
///  - Ofmf (the default): receives sized to the message; fi_inject for
///    sizes up to and including the provider's inject_size; `warmup`
///    untimed round trips first (on RDM endpoints over tcp they include
///    ofi_rxm's connection set-up, made on the first send); data endpoints
///    bound to ProbeOptions::address (so the measured path is the one
///    asked for, e.g. 127.0.0.1 / domain "lo"); completion queues sized
///    for the window.
///  - FiPingpong: what libfabric's fi_pingpong (util/pingpong.c) does, so
///    the two tools' figures can be compared one to one: hints caps
///    FI_MSG, mode FI_CONTEXT | FI_CONTEXT2 | FI_MSG_PREFIX, mr_mode
///    FI_MR_LOCAL | FI_MR_ALLOCATED | FI_MR_PROV_KEY | FI_MR_VIRT_ADDR;
///    the server's fi_getinfo gets no node (the provider's first
///    interface, e.g. eth0 rather than lo) and, on DGRAM endpoints, the
///    message size as max_msg_size; completion queues of tx/rx_attr->size;
///    fi_inject only below inject_size (a message of exactly inject_size
///    bytes is an fi_send whose completion is waited for); receives always
///    of max(largest size, 64) bytes (+ the message prefix), re-posted
///    after every completion, one more outstanding on DGRAM; one zeroed
///    buffer, the receive part at its page-aligned start and the send
///    part at the next page boundary (on tcp msg endpoints from 64 KiB to
///    1 MiB this layout alone makes a round trip ~15 % slower than two
///    separate heap buffers); no warm-up
///    (`warmup` is ignored): the first timed round trip includes what the
///    provider sets up lazily. Timing, usec/xfer (half a round trip) and
///    MB/s (both directions, 10^6 B/s) are the same in both methods.
///
/// The default is the steady-state figure of the path asked for. With
/// FiPingpong, RDM over tcp reports ofi_rxm's on-demand connection
/// (measured ~0.19 s when the first message is an fi_send) divided by the
/// iteration count: at 2000 iterations 3-4x the steady-state latency.
/// Measurements of both methods against fi_pingpong: bench/README.md.
enum class ProbeMethod : std::uint8_t { Ofmf, FiPingpong };

/// "ofmf", "fi_pingpong".
OFMF_API std::string_view to_string(ProbeMethod m) noexcept;
/// Accepts "ofmf", "fi_pingpong", "fi-pingpong" (any case).
OFMF_API std::optional<ProbeMethod> parse_probe_method(std::string_view s) noexcept;

/// Settings of a probe. The client's mode, method, sizes, iterations,
/// warmup and window are sent to the server, which uses them; provider and
/// endpoint type must be the same on both sides.
struct ProbeOptions {
  std::string provider = "tcp";  ///< "tcp", "udp", "shm", "verbs", ... (a name of ofi_providers() or part of one)
  EndpointType endpoint_type = EndpointType::Rdm;
  ProbeMode mode = ProbeMode::PingPong;
  /// Set-up and timing of ping-pong mode (see ProbeMethod). Stream mode
  /// accepts only ProbeMethod::Ofmf (errc::invalid_argument otherwise).
  ProbeMethod method = ProbeMethod::Ofmf;
  /// Message sizes in bytes, each 1..4 MiB and at most the provider's
  /// max_msg_size (errc::invalid_argument otherwise).
  std::vector<std::size_t> sizes = {1, 64, 1024, 4096, 65536, 1048576, 4194304};
  unsigned iterations = 1000;  ///< timed round trips (ping-pong) or messages (stream) per size, >= 1
  unsigned warmup = 10;        ///< untimed ones before, per size (ignored by ProbeMethod::FiPingpong)
  unsigned window = 64;        ///< stream: messages in flight, 1..1024
  /// Longest wait for any single event (a completion, a connection, the
  /// control connection). A peer silent for longer ends the probe with
  /// errc::timeout.
  std::chrono::milliseconds timeout{5000};
  /// Address the data endpoints bind to (server, loopback) and, on the
  /// client, the server's address. Unused by providers that do not take
  /// IP addresses (shm). With ProbeMethod::FiPingpong the server's data
  /// endpoint is on the provider's first interface instead, and this
  /// address is only that of the control connection (two processes).
  std::string address = "127.0.0.1";
  std::uint16_t control_port = 47593;  ///< TCP port of the control connection (server listens)
};

/// Figures for one message size.
struct ProbeResult {
  std::size_t size = 0;          ///< bytes per message
  unsigned iterations = 0;       ///< timed round trips or messages
  double elapsed_us = 0;         ///< wall time of the timed part
  double latency_us = 0;         ///< ping-pong: half a round trip; stream: time per message
  double bandwidth_mbps = 0;     ///< MB/s (10^6 bytes/s)
  double messages_per_s = 0;     ///< messages (both directions for ping-pong) per second
};

/// What a probe measured, and between what.
struct ProbeReport {
  std::string provider;      ///< the chain used ("tcp;ofi_rxm")
  std::string fabric;        ///< fabric name
  std::string domain;        ///< domain name
  EndpointType endpoint_type = EndpointType::Rdm;
  ProbeMode mode = ProbeMode::PingPong;
  ProbeMethod method = ProbeMethod::Ofmf;  ///< how the ping-pong was set up and timed
  std::string local_address;  ///< printable endpoint name of this side
  std::string peer_address;   ///< printable endpoint name of the other side
  std::vector<ProbeResult> results;  ///< one per size, in the order of ProbeOptions::sizes
  /// Unix time in milliseconds when the probe finished.
  std::uint64_t finished_at_ms = 0;
};

/// Both sides in this process, on two threads, over `options.address`.
/// Returns the client's report. Errors: errc::invalid_argument (bad
/// options, a size above the provider's limit), errc::unavailable (no such
/// provider, or it refuses the endpoint type), errc::timeout, libfabric
/// errors (system category with the provider's errno).
OFMF_API Result<ProbeReport> probe_loopback(const ProbeOptions& options);

/// Serves one client: listens on `options.address`:`control_port`, waits
/// up to `options.timeout` for the client, then runs the client's test.
/// Errors as probe_loopback().
OFMF_API Result<ProbeReport> probe_server(const ProbeOptions& options);

/// Runs the test against a probe_server() at `server` (host name or
/// address; its control port is `options.control_port`).
/// Errors as probe_loopback(); errc::unavailable when the server cannot
/// be reached.
OFMF_API Result<ProbeReport> probe_client(const ProbeOptions& options, std::string_view server);

/// Parses "1,64,4K,64k,1M,4M" (K = 1024, M = 1048576) into sizes; also
/// "1-4M" for every power of two from 1 to 4 MiB.
/// Errors: errc::invalid_argument naming the bad item.
OFMF_API Result<std::vector<std::size_t>> parse_sizes(std::string_view text);

/// Largest message size a probe accepts (4 MiB).
inline constexpr std::size_t probe_max_size = std::size_t(4) << 20;

// ------------------------------------------------------------------ Redfish

/// The Redfish `Protocol` value of an interface's endpoints: "TCP" (tcp,
/// sockets, net), "UDP" (udp), "InfiniBand" or "RoCEv2" (verbs, by link
/// layer or address format), "OEM" for transports the enumeration has no
/// value for (shm: shared memory inside one host; psm2, efa, ...).
OFMF_API std::string_view redfish_protocol(const OfiInterface& interface) noexcept;

/// libfabric interfaces as Redfish resources (schema versions of
/// ofmf/redfish/schema_versions.hpp): one Fabric per (provider chain,
/// fabric name) at /redfish/v1/Fabrics/ofi-{provider}-{fabric} with
/// `FabricType` the protocol above, and under its Endpoints one Endpoint
/// per (domain, endpoint type) with `EndpointProtocol`,
/// `IPTransportDetails` for IP addresses, and `Oem.Ofmf` (provider,
/// domain, endpoint type, libfabric protocol, capabilities, address
/// format and address, limits). Probe reports whose provider, fabric,
/// domain and endpoint type match an endpoint are stored in its
/// `Oem.Ofmf.Probe` (the schemas have no metrics resource for an
/// Endpoint): mode, peer address, time, and per size the latency (us) and
/// bandwidth (MB/s). Names are made URI-safe (characters other than
/// letters, digits, '-', '_' and '.' become '_'). Errors: none beyond
/// std::bad_alloc; the Result leaves room for validation.
OFMF_API Result<redfish::Tree> ofi_to_redfish(const std::vector<OfiInterface>& interfaces,
                                              const std::vector<ProbeReport>& probes = {});

/// Adds the libfabric Fabrics of ofi_to_redfish(interfaces, probes) to
/// `service`, a service tree that already holds the Fabrics collection
/// /redfish/v1/Fabrics (e.g. redfish::render() of an InfiniBand fabric):
/// every resource of the libfabric tree is inserted, each new Fabric is
/// appended to the collection's `Members` and `Members@odata.count` is
/// updated. The InfiniBand model cannot hold libfabric interfaces (they
/// have no GUIDs, LIDs or links), so this is how both views end up in one
/// service tree. All or nothing: on error `service` is unchanged.
/// Errors: errc::invalid_argument (`service` has no Fabrics collection,
/// or its Members is not an array), errc::already_exists (a URI of the
/// libfabric tree is already in `service`; the message names it).
OFMF_API Result<void> merge_ofi(redfish::Tree& service, const std::vector<OfiInterface>& interfaces,
                                const std::vector<ProbeReport>& probes = {});

} // namespace ofmf::backend
