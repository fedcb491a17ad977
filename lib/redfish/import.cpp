// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Redfish tree -> model::Fabric (MAPPING.md, "Import"). The tree is
// untrusted: every access is checked, every error names the resource URI
// and the property, and the Fabric is built on the side and returned only
// when the whole tree was consistent.

#include "ofmf/redfish/import.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "ofmf/model/types.hpp"
#include "ofmf/redfish/schema_versions.hpp"
#include "redfish/detail/tree_access.hpp"

namespace ofmf::redfish {
namespace {

using json = nlohmann::json;
using model::Guid;
using model::PortRef;

#define OFMF_TRY(var, expr)                         \
  auto var##_result = (expr);                       \
  if (!var##_result) return fail(std::move(var##_result).error()); \
  auto& var = *var##_result

Unexpected error(errc code, std::string_view uri, std::string_view property, std::string_view what) {
  std::string m;
  m.reserve(uri.size() + property.size() + what.size() + 4);
  m.append(uri).append(": ").append(property).append(": ").append(what);
  return fail(code, std::move(m));
}

std::string show(std::string_view s) {
  std::string out = "'";
  for (char c : s.substr(0, 200)) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      static constexpr char hex[] = "0123456789abcdef";
      out += "\\x";
      out += hex[u >> 4];
      out += hex[u & 15];
    } else {
      out += c;
    }
  }
  if (s.size() > 200) out += "...";
  return out + "'";
}

const json* member(const json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  // Look up without building a std::string key (the object's map has a
  // transparent comparator from nlohmann 3.11 on).
#if NLOHMANN_JSON_VERSION_MAJOR > 3 || (NLOHMANN_JSON_VERSION_MAJOR == 3 && NLOHMANN_JSON_VERSION_MINOR >= 11)
  const auto& o = obj.get_ref<const json::object_t&>();
  const auto it = o.find(key);
  return it == o.end() ? nullptr : &it->second;
#else
  const auto it = obj.find(std::string(key));
  return it == obj.end() ? nullptr : &*it;
#endif
}

// "0x" + 1..16 hex digits, as MAPPING.md writes GUIDs in Oem.Ofmf.
std::optional<std::uint64_t> parse_hex(std::string_view s, std::size_t min_digits, std::size_t max_digits) {
  if (s.size() < min_digits || s.size() > max_digits) return std::nullopt;
  std::uint64_t v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 16);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string hex16(Guid g) {
  std::string s = model::format_guid(g);  // "0x" + 16 digits
  return s.substr(2);
}

// Resource kinds the importer knows, by @odata.type namespace.
enum class Kind : std::uint8_t {
  ServiceRoot, SessionService, Fabric, Switch, Port, PortMetrics, Endpoint, Zone, AddressPool, Chassis,
  FabricAdapter, Collection,
};

struct KnownType {
  std::string_view type;  // as in schema_versions.hpp
  Kind kind;
};

constexpr std::array known_types{
    KnownType{schema::service_root, Kind::ServiceRoot},
    KnownType{schema::session_service, Kind::SessionService},
    KnownType{schema::fabric, Kind::Fabric},
    KnownType{schema::switch_, Kind::Switch},
    KnownType{schema::port, Kind::Port},
    KnownType{schema::port_metrics, Kind::PortMetrics},
    KnownType{schema::endpoint, Kind::Endpoint},
    KnownType{schema::zone, Kind::Zone},
    KnownType{schema::address_pool, Kind::AddressPool},
    KnownType{schema::chassis, Kind::Chassis},
    KnownType{schema::fabric_adapter, Kind::FabricAdapter},
    KnownType{schema::session_collection, Kind::Collection},
    KnownType{schema::fabric_collection, Kind::Collection},
    KnownType{schema::switch_collection, Kind::Collection},
    KnownType{schema::port_collection, Kind::Collection},
    KnownType{schema::endpoint_collection, Kind::Collection},
    KnownType{schema::zone_collection, Kind::Collection},
    KnownType{schema::address_pool_collection, Kind::Collection},
    KnownType{schema::chassis_collection, Kind::Collection},
    KnownType{schema::fabric_adapter_collection, Kind::Collection},
};

// "#Port.v1_18_0.Port" -> "Port"; "" when malformed.
std::string_view type_namespace(std::string_view t) {
  if (t.size() < 2 || t[0] != '#') return {};
  const auto dot = t.find('.');
  return dot == std::string_view::npos ? std::string_view{} : t.substr(1, dot - 1);
}

// The kind of a known @odata.type. Versions other than the pinned one are
// accepted for versioned resources (Redfish minor versions are backward
// compatible); the namespace decides.
std::optional<Kind> kind_of(std::string_view t) {
  const auto ns = type_namespace(t);
  if (ns.empty()) return std::nullopt;
  for (const auto& k : known_types) {
    if (k.type == t) return k.kind;
    if (k.kind != Kind::Collection && type_namespace(k.type) == ns) {
      // "#NS.vX_Y_Z.NS"
      const auto rest = t.substr(ns.size() + 2);
      const auto dot = rest.find('.');
      if (rest.size() > 1 && rest[0] == 'v' && dot != std::string_view::npos && rest.substr(dot + 1) == ns &&
          rest.substr(1, dot - 1).find_first_not_of("0123456789_") == std::string_view::npos)
        return k.kind;
    }
  }
  return std::nullopt;
}

template <class E, E First, E Last>
std::optional<E> parse_model_enum(std::string_view s) {
  for (auto v = static_cast<unsigned>(First); v <= static_cast<unsigned>(Last); ++v)
    if (model::to_string(static_cast<E>(v)) == s) return static_cast<E>(v);
  return std::nullopt;
}

struct CounterField {
  const char* name;
  std::uint64_t model::PortCounters::*field;
};
constexpr std::array counter_fields{
    CounterField{"tx_bytes", &model::PortCounters::tx_bytes},
    CounterField{"rx_bytes", &model::PortCounters::rx_bytes},
    CounterField{"tx_packets", &model::PortCounters::tx_packets},
    CounterField{"rx_packets", &model::PortCounters::rx_packets},
    CounterField{"tx_unicast_packets", &model::PortCounters::tx_unicast_packets},
    CounterField{"rx_unicast_packets", &model::PortCounters::rx_unicast_packets},
    CounterField{"tx_multicast_packets", &model::PortCounters::tx_multicast_packets},
    CounterField{"rx_multicast_packets", &model::PortCounters::rx_multicast_packets},
    CounterField{"symbol_errors", &model::PortCounters::symbol_errors},
    CounterField{"link_error_recoveries", &model::PortCounters::link_error_recoveries},
    CounterField{"link_downed", &model::PortCounters::link_downed},
    CounterField{"rx_errors", &model::PortCounters::rx_errors},
    CounterField{"rx_remote_physical_errors", &model::PortCounters::rx_remote_physical_errors},
    CounterField{"rx_switch_relay_errors", &model::PortCounters::rx_switch_relay_errors},
    CounterField{"tx_discards", &model::PortCounters::tx_discards},
    CounterField{"tx_constraint_errors", &model::PortCounters::tx_constraint_errors},
    CounterField{"rx_constraint_errors", &model::PortCounters::rx_constraint_errors},
    CounterField{"local_link_integrity_errors", &model::PortCounters::local_link_integrity_errors},
    CounterField{"excessive_buffer_overrun_errors", &model::PortCounters::excessive_buffer_overrun_errors},
    CounterField{"vl15_dropped", &model::PortCounters::vl15_dropped},
    CounterField{"tx_wait", &model::PortCounters::tx_wait},
    CounterField{"sampled_at_ms", &model::PortCounters::sampled_at_ms},
};

// ---------------------------------------------------------------------------
// Typed access to one resource, errors naming its URI and the property.

class Res {
 public:
  Res(const std::string& uri, const json& j) : uri_(uri), j_(j) {}
  const std::string& uri() const { return uri_; }
  const json& json_value() const { return j_; }

  // Property at a dotted path ("Oem.Ofmf.LID"); nullptr when absent or
  // when a step is not an object. A key containing dots is matched whole.
  const json* find(std::string_view path) const {
    const json* cur = &j_;
    while (!path.empty()) {
      // Keys may hold dots themselves ("@odata.id", "Members@odata.count").
      if (const json* whole = member(*cur, path)) return whole;
      const auto dot = path.find('.');
      cur = member(*cur, path.substr(0, dot));
      if (!cur) return nullptr;
      path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
    }
    return cur;
  }

  Unexpected err(errc c, std::string_view property, std::string_view what) const {
    return error(c, uri_, property, what);
  }
  Unexpected missing(std::string_view property) const {
    return err(errc::parse_error, property, "required property missing");
  }

  Result<const std::string*> opt_string(std::string_view property) const {
    const json* v = find(property);
    if (!v || v->is_null()) return static_cast<const std::string*>(nullptr);
    if (!v->is_string()) return err(errc::parse_error, property, std::string("expected a string, found ") + v->type_name());
    return &v->get_ref<const std::string&>();
  }
  Result<std::string> string(std::string_view property) const {
    OFMF_TRY(s, opt_string(property));
    if (!s) return missing(property);
    return *s;
  }
  Result<std::optional<std::uint64_t>> opt_uint(std::string_view property, std::uint64_t max) const {
    const json* v = find(property);
    if (!v || v->is_null()) return std::optional<std::uint64_t>{};
    if (!v->is_number_integer()) {  // (a non-negative signed value is fine)
      return err(errc::parse_error, property, std::string("expected an unsigned integer, found ") + v->type_name());
    }
    if (!v->is_number_unsigned() && v->get<std::int64_t>() < 0) return err(errc::parse_error, property, "negative number");
    const auto n = v->get<std::uint64_t>();
    if (n > max) return err(errc::parse_error, property, std::to_string(n) + " is above " + std::to_string(max));
    return std::optional<std::uint64_t>(n);
  }
  Result<std::uint64_t> uint(std::string_view property, std::uint64_t max) const {
    OFMF_TRY(n, opt_uint(property, max));
    if (!n) return missing(property);
    return *n;
  }
  Result<std::optional<Guid>> opt_guid(std::string_view property) const {
    OFMF_TRY(s, opt_string(property));
    if (!s) return std::optional<Guid>{};
    std::optional<std::uint64_t> g;
    if (s->size() == 18 && (*s)[0] == '0' && ((*s)[1] == 'x' || (*s)[1] == 'X'))
      g = parse_hex(std::string_view(*s).substr(2), 16, 16);
    if (!g) return err(errc::parse_error, property, "expected a GUID \"0x\" + 16 hex digits, found " + show(*s));
    return std::optional<Guid>(*g);
  }

  // A link object {"@odata.id": uri} at `property` (absent: nullopt).
  Result<std::optional<std::string>> opt_link(std::string_view property) const {
    const json* v = find(property);
    if (!v || v->is_null()) return std::optional<std::string>{};
    OFMF_TRY(l, link_value(*v, property));
    return std::optional<std::string>(std::move(l));
  }
  Result<std::string> link(std::string_view property) const {
    OFMF_TRY(l, opt_link(property));
    if (!l) return missing(property);
    return *l;
  }
  Result<std::string> link_value(const json& v, std::string_view property) const {
    const json* id = member(v, "@odata.id");
    if (!id) return err(errc::parse_error, property, std::string("expected a link {\"@odata.id\": ...}, found ") + v.type_name());
    if (!id->is_string()) return err(errc::parse_error, property, "@odata.id is not a string");
    const auto& s = id->get_ref<const std::string&>();
    if (!is_safe_uri(s)) return err(errc::invalid_argument, property, "hostile or foreign URI " + show(s));
    return s;
  }
  // An array of links (absent: empty); X@odata.count checked when present.
  Result<std::vector<std::string>> links(std::string_view property) const {
    std::vector<std::string> out;
    const json* v = find(property);
    if (!v || v->is_null()) return out;
    if (!v->is_array()) return err(errc::parse_error, property, std::string("expected an array of links, found ") + v->type_name());
    out.reserve(v->size());
    for (const auto& e : *v) {
      OFMF_TRY(l, link_value(e, property));
      out.push_back(std::move(l));
    }
    return out;
  }

 private:
  const std::string& uri_;
  const json& j_;
};

// ---------------------------------------------------------------------------

struct PortInfo {
  PortRef ref;
  Guid guid = 0;       // port GUID
  bool switch_port = false;
  const std::string* uri = nullptr;
  std::string endpoint;  // endpoint URI representing it (adapter ports)
};

class Importer {
 public:
  Importer(const Tree& tree, const ImportOptions& options) : tree_(tree), opt_(options) {}

  Result<model::Fabric> run() {
    if (tree_.size() > opt_.max_resources)
      return fail(errc::limit_exceeded, "Redfish tree: " + std::to_string(tree_.size()) +
                                            " resources, more than ImportOptions::max_resources (" +
                                            std::to_string(opt_.max_resources) + ")");
    if (auto r = check_all(); !r) return fail(std::move(r).error());
    if (auto r = find_fabric(); !r) return fail(std::move(r).error());
    if (auto r = import_nodes(); !r) return fail(std::move(r).error());
    if (auto r = import_links(); !r) return fail(std::move(r).error());
    if (auto r = import_zones(); !r) return fail(std::move(r).error());
    if (auto r = import_counters(); !r) return fail(std::move(r).error());
    return std::move(fabric_);
  }

 private:
  const Tree& tree_;
  const ImportOptions& opt_;
  model::Fabric fabric_;
  std::string fabric_uri_;
  std::unordered_map<std::string_view, Kind> kinds_;
  std::unordered_map<std::string_view, PortInfo> ports_;       // port URI -> port
  std::unordered_map<std::string_view, Guid> endpoints_;       // endpoint URI -> port GUID it names
  std::unordered_map<std::string_view, std::string> node_of_endpoint_;  // endpoint URI -> node URI
  std::vector<std::string_view> port_order_;

  void note(std::string_view uri, std::string_view property, std::string_view what) {
    if (opt_.notes) opt_.notes->push_back(std::string(uri) + ": " + std::string(property) + ": " + std::string(what));
  }

  // The resource at `uri`, which `from`'s `property` links to; it must be of `kind`.
  Result<Res> resolve(const Res& from, std::string_view property, const std::string& uri, Kind kind) const {
    const std::string* k = detail::TreeAccess::key(tree_, uri);
    if (!k) return from.err(errc::inconsistent, property, "dangling link: no resource " + show(uri) + " in the tree");
    const json& j = *tree_.find(uri);
    if (kinds_.at(*k) != kind)
      return from.err(errc::inconsistent, property,
                      "links to " + show(uri) + " whose @odata.type " +
                          show(j.value("@odata.type", std::string())) + " is not the expected kind");
    return Res(*k, j);
  }

  // Every resource: safe URI, object, @odata.id, known @odata.type, Id,
  // Members with a matching count, every link inside resolving.
  Result<void> check_all() {
    kinds_.reserve(tree_.size());
    // The walk below keeps, per structured value, its parent and key; the
    // dotted property path an error names is built only for the error.
    struct Frame {
      const json* v;
      std::size_t parent;    // index in `frames`, npos for the resource
      const std::string* key;  // nullptr: the resource or an array element
      bool empty_path;
    };
    std::vector<Frame> frames;
    std::vector<std::size_t> stack;
    auto path_of = [&frames](std::size_t f) {
      std::vector<std::size_t> chain;
      for (; f != std::string::npos; f = frames[f].parent) chain.push_back(f);
      std::string path;
      for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        const Frame& fr = frames[*it];
        if (!fr.key) continue;
        if (!path.empty()) path += '.';
        path += *fr.key;
      }
      return path;
    };
    for (const auto& [uri, j] : tree_) {
      if (!is_safe_uri(uri)) return error(errc::invalid_argument, uri, "@odata.id", "hostile or foreign URI " + show(uri));
      if (!j.is_object()) return error(errc::parse_error, uri, "(resource)", std::string("expected a JSON object, found ") + j.type_name());
      const Res r(uri, j);
      OFMF_TRY(id, r.string("@odata.id"));
      if (id != uri) return r.err(errc::inconsistent, "@odata.id", show(id) + " differs from the resource's URI");
      OFMF_TRY(type, r.string("@odata.type"));
      const auto kind = kind_of(type);
      if (!kind) return r.err(errc::invalid_argument, "@odata.type", "unknown type " + show(type));
      kinds_.emplace(uri, *kind);
      OFMF_TRY(rid, r.opt_string("Id"));
      if (*kind != Kind::Collection && *kind != Kind::ServiceRoot) {
        if (!rid) return r.missing("Id");
        if (*rid != last_segment(uri)) return r.err(errc::inconsistent, "Id", show(*rid) + " is not the last segment of the URI");
      }
      if (*kind == Kind::Collection) {
        OFMF_TRY(members, r.links("Members"));
        if (!r.find("Members")) return r.missing("Members");
        OFMF_TRY(count, r.opt_uint("Members@odata.count", UINT64_MAX));
        if (count && *count != members.size())
          return r.err(errc::inconsistent, "Members@odata.count",
                       std::to_string(*count) + " but Members has " + std::to_string(members.size()) + " entries");
        std::set<std::string_view> seen;
        for (const auto& m : members)
          if (!seen.insert(m).second) return r.err(errc::inconsistent, "Members", "duplicate Id: " + show(m) + " listed twice");
      }
      // Every link anywhere in the resource resolves (iterative walk: no
      // recursion on hostile nesting).
      frames.clear();
      stack.clear();
      frames.push_back(Frame{&j, std::string::npos, nullptr, true});
      stack.push_back(0);
      while (!stack.empty()) {
        const std::size_t f = stack.back();
        stack.pop_back();
        const json* v = frames[f].v;
        const bool empty_path = frames[f].empty_path;
        if (v->is_object()) {
          for (auto it = v->begin(); it != v->end(); ++it) {
            if (it.key() == "@odata.id") {
              if (empty_path) continue;  // the resource's own URI
              if (!it->is_string()) return r.err(errc::parse_error, path_of(f), "@odata.id is not a string");
              const auto& target = it->get_ref<const std::string&>();
              if (!is_safe_uri(target)) return r.err(errc::invalid_argument, path_of(f), "hostile or foreign URI " + show(target));
              if (!tree_.contains(target))
                return r.err(errc::inconsistent, path_of(f), "dangling link: no resource " + show(target) + " in the tree");
            } else if (it->is_structured()) {
              frames.push_back(Frame{&*it, f, &it.key(), empty_path && it.key().empty()});
              stack.push_back(frames.size() - 1);
            }
          }
        } else if (v->is_array()) {
          for (const auto& e : *v)
            if (e.is_structured()) {
              frames.push_back(Frame{&e, f, nullptr, empty_path});
              stack.push_back(frames.size() - 1);
            }
        }
      }
    }
    return {};
  }

  Result<void> find_fabric() {
    static const std::string fabrics_uri = "/redfish/v1/Fabrics";
    const json* fc = tree_.find(fabrics_uri);
    if (!fc) return error(errc::invalid_argument, fabrics_uri, "(resource)", "the tree has no fabric collection");
    const Res fabrics(fabrics_uri, *fc);
    if (kinds_.at(fabrics_uri) != Kind::Collection)
      return fabrics.err(errc::invalid_argument, "@odata.type", "not a FabricCollection");
    OFMF_TRY(members, fabrics.links("Members"));
    if (!opt_.fabric_id.empty()) {
      fabric_uri_ = fabrics_uri + "/" + opt_.fabric_id;
      bool listed = false;
      for (const auto& m : members) listed = listed || m == fabric_uri_;
      if (!listed) return fabrics.err(errc::invalid_argument, "Members", "no fabric " + show(opt_.fabric_id));
    } else {
      if (members.size() != 1)
        return fabrics.err(errc::invalid_argument, "Members",
                           std::to_string(members.size()) + " fabrics; ImportOptions::fabric_id must choose one");
      fabric_uri_ = members.front();
    }
    if (parent_uri(fabric_uri_) != fabrics_uri)
      return fabrics.err(errc::inconsistent, "Members", show(fabric_uri_) + " is not below the collection");
    OFMF_TRY(f, resolve(fabrics, "Members", fabric_uri_, Kind::Fabric));
    OFMF_TRY(ftype, f.opt_string("FabricType"));
    if (ftype && *ftype != "InfiniBand")
      return f.err(errc::invalid_argument, "FabricType", show(*ftype) + " is not InfiniBand");
    return {};
  }

  // Members of the collection `owner`.`property` links to, which must be
  // the URI `expected` (collections live where MAPPING.md puts them).
  Result<std::vector<std::string>> collection(const Res& owner, std::string_view property, const std::string& expected,
                                              bool required) {
    OFMF_TRY(l, owner.opt_link(property));
    if (!l) {
      if (required) return owner.missing(property);
      return std::vector<std::string>{};
    }
    if (*l != expected) return owner.err(errc::inconsistent, property, "links to " + show(*l) + ", expected " + show(expected));
    OFMF_TRY(c, resolve(owner, property, *l, Kind::Collection));
    auto members = c.links("Members");
    if (!members) return fail(std::move(members).error());
    for (const auto& m : *members)
      if (parent_uri(m) != expected)
        return c.err(errc::inconsistent, "Members", show(m) + " is not below the collection");
    return members;
  }

  Result<model::PortAttributes> port_attributes(const Res& r, const std::string& base) {
    model::PortAttributes a;
    const json* oem = r.find(base);
    if (!oem) {
      note(r.uri(), base, "absent: port attributes defaulted from the standard properties");
      OFMF_TRY(status, r.opt_string("LinkStatus"));
      if (status && *status == "LinkUp") {
        a.state = model::PortState::Active;
        a.phys_state = model::PhysState::LinkUp;
      }
      OFMF_TRY(width, r.opt_uint("Width", 12));
      if (width) {
        if (auto w = model::parse_link_width(std::to_string(*width) + "x")) a.width = *w;
      }
      return a;
    }
    if (!oem->is_object()) return r.err(errc::parse_error, base, std::string("expected an object, found ") + oem->type_name());
    OFMF_TRY(guid, r.opt_guid(base + ".PortGUID"));
    if (guid) a.guid = *guid;
    OFMF_TRY(lid, r.uint(base + ".LID", 0xffff));
    OFMF_TRY(lmc, r.uint(base + ".LMC", 7));
    a.lid = static_cast<std::uint16_t>(lid);
    a.lmc = static_cast<std::uint8_t>(lmc);
    OFMF_TRY(state, r.string(base + ".PortState"));
    const auto ps = parse_model_enum<model::PortState, model::PortState::NoChange, model::PortState::Active>(state);
    if (!ps) return r.err(errc::parse_error, base + ".PortState", "unknown value " + show(state));
    a.state = *ps;
    OFMF_TRY(phys, r.string(base + ".PhysState"));
    const auto ph = parse_model_enum<model::PhysState, model::PhysState::NoChange, model::PhysState::PhyTest>(phys);
    if (!ph) return r.err(errc::parse_error, base + ".PhysState", "unknown value " + show(phys));
    a.phys_state = *ph;
    OFMF_TRY(width, r.string(base + ".LinkWidth"));
    const auto w = model::parse_link_width(width);
    if (!w) return r.err(errc::parse_error, base + ".LinkWidth", "unknown value " + show(width));
    a.width = *w;
    OFMF_TRY(speed, r.string(base + ".LinkSpeed"));
    const auto s = model::parse_link_speed(speed);
    if (!s) return r.err(errc::parse_error, base + ".LinkSpeed", "unknown value " + show(speed));
    a.speed = *s;
    OFMF_TRY(mtu, r.uint(base + ".MTU", 4096));
    std::optional<model::Mtu> m;
    for (unsigned v = 1; v <= 5; ++v)
      if (model::mtu_bytes(static_cast<model::Mtu>(v)) == mtu) m = static_cast<model::Mtu>(v);
    if (!m) return r.err(errc::parse_error, base + ".MTU", std::to_string(mtu) + " is not 256, 512, 1024, 2048 or 4096");
    a.mtu = *m;
    return a;
  }

  // Ports of a switch or an adapter: URIs ordered by port number 1..N.
  Result<std::vector<std::pair<std::string, Res>>> node_ports(const Res& node, const std::string& node_uri) {
    OFMF_TRY(members, collection(node, "Ports", node_uri + "/Ports", true));
    std::vector<std::optional<std::pair<std::string, Res>>> by_number(members.size());
    for (const auto& m : members) {
      const auto seg = last_segment(m);
      unsigned n = 0;
      const auto [p, ec] = std::from_chars(seg.data(), seg.data() + seg.size(), n);
      if (ec != std::errc() || p != seg.data() + seg.size() || n == 0 || n > members.size() || seg[0] == '0')
        return node.err(errc::inconsistent, "Ports", "member " + show(m) + " is not a port number 1.." +
                                                          std::to_string(members.size()));
      if (by_number[n - 1]) return node.err(errc::inconsistent, "Ports", "duplicate Id: port " + std::to_string(n));
      OFMF_TRY(pr, resolve(node, "Ports", m, Kind::Port));
      OFMF_TRY(pid, pr.opt_string("PortId"));
      if (pid && *pid != seg) return pr.err(errc::inconsistent, "PortId", show(*pid) + " differs from the Id");
      by_number[n - 1].emplace(m, pr);
    }
    std::vector<std::pair<std::string, Res>> out;
    out.reserve(by_number.size());
    for (auto& p : by_number) out.push_back(std::move(*p));
    if (out.size() > model::max_ports)
      return node.err(errc::parse_error, "Ports", std::to_string(out.size()) + " ports, more than " +
                                                     std::to_string(model::max_ports));
    return out;
  }

  struct NodeFields {
    Guid guid = 0;
    Guid system_guid = 0;
    std::uint32_t vendor_id = 0;
    std::uint16_t device_id = 0;
    std::string description;

    /// The node to add: these fields, `type` and `num_ports`.
    model::NodeSpec spec(model::NodeType type, std::size_t num_ports) const {
      model::NodeSpec n;
      n.type = type;
      n.guid = guid;
      n.num_ports = static_cast<unsigned>(num_ports);
      n.description = description;
      n.system_guid = system_guid;
      n.vendor_id = vendor_id;
      n.device_id = device_id;
      return n;
    }
  };

  Result<NodeFields> node_fields(const Res& r) {
    NodeFields f;
    const auto id = last_segment(r.uri());
    const auto idg = parse_hex(id, 16, 16);
    if (!idg || hex16(*idg) != id)
      return r.err(errc::parse_error, "Id", show(id) + " is not a GUID of 16 lower-case hex digits");
    if (!r.find("Oem.Ofmf")) {
      note(r.uri(), "Oem.Ofmf", "absent: GUID taken from the Id, description from Name");
      f.guid = *idg;
      OFMF_TRY(name, r.opt_string("Name"));
      if (name && *name != id) f.description = *name;
      return f;
    }
    OFMF_TRY(g, r.opt_guid("Oem.Ofmf.NodeGUID"));
    if (!g) return r.missing("Oem.Ofmf.NodeGUID");
    if (*g != *idg) return r.err(errc::inconsistent, "Oem.Ofmf.NodeGUID", model::format_guid(*g) + " differs from the Id");
    f.guid = *g;
    OFMF_TRY(sg, r.opt_guid("Oem.Ofmf.SystemImageGUID"));
    f.system_guid = sg ? *sg : 0;
    OFMF_TRY(vid, r.uint("Oem.Ofmf.VendorID", 0xffffff));
    OFMF_TRY(did, r.uint("Oem.Ofmf.DeviceID", 0xffff));
    f.vendor_id = static_cast<std::uint32_t>(vid);
    f.device_id = static_cast<std::uint16_t>(did);
    OFMF_TRY(desc, r.opt_string("Oem.Ofmf.NodeDescription"));
    if (desc) f.description = *desc;
    return f;
  }

  Result<void> add_ports(const Res& node, model::NodeId id, std::vector<std::pair<std::string, Res>>& ports,
                         bool switch_node) {
    for (std::size_t i = 0; i < ports.size(); ++i) {
      const auto& [uri, pr] = ports[i];
      OFMF_TRY(a, port_attributes(pr, "Oem.Ofmf"));
      const PortRef ref{id, static_cast<model::PortNum>(i + 1)};
      if (auto s = fabric_.set_port(ref, a); !s) return pr.err(errc::inconsistent, "Oem.Ofmf", s.error().message);
      PortInfo info;
      info.ref = ref;
      info.guid = a.guid;
      if (a.guid == 0) info.guid = fabric_.port(ref)->attributes.guid;
      info.switch_port = switch_node;
      const auto [it, inserted] = ports_.emplace(*detail::TreeAccess::key(tree_, uri), info);
      if (!inserted) return node.err(errc::inconsistent, "Ports", "port " + show(uri) + " belongs to two nodes");
      it->second.uri = detail::TreeAccess::key(tree_, uri);
      port_order_.push_back(it->first);
    }
    return {};
  }

  Result<void> add_switch(const Res& s) {
    OFMF_TRY(f, node_fields(s));
    OFMF_TRY(ports, node_ports(s, s.uri()));
    OFMF_TRY(width, s.opt_uint("TotalSwitchWidth", UINT64_MAX));
    if (width && *width != ports.size())
      return s.err(errc::inconsistent, "TotalSwitchWidth", std::to_string(*width) + " but the switch has " +
                                                               std::to_string(ports.size()) + " ports");
    if (ports.empty()) return s.err(errc::parse_error, "Ports", "a switch needs at least one port");
    auto id = fabric_.add_node(f.spec(model::NodeType::Switch, ports.size()));
    if (!id) return s.err(errc::inconsistent, "Oem.Ofmf.NodeGUID", id.error().message);
    if (s.find("Oem.Ofmf.Port0")) {
      OFMF_TRY(a0, port_attributes(s, "Oem.Ofmf.Port0"));
      if (auto r = fabric_.set_port({*id, 0}, a0); !r) return s.err(errc::inconsistent, "Oem.Ofmf.Port0", r.error().message);
    }
    for (const auto& [uri, pr] : ports) {
      OFMF_TRY(g, pr.opt_guid("Oem.Ofmf.PortGUID"));
      if (g && *g != f.guid)
        return pr.err(errc::inconsistent, "Oem.Ofmf.PortGUID", "a switch port's GUID must be the switch's node GUID");
    }
    return add_ports(s, *id, ports, true);
  }

  Result<void> add_adapter(const Res& a, const std::string& chassis_uri) {
    OFMF_TRY(f, node_fields(a));
    OFMF_TRY(ports, node_ports(a, a.uri()));
    if (ports.empty()) return a.err(errc::parse_error, "Ports", "an adapter needs at least one port");
    auto type = model::NodeType::ChannelAdapter;
    OFMF_TRY(nt, a.opt_string("Oem.Ofmf.NodeType"));
    if (nt) {
      if (*nt == "Router") type = model::NodeType::Router;
      else if (*nt != "Ca") return a.err(errc::parse_error, "Oem.Ofmf.NodeType", "expected \"Ca\" or \"Router\", found " + show(*nt));
    }
    model::NodeSpec spec = f.spec(type, ports.size());
    // The placeholder port 0 is what the node was created with.
    if (a.find("Oem.Ofmf.Port0")) {
      OFMF_TRY(a0, port_attributes(a, "Oem.Ofmf.Port0"));
      spec.port_defaults = a0;
      spec.port_defaults.guid = 0;
    }
    // The chassis is the system image (MAPPING.md).
    const auto chassis_id = last_segment(chassis_uri);
    if (!a.find("Oem.Ofmf")) {
      if (const auto g = parse_hex(chassis_id, 16, 16); g && *g != f.guid) spec.system_guid = f.system_guid = *g;
      note(a.uri(), "Oem.Ofmf.SystemImageGUID", "absent: taken from the chassis Id");
    }
    const Guid sys = f.system_guid ? f.system_guid : f.guid;
    if (chassis_id != hex16(sys))
      return a.err(errc::inconsistent, "Oem.Ofmf.SystemImageGUID",
                   model::format_guid(sys) + " differs from the chassis " + show(chassis_id));
    for (std::size_t i = 0; i < ports.size(); ++i) {
      OFMF_TRY(g, ports[i].second.opt_guid("Oem.Ofmf.PortGUID"));
      if (!g) {
        OFMF_TRY(ids, ports[i].second.links("Links.AssociatedEndpoints"));
        std::optional<std::uint64_t> eg;
        if (ids.size() == 1) eg = parse_hex(last_segment(ids[0]), 16, 16);
        if (!eg) return ports[i].second.missing("Oem.Ofmf.PortGUID");
        g = *eg;
        note(ports[i].first, "Oem.Ofmf.PortGUID", "absent: taken from the endpoint's Id");
      }
      spec.port_guids.push_back(*g);
    }
    auto id = fabric_.add_node(spec);
    if (!id) return a.err(errc::inconsistent, "Oem.Ofmf", id.error().message);
    return add_ports(a, *id, ports, false);
  }

  // Nodes in the order the fabric's endpoints name them (the model's
  // order, MAPPING.md), then switches no endpoint names.
  Result<void> import_nodes() {
    const Res f(fabric_uri_, *tree_.find(fabric_uri_));
    OFMF_TRY(switches, collection(f, "Switches", fabric_uri_ + "/Switches", false));
    OFMF_TRY(endpoints, collection(f, "Endpoints", fabric_uri_ + "/Endpoints", false));
    std::unordered_map<std::string_view, bool> switch_done;  // switch URI -> added
    for (const auto& s : switches) {
      OFMF_TRY(sr, resolve(f, "Switches", s, Kind::Switch));
      switch_done.emplace(sr.uri(), false);
    }
    std::unordered_map<std::string_view, std::string_view> adapter_done;  // adapter URI -> endpoint that added it
    const std::string_view chassis_prefix = "/redfish/v1/Chassis/";
    for (const auto& e : endpoints) {
      OFMF_TRY(er, resolve(f, "Endpoints", e, Kind::Endpoint));
      OFMF_TRY(proto, er.opt_string("EndpointProtocol"));
      if (proto && *proto != "InfiniBand") return er.err(errc::invalid_argument, "EndpointProtocol", show(*proto) + " is not InfiniBand");
      const json* ents = er.find("ConnectedEntities");
      if (!ents) return er.missing("ConnectedEntities");
      if (!ents->is_array() || ents->size() != 1)
        return er.err(errc::parse_error, "ConnectedEntities", "expected an array of one entity");
      const Res ent(er.uri(), (*ents)[0]);
      OFMF_TRY(target, ent.link("EntityLink"));
      const auto egid = parse_hex(last_segment(er.uri()), 16, 16);
      if (!egid || hex16(*egid) != last_segment(er.uri()))
        return er.err(errc::parse_error, "Id", show(last_segment(er.uri())) + " is not a GUID of 16 lower-case hex digits");
      if (const auto sw = switch_done.find(target); sw != switch_done.end()) {
        if (!sw->second) {
          OFMF_TRY(sr, resolve(er, "ConnectedEntities.EntityLink", target, Kind::Switch));
          if (auto r = add_switch(sr); !r) return r;
          sw->second = true;
        }
      } else if (target.starts_with(chassis_prefix) && kinds_.at(*detail::TreeAccess::key(tree_, target)) == Kind::FabricAdapter) {
        const std::string adapters = parent_uri(target);
        const std::string chassis = parent_uri(adapters);
        if (last_segment(adapters) != "FabricAdapters" || parent_uri(chassis) != "/redfish/v1/Chassis")
          return er.err(errc::inconsistent, "ConnectedEntities.EntityLink", show(target) + " is not where MAPPING.md puts adapters");
        OFMF_TRY(ar, resolve(er, "ConnectedEntities.EntityLink", target, Kind::FabricAdapter));
        if (!adapter_done.contains(ar.uri())) {
          OFMF_TRY(cr, resolve(ar, "@odata.id", chassis, Kind::Chassis));
          OFMF_TRY(listed, collection(cr, "FabricAdapters", adapters, true));
          if (std::find(listed.begin(), listed.end(), target) == listed.end())
            return cr.err(errc::inconsistent, "FabricAdapters", "adapter " + show(target) + " is not a member");
          if (auto r = add_adapter(ar, chassis); !r) return r;
          adapter_done.emplace(ar.uri(), er.uri());
        }
      } else {
        return er.err(errc::inconsistent, "ConnectedEntities.EntityLink",
                      show(target) + " is neither a switch of this fabric nor a fabric adapter");
      }
      node_of_endpoint_.emplace(er.uri(), target);
      endpoints_.emplace(er.uri(), *egid);
    }
    for (const auto& s : switches) {
      auto it = switch_done.find(s);
      if (it->second) continue;
      it->second = true;
      OFMF_TRY(sr, resolve(f, "Switches", s, Kind::Switch));
      if (auto r = add_switch(sr); !r) return r;
    }
    return check_endpoints();
  }

  // Endpoint <-> port / switch links, both ways.
  Result<void> check_endpoints() {
    for (const auto& [euri, guid] : endpoints_) {
      const Res er(*key(euri), *tree_.find(euri));
      const auto& node_uri = node_of_endpoint_.at(euri);
      OFMF_TRY(eports, er.links("Links.Ports"));
      const auto found = fabric_.find_port(guid);
      if (!found) return er.err(errc::inconsistent, "Id", "no port or switch with GUID " + model::format_guid(guid));
      if (kinds_.at(*key(node_uri)) == Kind::Switch) {
        if (!eports.empty()) return er.err(errc::inconsistent, "Links.Ports", "a switch endpoint lists no ports");
        if (fabric_.guid(found->node) != guid || found->port != 0)
          return er.err(errc::inconsistent, "Id", "not the GUID of the switch it names");
        const Res sr(*key(node_uri), *tree_.find(node_uri));
        OFMF_TRY(back, sr.links("Links.Endpoints"));
        if (std::find(back.begin(), back.end(), euri) == back.end())
          return sr.err(errc::inconsistent, "Links.Endpoints", "link one way only: endpoint " + show(euri) + " names this switch");
        continue;
      }
      if (eports.size() != 1) return er.err(errc::inconsistent, "Links.Ports", "an adapter endpoint names exactly one port");
      const auto p = ports_.find(eports[0]);
      if (p == ports_.end() || p->second.switch_port)
        return er.err(errc::inconsistent, "Links.Ports", show(eports[0]) + " is not an adapter port");
      if (p->second.guid != guid) return er.err(errc::inconsistent, "Id", "differs from the port GUID of " + show(eports[0]));
      if (parent_uri(parent_uri(eports[0])) != node_uri)
        return er.err(errc::inconsistent, "Links.Ports", show(eports[0]) + " is not a port of the entity");
      if (!p->second.endpoint.empty())
        return er.err(errc::inconsistent, "Links.Ports", "duplicate Id: port already has endpoint " + show(p->second.endpoint));
      p->second.endpoint = euri;
      const Res pr(*p->second.uri, *tree_.find(eports[0]));
      OFMF_TRY(back, pr.links("Links.AssociatedEndpoints"));
      if (back.size() != 1 || back[0] != euri)
        return pr.err(errc::inconsistent, "Links.AssociatedEndpoints", "link one way only: endpoint " + show(euri) + " names this port");
    }
    return {};
  }

  const std::string* key(std::string_view uri) const {
    return detail::TreeAccess::key(tree_, uri);
  }

  Result<void> import_links() {
    for (const auto puri : port_order_) {
      const auto& info = ports_.at(puri);
      const Res pr(*info.uri, *tree_.find(puri));
      OFMF_TRY(sw, pr.links("Links.ConnectedSwitchPorts"));
      OFMF_TRY(dev, pr.links("Links.ConnectedPorts"));
      if (sw.size() + dev.size() > 1)
        return pr.err(errc::inconsistent, "Links", "an InfiniBand port has at most one peer, found " +
                                                       std::to_string(sw.size() + dev.size()));
      if (sw.empty() && dev.empty()) continue;
      const std::string_view prop = sw.empty() ? "Links.ConnectedPorts" : "Links.ConnectedSwitchPorts";
      const std::string& peer = sw.empty() ? dev[0] : sw[0];
      const auto q = ports_.find(peer);
      if (q == ports_.end()) return pr.err(errc::inconsistent, prop, show(peer) + " is not a port of this fabric");
      if (q->second.switch_port != !sw.empty())
        return pr.err(errc::inconsistent, prop, show(peer) + (q->second.switch_port ? " is a switch port" : " is not a switch port"));
      const Res qr(*q->second.uri, *tree_.find(peer));
      OFMF_TRY(qsw, qr.links("Links.ConnectedSwitchPorts"));
      OFMF_TRY(qdev, qr.links("Links.ConnectedPorts"));
      const auto& back = info.switch_port ? qsw : qdev;
      if (back.size() != 1 || back[0] != puri)
        return pr.err(errc::inconsistent, prop, "link one way only: " + show(peer) + " does not link back");
      if (puri < peer) {
        if (auto r = fabric_.connect(info.ref, q->second.ref); !r) return pr.err(errc::inconsistent, prop, r.error().message);
      }
    }
    return {};
  }

  Result<void> import_zones() {
    const Res f(fabric_uri_, *tree_.find(fabric_uri_));
    OFMF_TRY(zones, collection(f, "Zones", fabric_uri_ + "/Zones", false));
    std::set<model::PKey> seen;
    // Members of each zone, kept for the reverse check below (reading a
    // zone's links again per endpoint would be quadratic).
    std::unordered_map<std::string_view, std::set<std::string_view>> zone_members;
    for (const auto& z : zones) {
      OFMF_TRY(zr, resolve(f, "Zones", z, Kind::Zone));
      model::Partition part;
      const auto id = last_segment(z);
      const auto idk = parse_hex(id, 4, 4);
      if (!idk || *idk == 0 || *idk > model::default_pkey || model::format_pkey(static_cast<model::PKey>(*idk)).substr(2) != id)
        return zr.err(errc::parse_error, "Id", show(id) + " is not a P_Key of 4 lower-case hex digits 0001..7fff");
      part.pkey = static_cast<model::PKey>(*idk);
      OFMF_TRY(pk, zr.opt_string("Oem.Ofmf.PKey"));
      if (pk && *pk != model::format_pkey(part.pkey))
        return zr.err(errc::inconsistent, "Oem.Ofmf.PKey", show(*pk) + " differs from the Id");
      if (!seen.insert(part.pkey).second) return zr.err(errc::inconsistent, "Id", "duplicate P_Key");
      if (zr.find("Oem.Ofmf")) {
        OFMF_TRY(name, zr.opt_string("Oem.Ofmf.PartitionName"));
        if (name) part.name = *name;
      } else {
        note(z, "Oem.Ofmf", "absent: partition name taken from Name");
        OFMF_TRY(name, zr.opt_string("Name"));
        if (name && *name != "Partition " + model::format_pkey(part.pkey)) part.name = *name;
      }
      OFMF_TRY(members, zr.links("Links.Endpoints"));
      OFMF_TRY(limited, zr.links("Oem.Ofmf.LimitedMembers"));
      std::set<std::string_view> lim(limited.begin(), limited.end());
      for (const auto& m : members) {
        const auto e = endpoints_.find(m);
        if (e == endpoints_.end()) return zr.err(errc::inconsistent, "Links.Endpoints", show(m) + " is not an endpoint of this fabric");
        part.members.push_back({e->second, lim.erase(m) ? model::Membership::Limited : model::Membership::Full});
        const Res er(*key(m), *tree_.find(m));
        OFMF_TRY(back, er.links("Links.Zones"));
        if (std::find(back.begin(), back.end(), z) == back.end())
          return zr.err(errc::inconsistent, "Links.Endpoints", "link one way only: " + show(m) + " does not list this zone");
      }
      if (!lim.empty()) return zr.err(errc::inconsistent, "Oem.Ofmf.LimitedMembers", show(*lim.begin()) + " is not a member");
      auto& listed = zone_members[*key(z)];
      for (const auto& m : members) listed.insert(*key(m));
      if (auto r = fabric_.set_partition(part); !r) return zr.err(errc::inconsistent, "Links.Endpoints", r.error().message);
    }
    // Zones an endpoint names must list it too.
    for (const auto& [euri, guid] : endpoints_) {
      (void)guid;
      const Res er(*key(euri), *tree_.find(euri));
      OFMF_TRY(back, er.links("Links.Zones"));
      for (const auto& z : back) {
        if (std::find(zones.begin(), zones.end(), z) == zones.end())
          return er.err(errc::inconsistent, "Links.Zones", show(z) + " is not a zone of this fabric");
        const auto zm = zone_members.find(z);
        if (zm == zone_members.end() || !zm->second.contains(euri))
          return er.err(errc::inconsistent, "Links.Zones", "link one way only: " + show(z) + " does not list this endpoint");
      }
    }
    return {};
  }

  Result<void> set_counters(const Res& owner, std::string_view property, const std::string& metrics_uri, PortRef ref) {
    OFMF_TRY(mr, resolve(owner, property, metrics_uri, Kind::PortMetrics));
    model::PortCounters c;
    if (!mr.find("Oem.Ofmf")) {
      note(metrics_uri, "Oem.Ofmf", "absent: counters taken from the standard properties");
      OFMF_TRY(rx, mr.opt_uint("RXBytes", UINT64_MAX));
      OFMF_TRY(tx, mr.opt_uint("TXBytes", UINT64_MAX));
      c.rx_bytes = rx.value_or(0);
      c.tx_bytes = tx.value_or(0);
    } else {
      for (const auto& fld : counter_fields) {
        OFMF_TRY(v, mr.opt_uint(std::string("Oem.Ofmf.") + fld.name, UINT64_MAX));
        c.*fld.field = v.value_or(0);
      }
    }
    if (auto r = fabric_.set_counters(ref, c); !r) return mr.err(errc::inconsistent, "Oem.Ofmf", r.error().message);
    return {};
  }

  Result<void> import_counters() {
    for (const auto puri : port_order_) {
      const auto& info = ports_.at(puri);
      const Res pr(*info.uri, *tree_.find(puri));
      OFMF_TRY(m, pr.opt_link("Metrics"));
      if (!m) continue;
      if (*m != *info.uri + "/Metrics") return pr.err(errc::inconsistent, "Metrics", show(*m) + " is not this port's metrics");
      if (auto r = set_counters(pr, "Metrics", *m, info.ref); !r) return r;
    }
    return {};
  }
};

#undef OFMF_TRY

} // namespace

Result<model::Fabric> import_tree(const Tree& tree, const ImportOptions& options) {
  return Importer(tree, options).run();
}

} // namespace ofmf::redfish
