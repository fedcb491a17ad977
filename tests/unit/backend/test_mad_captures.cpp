// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// The MAD codec on MADs captured from ibsim (tests/data/mad/, see
// capture.sh there): every field decoded from the captured octets is
// compared with what infiniband-diags printed for the same MAD, and the
// model attributes with the ibnetdiscover fixture of the same fabric; the
// dumps of the same MADs likewise.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "backend/umad/mad.hpp"
#include "ofmf/topology/format.hpp"

using namespace ofmf;
using namespace ofmf::backend::umad;

namespace {

const std::string dir = std::string(OFMF_TEST_DATA_DIR) + "/mad/";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Capture {
  std::string command;                      // the tool's command line
  std::vector<MadBuffer> mads;              // every MAD it received
  std::map<std::string, std::string> kv;    // "Key:.....value" lines it printed
  std::vector<std::string> lines;           // all lines it printed
  std::string header;                       // its first "# ..." line after the command
};

Capture load(const std::string& name) {
  Capture c;
  auto mads = parse_mad_hex(slurp(dir + name + ".hex"));
  REQUIRE(mads);
  c.mads = std::move(*mads);
  std::istringstream txt(slurp(dir + name + ".txt"));
  std::string line;
  int n = 0;
  while (std::getline(txt, line)) {
    ++n;
    if (n == 2) c.command = line.substr(2);
    if (n <= 2) continue;
    c.lines.push_back(line);
    if (line.rfind("# ", 0) == 0 && c.header.empty()) c.header = line;
    const auto colon = line.find(':');
    if (line.empty() || line[0] == '#' || colon == std::string::npos) continue;
    std::size_t v = colon + 1;
    while (v < line.size() && line[v] == '.') ++v;
    c.kv[line.substr(0, colon)] = line.substr(v);
  }
  return c;
}

std::uint64_t num(const Capture& c, const std::string& key) {
  const auto it = c.kv.find(key);
  INFO("key " << key << " in: " << c.command);
  REQUIRE(it != c.kv.end());
  return std::stoull(it->second, nullptr, 0);
}
std::string text(const Capture& c, const std::string& key) {
  const auto it = c.kv.find(key);
  INFO("key " << key << " in: " << c.command);
  REQUIRE(it != c.kv.end());
  return it->second;
}

// The one SMP of a capture with attribute `attr` (the last if several).
Smp smp_with(const Capture& c, AttrId attr) {
  std::optional<Smp> found;
  for (const MadBuffer& m : c.mads) {
    auto s = decode_smp(m);
    REQUIRE(s);
    if (s->header.attr_id == static_cast<std::uint16_t>(attr)) found = *s;
  }
  INFO(c.command);
  REQUIRE(found);
  return *found;
}

std::vector<Smp> smps_with(const Capture& c, AttrId attr) {
  std::vector<Smp> out;
  for (const MadBuffer& m : c.mads) {
    auto s = decode_smp(m);
    REQUIRE(s);
    if (s->header.attr_id == static_cast<std::uint16_t>(attr)) out.push_back(*s);
  }
  return out;
}

PerfMad perf_with(const Capture& c, PerfAttr attr) {
  std::optional<PerfMad> found;
  for (const MadBuffer& m : c.mads) {
    auto p = decode_perf(m);
    REQUIRE(p);
    if (p->header.attr_id == static_cast<std::uint16_t>(attr)) found = *p;
  }
  INFO(c.command);
  REQUIRE(found);
  return *found;
}

// The DR path in "smpquery -D <attr> <path> ...".
DrPath path_of(const Capture& c) {
  std::istringstream s(c.command);
  std::string tool, flag, attr, path;
  s >> tool >> flag >> attr >> path;
  auto p = DrPath::parse(path);
  REQUIRE(p);
  return *p;
}

// The request the tool sent, rebuilt from the answer's identity: the
// answer must pass check_response() against it (the captured TIDs have
// the umad agent's ID in their high 32 bits).
void answers_its_request(const Smp& r) {
  const Smp q = r.directed() ? make_dr_get(r.initial_path, AttrId(r.header.attr_id), r.header.attr_mod, r.header.tid & tid_mask)
                             : make_lid_get(1, AttrId(r.header.attr_id), r.header.attr_mod, r.header.tid & tid_mask);
  auto ok = check_response(q, r);
  INFO((ok ? std::string() : ok.error().message));
  CHECK(ok);
}

// infiniband-diags' names (libibmad dump functions).
std::string width_text(std::uint8_t w) {
  switch (w) {
    case 1: return "1X";
    case 2: return "4X";
    case 4: return "8X";
    case 8: return "12X";
    case 16: return "2X";
    default: return "?";
  }
}
std::string speed_text(std::uint8_t s) {
  switch (s) {
    case 1: return "2.5 Gbps";
    case 2: return "5.0 Gbps";
    case 4: return "10.0 Gbps";
    default: return "?";
  }
}
std::string ext_speed_text(std::uint8_t s) {
  switch (s) {
    case 0: return "No Extended Speed";
    case 1: return "14.0625 Gbps";
    case 2: return "25.78125 Gbps";
    case 4: return "53.125 Gbps";
    case 8: return "106.25 Gbps";
    default: return "?";
  }
}
std::string state_text(std::uint8_t s) {
  const char* names[] = {"NoChange", "Down", "Initialize", "Armed", "Active"};
  return s < 5 ? names[s] : "?";
}
std::string phys_text(std::uint8_t s) {
  const char* names[] = {"NoChange", "Sleep", "Polling", "Disabled", "PortConfigurationTraining", "LinkUp",
                         "LinkErrorRecovery", "PhyTest"};
  return s < 8 ? names[s] : "?";
}
std::string vls_text(std::uint8_t v) {
  const char* names[] = {"", "VL0", "VL0-1", "VL0-3", "VL0-7", "VL0-14"};
  return v >= 1 && v <= 5 ? names[v] : "?";
}

struct Queried {
  PortInfo info;
  model::PortNum port = 0;  // the port asked for (attribute modifier); LocalPortNum is the port asked through
};

Queried check_port_info(const std::string& name) {
  const Capture c = load(name);
  INFO(c.command);
  const Smp s = smp_with(c, AttrId::PortInfo);
  answers_its_request(s);
  auto p = decode_port_info(s.data);
  REQUIRE(p);
  CHECK(p->gid_prefix == num(c, "GidPrefix"));
  CHECK(p->lid == num(c, "Lid"));
  CHECK(p->master_sm_lid == num(c, "SMLid"));
  CHECK(p->capability_mask == num(c, "CapMask"));
  CHECK(p->diag_code == num(c, "DiagCode"));
  CHECK(p->m_key_lease_period == num(c, "MkeyLeasePeriod"));
  CHECK(p->local_port_num == num(c, "LocalPort"));
  CHECK(width_text(p->link_width_active) == text(c, "LinkWidthActive"));
  CHECK(speed_text(p->link_speed_active) == text(c, "LinkSpeedActive"));
  CHECK(state_text(p->port_state) == text(c, "LinkState"));
  CHECK(phys_text(p->port_physical_state) == text(c, "PhysLinkState"));
  CHECK(p->m_key_protect_bits == num(c, "ProtectBits"));
  CHECK(p->lmc == num(c, "LMC"));
  CHECK(std::to_string(128u << p->neighbor_mtu) == text(c, "NeighborMTU"));
  CHECK(std::to_string(128u << p->mtu_cap) == text(c, "MtuCap"));
  CHECK(p->master_sm_sl == num(c, "SMSL"));
  CHECK(vls_text(p->vl_cap) == text(c, "VLCap"));
  CHECK(vls_text(p->operational_vls) == text(c, "OperVLs"));
  CHECK(p->init_type == num(c, "InitType"));
  CHECK(p->vl_high_limit == num(c, "VLHighLimit"));
  CHECK(p->vl_arbitration_high_cap == num(c, "VLArbHighCap"));
  CHECK(p->vl_arbitration_low_cap == num(c, "VLArbLowCap"));
  CHECK(p->init_type_reply == num(c, "InitReply"));
  CHECK(p->vl_stall_count == num(c, "VLStallCount"));
  CHECK(p->hoq_life == num(c, "HoqLife"));
  CHECK(p->partition_enforcement_inbound == (num(c, "PartEnforceInb") != 0));
  CHECK(p->partition_enforcement_outbound == (num(c, "PartEnforceOutb") != 0));
  CHECK(p->filter_raw_inbound == (num(c, "FilterRawInb") != 0));
  CHECK(p->filter_raw_outbound == (num(c, "FilterRawOutb") != 0));
  CHECK(p->m_key_violations == num(c, "MkeyViolations"));
  CHECK(p->p_key_violations == num(c, "PkeyViolations"));
  CHECK(p->q_key_violations == num(c, "QkeyViolations"));
  CHECK(p->guid_cap == num(c, "GuidCap"));
  CHECK(p->client_reregister == (num(c, "ClientReregister") != 0));
  CHECK(p->multicast_pkey_trap_suppression_enabled == num(c, "McastPkeyTrapSuppressionEnabled"));
  CHECK(p->subnet_timeout == num(c, "SubnetTimeout"));
  CHECK(p->resp_time_value == num(c, "RespTimeVal"));
  CHECK(p->local_phy_errors == num(c, "LocalPhysErr"));
  CHECK(p->overrun_errors == num(c, "OverrunErr"));
  CHECK(p->max_credit_hint == num(c, "MaxCreditHint"));
  CHECK(p->link_round_trip_latency == num(c, "RoundTrip"));
  CHECK(p->capability_mask2 == num(c, "CapabilityMask2"));
  CHECK(ext_speed_text(p->link_speed_ext_active) == text(c, "LinkSpeedExtActive"));
  // The codec writes back the same octets (reserved ones aside: none are set here).
  CHECK(*decode_port_info(encode(*p)) == *p);
  return {*p, static_cast<model::PortNum>(s.header.attr_mod)};
}

model::Port fixture_port(model::Guid guid, model::PortNum port) {
  static const auto fabric = topology::read_topology(std::string(OFMF_TEST_DATA_DIR) + "/ibsim-3sw-mixed.ibnd");
  REQUIRE(fabric);
  const auto ref = fabric->find_port(guid);
  REQUIRE(ref);
  auto p = fabric->port({ref->node, port});
  REQUIRE(p);
  return *p;
}

} // namespace

TEST_CASE("MAD captures: NodeInfo of a channel adapter and a switch as smpquery prints them", "[backend]") {
  for (const char* name : {"nodeinfo-ca", "nodeinfo-switch"}) {
    const Capture c = load(name);
    INFO(c.command);
    const Smp s = smp_with(c, AttrId::NodeInfo);
    CHECK(s.directed());
    CHECK(s.initial_path == path_of(c));
    answers_its_request(s);
    auto n = decode_node_info(s.data);
    REQUIRE(n);
    CHECK(n->base_version == num(c, "BaseVers"));
    CHECK(n->class_version == num(c, "ClassVers"));
    const std::string types[] = {"", "Channel Adapter", "Switch", "Router"};
    CHECK(types[n->node_type] == text(c, "NodeType"));
    CHECK(n->num_ports == num(c, "NumPorts"));
    CHECK(n->system_image_guid == num(c, "SystemGuid"));
    CHECK(n->node_guid == num(c, "Guid"));
    CHECK(n->port_guid == num(c, "PortGuid"));
    CHECK(n->partition_cap == num(c, "PartCap"));
    CHECK(n->device_id == num(c, "DevId"));
    CHECK(n->revision == num(c, "Revision"));
    CHECK(n->local_port_num == num(c, "LocalPort"));
    CHECK(n->vendor_id == num(c, "VendorId"));
    // Byte-exact: encoding the decoded value gives the captured attribute.
    SmpData attr{};
    std::copy_n(s.data.begin(), 40, attr.begin());
    CHECK(encode(*n) == attr);
  }
}

TEST_CASE("MAD captures: NodeDescription", "[backend]") {
  const Capture c = load("nodedesc-switch");
  const Smp s = smp_with(c, AttrId::NodeDescription);
  answers_its_request(s);
  auto d = decode_node_description(s.data);
  REQUIRE(d);
  CHECK(d->text == text(c, "Node Description"));
  CHECK(encode(*d) == s.data);
}

TEST_CASE("MAD captures: PortInfo field by field, and the model's view matches ibnetdiscover", "[backend]") {
  const PortInfo port0 = check_port_info("portinfo-switch-port0").info;
  CHECK((port0.capability_mask & cap_is_extended_speeds_supported) != 0);
  struct Case {
    const char* name;
    model::Guid guid;      // port GUID (switches: node GUID)
    bool on_switch;
  };
  const Case cases[] = {
      {"portinfo-ca-fdr", 0x0002c90100000011ull, false},
      {"portinfo-switch-hdr", 0x0002c90000001000ull, true},
      {"portinfo-switch-12xqdr", 0x0002c90000001000ull, true},
      {"portinfo-switch-1xddr", 0x0002c90000001000ull, true},
      {"portinfo-switch-2xsdr", 0x0002c90000001001ull, true},
  };
  for (const Case& k : cases) {
    INFO(k.name);
    const auto [p, port] = check_port_info(k.name);
    // spine-2 is another switch; ibsim gives every switch port 0 the same mask.
    auto a = to_attributes(p, k.guid, k.on_switch ? std::optional<std::uint32_t>(port0.capability_mask) : std::nullopt);
    REQUIRE(a);
    const model::Port want = fixture_port(k.guid, port);
    CHECK(a->width == want.attributes.width);
    CHECK(a->speed == want.attributes.speed);
    CHECK(a->state == model::PortState::Active);
    CHECK(a->phys_state == model::PhysState::LinkUp);
  }
  SECTION("the CA port's LID is the one ibnetdiscover saw") {
    const PortInfo p = check_port_info("portinfo-ca-fdr").info;
    CHECK(p.lid == fixture_port(0x0002c90100000011ull, 1).attributes.lid);
  }
  SECTION("LID-routed capture") {
    const Capture c = load("portinfo-lid");
    const Smp s = smp_with(c, AttrId::PortInfo);
    CHECK_FALSE(s.directed());
    answers_its_request(s);
    check_port_info("portinfo-lid");
  }
}

TEST_CASE("MAD captures: SwitchInfo", "[backend]") {
  const Capture c = load("switchinfo");
  const Smp s = smp_with(c, AttrId::SwitchInfo);
  answers_its_request(s);
  auto v = decode_switch_info(s.data);
  REQUIRE(v);
  CHECK(v->linear_fdb_cap == num(c, "LinearFdbCap"));
  CHECK(v->random_fdb_cap == num(c, "RandomFdbCap"));
  CHECK(v->multicast_fdb_cap == num(c, "McastFdbCap"));
  CHECK(v->linear_fdb_top == num(c, "LinearFdbTop"));
  CHECK(v->default_port == num(c, "DefPort"));
  CHECK(v->default_multicast_primary_port == num(c, "DefMcastPrimPort"));
  CHECK(v->default_multicast_not_primary_port == num(c, "DefMcastNotPrimPort"));
  CHECK(v->life_time_value == num(c, "LifeTime"));
  CHECK(v->port_state_change == (num(c, "StateChange") != 0));
  CHECK(v->optimized_sl_to_vl_mapping_programming == num(c, "OptSLtoVLMapping"));
  CHECK(v->lids_per_port == num(c, "LidsPerPort"));
  CHECK(v->partition_enforcement_cap == num(c, "PartEnforceCap"));
  CHECK(v->inbound_enforcement_cap == (num(c, "InboundPartEnf") != 0));
  CHECK(v->outbound_enforcement_cap == (num(c, "OutboundPartEnf") != 0));
  CHECK(v->filter_raw_inbound_cap == (num(c, "FilterRawInbound") != 0));
  CHECK(v->filter_raw_outbound_cap == (num(c, "FilterRawOutbound") != 0));
  CHECK(v->enhanced_port0 == (num(c, "EnhancedPort0") != 0));
  CHECK(v->multicast_fdb_top == num(c, "MulticastFDBTop"));
}

TEST_CASE("MAD captures: P_KeyTable blocks as smpquery pkeys prints them", "[backend]") {
  const Capture c = load("pkeys-ca");
  std::vector<std::uint16_t> printed;
  for (const std::string& line : c.lines) {
    std::istringstream s(line);
    unsigned index = 0;
    char colon = 0;
    if (!(s >> index >> colon) || colon != ':') continue;
    REQUIRE(index == printed.size());
    std::string v;
    while (s >> v) printed.push_back(static_cast<std::uint16_t>(std::stoul(v, nullptr, 16)));
  }
  REQUIRE(printed.size() == 64);
  const auto blocks = smps_with(c, AttrId::PKeyTable);
  REQUIRE(blocks.size() == 2);
  for (const Smp& s : blocks) {
    answers_its_request(s);
    const unsigned block = s.header.attr_mod & 0xffff;
    auto b = decode_pkey_block(s.data);
    REQUIRE(b);
    for (unsigned i = 0; i < 32; ++i) CHECK(b->entries[i] == printed[block * 32 + i]);
  }
  CHECK(printed[0] == 0xffff);
}

TEST_CASE("MAD captures: SL2VL tables of a switch", "[backend]") {
  const Capture c = load("sl2vl-switch");
  std::map<std::uint32_t, std::vector<unsigned>> printed;  // attr mod -> VLs
  for (const std::string& line : c.lines) {
    unsigned in = 0, out = 0;
    if (std::sscanf(line.c_str(), "ports: in %u, out %u:", &in, &out) != 2) continue;
    std::vector<unsigned> vls;
    std::istringstream s(line.substr(line.find('|') + 1));
    std::string cell;
    while (std::getline(s, cell, '|'))
      if (cell.find_first_not_of(' ') != std::string::npos) vls.push_back(unsigned(std::stoul(cell)));
    printed[sl2vl_attr_mod(model::PortNum(in), model::PortNum(out))] = vls;
  }
  const auto tables = smps_with(c, AttrId::SL2VLTable);
  REQUIRE(tables.size() == printed.size());
  REQUIRE(tables.size() == 13);
  for (const Smp& s : tables) {
    answers_its_request(s);
    auto t = decode_sl2vl(s.data);
    REQUIRE(t);
    const auto& want = printed.at(s.header.attr_mod);
    REQUIRE(want.size() == 16);
    for (unsigned sl = 0; sl < 16; ++sl) CHECK(t->vl[sl] == want[sl]);
  }
}

TEST_CASE("MAD captures: LinearForwardingTable as ibroute prints it", "[backend]") {
  const Capture c = load("lft-switch");
  std::map<unsigned, unsigned> printed;  // LID -> port
  for (const std::string& line : c.lines) {
    unsigned lid = 0, port = 0;
    if (std::sscanf(line.c_str(), "0x%x %u :", &lid, &port) == 2) printed[lid] = port;
  }
  REQUIRE(printed.size() == 8);
  const auto blocks = smps_with(c, AttrId::LinearForwardingTable);
  REQUIRE(blocks.size() == 1);
  answers_its_request(blocks[0]);
  CHECK(blocks[0].header.attr_mod == 0);
  auto b = decode_lft_block(blocks[0].data);
  REQUIRE(b);
  for (auto [lid, port] : printed) CHECK(b->ports[lid] == port);
  // SwitchInfo read by ibroute: LinearFDBTop bounds what it printed.
  auto si = decode_switch_info(smp_with(c, AttrId::SwitchInfo).data);
  REQUIRE(si);
  CHECK(si->linear_fdb_top == printed.rbegin()->first);
}

TEST_CASE("MAD captures: PortCounters and PortCountersExtended as perfquery prints them", "[backend]") {
  SECTION("PortCounters") {
    const Capture c = load("perf-counters");
    const PerfMad m = perf_with(c, PerfAttr::PortCounters);
    CHECK(check_response(make_perf_get(1, PerfAttr::PortCounters, 1, m.header.tid & tid_mask), m));
    auto v = decode_port_counters(m.data);
    REQUIRE(v);
    CHECK(v->port_select == num(c, "PortSelect"));
    CHECK(v->counter_select == num(c, "CounterSelect"));
    CHECK(v->symbol_error_counter == num(c, "SymbolErrorCounter"));
    CHECK(v->link_error_recovery_counter == num(c, "LinkErrorRecoveryCounter"));
    CHECK(v->link_downed_counter == num(c, "LinkDownedCounter"));
    CHECK(v->port_rcv_errors == num(c, "PortRcvErrors"));
    CHECK(v->port_rcv_remote_physical_errors == num(c, "PortRcvRemotePhysicalErrors"));
    CHECK(v->port_rcv_switch_relay_errors == num(c, "PortRcvSwitchRelayErrors"));
    CHECK(v->port_xmit_discards == num(c, "PortXmitDiscards"));
    CHECK(v->port_xmit_constraint_errors == num(c, "PortXmitConstraintErrors"));
    CHECK(v->port_rcv_constraint_errors == num(c, "PortRcvConstraintErrors"));
    CHECK(v->counter_select2 == num(c, "CounterSelect2"));
    CHECK(v->local_link_integrity_errors == num(c, "LocalLinkIntegrityErrors"));
    CHECK(v->excessive_buffer_overrun_errors == num(c, "ExcessiveBufferOverrunErrors"));
    CHECK(v->vl15_dropped == num(c, "VL15Dropped"));
    CHECK(v->port_xmit_data == num(c, "PortXmitData"));
    CHECK(v->port_rcv_data == num(c, "PortRcvData"));
    CHECK(v->port_xmit_pkts == num(c, "PortXmitPkts"));
    CHECK(v->port_rcv_pkts == num(c, "PortRcvPkts"));
    CHECK(v->port_xmit_wait == num(c, "PortXmitWait"));
    CHECK(v->port_xmit_data > 0);  // a capture with traffic, so the check can fail
    CHECK(to_counters(&*v, nullptr).tx_bytes == num(c, "PortXmitData") * 4);
    // perfquery prints the agent's ClassPortInfo.CapabilityMask in its title.
    auto cpi = decode_class_port_info(perf_with(c, PerfAttr::ClassPortInfo).data);
    REQUIRE(cpi);
    char title[64];
    std::snprintf(title, sizeof title, "(CapMask: 0x%04x)", unsigned(cpi->capability_mask));
    CHECK_THAT(c.header, Catch::Contains(title));
  }
  for (const char* name : {"perf-counters-ext", "perf-counters-switch"}) {
    const Capture c = load(name);
    INFO(c.command);
    const PerfMad m = perf_with(c, PerfAttr::PortCountersExtended);
    auto v = decode_port_counters_ext(m.data);
    REQUIRE(v);
    CHECK(v->port_select == num(c, "PortSelect"));
    CHECK(v->counter_select == num(c, "CounterSelect"));
    CHECK(v->port_xmit_data == num(c, "PortXmitData"));
    CHECK(v->port_rcv_data == num(c, "PortRcvData"));
    CHECK(v->port_xmit_pkts == num(c, "PortXmitPkts"));
    CHECK(v->port_rcv_pkts == num(c, "PortRcvPkts"));
    CHECK(v->port_unicast_xmit_pkts == num(c, "PortUnicastXmitPkts"));
    CHECK(v->port_unicast_rcv_pkts == num(c, "PortUnicastRcvPkts"));
    CHECK(v->port_multicast_xmit_pkts == num(c, "PortMulticastXmitPkts"));
    CHECK(v->port_multicast_rcv_pkts == num(c, "PortMulticastRcvPkts"));
    CHECK(v->port_xmit_data > 0);
    const model::PortCounters mc = to_counters(nullptr, &*v);
    CHECK(mc.rx_bytes == num(c, "PortRcvData") * 4);
    CHECK(mc.rx_packets == num(c, "PortRcvPkts"));
  }
}

// ---- dumps of the captured MADs (field tables, mad/tables.hpp) ----------

namespace {

// "Name: value" lines of a dump, in order.
std::vector<std::pair<std::string, std::string>> dump_lines(const std::string& dump) {
  std::vector<std::pair<std::string, std::string>> out;
  std::istringstream in(dump);
  std::string line;
  while (std::getline(in, line)) {
    const auto colon = line.find(": ");
    INFO(line);
    REQUIRE(colon != std::string::npos);
    out.emplace_back(line.substr(0, colon), line.substr(colon + 2));
  }
  return out;
}

std::map<std::string, std::string> dump_map(const std::string& dump) {
  std::map<std::string, std::string> m;
  for (auto& [k, v] : dump_lines(dump)) m[k] = v;
  return m;
}

// dump_mad() of the captured MAD (as received) with attribute `attr`.
template <class Attr>
std::map<std::string, std::string> dumped(const Capture& c, Attr attr) {
  for (const MadBuffer& m : c.mads)
    if (auto h = decode_header(m); h && h->attr_id == static_cast<std::uint16_t>(attr)) return dump_map(dump_mad(m));
  FAIL("no MAD with attribute " << static_cast<unsigned>(attr) << " in: " << c.command);
  return {};
}

// Every pair {dump name, infiniband-diags name} has the same number.
void same_numbers(const std::map<std::string, std::string>& dump, const Capture& c,
                  const std::map<std::string, std::string>& names) {
  for (const auto& [ours, theirs] : names) {
    INFO(ours << " / " << theirs);
    REQUIRE(dump.count(ours));
    CHECK(std::stoull(dump.at(ours), nullptr, 0) == num(c, theirs));
  }
}

} // namespace

TEST_CASE("MAD captures: dump of a NodeInfo, one line per field", "[backend]") {
  const Capture c = load("nodeinfo-switch");
  const Smp s = smp_with(c, AttrId::NodeInfo);
  const std::string d = dump_attribute(AttrId::NodeInfo, s.data);
  CHECK(d ==
        "BaseVersion: 1\n"
        "ClassVersion: 1\n"
        "NodeType: 2\n"
        "NumPorts: 12\n"
        "SystemImageGUID: 0x0002c90000001000\n"
        "NodeGUID: 0x0002c90000001000\n"
        "PortGUID: 0x0002c90000001000\n"
        "PartitionCap: 8\n"
        "DeviceID: 0x0000\n"
        "Revision: 0x000000a1\n"
        "LocalPortNum: 7\n"
        "VendorID: 0x000000\n");
  same_numbers(dump_map(d), c,
               {{"BaseVersion", "BaseVers"}, {"ClassVersion", "ClassVers"}, {"NumPorts", "NumPorts"},
                {"SystemImageGUID", "SystemGuid"}, {"NodeGUID", "Guid"}, {"PortGUID", "PortGuid"},
                {"PartitionCap", "PartCap"}, {"DeviceID", "DevId"}, {"Revision", "Revision"},
                {"LocalPortNum", "LocalPort"}, {"VendorID", "VendorId"}});
}

TEST_CASE("MAD captures: dump of a PortInfo agrees with smpquery", "[backend]") {
  for (const char* name : {"portinfo-ca-fdr", "portinfo-switch-port0", "portinfo-lid"}) {
    const Capture c = load(name);
    INFO(c.command);
    const std::string dumped = dump_attribute(AttrId::PortInfo, smp_with(c, AttrId::PortInfo).data);
    const auto lines = dump_lines(dumped);
    REQUIRE(lines.size() == 51);  // every PortInfo field, in wire order
    CHECK(lines.front().first == "M_Key");
    CHECK(lines[16].first == "LMC");
    CHECK(lines.back().first == "LinkSpeedExtEnabled");
    const auto d = dump_map(dumped);
    same_numbers(d, c,
                 {{"GidPrefix", "GidPrefix"},
                  {"LID", "Lid"},
                  {"MasterSMLID", "SMLid"},
                  {"CapabilityMask", "CapMask"},
                  {"DiagCode", "DiagCode"},
                  {"M_KeyLeasePeriod", "MkeyLeasePeriod"},
                  {"LocalPortNum", "LocalPort"},
                  {"M_KeyProtectBits", "ProtectBits"},
                  {"LMC", "LMC"},
                  {"MasterSMSL", "SMSL"},
                  {"InitType", "InitType"},
                  {"VLHighLimit", "VLHighLimit"},
                  {"VLArbitrationHighCap", "VLArbHighCap"},
                  {"VLArbitrationLowCap", "VLArbLowCap"},
                  {"InitTypeReply", "InitReply"},
                  {"VLStallCount", "VLStallCount"},
                  {"HOQLife", "HoqLife"},
                  {"M_KeyViolations", "MkeyViolations"},
                  {"P_KeyViolations", "PkeyViolations"},
                  {"Q_KeyViolations", "QkeyViolations"},
                  {"GUIDCap", "GuidCap"},
                  {"ClientReregister", "ClientReregister"},
                  {"SubnetTimeOut", "SubnetTimeout"},
                  {"RespTimeValue", "RespTimeVal"},
                  {"LocalPhyErrors", "LocalPhysErr"},
                  {"OverrunErrors", "OverrunErr"},
                  {"MaxCreditHint", "MaxCreditHint"},
                  {"LinkRoundTripLatency", "RoundTrip"},
                  {"CapabilityMask2", "CapabilityMask2"}});
    // Coded fields: the dump gives the code of what smpquery names.
    CHECK(state_text(std::uint8_t(std::stoul(d.at("PortState")))) == text(c, "LinkState"));
    CHECK(phys_text(std::uint8_t(std::stoul(d.at("PortPhysicalState")))) == text(c, "PhysLinkState"));
    CHECK(std::to_string(128u << std::stoul(d.at("NeighborMTU"))) == text(c, "NeighborMTU"));
    CHECK(width_text(std::uint8_t(std::stoul(d.at("LinkWidthActive")))) == text(c, "LinkWidthActive"));
  }
}

TEST_CASE("MAD captures: dump of a NodeDescription", "[backend]") {
  const Capture c = load("nodedesc-switch");
  CHECK(dump_attribute(AttrId::NodeDescription, smp_with(c, AttrId::NodeDescription).data) ==
        "NodeString: " + text(c, "Node Description") + "\n");
}

TEST_CASE("MAD captures: dump_mad gives the header, the SMP or PerfMgt fields, then the attribute", "[backend]") {
  SECTION("directed route") {
    const Capture c = load("nodeinfo-switch");
    const auto d = dumped(c, AttrId::NodeInfo);
    CHECK(d.at("BaseVersion") == "1");
    CHECK(d.at("MgmtClass") == "0x81");
    CHECK(d.at("Method") == "0x81");
    CHECK(d.at("Status") == "0x8000");
    CHECK(d.at("HopCount") == "1");
    CHECK(d.at("AttributeID") == "0x0011");
    CHECK(d.at("DrSLID") == "0xffff");
    CHECK(d.at("InitialPath") == "0 1");  // up to the hop count
    CHECK(d.at("ReturnPath") == "1 7");   // entry 0 as received; octets beyond the count not shown
    CHECK(d.at("NodeInfo.NumPorts") == "12");
    CHECK(d.at("NodeInfo.NodeGUID") == "0x0002c90000001000");
    CHECK(d.count("SMPData") == 0);  // the attribute has a table
  }
  SECTION("LID routed: no DR fields") {
    const Capture c = load("portinfo-lid");
    const auto d = dumped(c, AttrId::PortInfo);
    CHECK(d.at("MgmtClass") == "0x01");
    CHECK(d.count("M_Key") == 1);
    CHECK(d.count("DrSLID") == 0);
    CHECK(d.count("InitialPath") == 0);
    CHECK(std::stoull(d.at("PortInfo.LID")) == num(c, "Lid"));
  }
  SECTION("PerfMgt PortCounters as perfquery printed them") {
    const Capture c = load("perf-counters");
    const auto d = dumped(c, PerfAttr::PortCounters);
    CHECK(d.at("MgmtClass") == "0x04");
    same_numbers(d, c,
                 {{"PortCounters.PortSelect", "PortSelect"},
                  {"PortCounters.SymbolErrorCounter", "SymbolErrorCounter"},
                  {"PortCounters.PortXmitData", "PortXmitData"},
                  {"PortCounters.PortRcvData", "PortRcvData"},
                  {"PortCounters.PortXmitPkts", "PortXmitPkts"},
                  {"PortCounters.PortRcvPkts", "PortRcvPkts"},
                  {"PortCounters.PortXmitWait", "PortXmitWait"},
                  {"PortCounters.VL15Dropped", "VL15Dropped"}});
    CHECK(std::stoull(d.at("PortCounters.PortXmitData")) > 0);
  }
}
