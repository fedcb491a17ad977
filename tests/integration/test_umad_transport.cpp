// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// The umad Transport over a scripted Wire: window, resends, TID matching,
// answers nobody asked for. No device needed.
#include <catch2/catch.hpp>

#include <deque>
#include <functional>
#include <map>
#include <thread>

#include "backend/umad/transport.hpp"

using namespace ofmf;
using namespace ofmf::backend::umad;

namespace {

// Answers each request as `script` says; counts what is in flight.
class ScriptedWire final : public Wire {
 public:
  enum class Action { Answer, Drop, WrongTid, NotResponse };
  std::function<Action(const MadBuffer&, unsigned attempt)> script = [](const MadBuffer&, unsigned) {
    return Action::Answer;
  };
  std::size_t in_flight = 0, max_in_flight = 0, sends = 0;

  Result<void> send(MgmtClass, const MadBuffer& mad, const Address&, std::chrono::milliseconds) override {
    ++sends;
    const auto key = static_cast<std::uint32_t>(mad[24]) << 8 | mad[25];  // request number in the attribute ID
    const unsigned attempt = ++attempts_[key];
    ++in_flight;
    max_in_flight = std::max(max_in_flight, in_flight);
    MadBuffer answer = mad;
    answer[3] = static_cast<std::uint8_t>(mad[3] | 0x80);
    switch (script(mad, attempt)) {
      case Action::Answer: break;
      case Action::Drop: --in_flight; return {};
      case Action::WrongTid: answer[15] ^= 0x55; break;
      case Action::NotResponse: answer[3] = mad[3]; break;
    }
    answers_.push_back(answer);
    return {};
  }

  Result<std::optional<MadBuffer>> receive(std::chrono::milliseconds wait) override {
    if (answers_.empty()) {
      std::this_thread::sleep_for(std::min(wait, std::chrono::milliseconds(2)));
      return std::optional<MadBuffer>{};
    }
    MadBuffer m = answers_.front();
    answers_.pop_front();
    if (in_flight) --in_flight;
    return std::optional<MadBuffer>{m};
  }

 private:
  std::deque<MadBuffer> answers_;
  std::map<std::uint32_t, unsigned> attempts_;
};

MadBuffer request(std::uint16_t number) {
  MadBuffer m{};
  m[0] = 1;
  m[1] = static_cast<std::uint8_t>(MgmtClass::SubnDirected);
  m[2] = 1;
  m[3] = 0x01;  // Get
  m[24] = static_cast<std::uint8_t>(number >> 8);
  m[25] = static_cast<std::uint8_t>(number);
  return m;
}

struct Fixture {
  ScriptedWire* wire;
  std::unique_ptr<Transport> t;
  explicit Fixture(unsigned window, unsigned retries = 2) {
    auto w = std::make_unique<ScriptedWire>();
    wire = w.get();
    Transport::Settings s;
    s.timeout = std::chrono::milliseconds(5);
    s.retries = retries;
    s.window = window;
    t = std::make_unique<Transport>(std::move(w), LocalPort{}, s);
  }
};

} // namespace

TEST_CASE("umad Transport: the window bounds the requests in flight, completions may submit more", "[umad]") {
  Fixture f(3);
  unsigned done = 0;
  for (std::uint16_t i = 0; i < 10; ++i)
    f.t->submit(request(i), Address::directed(), [&, i](Result<MadBuffer> r) {
      REQUIRE(r);
      CHECK(((*r)[25] == (i & 0xff)));
      ++done;
      if (i == 0) f.t->submit(request(100), Address::directed(), [&](Result<MadBuffer> r2) { CHECK(r2); ++done; });
    });
  REQUIRE(f.t->run());
  CHECK(done == 11);
  CHECK(f.wire->max_in_flight <= 3);
  CHECK(f.t->pending() == 0);
  const auto s = f.t->statistics();
  CHECK(s.sent == 11);
  CHECK(s.received == 11);
  CHECK(s.retries == 0);
}

TEST_CASE("umad Transport: resends after a timeout, gives up after the retries", "[umad]") {
  SECTION("the second attempt is answered") {
    Fixture f(4, 2);
    f.wire->script = [](const MadBuffer&, unsigned attempt) {
      return attempt == 1 ? ScriptedWire::Action::Drop : ScriptedWire::Action::Answer;
    };
    auto r = f.t->call(request(7), Address::directed());
    REQUIRE(r);
    CHECK(f.t->statistics().retries == 1);
    CHECK(f.t->statistics().sent == 2);
  }
  SECTION("never answered: errc::timeout after 1 + retries attempts") {
    Fixture f(4, 2);
    f.wire->script = [](const MadBuffer&, unsigned) { return ScriptedWire::Action::Drop; };
    auto r = f.t->call(request(7), Address::directed());
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::timeout);
    CHECK_THAT(r.error().message, Catch::Contains("3 attempts"));
    CHECK(f.t->statistics().sent == 3);
    CHECK(f.t->statistics().timeouts == 1);
  }
}

TEST_CASE("umad Transport: answers with unknown TIDs or without the response bit are rejected", "[umad]") {
  Fixture f(2, 1);
  f.wire->script = [](const MadBuffer&, unsigned attempt) {
    return attempt == 1 ? ScriptedWire::Action::WrongTid : ScriptedWire::Action::NotResponse;
  };
  auto r = f.t->call(request(1), Address::directed());
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::timeout);
  CHECK(f.t->statistics().rejected == 2);
  CHECK(f.t->statistics().received == 0);
}

TEST_CASE("umad Transport: a class without an agent is refused, the TID's low 32 bits are the transport's", "[umad]") {
  Fixture f(2);
  MadBuffer m = request(1);
  m[1] = 0x03;  // SubnAdm: not registered
  auto r = f.t->call(m, Address::gsi(1));
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::invalid_argument);
  auto a = f.t->call(request(2), Address::directed());
  REQUIRE(a);
  auto b = f.t->call(request(3), Address::directed());
  REQUIRE(b);
  CHECK((tid_of(*a) & tid_mask) != (tid_of(*b) & tid_mask));
}

TEST_CASE("umad Transport: a cancellation ends run() while answers are awaited, nothing stays queued", "[umad]") {
  auto w = std::make_unique<ScriptedWire>();
  ScriptedWire* wire = w.get();
  wire->script = [](const MadBuffer&, unsigned) { return ScriptedWire::Action::Drop; };
  ofmf::backend::CancelFlag cancel;
  Transport::Settings s;
  s.timeout = std::chrono::milliseconds(400);  // 4 attempts: 1.6 s without the cancellation
  s.retries = 3;
  s.window = 2;
  s.cancel = &cancel;
  Transport t(std::move(w), LocalPort{}, s);
  std::vector<Error> errors;
  for (std::uint16_t i = 0; i < 6; ++i)
    t.submit(request(i), Address::directed(), [&, i](Result<MadBuffer> r) {
      REQUIRE_FALSE(r);
      errors.push_back(r.error());
      // A completion that submits again (as discovery does) is completed too.
      if (i == 0) t.submit(request(50), Address::directed(), [&](Result<MadBuffer> r2) { errors.push_back(r2.error()); });
    });
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cancel.request();
  });
  const auto t0 = std::chrono::steady_clock::now();
  auto r = t.run();
  const auto took = std::chrono::steady_clock::now() - t0;
  stopper.join();
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::cancelled);
  CHECK(took < std::chrono::milliseconds(100) + Transport::cancel_poll + std::chrono::milliseconds(100));
  CHECK(errors.size() == 7);
  for (const Error& e : errors) CHECK(e.code == errc::cancelled);
  CHECK(t.pending() == 0);
  CHECK(wire->sends == 2);  // the window, sent once each: no resend after the cancellation
  // Still requested: the next run ends at once.
  bool completed = false;
  t.submit(request(60), Address::directed(), [&](Result<MadBuffer> r3) { completed = !r3 && r3.error().code == errc::cancelled; });
  CHECK(t.run().error().code == errc::cancelled);
  CHECK(completed);
  CHECK(wire->sends == 2);
  cancel.clear();
  wire->script = [](const MadBuffer&, unsigned) { return ScriptedWire::Action::Answer; };
  CHECK(t.call(request(61), Address::directed()));
}
