// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// partitions.conf text: parse_partitions_conf(), format_partitions_conf().
#include "ofmf/sm/partitions_conf.hpp"

#include <fcntl.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <map>
#include <set>

#include "core/detail/fd.hpp"
#include "core/detail/file_io.hpp"
#include "sm/detail/partition_rules.hpp"

namespace ofmf::sm {

namespace {

using detail::Flag;
using detail::trim;

constexpr std::size_t max_text = std::size_t(16) << 20;

/// Line numbers of offsets in a text.
class Lines {
 public:
  explicit Lines(std::string_view text) {
    starts_.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n') starts_.push_back(i + 1);
  }
  std::size_t at(std::size_t offset) const {
    return std::size_t(std::upper_bound(starts_.begin(), starts_.end(), offset) - starts_.begin());
  }

 private:
  std::vector<std::size_t> starts_;
};

/// A piece of the text: its characters and where it starts.
struct Piece {
  std::string_view text;
  std::size_t offset = 0;
};

/// The first non-blank offset of `p` (its end if none).
std::size_t first_char(const Piece& p) {
  std::size_t i = 0;
  while (i < p.text.size() && std::strchr(" \t\r\n", p.text[i])) ++i;
  return p.offset + i;
}

/// `p` cut at every `sep`.
std::vector<Piece> split(const Piece& p, char sep) {
  std::vector<Piece> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= p.text.size(); ++i) {
    if (i < p.text.size() && p.text[i] != sep) continue;
    out.push_back({p.text.substr(start, i - start), p.offset + start});
    start = i + 1;
  }
  return out;
}

/// One statement before merging.
struct Statement {
  std::string name;
  std::optional<model::PKey> pkey;
  bool ipoib = false, indx0 = false;
  GroupFlags flags;
  unsigned explicit_flags = 0;  ///< Flag bits written in the header
  std::vector<MemberRule> members;
  std::vector<GroupRule> groups;
  std::size_t line = 0;
};

class Parser {
 public:
  Parser(std::string_view text, std::string_view source) : clean_(strip_comments(text)), lines_(clean_), source_(source) {}

  Result<PartitionPolicy> run() {
    std::vector<Statement> statements;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= clean_.size(); ++i) {
      if (i < clean_.size() && clean_[i] != ';') continue;
      const Piece stmt{std::string_view(clean_).substr(start, i - start), start};
      start = i + 1;
      if (trim(stmt.text).empty()) continue;
      if (i == clean_.size()) return error(first_char(stmt), "the statement does not end with ';'");
      auto s = statement(stmt);
      if (!s) return fail(s.error());
      statements.push_back(std::move(*s));
    }
    return merge(std::move(statements));
  }

 private:
  static std::string strip_comments(std::string_view text) {
    std::string out(text);
    bool comment = false;
    for (char& c : out) {
      if (c == '\n') comment = false;
      else if (c == '#') comment = true;
      if (comment) c = ' ';
    }
    return out;
  }

  Unexpected error(std::size_t offset, const std::string& what) const {
    return fail(errc::parse_error, std::string(source_) + ":" + std::to_string(lines_.at(offset)) + ": " + what);
  }
  Unexpected error_at_line(std::size_t line, const std::string& what) const {
    return fail(errc::parse_error, std::string(source_) + ":" + std::to_string(line) + ": " + what);
  }

  Result<Statement> statement(const Piece& stmt) {
    const std::size_t colon = stmt.text.find(':');
    if (colon == std::string_view::npos)
      return error(first_char(stmt), "expected 'Name[=PKey][,flag]... : members ;' (no ':' in the statement)");
    Statement s;
    s.line = lines_.at(first_char(stmt));
    const auto head = split({stmt.text.substr(0, colon), stmt.offset}, ',');
    if (auto r = definition(head[0], s); !r) return fail(r.error());
    RuleMembership defmember = RuleMembership::Limited;
    for (std::size_t k = 1; k < head.size(); ++k) {
      const auto [key, value, has_value] = detail::key_value(head[k].text);
      const std::size_t at = first_char(head[k]);
      if (key.empty()) return error(at, "empty partition flag");
      if (key == "ipoib" || key == "indx0") {
        if (has_value) return error(at, "flag '" + key + "' takes no value");
        (key == "ipoib" ? s.ipoib : s.indx0) = true;
      } else if (key == "defmember") {
        auto m = detail::parse_membership(value);
        if (!m) return error(at, "defmember must be full, limited or both (not '" + value + "')");
        defmember = *m;
      } else if (auto f = detail::flag_of(key)) {
        if (auto r = detail::set_flag(s.flags, *f, value); !r) return error(at, r.error().message);
        s.explicit_flags |= 1u << unsigned(*f);
      } else {
        return error(at, "unknown partition flag '" + key +
                             "' (known: ipoib, indx0, defmember, mtu, rate, sl, scope, Q_Key, TClass, FlowLabel)");
      }
    }
    if (auto r = body({stmt.text.substr(colon + 1), stmt.offset + colon + 1}, defmember, s); !r) return fail(r.error());
    return s;
  }

  /// "Name", "Name=PKey", "=PKey" or "PKey".
  Result<void> definition(const Piece& def, Statement& s) {
    const std::size_t at = first_char(def);
    const auto [name, id, has_id] = detail::key_value(def.text);
    std::string pk = id;
    bool keyed = has_id;
    if (!has_id && !name.empty() && std::isdigit(static_cast<unsigned char>(name[0]))) {
      pk = name;  // "0x8001 : ..." - the definition is the P_Key
      keyed = true;
    } else {
      s.name = name;
    }
    if (auto why = detail::bad_name(s.name)) return error(at, "partition name " + *why);
    if (keyed) {
      const auto v = detail::parse_number(pk);
      if (!v || *v > 0xffff) return error(at, "bad P_Key '" + pk + "' (expected 0x0001..0xffff)");
      if ((*v & 0x7fff) == 0) return error(at, "P_Key " + pk + " is not a partition key (its low 15 bits are 0)");
      s.pkey = model::PKey(*v & 0x7fff);
    }
    if (s.name.empty() && !s.pkey) return error(at, "a partition needs a name or a P_Key");
    return {};
  }

  Result<void> body(const Piece& b, RuleMembership defmember, Statement& s) {
    std::size_t i = 0;
    const std::string_view t = b.text;
    while (i < t.size()) {
      std::size_t end = t.find(',', i);
      if (end == std::string_view::npos) end = t.size();
      const Piece item{t.substr(i, end - i), b.offset + i};
      const auto [key, value, has_value] = detail::key_value(item.text);
      if (key == "mgid") {
        // The group and its flags: up to the end of its line.
        std::size_t eol = t.find('\n', i + item.text.find("mgid"));
        if (eol == std::string_view::npos) eol = t.size();
        if (auto r = group({t.substr(i, eol - i), b.offset + i}, s); !r) return fail(r.error());
        i = eol + 1;
        continue;
      }
      i = end + 1;
      if (key.empty() && !has_value) continue;  // "Name : ;" or a trailing comma, as OpenSM
      if (auto r = member(item, key, value, has_value, defmember, s); !r) return fail(r.error());
    }
    return {};
  }

  Result<void> member(const Piece& item, const std::string& who, const std::string& how, bool has_how,
                      RuleMembership defmember, Statement& s) {
    const std::size_t at = first_char(item);
    MemberRule m;
    m.line = lines_.at(at);
    m.membership = defmember;
    if (has_how) {
      auto ms = detail::parse_membership(how);
      if (!ms) return error(at, "membership '" + how + "' of " + who + " is not full, limited or both");
      m.membership = *ms;
    }
    if (who == "NONE") return {};
    if (auto k = detail::member_kind(who)) {
      m.kind = *k;
    } else {
      const auto g = detail::parse_number(who);
      if (!g || *g == 0)
        return error(at, "member '" + who + "' is not a port GUID or ALL, ALL_CAS, ALL_SWITCHES, ALL_ROUTERS, SELF, NONE");
      m.guid = *g;
    }
    s.members.push_back(m);
    return {};
  }

  Result<void> group(const Piece& g, Statement& s) {
    const auto parts = split(g, ',');
    const auto [key, gid, has_gid] = detail::key_value(parts[0].text);
    const std::size_t at = first_char(parts[0]);
    GroupRule r;
    r.line = lines_.at(at);
    r.flags = s.flags;  // the partition's, unless the line says otherwise
    auto mgid = parse_gid(gid);
    if (!mgid || (*mgid)[0] != 0xff) return error(at, "mgid '" + gid + "' is not a multicast GID (ff..::..)");
    r.mgid = *mgid;
    bool scoped = false;
    for (std::size_t k = 1; k < parts.size(); ++k) {
      const auto [fk, fv, has_fv] = detail::key_value(parts[k].text);
      const std::size_t fat = first_char(parts[k]);
      if (fk.empty() && !has_fv) continue;
      auto f = detail::flag_of(fk);
      if (!f) return error(fat, "unknown multicast group flag '" + fk + "' (known: mtu, rate, sl, scope, Q_Key, TClass, FlowLabel)");
      if (*f == Flag::Scope && !scoped) {
        r.flags.scope_mask = 0;  // the line's scopes replace the partition's
        scoped = true;
      }
      if (auto ok = detail::set_flag(r.flags, *f, fv); !ok) return error(fat, ok.error().message);
    }
    s.groups.push_back(r);
    return {};
  }

  /// Statements into partitions: by P_Key, else by name, else a generated P_Key.
  Result<PartitionPolicy> merge(std::vector<Statement> statements) {
    std::set<model::PKey> named;
    for (const Statement& s : statements)
      if (s.pkey) named.insert(*s.pkey);
    std::map<model::PKey, PartitionRule> parts;
    std::map<model::PKey, unsigned> explicit_flags;
    std::map<model::PKey, std::size_t> flags_line;
    std::map<model::PKey, std::set<detail::MemberKey>> seen_members;
    parts.emplace(model::default_pkey, detail::implicit_default());
    for (const MemberRule& m : parts[model::default_pkey].members) seen_members[model::default_pkey].insert(detail::member_key(m));
    model::PKey next = 0;
    for (Statement& s : statements) {
      model::PKey key = 0;
      bool generated = false;
      if (s.pkey) {
        key = *s.pkey;
      } else {
        for (const auto& [k, p] : parts)
          if (p.name == s.name) {
            key = k;
            break;
          }
        if (!key) {
          do ++next;
          while (next < model::default_pkey && (named.count(next) || parts.count(next)));
          if (next >= model::default_pkey) return error_at_line(s.line, "no P_Key left to generate for " + s.name);
          key = next;
          generated = true;
        }
      }
      if (auto e = detail::fill_group_pkeys(s.groups, key)) return error_at_line(e->line, e->what);
      auto [it, fresh] = parts.try_emplace(key);
      PartitionRule& p = it->second;
      unsigned& have = explicit_flags[key];
      if (fresh) {
        p.name = s.name;
        p.pkey = key;
        p.pkey_generated = generated;
        p.line = s.line;
        p.flags = s.flags;
      } else {
        if (p.name.empty()) p.name = s.name;
        if (p.line == 0) p.line = s.line;
        const unsigned both = have & s.explicit_flags;
        if (auto f = detail::first_difference(p.flags, s.flags, both))
          return error_at_line(s.line, "partition " + model::format_pkey(key) + " is defined at line " +
                                           std::to_string(flags_line[key]) + " with " + detail::describe(p.flags, *f) +
                                           ", here with " + detail::describe(s.flags, *f));
        detail::adopt(p.flags, s.flags, s.explicit_flags & ~have);
      }
      if (s.explicit_flags && !flags_line.count(key)) flags_line[key] = s.line;
      have |= s.explicit_flags;
      p.ipoib |= s.ipoib;
      p.indx0 |= s.indx0;
      // A member rule written again adds nothing (OpenSM's own default
      // rules are often repeated in files).
      auto& known = seen_members[key];
      for (const MemberRule& m : s.members)
        if (known.insert(detail::member_key(m)).second) p.members.push_back(m);
      for (const GroupRule& g : s.groups) {
        for (const auto& [k, other] : parts)
          for (const GroupRule& o : other.groups)
            if (o.mgid == g.mgid)
              return error_at_line(g.line, "mgid " + format_gid(g.mgid) + " is listed twice (also at line " +
                                               std::to_string(o.line) + ")");
        p.groups.push_back(g);
      }
    }
    PartitionPolicy out;
    for (auto& [k, p] : parts) {
      if (auto e = detail::check_ip_groups(p)) return error_at_line(e->line, e->what);
      out.partitions.push_back(std::move(p));
    }
    return out;
  }

  std::string clean_;
  Lines lines_;
  std::string_view source_;
};

} // namespace

Result<PartitionPolicy> parse_partitions_conf(std::string_view text, std::string_view source) {
  if (text.size() > max_text)
    return fail(errc::limit_exceeded, std::string(source) + ": " + std::to_string(text.size()) +
                                          " bytes, more than the limit of " + std::to_string(max_text));
  return Parser(text, source).run();
}

Result<PartitionPolicy> read_partitions_conf(const std::filesystem::path& path) {
  ofmf::detail::Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.fd < 0) return ofmf::detail::io_failure("cannot read", path, errno);
  std::string text;
  if (int err = ofmf::detail::read_all(fd.fd, max_text, text)) return ofmf::detail::io_failure("cannot read", path, err);
  return parse_partitions_conf(text, path.string());
}

std::string format_partitions_conf(const PartitionPolicy& policy) {
  std::string out;
  for (const PartitionRule& p : policy.partitions) {
    out += p.name.empty() ? "" : p.name;
    out += "=" + model::format_pkey(p.pkey);
    if (p.ipoib) out += ",ipoib";
    if (p.indx0) out += ",indx0";
    out += detail::format_flags(p.flags, GroupFlags{});
    out += " :";
    const char* sep = " ";
    for (const MemberRule& m : p.members) {
      out += sep;
      out += m.kind == MemberKind::Port ? model::format_guid(m.guid) : std::string(to_string(m.kind));
      out += "=";
      out += to_string(m.membership);
      sep = ", ";
    }
    // A group takes the rest of its line; the first follows the members
    // after a comma.
    for (const GroupRule& g : p.groups) {
      if (!p.members.empty() && &g == &p.groups.front()) out += ",";
      out += "\n  mgid=" + format_gid(g.mgid) + detail::format_flags(g.flags, p.flags) + "\n";
    }
    out += " ;\n";
  }
  return out;
}

} // namespace ofmf::sm
