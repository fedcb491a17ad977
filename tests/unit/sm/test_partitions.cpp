// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "ofmf/model/fabric.hpp"
#include "ofmf/sm/partitions.hpp"
#include "ofmf/sm/partitions_conf.hpp"

using namespace ofmf;
using namespace ofmf::sm;
using model::Membership;
using model::PartitionMember;

namespace {

// Switch 0x10 (4 ports) with adapters 0x100 (port GUID 0x101), 0x200
// (0x201, 0x202) and router 0x300 (0x301) on its ports 1, 2, 3.
struct Small {
  model::Fabric f;
  Small() {
    model::NodeSpec s;
    s.type = model::NodeType::Switch;
    s.guid = 0x10;
    s.num_ports = 4;
    const auto sw = *f.add_node(s);
    model::NodeSpec c;
    c.type = model::NodeType::ChannelAdapter;
    c.num_ports = 1;
    c.guid = 0x100;
    const auto a = *f.add_node(c);
    c.guid = 0x200;
    c.num_ports = 2;
    const auto b = *f.add_node(c);
    c.type = model::NodeType::Router;
    c.guid = 0x300;
    c.num_ports = 1;
    const auto r = *f.add_node(c);
    REQUIRE(f.connect({sw, 1}, {a, 1}));
    REQUIRE(f.connect({sw, 2}, {b, 1}));
    REQUIRE(f.connect({sw, 3}, {r, 1}));
  }
};

PartitionPolicy parse(const std::string& text) {
  auto p = parse_partitions_conf(text, "p.conf");
  if (!p) FAIL(p.error().message);
  return *p;
}

const model::Partition* find(const ResolvedPartitions& r, model::PKey k) {
  for (const auto& p : r.partitions)
    if (p.pkey == k) return &p;
  return nullptr;
}

bool warned(const ResolvedPartitions& r, const std::string& what) {
  for (const auto& w : r.warnings)
    if (w.find(what) != std::string::npos) return true;
  return false;
}

} // namespace

TEST_CASE("resolve_partitions: keywords name the fabric's end ports", "[sm]") {
  Small s;
  const auto r = resolve_partitions(parse("A=0x1 : ALL_CAS=full ;\nB=0x2 : ALL_SWITCHES ;\nC=0x3 : ALL_ROUTERS=full ;\n"
                                          "D=0x4 : SELF=full ;\nE=0x5 : ALL ;\n"),
                                    s.f, 0x101);
  using V = std::vector<PartitionMember>;
  CHECK(find(r, 1)->members == V{{0x101, Membership::Full}, {0x201, Membership::Full}, {0x202, Membership::Full}});
  CHECK(find(r, 2)->members == V{{0x10, Membership::Limited}});
  CHECK(find(r, 3)->members == V{{0x301, Membership::Full}});
  CHECK(find(r, 4)->members == V{{0x101, Membership::Full}});
  CHECK(find(r, 5)->members.size() == 5);
  // The default partition: ALL limited, SELF full.
  const auto* d = find(r, 0x7fff);
  REQUIRE(d);
  CHECK(d->members.size() == 5);
  for (const auto& m : d->members) CHECK(m.membership == (m.port_guid == 0x101 ? Membership::Full : Membership::Limited));
  // Ordered by P_Key.
  for (std::size_t i = 1; i < r.partitions.size(); ++i) CHECK(r.partitions[i - 1].pkey < r.partitions[i].pkey);
}

TEST_CASE("resolve_partitions: full wins, both is full, absent ports and empty partitions", "[sm]") {
  Small s;
  const auto r = resolve_partitions(parse("A=0x1 : 0x101=limited, 0x201 ;\nA=0x1 : 0x101=full ;\n"
                                          "B=0x2,defmember=both : 0x202 ;\n"
                                          "C=0x3 : 0xdead ;\nD=0x4 : ;\nE=0x5 : SELF ;\n"),
                                    s.f, 0);
  using V = std::vector<PartitionMember>;
  CHECK(find(r, 1)->members == V{{0x101, Membership::Full}, {0x201, Membership::Limited}});
  CHECK(find(r, 2)->members == V{{0x202, Membership::Full}});
  CHECK(warned(r, "partition B (0x0002): 'both' membership is programmed as full"));
  CHECK_FALSE(find(r, 3));
  CHECK(warned(r, "partition C (0x0003): port 0x000000000000dead is not in the fabric; skipped"));
  CHECK(warned(r, "partition C (0x0003): no member is in the fabric; not programmed"));
  CHECK_FALSE(find(r, 4));
  CHECK_FALSE(find(r, 5));  // SELF without a manager port names nothing
  // The resolved partitions are what the model accepts.
  for (const auto& p : r.partitions) CHECK(s.f.set_partition(p));
}

TEST_CASE("resolve_partitions: multicast groups and index 0", "[sm]") {
  Small s;
  const auto r = resolve_partitions(parse("Default=0x7fff,ipoib,rate=7,mtu=5,scope=2,scope=5 : ALL=full,\n"
                                          "  mgid=ff12:401b::1\n  mgid=ff15::9,scope=8,Q_Key=7\n ;\n"
                                          "S=0x20,indx0,ipoib : ALL ;\nGone=0x21,ipoib : 0x999 ;\n"),
                                    s.f, 0x101);
  std::vector<std::string> mgids;
  for (const auto& g : r.groups) mgids.push_back(format_gid(g.mgid));
  // By P_Key; within a partition its broadcast group first, one per scope.
  CHECK(mgids == std::vector<std::string>{"ff12:401b:8020::ffff:ffff", "ff12:401b:ffff::ffff:ffff",
                                          "ff15:401b:ffff::ffff:ffff", "ff12:401b:ffff::1", "ff15:401b:ffff::1",
                                          "ff18::9"});
  CHECK(r.groups[0].pkey == 0x20);
  CHECK(r.groups[1].qkey == 0x0b1b);
  CHECK(r.groups[1].rate == 7);
  CHECK(r.groups[1].mtu == 5);
  CHECK(r.groups[5].qkey == 7);
  CHECK(r.groups[5].pkey == 0x7fff);
  CHECK(r.index0 == std::vector<model::PKey>{0x20});
}

TEST_CASE("Partition policy JSON: the same policy, errors at their pointer", "[sm]") {
  const auto p = parse("Default=0x7fff,ipoib,scope=2 : ALL=full, 0x2=both,\n mgid=ff12::3,sl=2\n ;\n"
                       "Storage,indx0,Q_Key=0x55,FlowLabel=9 : 0x10=full ;\nEmpty=0x300 : ;\n");
  const std::string j = partitions_to_json(p);
  INFO(j);
  auto back = partitions_from_json(j, "policy.json");
  REQUIRE(back);
  CHECK(*back == p);
  CHECK(back->find(1)->pkey_generated);
  CHECK(partitions_to_json(*back) == j);

  SECTION("the default partition always holds OpenSM's rules first, once") {
    auto r = partitions_from_json(R"({"partitions": [{"pkey": "0x7fff", "members": [{"port": "ALL"}, {"port": "0x5", "membership": "full"}, {"port": "0x5", "membership": "full"}]}]})",
                                  "p.json");
    REQUIRE(r);
    const auto& m = r->find(0x7fff)->members;
    REQUIRE(m.size() == 3);
    CHECK(m[0].kind == MemberKind::All);
    CHECK(m[1].kind == MemberKind::Self);
    CHECK(m[2].guid == 0x5);
    CHECK(r->find(0x7fff)->name == "Default");
  }
  SECTION("no default partition: OpenSM's is added") {
    auto r = partitions_from_json(R"({"partitions": [{"pkey": "0x10", "members": [{"port": "0x1"}]}]})", "p.json");
    REQUIRE(r);
    REQUIRE(r->find(0x7fff));
    CHECK(r->find(0x10)->members[0].membership == RuleMembership::Limited);
  }
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"", "p.json:1:1: "},
      {"{\"partitions\": [\n  {\"pkey\": 1,}]}", "p.json:2:"},
      {"[]", "p.json: /: expected an object"},
      {"{\"parts\": []}", "p.json: /parts: unknown member (known: partitions)"},
      {"{\"partitions\": {}}", "p.json: /partitions: expected an array"},
      {"{\"partitions\": [{}]}", "p.json: /partitions/0/pkey: missing"},
      {"{\"partitions\": [{\"pkey\": 0}]}", "p.json: /partitions/0/pkey: expected a P_Key"},
      {"{\"partitions\": [{\"pkey\": -1}]}", "p.json: /partitions/0/pkey: expected a non-negative whole number"},
      {"{\"partitions\": [{\"pkey\": 1.5}]}", "p.json: /partitions/0/pkey: expected a non-negative whole number"},
      {"{\"partitions\": [{\"pkey\": 1}, {\"pkey\": \"0x8001\"}]}", "p.json: /partitions/1/pkey: P_Key 0x0001 is listed twice"},
      {"{\"partitions\": [{\"pkey\": 1, \"name\": \"a;b\"}]}", "p.json: /partitions/0/name: may hold printable ASCII only"},
      {"{\"partitions\": [{\"pkey\": \"0x7fff\", \"name\": \"Main\"}]}", "p.json: /partitions/0/name: the default partition 0x7fff is named Default"},
      {"{\"partitions\": [{\"pkey\": 1, \"scope\": [2], \"groups\": [{\"mgid\": \"ff12::1\", \"scope\": []}]}]}",
       "/partitions/0/groups/0/scope: may not be empty when the partition has scopes"},
      {"{\"partitions\": [{\"pkey\": 1, \"ipoib\": 1}]}", "p.json: /partitions/0/ipoib: expected true or false"},
      {"{\"partitions\": [{\"pkey\": 1, \"mtu\": 6}]}", "p.json: /partitions/0/mtu: mtu must be 1..5"},
      {"{\"partitions\": [{\"pkey\": 1, \"scope\": [2, 16]}]}", "p.json: /partitions/0/scope/1: scope must be 1..15"},
      {"{\"partitions\": [{\"pkey\": 1, \"color\": 1}]}", "p.json: /partitions/0/color: unknown member"},
      {"{\"partitions\": [{\"pkey\": 1, \"members\": [{\"port\": \"ALLX\"}]}]}", "/partitions/0/members/0/port: 'ALLX' is not"},
      {"{\"partitions\": [{\"pkey\": 1, \"members\": [{\"port\": 5}]}]}", "/partitions/0/members/0/port: expected a port GUID"},
      {"{\"partitions\": [{\"pkey\": 1, \"members\": [{\"port\": \"ALL\", \"membership\": \"x\"}]}]}",
       "/partitions/0/members/0/membership: expected full, limited or both"},
      {"{\"partitions\": [{\"pkey\": 1, \"groups\": [{\"mgid\": \"::1\"}]}]}", "/partitions/0/groups/0/mgid: expected a multicast GID"},
      {"{\"partitions\": [{\"pkey\": 1, \"groups\": [{\"mgid\": \"ff12:401b::1\", \"mtu\": 2}]}]}",
       "/partitions/0/groups: IP multicast group ff12:401b:8001::1 has mtu 2, its partition's broadcast group 4"},
      {"{\"partitions\": [{\"pkey\": 1, \"groups\": [{\"mgid\": \"ff12::1\"}]}, {\"pkey\": 2, \"groups\": [{\"mgid\": \"ff12::1\"}]}]}",
       "/partitions/1/groups/0/mgid: mgid ff12::1 is listed twice (also /partitions/0/groups/0/mgid)"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto r = partitions_from_json(c.text, "p.json");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == make_error_code(errc::parse_error));
    CHECK_THAT(r.error().message, Catch::Contains(c.message));
  }
  SECTION("deep nesting is refused, not followed") {
    std::string deep = "{\"partitions\": [" + std::string(10000, '[') + std::string(10000, ']') + "]}";
    auto r = partitions_from_json(deep, "deep.json");
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains("deep.json: arrays and objects nested deeper than 64 levels"));
  }
}
