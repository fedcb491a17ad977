// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// `ofmfctl route ...`: route a topology and analyse the tables, or analyse
// an LFT dump produced elsewhere.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "command.hpp"
#include "ofmf/model/fabric.hpp"
#include "ofmf/model/topology_view.hpp"
#include "ofmf/output.hpp"
#include "ofmf/routing/analysis.hpp"
#include "ofmf/routing/engine.hpp"
#include "ofmf/routing/lft_dump.hpp"
#include "ofmf/topology/format.hpp"

namespace ofmfctl {
namespace {

namespace fs = std::filesystem;
namespace routing = ofmf::routing;
namespace topo = ofmf::topology;
using ofmf::model::Fabric;
using ofmf::model::TopologyView;


void warn(const std::string& message) { print_error("warning: " + message); }

// Writes an output file by the library's output-path rules (ofmf/output.hpp).
int write_file(const std::string& path, const std::string& text) {
  if (auto w = ofmf::write_output(path, text); !w) return report(w.error());
  return exit_ok;
}

std::size_t assigned_lids(const routing::RouteTable& t) {
  std::size_t n = 0;
  for (std::uint32_t l = 1; l <= t.max_lid(); ++l) n += t.owner(l).valid();
  return n;
}

struct Outcome {
  std::string file;
  routing::RouteTable table;
  std::vector<routing::SkippedEngine> unavailable;  // not registered
  double routing_ms = 0;
  std::optional<routing::Analysis> analysis;
};

nlohmann::ordered_json to_json(const Outcome& o) {
  nlohmann::ordered_json j;
  j["file"] = o.file;
  j["engine"] = o.table.engine();
  auto skipped = nlohmann::ordered_json::array();
  for (const auto* list : {&o.unavailable, &o.table.skipped()})
    for (const auto& s : *list) skipped.push_back({{"engine", s.engine}, {"reason", s.error.message}});
  j["skipped"] = skipped;
  j["routing_ms"] = o.routing_ms;
  j["lids"] = assigned_lids(o.table);
  j["max_lid"] = o.table.max_lid();
  j["lmc"] = o.table.lmc();
  if (!o.analysis) {
    j["analysis"] = nullptr;
    return j;
  }
  j["analysis"] = routing::to_json(*o.analysis);
  return j;
}

std::string to_text(const Outcome& o) {
  std::string s;
  char buf[256];
  auto line = [&](const char* key, const std::string& value) {
    std::snprintf(buf, sizeof buf, "%-19s%s\n", key, value.c_str());
    s += buf;
  };
  line("file:", o.file);
  line("engine:", o.table.engine());
  for (const auto* list : {&o.unavailable, &o.table.skipped()})
    for (const auto& k : *list) line("skipped:", k.engine + " (" + k.error.message + ")");
  std::snprintf(buf, sizeof buf, "%.3f ms", o.routing_ms);
  line("routing time:", buf);
  line("lids:", std::to_string(assigned_lids(o.table)) + " (max LID " + std::to_string(o.table.max_lid()) + ", LMC " +
                    std::to_string(o.table.lmc()) + ")");
  if (!o.analysis) return s;
  const routing::Analysis& a = *o.analysis;
  line("endpoint ports:", std::to_string(a.endpoint_ports));
  line("pairs:", std::to_string(a.pairs));
  line("unreachable:", std::to_string(a.unreachable));
  line("loops:", std::to_string(a.loops));
  std::snprintf(buf, sizeof buf, "%zu (max extra hops %u, max stretch %.3f)", a.non_minimal, a.max_extra_hops,
                a.max_stretch);
  line("non-minimal:", buf);
  std::snprintf(buf, sizeof buf, "max %" PRIu64 ", mean %.3f, stddev %.3f", a.max_load, a.mean_load, a.stddev_load);
  line("link load:", buf);
  std::string cdg = a.cdg_acyclic ? "yes" : "no (cycle on VL";
  if (!a.cdg_acyclic) {
    for (std::size_t k = 0; k < a.vls_with_cycle.size(); ++k) cdg += (k ? "," : " ") + std::to_string(a.vls_with_cycle[k]);
    cdg += ")";
  }
  line("cdg acyclic:", cdg);
  line("vls used:", std::to_string(a.vls_used));
  std::snprintf(buf, sizeof buf, "min %u, mean %.3f", a.min_distinct_paths, a.mean_distinct_paths);
  line("path diversity:", buf);
  return s;
}

// The exit code of `route check`: exit_check (with a message) when a pair
// is unreachable, a walk loops or, unless allowed, the channel-dependency
// graph has a cycle.
int check_verdict(const routing::Analysis& a, bool allow_cycles) {
  std::string failed;
  auto add = [&](const std::string& what) { failed += (failed.empty() ? "" : ", ") + what; };
  if (a.unreachable) add(std::to_string(a.unreachable) + " unreachable pairs");
  if (a.loops) add(std::to_string(a.loops) + " loops");
  if (!a.cdg_acyclic && !allow_cycles) add("a channel-dependency cycle (not deadlock-free)");
  if (failed.empty()) return exit_ok;
  print_error("the tables fail the check: " + failed);
  return exit_check;
}

int print(const Outcome& o, bool json) {
  return write_stdout(json ? to_json(o).dump(2, ' ', false, json_replace_invalid_utf8) + "\n" : to_text(o));
}

// Path SLs ("slid dlid sl", endpoint LIDs) to `path`, SL2VL tables in the
// opensm-sl2vl.dump layout to `path`.sl2vl.
int dump_sl(const std::string& path, const TopologyView& v, const routing::RouteTable& t) {
  if (!t.has_sl() && !t.has_sl2vl()) {
    warn("engine '" + t.engine() + "' sets no SLs or SL-to-VL tables; " + path + " not written");
    return exit_ok;
  }
  std::string s = "# mode all\n";
  std::vector<std::uint32_t> lids;
  for (std::uint32_t l = 1; l <= t.max_lid(); ++l) {
    const auto o = t.owner(l);
    if (o.valid() && !v.is_switch(o.node)) lids.push_back(l);
  }
  char buf[128];
  for (std::uint32_t a : lids)
    for (std::uint32_t b : lids)
      if (t.owner(a) != t.owner(b)) {
        std::snprintf(buf, sizeof buf, "%u %u %u\n", a, b, unsigned(t.path_sl(a, b)));
        s += buf;
      }
  if (int rc = write_file(path, s); rc != exit_ok) return rc;
  std::string m;
  for (std::uint32_t sw = 0; sw < t.switch_count(); ++sw) {
    std::snprintf(buf, sizeof buf, "Switch 0x%016" PRIx64 ", base LID %u, \"", v.guid(sw), unsigned(t.base_lid(sw, 0)));
    m += buf;
    m += v.description(sw);
    m += "\"\n#in out : 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n";
    const unsigned np = v.num_ports(sw);
    for (unsigned in = 0; in <= np; ++in)
      for (unsigned out = 0; out <= np; ++out) {
        if (in == out) continue;
        std::snprintf(buf, sizeof buf, "%u %u :", in, out);
        m += buf;
        for (unsigned sl = 0; sl < 16; ++sl)
          m += " " + std::to_string(t.vl(sw, ofmf::model::PortNum(in), ofmf::model::PortNum(out), std::uint8_t(sl)));
        m += "\n";
      }
  }
  return write_file(path + ".sl2vl", m);
}

// ---------------------------------------------------------------------------
// route TOPO

struct RouteOptions {
  std::string file;
  std::string format;
  std::string engine = "ftree,updn,minhop";
  unsigned lmc = 0;
  unsigned max_vls = 8;
  std::vector<std::string> roots;
  unsigned threads = 0;
  std::string dump_lfts;
  std::string dump_sl;
  std::vector<std::string> plugins;
  bool no_check = false;
  bool json = false;
};

int run_route(const RouteOptions& o) {
  auto registry = routing::EngineRegistry::builtin();
  for (const std::string& p : o.plugins) {
    auto r = registry.load_plugin(p);
    if (!r) return report(r.error());
  }
  // Engines of the chain that this build does not have are skipped with a
  // warning; a chain with none left is a usage error.
  Outcome out;
  out.file = o.file;
  std::string chain;
  std::stringstream names(o.engine);
  for (std::string n; std::getline(names, n, ',');) {
    const auto b = n.find_first_not_of(" \t"), e = n.find_last_not_of(" \t");
    n = b == std::string::npos ? "" : n.substr(b, e - b + 1);
    if (n.empty()) continue;
    if (!registry.contains(n)) {
      out.unavailable.push_back({n, ofmf::make_error(ofmf::errc::not_found, "not available in this build")});
      continue;
    }
    chain += (chain.empty() ? "" : ",") + n;
  }
  if (chain.empty()) {
    std::string avail;
    for (const auto& n : registry.names()) avail += (avail.empty() ? "" : ", ") + n;
    print_error("no routing engine of '" + o.engine + "' is available (engines: " + avail + ")");
    return exit_usage;
  }
  for (const auto& u : out.unavailable) warn("routing engine '" + u.engine + "' is not available in this build; skipped");

  auto fabric = read_fabric(o.file, o.format);
  if (!fabric) return report(fabric.error());
  const auto view = fabric->snapshot();
  routing::Options ro;
  ro.lmc = std::uint8_t(o.lmc);
  ro.max_vls = o.max_vls;
  ro.threads = o.threads;
  for (const std::string& r : o.roots) ro.roots.push_back(std::stoull(r, nullptr, 0));
  const auto t0 = std::chrono::steady_clock::now();
  auto table = routing::compute_chain(registry, chain, *view, ro);
  const auto t1 = std::chrono::steady_clock::now();
  if (!table) return report(table.error());
  out.routing_ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
  out.table = std::move(table).value();
  if (!o.dump_lfts.empty()) {
    auto dump = routing::format_lft_dump(*view, out.table);
    if (!dump) return report(dump.error());
    if (int rc = write_file(o.dump_lfts, *dump); rc != exit_ok) return rc;
  }
  if (!o.dump_sl.empty())
    if (int rc = dump_sl(o.dump_sl, *view, out.table); rc != exit_ok) return rc;
  if (!o.no_check) {
    routing::AnalysisOptions ao;
    ao.threads = o.threads;
    auto analysis = routing::analyze(*view, out.table, ao);
    if (!analysis) return report(analysis.error());
    out.analysis = std::move(analysis).value();
  }
  return print(out, o.json);
}

// ---------------------------------------------------------------------------
// route check --lfts FILE TOPO

struct CheckOptions {
  std::string file;
  std::string format;
  std::string lfts;
  unsigned threads = 0;
  bool allow_cycles = false;
  bool json = false;
};

// Gives the fabric's ports the LIDs the dump's owner comments name
// ("0x0001 001 # Channel Adapter portguid 0x...: 'h0'"), so that the file
// engine maps the dump's LIDs to the right ports. Returns the LMC seen.
ofmf::Result<std::uint8_t> apply_dump_lids(Fabric& fabric, const std::string& text, const std::string& source) {
  std::map<std::uint64_t, std::pair<std::uint32_t, unsigned>> by_port;  // GUID -> (lowest LID, count)
  std::map<std::uint64_t, std::size_t> first_line;                       // GUID -> line
  std::map<std::uint32_t, std::uint64_t> seen;                           // LID -> GUID
  std::istringstream in(text);
  std::size_t line_no = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    if (line.rfind("0x", 0) != 0) continue;
    const auto g = line.find("portguid 0x");
    if (g == std::string::npos) continue;
    const std::uint32_t lid = std::uint32_t(std::strtoul(line.c_str() + 2, nullptr, 16));
    const std::uint64_t guid = std::strtoull(line.c_str() + g + 11, nullptr, 16);
    auto [it, fresh] = seen.emplace(lid, guid);
    if (!fresh) {
      if (it->second != guid)
        return ofmf::fail(ofmf::errc::inconsistent, source + ":" + std::to_string(line_no) + ": LID " +
                                                        std::to_string(lid) + " has two owners");
      continue;
    }
    first_line.try_emplace(guid, line_no);
    auto& [base, count] = by_port.try_emplace(guid, lid, 0u).first->second;
    base = std::min(base, lid);
    ++count;
  }
  std::uint8_t lmc = 0;
  for (const auto& [guid, lc] : by_port) {
    const auto ref = fabric.find_port(guid);
    if (!ref)
      return ofmf::fail(ofmf::errc::inconsistent, source + ":" + std::to_string(first_line[guid]) + ": port " +
                                                      ofmf::model::format_guid(guid) + " (owner of LID " +
                                                      std::to_string(lc.first) + ") is not in the fabric");
    auto port = fabric.port(*ref);
    if (!port) return ofmf::fail(port.error());
    auto a = port->attributes;
    a.lid = std::uint16_t(lc.first);
    std::uint8_t l = 0;
    while ((1u << l) < lc.second && l < 7) ++l;
    if (*fabric.type(ref->node) != ofmf::model::NodeType::Switch) {
      a.lmc = l;
      lmc = std::max(lmc, l);
    }
    if (auto r = fabric.set_port(*ref, a); !r) return ofmf::fail(r.error());
  }
  return lmc;
}

int run_check(const CheckOptions& o) {
  auto fabric = read_fabric(o.file, o.format);
  if (!fabric) return report(fabric.error());
  std::ifstream in(o.lfts, std::ios::binary);
  if (!in) {
    print_error("cannot read " + o.lfts);
    return exit_io;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  auto lmc = apply_dump_lids(*fabric, ss.str(), o.lfts);
  if (!lmc) return report(lmc.error());
  const auto view = fabric->snapshot();
  routing::Options ro;
  ro.lft_file = o.lfts;
  ro.lmc = *lmc;
  ro.threads = o.threads;
  auto engine = routing::EngineRegistry::builtin().create("file");
  if (!engine) return report(engine.error());
  Outcome out;
  out.file = o.file;
  const auto t0 = std::chrono::steady_clock::now();
  auto table = (*engine)->compute(*view, ro);
  const auto t1 = std::chrono::steady_clock::now();
  if (!table) return report(table.error());
  out.routing_ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
  out.table = std::move(table).value();
  routing::AnalysisOptions ao;
  ao.threads = o.threads;
  auto analysis = routing::analyze(*view, out.table, ao);
  if (!analysis) return report(analysis.error());
  out.analysis = std::move(analysis).value();
  if (int rc = print(out, o.json); rc != exit_ok) return rc;
  return check_verdict(*out.analysis, o.allow_cycles);
}

} // namespace

void register_route(CLI::App& app, Context& context) {
  auto o = std::make_shared<RouteOptions>();
  CLI::App* cmd = app.add_subcommand("route", "Route a topology and analyse the forwarding tables");
  cmd->add_option("file", o->file, "Topology file");
  cmd->add_option("--format", o->format, "Input format (default: from the extension, else the content)")
      ->check(CLI::IsMember(readable_formats));
  cmd->add_option("--engine", o->engine,
                  "Routing engines to try in order; those not in this build are skipped with a warning")
      ->capture_default_str();
  cmd->add_option("--lmc", o->lmc, "LID mask control of endpoint ports")->capture_default_str()->check(CLI::Range(0, 7));
  cmd->add_option("--max-vls", o->max_vls, "VLs an engine may use")->capture_default_str()->check(CLI::Range(1, 15));
  cmd->add_option("--root", o->roots, "Root switch GUID (updn, ftree); repeatable")
      ->check(CLI::Validator(
          [](std::string& s) {
            try {
              std::size_t end = 0;
              (void)std::stoull(s, &end, 0);
              return end == s.size() ? std::string() : "bad GUID '" + s + "'";
            } catch (...) {
              return "bad GUID '" + s + "'";
            }
          },
          "GUID"));
  cmd->add_option("--threads", o->threads, "Worker threads (0 = all cores)")->capture_default_str();
  cmd->add_option("--dump-lfts", o->dump_lfts, "Write the LFTs in opensm-lfts.dump format");
  cmd->add_option("--dump-sl", o->dump_sl,
                  "Write path SLs ('slid dlid sl') to FILE and SL-to-VL tables to FILE.sl2vl, when the engine sets them");
  cmd->add_option("--plugin", o->plugins, "Load an engine plug-in (libofmf-<name>.so); repeatable");
  cmd->add_flag("--no-check", o->no_check, "Do not analyse the tables");
  cmd->add_flag("--json", o->json, "Print a JSON object");

  auto c = std::make_shared<CheckOptions>();
  CLI::App* check = cmd->add_subcommand("check", "Analyse an LFT dump (opensm-lfts.dump format) of a topology");
  check->add_option("file", c->file, "Topology file")->required();
  check->add_option("--lfts", c->lfts, "LFT dump")->required();
  check->add_option("--format", c->format, "Input format (default: from the extension, else the content)")
      ->check(CLI::IsMember(readable_formats));
  check->add_option("--threads", c->threads, "Worker threads (0 = all cores)")->capture_default_str();
  check->add_flag("--allow-cycles", c->allow_cycles,
                  "Do not fail on a channel-dependency cycle (tables meant for several VLs, whose SLs a dump does not carry)");
  check->add_flag("--json", c->json, "Print a JSON object");
  check->callback([&context, c] { context.run = [c] { return run_check(*c); }; });

  cmd->callback([check, &context, o] {
    if (check->parsed()) return;
    if (o->file.empty()) throw CLI::RequiredError("file");
    context.run = [o] { return run_route(*o); };
  });
}

} // namespace ofmfctl
