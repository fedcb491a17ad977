// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "ofmf/sm/partitions_conf.hpp"
#include "slurp.hpp"

using namespace ofmf;
using namespace ofmf::sm;

namespace {

PartitionPolicy parse(const std::string& text) {
  auto p = parse_partitions_conf(text, "p.conf");
  if (!p) FAIL(p.error().message);
  return *p;
}

std::string error_of(const std::string& text) {
  auto p = parse_partitions_conf(text, "p.conf");
  REQUIRE_FALSE(p);
  CHECK(p.error().code == make_error_code(errc::parse_error));
  return p.error().message;
}

MemberRule port(model::Guid g, RuleMembership m) { return {MemberKind::Port, g, m, 0}; }
MemberRule kw(MemberKind k, RuleMembership m) { return {k, 0, m, 0}; }

} // namespace

TEST_CASE("partitions.conf: OpenSM's defaults with and without a file", "[sm]") {
  SECTION("no file: Default=0x7fff,ipoib : ALL=full") {
    const auto p = default_partition_policy();
    REQUIRE(p.partitions.size() == 1);
    CHECK(p.partitions[0].pkey == 0x7fff);
    CHECK(p.partitions[0].ipoib);
    CHECK(p.partitions[0].members.back() == kw(MemberKind::All, RuleMembership::Full));
    CHECK(p == parse("Default=0x7fff,ipoib : ALL=full ;"));
    CHECK(*partitions_from_json(partitions_to_json(p), "p.json") == p);
  }
  SECTION("a file without a Default statement: ALL=limited, SELF=full") {
    const auto p = parse("# nothing but a comment\n\n");
    REQUIRE(p.partitions.size() == 1);
    CHECK_FALSE(p.partitions[0].ipoib);
    CHECK(p.partitions[0].members == std::vector<MemberRule>{kw(MemberKind::All, RuleMembership::Limited),
                                                             kw(MemberKind::Self, RuleMembership::Full)});
  }
  SECTION("a Default statement adds to OpenSM's") {
    const auto p = parse("Default=0x7fff, ipoib : ALL=full ;");
    REQUIRE(p.partitions.size() == 1);
    CHECK(p.partitions[0].ipoib);
    CHECK(p.partitions[0].members.size() == 3);  // OpenSM's two, then ALL=full
    CHECK(p.partitions[0].members.back() == kw(MemberKind::All, RuleMembership::Full));
  }
}

TEST_CASE("partitions.conf: the examples of OpenSM's partition-config.txt", "[sm]") {
  const auto p = parse(R"(
 Default=0x7fff : ALL, SELF=full ;
 Default=0x7fff : ALL, ALL_SWITCHES=full, SELF=full ;

 NewPartition , ipoib : 0x123456=full, 0x3456789034=limi, 0x2134af2306 ;

 YetAnotherOne = 0x300 : SELF=full ;
 YetAnotherOne = 0x300 : ALL=limited ;

 ShareIO = 0x80 , defmember=full : 0x123451, 0x123452;
 # 0x123453, 0x123454 will be limited
 ShareIO = 0x80 : 0x123453, 0x123454, 0x123455=full;
 # 0x123456, 0x123457 will be limited
 ShareIO = 0x80 , defmember=limited : 0x123456, 0x123457, 0x123458=full;
 ShareIO = 0x80 , defmember=full : 0x123459, 0x12345a;
 ShareIO = 0x80 , defmember=full : 0x12345b, 0x12345c=limited, 0x12345d;

 # multicast groups added to default
 Default=0x7fff,ipoib:
        mgid=ff12:401b::0707,sl=1 # random IPv4 group
        mgid=ff12:601b::16    # MLDv2-capable routers
        mgid=ff12:401b::16    # IGMP
        mgid=ff12:601b::2     # All routers
        mgid=ff12::1,sl=1,Q_Key=0xDEADBEEF,rate=3,mtu=2 # random group
        ALL=full;
)");
  REQUIRE(p.partitions.size() == 4);
  const PartitionRule* share = p.find(0x80);
  REQUIRE(share);
  using M = RuleMembership;
  CHECK(share->members == std::vector<MemberRule>{
                              port(0x123451, M::Full), port(0x123452, M::Full), port(0x123453, M::Limited),
                              port(0x123454, M::Limited), port(0x123455, M::Full), port(0x123456, M::Limited),
                              port(0x123457, M::Limited), port(0x123458, M::Full), port(0x123459, M::Full),
                              port(0x12345a, M::Full), port(0x12345b, M::Full), port(0x12345c, M::Limited),
                              port(0x12345d, M::Full)});
  const PartitionRule* yet = p.find(0x300);
  REQUIRE(yet);
  CHECK(yet->members == std::vector<MemberRule>{kw(MemberKind::Self, M::Full), kw(MemberKind::All, M::Limited)});
  // NewPartition has no P_Key: the lowest that no statement names.
  const PartitionRule* fresh = p.find(0x0001);
  REQUIRE(fresh);
  CHECK(fresh->name == "NewPartition");
  CHECK(fresh->pkey_generated);
  CHECK(fresh->ipoib);
  CHECK(fresh->members[1] == port(0x3456789034, M::Limited));  // "limi"
  CHECK(fresh->line == 5);
  const PartitionRule* def = p.find(0x7fff);
  REQUIRE(def);
  CHECK(def->ipoib);
  REQUIRE(def->groups.size() == 5);
  CHECK(format_gid(def->groups[0].mgid) == "ff12:401b:ffff::707");  // an IP group takes its partition's P_Key
  CHECK(def->groups[0].flags.sl == 1);
  CHECK(def->groups[0].line == 20);
  CHECK(format_gid(def->groups[4].mgid) == "ff12::1");  // not an IP group: as written
  CHECK(def->groups[4].flags.qkey == 0xdeadbeef);
  CHECK(def->groups[4].flags.mtu == 2);
  // Rules repeated from OpenSM's own default add nothing.
  CHECK(def->members == std::vector<MemberRule>{kw(MemberKind::All, M::Limited), kw(MemberKind::Self, M::Full),
                                                kw(MemberKind::AllSwitches, M::Full), kw(MemberKind::All, M::Full)});
}

TEST_CASE("partitions.conf: statements, names, P_Keys and flags", "[sm]") {
  SECTION("the membership bit is not part of the key; a number alone is the P_Key") {
    const auto p = parse("A=0x8001 : 0x10 ;\n0x0001 : 0x20=full ;\n");
    const PartitionRule* a = p.find(1);
    REQUIRE(a);
    CHECK(a->name == "A");
    CHECK(a->members.size() == 2);
  }
  SECTION("a name without a P_Key joins the partition of that name") {
    const auto p = parse("A=0x10 : 0x1 ;\nA : 0x2 ;\nB : 0x3 ;\nC=0x1 : 0x4;\n");
    CHECK(p.find(0x10)->members.size() == 2);
    // B's generated key skips 0x1, which C names later in the file.
    REQUIRE(p.find(0x2));
    CHECK(p.find(0x2)->name == "B");
    CHECK(p.find(0x1)->name == "C");
  }
  SECTION("statements span lines, white space is free") {
    const auto p = parse("  Storage =\t0x0a ,\n ipoib , mtu = 5 ,rate=7, sl=3,\n scope=2, scope=5,Q_Key=0x1,TClass=8,FlowLabel=0x12345"
                         "\n :\n 0x1 = full ,\n NONE,\n 0x2 ; ");
    const PartitionRule* s = p.find(0x0a);
    REQUIRE(s);
    CHECK(s->line == 1);
    CHECK(s->flags.mtu == 5);
    CHECK(s->flags.rate == 7);
    CHECK(s->flags.sl == 3);
    CHECK(s->flags.scope_mask == ((1u << 2) | (1u << 5)));
    CHECK(s->flags.qkey == 1);
    CHECK(s->flags.tclass == 8);
    CHECK(s->flags.flow_label == 0x12345);
    REQUIRE(s->members.size() == 2);
    CHECK(s->members[1].line == 7);
  }
  SECTION("indx0, defmember=both, ALL_ROUTERS and an empty member list") {
    const auto p = parse("X=0x5,indx0,defmember=both : ALL_ROUTERS, ALL_CAS=limited ;\nEmpty=0x6 : ;\n");
    CHECK(p.find(5)->indx0);
    CHECK(p.find(5)->members == std::vector<MemberRule>{kw(MemberKind::AllRouters, RuleMembership::Both),
                                                        kw(MemberKind::AllCas, RuleMembership::Limited)});
    CHECK(p.find(6)->members.empty());
  }
  SECTION("repeating a P_Key with the same flags, or with none, merges") {
    const auto p = parse("A=0x7,ipoib,mtu=5 : 0x1 ;\nA=0x7 : 0x2 ;\nA=0x7,mtu=5 : 0x3;\n");
    CHECK(p.find(7)->members.size() == 3);
    CHECK(p.find(7)->flags.mtu == 5);
  }
}

TEST_CASE("partitions.conf: errors name the line and what was expected", "[sm]") {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"A=0x10 : 0x1", "p.conf:1: the statement does not end with ';'"},
      {"\n\nA=0x10 0x1 ;", "p.conf:3: expected 'Name[=PKey][,flag]... : members ;'"},
      {"A=0x8000 : ALL ;", "p.conf:1: P_Key 0x8000 is not a partition key"},
      {"A=0x10000 : ALL ;", "p.conf:1: bad P_Key '0x10000'"},
      {"A=zz : ALL ;", "p.conf:1: bad P_Key 'zz'"},
      {"=: ALL ;", "p.conf:1: bad P_Key ''"},
      {" : ALL ;", "p.conf:1: a partition needs a name or a P_Key"},
      {"A=1,\nmtu=9 : ALL ;", "p.conf:2: mtu must be 1..5 (256..4096 bytes), not 9"},
      {"A=1,sl=x : ALL ;", "p.conf:1: sl must be a number 0..15, not 'x'"},
      {"A=1,scope=0 : ALL ;", "p.conf:1: scope must be 1..15, not 0"},
      {"A=1,FlowLabel=0x100000 : ALL ;", "p.conf:1: FlowLabel must be 0..0xfffff"},
      {"A=1,frob : ALL ;", "p.conf:1: unknown partition flag 'frob'"},
      {"A=1,ipoib=1 : ALL ;", "p.conf:1: flag 'ipoib' takes no value"},
      {"A=1,defmember=all : ALL ;", "p.conf:1: defmember must be full, limited or both (not 'all')"},
      {"A=1 :\n 0x1,\n 0x2=fully ;", "p.conf:3: membership 'fully' of 0x2 is not full, limited or both"},
      {"A=1 : 0x1 0x2 ;", "p.conf:1: member '0x1 0x2' is not a port GUID"},
      {"A=1 : all ;", "p.conf:1: member 'all' is not a port GUID"},
      {"A=1 : 0 ;", "p.conf:1: member '0' is not a port GUID"},
      {"A=1 : 0x10000000000000000 ;", "is not a port GUID"},
      {"A=1 :\n mgid=fe80::1\n ALL;", "p.conf:2: mgid 'fe80::1' is not a multicast GID"},
      {"A=1 :\n mgid=ff12::1,color=3\n ;", "p.conf:2: unknown multicast group flag 'color'"},
      {"A=1,mtu=4 :\n mgid=ff12:401b::1,mtu=5\n ;", "p.conf:2: IP multicast group ff12:401b:8001::1 has mtu 5"},
      {"A=1 :\n mgid=ff12:401b::1\n ;\nA=1,mtu=5 : ;",
       "p.conf:2: IP multicast group ff12:401b:8001::1 has mtu 4, its partition's broadcast group 5"},
      {"A\x01B=1 : ALL ;", "p.conf:1: partition name may hold printable ASCII only"},
      {"A=1 :\n mgid=ff12:401b:8002::1\n ;", "p.conf:2: IP multicast group ff12:401b:8002::1 carries P_Key 0x8002"},
      {"A=1 :\n mgid=ff12::1\n ;\nB=2 :\n mgid=ff12::1\n ;", "p.conf:5: mgid ff12::1 is listed twice (also at line 2)"},
      {"A=1,mtu=4 : ALL ;\n\nA=1,mtu=5 : ALL ;", "p.conf:3: partition 0x0001 is defined at line 1 with mtu=4, here with mtu=5"},
      {"A1234567890123456789012345678901234567890123456789012345678901234=1 : ALL ;",
       "p.conf:1: partition name is 65 bytes, at most 64 allowed"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    const std::string m = error_of(c.text);
    CHECK_THAT(m, Catch::Contains(c.message));
  }
}

TEST_CASE("partitions.conf: written out and read back, the same policy", "[sm]") {
  const std::string text = R"(Default=0x7fff,ipoib,scope=2,scope=5 : ALL=full, 0x2=limited ;
Storage,indx0,sl=2,Q_Key=0x55 : 0x10=full, ALL_SWITCHES=both,
   mgid=ff12::9,sl=4
   mgid=ff12:401b::5,scope=8
   mgid=ff15::1
  ;
Empty=0x300 : ;
Groups=0x301 :
  mgid=ff12::77,TClass=4
  ;
)";
  const auto p = parse(text);
  const std::string out = format_partitions_conf(p);
  INFO(out);
  const auto back = parse_partitions_conf(out, "out.conf");
  REQUIRE(back);
  CHECK(*back == p);
  CHECK(format_partitions_conf(*back) == out);
}

TEST_CASE("partitions.conf: limits and files", "[sm]") {
  std::string big(std::size_t(16) << 20, ' ');
  big += "A=1 : ALL ;";
  auto r = parse_partitions_conf(big, "big.conf");
  REQUIRE_FALSE(r);
  CHECK(r.error().code == make_error_code(errc::limit_exceeded));
  auto missing = read_partitions_conf("/nonexistent/partitions.conf");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == make_error_code(errc::io_error));
  CHECK_THAT(missing.error().message, Catch::Contains("/nonexistent/partitions.conf': No such file"));
  // Bytes that are not text are an error at their line, not a crash.
  const std::string junk("A=1 : \x01\xff\x00 ;", 12);
  CHECK_THAT(error_of(junk), Catch::Contains("p.conf:1: member"));
}

TEST_CASE("partitions.conf: the fuzzing seeds are valid policies", "[sm]") {
  const std::string dir = std::string(OFMF_TEST_DATA_DIR) + "/partitions/";
  for (const char* name : {"opensm-examples.conf", "flags.conf"}) {
    INFO(name);
    auto p = read_partitions_conf(dir + name);
    REQUIRE(p);
    CHECK(p->partitions.size() >= 3);
  }
  auto j = partitions_from_json(ofmf::test::slurp(dir + "policy.json"), "policy.json");
  REQUIRE(j);
  CHECK(j->find(0x10)->members[0].membership == RuleMembership::Both);
}
