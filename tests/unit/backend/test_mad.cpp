// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// The MAD codec against wire images built here from the IBA field
// offsets (independently of the codec), round trips of every attribute,
// and every rejection path.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

#include "backend/umad/mad.hpp"

using namespace ofmf;
using namespace ofmf::backend::umad;

namespace {

// Big-endian writers for building images by octet offset.
void be16(std::uint8_t* p, std::uint16_t v) {
  p[0] = std::uint8_t(v >> 8);
  p[1] = std::uint8_t(v);
}
void be32(std::uint8_t* p, std::uint32_t v) {
  for (int i = 3; i >= 0; --i, v >>= 8) p[i] = std::uint8_t(v);
}
void be64(std::uint8_t* p, std::uint64_t v) {
  for (int i = 7; i >= 0; --i, v >>= 8) p[i] = std::uint8_t(v);
}

// A DR SMP GetResp image: IBA 13.4.3 header and 14.2.1.2 DR fields.
MadBuffer dr_image(std::uint16_t attr, std::uint32_t mod, std::uint64_t tid, std::uint8_t hops) {
  MadBuffer b{};
  b[0] = 1;     // BaseVersion
  b[1] = 0x81;  // SubnDirected
  b[2] = 1;     // ClassVersion
  b[3] = 0x81;  // GetResp
  be16(&b[4], 0x8000);  // D bit
  b[6] = hops;  // HopPointer
  b[7] = hops;  // HopCount
  be64(&b[8], tid);
  be16(&b[16], attr);
  be32(&b[20], mod);
  be16(&b[32], 0xFFFF);
  be16(&b[34], 0xFFFF);
  return b;
}

Smp roundtrip(const Smp& s) {
  MadBuffer b;
  encode(s, b);
  auto d = decode_smp(b);
  REQUIRE(d);
  return *d;
}

} // namespace

TEST_CASE("MAD DrPath: extend, text form, limits", "[backend]") {
  DrPath p;
  CHECK(p.to_string() == "0");
  auto p1 = p.extend(1);
  REQUIRE(p1);
  auto p2 = p1->extend(3);
  REQUIRE(p2);
  CHECK(p2->hops == 2);
  CHECK(p2->ports[1] == 1);
  CHECK(p2->ports[2] == 3);
  CHECK(p2->to_string() == "0,1,3");
  CHECK(p.extend(0).error().code == errc::invalid_argument);
  CHECK(p.extend(255).error().code == errc::invalid_argument);

  SECTION("parse is the inverse of to_string") {
    auto q = DrPath::parse("0,1,3");
    REQUIRE(q);
    CHECK(*q == *p2);
    CHECK(*DrPath::parse("1,3") == *p2);
    CHECK(DrPath::parse("0")->hops == 0);
    CHECK_FALSE(DrPath::parse(""));
    CHECK_FALSE(DrPath::parse("0,,1"));
    CHECK_FALSE(DrPath::parse("0,x"));
    CHECK_FALSE(DrPath::parse("0,255"));
    CHECK_FALSE(DrPath::parse("0,1,0"));
  }
  SECTION("at most 63 hops") {
    DrPath full;
    for (int i = 0; i < 63; ++i) full = *full.extend(2);
    CHECK(full.hops == 63);
    CHECK(full.extend(2).error().code == errc::limit_exceeded);
    std::string text = "0";
    for (int i = 0; i < 64; ++i) text += ",2";
    CHECK(DrPath::parse(text).error().code == errc::limit_exceeded);
  }
  SECTION("equality ignores entries beyond the hop count") {
    DrPath a = *p2, b = *p2;
    b.ports[5] = 9;
    CHECK(a == b);
    b.ports[2] = 4;
    CHECK_FALSE(a == b);
  }
}

TEST_CASE("MAD SMP: directed-route Get is encoded at the IBA offsets", "[backend]") {
  const DrPath path = *DrPath::parse("0,1,3");
  const Smp s = make_dr_get(path, AttrId::PortInfo, 7, 0x1122334455667788ull);
  CHECK(s.directed());
  MadBuffer b;
  encode(s, b);
  MadBuffer want{};
  want[0] = 1;
  want[1] = 0x81;
  want[2] = 1;
  want[3] = 0x01;
  want[6] = 0;  // hop pointer
  want[7] = 2;  // hop count
  be64(&want[8], 0x1122334455667788ull);
  be16(&want[16], 0x0015);
  be32(&want[20], 7);
  be16(&want[32], 0xFFFF);
  be16(&want[34], 0xFFFF);
  want[128 + 1] = 1;
  want[128 + 2] = 3;
  CHECK(b == want);

  const Smp d = roundtrip(s);
  CHECK(d.header == s.header);
  CHECK(d.initial_path == path);
  CHECK(d.dr_slid == permissive_lid);
  CHECK(d.dr_dlid == permissive_lid);
}

TEST_CASE("MAD SMP: LID-routed Set carries data, no DR fields", "[backend]") {
  SmpData data{};
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = std::uint8_t(i + 1);
  const Smp s = make_lid_set(0x0042, AttrId::LinearForwardingTable, 3, 99, data);
  CHECK_FALSE(s.directed());
  CHECK(s.dest_lid == 0x0042);
  MadBuffer b;
  encode(s, b);
  CHECK(b[1] == 0x01);
  CHECK(b[3] == 0x02);
  CHECK(b[32] == 0);
  CHECK(b[33] == 0);
  CHECK(std::memcmp(&b[64], data.data(), 64) == 0);
  for (std::size_t i = 128; i < 256; ++i) CHECK(b[i] == 0);
  const Smp d = roundtrip(s);
  CHECK(d.data == data);
  CHECK(d.header == s.header);
}

TEST_CASE("MAD SMP: malformed input is rejected with the field named", "[backend]") {
  MadBuffer good = dr_image(0x0011, 0, 5, 1);
  REQUIRE(decode_smp(good));
  auto rejected = [](std::span<const std::uint8_t> bytes, const char* what) {
    auto r = decode_smp(bytes);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::protocol_error);
    CHECK_THAT(r.error().message, Catch::Contains(what));
  };
  SECTION("truncated") {
    rejected(std::span<const std::uint8_t>(good.data(), 255), "255 octets");
    rejected(std::span<const std::uint8_t>(good.data(), 0), "0 octets");
  }
  SECTION("bad base version") {
    good[0] = 2;
    rejected(good, "base version");
  }
  SECTION("bad class") {
    good[1] = 0x04;
    rejected(good, "management class");
  }
  SECTION("bad class version") {
    good[2] = 2;
    rejected(good, "class version");
  }
  SECTION("hop count 64") {
    good[7] = 64;
    good[6] = 0;
    rejected(good, "hop count 64");
  }
  SECTION("hop pointer past the end") {
    good[7] = 3;
    good[6] = 5;
    rejected(good, "hop pointer");
  }
  SECTION("longer input: the rest is ignored") {
    std::vector<std::uint8_t> longer(good.begin(), good.end());
    longer.resize(300, 0xAB);
    CHECK(decode_smp(longer));
  }
}

TEST_CASE("MAD check_response: every mismatch and status is reported", "[backend]") {
  const DrPath path = *DrPath::parse("0,4");
  const Smp q = make_dr_get(path, AttrId::NodeInfo, 0, 0x0000000012345678ull);
  auto answer = [&] {
    Smp r = q;
    r.header.method = 0x81;
    r.header.status = dr_direction_bit;
    r.header.hop_pointer = 1;
    r.header.tid = 0x0000000712345678ull;  // high 32 bits replaced by the umad agent
    return r;
  };
  CHECK(check_response(q, answer()));

  Smp r = answer();
  SECTION("wrong transaction ID") {
    r.header.tid = 0x0000000712345679ull;
    auto c = check_response(q, r);
    REQUIRE_FALSE(c);
    CHECK(c.error().code == errc::protocol_error);
    CHECK_THAT(c.error().message, Catch::Contains("transaction ID"));
  }
  SECTION("wrong method") {
    r.header.method = 0x01;
    CHECK_THAT(check_response(q, r).error().message, Catch::Contains("method Get"));
  }
  SECTION("wrong attribute") {
    r.header.attr_id = 0x0015;
    CHECK_THAT(check_response(q, r).error().message, Catch::Contains("attribute 0x0015"));
  }
  SECTION("wrong modifier") {
    r.header.attr_mod = 1;
    CHECK_THAT(check_response(q, r).error().message, Catch::Contains("modifier"));
  }
  SECTION("wrong class") {
    r.header.mgmt_class = 0x01;
    CHECK_THAT(check_response(q, r).error().message, Catch::Contains("class"));
  }
  SECTION("direction bit missing") {
    r.header.status = 0;
    CHECK_THAT(check_response(q, r).error().message, Catch::Contains("direction"));
  }
  SECTION("hop count changed") {
    r.header.hop_count = 2;
    CHECK_THAT(check_response(q, r).error().message, Catch::Contains("hop count"));
  }
  SECTION("status: unsupported attribute") {
    r.header.status = dr_direction_bit | (3 << 2);
    auto c = check_response(q, r);
    CHECK(c.error().code == errc::not_supported);
    CHECK_THAT(c.error().message, Catch::Contains("unsupported attribute"));
  }
  SECTION("status: method not supported") {
    r.header.status = dr_direction_bit | (2 << 2);
    CHECK(check_response(q, r).error().code == errc::not_supported);
  }
  SECTION("status: invalid field") {
    r.header.status = dr_direction_bit | (7 << 2);
    auto c = check_response(q, r);
    CHECK(c.error().code == errc::invalid_argument);
    CHECK_THAT(c.error().message, Catch::Contains("invalid field"));
  }
  SECTION("status: busy") {
    r.header.status = dr_direction_bit | 1;
    CHECK(check_response(q, r).error().code == errc::busy);
  }
  SECTION("status: bad version") {
    r.header.status = dr_direction_bit | (1 << 2);
    auto c = check_response(q, r);
    CHECK(c.error().code == errc::protocol_error);
    CHECK_THAT(c.error().message, Catch::Contains("bad version"));
  }
  SECTION("LID-routed: no direction bit needed") {
    const Smp lq = make_lid_get(5, AttrId::PortInfo, 1, 42);
    Smp lr = lq;
    lr.header.method = 0x81;
    CHECK(check_response(lq, lr));
  }
}

TEST_CASE("MAD status_text names the IBA status codes", "[backend]") {
  CHECK(status_text(0) == "success");
  CHECK(status_text(0x8000) == "success");
  CHECK(status_text(0x000C) == "unsupported attribute");
  CHECK(status_text(0x001C) == "invalid field");
  CHECK(status_text(0x0008) == "method not supported");
  CHECK(status_text(0x0001) == "busy");
  CHECK(status_text(0x0002) == "redirect required");
  CHECK_THAT(status_text(0x0100), Catch::Contains("class-specific"));
}

TEST_CASE("MAD NodeInfo: wire image, round trip, impossible nodes", "[backend]") {
  // IBA 14.2.5.3 octet offsets.
  SmpData img{};
  img[0] = 1;
  img[1] = 1;
  img[2] = 2;   // switch
  img[3] = 36;  // NumPorts
  be64(&img[4], 0x0002c90300001111ull);
  be64(&img[12], 0x0002c90300002222ull);
  be64(&img[20], 0x0002c90300003333ull);
  be16(&img[28], 8);
  be16(&img[30], 0xc738);
  be32(&img[32], 0x000000a0);
  img[36] = 5;  // LocalPortNum
  img[37] = 0x00;
  img[38] = 0x02;
  img[39] = 0xc9;  // VendorID 0x0002c9
  auto n = decode_node_info(img);
  REQUIRE(n);
  CHECK(n->node_type == 2);
  CHECK(n->num_ports == 36);
  CHECK(n->system_image_guid == 0x0002c90300001111ull);
  CHECK(n->node_guid == 0x0002c90300002222ull);
  CHECK(n->port_guid == 0x0002c90300003333ull);
  CHECK(n->partition_cap == 8);
  CHECK(n->device_id == 0xc738);
  CHECK(n->revision == 0xa0);
  CHECK(n->local_port_num == 5);
  CHECK(n->vendor_id == 0x0002c9);
  CHECK(encode(*n) == img);

  auto rejected = [&](const char* what) {
    auto r = decode_node_info(img);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::protocol_error);
    CHECK_THAT(r.error().message, Catch::Contains(what));
  };
  SECTION("NumPorts 0") {
    img[3] = 0;
    rejected("NumPorts 0");
  }
  SECTION("NumPorts 255") {
    img[3] = 255;
    rejected("NumPorts 255");
  }
  SECTION("node type 0 and 4") {
    img[2] = 0;
    rejected("NodeType 0");
    img[2] = 4;
    rejected("NodeType 4");
  }
  SECTION("LocalPortNum beyond NumPorts") {
    img[36] = 37;
    rejected("LocalPortNum 37");
  }
  SECTION("LocalPortNum 0 on a channel adapter") {
    img[2] = 1;
    img[36] = 0;
    rejected("LocalPortNum 0");
  }
  SECTION("switch port 0 is fine") {
    img[36] = 0;
    CHECK(decode_node_info(img));
  }
  SECTION("truncated") {
    CHECK(decode_node_info(std::span<const std::uint8_t>(img.data(), 39)).error().code == errc::protocol_error);
  }
}

TEST_CASE("MAD NodeDescription: NUL padding trimmed, bytes kept", "[backend]") {
  SmpData img{};
  const char text[] = "sw-1 \xff\xfe mlx5_0";
  std::memcpy(img.data(), text, sizeof text - 1);
  auto d = decode_node_description(img);
  REQUIRE(d);
  CHECK(d->text == std::string(text));
  CHECK(encode(*d) == img);
  SECTION("64 octets without NUL") {
    img.fill('a');
    CHECK(decode_node_description(img)->text == std::string(64, 'a'));
  }
  SECTION("longer text is cut to 64 octets") {
    NodeDescription longer{std::string(80, 'b')};
    CHECK(decode_node_description(encode(longer))->text == std::string(64, 'b'));
  }
  SECTION("truncated") { CHECK_FALSE(decode_node_description(std::span<const std::uint8_t>(img.data(), 63))); }
}

TEST_CASE("MAD PortInfo: wire image at the IBA bit offsets, round trip", "[backend]") {
  // IBA 14.2.5.6, octet by octet.
  SmpData img{};
  be64(&img[0], 0x1111222233334444ull);  // M_Key
  be64(&img[8], 0xfe80000000000000ull);  // GidPrefix
  be16(&img[16], 0x0012);                // LID
  be16(&img[18], 0x0001);                // MasterSMLID
  be32(&img[20], 0x0250c04a);            // CapabilityMask
  be16(&img[24], 0x0003);                // DiagCode
  be16(&img[26], 0x0010);                // M_KeyLeasePeriod
  img[28] = 3;                           // LocalPortNum
  img[29] = 0x03;                        // LinkWidthEnabled
  img[30] = 0x1f;                        // LinkWidthSupported
  img[31] = 0x02;                        // LinkWidthActive 4x
  img[32] = 0x74;                        // LinkSpeedSupported 7 | PortState 4 (Active)
  img[33] = 0x52;                        // PortPhysicalState 5 | LinkDownDefaultState 2
  img[34] = 0x43;                        // M_KeyProtectBits 1 | reserved | LMC 3
  img[35] = 0x47;                        // LinkSpeedActive 4 | LinkSpeedEnabled 7
  img[36] = 0x5a;                        // NeighborMTU 5 | MasterSMSL 10
  img[37] = 0x41;                        // VLCap 4 | InitType 1
  img[38] = 0x07;                        // VLHighLimit
  img[39] = 0x08;                        // VLArbitrationHighCap
  img[40] = 0x09;                        // VLArbitrationLowCap
  img[41] = 0x25;                        // InitTypeReply 2 | MTUCap 5
  img[42] = 0xf3;                        // VLStallCount 7 | HOQLife 19
  img[43] = 0x4a;                        // OperationalVLs 4 | enforcement bits 1010
  be16(&img[44], 11);                    // M_KeyViolations
  be16(&img[46], 12);                    // P_KeyViolations
  be16(&img[48], 13);                    // Q_KeyViolations
  img[50] = 32;                          // GUIDCap
  img[51] = 0xd2;                        // ClientReregister 1 | McastPKeyTrapSupp 2 | SubnetTimeOut 18
  img[52] = 0x11;                        // reserved | RespTimeValue 17
  img[53] = 0x9c;                        // LocalPhyErrors 9 | OverrunErrors 12
  be16(&img[54], 0x1234);                // MaxCreditHint
  img[57] = 0x01;                        // LinkRoundTripLatency 0x010203
  img[58] = 0x02;
  img[59] = 0x03;
  be16(&img[60], 0x0a5a);                // CapabilityMask2
  img[62] = 0x27;                        // LinkSpeedExtActive 2 | LinkSpeedExtSupported 7
  img[63] = 0x1f;                        // reserved | LinkSpeedExtEnabled 31
  auto p = decode_port_info(img);
  REQUIRE(p);
  CHECK(p->m_key == 0x1111222233334444ull);
  CHECK(p->gid_prefix == 0xfe80000000000000ull);
  CHECK(p->lid == 0x12);
  CHECK(p->master_sm_lid == 1);
  CHECK(p->capability_mask == 0x0250c04a);
  CHECK(p->diag_code == 3);
  CHECK(p->m_key_lease_period == 16);
  CHECK(p->local_port_num == 3);
  CHECK(p->link_width_enabled == 3);
  CHECK(p->link_width_supported == 0x1f);
  CHECK(p->link_width_active == 2);
  CHECK(p->link_speed_supported == 7);
  CHECK(p->port_state == 4);
  CHECK(p->port_physical_state == 5);
  CHECK(p->link_down_default_state == 2);
  CHECK(p->m_key_protect_bits == 1);
  CHECK(p->lmc == 3);
  CHECK(p->link_speed_active == 4);
  CHECK(p->link_speed_enabled == 7);
  CHECK(p->neighbor_mtu == 5);
  CHECK(p->master_sm_sl == 10);
  CHECK(p->vl_cap == 4);
  CHECK(p->init_type == 1);
  CHECK(p->vl_high_limit == 7);
  CHECK(p->vl_arbitration_high_cap == 8);
  CHECK(p->vl_arbitration_low_cap == 9);
  CHECK(p->init_type_reply == 2);
  CHECK(p->mtu_cap == 5);
  CHECK(p->vl_stall_count == 7);
  CHECK(p->hoq_life == 19);
  CHECK(p->operational_vls == 4);
  CHECK(p->partition_enforcement_inbound);
  CHECK_FALSE(p->partition_enforcement_outbound);
  CHECK(p->filter_raw_inbound);
  CHECK_FALSE(p->filter_raw_outbound);
  CHECK(p->m_key_violations == 11);
  CHECK(p->p_key_violations == 12);
  CHECK(p->q_key_violations == 13);
  CHECK(p->guid_cap == 32);
  CHECK(p->client_reregister);
  CHECK(p->multicast_pkey_trap_suppression_enabled == 2);
  CHECK(p->subnet_timeout == 18);
  CHECK(p->resp_time_value == 17);
  CHECK(p->local_phy_errors == 9);
  CHECK(p->overrun_errors == 12);
  CHECK(p->max_credit_hint == 0x1234);
  CHECK(p->link_round_trip_latency == 0x010203);
  CHECK(p->capability_mask2 == 0x0a5a);
  CHECK(p->link_speed_ext_active == 2);
  CHECK(p->link_speed_ext_supported == 7);
  CHECK(p->link_speed_ext_enabled == 31);
  CHECK(encode(*p) == img);

  SECTION("to_attributes: extended speed, width, MTU, states") {
    auto a = to_attributes(*p, 0x77);
    REQUIRE(a);
    CHECK(a->guid == 0x77);
    CHECK(a->lid == 0x12);
    CHECK(a->lmc == 3);
    CHECK(a->state == model::PortState::Active);
    CHECK(a->phys_state == model::PhysState::LinkUp);
    CHECK(a->width == model::LinkWidth::X4);
    CHECK(a->speed == model::LinkSpeed::EDR);
    CHECK(a->mtu == model::Mtu::Mtu4096);
  }
  SECTION("reserved PortState and PortPhysicalState are rejected") {
    img[32] = 0x75;
    CHECK_THAT(decode_port_info(img).error().message, Catch::Contains("PortState 5"));
    img[32] = 0x74;
    img[33] = 0x82;
    CHECK_THAT(decode_port_info(img).error().message, Catch::Contains("PortPhysicalState 8"));
  }
  SECTION("truncated") { CHECK_FALSE(decode_port_info(std::span<const std::uint8_t>(img.data(), 63))); }
}

TEST_CASE("MAD PortInfo: speed selection as infiniband-diags does it", "[backend]") {
  PortInfo p;
  p.port_state = 4;
  p.port_physical_state = 5;
  p.link_width_active = 8;
  p.neighbor_mtu = 4;
  p.link_speed_active = 4;  // QDR
  p.link_speed_ext_active = 4;
  SECTION("no IsExtendedSpeedsSupported: LinkSpeedActive") {
    CHECK(to_attributes(p, 1)->speed == model::LinkSpeed::QDR);
  }
  SECTION("the mask of switch port 0 governs the external ports") {
    CHECK(to_attributes(p, 1, cap_is_extended_speeds_supported)->speed == model::LinkSpeed::HDR);
  }
  SECTION("every extended speed") {
    p.capability_mask = cap_is_extended_speeds_supported;
    const std::pair<std::uint8_t, model::LinkSpeed> ext[] = {
        {1, model::LinkSpeed::FDR}, {2, model::LinkSpeed::EDR}, {4, model::LinkSpeed::HDR}, {8, model::LinkSpeed::NDR}};
    for (auto [v, s] : ext) {
      p.link_speed_ext_active = v;
      CHECK(to_attributes(p, 1)->speed == s);
    }
    p.link_speed_ext_active = 0;  // no extended speed active
    CHECK(to_attributes(p, 1)->speed == model::LinkSpeed::QDR);
    p.link_speed_ext_active = 3;
    CHECK(to_attributes(p, 1).error().code == errc::protocol_error);
  }
  SECTION("FDR10 from the vendor attribute") {
    p.link_speed_ext_active = 0;
    CHECK(to_attributes(p, 1, std::nullopt, true)->speed == model::LinkSpeed::FDR10);
  }
  SECTION("base speeds and widths") {
    p.link_speed_active = 1;
    CHECK(to_attributes(p, 1)->speed == model::LinkSpeed::SDR);
    p.link_speed_active = 2;
    CHECK(to_attributes(p, 1)->speed == model::LinkSpeed::DDR);
    const std::pair<std::uint8_t, model::LinkWidth> widths[] = {{1, model::LinkWidth::X1},
                                                                {2, model::LinkWidth::X4},
                                                                {4, model::LinkWidth::X8},
                                                                {8, model::LinkWidth::X12},
                                                                {16, model::LinkWidth::X2}};
    for (auto [v, w] : widths) {
      p.link_width_active = v;
      CHECK(to_attributes(p, 1)->width == w);
    }
  }
  SECTION("nonsense on an active port is an error, on a down port not") {
    p.link_width_active = 3;
    CHECK_THAT(to_attributes(p, 1).error().message, Catch::Contains("LinkWidthActive"));
    p.port_state = 1;
    p.port_physical_state = 2;
    CHECK(to_attributes(p, 1));
    p.port_state = 4;
    p.link_width_active = 2;
    p.neighbor_mtu = 0;
    CHECK_THAT(to_attributes(p, 1).error().message, Catch::Contains("NeighborMTU"));
  }
}

TEST_CASE("MAD PortInfo for_set: IBA rules of a Set", "[backend]") {
  PortInfo cur;
  cur.lid = 4;
  cur.lmc = 0;
  cur.port_state = 2;           // Init
  cur.port_physical_state = 5;  // LinkUp
  cur.link_down_default_state = 2;
  cur.link_width_enabled = 3;
  cur.link_speed_enabled = 7;
  cur.link_speed_ext_enabled = 31;
  cur.link_width_active = 2;
  cur.vl_cap = 4;
  cur.m_key_violations = 3;
  model::PortAttributes want;
  want.lid = 9;
  want.lmc = 2;
  auto s = for_set(cur, want);
  REQUIRE(s);
  CHECK(s->lid == 9);
  CHECK(s->lmc == 2);
  CHECK(s->port_state == 0);
  CHECK(s->port_physical_state == 0);
  CHECK(s->link_down_default_state == 0);
  CHECK(s->link_width_enabled == 0);
  CHECK(s->link_speed_enabled == 0);
  CHECK(s->link_speed_ext_enabled == 0);
  CHECK(s->link_width_active == 2);  // read-only, sent as read
  CHECK(s->vl_cap == 4);
  CHECK_FALSE(s->client_reregister);

  CHECK(for_set(cur, want, model::PortState::Armed)->port_state == 3);
  CHECK(for_set(cur, want, model::PortState::Active)->port_state == 4);
  CHECK(for_set(cur, want, model::PortState::Init).error().code == errc::invalid_argument);
  want.lmc = 8;
  CHECK(for_set(cur, want).error().code == errc::invalid_argument);

  PortInfoChange c;
  c.phys_state = model::PhysState::Disabled;
  c.master_sm_lid = 1;
  c.master_sm_sl = 3;
  c.subnet_timeout = 18;
  c.client_reregister = true;
  auto t = for_set(cur, c);
  REQUIRE(t);
  CHECK(t->lid == 4);
  CHECK(t->port_physical_state == 3);
  CHECK(t->master_sm_lid == 1);
  CHECK(t->master_sm_sl == 3);
  CHECK(t->subnet_timeout == 18);
  CHECK(t->client_reregister);
  c.phys_state = model::PhysState::LinkUp;
  CHECK(for_set(cur, c).error().code == errc::invalid_argument);
  c.phys_state.reset();
  c.master_sm_sl = 16;
  CHECK(for_set(cur, c).error().code == errc::invalid_argument);
}

TEST_CASE("MAD PortInfo for_set: OperationalVLs within VLCap", "[backend]") {
  PortInfo cur;
  cur.vl_cap = 4;  // VL0-7
  cur.operational_vls = 1;
  PortInfoChange c;
  CHECK(for_set(cur, c)->operational_vls == 1);  // as read when not changed
  c.operational_vls = 3;
  auto s = for_set(cur, c);
  REQUIRE(s);
  CHECK(s->operational_vls == 3);
  // IBA 14.2.5.6: OperationalVLs is bits 344..347, the high nibble of octet 43.
  const SmpData d = encode(*s);
  CHECK((d[43] >> 4) == 3);
  c.operational_vls = 5;  // VL0-14 above VLCap 4
  CHECK(for_set(cur, c).error().code == errc::invalid_argument);
  c.operational_vls = 0;
  CHECK(for_set(cur, c).error().code == errc::invalid_argument);

  CHECK(vls_code(0) == 1);
  CHECK(vls_code(1) == 2);
  CHECK(vls_code(2) == 3);
  CHECK(vls_code(3) == 3);
  CHECK(vls_code(4) == 4);
  CHECK(vls_code(7) == 4);
  CHECK(vls_code(8) == 5);
  CHECK(vls_code(14) == 5);
  CHECK(vls_code(15) == 0);
}

TEST_CASE("MAD SwitchInfo: wire image and round trip", "[backend]") {
  SmpData img{};
  be16(&img[0], 49152);
  be16(&img[2], 0);
  be16(&img[4], 4096);
  be16(&img[6], 0x01ff);
  img[8] = 1;
  img[9] = 2;
  img[10] = 0xff;
  img[11] = (18 << 3) | (1 << 2) | 2;  // LifeTimeValue 18, PortStateChange, OptimizedSL2VL 2
  be16(&img[12], 1);
  be16(&img[14], 32);
  img[16] = 0xf8;  // four enforcement caps + EnhancedPort0
  be16(&img[18], 0xc010);
  auto s = decode_switch_info(img);
  REQUIRE(s);
  CHECK(s->linear_fdb_cap == 49152);
  CHECK(s->multicast_fdb_cap == 4096);
  CHECK(s->linear_fdb_top == 0x1ff);
  CHECK(s->default_port == 1);
  CHECK(s->default_multicast_primary_port == 2);
  CHECK(s->default_multicast_not_primary_port == 0xff);
  CHECK(s->life_time_value == 18);
  CHECK(s->port_state_change);
  CHECK(s->optimized_sl_to_vl_mapping_programming == 2);
  CHECK(s->lids_per_port == 1);
  CHECK(s->partition_enforcement_cap == 32);
  CHECK(s->inbound_enforcement_cap);
  CHECK(s->outbound_enforcement_cap);
  CHECK(s->filter_raw_inbound_cap);
  CHECK(s->filter_raw_outbound_cap);
  CHECK(s->enhanced_port0);
  CHECK(s->multicast_fdb_top == 0xc010);
  CHECK(encode(*s) == img);
  CHECK_FALSE(decode_switch_info(std::span<const std::uint8_t>(img.data(), 19)));
}

TEST_CASE("MAD tables: LFT, P_Key and SL2VL blocks", "[backend]") {
  SECTION("LinearForwardingTable") {
    LftBlock b;
    for (std::size_t i = 0; i < 64; ++i) b.ports[i] = std::uint8_t(i == 7 ? 255 : i % 37);
    const SmpData img = encode(b);
    CHECK(img[7] == 255);
    CHECK(img[40] == 3);
    CHECK(decode_lft_block(img)->ports == b.ports);
    CHECK_FALSE(decode_lft_block(std::span<const std::uint8_t>(img.data(), 63)));
  }
  SECTION("P_KeyTable") {
    PKeyBlock b;
    b.entries[0] = model::pkey_entry(0x7fff, model::Membership::Full);
    b.entries[1] = model::pkey_entry(0x0012, model::Membership::Limited);
    b.entries[31] = 0x8001;
    const SmpData img = encode(b);
    CHECK(img[0] == 0xff);
    CHECK(img[1] == 0xff);
    CHECK(img[2] == 0x00);
    CHECK(img[3] == 0x12);
    CHECK(img[62] == 0x80);
    CHECK(img[63] == 0x01);
    CHECK(*decode_pkey_block(img) == b);
    CHECK(pkey_attr_mod(2, 5) == 0x00050002u);
  }
  SECTION("SL2VL: SL0 in the high nibble of octet 0") {
    Sl2VlTable t;
    for (std::size_t sl = 0; sl < 16; ++sl) t.vl[sl] = std::uint8_t(15 - sl);
    const SmpData img = encode(t);
    CHECK(img[0] == 0xfe);
    CHECK(img[7] == 0x10);
    CHECK(*decode_sl2vl(img) == t);
    CHECK(sl2vl_attr_mod(3, 4) == 0x0304u);
    CHECK_FALSE(decode_sl2vl(std::span<const std::uint8_t>(img.data(), 7)));
  }
}

TEST_CASE("MAD PerfMgt: Get image, PortCounters and PortCountersExtended", "[backend]") {
  const PerfMad q = make_perf_get(0x0007, PerfAttr::PortCountersExtended, 3, 0xabcdef);
  MadBuffer b;
  encode(q, b);
  CHECK(b[0] == 1);
  CHECK(b[1] == 0x04);
  CHECK(b[2] == 1);
  CHECK(b[3] == 0x01);
  CHECK(b[16] == 0x00);
  CHECK(b[17] == 0x1d);
  CHECK(b[64 + 1] == 3);  // PortSelect
  CHECK(q.dest_lid == 7);
  auto d = decode_perf(b);
  REQUIRE(d);
  CHECK(d->header == q.header);

  SECTION("reset sets every CounterSelect bit") {
    const PerfMad r = make_perf_reset(7, PerfAttr::PortCounters, 3, 1);
    CHECK(r.header.method == 0x02);
    CHECK(r.data[2] == 0xff);
    CHECK(r.data[3] == 0xff);
    CHECK(r.data[18] == 0xff);
  }
  SECTION("decode_perf rejects other classes and versions") {
    b[1] = 0x81;
    CHECK_THAT(decode_perf(b).error().message, Catch::Contains("class"));
    b[1] = 0x04;
    b[2] = 2;
    CHECK_THAT(decode_perf(b).error().message, Catch::Contains("class version"));
    CHECK_FALSE(decode_perf(std::span<const std::uint8_t>(b.data(), 100)));
  }
  SECTION("PortCounters image (IBA 16.1.3.5 offsets)") {
    PerfData img{};
    img[1] = 3;
    be16(&img[2], 0xffff);
    be16(&img[4], 10);   // SymbolErrorCounter
    img[6] = 11;         // LinkErrorRecoveryCounter
    img[7] = 12;         // LinkDownedCounter
    be16(&img[8], 13);   // PortRcvErrors
    be16(&img[10], 14);  // PortRcvRemotePhysicalErrors
    be16(&img[12], 15);  // PortRcvSwitchRelayErrors
    be16(&img[14], 16);  // PortXmitDiscards
    img[16] = 17;
    img[17] = 18;
    img[18] = 0x01;      // CounterSelect2
    img[19] = 0x9a;      // LocalLinkIntegrityErrors 9 | ExcessiveBufferOverrunErrors 10
    be16(&img[22], 19);  // VL15Dropped
    be32(&img[24], 1000);
    be32(&img[28], 2000);
    be32(&img[32], 30);
    be32(&img[36], 40);
    be32(&img[40], 50);
    auto c = decode_port_counters(img);
    REQUIRE(c);
    CHECK(c->port_select == 3);
    CHECK(c->counter_select == 0xffff);
    CHECK(c->symbol_error_counter == 10);
    CHECK(c->link_error_recovery_counter == 11);
    CHECK(c->link_downed_counter == 12);
    CHECK(c->port_rcv_errors == 13);
    CHECK(c->port_rcv_remote_physical_errors == 14);
    CHECK(c->port_rcv_switch_relay_errors == 15);
    CHECK(c->port_xmit_discards == 16);
    CHECK(c->port_xmit_constraint_errors == 17);
    CHECK(c->port_rcv_constraint_errors == 18);
    CHECK(c->counter_select2 == 1);
    CHECK(c->local_link_integrity_errors == 9);
    CHECK(c->excessive_buffer_overrun_errors == 10);
    CHECK(c->vl15_dropped == 19);
    CHECK(c->port_xmit_data == 1000);
    CHECK(c->port_rcv_data == 2000);
    CHECK(c->port_xmit_pkts == 30);
    CHECK(c->port_rcv_pkts == 40);
    CHECK(c->port_xmit_wait == 50);
    CHECK(encode(*c) == img);

    const model::PortCounters m = to_counters(&*c, nullptr);
    CHECK(m.tx_bytes == 4000);
    CHECK(m.rx_bytes == 8000);
    CHECK(m.tx_packets == 30);
    CHECK(m.symbol_errors == 10);
    CHECK(m.local_link_integrity_errors == 9);
    CHECK(m.tx_wait == 50);
    CHECK_FALSE(decode_port_counters(std::span<const std::uint8_t>(img.data(), 43)));
  }
  SECTION("PortCountersExtended image (64-bit from octet 8)") {
    PerfData img{};
    img[1] = 1;
    for (unsigned i = 0; i < 22; ++i) be64(&img[8 + 8 * i], 0x0000000100000000ull + i);
    auto e = decode_port_counters_ext(img);
    REQUIRE(e);
    CHECK(e->port_xmit_data == 0x0000000100000000ull);
    CHECK(e->port_rcv_data == 0x0000000100000001ull);
    CHECK(e->port_multicast_rcv_pkts == 0x0000000100000007ull);
    CHECK(e->symbol_error_counter == 0x0000000100000008ull);
    CHECK(e->qp1_dropped == 0x0000000100000015ull);
    CHECK(encode(*e) == img);
    CHECK_FALSE(decode_port_counters_ext(std::span<const std::uint8_t>(img.data(), 183)));

    PortCounters basic;
    basic.port_xmit_data = 5;
    basic.symbol_error_counter = 7;
    const model::PortCounters m = to_counters(&basic, &*e);
    CHECK(m.tx_bytes == 0x0000000400000000ull);  // extended wins, words x 4
    CHECK(m.rx_unicast_packets == 0x0000000100000005ull);
    CHECK(m.symbol_errors == 7);  // error counters from PortCounters unless the agent has them extended
    CHECK(to_counters(&basic, &*e, true).symbol_errors == 0x0000000100000008ull);
  }
  SECTION("check_response for PerfMgt") {
    PerfMad r = q;
    r.header.method = 0x81;
    CHECK(check_response(q, r));
    r.header.tid = 1;
    CHECK_FALSE(check_response(q, r));
    r.header.tid = q.header.tid;
    r.header.status = 3 << 2;
    CHECK(check_response(q, r).error().code == errc::not_supported);
  }
}

TEST_CASE("MAD hex text: parse and format", "[backend]") {
  MadBuffer m{};
  for (std::size_t i = 0; i < m.size(); ++i) m[i] = std::uint8_t(i * 7);
  const std::string text = "# comment\n" + format_mad_hex(m) + "# another\n" + format_mad_hex(m);
  auto v = parse_mad_hex(text);
  REQUIRE(v);
  REQUIRE(v->size() == 2);
  CHECK((*v)[0] == m);
  CHECK((*v)[1] == m);
  CHECK(format_mad_hex(m).substr(0, 10) == "0007 0e15 ");
  CHECK(parse_mad_hex("0g").error().code == errc::parse_error);
  CHECK(parse_mad_hex("012").error().code == errc::parse_error);
  CHECK(parse_mad_hex("0102").error().code == errc::parse_error);
  CHECK(parse_mad_hex("# nothing\n")->empty());
}
