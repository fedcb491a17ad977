// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include "ofmf/model/types.hpp"

#include <cstdio>

namespace ofmf::model {

unsigned lanes(LinkWidth w) noexcept {
  switch (w) {
    case LinkWidth::X1: return 1;
    case LinkWidth::X2: return 2;
    case LinkWidth::X4: return 4;
    case LinkWidth::X8: return 8;
    case LinkWidth::X12: return 12;
  }
  return 0;
}

double lane_data_rate_gbps(LinkSpeed s) noexcept {
  switch (s) {
    case LinkSpeed::SDR: return 2.0;
    case LinkSpeed::DDR: return 4.0;
    case LinkSpeed::QDR: return 8.0;
    case LinkSpeed::FDR10: return 10.0;
    case LinkSpeed::FDR: return 13.64;
    case LinkSpeed::EDR: return 25.0;
    case LinkSpeed::HDR: return 50.0;
    case LinkSpeed::NDR: return 100.0;
    case LinkSpeed::XDR: return 200.0;
  }
  return 0.0;
}

double lane_signal_rate_gbps(LinkSpeed s) noexcept {
  switch (s) {
    case LinkSpeed::SDR: return 2.5;
    case LinkSpeed::DDR: return 5.0;
    case LinkSpeed::QDR: return 10.0;
    case LinkSpeed::FDR10: return 10.3125;
    case LinkSpeed::FDR: return 14.0625;
    case LinkSpeed::EDR: return 25.78125;
    case LinkSpeed::HDR: return 53.125;
    case LinkSpeed::NDR: return 106.25;
    case LinkSpeed::XDR: return 212.5;
  }
  return 0.0;
}

unsigned mtu_bytes(Mtu m) noexcept {
  const auto v = static_cast<unsigned>(m);
  return v >= 1 && v <= 5 ? 128u << v : 0u;
}

std::string_view to_string(NodeType t) noexcept {
  switch (t) {
    case NodeType::ChannelAdapter: return "Ca";
    case NodeType::Switch: return "Switch";
    case NodeType::Router: return "Router";
  }
  return "?";
}

std::string_view to_string(PortState s) noexcept {
  switch (s) {
    case PortState::NoChange: return "NoChange";
    case PortState::Down: return "Down";
    case PortState::Init: return "Initialize";
    case PortState::Armed: return "Armed";
    case PortState::Active: return "Active";
  }
  return "?";
}

std::string_view to_string(PhysState s) noexcept {
  switch (s) {
    case PhysState::NoChange: return "NoChange";
    case PhysState::Sleep: return "Sleep";
    case PhysState::Polling: return "Polling";
    case PhysState::Disabled: return "Disabled";
    case PhysState::PortConfigurationTraining: return "PortConfigurationTraining";
    case PhysState::LinkUp: return "LinkUp";
    case PhysState::LinkErrorRecovery: return "LinkErrorRecovery";
    case PhysState::PhyTest: return "PhyTest";
  }
  return "?";
}

std::string_view to_string(LinkWidth w) noexcept {
  switch (w) {
    case LinkWidth::X1: return "1x";
    case LinkWidth::X2: return "2x";
    case LinkWidth::X4: return "4x";
    case LinkWidth::X8: return "8x";
    case LinkWidth::X12: return "12x";
  }
  return "?";
}

std::string_view to_string(LinkSpeed s) noexcept {
  switch (s) {
    case LinkSpeed::SDR: return "SDR";
    case LinkSpeed::DDR: return "DDR";
    case LinkSpeed::QDR: return "QDR";
    case LinkSpeed::FDR10: return "FDR10";
    case LinkSpeed::FDR: return "FDR";
    case LinkSpeed::EDR: return "EDR";
    case LinkSpeed::HDR: return "HDR";
    case LinkSpeed::NDR: return "NDR";
    case LinkSpeed::XDR: return "XDR";
  }
  return "?";
}

std::optional<LinkWidth> parse_link_width(std::string_view s) noexcept {
  for (auto w : {LinkWidth::X1, LinkWidth::X2, LinkWidth::X4, LinkWidth::X8, LinkWidth::X12})
    if (s == to_string(w)) return w;
  return std::nullopt;
}

std::optional<LinkSpeed> parse_link_speed(std::string_view s) noexcept {
  for (auto v = unsigned(LinkSpeed::SDR); v <= unsigned(LinkSpeed::XDR); ++v)
    if (s == to_string(LinkSpeed(v))) return LinkSpeed(v);
  return std::nullopt;
}

std::string format_guid(Guid g) {
  char buf[19];
  std::snprintf(buf, sizeof buf, "0x%016llx", static_cast<unsigned long long>(g));
  return buf;
}

std::string format_pkey(PKey pkey) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%04x", unsigned(pkey));
  return buf;
}

} // namespace ofmf::model
