// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Bindings of ofmf::routing: engines, registry, RouteTable (LFTs as
// arrays), analysis, incremental reroute, OpenSM LFT dumps.

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common.hpp"
#include "ofmf/model/fabric.hpp"
#include "ofmf/model/topology_view.hpp"
#include "ofmf/routing/analysis.hpp"
#include "ofmf/routing/engine.hpp"
#include "ofmf/routing/incremental.hpp"
#include "ofmf/routing/lft_dump.hpp"
#include "ofmf/routing/route_table.hpp"

namespace ofmf::python {
namespace {

using namespace ofmf::routing;
using model::TopologyView;
using TablePtr = std::shared_ptr<RouteTable>;

std::uint32_t checked_switch(const RouteTable& t, std::int64_t sw) {
  if (sw < 0 || sw >= std::int64_t(t.switch_count()))
    throw py::index_error("switch index " + std::to_string(sw) + " out of range (switch_count " +
                          std::to_string(t.switch_count()) + ")");
  return std::uint32_t(sw);
}

py::object index_or_none(std::uint32_t i) {
  return i == TopologyView::npos ? py::object(py::none()) : py::object(py::int_(i));
}

} // namespace

void bind_routing(py::module_& m) {
  m.attr("max_unicast_lid") = max_unicast_lid;
  m.attr("no_route") = no_route;
  m.attr("lft_block_size") = lft_block_size;
  m.attr("engine_abi_version") = engine_abi_version;

  py::class_<Options> opt(m, "Options",
                          "Routing settings: lmc, roots (switch GUIDs), threads, max_vls, allow_fallback, lft_file.");
  kwargs_init(opt);
  opt.def_readwrite("lmc", &Options::lmc)
      .def_readwrite("roots", &Options::roots)
      .def_readwrite("threads", &Options::threads)
      .def_readwrite("max_vls", &Options::max_vls)
      .def_readwrite("allow_fallback", &Options::allow_fallback)
      .def_readwrite("lft_file", &Options::lft_file);

  py::class_<LidOwner>(m, "LidOwner", "The port a LID belongs to (view index, port).")
      .def_readonly("node", &LidOwner::node)
      .def_readonly("port", &LidOwner::port)
      .def("valid", &LidOwner::valid)
      .def(py::self == py::self);
  py::class_<SkippedEngine>(m, "SkippedEngine", "An engine of a chain that was not used, and why.")
      .def_readonly("engine", &SkippedEngine::engine)
      .def_property_readonly("message", [](const SkippedEngine& s) { return s.error.message; })
      .def_property_readonly("code", [](const SkippedEngine& s) { return s.error.code.value(); });

  py::class_<RouteTable, TablePtr>(
      m, "RouteTable", py::buffer_protocol(),
      "LIDs and per-switch linear forwarding tables. The buffer protocol exposes the LFTs as a read-only "
      "uint8 array of shape (switch_count(), lid_space()): numpy.asarray(table) or memoryview(table).")
      .def(py::init<>())
      .def_static("create",
                  [](const TopologyView& v, std::uint8_t lmc) { return std::make_shared<RouteTable>(unwrap(RouteTable::create(v, lmc))); },
                  py::arg("view"), py::arg("lmc") = 0,
                  "Assigns LIDs for a view; every LFT entry no_route. Raises InvalidArgumentError, LimitExceededError.")
      .def_buffer([](RouteTable& t) {
        const auto rows = py::ssize_t(t.switch_count());
        const auto cols = py::ssize_t(t.lid_space());
        std::uint8_t* data = rows && cols ? t.lft(0).data() : nullptr;
        static std::uint8_t empty = 0;
        return py::buffer_info(data ? data : &empty, 1, py::format_descriptor<std::uint8_t>::format(), 2,
                               {rows, cols}, {cols, py::ssize_t(1)}, true);
      })
      .def("copy", [](const RouteTable& t) { return std::make_shared<RouteTable>(t); })
      .def("__copy__", [](const RouteTable& t) { return std::make_shared<RouteTable>(t); })
      .def("__deepcopy__", [](const RouteTable& t, py::dict) { return std::make_shared<RouteTable>(t); },
           py::arg("memo"))
      .def("lmc", &RouteTable::lmc)
      .def("view_fingerprint", &RouteTable::view_fingerprint,
           "TopologyView.fingerprint() of the view the table was created for (0: a table made with RouteTable()).")
      .def("check_view",
           [](const RouteTable& t, const TopologyView& v) { unwrap(t.check_view(v, "check_view")); }, py::arg("view"),
           "Raises InvalidArgumentError unless the table was computed on view (or one of the same structure).")
      .def("max_lid", &RouteTable::max_lid, "Highest assigned LID (0 when none).")
      .def("lid_space", &RouteTable::lid_space, "Entries per LFT (max_lid()+1 rounded up to 64).")
      .def("switch_count", &RouteTable::switch_count)
      .def("switch_guid", [](const RouteTable& t, std::int64_t sw) { return t.switch_guid(checked_switch(t, sw)); },
           py::arg("switch"))
      .def("owner", &RouteTable::owner, py::arg("lid"), "Owner of a LID (invalid LidOwner when unassigned).")
      .def("base_lid", &RouteTable::base_lid, py::arg("node"), py::arg("port"), "Base LID of a port, 0 when none.")
      .def("lid_count", &RouteTable::lid_count, py::arg("node"), py::arg("port"))
      .def("lfts",
           [](const TablePtr& t) {
             const auto rows = py::ssize_t(t->switch_count());
             const auto cols = py::ssize_t(t->lid_space());
             const std::uint8_t* data = rows && cols ? t->lft(0).data() : nullptr;
             return make_array(py::cast(t), data, {rows, cols});
           },
           "Every LFT: a read-only uint8 array (switch_count(), lid_space()) over the table's memory "
           "(numpy when present, else memoryview); it keeps the table alive.")
      .def("lft",
           [](const TablePtr& t, std::int64_t sw) {
             auto s = std::as_const(*t).lft(checked_switch(*t, sw));
             return make_array(py::cast(t), s.data(), {py::ssize_t(s.size())});
           },
           py::arg("switch"), "LFT of one switch: read-only uint8 array of lid_space() entries (0 = the switch, "
                              "255 = no route).")
      .def("out_port",
           [](const RouteTable& t, std::int64_t sw, std::uint32_t lid) { return t.out_port(checked_switch(t, sw), lid); },
           py::arg("switch"), py::arg("lid"))
      .def("set_out_port",
           [](RouteTable& t, std::int64_t sw, std::uint32_t lid, std::uint8_t port) {
             t.set_out_port(checked_switch(t, sw), lid, port);
           },
           py::arg("switch"), py::arg("lid"), py::arg("port"), "Sets one entry (ignored when lid is out of range).")
      .def("block_count", &RouteTable::block_count)
      .def("lft_block",
           [](const TablePtr& t, std::int64_t sw, std::int64_t block) {
             const auto s = checked_switch(*t, sw);
             if (block < 0 || std::size_t(block) >= t->block_count())
               throw py::index_error("block " + std::to_string(block) + " out of range (block_count " +
                                     std::to_string(t->block_count()) + ")");
             auto b = t->lft_block(s, std::size_t(block));
             return make_array(py::cast(t), b.data(), {py::ssize_t(b.size())});
           },
           py::arg("switch"), py::arg("block"), "Entries block*64..block*64+63 of a switch.")
      .def("changed_blocks", &RouteTable::changed_blocks, py::arg("old"),
           "Per switch, the block numbers that differ from old.")
      .def("engine", &RouteTable::engine, "Engine that produced the table.")
      .def("set_engine", &RouteTable::set_engine, py::arg("name"))
      .def("skipped", [](const RouteTable& t) { return t.skipped(); }, "Engines of a chain tried before engine().")
      .def("has_sl", &RouteTable::has_sl)
      .def("enable_sl", &RouteTable::enable_sl)
      .def("switch_path_sl", &RouteTable::switch_path_sl, py::arg("src_switch"), py::arg("dlid"))
      .def("set_switch_path_sl", &RouteTable::set_switch_path_sl, py::arg("src_switch"), py::arg("dlid"), py::arg("sl"))
      .def("ingress_switch", [](const RouteTable& t, std::uint32_t lid) { return index_or_none(t.ingress_switch(lid)); },
           py::arg("lid"), "Switch where packets from lid enter the fabric, or None.")
      .def("path_sl", &RouteTable::path_sl, py::arg("slid"), py::arg("dlid"))
      .def("has_sl2vl", &RouteTable::has_sl2vl)
      .def("enable_sl2vl", &RouteTable::enable_sl2vl, py::arg("view"))
      .def("vl", &RouteTable::vl, py::arg("switch"), py::arg("in_port"), py::arg("out_port"), py::arg("sl"))
      .def("set_vl", &RouteTable::set_vl, py::arg("switch"), py::arg("in_port"), py::arg("out_port"), py::arg("sl"),
           py::arg("vl"))
      .def("fill_sl2vl", &RouteTable::fill_sl2vl, py::arg("sl_to_vl"), "Every SL-to-VL table: SL s -> sl_to_vl[s].")
      .def("memory_bytes", &RouteTable::memory_bytes)
      .def("__repr__", [](const RouteTable& t) {
        return "<ofmf.RouteTable: engine '" + t.engine() + "', " + std::to_string(t.switch_count()) +
               " switches, max LID " + std::to_string(t.max_lid()) + ">";
      });

  py::class_<Engine, std::shared_ptr<Engine>>(m, "Engine", "A routing engine (pure: view in, table out).")
      .def("name", [](const Engine& e) { return std::string(e.name()); })
      .def("compute",
           [](const Engine& e, const TopologyView& v, const Options& o) {
             Result<RouteTable> r = [&] {
               py::gil_scoped_release nogil;
               return e.compute(v, o);
             }();
             return std::make_shared<RouteTable>(unwrap(std::move(r)));
           },
           py::arg("view"), py::arg("options") = Options{},
           "Assigns LIDs and fills every LFT (GIL released). Raises the engine's errors.")
      .def("assign_vls",
           [](const Engine& e, const TopologyView& v, const Options& o, RouteTable& t) {
             Result<void> r = [&] {
               py::gil_scoped_release nogil;
               return e.assign_vls(v, o, t);
             }();
             unwrap(std::move(r));
           },
           py::arg("view"), py::arg("options"), py::arg("table"), "Fills path SLs and SL2VL; NotSupportedError if the "
                                                                  "engine has no VL hook.")
      .def("__repr__", [](const Engine& e) { return "<ofmf.Engine '" + std::string(e.name()) + "'>"; });

  py::class_<EngineRegistry>(m, "EngineRegistry", "Named engine factories (a value; copying copies the list).")
      .def(py::init<>(), "An empty registry.")
      .def_static("builtin", &EngineRegistry::builtin, "A registry with the built-in engines.")
      .def("create",
           [](const EngineRegistry& r, std::string_view name) {
             return std::shared_ptr<Engine>(unwrap(r.create(name)));
           },
           py::arg("name"), "A new engine. Raises NotFoundError.")
      .def("contains", &EngineRegistry::contains, py::arg("name"))
      .def("__contains__", &EngineRegistry::contains, py::arg("name"))
      .def("names", &EngineRegistry::names)
      .def("load_plugin", [](EngineRegistry& r, const std::string& path) { return unwrap(r.load_plugin(path)); },
           py::arg("path"), "Loads libofmf-<name>.so; returns the engine name.");

  m.def("compute_chain",
        [](const EngineRegistry& reg, std::string_view chain, const TopologyView& v, const Options& o) {
          Result<RouteTable> r = [&] {
            py::gil_scoped_release nogil;
            return compute_chain(reg, chain, v, o);
          }();
          return std::make_shared<RouteTable>(unwrap(std::move(r)));
        },
        py::arg("registry"), py::arg("chain"), py::arg("view"), py::arg("options") = Options{},
        "Runs the engines of a comma-separated chain (\"updn,minhop\") in order (GIL released); the table "
        "records the engine used. Raises InvalidArgumentError, NotFoundError, the last engine's error.");

  py::class_<LidPair>(m, "LidPair", "A source/destination LID pair.")
      .def_readonly("source", &LidPair::source)
      .def_readonly("destination", &LidPair::destination)
      .def("__repr__", [](LidPair p) {
        return "LidPair(" + std::to_string(p.source) + ", " + std::to_string(p.destination) + ")";
      });
  py::class_<Channel>(m, "Channel", "A directed switch-to-switch link (index into all_edges()) on one VL.")
      .def_readonly("edge", &Channel::edge)
      .def_readonly("vl", &Channel::vl);
  py::class_<AnalysisOptions> ao(m, "AnalysisOptions", "threads, max_examples.");
  kwargs_init(ao);
  ao.def_readwrite("threads", &AnalysisOptions::threads).def_readwrite("max_examples", &AnalysisOptions::max_examples);

  using AnalysisPtr = std::shared_ptr<Analysis>;
  py::class_<Analysis, AnalysisPtr>(m, "Analysis", "Results of analyze().")
      .def_readonly("endpoint_ports", &Analysis::endpoint_ports)
      .def_readonly("pairs", &Analysis::pairs)
      .def_readonly("unreachable", &Analysis::unreachable)
      .def_readonly("unreachable_examples", &Analysis::unreachable_examples)
      .def_readonly("loops", &Analysis::loops)
      .def_readonly("non_minimal", &Analysis::non_minimal)
      .def_readonly("max_extra_hops", &Analysis::max_extra_hops)
      .def_readonly("max_stretch", &Analysis::max_stretch)
      .def_readonly("min_distinct_paths", &Analysis::min_distinct_paths)
      .def_readonly("mean_distinct_paths", &Analysis::mean_distinct_paths)
      .def_property_readonly(
          "link_load",
          [](const AnalysisPtr& a) {
            return make_array(py::cast(a), a->link_load.data(), {py::ssize_t(a->link_load.size())});
          },
          "Flows per directed link, indexed like TopologyView.all_edges(): read-only uint64 array (numpy when "
          "present) that keeps the Analysis alive.")
      .def_readonly("max_load", &Analysis::max_load)
      .def_readonly("mean_load", &Analysis::mean_load)
      .def_readonly("stddev_load", &Analysis::stddev_load)
      .def_readonly("cdg_acyclic", &Analysis::cdg_acyclic)
      .def_readonly("cdg_cycle", &Analysis::cdg_cycle)
      .def_readonly("vls_with_cycle", &Analysis::vls_with_cycle)
      .def_readonly("vls_used", &Analysis::vls_used)
      .def("complete", &Analysis::complete, "Every pair delivered and no loop.");

  m.def("analyze",
        [](const TopologyView& v, const RouteTable& t, const AnalysisOptions& o) {
          Result<Analysis> a = [&] {
            py::gil_scoped_release nogil;
            return analyze(v, t, o);
          }();
          return std::make_shared<Analysis>(unwrap(std::move(a)));
        },
        py::arg("view"), py::arg("table"), py::arg("options") = AnalysisOptions{},
        "Walks the LFTs of table on view (GIL released): reachability, loops, stretch, link load, CDG cycles. "
        "Raises InvalidArgumentError when table was computed on another fabric.");

  py::class_<LftBlock>(m, "LftBlock", "New contents of one 64-entry LFT block.")
      .def(py::init<>())
      .def_readwrite("block", &LftBlock::block)
      .def_readwrite("ports", &LftBlock::ports);
  py::class_<SwitchBlocks>(m, "SwitchBlocks", "The blocks to program on one switch.")
      .def(py::init<>())
      .def_readwrite("guid", &SwitchBlocks::guid)
      .def_readwrite("index", &SwitchBlocks::index)
      .def_readwrite("blocks", &SwitchBlocks::blocks);

  using ReroutePtr = std::shared_ptr<Reroute>;
  py::class_<Reroute, ReroutePtr>(m, "Reroute", "What reroute() returns.")
      .def_property_readonly("table", [](const ReroutePtr& r) { return TablePtr(r, &r->table); },
                             "The complete new RouteTable (keeps this Reroute alive).")
      .def_readonly("delta", &Reroute::delta)
      .def_readonly("incremental", &Reroute::incremental)
      .def_readonly("full_reason", &Reroute::full_reason)
      .def_readonly("affected_lids", &Reroute::affected_lids);

  m.def("reroute",
        [](const Engine& e, const TopologyView& old_view, const RouteTable& old, const TopologyView& new_view,
           const Options& o, std::optional<std::vector<model::Change>> changes) {
          Result<Reroute> r = [&] {
            py::gil_scoped_release nogil;
            return changes ? reroute(e, old_view, old, new_view, std::span<const model::Change>(*changes), o)
                           : reroute(e, old_view, old, new_view, o);
          }();
          return std::make_shared<Reroute>(unwrap(std::move(r)));
        },
        py::arg("engine"), py::arg("old_view"), py::arg("old"), py::arg("new_view"), py::arg("options") = Options{},
        py::arg("changes") = py::none(),
        "Recomputes only what changed between two snapshots (GIL released); LIDs stay stable. `changes` are "
        "the Change objects an observer saw between them (optional).");
  m.def("lft_delta", &lft_delta, py::arg("table"), py::arg("old"), "Blocks of table that differ from old.");
  m.def("store_lids",
        [](model::Fabric& f, const TopologyView& v, const RouteTable& t) { unwrap(store_lids(f, v, t)); },
        py::arg("fabric"), py::arg("view"), py::arg("table"), "Writes the table's LIDs into the fabric's ports.");

  py::class_<DumpedLft>(m, "DumpedLft", "One switch of a parsed opensm-lfts.dump.")
      .def_readonly("guid", &DumpedLft::guid)
      .def_readonly("lid", &DumpedLft::lid)
      .def_readonly("description", &DumpedLft::description)
      .def_property_readonly("ports", [](py::object self) {
        const auto& d = self.cast<const DumpedLft&>();
        return make_array(self, d.ports.data(), {py::ssize_t(d.ports.size())});
      }, "Out port per LID 0..max LID (uint8 array; 255 = no line).");
  m.def("format_lft_dump",
        [](const TopologyView& v, const RouteTable& t) { return unwrap(format_lft_dump(v, t)); }, py::arg("view"),
        py::arg("table"),
        "Every LFT in OpenSM's opensm-lfts.dump format. Raises InvalidArgumentError when table was computed on "
        "another fabric.");
  m.def("parse_lft_dump",
        [](std::string_view text, std::string_view source) { return unwrap(parse_lft_dump(text, source)); },
        py::arg("text"), py::arg("source") = "<input>", "Parses a dump. Raises ParseError.");
}

} // namespace ofmf::python
