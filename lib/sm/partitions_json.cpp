// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// The JSON form of a partition policy: partitions_to_json(),
// partitions_from_json().
#include <nlohmann/json.hpp>

#include <map>
#include <set>

#include "core/detail/json_parse.hpp"
#include "ofmf/sm/partitions.hpp"
#include "sm/detail/partition_rules.hpp"

namespace ofmf::sm {

namespace {

using json = nlohmann::json;
using ordered = nlohmann::ordered_json;
using detail::Flag;

constexpr std::size_t max_text = std::size_t(16) << 20;

void flags_to_json(ordered& j, const GroupFlags& f, const GroupFlags* base) {
  auto put = [&](Flag flag, std::uint32_t v, std::uint32_t b) {
    if (!base || v != b) j[std::string(detail::json_name(flag))] = v;
  };
  put(Flag::Mtu, f.mtu, base ? base->mtu : 0);
  put(Flag::Rate, f.rate, base ? base->rate : 0);
  put(Flag::Sl, f.sl, base ? base->sl : 0);
  if (!base || f.scope_mask != base->scope_mask) {
    ordered scopes = ordered::array();
    for (unsigned s = 1; s < 16; ++s)
      if (f.scope_mask >> s & 1u) scopes.push_back(s);
    j["scope"] = std::move(scopes);
  }
  put(Flag::QKey, f.qkey, base ? base->qkey : 0);
  put(Flag::TClass, f.tclass, base ? base->tclass : 0);
  put(Flag::FlowLabel, f.flow_label, base ? base->flow_label : 0);
}

/// Reads values of an untrusted document, naming the JSON pointer of the
/// value in every error.
class Reader {
 public:
  explicit Reader(std::string_view source) : source_(source) {}

  Result<PartitionPolicy> policy(const json& doc) {
    if (!doc.is_object()) return error("", "expected an object {\"partitions\": [...]}");
    if (auto r = known_keys(doc, "", {"partitions"}); !r) return fail(r.error());
    const auto it = doc.find("partitions");
    if (it == doc.end() || !it->is_array()) return error("/partitions", "expected an array of partitions");
    std::map<model::PKey, PartitionRule> parts;
    std::map<std::array<std::uint8_t, 16>, std::string> mgids;
    for (std::size_t i = 0; i < it->size(); ++i) {
      const std::string at = "/partitions/" + std::to_string(i);
      auto p = partition((*it)[i], at);
      if (!p) return fail(p.error());
      if (parts.count(p->pkey))
        return error(at + "/pkey", "P_Key " + model::format_pkey(p->pkey) + " is listed twice");
      for (std::size_t g = 0; g < p->groups.size(); ++g) {
        const std::string gat = at + "/groups/" + std::to_string(g) + "/mgid";
        if (auto [m, fresh] = mgids.emplace(p->groups[g].mgid, gat); !fresh)
          return error(gat, "mgid " + format_gid(p->groups[g].mgid) + " is listed twice (also " + m->second + ")");
      }
      parts.emplace(p->pkey, std::move(*p));
    }
    parts.try_emplace(model::default_pkey, detail::implicit_default());
    PartitionPolicy out;
    for (auto& [k, p] : parts) out.partitions.push_back(std::move(p));
    return out;
  }

 private:
  Unexpected error(const std::string& pointer, const std::string& what) const {
    return fail(errc::parse_error, std::string(source_) + ": " + (pointer.empty() ? "/" : pointer) + ": " + what);
  }

  Result<void> known_keys(const json& o, const std::string& at, std::initializer_list<std::string_view> keys) const {
    for (auto it = o.begin(); it != o.end(); ++it) {
      bool known = false;
      for (std::string_view k : keys) known |= it.key() == k;
      if (known) continue;
      std::string list;
      for (std::string_view k : keys) list += (list.empty() ? "" : ", ") + std::string(k);
      std::string p = at;
      ofmf::detail::pointer_append(p, it.key());
      return error(p, "unknown member (known: " + list + ")");
    }
    return {};
  }

  Result<std::uint64_t> number(const json& v, const std::string& at) const {
    if (v.is_number_unsigned()) return v.get<std::uint64_t>();
    if (v.is_string()) {
      if (auto n = detail::parse_number(v.get_ref<const std::string&>())) return *n;
    }
    return error(at, "expected a non-negative whole number (or its text, 0x... allowed)");
  }

  Result<bool> boolean(const json& o, const char* key, const std::string& at) const {
    const auto it = o.find(key);
    if (it == o.end()) return false;
    if (!it->is_boolean()) return error(at + "/" + key, "expected true or false");
    return it->get<bool>();
  }

  /// The flags of `o` over `base` ("scope" replaces the base's scopes).
  Result<GroupFlags> flags(const json& o, const std::string& at, GroupFlags base) const {
    for (unsigned i = 0; i < detail::flag_count; ++i) {
      const Flag f = Flag(i);
      const std::string key(detail::json_name(f));
      const auto it = o.find(key);
      if (it == o.end()) continue;
      const std::string fat = at + "/" + key;
      if (f == Flag::Scope) {
        if (!it->is_array()) return error(fat, "expected an array of scopes 1..15");
        base.scope_mask = 0;
        for (std::size_t k = 0; k < it->size(); ++k) {
          auto v = number((*it)[k], fat + "/" + std::to_string(k));
          if (!v) return fail(v.error());
          if (auto r = detail::set_flag(base, f, *v); !r) return error(fat + "/" + std::to_string(k), r.error().message);
        }
        continue;
      }
      auto v = number(*it, fat);
      if (!v) return fail(v.error());
      if (auto r = detail::set_flag(base, f, *v); !r) return error(fat, r.error().message);
    }
    return base;
  }

  Result<PartitionRule> partition(const json& o, const std::string& at) const {
    if (!o.is_object()) return error(at, "expected a partition object");
    if (auto r = known_keys(o, at, {"name", "pkey", "pkey_generated", "ipoib", "indx0", "mtu", "rate", "sl", "scope",
                                    "qkey", "tclass", "flow_label", "members", "groups"});
        !r)
      return fail(r.error());
    PartitionRule p;
    if (const auto n = o.find("name"); n != o.end()) {
      if (!n->is_string()) return error(at + "/name", "expected a string");
      p.name = n->get<std::string>();
      if (auto why = detail::bad_name(p.name)) return error(at + "/name", *why);
    }
    const auto k = o.find("pkey");
    if (k == o.end()) return error(at + "/pkey", "missing (0x0001..0x7fff)");
    auto key = number(*k, at + "/pkey");
    if (!key) return fail(key.error());
    if (*key > 0xffff || (*key & 0x7fff) == 0) return error(at + "/pkey", "expected a P_Key 0x0001..0x7fff");
    p.pkey = model::PKey(*key & 0x7fff);
    auto gen = boolean(o, "pkey_generated", at);
    auto ipoib = boolean(o, "ipoib", at);
    auto indx0 = boolean(o, "indx0", at);
    for (auto* b : {&gen, &ipoib, &indx0})
      if (!*b) return fail(b->error());
    p.pkey_generated = *gen;
    p.ipoib = *ipoib;
    p.indx0 = *indx0;
    auto f = flags(o, at, GroupFlags{});
    if (!f) return fail(f.error());
    p.flags = *f;
    if (p.pkey == model::default_pkey) {
      // As in partitions.conf: OpenSM's default rules come first, and the
      // partition keeps their name.
      if (!p.name.empty() && p.name != "Default")
        return error(at + "/name", "the default partition 0x7fff is named Default");
      p.name = "Default";
      p.members = detail::implicit_default().members;
    }
    if (const auto m = o.find("members"); m != o.end()) {
      if (!m->is_array()) return error(at + "/members", "expected an array of members");
      std::set<detail::MemberKey> seen;
      for (const MemberRule& r : p.members) seen.insert(detail::member_key(r));
      for (std::size_t i = 0; i < m->size(); ++i) {
        auto r = member((*m)[i], at + "/members/" + std::to_string(i));
        if (!r) return fail(r.error());
        if (seen.insert(detail::member_key(*r)).second) p.members.push_back(*r);  // repeated rules add nothing
      }
    }
    if (const auto g = o.find("groups"); g != o.end()) {
      if (!g->is_array()) return error(at + "/groups", "expected an array of multicast groups");
      for (std::size_t i = 0; i < g->size(); ++i) {
        auto r = group((*g)[i], at + "/groups/" + std::to_string(i), p);
        if (!r) return fail(r.error());
        p.groups.push_back(*r);
      }
    }
    if (auto e = detail::check_ip_groups(p)) return error(at + "/groups", e->what);
    return p;
  }

  Result<MemberRule> member(const json& o, const std::string& at) const {
    if (!o.is_object()) return error(at, "expected {\"port\": GUID or ALL..., \"membership\": ...}");
    if (auto r = known_keys(o, at, {"port", "membership"}); !r) return fail(r.error());
    MemberRule m;
    const auto p = o.find("port");
    if (p == o.end() || !p->is_string())
      return error(at + "/port", "expected a port GUID or ALL, ALL_CAS, ALL_SWITCHES, ALL_ROUTERS, SELF (a string)");
    const std::string& who = p->get_ref<const std::string&>();
    if (auto kind = detail::member_kind(who)) {
      m.kind = *kind;
    } else {
      const auto g = detail::parse_number(who);
      if (!g || *g == 0) return error(at + "/port", "'" + who + "' is not a port GUID or ALL, ALL_CAS, ALL_SWITCHES, ALL_ROUTERS, SELF");
      m.guid = *g;
    }
    if (const auto ms = o.find("membership"); ms != o.end()) {
      const auto v = ms->is_string() ? detail::parse_membership(ms->get_ref<const std::string&>()) : std::nullopt;
      if (!v) return error(at + "/membership", "expected full, limited or both");
      m.membership = *v;
    }
    return m;
  }

  Result<GroupRule> group(const json& o, const std::string& at, const PartitionRule& p) const {
    if (!o.is_object()) return error(at, "expected {\"mgid\": \"ff12::1\", flags...}");
    if (auto r = known_keys(o, at, {"mgid", "mtu", "rate", "sl", "scope", "qkey", "tclass", "flow_label"}); !r)
      return fail(r.error());
    GroupRule g;
    const auto m = o.find("mgid");
    const auto gid = m != o.end() && m->is_string() ? parse_gid(m->get_ref<const std::string&>()) : std::nullopt;
    if (!gid || (*gid)[0] != 0xff) return error(at + "/mgid", "expected a multicast GID (\"ff12:401b::1\")");
    g.mgid = *gid;
    auto f = flags(o, at, p.flags);
    if (!f) return fail(f.error());
    g.flags = *f;
    if (g.flags.scope_mask == 0 && p.flags.scope_mask != 0)
      return error(at + "/scope", "may not be empty when the partition has scopes (leave it out to take them)");
    if (detail::is_ip_group(g.mgid)) {
      std::vector<GroupRule> one{g};
      if (auto e = detail::fill_group_pkeys(one, p.pkey)) return error(at + "/mgid", e->what);
      g.mgid = one[0].mgid;
    }
    return g;
  }

  std::string_view source_;
};

} // namespace

std::string partitions_to_json(const PartitionPolicy& policy) {
  ordered parts = ordered::array();
  for (const PartitionRule& p : policy.partitions) {
    ordered j;
    j["name"] = p.name;
    j["pkey"] = model::format_pkey(p.pkey);
    if (p.pkey_generated) j["pkey_generated"] = true;
    j["ipoib"] = p.ipoib;
    j["indx0"] = p.indx0;
    flags_to_json(j, p.flags, nullptr);
    ordered members = ordered::array();
    for (const MemberRule& m : p.members)
      members.push_back({{"port", m.kind == MemberKind::Port ? model::format_guid(m.guid) : std::string(to_string(m.kind))},
                         {"membership", to_string(m.membership)}});
    j["members"] = std::move(members);
    ordered groups = ordered::array();
    for (const GroupRule& g : p.groups) {
      ordered gj;
      gj["mgid"] = format_gid(g.mgid);
      flags_to_json(gj, g.flags, &p.flags);
      groups.push_back(std::move(gj));
    }
    j["groups"] = std::move(groups);
    parts.push_back(std::move(j));
  }
  ordered doc;
  doc["partitions"] = std::move(parts);
  return doc.dump(2, ' ', false, ordered::error_handler_t::replace) + "\n";
}

Result<PartitionPolicy> partitions_from_json(std::string_view text, std::string_view source) {
  if (text.size() > max_text)
    return fail(errc::limit_exceeded, std::string(source) + ": " + std::to_string(text.size()) +
                                          " bytes, more than the limit of " + std::to_string(max_text));
  auto doc = ofmf::detail::parse_json(text, source);
  if (!doc) return fail(doc.error());
  return Reader(source).policy(*doc);
}

} // namespace ofmf::sm
