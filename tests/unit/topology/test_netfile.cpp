// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "ofmf/topology/format.hpp"

using namespace ofmf;
using namespace ofmf::topology;
using model::LinkSpeed;
using model::LinkWidth;
using model::NodeType;

namespace {

const char* const net = R"(# a small netfile
Switch	8 "sw1"
[1]	"h1"[1]		# "h1" lid 0 4xQDR
[2]	"h2"[1]
[3]	"sw2"[3]	# "sw2" lid 0 12xFDR

switchguid=0x5000
Switch 4 "sw2"
[3] "sw1" [3]		# "sw1" lid 0 12xFDR
[4]	"h3"[2]	# free text comment

Hca	2 "h1"
[1]	"sw1"[1]	# lid 0 lmc 0 "sw1" lid 0 4xQDR

caguid=0x9000
Ca	1 "h2"

Hca	2 "h3"
)";

Error net_error(const std::string& text) {
  ReadOptions o;
  o.source_name = "t.net";
  auto r = parse_netfile(text, o);
  REQUIRE_FALSE(r.has_value());
  return r.error();
}

model::NodeSpec spec(NodeType t, model::Guid g, unsigned ports, std::string d) {
  model::NodeSpec s;
  s.type = t;
  s.guid = g;
  s.num_ports = ports;
  s.description = std::move(d);
  return s;
}

void link(model::Fabric& f, model::NodeId a, unsigned pa, model::NodeId b, unsigned pb, LinkWidth w, LinkSpeed s) {
  REQUIRE(f.connect({a, model::PortNum(pa)}, {b, model::PortNum(pb)}).has_value());
  for (model::PortRef p : {model::PortRef{a, model::PortNum(pa)}, model::PortRef{b, model::PortNum(pb)}}) {
    auto at = f.port(p)->attributes;
    at.width = w;
    at.speed = s;
    at.state = model::PortState::Active;
    at.phys_state = model::PhysState::LinkUp;
    REQUIRE(f.set_port(p, at).has_value());
  }
}

// Runs ibsim on `netfile` and returns ibnetdiscover's output ("" when the
// tools are not installed). Everything started is stopped by PID.
std::string ibsim_discover(const std::filesystem::path& dir, const std::filesystem::path& netfile) {
  const char* umad2sim = "/usr/lib/x86_64-linux-gnu/umad2sim/libumad2sim.so";
  if (::access("/usr/bin/ibsim", X_OK) != 0 || ::access("/usr/sbin/ibnetdiscover", X_OK) != 0 ||
      ::access(umad2sim, R_OK) != 0)
    return {};
  const std::string sock = "ofmftest" + std::to_string(::getpid());
  int console[2];
  REQUIRE(::pipe(console) == 0);
  const std::string log = (dir / "ibsim.log").string();
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(console[0], 0);
    ::close(console[0]);
    ::close(console[1]);
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::setenv("IBSIM_SOCKNAME", sock.c_str(), 1);
    ::execl("/usr/bin/ibsim", "ibsim", "-s", netfile.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(console[0]);  // console[1] stays open: ibsim's console reads stdin
  bool ready = false;
  for (int i = 0; i < 300 && !ready; ++i) {
    std::ifstream in(log);
    std::stringstream s;
    s << in.rdbuf();
    ready = s.str().find("Network simulator ready") != std::string::npos;
    if (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::string out;
  if (ready) {
    const std::string cmd = "cd '" + dir.string() + "' && IBSIM_SOCKNAME=" + sock + " LD_PRELOAD=" + umad2sim +
                            " timeout 60 /usr/sbin/ibnetdiscover 2>/dev/null";
    if (FILE* p = ::popen(cmd.c_str(), "r")) {
      char buf[4096];
      std::size_t n;
      while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
      ::pclose(p);
    }
  }
  ::kill(pid, SIGTERM);
  ::waitpid(pid, nullptr, 0);
  ::close(console[1]);
  REQUIRE(ready);
  return out;
}

} // namespace

TEST_CASE("Netfile: reads ibsim netfiles", "[topology]") {
  auto r = parse_netfile(net);
  REQUIRE(r.has_value());
  const model::Fabric& f = *r;
  CHECK(f.node_count() == 5);
  CHECK(f.link_count() == 4);

  SECTION("GUIDs follow ibsim's counters and guid lines") {
    CHECK(f.find(0x200000));  // sw1: default
    CHECK(f.find(0x5000));    // sw2: switchguid=
    CHECK(f.find(0x100000));  // h1: default
    CHECK(f.find(0x9000));    // h2: caguid=
    CHECK(f.find(0x9002));    // h3: caguid + (1 + 1)
    const auto h1 = *f.node(*f.find(0x100000));
    CHECK(h1.description == "h1");
    CHECK(h1.ports[1].attributes.guid == 0x100001);
    CHECK(h1.ports[2].attributes.guid == 0x100002);
  }
  SECTION("rates from annotations, links written on one side only") {
    const auto sw1 = *f.node(*f.find(0x200000));
    CHECK(sw1.description == "sw1");
    CHECK(sw1.ports[1].attributes.width == LinkWidth::X4);
    CHECK(sw1.ports[1].attributes.speed == LinkSpeed::QDR);
    CHECK(sw1.ports[3].attributes.width == LinkWidth::X12);
    CHECK(sw1.ports[3].attributes.speed == LinkSpeed::FDR);
    CHECK(sw1.ports[2].attributes.speed == LinkSpeed::SDR);  // no annotation: ibsim's default
    const auto h2 = *f.node(*f.find(0x9000));
    REQUIRE(h2.ports[1].peer);  // only sw1 lists this link
    CHECK(*f.guid(h2.ports[1].peer->node) == 0x200000);
    const auto h3 = *f.node(*f.find(0x9002));
    REQUIRE(h3.ports[2].peer);
    CHECK(h3.ports[2].peer->port == 4);
  }
  SECTION("write then parse gives the same fabric") {
    auto again = parse_netfile(write_netfile(f));
    REQUIRE(again.has_value());
    std::string why;
    CHECK(model::same_topology(f, *again, &why));
    INFO(why);
  }
}

TEST_CASE("Netfile: errors", "[topology]") {
  SECTION("reserved characters in IDs (ibsim refuses them)") {
    const auto e = net_error("Switch 4 \"a#b\"\n");
    CHECK(e.code == make_error_code(errc::parse_error));
    CHECK(e.message == "t.net:1: expected a node ID of 1..64 bytes without control characters, '#' or '@', found \"a#b\"");
    CHECK(net_error("Switch 4 \"" + std::string(65, 'x') + "\"\n").message.rfind("t.net:1: expected a node ID", 0) == 0);
  }
  SECTION("port line before any node") {
    CHECK(net_error("\n[1] \"a\"[1]\n").message == "t.net:2: expected a node header before the first port line, found '['");
  }
  SECTION("asymmetric links name both lines") {
    const auto e = net_error("Switch 4 \"a\"\n[1] \"b\"[1]\n\nSwitch 4 \"b\"\n[1] \"c\"[2]\n\nSwitch 4 \"c\"\n");
    CHECK(e.code == make_error_code(errc::inconsistent));
    CHECK(e.message.rfind("t.net:5: port 1 of \"b\" links to \"c\"[2], but line 2 links it elsewhere", 0) == 0);
  }
  SECTION("include is not supported") {
    CHECK(net_error("include other.net\n").message.rfind("t.net:1: expected a node header", 0) == 0);
  }
}

TEST_CASE("Netfile: written netfiles load in ibsim", "[topology][ibsim]") {
  // A fabric with explicit GUIDs, a description ibsim cannot take as an ID
  // (so GUID-named IDs are used) and the rates ibsim 0.10 reproduces.
  model::Fabric f;
  auto s1 = *f.add_node(spec(NodeType::Switch, 0x0002c90000000a00, 8, "spine"));
  auto s2 = *f.add_node(spec(NodeType::Switch, 0x0002c90000000b00, 6, "leaf 1"));
  auto s3 = *f.add_node(spec(NodeType::Switch, 0x0002c90000000c00, 6, "leaf 2"));
  auto h1 = *f.add_node(spec(NodeType::ChannelAdapter, 0x0002c90100000010, 2, "node-1 HCA-1"));
  auto h2 = *f.add_node(spec(NodeType::ChannelAdapter, 0x0002c90100000020, 1, "node-2 HCA-1"));
  auto h3 = *f.add_node(spec(NodeType::ChannelAdapter, 0x0002c90100000030, 2, "node-3 HCA-1"));
  link(f, s1, 1, s2, 5, LinkWidth::X4, LinkSpeed::HDR);
  link(f, s1, 2, s3, 5, LinkWidth::X12, LinkSpeed::QDR);
  link(f, s1, 3, s3, 6, LinkWidth::X8, LinkSpeed::DDR);
  link(f, s2, 1, h1, 1, LinkWidth::X4, LinkSpeed::FDR);
  link(f, s3, 1, h1, 2, LinkWidth::X1, LinkSpeed::SDR);
  link(f, s2, 2, h2, 1, LinkWidth::X2, LinkSpeed::QDR);
  link(f, s3, 3, h3, 2, LinkWidth::X4, LinkSpeed::DDR);
  const auto dir = std::filesystem::temp_directory_path() / ("ofmf-ibsim-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);

  for (bool guid_ids : {false, true}) {
    if (guid_ids) REQUIRE(f.set_description(h3, "has#hash").has_value());
    const std::string text = write_netfile(f);
    CHECK((text.find("\"S-0002c90000000a00\"") != std::string::npos) == guid_ids);
    REQUIRE(write_topology(f, dir / "fabric.net", Format::Netfile).has_value());
    const std::string discovered = ibsim_discover(dir, dir / "fabric.net");
    if (discovered.empty()) {
      WARN("ibsim/ibnetdiscover not installed: skipped");
      break;
    }
    auto back = parse_ibnetdiscover(discovered);
    REQUIRE(back.has_value());
    REQUIRE(back->node_count() == f.node_count());
    REQUIRE(back->link_count() == f.link_count());
    for (const model::Link& l : f.links()) {
      for (auto [p, q] : {std::pair{l.a, l.b}, std::pair{l.b, l.a}}) {
        const auto guid = *f.guid(p.node);
        INFO(model::format_guid(guid) << " port " << unsigned(p.port));
        const auto bp = back->find(guid);
        REQUIRE(bp);
        const auto mine = *f.port(p);
        const auto theirs = *back->port({*bp, p.port});
        REQUIRE(theirs.peer);
        CHECK(*back->guid(theirs.peer->node) == *f.guid(q.node));
        CHECK(theirs.peer->port == q.port);
        CHECK(theirs.attributes.width == mine.attributes.width);
        CHECK(theirs.attributes.speed == mine.attributes.speed);
        CHECK(theirs.attributes.guid == mine.attributes.guid);
      }
    }
    if (!guid_ids) CHECK(back->node(*back->find(0x0002c90000000b00))->description == "leaf 1");
  }
  std::filesystem::remove_all(dir);
}
