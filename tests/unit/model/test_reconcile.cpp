// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// reconcile(): a discovery applied to the live fabric as mutations.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <set>
#include <vector>

#include "ofmf/model/reconcile.hpp"
#include "specs.hpp"

using namespace ofmf;
using namespace ofmf::model;

namespace {

using test::ca;
using test::sw;

NodeId node(Fabric& f, Guid g) {
  const auto id = f.find(g);
  REQUIRE(id);
  return *id;
}

void link(Fabric& f, Guid a, PortNum pa, Guid b, PortNum pb) { REQUIRE(f.connect({node(f, a), pa}, {node(f, b), pb})); }

void set_state(Fabric& f, Guid g, PortNum p, PortState s, std::uint16_t lid) {
  auto port = f.port({node(f, g), p});
  REQUIRE(port);
  PortAttributes a = port->attributes;
  a.state = s;
  a.lid = lid;
  REQUIRE(f.set_port({node(f, g), p}, a));
}

// Two switches 0x10 and 0x20 (8 ports) joined on port 1; hosts 0x100
// (on 0x10 port 2), 0x200 (on 0x20 port 2), 0x300 (on 0x20 port 3).
Fabric small() {
  Fabric f;
  REQUIRE(f.add_node(sw(0x10, 8, "spine")));
  REQUIRE(f.add_node(sw(0x20, 8, "leaf")));
  for (Guid g : {Guid(0x100), Guid(0x200), Guid(0x300)}) REQUIRE(f.add_node(ca(g)));
  link(f, 0x10, 1, 0x20, 1);
  link(f, 0x10, 2, 0x100, 1);
  link(f, 0x20, 2, 0x200, 1);
  link(f, 0x20, 3, 0x300, 1);
  for (Guid g : {Guid(0x100), Guid(0x200), Guid(0x300)}) set_state(f, g, 1, PortState::Active, std::uint16_t(g >> 8));
  REQUIRE(f.set_partition({0x7fff, "Default", {{0x101, Membership::Full}, {0x201, Membership::Full}, {0x301, Membership::Limited}}}));
  return f;
}

// Records the kinds of every change a fabric reports.
struct Recorder {
  std::vector<ChangeKind> kinds;
  ObserverId id;
  Fabric& f;
  explicit Recorder(Fabric& fabric) : f(fabric) {
    id = f.subscribe([this](const Change& c) { kinds.push_back(c.kind); });
  }
  ~Recorder() { f.unsubscribe(id); }
  std::size_t count(ChangeKind k) const { return std::size_t(std::count(kinds.begin(), kinds.end(), k)); }
};

ReconcileOptions take_all() {
  ReconcileOptions o;
  o.partitions = ReconcileFrom::Discovered;
  o.counters = ReconcileFrom::Discovered;
  return o;
}

void check_same(const Fabric& a, const Fabric& b) {
  std::string why;
  const bool same = same_fabric(a, b, &why);
  INFO(why);
  CHECK(same);
}

} // namespace

TEST_CASE("reconcile: an identical discovery changes nothing and notifies nobody", "[model]") {
  Fabric live = small();
  const Fabric disc = small();
  REQUIRE(live.set_counters({node(live, 0x10), 1}, PortCounters{.tx_bytes = 5}));
  Recorder rec(live);
  const auto generation = live.generation();
  for (const ReconcileOptions& o : {ReconcileOptions{}, take_all()}) {
    ReconcileOptions opt = o;
    if (o.counters == ReconcileFrom::Discovered) opt.counters = ReconcileFrom::Merged;  // disc has none
    auto r = reconcile(live, disc, opt);
    REQUIRE(r);
    CHECK_FALSE(r->changed());
    CHECK(r->mutations == 0);
    CHECK(to_string(*r).empty());
  }
  CHECK(rec.kinds.empty());
  CHECK(live.generation() == generation);
  SECTION("a fabric reconciled with itself") {
    auto r = reconcile(live, live);
    REQUIRE(r);
    CHECK_FALSE(r->changed());
    CHECK(rec.kinds.empty());
  }
}

TEST_CASE("reconcile: nodes added and removed", "[model]") {
  Fabric live = small();
  Fabric disc = small();
  REQUIRE(disc.remove_node(node(disc, 0x300)));
  REQUIRE(disc.add_node(ca(0x400, 2)));
  link(disc, 0x20, 3, 0x400, 2);
  set_state(disc, 0x400, 2, PortState::Init, 0);
  const auto kept_ids = std::vector{node(live, 0x10), node(live, 0x20), node(live, 0x100), node(live, 0x200)};
  Recorder rec(live);
  const auto generation = live.generation();

  auto r = reconcile(live, disc);
  REQUIRE(r);
  CHECK(r->changed());
  REQUIRE(r->nodes_added.size() == 1);
  CHECK(r->nodes_added[0] == NodeSummary{0x400, NodeType::ChannelAdapter, "host", 2});
  REQUIRE(r->nodes_removed.size() == 1);
  CHECK(r->nodes_removed[0].guid == 0x300);
  CHECK(r->nodes_replaced.empty());
  CHECK(r->links_removed == std::vector<LinkSummary>{{{0x20, 3}, {0x300, 1}}});
  CHECK(r->links_added == std::vector<LinkSummary>{{{0x20, 3}, {0x400, 2}}});
  CHECK(r->ports_changed.empty());  // ports of the new node come with it
  // Live partitions are kept; the removed port left them.
  CHECK(r->partitions_changed == std::vector<PKey>{0x7fff});
  CHECK(live.partition(0x7fff)->members.size() == 2);
  CHECK(r->mutations == live.generation() - generation);
  CHECK(rec.count(ChangeKind::NodeAdded) == 1);
  CHECK(rec.count(ChangeKind::NodeRemoved) == 1);
  CHECK(rec.count(ChangeKind::LinkAdded) == 1);
  CHECK(same_topology(live, disc));
  // The nodes that stay keep their IDs.
  for (NodeId id : kept_ids) CHECK(live.contains(id));
  CHECK(live.port({node(live, 0x400), 2})->attributes.state == PortState::Init);
  const std::string text = to_string(*r);
  CHECK(text.find("node added: Ca 0x0000000000000400") != std::string::npos);
  CHECK(text.find("link removed: 0x0000000000000020[3] - 0x0000000000000300[1]") != std::string::npos);

  SECTION("a second reconcile changes nothing") {
    const auto seen = rec.kinds.size();
    auto again = reconcile(live, disc);
    REQUIRE(again);
    CHECK_FALSE(again->changed());
    CHECK(rec.kinds.size() == seen);
  }
}

TEST_CASE("reconcile: a link moved to another port", "[model]") {
  Fabric live = small();
  Fabric disc = small();
  REQUIRE(disc.disconnect({node(disc, 0x200), 1}));
  link(disc, 0x10, 5, 0x200, 1);
  Recorder rec(live);
  auto r = reconcile(live, disc);
  REQUIRE(r);
  CHECK(r->nodes_added.empty());
  CHECK(r->nodes_removed.empty());
  CHECK(r->links_removed == std::vector<LinkSummary>{{{0x20, 2}, {0x200, 1}}});
  CHECK(r->links_added == std::vector<LinkSummary>{{{0x10, 5}, {0x200, 1}}});
  CHECK(rec.kinds == std::vector{ChangeKind::LinkRemoved, ChangeKind::LinkAdded});
  CHECK(r->mutations == 2);
  CHECK(live.peer({node(live, 0x200), 1}) == PortRef{node(live, 0x10), 5});
  check_same(live, disc);
}

TEST_CASE("reconcile: port state, LID and description changes", "[model]") {
  Fabric live = small();
  Fabric disc = small();
  set_state(disc, 0x200, 1, PortState::Down, 0);
  set_state(disc, 0x20, 0, PortState::Active, 9);  // switch port 0 carries its LID
  REQUIRE(disc.set_description(node(disc, 0x10), "spine-1"));
  Recorder rec(live);
  auto r = reconcile(live, disc);
  REQUIRE(r);
  REQUIRE(r->ports_changed.size() == 2);
  CHECK(r->ports_changed[0].port == LinkEnd{0x20, 0});
  CHECK(r->ports_changed[0].after.lid == 9);
  CHECK(r->ports_changed[1].port == LinkEnd{0x200, 1});
  CHECK(r->ports_changed[1].before.state == PortState::Active);
  CHECK(r->ports_changed[1].before.lid == 2);
  CHECK(r->ports_changed[1].after.state == PortState::Down);
  CHECK(r->ports_changed[1].after.lid == 0);
  REQUIRE(r->descriptions_changed.size() == 1);
  CHECK(r->descriptions_changed[0].before == "spine");
  CHECK(r->descriptions_changed[0].after == "spine-1");
  CHECK(rec.count(ChangeKind::PortChanged) == 2);
  CHECK(rec.count(ChangeKind::NodeChanged) == 1);
  CHECK(rec.kinds.size() == 3);
  CHECK(to_string(*r).find("port 0x0000000000000200[1]: LID 2 -> 0, state Active -> Down\n") != std::string::npos);
  check_same(live, disc);
}

TEST_CASE("reconcile: a node that changed what only a new node can take is replaced", "[model]") {
  Fabric live = small();
  Fabric disc = small();
  REQUIRE(disc.remove_node(node(disc, 0x100)));
  REQUIRE(disc.add_node(ca(0x100, 2)));  // another adapter with the same GUID: 2 ports
  link(disc, 0x10, 2, 0x100, 1);
  // The discovery carries the partition with the adapter's port again.
  REQUIRE(disc.set_partition(*small().partition(0x7fff)));
  REQUIRE(live.set_counters({node(live, 0x100), 1}, PortCounters{.rx_bytes = 7}));
  auto r = reconcile(live, disc);
  REQUIRE(r);
  CHECK(r->nodes_replaced == std::vector<Guid>{0x100});
  CHECK(r->nodes_added.size() == 1);
  CHECK(r->nodes_removed.size() == 1);
  CHECK(r->links_removed == r->links_added);
  CHECK(same_topology(live, disc));
  // Live's partition membership and counters of the port that still exists stay.
  CHECK(live.partition(0x7fff) == small().partition(0x7fff));
  CHECK(r->partitions_changed.empty());
  CHECK(live.counters({node(live, 0x100), 1})->rx_bytes == 7);
  CHECK(r->counters_changed == 1);
}

TEST_CASE("reconcile: partitions and counters follow the options", "[model]") {
  Fabric live = small();
  Fabric disc = small();
  REQUIRE(disc.remove_node(node(disc, 0x300)));
  REQUIRE(disc.set_partition({0x0010, "storage", {{0x101, Membership::Full}}}));
  REQUIRE(live.set_partition({0x0020, "compute", {{0x201, Membership::Full}, {0x301, Membership::Full}}}));
  REQUIRE(live.set_counters({node(live, 0x200), 1}, PortCounters{.tx_packets = 1}));
  REQUIRE(disc.set_counters({node(disc, 0x100), 1}, PortCounters{.tx_packets = 2}));
  ReconcileOptions o;
  SECTION("Live: the live partitions stay, without the removed port") {
    auto r = reconcile(live, disc, o);
    REQUIRE(r);
    CHECK(live.partition(0x0020)->members == std::vector<PartitionMember>{{0x201, Membership::Full}});
    CHECK_FALSE(live.partition(0x0010));
    CHECK(live.counters({node(live, 0x200), 1}));
    CHECK_FALSE(live.counters({node(live, 0x100), 1}));
    CHECK(r->partitions_changed == std::vector<PKey>{0x0020, 0x7fff});
    CHECK(r->counters_changed == 0);
  }
  SECTION("Discovered: the discovery's, exactly") {
    o.partitions = ReconcileFrom::Discovered;
    o.counters = ReconcileFrom::Discovered;
    auto r = reconcile(live, disc, o);
    REQUIRE(r);
    CHECK_FALSE(live.partition(0x0020));
    CHECK(live.partition(0x0010));
    CHECK_FALSE(live.counters({node(live, 0x200), 1}));
    CHECK(live.counters({node(live, 0x100), 1})->tx_packets == 2);
    CHECK(r->partitions_changed == std::vector<PKey>{0x0010, 0x0020, 0x7fff});
    CHECK(r->counters_changed == 2);
    check_same(live, disc);
  }
  SECTION("Merged: both, the discovery's winning") {
    o.partitions = ReconcileFrom::Merged;
    o.counters = ReconcileFrom::Merged;
    auto r = reconcile(live, disc, o);
    REQUIRE(r);
    CHECK(live.partition(0x0020));
    CHECK(live.partition(0x0010));
    CHECK(live.counters({node(live, 0x200), 1})->tx_packets == 1);
    CHECK(live.counters({node(live, 0x100), 1})->tx_packets == 2);
    CHECK(r->counters_changed == 1);
  }
}

TEST_CASE("reconcile: nodes the discovery missed can be kept", "[model]") {
  Fabric live = small();
  Fabric disc = small();
  // 0x20 did not answer: the discovery lacks it, its hosts and its links.
  REQUIRE(disc.remove_node(node(disc, 0x20)));
  REQUIRE(disc.remove_node(node(disc, 0x200)));
  REQUIRE(disc.remove_node(node(disc, 0x300)));
  ReconcileOptions o;
  SECTION("keep_missing keeps them with their links") {
    o.keep_missing = true;
    Recorder rec(live);
    auto r = reconcile(live, disc, o);
    REQUIRE(r);
    CHECK(r->nodes_kept == std::vector<Guid>{0x20, 0x200, 0x300});
    CHECK_FALSE(r->changed());
    CHECK(rec.kinds.empty());
    CHECK(live.node_count() == 5);
    CHECK(live.link_count() == 4);
  }
  SECTION("keep names the nodes kept") {
    o.keep = {0x20};
    auto r = reconcile(live, disc, o);
    REQUIRE(r);
    CHECK(r->nodes_kept == std::vector<Guid>{0x20});
    CHECK(r->nodes_removed.size() == 2);
    CHECK(live.find(0x20));
    CHECK(live.peer({node(live, 0x20), 1}) == PortRef{node(live, 0x10), 1});
  }
  SECTION("a kept node's link goes when the discovery links the other end elsewhere") {
    o.keep_missing = true;
    REQUIRE(disc.add_node(ca(0x500)));
    link(disc, 0x10, 1, 0x500, 1);
    auto r = reconcile(live, disc, o);
    REQUIRE(r);
    CHECK(r->links_removed == std::vector<LinkSummary>{{{0x10, 1}, {0x20, 1}}});
    CHECK(live.peer({node(live, 0x10), 1}) == PortRef{node(live, 0x500), 1});
    CHECK_FALSE(live.peer({node(live, 0x20), 1}));
  }
  SECTION("without either they are removed") {
    auto r = reconcile(live, disc, o);
    REQUIRE(r);
    CHECK(r->nodes_removed.size() == 3);
    CHECK(r->links_removed.size() == 3);
    check_same(live, disc);
  }
}

TEST_CASE("reconcile: a refused mutation part way leaves live untouched", "[model]") {
  Fabric live = small();
  Fabric disc = small();
  // Changes made before the refusal: a link removed, a port changed, a node removed...
  REQUIRE(disc.disconnect({node(disc, 0x100), 1}));
  set_state(disc, 0x200, 1, PortState::Down, 0);
  REQUIRE(disc.remove_node(node(disc, 0x20)));
  // ...then a new node whose port GUID is still held by the kept 0x300.
  NodeSpec clash = ca(0x700);
  clash.port_guids = {0x301};
  REQUIRE(disc.remove_node(node(disc, 0x300)));
  REQUIRE(disc.add_node(clash));
  ReconcileOptions o;
  o.keep = {0x300};
  const Fabric before = live;
  Recorder rec(live);
  const auto generation = live.generation();

  SECTION("refused") {
    auto r = reconcile(live, disc, o);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::already_exists);
    CHECK(r.error().message.rfind("reconcile: ", 0) == 0);
    CHECK(rec.kinds.empty());
    CHECK(live.generation() == generation);
    check_same(live, before);
  }
  SECTION("dry_run reports the same refusal, and the changes when there is none") {
    o.dry_run = true;
    CHECK_FALSE(reconcile(live, disc, o));
    o.keep.clear();
    auto r = reconcile(live, disc, o);
    REQUIRE(r);
    CHECK(r->changed());
    CHECK(r->mutations == 0);
    CHECK(r->nodes_removed.size() == 2);
    CHECK(rec.kinds.empty());
    check_same(live, before);
  }
  SECTION("from inside an observer of live: busy, and nothing changes") {
    std::optional<Error> inner;
    o.keep.clear();
    auto id = live.subscribe([&](const Change&) {
      if (inner) return;
      auto r = reconcile(live, disc, o);
      inner = r ? Error{} : r.error();
    });
    REQUIRE(live.set_description(node(live, 0x10), "x"));
    live.unsubscribe(id);
    REQUIRE(inner);
    CHECK(inner->code == errc::busy);
    CHECK(live.generation() == generation + 1);
  }
}

namespace {

// A random fabric: switches 0x1000+i, adapters 0x100000 + 16 i (1 or 2
// ports), random links, port attributes, partitions and counters.
Fabric random_fabric(std::mt19937& rng) {
  Fabric f;
  auto pick = [&](unsigned n) { return unsigned(std::uniform_int_distribution<unsigned>(0, n - 1)(rng)); };
  const unsigned switches = 2 + pick(6), adapters = 2 + pick(10);
  for (unsigned i = 0; i < switches; ++i) REQUIRE(f.add_node(sw(0x1000 + i, 4 + pick(5), "sw" + std::to_string(i))));
  for (unsigned i = 0; i < adapters; ++i) REQUIRE(f.add_node(ca(0x100000 + 16 * i, 1 + pick(2))));
  std::vector<PortRef> ports;
  for (NodeId id : f.nodes())
    for (unsigned p = 1; p <= *f.num_ports(id); ++p) ports.push_back({id, PortNum(p)});
  std::shuffle(ports.begin(), ports.end(), rng);
  for (std::size_t i = 0; i + 1 < ports.size() && i < ports.size() * 3 / 4; i += 2)
    if (*f.type(ports[i].node) == NodeType::Switch || *f.type(ports[i + 1].node) == NodeType::Switch)
      REQUIRE(f.connect(ports[i], ports[i + 1]));
  std::vector<PartitionMember> members;
  for (NodeId id : f.nodes()) {
    const bool is_sw = *f.type(id) == NodeType::Switch;
    for (unsigned p = is_sw ? 0 : 1; p <= *f.num_ports(id); ++p) {
      PortAttributes a = f.port({id, PortNum(p)})->attributes;
      a.state = PortState(1 + pick(4));
      a.lid = std::uint16_t(pick(3) ? 0 : 1 + pick(100));
      a.speed = LinkSpeed(1 + pick(9));
      REQUIRE(f.set_port({id, PortNum(p)}, a));
      if (pick(3) == 0) REQUIRE(f.set_counters({id, PortNum(p)}, PortCounters{.tx_bytes = pick(1000)}));
    }
    if (!is_sw && pick(2)) members.push_back({f.port({id, 1})->attributes.guid, Membership(pick(2))});
    if (is_sw && pick(3) == 0) members.push_back({*f.guid(id), Membership::Full});
  }
  REQUIRE(f.set_partition({default_pkey, "Default", members}));
  if (members.size() > 1) REQUIRE(f.set_partition({0x0042, "half", {members.begin(), members.begin() + 1}}));
  return f;
}

// A copy of `a` with random changes of every kind.
Fabric mutate(const Fabric& a, std::mt19937& rng) {
  Fabric b = a;
  auto pick = [&](unsigned n) { return unsigned(std::uniform_int_distribution<unsigned>(0, n - 1)(rng)); };
  const unsigned steps = 1 + pick(8);
  Guid next_guid = 0x900000;
  for (unsigned s = 0; s < steps; ++s) {
    const auto ids = b.nodes();
    const NodeId id = ids[pick(unsigned(ids.size()))];
    const unsigned np = *b.num_ports(id);
    const PortRef p{id, PortNum(1 + pick(np))};
    switch (pick(8)) {
      case 0:
        if (ids.size() > 2) REQUIRE(b.remove_node(id));
        break;
      case 1: {
        const auto g = next_guid += 16;
        auto n = b.add_node(pick(2) ? ca(g, 1 + pick(2)) : sw(g, 3 + pick(4), "new"));
        REQUIRE(n);
        const PortRef q{*n, 1};
        if (!b.peer(p) && p.node != *n) REQUIRE(b.connect(p, q));
        break;
      }
      case 2:
        if (b.peer(p)) REQUIRE(b.disconnect(p));
        break;
      case 3: {  // move a link end to another free port
        const auto q = b.peer(p);
        const PortRef r{ids[pick(unsigned(ids.size()))], 1};
        if (q && !b.peer(r) && r.node != q->node) {
          REQUIRE(b.disconnect(p));
          REQUIRE(b.connect(*q, r));
        }
        break;
      }
      case 4: {
        PortAttributes x = b.port(p)->attributes;
        x.state = PortState(1 + pick(4));
        x.lid = std::uint16_t(pick(200));
        x.width = pick(2) ? LinkWidth::X4 : LinkWidth::X1;
        REQUIRE(b.set_port(p, x));
        break;
      }
      case 5:
        REQUIRE(b.set_description(id, "renamed " + std::to_string(pick(100))));
        break;
      case 6: {  // the same GUID with another port count: replaced
        auto n = b.node(id);
        REQUIRE(n);
        REQUIRE(b.remove_node(id));
        NodeSpec spec = n->type == NodeType::Switch ? sw(n->guid, n->num_ports() + 1, n->description)
                                                    : ca(n->guid, n->num_ports() == 1 ? 2 : 1);
        REQUIRE(b.add_node(spec));
        break;
      }
      case 7:
        if (pick(2)) REQUIRE(b.set_counters(p, PortCounters{.rx_bytes = pick(50)}));
        else if (b.partition(0x0042)) REQUIRE(b.remove_partition(0x0042));
        else REQUIRE(b.set_partition({0x0043, "new", {}}));
        break;
    }
  }
  return b;
}

using LinkSet = std::set<LinkSummary>;
LinkSet links_of(const Fabric& f) {
  LinkSet out;
  for (const Link& k : f.links()) {
    const LinkEnd a{*f.guid(k.a.node), k.a.port}, b{*f.guid(k.b.node), k.b.port};
    out.insert(a < b ? LinkSummary{a, b} : LinkSummary{b, a});
  }
  return out;
}

} // namespace

TEST_CASE("reconcile: random fabrics, random changes", "[model]") {
  // How many runs saw each kind of change: every kind must come up.
  std::size_t replaced_runs = 0, added_runs = 0, removed_runs = 0, link_runs = 0, port_runs = 0, desc_runs = 0,
              partition_runs = 0, counter_runs = 0;
  for (unsigned seed = 1; seed <= 300; ++seed) {
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    Fabric live = random_fabric(rng);
    const Fabric disc = mutate(live, rng);
    const LinkSet before = links_of(live), after = links_of(disc);
    const auto generation = live.generation();
    std::size_t notified = 0;
    live.subscribe([&](const Change&) { ++notified; });

    auto r = reconcile(live, disc, take_all());
    REQUIRE(r);
    std::string why;
    const bool same = same_fabric(live, disc, &why);
    INFO(why);
    REQUIRE(same);
    CHECK(r->mutations == live.generation() - generation);
    CHECK(r->changed() == (r->mutations > 0));
    CHECK((notified > 0) == (r->mutations > 0));
    // Links added and removed are the difference of the two link sets,
    // plus the links of replaced nodes (removed and added again).
    const std::set<Guid> replaced(r->nodes_replaced.begin(), r->nodes_replaced.end());
    auto touches = [&](const LinkSummary& k) { return replaced.count(k.a.node) || replaced.count(k.b.node); };
    LinkSet removed, added;
    for (const LinkSummary& k : r->links_removed)
      if (!touches(k) || !after.count(k)) removed.insert(k);
    for (const LinkSummary& k : r->links_added)
      if (!touches(k) || !before.count(k)) added.insert(k);
    LinkSet want_removed, want_added;
    std::set_difference(before.begin(), before.end(), after.begin(), after.end(),
                        std::inserter(want_removed, want_removed.end()));
    std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                        std::inserter(want_added, want_added.end()));
    CHECK(removed == want_removed);
    CHECK(added == want_added);
    CHECK(r->links_removed.size() == std::set(r->links_removed.begin(), r->links_removed.end()).size());
    replaced_runs += !r->nodes_replaced.empty();
    added_runs += r->nodes_added.size() > r->nodes_replaced.size();
    removed_runs += r->nodes_removed.size() > r->nodes_replaced.size();
    link_runs += !want_added.empty() || !want_removed.empty();
    port_runs += !r->ports_changed.empty();
    desc_runs += !r->descriptions_changed.empty();
    partition_runs += !r->partitions_changed.empty();
    counter_runs += r->counters_changed != 0;

    // Applying it again is a no-op.
    const auto seen = notified;
    auto again = reconcile(live, disc, take_all());
    REQUIRE(again);
    CHECK_FALSE(again->changed());
    CHECK(notified == seen);
  }
  CHECK(replaced_runs > 10);
  CHECK(added_runs > 10);
  CHECK(removed_runs > 10);
  CHECK(link_runs > 10);
  CHECK(port_runs > 10);
  CHECK(desc_runs > 10);
  CHECK(partition_runs > 10);
  CHECK(counter_runs > 10);
}
