// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Bindings of ofmf::model: value types, Fabric, TopologyView, reconcile().

#include <memory>
#include <optional>
#include <string>

#include "common.hpp"
#include "ofmf/model/fabric.hpp"
#include "ofmf/model/reconcile.hpp"
#include "ofmf/model/topology_view.hpp"
#include "ofmf/model/types.hpp"

namespace ofmf::python {
namespace {

using namespace ofmf::model;

std::string port_ref_repr(PortRef r) {
  return "PortRef(NodeId(" + std::to_string(r.node.value) + "), " + std::to_string(unsigned(r.port)) + ")";
}

// View indices are checked here: the C++ accessors do not check them.
TopologyView::Index checked(const TopologyView& v, std::int64_t i) {
  if (i < 0 || i >= std::int64_t(v.node_count()))
    throw py::index_error("view index " + std::to_string(i) + " out of range (node_count " +
                          std::to_string(v.node_count()) + ")");
  return TopologyView::Index(i);
}

py::object index_or_none(TopologyView::Index i) {
  return i == TopologyView::npos ? py::object(py::none()) : py::object(py::int_(i));
}

// Holds a Python callable; the reference is dropped with the GIL held,
// whichever thread destroys the last copy.
struct PyCallable {
  std::shared_ptr<py::object> fn;
  explicit PyCallable(py::object f)
      : fn(new py::object(std::move(f)), [](py::object* p) {
          py::gil_scoped_acquire gil;
          delete p;
        }) {}
};

} // namespace

void bind_model(py::module_& m) {
  m.attr("max_ports") = max_ports;
  m.attr("default_pkey") = default_pkey;

  py::enum_<NodeType>(m, "NodeType", "NodeInfo.NodeType.")
      .value("ChannelAdapter", NodeType::ChannelAdapter)
      .value("Switch", NodeType::Switch)
      .value("Router", NodeType::Router);
  py::enum_<PortState>(m, "PortState", "PortInfo.PortState (logical state).")
      .value("NoChange", PortState::NoChange)
      .value("Down", PortState::Down)
      .value("Init", PortState::Init)
      .value("Armed", PortState::Armed)
      .value("Active", PortState::Active);
  py::enum_<PhysState>(m, "PhysState", "PortInfo.PortPhysicalState.")
      .value("NoChange", PhysState::NoChange)
      .value("Sleep", PhysState::Sleep)
      .value("Polling", PhysState::Polling)
      .value("Disabled", PhysState::Disabled)
      .value("PortConfigurationTraining", PhysState::PortConfigurationTraining)
      .value("LinkUp", PhysState::LinkUp)
      .value("LinkErrorRecovery", PhysState::LinkErrorRecovery)
      .value("PhyTest", PhysState::PhyTest);
  py::enum_<LinkWidth>(m, "LinkWidth", "Link width (PortInfo.LinkWidthActive bit values).")
      .value("X1", LinkWidth::X1)
      .value("X4", LinkWidth::X4)
      .value("X8", LinkWidth::X8)
      .value("X12", LinkWidth::X12)
      .value("X2", LinkWidth::X2);
  py::enum_<LinkSpeed>(m, "LinkSpeed", "Link speed per lane, in order of rate.")
      .value("SDR", LinkSpeed::SDR)
      .value("DDR", LinkSpeed::DDR)
      .value("QDR", LinkSpeed::QDR)
      .value("FDR10", LinkSpeed::FDR10)
      .value("FDR", LinkSpeed::FDR)
      .value("EDR", LinkSpeed::EDR)
      .value("HDR", LinkSpeed::HDR)
      .value("NDR", LinkSpeed::NDR)
      .value("XDR", LinkSpeed::XDR);
  py::enum_<Mtu>(m, "Mtu", "PortInfo MTU encoding.")
      .value("Mtu256", Mtu::Mtu256)
      .value("Mtu512", Mtu::Mtu512)
      .value("Mtu1024", Mtu::Mtu1024)
      .value("Mtu2048", Mtu::Mtu2048)
      .value("Mtu4096", Mtu::Mtu4096);
  py::enum_<Membership>(m, "Membership", "Partition membership (P_Key bit 15).")
      .value("Limited", Membership::Limited)
      .value("Full", Membership::Full);
  py::enum_<ChangeKind>(m, "ChangeKind", "What changed, as told to observers.")
      .value("NodeAdded", ChangeKind::NodeAdded)
      .value("NodeRemoved", ChangeKind::NodeRemoved)
      .value("NodeChanged", ChangeKind::NodeChanged)
      .value("PortChanged", ChangeKind::PortChanged)
      .value("LinkAdded", ChangeKind::LinkAdded)
      .value("LinkRemoved", ChangeKind::LinkRemoved)
      .value("PartitionChanged", ChangeKind::PartitionChanged)
      .value("CountersChanged", ChangeKind::CountersChanged);

  m.def("lanes", &lanes, py::arg("width"), "Number of lanes of a width (X4 -> 4).");
  m.def("lane_data_rate_gbps", &lane_data_rate_gbps, py::arg("speed"),
        "Data rate of one lane in Gbit/s after line encoding (QDR -> 8).");
  m.def("lane_signal_rate_gbps", &lane_signal_rate_gbps, py::arg("speed"),
        "Signalling rate of one lane in Gbit/s (QDR -> 10).");
  m.def("mtu_bytes", &mtu_bytes, py::arg("mtu"), "Bytes of an MTU value (Mtu4096 -> 4096).");
  m.def("to_string", [](NodeType v) { return std::string(to_string(v)); }, py::arg("value"),
        "Name as infiniband-diags prints it (\"Switch\", \"Ca\", \"4x\", \"SDR\", \"Active\", \"LinkUp\").");
  m.def("to_string", [](PortState v) { return std::string(to_string(v)); }, py::arg("value"));
  m.def("to_string", [](PhysState v) { return std::string(to_string(v)); }, py::arg("value"));
  m.def("to_string", [](LinkWidth v) { return std::string(to_string(v)); }, py::arg("value"));
  m.def("to_string", [](LinkSpeed v) { return std::string(to_string(v)); }, py::arg("value"));
  m.def("parse_link_width", [](std::string_view s) { return parse_link_width(s); }, py::arg("text"),
        "\"4x\" -> LinkWidth.X4; None when not a width.");
  m.def("parse_link_speed", [](std::string_view s) { return parse_link_speed(s); }, py::arg("text"),
        "\"EDR\" -> LinkSpeed.EDR; None when not a speed.");
  m.def("format_guid", &format_guid, py::arg("guid"), "\"0x0002c90300a1b2c3\" (16 hex digits).");
  m.def("format_pkey", &format_pkey, py::arg("pkey"), "\"0x7fff\" (4 hex digits).");
  m.def("pkey_entry", &pkey_entry, py::arg("pkey"), py::arg("membership"),
        "P_Key with the membership bit, as in a P_KeyTable entry.");

  py::class_<NodeId>(m, "NodeId", "Handle of a node inside one Fabric (a value; never reused).")
      .def(py::init<>(), "An invalid ID.")
      .def(py::init([](std::uint32_t v) { return NodeId{v}; }), py::arg("value"))
      .def_readwrite("value", &NodeId::value)
      .def("valid", &NodeId::valid)
      .def(py::self == py::self)
      .def(py::self != py::self)
      .def(py::self < py::self)
      .def("__hash__", [](NodeId id) { return std::hash<NodeId>{}(id); })
      .def("__int__", [](NodeId id) { return id.value; })
      .def("__repr__", [](NodeId id) { return "NodeId(" + std::to_string(id.value) + ")"; });

  py::class_<PortRef>(m, "PortRef", "One port of one node: (node, port).")
      .def(py::init<>())
      .def(py::init([](NodeId n, PortNum p) { return PortRef{n, p}; }), py::arg("node"), py::arg("port"))
      .def_readwrite("node", &PortRef::node)
      .def_readwrite("port", &PortRef::port)
      .def(py::self == py::self)
      .def(py::self != py::self)
      .def(py::self < py::self)
      .def("__hash__", [](PortRef r) { return std::hash<PortRef>{}(r); })
      .def("__repr__", &port_ref_repr);

  py::class_<PortAttributes> pa(m, "PortAttributes", "Attributes of a port that a subnet manager reads and sets.");
  kwargs_init(pa);
  pa.def_readwrite("guid", &PortAttributes::guid)
      .def_readwrite("lid", &PortAttributes::lid)
      .def_readwrite("lmc", &PortAttributes::lmc)
      .def_readwrite("state", &PortAttributes::state)
      .def_readwrite("phys_state", &PortAttributes::phys_state)
      .def_readwrite("width", &PortAttributes::width)
      .def_readwrite("speed", &PortAttributes::speed)
      .def_readwrite("mtu", &PortAttributes::mtu)
      .def(py::self == py::self)
      .def(py::self != py::self)
      .def("__repr__", [](const PortAttributes& a) {
        return "PortAttributes(guid=" + format_guid(a.guid) + ", lid=" + std::to_string(a.lid) +
               ", lmc=" + std::to_string(a.lmc) + ", state=" + std::string(to_string(a.state)) + ", " +
               std::string(to_string(a.width)) + std::string(to_string(a.speed)) + ")";
      });

  py::class_<Port>(m, "Port", "A port as the model reports it (a copy).")
      .def(py::init<>())
      .def_readwrite("number", &Port::number)
      .def_readwrite("attributes", &Port::attributes)
      .def_readwrite("peer", &Port::peer, "PortRef at the other end of the link, or None.")
      .def("__repr__", [](const Port& p) {
        return "Port(" + std::to_string(unsigned(p.number)) + ", lid=" + std::to_string(p.attributes.lid) +
               ", peer=" + (p.peer ? port_ref_repr(*p.peer) : std::string("None")) + ")";
      });

  py::class_<NodeSpec> ns(m, "NodeSpec", "What Fabric.add_node() needs to create a node.");
  kwargs_init(ns);
  ns.def_readwrite("type", &NodeSpec::type)
      .def_readwrite("guid", &NodeSpec::guid)
      .def_readwrite("num_ports", &NodeSpec::num_ports)
      .def_readwrite("description", &NodeSpec::description)
      .def_readwrite("system_guid", &NodeSpec::system_guid)
      .def_readwrite("vendor_id", &NodeSpec::vendor_id)
      .def_readwrite("device_id", &NodeSpec::device_id)
      .def_readwrite("port_guids", &NodeSpec::port_guids)
      .def_readwrite("port_defaults", &NodeSpec::port_defaults);

  py::class_<Node>(m, "Node", "A node as the model reports it (a copy; later mutations do not show).")
      .def_readonly("id", &Node::id)
      .def_readonly("type", &Node::type)
      .def_readonly("guid", &Node::guid)
      .def_readonly("system_guid", &Node::system_guid)
      .def_readonly("vendor_id", &Node::vendor_id)
      .def_readonly("device_id", &Node::device_id)
      .def_readonly("description", &Node::description)
      .def_property_readonly(
          "ports", [](py::object self) { return node_port_list(self, self.cast<const Node&>()); },
          "ports[p] is port p for p in 0..num_ports(): a new list of read-only NodePort objects each time "
          "(they keep the Node alive).")
      .def("num_ports", &Node::num_ports)
      .def("__repr__", [](const Node& n) {
        return "Node(" + std::string(to_string(n.type)) + " " + format_guid(n.guid) + " \"" + n.description +
               "\", " + std::to_string(n.num_ports()) + " ports)";
      });

  py::class_<Link>(m, "Link", "A link between two ports; a is the smaller PortRef.")
      .def_readonly("a", &Link::a)
      .def_readonly("b", &Link::b)
      .def(py::self == py::self)
      .def("__repr__", [](const Link& l) { return "Link(" + port_ref_repr(l.a) + ", " + port_ref_repr(l.b) + ")"; });

  py::class_<PartitionMember> pm(m, "PartitionMember", "One member port of a partition, by port GUID.");
  kwargs_init(pm);
  pm.def(py::init([](Guid g, Membership ms) { return PartitionMember{g, ms}; }), py::arg("port_guid"),
         py::arg("membership") = Membership::Full)
      .def_readwrite("port_guid", &PartitionMember::port_guid)
      .def_readwrite("membership", &PartitionMember::membership)
      .def(py::self == py::self);

  py::class_<Partition> part(m, "Partition", "An InfiniBand partition (a Redfish Zone).");
  kwargs_init(part);
  part.def_readwrite("pkey", &Partition::pkey)
      .def_readwrite("name", &Partition::name)
      .def_readwrite("members", &Partition::members)
      .def(py::self == py::self);

  py::class_<PortCounters> pc(m, "PortCounters", "Port counters (data counters in octets).");
  kwargs_init(pc);
  pc.def_readwrite("tx_bytes", &PortCounters::tx_bytes)
      .def_readwrite("rx_bytes", &PortCounters::rx_bytes)
      .def_readwrite("tx_packets", &PortCounters::tx_packets)
      .def_readwrite("rx_packets", &PortCounters::rx_packets)
      .def_readwrite("tx_unicast_packets", &PortCounters::tx_unicast_packets)
      .def_readwrite("rx_unicast_packets", &PortCounters::rx_unicast_packets)
      .def_readwrite("tx_multicast_packets", &PortCounters::tx_multicast_packets)
      .def_readwrite("rx_multicast_packets", &PortCounters::rx_multicast_packets)
      .def_readwrite("symbol_errors", &PortCounters::symbol_errors)
      .def_readwrite("link_error_recoveries", &PortCounters::link_error_recoveries)
      .def_readwrite("link_downed", &PortCounters::link_downed)
      .def_readwrite("rx_errors", &PortCounters::rx_errors)
      .def_readwrite("rx_remote_physical_errors", &PortCounters::rx_remote_physical_errors)
      .def_readwrite("rx_switch_relay_errors", &PortCounters::rx_switch_relay_errors)
      .def_readwrite("tx_discards", &PortCounters::tx_discards)
      .def_readwrite("tx_constraint_errors", &PortCounters::tx_constraint_errors)
      .def_readwrite("rx_constraint_errors", &PortCounters::rx_constraint_errors)
      .def_readwrite("local_link_integrity_errors", &PortCounters::local_link_integrity_errors)
      .def_readwrite("excessive_buffer_overrun_errors", &PortCounters::excessive_buffer_overrun_errors)
      .def_readwrite("vl15_dropped", &PortCounters::vl15_dropped)
      .def_readwrite("tx_wait", &PortCounters::tx_wait)
      .def_readwrite("sampled_at_ms", &PortCounters::sampled_at_ms)
      .def(py::self == py::self);

  py::class_<Change>(m, "Change", "One change reported to an observer.")
      .def_readonly("kind", &Change::kind)
      .def_readonly("node", &Change::node)
      .def_readonly("port", &Change::port)
      .def_readonly("peer", &Change::peer)
      .def_readonly("pkey", &Change::pkey)
      .def_readonly("generation", &Change::generation)
      .def("__repr__", [](const Change& c) {
        return "Change(" + std::string(py::str(py::cast(c.kind))) + ", node=" + std::to_string(c.node.value) +
               ", generation=" + std::to_string(c.generation) + ")";
      });

  py::class_<ObserverId>(m, "ObserverId", "Token of a subscription; pass it to Fabric.unsubscribe().")
      .def_readonly("value", &ObserverId::value)
      .def(py::self == py::self);

  py::class_<Edge>(m, "Edge", "One directed adjacency of a TopologyView.")
      .def_readonly("target", &Edge::target)
      .def_readonly("local_port", &Edge::local_port)
      .def_readonly("remote_port", &Edge::remote_port)
      .def_readonly("width", &Edge::width)
      .def_readonly("speed", &Edge::speed);
  using ViewPtr = std::shared_ptr<TopologyView>;
  py::class_<TopologyView, ViewPtr>(
      m, "TopologyView",
      "Immutable compact snapshot of a Fabric (Fabric.snapshot()); independent of the Fabric afterwards.\n"
      "Nodes are view indices 0..node_count()-1, switches first. Bad indices raise IndexError.")
      .def("node_count", &TopologyView::node_count)
      .def("switch_count", &TopologyView::switch_count)
      .def("link_count", &TopologyView::link_count)
      .def("generation", &TopologyView::generation)
      .def("fingerprint", &TopologyView::fingerprint,
           "Identity of the structure (nodes, GUIDs, port counts, links); route tables carry the one of their view.")
      .def("__len__", &TopologyView::node_count)
      .def("type", [](const TopologyView& v, std::int64_t i) { return v.type(checked(v, i)); }, py::arg("index"))
      .def("is_switch", [](const TopologyView& v, std::int64_t i) { return v.is_switch(checked(v, i)); },
           py::arg("index"))
      .def("guid", [](const TopologyView& v, std::int64_t i) { return v.guid(checked(v, i)); }, py::arg("index"))
      .def("node_id", [](const TopologyView& v, std::int64_t i) { return v.node_id(checked(v, i)); },
           py::arg("index"))
      .def("description",
           [](const TopologyView& v, std::int64_t i) { return std::string(v.description(checked(v, i))); },
           py::arg("index"))
      .def("num_ports", [](const TopologyView& v, std::int64_t i) { return v.num_ports(checked(v, i)); },
           py::arg("index"))
      .def("ports",
           [](const ViewPtr& v, std::int64_t i) { return view_port_list(py::cast(v), *v, checked(*v, i)); },
           py::arg("index"),
           "Ports 0..num_ports(index) as a new list of read-only ViewPort objects (list index = port number; "
           "they keep the view alive).")
      .def("port_table", [](const TopologyView& v, bool port0) { return view_port_table(v, port0); },
           py::arg("port0") = false,
           "Every port as columns, for bulk use: a dict of equal-length 1-D arrays (numpy when present, else "
           "memoryview), one row per port 1..num_ports of each node in view order (with port0=True also port "
           "0 of each node, first): node (uint32 view index), port (uint8), guid (uint64), lid (uint16), lmc, "
           "state, phys_state, width, speed, mtu (uint8 enum values: PortState(state[r]) ...), peer (uint32 "
           "view index, 0xffffffff when unlinked), peer_port (uint8, 0 when unlinked). Built without the GIL.")
      .def("edges",
           [](const TopologyView& v, std::int64_t i) {
             auto s = v.edges(checked(v, i));
             return std::vector<Edge>(s.begin(), s.end());
           },
           py::arg("index"), "Linked ports of a node, in port order.")
      .def("all_edges",
           [](const TopologyView& v) {
             auto s = v.all_edges();
             return std::vector<Edge>(s.begin(), s.end());
           },
           "Every directed edge; edges of node i are all_edges()[edge_offset()[i]:edge_offset()[i+1]].")
      .def("edge_offset",
           [](const ViewPtr& v) {
             auto s = v->edge_offset();
             return make_array(py::cast(v), s.data(), {py::ssize_t(s.size())});
           },
           "Offsets into all_edges() per node (uint64 array, node_count()+1 entries; numpy when present).")
      .def("edge_targets",
           [](const TopologyView& v) {
             std::vector<std::uint32_t> t;
             t.reserve(v.all_edges().size());
             for (const Edge& e : v.all_edges()) t.push_back(e.target);
             return vector_array(std::move(t));
           },
           "Target view index of every directed edge (uint32 array, like all_edges()).")
      .def("find", [](const TopologyView& v, Guid g) { return index_or_none(v.find(g)); }, py::arg("guid"),
           "View index of a node GUID, or None.")
      .def("find", [](const TopologyView& v, NodeId id) { return index_or_none(v.find(id)); }, py::arg("node"),
           "View index of a NodeId of the source Fabric, or None.")
      .def("memory_bytes", &TopologyView::memory_bytes);

  using FabricPtr = std::shared_ptr<Fabric>;
  py::class_<Fabric, FabricPtr>(
      m, "Fabric",
      "The mutable fabric graph: nodes keyed by GUID, their ports, and links. Mutations are validated and "
      "apply completely or not at all; a refused one raises an OfmfError subclass naming the node and port.\n"
      "Not thread-safe: use snapshot() to share a frozen copy.")
      .def(py::init<>())
      .def("copy", [](const Fabric& f) { return std::make_shared<Fabric>(f); },
           "A copy of nodes, links, partitions, counters and generation (observers are not copied).")
      .def("__copy__", [](const Fabric& f) { return std::make_shared<Fabric>(f); })
      .def("__deepcopy__", [](const Fabric& f, py::dict) { return std::make_shared<Fabric>(f); }, py::arg("memo"))
      .def("add_node", [](Fabric& f, const NodeSpec& s) { return unwrap(f.add_node(s)); }, py::arg("spec"),
           "Adds a node; returns its NodeId. Raises InvalidArgumentError, AlreadyExistsError, LimitExceededError.")
      .def("remove_node", [](Fabric& f, NodeId id) { unwrap(f.remove_node(id)); }, py::arg("node"),
           "Removes a node with its links. Raises NotFoundError.")
      .def("connect", [](Fabric& f, PortRef a, PortRef b) { unwrap(f.connect(a, b)); }, py::arg("a"), py::arg("b"),
           "Links two ports. Raises NotFoundError, OutOfRangeError, InvalidArgumentError, BusyError.")
      .def("disconnect", [](Fabric& f, PortRef p) { unwrap(f.disconnect(p)); }, py::arg("port"),
           "Unlinks a port from its peer. Raises NotFoundError, OutOfRangeError.")
      .def("set_port", [](Fabric& f, PortRef p, const PortAttributes& a) { unwrap(f.set_port(p, a)); },
           py::arg("port"), py::arg("attributes"), "Replaces the attributes of a port (guid 0 keeps the GUID).")
      .def("set_description", [](Fabric& f, NodeId id, std::string d) { unwrap(f.set_description(id, std::move(d))); },
           py::arg("node"), py::arg("description"), "Sets the NodeDescription (at most 64 bytes).")
      .def("node_count", &Fabric::node_count)
      .def("switch_count", &Fabric::switch_count)
      .def("link_count", &Fabric::link_count)
      .def("port_count", &Fabric::port_count, "Ports 1..N over all nodes.")
      .def("__len__", &Fabric::node_count)
      .def("nodes", &Fabric::nodes, "Live NodeIds in creation order.")
      .def("__iter__", [](const Fabric& f) { return py::iter(py::cast(f.nodes())); },
           "Iterates over the NodeIds (a list taken when iteration starts).")
      .def("links", &Fabric::links, "Every link once, in order of a.")
      .def("contains", &Fabric::contains, py::arg("node"))
      .def("__contains__", &Fabric::contains, py::arg("node"))
      .def("find", &Fabric::find, py::arg("guid"), "NodeId of a node GUID, or None.")
      .def("find_port", &Fabric::find_port, py::arg("guid"), "PortRef of a port GUID (switch: port 0), or None.")
      .def("node", [](const Fabric& f, NodeId id) { return unwrap(f.node(id)); }, py::arg("node"),
           "A copy of a node with its ports. Raises NotFoundError.")
      .def("port", [](const Fabric& f, PortRef p) { return unwrap(f.port(p)); }, py::arg("port"),
           "A copy of one port. Raises NotFoundError, OutOfRangeError.")
      .def("peer", &Fabric::peer, py::arg("port"), "The peer of a linked port, or None.")
      .def("type", &Fabric::type, py::arg("node"), "NodeType, or None for an unknown ID.")
      .def("guid", &Fabric::guid, py::arg("node"), "Node GUID, or None for an unknown ID.")
      .def("num_ports", &Fabric::num_ports, py::arg("node"), "Number of ports, or None for an unknown ID.")
      .def("generation", &Fabric::generation, "Counter incremented by every successful mutation.")
      .def("snapshot", [](const Fabric& f) { return std::const_pointer_cast<TopologyView>(f.snapshot()); },
           "An immutable TopologyView of the current graph.")
      .def("subscribe",
           [](Fabric& f, py::function fn) {
             PyCallable cb(std::move(fn));
             return f.subscribe([cb](const Change& c) {
               py::gil_scoped_acquire gil;
               try {
                 (*cb.fn)(c);
               } catch (py::error_already_set& e) {
                 // The mutation has happened; an observer's exception
                 // cannot undo it, so it is reported as unraisable.
                 e.discard_as_unraisable(*cb.fn);
               }
             });
           },
           py::arg("observer"),
           "Registers observer(change: Change), called after every later mutation on the mutating thread. "
           "It must not mutate the Fabric (BusyError); exceptions it raises are reported through "
           "sys.unraisablehook. The Fabric holds a reference to it until unsubscribe().")
      .def("unsubscribe", &Fabric::unsubscribe, py::arg("id"), "Removes an observer; False when unknown.")
      .def("set_partition", [](Fabric& f, const Partition& p) { unwrap(f.set_partition(p)); }, py::arg("partition"),
           "Adds or replaces a partition. Raises InvalidArgumentError, NotFoundError.")
      .def("remove_partition", [](Fabric& f, PKey k) { unwrap(f.remove_partition(k)); }, py::arg("pkey"))
      .def("partitions", &Fabric::partitions, "All partitions, ordered by P_Key.")
      .def("partition", &Fabric::partition, py::arg("pkey"), "One partition, or None.")
      .def("pkeys_of", &Fabric::pkeys_of, py::arg("port_guid"),
           "P_Keys (with membership bit) of the partitions a port belongs to.")
      .def("set_counters", [](Fabric& f, PortRef p, const PortCounters& c) { unwrap(f.set_counters(p, c)); },
           py::arg("port"), py::arg("counters"))
      .def("clear_counters", [](Fabric& f, PortRef p) { unwrap(f.clear_counters(p)); }, py::arg("port"))
      .def("counters", &Fabric::counters, py::arg("port"), "Last counters recorded for a port, or None.")
      .def("reserve", &Fabric::reserve, py::arg("nodes"), py::arg("ports"))
      .def("port_table", [](const Fabric& f, bool port0) { return fabric_port_table(f, port0); },
           py::arg("port0") = false,
           "Every port as columns, for bulk use: a dict of equal-length 1-D arrays (numpy when present, else "
           "memoryview), one row per port 1..num_ports of each node in nodes() order (with port0=True also port "
           "0 of each node, first): node (uint32 NodeId value), port (uint8), guid (uint64), lid (uint16), lmc, "
           "state, phys_state, width, speed, mtu (uint8 enum values: PortState(state[r]) ...), peer_node "
           "(uint32 NodeId value, 0xffffffff when unlinked), peer_port (uint8, 0 when unlinked).")
      .def("__repr__", [](const Fabric& f) {
        return "<ofmf.Fabric: " + std::to_string(f.node_count()) + " nodes (" + std::to_string(f.switch_count()) +
               " switches), " + std::to_string(f.link_count()) + " links>";
      });

  m.def("same_topology", [](const Fabric& a, const Fabric& b) { return same_topology(a, b); }, py::arg("a"),
        py::arg("b"), "True when both have the same nodes (by GUID) and links.");
  m.def("same_fabric", [](const Fabric& a, const Fabric& b) { return same_fabric(a, b); }, py::arg("a"), py::arg("b"),
        "same_topology() and the same partitions and counters.");
  m.def("topology_difference",
        [](const Fabric& a, const Fabric& b) {
          std::string why;
          return same_fabric(a, b, &why) ? std::string() : why;
        },
        py::arg("a"), py::arg("b"), "The first difference same_fabric() finds, \"\" when there is none.");

  py::enum_<ReconcileFrom>(m, "ReconcileFrom", "Where reconcile() takes partitions or counters from.")
      .value("Live", ReconcileFrom::Live, "the live fabric's, for ports that still exist")
      .value("Discovered", ReconcileFrom::Discovered, "the discovered fabric's, exactly")
      .value("Merged", ReconcileFrom::Merged, "the live fabric's, replaced by the discovered ones it has");

  py::class_<ReconcileOptions> ro(m, "ReconcileOptions", "How reconcile() treats what the discovery did not see.");
  kwargs_init(ro);
  ro.def_readwrite("keep_missing", &ReconcileOptions::keep_missing,
                   "Keep every live node the discovery did not see (a partial discovery).")
      .def_readwrite("keep", &ReconcileOptions::keep, "Node GUIDs kept when the discovery did not see them.")
      .def_readwrite("partitions", &ReconcileOptions::partitions)
      .def_readwrite("counters", &ReconcileOptions::counters)
      .def_readwrite("dry_run", &ReconcileOptions::dry_run, "Compute and check the changes, leave live as it is.");

  py::class_<NodeSummary>(m, "NodeSummary", "A node as a ReconcileReport names it.")
      .def_readonly("guid", &NodeSummary::guid)
      .def_readonly("type", &NodeSummary::type)
      .def_readonly("description", &NodeSummary::description)
      .def_readonly("num_ports", &NodeSummary::num_ports)
      .def(py::self == py::self);
  py::class_<LinkEnd>(m, "LinkEnd", "One end of a link: node GUID and port number.")
      .def(py::init([](Guid g, PortNum p) { return LinkEnd{g, p}; }), py::arg("node"), py::arg("port"))
      .def_readonly("node", &LinkEnd::node)
      .def_readonly("port", &LinkEnd::port)
      .def(py::self == py::self)
      .def(py::self < py::self)
      .def("__hash__", [](LinkEnd e) { return std::hash<std::uint64_t>{}(e.node ^ (std::uint64_t(e.port) << 56)); })
      .def("__repr__", [](LinkEnd e) { return "LinkEnd(" + format_guid(e.node) + ", " + std::to_string(e.port) + ")"; });
  py::class_<LinkSummary>(m, "LinkSummary", "A link by its two ends; a is the smaller.")
      .def(py::init([](LinkEnd a, LinkEnd b) { return LinkSummary{a, b}; }), py::arg("a"), py::arg("b"))
      .def_readonly("a", &LinkSummary::a)
      .def_readonly("b", &LinkSummary::b)
      .def(py::self == py::self);
  py::class_<PortChange>(m, "PortChange", "Attributes of a port before and after.")
      .def_readonly("port", &PortChange::port)
      .def_readonly("before", &PortChange::before)
      .def_readonly("after", &PortChange::after);
  py::class_<DescriptionChange>(m, "DescriptionChange", "A NodeDescription before and after.")
      .def_readonly("node", &DescriptionChange::node)
      .def_readonly("before", &DescriptionChange::before)
      .def_readonly("after", &DescriptionChange::after);
  py::class_<ReconcileReport>(m, "ReconcileReport", "What reconcile() changed; lists sorted by GUID / ends.")
      .def_readonly("nodes_added", &ReconcileReport::nodes_added)
      .def_readonly("nodes_removed", &ReconcileReport::nodes_removed)
      .def_readonly("nodes_replaced", &ReconcileReport::nodes_replaced)
      .def_readonly("nodes_kept", &ReconcileReport::nodes_kept)
      .def_readonly("links_added", &ReconcileReport::links_added)
      .def_readonly("links_removed", &ReconcileReport::links_removed)
      .def_readonly("ports_changed", &ReconcileReport::ports_changed)
      .def_readonly("descriptions_changed", &ReconcileReport::descriptions_changed)
      .def_readonly("partitions_changed", &ReconcileReport::partitions_changed)
      .def_readonly("counters_changed", &ReconcileReport::counters_changed)
      .def_readonly("mutations", &ReconcileReport::mutations)
      .def("changed", &ReconcileReport::changed)
      .def("__bool__", &ReconcileReport::changed)
      .def("__str__", [](const ReconcileReport& r) { return to_string(r); });

  m.def("reconcile",
        [](Fabric& live, const Fabric& discovered, const ReconcileOptions& o) {
          return unwrap(reconcile(live, discovered, o));
        },
        py::arg("live"), py::arg("discovered"), py::arg("options") = ReconcileOptions{},
        "Makes live match discovered by mutations (its observers see each one) and returns the "
        "ReconcileReport. All or nothing: raises AlreadyExistsError (a GUID still held by a kept node) or "
        "BusyError (called from an observer of live) and leaves live untouched.");
}

} // namespace ofmf::python
