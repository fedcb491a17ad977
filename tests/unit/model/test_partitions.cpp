// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include <catch2/catch.hpp>

#include <vector>

#include "ofmf/model/fabric.hpp"

using namespace ofmf;
using namespace ofmf::model;

namespace {

// A switch 0x10 with two single-port adapters 0x100 (port GUID 0x101)
// and 0x200 (port GUID 0x201) on its ports 1 and 2.
struct Small {
  Fabric f;
  NodeId sw, a, b;
  Small() {
    NodeSpec s;
    s.type = NodeType::Switch;
    s.guid = 0x10;
    s.num_ports = 4;
    sw = *f.add_node(s);
    NodeSpec c;
    c.type = NodeType::ChannelAdapter;
    c.num_ports = 1;
    c.guid = 0x100;
    a = *f.add_node(c);
    c.guid = 0x200;
    b = *f.add_node(c);
    REQUIRE(f.connect({sw, 1}, {a, 1}));
    REQUIRE(f.connect({sw, 2}, {b, 1}));
  }
};

} // namespace

TEST_CASE("Partition: P_Key entries carry the membership bit", "[model]") {
  CHECK(pkey_entry(0x7fff, Membership::Full) == 0xffff);
  CHECK(pkey_entry(0x7fff, Membership::Limited) == 0x7fff);
  CHECK(pkey_entry(0x0012, Membership::Full) == 0x8012);
  CHECK(format_pkey(0x12) == "0x0012");
}

TEST_CASE("Fabric: partitions are set, replaced, listed and removed", "[model]") {
  Small s;
  std::vector<Change> seen;
  s.f.subscribe([&](const Change& c) { seen.push_back(c); });
  Partition p{0x0012, "storage", {{0x101, Membership::Full}, {0x10, Membership::Full}, {0x201, Membership::Limited}}};
  REQUIRE(s.f.set_partition(p));
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].kind == ChangeKind::PartitionChanged);
  CHECK(seen[0].pkey == 0x0012);
  CHECK(s.f.partition(0x12) == p);
  CHECK(s.f.pkeys_of(0x201) == std::vector<std::uint16_t>{0x0012});
  CHECK(s.f.pkeys_of(0x101) == std::vector<std::uint16_t>{0x8012});
  CHECK(s.f.pkeys_of(0x999).empty());

  SECTION("replacing keeps one partition per P_Key, listed in P_Key order") {
    REQUIRE(s.f.set_partition({0x7fff, "default", {{0x101, Membership::Full}}}));
    p.members.pop_back();
    REQUIRE(s.f.set_partition(p));
    const auto all = s.f.partitions();
    REQUIRE(all.size() == 2);
    CHECK(all[0] == p);
    CHECK(all[1].pkey == 0x7fff);
    CHECK(s.f.pkeys_of(0x101) == std::vector<std::uint16_t>{0x8012, 0xffff});
  }
  SECTION("removing") {
    const auto gen = s.f.generation();
    REQUIRE(s.f.remove_partition(0x12));
    CHECK(s.f.generation() == gen + 1);
    CHECK_FALSE(s.f.partition(0x12));
    auto r = s.f.remove_partition(0x12);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::not_found);
  }
  SECTION("removing a node drops its memberships and reports the partition") {
    seen.clear();
    REQUIRE(s.f.remove_node(s.b));
    CHECK(s.f.partition(0x12)->members.size() == 2);
    bool reported = false;
    for (const Change& c : seen) reported |= c.kind == ChangeKind::PartitionChanged && c.pkey == 0x12;
    CHECK(reported);
  }
}

TEST_CASE("Fabric: bad partitions are refused and change nothing", "[model]") {
  Small s;
  REQUIRE(s.f.set_partition({0x0001, "a", {{0x101, Membership::Full}}}));
  const auto gen = s.f.generation();
  auto refused = [&](const Partition& p, errc code, const char* says) {
    auto r = s.f.set_partition(p);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == code);
    CHECK_THAT(r.error().message, Catch::Contains(says));
    CHECK(s.f.generation() == gen);
    CHECK(s.f.partition(0x0001)->members.size() == 1);
  };
  refused({0x0000, "", {}}, errc::invalid_argument, "0x0001..0x7fff");
  refused({0x8000, "", {}}, errc::invalid_argument, "0x0001..0x7fff");
  refused({0x0001, std::string(65, 'x'), {}}, errc::invalid_argument, "65 bytes");
  refused({0x0001, "", {{0x101, Membership::Full}, {0x101, Membership::Limited}}}, errc::invalid_argument,
          "listed twice");
  refused({0x0001, "", {{0x100, Membership::Full}}}, errc::not_found, "0x0000000000000100");
  refused({0x0001, "", {{0x101, Membership(7)}}}, errc::invalid_argument, "not a Membership");
}

TEST_CASE("Fabric: counters are recorded per port and compared by same_fabric", "[model]") {
  Small s;
  CHECK_FALSE(s.f.counters({s.sw, 1}));
  PortCounters c;
  c.tx_bytes = 4096;
  c.symbol_errors = 3;
  std::vector<Change> seen;
  s.f.subscribe([&](const Change& x) { seen.push_back(x); });
  REQUIRE(s.f.set_counters({s.sw, 0}, c));
  REQUIRE(s.f.set_counters({s.sw, 1}, c));
  CHECK(s.f.counters({s.sw, 1}) == c);
  REQUIRE(seen.size() == 2);
  CHECK(seen[1].kind == ChangeKind::CountersChanged);
  CHECK(seen[1].port == PortRef{s.sw, 1});

  auto r = s.f.set_counters({s.sw, 5}, c);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::out_of_range);
  CHECK(s.f.set_counters({NodeId{99}, 1}, c).error().code == errc::not_found);

  Fabric copy = s.f;
  std::string why;
  CHECK(same_fabric(s.f, copy, &why));
  c.rx_errors = 1;
  REQUIRE(copy.set_counters({*copy.find(0x10), 1}, c));
  CHECK_FALSE(same_fabric(s.f, copy, &why));
  CHECK_THAT(why, Catch::Contains("port 1: counters differ"));
  CHECK(same_topology(s.f, copy));

  REQUIRE(s.f.clear_counters({s.sw, 1}));
  CHECK_FALSE(s.f.counters({s.sw, 1}));
  REQUIRE(s.f.remove_node(s.a));
  CHECK(s.f.counters({s.sw, 0}) == PortCounters{c.tx_bytes, 0, 0, 0, 0, 0, 0, 0, 3});
}

TEST_CASE("same_fabric: partitions must match", "[model]") {
  Small s;
  Fabric copy = s.f;
  REQUIRE(s.f.set_partition({0x0005, "x", {{0x201, Membership::Full}}}));
  std::string why;
  CHECK_FALSE(same_fabric(s.f, copy, &why));
  CHECK_THAT(why, Catch::Contains("1 vs 0 partitions"));
  REQUIRE(copy.set_partition({0x0005, "x", {{0x201, Membership::Limited}}}));
  CHECK_FALSE(same_fabric(s.f, copy, &why));
  CHECK_THAT(why, Catch::Contains("members differ"));
}
