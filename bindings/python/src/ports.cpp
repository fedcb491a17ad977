// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Read-only port objects for per-port iteration (ofmf.ViewPort for
// TopologyView.ports(), ofmf.NodePort for Node.ports) and the column
// tables of Fabric.port_table() / TopologyView.port_table().
//
// The port objects are plain CPython types rather than pybind11 classes:
// a million of them are created when iterating over a large fabric, and a
// pybind11 instance costs an instance-map registration, a holder and a
// keep_alive patient per nested attribute. Each object here is a pointer
// to the port inside memory owned by a Python object (the TopologyView or
// the Node) plus a strong reference to that owner; every attribute is
// converted when it is read.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common.hpp"
#include "ofmf/model/fabric.hpp"
#include "ofmf/model/topology_view.hpp"
#include "ofmf/model/types.hpp"

namespace ofmf::python {
namespace {

using model::Port;
using model::PortAttributes;
using model::ViewPort;

struct PortObject {
  PyObject_HEAD
  PyObject* owner;          // strong reference; keeps *port alive
  const void* port;         // ViewPort or Port, inside owner's memory
  std::uint32_t node;       // ViewPort: view index of the node
  std::uint8_t number;      // port number
};

PyTypeObject* view_port_type = nullptr;
PyTypeObject* node_port_type = nullptr;

PortObject* as_port(PyObject* self) { return reinterpret_cast<PortObject*>(self); }

template <class T>
const T& port_of(PyObject* self) {
  return *static_cast<const T*>(as_port(self)->port);
}

const PortAttributes& attrs_of(const ViewPort& p) { return p.attributes; }
const PortAttributes& attrs_of(const Port& p) { return p.attributes; }

// Runs f (which may throw what pybind11 casts throw) for a C slot: the
// exception becomes the pending Python error and nullptr is returned.
template <class F>
PyObject* guarded(F&& f) noexcept {
  try {
    return f();
  } catch (py::error_already_set& e) {
    e.restore();
  } catch (const py::builtin_exception& e) {
    e.set_error();
  } catch (const std::bad_alloc&) {
    PyErr_NoMemory();
  } catch (const std::exception& e) {
    PyErr_SetString(PyExc_RuntimeError, e.what());
  }
  return nullptr;
}

// The Python object of an enum value, created on first use and shared
// afterwards (enum objects are immutable). Module-lifetime references.
template <class E>
PyObject* enum_object(E v) noexcept {
  static std::array<PyObject*, 256> cache{};
  PyObject*& slot = cache[std::size_t(v)];
  if (!slot) {
    slot = guarded([&] { return py::cast(v).release().ptr(); });
    if (!slot) return nullptr;
  }
  Py_INCREF(slot);
  return slot;
}

// Getters shared by both types.
template <class T>
PyObject* get_number(PyObject* self, void*) {
  return PyLong_FromLong(as_port(self)->number);
}
template <class T>
PyObject* get_attributes(PyObject* self, void*) {
  return guarded([&] { return py::cast(attrs_of(port_of<T>(self)), py::return_value_policy::copy).release().ptr(); });
}
template <class T>
PyObject* get_guid(PyObject* self, void*) {
  return PyLong_FromUnsignedLongLong(attrs_of(port_of<T>(self)).guid);
}
template <class T>
PyObject* get_lid(PyObject* self, void*) {
  return PyLong_FromLong(attrs_of(port_of<T>(self)).lid);
}
template <class T>
PyObject* get_lmc(PyObject* self, void*) {
  return PyLong_FromLong(attrs_of(port_of<T>(self)).lmc);
}
template <class T>
PyObject* get_state(PyObject* self, void*) {
  return enum_object(attrs_of(port_of<T>(self)).state);
}
template <class T>
PyObject* get_phys_state(PyObject* self, void*) {
  return enum_object(attrs_of(port_of<T>(self)).phys_state);
}
template <class T>
PyObject* get_width(PyObject* self, void*) {
  return enum_object(attrs_of(port_of<T>(self)).width);
}
template <class T>
PyObject* get_speed(PyObject* self, void*) {
  return enum_object(attrs_of(port_of<T>(self)).speed);
}
template <class T>
PyObject* get_mtu(PyObject* self, void*) {
  return enum_object(attrs_of(port_of<T>(self)).mtu);
}

// ViewPort only.
PyObject* view_get_node(PyObject* self, void*) { return PyLong_FromUnsignedLong(as_port(self)->node); }
PyObject* view_get_peer(PyObject* self, void*) {
  const ViewPort& p = port_of<ViewPort>(self);
  if (!p.linked()) Py_RETURN_NONE;
  return PyLong_FromUnsignedLong(p.peer);
}
PyObject* view_get_peer_port(PyObject* self, void*) { return PyLong_FromLong(port_of<ViewPort>(self).peer_port); }
PyObject* view_linked(PyObject* self, PyObject*) { return PyBool_FromLong(port_of<ViewPort>(self).linked()); }
PyObject* view_repr(PyObject* self) {
  const ViewPort& p = port_of<ViewPort>(self);
  std::string s = "ViewPort(node=" + std::to_string(as_port(self)->node) +
                  ", number=" + std::to_string(unsigned(as_port(self)->number)) +
                  ", lid=" + std::to_string(p.attributes.lid) + ", peer=" +
                  (p.linked() ? std::to_string(p.peer) + ", peer_port=" + std::to_string(unsigned(p.peer_port))
                              : std::string("None")) +
                  ")";
  return PyUnicode_FromStringAndSize(s.data(), Py_ssize_t(s.size()));
}

// NodePort only.
PyObject* node_get_peer(PyObject* self, void*) {
  const Port& p = port_of<Port>(self);
  if (!p.peer) Py_RETURN_NONE;
  return guarded([&] { return py::cast(*p.peer).release().ptr(); });
}
PyObject* node_linked(PyObject* self, PyObject*) { return PyBool_FromLong(port_of<Port>(self).peer.has_value()); }
PyObject* node_repr(PyObject* self) {
  const Port& p = port_of<Port>(self);
  std::string s = "NodePort(" + std::to_string(unsigned(p.number)) + ", lid=" + std::to_string(p.attributes.lid) +
                  ", peer=" +
                  (p.peer ? "PortRef(NodeId(" + std::to_string(p.peer->node.value) + "), " +
                                std::to_string(unsigned(p.peer->port)) + ")"
                          : std::string("None")) +
                  ")";
  return PyUnicode_FromStringAndSize(s.data(), Py_ssize_t(s.size()));
}

void port_dealloc(PyObject* self) {
  PyTypeObject* tp = Py_TYPE(self);
  Py_XDECREF(as_port(self)->owner);
  tp->tp_free(self);
  Py_DECREF(tp);  // heap type: each instance holds a reference
}

// Docstrings: the first line is the signature generate_stub.py reads.
#define OFMF_ATTR_GETSETS(T)                                                                                 \
  {"number", get_number<T>, nullptr, "(self) -> int\n\nPort number (0 = switch management port).", nullptr},   \
  {"attributes", get_attributes<T>, nullptr,                                                                 \
   "(self) -> PortAttributes\n\nA copy of the port's attributes (a new PortAttributes each time).", nullptr}, \
  {"guid", get_guid<T>, nullptr, "(self) -> int\n\nPort GUID.", nullptr},                                     \
  {"lid", get_lid<T>, nullptr, "(self) -> int\n\nBase LID (0 = unassigned).", nullptr},                       \
  {"lmc", get_lmc<T>, nullptr, "(self) -> int\n\nLID mask control.", nullptr},                                \
  {"state", get_state<T>, nullptr, "(self) -> PortState\n\nLogical port state.", nullptr},                    \
  {"phys_state", get_phys_state<T>, nullptr, "(self) -> PhysState\n\nPhysical port state.", nullptr},         \
  {"width", get_width<T>, nullptr, "(self) -> LinkWidth\n\nLink width.", nullptr},                            \
  {"speed", get_speed<T>, nullptr, "(self) -> LinkSpeed\n\nLink speed per lane.", nullptr},                   \
  {"mtu", get_mtu<T>, nullptr, "(self) -> Mtu\n\nMTU.", nullptr}

PyGetSetDef view_getset[] = {
    OFMF_ATTR_GETSETS(ViewPort),
    {"node", view_get_node, nullptr, "(self) -> int\n\nView index of the node the port belongs to.", nullptr},
    {"peer", view_get_peer, nullptr, "(self) -> Optional[int]\n\nView index of the peer node, or None.", nullptr},
    {"peer_port", view_get_peer_port, nullptr, "(self) -> int\n\nPort number on the peer (0 when unlinked).",
     nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr}};
PyMethodDef view_methods[] = {
    {"linked", view_linked, METH_NOARGS, "linked(self: ViewPort) -> bool\n\nTrue when the port has a peer."},
    {nullptr, nullptr, 0, nullptr}};
PyGetSetDef node_getset[] = {
    OFMF_ATTR_GETSETS(Port),
    {"peer", node_get_peer, nullptr, "(self) -> Optional[PortRef]\n\nPortRef at the other end of the link, or None.",
     nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr}};
PyMethodDef node_methods[] = {
    {"linked", node_linked, METH_NOARGS, "linked(self: NodePort) -> bool\n\nTrue when the port has a peer."},
    {nullptr, nullptr, 0, nullptr}};
#undef OFMF_ATTR_GETSETS

constexpr const char* view_doc =
    "A port of a TopologyView, as TopologyView.ports() returns it: read-only, converted when an attribute is "
    "read (guid, lid, lmc, state, phys_state, width, speed, mtu directly, or all as a PortAttributes copy "
    "through attributes), with the peer as a view index. Keeps the view alive. Not constructible.";
constexpr const char* node_doc =
    "A port of a Node, as Node.ports returns it: read-only, converted when an attribute is read (guid, lid, "
    "lmc, state, phys_state, width, speed, mtu directly, or all as a PortAttributes copy through attributes), "
    "with the peer as a PortRef. Keeps the Node alive. Fabric.port() returns a writable Port copy instead. "
    "Not constructible.";

PyTypeObject* make_type(const char* name, const char* doc, PyGetSetDef* getset, PyMethodDef* methods,
                        reprfunc repr) {
  // PyType_Slot.pfunc is void*: the casts are how the C API is meant to be used.
  PyType_Slot slots[] = {{Py_tp_dealloc, reinterpret_cast<void*>(&port_dealloc)},
                         {Py_tp_repr, reinterpret_cast<void*>(repr)},
                         {Py_tp_getset, getset},
                         {Py_tp_methods, methods},
                         {Py_tp_doc, const_cast<char*>(doc)},
                         {0, nullptr}};
  unsigned flags = Py_TPFLAGS_DEFAULT;
#ifdef Py_TPFLAGS_DISALLOW_INSTANTIATION
  flags |= Py_TPFLAGS_DISALLOW_INSTANTIATION;
#endif
  PyType_Spec spec{name, int(sizeof(PortObject)), 0, flags, slots};
  PyObject* t = PyType_FromSpec(&spec);
  if (!t) throw py::error_already_set();
  return reinterpret_cast<PyTypeObject*>(t);
}

PyObject* new_port(PyTypeObject* tp, PyObject* owner, const void* port, std::uint32_t node, std::uint8_t number) {
  PortObject* o = PyObject_New(PortObject, tp);
  if (!o) return nullptr;
  Py_INCREF(owner);
  o->owner = owner;
  o->port = port;
  o->node = node;
  o->number = number;
  return reinterpret_cast<PyObject*>(o);
}

template <class T>
py::list port_list(PyTypeObject* tp, py::handle owner, std::span<const T> ports, std::uint32_t node) {
  py::list out(ports.size());
  for (std::size_t j = 0; j < ports.size(); ++j) {
    PyObject* o = new_port(tp, owner.ptr(), &ports[j], node, std::uint8_t(j));
    if (!o) throw py::error_already_set();
    PyList_SET_ITEM(out.ptr(), Py_ssize_t(j), o);
  }
  return out;
}

// Column storage of a port table.
struct Columns {
  std::vector<std::uint32_t> node;
  std::vector<std::uint8_t> port;
  std::vector<std::uint64_t> guid;
  std::vector<std::uint16_t> lid;
  std::vector<std::uint8_t> lmc, state, phys_state, width, speed, mtu;
  std::vector<std::uint32_t> peer;
  std::vector<std::uint8_t> peer_port;

  void reserve(std::size_t n) {
    node.reserve(n), port.reserve(n), guid.reserve(n), lid.reserve(n), lmc.reserve(n), state.reserve(n);
    phys_state.reserve(n), width.reserve(n), speed.reserve(n), mtu.reserve(n), peer.reserve(n);
    peer_port.reserve(n);
  }
  void add(std::uint32_t n, std::uint8_t p, const PortAttributes& a, std::uint32_t peer_node, std::uint8_t pp) {
    node.push_back(n), port.push_back(p), guid.push_back(a.guid), lid.push_back(a.lid), lmc.push_back(a.lmc);
    state.push_back(std::uint8_t(a.state)), phys_state.push_back(std::uint8_t(a.phys_state));
    width.push_back(std::uint8_t(a.width)), speed.push_back(std::uint8_t(a.speed)), mtu.push_back(std::uint8_t(a.mtu));
    peer.push_back(peer_node), peer_port.push_back(pp);
  }
  py::dict to_dict(const char* node_key, const char* peer_key) && {
    py::dict d;
    d[node_key] = vector_array(std::move(node));
    d["port"] = vector_array(std::move(port));
    d["guid"] = vector_array(std::move(guid));
    d["lid"] = vector_array(std::move(lid));
    d["lmc"] = vector_array(std::move(lmc));
    d["state"] = vector_array(std::move(state));
    d["phys_state"] = vector_array(std::move(phys_state));
    d["width"] = vector_array(std::move(width));
    d["speed"] = vector_array(std::move(speed));
    d["mtu"] = vector_array(std::move(mtu));
    d[peer_key] = vector_array(std::move(peer));
    d["peer_port"] = vector_array(std::move(peer_port));
    return d;
  }
};

} // namespace

void bind_port_views(py::module_& m) {
  view_port_type = make_type("ofmf._ofmf.ViewPort", view_doc, view_getset, view_methods, view_repr);
  node_port_type = make_type("ofmf._ofmf.NodePort", node_doc, node_getset, node_methods, node_repr);
  // The module keeps the types alive; the pointers above stay valid.
  m.add_object("ViewPort", py::reinterpret_steal<py::object>(reinterpret_cast<PyObject*>(view_port_type)));
  m.add_object("NodePort", py::reinterpret_steal<py::object>(reinterpret_cast<PyObject*>(node_port_type)));
}

py::list view_port_list(py::handle owner, const model::TopologyView& v, std::uint32_t node) {
  return port_list<ViewPort>(view_port_type, owner, v.ports(node), node);
}

py::list node_port_list(py::handle owner, const model::Node& n) {
  return port_list<Port>(node_port_type, owner, std::span<const Port>(n.ports), 0);
}

py::dict view_port_table(const model::TopologyView& v, bool port0) {
  Columns c;
  {
    py::gil_scoped_release nogil;  // the view is immutable
    std::size_t n = 0;
    for (model::TopologyView::Index i = 0; i < v.node_count(); ++i) n += v.num_ports(i) + (port0 ? 1 : 0);
    c.reserve(n);
    for (model::TopologyView::Index i = 0; i < v.node_count(); ++i) {
      auto ports = v.ports(i);
      for (std::size_t p = port0 ? 0 : 1; p < ports.size(); ++p)
        c.add(i, std::uint8_t(p), ports[p].attributes, ports[p].peer, ports[p].peer_port);
    }
  }
  return std::move(c).to_dict("node", "peer");
}

py::dict fabric_port_table(const model::Fabric& f, bool port0) {
  Columns c;
  c.reserve(f.port_count() + (port0 ? f.node_count() : 0));
  for (model::NodeId id : f.nodes()) {
    auto n = f.node(id);
    if (!n) raise_error(n.error());
    for (const Port& p : n->ports) {
      if (p.number == 0 && !port0) continue;
      c.add(id.value, p.number, p.attributes, p.peer ? p.peer->node.value : model::NodeId{}.value,
            p.peer ? p.peer->port : 0);
    }
  }
  return std::move(c).to_dict("node", "peer_node");
}

} // namespace ofmf::python
