// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// The ofmf._ofmf extension module: errors, arrays, and one bind_<layer>()
// call per binding file.

#include <array>
#include <string_view>

#include "common.hpp"
#include "ofmf/version.hpp"

namespace ofmf::python {
namespace {

// Python exception classes, indexed by errc value; [0] is OfmfError.
struct ErrorClass {
  errc code;
  const char* name;
  const char* base;  // a builtin exception class besides OfmfError, or nullptr
  const char* doc;
};

constexpr std::array<ErrorClass, 14> error_classes{{
    {errc::invalid_argument, "InvalidArgumentError", "ValueError", "A value is outside what the call accepts."},
    {errc::not_found, "NotFoundError", "LookupError", "An ID, GUID or name that does not exist."},
    {errc::already_exists, "AlreadyExistsError", "ValueError", "Duplicate GUID or name."},
    {errc::out_of_range, "OutOfRangeError", "IndexError", "Port number or index outside its range."},
    {errc::busy, "BusyError", "RuntimeError", "The port is already linked, or the object is in use."},
    {errc::parse_error, "ParseError", "ValueError", "Malformed input text; the message says where."},
    {errc::io_error, "IoError", "OSError", "A file could not be read or written."},
    {errc::not_supported, "NotSupportedError", "NotImplementedError", "An optional feature this object lacks."},
    {errc::limit_exceeded, "LimitExceededError", "ValueError", "Input larger than the configured limit."},
    {errc::inconsistent, "InconsistentError", "ValueError", "Input contradicts itself."},
    {errc::timeout, "DeviceTimeoutError", "TimeoutError", "A device, node or process did not answer in time."},
    {errc::unavailable, "UnavailableError", "RuntimeError", "A device, provider or service is absent or refuses."},
    {errc::protocol_error, "ProtocolError", "RuntimeError", "A peer sent something malformed."},
    {errc::cancelled, "CancelledError", "RuntimeError", "Stopped early on request."},
}};

// Owned references, deliberately never released (module-lifetime).
PyObject* base_error = nullptr;
std::array<PyObject*, 15> by_code{};  // errc value -> class

// A buffer over memory kept alive by `owner` and/or `storage`.
struct ArrayBuffer {
  py::object owner;
  std::shared_ptr<const void> storage;
  const void* data = nullptr;
  std::size_t itemsize = 1;
  std::string format;
  std::vector<py::ssize_t> shape;
  bool readonly = true;
};

py::object& numpy_asarray() {
  // Looked up once; none when numpy is not installed.
  static py::object* fn = [] {
    auto* f = new py::object(py::none());
    try {
      *f = py::module_::import("numpy").attr("asarray");
    } catch (py::error_already_set&) {
      PyErr_Clear();
    }
    return f;
  }();
  return *fn;
}

} // namespace

void bind_errors(py::module_& m) {
  base_error = PyErr_NewExceptionWithDoc(
      "ofmf.OfmfError",
      "Base class of every error the library reports. Attributes: code (int: the ofmf.Errc value, or the "
      "errno for category 'system'), category (str), errc (ofmf.Errc or None), message (str).",
      PyExc_Exception, nullptr);
  if (!base_error) throw py::error_already_set();
  m.attr("OfmfError") = py::handle(base_error);
  by_code[0] = base_error;
  py::module_ builtins = py::module_::import("builtins");
  for (const ErrorClass& c : error_classes) {
    py::tuple bases = py::make_tuple(py::handle(base_error), builtins.attr(c.base));
    const std::string qualified = std::string("ofmf.") + c.name;
    PyObject* cls = PyErr_NewExceptionWithDoc(qualified.c_str(), c.doc, bases.ptr(), nullptr);
    if (!cls) throw py::error_already_set();
    m.attr(c.name) = py::handle(cls);
    by_code[static_cast<std::size_t>(c.code)] = cls;
  }

  py::class_<ArrayBuffer>(m, "_ArrayBuffer", py::buffer_protocol(),
                          "Memory owned by a library object, exposed through the buffer protocol.")
      .def_buffer([](ArrayBuffer& b) {
        std::vector<py::ssize_t> strides(b.shape.size());
        py::ssize_t stride = static_cast<py::ssize_t>(b.itemsize);
        for (std::size_t i = b.shape.size(); i-- > 0;) {
          strides[i] = stride;
          stride *= b.shape[i];
        }
        return py::buffer_info(const_cast<void*>(b.data), static_cast<py::ssize_t>(b.itemsize), b.format,
                               static_cast<py::ssize_t>(b.shape.size()), b.shape, strides, b.readonly);
      });
}

void raise_error(const Error& e) {
  PyObject* cls = base_error;
  py::object errc_value = py::none();
  if (e.code.category() == category()) {
    const int v = e.code.value();
    if (v > 0 && static_cast<std::size_t>(v) < by_code.size() && by_code[static_cast<std::size_t>(v)]) {
      cls = by_code[static_cast<std::size_t>(v)];
      errc_value = py::cast(static_cast<errc>(v));
    }
  }
  py::object exc = py::reinterpret_borrow<py::object>(cls)(py::str(e.message));
  exc.attr("code") = py::int_(e.code.value());
  exc.attr("category") = py::str(e.code.category().name());
  exc.attr("errc") = errc_value;
  exc.attr("message") = py::str(e.message);
  PyErr_SetObject(cls, exc.ptr());
  throw py::error_already_set();
}

py::object make_array(py::object owner, std::shared_ptr<const void> storage, const void* data,
                      std::size_t itemsize, const std::string& format, std::vector<py::ssize_t> shape,
                      bool readonly) {
  ArrayBuffer b;
  b.owner = std::move(owner);
  b.storage = std::move(storage);
  b.data = data;
  b.itemsize = itemsize;
  b.format = format;
  b.shape = std::move(shape);
  b.readonly = readonly;
  py::object buf = py::cast(std::move(b));
  py::object& asarray = numpy_asarray();
  if (!asarray.is_none()) return asarray(buf);
  return py::memoryview(py::reinterpret_borrow<py::buffer>(buf));
}

} // namespace ofmf::python

PYBIND11_MODULE(_ofmf, m) {
  namespace py = pybind11;
  using namespace ofmf::python;
  m.doc() = "ofmf: fabric model, topology formats and generators, routing engines and analysis, "
            "hardware backends. Import the package `ofmf`, which re-exports this module.";
  m.attr("__version__") = ofmf::version_string();
  py::enum_<ofmf::errc>(m, "Errc", "Library error codes (OfmfError.code for category 'ofmf').")
      .value("ok", ofmf::errc::ok)
      .value("invalid_argument", ofmf::errc::invalid_argument)
      .value("not_found", ofmf::errc::not_found)
      .value("already_exists", ofmf::errc::already_exists)
      .value("out_of_range", ofmf::errc::out_of_range)
      .value("busy", ofmf::errc::busy)
      .value("parse_error", ofmf::errc::parse_error)
      .value("io_error", ofmf::errc::io_error)
      .value("not_supported", ofmf::errc::not_supported)
      .value("limit_exceeded", ofmf::errc::limit_exceeded)
      .value("inconsistent", ofmf::errc::inconsistent)
      .value("timeout", ofmf::errc::timeout)
      .value("unavailable", ofmf::errc::unavailable)
      .value("protocol_error", ofmf::errc::protocol_error)
      .value("cancelled", ofmf::errc::cancelled);
  bind_errors(m);
  bind_model(m);
  bind_port_views(m);
  bind_topology(m);
  bind_routing(m);
  bind_backend(m);
  bind_redfish(m);
  bind_sm(m);
}
