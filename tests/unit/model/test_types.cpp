// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include <catch2/catch.hpp>

#include "ofmf/error.hpp"
#include "ofmf/model/types.hpp"
#include "ofmf/version.hpp"

using namespace ofmf;
using namespace ofmf::model;

TEST_CASE("Types: names round-trip as infiniband-diags prints them", "[model]") {
  for (auto w : {LinkWidth::X1, LinkWidth::X2, LinkWidth::X4, LinkWidth::X8, LinkWidth::X12})
    CHECK(parse_link_width(to_string(w)) == w);
  for (unsigned s = 1; s <= 9; ++s) CHECK(parse_link_speed(to_string(LinkSpeed(s))) == LinkSpeed(s));
  CHECK_FALSE(parse_link_speed("QDR ").has_value());
  CHECK_FALSE(parse_link_width("3x").has_value());
  CHECK(format_guid(0x2c90300a1b2c3) == "0x0002c90300a1b2c3");
}

TEST_CASE("Types: rates and MTUs", "[model]") {
  CHECK(lanes(LinkWidth::X12) == 12);
  CHECK(lane_data_rate_gbps(LinkSpeed::EDR) == Approx(25.0));
  CHECK(lane_signal_rate_gbps(LinkSpeed::QDR) == Approx(10.0));
  CHECK(mtu_bytes(Mtu::Mtu4096) == 4096);
  CHECK(mtu_bytes(Mtu::Mtu256) == 256);
}

TEST_CASE("Result: value, error and messages", "[core]") {
  Result<int> ok = 3;
  REQUIRE(ok);
  CHECK(*ok == 3);
  Result<int> bad = fail(errc::parse_error, "f.txt:3: expected '['");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == errc::parse_error);
  CHECK(bad.value_or(9) == 9);
  CHECK(bad.error().what() == "f.txt:3: expected '[' (ofmf:6)");
  Result<void> v;
  CHECK(v);
  CHECK(std::string(version_string()).find('.') != std::string::npos);
  CHECK(std::error_code(errc::busy).message() == "busy");
}
