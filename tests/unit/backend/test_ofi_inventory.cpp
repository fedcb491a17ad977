// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// The libfabric inventory against fi_info (libfabric-bin), the reference
// listing of the same fi_getinfo() results.
#include <catch2/catch.hpp>

#include "skip.hpp"

#include <algorithm>
#include <cstdio>
#include <set>
#include <string>
#include <tuple>

#include "ofmf/backend/backend.hpp"
#include "ofmf/backend/inventory.hpp"

using namespace ofmf;
using namespace ofmf::backend;

namespace {

bool have_libfabric() {
  auto p = ofi_providers();
  return p || p.error().code != errc::not_supported;
}

// Runs a command, returns its stdout ("" if it cannot run).
std::string run(const std::string& cmd) {
  std::string out;
  FILE* f = ::popen(cmd.c_str(), "r");
  if (!f) return out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  ::pclose(f);
  return out;
}

using Entry = std::tuple<std::string, std::string, std::string>;  // provider, fabric, domain

// (provider, fabric, domain) of every entry fi_info prints.
std::multiset<Entry> fi_info_entries(const std::string& args) {
  std::multiset<Entry> out;
  const std::string text = run("fi_info " + args + " 2>/dev/null");
  std::string provider, fabric;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    std::string line = text.substr(pos, eol - pos);
    pos = eol + 1;
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(0, colon);
    key.erase(0, key.find_first_not_of(' '));
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    if (key == "provider") provider = value;
    else if (key == "fabric") fabric = value;
    else if (key == "domain") out.insert({provider, fabric, value});
  }
  return out;
}

bool have_fi_info() { return !run("command -v fi_info").empty(); }

} // namespace

TEST_CASE("OFI inventory: tcp interfaces are those fi_info lists", "[backend]") {
  if (!have_libfabric()) SKIP("built without libfabric");
  if (!have_fi_info()) SKIP("fi_info (libfabric-bin) not installed");
  for (auto [type, name] : {std::pair{EndpointType::Msg, "FI_EP_MSG"}, std::pair{EndpointType::Rdm, "FI_EP_RDM"}}) {
    CAPTURE(name);
    const auto reference = fi_info_entries(std::string("-p tcp -t ") + name);
    REQUIRE_FALSE(reference.empty());
    OfiFilter f;
    f.provider = "tcp";
    f.endpoint_type = type;
    auto inv = ofi_inventory(f);
    REQUIRE(inv);
    std::set<Entry> ours;
    for (const OfiInterface& o : *inv) {
      CHECK(o.endpoint_type == type);
      ours.insert({o.provider, o.fabric, o.domain});
    }
    // fi_info asks with FI_MSG-free default hints, we with every mode bit:
    // every (provider, fabric, domain) it shows is in ours.
    for (const Entry& e : std::set<Entry>(reference.begin(), reference.end())) {
      CAPTURE(std::get<0>(e), std::get<1>(e), std::get<2>(e));
      CHECK(ours.count(e) == 1);
    }
  }
}

TEST_CASE("OFI inventory: fields of an interface", "[backend]") {
  if (!have_libfabric()) SKIP("built without libfabric");
  OfiFilter f;
  f.provider = "tcp";
  f.endpoint_type = EndpointType::Msg;
  auto inv = ofi_inventory(f);
  REQUIRE(inv);
  REQUIRE_FALSE(inv->empty());
  auto lo = std::find_if(inv->begin(), inv->end(), [](const OfiInterface& o) { return o.fabric == "127.0.0.1/32"; });
  if (lo == inv->end()) SKIP("no IPv4 loopback fabric");
  CHECK(lo->provider == "tcp");
  CHECK(lo->core_provider == "tcp");
  CHECK(lo->protocol == "FI_PROTO_SOCK_TCP");
  CHECK(lo->address_format == "FI_SOCKADDR_IN");
  CHECK_THAT(lo->source_address, Catch::StartsWith("127.0.0.1:"));
  CHECK(std::count(lo->caps.begin(), lo->caps.end(), "FI_MSG") == 1);
  CHECK(lo->max_msg_size > 0);
  CHECK_FALSE(lo->provider_version.empty());
}

TEST_CASE("OFI inventory: filters", "[backend]") {
  if (!have_libfabric()) SKIP("built without libfabric");
  SECTION("by a part of the provider chain") {
    OfiFilter f;
    f.provider = "ofi_rxm";
    auto inv = ofi_inventory(f);
    REQUIRE(inv);
    for (const OfiInterface& o : *inv) CHECK_THAT(o.provider, Catch::Contains("ofi_rxm"));
  }
  SECTION("by capability") {
    OfiFilter f;
    f.caps = {"rma", "FI_TAGGED"};
    auto inv = ofi_inventory(f);
    REQUIRE(inv);
    REQUIRE_FALSE(inv->empty());
    for (const OfiInterface& o : *inv) {
      CHECK(std::count(o.caps.begin(), o.caps.end(), "FI_RMA") == 1);
      CHECK(std::count(o.caps.begin(), o.caps.end(), "FI_TAGGED") == 1);
    }
  }
  SECTION("shm offers reliable datagram endpoints only") {
    OfiFilter f;
    f.provider = "shm";
    auto inv = ofi_inventory(f);
    REQUIRE(inv);
    REQUIRE_FALSE(inv->empty());
    for (const OfiInterface& o : *inv) CHECK(o.endpoint_type == EndpointType::Rdm);
  }
  SECTION("an unknown provider is refused with the list of available ones") {
    OfiFilter f;
    f.provider = "nosuchprov";
    auto inv = ofi_inventory(f);
    REQUIRE_FALSE(inv);
    CHECK(inv.error().code == errc::not_found);
    CHECK_THAT(inv.error().message, Catch::Contains("nosuchprov") && Catch::Contains("tcp"));
  }
  SECTION("an unknown capability is refused") {
    OfiFilter f;
    f.caps = {"teleport"};
    auto inv = ofi_inventory(f);
    REQUIRE_FALSE(inv);
    CHECK(inv.error().code == errc::invalid_argument);
    CHECK_THAT(inv.error().message, Catch::Contains("teleport"));
  }
}

TEST_CASE("OFI backend: probe lists providers, open checks them", "[backend]") {
  auto b = make_backend("ofi");
  if (!b) SKIP("built without libfabric");
  auto caps = (*b)->probe();
  REQUIRE(caps);
  CHECK(std::any_of(caps->begin(), caps->end(), [](const Capability& c) { return c.name == "tcp"; }));
  Config c;
  c.device = "nosuchprov";
  auto s = (*b)->open(c);
  REQUIRE_FALSE(s);
  CHECK(s.error().code == errc::unavailable);
  c.device = "shm";
  c.options["endpoint_type"] = "msg";
  s = (*b)->open(c);
  REQUIRE_FALSE(s);
  CHECK(s.error().code == errc::unavailable);
  c.options["endpoint_type"] = "rdm";
  s = (*b)->open(c);
  REQUIRE(s);
  // Interfaces are no InfiniBand model: a clear refusal, not an empty fabric.
  auto d = (*s)->discover();
  REQUIRE_FALSE(d);
  CHECK(d.error().code == errc::not_supported);
  CHECK_THAT(d.error().message, Catch::Contains("ofi_inventory()"));
  c.options["colour"] = "red";
  CHECK((*b)->open(c).error().code == errc::invalid_argument);
}

TEST_CASE("OFI names: endpoint types", "[backend]") {
  CHECK(parse_endpoint_type("RDM") == EndpointType::Rdm);
  CHECK(parse_endpoint_type("FI_EP_MSG") == EndpointType::Msg);
  CHECK(parse_endpoint_type("dgram") == EndpointType::Dgram);
  CHECK_FALSE(parse_endpoint_type("stream"));
  for (auto t : {EndpointType::Msg, EndpointType::Rdm, EndpointType::Dgram}) CHECK(parse_endpoint_type(to_string(t)) == t);
}
