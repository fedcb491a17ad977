// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// The field tables of the MAD codec (lib/backend/umad/mad/tables.hpp):
// every row inside its layout, no two rows on the same bits, every field
// through set/get and through its struct member with random values, and
// the dump's form. The dumps of captured MADs are checked in
// test_mad_captures.cpp.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "backend/umad/mad.hpp"
#include "backend/umad/mad/tables.hpp"

using namespace ofmf;
using namespace ofmf::backend::umad;
using fields::Field;

namespace {

template <class T, std::size_t N>
bool has_text(const fields::Layout<T, N>& l) {
  return std::any_of(l.rows.begin(), l.rows.end(), [](const auto& m) { return m.field.fmt == fields::Fmt::text; });
}

// No two fields on one bit, all inside `bits`.
void check_disjoint(std::vector<Field> f, std::size_t bits, const std::string& what) {
  INFO(what);
  std::sort(f.begin(), f.end(), [](const Field& a, const Field& b) { return a.bit < b.bit; });
  for (std::size_t i = 0; i < f.size(); ++i) {
    INFO(f[i].name);
    CHECK(f[i].end_bit() <= bits);
    if (i + 1 < f.size()) {
      INFO("next: " << f[i + 1].name);
      CHECK(f[i].end_bit() <= f[i + 1].bit);
    }
  }
}

template <class T, std::size_t N>
std::vector<Field> fields_of(const fields::Layout<T, N>& l) {
  std::vector<Field> f;
  for (const auto& m : l.rows) f.push_back(m.field);
  return f;
}

template <class T, std::size_t N>
void check_shape(const fields::Layout<T, N>& l) {
  INFO(l.name);
  CHECK(l.octets > 0);
  std::set<std::string_view> names;
  std::uint32_t last = 0;
  for (const auto& m : l.rows) {
    const Field& f = m.field;
    INFO(f.name);
    CHECK(!f.name.empty());
    CHECK(names.insert(f.name).second);  // unique names
    CHECK(f.width >= 1);
    CHECK(f.width <= 64);
    CHECK(f.count >= 1);
    CHECK(f.bit >= last);  // rows in wire order
    CHECK(m.load != nullptr);
    CHECK(m.store != nullptr);
    if (f.fmt == fields::Fmt::text) CHECK(f.width == 8);
    last = f.bit;
  }
  check_disjoint(fields_of(l), l.octets * 8, std::string(l.name));
}

// Every element of every field: set on a random background, read back,
// and no other field changes.
template <class T, std::size_t N>
void check_set_get(const fields::Layout<T, N>& l, std::mt19937_64& rng) {
  INFO(l.name);
  std::vector<std::uint8_t> buf(l.octets);
  for (auto& b : buf) b = static_cast<std::uint8_t>(rng());
  for (const auto& m : l.rows) {
    const Field& f = m.field;
    for (unsigned i = 0; i < f.count; ++i) {
      INFO(f.name << "[" << i << "]");
      std::vector<std::uint64_t> before;
      for (const auto& o : l.rows)
        for (unsigned j = 0; j < o.field.count; ++j) before.push_back(fields::get(buf, o.field, j));
      const std::uint64_t v = rng();
      fields::set(buf, f, v, i);
      CHECK(fields::get(buf, f, i) == (v & f.max()));
      std::size_t k = 0;
      for (const auto& o : l.rows)
        for (unsigned j = 0; j < o.field.count; ++j, ++k)
          if (&o != &m || j != i) CHECK(fields::get(buf, o.field, j) == before[k]);
    }
  }
}

// Every element through the struct member: store, encode, get; set,
// decode, load.
template <class T, std::size_t N>
void check_members(const fields::Layout<T, N>& l, std::mt19937_64& rng) {
  INFO(l.name);
  for (const auto& m : l.rows) {
    const Field& f = m.field;
    if (f.fmt == fields::Fmt::text) continue;  // see check_decode_encode
    // A random value and the widest one (which the member must hold).
    for (unsigned i = 0; i < f.count; ++i)
      for (const std::uint64_t v : {rng() & f.max(), f.max()}) {
        INFO(f.name << "[" << i << "] = " << v);
        T t{};
        m.store(t, i, v);
        CHECK(m.load(t, i) == v);
        std::vector<std::uint8_t> out(l.octets);
        fields::encode(l, t, out);
        CHECK(fields::get(out, f, i) == v);

        std::vector<std::uint8_t> in(l.octets);
        fields::set(in, f, v, i);
        T back{};
        fields::decode_into(l, in, back);
        CHECK(m.load(back, i) == v);
      }
  }
}

// A random image decodes and encodes to the same value of every field.
template <class T, std::size_t N>
void check_decode_encode(const fields::Layout<T, N>& l, std::mt19937_64& rng) {
  INFO(l.name);
  const bool text = has_text(l);
  for (int round = 0; round < 20; ++round) {
    std::vector<std::uint8_t> in(l.octets);
    for (auto& b : in) b = static_cast<std::uint8_t>(text ? 1 + rng() % 255 : rng());  // text: no NUL
    T v{};
    fields::decode_into(l, in, v);
    std::vector<std::uint8_t> out(l.octets);
    fields::encode(l, v, out);
    for (const auto& m : l.rows)
      for (unsigned i = 0; i < m.field.count; ++i) {
        INFO(m.field.name << "[" << i << "]");
        CHECK(fields::get(out, m.field, i) == fields::get(in, m.field, i));
      }
  }
}

} // namespace

TEST_CASE("MAD field tables: every field inside its layout, none on another's bits", "[backend]") {
  tables::for_each_layout([](const auto& l) { check_shape(l); });
  SECTION("the SMP and PerfMgt fields leave the header's 24 octets alone") {
    auto smp = fields_of(tables::mad_header);
    auto perf = smp;
    for (const Field& f : fields_of(tables::smp)) smp.push_back(f);
    for (const Field& f : fields_of(tables::perf)) perf.push_back(f);
    check_disjoint(smp, mad_size * 8, "header + SMP");
    check_disjoint(perf, mad_size * 8, "header + PerfMgt");
    CHECK(tables::mad_header.octets == 24);
  }
  SECTION("the data areas are where the attributes are decoded from") {
    CHECK(tables::smp.rows[3].field.name == "SMPData");
    CHECK(tables::smp.rows[3].field.bit == 64 * 8);
    CHECK(tables::smp.rows[3].field.count == smp_data_size);
    CHECK(tables::perf.rows[0].field.bit == 64 * 8);
    CHECK(tables::perf.rows[0].field.count == perf_data_size);
    for (std::size_t octets : {tables::node_description.octets, tables::node_info.octets, tables::switch_info.octets,
                               tables::port_info.octets, tables::pkey_block.octets, tables::sl2vl.octets,
                               tables::lft_block.octets, tables::class_port_info.octets})
      CHECK(octets <= smp_data_size);
    for (std::size_t octets : {tables::class_port_info.octets, tables::port_counters.octets,
                               tables::port_counters_ext.octets})
      CHECK(octets <= perf_data_size);
  }
}

TEST_CASE("MAD field tables: random values through set/get and through the structs", "[backend]") {
  std::mt19937_64 rng(20261208);
  tables::for_each_layout([&](const auto& l) {
    check_set_get(l, rng);
    check_members(l, rng);
    check_decode_encode(l, rng);
  });
  SECTION("set masks to the width and keeps the neighbours' bits") {
    std::array<std::uint8_t, 64> b{};
    b.fill(0xFF);
    const Field lmc = tables::port_info.rows[16].field;
    REQUIRE(lmc.name == "LMC");
    fields::set(b, lmc, 0x1F0);  // 9 bits given, 3 kept: 0
    CHECK(b[34] == 0xF8);
    fields::set(b, lmc, 5);
    CHECK(b[34] == 0xFD);
    CHECK(fields::get(b, lmc) == 5);
  }
  SECTION("fields beyond the buffer read as 0 and are not written") {
    std::array<std::uint8_t, 4> b{1, 2, 3, 4};
    const Field guid = tables::node_info.rows[5].field;
    REQUIRE(guid.name == "NodeGUID");
    CHECK(fields::get(b, guid) == 0);
    fields::set(b, guid, ~0ull);
    CHECK(b == std::array<std::uint8_t, 4>{1, 2, 3, 4});
    CHECK(fields::get(b, tables::pkey_block.rows[0].field, 32) == 0);  // index past the count
  }
}

TEST_CASE("MAD dump: attributes without a table, short and foreign input", "[backend]") {
  SECTION("an attribute without a table: the raw data area") {
    Smp s = make_lid_get(1, AttrId(0x00ff), 0, 7);
    s.data[0] = 0xAB;
    MadBuffer b;
    encode(s, b);
    CHECK_THAT(dump_mad(b), Catch::Contains("\nSMPData: ab 00 00 "));
    CHECK(dump_attribute(AttrId(0x00ff), s.data).empty());
    CHECK(dump_attribute(PerfAttr(0x00ff), s.data).empty());
  }
  SECTION("short input: what is missing is said, nothing more is read") {
    const std::uint8_t few[] = {1, 0x81, 1, 1, 0, 0, 0, 0, 0, 0};
    const std::string d = dump_mad(few);
    CHECK_THAT(d, Catch::StartsWith("BaseVersion: 1\nMgmtClass: 0x81\n"));
    CHECK_THAT(d, Catch::Contains("\nTransactionID: (beyond the 10 octets)\n"));
    CHECK_THAT(d, Catch::Contains("\nM_Key: (beyond the 10 octets)\n"));
    CHECK_THAT(dump_attribute(AttrId::NodeInfo, std::span<const std::uint8_t>(few, 3)),
               Catch::Contains("\nNumPorts: (beyond the 3 octets)\n"));
    CHECK_THAT(dump_mad(std::span<const std::uint8_t>()), Catch::StartsWith("BaseVersion: (beyond the 0 octets)\n"));
  }
  SECTION("another class: the header only") {
    MadBuffer other{};
    other[0] = 1;
    other[1] = 0x03;  // SubnAdm
    const std::string d = dump_mad(other);
    CHECK(std::size_t(std::count(d.begin(), d.end(), '\n')) == tables::mad_header.rows.size());
    CHECK_THAT(d, Catch::EndsWith("AttributeModifier: 0x00000000\n"));
  }
}

TEST_CASE("MAD dump: NodeDescription as text, one line", "[backend]") {
  NodeDescription n{"spine-1 HCA\n\x01"};
  const SmpData img = encode(n);
  CHECK(dump_attribute(AttrId::NodeDescription, img) == "NodeString: spine-1 HCA\\x0a\\x01\n");
  CHECK(dump_attribute(AttrId::NodeDescription, encode(NodeDescription{})) == "NodeString: \n");
}

TEST_CASE("MAD ClassPortInfo: encode from the table, round trip", "[backend]") {
  ClassPortInfo c;
  c.capability_mask = pm_all_port_select | pm_xmit_wait_supported;
  c.capability_mask2 = 0x7FFFFFF;
  c.resp_time_value = 19;
  const PerfData img = encode(c);
  CHECK(img[0] == 1);
  CHECK(img[2] == 0x11);
  CHECK(img[3] == 0x00);
  CHECK(img[4] == 0xFF);  // CapabilityMask2: 27 bits from bit 32
  CHECK(img[7] == (0xE0 | 19));
  auto back = decode_class_port_info(img);
  REQUIRE(back);
  CHECK(*back == c);
}
