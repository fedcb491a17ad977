// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// The manager's event log (ofmf/sm/events.hpp).
#include "ofmf/sm/events.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <ctime>
#include <deque>
#include <mutex>
#include <utility>

namespace ofmf::sm {

namespace {

template <class... F>
struct Overload : F... {
  using F::operator()...;
};
template <class... F>
Overload(F...) -> Overload<F...>;

std::string rfc3339(std::chrono::system_clock::time_point t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  const std::time_t secs = std::time_t(ms / 1000);
  std::tm tm{};
  ::gmtime_r(&secs, &tm);
  char buf[40];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", int(ms % 1000));
  return buf;
}

const char* node_type(model::NodeType t) {
  switch (t) {
    case model::NodeType::Switch: return "Switch";
    case model::NodeType::Router: return "Router";
    case model::NodeType::ChannelAdapter: return "ChannelAdapter";
  }
  return "";
}

const char* port_state(model::PortState s) {
  switch (s) {
    case model::PortState::NoChange: return "NoChange";
    case model::PortState::Down: return "Down";
    case model::PortState::Init: return "Init";
    case model::PortState::Armed: return "Armed";
    case model::PortState::Active: return "Active";
  }
  return "";
}

void link_json(nlohmann::ordered_json& j, const LinkEnds& l) {
  j["a"] = {{"guid", model::format_guid(l.a)}, {"port", l.a_port}};
  j["b"] = {{"guid", model::format_guid(l.b)}, {"port", l.b_port}};
}

} // namespace

std::string_view type_name(const EventData& data) noexcept {
  return std::visit(Overload{
                        [](const SweepDone&) { return "SweepDone"; },
                        [](const SubnetUp&) { return "SubnetUp"; },
                        [](const NodeAdded&) { return "NodeAdded"; },
                        [](const NodeRemoved&) { return "NodeRemoved"; },
                        [](const LinkUp&) { return "LinkUp"; },
                        [](const LinkDown&) { return "LinkDown"; },
                        [](const PortStateChanged&) { return "PortStateChanged"; },
                        [](const RouteDelta&) { return "RouteDelta"; },
                        [](const PolicyApplied&) { return "PolicyApplied"; },
                        [](const PolicyRejected&) { return "PolicyRejected"; },
                        [](const Problem&) { return "Problem"; },
                    },
                    data);
}

nlohmann::ordered_json to_json(const Event& e) {
  nlohmann::ordered_json j;
  j["sequence"] = e.sequence;
  j["time"] = rfc3339(e.time);
  j["type"] = type_name(e.data);
  std::visit(Overload{
                 [&](const SweepDone& s) {
                   j["number"] = s.number;
                   j["heavy"] = s.heavy;
                   j["changed"] = s.changed;
                   j["elapsed_ms"] = s.elapsed_ms;
                 },
                 [&](const SubnetUp& s) {
                   j["nodes"] = s.nodes;
                   j["switches"] = s.switches;
                   j["links"] = s.links;
                   j["elapsed_ms"] = s.elapsed_ms;
                 },
                 [&](const NodeAdded& n) {
                   j["guid"] = model::format_guid(n.guid);
                   j["node_type"] = node_type(n.type);
                   j["description"] = n.description;
                 },
                 [&](const NodeRemoved& n) {
                   j["guid"] = model::format_guid(n.guid);
                   j["description"] = n.description;
                 },
                 [&](const LinkUp& l) { link_json(j, l); },
                 [&](const LinkDown& l) { link_json(j, l); },
                 [&](const PortStateChanged& p) {
                   j["guid"] = model::format_guid(p.node);
                   j["port"] = p.port;
                   j["before"] = port_state(p.before);
                   j["after"] = port_state(p.after);
                 },
                 [&](const RouteDelta& r) {
                   j["full"] = r.full;
                   j["blocks"] = r.blocks;
                   auto sw = nlohmann::ordered_json::array();
                   for (const auto& s : r.switches) sw.push_back({{"guid", model::format_guid(s.guid)}, {"blocks", s.blocks}});
                   j["switches"] = std::move(sw);
                 },
                 [&](const PolicyApplied& p) {
                   j["summary"] = p.summary;
                   j["warnings"] = p.warnings;
                 },
                 [&](const PolicyRejected& p) { j["reason"] = p.reason; },
                 [&](const Problem& p) {
                   j["where"] = p.where;
                   j["message"] = p.message;
                   j["code"] = p.code;
                 },
             },
             e.data);
  return j;
}

// ---------------------------------------------------------------------------

struct EventLog::State {
  struct Subscriber {
    std::uint64_t id = 0;
    Handler handler;
    std::atomic<bool> active{true};
  };
  std::size_t history = 0;
  std::mutex delivery;  // held while events are handed to subscribers, in order
  mutable std::mutex m;  // everything below
  std::uint64_t sequence = 0, next_id = 1;
  std::deque<Event> kept;
  std::vector<std::shared_ptr<Subscriber>> subscribers;
  std::deque<Event> pending;  // published by a handler, delivered after the current event

  void remove(std::uint64_t id) {
    std::lock_guard lock(m);
    for (auto it = subscribers.begin(); it != subscribers.end(); ++it)
      if ((*it)->id == id) {
        (*it)->active = false;
        subscribers.erase(it);
        return;
      }
  }

  /// Numbers and keeps an event; the caller holds `m`.
  Event record(EventData data) {
    Event e{++sequence, std::chrono::system_clock::now(), std::move(data)};
    kept.push_back(e);
    while (kept.size() > history) kept.pop_front();
    return e;
  }

  void deliver(const Event& e, const std::vector<std::shared_ptr<Subscriber>>& to) {
    for (const auto& s : to) {
      if (!s->active) continue;
      try {
        s->handler(e);
      } catch (...) {
      }
    }
  }
};

namespace {
thread_local const void* delivering = nullptr;  // the log whose handlers this thread runs
}

EventLog::EventLog(std::size_t history) : state_(std::make_shared<State>()) { state_->history = std::max<std::size_t>(history, 1); }

EventLog::~EventLog() = default;

std::uint64_t EventLog::publish(EventData data) {
  State& s = *state_;
  if (delivering == &s) {
    // From a handler: numbered now, delivered once the current event is done.
    std::lock_guard lock(s.m);
    s.pending.push_back(s.record(std::move(data)));
    return s.pending.back().sequence;
  }
  std::lock_guard order(s.delivery);
  Event e;
  std::vector<std::shared_ptr<State::Subscriber>> to;
  {
    std::lock_guard lock(s.m);
    e = s.record(std::move(data));
    to = s.subscribers;
  }
  const std::uint64_t seq = e.sequence;
  delivering = &s;
  for (;;) {
    s.deliver(e, to);
    std::lock_guard lock(s.m);
    if (s.pending.empty()) break;
    e = std::move(s.pending.front());
    s.pending.pop_front();
    to = s.subscribers;
  }
  delivering = nullptr;
  return seq;
}

EventLog::Subscription EventLog::subscribe(Handler handler) {
  auto sub = std::make_shared<State::Subscriber>();
  sub->handler = std::move(handler);
  std::lock_guard lock(state_->m);
  sub->id = state_->next_id++;
  state_->subscribers.push_back(sub);
  return Subscription(std::weak_ptr<void>(state_), sub->id);
}

std::vector<Event> EventLog::since(std::uint64_t after, std::uint64_t* missed) const {
  std::lock_guard lock(state_->m);
  std::vector<Event> out;
  const auto& kept = state_->kept;
  const std::uint64_t first = kept.empty() ? state_->sequence + 1 : kept.front().sequence;
  if (missed) *missed = after + 1 < first ? first - after - 1 : 0;
  for (const Event& e : kept)
    if (e.sequence > after) out.push_back(e);
  return out;
}

std::uint64_t EventLog::last_sequence() const {
  std::lock_guard lock(state_->m);
  return state_->sequence;
}

EventLog::Subscription::Subscription(Subscription&& o) noexcept : log_(std::move(o.log_)), id_(std::exchange(o.id_, 0)) {}

EventLog::Subscription& EventLog::Subscription::operator=(Subscription&& o) noexcept {
  if (this != &o) {
    reset();
    log_ = std::move(o.log_);
    id_ = std::exchange(o.id_, 0);
  }
  return *this;
}

EventLog::Subscription::~Subscription() { reset(); }

void EventLog::Subscription::reset() noexcept {
  if (id_ == 0) return;
  if (auto state = std::static_pointer_cast<State>(log_.lock())) state->remove(id_);
  id_ = 0;
  log_.reset();
}

} // namespace ofmf::sm
