// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Shared pieces of the ofmfctl command groups. A group registers its
/// subcommands with register_<group>(CLI::App&, Context&); a subcommand's
/// parse callback validates its options (throwing CLI::ValidationError for
/// usage errors) and stores the action to run in Context::run. main() runs
/// that action after parsing and returns its exit code.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ofmf/backend/backend.hpp"
#include "ofmf/error.hpp"
#include "ofmf/model/fabric.hpp"

namespace CLI {
class App;
}

namespace ofmfctl {

/// Exit codes (documented in --help and README.md).
enum ExitCode : int {
  exit_ok = 0,
  exit_failed = 1,  ///< the operation failed (parse error, invalid spec, ...)
  exit_usage = 2,   ///< the command line is wrong
  exit_io = 3,      ///< a file could not be read or written
  exit_check = 4,   ///< the result failed its check (`route check`: unreachable pairs, loops, a CDG cycle)
};

/// Where a subcommand leaves the action chosen on the command line.
struct Context {
  std::function<int()> run;
};

/// Prints "ofmfctl: <message>" to stderr.
void print_error(std::string_view message);

/// Prints the error and returns the exit code for it: exit_io for
/// errc::io_error and operating-system errors, exit_failed otherwise.
int report(const ofmf::Error& error);

/// Writes text to stdout; exit_ok, or exit_io (with a message) on failure.
int write_stdout(std::string_view text);

/// File names are bytes, JSON is UTF-8: invalid sequences in printed JSON
/// become U+FFFD instead of throwing (pass to nlohmann's dump()).
inline constexpr auto json_replace_invalid_utf8 = nlohmann::detail::error_handler_t::replace;

/// Names of the topology formats that can be read ("ibnetdiscover", "netfile").
extern const std::vector<std::string> readable_formats;

/// Reads a topology file; `format` is a format name or empty (then the
/// extension, else the content decides). Error messages name the path. A
/// file without any node is an error unless `allow_empty`
/// (topology::ReadOptions::allow_empty).
ofmf::Result<ofmf::model::Fabric> read_fabric(const std::string& path, const std::string& format,
                                              bool allow_empty = false);

/// Adds `--allow-empty` (accept a topology without nodes) to `cmd`.
void add_allow_empty(CLI::App& cmd, bool& allow_empty);

/// The backend options that `discover` and `sm` share (--backend,
/// --device, --port, --timeout, --retries, --window, --option KEY=VALUE).
/// Filled by the parser of the command that add_backend_options() was
/// called for; read by open_session().
struct BackendOptions {
  std::string backend;          ///< "" = umad when built, else sim
  std::string device;           ///< backend::Config::device
  unsigned port = 0;            ///< backend::Config::port
  unsigned timeout_ms = 200;    ///< backend::Config::timeout
  unsigned retries = 3;         ///< backend::Config::retries
  unsigned window = 8;          ///< backend::Config::window
  unsigned gone_after = 2;      ///< backend::Config::gone_after (`sm --gone-after`)
  std::vector<std::string> options;  ///< KEY=VALUE, checked by the parser
};

/// Adds the options of BackendOptions to `cmd`, storing into `o`; `o`
/// must outlive the parse (hold it in a shared_ptr captured by the
/// command's callback). --backend is checked against the backends built
/// in and --option for the KEY=VALUE form (usage errors, exit code 2).
void add_backend_options(CLI::App& cmd, BackendOptions& o);

/// The backend that `o` names (the default one for "").
std::string backend_name(const BackendOptions& o);

/// A session opened by open_session(), with the name of its backend.
struct OpenSession {
  std::string backend;                                ///< "umad", "sim", ...
  std::unique_ptr<ofmf::backend::Session> session;    ///< never null
};

/// Makes the backend `o` names and opens a session with a Config built
/// from `o` and `cancel` (Config::cancel; may be null, must outlive the
/// session). Errors: errc::not_found (no such backend), the backend's
/// open() errors (errc::unavailable, errc::invalid_argument for an option
/// it does not know), errc::invalid_argument for an --option without '='.
ofmf::Result<OpenSession> open_session(const BackendOptions& o, const ofmf::backend::CancelFlag* cancel = nullptr);

/// Command groups.
void register_topo(CLI::App& app, Context& context);
/// `route` and `route check` (route.cpp).
void register_route(CLI::App& app, Context& context);
/// `discover`: walk a fabric through a backend (discover.cpp).
void register_discover(CLI::App& app, Context& context);
/// `sm`: subnet manager on a backend (sm.cpp).
void register_sm(CLI::App& app, Context& context);
/// `inventory` (inventory.cpp): RDMA devices and libfabric interfaces.
void register_inventory(CLI::App& app, Context& context);
/// `probe` (probe.cpp): libfabric latency and bandwidth.
void register_probe(CLI::App& app, Context& context);
/// `redfish export|get|import` (redfish.cpp): Redfish mockup folders.
void register_redfish(CLI::App& app, Context& context);

} // namespace ofmfctl
