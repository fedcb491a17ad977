// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Bindings of ofmf::redfish: render / import, mockup folders, Tree with
// resources as Python dicts (JSON values converted both ways).

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common.hpp"
#include "ofmf/redfish/import.hpp"
#include "ofmf/redfish/mockup.hpp"
#include "ofmf/redfish/render.hpp"
#include "ofmf/redfish/tree.hpp"

namespace ofmf::python {
namespace {

using namespace ofmf::redfish;
using nlohmann::json;
using TreePtr = std::shared_ptr<Tree>;

constexpr int max_depth = 256;  // nesting accepted from Python objects

py::object to_py(const json& j) {
  switch (j.type()) {
    case json::value_t::null: return py::none();
    case json::value_t::boolean: return py::bool_(j.get<bool>());
    case json::value_t::number_integer: return py::int_(j.get<std::int64_t>());
    case json::value_t::number_unsigned: return py::int_(j.get<std::uint64_t>());
    case json::value_t::number_float: return py::float_(j.get<double>());
    case json::value_t::string: return py::str(j.get_ref<const std::string&>());
    case json::value_t::array: {
      py::list out;
      for (const json& e : j) out.append(to_py(e));
      return out;
    }
    case json::value_t::object: {
      py::dict out;
      for (auto it = j.begin(); it != j.end(); ++it) out[py::str(it.key())] = to_py(it.value());
      return out;
    }
    default: return py::none();  // binary / discarded: never produced by the library
  }
}

json from_py(py::handle h, int depth = 0) {
  if (depth > max_depth) throw py::value_error("JSON value nested more than 256 levels deep");
  if (h.is_none()) return nullptr;
  if (py::isinstance<py::bool_>(h)) return h.cast<bool>();
  if (py::isinstance<py::int_>(h)) {
    try {
      if (h.cast<py::int_>() < py::int_(0)) return h.cast<std::int64_t>();
      return h.cast<std::uint64_t>();
    } catch (py::cast_error&) {
      throw py::value_error("integer " + std::string(py::repr(h)) + " outside the JSON range (-2^63..2^64-1)");
    }
  }
  if (py::isinstance<py::float_>(h)) return h.cast<double>();
  if (py::isinstance<py::str>(h)) return h.cast<std::string>();
  if (py::isinstance<py::dict>(h)) {
    json out = json::object();
    for (auto item : h.cast<py::dict>()) {
      if (!py::isinstance<py::str>(item.first))
        throw py::type_error("JSON object keys must be str, not " +
                             std::string(py::str(py::type::of(item.first).attr("__name__"))));
      out[item.first.cast<std::string>()] = from_py(item.second, depth + 1);
    }
    return out;
  }
  if (py::isinstance<py::list>(h) || py::isinstance<py::tuple>(h)) {
    json out = json::array();
    for (py::handle e : h) out.push_back(from_py(e, depth + 1));
    return out;
  }
  throw py::type_error("cannot convert " + std::string(py::str(py::type::of(h).attr("__name__"))) +
                       " to JSON (expected None, bool, int, float, str, list, tuple or dict)");
}

// ImportOptions with the notes pointer filled in for the call.
template <class Fn>
auto with_notes(const ImportOptions& options, std::optional<py::list> notes, Fn fn) {
  std::vector<std::string> lines;
  ImportOptions o = options;
  o.notes = notes ? &lines : nullptr;
  auto r = [&] {
    py::gil_scoped_release nogil;
    return fn(o);
  }();
  if (notes)
    for (const std::string& l : lines) notes->append(py::str(l));
  return r;
}

} // namespace

void bind_redfish(py::module_& m) {
  py::class_<ExportOptions> eo(m, "ExportOptions",
                               "How the model is rendered: fabric_id, mockup_copyright, copyright, metrics, threads.");
  kwargs_init(eo);
  eo.def_readwrite("fabric_id", &ExportOptions::fabric_id)
      .def_readwrite("mockup_copyright", &ExportOptions::mockup_copyright)
      .def_readwrite("copyright", &ExportOptions::copyright)
      .def_readwrite("metrics", &ExportOptions::metrics)
      .def_readwrite("threads", &ExportOptions::threads);

  py::class_<ImportOptions> io(m, "ImportOptions",
                               "Limits of an import: max_resources, max_bytes (all files), max_file_bytes (one "
                               "file), max_depth (nesting of a resource), fabric_id (\"\" = the only fabric). "
                               "Defaulted values are reported through the `notes` argument of the import calls.");
  kwargs_init(io);
  io.def_readwrite("max_resources", &ImportOptions::max_resources)
      .def_readwrite("max_bytes", &ImportOptions::max_bytes)
      .def_readwrite("max_file_bytes", &ImportOptions::max_file_bytes)
      .def_readwrite("max_depth", &ImportOptions::max_depth)
      .def_readwrite("fabric_id", &ImportOptions::fabric_id);

  py::class_<Tree, TreePtr>(m, "Tree",
                            "Redfish resources by URI, in URI order. Resources are converted to and from Python "
                            "dicts on access (tree[uri] returns a new dict each time).")
      .def(py::init<>())
      .def_static("from_dict",
                  [](const py::dict& d) {
                    auto t = std::make_shared<Tree>();
                    for (auto item : d) t->insert_or_assign(py::cast<std::string>(item.first), from_py(item.second));
                    return t;
                  },
                  py::arg("resources"), "A Tree from {uri: resource dict}.")
      .def("to_dict",
           [](const Tree& t) {
             py::dict out;
             for (const auto& [uri, res] : t) out[py::str(uri)] = to_py(res);
             return out;
           },
           "{uri: resource dict} of every resource.")
      .def("__len__", &Tree::size)
      .def("__contains__", [](const Tree& t, std::string_view uri) { return t.contains(uri); }, py::arg("uri"))
      .def("__getitem__",
           [](const Tree& t, std::string_view uri) {
             const json* j = t.find(uri);
             if (!j) throw py::key_error(std::string(uri));
             return to_py(*j);
           },
           py::arg("uri"))
      .def("get",
           [](const Tree& t, std::string_view uri) { const json* j = t.find(uri); return j ? to_py(*j) : py::object(py::none()); },
           py::arg("uri"), "The resource at uri as a dict, or None.")
      .def("__setitem__", [](Tree& t, std::string uri, py::handle res) { t.insert_or_assign(std::move(uri), from_py(res)); },
           py::arg("uri"), py::arg("resource"))
      .def("__delitem__",
           [](Tree& t, std::string_view uri) {
             if (!t.erase(uri)) throw py::key_error(std::string(uri));
           },
           py::arg("uri"))
      .def("insert_or_assign",
           [](Tree& t, std::string uri, py::handle res) { return t.insert_or_assign(std::move(uri), from_py(res)); },
           py::arg("uri"), py::arg("resource"), "Stores a resource; True when the URI was new.")
      .def("erase", [](Tree& t, std::string_view uri) { return t.erase(uri); }, py::arg("uri"))
      .def("clear", &Tree::clear)
      .def("uris",
           [](const Tree& t) {
             std::vector<std::string> out;
             out.reserve(t.size());
             for (const auto& kv : t) out.push_back(kv.first);
             return out;
           },
           "Every URI, in order.")
      .def("__iter__",
           [](const Tree& t) {
             py::list out;
             for (const auto& kv : t) out.append(py::str(kv.first));
             return py::iter(out);
           })
      .def("subtree", [](const Tree& t, std::string_view prefix) { return std::make_shared<Tree>(t.subtree(prefix)); },
           py::arg("prefix"), "A copy of the resources at prefix and below.")
      .def(py::self == py::self)
      .def("__repr__", [](const Tree& t) { return "<ofmf.Tree: " + std::to_string(t.size()) + " resources>"; });

  m.def("is_safe_uri", &is_safe_uri, py::arg("uri"), "True for URIs the library writes or accepts.");
  m.def("last_segment", [](std::string_view uri) { return std::string(last_segment(uri)); }, py::arg("uri"));
  m.def("parent_uri", &parent_uri, py::arg("uri"));

  m.def("render",
        [](const model::Fabric& f, const ExportOptions& o) {
          Result<Tree> r = [&] {
            py::gil_scoped_release nogil;
            return render(f, o);
          }();
          return std::make_shared<Tree>(unwrap(std::move(r)));
        },
        py::arg("fabric"), py::arg("options") = ExportOptions{},
        "Every Redfish resource of the fabric as a Tree (GIL released). Raises InvalidArgumentError.");
  m.def("render_resource",
        [](const model::Fabric& f, std::string_view uri, const ExportOptions& o) {
          return to_py(unwrap(render_resource(f, uri, o)));
        },
        py::arg("fabric"), py::arg("uri"), py::arg("options") = ExportOptions{},
        "One resource as a dict. Raises InvalidArgumentError, NotFoundError.");
  m.def("render_subtree",
        [](const model::Fabric& f, std::string_view prefix, const ExportOptions& o) {
          return std::make_shared<Tree>(unwrap(render_subtree(f, prefix, o)));
        },
        py::arg("fabric"), py::arg("prefix"), py::arg("options") = ExportOptions{});

  py::class_<RefreshResult>(m, "RefreshResult", "What Renderer.refresh() did.")
      .def_readonly("rendered", &RefreshResult::rendered)
      .def_readonly("removed", &RefreshResult::removed);
  py::class_<Renderer, std::shared_ptr<Renderer>>(
      m, "Renderer",
      "Keeps a rendered Tree in step with a Fabric (it observes the fabric and keeps it alive).")
      .def_static("create",
                  [](model::Fabric& f, const ExportOptions& o) {
                    return std::make_shared<Renderer>(unwrap(Renderer::create(f, o)));
                  },
                  py::arg("fabric"), py::arg("options") = ExportOptions{}, py::keep_alive<0, 1>(),
                  "Renders the whole tree once and subscribes to the fabric.")
      .def("refresh", &Renderer::refresh, "Re-renders what changed since the last refresh.")
      .def("tree", [](const Renderer& r) { return std::make_shared<Tree>(r.tree()); }, "A copy of the current tree.")
      .def("options", &Renderer::options)
      .def("pending", &Renderer::pending, "Changes recorded and not yet refreshed.");

  m.def("write_mockup",
        [](const Tree& t, const std::filesystem::path& dir) {
          Result<void> r = [&] {
            py::gil_scoped_release nogil;
            return write_mockup(t, dir);
          }();
          unwrap(std::move(r));
        },
        py::arg("tree"), py::arg("dir"),
        "Writes the tree as a mockup folder, atomically. Raises InvalidArgumentError, AlreadyExistsError, IoError.");
  m.def("write_resources",
        [](const Tree& t, const std::vector<std::string>& uris, const std::filesystem::path& dir) {
          unwrap(write_resources(t, uris, dir));
        },
        py::arg("tree"), py::arg("uris"), py::arg("dir"), "Updates the given resources of a mockup folder.");
  m.def("mockup_file", [](const std::filesystem::path& dir, std::string_view uri) { return unwrap(mockup_file(dir, uri)); },
        py::arg("dir"), py::arg("uri"), "The index.json path of a resource below a mockup root.");
  m.def("read_mockup",
        [](const std::filesystem::path& dir, const ImportOptions& o, std::optional<py::list> notes) {
          return std::make_shared<Tree>(unwrap(with_notes(o, notes, [&](const ImportOptions& io) { return read_mockup(dir, io); })));
        },
        py::arg("dir"), py::arg("options") = ImportOptions{}, py::arg("notes") = py::none(),
        "Reads a mockup folder into a Tree (GIL released).");
  m.def("import_tree",
        [](const Tree& t, const ImportOptions& o, std::optional<py::list> notes) {
          return std::make_shared<model::Fabric>(
              unwrap(with_notes(o, notes, [&](const ImportOptions& io) { return import_tree(t, io); })));
        },
        py::arg("tree"), py::arg("options") = ImportOptions{}, py::arg("notes") = py::none(),
        "Builds the Fabric a Tree describes (GIL released); values the tree lacks are appended to `notes`. "
        "Raises ParseError, InvalidArgumentError, InconsistentError, LimitExceededError.");
  m.def("import_mockup",
        [](const std::filesystem::path& dir, const ImportOptions& o, std::optional<py::list> notes) {
          return std::make_shared<model::Fabric>(
              unwrap(with_notes(o, notes, [&](const ImportOptions& io) { return import_mockup(dir, io); })));
        },
        py::arg("dir"), py::arg("options") = ImportOptions{}, py::arg("notes") = py::none(),
        "read_mockup() then import_tree().");
}

} // namespace ofmf::python
