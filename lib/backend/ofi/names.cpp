// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Names and parsers of the inventory and probe types; no libfabric needed.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

#include "ofmf/backend/inventory.hpp"
#include "ofmf/backend/probe.hpp"

namespace ofmf::backend {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

} // namespace

std::string_view to_string(EndpointType t) noexcept {
  switch (t) {
    case EndpointType::Msg: return "msg";
    case EndpointType::Rdm: return "rdm";
    case EndpointType::Dgram: return "dgram";
  }
  return "?";
}

std::optional<EndpointType> parse_endpoint_type(std::string_view s) noexcept {
  std::string l;
  try {
    l = lower(s);
  } catch (...) {
    return std::nullopt;
  }
  if (l.starts_with("fi_ep_")) l.erase(0, 6);
  if (l == "msg") return EndpointType::Msg;
  if (l == "rdm") return EndpointType::Rdm;
  if (l == "dgram") return EndpointType::Dgram;
  return std::nullopt;
}

std::string_view to_string(ProbeMode m) noexcept {
  return m == ProbeMode::PingPong ? "pingpong" : "stream";
}

std::optional<ProbeMode> parse_probe_mode(std::string_view s) noexcept {
  std::string l;
  try {
    l = lower(s);
  } catch (...) {
    return std::nullopt;
  }
  if (l == "pingpong" || l == "ping-pong") return ProbeMode::PingPong;
  if (l == "stream") return ProbeMode::Stream;
  return std::nullopt;
}

std::string_view to_string(ProbeMethod m) noexcept {
  return m == ProbeMethod::FiPingpong ? "fi_pingpong" : "ofmf";
}

std::optional<ProbeMethod> parse_probe_method(std::string_view s) noexcept {
  std::string l;
  try {
    l = lower(s);
  } catch (...) {
    return std::nullopt;
  }
  if (l == "ofmf") return ProbeMethod::Ofmf;
  if (l == "fi_pingpong" || l == "fi-pingpong") return ProbeMethod::FiPingpong;
  return std::nullopt;
}

std::string_view to_string(LinkLayer l) noexcept {
  switch (l) {
    case LinkLayer::Unspecified: return "Unspecified";
    case LinkLayer::InfiniBand: return "InfiniBand";
    case LinkLayer::Ethernet: return "Ethernet";
  }
  return "?";
}

std::vector<std::string_view> ofi_capability_names() {
  return {"msg",         "tagged",        "rma",         "atomic",       "multicast",   "named_rx_ctx",
          "directed_recv", "read",        "write",         "send",        "recv",         "remote_read",
          "remote_write", "rma_event",    "source",        "source_err",  "hmem",         "collective",
          "local_comm",  "remote_comm",   "shared_av",     "trigger",     "fence",        "rma_pmem",
          "variable_msg", "av_user_id",   "peer"};
}

namespace {

Result<std::size_t> parse_one_size(std::string_view item) {
  auto bad = [&](const char* why) {
    return fail(errc::invalid_argument, "size \"" + std::string(item) + "\": " + why);
  };
  if (item.empty()) return bad("empty");
  std::size_t mult = 1;
  std::string_view digits = item;
  const char last = char(std::toupper(static_cast<unsigned char>(item.back())));
  if (last == 'K' || last == 'M' || last == 'G') {
    mult = last == 'K' ? 1024 : last == 'M' ? 1048576 : std::size_t(1) << 30;
    digits.remove_suffix(1);
  }
  std::size_t v = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty()) return bad("not a number");
  if (v == 0) return bad("must be at least 1 byte");
  if (v > probe_max_size / mult) return bad("above the 4 MiB limit");
  return v * mult;
}

} // namespace

Result<std::vector<std::size_t>> parse_sizes(std::string_view text) {
  std::vector<std::size_t> out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t comma = std::min(text.find(',', pos), text.size());
    std::string_view item = text.substr(pos, comma - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    const std::size_t dash = item.find('-');
    if (dash != std::string_view::npos) {
      auto lo = parse_one_size(item.substr(0, dash));
      if (!lo) return Unexpected(std::move(lo).error());
      auto hi = parse_one_size(item.substr(dash + 1));
      if (!hi) return Unexpected(std::move(hi).error());
      if (*lo > *hi) return fail(errc::invalid_argument, "size range \"" + std::string(item) + "\": lower end above upper end");
      for (std::size_t s = *lo; s <= *hi; s *= 2) out.push_back(s);
    } else {
      auto s = parse_one_size(item);
      if (!s) return Unexpected(std::move(s).error());
      out.push_back(*s);
    }
    pos = comma + 1;
  }
  return out;
}

} // namespace ofmf::backend
