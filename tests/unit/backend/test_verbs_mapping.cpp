// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// The libibverbs -> model mapping, fed with the attribute values real
// ConnectX adapters report (as ibv_devinfo -v prints them: the number in
// parentheses is the value ibv_query_port returns).
#include <catch2/catch.hpp>

#include "skip.hpp"

#include <array>
#include <cstring>

#include "backend/verbs/mapping.hpp"
#include "ofmf/backend/backend.hpp"
#include "ofmf/backend/inventory.hpp"

using namespace ofmf;
using namespace ofmf::backend;
using verbs::VerbsDeviceAttr;
using verbs::VerbsPortAttr;

namespace {

// A value as it lies in memory in network byte order (what libibverbs
// hands back for __be64 fields), from the GUID as ibv_devinfo prints it.
std::uint64_t be64(std::array<std::uint8_t, 8> bytes) {
  std::uint64_t v;
  std::memcpy(&v, bytes.data(), 8);
  return v;
}

// ibv_devinfo -v of a ConnectX-6 HDR adapter (MT4123) on an InfiniBand fabric:
//   fw_ver 20.31.1014, node_guid b859:9f03:00d4:2c1a, vendor_id 0x02c9,
//   vendor_part_id 4123, hw_ver 0x0, phys_port_cnt 1; port 1: state
//   PORT_ACTIVE (4), max_mtu 4096 (5), active_mtu 4096 (5), sm_lid 1,
//   port_lid 12, port_lmc 0x00, link_layer InfiniBand, active_width 4X (2),
//   active_speed 50.0 Gbps (64), phys_state LINK_UP (5),
//   GID[0] fe80:0000:0000:0000:b859:9f03:00d4:2c1a.
VerbsDeviceAttr connectx6() {
  VerbsDeviceAttr d;
  d.name = "mlx5_0";
  d.node_type = 1;
  d.fw_ver = "20.31.1014";
  d.node_guid_be = be64({0xb8, 0x59, 0x9f, 0x03, 0x00, 0xd4, 0x2c, 0x1a});
  d.sys_image_guid_be = d.node_guid_be;
  d.vendor_id = 0x02c9;
  d.vendor_part_id = 4123;
  d.hw_ver = 0;
  d.phys_port_cnt = 1;
  return d;
}

VerbsPortAttr connectx6_port() {
  VerbsPortAttr p;
  p.state = 4;
  p.max_mtu = 5;
  p.active_mtu = 5;
  p.sm_lid = 1;
  p.lid = 12;
  p.lmc = 0;
  p.link_layer = 1;
  p.active_width = 2;
  p.active_speed = 64;
  p.phys_state = 5;
  p.gid0_interface_id_be = be64({0xb8, 0x59, 0x9f, 0x03, 0x00, 0xd4, 0x2c, 0x1a});
  return p;
}

// ibv_devinfo -v of a ConnectX-5 (MT4119) port in Ethernet mode (RoCE),
// 100 GbE: state PORT_ACTIVE (4), max_mtu 4096 (5), active_mtu 1024 (3),
// sm_lid 0, port_lid 0, link_layer Ethernet, active_width 4X (2),
// active_speed 25.0 Gbps (32), phys_state LINK_UP (5),
// GID[0] fe80:0000:0000:0000:0e42:a1ff:fe11:2233 (from MAC 0c:42:a1:11:22:33).
VerbsPortAttr connectx5_roce_port() {
  VerbsPortAttr p;
  p.state = 4;
  p.max_mtu = 5;
  p.active_mtu = 3;
  p.link_layer = 2;
  p.active_width = 2;
  p.active_speed = 32;
  p.phys_state = 5;
  p.gid0_interface_id_be = be64({0x0e, 0x42, 0xa1, 0xff, 0xfe, 0x11, 0x22, 0x33});
  return p;
}

} // namespace

TEST_CASE("Verbs mapping: a ConnectX-6 HDR InfiniBand port", "[backend]") {
  const std::array ports{connectx6_port()};
  auto d = verbs::map_device(connectx6(), ports);
  REQUIRE(d);
  CHECK(d->name == "mlx5_0");
  CHECK(d->node_guid == 0xb8599f0300d42c1aULL);
  CHECK(d->system_guid == 0xb8599f0300d42c1aULL);
  CHECK(d->vendor_id == 0x02c9);
  CHECK(d->vendor_part_id == 4123);
  CHECK(d->firmware == "20.31.1014");
  CHECK(d->node_type == model::NodeType::ChannelAdapter);
  REQUIRE(d->ports.size() == 1);
  const RdmaPort& p = d->ports[0];
  CHECK(p.number == 1);
  CHECK(p.link_layer == LinkLayer::InfiniBand);
  CHECK(p.attributes.state == model::PortState::Active);
  CHECK(p.attributes.phys_state == model::PhysState::LinkUp);
  CHECK(p.attributes.lid == 12);
  CHECK(p.attributes.lmc == 0);
  CHECK(p.sm_lid == 1);
  CHECK(p.attributes.width == model::LinkWidth::X4);
  CHECK(p.attributes.speed == model::LinkSpeed::HDR);
  CHECK(model::lanes(p.attributes.width) * model::lane_data_rate_gbps(p.attributes.speed) == Approx(200.0));
  CHECK(p.attributes.mtu == model::Mtu::Mtu4096);
  CHECK(p.max_mtu == model::Mtu::Mtu4096);
  CHECK(p.attributes.guid == 0xb8599f0300d42c1aULL);
  CHECK(p.notes.empty());
}

TEST_CASE("Verbs mapping: a ConnectX-5 RoCE port is Ethernet without LIDs", "[backend]") {
  VerbsDeviceAttr d = connectx6();
  d.name = "mlx5_1";
  d.vendor_part_id = 4119;
  d.node_guid_be = be64({0x0c, 0x42, 0xa1, 0x03, 0x00, 0x11, 0x22, 0x33});
  VerbsPortAttr port = connectx5_roce_port();
  port.lid = 0xffff;  // whatever the driver leaves there: not a LID on Ethernet
  const std::array ports{port};
  auto dev = verbs::map_device(d, ports);
  REQUIRE(dev);
  const RdmaPort& p = dev->ports.at(0);
  CHECK(p.link_layer == LinkLayer::Ethernet);
  CHECK(to_string(p.link_layer) == "Ethernet");
  CHECK(p.attributes.lid == 0);
  CHECK(p.attributes.mtu == model::Mtu::Mtu1024);
  CHECK(p.attributes.speed == model::LinkSpeed::EDR);  // 25 Gbit/s per lane x 4 = 100 GbE
  CHECK(p.attributes.guid == 0x0e42a1fffe112233ULL);
}

TEST_CASE("Verbs mapping: encodings at the edges", "[backend]") {
  SECTION("every speed code of ibv_port_attr.active_speed") {
    const std::pair<std::uint8_t, model::LinkSpeed> codes[] = {
        {1, model::LinkSpeed::SDR}, {2, model::LinkSpeed::DDR}, {4, model::LinkSpeed::QDR},
        {8, model::LinkSpeed::FDR10}, {16, model::LinkSpeed::FDR}, {32, model::LinkSpeed::EDR},
        {64, model::LinkSpeed::HDR}, {128, model::LinkSpeed::NDR}};
    for (auto [code, speed] : codes) {
      VerbsPortAttr a = connectx6_port();
      a.active_speed = code;
      auto p = verbs::map_port(1, a);
      REQUIRE(p);
      CHECK(p->attributes.speed == speed);
    }
  }
  SECTION("every width code") {
    const std::pair<std::uint8_t, model::LinkWidth> codes[] = {
        {1, model::LinkWidth::X1}, {2, model::LinkWidth::X4}, {4, model::LinkWidth::X8},
        {8, model::LinkWidth::X12}, {16, model::LinkWidth::X2}};
    for (auto [code, width] : codes) {
      VerbsPortAttr a = connectx6_port();
      a.active_width = code;
      auto p = verbs::map_port(1, a);
      REQUIRE(p);
      CHECK(p->attributes.width == width);
    }
  }
  SECTION("ACTIVE_DEFER counts as active; a down port keeps its state") {
    VerbsPortAttr a = connectx6_port();
    a.state = 5;
    CHECK(verbs::map_port(1, a)->attributes.state == model::PortState::Active);
    a.state = 1;
    a.phys_state = 3;
    auto p = verbs::map_port(1, a);
    CHECK(p->attributes.state == model::PortState::Down);
    CHECK(p->attributes.phys_state == model::PhysState::Disabled);
  }
  SECTION("an unknown speed code becomes a note, not an error") {
    VerbsPortAttr a = connectx6_port();
    a.active_speed = 0;  // a link that is down reports no speed
    auto p = verbs::map_port(1, a);
    REQUIRE(p);
    REQUIRE(p->notes.size() == 1);
    CHECK_THAT(p->notes[0], Catch::Contains("speed code 0"));
  }
  SECTION("impossible values are refused with the field named") {
    VerbsPortAttr a = connectx6_port();
    a.active_mtu = 7;
    auto p = verbs::map_port(1, a);
    REQUIRE_FALSE(p);
    CHECK(p.error().code == errc::protocol_error);
    CHECK_THAT(p.error().message, Catch::Contains("MTU"));
    a = connectx6_port();
    a.link_layer = 9;
    CHECK(verbs::map_port(1, a).error().code == errc::protocol_error);
    CHECK(verbs::map_port(0, connectx6_port()).error().code == errc::out_of_range);
  }
  SECTION("port count must match phys_port_cnt") {
    VerbsDeviceAttr d = connectx6();
    d.phys_port_cnt = 2;
    const std::array ports{connectx6_port()};
    auto r = verbs::map_device(d, ports);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::inconsistent);
    CHECK_THAT(r.error().message, Catch::Contains("mlx5_0"));
  }
}

TEST_CASE("Verbs mapping: devices become channel adapters of the model", "[backend]") {
  VerbsDeviceAttr two = connectx6();
  two.phys_port_cnt = 2;
  VerbsPortAttr p2 = connectx6_port();
  p2.lid = 13;
  p2.gid0_interface_id_be = 0;  // no GID: the port GUID is derived
  const std::array ports{connectx6_port(), p2};
  auto dev = verbs::map_device(two, ports);
  REQUIRE(dev);
  auto fabric = verbs::to_fabric(std::span(&*dev, 1));
  REQUIRE(fabric);
  REQUIRE(fabric->node_count() == 1);
  const auto id = fabric->find(0xb8599f0300d42c1aULL);
  REQUIRE(id);
  const model::Node n = *fabric->node(*id);
  CHECK(n.type == model::NodeType::ChannelAdapter);
  CHECK(n.description == "mlx5_0");
  CHECK(n.vendor_id == 0x02c9);
  CHECK(n.device_id == 4123);
  REQUIRE(n.num_ports() == 2);
  CHECK(n.ports[1].attributes.lid == 12);
  CHECK(n.ports[1].attributes.guid == 0xb8599f0300d42c1aULL);
  CHECK(n.ports[2].attributes.lid == 13);
  CHECK(n.ports[2].attributes.guid == 0xb8599f0300d42c1aULL + 2);
  CHECK(n.ports[1].attributes.speed == model::LinkSpeed::HDR);
  CHECK(fabric->link_count() == 0);
}

TEST_CASE("Verbs backend: without a device it says so and lists nothing", "[backend][hw]") {
  auto b = make_backend("verbs");
  if (!b) SKIP("built without libibverbs");
  auto devices = verbs_inventory();
  REQUIRE(devices);
  if (!devices->empty()) SKIP("an RDMA device is present; this case is for hosts without one");
  auto caps = (*b)->probe();
  REQUIRE(caps);
  CHECK(caps->empty());
  auto s = (*b)->open({});
  REQUIRE_FALSE(s);
  CHECK(s.error().code == errc::unavailable);
  CHECK_THAT(s.error().message, Catch::Contains("no RDMA device"));
}

TEST_CASE("Verbs backend: present devices map without error", "[backend][hw]") {
  auto devices = verbs_inventory();
  if (!devices && devices.error().code == errc::not_supported) SKIP("built without libibverbs");
  REQUIRE(devices);
  if (devices->empty()) SKIP("no RDMA device on this host");
  auto b = make_backend("verbs");
  REQUIRE(b);
  auto s = (*b)->open({});
  REQUIRE(s);
  auto delta = (*s)->discover();
  REQUIRE(delta);
  CHECK(delta->fabric.node_count() == devices->size());
}
