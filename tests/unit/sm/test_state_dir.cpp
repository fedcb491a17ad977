// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "ofmf/model/fabric.hpp"
#include "ofmf/sm/state_dir.hpp"
#include "slurp.hpp"
#include "temp_dir.hpp"

using namespace ofmf;
using namespace ofmf::sm;
namespace fs = std::filesystem;
using ofmf::test::TempDir;
using ofmf::test::slurp;

namespace {

Guid2Lid sample(unsigned n, unsigned seed) {
  Guid2Lid m;
  std::mt19937 rng(seed);
  std::uint16_t next = 1;
  for (unsigned i = 0; i < n; ++i) {
    const std::uint8_t lmc = std::uint8_t(rng() % 3);
    next = std::uint16_t((next + (1u << lmc) - 1) & ~((1u << lmc) - 1));
    m[0x0002c90300000000ull + rng() % 100000] = {next, lmc};
    next = std::uint16_t(next + (1u << lmc));
  }
  return m;
}

std::size_t count_prefix(const fs::path& dir, const std::string& prefix) {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) n += e.path().filename().string().rfind(prefix, 0) == 0;
  return n;
}

} // namespace

TEST_CASE("guid2lid: written and read back; every truncation and corruption is refused", "[sm]") {
  const Guid2Lid lids = sample(40, 7);
  const std::string text = format_guid2lid(lids);
  CHECK(text.rfind("# ofmf guid2lid 1\n0x0002c903", 0) == 0);
  auto back = parse_guid2lid(text, "g");
  REQUIRE(back);
  CHECK(*back == lids);
  CHECK(parse_guid2lid(format_guid2lid({}), "g"));
  for (std::size_t n = 0; n < text.size(); ++n) {
    INFO("prefix of " << n << " bytes");
    REQUIRE_FALSE(parse_guid2lid(text.substr(0, n), "g"));
  }
  // One changed digit of a GUID keeps the line valid; the checksum catches it.
  std::string bad = text;
  const std::size_t at = std::string("# ofmf guid2lid 1\n0x000000000000000").size();
  bad[at] = bad[at] == '0' ? '1' : '0';
  auto r = parse_guid2lid(bad, "g");
  REQUIRE_FALSE(r);
  CHECK(r.error().code == make_error_code(errc::inconsistent));
}

TEST_CASE("guid2lid: bad lines name the line", "[sm]") {
  auto parse_body = [](const std::string& body) { return parse_guid2lid("# ofmf guid2lid 1\n" + body, "g"); };
  struct Case {
    const char* body;
    const char* message;
  };
  const Case cases[] = {
      {"0x10 0x0001\n", "g:2: expected 'GUID FIRST-LID LAST-LID'"},
      {"0x0 0x0001 0x0001\n", "g:2: bad port GUID '0x0'"},
      {"0x10 0x0000 0x0000\n", "g:2: bad LID range"},
      {"0x10 0x0001 0xc000\n", "g:2: bad LID range"},
      {"0x10 0x0002 0x0001\n", "g:2: bad LID range"},
      {"0x10 0x0001 0x0002\n", "g:2: LIDs 0x0001 0x0002 are not 2^LMC LIDs aligned"},
      {"0x10 0x0004 0x0006\n", "are not 2^LMC LIDs aligned"},
      {"0x10 0x0001 0x0001\n0x11 0x0001 0x0001\n", "g:3: LID 1 is given to two ports"},
      {"0x10 0x0001 0x0001\n0x10 0x0002 0x0002\n", "g:3: port GUID 0x0000000000000010 is listed twice"},
      {"0x10 0x0001 0x0001\n# end 2 crc32=00000000\n", "the end line counts 2 ports, the file has 1"},
      {"# end 0 crc32=00000000\nmore\n", "g:2: text after the end line"},
      {"# end x\n", "g:2: expected '# end N crc32=XXXXXXXX'"},
  };
  for (const Case& c : cases) {
    INFO(c.body);
    auto r = parse_body(c.body);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains(c.message));
  }
  auto r = parse_guid2lid("0x10 0x0001 0x0001\n", "g");
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error().message, Catch::Contains("not an ofmf guid2lid file"));
}

TEST_CASE("StateDir: one manager per folder; unchanged state is not written", "[sm]") {
  TempDir tmp;
  const fs::path dir = tmp.path / "state";
  auto s = StateDir::open(dir);
  REQUIRE(s);
  struct stat st {};
  REQUIRE(::stat(dir.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  auto other = StateDir::open(dir);
  REQUIRE_FALSE(other);
  CHECK(other.error().code == make_error_code(errc::busy));
  CHECK_THAT(other.error().message, Catch::Contains("in use by another manager"));

  auto empty = s->load();
  REQUIRE(empty);
  CHECK(empty->guid2lid.empty());
  CHECK_FALSE(empty->policy);
  CHECK(empty->problems.empty());

  const Guid2Lid lids = sample(10, 3);
  CHECK(*s->save_guid2lid(lids));
  struct stat first {};
  REQUIRE(::stat((dir / "guid2lid").c_str(), &first) == 0);
  CHECK_FALSE(*s->save_guid2lid(lids));  // unchanged: nothing written
  struct stat again {};
  REQUIRE(::stat((dir / "guid2lid").c_str(), &again) == 0);
  CHECK(again.st_ino == first.st_ino);
  CHECK(*s->save_policy("{\"partitions\": []}\n"));
  auto loaded = s->load();
  REQUIRE(loaded);
  CHECK(loaded->guid2lid == lids);
  CHECK(*loaded->policy == "{\"partitions\": []}\n");
  // The lock goes with the object.
  *s = std::move(*StateDir::open(tmp.path / "elsewhere"));
  CHECK(StateDir::open(dir));
}

TEST_CASE("StateDir: corrupt files are set aside and reported, never half used", "[sm]") {
  TempDir tmp;
  const fs::path dir = tmp.path / "state";
  {
    auto s = StateDir::open(dir);
    REQUIRE(s);
    REQUIRE(s->save_guid2lid(sample(5, 1)));
  }
  const std::string text = slurp(dir / "guid2lid");
  std::ofstream(dir / "guid2lid", std::ios::trunc) << text.substr(0, text.size() / 2);
  std::ofstream(dir / "policy.json") << "{\"partitions\": [";
  auto s = StateDir::open(dir);
  REQUIRE(s);
  auto loaded = s->load();
  REQUIRE(loaded);
  CHECK(loaded->guid2lid.empty());
  CHECK_FALSE(loaded->policy);
  REQUIRE(loaded->problems.size() == 2);
  CHECK_THAT(loaded->problems[0], Catch::StartsWith("guid2lid: ") && Catch::Contains("set aside as guid2lid.corrupt-"));
  CHECK_THAT(loaded->problems[1], Catch::StartsWith("policy.json: ") && Catch::Contains("set aside as policy.json.corrupt-"));
  CHECK_FALSE(fs::exists(dir / "guid2lid"));
  CHECK(count_prefix(dir, "guid2lid.corrupt-") == 1);
  // The next load finds nothing to complain about.
  auto next = s->load();
  REQUIRE(next);
  CHECK(next->problems.empty());
}

TEST_CASE("StateDir: killed at random points while writing, it reads back a whole state", "[sm]") {
  TempDir tmp;
  const fs::path dir = tmp.path / "state";
  std::vector<Guid2Lid> versions;
  for (unsigned v = 0; v < 4; ++v) versions.push_back(sample(2000 + 500 * v, v));
  std::mt19937 rng(42);
  for (int round = 0; round < 20; ++round) {
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      auto s = StateDir::open(dir);
      if (!s) ::_exit(3);
      for (unsigned i = 0;; ++i) (void)s->save_guid2lid(versions[i % versions.size()]);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(2000 + rng() % 20000));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    REQUIRE(WIFSIGNALED(status));
    auto s = StateDir::open(dir);  // the dead writer's lock is gone
    REQUIRE(s);
    auto loaded = s->load();
    REQUIRE(loaded);
    CHECK(loaded->problems.empty());
    if (fs::exists(dir / "guid2lid"))
      CHECK(std::find(versions.begin(), versions.end(), loaded->guid2lid) != versions.end());
  }
  // Temporaries of the killed writers are gone once the folder is opened.
  auto s = StateDir::open(dir);
  CHECK(count_prefix(dir, "guid2lid.ofmf-tmp-") == 0);
}

TEST_CASE("apply_lids: the recorded LIDs go to their ports; clashing ones are freed", "[sm]") {
  model::Fabric f;
  model::NodeSpec sw;
  sw.type = model::NodeType::Switch;
  sw.guid = 0x10;
  sw.num_ports = 4;
  const auto s = *f.add_node(sw);
  model::NodeSpec ca;
  ca.type = model::NodeType::ChannelAdapter;
  ca.num_ports = 1;
  ca.guid = 0x100;
  const auto a = *f.add_node(ca);
  ca.guid = 0x200;
  const auto b = *f.add_node(ca);
  REQUIRE(f.connect({s, 1}, {a, 1}));
  REQUIRE(f.connect({s, 2}, {b, 1}));
  auto pb = f.port({b, 1})->attributes;
  pb.lid = 7;  // as found on the wire: a LID the file gives to another port
  REQUIRE(f.set_port({b, 1}, pb));
  const Guid2Lid lids{{0x10, {1, 0}}, {0x101, {4, 2}}, {0x999, {7, 0}}};
  auto n = apply_lids(f, lids);
  REQUIRE(n);
  CHECK(*n == 3);
  CHECK(f.port({s, 0})->attributes.lid == 1);
  CHECK(f.port({a, 1})->attributes.lid == 4);
  CHECK(f.port({a, 1})->attributes.lmc == 2);
  CHECK(f.port({b, 1})->attributes.lid == 0);  // 7 stays reserved for the absent port
  CHECK(*apply_lids(f, lids) == 0);
  CHECK(lids_of(f) == Guid2Lid{{0x10, {1, 0}}, {0x101, {4, 2}}});
}

TEST_CASE("guid2lid: the fuzzing seed is a valid file", "[sm]") {
  auto r = parse_guid2lid(slurp(std::string(OFMF_TEST_DATA_DIR) + "/state/guid2lid"), "seed");
  REQUIRE(r);
  CHECK(r->size() == 8);
}
