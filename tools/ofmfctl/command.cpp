// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include "command.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>

#include "ofmf/topology/format.hpp"

namespace ofmfctl {

void print_error(std::string_view message) {
  std::fprintf(stderr, "ofmfctl: %.*s\n", int(message.size()), message.data());
}

int report(const ofmf::Error& error) {
  print_error(error.message.empty() ? error.code.message() : error.message);
  const bool io = error.code == ofmf::errc::io_error || error.code.category() == std::system_category() ||
                  error.code.category() == std::generic_category();
  return io ? exit_io : exit_failed;
}

int write_stdout(std::string_view text) {
  errno = 0;
  const std::size_t n = std::fwrite(text.data(), 1, text.size(), stdout);
  if (n != text.size() || std::fflush(stdout) != 0) {
    print_error(std::string("cannot write to standard output: ") + std::strerror(errno));
    return exit_io;
  }
  return exit_ok;
}

const std::vector<std::string> readable_formats{"ibnetdiscover", "netfile"};

ofmf::Result<ofmf::model::Fabric> read_fabric(const std::string& path, const std::string& format, bool allow_empty) {
  std::optional<ofmf::topology::Format> f;
  if (!format.empty()) f = ofmf::topology::parse_format_name(format);
  ofmf::topology::ReadOptions options;
  options.source_name = path;
  options.allow_empty = allow_empty;
  return ofmf::topology::read_topology(path, f, options);
}

void add_allow_empty(CLI::App& cmd, bool& allow_empty) {
  cmd.add_flag("--allow-empty", allow_empty, "Accept a topology without nodes (empty or only comments)");
}

void add_backend_options(CLI::App& cmd, BackendOptions& o) {
  std::vector<std::string> names;
  for (std::string_view n : ofmf::backend::builtin_backends()) names.emplace_back(n);
  cmd.add_option("--backend", o.backend, "Backend (default: umad when built, else sim)")
      ->check(CLI::IsMember(names));
  cmd.add_option("--device", o.device, "umad: CA name (default: the first with a link); sim: topology file");
  cmd.add_option("--port", o.port, "Local port number (0 = the first with a link)")->capture_default_str();
  cmd.add_option("--timeout", o.timeout_ms, "Time to wait for each answer, ms")
      ->check(CLI::Range(1u, 60000u))
      ->capture_default_str();
  cmd.add_option("--retries", o.retries, "Resends after a timeout")->check(CLI::Range(0u, 100u))->capture_default_str();
  cmd.add_option("--window", o.window, "Requests in flight at most")->check(CLI::Range(1u, 1024u))->capture_default_str();
  cmd.add_option("--option", o.options, "Backend option KEY=VALUE (sim: format=...); repeatable")
      ->check(CLI::Validator(
          [](std::string& kv) {
            const auto eq = kv.find('=');
            return eq == std::string::npos || eq == 0 ? "--option wants KEY=VALUE, got '" + kv + "'" : std::string();
          },
          "KEY=VALUE"));
}

std::string backend_name(const BackendOptions& o) {
  if (!o.backend.empty()) return o.backend;
  const auto built = ofmf::backend::builtin_backends();
  return std::find(built.begin(), built.end(), "umad") != built.end() ? "umad" : "sim";
}

ofmf::Result<OpenSession> open_session(const BackendOptions& o, const ofmf::backend::CancelFlag* cancel) {
  OpenSession out;
  out.backend = backend_name(o);
  auto backend = ofmf::backend::make_backend(out.backend);
  if (!backend) return ofmf::Unexpected{std::move(backend).error()};
  ofmf::backend::Config config;
  config.device = o.device;
  config.port = o.port;
  config.timeout = std::chrono::milliseconds(o.timeout_ms);
  config.retries = o.retries;
  config.window = o.window;
  config.gone_after = o.gone_after;
  config.cancel = cancel;
  for (const std::string& kv : o.options) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0)
      return ofmf::fail(ofmf::errc::invalid_argument, "--option wants KEY=VALUE, got '" + kv + "'");
    config.options[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  auto session = (*backend)->open(config);
  if (!session) return ofmf::Unexpected{std::move(session).error()};
  out.session = std::move(*session);
  return out;
}

} // namespace ofmfctl
