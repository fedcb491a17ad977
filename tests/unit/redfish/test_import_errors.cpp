// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Redfish import of bad input: one test per class of error, each checking
// the error code and that the message names the resource URI and the
// property ("<URI>: <property>: what").
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "import_fixtures.hpp"
#include "ofmf/redfish/import.hpp"
#include "ofmf/redfish/mockup.hpp"
#include "ofmf/redfish/render.hpp"
#include "redfish/detail/tree_access.hpp"
#include "temp_dir.hpp"

using namespace ofmf;
namespace fs = std::filesystem;
using json = nlohmann::json;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

using ofmf::test::TempDir;

// A 2-level fat tree of radix 4 (6 switches, 8 adapters) with partitions
// and counters: switch 0's port 1 is linked to adapter 0's port 1.
const std::string F = "/redfish/v1/Fabrics/IB";
const std::string SW0 = F + "/Switches/0002c90000000000";
const std::string SW0P1 = SW0 + "/Ports/1";
const std::string SW0P3 = SW0 + "/Ports/3";  // an uplink to a spine
const std::string CA0 = "/redfish/v1/Chassis/0002c90100000000/FabricAdapters/0002c90100000000";
const std::string CA0P1 = CA0 + "/Ports/1";
const std::string EP0 = F + "/Endpoints/0002c90100000001";

redfish::Tree good_tree() {
  auto f = topology::generate_fat_tree({4, 2, 0});
  REQUIRE(f);
  REQUIRE(test::decorate(*f));
  auto t = redfish::render(*f);
  REQUIRE(t);
  REQUIRE(t->contains(SW0P1));
  REQUIRE(t->contains(SW0P3));
  REQUIRE(t->contains(CA0P1));
  REQUIRE(t->contains(EP0));
  REQUIRE(redfish::import_tree(*t));  // the unmodified tree imports
  return std::move(*t);
}

// The same resources, each held as its compact text (as read_mockup()
// and render() store them) rather than as a value.
redfish::Tree as_text(const redfish::Tree& t) {
  redfish::Tree out;
  for (const auto& [uri, j] : t) redfish::detail::TreeAccess::put_text(out, uri, j.dump());
  return out;
}

// Imports `t` twice: resources held as values (edited through find()) and
// held as text; both must give the same result, and the same message.
Result<model::Fabric> import_both(const redfish::Tree& t) {
  auto from_values = redfish::import_tree(t);
  auto from_text = redfish::import_tree(as_text(t));
  REQUIRE(bool(from_values) == bool(from_text));
  if (!from_values) {
    CHECK(from_values.error().code == from_text.error().code);
    CHECK(from_values.error().message == from_text.error().message);
  }
  return from_values;
}

// Applies `edit` to the resource at `uri` of a good tree and imports.
template <class Edit>
Result<model::Fabric> import_edited(const std::string& uri, Edit edit) {
  auto t = good_tree();
  json* j = t.find(uri);
  REQUIRE(j != nullptr);
  edit(*j);
  return import_both(t);
}

void check_error(const Result<model::Fabric>& r, errc code, const std::string& prefix, const std::string& what) {
  REQUIRE_FALSE(r);
  INFO(r.error().message);
  CHECK(r.error().code == make_error_code(code));
  CHECK_THAT(r.error().message, StartsWith(prefix));
  CHECK_THAT(r.error().message, Contains(what));
}

} // namespace

TEST_CASE("Import errors: malformed JSON in a mockup file", "[redfish]") {
  TempDir dir;
  REQUIRE(redfish::write_mockup(good_tree(), dir.path / "m"));
  const fs::path file = dir.path / "m/redfish/v1/Fabrics/IB/Switches/0002c90000000000/index.json";
  REQUIRE(fs::exists(file));
  SECTION("truncated") {
    std::ofstream(file, std::ios::trunc) << "{\"@odata.id\": \"/redfish/v1/Fabrics/IB/Swi";
    auto r = redfish::read_mockup(dir.path / "m");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == make_error_code(errc::parse_error));
    CHECK_THAT(r.error().message, StartsWith(file.string() + ": malformed JSON at byte "));
    CHECK_FALSE(redfish::import_mockup(dir.path / "m"));
  }
  SECTION("not an object") {
    std::ofstream(file, std::ios::trunc) << "[1, 2]";
    auto r = redfish::import_mockup(dir.path / "m");
    check_error(r, errc::parse_error, file.string() + ": " + SW0, "expected a JSON object, found array");
  }
  SECTION("@odata.id other than the file's place") {
    std::ofstream(file, std::ios::trunc) << json{{"@odata.id", SW0 + "x"}}.dump();
    auto r = redfish::read_mockup(dir.path / "m");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == make_error_code(errc::inconsistent));
    CHECK_THAT(r.error().message, Contains(SW0 + ": @odata.id: " + SW0 + "x differs from the file's place"));
  }
  SECTION("a file above the limits") {
    redfish::ImportOptions opt;
    opt.max_bytes = 1000;
    auto r = redfish::read_mockup(dir.path / "m", opt);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == make_error_code(errc::limit_exceeded));
    opt = {};
    opt.max_resources = 10;
    auto r2 = redfish::read_mockup(dir.path / "m", opt);
    REQUIRE_FALSE(r2);
    CHECK(r2.error().code == make_error_code(errc::limit_exceeded));
  }
  SECTION("not a mockup") {
    auto r = redfish::read_mockup(dir.path);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == make_error_code(errc::io_error));
  }
}

TEST_CASE("Import errors: wrong JSON types", "[redfish]") {
  SECTION("a number as a string") {
    auto r = import_edited(SW0P1, [](json& j) { j["Oem"]["Ofmf"]["LID"] = "12"; });
    check_error(r, errc::parse_error, SW0P1 + ": Oem.Ofmf.LID: ", "expected an unsigned integer, found string");
  }
  SECTION("a negative number") {
    auto r = import_edited(CA0P1, [](json& j) { j["Oem"]["Ofmf"]["LMC"] = -1; });
    check_error(r, errc::parse_error, CA0P1 + ": Oem.Ofmf.LMC: ", "negative number");
  }
  SECTION("a number out of range") {
    auto r = import_edited(CA0P1, [](json& j) { j["Oem"]["Ofmf"]["LMC"] = 8; });
    check_error(r, errc::parse_error, CA0P1 + ": Oem.Ofmf.LMC: ", "8 is above 7");
  }
  SECTION("Members not an array") {
    auto r = import_edited(SW0 + "/Ports", [](json& j) { j["Members"] = json::object(); });
    check_error(r, errc::parse_error, SW0 + "/Ports: Members: ", "expected an array of links, found object");
  }
  SECTION("a link that is a string") {
    auto r = import_edited(SW0P1, [](json& j) { j["Links"]["ConnectedPorts"] = json::array({CA0P1}); });
    check_error(r, errc::parse_error, SW0P1 + ": Links.ConnectedPorts: ", "expected a link");
  }
  SECTION("an unknown enum value") {
    auto r = import_edited(SW0P1, [](json& j) { j["Oem"]["Ofmf"]["LinkSpeed"] = "WARP"; });
    check_error(r, errc::parse_error, SW0P1 + ": Oem.Ofmf.LinkSpeed: ", "unknown value 'WARP'");
  }
  SECTION("a resource that is not an object") {
    auto t = good_tree();
    t.insert_or_assign(EP0, json::array());
    check_error(import_both(t), errc::parse_error, EP0 + ": (resource): ", "expected a JSON object");
  }
  SECTION("a malformed GUID") {
    auto r = import_edited(CA0, [](json& j) { j["Oem"]["Ofmf"]["NodeGUID"] = "0x02c90100000000"; });
    check_error(r, errc::parse_error, CA0 + ": Oem.Ofmf.NodeGUID: ", "expected a GUID");
  }
}

TEST_CASE("Import errors: unknown @odata.type", "[redfish]") {
  SECTION("unknown namespace") {
    auto r = import_edited(SW0, [](json& j) { j["@odata.type"] = "#Toaster.v1_0_0.Toaster"; });
    check_error(r, errc::invalid_argument, SW0 + ": @odata.type: ", "unknown type '#Toaster.v1_0_0.Toaster'");
  }
  SECTION("misspelt type") {
    auto r = import_edited(SW0P1, [](json& j) { j["@odata.type"] = "#Port.v1_18_0.Prot"; });
    check_error(r, errc::invalid_argument, SW0P1 + ": @odata.type: ", "unknown type");
  }
  SECTION("a known type where another belongs") {
    auto r = import_edited(SW0P1, [](json& j) { j["@odata.type"] = "#Endpoint.v1_8_2.Endpoint"; });
    check_error(r, errc::inconsistent, SW0 + ": Ports: ", "is not the expected kind");
  }
  SECTION("an older version of a known type is accepted") {
    auto r = import_edited(SW0P1, [](json& j) { j["@odata.type"] = "#Port.v1_6_0.Port"; });
    CHECK(r);
  }
}

TEST_CASE("Import errors: dangling links", "[redfish]") {
  SECTION("a port's peer that does not exist") {
    auto r = import_edited(SW0P3, [](json& j) {
      j["Links"]["ConnectedSwitchPorts"][0]["@odata.id"] = F + "/Switches/00000000000000ff/Ports/1";
    });
    check_error(r, errc::inconsistent, SW0P3 + ": Links.ConnectedSwitchPorts: ", "dangling link");
  }
  SECTION("a collection member that does not exist") {
    auto t = good_tree();
    t.erase(EP0);
    // The first resource (in URI order) linking to it is reported.
    check_error(import_both(t), errc::inconsistent, CA0 + ": Links.Endpoints: ",
                "dangling link: no resource '" + EP0 + "' in the tree");
  }
}

TEST_CASE("Import errors: a link given one way only", "[redfish]") {
  SECTION("port to port") {
    // The adapter port keeps its link to the switch port, which forgets it.
    auto r = import_edited(SW0P1, [](json& j) {
      j["Links"].erase("ConnectedPorts");
      j["Links"].erase("ConnectedPorts@odata.count");
    });
    check_error(r, errc::inconsistent, CA0P1 + ": Links.ConnectedSwitchPorts: ",
                "link one way only: '" + SW0P1 + "' does not link back");
  }
  SECTION("zone to endpoint") {
    auto r = import_edited(EP0, [](json& j) {
      j["Links"]["Zones"] = json::array();
      j["Links"]["Zones@odata.count"] = 0;
    });
    check_error(r, errc::inconsistent, F + "/Zones/", "link one way only");
  }
  SECTION("endpoint to port") {
    auto r = import_edited(CA0P1, [](json& j) {
      j["Links"]["AssociatedEndpoints"] = json::array();
      j["Links"]["AssociatedEndpoints@odata.count"] = 0;
    });
    check_error(r, errc::inconsistent, CA0P1 + ": Links.AssociatedEndpoints: ", "link one way only");
  }
}

TEST_CASE("Import errors: duplicate Ids", "[redfish]") {
  SECTION("a member listed twice") {
    auto r = import_edited(F + "/Switches", [](json& j) {
      j["Members"].push_back(j["Members"][0]);
      j["Members@odata.count"] = j["Members"].size();
    });
    check_error(r, errc::inconsistent, F + "/Switches: Members: ", "duplicate Id");
  }
  SECTION("an Id that is not the last URI segment") {
    auto r = import_edited(SW0P1, [](json& j) { j["Id"] = "2"; });
    check_error(r, errc::inconsistent, SW0P1 + ": Id: ", "is not the last segment of the URI");
  }
  SECTION("two adapters with the same port GUID") {
    const std::string other = "/redfish/v1/Chassis/0002c90100000002/FabricAdapters/0002c90100000002/Ports/1";
    auto r = import_edited(other, [](json& j) { j["Oem"]["Ofmf"]["PortGUID"] = "0x0002c90100000001"; });
    REQUIRE_FALSE(r);
    CHECK(r.error().code == make_error_code(errc::inconsistent));
    CHECK_THAT(r.error().message, Contains("0x0002c90100000001"));
  }
  SECTION("a count that differs from Members") {
    auto r = import_edited(F + "/Switches", [](json& j) { j["Members@odata.count"] = 7; });
    check_error(r, errc::inconsistent, F + "/Switches: Members@odata.count: ", "7 but Members has 6 entries");
  }
}

TEST_CASE("Import errors: hostile URIs", "[redfish]") {
  SECTION("an encoded slash in a link") {
    auto r = import_edited(SW0P3, [](json& j) {
      j["Links"]["ConnectedSwitchPorts"][0]["@odata.id"] = F + "/Switches/..%2F..%2Fetc/Ports/1";
    });
    check_error(r, errc::invalid_argument, SW0P3 + ": Links.ConnectedSwitchPorts: ", "hostile or foreign URI");
  }
  SECTION("a dot-dot segment as a resource URI") {
    auto t = good_tree();
    json j = *t.find(EP0);
    j["@odata.id"] = F + "/Endpoints/../../../x";
    t.insert_or_assign(F + "/Endpoints/../../../x", j);
    check_error(import_both(t), errc::invalid_argument, F + "/Endpoints/../../../x: @odata.id: ",
                "hostile or foreign URI");
  }
  SECTION("a URI outside /redfish/v1") {
    auto r = import_edited(F, [](json& j) { j["Switches"]["@odata.id"] = "/etc/passwd"; });
    check_error(r, errc::invalid_argument, F + ": Switches: ", "hostile or foreign URI '/etc/passwd'");
  }
  SECTION("a double slash") {
    auto r = import_edited(F, [](json& j) { j["Zones"]["@odata.id"] = F + "//Zones"; });
    check_error(r, errc::invalid_argument, F + ": Zones: ", "hostile or foreign URI");
  }
  SECTION("a mockup folder with an encoded slash") {
    TempDir dir;
    REQUIRE(redfish::write_mockup(good_tree(), dir.path / "m"));
    fs::create_directories(dir.path / "m/redfish/v1/Fabrics/a%2Fb");
    auto r = redfish::read_mockup(dir.path / "m");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == make_error_code(errc::invalid_argument));
    CHECK_THAT(r.error().message, Contains("a%2Fb is not a safe URI segment"));
  }
  SECTION("a mockup symbolic link leading out of the folder") {
    TempDir dir;
    REQUIRE(redfish::write_mockup(good_tree(), dir.path / "m"));
    fs::create_directories(dir.path / "outside");
    std::ofstream(dir.path / "outside/index.json") << json{{"@odata.id", "/redfish/v1/Fabrics/X"}}.dump();
    fs::create_directory_symlink(dir.path / "outside", dir.path / "m/redfish/v1/Fabrics/X");
    auto r = redfish::read_mockup(dir.path / "m");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == make_error_code(errc::io_error));
    CHECK_THAT(r.error().message, Contains("symbolic link leads out of the mockup folder"));
  }
  SECTION("a mockup symbolic link inside the folder is followed") {
    TempDir dir;
    REQUIRE(redfish::write_mockup(good_tree(), dir.path / "m"));
    fs::create_directories(dir.path / "m/store");
    fs::rename(dir.path / "m/redfish/v1/SessionService", dir.path / "m/store/SessionService");
    fs::create_directory_symlink(dir.path / "m/store/SessionService", dir.path / "m/redfish/v1/SessionService");
    auto r = redfish::read_mockup(dir.path / "m");
    INFO((r ? std::string() : r.error().message));
    REQUIRE(r);
    CHECK(*r == good_tree());
  }
}

TEST_CASE("Import errors: missing required properties", "[redfish]") {
  SECTION("@odata.type") {
    auto r = import_edited(SW0, [](json& j) { j.erase("@odata.type"); });
    check_error(r, errc::parse_error, SW0 + ": @odata.type: ", "required property missing");
  }
  SECTION("Id") {
    auto r = import_edited(EP0, [](json& j) { j.erase("Id"); });
    check_error(r, errc::parse_error, EP0 + ": Id: ", "required property missing");
  }
  SECTION("a port attribute") {
    auto r = import_edited(SW0P1, [](json& j) { j["Oem"]["Ofmf"].erase("PortState"); });
    check_error(r, errc::parse_error, SW0P1 + ": Oem.Ofmf.PortState: ", "required property missing");
  }
  SECTION("a switch's Ports") {
    auto r = import_edited(SW0, [](json& j) { j.erase("Ports"); });
    check_error(r, errc::parse_error, SW0 + ": Ports: ", "required property missing");
  }
  SECTION("the fabric collection") {
    auto t = good_tree();
    t.erase("/redfish/v1/Fabrics");
    auto r = redfish::import_tree(t);
    REQUIRE_FALSE(r);  // the service root's link to it dangles
    CHECK(r.error().code == make_error_code(errc::inconsistent));
    CHECK_THAT(r.error().message, Contains("/redfish/v1/Fabrics"));
  }
}

TEST_CASE("Import errors: limits", "[redfish]") {
  redfish::ImportOptions opt;
  opt.max_resources = 5;
  auto r = redfish::import_tree(good_tree(), opt);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == make_error_code(errc::limit_exceeded));
}

TEST_CASE("Import errors: text the renderer never writes reads as its parsed value would", "[redfish]") {
  // Resources held as text are read with a different parser than values;
  // each edit below goes in as text, and the result must equal importing
  // the same text parsed into values.
  auto edited = [](const std::string& uri, const std::string& from, const std::string& to) {
    redfish::Tree t = as_text(good_tree());
    std::string text = *t.text(uri);
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
    redfish::detail::TreeAccess::put_text(t, uri, text);
    redfish::Tree values;
    for (const auto& [u, j] : t) values.insert_or_assign(u, j);  // parsed by nlohmann
    auto from_text = redfish::import_tree(t);
    auto from_values = redfish::import_tree(values);
    REQUIRE(bool(from_text) == bool(from_values));
    if (!from_text) CHECK(from_text.error().message == from_values.error().message);
    return from_text;
  };
  SECTION("an integer beyond 64 bits") {
    auto r = edited(CA0P1, "\"LID\":", "\"LID\":18446744073709551616,\"X\":");
    check_error(r, errc::parse_error, CA0P1 + ": Oem.Ofmf.LID: ", "");
  }
  SECTION("a key given twice: the last one counts") {
    CHECK(edited(EP0, "\"Id\":", "\"Id\":\"wrong\",\"Id\":"));
    auto r = edited(EP0, "\"Name\":", "\"Id\":\"wrong\",\"Name\":");
    check_error(r, errc::inconsistent, EP0 + ": Id: ", "not the last segment");
  }
  SECTION("deep nesting inside an Oem object: refused beyond ImportOptions::max_depth") {
    const std::string deep = std::string(3000, '[') + std::string(3000, ']');
    auto r = edited(SW0P1, "\"Oem\":{", "\"Oem\":{\"Deep\":" + deep + ",");
    check_error(r, errc::parse_error, SW0P1 + ": (resource): ",
                "nested deeper than ImportOptions::max_depth (32 levels) at byte ");
  }
  SECTION("a negative and a fractional number where an unsigned one belongs") {
    check_error(edited(CA0P1, "\"LID\":", "\"LID\":-1,\"X\":"), errc::parse_error, CA0P1 + ": Oem.Ofmf.LID: ", "");
    check_error(edited(CA0P1, "\"LID\":", "\"LID\":1.5,\"X\":"), errc::parse_error, CA0P1 + ": Oem.Ofmf.LID: ", "");
  }
}

TEST_CASE("Import errors: an @odata.count beside a link array must count it", "[redfish]") {
  SECTION("ConnectedPorts@odata.count of a switch port") {
    REQUIRE(good_tree().find(SW0P1)->at("Links").contains("ConnectedPorts@odata.count"));
    auto r = import_edited(SW0P1, [](json& j) { j["Links"]["ConnectedPorts@odata.count"] = 2; });
    check_error(r, errc::inconsistent, SW0P1 + ": Links.ConnectedPorts@odata.count: ",
                "2 but ConnectedPorts has 1 entries");
  }
  SECTION("Endpoints@odata.count in the Links of an adapter") {
    auto r = import_edited(CA0, [](json& j) { j["Links"]["Endpoints@odata.count"] = 7; });
    check_error(r, errc::inconsistent, CA0 + ": Links.Endpoints@odata.count: ", "7 but Endpoints has ");
  }
  SECTION("a count that is not an unsigned integer") {
    check_error(import_edited(SW0P1, [](json& j) { j["Links"]["ConnectedPorts@odata.count"] = "one"; }),
                errc::parse_error, SW0P1 + ": Links.ConnectedPorts@odata.count: ",
                "expected an unsigned integer, found string");
    check_error(import_edited(SW0P1, [](json& j) { j["Links"]["ConnectedPorts@odata.count"] = -1; }),
                errc::parse_error, SW0P1 + ": Links.ConnectedPorts@odata.count: ", "negative number");
  }
  SECTION("a count of an array that is not there") {
    auto r = import_edited(SW0P1, [](json& j) { j["Links"]["Lost@odata.count"] = 0; });
    check_error(r, errc::inconsistent, SW0P1 + ": Links.Lost@odata.count: ", "counts 'Lost', which is not an array");
  }
  SECTION("Members@odata.count is still checked first, as before") {
    auto r = import_edited(F + "/Switches", [](json& j) { j["Members@odata.count"] = 5; });
    check_error(r, errc::inconsistent, F + "/Switches: Members@odata.count: ", "5 but Members has 6 entries");
  }
}

TEST_CASE("Import errors: a port's Width and ActiveWidth are lane counts", "[redfish]") {
  SECTION("a string or a negative number") {
    check_error(import_edited(SW0P1, [](json& j) { j["Width"] = "four"; }), errc::parse_error, SW0P1 + ": Width: ",
                "expected an unsigned integer, found string");
    check_error(import_edited(SW0P1, [](json& j) { j["Width"] = -4; }), errc::parse_error, SW0P1 + ": Width: ",
                "negative number");
    check_error(import_edited(CA0P1, [](json& j) { j["ActiveWidth"] = "four"; }), errc::parse_error,
                CA0P1 + ": ActiveWidth: ", "expected an unsigned integer, found string");
  }
  SECTION("a number that is no link width") {
    check_error(import_edited(SW0P1, [](json& j) { j["Width"] = 3; }), errc::parse_error, SW0P1 + ": Width: ",
                "3 is not a link width (1, 2, 4, 8 or 12 lanes)");
  }
  SECTION("a width other than the Oem block's") {
    check_error(import_edited(SW0P1, [](json& j) { j["ActiveWidth"] = 1; }), errc::inconsistent,
                SW0P1 + ": ActiveWidth: ", "1 lanes but Oem.Ofmf.LinkWidth is 4x");
  }
  SECTION("without the Oem block too") {
    check_error(import_edited(SW0P1,
                              [](json& j) {
                                j.erase("Oem");
                                j["Width"] = "four";
                              }),
                errc::parse_error, SW0P1 + ": Width: ", "expected an unsigned integer, found string");
  }
}

TEST_CASE("Import errors: resources nested deeper than ImportOptions::max_depth", "[redfish]") {
  // `"Deep": [[...[1]...]]` with the 1 at level `levels` (the resource is
  // level 1, Deep's value level 2), and the byte of the first value at
  // level 33.
  auto deep_tree = [](std::size_t levels) {
    redfish::Tree t = as_text(good_tree());
    std::string text = *t.text(SW0P1);
    const std::string head = "{\"Deep\":";
    REQUIRE(text.front() == '{');
    text.replace(0, 1, head + std::string(levels - 2, '[') + "1" + std::string(levels - 2, ']') + ",");
    redfish::detail::TreeAccess::put_text(t, SW0P1, text);
    return std::make_pair(t, head.size() + 31);
  };
  redfish::ImportOptions o;
  REQUIRE(o.max_depth == 32);
  SECTION("at the limit") { CHECK(redfish::import_tree(deep_tree(32).first, o)); }
  SECTION("one level more") {
    const auto [t, at] = deep_tree(33);
    check_error(redfish::import_tree(t, o), errc::parse_error, SW0P1 + ": (resource): ",
                "nested deeper than ImportOptions::max_depth (32 levels) at byte " + std::to_string(at));
    o.max_depth = 33;
    CHECK(redfish::import_tree(t, o));
  }
  SECTION("far deeper than simdjson's default of 1024, as text and as values") {
    const auto [t, at] = deep_tree(5000);
    check_error(redfish::import_tree(t, o), errc::parse_error, SW0P1 + ": (resource): ",
                "nested deeper than ImportOptions::max_depth (32 levels) at byte " + std::to_string(at));
    redfish::Tree values;
    for (const auto& [u, j] : t) values.insert_or_assign(u, j);
    check_error(redfish::import_tree(values, o), errc::parse_error, SW0P1 + ": (resource): ",
                "nested deeper than ImportOptions::max_depth (32 levels) at byte ");
    o.max_depth = 6000;
    CHECK(redfish::import_tree(t, o));
  }
}
