// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Subnet-manager actions of the umad backend: LIDs, forwarding tables,
// P_Key tables, port activation, read-back, and PerfMgt counters. The
// order of the steps and the rules are in sm.hpp.
#include "sm.hpp"

#include <algorithm>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "ofmf/model/topology_view.hpp"

namespace ofmf::backend::umad {
namespace {

using Clock = std::chrono::steady_clock;
using model::TopologyView;

Statistics since(const Statistics& before, const Statistics& now) {
  Statistics s;
  s.sent = now.sent - before.sent;
  s.received = now.received - before.received;
  s.retries = now.retries - before.retries;
  s.timeouts = now.timeouts - before.timeouts;
  s.rejected = now.rejected - before.rejected;
  return s;
}

std::string node_name(const TopologyView& v, std::uint32_t n) {
  std::string s = v.is_switch(n) ? "switch " : (v.type(n) == model::NodeType::Router ? "router " : "CA ");
  s += model::format_guid(v.guid(n));
  const std::string_view d = v.description(n);
  if (!d.empty()) {
    s += " \"";
    s += d;
    s += "\"";
  }
  return s;
}

Error error_of(errc code, std::string message) { return Error{make_error_code(code), std::move(message)}; }

// The P_Key table entries a port should hold: the default partition first.
std::vector<std::uint16_t> pkey_entries(const model::Fabric& fabric, model::Guid port_guid, bool no_partitions) {
  if (no_partitions) return {model::pkey_entry(model::default_pkey, model::Membership::Full)};
  std::vector<std::uint16_t> e = fabric.pkeys_of(port_guid);
  std::stable_partition(e.begin(), e.end(), [](std::uint16_t k) { return (k & 0x7fff) == model::default_pkey; });
  return e;
}

// The P_Key table of a switch port that links to the channel-adapter or
// router port `peer_guid`: the peer's P_Keys, full membership, each once
// (the default partition first), as OpenSM's partition enforcement does.
std::vector<std::uint16_t> switch_port_pkey_entries(const model::Fabric& fabric, model::Guid peer_guid,
                                                    bool no_partitions) {
  std::vector<std::uint16_t> out;
  for (std::uint16_t k : pkey_entries(fabric, peer_guid, no_partitions)) {
    const auto full = std::uint16_t(k | 0x8000);
    if (std::find(out.begin(), out.end(), full) == out.end()) out.push_back(full);
  }
  return out;
}

constexpr std::size_t pkeys_per_block = 32;
constexpr std::size_t max_pkey_blocks = 4;

class Programmer {
 public:
  Programmer(Transport& t, Discovered* last, const model::Fabric& fabric, const TopologyView& view,
             const routing::RouteTable& table, const ApplyOptions& options, const ProgressFn& progress)
      : t_(t), last_(last), fabric_(fabric), v_(view), table_(table), o_(options), progress_(progress) {}

  Result<ApplyReport> run() {
    auto r = steps();
    remember_ports();
    return r;
  }

 private:
  Result<ApplyReport> steps() {
    const auto t0 = Clock::now();
    const Statistics before = t_.statistics();
    if (auto r = check_table(); !r) return fail(std::move(r).error());
    if (auto r = find_paths(); !r) return fail(std::move(r).error());
    plan_ports();
    if (o_.assign_lids)
      if (auto r = set_lids(); !r) return fail(std::move(r).error());
    if (auto r = program_lfts(); !r) return fail(std::move(r).error());
    if (o_.program_pkeys)
      if (auto r = program_pkeys(); !r) return fail(std::move(r).error());
    if (o_.program_sl2vl && table_.has_sl2vl())
      if (auto r = program_sl2vl(); !r) return fail(std::move(r).error());
    if (o_.activate)
      if (auto r = activate(); !r) return fail(std::move(r).error());
    if (o_.verify)
      if (auto r = verify(); !r) return fail(std::move(r).error());
    report_.statistics = since(before, t_.statistics());
    report_.statistics.elapsed_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    return std::move(report_);
  }

  // The PortInfo the jobs hold (as read or as set) becomes the session's
  // latest known PortInfo of those ports.
  void remember_ports() {
    if (last_ == nullptr) return;
    for (const PortJob& j : jobs_)
      if (j.info) last_->port_info[{v_.guid(j.node), j.port}] = *j.info;
  }

  struct PortJob {
    std::uint32_t node = 0;
    model::PortNum port = 0;
    bool want_lid = false;
    bool want_active = false;
    std::optional<PortInfo> info;  // current PortInfo (as read or as set)
    bool lid_done = false;
    bool active_done = false;
    std::uint8_t want_vls = 0;  // OperationalVLs to set; 0 = leave alone
    bool vls_done = false;
  };
  struct SwitchJob {
    std::uint32_t sw = 0;
    std::vector<std::uint32_t> blocks;  // to write
    std::vector<std::uint32_t> written;
    std::optional<SwitchInfo> info;
    std::size_t pending = 0;
    bool top_written = false;
  };
  struct PKeyJob {
    std::uint32_t node = 0;
    model::PortNum port = 0;
    std::vector<std::uint16_t> entries;
    std::size_t blocks = 0;  // written
    /// Port number in the attribute modifier: a switch's external port;
    /// 0 for switch port 0 and channel adapters.
    model::PortNum mod_port = 0;
  };
  struct Sl2VlJob {
    std::uint32_t node = 0;
    model::PortNum in = 0;   // switches only
    model::PortNum out = 0;  // switches; for a CA the port the table belongs to
    Sl2VlTable table;
    bool written = false;
  };

  // ---- helpers

  void problem(std::string where, Error e) { report_.problems.push_back({std::move(where), std::move(e)}); }
  std::string where(std::uint32_t n, model::PortNum p) const { return node_name(v_, n) + " port " + std::to_string(p); }

  void tick(std::string_view phase, std::size_t done, std::size_t total) {
    if (progress_ && (done == total || done % 256 == 0)) progress_({phase, done, total});
  }

  Result<void> drain() {
    if (auto r = t_.run(); !r) return fail(std::move(r).error());
    return {};
  }

  // The directed route that ends at port `p` of node `n` (for a channel
  // adapter: arriving through that port, which attributes without a port
  // in their modifier, like P_KeyTable, refer to).
  std::optional<DrPath> path_to(std::uint32_t n, model::PortNum p) const {
    if (!v_.is_switch(n) && p != 0) {
      const model::ViewPort& vp = v_.ports(n)[p];
      if (n == origin_ && p == t_.local().port) return DrPath{};
      if (vp.linked() && v_.is_switch(vp.peer) && paths_[vp.peer]) {
        if (auto e = paths_[vp.peer]->extend(vp.peer_port)) return *e;
      }
    }
    return paths_[n];
  }

  void get(const DrPath& path, AttrId a, std::uint32_t mod, Transport::SmpCompletion done) {
    t_.submit(make_dr_get(path, a, mod, 0), std::move(done));
  }
  void set(const DrPath& path, AttrId a, std::uint32_t mod, const SmpData& data, Transport::SmpCompletion done) {
    t_.submit(make_dr_set(path, a, mod, 0, data), std::move(done));
  }

  // ---- preparation

  Result<void> check_table() {
    if (v_.switch_count() != table_.switch_count())
      return fail(errc::invalid_argument, "umad apply: the route table has " + std::to_string(table_.switch_count()) +
                                              " switches, the fabric " + std::to_string(v_.switch_count()));
    for (std::uint32_t s = 0; s < table_.switch_count(); ++s)
      if (table_.switch_guid(s) != v_.guid(s))
        return fail(errc::invalid_argument, "umad apply: switch " + std::to_string(s) + " of the route table is " +
                                                model::format_guid(table_.switch_guid(s)) + ", of the fabric " +
                                                model::format_guid(v_.guid(s)));
    for (const routing::SwitchBlocks& sb : o_.only) {
      if (sb.index >= table_.switch_count() || table_.switch_guid(sb.index) != sb.guid)
        return fail(errc::invalid_argument, "umad apply: delta names switch " + model::format_guid(sb.guid) +
                                                " at index " + std::to_string(sb.index) + ", not in the table");
      for (const routing::LftBlock& b : sb.blocks)
        if (b.block >= table_.block_count())
          return fail(errc::invalid_argument, "umad apply: delta block " + std::to_string(b.block) + " of switch " +
                                                  model::format_guid(sb.guid) + " is above the table's " +
                                                  std::to_string(table_.block_count()) + " blocks");
    }
    return {};
  }

  Result<void> find_paths() {
    const LocalPort& local = t_.local();
    origin_ = v_.find(local.node_guid);
    if (origin_ == TopologyView::npos)
      return fail(errc::not_found, "umad apply: the local node " + model::format_guid(local.node_guid) +
                                       " is not in the fabric");
    paths_.assign(v_.node_count(), std::nullopt);
    if (last_ != nullptr) {
      for (std::uint32_t n = 0; n < v_.node_count(); ++n)
        if (auto it = last_->paths.find(v_.guid(n)); it != last_->paths.end()) paths_[n] = it->second;
      return {};
    }
    // Breadth first from the local node; channel adapters do not forward.
    paths_[origin_] = DrPath{};
    std::deque<std::uint32_t> queue{origin_};
    while (!queue.empty()) {
      const std::uint32_t u = queue.front();
      queue.pop_front();
      if (u != origin_ && !v_.is_switch(u)) continue;
      for (const model::Edge& e : v_.edges(u)) {
        if (u == origin_ && !v_.is_switch(u) && e.local_port != local.port) continue;
        if (paths_[e.target]) continue;
        auto p = paths_[u]->extend(e.local_port);
        if (!p) continue;  // deeper than 63 hops
        paths_[e.target] = *p;
        queue.push_back(e.target);
      }
    }
    return {};
  }

  // The PortInfo discovery read, if any.
  const PortInfo* discovered(std::uint32_t n, model::PortNum p) const {
    if (last_ == nullptr) return nullptr;
    const auto it = last_->port_info.find({v_.guid(n), p});
    return it == last_->port_info.end() ? nullptr : &it->second;
  }

  void plan_ports() {
    const std::uint8_t lmc = table_.lmc();
    for (std::uint32_t n = 0; n < v_.node_count(); ++n) {
      const bool sw = v_.is_switch(n);
      const auto ports = v_.ports(n);
      for (model::PortNum p = sw ? 0 : 1; p < ports.size(); ++p) {
        const model::ViewPort& vp = ports[p];
        if (p != 0 && !vp.linked()) continue;
        const PortInfo* d = discovered(n, p);
        // What the port holds now: as read by discovery, else the model.
        const std::uint16_t cur_lid = d ? d->lid : vp.attributes.lid;
        const std::uint8_t cur_lmc = d ? d->lmc : vp.attributes.lmc;
        const auto cur_state = d ? model::PortState(d->port_state) : vp.attributes.state;
        PortJob j;
        j.node = n;
        j.port = p;
        if (d) j.info = *d;
        const routing::Lid want = (sw && p != 0) ? 0 : table_.base_lid(n, p);
        j.want_lid = want != 0 && (cur_lid != want || (!sw && cur_lmc != lmc));
        j.want_active = (p != 0) && (cur_state == model::PortState::Init || cur_state == model::PortState::Armed);
        if (j.want_lid || j.want_active) jobs_.push_back(std::move(j));
      }
    }
    if (origin_ != TopologyView::npos)
      sm_lid_ = table_.base_lid(origin_, v_.is_switch(origin_) ? model::PortNum(0) : model::PortNum(t_.local().port));
  }

  // Reads PortInfo of `j` when it is not known yet, then calls `next`.
  void with_info(PortJob& j, std::function<void(PortJob&)> next) {
    if (j.info) return next(j);
    const auto path = path_to(j.node, j.port);
    if (!path) return problem(where(j.node, j.port), error_of(errc::not_found, "no directed route to the node"));
    get(*path, AttrId::PortInfo, j.port, [this, &j, next = std::move(next)](Result<Smp> r) {
      if (!r) return problem(where(j.node, j.port) + " (PortInfo Get)", r.error());
      auto info = decode_port_info(r->data);
      if (!info) return problem(where(j.node, j.port) + " (PortInfo Get)", info.error());
      j.info = *info;
      next(j);
    });
  }

  // ---- 1. LIDs

  Result<void> set_lids() {
    std::size_t total = 0, done = 0;
    for (PortJob& j : jobs_) total += j.want_lid;
    for (PortJob& j : jobs_) {
      if (!j.want_lid) continue;
      with_info(j, [this, &done, total](PortJob& job) {
        PortInfoChange c;
        const bool sw = v_.is_switch(job.node);
        c.lid = table_.base_lid(job.node, job.port);
        c.lmc = sw ? std::uint8_t(0) : table_.lmc();
        if (sm_lid_ != 0) c.master_sm_lid = sm_lid_;
        auto want = for_set(*job.info, c);
        if (!want) return problem(where(job.node, job.port) + " (PortInfo Set)", want.error());
        const auto path = path_to(job.node, job.port);
        if (!path) return problem(where(job.node, job.port), error_of(errc::not_found, "no directed route to the node"));
        set(*path, AttrId::PortInfo, job.port, encode(*want), [this, &job, &done, total](Result<Smp> r) {
          tick("lids", ++done, total);
          if (!r) return problem(where(job.node, job.port) + " (PortInfo Set)", r.error());
          auto info = decode_port_info(r->data);
          if (!info) return problem(where(job.node, job.port) + " (PortInfo Set)", info.error());
          job.info = *info;
          job.lid_done = true;
          ++report_.lids_set;
        });
      });
    }
    return drain();
  }

  // ---- 2. forwarding tables

  void write_top(SwitchJob& s, std::function<void()> next) {
    SwitchInfo want = *s.info;
    want.linear_fdb_top = table_.max_lid();
    want.port_state_change = false;  // write 1 to clear: leave it
    set(*paths_[s.sw], AttrId::SwitchInfo, 0, encode(want), [this, &s, next = std::move(next)](Result<Smp> r) {
      if (!r) {
        problem(node_name(v_, s.sw) + " (SwitchInfo Set LinearFDBTop)", r.error());
      } else {
        s.top_written = true;
        if (auto i = decode_switch_info(r->data)) s.info = *i;
      }
      if (next) next();
    });
  }

  void write_blocks(SwitchJob& s, std::size_t& done, std::size_t total) {
    const bool shrink = s.info->linear_fdb_top > table_.max_lid();
    std::vector<std::uint32_t> blocks;
    for (std::uint32_t b : s.blocks) {
      if (std::size_t(b) * routing::lft_block_size >= s.info->linear_fdb_cap) {
        problem(node_name(v_, s.sw) + " LFT block " + std::to_string(b),
                error_of(errc::limit_exceeded, "above LinearFDBCap " + std::to_string(s.info->linear_fdb_cap)));
        continue;
      }
      blocks.push_back(b);
    }
    s.pending = blocks.size();
    if (blocks.empty() && shrink) write_top(s, {});
    for (std::uint32_t b : blocks) {
      LftBlock data;
      const auto src = table_.lft_block(s.sw, b);
      std::copy(src.begin(), src.end(), data.ports.begin());
      set(*paths_[s.sw], AttrId::LinearForwardingTable, b, encode(data),
          [this, &s, b, shrink, &done, total](Result<Smp> r) {
            tick("lft", ++done, total);
            if (!r) {
              problem(node_name(v_, s.sw) + " LFT block " + std::to_string(b), r.error());
            } else {
              ++report_.lft_blocks;
              s.written.push_back(b);
            }
            if (--s.pending == 0 && shrink) write_top(s, {});
          });
    }
  }

  Result<void> program_lfts() {
    switches_.resize(table_.switch_count());
    for (std::uint32_t s = 0; s < table_.switch_count(); ++s) switches_[s].sw = s;
    if (o_.only.empty()) {
      for (SwitchJob& s : switches_)
        for (std::uint32_t b = 0; b < table_.block_count(); ++b) s.blocks.push_back(b);
    } else {
      for (const routing::SwitchBlocks& sb : o_.only)
        for (const routing::LftBlock& b : sb.blocks) switches_[sb.index].blocks.push_back(b.block);
    }
    std::size_t total = 0, done = 0;
    for (SwitchJob& s : switches_) total += s.blocks.size();
    const bool delta = !o_.only.empty();
    for (SwitchJob& s : switches_) {
      // A delta leaves untouched switches alone unless the top LID moved.
      if (!paths_[s.sw]) {
        if (!s.blocks.empty() || !delta)
          problem(node_name(v_, s.sw), error_of(errc::not_found, "no directed route to the switch; LFT not written"));
        continue;
      }
      get(*paths_[s.sw], AttrId::SwitchInfo, 0, [this, &s, &done, total, delta](Result<Smp> r) {
        if (!r) return problem(node_name(v_, s.sw) + " (SwitchInfo Get)", r.error());
        auto info = decode_switch_info(r->data);
        if (!info) return problem(node_name(v_, s.sw) + " (SwitchInfo Get)", info.error());
        s.info = *info;
        if (delta && s.blocks.empty() && info->linear_fdb_top == table_.max_lid()) return;
        // Raise the top before the blocks, lower it after them.
        if (info->linear_fdb_top < table_.max_lid())
          write_top(s, [this, &s, &done, total] { write_blocks(s, done, total); });
        else
          write_blocks(s, done, total);
      });
    }
    return drain();
  }

  // ---- 3. P_Key tables

  Result<void> program_pkeys() {
    const bool none = fabric_.partitions().empty();
    std::vector<std::uint32_t> nodes;
    std::vector<bool> enforcing(v_.node_count(), false);  // switches with external-port jobs
    for (std::uint32_t n = 0; n < v_.node_count(); ++n) {
      const bool sw = v_.is_switch(n);
      const auto ports = v_.ports(n);
      bool any = false;
      for (model::PortNum p = sw ? 0 : 1; p < ports.size(); ++p) {
        const model::ViewPort& vp = ports[p];
        if (p != 0 && !vp.linked()) continue;
        if (sw && p != 0) {
          // Partition enforcement: a switch port facing a channel adapter
          // or router gets the P_Keys of the port behind it.
          if (v_.is_switch(vp.peer)) continue;
          const model::Guid peer = v_.ports(vp.peer)[vp.peer_port].attributes.guid;
          pkey_jobs_.push_back({n, p, switch_port_pkey_entries(fabric_, peer, none), 0, p});
          enforcing[n] = true;
          continue;
        }
        const model::Guid g = sw ? v_.guid(n) : vp.attributes.guid;
        pkey_jobs_.push_back({n, p, pkey_entries(fabric_, g, none), 0, 0});
        any = true;
      }
      if (any || enforcing[n]) nodes.push_back(n);
    }
    // PartitionCap per node (NodeInfo), PartitionEnforcementCap per
    // enforcing switch (SwitchInfo), then the blocks.
    std::vector<std::optional<std::uint16_t>> cap(v_.node_count()), enforce_cap(v_.node_count());
    for (std::uint32_t n : nodes) {
      if (!paths_[n]) {
        problem(node_name(v_, n), error_of(errc::not_found, "no directed route to the node; P_Keys not written"));
        continue;
      }
      get(*paths_[n], AttrId::NodeInfo, 0, [this, n, &cap](Result<Smp> r) {
        if (!r) return problem(node_name(v_, n) + " (NodeInfo Get)", r.error());
        auto info = decode_node_info(r->data);
        if (!info) return problem(node_name(v_, n) + " (NodeInfo Get)", info.error());
        cap[n] = info->partition_cap;
      });
      if (!enforcing[n]) continue;
      get(*paths_[n], AttrId::SwitchInfo, 0, [this, n, &enforce_cap](Result<Smp> r) {
        if (!r) return problem(node_name(v_, n) + " (SwitchInfo Get)", r.error());
        auto info = decode_switch_info(r->data);
        if (!info) return problem(node_name(v_, n) + " (SwitchInfo Get)", info.error());
        enforce_cap[n] = info->partition_enforcement_cap;
      });
    }
    if (auto r = drain(); !r) return r;
    std::size_t total = 0, done = 0;
    for (PKeyJob& j : pkey_jobs_) {
      const bool external = j.mod_port != 0;
      const auto& known = external ? enforce_cap[j.node] : cap[j.node];
      if (!known) continue;
      const std::size_t c = *known;
      if (external && c == 0) continue;  // the switch does not enforce partitions
      if (j.entries.size() > c) {
        problem(where(j.node, j.port),
                error_of(errc::limit_exceeded, std::to_string(j.entries.size()) + " P_Keys but PartitionCap " +
                                                    std::to_string(c) + "; P_Key table not written"));
        continue;
      }
      j.blocks = std::min(max_pkey_blocks, (c + pkeys_per_block - 1) / pkeys_per_block);
      total += j.blocks;
    }
    for (PKeyJob& j : pkey_jobs_) {
      const auto path = path_to(j.node, j.port);
      if (j.blocks == 0 || !path) continue;
      for (std::size_t b = 0; b < j.blocks; ++b) {
        const PKeyBlock data = pkey_block(j, b);
        set(*path, AttrId::PKeyTable, pkey_attr_mod(std::uint16_t(b), j.mod_port), encode(data),
            [this, &j, b, &done, total](Result<Smp> r) {
              tick("pkeys", ++done, total);
              if (!r) return problem(where(j.node, j.port) + " P_Key block " + std::to_string(b), r.error());
              ++report_.pkey_blocks;
            });
      }
    }
    return drain();
  }

  static PKeyBlock pkey_block(const PKeyJob& j, std::size_t b) {
    PKeyBlock data;
    for (std::size_t i = 0; i < pkeys_per_block; ++i) {
      const std::size_t k = b * pkeys_per_block + i;
      data.entries[i] = k < j.entries.size() ? j.entries[k] : 0;
    }
    return data;
  }

  // ---- 3b. SL-to-VL tables and OperationalVLs

  // The PortJob of (n, p), created (wanting nothing yet) when absent, so
  // that every PortInfo Set of a port starts from its latest PortInfo.
  PortJob& port_job(std::uint32_t n, model::PortNum p) {
    if (job_index_.empty())
      for (PortJob& j : jobs_) job_index_.emplace(std::pair{j.node, j.port}, &j);
    if (auto it = job_index_.find({n, p}); it != job_index_.end()) return *it->second;
    PortJob j;
    j.node = n;
    j.port = p;
    if (const PortInfo* d = discovered(n, p)) j.info = *d;
    jobs_.push_back(std::move(j));
    job_index_.emplace(std::pair{n, p}, &jobs_.back());
    return jobs_.back();
  }

  Result<void> program_sl2vl() {
    // Tables: every switch (in port 0 or linked, out port linked, in !=
    // out) and every linked channel-adapter port, which sends on the VL
    // the switch it links to uses towards it (in port 0, out = that port).
    // Highest VL leaving each port, for OperationalVLs.
    std::map<std::pair<std::uint32_t, model::PortNum>, std::uint8_t> top_vl;
    auto note = [&top_vl](std::uint32_t n, model::PortNum p, const Sl2VlTable& t) {
      std::uint8_t& m = top_vl[{n, p}];
      for (std::uint8_t vl : t.vl) m = std::max(m, vl);
    };
    for (std::uint32_t n = 0; n < v_.node_count(); ++n) {
      const auto ports = v_.ports(n);
      if (v_.is_switch(n)) {
        for (model::PortNum out = 1; out < ports.size(); ++out) {
          if (!ports[out].linked()) continue;
          for (model::PortNum in = 0; in < ports.size(); ++in) {
            if (in == out || (in != 0 && !ports[in].linked())) continue;
            Sl2VlJob j{n, in, out, {}, false};
            for (std::uint8_t sl = 0; sl < 16; ++sl) j.table.vl[sl] = table_.vl(n, in, out, sl);
            note(n, out, j.table);
            sl2vl_jobs_.push_back(j);
          }
        }
        continue;
      }
      for (model::PortNum p = 1; p < ports.size(); ++p) {
        const model::ViewPort& vp = ports[p];
        if (!vp.linked() || !v_.is_switch(vp.peer)) continue;
        Sl2VlJob j{n, 0, p, {}, false};
        for (std::uint8_t sl = 0; sl < 16; ++sl) j.table.vl[sl] = table_.vl(vp.peer, 0, vp.peer_port, sl);
        note(n, p, j.table);
        sl2vl_jobs_.push_back(j);
      }
    }
    // OperationalVLs: both ends of a link hold the VLs either end sends on.
    for (const auto& [key, vl] : top_vl) {
      const auto [n, p] = key;
      const model::ViewPort& vp = v_.ports(n)[p];
      std::uint8_t top = vl;
      if (auto it = top_vl.find({vp.peer, vp.peer_port}); it != top_vl.end()) top = std::max(top, it->second);
      port_job(n, p).want_vls = vls_code(top);
    }
    std::size_t total = 0, done = 0;
    for (PortJob& j : jobs_) total += j.want_vls != 0;
    for (PortJob& j : jobs_) {
      if (j.want_vls == 0) continue;
      with_info(j, [this, &done, total](PortJob& job) {
        if (job.info->operational_vls == job.want_vls) {
          tick("sl2vl", ++done, total);
          return;
        }
        PortInfoChange c;
        c.operational_vls = job.want_vls;
        auto want = for_set(*job.info, c);
        if (!want) return problem(where(job.node, job.port) + " (PortInfo Set OperationalVLs)", want.error());
        const auto path = path_to(job.node, job.port);
        if (!path) return problem(where(job.node, job.port), error_of(errc::not_found, "no directed route to the node"));
        set(*path, AttrId::PortInfo, job.port, encode(*want), [this, &job, &done, total](Result<Smp> r) {
          tick("sl2vl", ++done, total);
          const std::string w = where(job.node, job.port) + " (PortInfo Set OperationalVLs)";
          if (!r) return problem(w, r.error());
          auto info = decode_port_info(r->data);
          if (!info) return problem(w, info.error());
          job.info = *info;
          job.vls_done = true;
        });
      });
    }
    if (auto r = drain(); !r) return r;
    total = sl2vl_jobs_.size();
    done = 0;
    for (Sl2VlJob& j : sl2vl_jobs_) {
      const bool sw = v_.is_switch(j.node);
      const auto path = path_to(j.node, sw ? model::PortNum(0) : j.out);
      if (!path) {
        problem(where(j.node, j.out), error_of(errc::not_found, "no directed route to the node; SL2VL not written"));
        continue;
      }
      set(*path, AttrId::SL2VLTable, sw ? sl2vl_attr_mod(j.in, j.out) : 0, encode(j.table),
          [this, &j, &done, total](Result<Smp> r) {
            tick("sl2vl", ++done, total);
            if (!r) return problem(sl2vl_where(j), r.error());
            j.written = true;
            ++report_.sl2vl_tables;
          });
    }
    return drain();
  }

  std::string sl2vl_where(const Sl2VlJob& j) const {
    if (!v_.is_switch(j.node)) return where(j.node, j.out) + " SL2VL";
    return node_name(v_, j.node) + " SL2VL in port " + std::to_string(j.in) + " out port " + std::to_string(j.out);
  }

  // ---- 4. activation

  void set_state(PortJob& j, model::PortState state, std::size_t& done, std::size_t total) {
    PortInfoChange c;
    c.state = state;
    auto want = for_set(*j.info, c);
    if (!want) return problem(where(j.node, j.port) + " (PortInfo Set)", want.error());
    const auto path = path_to(j.node, j.port);
    if (!path) return problem(where(j.node, j.port), error_of(errc::not_found, "no directed route to the node"));
    set(*path, AttrId::PortInfo, j.port, encode(*want), [this, &j, state, &done, total](Result<Smp> r) {
      tick("activate", ++done, total);
      const std::string what = state == model::PortState::Armed ? " (PortInfo Set Armed)" : " (PortInfo Set Active)";
      if (!r) return problem(where(j.node, j.port) + what, r.error());
      auto info = decode_port_info(r->data);
      if (!info) return problem(where(j.node, j.port) + what, info.error());
      j.info = *info;
      if (state == model::PortState::Active && info->port_state == std::uint8_t(model::PortState::Active)) {
        j.active_done = true;
        ++report_.ports_activated;
      }
    });
  }

  Result<void> activate() {
    std::size_t total = 0, done = 0;
    for (PortJob& j : jobs_) total += j.want_active ? 2 : 0;
    for (PortJob& j : jobs_) {
      if (!j.want_active) continue;
      with_info(j, [this, &done, total](PortJob& job) {
        if (job.info->port_state == std::uint8_t(model::PortState::Init))
          set_state(job, model::PortState::Armed, done, total);
      });
    }
    if (auto r = drain(); !r) return r;
    for (PortJob& j : jobs_)
      if (j.want_active && j.info && j.info->port_state == std::uint8_t(model::PortState::Armed))
        set_state(j, model::PortState::Active, done, total);
    return drain();
  }

  // ---- 5. verify

  void mismatch(std::string w, std::string what) { problem(std::move(w), error_of(errc::inconsistent, std::move(what))); }

  Result<void> verify() {
    std::size_t total = 0, done = 0;
    for (const SwitchJob& s : switches_) total += s.written.size() + (s.info ? 1 : 0);
    for (const PKeyJob& j : pkey_jobs_) total += j.blocks;
    for (const PortJob& j : jobs_) total += (j.lid_done || j.active_done || j.vls_done);
    for (const Sl2VlJob& j : sl2vl_jobs_) total += j.written;
    for (const Sl2VlJob& j : sl2vl_jobs_) {
      if (!j.written) continue;
      const bool sw = v_.is_switch(j.node);
      const auto path = path_to(j.node, sw ? model::PortNum(0) : j.out);
      if (!path) continue;
      get(*path, AttrId::SL2VLTable, sw ? sl2vl_attr_mod(j.in, j.out) : 0, [this, &j, &done, total](Result<Smp> r) {
        tick("verify", ++done, total);
        const std::string w = sl2vl_where(j);
        if (!r) return problem(w + " (verify)", r.error());
        auto got = decode_sl2vl(r->data);
        if (!got) return problem(w + " (verify)", got.error());
        for (std::size_t sl = 0; sl < 16; ++sl)
          if (got->vl[sl] != j.table.vl[sl])
            return mismatch(w, "SL " + std::to_string(sl) + " reads VL " + std::to_string(got->vl[sl]) +
                                   ", expected " + std::to_string(j.table.vl[sl]));
        ++report_.verified;
      });
    }
    for (const SwitchJob& s : switches_) {
      if (!s.info || !paths_[s.sw]) continue;
      get(*paths_[s.sw], AttrId::SwitchInfo, 0, [this, &s, &done, total](Result<Smp> r) {
        tick("verify", ++done, total);
        if (!r) return problem(node_name(v_, s.sw) + " (verify SwitchInfo)", r.error());
        auto i = decode_switch_info(r->data);
        if (!i) return problem(node_name(v_, s.sw) + " (verify SwitchInfo)", i.error());
        if (i->linear_fdb_top != table_.max_lid())
          return mismatch(node_name(v_, s.sw), "LinearFDBTop reads " + std::to_string(i->linear_fdb_top) +
                                                   ", expected " + std::to_string(table_.max_lid()));
        ++report_.verified;
      });
      for (std::uint32_t b : s.written)
        get(*paths_[s.sw], AttrId::LinearForwardingTable, b, [this, &s, b, &done, total](Result<Smp> r) {
          tick("verify", ++done, total);
          const std::string w = node_name(v_, s.sw) + " LFT block " + std::to_string(b);
          if (!r) return problem(w + " (verify)", r.error());
          auto got = decode_lft_block(r->data);
          if (!got) return problem(w + " (verify)", got.error());
          const auto want = table_.lft_block(s.sw, b);
          for (std::size_t i = 0; i < routing::lft_block_size; ++i)
            if (got->ports[i] != want[i])
              return mismatch(w, "LID " + std::to_string(b * routing::lft_block_size + i) + " reads port " +
                                     std::to_string(got->ports[i]) + ", expected " + std::to_string(want[i]));
          ++report_.verified;
        });
    }
    for (const PKeyJob& j : pkey_jobs_) {
      const auto path = path_to(j.node, j.port);
      if (!path) continue;
      for (std::size_t b = 0; b < j.blocks; ++b)
        get(*path, AttrId::PKeyTable, pkey_attr_mod(std::uint16_t(b), j.mod_port),
            [this, &j, b, &done, total](Result<Smp> r) {
          tick("verify", ++done, total);
          const std::string w = where(j.node, j.port) + " P_Key block " + std::to_string(b);
          if (!r) return problem(w + " (verify)", r.error());
          auto got = decode_pkey_block(r->data);
          if (!got) return problem(w + " (verify)", got.error());
          if (*got != pkey_block(j, b)) return mismatch(w, "P_Key table reads back different");
          ++report_.verified;
        });
    }
    for (const PortJob& j : jobs_) {
      if (!j.lid_done && !j.active_done && !j.vls_done) continue;
      const auto path = path_to(j.node, j.port);
      if (!path) continue;
      get(*path, AttrId::PortInfo, j.port, [this, &j, &done, total](Result<Smp> r) {
        tick("verify", ++done, total);
        const std::string w = where(j.node, j.port);
        if (!r) return problem(w + " (verify PortInfo)", r.error());
        auto got = decode_port_info(r->data);
        if (!got) return problem(w + " (verify PortInfo)", got.error());
        if (j.lid_done) {
          const std::uint16_t want = table_.base_lid(j.node, j.port);
          const std::uint8_t lmc = v_.is_switch(j.node) ? 0 : table_.lmc();
          if (got->lid != want || got->lmc != lmc)
            return mismatch(w, "LID/LMC read " + std::to_string(got->lid) + "/" + std::to_string(got->lmc) +
                                   ", expected " + std::to_string(want) + "/" + std::to_string(lmc));
        }
        if (j.vls_done && got->operational_vls != j.want_vls)
          return mismatch(w, "OperationalVLs reads " + std::to_string(got->operational_vls) + ", expected " +
                                 std::to_string(j.want_vls));
        if (j.active_done && got->port_state != std::uint8_t(model::PortState::Active))
          return mismatch(w, "PortState reads " +
                                 std::string(model::to_string(model::PortState(got->port_state & 0x7))) +
                                 ", expected Active");
        ++report_.verified;
      });
    }
    return drain();
  }

  Transport& t_;
  Discovered* last_;
  const model::Fabric& fabric_;
  const TopologyView& v_;
  const routing::RouteTable& table_;
  const ApplyOptions& o_;
  const ProgressFn& progress_;
  ApplyReport report_;
  std::uint32_t origin_ = TopologyView::npos;
  routing::Lid sm_lid_ = 0;
  std::vector<std::optional<DrPath>> paths_;
  // Completions hold references into these: they are sized before any
  // request is submitted and never resized while requests are pending.
  std::deque<PortJob> jobs_;
  std::vector<SwitchJob> switches_;
  std::deque<PKeyJob> pkey_jobs_;
  std::deque<Sl2VlJob> sl2vl_jobs_;
  std::map<std::pair<std::uint32_t, model::PortNum>, PortJob*> job_index_;  // into jobs_
};

// ---------------------------------------------------------------------------
// counters

std::uint64_t now_ms() {
  return std::uint64_t(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

struct CounterJob {
  model::PortRef ref;
  std::string where;
  std::uint16_t lid = 0;
  model::PortNum port = 0;
  std::optional<PortCounters> basic;
  std::optional<PortCountersExtended> ext;
};

} // namespace

Result<ApplyReport> apply_routes(Transport& transport, Discovered* last, const model::Fabric& fabric,
                                 const routing::RouteTable& table, const ApplyOptions& options,
                                 const ProgressFn& progress) {
  const auto view = fabric.snapshot();
  Programmer p(transport, last, fabric, *view, table, options, progress);
  return p.run();
}

Result<std::vector<Problem>> read_port_counters(Transport& transport, model::Fabric& fabric,
                                                const ProgressFn& progress) {
  std::vector<Problem> problems;
  // Agents by LID: each answers ClassPortInfo once.
  struct Agent {
    std::uint16_t lid = 0;
    std::string where;
    std::optional<ClassPortInfo> cpi;
  };
  std::deque<Agent> agents;
  std::deque<CounterJob> jobs;
  std::vector<std::size_t> agent_of;  // per job
  for (model::NodeId id : fabric.nodes()) {
    const auto n = fabric.node(id);
    if (!n) continue;
    const std::string name = std::string(n->type == model::NodeType::Switch ? "switch " : "CA ") +
                             model::format_guid(n->guid) + (n->description.empty() ? "" : " \"" + n->description + "\"");
    if (n->type == model::NodeType::Switch) {
      const std::uint16_t lid = n->ports[0].attributes.lid;
      if (lid == 0) continue;
      agents.push_back({lid, name, std::nullopt});
      for (std::size_t p = 1; p < n->ports.size(); ++p) {
        if (!n->ports[p].peer) continue;
        jobs.push_back({{id, model::PortNum(p)}, name + " port " + std::to_string(p), lid, model::PortNum(p), {}, {}});
        agent_of.push_back(agents.size() - 1);
      }
      continue;
    }
    for (std::size_t p = 1; p < n->ports.size(); ++p) {
      const std::uint16_t lid = n->ports[p].attributes.lid;
      if (lid == 0) continue;
      agents.push_back({lid, name + " port " + std::to_string(p), std::nullopt});
      jobs.push_back({{id, model::PortNum(p)}, name + " port " + std::to_string(p), lid, model::PortNum(p), {}, {}});
      agent_of.push_back(agents.size() - 1);
    }
  }
  for (Agent& a : agents)
    transport.submit(make_perf_get(a.lid, PerfAttr::ClassPortInfo, 0, 0), [&a, &problems](Result<PerfMad> r) {
      if (!r) return problems.push_back({a.where + " (PerfMgt ClassPortInfo)", r.error()});
      auto c = decode_class_port_info(r->data);
      if (!c) return problems.push_back({a.where + " (PerfMgt ClassPortInfo)", c.error()});
      a.cpi = *c;
    });
  if (auto r = transport.run(); !r) return fail(std::move(r).error());
  std::size_t total = 0, done = 0;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const Agent& a = agents[agent_of[i]];
    if (!a.cpi) continue;
    const bool ext = (a.cpi->capability_mask & (pm_ext_width_supported | pm_ext_width_noietf_supported)) != 0;
    CounterJob& j = jobs[i];
    auto tick = [&progress, &done, &total] {
      ++done;
      if (progress && (done == total || done % 256 == 0)) progress({"counters", done, total});
    };
    ++total;
    transport.submit(make_perf_get(j.lid, PerfAttr::PortCounters, j.port, 0), [&j, &problems, tick](Result<PerfMad> r) {
      tick();
      if (!r) return problems.push_back({j.where + " (PortCounters)", r.error()});
      auto c = decode_port_counters(r->data);
      if (!c) return problems.push_back({j.where + " (PortCounters)", c.error()});
      j.basic = *c;
    });
    if (!ext) continue;
    ++total;
    transport.submit(make_perf_get(j.lid, PerfAttr::PortCountersExtended, j.port, 0),
                     [&j, &problems, tick](Result<PerfMad> r) {
                       tick();
                       if (!r) return problems.push_back({j.where + " (PortCountersExtended)", r.error()});
                       auto c = decode_port_counters_ext(r->data);
                       if (!c) return problems.push_back({j.where + " (PortCountersExtended)", c.error()});
                       j.ext = *c;
                     });
  }
  if (auto r = transport.run(); !r) return fail(std::move(r).error());
  const std::uint64_t stamp = now_ms();
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const CounterJob& j = jobs[i];
    if (!j.basic && !j.ext) continue;
    const bool ext_errors = agents[agent_of[i]].cpi &&
                            (agents[agent_of[i]].cpi->capability_mask & pm_additional_port_counters_ext_supported);
    model::PortCounters c = to_counters(j.basic ? &*j.basic : nullptr, j.ext ? &*j.ext : nullptr, ext_errors);
    c.sampled_at_ms = stamp;
    if (auto r = fabric.set_counters(j.ref, c); !r) problems.push_back({j.where, r.error()});
  }
  return problems;
}

} // namespace ofmf::backend::umad
