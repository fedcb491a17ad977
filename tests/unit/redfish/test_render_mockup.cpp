// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Resource trees, URI helpers and mockup folders.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <unistd.h>

#include "ofmf/redfish/mockup.hpp"
#include "ofmf/redfish/render.hpp"
#include "render_fixture.hpp"
#include "temp_dir.hpp"

using namespace ofmf;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using ofmf::test::TempDir;

json read_json(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return json::parse(ss.str(), nullptr, false);
}

/// Every index.json below root/redfish, as URI -> JSON.
redfish::Tree read_back(const fs::path& root) {
  redfish::Tree t;
  for (const auto& e : fs::recursive_directory_iterator(root / "redfish")) {
    if (!e.is_regular_file()) continue;
    REQUIRE(e.path().filename() == "index.json");
    std::string rel = fs::relative(e.path().parent_path(), root).generic_string();
    std::string uri = "/" + rel;
    if (uri == "/redfish/v1") uri = "/redfish/v1/";
    t.insert_or_assign(uri, read_json(e.path()));
  }
  return t;
}

std::size_t siblings(const fs::path& dir) {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir.parent_path()))
    if (e.path().filename().string().rfind(dir.filename().string(), 0) == 0) ++n;
  return n;
}

} // namespace

TEST_CASE("Tree: URIs, lookup and subtrees", "[redfish]") {
  SECTION("is_safe_uri") {
    for (const char* ok : {"/redfish/v1/", "/redfish/v1/Fabrics", "/redfish/v1/Fabrics/IB/Switches/0002c90200000001",
                           "/redfish/v1/a.b/c-d_e"})
      CHECK(redfish::is_safe_uri(ok));
    for (const char* bad : {"", "/", "/redfish/v1", "/redfish/v1//", "/redfish/v1/Fabrics/", "/redfish/v1//Fabrics",
                            "/redfish/v1/..", "/redfish/v1/Fabrics/../x", "/redfish/v1/./x", "/redfish/v1/a%2Fb",
                            "/redfish/v1/a\\b", "/redfish/v2/x", "redfish/v1/x", "/redfish/v1/a b", "/redfish/v1/a?b",
                            "/redfish/v1/a#b"})
      CHECK_FALSE(redfish::is_safe_uri(bad));
    CHECK_FALSE(redfish::is_safe_uri(std::string_view("/redfish/v1/a\0b", 14)));
    CHECK_FALSE(redfish::is_safe_uri("/redfish/v1/a\nb"));
  }
  SECTION("last_segment and parent_uri") {
    CHECK(redfish::last_segment("/redfish/v1/Fabrics/IB") == "IB");
    CHECK(redfish::last_segment("/redfish/v1/") == "v1");
    CHECK(redfish::last_segment("") == "");
    CHECK(redfish::parent_uri("/redfish/v1/Fabrics/IB") == "/redfish/v1/Fabrics");
    CHECK(redfish::parent_uri("/redfish/v1/Fabrics") == "/redfish/v1/");
    CHECK(redfish::parent_uri("/redfish/v1/") == "");
  }
  SECTION("insert, find, erase, subtree") {
    redfish::Tree t;
    CHECK(t.insert_or_assign("/redfish/v1/A", json{{"x", 1}}));
    CHECK_FALSE(t.insert_or_assign("/redfish/v1/A", json{{"x", 2}}));
    t.insert_or_assign("/redfish/v1/A/B", json::object());
    t.insert_or_assign("/redfish/v1/A-B", json::object());  // '-' sorts before '/'
    t.insert_or_assign("/redfish/v1/AB", json::object());
    t.insert_or_assign("/redfish/v1/", json::object());
    REQUIRE(t.find("/redfish/v1/A"));
    CHECK((*t.find("/redfish/v1/A"))["x"] == 2);
    CHECK(t.size() == 5);
    auto s = t.subtree("/redfish/v1/A");
    CHECK(s.size() == 2);
    CHECK(s.contains("/redfish/v1/A/B"));
    CHECK_FALSE(s.contains("/redfish/v1/A-B"));
    CHECK(t.subtree("/redfish/v1/A/").size() == 2);
    CHECK(t.subtree("/redfish/v1/").size() == 5);
    CHECK(t.erase("/redfish/v1/A"));
    CHECK_FALSE(t.erase("/redfish/v1/A"));
    CHECK(t.find("/redfish/v1/A") == nullptr);
  }
}

TEST_CASE("Mockup: write_mockup writes redfish/v1/.../index.json", "[redfish]") {
  auto f = test::small_fabric();
  redfish::ExportOptions o;
  o.mockup_copyright = true;
  auto tree = redfish::render(f, o);
  REQUIRE(tree);
  TempDir tmp;
  fs::path out = tmp.path / "mockup";

  SECTION("fresh folder: every resource in its file, nothing else") {
    REQUIRE(redfish::write_mockup(*tree, out));
    CHECK(fs::is_regular_file(out / "redfish/v1/index.json"));
    CHECK(fs::is_regular_file(out / "redfish/v1/Fabrics/IB/Switches/0002c90200000001/Ports/1/index.json"));
    CHECK(read_back(out) == *tree);
    CHECK(siblings(out) == 1);  // no temporary folder left
    auto file = redfish::mockup_file(out, "/redfish/v1/Fabrics/IB");
    REQUIRE(file);
    CHECK(*file == out / "redfish/v1/Fabrics/IB/index.json");
    CHECK_FALSE(redfish::mockup_file(out, "/redfish/v1/../etc"));
  }
  SECTION("an existing mockup is replaced, an empty folder is filled") {
    REQUIRE(redfish::write_mockup(*tree, out));
    auto smaller = tree->subtree("/redfish/v1/");
    smaller.erase("/redfish/v1/Chassis");
    REQUIRE(redfish::write_mockup(smaller, out));
    CHECK(read_back(out) == smaller);
    CHECK(siblings(out) == 1);
    fs::path empty = tmp.path / "empty";
    fs::create_directory(empty);
    REQUIRE(redfish::write_mockup(*tree, empty));
    CHECK(read_back(empty) == *tree);
  }
  SECTION("refuses a folder that is not a mockup, and leaves it alone") {
    fs::create_directories(out);
    std::ofstream(out / "notes.txt") << "keep me";
    auto r = redfish::write_mockup(*tree, out);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == make_error_code(errc::already_exists));
    CHECK(r.error().message.find("notes.txt") != std::string::npos);
    CHECK(fs::exists(out / "notes.txt"));
    CHECK_FALSE(fs::exists(out / "redfish"));
    CHECK(siblings(out) == 1);
    std::ofstream(tmp.path / "file") << "x";
    CHECK_FALSE(redfish::write_mockup(*tree, tmp.path / "file"));
  }
  SECTION("refuses unsafe URIs and trees without a service root, writing nothing") {
    auto bad = *tree;
    bad.insert_or_assign("/redfish/v1/../../escape", json::object());
    auto r = redfish::write_mockup(bad, out);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == make_error_code(errc::invalid_argument));
    CHECK_FALSE(fs::exists(out));
    auto rootless = *tree;
    rootless.erase("/redfish/v1/");
    CHECK_FALSE(redfish::write_mockup(rootless, out));
    CHECK_FALSE(fs::exists(out));
  }
  SECTION("unwritable parent: io_error, nothing left behind") {
    if (::geteuid() == 0) {
      WARN("not checked: root ignores folder permissions");
      return;
    }
    fs::path ro = tmp.path / "ro";
    fs::create_directory(ro);
    fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec);
    auto r = redfish::write_mockup(*tree, ro / "m");
    fs::permissions(ro, fs::perms::owner_all);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == make_error_code(errc::io_error));
    CHECK(fs::is_empty(ro));
  }
}

TEST_CASE("Mockup: write_resources applies a Renderer's refresh", "[redfish]") {
  auto f = test::small_fabric();
  auto r = redfish::Renderer::create(f);
  REQUIRE(r);
  TempDir tmp;
  fs::path out = tmp.path / "m";
  REQUIRE(redfish::write_mockup(r->tree(), out));

  auto b = *f.find(test::ca_b_guid);
  auto a = *f.find(test::ca_a_guid);
  auto port = f.port({b, 1});
  auto at = port->attributes;
  at.phys_state = model::PhysState::Disabled;
  REQUIRE(f.set_port({b, 1}, at));
  REQUIRE(f.remove_node(a));
  auto res = r->refresh();
  CHECK_FALSE(res.removed.empty());
  std::vector<std::string> all = res.rendered;
  all.insert(all.end(), res.removed.begin(), res.removed.end());
  REQUIRE(redfish::write_resources(r->tree(), all, out));
  CHECK(read_back(out) == r->tree());
  // Folders of removed resources are gone, not left empty.
  CHECK_FALSE(fs::exists(out / "redfish/v1/Chassis/0002c903000000f0/FabricAdapters/0002c90300000010"));
  CHECK(fs::exists(out / "redfish/v1/Chassis/0002c903000000f0/FabricAdapters/0002c90400000030"));

  SECTION("errors") {
    std::vector<std::string> bad{"/redfish/v1/../x"};
    auto e = redfish::write_resources(r->tree(), bad, out);
    REQUIRE_FALSE(e);
    CHECK(e.error().code == make_error_code(errc::invalid_argument));
    auto nm = redfish::write_resources(r->tree(), all, tmp.path / "nothing");
    REQUIRE_FALSE(nm);
    CHECK(nm.error().code == make_error_code(errc::not_found));
  }
}
