// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Bindings of ofmf::topology: formats, generators, statistics.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "common.hpp"
#include "ofmf/model/topology_view.hpp"
#include "ofmf/topology/format.hpp"
#include "ofmf/topology/generators.hpp"
#include "ofmf/topology/stats.hpp"

namespace ofmf::python {
namespace {

using namespace ofmf::topology;
using model::Fabric;
using FabricPtr = std::shared_ptr<Fabric>;

FabricPtr own(Result<Fabric>&& r) { return std::make_shared<Fabric>(unwrap(std::move(r))); }

// Runs a generator with the GIL released.
template <class Spec, class Fn>
FabricPtr generate(Fn fn, const Spec& spec, const GeneratorOptions& options) {
  Result<Fabric> r = [&] {
    py::gil_scoped_release nogil;
    return fn(spec, options);
  }();
  return own(std::move(r));
}

} // namespace

void bind_topology(py::module_& m) {
  py::enum_<Format>(m, "Format", "Topology file formats.")
      .value("Ibnetdiscover", Format::Ibnetdiscover)
      .value("Netfile", Format::Netfile)
      .value("Dot", Format::Dot);
  m.def("to_string", [](Format f) { return std::string(to_string(f)); }, py::arg("value"));
  m.def("parse_format_name", &parse_format_name, py::arg("name"),
        "\"ibnetdiscover\", \"netfile\", \"dot\" -> Format; None otherwise.");
  m.def("format_from_path", &format_from_path, py::arg("path"), "Format by file extension, or None.");
  m.def("detect_format", &detect_format, py::arg("text"), "Format by content (Ibnetdiscover or Netfile).");

  py::class_<ReadOptions> ro(m, "ReadOptions",
                             "Parser settings: source_name for messages, max_bytes, max_ports, max_line_bytes, "
                             "allow_empty.");
  kwargs_init(ro);
  ro.def_readwrite("source_name", &ReadOptions::source_name)
      .def_readwrite("max_bytes", &ReadOptions::max_bytes)
      .def_readwrite("max_ports", &ReadOptions::max_ports)
      .def_readwrite("max_line_bytes", &ReadOptions::max_line_bytes)
      .def_readwrite("allow_empty", &ReadOptions::allow_empty);

  m.def("parse_ibnetdiscover",
        [](std::string_view text, const ReadOptions& o) {
          Result<Fabric> r = [&] {
            py::gil_scoped_release nogil;
            return parse_ibnetdiscover(text, o);
          }();
          return own(std::move(r));
        },
        py::arg("text"), py::arg("options") = ReadOptions{},
        "Parses ibnetdiscover text into a new Fabric. Raises ParseError, InconsistentError, LimitExceededError "
        "(message starts with \"<source_name>:<line>: \").");
  m.def("parse_netfile",
        [](std::string_view text, const ReadOptions& o) {
          Result<Fabric> r = [&] {
            py::gil_scoped_release nogil;
            return parse_netfile(text, o);
          }();
          return own(std::move(r));
        },
        py::arg("text"), py::arg("options") = ReadOptions{}, "Parses an ibsim netfile into a new Fabric.");
  m.def("write_ibnetdiscover", &write_ibnetdiscover, py::arg("fabric"), "The fabric as ibnetdiscover prints it.");
  m.def("write_netfile", &write_netfile, py::arg("fabric"), "The fabric as an ibsim netfile.");
  m.def("write_dot", &write_dot, py::arg("fabric"), "The fabric as Graphviz DOT.");
  m.def("format_topology", &format_topology, py::arg("fabric"), py::arg("format"), "The fabric rendered in a format.");
  m.def("read_topology",
        [](const std::filesystem::path& path, std::optional<Format> format, const ReadOptions& o) {
          Result<Fabric> r = [&] {
            py::gil_scoped_release nogil;
            return read_topology(path, format, o);
          }();
          return own(std::move(r));
        },
        py::arg("path"), py::arg("format") = py::none(), py::arg("options") = ReadOptions{},
        "Reads a topology file (format from the argument, else the extension, else the content). "
        "Raises IoError, LimitExceededError, NotSupportedError (DOT), parser errors.");
  m.def("write_topology",
        [](const Fabric& f, const std::filesystem::path& path, Format format) {
          Result<void> r = [&] {
            py::gil_scoped_release nogil;
            return write_topology(f, path, format);
          }();
          unwrap(std::move(r));
        },
        py::arg("fabric"), py::arg("path"), py::arg("format"), "Writes a file atomically. Raises IoError.");

  m.attr("max_generated_nodes") = max_generated_nodes;
  m.attr("max_generated_ports") = max_generated_ports;
  py::class_<GeneratorOptions> go(m, "GeneratorOptions", "GUID bases, width and speed shared by all generators.");
  kwargs_init(go);
  go.def_readwrite("switch_guid_base", &GeneratorOptions::switch_guid_base)
      .def_readwrite("ca_guid_base", &GeneratorOptions::ca_guid_base)
      .def_readwrite("width", &GeneratorOptions::width)
      .def_readwrite("speed", &GeneratorOptions::speed);

  py::class_<KaryNTreeSpec> kt(m, "KaryNTreeSpec", "k-ary n-tree: k (2..127), n (1..16).");
  kwargs_init(kt);
  kt.def_readwrite("k", &KaryNTreeSpec::k).def_readwrite("n", &KaryNTreeSpec::n);
  py::class_<XgftSpec> xg(m, "XgftSpec", "XGFT(h; m; w): lists m and w of 1..8 entries.");
  kwargs_init(xg);
  xg.def_readwrite("m", &XgftSpec::m).def_readwrite("w", &XgftSpec::w);
  py::class_<FatTreeSpec> ft(m, "FatTreeSpec", "Folded-Clos fat tree: radix (even, 4..254), levels (2..3).");
  kwargs_init(ft);
  ft.def_readwrite("radix", &FatTreeSpec::radix)
      .def_readwrite("levels", &FatTreeSpec::levels)
      .def_readwrite("endpoints_per_leaf", &FatTreeSpec::endpoints_per_leaf);
  py::class_<TorusSpec> to(m, "TorusSpec", "Torus or mesh of 2 or 3 dimensions.");
  kwargs_init(to);
  to.def_readwrite("dims", &TorusSpec::dims)
      .def_readwrite("wrap", &TorusSpec::wrap)
      .def_readwrite("endpoints_per_switch", &TorusSpec::endpoints_per_switch);
  py::class_<DragonflySpec> df(m, "DragonflySpec", "Dragonfly: a routers per group, p endpoints, h global links, g groups.");
  kwargs_init(df);
  df.def_readwrite("a", &DragonflySpec::a)
      .def_readwrite("p", &DragonflySpec::p)
      .def_readwrite("h", &DragonflySpec::h)
      .def_readwrite("g", &DragonflySpec::g);
  py::class_<HyperXSpec> hx(m, "HyperXSpec", "HyperX lattice.");
  kwargs_init(hx);
  hx.def_readwrite("dims", &HyperXSpec::dims)
      .def_readwrite("trunking", &HyperXSpec::trunking)
      .def_readwrite("endpoints_per_switch", &HyperXSpec::endpoints_per_switch);
  py::class_<RandomRegularSpec> rr(m, "RandomRegularSpec", "Random regular switch graph.");
  kwargs_init(rr);
  rr.def_readwrite("switches", &RandomRegularSpec::switches)
      .def_readwrite("degree", &RandomRegularSpec::degree)
      .def_readwrite("endpoints_per_switch", &RandomRegularSpec::endpoints_per_switch)
      .def_readwrite("seed", &RandomRegularSpec::seed);

  const char* gen_doc =
      "Builds a new Fabric (deterministic). Raises InvalidArgumentError naming the parameter and its range, "
      "LimitExceededError.";
  m.def("generate_kary_ntree",
        [](const KaryNTreeSpec& s, const GeneratorOptions& o) { return generate(&generate_kary_ntree, s, o); },
        py::arg("spec"), py::arg("options") = GeneratorOptions{}, gen_doc);
  m.def("generate_xgft", [](const XgftSpec& s, const GeneratorOptions& o) { return generate(&generate_xgft, s, o); },
        py::arg("spec"), py::arg("options") = GeneratorOptions{}, gen_doc);
  m.def("generate_fat_tree",
        [](const FatTreeSpec& s, const GeneratorOptions& o) { return generate(&generate_fat_tree, s, o); },
        py::arg("spec"), py::arg("options") = GeneratorOptions{}, gen_doc);
  m.def("generate_torus", [](const TorusSpec& s, const GeneratorOptions& o) { return generate(&generate_torus, s, o); },
        py::arg("spec"), py::arg("options") = GeneratorOptions{}, gen_doc);
  m.def("generate_dragonfly",
        [](const DragonflySpec& s, const GeneratorOptions& o) { return generate(&generate_dragonfly, s, o); },
        py::arg("spec"), py::arg("options") = GeneratorOptions{}, gen_doc);
  m.def("generate_hyperx",
        [](const HyperXSpec& s, const GeneratorOptions& o) { return generate(&generate_hyperx, s, o); },
        py::arg("spec"), py::arg("options") = GeneratorOptions{}, gen_doc);
  m.def("generate_random_regular",
        [](const RandomRegularSpec& s, const GeneratorOptions& o) { return generate(&generate_random_regular, s, o); },
        py::arg("spec"), py::arg("options") = GeneratorOptions{}, gen_doc);

  py::class_<DegreeStats>(m, "DegreeStats", "min, max, mean, stddev of a per-switch count.")
      .def_readonly("min", &DegreeStats::min)
      .def_readonly("max", &DegreeStats::max)
      .def_readonly("mean", &DegreeStats::mean)
      .def_readonly("stddev", &DegreeStats::stddev);
  py::class_<TopologyStats>(m, "TopologyStats", "Statistics of one topology (compute_stats()).")
      .def_readonly("nodes", &TopologyStats::nodes)
      .def_readonly("switches", &TopologyStats::switches)
      .def_readonly("channel_adapters", &TopologyStats::channel_adapters)
      .def_readonly("routers", &TopologyStats::routers)
      .def_readonly("ports", &TopologyStats::ports)
      .def_readonly("linked_ports", &TopologyStats::linked_ports)
      .def_readonly("links", &TopologyStats::links)
      .def_readonly("switch_links", &TopologyStats::switch_links)
      .def_readonly("switch_degree", &TopologyStats::switch_degree)
      .def_readonly("endpoints_per_switch", &TopologyStats::endpoints_per_switch)
      .def_readonly("components", &TopologyStats::components)
      .def_readonly("diameter_computed", &TopologyStats::diameter_computed)
      .def_readonly("diameter_between_switches", &TopologyStats::diameter_between_switches)
      .def_readonly("diameter", &TopologyStats::diameter)
      .def_readonly("bisection_computed", &TopologyStats::bisection_computed)
      .def_readonly("bisection_width", &TopologyStats::bisection_width)
      .def("__str__", &format_stats);
  py::class_<StatsOptions> so(m, "StatsOptions", "What compute_stats() computes: diameter, bisection, seed, threads.");
  kwargs_init(so);
  so.def_readwrite("diameter", &StatsOptions::diameter)
      .def_readwrite("bisection", &StatsOptions::bisection)
      .def_readwrite("seed", &StatsOptions::seed)
      .def_readwrite("bisection_starts", &StatsOptions::bisection_starts)
      .def_readwrite("threads", &StatsOptions::threads);
  m.def("compute_stats",
        [](const model::TopologyView& v, const StatsOptions& o) {
          py::gil_scoped_release nogil;
          return compute_stats(v, o);
        },
        py::arg("view"), py::arg("options") = StatsOptions{}, "Statistics of a snapshot (GIL released).");
  m.def("format_stats", &format_stats, py::arg("stats"), "Multi-line \"name: value\" summary.");
}

} // namespace ofmf::python
