// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// The subnet manager's events: one typed list (as OpenSM's event plug-in
/// interface has one), numbered in the order they happen, delivered to
/// subscribers in that order and kept for a while so that a reader that
/// fell behind (an event stream resuming after a reconnect) can catch up.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "ofmf/export.hpp"
#include "ofmf/model/types.hpp"

namespace ofmf::sm {

/// A sweep ended. `heavy`: the topology was walked (not only port states).
struct SweepDone {
  std::uint64_t number = 0;
  bool heavy = false;
  bool changed = false;  ///< something was programmed
  double elapsed_ms = 0;
};
/// The subnet is up: every node programmed and verified.
struct SubnetUp {
  std::size_t nodes = 0, switches = 0, links = 0;
  double elapsed_ms = 0;  ///< from the start of the sweep
};
/// A node joined or left the fabric.
struct NodeAdded {
  model::Guid guid = 0;
  model::NodeType type = model::NodeType::ChannelAdapter;
  std::string description;
};
struct NodeRemoved {
  model::Guid guid = 0;
  std::string description;
};
/// A link between two ports came up or went down.
struct LinkEnds {
  model::Guid a = 0;
  model::PortNum a_port = 0;
  model::Guid b = 0;
  model::PortNum b_port = 0;
};
struct LinkUp : LinkEnds {};
struct LinkDown : LinkEnds {};
/// A port's logical state changed.
struct PortStateChanged {
  model::Guid node = 0;
  model::PortNum port = 0;
  model::PortState before = model::PortState::Down, after = model::PortState::Down;
};
/// Forwarding tables changed: the 64-LID blocks written, per switch.
struct RouteDelta {
  struct Switch {
    model::Guid guid = 0;
    std::vector<std::uint32_t> blocks;  ///< ascending block numbers
  };
  std::vector<Switch> switches;
  std::size_t blocks = 0;  ///< total
  bool full = false;       ///< a full reroute (every table computed again)
};
/// A policy was accepted and programmed, or refused (nothing changed).
struct PolicyApplied {
  std::string summary;
  std::vector<std::string> warnings;
};
struct PolicyRejected {
  std::string reason;
};
/// Something went wrong that a person should see (a node not answering,
/// a table that did not read back).
struct Problem {
  std::string where;
  std::string message;
  std::string code;  ///< the errc name ("timeout", ...)
};

using EventData = std::variant<SweepDone, SubnetUp, NodeAdded, NodeRemoved, LinkUp, LinkDown, PortStateChanged,
                               RouteDelta, PolicyApplied, PolicyRejected, Problem>;

/// One event.
struct Event {
  std::uint64_t sequence = 0;                  ///< 1, 2, 3... in the order published
  std::chrono::system_clock::time_point time;  ///< when it was published
  EventData data;
};

/// The event's type name ("SweepDone", "LinkDown", ...).
OFMF_API std::string_view type_name(const EventData& data) noexcept;

/// `{"sequence", "time" (RFC 3339, UTC, ms), "type", ...the fields}`.
OFMF_API nlohmann::ordered_json to_json(const Event& event);

/// Numbers events, keeps the latest, delivers them to subscribers.
/// Thread-safe: any thread may publish, subscribe, unsubscribe or read.
/// Delivery is synchronous, on the publishing thread, one event at a time
/// in sequence order across all publishers; a handler must not block
/// (hand the event to a queue of its own for slow work) and must not
/// publish; it may unsubscribe itself or others (they get no later
/// event). Exceptions thrown by a handler are caught and dropped.
class OFMF_API EventLog {
 public:
  using Handler = std::function<void(const Event&)>;

  /// Keeps the latest `history` events (at least 1).
  explicit EventLog(std::size_t history = 4096);
  ~EventLog();
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  /// Publishes an event; returns its sequence number.
  std::uint64_t publish(EventData data);

  /// A subscription: unsubscribes when destroyed or reset().
  class OFMF_API Subscription {
   public:
    Subscription() noexcept = default;
    Subscription(Subscription&&) noexcept;
    Subscription& operator=(Subscription&&) noexcept;
    ~Subscription();
    void reset() noexcept;
    explicit operator bool() const noexcept { return id_ != 0; }

   private:
    friend class EventLog;
    Subscription(std::weak_ptr<void> log, std::uint64_t id) noexcept : log_(std::move(log)), id_(id) {}
    std::weak_ptr<void> log_;
    std::uint64_t id_ = 0;
  };
  /// Delivers every event published from now on to `handler`.
  [[nodiscard]] Subscription subscribe(Handler handler);

  /// The kept events with a sequence number above `after`, oldest first.
  /// `missed` (if given) is set to how many events after `after` are no
  /// longer kept.
  std::vector<Event> since(std::uint64_t after, std::uint64_t* missed = nullptr) const;
  /// The sequence number of the latest event (0 before the first).
  std::uint64_t last_sequence() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

} // namespace ofmf::sm
