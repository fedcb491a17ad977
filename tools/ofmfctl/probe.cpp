// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// `ofmfctl probe`: latency and bandwidth between two libfabric endpoints,
// both sides in this process (default) or one side per process
// (--server / --client ADDR).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <memory>
#include <string>

#include "command.hpp"
#include "ofmf/backend/probe.hpp"

namespace ofmfctl {
namespace {

namespace be = ofmf::backend;

struct ProbeCli {
  std::string provider = "tcp";
  std::string ep = "rdm";
  std::string mode = "pingpong";
  std::string method = "ofmf";
  std::string sizes = "1,64,1K,4K,64K,1M,4M";
  unsigned iterations = 1000;
  unsigned warmup = 10;
  unsigned window = 64;
  unsigned timeout_ms = 5000;
  std::string address = "127.0.0.1";
  unsigned port = 47593;
  bool server = false;
  std::string client;
  bool json = false;
  bool redfish = false;
};

nlohmann::ordered_json to_json(const be::ProbeReport& r) {
  nlohmann::ordered_json j;
  j["provider"] = r.provider;
  j["fabric"] = r.fabric;
  j["domain"] = r.domain;
  j["endpoint_type"] = std::string(be::to_string(r.endpoint_type));
  j["mode"] = std::string(be::to_string(r.mode));
  j["method"] = std::string(be::to_string(r.method));
  j["local_address"] = r.local_address;
  j["peer_address"] = r.peer_address;
  j["finished_at_ms"] = r.finished_at_ms;
  auto results = nlohmann::ordered_json::array();
  for (const be::ProbeResult& x : r.results)
    results.push_back({{"size", x.size},
                       {"iterations", x.iterations},
                       {"elapsed_us", x.elapsed_us},
                       {"latency_us", x.latency_us},
                       {"bandwidth_mbps", x.bandwidth_mbps},
                       {"messages_per_s", x.messages_per_s}});
  j["results"] = results;
  return j;
}

// Columns as fi_pingpong prints them.
std::string to_text(const be::ProbeReport& r) {
  std::string s = "provider " + r.provider + ", fabric " + r.fabric + ", domain " + r.domain + ", " +
                  std::string(be::to_string(r.endpoint_type)) + " endpoints, " + std::string(be::to_string(r.mode)) +
                  " (method " + std::string(be::to_string(r.method)) + ")\nlocal " + r.local_address + ", peer " + r.peer_address + "\n";
  char buf[256];
  std::snprintf(buf, sizeof buf, "%-9s %-8s %10s %12s %11s %11s\n", "bytes", "iters", "time_s", "MB/sec", "usec/xfer",
                "Mxfers/sec");
  s += buf;
  for (const be::ProbeResult& x : r.results) {
    std::snprintf(buf, sizeof buf, "%-9zu %-8u %10.4f %12.2f %11.2f %11.4f\n", x.size, x.iterations, x.elapsed_us * 1e-6,
                  x.bandwidth_mbps, x.latency_us, x.messages_per_s * 1e-6);
    s += buf;
  }
  return s;
}

int run_probe(const ProbeCli& c) {
  be::ProbeOptions o;
  o.provider = c.provider;
  o.endpoint_type = *be::parse_endpoint_type(c.ep);
  o.mode = *be::parse_probe_mode(c.mode);
  o.method = *be::parse_probe_method(c.method);
  auto sizes = be::parse_sizes(c.sizes);
  if (!sizes) {
    print_error(sizes.error().message);
    return exit_usage;
  }
  o.sizes = *sizes;
  o.iterations = c.iterations;
  o.warmup = c.warmup;
  o.window = c.window;
  o.timeout = std::chrono::milliseconds(c.timeout_ms);
  o.address = c.address;
  o.control_port = std::uint16_t(c.port);
  ofmf::Result<be::ProbeReport> r = c.server            ? be::probe_server(o)
                                    : !c.client.empty() ? be::probe_client(o, c.client)
                                                        : be::probe_loopback(o);
  if (!r) {
    print_error(r.error().message);
    return exit_failed;
  }
  if (c.redfish) {
    // The endpoint the probe ran on, with the results in Oem.Ofmf.Probe.
    be::OfiFilter f;
    f.provider = r->provider;
    f.endpoint_type = r->endpoint_type;
    auto inv = be::ofi_inventory(f);
    if (!inv) {
      print_error(inv.error().message);
      return exit_failed;
    }
    std::vector<be::OfiInterface> used;
    for (be::OfiInterface& i : *inv)
      if (i.fabric == r->fabric && i.domain == r->domain) used.push_back(std::move(i));
    auto tree = be::ofi_to_redfish(used, {*r});
    if (!tree) {
      print_error(tree.error().message);
      return exit_failed;
    }
    nlohmann::ordered_json resources = nlohmann::ordered_json::object();
    for (const auto& [uri, resource] : *tree) resources[uri] = resource;
    return write_stdout(resources.dump(2, ' ', false, json_replace_invalid_utf8) + "\n");
  }
  if (c.json) return write_stdout(to_json(*r).dump(2, ' ', false, json_replace_invalid_utf8) + "\n");
  return write_stdout(to_text(*r));
}

} // namespace

void register_probe(CLI::App& app, Context& context) {
  auto c = std::make_shared<ProbeCli>();
  CLI::App* cmd = app.add_subcommand(
      "probe", "Measure latency and bandwidth between two libfabric endpoints (default: both in this process)");
  cmd->add_option("--provider", c->provider, "libfabric provider: tcp, udp, shm, verbs, ...")->capture_default_str();
  cmd->add_option("--ep", c->ep, "Endpoint type")->check(CLI::IsMember({"rdm", "msg", "dgram"}))->capture_default_str();
  cmd->add_option("--mode", c->mode, "pingpong (half round trip) or stream (one way, windowed)")
      ->check(CLI::IsMember({"pingpong", "stream"}))
      ->capture_default_str();
  cmd->add_option("--method", c->method,
                  "Ping-pong set-up and timing: ofmf (warm-up, data on --address, inject up to inject_size) or "
                  "fi_pingpong (exactly what libfabric's fi_pingpong does, to compare with it)")
      ->check(CLI::IsMember({"ofmf", "fi_pingpong"}))
      ->capture_default_str();
  cmd->add_option("--sizes", c->sizes, "Message sizes: 1,64,4K,1M or ranges of powers of two 1-4M (1 B .. 4 MiB)")
      ->capture_default_str();
  cmd->add_option("--iterations,-I", c->iterations, "Timed round trips (stream: messages) per size")
      ->check(CLI::Range(1u, 100000000u))
      ->capture_default_str();
  cmd->add_option("--warmup", c->warmup, "Untimed ones before, per size")->capture_default_str();
  cmd->add_option("--window", c->window, "Stream: messages in flight")->check(CLI::Range(1u, 1024u))->capture_default_str();
  cmd->add_option("--timeout-ms", c->timeout_ms, "Longest wait for the peer")->check(CLI::Range(1u, 3600000u))->capture_default_str();
  cmd->add_option("--address", c->address, "Address to bind (server, both-sides mode)")->capture_default_str();
  cmd->add_option("--port", c->port, "TCP control port")->check(CLI::Range(1u, 65535u))->capture_default_str();
  auto* server = cmd->add_flag("--server", c->server, "Serve one client, then exit");
  cmd->add_option("--client", c->client, "Run against the server at ADDR")->excludes(server);
  cmd->add_flag("--json", c->json, "Print a JSON object");
  cmd->add_flag("--redfish", c->redfish, "Print the endpoint as Redfish resources with the results in Oem.Ofmf.Probe");
  cmd->callback([&context, c] { context.run = [c] { return run_probe(*c); }; });
}

} // namespace ofmfctl
