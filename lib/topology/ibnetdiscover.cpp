// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Reader and writer of the text infiniband-diags' `ibnetdiscover` prints.
// The reader is shared with the ibsim netfile (detail::Dialect), whose
// syntax is the same record layout with different defaults.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "detail/records.hpp"
#include "detail/scan.hpp"
#include "ofmf/topology/format.hpp"

namespace ofmf::topology {
namespace detail {
namespace {

using model::Guid;
using model::LinkSpeed;
using model::LinkWidth;
using model::NodeType;

constexpr Guid netfile_switch_guid_base = 0x200000;
constexpr Guid netfile_ca_guid_base = 0x100000;

// One node header with what the lines before it said.
struct NodeLine {
  std::uint32_t line = 0;
  NodeType type = NodeType::Switch;
  unsigned num_ports = 0;
  std::string_view id;
  std::string_view description;
  Guid guid = 0;
  Guid system_guid = 0;
  std::uint32_t vendor_id = 0;
  std::uint16_t device_id = 0;
  std::uint16_t lid = 0;  // switches: base LID of port 0
  std::uint8_t lmc = 0;
  std::uint32_t first_port = 0;  // index into ports
  std::uint32_t port_lines = 0;
};

// One port line.
struct PortLine {
  std::uint32_t line = 0;
  std::uint32_t node = 0;  // index into nodes
  model::PortNum port = 0;
  model::PortNum remote_port = 0;
  bool has_lid = false;  // own "lid N lmc M" (channel adapters, routers)
  bool has_rate = false;
  std::uint8_t lmc = 0;
  std::uint16_t lid = 0;
  LinkWidth width = LinkWidth::X4;
  LinkSpeed speed = LinkSpeed::SDR;
  Guid guid = 0;         // own port GUID in parentheses, 0 = not given
  Guid remote_guid = 0;  // remote port GUID in parentheses, 0 = not given
  std::string_view remote_id;
  std::uint32_t remote = 0;  // index into nodes, set when links are built
};

// Values of the key=value lines before a header.
struct Pending {
  std::uint32_t guid_line = 0;
  NodeType guid_type = NodeType::Switch;
  Guid guid = 0;
  Guid port0_guid = 0;
  Guid system_guid = 0;
  std::uint32_t vendor_id = 0;
  std::uint16_t device_id = 0;
};

struct ViewHash {
  std::size_t operator()(std::string_view s) const noexcept {
    // FNV-1a: IDs are short, this is faster than std::hash's generic path.
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return std::size_t(h ^ (h >> 29));
  }
};

std::string quoted(std::string_view s) {
  std::string out = "\"";
  out.append(s.substr(0, 80));
  if (s.size() > 80) out += "...";
  out += '"';
  return out;
}

std::string_view type_keyword(NodeType t) noexcept {
  switch (t) {
    case NodeType::Switch: return "Switch";
    case NodeType::ChannelAdapter: return "Ca";
    case NodeType::Router: return "Rt";
  }
  return "?";
}
std::string_view guid_key(NodeType t) noexcept {
  switch (t) {
    case NodeType::Switch: return "switchguid";
    case NodeType::ChannelAdapter: return "caguid";
    case NodeType::Router: return "rtguid";
  }
  return "?";
}

// The key=value lines of a node record.
enum class KeyKind { Vend, Dev, Sys, Guid };
struct KeyWord {
  std::string_view prefix;  // "vendid="
  std::string_view name;    // "vendid"
  KeyKind kind;
  NodeType guid_type;  // for KeyKind::Guid
};
constexpr KeyWord key_words[] = {
    {"vendid=", "vendid", KeyKind::Vend, NodeType::Switch},
    {"devid=", "devid", KeyKind::Dev, NodeType::Switch},
    {"sysimgguid=", "sysimgguid", KeyKind::Sys, NodeType::Switch},
    {"switchguid=", "switchguid", KeyKind::Guid, NodeType::Switch},
    {"caguid=", "caguid", KeyKind::Guid, NodeType::ChannelAdapter},
    {"rtguid=", "rtguid", KeyKind::Guid, NodeType::Router},
};

// What a line is, judged from its start.
enum class LineKind { Blank, Port, Header, Key, Other };
struct LineStart {
  LineKind kind = LineKind::Other;
  NodeType type = NodeType::Switch;  // LineKind::Header
  const KeyWord* key = nullptr;      // LineKind::Key
};

// Classifies a line, leaving the cursor after the leading blanks and, for
// a header or a key, after its keyword (a port line: on the '['; other
// lines: after the blanks).
LineStart classify(Cursor& c) noexcept {
  c.skip_blanks();
  if (c.done() || c.peek() == '#') return {LineKind::Blank};
  if (c.peek() == '[') return {LineKind::Port};
  if (c.eat_word("Switch")) return {LineKind::Header, NodeType::Switch};
  if (c.eat_word("Ca") || c.eat_word("Hca")) return {LineKind::Header, NodeType::ChannelAdapter};
  if (c.eat_word("Rt")) return {LineKind::Header, NodeType::Router};
  for (const KeyWord& k : key_words)
    if (c.eat(k.prefix)) return {LineKind::Key, k.guid_type, &k};
  return {};
}

class Parser {
 public:
  Parser(std::string_view text, const ReadOptions& options, Dialect dialect)
      : text_(text),
        src_(options.source_name),
        dialect_(dialect),
        max_ports_(options.max_ports),
        max_line_(options.max_line_bytes),
        allow_empty_(options.allow_empty) {}

  Result<model::Fabric> run() {
    if (auto r = check_input(text_, src_, max_bytes_hint()); !r) return fail(std::move(r).error());
    // Rough pre-sizing: a port line is ~60 bytes, a record ~100 + ports.
    ports_.reserve(text_.size() / 64 + 4);
    nodes_.reserve(text_.size() / 2048 + 4);
    ids_.reserve(text_.size() / 2048 + 4);
    LineReader lines(text_);
    std::string_view line;
    while (lines.next(line)) {
      line_ = lines.number();
      if (line.size() > max_line_)
        return err(errc::parse_error, line_, "expected a line of at most " + std::to_string(max_line_) +
                                                 " bytes (ReadOptions::max_line_bytes), found a longer one");
      if (auto r = parse_line(line); !r) return fail(std::move(r).error());
    }
    line_ = lines.number();
    if (have_pending_) {
      return err(errc::parse_error, pending_.guid_line ? pending_.guid_line : pending_line_,
                 "expected a node header after '" + std::string(pending_key_) + "=', found end of input");
    }
    if (nodes_.empty() && !allow_empty_)
      return fail(errc::parse_error, std::string(src_) + ": no nodes (ReadOptions::allow_empty accepts an empty fabric)");
    return build();
  }

  void set_max_bytes(std::size_t m) noexcept { max_bytes_ = m; }

 private:
  std::size_t max_bytes_hint() const noexcept { return max_bytes_; }

  Unexpected err(errc code, std::uint32_t line, std::string_view msg) const {
    return error_at(code, src_, line, msg);
  }
  Unexpected expected(std::string_view what, std::string_view found_at) const {
    return err(errc::parse_error, line_, "expected " + std::string(what) + ", found " + describe_found(found_at));
  }

  Result<void> parse_line(std::string_view line) {
    Cursor c(line);
    const LineStart start = classify(c);
    switch (start.kind) {
      case LineKind::Blank: return {};
      case LineKind::Port: return parse_port(c);
      case LineKind::Header: return parse_header(c, start.type);
      case LineKind::Key: return parse_key(c, *start.key);
      case LineKind::Other: break;
    }
    return expected("a node header (Switch, Ca, Hca, Rt), a port line '[n]', 'key=value' or a comment", c.rest());
  }

  // vendid=, devid=, sysimgguid=, switchguid=, caguid=, rtguid= (the
  // cursor is after the '=').
  Result<void> parse_key(Cursor& c, const KeyWord& kw) {
    const std::string_view key = kw.name;
    const NodeType gt = kw.guid_type;
    const KeyKind kind = kw.kind;
    std::uint64_t v = 0;
    if (!c.eat("0x") && !c.eat("0X")) return expected("'0x' after '" + std::string(key) + "='", c.rest());
    const auto num_at = c.rest();
    switch (c.hex(v)) {
      case Cursor::Num::none: return expected("a hexadecimal number after '" + std::string(key) + "=0x'", num_at);
      case Cursor::Num::overflow:
        return err(errc::parse_error, line_, "expected a 64-bit " + std::string(key) + ", found " +
                                                  describe_found(num_at) + ", which overflows 64 bits");
      case Cursor::Num::ok: break;
    }
    Guid port0 = 0;
    if (kind == KeyKind::Guid && c.eat('(')) {
      const auto at = c.rest();
      const auto r = c.hex(port0);
      if (r == Cursor::Num::none) return expected("a port GUID in hex after '('", at);
      if (r == Cursor::Num::overflow) return err(errc::parse_error, line_, "port GUID " + describe_found(at) + " overflows 64 bits");
      if (!c.eat(')')) return expected("')' after the port GUID", c.rest());
    }
    c.skip_blanks();
    if (!c.done() && c.peek() != '#') return expected("end of line after the value of '" + std::string(key) + "='", c.rest());
    if (!have_pending_) pending_line_ = line_;
    have_pending_ = true;
    pending_key_ = key;
    switch (kind) {
      case KeyKind::Vend:
        if (v > 0xffffff) return err(errc::parse_error, line_, "expected a 24-bit vendor ID, found 0x" + hex_string(v));
        pending_.vendor_id = std::uint32_t(v);
        break;
      case KeyKind::Dev:
        if (v > 0xffff) return err(errc::parse_error, line_, "expected a 16-bit device ID, found 0x" + hex_string(v));
        pending_.device_id = std::uint16_t(v);
        break;
      case KeyKind::Sys: pending_.system_guid = v; break;
      case KeyKind::Guid:
        pending_.guid = v;
        pending_.guid_type = gt;
        pending_.guid_line = line_;
        pending_.port0_guid = port0;
        if (dialect_ == Dialect::Netfile) {
          (gt == NodeType::Switch ? next_switch_guid_ : next_ca_guid_) = v;
          have_pending_ = false;  // a counter, not a record of its own
          pending_ = Pending{};
        }
        break;
    }
    return {};
  }

  static std::string hex_string(std::uint64_t v) {
    std::string s;
    append_hex(s, v);
    return s;
  }

  Result<void> parse_header(Cursor& c, NodeType type) {
    const std::string_view kw = type_keyword(type);
    c.skip_blanks();
    std::uint64_t n = 0;
    const auto num_at = c.rest();
    const auto r = c.decimal(100000, n);
    if (r == Cursor::Num::none) return expected("a port count after '" + std::string(kw) + "'", num_at);
    if (r == Cursor::Num::overflow || n < 1 || n > model::max_ports)
      return err(errc::parse_error, line_, "expected a port count 1.." + std::to_string(model::max_ports) +
                                               ", found " + describe_found(num_at));
    c.skip_blanks();
    std::string_view id;
    bool unterminated = false;
    if (!c.quoted(id, unterminated)) {
      if (unterminated) return expected("'\"' closing the node ID", std::string_view{});
      return expected("a quoted node ID", c.rest());
    }
    if (id.empty()) return err(errc::parse_error, line_, "expected a node ID, found an empty string");
    if (dialect_ == Dialect::Netfile && !valid_netfile_id(id))
      return err(errc::parse_error, line_, "expected a node ID of 1..64 bytes without control characters, '#' or '@', found " + quoted(id));

    declared_ports_ += n + 1;
    if (declared_ports_ > max_ports_)
      return err(errc::limit_exceeded, line_, "the file declares more than " + std::to_string(max_ports_) +
                                                  " ports (ReadOptions::max_ports)");

    NodeLine node;
    node.line = line_;
    node.type = type;
    node.num_ports = unsigned(n);
    node.id = id;
    node.first_port = std::uint32_t(ports_.size());

    c.skip_blanks();
    if (!c.done() && c.peek() != '#')
      return expected("'#' or end of line after the node ID", c.rest());
    if (dialect_ == Dialect::Ibnetdiscover) {
      if (!c.done()) {
        c.eat('#');
        if (auto h = parse_header_comment(c, node); !h) return h;
      }
      if (!have_pending_ || pending_.guid_line == 0) {
        // Without a guid line, IDs in the S-/H-/R-<16 hex digits> form say it.
        if (!guid_from_id(id, type, node.guid))
          return err(errc::parse_error, line_, "expected a '" + std::string(guid_key(type)) + "=' line before the " +
                                                   std::string(kw) + " header, found none");
      } else {
        if (pending_.guid_type != type)
          return err(errc::parse_error, line_, "expected '" + std::string(guid_key(type)) + "=' before a " +
                                                   std::string(kw) + " header, found '" +
                                                   std::string(guid_key(pending_.guid_type)) + "=' on line " +
                                                   std::to_string(pending_.guid_line));
        node.guid = pending_.guid;
        if (type == NodeType::Switch && pending_.port0_guid != 0 && pending_.port0_guid != pending_.guid)
          return err(errc::inconsistent, pending_.guid_line,
                     "switch port GUID " + hex_string(pending_.port0_guid) + " differs from the switch GUID 0x" +
                         hex_string(pending_.guid) + " (switch ports share the node GUID)");
      }
      node.system_guid = pending_.system_guid;
      node.vendor_id = pending_.vendor_id;
      node.device_id = pending_.device_id;
    } else {
      node.description = id;
      // Channel adapters and routers share one counter.
      Guid& counter = type == NodeType::Switch ? next_switch_guid_ : next_ca_guid_;
      node.guid = counter;
      counter += type == NodeType::Switch ? 1u : n + 1u;
    }
    have_pending_ = false;
    pending_ = Pending{};

    const auto [it, inserted] = ids_.try_emplace(id, std::uint32_t(nodes_.size()));
    if (!inserted)
      return err(errc::inconsistent, line_, "node ID " + quoted(id) + " already declared on line " +
                                                std::to_string(nodes_[it->second].line));
    nodes_.push_back(node);
    current_ = true;
    return {};
  }

  static bool guid_from_id(std::string_view id, NodeType type, Guid& out) noexcept {
    const char prefix = type == NodeType::Switch ? 'S' : type == NodeType::ChannelAdapter ? 'H' : 'R';
    if (id.size() != 18 || id[0] != prefix || id[1] != '-') return false;
    Cursor c(id.substr(2));
    return c.hex(out) == Cursor::Num::ok && c.done();
  }

  // After '#': `"description"` and for switches `base|enhanced port 0 lid N lmc M`.
  Result<void> parse_header_comment(Cursor& c, NodeLine& node) {
    c.skip_blanks();
    if (c.done()) return {};
    if (c.peek() != '"') return expected("'\"' opening the node description", c.rest());
    const std::string_view line = c.line();
    const std::size_t open = c.pos();
    if (node.type == NodeType::Switch) {
      // The description may itself hold quotes: take the last `" base port 0`.
      std::size_t end = line.rfind("\" base port 0");
      std::size_t skip = 13;
      const std::size_t enh = line.rfind("\" enhanced port 0");
      if (enh != std::string_view::npos && (end == std::string_view::npos || enh > end)) end = enh, skip = 17;
      if (end == std::string_view::npos || end <= open) {
        const std::size_t last = line.find_last_not_of(" \t");
        if (last == open || line[last] != '"') return expected("'\"' closing the node description", std::string_view{});
        node.description = line.substr(open + 1, last - open - 1);
        return {};
      }
      node.description = line.substr(open + 1, end - open - 1);
      c.seek(end + skip);
      c.skip_blanks();
      if (c.done()) return {};
      if (!c.eat_word("lid")) return expected("'lid' after 'port 0'", c.rest());
      std::uint16_t lid = 0;
      if (auto r = parse_lid(c, lid); !r) return r;
      node.lid = lid;
      c.skip_blanks();
      if (c.eat_word("lmc")) {
        std::uint8_t lmc = 0;
        if (auto r = parse_lmc(c, lmc); !r) return r;
        node.lmc = lmc;
      }
      c.skip_blanks();
      if (!c.done()) return expected("end of line after the switch LID", c.rest());
      return {};
    }
    const std::size_t last = line.find_last_not_of(" \t");
    if (last == open || line[last] != '"') return expected("'\"' closing the node description at the end of the line", std::string_view{});
    node.description = line.substr(open + 1, last - open - 1);
    return {};
  }

  Result<void> parse_lid(Cursor& c, std::uint16_t& lid) {
    c.skip_blanks();
    const auto at = c.rest();
    std::uint64_t v = 0;
    const auto r = c.decimal(0xffff, v);
    if (r != Cursor::Num::ok) return expected("a LID 0..65535", at);
    lid = std::uint16_t(v);
    return {};
  }
  Result<void> parse_lmc(Cursor& c, std::uint8_t& lmc) {
    c.skip_blanks();
    const auto at = c.rest();
    std::uint64_t v = 0;
    if (c.decimal(1000, v) != Cursor::Num::ok || v > 7) return expected("an LMC 0..7", at);
    lmc = std::uint8_t(v);
    return {};
  }

  Result<void> parse_port_number(Cursor& c, unsigned max, std::string_view whose, model::PortNum& out) {
    const auto at = c.rest();
    const std::size_t start = c.pos();
    std::uint64_t v = 0;
    const auto r = c.decimal(100000, v);
    if (r == Cursor::Num::none) return expected("a port number after '['", at);
    // The digits alone are quoted, not the ']' or '(' that follow them.
    if (r == Cursor::Num::overflow || v < 1 || v > max)
      return err(errc::parse_error, line_, "expected a port number 1.." + std::to_string(max) + " of " +
                                               std::string(whose) + ", found " +
                                               describe_found(at.substr(0, c.pos() - start)));
    if (!c.eat(']')) return expected("']' after port number", c.rest());
    out = model::PortNum(v);
    return {};
  }

  Result<void> parse_paren_guid(Cursor& c, Guid& out) {
    const auto at = c.rest();
    const auto r = c.hex(out);
    if (r == Cursor::Num::none) return expected("a port GUID in hex after '('", at);
    if (r == Cursor::Num::overflow) return err(errc::parse_error, line_, "expected a 64-bit port GUID, found " + describe_found(at));
    if (!c.eat(')')) return expected("')' after the port GUID", c.rest());
    return {};
  }

  Result<void> parse_port(Cursor& c) {
    if (!current_) return err(errc::parse_error, line_, "expected a node header before the first port line, found '['");
    if (have_pending_)
      return err(errc::parse_error, line_, "expected a node header after '" + std::string(pending_key_) + "=', found a port line");
    const NodeLine& node = nodes_.back();
    PortLine p;
    p.line = line_;
    p.node = std::uint32_t(nodes_.size() - 1);
    c.eat('[');
    if (auto r = parse_port_number(c, node.num_ports, quoted(node.id), p.port); !r) return r;
    if (c.eat('(')) {
      if (auto r = parse_paren_guid(c, p.guid); !r) return r;
    }
    c.skip_blanks();
    bool unterminated = false;
    if (!c.quoted(p.remote_id, unterminated)) {
      if (unterminated) return expected("'\"' closing the remote node ID", std::string_view{});
      return expected("a quoted remote node ID", c.rest());
    }
    c.skip_blanks();
    if (!c.eat('[')) return expected("'[' before the remote port number", c.rest());
    if (auto r = parse_port_number(c, model::max_ports, "a node", p.remote_port); !r) return r;
    if (c.eat('(')) {
      if (auto r = parse_paren_guid(c, p.remote_guid); !r) return r;
    }
    c.skip_blanks();
    if (!c.done()) {
      if (!c.eat('#')) return expected("'#' or end of line after the remote port", c.rest());
      if (auto r = parse_port_comment(c, p); !r) return r;
    }
    ports_.push_back(p);
    ++nodes_.back().port_lines;
    return {};
  }

  // After '#': [lid N lmc M] "remote description" lid R <w>x<SPEED>
  Result<void> parse_port_comment(Cursor& c, PortLine& p) {
    c.skip_blanks();
    const bool strict = dialect_ == Dialect::Ibnetdiscover;
    // Channel adapters and routers start with their own port's LID (a
    // switch's LID is on port 0, in the header).
    if (nodes_.back().type != NodeType::Switch && c.eat_word("lid")) {
      if (auto r = parse_lid(c, p.lid); !r) return r;
      c.skip_blanks();
      if (c.eat_word("lmc")) {
        if (auto r = parse_lmc(c, p.lmc); !r) return r;
      }
      p.has_lid = true;
    }
    // The remote description may contain quotes: resume after the last one.
    const std::string_view line = c.line();
    const std::size_t q = line.rfind('"');
    if (q != std::string_view::npos && q >= c.pos()) c.seek(q + 1);
    c.skip_blanks();
    if (!c.eat_word("lid")) {
      if (strict) return expected("'lid' and the link rate after the remote description", c.rest());
      return {};  // free-form netfile comment
    }
    std::uint16_t remote_lid = 0;
    if (auto r = parse_lid(c, remote_lid); !r) return r;
    c.skip_blanks();
    const std::size_t start = c.pos();
    const std::string_view rest = c.rest();
    std::size_t len = 0;
    while (len < rest.size() && !is_blank(rest[len])) ++len;
    const std::string_view token = rest.substr(0, len);
    const std::size_t x = token.find('x');
    std::optional<LinkWidth> w;
    std::optional<LinkSpeed> s;
    if (x != std::string_view::npos) {
      w = model::parse_link_width(token.substr(0, x + 1));
      s = model::parse_link_speed(token.substr(x + 1));
    }
    if (!w || !s) {
      c.seek(start);
      return expected("a link width and speed like '4xQDR'", c.rest());
    }
    p.width = *w;
    p.speed = *s;
    p.has_rate = true;
    c.seek(start + len);
    c.skip_blanks();
    if (strict && !c.done()) return expected("end of line after the link rate", c.rest());
    return {};
  }

  static errc map_model_code(const Error& e) noexcept {
    if (e.code == make_error_code(errc::already_exists) || e.code == make_error_code(errc::busy)) return errc::inconsistent;
    return errc::parse_error;
  }
  Unexpected model_error(std::uint32_t line, const Error& e) const {
    return err(map_model_code(e), line, e.message);
  }

  // Second phase: every line read; build the fabric and check the links.
  Result<model::Fabric> build() {
    model::Fabric f;
    std::size_t total_ports = 0;
    for (const NodeLine& n : nodes_) total_ports += n.num_ports + 1u;
    f.reserve(nodes_.size(), total_ports);
    std::vector<std::uint64_t> base(nodes_.size());
    std::vector<std::uint32_t> listed(total_ports, 0);  // line listing each port, 0 = none
    std::vector<std::uint32_t> linked(total_ports, 0);  // line that linked each port
    std::vector<Guid> port_guids;
    {
      std::uint64_t b = 0;
      for (std::size_t i = 0; i < nodes_.size(); ++i) base[i] = b, b += nodes_[i].num_ports + 1u;
    }
    model::NodeSpec spec;
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      const NodeLine& n = nodes_[i];
      // Listed ports (duplicates are an error) and CA/router port GUIDs.
      const bool own_guids = n.type != NodeType::Switch;
      if (own_guids) {
        port_guids.resize(n.num_ports);
        for (unsigned p = 1; p <= n.num_ports; ++p) port_guids[p - 1] = n.guid + p;
      }
      bool explicit_guids = false;
      for (std::uint32_t k = n.first_port; k < n.first_port + n.port_lines; ++k) {
        const PortLine& pl = ports_[k];
        std::uint32_t& slot = listed[base[i] + pl.port];
        if (slot)
          return err(errc::inconsistent, pl.line, "port " + std::to_string(pl.port) + " of " + quoted(n.id) +
                                                      " is already listed on line " + std::to_string(slot));
        slot = pl.line;
        // ibsim derives port GUIDs (node GUID + port) and ignores these.
        if (pl.guid && dialect_ == Dialect::Ibnetdiscover) {
          if (own_guids) port_guids[pl.port - 1] = pl.guid, explicit_guids = true;
          else if (pl.guid != n.guid)
            return err(errc::inconsistent, pl.line, "switch port GUID differs from the switch GUID (switch ports share the node GUID)");
        }
      }
      spec.type = n.type;
      spec.guid = n.guid;
      spec.num_ports = n.num_ports;
      spec.description.assign(n.description);
      spec.system_guid = n.system_guid;
      spec.vendor_id = n.vendor_id;
      spec.device_id = n.device_id;
      spec.port_guids.clear();
      if (own_guids && explicit_guids) spec.port_guids = port_guids;
      auto id = f.add_node(spec);
      if (!id) return node_error(n, id.error());
      const model::NodeId nid = *id;
      if (n.type == NodeType::Switch && (n.lid || n.lmc)) {
        model::PortAttributes a = f.port({nid, 0})->attributes;
        a.lid = n.lid;
        a.lmc = n.lmc;
        if (auto r = f.set_port({nid, 0}, a); !r) return model_error(n.line, r.error());
      }
      if (explicit_guids) {
        // Make sure explicit port GUIDs are applied.
        for (std::uint32_t k = n.first_port; k < n.first_port + n.port_lines; ++k) {
          const PortLine& pl = ports_[k];
          if (!pl.guid) continue;
          model::PortAttributes a = f.port({nid, pl.port})->attributes;
          if (a.guid == pl.guid) continue;
          a.guid = pl.guid;
          if (auto r = f.set_port({nid, pl.port}, a); !r) return model_error(pl.line, r.error());
        }
      }
    }
    // Links, checked from both sides.
    for (PortLine& pl : ports_) {
      const NodeLine& n = nodes_[pl.node];
      const auto it = ids_.find(pl.remote_id);
      if (it == ids_.end())
        return err(errc::parse_error, pl.line, "expected a declared node ID, found link to undeclared node " + quoted(pl.remote_id));
      const std::uint32_t m = it->second;
      pl.remote = m;
      const NodeLine& rn = nodes_[m];
      if (pl.remote_port > rn.num_ports)
        return err(errc::parse_error, pl.line, "expected a port number 1.." + std::to_string(rn.num_ports) + " of " +
                                                   quoted(rn.id) + ", found " + std::to_string(pl.remote_port));
      const model::PortRef a{model::NodeId{pl.node}, pl.port};
      const model::PortRef b{model::NodeId{m}, pl.remote_port};
      std::uint32_t& la = linked[base[pl.node] + pl.port];
      std::uint32_t& lb = linked[base[m] + pl.remote_port];
      if (la) {
        const auto peer = f.peer(a);
        if (peer && *peer == b) continue;  // the other side said the same
        return err(errc::inconsistent, pl.line, "port " + std::to_string(pl.port) + " of " + quoted(n.id) + " links to " +
                                                    quoted(pl.remote_id) + "[" + std::to_string(pl.remote_port) +
                                                    "], but line " + std::to_string(la) + " links it elsewhere");
      }
      if (lb)
        return err(errc::inconsistent, pl.line, "port " + std::to_string(pl.port) + " of " + quoted(n.id) + " links to " +
                                                    quoted(pl.remote_id) + "[" + std::to_string(pl.remote_port) +
                                                    "], but line " + std::to_string(lb) + " links that port elsewhere");
      if (auto r = f.connect(a, b); !r) return model_error(pl.line, r.error());
      la = lb = pl.line;
    }
    // Port attributes: own line first; a port only its peer lists takes
    // the rate from the peer's line.
    for (int pass = 0; pass < 2; ++pass) {
      for (const PortLine& pl : ports_) {
        const std::uint32_t m = pl.remote;
        const model::PortRef a{model::NodeId{pl.node}, pl.port};
        const model::PortRef b{model::NodeId{m}, pl.remote_port};
        if (pass == 0) {
          model::PortAttributes at = f.port(a)->attributes;
          at.state = model::PortState::Active;
          at.phys_state = model::PhysState::LinkUp;
          at.width = pl.width;
          at.speed = pl.speed;
          if (pl.has_lid && dialect_ == Dialect::Ibnetdiscover) {
            at.lid = pl.lid;
            at.lmc = pl.lmc;
          }
          if (auto r = f.set_port(a, at); !r) return model_error(pl.line, r.error());
        } else {
          if (pl.remote_guid && dialect_ == Dialect::Ibnetdiscover) {
            const Guid actual = f.port(b)->attributes.guid;
            if (actual != pl.remote_guid)
              return err(errc::inconsistent, pl.line, "remote port GUID " + hex_string(pl.remote_guid) + " differs from 0x" +
                                                          hex_string(actual) + ", the GUID of port " +
                                                          std::to_string(pl.remote_port) + " of " + quoted(pl.remote_id));
          }
          if (listed[base[m] + pl.remote_port]) continue;
          model::PortAttributes at = f.port(b)->attributes;
          at.state = model::PortState::Active;
          at.phys_state = model::PhysState::LinkUp;
          at.width = pl.width;
          at.speed = pl.speed;
          if (auto r = f.set_port(b, at); !r) return model_error(pl.line, r.error());
        }
      }
    }
    return f;
  }

  Unexpected node_error(const NodeLine& n, const Error& e) const {
    std::string msg = e.message;
    if (e.code == make_error_code(errc::already_exists)) {
      for (const NodeLine& o : nodes_) {
        if (&o == &n) break;
        if (o.guid == n.guid) {
          msg = "GUID 0x" + hex_string(n.guid) + " of " + quoted(n.id) + " already used by " + quoted(o.id) +
                " on line " + std::to_string(o.line);
          break;
        }
      }
    }
    return err(map_model_code(e), n.line, msg);
  }

  std::string_view text_;
  std::string_view src_;
  Dialect dialect_;
  std::size_t max_ports_;
  std::size_t max_line_;
  bool allow_empty_;
  std::size_t declared_ports_ = 0;
  std::size_t max_bytes_ = std::size_t(-1);
  std::uint32_t line_ = 0;
  bool current_ = false;
  bool have_pending_ = false;
  std::uint32_t pending_line_ = 0;
  std::string_view pending_key_;
  Pending pending_;
  Guid next_switch_guid_ = netfile_switch_guid_base;
  Guid next_ca_guid_ = netfile_ca_guid_base;
  std::vector<NodeLine> nodes_;
  std::vector<PortLine> ports_;
  std::unordered_map<std::string_view, std::uint32_t, ViewHash> ids_;
};

} // namespace

Result<model::Fabric> parse_records(std::string_view text, const ReadOptions& options, Dialect dialect) {
  Parser p(text, options, dialect);
  p.set_max_bytes(options.max_bytes);
  return p.run();
}

bool can_be_record_line(std::string_view line) noexcept {
  Cursor c(line);
  return classify(c).kind != LineKind::Other;
}

bool valid_netfile_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > 64) return false;
  for (char ch : id) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f || c == '"' || c == '#' || c == '@') return false;
  }
  return true;
}

std::string guid_id(NodeType type, Guid guid) {
  std::string s;
  s.reserve(18);
  s += type == NodeType::Switch ? 'S' : type == NodeType::ChannelAdapter ? 'H' : 'R';
  s += '-';
  append_hex16(s, guid);
  return s;
}

std::string one_line(std::string_view d) {
  std::string s(d);
  for (char& c : s)
    if (c == '\0' || c == '\n') c = ' ';
  return s;
}

std::vector<model::Node> nodes_by_id(const model::Fabric& fabric) {
  const auto ids = fabric.nodes();
  std::vector<model::Node> nodes(ids.empty() ? 0 : ids.back().value + 1u);  // nodes() is in ID order
  for (auto id : ids) nodes[id.value] = *fabric.node(id);
  return nodes;
}

void append_link_tail(std::string& out, std::string_view name, const model::Node& r, model::PortNum rp,
                      const model::Port& port) {
  out += '"';
  out += name;
  out += "\" lid ";
  append_dec(out, port_lid(r, rp));
  out += ' ';
  append_width_speed(out, port.attributes.width, port.attributes.speed);
  out += '\n';
}

void append_lid_lmc(std::string& out, const model::Node& n, const model::Port& port) {
  if (n.type == NodeType::Switch) return;
  out += "lid ";
  append_dec(out, port.attributes.lid);
  out += " lmc ";
  append_dec(out, port.attributes.lmc);
  out += ' ';
}

} // namespace detail

Result<model::Fabric> parse_ibnetdiscover(std::string_view text, const ReadOptions& options) {
  return detail::parse_records(text, options, detail::Dialect::Ibnetdiscover);
}

std::string write_ibnetdiscover(const model::Fabric& fabric) {
  using namespace detail;
  using model::NodeType;
  const std::vector<model::Node> nodes = nodes_by_id(fabric);

  std::string out;
  out.reserve(200 + fabric.node_count() * 160 + fabric.port_count() * 80);
  out += "#\n# Topology file: generated by ofmf\n#\n";
  auto on_node = [&](const model::Node& n) {
    const bool sw = n.type == NodeType::Switch;
    out += "\nvendid=0x";
    append_hex(out, n.vendor_id);
    out += "\ndevid=0x";
    append_hex(out, n.device_id);
    out += "\nsysimgguid=0x";
    append_hex(out, n.system_guid);
    out += '\n';
    out += guid_keyword(n.type);
    append_hex(out, n.guid);
    if (sw) {
      out += '(';
      append_hex(out, n.guid);
      out += ')';
    }
    out += '\n';
    out += sw ? "Switch" : n.type == NodeType::ChannelAdapter ? "Ca" : "Rt";
    out += '\t';
    append_dec(out, n.num_ports());
    out += " \"";
    out += guid_id(n.type, n.guid);
    out += "\"\t\t# \"";
    out += one_line(n.description);
    out += '"';
    if (sw) {
      out += " base port 0 lid ";
      append_dec(out, n.ports[0].attributes.lid);
      out += " lmc ";
      append_dec(out, n.ports[0].attributes.lmc);
    }
    out += '\n';
  };
  auto on_link = [&](const model::Node& n, model::PortNum p, const model::Port& port, const model::Node& r,
                     model::PortNum rp) {
    const bool sw = n.type == NodeType::Switch;
    out += '[';
    append_dec(out, p);
    out += ']';
    if (!sw) {
      out += '(';
      append_hex(out, port.attributes.guid);
      out += ") ";
    }
    out += "\t\"";
    out += guid_id(r.type, r.guid);
    out += "\"[";
    append_dec(out, rp);
    out += ']';
    if (r.type != NodeType::Switch) {
      out += '(';
      append_hex(out, r.ports[rp].attributes.guid);
      out += ") ";
    }
    out += "\t\t# ";
    append_lid_lmc(out, n, port);
    append_link_tail(out, one_line(r.description), r, rp, port);
  };
  walk_switches_first(fabric, nodes, on_node, on_link);
  return out;
}

} // namespace ofmf::topology
