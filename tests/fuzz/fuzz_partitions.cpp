// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// libFuzzer target: partition policies as partitions.conf text and as
// JSON (first byte: which). A policy that parses must survive writing
// out and reading back unchanged in both forms, and resolve on a fabric.

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ofmf/model/fabric.hpp"
#include "ofmf/sm/partitions.hpp"
#include "ofmf/sm/partitions_conf.hpp"

namespace {

const ofmf::model::Fabric& fabric() {
  static const ofmf::model::Fabric f = [] {
    ofmf::model::Fabric f;
    ofmf::model::NodeSpec s;
    s.type = ofmf::model::NodeType::Switch;
    s.guid = 0x10;
    s.num_ports = 4;
    const auto sw = *f.add_node(s);
    s.type = ofmf::model::NodeType::ChannelAdapter;
    s.num_ports = 1;
    for (unsigned i = 1; i <= 3; ++i) {
      s.guid = 0x100 * i;
      const auto ca = *f.add_node(s);
      (void)f.connect({sw, ofmf::model::PortNum(i)}, {ca, 1});
    }
    return f;
  }();
  return f;
}

void check(bool ok) {
  if (!ok) std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto policy = (data[0] & 1) ? ofmf::sm::partitions_from_json(text, "fuzz.json")
                              : ofmf::sm::parse_partitions_conf(text, "fuzz.conf");
  if (!policy) return 0;
  auto conf = ofmf::sm::parse_partitions_conf(ofmf::sm::format_partitions_conf(*policy), "out.conf");
  check(conf && *conf == *policy);
  auto json = ofmf::sm::partitions_from_json(ofmf::sm::partitions_to_json(*policy), "out.json");
  check(json && *json == *policy);
  auto r = ofmf::sm::resolve_partitions(*policy, fabric(), 0x101);
  ofmf::model::Fabric f = fabric();
  for (const auto& p : r.partitions) check(bool(f.set_partition(p)));
  return 0;
}
