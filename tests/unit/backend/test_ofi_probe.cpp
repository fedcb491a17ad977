// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// The libfabric probe on the providers of this host (tcp, udp, shm), both
// sides in one process, and its failure modes: unknown provider, sizes
// above a provider's limit, an unreachable server, a peer that goes away.
#include <catch2/catch.hpp>

#include "skip.hpp"

#include <nlohmann/json.hpp>

#include <thread>

#include "backend/ofi/ofi_detail.hpp"
#include "ofmf/backend/probe.hpp"

using namespace ofmf;
using namespace ofmf::backend;

namespace {

bool have_libfabric() {
  auto p = ofi_providers();
  return p || p.error().code != errc::not_supported;
}

ProbeOptions small(std::string provider, EndpointType type) {
  ProbeOptions o;
  o.provider = std::move(provider);
  o.endpoint_type = type;
  o.sizes = {1, 4096, 65536};
  o.iterations = 20;
  o.warmup = 2;
  o.timeout = std::chrono::milliseconds(10000);
  return o;
}

// Figures must agree with their own definitions.
void check_report(const ProbeReport& r, const ProbeOptions& o) {
  REQUIRE(r.results.size() == o.sizes.size());
  CHECK_FALSE(r.provider.empty());
  CHECK(r.endpoint_type == o.endpoint_type);
  CHECK(r.mode == o.mode);
  CHECK(r.finished_at_ms > 0);
  for (std::size_t i = 0; i < o.sizes.size(); ++i) {
    const ProbeResult& x = r.results[i];
    CAPTURE(x.size);
    CHECK(x.size == o.sizes[i]);
    CHECK(x.iterations == o.iterations);
    REQUIRE(x.elapsed_us > 0);
    const double moves = o.mode == ProbeMode::PingPong ? 2.0 * o.iterations : o.iterations;
    CHECK(x.latency_us == Approx(x.elapsed_us / moves));
    CHECK(x.bandwidth_mbps == Approx(double(x.size) * moves / x.elapsed_us));
    CHECK(x.messages_per_s == Approx(moves / (x.elapsed_us * 1e-6)));
  }
}

} // namespace

TEST_CASE("Probe: ping-pong over the providers of this host", "[backend][ofi]") {
  if (!have_libfabric()) SKIP("built without libfabric");
  SECTION("tcp, reliable datagram (tcp;ofi_rxm)") {
    auto o = small("tcp", EndpointType::Rdm);
    auto r = probe_loopback(o);
    INFO((r ? std::string() : r.error().what()));
    REQUIRE(r);
    check_report(*r, o);
    CHECK_THAT(r->provider, Catch::StartsWith("tcp"));
    CHECK_THAT(r->local_address, Catch::StartsWith("127.0.0.1:"));
    CHECK_THAT(r->peer_address, Catch::StartsWith("127.0.0.1:"));
  }
  SECTION("tcp, connected endpoints") {
    auto o = small("tcp", EndpointType::Msg);
    auto r = probe_loopback(o);
    INFO((r ? std::string() : r.error().what()));
    REQUIRE(r);
    check_report(*r, o);
    CHECK(r->provider == "tcp");
  }
  SECTION("udp, reliable datagram (udp;ofi_rxd)") {
    auto o = small("udp", EndpointType::Rdm);
    auto r = probe_loopback(o);
    INFO((r ? std::string() : r.error().what()));
    REQUIRE(r);
    check_report(*r, o);
    CHECK_THAT(r->provider, Catch::StartsWith("udp"));
  }
  SECTION("udp, datagram within the datagram size") {
    auto o = small("udp", EndpointType::Dgram);
    o.sizes = {1, 1024};
    auto r = probe_loopback(o);
    INFO((r ? std::string() : r.error().what()));
    REQUIRE(r);
    check_report(*r, o);
  }
  SECTION("shm, reliable datagram") {
    auto o = small("shm", EndpointType::Rdm);
    o.sizes = {1, 4096, 1048576};
    auto r = probe_loopback(o);
    INFO((r ? std::string() : r.error().what()));
    REQUIRE(r);
    check_report(*r, o);
    CHECK(r->provider == "shm");
  }
}

TEST_CASE("Probe: streaming", "[backend][ofi]") {
  if (!have_libfabric()) SKIP("built without libfabric");
  for (const char* prov : {"tcp", "shm"}) {
    CAPTURE(prov);
    auto o = small(prov, EndpointType::Rdm);
    o.mode = ProbeMode::Stream;
    o.sizes = {64, 1048576};
    o.iterations = 100;
    o.window = 16;
    o.warmup = 16;
    auto r = probe_loopback(o);
    INFO((r ? std::string() : r.error().what()));
    REQUIRE(r);
    check_report(*r, o);
  }
}

TEST_CASE("Probe: method fi_pingpong", "[backend][ofi]") {
  if (!have_libfabric()) SKIP("built without libfabric");
  SECTION("names") {
    CHECK(parse_probe_method("fi_pingpong") == ProbeMethod::FiPingpong);
    CHECK(parse_probe_method("FI-PINGPONG") == ProbeMethod::FiPingpong);
    CHECK(parse_probe_method("ofmf") == ProbeMethod::Ofmf);
    CHECK_FALSE(parse_probe_method("ib_send_lat"));
    for (auto m : {ProbeMethod::Ofmf, ProbeMethod::FiPingpong}) CHECK(parse_probe_method(to_string(m)) == m);
  }
  SECTION("tcp rdm: data on the provider's first interface, as fi_getinfo orders them") {
    auto o = small("tcp", EndpointType::Rdm);
    o.method = ProbeMethod::FiPingpong;
    o.sizes = {1, 64, 4096};  // below, at and above tcp;ofi_rxm's inject_size
    auto r = probe_loopback(o);
    INFO((r ? std::string() : r.error().what()));
    REQUIRE(r);
    check_report(*r, o);
    CHECK(r->method == ProbeMethod::FiPingpong);
    OfiFilter f;
    f.provider = r->provider;
    f.endpoint_type = EndpointType::Rdm;
    auto inv = ofi_inventory(f);
    REQUIRE(inv);
    REQUIRE_FALSE(inv->empty());
    CHECK(r->fabric == inv->front().fabric);
    CHECK(r->domain == inv->front().domain);
  }
  SECTION("tcp msg, udp dgram, shm rdm") {
    for (auto [prov, type] : {std::pair{"tcp", EndpointType::Msg}, std::pair{"udp", EndpointType::Dgram},
                              std::pair{"shm", EndpointType::Rdm}}) {
      CAPTURE(prov);
      auto o = small(prov, type);
      o.method = ProbeMethod::FiPingpong;
      if (type == EndpointType::Dgram) o.sizes = {1, 1024};
      auto r = probe_loopback(o);
      INFO((r ? std::string() : r.error().what()));
      REQUIRE(r);
      check_report(*r, o);
      CHECK(r->method == ProbeMethod::FiPingpong);
    }
  }
  SECTION("stream mode has no fi_pingpong method") {
    auto o = small("tcp", EndpointType::Rdm);
    o.mode = ProbeMode::Stream;
    o.method = ProbeMethod::FiPingpong;
    auto r = probe_loopback(o);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::invalid_argument);
  }
}

TEST_CASE("Probe: clear errors for bad requests", "[backend][ofi]") {
  if (!have_libfabric()) SKIP("built without libfabric");
  SECTION("unknown provider") {
    auto o = small("nosuchprov", EndpointType::Rdm);
    auto r = probe_loopback(o);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::unavailable);
    CHECK_THAT(r.error().message, Catch::Contains("nosuchprov"));
  }
  SECTION("an endpoint type the provider does not offer") {
    auto o = small("shm", EndpointType::Msg);
    auto r = probe_loopback(o);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::unavailable);
    CHECK_THAT(r.error().message, Catch::Contains("shm") && Catch::Contains("msg"));
  }
  SECTION("a size above udp's datagram limit") {
    auto o = small("udp", EndpointType::Dgram);
    o.sizes = {1, 1048576};
    auto r = probe_loopback(o);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::invalid_argument);
    CHECK_THAT(r.error().message, Catch::Contains("1048576") && Catch::Contains("max_msg_size"));
  }
  SECTION("sizes and counts outside the limits") {
    auto o = small("tcp", EndpointType::Rdm);
    o.sizes = {probe_max_size + 1};
    CHECK(probe_loopback(o).error().code == errc::invalid_argument);
    o.sizes = {};
    CHECK(probe_loopback(o).error().code == errc::invalid_argument);
    o = small("tcp", EndpointType::Rdm);
    o.iterations = 0;
    CHECK(probe_loopback(o).error().code == errc::invalid_argument);
  }
}

TEST_CASE("Probe: no hang on an unreachable server or a vanished peer", "[backend][ofi]") {
  if (!have_libfabric()) SKIP("built without libfabric");
  auto o = small("tcp", EndpointType::Rdm);
  o.timeout = std::chrono::milliseconds(500);
  o.control_port = 47611;
  SECTION("nobody listens") {
    auto r = probe_client(o, "127.0.0.1");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::unavailable);
    CHECK_THAT(r.error().message, Catch::Contains("127.0.0.1:47611"));
  }
  SECTION("no client comes") {
    auto r = probe_server(o);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::timeout);
  }
  SECTION("a server that accepts and then says nothing") {
    std::jthread mute([&] {
      auto ch = ofi::accept_channel("127.0.0.1", o.control_port, std::chrono::milliseconds(5000));
      if (ch) std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    });
    auto r = probe_client(o, "127.0.0.1");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::timeout);
  }
  SECTION("a client that goes away after the exchange of names") {
    std::jthread server_thread;
    Result<ProbeReport> server = fail(errc::ok, "");
    server_thread = std::jthread([&] { server = probe_server(o); });
    {
      auto ch = ofi::connect_channel("127.0.0.1", o.control_port, std::chrono::milliseconds(5000));
      REQUIRE(ch);
      nlohmann::json hello = {{"hello", 1},   {"provider", "tcp"}, {"ep", "rdm"},   {"mode", "pingpong"},
                              {"sizes", {64}}, {"iterations", 10}, {"warmup", 1}, {"window", 1}};
      REQUIRE((*ch)->send(hello.dump()));
      auto answer = (*ch)->receive(std::chrono::milliseconds(5000));
      REQUIRE(answer);
      // A made-up endpoint name, then silence and a closed connection.
      REQUIRE((*ch)->send(nlohmann::json{{"name", "00"}}.dump()));
    }
    server_thread.join();
    REQUIRE_FALSE(server);
    CHECK((server.error().code == errc::unavailable || server.error().code == errc::timeout ||
           server.error().code.category() == std::system_category()));
  }
}

TEST_CASE("Probe: size lists", "[backend]") {
  auto s = parse_sizes("1,64,4K,1M,4M");
  REQUIRE(s);
  CHECK(*s == std::vector<std::size_t>{1, 64, 4096, 1048576, 4194304});
  auto r = parse_sizes("1-8,1k-4k");
  REQUIRE(r);
  CHECK(*r == std::vector<std::size_t>{1, 2, 4, 8, 1024, 2048, 4096});
  CHECK(parse_sizes("0").error().code == errc::invalid_argument);
  CHECK(parse_sizes("8M").error().code == errc::invalid_argument);
  CHECK_THAT(parse_sizes("1,x,3").error().message, Catch::Contains("\"x\""));
  CHECK(parse_sizes("").error().code == errc::invalid_argument);
  CHECK(parse_probe_mode("ping-pong") == ProbeMode::PingPong);
  CHECK(parse_probe_mode("STREAM") == ProbeMode::Stream);
  CHECK_FALSE(parse_probe_mode("burst"));
}
