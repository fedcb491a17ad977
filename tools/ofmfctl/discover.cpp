// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// `ofmfctl discover`: walk a fabric through a backend and write its topology.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "command.hpp"
#include "ofmf/backend/backend.hpp"
#include "ofmf/topology/format.hpp"

namespace ofmfctl {
namespace {

namespace topo = ofmf::topology;
namespace be = ofmf::backend;
using Clock = std::chrono::steady_clock;

struct DiscoverOptions {
  BackendOptions backend;
  std::string format = "ibnetdiscover";
  std::string output;
  bool json = false;
};

// "\rdiscover  1234/5678 nodes" on a terminal, at most every 100 ms.
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled) {}
  void operator()(const be::Progress& p) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (p.done != p.total && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    std::fprintf(stderr, "\r%.*s %zu/%zu nodes ", int(p.phase.size()), p.phase.data(), p.done, p.total);
    shown_ = true;
  }
  void finish() {
    if (shown_) std::fputs("\r\033[K", stderr);
  }

 private:
  bool enabled_;
  bool shown_ = false;
  Clock::time_point last_{};
};

nlohmann::json statistics_json(const be::Statistics& s) {
  return {{"sent", s.sent},         {"received", s.received}, {"retries", s.retries},
          {"timeouts", s.timeouts}, {"rejected", s.rejected}, {"elapsed_ms", s.elapsed_ms}};
}

int run_discover(const DiscoverOptions& o) {
  auto opened = open_session(o.backend);
  if (!opened) return report(opened.error());
  const std::string& name = opened->backend;

  ProgressBar bar(!o.json && isatty(STDERR_FILENO));
  auto delta = opened->session->discover([&bar](const be::Progress& p) { bar(p); });
  bar.finish();
  if (!delta) return report(delta.error());

  const auto format = *topo::parse_format_name(o.format);
  int rc = exit_ok;
  if (o.output.empty() || o.output == "-") {
    rc = write_stdout(topo::format_topology(delta->fabric, format));
  } else if (auto w = topo::write_topology(delta->fabric, o.output, format); !w) {
    rc = report(w.error());
  }

  const be::Statistics& s = delta->statistics;
  if (o.json) {
    nlohmann::json problems = nlohmann::json::array();
    for (const be::Problem& p : delta->problems)
      problems.push_back({{"where", p.where}, {"error", p.error.message}, {"code", p.error.code.message()}});
    nlohmann::json j = {{"backend", name},
                        {"nodes", delta->fabric.node_count()},
                        {"switches", delta->fabric.switch_count()},
                        {"links", delta->fabric.link_count()},
                        {"local_port_guid", ofmf::model::format_guid(delta->local_port_guid)},
                        {"problems", problems},
                        {"statistics", statistics_json(s)}};
    std::fprintf(stderr, "%s\n", j.dump(2, ' ', false, json_replace_invalid_utf8).c_str());
  } else {
    for (const be::Problem& p : delta->problems)
      std::fprintf(stderr, "ofmfctl: no answer or bad answer: %s: %s\n", p.where.c_str(), p.error.what().c_str());
    std::fprintf(stderr,
                 "ofmfctl: discovered %zu nodes (%zu switches), %zu links in %.1f ms; %llu sent, %llu received, "
                 "%llu retries, %llu timeouts, %llu rejected; %zu problems\n",
                 delta->fabric.node_count(), delta->fabric.switch_count(), delta->fabric.link_count(), s.elapsed_ms,
                 static_cast<unsigned long long>(s.sent), static_cast<unsigned long long>(s.received),
                 static_cast<unsigned long long>(s.retries), static_cast<unsigned long long>(s.timeouts),
                 static_cast<unsigned long long>(s.rejected), delta->problems.size());
  }
  if (rc != exit_ok) return rc;
  return delta->problems.empty() ? exit_ok : exit_failed;
}

} // namespace

void register_discover(CLI::App& app, Context& context) {
  auto o = std::make_shared<DiscoverOptions>();
  CLI::App* cmd = app.add_subcommand(
      "discover",
      "Walk the fabric through a backend (umad: a local InfiniBand port; sim: a topology file) and write its "
      "topology. Problems and statistics go to stderr. Exit code 1 when something did not answer (the partial "
      "topology is still written).");
  add_backend_options(*cmd, o->backend);
  cmd->add_option("--format", o->format, "Output format")
      ->check(CLI::IsMember({"ibnetdiscover", "netfile", "dot"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", o->output, "Output file ('-' or none = standard output)");
  cmd->add_flag("--json", o->json, "Print problems and statistics as a JSON object (to stderr)");
  cmd->callback([&context, o] { context.run = [o] { return run_discover(*o); }; });
}

} // namespace ofmfctl
