// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// `ofmfctl sm`: a subnet manager on a backend. Discovers the fabric,
// routes it (an engine chain), programs LIDs, forwarding tables, P_Key
// tables and port states, reads everything back, then (unless --once)
// sweeps again every --interval seconds and, when links or nodes changed,
// reroutes incrementally and programs only the changed LFT blocks.
//
// Partitions (--partitions FILE) use a subset of OpenSM's partitions.conf:
//
//   # comment to the end of the line
//   Name=PKEY[, flag[=value]]... : member[=full|limited], member... ;
//
// * PKEY is hex (0x...) or decimal; the membership bit 0x8000 is ignored
//   (0x8001 and 0x0001 are the same partition); 0 and 0x7fff-with-another-
//   name are refused. A statement may span lines and ends with ';'.
// * Flags: ipoib, mtu=, rate=, sl=, scope=, qkey=, tclass= are accepted and
//   ignored (they concern multicast groups, not P_Key tables);
//   defmember=full|limited sets the membership of members written without
//   one (default: limited, as in OpenSM). Other flags are refused.
// * Members: a port GUID (a channel adapter or router port, or a switch
//   node GUID for its port 0), ALL (every channel-adapter and router port
//   and every switch port 0), ALL_CAS, ALL_SWITCHES, SELF (the port this
//   manager runs on). GUIDs not in the fabric are skipped with a warning
//   (they may come back later). "both" membership is refused.
// * When the file does not define the default partition 0x7fff, every port
//   is made a full member of it (what OpenSM's shipped default
//   "Default=0x7fff : ALL=full ;" gives). Without --partitions no partition
//   is set and the backend programs 0xffff into every port's P_Key table.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "command.hpp"
#include "ofmf/backend/backend.hpp"
#include "ofmf/model/fabric.hpp"
#include "ofmf/model/topology_view.hpp"
#include "ofmf/routing/analysis.hpp"
#include "ofmf/routing/engine.hpp"
#include "ofmf/routing/incremental.hpp"

namespace ofmfctl {
namespace {

namespace backend = ofmf::backend;
namespace model = ofmf::model;
namespace routing = ofmf::routing;
using Clock = std::chrono::steady_clock;
using Json = nlohmann::ordered_json;

// SIGINT/SIGTERM: the session's operations and the wait between sweeps
// end at once (CancelFlag::request() is async-signal-safe).
constinit backend::CancelFlag stop_flag;
void on_stop_signal(int) { stop_flag.request(); }

// Whether `e` is the end of an operation on a signal.
bool stopped(const ofmf::Error& e) { return e.code == ofmf::errc::cancelled; }

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

void warn(const std::string& message) { print_error("warning: " + message); }

// ---------------------------------------------------------------------------
// partitions.conf subset

struct MemberSpec {
  std::string keyword;  // ALL, ALL_CAS, ALL_SWITCHES, SELF; "" for a GUID
  model::Guid guid = 0;
  model::Membership membership = model::Membership::Limited;
  std::size_t line = 0;
};

struct PartitionSpec {
  std::string name;
  model::PKey pkey = 0;
  std::vector<MemberSpec> members;
  std::size_t line = 0;
};

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::optional<std::uint64_t> parse_number(const std::string& s) {
  if (s.empty()) return std::nullopt;
  std::size_t end = 0;
  try {
    const std::uint64_t v = std::stoull(s, &end, 0);
    if (end != s.size() || s[0] == '-' || s[0] == '+') return std::nullopt;
    return v;
  } catch (...) {
    return std::nullopt;
  }
}

// Items of stmt[begin, end) separated by ',', each with the line it starts
// on (`line` = line of stmt[0]).
std::vector<std::pair<std::string, std::size_t>> split_items(const std::string& stmt, std::size_t begin,
                                                              std::size_t end, std::size_t line) {
  std::vector<std::pair<std::string, std::size_t>> out;
  std::size_t start = begin;
  for (std::size_t i = begin; i <= end; ++i) {
    if (i < end && stmt[i] != ',') continue;
    std::size_t first = stmt.find_first_not_of(" \t\r\n", start);
    if (first == std::string::npos || first > i) first = start;
    const std::size_t l = line + std::size_t(std::count(stmt.begin(), stmt.begin() + std::ptrdiff_t(first), '\n'));
    out.emplace_back(trim(std::string_view(stmt).substr(start, i - start)), l);
    start = i + 1;
  }
  return out;
}

ofmf::Result<std::vector<PartitionSpec>> parse_partitions(const std::string& text, const std::string& source) {
  // Comments out; statements split at ';' keeping the line numbers.
  std::string clean;
  clean.reserve(text.size());
  bool comment = false;
  for (char c : text) {
    if (c == '\n') comment = false;
    else if (c == '#') comment = true;
    clean += (comment && c != '\n') ? ' ' : c;
  }
  std::vector<PartitionSpec> out;
  std::set<model::PKey> seen;
  std::size_t line = 1, start = 0;
  auto where = [&](std::size_t l) { return source + ":" + std::to_string(l) + ": "; };
  for (std::size_t i = 0; i <= clean.size(); ++i) {
    if (i < clean.size() && clean[i] != ';') continue;
    const std::string stmt = clean.substr(start, i - start);
    const std::size_t newlines = std::size_t(std::count(stmt.begin(), stmt.end(), '\n'));
    const std::size_t first = stmt.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
      if (i == clean.size()) break;
      line += newlines;
      start = i + 1;
      continue;
    }
    const std::size_t first_line =
        line + std::size_t(std::count(stmt.begin(), stmt.begin() + std::ptrdiff_t(first), '\n'));
    if (i == clean.size()) return ofmf::fail(ofmf::errc::parse_error, where(first_line) + "statement does not end with ';'");
    const auto colon = stmt.find(':');
    if (colon == std::string::npos)
      return ofmf::fail(ofmf::errc::parse_error, where(first_line) + "expected 'Name=PKey : members ;'");
    PartitionSpec p;
    p.line = first_line;
    model::Membership defmember = model::Membership::Limited;
    const auto head = split_items(stmt, 0, colon, line);
    const auto eq = head[0].first.find('=');
    if (eq == std::string::npos)
      return ofmf::fail(ofmf::errc::parse_error, where(head[0].second) + "partition \"" + head[0].first +
                                                     "\" has no P_Key (expected Name=0x8001)");
    p.name = trim(std::string_view(head[0].first).substr(0, eq));
    const auto pk = parse_number(trim(std::string_view(head[0].first).substr(eq + 1)));
    if (p.name.empty() || !pk || (*pk & 0x7fff) == 0 || *pk > 0xffff)
      return ofmf::fail(ofmf::errc::parse_error, where(head[0].second) + "bad partition \"" + head[0].first +
                                                     "\" (expected Name=PKey, PKey 0x0001..0xffff)");
    p.pkey = model::PKey(*pk & 0x7fff);
    if (p.name.size() > 64) return ofmf::fail(ofmf::errc::parse_error, where(p.line) + "partition name over 64 bytes");
    if (!seen.insert(p.pkey).second)
      return ofmf::fail(ofmf::errc::parse_error, where(p.line) + "P_Key " + model::format_pkey(p.pkey) + " defined twice");
    for (std::size_t k = 1; k < head.size(); ++k) {
      const std::string& f = head[k].first;
      const auto e = f.find('=');
      const std::string key = trim(std::string_view(f).substr(0, e));
      const std::string value = e == std::string::npos ? "" : trim(std::string_view(f).substr(e + 1));
      static const std::set<std::string> ignored{"ipoib", "mtu", "rate", "sl", "scope", "qkey", "tclass"};
      if (key == "defmember") {
        if (value == "full") defmember = model::Membership::Full;
        else if (value == "limited") defmember = model::Membership::Limited;
        else return ofmf::fail(ofmf::errc::parse_error, where(head[k].second) + "defmember must be full or limited");
      } else if (!ignored.count(key)) {
        return ofmf::fail(ofmf::errc::parse_error, where(head[k].second) + "unknown partition flag \"" + key +
                                                       "\" (known: ipoib, mtu, rate, sl, scope, qkey, tclass, defmember)");
      }
    }
    const auto body = split_items(stmt, colon + 1, stmt.size(), line);
    for (const auto& [item, l] : body) {
      if (item.empty()) {
        if (body.size() == 1) break;  // "Name=PKey : ;" - no members
        return ofmf::fail(ofmf::errc::parse_error, where(l) + "empty member");
      }
      MemberSpec m;
      m.line = l;
      m.membership = defmember;
      const auto e = item.find('=');
      const std::string who = trim(std::string_view(item).substr(0, e));
      if (e != std::string::npos) {
        const std::string how = trim(std::string_view(item).substr(e + 1));
        if (how == "full") m.membership = model::Membership::Full;
        else if (how == "limited") m.membership = model::Membership::Limited;
        else
          return ofmf::fail(ofmf::errc::parse_error, where(l) + "membership \"" + how +
                                                         "\" of " + who + " is not full or limited");
      }
      if (who == "ALL" || who == "ALL_CAS" || who == "ALL_SWITCHES" || who == "SELF") {
        m.keyword = who;
      } else {
        const auto g = parse_number(who);
        if (!g || *g == 0)
          return ofmf::fail(ofmf::errc::parse_error, where(l) + "member \"" + who +
                                                         "\" is not a GUID or ALL, ALL_CAS, ALL_SWITCHES, SELF");
        m.guid = *g;
      }
      p.members.push_back(m);
    }
    out.push_back(std::move(p));
    line += newlines;
    start = i + 1;
  }
  return out;
}

// The partitions of `specs` on the ports `fabric` has.
std::vector<model::Partition> resolve_partitions(const std::vector<PartitionSpec>& specs, const model::Fabric& fabric,
                                                 model::Guid self, std::vector<std::string>& warnings) {
  std::vector<model::Guid> cas, switches;
  for (model::NodeId id : fabric.nodes()) {
    const auto n = fabric.node(id);
    if (!n) continue;
    if (n->type == model::NodeType::Switch) {
      switches.push_back(n->guid);
      continue;
    }
    for (std::size_t p = 1; p < n->ports.size(); ++p) cas.push_back(n->ports[p].attributes.guid);
  }
  auto build = [&](const PartitionSpec& s) {
    model::Partition part;
    part.pkey = s.pkey;
    part.name = s.name;
    std::map<model::Guid, std::size_t> at;  // later entries win
    auto add = [&](model::Guid g, model::Membership m) {
      if (auto [it, fresh] = at.emplace(g, part.members.size()); !fresh)
        part.members[it->second].membership = m;
      else
        part.members.push_back({g, m});
    };
    for (const MemberSpec& m : s.members) {
      if (m.keyword == "ALL" || m.keyword == "ALL_CAS")
        for (model::Guid g : cas) add(g, m.membership);
      if (m.keyword == "ALL" || m.keyword == "ALL_SWITCHES")
        for (model::Guid g : switches) add(g, m.membership);
      if (m.keyword == "SELF" && self != 0) add(self, m.membership);
      if (!m.keyword.empty()) continue;
      if (!fabric.find_port(m.guid)) {
        warnings.push_back("partition " + s.name + " (" + model::format_pkey(s.pkey) + "): port " +
                           model::format_guid(m.guid) + " is not in the fabric; skipped");
        continue;
      }
      add(m.guid, m.membership);
    }
    return part;
  };
  std::vector<model::Partition> out;
  bool have_default = false;
  for (const PartitionSpec& s : specs) {
    have_default |= s.pkey == model::default_pkey;
    out.push_back(build(s));
  }
  if (!have_default) {
    PartitionSpec d{"Default", model::default_pkey, {{"ALL", 0, model::Membership::Full, 0}}, 0};
    out.insert(out.begin(), build(d));
  }
  return out;
}

// ---------------------------------------------------------------------------
// change detection between two discoveries

using LinkKey = std::tuple<model::Guid, model::PortNum, model::Guid, model::PortNum>;

struct Shape {
  std::map<model::Guid, std::string> nodes;  // GUID -> description
  std::set<LinkKey> links;
  /// State of every linked port (as discovered; Active once programmed).
  std::map<std::pair<model::Guid, model::PortNum>, model::PortState> states;
  /// After programming: every linked port is expected Active.
  void assume_active() {
    for (auto& [port, state] : states) state = model::PortState::Active;
  }
};

Shape shape_of(const model::Fabric& f) {
  Shape s;
  for (model::NodeId id : f.nodes()) s.nodes.emplace(*f.guid(id), f.node(id) ? f.node(id)->description : "");
  for (const model::Link& l : f.links()) {
    LinkKey a{*f.guid(l.a.node), l.a.port, *f.guid(l.b.node), l.b.port};
    LinkKey b{*f.guid(l.b.node), l.b.port, *f.guid(l.a.node), l.a.port};
    s.links.insert(std::min(a, b));
  }
  for (model::NodeId id : f.nodes()) {
    const auto n = f.node(id);
    if (!n) continue;
    for (std::size_t p = 1; p < n->ports.size(); ++p)
      if (n->ports[p].peer) s.states[{n->guid, model::PortNum(p)}] = n->ports[p].attributes.state;
  }
  return s;
}

std::string end_name(const Shape& s, model::Guid g, model::PortNum p) {
  const auto it = s.nodes.find(g);
  std::string n = model::format_guid(g);
  if (it != s.nodes.end() && !it->second.empty()) n += " \"" + it->second + "\"";
  return n + "[" + std::to_string(p) + "]";
}

// Human-readable list of what differs from `before` to `after`.
std::vector<std::string> changes_between(const Shape& before, const Shape& after) {
  std::vector<std::string> out;
  for (const auto& [g, d] : before.nodes)
    if (!after.nodes.count(g)) out.push_back("node gone: " + model::format_guid(g) + " \"" + d + "\"");
  for (const auto& [g, d] : after.nodes)
    if (!before.nodes.count(g)) out.push_back("node new: " + model::format_guid(g) + " \"" + d + "\"");
  for (const LinkKey& l : before.links)
    if (!after.links.count(l))
      out.push_back("link down: " + end_name(before, std::get<0>(l), std::get<1>(l)) + " - " +
                    end_name(before, std::get<2>(l), std::get<3>(l)));
  for (const LinkKey& l : after.links)
    if (!before.links.count(l))
      out.push_back("link up: " + end_name(after, std::get<0>(l), std::get<1>(l)) + " - " +
                    end_name(after, std::get<2>(l), std::get<3>(l)));
  return out;
}

// Linked ports of `after` that are not Active (a reset brought them back
// Down -> Init, or they stopped half way), with their state in `before`.
std::vector<std::string> inactive_ports(const Shape& before, const Shape& after) {
  std::vector<std::string> out;
  for (const auto& [port, state] : after.states) {
    if (state == model::PortState::Active) continue;
    std::string line = "port " + std::string(model::to_string(state)) + ": " + end_name(after, port.first, port.second);
    if (const auto it = before.states.find(port); it != before.states.end())
      line += " (was " + std::string(model::to_string(it->second)) + ")";
    out.push_back(std::move(line));
  }
  return out;
}

// ---------------------------------------------------------------------------
// the command

struct SmOptions {
  BackendOptions backend;
  std::string engine = "ftree,updn,minhop";
  std::string partitions;
  unsigned lmc = 0;
  std::vector<std::string> roots;
  bool once = false;
  double interval = 10;
  unsigned max_sweeps = 0;
  bool no_verify = false;
  bool counters = false;
  bool check = false;
  bool json = false;
};

// One lost answer for people: "h8" port 1 PortInfo, or what lies behind a port.
std::string lost_name(const backend::LostAnswer& l) {
  std::string n = model::format_guid(l.node);
  if (!l.description.empty()) n = "\"" + l.description + "\"";
  if (l.behind) return "behind " + n + "[" + std::to_string(l.port) + "] (NodeInfo)";
  if (l.attribute == "PortInfo") return n + "[" + std::to_string(l.port) + "] (PortInfo)";
  return n + " (" + l.attribute + ")";
}

std::string kept_name(const backend::KeptNode& k) {
  return (k.description.empty() ? model::format_guid(k.guid) : "\"" + k.description + "\"") + " (" +
         std::to_string(k.unanswered) + " unanswered)";
}

template <class T, class Name>
std::string name_list(const std::vector<T>& items, Name name, std::size_t max = 10) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < max; ++i) out += (i ? ", " : "") + name(items[i]);
  if (items.size() > max) out += ", ... (" + std::to_string(items.size() - max) + " more)";
  return out;
}

Json statistics_json(const backend::Statistics& s) {
  return Json{{"sent", s.sent},         {"received", s.received}, {"retries", s.retries},
              {"timeouts", s.timeouts}, {"rejected", s.rejected}, {"elapsed_ms", s.elapsed_ms}};
}

Json problems_json(const std::vector<backend::Problem>& problems, std::size_t max = 20) {
  Json a = Json::array();
  for (std::size_t i = 0; i < problems.size() && i < max; ++i)
    a.push_back({{"where", problems[i].where}, {"error", problems[i].error.message}});
  return a;
}

std::string counts(const model::Fabric& f) {
  std::size_t sw = f.switch_count();
  return std::to_string(f.node_count()) + " nodes (" + std::to_string(sw) + " switches, " +
         std::to_string(f.node_count() - sw) + " channel adapters/routers), " + std::to_string(f.link_count()) +
         " links";
}

struct Sweep {
  unsigned number = 0;
  Json j;               // the JSON record of this sweep
  std::string text;     // the text report
  void line(const std::string& key, const std::string& value) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%-19s", (key + ":").c_str());
    text += buf + value + "\n";
  }
};

std::string fmt_ms(double ms) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.1f ms", ms);
  return buf;
}

void describe_apply(Sweep& s, const backend::ApplyReport& r) {
  s.j["apply"] = {{"lids_set", r.lids_set},
                  {"lft_blocks", r.lft_blocks},
                  {"pkey_blocks", r.pkey_blocks},
                  {"sl2vl_tables", r.sl2vl_tables},
                  {"ports_activated", r.ports_activated},
                  {"verified", r.verified},
                  {"problem_count", r.problems.size()},
                  {"problems", problems_json(r.problems)},
                  {"statistics", statistics_json(r.statistics)}};
  s.line("programmed", std::to_string(r.lids_set) + " LIDs, " + std::to_string(r.lft_blocks) + " LFT blocks, " +
                           std::to_string(r.pkey_blocks) + " P_Key blocks, " + std::to_string(r.sl2vl_tables) +
                           " SL2VL tables, " + std::to_string(r.ports_activated) + " ports activated (" +
                           fmt_ms(r.statistics.elapsed_ms) + ", " + std::to_string(r.statistics.sent) + " MADs, " +
                           std::to_string(r.statistics.retries) + " retries)");
  s.line("verified", std::to_string(r.verified) + " items read back equal, " + std::to_string(r.problems.size()) +
                         " problems");
  for (std::size_t i = 0; i < r.problems.size() && i < 10; ++i)
    s.line("  problem", r.problems[i].where + ": " + r.problems[i].error.message);
}

void describe_discover(Sweep& s, const backend::TopologyDelta& d) {
  Json lost = Json::array();  // the first 100; lost_count has them all
  for (std::size_t i = 0; i < d.lost.size() && i < 100; ++i) {
    const backend::LostAnswer& l = d.lost[i];
    lost.push_back({{"node", model::format_guid(l.node)},
                    {"description", l.description},
                    {"port", l.port},
                    {"attribute", l.attribute},
                    {"behind", l.behind},
                    {"path", l.path}});
  }
  Json kept = Json::array();
  for (const backend::KeptNode& k : d.kept)
    kept.push_back({{"node", model::format_guid(k.guid)}, {"description", k.description}, {"unanswered", k.unanswered}});
  s.j["discover"] = {{"nodes", d.fabric.node_count()},
                     {"switches", d.fabric.switch_count()},
                     {"links", d.fabric.link_count()},
                     {"local_port_guid", model::format_guid(d.local_port_guid)},
                     {"problem_count", d.problems.size()},
                     {"problems", problems_json(d.problems)},
                     {"lost_count", d.lost.size()},
                     {"lost", lost},
                     {"kept", kept},
                     {"kept_links", d.kept_links},
                     {"kept_ports", d.kept_ports},
                     {"statistics", statistics_json(d.statistics)}};
  s.line("discovered", counts(d.fabric) + ", " + std::to_string(d.problems.size()) + " problems (" +
                           fmt_ms(d.statistics.elapsed_ms) + ", " + std::to_string(d.statistics.sent) + " MADs, " +
                           std::to_string(d.statistics.retries) + " retries)");
  if (!d.lost.empty()) s.line("lost answers", std::to_string(d.lost.size()) + ": " + name_list(d.lost, lost_name));
  if (!d.kept.empty() || d.kept_links != 0 || d.kept_ports != 0)
    s.line("kept as last seen", std::to_string(d.kept.size()) + " nodes, " + std::to_string(d.kept_links) +
                                    " links, " + std::to_string(d.kept_ports) + " ports" +
                                    (d.kept.empty() ? "" : ": " + name_list(d.kept, kept_name)));
  for (std::size_t i = 0; i < d.problems.size() && i < 10; ++i)
    s.line("  problem", d.problems[i].where + ": " + d.problems[i].error.message);
}

void read_counters(Sweep& s, backend::Session& session, model::Fabric& fabric) {
  const auto t0 = Clock::now();
  auto r = session.read_counters(fabric);
  if (!r && stopped(r.error())) return;  // the loop ends on the signal
  if (!r) {
    s.j["counters"] = {{"error", r.error().message}};
    s.line("counters", "not read: " + r.error().message);
    return;
  }
  std::size_t ports = 0;
  model::PortCounters sum;
  for (model::NodeId id : fabric.nodes()) {
    const auto n = fabric.node(id);
    for (std::size_t p = 0; n && p < n->ports.size(); ++p) {
      const auto c = fabric.counters({id, model::PortNum(p)});
      if (!c) continue;
      ++ports;
      sum.tx_bytes += c->tx_bytes;
      sum.rx_bytes += c->rx_bytes;
      sum.symbol_errors += c->symbol_errors;
      sum.link_downed += c->link_downed;
      sum.rx_errors += c->rx_errors;
      sum.tx_discards += c->tx_discards;
    }
  }
  s.j["counters"] = {{"ports", ports},
                     {"tx_bytes", sum.tx_bytes},
                     {"rx_bytes", sum.rx_bytes},
                     {"symbol_errors", sum.symbol_errors},
                     {"link_downed", sum.link_downed},
                     {"rx_errors", sum.rx_errors},
                     {"tx_discards", sum.tx_discards},
                     {"problem_count", r->size()},
                     {"problems", problems_json(*r)},
                     {"elapsed_ms", ms_since(t0)}};
  s.line("counters", std::to_string(ports) + " ports read, " + std::to_string(r->size()) + " problems (tx " +
                         std::to_string(sum.tx_bytes) + " B, rx " + std::to_string(sum.rx_bytes) + " B, link downed " +
                         std::to_string(sum.link_downed) + ", symbol errors " + std::to_string(sum.symbol_errors) +
                         ") in " + fmt_ms(ms_since(t0)));
}

void check_routes(Sweep& s, const model::TopologyView& view, const routing::RouteTable& table) {
  const auto analysis = routing::analyze(view, table);
  if (!analysis) {
    s.j["check"] = {{"error", analysis.error().message}};
    s.line("reachability", "not checked: " + analysis.error().message);
    return;
  }
  const routing::Analysis& a = *analysis;
  s.j["check"] = {{"endpoint_ports", a.endpoint_ports},
                  {"pairs", a.pairs},
                  {"unreachable", a.unreachable},
                  {"loops", a.loops},
                  {"complete", a.complete()}};
  s.line("reachability", std::to_string(a.pairs) + " endpoint pairs, " + std::to_string(a.unreachable) +
                             " unreachable, " + std::to_string(a.loops) + " loops" +
                             (a.complete() ? " (every pair reachable)" : ""));
}

int emit(const Sweep& s, bool json) {
  if (json) return write_stdout(s.j.dump(-1, ' ', false, json_replace_invalid_utf8) + "\n");
  return write_stdout("== sweep " + std::to_string(s.number) + "\n" + s.text);
}

// Applies the partitions of the file to a freshly discovered fabric.
int set_partitions(model::Fabric& fabric, const std::vector<PartitionSpec>& specs, model::Guid self) {
  std::vector<std::string> warnings;
  for (const model::Partition& p : resolve_partitions(specs, fabric, self, warnings))
    if (auto r = fabric.set_partition(p); !r) return report(r.error());
  for (const std::string& w : warnings) warn(w);
  return exit_ok;
}

bool problems_fatal(const backend::ApplyReport& r) { return !r.problems.empty(); }

int run_sm(const SmOptions& o) {
  const auto t_start = Clock::now();
  std::vector<PartitionSpec> specs;
  if (!o.partitions.empty()) {
    std::ifstream in(o.partitions, std::ios::binary);
    if (!in) {
      print_error("cannot read " + o.partitions);
      return exit_io;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    auto parsed = parse_partitions(ss.str(), o.partitions);
    if (!parsed) return report(parsed.error());
    specs = std::move(*parsed);
  }
  auto registry = routing::EngineRegistry::builtin();
  routing::Options ro;
  ro.lmc = std::uint8_t(o.lmc);
  for (const std::string& r : o.roots) ro.roots.push_back(std::stoull(r, nullptr, 0));

  auto opened = open_session(o.backend, &stop_flag);
  if (!opened) return report(opened.error());
  backend::Session* const session = opened->session.get();

  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);

  // ---- first sweep: discover, route, program, verify
  Sweep s;
  s.number = 1;
  s.j["sweep"] = 1;
  s.j["backend"] = opened->backend;
  auto d = session->discover();
  if (!d) return stopped(d.error()) ? exit_ok : report(d.error());
  describe_discover(s, *d);
  model::Fabric fabric = std::move(d->fabric);
  const model::Guid self = d->local_port_guid;
  if (!specs.empty())
    if (int rc = set_partitions(fabric, specs, self); rc != exit_ok) return rc;
  auto view = fabric.snapshot();
  auto t0 = Clock::now();
  auto table = routing::compute_chain(registry, o.engine, *view, ro);
  if (!table) return report(table.error());
  const double route_ms = ms_since(t0);
  std::size_t lids = 0;
  for (std::uint32_t l = 1; l <= table->max_lid(); ++l) lids += table->owner(l).valid();
  Json skipped = Json::array();
  for (const auto& k : table->skipped()) skipped.push_back({{"engine", k.engine}, {"reason", k.error.message}});
  s.j["route"] = {{"engine", table->engine()}, {"skipped", skipped},   {"elapsed_ms", route_ms},
                  {"lids", lids},              {"max_lid", table->max_lid()}, {"lmc", table->lmc()}};
  s.line("engine", table->engine());
  for (const auto& k : table->skipped()) s.line("skipped", k.engine + " (" + k.error.message + ")");
  s.line("routed", std::to_string(lids) + " LIDs (max LID " + std::to_string(table->max_lid()) + "), " +
                       std::to_string(table->switch_count()) + " switches x " + std::to_string(table->block_count()) +
                       " LFT blocks in " + fmt_ms(route_ms));
  backend::ApplyOptions ao;
  ao.verify = !o.no_verify;
  auto applied = session->apply(fabric, *table, ao);
  if (!applied) return stopped(applied.error()) ? exit_ok : report(applied.error());
  describe_apply(s, *applied);
  const double up_ms = ms_since(t_start);
  s.j["subnet_up_ms"] = up_ms;
  s.line("subnet up", fmt_ms(up_ms) + " from start (discover, route, program" + (ao.verify ? ", verify)" : ")"));
  if (auto r = routing::store_lids(fabric, *view, *table); !r) return report(r.error());
  view = fabric.snapshot();
  if (o.check) check_routes(s, *view, *table);
  if (o.counters) read_counters(s, *session, fabric);
  if (int rc = emit(s, o.json); rc != exit_ok) return rc;
  int status = problems_fatal(*applied) ? exit_failed : exit_ok;
  if (o.once) return status;

  // ---- later sweeps
  Shape shape = shape_of(fabric);
  shape.assume_active();
  bool local_down = false;  // the SM's own port read Down at the latest sweep
  for (unsigned n = 2; !stop_flag.requested() && (o.max_sweeps == 0 || n <= o.max_sweeps); ++n) {
    const auto wake = Clock::now() + std::chrono::duration<double>(o.interval);
    while (!stop_flag.requested() && Clock::now() < wake) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (stop_flag.requested()) break;
    Sweep w;
    w.number = n;
    w.j["sweep"] = n;
    auto nd = session->discover();
    if (!nd && stopped(nd.error())) break;  // a sweep cut short by a signal is not reported
    if (!nd && nd.error().code == ofmf::errc::unavailable) {
      // The SM's own port is down: said once (and once when it is up
      // again), not as every node gone at every sweep. The fabric keeps
      // what was programmed; nothing is rerouted meanwhile.
      if (local_down) continue;
      local_down = true;
      w.j["local_port"] = {{"state", "down"}, {"message", nd.error().message}};
      w.line("local port", "down (" + nd.error().message + "); sweeping on quietly until it is up");
      if (int rc = emit(w, o.json); rc != exit_ok) return rc;
      continue;
    }
    if (nd && local_down) {
      local_down = false;
      w.j["local_port"] = {{"state", "up"}};
      w.line("local port", "up again");
    }
    if (!nd) {
      // A failed sweep is reported and the next one tried.
      w.j["error"] = nd.error().message;
      w.line("discover failed", nd.error().message);
      if (int rc = emit(w, o.json); rc != exit_ok) return rc;
      status = exit_failed;
      continue;
    }
    describe_discover(w, *nd);
    model::Fabric next = std::move(nd->fabric);
    Shape next_shape = shape_of(next);
    const auto changes = changes_between(shape, next_shape);
    w.j["changes"] = changes;
    const auto inactive = inactive_ports(shape, next_shape);
    if (changes.empty() && !inactive.empty()) {
      // Same topology, but ports fell back (Down -> Init after a reset):
      // bring them to Active again with the tables in use. An `only` entry
      // without blocks writes no LFT block; LIDs are set where lost.
      w.j["port_changes"] = inactive;
      for (const std::string& c : inactive) w.line("change", c);
      std::vector<routing::SwitchBlocks> no_blocks;
      if (table->switch_count() > 0) no_blocks.push_back({table->switch_guid(0), 0, {}});
      backend::ApplyOptions reactivate;
      reactivate.verify = !o.no_verify;
      reactivate.only = no_blocks;
      reactivate.program_pkeys = false;
      reactivate.program_sl2vl = false;
      // `fabric` has the same nodes and links as the fresh discovery and is
      // the model `table` was computed on; the session matches by GUID.
      auto r = session->apply(fabric, *table, reactivate);
      if (!r && stopped(r.error())) break;
      if (!r) return report(r.error());
      describe_apply(w, *r);
      if (problems_fatal(*r)) status = exit_failed;
      shape = std::move(next_shape);
      shape.assume_active();
      if (o.counters) read_counters(w, *session, fabric);
      if (int rc = emit(w, o.json); rc != exit_ok) return rc;
      continue;
    }
    if (changes.empty()) {
      w.line("changes", "none");
      if (o.counters) {
        // Keep the model current: counters go into the fabric in use.
        read_counters(w, *session, fabric);
      }
      if (int rc = emit(w, o.json); rc != exit_ok) return rc;
      continue;
    }
    for (const std::string& c : changes) w.line("change", c);
    if (!specs.empty())
      if (int rc = set_partitions(next, specs, self); rc != exit_ok) return rc;
    auto next_view = next.snapshot();
    auto engine = registry.create(table->engine());
    if (!engine) return report(engine.error());
    t0 = Clock::now();
    auto rr = routing::reroute(**engine, *view, *table, *next_view, ro);
    if (!rr) {
      w.j["error"] = rr.error().message;
      w.line("reroute failed", rr.error().message);
      if (int rc = emit(w, o.json); rc != exit_ok) return rc;
      status = exit_failed;
      continue;
    }
    std::size_t blocks = 0;
    for (const routing::SwitchBlocks& sb : rr->delta) blocks += sb.blocks.size();
    w.j["reroute"] = {{"engine", rr->table.engine()},
                      {"incremental", rr->incremental},
                      {"full_reason", rr->full_reason},
                      {"affected_lids", rr->affected_lids},
                      {"switches", rr->delta.size()},
                      {"blocks", blocks},
                      {"elapsed_ms", ms_since(t0)}};
    w.line("rerouted", std::string(rr->incremental ? "incrementally (" + std::to_string(rr->affected_lids) +
                                                         " affected LIDs)"
                                                   : "in full (" + rr->full_reason + ")") +
                           ", " + std::to_string(blocks) + " changed LFT blocks on " +
                           std::to_string(rr->delta.size()) + " switches in " + fmt_ms(ms_since(t0)));
    backend::ApplyOptions delta_options;
    delta_options.verify = !o.no_verify;
    delta_options.only = rr->delta;
    // P_Key tables only need programming on ports that are new to the fabric.
    bool grew = false;
    for (const auto& [g, desc] : next_shape.nodes) grew |= !shape.nodes.count(g);
    for (const LinkKey& l : next_shape.links) grew |= !shape.links.count(l);
    delta_options.program_pkeys = grew;
    delta_options.program_sl2vl = grew;
    if (!rr->delta.empty() || grew) {
      auto r = session->apply(next, rr->table, delta_options);
      if (!r && stopped(r.error())) break;
      if (!r) return report(r.error());
      describe_apply(w, *r);
      if (problems_fatal(*r)) status = exit_failed;
    } else {
      w.line("programmed", "nothing (no LFT block changed)");
    }
    if (auto r = routing::store_lids(next, *next_view, rr->table); !r) return report(r.error());
    fabric = std::move(next);
    view = fabric.snapshot();
    table = std::move(rr->table);
    shape = std::move(next_shape);
    shape.assume_active();
    if (!inactive.empty()) w.j["port_changes"] = inactive;
    if (o.check) check_routes(w, *view, *table);
    if (o.counters) read_counters(w, *session, fabric);
    if (int rc = emit(w, o.json); rc != exit_ok) return rc;
  }
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  return status;
}

} // namespace

void register_sm(CLI::App& app, Context& context) {
  auto o = std::make_shared<SmOptions>();
  CLI::App* cmd = app.add_subcommand(
      "sm", "Subnet manager: discover, route, program and verify the fabric, then resweep on changes");
  add_backend_options(*cmd, o->backend);
  cmd->add_option("--engine", o->engine, "Routing engine chain, tried in order")->capture_default_str();
  cmd->add_option("--partitions", o->partitions,
                  "Partitions file, a subset of OpenSM's partitions.conf: 'Name=PKEY[,flag...] : GUID|ALL|ALL_CAS|"
                  "ALL_SWITCHES|SELF[=full|limited], ... ;' (default partition 0x7fff added, all full, unless given)");
  cmd->add_option("--lmc", o->lmc, "LID mask control of endpoint ports")->capture_default_str()->check(CLI::Range(0, 7));
  cmd->add_option("--root", o->roots, "Root switch GUID (updn, ftree); repeatable")
      ->check(CLI::Validator(
          [](std::string& s) { return parse_number(s) ? std::string() : "bad GUID '" + s + "'"; }, "GUID"));
  cmd->add_flag("--once", o->once, "Program once and exit (no resweeps)");
  cmd->add_option("--interval", o->interval, "Seconds between sweeps")->capture_default_str()->check(CLI::Range(0.0, 86400.0));
  cmd->add_option("--max-sweeps", o->max_sweeps, "Stop after this many sweeps, the first included (0 = until a signal)")
      ->capture_default_str();
  cmd->add_flag("--no-verify", o->no_verify, "Do not read back what was programmed");
  cmd->add_flag("--counters", o->counters, "Read the port counters after each sweep");
  cmd->add_flag("--check", o->check, "Analyse the programmed routes (reachability of every endpoint pair, loops)");
  cmd->add_flag("--json", o->json, "Print one JSON object per sweep, one per line");
  cmd->add_option("--gone-after", o->backend.gone_after,
                  "Sweeps in a row that must fail to reach a node hidden by lost answers before it counts as gone "
                  "(1 = at the first; a port read Down makes it gone at once)")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1000u));
  cmd->callback([&context, o] { context.run = [o] { return run_sm(*o); }; });
}

} // namespace ofmfctl
