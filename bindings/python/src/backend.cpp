// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Bindings of ofmf::backend: make_backend, Backend, Session (discover,
// apply, read_counters with the GIL released).

#include <pybind11/chrono.h>

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common.hpp"
#include "ofmf/backend/backend.hpp"

namespace ofmf::python {
namespace {

using namespace ofmf::backend;
using SessionPtr = std::shared_ptr<Session>;

// Bridges a Python progress callback into a ProgressFn called with the GIL
// released: the callback runs with the GIL re-acquired; the first
// exception it raises is kept (later calls are skipped) and raised when
// the operation returns.
struct ProgressBridge {
  py::object fn;
  std::optional<py::error_already_set> error;

  ProgressFn make() {
    if (fn.is_none()) return {};
    return [this](const Progress& p) {
      py::gil_scoped_acquire gil;
      if (error) return;
      try {
        fn(std::string(p.phase), p.done, p.total);
      } catch (py::error_already_set& e) {
        error.emplace(std::move(e));
      }
    };
  }
  void rethrow() {
    if (error) {
      py::error_already_set e = std::move(*error);
      error.reset();
      throw e;
    }
  }
};

py::object errc_of(const Error& e) {
  if (e.code.category() == category()) return py::cast(static_cast<errc>(e.code.value()));
  return py::none();
}

} // namespace

void bind_backend(py::module_& m) {
  py::class_<Capability>(m, "Capability", "Something a backend can reach (a device port, a provider, a file).")
      .def_readonly("name", &Capability::name)
      .def_readonly("detail", &Capability::detail)
      .def_readonly("properties", &Capability::properties)
      .def("__repr__", [](const Capability& c) { return "Capability('" + c.name + "': " + c.detail + ")"; });

  py::class_<Config> cfg(m, "Config",
                         "Settings of Backend.open(): device, port, timeout (timedelta or seconds), retries, window, "
                         "options (dict of str; each backend documents its keys and refuses others).");
  kwargs_init(cfg);
  cfg.def_readwrite("device", &Config::device)
      .def_readwrite("port", &Config::port)
      .def_readwrite("timeout", &Config::timeout)
      .def_readwrite("retries", &Config::retries)
      .def_readwrite("window", &Config::window)
      .def_readwrite("gone_after", &Config::gone_after)
      .def_readwrite("options", &Config::options);

  py::class_<Problem>(m, "Problem", "Something that did not answer or answered nonsense; the operation went on.")
      .def_readonly("where", &Problem::where)
      .def_property_readonly("message", [](const Problem& p) { return p.error.message; })
      .def_property_readonly("code", [](const Problem& p) { return p.error.code.value(); })
      .def_property_readonly("category", [](const Problem& p) { return std::string(p.error.code.category().name()); })
      .def_property_readonly("errc", [](const Problem& p) { return errc_of(p.error); })
      .def("__repr__", [](const Problem& p) { return "Problem(" + p.where + ": " + p.error.message + ")"; });

  py::class_<Statistics>(m, "Statistics", "Counts of a session's traffic.")
      .def_readonly("sent", &Statistics::sent)
      .def_readonly("received", &Statistics::received)
      .def_readonly("retries", &Statistics::retries)
      .def_readonly("timeouts", &Statistics::timeouts)
      .def_readonly("rejected", &Statistics::rejected)
      .def_readonly("elapsed_ms", &Statistics::elapsed_ms);

  py::class_<LostAnswer>(m, "LostAnswer", "A discovery request that got no answer after the resends.")
      .def_readonly("node", &LostAnswer::node)
      .def_readonly("description", &LostAnswer::description)
      .def_readonly("port", &LostAnswer::port)
      .def_readonly("attribute", &LostAnswer::attribute)
      .def_readonly("behind", &LostAnswer::behind)
      .def_readonly("path", &LostAnswer::path)
      .def("__repr__", [](const LostAnswer& l) {
        return "LostAnswer(" + l.attribute + (l.behind ? " behind " : " of ") + model::format_guid(l.node) +
               " port " + std::to_string(l.port) + ")";
      });

  py::class_<KeptNode>(m, "KeptNode", "A node lost answers hid, kept in the model as last seen.")
      .def_readonly("guid", &KeptNode::guid)
      .def_readonly("description", &KeptNode::description)
      .def_readonly("unanswered", &KeptNode::unanswered)
      .def("__repr__", [](const KeptNode& k) {
        return "KeptNode(" + model::format_guid(k.guid) + ", unanswered " + std::to_string(k.unanswered) + ")";
      });

  using DeltaPtr = std::shared_ptr<TopologyDelta>;
  py::class_<TopologyDelta, DeltaPtr>(m, "TopologyDelta", "What Session.discover() returns.")
      .def_property_readonly("fabric",
                             [](const DeltaPtr& d) { return std::shared_ptr<model::Fabric>(d, &d->fabric); },
                             "The discovered Fabric (shares ownership with this object).")
      .def_readonly("problems", &TopologyDelta::problems)
      .def_readonly("statistics", &TopologyDelta::statistics)
      .def_readonly("local_port_guid", &TopologyDelta::local_port_guid)
      .def_readonly("lost", &TopologyDelta::lost)
      .def_readonly("kept", &TopologyDelta::kept)
      .def_readonly("kept_links", &TopologyDelta::kept_links)
      .def_readonly("kept_ports", &TopologyDelta::kept_ports);

  py::class_<ApplyOptions> ao(m, "ApplyOptions",
                              "What Session.apply() programs: assign_lids, program_pkeys, program_sl2vl, activate, "
                              "verify (the blocks to program are apply()'s `only` argument).");
  kwargs_init(ao);
  ao.def_readwrite("assign_lids", &ApplyOptions::assign_lids)
      .def_readwrite("program_pkeys", &ApplyOptions::program_pkeys)
      .def_readwrite("program_sl2vl", &ApplyOptions::program_sl2vl)
      .def_readwrite("activate", &ApplyOptions::activate)
      .def_readwrite("verify", &ApplyOptions::verify);

  py::class_<ApplyReport>(m, "ApplyReport", "What Session.apply() did.")
      .def_readonly("lids_set", &ApplyReport::lids_set)
      .def_readonly("lft_blocks", &ApplyReport::lft_blocks)
      .def_readonly("pkey_blocks", &ApplyReport::pkey_blocks)
      .def_readonly("sl2vl_tables", &ApplyReport::sl2vl_tables)
      .def_readonly("ports_activated", &ApplyReport::ports_activated)
      .def_readonly("verified", &ApplyReport::verified)
      .def_readonly("problems", &ApplyReport::problems)
      .def_readonly("statistics", &ApplyReport::statistics);

  py::class_<Session, SessionPtr>(m, "Session",
                                  "An open connection to a fabric through one local device. Keeps its Backend "
                                  "alive. One thread at a time.")
      .def("discover",
           [](Session& s, py::object progress) {
             ProgressBridge bridge{std::move(progress), {}};
             Result<TopologyDelta> r = [&] {
               py::gil_scoped_release nogil;
               return s.discover(bridge.make());
             }();
             bridge.rethrow();
             return std::make_shared<TopologyDelta>(unwrap(std::move(r)));
           },
           py::arg("progress") = py::none(),
           "Walks the fabric (GIL released) and returns a TopologyDelta. progress(phase: str, done: int, total: "
           "int) is called with the GIL held; an exception it raises is raised after the walk. Raises "
           "UnavailableError, DeviceTimeoutError.")
      .def("apply",
           [](Session& s, const model::Fabric& f, const routing::RouteTable& t, ApplyOptions o,
              std::optional<std::vector<routing::SwitchBlocks>> only, py::object progress) {
             ProgressBridge bridge{std::move(progress), {}};
             std::vector<routing::SwitchBlocks> blocks = only ? std::move(*only) : std::vector<routing::SwitchBlocks>{};
             o.only = std::span<const routing::SwitchBlocks>(blocks);
             Result<ApplyReport> r = [&] {
               py::gil_scoped_release nogil;
               return s.apply(f, t, o, bridge.make());
             }();
             bridge.rethrow();
             return unwrap(std::move(r));
           },
           py::arg("fabric"), py::arg("table"), py::arg("options") = ApplyOptions{}, py::arg("only") = py::none(),
           py::arg("progress") = py::none(),
           "Programs LIDs, LFTs (all, or the SwitchBlocks in `only`, e.g. Reroute.delta), P_Keys, SL2VL (GIL "
           "released). The fabric and table must not be used by other threads meanwhile. Raises "
           "NotSupportedError for backends that cannot manage a subnet.")
      .def("read_counters",
           [](Session& s, model::Fabric& f, py::object progress) {
             ProgressBridge bridge{std::move(progress), {}};
             Result<std::vector<Problem>> r = [&] {
               py::gil_scoped_release nogil;
               return s.read_counters(f, bridge.make());
             }();
             bridge.rethrow();
             return unwrap(std::move(r));
           },
           py::arg("fabric"), py::arg("progress") = py::none(),
           "Reads the counters of every port with a LID into the fabric (GIL released); returns the problems.")
      .def("statistics", &Session::statistics);

  py::class_<Backend, std::shared_ptr<Backend>>(m, "Backend", "A kind of hardware access (umad, verbs, ofi, sim).")
      .def("name", [](const Backend& b) { return std::string(b.name()); })
      .def("probe",
           [](const Backend& b) {
             Result<std::vector<Capability>> r = [&] {
               py::gil_scoped_release nogil;
               return b.probe();
             }();
             return unwrap(std::move(r));
           },
           "What this backend can reach on this host; an empty list when nothing.")
      .def("open",
           [](const Backend& b, const Config& c) {
             Result<std::unique_ptr<Session>> r = [&] {
               py::gil_scoped_release nogil;
               return b.open(c);
             }();
             return SessionPtr(unwrap(std::move(r)));
           },
           py::arg("config") = Config{}, py::keep_alive<0, 1>(),
           "Opens a Session. Raises UnavailableError, InvalidArgumentError.")
      .def("__repr__", [](const Backend& b) { return "<ofmf.Backend '" + std::string(b.name()) + "'>"; });

  m.def("builtin_backends",
        [] {
          std::vector<std::string> out;
          for (std::string_view n : builtin_backends()) out.emplace_back(n);
          return out;
        },
        "Names of the backends compiled in, in preference order.");
  m.def("make_backend",
        [](std::string_view name) { return std::shared_ptr<Backend>(unwrap(make_backend(name))); }, py::arg("name"),
        "A built-in backend by name. Raises NotFoundError listing the compiled-in ones.");
}

} // namespace ofmf::python
