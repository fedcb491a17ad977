// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include <catch2/catch.hpp>

#include <algorithm>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "ofmf/topology/format.hpp"
#include "peak_memory.hpp"

using namespace ofmf;
using namespace ofmf::topology;
using model::Guid;
using model::LinkSpeed;
using model::LinkWidth;

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string data(const char* name) { return std::string(OFMF_TEST_DATA_DIR) + "/" + name; }

// Same GUIDs, types, links (by GUID and port) and link width/speed.
bool same_links(const model::Fabric& a, const model::Fabric& b, std::string& why) {
  if (a.node_count() != b.node_count()) return why = "node count", false;
  if (a.link_count() != b.link_count()) return why = "link count", false;
  for (auto id : a.nodes()) {
    const auto na = *a.node(id);
    const auto ib = b.find(na.guid);
    if (!ib) return why = "missing " + model::format_guid(na.guid), false;
    const auto nb = *b.node(*ib);
    if (na.type != nb.type || na.num_ports() != nb.num_ports()) return why = "type/ports of " + model::format_guid(na.guid), false;
    for (unsigned p = 1; p <= na.num_ports(); ++p) {
      const auto& pa = na.ports[p];
      const auto& pb = nb.ports[p];
      const std::string where = model::format_guid(na.guid) + " port " + std::to_string(p);
      if (pa.attributes.guid != pb.attributes.guid) return why = where + " GUID", false;
      if (pa.peer.has_value() != pb.peer.has_value()) return why = where + " linked in one only", false;
      if (!pa.peer) continue;
      if (*a.guid(pa.peer->node) != *b.guid(pb.peer->node) || pa.peer->port != pb.peer->port)
        return why = where + " peer", false;
      if (pa.attributes.width != pb.attributes.width || pa.attributes.speed != pb.attributes.speed)
        return why = where + " rate", false;
    }
  }
  return true;
}

const char* const small = R"(#
# Topology file: generated on Wed Nov 25 06:33:52 2026
#

vendid=0x2c9
devid=0xc738
sysimgguid=0x200001
switchguid=0x200001(200001)
Switch	8 "S-0000000000200001"		# "Switch2" base port 0 lid 3 lmc 0
[1]	"H-0000000000100003"[1](100004) 		# "Hca2" lid 4 4xEDR
[3]	"S-0000000000200000"[3]		# "Switch1" lid 1 4xSDR

vendid=0x0
devid=0x0
sysimgguid=0x200000
switchguid=0x200000(200000)
Switch	8 "S-0000000000200000"		# "Switch1" enhanced port 0 lid 1 lmc 2
[3]	"S-0000000000200001"[3]		# "Switch2" lid 3 4xSDR

vendid=0x0
devid=0x0
sysimgguid=0x100003
caguid=0x100003
Ca	2 "H-0000000000100003"		# "Hca2"
[1](100004) 	"S-0000000000200001"[1]		# lid 4 lmc 1 "Switch2" lid 3 4xEDR
)";

Error parse_error_of(const std::string& text) {
  ReadOptions o;
  o.source_name = "topo.txt";
  auto r = parse_ibnetdiscover(text, o);
  REQUIRE_FALSE(r.has_value());
  return r.error();
}

// `small` with line `n` (1-based) replaced.
std::string with_line(std::size_t n, const std::string& replacement) {
  std::istringstream in(small);
  std::string line, out;
  for (std::size_t i = 1; std::getline(in, line); ++i) out += (i == n ? replacement : line) + "\n";
  return out;
}

} // namespace

TEST_CASE("Ibnetdiscover: reads what ibnetdiscover prints", "[topology]") {
  auto r = parse_ibnetdiscover(small);
  REQUIRE(r.has_value());
  const model::Fabric& f = *r;
  CHECK(f.node_count() == 3);
  CHECK(f.switch_count() == 2);
  CHECK(f.link_count() == 2);

  SECTION("node attributes from guid lines and header comments") {
    const auto sw = *f.node(*f.find(0x200001));
    CHECK(sw.type == model::NodeType::Switch);
    CHECK(sw.description == "Switch2");
    CHECK(sw.vendor_id == 0x2c9);
    CHECK(sw.device_id == 0xc738);
    CHECK(sw.num_ports() == 8);
    CHECK(sw.ports[0].attributes.lid == 3);
    const auto sw1 = *f.node(*f.find(0x200000));
    CHECK(sw1.ports[0].attributes.lid == 1);
    CHECK(sw1.ports[0].attributes.lmc == 2);
  }
  SECTION("port GUIDs, LIDs and rates from port lines") {
    const auto ca = *f.node(*f.find(0x100003));
    CHECK(ca.description == "Hca2");
    CHECK(ca.ports[1].attributes.guid == 0x100004);
    CHECK(ca.ports[1].attributes.lid == 4);
    CHECK(ca.ports[1].attributes.lmc == 1);
    CHECK(ca.ports[1].attributes.width == LinkWidth::X4);
    CHECK(ca.ports[1].attributes.speed == LinkSpeed::EDR);
    CHECK(ca.ports[1].attributes.state == model::PortState::Active);
    CHECK(ca.ports[1].attributes.phys_state == model::PhysState::LinkUp);
    REQUIRE(ca.ports[1].peer);
    CHECK(*f.guid(ca.ports[1].peer->node) == 0x200001);
    CHECK(ca.ports[1].peer->port == 1);
    CHECK_FALSE(ca.ports[2].peer);
  }
  SECTION("write then parse gives the same fabric") {
    const std::string text = write_ibnetdiscover(f);
    auto again = parse_ibnetdiscover(text);
    REQUIRE(again.has_value());
    std::string why;
    CHECK(model::same_topology(f, *again, &why));
    INFO(why);
  }
  SECTION("a LID on a switch port line is the remote one (fuzzer finding)") {
    auto r2 = parse_ibnetdiscover(with_line(11, "[3]\t\"S-0000000000200000\"[3]\t\t# lid 5 lmc 0 \"Switch1\" lid 1 4xSDR"));
    REQUIRE(r2.has_value());
    CHECK(r2->port({*r2->find(0x200001), 3})->attributes.lid == 0);
    auto again = parse_ibnetdiscover(write_ibnetdiscover(*r2));
    REQUIRE(again.has_value());
    CHECK(model::same_topology(*r2, *again));
  }
  SECTION("CRLF line ends are accepted") {
    std::string crlf;
    for (char c : std::string(small)) {
      if (c == '\n') crlf += '\r';
      crlf += c;
    }
    auto r2 = parse_ibnetdiscover(crlf);
    REQUIRE(r2.has_value());
    CHECK(model::same_topology(f, *r2));
  }
}

TEST_CASE("Ibnetdiscover: captured ibsim fixtures round-trip", "[topology]") {
  // Every <name>.ibnd captured from ibsim next to the <name>.net it ran.
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(OFMF_TEST_DATA_DIR))
    if (e.path().extension() == ".ibnd") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  REQUIRE(names.size() >= 6);
  for (const std::string& name : names) {
    DYNAMIC_SECTION(name) {
      const std::string ibnd = slurp(data(name.c_str()) + ".ibnd");
      const std::string net = slurp(data(name.c_str()) + ".net");
      REQUIRE_FALSE(ibnd.empty());
      auto captured = parse_ibnetdiscover(ibnd);
      REQUIRE(captured.has_value());
      auto given = parse_netfile(net);
      REQUIRE(given.has_value());
      std::string why;
      // What ibsim was given is what ibnetdiscover saw.
      CHECK(same_links(*captured, *given, why));
      INFO(why);
      // OpenSM assigned LIDs before the capture.
      for (auto id : captured->nodes()) {
        const auto n = *captured->node(id);
        if (n.type == model::NodeType::Switch) CHECK(n.ports[0].attributes.lid != 0);
        else CHECK(n.ports[1].attributes.lid != 0);
        CHECK(n.description == given->node(*given->find(n.guid))->description);
      }
      auto again = parse_ibnetdiscover(write_ibnetdiscover(*captured));
      REQUIRE(again.has_value());
      CHECK(model::same_topology(*captured, *again, &why));
      INFO(why);
    }
  }
}

TEST_CASE("Ibnetdiscover: errors name file, line and what was found", "[topology]") {
  SECTION("malformed port line") {
    const auto e = parse_error_of(with_line(10, "[1x\t\"H-0000000000100003\"[1](100004)"));
    CHECK(e.code == make_error_code(errc::parse_error));
    CHECK(e.message == "topo.txt:10: expected ']' after port number, found 'x'");
  }
  SECTION("truncated line") {
    const auto e = parse_error_of(with_line(10, "[1]\t\"H-00000000001"));
    CHECK(e.code == make_error_code(errc::parse_error));
    CHECK(e.message.rfind("topo.txt:10: expected '\"' closing the remote node ID", 0) == 0);
    const auto e2 = parse_error_of(with_line(9, "Switch\t8"));
    CHECK(e2.message == "topo.txt:9: expected a quoted node ID, found end of line");
  }
  SECTION("unknown line") {
    const auto e = parse_error_of(with_line(2, "hello world"));
    CHECK(e.code == make_error_code(errc::parse_error));
    CHECK(e.message.rfind("topo.txt:2: expected a node header", 0) == 0);
    CHECK(e.message.find("found 'hello'") != std::string::npos);
  }
  SECTION("binary data") {
    std::string text = small;
    text[text.find("Hca2")] = '\0';
    const auto e = parse_error_of(text);
    CHECK(e.code == make_error_code(errc::parse_error));
    CHECK(e.message == "topo.txt:10: expected text, found a NUL byte (binary data?)");
  }
  SECTION("port number 0 or above the port count") {
    const auto e = parse_error_of(with_line(10, "[0]\t\"H-0000000000100003\"[1](100004) \t\t# \"Hca2\" lid 4 4xEDR"));
    CHECK(e.code == make_error_code(errc::parse_error));
    CHECK(e.message == "topo.txt:10: expected a port number 1..8 of \"S-0000000000200001\", found '0'");
    // The remote port number too, and with a port GUID right after it.
    const auto e4 = parse_error_of(with_line(10, "[1]\t\"H-0000000000100003\"[0](100004) \t\t# \"Hca2\" lid 4 4xEDR"));
    CHECK(e4.message == "topo.txt:10: expected a port number 1..254 of a node, found '0'");
    const auto e5 = parse_error_of(with_line(10, "[99](200001)\t\"H-0000000000100003\"[1](100004) \t\t# \"Hca2\" lid 4 4xEDR"));
    CHECK(e5.message == "topo.txt:10: expected a port number 1..8 of \"S-0000000000200001\", found '99'");
    const auto e2 = parse_error_of(with_line(10, "[9]\t\"H-0000000000100003\"[1](100004) \t\t# \"Hca2\" lid 4 4xEDR"));
    CHECK(e2.message.rfind("topo.txt:10: expected a port number 1..8", 0) == 0);
    const auto e3 = parse_error_of(with_line(10, "[1]\t\"H-0000000000100003\"[3](100004) \t\t# \"Hca2\" lid 4 4xEDR"));
    CHECK(e3.message == "topo.txt:10: expected a port number 1..2 of \"H-0000000000100003\", found 3");
  }
  SECTION("duplicate node ID") {
    const auto e = parse_error_of(with_line(17, "Switch\t8 \"S-0000000000200001\"\t\t# \"Switch1\" base port 0 lid 1 lmc 0"));
    CHECK(e.code == make_error_code(errc::inconsistent));
    CHECK(e.message == "topo.txt:17: node ID \"S-0000000000200001\" already declared on line 9");
  }
  SECTION("duplicate GUID") {
    const auto e = parse_error_of(with_line(16, "switchguid=0x200001(200001)"));
    CHECK(e.code == make_error_code(errc::inconsistent));
    CHECK(e.message.rfind("topo.txt:17: GUID 0x200001 of \"S-0000000000200000\" already used by \"S-0000000000200001\" on line 9", 0) == 0);
  }
  SECTION("link to an undeclared node") {
    const auto e = parse_error_of(with_line(11, "[3]\t\"S-0000000000200009\"[3]\t\t# \"Switch1\" lid 1 4xSDR"));
    CHECK(e.code == make_error_code(errc::parse_error));
    CHECK(e.message == "topo.txt:11: expected a declared node ID, found link to undeclared node \"S-0000000000200009\"");
  }
  SECTION("asymmetric link") {
    // Switch2 says 3 -> Switch1[3]; Switch1 says its 3 -> Hca2[2].
    const auto e = parse_error_of(with_line(18, "[3]\t\"H-0000000000100003\"[2](100005) \t\t# \"Hca2\" lid 1 4xSDR"));
    CHECK(e.code == make_error_code(errc::inconsistent));
    CHECK(e.message.rfind("topo.txt:18: ", 0) == 0);
    CHECK(e.message.find("line 11") != std::string::npos);
  }
  SECTION("port listed twice") {
    const auto e = parse_error_of(with_line(11, "[1]\t\"S-0000000000200000\"[3]\t\t# \"Switch1\" lid 1 4xSDR"));
    CHECK(e.code == make_error_code(errc::inconsistent));
    CHECK(e.message == "topo.txt:11: port 1 of \"S-0000000000200001\" is already listed on line 10");
  }
  SECTION("numbers that overflow") {
    const auto e = parse_error_of(with_line(8, "switchguid=0x12345678901234567"));
    CHECK(e.code == make_error_code(errc::parse_error));
    CHECK(e.message == "topo.txt:8: expected a 64-bit switchguid, found '12345678901234567', which overflows 64 bits");
    const auto e2 = parse_error_of(with_line(9, "Switch\t99999999999999999999999 \"S-0000000000200001\""));
    CHECK(e2.message == "topo.txt:9: expected a port count 1..254, found '99999999999999999999999'");
    const auto e3 = parse_error_of(with_line(10, "[1]\t\"H-0000000000100003\"[1](100004) \t\t# \"Hca2\" lid 65536 4xEDR"));
    CHECK(e3.message == "topo.txt:10: expected a LID 0..65535, found '65536'");
  }
  SECTION("unknown link rate") {
    const auto e = parse_error_of(with_line(10, "[1]\t\"H-0000000000100003\"[1](100004) \t\t# \"Hca2\" lid 4 4xFAST"));
    CHECK(e.message == "topo.txt:10: expected a link width and speed like '4xQDR', found '4xFAST'");
  }
  SECTION("input above the size limit") {
    ReadOptions o;
    o.source_name = "big.txt";
    o.max_bytes = 100;
    auto r = parse_ibnetdiscover(small, o);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == make_error_code(errc::limit_exceeded));
    CHECK(r.error().message.rfind("big.txt:7: input is ", 0) == 0);
  }
  SECTION("more ports declared than max_ports") {
    // Tiny headers declaring 254 ports each must not make the parser
    // allocate without bound.
    std::string many;
    for (int i = 0; i < 100; ++i)
      many += "switchguid=0x" + std::to_string(1000 + i) + "\nSwitch\t254 \"S-" + std::to_string(i) + "\"\n\n";
    ReadOptions o;
    o.source_name = "many.txt";
    o.max_ports = 1000;
    auto r = parse_ibnetdiscover(many, o);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == make_error_code(errc::limit_exceeded));
    CHECK(r.error().message == "many.txt:11: the file declares more than 1000 ports (ReadOptions::max_ports)");
    o.max_ports = 100 * 255;
    CHECK(parse_ibnetdiscover(many, o).has_value());
  }
  SECTION("model validation with the line attached") {
    const auto e = parse_error_of(with_line(9, "Switch\t8 \"S-0000000000200001\"\t\t# \"" + std::string(65, 'd') + "\" base port 0 lid 3 lmc 0"));
    CHECK(e.code == make_error_code(errc::parse_error));
    CHECK(e.message.rfind("topo.txt:9: Switch 0x0000000000200001: description is 65 bytes", 0) == 0);
  }
}

TEST_CASE("Topology files: names, detection, read and atomic write", "[topology]") {
  SECTION("format names") {
    for (auto f : {Format::Ibnetdiscover, Format::Netfile, Format::Dot}) CHECK(parse_format_name(to_string(f)) == f);
    CHECK_FALSE(parse_format_name("Dot"));
    CHECK(format_from_path("a/b.ibnd") == Format::Ibnetdiscover);
    CHECK(format_from_path("x.TXT") == Format::Ibnetdiscover);
    CHECK(format_from_path("x.net") == Format::Netfile);
    CHECK(format_from_path("x.gv") == Format::Dot);
    CHECK_FALSE(format_from_path("x.json"));
  }
  SECTION("content detection") {
    CHECK(detect_format(small) == Format::Ibnetdiscover);
    CHECK(detect_format(slurp(data("ibsim-3sw-mixed.net"))) == Format::Netfile);
    CHECK(detect_format("Switch 4 \"a\"\n[1] \"b\"[1]\n") == Format::Netfile);
    CHECK(detect_format("Ca 1 \"H-0000000000000001\"\n") == Format::Ibnetdiscover);
  }
  const auto dir = std::filesystem::temp_directory_path() / ("ofmf-fmt-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  SECTION("write_topology writes atomically and read_topology reads back") {
    auto f = parse_ibnetdiscover(small);
    REQUIRE(f.has_value());
    const auto path = dir / "fabric.topo";
    REQUIRE(write_topology(*f, path, Format::Ibnetdiscover).has_value());
    REQUIRE(write_topology(*f, path, Format::Ibnetdiscover).has_value());  // replaces
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++files;
    CHECK(files == 1);
    auto back = read_topology(path);
    REQUIRE(back.has_value());
    CHECK(model::same_topology(*f, *back));
    auto bad = write_topology(*f, dir / "no-such-dir" / "x.topo", Format::Ibnetdiscover);
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().code == make_error_code(errc::io_error));
  }
  SECTION("read_topology errors") {
    auto missing = read_topology(dir / "missing.topo");
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().code == make_error_code(errc::io_error));
    CHECK(missing.error().message.find("missing.topo") != std::string::npos);
    CHECK(missing.error().message.find("No such file or directory") != std::string::npos);
    const auto path = dir / "bad.topo";
    std::ofstream(path) << "Switch 4 \"S-0000000000000001\"\n[1] \"nowhere\"[1]\n";
    auto bad = read_topology(path);
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().message.rfind(path.string() + ":2: ", 0) == 0);
    ReadOptions o;
    o.max_bytes = 10;
    auto big = read_topology(path, std::nullopt, o);
    REQUIRE_FALSE(big.has_value());
    CHECK(big.error().code == make_error_code(errc::limit_exceeded));
    auto dot = read_topology(path, Format::Dot);
    REQUIRE_FALSE(dot.has_value());
    CHECK(dot.error().code == make_error_code(errc::not_supported));
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("Topology files: a text without nodes is refused unless allowed", "[topology]") {
  for (const char* text : {"", "\n\n", "# only a comment\n#\n", "   \t\n# x\n"}) {
    DYNAMIC_SECTION("text " << std::string(text).size() << " bytes") {
      ReadOptions o;
      o.source_name = "empty.topo";
      for (auto parse : {&parse_ibnetdiscover, &parse_netfile}) {
        auto r = parse(text, o);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == make_error_code(errc::parse_error));
        CHECK(r.error().message == "empty.topo: no nodes (ReadOptions::allow_empty accepts an empty fabric)");
      }
      o.allow_empty = true;
      for (auto parse : {&parse_ibnetdiscover, &parse_netfile}) {
        auto r = parse(text, o);
        REQUIRE(r.has_value());
        CHECK(r->node_count() == 0);
      }
    }
  }
  SECTION("read_topology passes the option") {
    const auto path = std::filesystem::temp_directory_path() / ("ofmf-empty-" + std::to_string(::getpid()) + ".topo");
    std::ofstream(path) << "# Topology file: nothing\n";
    auto r = read_topology(path);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message == path.string() + ": no nodes (ReadOptions::allow_empty accepts an empty fabric)");
    ReadOptions o;
    o.allow_empty = true;
    CHECK(read_topology(path, std::nullopt, o).has_value());
    std::filesystem::remove(path);
  }
}

TEST_CASE("Topology files: lines longer than max_line_bytes are refused", "[topology]") {
  ReadOptions o;
  o.source_name = "long.topo";
  o.max_line_bytes = 40;
  const std::string ok = "switchguid=0x1\nSwitch 2 \"S-0000000000000001\"\n";
  CHECK(parse_ibnetdiscover(ok, o).has_value());
  const std::string text = ok + "# " + std::string(39, 'c') + "\n";
  for (auto parse : {&parse_ibnetdiscover, &parse_netfile}) {
    auto r = parse(text, o);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == make_error_code(errc::parse_error));
    CHECK(r.error().message ==
          "long.topo:3: expected a line of at most 40 bytes (ReadOptions::max_line_bytes), found a longer one");
  }
  o.max_line_bytes = 41;
  CHECK(parse_ibnetdiscover(text, o).has_value());
}

TEST_CASE("Topology files: read_topology stops at binary data with bounded memory", "[topology]") {
  // /dev/zero and /dev/urandom never end: the reader must stop at the
  // first NUL byte (or line that cannot be a topology line), not at the
  // 1 GiB max_bytes.
  for (const char* dev : {"/dev/zero", "/dev/urandom"}) {
    DYNAMIC_SECTION(dev) {
      const std::size_t before = ofmf::test::peak_rss_bytes();
      auto r = read_topology(dev);
      const std::size_t grown = ofmf::test::peak_rss_bytes() - before;
      REQUIRE_FALSE(r.has_value());
      CHECK(r.error().code == make_error_code(errc::parse_error));
      CHECK(r.error().message.rfind(std::string(dev) + ":", 0) == 0);
      if (std::string_view(dev) == "/dev/zero")
        CHECK(r.error().message == "/dev/zero:1: expected text, found a NUL byte (binary data?)");
      INFO("peak resident memory grew by " << grown << " bytes");
      CHECK(grown < (std::size_t{16} << 20));
    }
  }
}

TEST_CASE("Topology files: read_topology stops at the first line that cannot be a topology line", "[topology]") {
  // A FIFO whose writer keeps it open after a bad line: the reader must
  // return without waiting for the end of the input. The writer closes the
  // FIFO only once read_topology() has returned (or, if it never does
  // before the end, after a few seconds, and the check below fails).
  const auto fifo = std::filesystem::temp_directory_path() / ("ofmf-fifo-" + std::to_string(::getpid()) + ".topo");
  struct Case {
    const char* name;
    std::string text;
    std::string message;
  };
  const std::string head = "switchguid=0x1\nSwitch 2 \"S-0000000000000001\"\n";
  const std::vector<Case> cases{
      {"unknown line", head + "# fine\nnot a topology line\n",
       ":4: expected a node header (Switch, Ca, Hca, Rt), a port line '[n]', 'key=value' or a comment, found 'not'"},
      {"endless line", head + "# " + std::string(std::size_t{1} << 15, 'x'),
       ":3: expected a line of at most 4096 bytes (ReadOptions::max_line_bytes), found a longer one"},
      {"NUL byte", head + std::string("[1]\0", 4), ":3: expected text, found a NUL byte (binary data?)"},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.name) {
      std::filesystem::remove(fifo);
      REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
      std::mutex m;
      std::condition_variable cv;
      bool returned = false, closed = false;
      std::thread writer([&] {
        const int fd = ::open(fifo.c_str(), O_WRONLY | O_CLOEXEC);
        if (fd < 0) return;
        const char* p = c.text.data();
        std::size_t left = c.text.size();
        while (left > 0) {
          const ssize_t n = ::write(fd, p, left);
          if (n <= 0) break;  // the reader closed its end
          p += n;
          left -= std::size_t(n);
        }
        std::unique_lock lock(m);
        cv.wait_for(lock, std::chrono::seconds(5), [&] { return returned; });
        closed = true;
        lock.unlock();
        ::close(fd);
      });
      auto r = read_topology(fifo, Format::Ibnetdiscover);
      bool closed_first;
      {
        std::lock_guard lock(m);
        closed_first = closed;
        returned = true;
      }
      cv.notify_all();
      writer.join();
      CHECK_FALSE(closed_first);
      REQUIRE_FALSE(r.has_value());
      CHECK(r.error().code == make_error_code(errc::parse_error));
      CHECK(r.error().message == fifo.string() + c.message);
      std::filesystem::remove(fifo);
    }
  }
}
