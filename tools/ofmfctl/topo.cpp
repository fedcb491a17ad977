// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// `ofmfctl topo ...`: generate, inspect and convert topology files.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "command.hpp"
#include "ofmf/model/fabric.hpp"
#include "ofmf/topology/format.hpp"
#include "ofmf/topology/generators.hpp"
#include "ofmf/topology/stats.hpp"

namespace ofmfctl {
namespace {

namespace fs = std::filesystem;
namespace topo = ofmf::topology;
using ofmf::model::Fabric;

const std::vector<std::string> writable_formats{"ibnetdiscover", "netfile", "dot"};

// Output format: --format, else the file's extension, else ibnetdiscover.
topo::Format output_format(const std::string& name, const std::string& path) {
  if (!name.empty()) return *topo::parse_format_name(name);
  if (!path.empty() && path != "-")
    if (auto f = topo::format_from_path(path)) return *f;
  return topo::Format::Ibnetdiscover;
}

// Writes a fabric to a file (atomically) or, for "" or "-", to stdout.
int write_fabric(const Fabric& fabric, const std::string& path, topo::Format format) {
  if (path.empty() || path == "-") return write_stdout(topo::format_topology(fabric, format));
  if (auto r = topo::write_topology(fabric, path, format); !r) return report(r.error());
  std::fprintf(stderr, "ofmfctl: wrote %s: %zu nodes (%zu switches), %zu links, %s format\n", path.c_str(),
               fabric.node_count(), fabric.switch_count(), fabric.link_count(),
               std::string(topo::to_string(format)).c_str());
  return exit_ok;
}

// ---------------------------------------------------------------------------
// topo gen

struct GenOptions {
  std::string output;
  std::string format;
  std::string speed = "EDR";
  std::string width = "4x";
  std::uint64_t switch_guid_base = topo::GeneratorOptions{}.switch_guid_base;
  std::uint64_t ca_guid_base = topo::GeneratorOptions{}.ca_guid_base;

  topo::GeneratorOptions generator_options() const {
    topo::GeneratorOptions g;
    g.speed = *ofmf::model::parse_link_speed(speed);
    g.width = *ofmf::model::parse_link_width(width);
    g.switch_guid_base = switch_guid_base;
    g.ca_guid_base = ca_guid_base;
    return g;
  }
};

// Options every generator takes.
void add_common_gen_options(CLI::App* cmd, GenOptions& o) {
  cmd->add_option("-o,--output", o.output, "Output file (default: standard output)");
  cmd->add_option("--format", o.format, "Output format (default: from the output file's extension, else ibnetdiscover)")
      ->check(CLI::IsMember(writable_formats));
  cmd->add_option("--speed", o.speed, "Link speed: SDR DDR QDR FDR10 FDR EDR HDR NDR XDR")
      ->capture_default_str()
      ->check(CLI::Validator(
          [](std::string& s) {
            return ofmf::model::parse_link_speed(s) ? std::string() : "unknown link speed '" + s + "'";
          },
          "SPEED"));
  cmd->add_option("--width", o.width, "Link width: 1x 2x 4x 8x 12x")
      ->capture_default_str()
      ->check(CLI::Validator(
          [](std::string& s) {
            return ofmf::model::parse_link_width(s) ? std::string() : "unknown link width '" + s + "'";
          },
          "WIDTH"));
  cmd->add_option("--switch-guid-base", o.switch_guid_base, "GUID of the first switch (decimal or 0x hex)")
      ->default_str(ofmf::model::format_guid(o.switch_guid_base));
  cmd->add_option("--ca-guid-base", o.ca_guid_base, "GUID of the first channel adapter (decimal or 0x hex)")
      ->default_str(ofmf::model::format_guid(o.ca_guid_base));
}

// Parses "4x4x4" into {4, 4, 4}.
std::vector<unsigned> parse_dims(const std::string& text) {
  std::vector<unsigned> dims;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t end = std::min(text.find('x', pos), text.size());
    const std::string part = text.substr(pos, end - pos);
    if (part.empty() || part.find_first_not_of("0123456789") != std::string::npos || part.size() > 9)
      throw CLI::ValidationError("--dims", "expected sizes like 4x4x4, got '" + text + "'");
    dims.push_back(unsigned(std::stoul(part)));
    pos = end + 1;
  }
  return dims;
}

// Adds `topo gen <kind>`; `make` builds the fabric from the parsed options.
template <class Make>
void add_generator(CLI::App* gen, Context& ctx, const std::string& kind, const std::string& description,
                   const std::shared_ptr<GenOptions>& common, Make make, std::function<void(CLI::App*)> options) {
  CLI::App* cmd = gen->add_subcommand(kind, description);
  options(cmd);
  add_common_gen_options(cmd, *common);
  cmd->callback([&ctx, common, make] {
    auto build = make();  // may throw CLI::ValidationError (usage)
    ctx.run = [common, build] {
      auto fabric = build(common->generator_options());
      if (!fabric) return report(fabric.error());
      return write_fabric(*fabric, common->output, output_format(common->format, common->output));
    };
  });
}

using Built = ofmf::Result<Fabric>;
using BuildFn = std::function<Built(const topo::GeneratorOptions&)>;

void register_gen(CLI::App* topo_cmd, Context& ctx) {
  CLI::App* gen = topo_cmd->add_subcommand("gen", "Generate a topology");
  gen->require_subcommand(1);
  auto common = std::make_shared<GenOptions>();

  {
    auto s = std::make_shared<topo::KaryNTreeSpec>();
    add_generator(
        gen, ctx, "kary-ntree", "k-ary n-tree: k^n endpoints, n levels of k^(n-1) switches", common,
        [s] { return BuildFn([s](const topo::GeneratorOptions& g) { return topo::generate_kary_ntree(*s, g); }); },
        [s](CLI::App* c) {
          c->add_option("--k", s->k, "Arity")->capture_default_str();
          c->add_option("--n", s->n, "Levels")->capture_default_str();
        });
  }
  {
    auto s = std::make_shared<topo::XgftSpec>();
    add_generator(
        gen, ctx, "xgft", "Extended generalized fat tree XGFT(h; m; w)", common,
        [s] {
          if (s->m.size() != s->w.size()) throw CLI::ValidationError("--m/--w", "need the same number of entries");
          return BuildFn([s](const topo::GeneratorOptions& g) { return topo::generate_xgft(*s, g); });
        },
        [s](CLI::App* c) {
          c->add_option("--m", s->m, "Children per level, e.g. 4,4")->delimiter(',')->required();
          c->add_option("--w", s->w, "Parents per level, e.g. 1,4")->delimiter(',')->required();
        });
  }
  {
    auto s = std::make_shared<topo::FatTreeSpec>();
    add_generator(
        gen, ctx, "fat-tree", "Non-blocking folded-Clos fat tree of one switch radix", common,
        [s] { return BuildFn([s](const topo::GeneratorOptions& g) { return topo::generate_fat_tree(*s, g); }); },
        [s](CLI::App* c) {
          c->add_option("--radix", s->radix, "Switch radix (even)")->capture_default_str();
          c->add_option("--levels", s->levels, "Levels: 2 or 3")->capture_default_str();
          c->add_option("--endpoints-per-leaf", s->endpoints_per_leaf, "Endpoints per leaf (0 = radix/2)")
              ->capture_default_str();
        });
  }
  for (const bool wrap : {true, false}) {
    auto s = std::make_shared<topo::TorusSpec>();
    auto dims = std::make_shared<std::string>("4x4");
    s->wrap = wrap;
    add_generator(
        gen, ctx, wrap ? "torus" : "mesh", wrap ? "Torus of 2 or 3 dimensions" : "Mesh of 2 or 3 dimensions", common,
        [s, dims] {
          s->dims = parse_dims(*dims);
          return BuildFn([s](const topo::GeneratorOptions& g) { return topo::generate_torus(*s, g); });
        },
        [s, dims](CLI::App* c) {
          c->add_option("--dims", *dims, "Sizes, e.g. 4x4x4")->capture_default_str();
          c->add_option("--endpoints-per-switch", s->endpoints_per_switch, "Endpoints per switch")
              ->capture_default_str();
        });
  }
  {
    auto s = std::make_shared<topo::DragonflySpec>();
    add_generator(
        gen, ctx, "dragonfly", "Dragonfly: g groups of a routers, p endpoints and h global links each", common,
        [s] { return BuildFn([s](const topo::GeneratorOptions& g) { return topo::generate_dragonfly(*s, g); }); },
        [s](CLI::App* c) {
          c->add_option("--a", s->a, "Routers per group")->capture_default_str();
          c->add_option("--p", s->p, "Endpoints per router")->capture_default_str();
          c->add_option("--h", s->h, "Global links per router")->capture_default_str();
          c->add_option("--g", s->g, "Groups (0 = a*h+1)")->capture_default_str();
        });
  }
  {
    auto s = std::make_shared<topo::HyperXSpec>();
    auto dims = std::make_shared<std::string>("4x4");
    add_generator(
        gen, ctx, "hyperx", "HyperX: lattice fully connected along each dimension", common,
        [s, dims] {
          s->dims = parse_dims(*dims);
          return BuildFn([s](const topo::GeneratorOptions& g) { return topo::generate_hyperx(*s, g); });
        },
        [s, dims](CLI::App* c) {
          c->add_option("--dims", *dims, "Sizes, e.g. 4x4")->capture_default_str();
          c->add_option("--trunking", s->trunking, "Parallel links per connected pair")->capture_default_str();
          c->add_option("--endpoints-per-switch", s->endpoints_per_switch, "Endpoints per switch")
              ->capture_default_str();
        });
  }
  {
    auto s = std::make_shared<topo::RandomRegularSpec>();
    add_generator(
        gen, ctx, "random-regular", "Random regular switch graph (deterministic for a seed)", common,
        [s] {
          return BuildFn([s](const topo::GeneratorOptions& g) { return topo::generate_random_regular(*s, g); });
        },
        [s](CLI::App* c) {
          c->add_option("--switches", s->switches, "Switches")->capture_default_str();
          c->add_option("--degree", s->degree, "Inter-switch links per switch")->capture_default_str();
          c->add_option("--endpoints-per-switch", s->endpoints_per_switch, "Endpoints per switch")
              ->capture_default_str();
          c->add_option("--seed", s->seed, "Seed")->capture_default_str();
        });
  }
}

// ---------------------------------------------------------------------------
// topo info

nlohmann::ordered_json degree_json(const topo::DegreeStats& d) {
  return {{"min", d.min}, {"max", d.max}, {"mean", d.mean}, {"stddev", d.stddev}};
}

nlohmann::ordered_json stats_json(const std::string& file, const topo::TopologyStats& s) {
  nlohmann::ordered_json j;
  j["file"] = file;
  j["nodes"] = s.nodes;
  j["switches"] = s.switches;
  j["channel_adapters"] = s.channel_adapters;
  j["routers"] = s.routers;
  j["ports"] = s.ports;
  j["linked_ports"] = s.linked_ports;
  j["links"] = s.links;
  j["switch_links"] = s.switch_links;
  j["switch_degree"] = degree_json(s.switch_degree);
  j["endpoints_per_switch"] = degree_json(s.endpoints_per_switch);
  j["components"] = s.components;
  // null: not computed; -1: some pair not connected.
  j["diameter"] = s.diameter_computed ? nlohmann::ordered_json(s.diameter) : nlohmann::ordered_json(nullptr);
  j["diameter_between"] = s.diameter_between_switches ? "switches" : "endpoints";
  j["bisection_width"] = s.bisection_computed ? nlohmann::ordered_json(s.bisection_width) : nlohmann::ordered_json(nullptr);
  return j;
}

struct InfoOptions {
  std::string file;
  std::string format;
  bool no_diameter = false;
  bool no_bisection = false;
  bool json = false;
  unsigned threads = 0;
  std::uint64_t seed = 1;
  bool allow_empty = false;
};

void register_info(CLI::App* topo_cmd, Context& ctx) {
  auto o = std::make_shared<InfoOptions>();
  CLI::App* cmd = topo_cmd->add_subcommand("info", "Print counts, degree statistics, diameter and bisection width");
  cmd->add_option("file", o->file, "Topology file")->required();
  cmd->add_option("--format", o->format, "Input format (default: from the extension, else the content)")
      ->check(CLI::IsMember(readable_formats));
  cmd->add_flag("--no-diameter", o->no_diameter, "Do not compute the diameter");
  cmd->add_flag("--no-bisection", o->no_bisection, "Do not estimate the bisection width");
  cmd->add_flag("--json", o->json, "Print a JSON object");
  cmd->add_option("--threads", o->threads, "Worker threads (0 = all cores)")->capture_default_str();
  cmd->add_option("--seed", o->seed, "Seed of the bisection search")->capture_default_str();
  add_allow_empty(*cmd, o->allow_empty);
  cmd->callback([&ctx, o] {
    ctx.run = [o] {
      auto fabric = read_fabric(o->file, o->format, o->allow_empty);
      if (!fabric) return report(fabric.error());
      topo::StatsOptions so;
      so.diameter = !o->no_diameter;
      so.bisection = !o->no_bisection;
      so.threads = o->threads;
      so.seed = o->seed;
      const auto stats = topo::compute_stats(*fabric->snapshot(), so);
      if (o->json) return write_stdout(stats_json(o->file, stats).dump(2, ' ', false, json_replace_invalid_utf8) + "\n");
      return write_stdout("file:              " + o->file + "\n" + topo::format_stats(stats));
    };
  });
}

// ---------------------------------------------------------------------------
// topo convert

struct ConvertOptions {
  std::string input;
  std::string output;
  std::string from;
  std::string to;
  bool allow_empty = false;
};

void register_convert(CLI::App* topo_cmd, Context& ctx) {
  auto o = std::make_shared<ConvertOptions>();
  CLI::App* cmd = topo_cmd->add_subcommand("convert", "Convert a topology file to another format");
  cmd->add_option("input", o->input, "Input file")->required();
  cmd->add_option("output", o->output, "Output file ('-' = standard output)")->required();
  cmd->add_option("--from", o->from, "Input format (default: from the extension, else the content)")
      ->check(CLI::IsMember(readable_formats));
  cmd->add_option("--to", o->to, "Output format (default: from the extension, else ibnetdiscover)")
      ->check(CLI::IsMember(writable_formats));
  add_allow_empty(*cmd, o->allow_empty);
  cmd->callback([&ctx, o] {
    ctx.run = [o] {
      auto fabric = read_fabric(o->input, o->from, o->allow_empty);
      if (!fabric) return report(fabric.error());
      return write_fabric(*fabric, o->output, output_format(o->to, o->output));
    };
  });
}

} // namespace

void register_topo(CLI::App& app, Context& context) {
  CLI::App* topo_cmd = app.add_subcommand("topo", "Generate, inspect and convert topology files");
  topo_cmd->require_subcommand(1);
  register_gen(topo_cmd, context);
  register_info(topo_cmd, context);
  register_convert(topo_cmd, context);
}

} // namespace ofmfctl
