// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Redfish tree -> model::Fabric (MAPPING.md, "Import"). The tree is
// untrusted: every access is checked, every error names the resource URI
// and the property, and the Fabric is built on the side and returned only
// when the whole tree was consistent.
//
// The resources' texts are read with simdjson's DOM, never through
// Tree::find() (which would parse every resource with nlohmann and keep
// the values in the caller's tree). A resource is parsed when a step needs
// it, into a reused document, and what later steps need of it (links of
// ports and endpoints) is kept; no DOM of the whole tree is built. Values
// are read as nlohmann would read the same text, which is what the tree's
// own find() gives: a key given twice in an object keeps its last value,
// objects are walked in key order where the order decides which error is
// reported, integers are unsigned, signed or floating as their sign and
// size say.

#include "ofmf/redfish/import.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "ofmf/model/types.hpp"
#include "ofmf/redfish/schema_versions.hpp"
#include "core/detail/parallel.hpp"
#include "redfish/detail/json_text.hpp"
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

namespace dom = simdjson::dom;
using Elem = dom::element;
using OptElem = std::optional<dom::element>;

// The names nlohmann::json::type_name() gives, which error messages use.
const char* type_name(Elem e) noexcept {
  switch (e.type()) {
    case dom::element_type::ARRAY: return "array";
    case dom::element_type::OBJECT: return "object";
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE: return "number";
    case dom::element_type::STRING: return "string";
    case dom::element_type::BOOL: return "boolean";
    case dom::element_type::NULL_VALUE: return "null";
  }
  return "number";
}

bool is_object(Elem e) noexcept { return e.type() == dom::element_type::OBJECT; }
bool is_structured(Elem e) noexcept {
  return e.type() == dom::element_type::OBJECT || e.type() == dom::element_type::ARRAY;
}

// The member `key` of `obj`; nullopt when absent or when `obj` is not an
// object. A key given twice yields its last value (as nlohmann keeps it).
OptElem member(Elem obj, std::string_view key) {
  dom::object o;
  if (obj.get(o) != simdjson::SUCCESS) return std::nullopt;
  OptElem found;
  for (const auto kv : o)
    if (kv.key == key) found = kv.value;
  return found;
}

// Compact JSON text of `root`, as dump() writes it, without recursion
// (values may nest as deep as a hostile text does).
std::string write_json(const json& root) {
  struct Level {
    const json* v;
    json::const_iterator it;
    bool first;
  };
  std::string out;
  std::vector<Level> stack;
  auto open = [&](const json& v) {
    if (v.is_object()) {
      out += '{';
      stack.push_back(Level{&v, v.cbegin(), true});
    } else if (v.is_array()) {
      out += '[';
      stack.push_back(Level{&v, v.cbegin(), true});
    } else {
      out += v.dump();
    }
  };
  open(root);
  while (!stack.empty()) {
    Level& l = stack.back();
    if (l.it == l.v->cend()) {
      out += l.v->is_object() ? '}' : ']';
      stack.pop_back();
      continue;
    }
    if (!l.first) out += ',';
    l.first = false;
    if (l.v->is_object()) {
      out += json(l.it.key()).dump();
      out += ':';
    }
    const json& child = *l.it;
    ++l.it;
    open(child);  // may grow `stack`: `l` is not used after this
  }
  return out;
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

// A parsed resource text; a Res keeps it from being reused while it
// lives (strings read from a Res are views of it).
struct Slot {
  dom::document doc;
  std::uint32_t users = 0;
};

class Res {
 public:
  // `uri` must outlive the Res (a key of the tree).
  Res(std::string_view uri, Elem j, Slot* slot) noexcept : uri_(uri), j_(j), slot_(slot) { hold(); }
  Res(const Res& o) noexcept : uri_(o.uri_), j_(o.j_), slot_(o.slot_) { hold(); }
  Res(Res&& o) noexcept : uri_(o.uri_), j_(o.j_), slot_(std::exchange(o.slot_, nullptr)) {}
  Res& operator=(const Res& o) noexcept {
    if (this != &o) {
      release();
      uri_ = o.uri_;
      j_ = o.j_;
      slot_ = o.slot_;
      hold();
    }
    return *this;
  }
  Res& operator=(Res&& o) noexcept {
    if (this != &o) {
      release();
      uri_ = o.uri_;
      j_ = o.j_;
      slot_ = std::exchange(o.slot_, nullptr);
    }
    return *this;
  }
  ~Res() { release(); }

  std::string_view uri() const { return uri_; }
  Elem value() const { return j_; }
  // A value inside this resource, reported under the same URI.
  Res part(Elem e) const { return Res(uri_, e, slot_); }

  // Property at a dotted path ("Oem.Ofmf.LID"); nullopt when absent or
  // when a step is not an object. A key containing dots is matched whole,
  // and is preferred to the same path through nested objects.
  OptElem find(std::string_view path) const {
    Elem cur = j_;
    while (!path.empty()) {
      // Keys may hold dots themselves ("@odata.id", "Members@odata.count").
      const auto dot = path.find('.');
      const std::string_view head = path.substr(0, dot);
      dom::object o;
      if (cur.get(o) != simdjson::SUCCESS) return std::nullopt;
      // One pass finds the whole path and its first step (last one wins).
      OptElem whole, step;
      for (const auto kv : o) {
        if (kv.key == path) whole = kv.value;
        else if (dot != std::string_view::npos && kv.key == head) step = kv.value;
      }
      if (whole) return whole;
      if (!step) return std::nullopt;
      cur = *step;
      path = path.substr(dot + 1);
    }
    return cur;
  }

  Unexpected err(errc c, std::string_view property, std::string_view what) const {
    return error(c, uri_, property, what);
  }
  Unexpected missing(std::string_view property) const {
    return err(errc::parse_error, property, "required property missing");
  }

  Result<std::optional<std::string_view>> opt_string(std::string_view property) const {
    const OptElem v = find(property);
    if (!v || v->is_null()) return std::optional<std::string_view>{};
    std::string_view s;
    if (v->get(s) != simdjson::SUCCESS)
      return err(errc::parse_error, property, std::string("expected a string, found ") + type_name(*v));
    return std::optional<std::string_view>(s);
  }
  Result<std::string_view> string(std::string_view property) const {
    OFMF_TRY(s, opt_string(property));
    if (!s) return missing(property);
    return *s;
  }
  Result<std::optional<std::uint64_t>> opt_uint(std::string_view property, std::uint64_t max) const {
    const OptElem v = find(property);
    if (!v || v->is_null()) return std::optional<std::uint64_t>{};
    return uint_value(*v, property, max);
  }
  // An unsigned integer (a non-negative signed value is fine).
  Result<std::optional<std::uint64_t>> uint_value(Elem v, std::string_view property, std::uint64_t max) const {
    std::uint64_t n = 0;
    if (v.type() == dom::element_type::INT64) {
      std::int64_t i = 0;
      if (v.get(i) != simdjson::SUCCESS || i < 0) return err(errc::parse_error, property, "negative number");
      n = static_cast<std::uint64_t>(i);
    } else if (v.type() != dom::element_type::UINT64 || v.get(n) != simdjson::SUCCESS) {
      return err(errc::parse_error, property, std::string("expected an unsigned integer, found ") + type_name(v));
    }
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
    if (s->size() == 18 && (*s)[0] == '0' && ((*s)[1] == 'x' || (*s)[1] == 'X')) g = parse_hex(s->substr(2), 16, 16);
    if (!g) return err(errc::parse_error, property, "expected a GUID \"0x\" + 16 hex digits, found " + show(*s));
    return std::optional<Guid>(*g);
  }

  // A link object {"@odata.id": uri} at `property` (absent: nullopt).
  // Links are views of the parsed document's strings.
  Result<std::optional<std::string_view>> opt_link(std::string_view property) const {
    const OptElem v = find(property);
    if (!v || v->is_null()) return std::optional<std::string_view>{};
    OFMF_TRY(l, link_value(*v, property));
    return std::optional<std::string_view>(l);
  }
  Result<std::string_view> link(std::string_view property) const {
    OFMF_TRY(l, opt_link(property));
    if (!l) return missing(property);
    return *l;
  }
  Result<std::string_view> link_value(Elem v, std::string_view property) const {
    const OptElem id = member(v, "@odata.id");
    if (!id) return err(errc::parse_error, property, std::string("expected a link {\"@odata.id\": ...}, found ") + type_name(v));
    std::string_view s;
    if (id->get(s) != simdjson::SUCCESS) return err(errc::parse_error, property, "@odata.id is not a string");
    if (!is_safe_uri(s)) return err(errc::invalid_argument, property, "hostile or foreign URI " + show(s));
    return s;
  }
  // An array of links (absent: empty).
  Result<std::vector<std::string_view>> links(std::string_view property) const {
    std::vector<std::string_view> out;
    const OptElem v = find(property);
    if (!v || v->is_null()) return out;
    dom::array a;
    if (v->get(a) != simdjson::SUCCESS)
      return err(errc::parse_error, property, std::string("expected an array of links, found ") + type_name(*v));
    out.reserve(a.size());
    for (const Elem e : a) {
      OFMF_TRY(l, link_value(e, property));
      out.push_back(l);
    }
    return out;
  }

 private:
  std::string_view uri_;
  Elem j_;
  Slot* slot_;

  void hold() noexcept {
    if (slot_) ++slot_->users;
  }
  void release() noexcept {
    if (slot_) --slot_->users;
    slot_ = nullptr;
  }
};

// ---------------------------------------------------------------------------
// The tree's texts, parsed.

// Parses resource texts, one Reader per thread. A parsed resource lives in
// a Slot while a Res holds it; then the slot is reused, so parsing touches
// the same memory again and again. A text simdjson refuses for another
// reason than its depth is read as nlohmann reads it (the tree's own
// parser: integers beyond 64 bits) and written again for simdjson.
class Reader {
 public:
  // Texts nested deeper than `max_depth` (ImportOptions::max_depth) are
  // refused.
  void set_max_depth(std::size_t max_depth) noexcept { max_depth_ = max_depth; }

  // The resource at `uri` (which must outlive the Res) from its text;
  // nullopt when the text is not JSON at all or, then with `*too_deep`
  // set, when it nests deeper than the limit.
  std::optional<Res> open(std::string_view uri, std::string_view text, bool* too_deep = nullptr) {
    Slot* slot = free_slot();
    if (parser_.max_depth() != max_depth_ && parser_.allocate(text.size(), max_depth_) != simdjson::SUCCESS)
      return std::nullopt;
    scratch_.assign(text);
    scratch_.append(simdjson::SIMDJSON_PADDING, ' ');
    Elem e;
    const auto err = parser_.parse_into_document(slot->doc, scratch_.data(), text.size(), false).get(e);
    if (err == simdjson::SUCCESS) return Res(uri, e, slot);
    // No nlohmann value of a text that is too deep (it would be large).
    if (err == simdjson::DEPTH_ERROR || detail::first_too_deep(text, max_depth_) != std::string_view::npos) {
      if (too_deep) *too_deep = true;
      return std::nullopt;
    }
    // What the tree's own parser makes of the text, written again.
    {
      const json j = json::parse(text, nullptr, false);
      if (j.is_discarded()) return std::nullopt;
      scratch_ = write_json(j);
    }
    const std::size_t len = scratch_.size();
    scratch_.append(simdjson::SIMDJSON_PADDING, ' ');
    if (parser_.parse_into_document(slot->doc, scratch_.data(), len, false).get(e) != simdjson::SUCCESS)
      return std::nullopt;
    return Res(uri, e, slot);
  }

 private:
  std::vector<std::unique_ptr<Slot>> slots_;
  dom::parser parser_;
  std::size_t max_depth_ = ImportOptions{}.max_depth;
  std::string scratch_;

  Slot* free_slot() {
    for (const auto& s : slots_)
      if (s->users == 0) return s.get();
    return slots_.emplace_back(std::make_unique<Slot>()).get();
  }
};


// The resources of a tree by index (URI order): URIs and texts as the
// tree holds them (serializations of resources held as values are kept
// here), a hash index by URI, and a Reader for opening them on the calling
// thread. A DOM of the whole tree would be about twice the size of its
// text, and fresh memory costs more than parsing a resource again.
class Parsed {
 public:
  Parsed(const Tree& tree, std::size_t max_depth) {
    reader_.set_max_depth(max_depth);
    const std::size_t n = tree.size();
    uris_.reserve(n);
    texts_.reserve(n);
    std::size_t slots = 16;
    while (slots < n + n / 2) slots *= 2;
    index_.assign(slots, 0);
    mask_ = slots - 1;
    detail::TreeAccess::scan_stored(tree, [&](const std::string& uri, std::string_view text, const json* value) {
      // Keys are distinct: the first empty slot of the probe sequence.
      const std::uint64_t h = hash(uri);
      std::size_t at = h & mask_;
      while (index_[at] != 0) at = (at + 1) & mask_;
      index_[at] = (h & ~std::uint64_t{0xffffffff}) | (uris_.size() + 1);
      uris_.push_back(uri);
      if (value) text = kept_.emplace_back(write_json(*value));
      texts_.push_back(text);
      return true;
    });
  }
  Parsed(const Parsed&) = delete;
  Parsed& operator=(const Parsed&) = delete;

  std::size_t size() const noexcept { return uris_.size(); }
  // The URI as the tree stores it (stable while the tree is unchanged).
  std::string_view uri(std::size_t i) const noexcept { return uris_[i]; }
  // The index of the resource at `uri`, or npos.
  std::size_t find(std::string_view uri) const {
    const std::uint64_t h = hash(uri);
    for (std::size_t at = h & mask_;; at = (at + 1) & mask_) {
      const std::uint64_t e = index_[at];
      if (e == 0) return npos;
      if ((e ^ h) >> 32 == 0) {
        const std::size_t i = static_cast<std::size_t>(e & 0xffffffff) - 1;
        if (uris_[i] == uri) return i;
      }
    }
  }
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  // `s` (a URI read from some resource) as a view that stays valid: the
  // tree's key when there is one, else a copy.
  std::string_view stable(std::string_view s) {
    const std::size_t i = find(s);
    return i != npos ? uris_[i] : std::string_view(kept_.emplace_back(s));
  }

  // The stored or kept text of resource i.
  std::string_view text(std::size_t i) const noexcept { return texts_[i]; }

  // The resource at index i, parsed; nullopt when its text is not JSON at
  // all (what nlohmann calls a "discarded" value).
  std::optional<Res> open(std::size_t i) { return reader_.open(uris_[i], texts_[i]); }

 private:
  Reader reader_;
  std::vector<std::string_view> uris_;
  std::vector<std::string_view> texts_;
  std::deque<std::string> kept_;  // texts and URIs the tree does not hold
  // Open addressing, linear probing: (upper 32 bits of the hash, index + 1)
  // per slot, 0 when empty. Lookups compare the hash bits before the URI.
  std::vector<std::uint64_t> index_;
  std::size_t mask_ = 0;

  static std::uint64_t hash(std::string_view s) noexcept {
    // 8 bytes at a time, multiply and fold (URIs share long prefixes: every
    // byte counts).
    std::uint64_t h = 0x9e3779b97f4a7c15ull ^ s.size();
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      h = (h ^ w) * 0xff51afd7ed558ccdull;
      h ^= h >> 32;
    }
    std::uint64_t w = 0;
    std::memcpy(&w, s.data() + i, s.size() - i);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 29;
    h *= 0xff51afd7ed558ccdull;
    return h ^ (h >> 32);
  }
};


// ---------------------------------------------------------------------------

// Links a resource gives at one property, read when the resource was
// open and kept for a later step: how many, the first (a stable view), or
// the error reading them gave (an index in Importer::errors_, from 1).
struct LinkSummary {
  std::uint32_t count = 0;
  std::uint32_t error = 0;
  std::string_view first;
};

struct PortInfo {
  PortRef ref;
  Guid guid = 0;       // port GUID
  bool switch_port = false;
  std::string_view uri;  // as the tree stores it
  std::string_view endpoint;  // endpoint URI representing it (adapter ports)
  LinkSummary switch_peer, device_peer, endpoints, metrics;  // Links.ConnectedSwitchPorts ...
};

struct EndpointInfo {
  LinkSummary ports;                  // Links.Ports
  std::vector<std::string_view> zones;  // Links.Zones (stable views)
  std::uint32_t zones_error = 0;
};

class Importer {
 public:
  Importer(const Tree& tree, const ImportOptions& options) : tree_(tree), opt_(options) {}

  Result<model::Fabric> run() {
    if (tree_.size() > opt_.max_resources)
      return fail(errc::limit_exceeded, "Redfish tree: " + std::to_string(tree_.size()) +
                                            " resources, more than ImportOptions::max_resources (" +
                                            std::to_string(opt_.max_resources) + ")");
    parsed_.emplace(tree_, opt_.max_depth);
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
  std::optional<Parsed> parsed_;
  model::Fabric fabric_;
  std::string fabric_uri_;
  std::vector<Kind> kinds_;  // by resource index
  std::vector<PortInfo> ports_;           // in the order they were added
  std::vector<std::uint32_t> port_at_;    // resource index -> 1 + index in ports_; 0: none
  std::unordered_map<std::string_view, Guid> endpoints_;       // endpoint URI -> port GUID it names
  std::unordered_map<std::string_view, std::string_view> node_of_endpoint_;  // endpoint URI -> node URI
  std::unordered_map<std::string_view, EndpointInfo> endpoint_info_;

  // The port at `uri`, or nullptr.
  PortInfo* port(std::string_view uri) {
    const std::size_t i = parsed_->find(uri);
    return i == Parsed::npos || port_at_[i] == 0 ? nullptr : &ports_[port_at_[i] - 1];
  }
  std::vector<Error> errors_;  // kept by LinkSummary

  LinkSummary summarize(Result<std::vector<std::string_view>> r) {
    LinkSummary s;
    if (!r) {
      errors_.push_back(std::move(r).error());
      s.error = static_cast<std::uint32_t>(errors_.size());
      return s;
    }
    s.count = static_cast<std::uint32_t>(r->size());
    if (!r->empty()) s.first = parsed_->stable(r->front());
    return s;
  }
  LinkSummary summarize(Result<std::optional<std::string_view>> r) {
    if (!r) return summarize(Result<std::vector<std::string_view>>(fail(std::move(r).error())));
    std::vector<std::string_view> v;
    if (*r) v.push_back(**r);
    return summarize(Result<std::vector<std::string_view>>(std::move(v)));
  }
  Result<LinkSummary> kept(const LinkSummary& s) const {
    if (s.error) return fail(errors_[s.error - 1]);
    return s;
  }

  void note(std::string_view uri, std::string_view property, std::string_view what) {
    if (opt_.notes) opt_.notes->push_back(std::string(uri) + ": " + std::string(property) + ": " + std::string(what));
  }

  // The resource at index i, which check_all() found to be an object.
  Res res(std::size_t i) { return *parsed_->open(i); }
  // The resource at `uri`, which is known to be in the tree.
  Res res(std::string_view uri) { return res(parsed_->find(uri)); }
  // The kind of the resource at `uri`, known to be in the tree.
  Kind kind(std::string_view uri) const { return kinds_[parsed_->find(uri)]; }

  // The resource at `uri`, which `from`'s `property` links to; it must be of `kind`.
  Result<Res> resolve(const Res& from, std::string_view property, std::string_view uri, Kind kind) {
    return resolve(from.uri(), property, uri, kind);
  }
  Result<Res> resolve(std::string_view from, std::string_view property, std::string_view uri, Kind kind) {
    const std::size_t i = parsed_->find(uri);
    if (i == Parsed::npos)
      return error(errc::inconsistent, from, property, "dangling link: no resource " + show(uri) + " in the tree");
    Res r = res(i);
    if (kinds_[i] != kind) {
      std::string_view type;
      if (const OptElem t = member(r.value(), "@odata.type"); t && t->get(type) != simdjson::SUCCESS) type = {};
      return error(errc::inconsistent, from, property,
                   "links to " + show(uri) + " whose @odata.type " + show(type) + " is not the expected kind");
    }
    return r;
  }

  // Every resource: safe URI, object, @odata.id, known @odata.type, Id,
  // Members with a matching count, every link inside resolving. Large
  // trees are checked by several threads, each with its own parser; the
  // error reported is the first in URI order, as a single thread finds it.
  Result<void> check_all() {
    const std::size_t n = parsed_->size();
    kinds_.assign(n, Kind::Collection);
    const unsigned workers = n < 8192 ? 1u : std::min(8u, ofmf::detail::worker_count(0, n / 4096));
    if (workers <= 1) {
      Checker c;
      c.reader.set_max_depth(opt_.max_depth);
      for (std::size_t i = 0; i < n; ++i)
        if (auto r = check_one(c, i); !r) return r;
      return {};
    }
    std::vector<Checker> checkers(workers);
    for (Checker& c : checkers) c.reader.set_max_depth(opt_.max_depth);
    std::atomic<std::size_t> first_error{n};
    std::vector<std::optional<std::pair<std::size_t, Error>>> errors(workers);
    ofmf::detail::parallel_for(n, workers, 512, [&](unsigned w, std::size_t i) {
      if (i > first_error.load(std::memory_order_relaxed)) return;  // an earlier error decides
      auto r = check_one(checkers[w], i);
      if (r) return;
      if (!errors[w] || i < errors[w]->first) errors[w].emplace(i, std::move(r).error());
      std::size_t seen = first_error.load();
      while (i < seen && !first_error.compare_exchange_weak(seen, i)) {
      }
    });
    const std::optional<std::pair<std::size_t, Error>>* best = nullptr;
    for (const auto& e : errors)
      if (e && (!best || e->first < (*best)->first)) best = &e;
    if (best) return fail((*best)->second);
    return {};
  }

  // What checking a resource needs, one per thread.
  struct Frame {
    Elem v;
    std::size_t parent;    // index in `frames`, npos for the resource
    std::string_view key;  // empty for the resource and array elements
    bool keyed;            // false: the resource or an array element
    bool empty_path;
  };
  struct Checker {
    Reader reader;
    std::vector<Frame> frames;
    std::vector<std::size_t> stack;
    std::vector<std::string_view> sorted;
    std::vector<std::pair<std::string_view, Elem>> members;
  };

  Result<void> check_one(Checker& c, std::size_t i) {
    const std::string_view uri = parsed_->uri(i);
    if (!is_safe_uri(uri)) return error(errc::invalid_argument, uri, "@odata.id", "hostile or foreign URI " + show(uri));
    bool too_deep = false;
    const std::optional<Res> opened = c.reader.open(uri, parsed_->text(i), &too_deep);
    if (!opened && too_deep) {
      const std::size_t at = detail::first_too_deep(parsed_->text(i), opt_.max_depth);
      return error(errc::parse_error, uri, "(resource)",
                   "nested deeper than ImportOptions::max_depth (" + std::to_string(opt_.max_depth) + " levels)" +
                       (at == std::string_view::npos ? std::string() : " at byte " + std::to_string(at)));
    }
    if (!opened) return error(errc::parse_error, uri, "(resource)", "expected a JSON object, found discarded");
    const Res& r = *opened;
    const Elem j = r.value();
    if (!is_object(j)) return error(errc::parse_error, uri, "(resource)", std::string("expected a JSON object, found ") + type_name(j));
    OFMF_TRY(id, r.string("@odata.id"));
    if (id != uri) return r.err(errc::inconsistent, "@odata.id", show(id) + " differs from the resource's URI");
    OFMF_TRY(type, r.string("@odata.type"));
    const auto kind = kind_of(type);
    if (!kind) return r.err(errc::invalid_argument, "@odata.type", "unknown type " + show(type));
    kinds_[i] = *kind;
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
      c.sorted.assign(members.begin(), members.end());
      std::sort(c.sorted.begin(), c.sorted.end());
      if (std::adjacent_find(c.sorted.begin(), c.sorted.end()) != c.sorted.end()) {
        std::set<std::string_view> seen;  // the first one listed again
        for (const auto& m : members)
          if (!seen.insert(m).second) return r.err(errc::inconsistent, "Members", "duplicate Id: " + show(m) + " listed twice");
      }
    }
    // Every link anywhere in the resource resolves. The first walk takes
    // members in document order; only when it finds an error is the
    // resource walked again the way its nlohmann value iterates (keys in
    // order, a repeated key once, with its last value), so the error is
    // the one that reading gives, or none.
    if (auto w = check_links(c, r, false); !w) return check_links(c, r, true);
    return {};
  }

  // Iterative walk (no recursion on hostile nesting). Each structured value
  // keeps its parent and key; the dotted property path an error names is
  // built only for the error.
  static std::string path_of(const Checker& c, std::size_t f) {
    std::vector<std::size_t> chain;
    for (; f != std::string::npos; f = c.frames[f].parent) chain.push_back(f);
    std::string path;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      const Frame& fr = c.frames[*it];
      if (!fr.keyed) continue;
      if (!path.empty()) path += '.';
      path += fr.key;
    }
    return path;
  }

  // `X@odata.count` (X not empty) must be the length of the array X beside
  // it in `object`, as Members@odata.count must be that of Members.
  Result<void> check_count(const Checker& c, const Res& r, std::size_t f, std::string_view key, Elem value,
                           Elem object) const {
    const std::string_view name = key.substr(0, key.size() - odata_count.size());
    if (name.empty()) return {};
    std::string property = path_of(c, f);
    if (!property.empty()) property += '.';
    property += key;
    OFMF_TRY(count, r.uint_value(value, property, UINT64_MAX));
    const OptElem counted = member(object, name);
    dom::array a;
    if (!counted || counted->get(a) != simdjson::SUCCESS)
      return r.err(errc::inconsistent, property, "counts " + show(name) + ", which is not an array beside it");
    if (*count != a.size())
      return r.err(errc::inconsistent, property,
                   std::to_string(*count) + " but " + std::string(name) + " has " + std::to_string(a.size()) + " entries");
    return {};
  }
  static constexpr std::string_view odata_count = "@odata.count";

  Result<void> check_member(Checker& c, const Res& r, std::size_t f, std::string_view key, Elem value,
                            Elem object) const {
    const bool empty_path = c.frames[f].empty_path;
    if (key.ends_with(odata_count)) return check_count(c, r, f, key, value, object);
    if (key == "@odata.id") {
      if (empty_path) return {};  // the resource's own URI
      std::string_view target;
      if (value.get(target) != simdjson::SUCCESS) return r.err(errc::parse_error, path_of(c, f), "@odata.id is not a string");
      if (!is_safe_uri(target)) return r.err(errc::invalid_argument, path_of(c, f), "hostile or foreign URI " + show(target));
      if (parsed_->find(target) == Parsed::npos)
        return r.err(errc::inconsistent, path_of(c, f), "dangling link: no resource " + show(target) + " in the tree");
    } else if (is_structured(value)) {
      c.frames.push_back(Frame{value, f, key, true, empty_path && key.empty()});
      c.stack.push_back(c.frames.size() - 1);
    }
    return {};
  }

  Result<void> check_links(Checker& c, const Res& r, bool as_nlohmann) const {
    c.frames.clear();
    c.stack.clear();
    c.frames.push_back(Frame{r.value(), std::string::npos, {}, false, true});
    c.stack.push_back(0);
    while (!c.stack.empty()) {
      const std::size_t f = c.stack.back();
      c.stack.pop_back();
      const Elem v = c.frames[f].v;
      dom::object o;
      dom::array a;
      if (v.get(o) == simdjson::SUCCESS) {
        if (!as_nlohmann) {
          for (const auto kv : o)
            if (auto m = check_member(c, r, f, kv.key, kv.value, v); !m) return m;
          continue;
        }
        c.members.clear();
        for (const auto kv : o) c.members.emplace_back(kv.key, kv.value);
        std::stable_sort(c.members.begin(), c.members.end(),
                         [](const auto& x, const auto& y) { return x.first < y.first; });
        for (std::size_t m = 0; m < c.members.size(); ++m) {
          if (m + 1 < c.members.size() && c.members[m + 1].first == c.members[m].first) continue;  // the last one counts
          if (auto e = check_member(c, r, f, c.members[m].first, c.members[m].second, v); !e) return e;
        }
      } else if (v.get(a) == simdjson::SUCCESS) {
        const bool empty_path = c.frames[f].empty_path;
        for (const Elem e : a)
          if (is_structured(e)) {
            c.frames.push_back(Frame{e, f, {}, false, empty_path});
            c.stack.push_back(c.frames.size() - 1);
          }
      }
    }
    return {};
  }

  Result<void> find_fabric() {
    static constexpr std::string_view fabrics_uri = "/redfish/v1/Fabrics";
    const std::size_t fc = parsed_->find(fabrics_uri);
    if (fc == Parsed::npos) return error(errc::invalid_argument, fabrics_uri, "(resource)", "the tree has no fabric collection");
    const Res fabrics = res(fc);
    if (kinds_[fc] != Kind::Collection)
      return fabrics.err(errc::invalid_argument, "@odata.type", "not a FabricCollection");
    OFMF_TRY(members, fabrics.links("Members"));
    if (!opt_.fabric_id.empty()) {
      fabric_uri_ = std::string(fabrics_uri) + "/" + opt_.fabric_id;
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
  Result<std::vector<std::string_view>> collection(const Res& owner, std::string_view property, std::string_view expected,
                                                   bool required) {
    OFMF_TRY(l, owner.opt_link(property));
    if (!l) {
      if (required) return owner.missing(property);
      return std::vector<std::string_view>{};
    }
    if (*l != expected) return owner.err(errc::inconsistent, property, "links to " + show(*l) + ", expected " + show(expected));
    OFMF_TRY(c, resolve(owner, property, *l, Kind::Collection));
    auto members = c.links("Members");
    if (!members) return fail(std::move(members).error());
    for (auto& m : *members) {
      if (!is_child(m, expected)) return c.err(errc::inconsistent, "Members", show(m) + " is not below the collection");
      m = parsed_->stable(m);  // outlives `c`
    }
    return members;
  }

  // parent_uri(uri) == parent, without building the parent.
  static bool is_child(std::string_view uri, std::string_view parent) {
    if (uri == "/redfish/v1/" || uri == "/redfish/v1") return parent.empty();
    while (!uri.empty() && uri.back() == '/') uri.remove_suffix(1);
    const auto slash = uri.rfind('/');
    if (slash == std::string_view::npos) return parent.empty();
    const std::string_view head = uri.substr(0, slash);
    if (head == "/redfish/v1") return parent == "/redfish/v1/";
    return head == parent;
  }

  // A port's lane count at `property` (Width, ActiveWidth): absent, or one
  // of the link widths (1, 2, 4, 8 or 12 lanes).
  static Result<std::optional<model::LinkWidth>> opt_lanes(const Res& r, std::string_view property) {
    OFMF_TRY(n, r.opt_uint(property, UINT64_MAX));
    if (!n) return std::optional<model::LinkWidth>{};
    const auto w = *n <= 12 ? model::parse_link_width(std::to_string(*n) + "x") : std::nullopt;
    if (!w) return r.err(errc::parse_error, property, std::to_string(*n) + " is not a link width (1, 2, 4, 8 or 12 lanes)");
    return std::optional<model::LinkWidth>(*w);
  }

  // The attributes of a port from `base` ("Oem.Ofmf" of a Port resource,
  // "Oem.Ofmf.Port0" of a switch or adapter); `port_resource`: `r` is the
  // Port, whose Width and ActiveWidth are checked too.
  Result<model::PortAttributes> port_attributes(const Res& r, std::string_view base, bool port_resource) {
    model::PortAttributes a;
    std::optional<model::LinkWidth> width_lanes, active_lanes;
    if (port_resource) {
      OFMF_TRY(w, opt_lanes(r, "Width"));
      OFMF_TRY(aw, opt_lanes(r, "ActiveWidth"));
      width_lanes = w;
      active_lanes = aw;
    }
    const OptElem oem = r.find(base);
    if (!oem) {
      note(r.uri(), base, "absent: port attributes defaulted from the standard properties");
      OFMF_TRY(status, r.opt_string("LinkStatus"));
      if (status && *status == "LinkUp") {
        a.state = model::PortState::Active;
        a.phys_state = model::PhysState::LinkUp;
      }
      if (width_lanes) a.width = *width_lanes;
      return a;
    }
    if (!is_object(*oem)) return r.err(errc::parse_error, base, std::string("expected an object, found ") + type_name(*oem));
    // Properties below `base`, found from the resource (a key holding dots
    // is matched whole, as find() does).
    // "<base>.<name>" in a buffer (base is one of the importer's literals).
    std::array<char, 64> buf{};
    const std::size_t blen = std::min(base.size(), buf.size() - 16);
    std::memcpy(buf.data(), base.data(), blen);
    buf[blen] = '.';
    auto path = [&buf, blen](std::string_view name) {
      std::memcpy(buf.data() + blen + 1, name.data(), name.size());
      return std::string_view(buf.data(), blen + 1 + name.size());
    };
    OFMF_TRY(guid, r.opt_guid(path("PortGUID")));
    if (guid) a.guid = *guid;
    OFMF_TRY(lid, r.uint(path("LID"), 0xffff));
    OFMF_TRY(lmc, r.uint(path("LMC"), 7));
    a.lid = static_cast<std::uint16_t>(lid);
    a.lmc = static_cast<std::uint8_t>(lmc);
    OFMF_TRY(state, r.string(path("PortState")));
    const auto ps = parse_model_enum<model::PortState, model::PortState::NoChange, model::PortState::Active>(state);
    if (!ps) return r.err(errc::parse_error, path("PortState"), "unknown value " + show(state));
    a.state = *ps;
    OFMF_TRY(phys, r.string(path("PhysState")));
    const auto ph = parse_model_enum<model::PhysState, model::PhysState::NoChange, model::PhysState::PhyTest>(phys);
    if (!ph) return r.err(errc::parse_error, path("PhysState"), "unknown value " + show(phys));
    a.phys_state = *ph;
    OFMF_TRY(width, r.string(path("LinkWidth")));
    const auto w = model::parse_link_width(width);
    if (!w) return r.err(errc::parse_error, path("LinkWidth"), "unknown value " + show(width));
    a.width = *w;
    // MAPPING.md: Width and ActiveWidth are the lanes of that width.
    for (const auto& [property, given] : {std::pair{std::string_view("Width"), width_lanes},
                                          std::pair{std::string_view("ActiveWidth"), active_lanes}})
      if (given && *given != a.width)
        return r.err(errc::inconsistent, property,
                     std::to_string(model::lanes(*given)) + " lanes but " + std::string(path("LinkWidth")) + " is " +
                         std::string(model::to_string(a.width)));
    OFMF_TRY(speed, r.string(path("LinkSpeed")));
    const auto s = model::parse_link_speed(speed);
    if (!s) return r.err(errc::parse_error, path("LinkSpeed"), "unknown value " + show(speed));
    a.speed = *s;
    OFMF_TRY(mtu, r.uint(path("MTU"), 4096));
    std::optional<model::Mtu> m;
    for (unsigned v = 1; v <= 5; ++v)
      if (model::mtu_bytes(static_cast<model::Mtu>(v)) == mtu) m = static_cast<model::Mtu>(v);
    if (!m) return r.err(errc::parse_error, path("MTU"), std::to_string(mtu) + " is not 256, 512, 1024, 2048 or 4096");
    a.mtu = *m;
    return a;
  }

  // Ports of a switch or an adapter: URIs ordered by port number 1..N.
  Result<std::vector<std::pair<std::string_view, Res>>> node_ports(const Res& node, std::string_view node_uri) {
    OFMF_TRY(members, collection(node, "Ports", std::string(node_uri) + "/Ports", true));
    std::vector<std::optional<std::pair<std::string_view, Res>>> by_number(members.size());
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
    std::vector<std::pair<std::string_view, Res>> out;
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

  Result<void> add_ports(const Res& node, model::NodeId id, std::vector<std::pair<std::string_view, Res>>& ports,
                         bool switch_node) {
    for (std::size_t i = 0; i < ports.size(); ++i) {
      const auto& [uri, pr] = ports[i];
      OFMF_TRY(a, port_attributes(pr, "Oem.Ofmf", true));
      const PortRef ref{id, static_cast<model::PortNum>(i + 1)};
      if (auto s = fabric_.set_port(ref, a); !s) return pr.err(errc::inconsistent, "Oem.Ofmf", s.error().message);
      PortInfo info;
      info.ref = ref;
      info.guid = a.guid;
      if (a.guid == 0) info.guid = fabric_.port(ref)->attributes.guid;
      info.switch_port = switch_node;
      info.uri = pr.uri();
      info.switch_peer = summarize(pr.links("Links.ConnectedSwitchPorts"));
      info.device_peer = summarize(pr.links("Links.ConnectedPorts"));
      info.endpoints = summarize(pr.links("Links.AssociatedEndpoints"));
      info.metrics = summarize(pr.opt_link("Metrics"));
      const std::size_t ri = parsed_->find(pr.uri());
      if (port_at_[ri] != 0) return node.err(errc::inconsistent, "Ports", "port " + show(uri) + " belongs to two nodes");
      ports_.push_back(std::move(info));
      port_at_[ri] = static_cast<std::uint32_t>(ports_.size());
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
      OFMF_TRY(a0, port_attributes(s, "Oem.Ofmf.Port0", false));
      if (auto r = fabric_.set_port({*id, 0}, a0); !r) return s.err(errc::inconsistent, "Oem.Ofmf.Port0", r.error().message);
    }
    for (const auto& [uri, pr] : ports) {
      OFMF_TRY(g, pr.opt_guid("Oem.Ofmf.PortGUID"));
      if (g && *g != f.guid)
        return pr.err(errc::inconsistent, "Oem.Ofmf.PortGUID", "a switch port's GUID must be the switch's node GUID");
    }
    return add_ports(s, *id, ports, true);
  }

  Result<void> add_adapter(const Res& a, std::string_view chassis_uri) {
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
      OFMF_TRY(a0, port_attributes(a, "Oem.Ofmf.Port0", false));
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
    port_at_.assign(parsed_->size(), 0);
    ports_.reserve(static_cast<std::size_t>(std::count(kinds_.begin(), kinds_.end(), Kind::Port)));
    const Res f = res(fabric_uri_);
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
      const OptElem ents = er.find("ConnectedEntities");
      if (!ents) return er.missing("ConnectedEntities");
      dom::array ents_array;
      if (ents->get(ents_array) != simdjson::SUCCESS || ents_array.size() != 1)
        return er.err(errc::parse_error, "ConnectedEntities", "expected an array of one entity");
      const Res ent = er.part(*ents_array.begin());
      OFMF_TRY(target_view, ent.link("EntityLink"));
      const std::string_view target = parsed_->stable(target_view);
      const auto egid = parse_hex(last_segment(er.uri()), 16, 16);
      if (!egid || hex16(*egid) != last_segment(er.uri()))
        return er.err(errc::parse_error, "Id", show(last_segment(er.uri())) + " is not a GUID of 16 lower-case hex digits");
      const std::size_t ti = parsed_->find(target);
      if (const auto sw = switch_done.find(target); sw != switch_done.end()) {
        if (!sw->second) {
          OFMF_TRY(sr, resolve(er, "ConnectedEntities.EntityLink", target, Kind::Switch));
          if (auto r = add_switch(sr); !r) return r;
          sw->second = true;
        }
      } else if (target.starts_with(chassis_prefix) && ti != Parsed::npos && kinds_[ti] == Kind::FabricAdapter) {
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
          if (auto r = add_adapter(ar, cr.uri()); !r) return r;
          adapter_done.emplace(ar.uri(), er.uri());
        }
      } else {
        return er.err(errc::inconsistent, "ConnectedEntities.EntityLink",
                      show(target) + " is neither a switch of this fabric nor a fabric adapter");
      }
      node_of_endpoint_.emplace(er.uri(), target);
      endpoints_.emplace(er.uri(), *egid);
      EndpointInfo info;
      info.ports = summarize(er.links("Links.Ports"));
      if (auto z = er.links("Links.Zones"); !z) {
        errors_.push_back(std::move(z).error());
        info.zones_error = static_cast<std::uint32_t>(errors_.size());
      } else {
        for (const auto l : *z) info.zones.push_back(parsed_->stable(l));
      }
      endpoint_info_.emplace(er.uri(), std::move(info));
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
      const std::string_view node_uri = node_of_endpoint_.at(euri);
      const EndpointInfo& einfo = endpoint_info_.at(euri);
      auto err = [euri = euri](errc c, std::string_view property, std::string_view what) {
        return error(c, euri, property, what);
      };
      OFMF_TRY(eports, kept(einfo.ports));
      const auto found = fabric_.find_port(guid);
      if (!found) return err(errc::inconsistent, "Id", "no port or switch with GUID " + model::format_guid(guid));
      if (kind(node_uri) == Kind::Switch) {
        if (eports.count != 0) return err(errc::inconsistent, "Links.Ports", "a switch endpoint lists no ports");
        if (fabric_.guid(found->node) != guid || found->port != 0)
          return err(errc::inconsistent, "Id", "not the GUID of the switch it names");
        const Res sr = res(node_uri);
        OFMF_TRY(back, sr.links("Links.Endpoints"));
        if (std::find(back.begin(), back.end(), euri) == back.end())
          return sr.err(errc::inconsistent, "Links.Endpoints", "link one way only: endpoint " + show(euri) + " names this switch");
        continue;
      }
      if (eports.count != 1) return err(errc::inconsistent, "Links.Ports", "an adapter endpoint names exactly one port");
      const std::string_view eport = eports.first;
      PortInfo* const p = port(eport);
      if (!p || p->switch_port)
        return err(errc::inconsistent, "Links.Ports", show(eport) + " is not an adapter port");
      if (p->guid != guid) return err(errc::inconsistent, "Id", "differs from the port GUID of " + show(eport));
      if (parent_uri(parent_uri(eport)) != node_uri)
        return err(errc::inconsistent, "Links.Ports", show(eport) + " is not a port of the entity");
      if (!p->endpoint.empty())
        return err(errc::inconsistent, "Links.Ports", "duplicate Id: port already has endpoint " + show(p->endpoint));
      p->endpoint = euri;
      OFMF_TRY(back, kept(p->endpoints));
      if (back.count != 1 || back.first != euri)
        return error(errc::inconsistent, p->uri, "Links.AssociatedEndpoints", "link one way only: endpoint " + show(euri) + " names this port");
    }
    return {};
  }

  Result<void> import_links() {
    for (const PortInfo& info : ports_) {
      const std::string_view puri = info.uri;
      auto err = [&info](errc c, std::string_view property, std::string_view what) {
        return error(c, info.uri, property, what);
      };
      OFMF_TRY(sw, kept(info.switch_peer));
      OFMF_TRY(dev, kept(info.device_peer));
      if (sw.count + dev.count > 1)
        return err(errc::inconsistent, "Links", "an InfiniBand port has at most one peer, found " +
                                                    std::to_string(sw.count + dev.count));
      if (sw.count == 0 && dev.count == 0) continue;
      const std::string_view prop = sw.count == 0 ? "Links.ConnectedPorts" : "Links.ConnectedSwitchPorts";
      const std::string_view peer = sw.count == 0 ? dev.first : sw.first;
      const PortInfo* const q = port(peer);
      if (!q) return err(errc::inconsistent, prop, show(peer) + " is not a port of this fabric");
      if (q->switch_port != (sw.count != 0))
        return err(errc::inconsistent, prop, show(peer) + (q->switch_port ? " is a switch port" : " is not a switch port"));
      OFMF_TRY(qsw, kept(q->switch_peer));
      OFMF_TRY(qdev, kept(q->device_peer));
      const auto& back = info.switch_port ? qsw : qdev;
      if (back.count != 1 || back.first != puri)
        return err(errc::inconsistent, prop, "link one way only: " + show(peer) + " does not link back");
      if (puri < peer) {
        if (auto r = fabric_.connect(info.ref, q->ref); !r) return err(errc::inconsistent, prop, r.error().message);
      }
    }
    return {};
  }

  Result<void> import_zones() {
    const Res f = res(fabric_uri_);
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
        const EndpointInfo& einfo = endpoint_info_.at(e->first);
        if (einfo.zones_error) return fail(errors_[einfo.zones_error - 1]);
        const auto& back = einfo.zones;
        if (std::find(back.begin(), back.end(), z) == back.end())
          return zr.err(errc::inconsistent, "Links.Endpoints", "link one way only: " + show(m) + " does not list this zone");
      }
      if (!lim.empty()) return zr.err(errc::inconsistent, "Oem.Ofmf.LimitedMembers", show(*lim.begin()) + " is not a member");
      auto& listed = zone_members[z];
      for (const auto& m : members) listed.insert(endpoints_.find(m)->first);
      if (auto r = fabric_.set_partition(part); !r) return zr.err(errc::inconsistent, "Links.Endpoints", r.error().message);
    }
    // Zones an endpoint names must list it too.
    for (const auto& [euri, guid] : endpoints_) {
      (void)guid;
      const EndpointInfo& einfo = endpoint_info_.at(euri);
      if (einfo.zones_error) return fail(errors_[einfo.zones_error - 1]);
      for (const auto& z : einfo.zones) {
        if (std::find(zones.begin(), zones.end(), z) == zones.end())
          return error(errc::inconsistent, euri, "Links.Zones", show(z) + " is not a zone of this fabric");
        const auto zm = zone_members.find(z);
        if (zm == zone_members.end() || !zm->second.contains(euri))
          return error(errc::inconsistent, euri, "Links.Zones", "link one way only: " + show(z) + " does not list this endpoint");
      }
    }
    return {};
  }

  Result<void> set_counters(std::string_view owner, std::string_view property, std::string_view metrics_uri, PortRef ref) {
    OFMF_TRY(mr, resolve(owner, property, metrics_uri, Kind::PortMetrics));
    model::PortCounters c;
    if (!mr.find("Oem.Ofmf")) {
      note(metrics_uri, "Oem.Ofmf", "absent: counters taken from the standard properties");
      OFMF_TRY(rx, mr.opt_uint("RXBytes", UINT64_MAX));
      OFMF_TRY(tx, mr.opt_uint("TXBytes", UINT64_MAX));
      c.rx_bytes = rx.value_or(0);
      c.tx_bytes = tx.value_or(0);
    } else {
      std::string path = "Oem.Ofmf.";
      for (const auto& fld : counter_fields) {
        path.resize(9);
        path += fld.name;
        OFMF_TRY(v, mr.opt_uint(path, UINT64_MAX));
        c.*fld.field = v.value_or(0);
      }
    }
    if (auto r = fabric_.set_counters(ref, c); !r) return mr.err(errc::inconsistent, "Oem.Ofmf", r.error().message);
    return {};
  }

  Result<void> import_counters() {
    for (const PortInfo& info : ports_) {
      OFMF_TRY(ms, kept(info.metrics));
      if (ms.count == 0) continue;
      const std::string_view m = ms.first;
      if (m.size() != info.uri.size() + 8 || !m.starts_with(info.uri) || !m.ends_with("/Metrics"))
        return error(errc::inconsistent, info.uri, "Metrics", show(m) + " is not this port's metrics");
      if (auto r = set_counters(info.uri, "Metrics", m, info.ref); !r) return r;
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
