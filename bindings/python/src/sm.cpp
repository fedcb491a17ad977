// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Bindings of the subnet-manager layer: partition policies
// (ofmf/sm/partitions.hpp, partitions_conf.hpp) and the state folder
// (ofmf/sm/state_dir.hpp).

#include "common.hpp"
#include "ofmf/sm/partitions.hpp"
#include "ofmf/sm/partitions_conf.hpp"
#include "ofmf/sm/state_dir.hpp"

namespace ofmf::python {

void bind_sm(py::module_& m) {
  using namespace ofmf::sm;

  py::enum_<RuleMembership>(m, "RuleMembership", "Membership a partition rule asks for (both is programmed as full).")
      .value("Limited", RuleMembership::Limited)
      .value("Full", RuleMembership::Full)
      .value("Both", RuleMembership::Both);
  py::enum_<MemberKind>(m, "MemberKind", "What a partition member rule names.")
      .value("Port", MemberKind::Port)
      .value("All", MemberKind::All)
      .value("AllCas", MemberKind::AllCas)
      .value("AllSwitches", MemberKind::AllSwitches)
      .value("AllRouters", MemberKind::AllRouters)
      .value("Self", MemberKind::Self);

  py::class_<MemberRule> mr(m, "MemberRule", "One member specifier of a partition rule.");
  kwargs_init(mr);
  mr.def_readwrite("kind", &MemberRule::kind)
      .def_readwrite("guid", &MemberRule::guid)
      .def_readwrite("membership", &MemberRule::membership)
      .def_readwrite("line", &MemberRule::line)
      .def(py::self == py::self);

  py::class_<GroupFlags> gf(m, "GroupFlags", "Multicast group parameters (IBTA encodings), OpenSM's defaults.");
  kwargs_init(gf);
  gf.def_readwrite("mtu", &GroupFlags::mtu)
      .def_readwrite("rate", &GroupFlags::rate)
      .def_readwrite("sl", &GroupFlags::sl)
      .def_readwrite("scope_mask", &GroupFlags::scope_mask)
      .def_readwrite("qkey", &GroupFlags::qkey)
      .def_readwrite("tclass", &GroupFlags::tclass)
      .def_readwrite("flow_label", &GroupFlags::flow_label)
      .def(py::self == py::self);

  py::class_<GroupRule> gr(m, "GroupRule", "A multicast group line of a partition (mgid=...).");
  kwargs_init(gr);
  gr.def_property(
        "mgid", [](const GroupRule& g) { return format_gid(g.mgid); },
        [](GroupRule& g, const std::string& s) {
          const auto gid = parse_gid(s);
          if (!gid || (*gid)[0] != 0xff) raise_error(make_error(errc::invalid_argument, "'" + s + "' is not a multicast GID"));
          g.mgid = *gid;
        },
        "The MGID as IPv6 text.")
      .def_readwrite("flags", &GroupRule::flags)
      .def_readwrite("line", &GroupRule::line)
      .def(py::self == py::self);

  py::class_<PartitionRule> pr(m, "PartitionRule", "One partition of a policy: its statements merged.");
  kwargs_init(pr);
  pr.def_readwrite("name", &PartitionRule::name)
      .def_readwrite("pkey", &PartitionRule::pkey)
      .def_readwrite("pkey_generated", &PartitionRule::pkey_generated)
      .def_readwrite("ipoib", &PartitionRule::ipoib)
      .def_readwrite("indx0", &PartitionRule::indx0)
      .def_readwrite("flags", &PartitionRule::flags)
      .def_readwrite("members", &PartitionRule::members)
      .def_readwrite("groups", &PartitionRule::groups)
      .def_readwrite("line", &PartitionRule::line)
      .def(py::self == py::self);

  py::class_<PartitionPolicy> pp(m, "PartitionPolicy", "Partitions as desired state, ordered by P_Key.");
  kwargs_init(pp);
  pp.def_readwrite("partitions", &PartitionPolicy::partitions)
      .def(
          "find",
          [](const PartitionPolicy& p, model::PKey k) -> std::optional<PartitionRule> {
            const PartitionRule* r = p.find(k);
            return r ? std::optional<PartitionRule>(*r) : std::nullopt;
          },
          py::arg("pkey"), "The partition with this P_Key (a copy), or None.")
      .def(py::self == py::self)
      .def("to_json", &partitions_to_json, "The JSON form of the policy.")
      .def("to_conf", &format_partitions_conf, "The policy as partitions.conf text.");

  py::class_<MulticastGroup>(m, "MulticastGroup", "A multicast group a resolved policy asks for.")
      .def_property_readonly("mgid", [](const MulticastGroup& g) { return format_gid(g.mgid); })
      .def_readonly("pkey", &MulticastGroup::pkey)
      .def_readonly("mtu", &MulticastGroup::mtu)
      .def_readonly("rate", &MulticastGroup::rate)
      .def_readonly("sl", &MulticastGroup::sl)
      .def_readonly("tclass", &MulticastGroup::tclass)
      .def_readonly("qkey", &MulticastGroup::qkey)
      .def_readonly("flow_label", &MulticastGroup::flow_label);

  py::class_<ResolvedPartitions>(m, "ResolvedPartitions", "A policy resolved on a fabric.")
      .def_readonly("partitions", &ResolvedPartitions::partitions)
      .def_readonly("groups", &ResolvedPartitions::groups)
      .def_readonly("index0", &ResolvedPartitions::index0)
      .def_readonly("warnings", &ResolvedPartitions::warnings);

  m.def("default_partition_policy", &default_partition_policy,
        "OpenSM's policy without a partitions.conf: Default=0x7fff,ipoib : ALL=full.");
  m.def(
      "parse_partitions_conf",
      [](const std::string& text, const std::string& source) { return unwrap(parse_partitions_conf(text, source)); },
      py::arg("text"), py::arg("source") = "<input>", "Parses partitions.conf text (ParseError names source:line).");
  m.def(
      "read_partitions_conf", [](const std::filesystem::path& p) { return unwrap(read_partitions_conf(p)); },
      py::arg("path"), "Reads and parses a partitions.conf file.");
  m.def(
      "partitions_from_json",
      [](const std::string& text, const std::string& source) { return unwrap(partitions_from_json(text, source)); },
      py::arg("text"), py::arg("source") = "<input>", "Reads the JSON form (ParseError names the JSON pointer).");
  m.def("resolve_partitions", &resolve_partitions, py::arg("policy"), py::arg("fabric"), py::arg("sm_port") = 0,
        "The model's partitions and the multicast groups a policy gives on a fabric.");

  py::class_<LidRange> lr(m, "LidRange", "A port's LIDs: base LID and LMC.");
  kwargs_init(lr);
  lr.def_readwrite("base", &LidRange::base).def_readwrite("lmc", &LidRange::lmc).def(py::self == py::self);
  m.def("format_guid2lid", &format_guid2lid, py::arg("lids"), "guid2lid text of a {port GUID: LidRange} dict.");
  m.def(
      "parse_guid2lid",
      [](const std::string& text, const std::string& source) { return unwrap(parse_guid2lid(text, source)); },
      py::arg("text"), py::arg("source") = "<input>", "Reads guid2lid text (truncation and corruption are errors).");
  m.def("lids_of", &lids_of, py::arg("fabric"), "The LIDs the fabric's ports have, by port GUID.");
  m.def(
      "apply_lids", [](model::Fabric& f, const Guid2Lid& l) { return unwrap(apply_lids(f, l)); }, py::arg("fabric"),
      py::arg("lids"), "Gives the ports the recorded LIDs; returns how many ports changed.");

  py::class_<StateDir::Loaded>(m, "StateLoaded", "What StateDir.load() found.")
      .def_readonly("guid2lid", &StateDir::Loaded::guid2lid)
      .def_readonly("policy", &StateDir::Loaded::policy)
      .def_readonly("problems", &StateDir::Loaded::problems);
  py::class_<StateDir>(m, "StateDir", "The subnet manager's state folder, locked while the object lives.")
      .def_static(
          "open", [](const std::filesystem::path& p) { return unwrap(StateDir::open(p)); }, py::arg("folder"),
          "Opens (creating it) and locks the folder; BusyError when another manager holds it.")
      .def_property_readonly("path", &StateDir::path)
      .def("load", [](StateDir& s) { return unwrap(s.load()); }, "Reads the folder; corrupt files are set aside.")
      .def(
          "save_guid2lid", [](StateDir& s, const Guid2Lid& l) { return unwrap(s.save_guid2lid(l)); }, py::arg("lids"),
          "Writes guid2lid when it changed; returns whether it wrote.")
      .def(
          "save_policy", [](StateDir& s, const std::string& j) { return unwrap(s.save_policy(j)); }, py::arg("json"),
          "Writes policy.json when it changed; returns whether it wrote.");
}

} // namespace ofmf::python
