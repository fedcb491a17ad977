// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include <catch2/catch.hpp>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "ofmf/sm/events.hpp"

using namespace ofmf;
using namespace ofmf::sm;

TEST_CASE("EventLog: numbered in order, as JSON", "[sm]") {
  EventLog log;
  CHECK(log.last_sequence() == 0);
  CHECK(log.publish(SweepDone{1, true, true, 12.5}) == 1);
  CHECK(log.publish(LinkDown{{0x10, 3, 0x20, 1}}) == 2);
  RouteDelta d;
  d.switches.push_back({0x10, {0, 2}});
  d.blocks = 2;
  CHECK(log.publish(d) == 3);
  CHECK(log.publish(PortStateChanged{0x20, 1, model::PortState::Init, model::PortState::Active}) == 4);
  const auto all = log.since(0);
  REQUIRE(all.size() == 4);
  const auto j0 = to_json(all[0]);
  CHECK(j0["sequence"] == 1);
  CHECK(j0["type"] == "SweepDone");
  CHECK(j0["heavy"] == true);
  CHECK(j0["time"].get<std::string>().size() == std::string("2026-12-08T04:01:02.345Z").size());
  const auto j1 = to_json(all[1]);
  CHECK(j1["type"] == "LinkDown");
  CHECK(j1["a"]["guid"] == "0x0000000000000010");
  CHECK(j1["a"]["port"] == 3);
  CHECK(to_json(all[2])["switches"][0]["blocks"].dump() == "[0,2]");
  CHECK(to_json(all[3])["after"] == "Active");
  CHECK(type_name(EventData{Problem{}}) == "Problem");
}

TEST_CASE("EventLog: subscribers see every event once, in order, from any publisher", "[sm]") {
  EventLog log;
  std::vector<std::uint64_t> a, b;
  auto sa = log.subscribe([&](const Event& e) { a.push_back(e.sequence); });
  auto sb = log.subscribe([&](const Event& e) { b.push_back(e.sequence); });
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) log.publish(Problem{"t", "m", "timeout"});
    });
  for (auto& t : threads) t.join();
  REQUIRE(a.size() == 2000);
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i] == i + 1);
  CHECK(a == b);
}

TEST_CASE("EventLog: subscriptions end when dropped, also from a handler", "[sm]") {
  EventLog log;
  int seen = 0, other = 0;
  EventLog::Subscription s2;
  auto s1 = log.subscribe([&](const Event&) {
    ++seen;
    s2.reset();  // the second subscriber gets nothing from this event on
  });
  s2 = log.subscribe([&](const Event&) { ++other; });
  log.publish(SweepDone{});
  log.publish(SweepDone{});
  CHECK(seen == 2);
  CHECK(other == 0);
  s1.reset();
  log.publish(SweepDone{});
  CHECK(seen == 2);
  CHECK_FALSE(s1);
  { auto gone = log.subscribe([&](const Event&) { ++other; }); }
  log.publish(SweepDone{});
  CHECK(other == 0);
}

TEST_CASE("EventLog: a handler that publishes or throws breaks nothing", "[sm]") {
  EventLog log;
  std::vector<std::uint64_t> order;
  auto s1 = log.subscribe([&](const Event& e) {
    order.push_back(e.sequence);
    if (std::holds_alternative<NodeAdded>(e.data)) log.publish(LinkUp{});  // delivered next, not nested
  });
  auto s2 = log.subscribe([&](const Event&) { throw std::runtime_error("handler bug"); });
  std::vector<std::uint64_t> third;
  auto s3 = log.subscribe([&](const Event& e) { third.push_back(e.sequence); });
  CHECK(log.publish(NodeAdded{0x1, model::NodeType::ChannelAdapter, "h"}) == 1);
  CHECK(log.publish(SweepDone{}) == 3);
  CHECK(order == std::vector<std::uint64_t>{1, 2, 3});
  CHECK(third == order);
}

TEST_CASE("EventLog: the latest events are kept for readers that fell behind", "[sm]") {
  EventLog log(3);
  for (int i = 0; i < 5; ++i) log.publish(SweepDone{std::uint64_t(i), false, false, 0});
  std::uint64_t missed = 99;
  auto e = log.since(0, &missed);
  REQUIRE(e.size() == 3);
  CHECK(e.front().sequence == 3);
  CHECK(missed == 2);
  e = log.since(4, &missed);
  REQUIRE(e.size() == 1);
  CHECK(missed == 0);
  CHECK(log.since(5, &missed).empty());
  CHECK(missed == 0);
}
