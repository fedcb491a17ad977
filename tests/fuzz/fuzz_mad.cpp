// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// libFuzzer target for the MAD codec: bytes -> decode_smp / decode_perf,
// every attribute decoder on the data and on the raw bytes, and
// check_response against fixed requests. Whatever decodes must encode
// and decode again to the same value. The dumps (dump_mad, dump_attribute
// of every attribute) run on the same bytes and must give one
// "Name: value" line per field. Input that starts with '#' is the hex
// text of tests/data/mad/*.hex (the seeds) and is decoded first.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "backend/umad/mad.hpp"

namespace umad = ofmf::backend::umad;

namespace {

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "fuzz_mad: %s\n", what);
  std::abort();
}

template <class T, class Decode>
void attribute(std::span<const std::uint8_t> data, Decode decode) {
  auto v = decode(data);
  if (!v) {
    if (v.error().message.empty()) die("error without a message");
    return;
  }
  const auto bytes = umad::encode(*v);
  auto again = decode(std::span<const std::uint8_t>(bytes));
  if (!again) die("an encoded attribute does not decode");
  if (!(*again == *v)) die("attribute round trip differs");
}

// Every line "Name: value", at least one line.
void check_dump(const std::string& d) {
  if (d.empty() || d.back() != '\n') die("dump not ended by a newline");
  std::size_t start = 0;
  while (start < d.size()) {
    const std::size_t end = d.find('\n', start);
    const std::string_view line(d.data() + start, end - start);
    const std::size_t colon = line.find(": ");
    if (colon == std::string_view::npos || colon == 0) die("dump line without \"Name: \"");
    start = end + 1;
  }
}

void dumps(std::span<const std::uint8_t> data) {
  for (auto id : {umad::AttrId::ClassPortInfo, umad::AttrId::NodeDescription, umad::AttrId::NodeInfo,
                  umad::AttrId::SwitchInfo, umad::AttrId::PortInfo, umad::AttrId::PKeyTable, umad::AttrId::SL2VLTable,
                  umad::AttrId::LinearForwardingTable})
    check_dump(umad::dump_attribute(id, data));
  for (auto id : {umad::PerfAttr::ClassPortInfo, umad::PerfAttr::PortCounters, umad::PerfAttr::PortCountersExtended})
    check_dump(umad::dump_attribute(id, data));
}

void attributes(std::span<const std::uint8_t> data) {
  dumps(data);
  attribute<umad::NodeInfo>(data, umad::decode_node_info);
  attribute<umad::NodeDescription>(data, umad::decode_node_description);
  attribute<umad::PortInfo>(data, umad::decode_port_info);
  attribute<umad::SwitchInfo>(data, umad::decode_switch_info);
  attribute<umad::LftBlock>(data, umad::decode_lft_block);
  attribute<umad::PKeyBlock>(data, umad::decode_pkey_block);
  attribute<umad::Sl2VlTable>(data, umad::decode_sl2vl);
  attribute<umad::PortCounters>(data, umad::decode_port_counters);
  attribute<umad::PortCountersExtended>(data, umad::decode_port_counters_ext);
  attribute<umad::ClassPortInfo>(data, umad::decode_class_port_info);
  if (auto p = umad::decode_port_info(data)) {
    (void)umad::to_attributes(*p, 1);
    (void)umad::to_attributes(*p, 1, umad::cap_is_extended_speeds_supported, true);
    (void)umad::for_set(*p, ofmf::model::PortAttributes{}, ofmf::model::PortState::Active);
  }
  auto pc = umad::decode_port_counters(data);
  auto pe = umad::decode_port_counters_ext(data);
  (void)umad::to_counters(pc ? &*pc : nullptr, pe ? &*pe : nullptr, true);
}

void one_mad(std::span<const std::uint8_t> bytes) {
  attributes(bytes);
  check_dump(umad::dump_mad(bytes));
  (void)umad::decode_header(bytes);
  if (auto s = umad::decode_smp(bytes)) {
    attributes(s->data);
    umad::MadBuffer out;
    umad::encode(*s, out);
    auto again = umad::decode_smp(out);
    if (!again) die("an encoded SMP does not decode");
    if (!(again->header == s->header) || again->data != s->data || !(again->initial_path == s->initial_path) ||
        !(again->return_path == s->return_path))
      die("SMP round trip differs");
    static const umad::DrPath path = *umad::DrPath::parse("0,1,3");
    (void)umad::check_response(umad::make_dr_get(path, umad::AttrId::NodeInfo, 0, 0x1234), *s);
    (void)umad::check_response(umad::make_lid_get(5, umad::AttrId::PortInfo, 1, 0x1234), *s);
    (void)umad::check_response(*s, *s);
    (void)s->initial_path.to_string();
  }
  if (auto p = umad::decode_perf(bytes)) {
    attributes(p->data);
    (void)umad::check_response(umad::make_perf_get(1, umad::PerfAttr::PortCounters, 1, 0x1234), *p);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  if (size > 0 && data[0] == '#') {
    auto mads = umad::parse_mad_hex(std::string_view(reinterpret_cast<const char*>(data), size));
    if (mads)
      for (const umad::MadBuffer& m : *mads) one_mad(m);
    return 0;
  }
  one_mad(bytes);
  (void)umad::DrPath::parse(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
