// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

// Helpers shared by the binding files: turning ofmf::Error into the
// ofmf.OfmfError subclasses, keyword constructors for aggregates, and
// zero-copy arrays over library-owned memory.

#include <pybind11/pybind11.h>
#include <pybind11/operators.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>
#include <string>
#include <utility>

#include "ofmf/error.hpp"

namespace ofmf::python {

namespace py = pybind11;

/// Creates the exception classes (OfmfError and one subclass per errc) in
/// `m`. Called once, before the layers are bound.
void bind_errors(py::module_& m);

/// Raises the ofmf.OfmfError subclass of `e.code` with e.message and
/// `.code` (the errc or errno value), `.category` ("ofmf", "system", ...).
/// Needs the GIL.
[[noreturn]] void raise_error(const Error& e);

/// The value of a Result, or raise_error().
template <class T>
T unwrap(Result<T>&& r) {
  if (!r) raise_error(r.error());
  return std::move(*r);
}
inline void unwrap(Result<void>&& r) {
  if (!r) raise_error(r.error());
}

/// Adds `__init__(**kwargs)` to an aggregate bound with def_readwrite:
/// T() with each keyword assigned to the attribute of that name. Unknown
/// keywords raise TypeError naming the keyword.
template <class T, class... Extra>
void kwargs_init(py::class_<T, Extra...>& cls) {
  cls.def(py::init([](const py::kwargs& kw) {
            py::object self = py::cast(T{});
            for (auto item : kw) {
              const std::string key = py::str(item.first);
              if (!py::hasattr(self, item.first) || key.empty() || key.front() == '_') {
                throw py::type_error(std::string(py::str(py::type::of(self).attr("__name__"))) +
                                     "() got an unexpected keyword argument '" + key + "'");
              }
              self.attr(item.first) = item.second;
            }
            return self.cast<T>();
          }),
          "Default values; each keyword sets the attribute of that name.");
}

/// A read-only or writable 1-D/2-D array over memory owned by `owner`
/// (a Python object that keeps the memory alive). Returned as a numpy
/// array when numpy can be imported, else as a memoryview.
/// `storage` may hold the memory instead of (or besides) `owner`.
py::object make_array(py::object owner, std::shared_ptr<const void> storage, const void* data,
                      std::size_t itemsize, const std::string& format, std::vector<py::ssize_t> shape,
                      bool readonly = true);

template <class T>
py::object make_array(py::object owner, const T* data, std::vector<py::ssize_t> shape, bool readonly = true) {
  return make_array(std::move(owner), nullptr, data, sizeof(T), py::format_descriptor<T>::format(),
                    std::move(shape), readonly);
}

/// `v` moved into an array (numpy when present).
template <class T>
py::object vector_array(std::vector<T> v) {
  auto storage = std::make_shared<const std::vector<T>>(std::move(v));
  const T* data = storage->data();
  const auto n = static_cast<py::ssize_t>(storage->size());
  return make_array(py::none(), storage, data, sizeof(T), py::format_descriptor<T>::format(), {n}, true);
}

} // namespace ofmf::python

namespace ofmf::model {
class Fabric;
class TopologyView;
struct Node;
} // namespace ofmf::model

namespace ofmf::python {

/// Registers ofmf.ViewPort and ofmf.NodePort (ports.cpp).
void bind_port_views(py::module_& m);
/// Ports 0..num_ports of view node `node` (checked by the caller) as a list
/// of ViewPort objects pointing into `v`, which `owner` (the Python object
/// of the view) keeps alive.
py::list view_port_list(py::handle owner, const model::TopologyView& v, std::uint32_t node);
/// Ports of `n` as a list of NodePort objects pointing into `n`, which
/// `owner` (the Python object holding that Node, never mutated) keeps alive.
py::list node_port_list(py::handle owner, const model::Node& n);
/// Column table of the ports of a view (ports 1..N of every node, in view
/// order; with port0 also port 0): dict of arrays (numpy when present).
/// Runs without the GIL.
py::dict view_port_table(const model::TopologyView& v, bool port0);
/// The same for a Fabric, nodes in nodes() order; columns "node" and
/// "peer_node" hold NodeId values (0xffffffff = unlinked).
py::dict fabric_port_table(const model::Fabric& f, bool port0);

void bind_model(py::module_& m);
void bind_topology(py::module_& m);
void bind_routing(py::module_& m);
void bind_backend(py::module_& m);
void bind_redfish(py::module_& m);
void bind_sm(py::module_& m);

} // namespace ofmf::python
