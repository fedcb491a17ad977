// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// The MAD transport: a window of requests in flight over a Wire, per-request
// timeouts and resends, TID matching; and the Wire over libibumad.
#include "transport.hpp"

#include <infiniband/umad.h>

#include <endian.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ofmf::backend::umad {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::uint8_t response_bit = 0x80;

bool registered(std::uint8_t cls) noexcept {
  return cls == static_cast<std::uint8_t>(MgmtClass::SubnLid) || cls == static_cast<std::uint8_t>(MgmtClass::PerfMgt) ||
         cls == static_cast<std::uint8_t>(MgmtClass::SubnDirected);
}

void set_tid(MadBuffer& m, std::uint64_t tid) noexcept {
  for (int i = 15; i >= 8; --i) {
    m[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(tid & 0xff);
    tid >>= 8;
  }
}

std::string hex(unsigned v, int digits) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%0*x", digits, v);
  return buf;
}

Error system_error(int err, std::string message) {
  return Error{std::error_code(err, std::system_category()), std::move(message) + ": " + std::strerror(err)};
}

// ----- libibumad -----

class UmadWire final : public Wire {
 public:
  UmadWire(int portid, std::string where) : portid_(portid), where_(std::move(where)) {
    buf_.resize(umad_size() + mad_size);
  }
  ~UmadWire() override {
    for (int a : agents_)
      if (a >= 0) umad_unregister(portid_, a);
    umad_close_port(portid_);
  }

  Result<void> register_agents() {
    const MgmtClass classes[3] = {MgmtClass::SubnDirected, MgmtClass::SubnLid, MgmtClass::PerfMgt};
    for (int i = 0; i < 3; ++i) {
      // Class version 1 for all three (SM classes and PerfMgt); no RMPP.
      const int a = umad_register(portid_, static_cast<int>(classes[i]), 1, 0, nullptr);
      if (a < 0)
        return fail(system_error(a == -1 ? (errno ? errno : EIO) : -a,
                                 where_ + ": umad_register class " + hex(static_cast<unsigned>(classes[i]), 2)));
      agents_[i] = a;
    }
    return {};
  }

  Result<void> send(MgmtClass cls, const MadBuffer& mad, const Address& to, std::chrono::milliseconds timeout) override {
    const int agent = agents_[index(cls)];
    std::fill(buf_.begin(), buf_.end(), std::uint8_t(0));
    umad_set_addr(buf_.data(), to.dlid, static_cast<int>(to.qpn), to.sl, static_cast<int>(to.qkey));
    std::memcpy(umad_get_mad(buf_.data()), mad.data(), mad_size);
    errno = 0;
    const int rc = umad_send(portid_, agent, buf_.data(), static_cast<int>(mad_size),
                             static_cast<int>(std::max<long long>(1, timeout.count())), 0);
    if (rc < 0) return fail(system_error(errno ? errno : -rc, where_ + ": umad_send"));
    return {};
  }

  Result<std::optional<MadBuffer>> receive(std::chrono::milliseconds wait) override {
    int length = static_cast<int>(mad_size);
    const int rc = umad_recv(portid_, buf_.data(), &length, static_cast<int>(std::max<long long>(0, wait.count())));
    if (rc < 0) {
      if (rc == -ETIMEDOUT || rc == -EWOULDBLOCK || errno == ETIMEDOUT || errno == EWOULDBLOCK || errno == EINTR)
        return std::optional<MadBuffer>{};
      return fail(system_error(-rc > 0 ? -rc : EIO, where_ + ": umad_recv"));
    }
    // A non-zero umad status is the kernel reporting a send it gave up
    // on (ETIMEDOUT); the transport keeps its own timers.
    if (umad_status(buf_.data()) != 0) return std::optional<MadBuffer>{};
    MadBuffer out{};
    std::memcpy(out.data(), umad_get_mad(buf_.data()),
                std::min<std::size_t>(mad_size, length > 0 ? static_cast<std::size_t>(length) : 0));
    return std::optional<MadBuffer>{out};
  }

 private:
  static int index(MgmtClass c) noexcept {
    return c == MgmtClass::SubnDirected ? 0 : c == MgmtClass::SubnLid ? 1 : 2;
  }
  int portid_;
  std::string where_;
  int agents_[3] = {-1, -1, -1};
  std::vector<std::uint8_t> buf_;
};

model::PortState to_state(unsigned s) {
  return s >= 1 && s <= 4 ? static_cast<model::PortState>(s) : model::PortState::NoChange;
}
model::PhysState to_phys(unsigned s) {
  return s <= 7 ? static_cast<model::PhysState>(s) : model::PhysState::NoChange;
}

// Reads one CA with libibumad; released on scope exit.
struct CaHandle {
  umad_ca_t ca{};
  bool ok = false;
  explicit CaHandle(const char* name) { ok = umad_get_ca(name, &ca) == 0; }
  ~CaHandle() {
    if (ok) umad_release_ca(&ca);
  }
  CaHandle(const CaHandle&) = delete;
  CaHandle& operator=(const CaHandle&) = delete;
};

bool link_up(const umad_port_t* p) { return p && p->state > 1; }

} // namespace

// ----- Transport -----

struct Transport::Impl {
  struct Waiting {
    MadBuffer mad;
    Address to;
    Completion done;
  };
  struct InFlight {
    Waiting req;
    Clock::time_point deadline;
    unsigned attempts = 0;
  };

  std::unique_ptr<Wire> wire;
  LocalPort local;
  Settings settings;
  Statistics stats;
  std::deque<Waiting> queue;
  std::unordered_map<std::uint32_t, InFlight> in_flight;
  std::uint32_t next_tid = 0;
  bool running = false;

  std::uint32_t fresh_tid() {
    do {
      ++next_tid;
    } while (next_tid == 0 || in_flight.count(next_tid));
    return next_tid;
  }

  // Sends `f` (new TID). On failure the request completes with the error.
  void transmit(InFlight f) {
    const std::uint32_t tid = fresh_tid();
    set_tid(f.req.mad, tid);
    const auto cls = static_cast<MgmtClass>(class_of(f.req.mad));
    ++f.attempts;
    ++stats.sent;
    auto r = wire->send(cls, f.req.mad, f.req.to, settings.timeout);
    if (!r) {
      Completion done = std::move(f.req.done);
      if (done) done(Unexpected{std::move(r).error()});
      return;
    }
    f.deadline = Clock::now() + settings.timeout;
    in_flight.emplace(tid, std::move(f));
  }

  void fill_window() {
    while (!queue.empty() && in_flight.size() < settings.window) {
      Waiting w = std::move(queue.front());
      queue.pop_front();
      if (!registered(class_of(w.mad))) {
        if (w.done)
          w.done(fail(errc::invalid_argument,
                      "MAD of management class " + hex(class_of(w.mad), 2) + " has no agent on this transport"));
        continue;
      }
      transmit(InFlight{std::move(w), {}, 0});
    }
  }

  void accept(const MadBuffer& m) {
    const auto tid = static_cast<std::uint32_t>(tid_of(m) & 0xffffffffu);
    auto it = in_flight.find(tid);
    if (!(method_of(m) & response_bit) || it == in_flight.end() || class_of(it->second.req.mad) != class_of(m)) {
      ++stats.rejected;
      return;
    }
    Completion done = std::move(it->second.req.done);
    in_flight.erase(it);
    ++stats.received;
    if (done) done(m);
  }

  void expire() {
    const auto now = Clock::now();
    std::vector<std::uint32_t> due;
    for (const auto& [tid, f] : in_flight)
      if (f.deadline <= now) due.push_back(tid);
    std::sort(due.begin(), due.end());  // deterministic order
    for (std::uint32_t tid : due) {
      auto node = in_flight.extract(tid);
      InFlight f = std::move(node.mapped());
      if (f.attempts <= settings.retries) {
        ++stats.retries;
        transmit(std::move(f));
        continue;
      }
      ++stats.timeouts;
      Completion done = std::move(f.req.done);
      if (done)
        done(fail(errc::timeout, "no answer after " + std::to_string(f.attempts) + " attempts of " +
                                     std::to_string(settings.timeout.count()) + " ms"));
    }
  }

  // Completes everything pending with `e`, and what those completions
  // submit in turn.
  void fail_all(const Error& e) {
    while (!in_flight.empty() || !queue.empty()) {
      std::vector<Completion> dones;
      for (auto& [tid, f] : in_flight) dones.push_back(std::move(f.req.done));
      for (auto& w : queue) dones.push_back(std::move(w.done));
      in_flight.clear();
      queue.clear();
      for (auto& d : dones)
        if (d) d(Unexpected{e});
    }
  }

  bool cancelled() const noexcept { return settings.cancel != nullptr && settings.cancel->requested(); }

  Result<void> run() {
    const auto t0 = Clock::now();
    running = true;
    Result<void> out;
    for (;;) {
      if (cancelled()) {
        Error e = make_error(errc::cancelled, "umad: " + local.ca + " port " + std::to_string(local.port) +
                                                  ": cancelled with " + std::to_string(queue.size() + in_flight.size()) +
                                                  " requests pending");
        out = Unexpected{e};
        fail_all(e);
        break;
      }
      fill_window();
      if (in_flight.empty()) {
        if (queue.empty()) break;
        continue;
      }
      auto nearest = Clock::time_point::max();
      for (const auto& [tid, f] : in_flight) nearest = std::min(nearest, f.deadline);
      const auto now = Clock::now();
      auto wait = nearest > now ? std::chrono::ceil<std::chrono::milliseconds>(nearest - now)
                                : std::chrono::milliseconds(0);
      if (settings.cancel != nullptr) wait = std::min(wait, cancel_poll);
      auto got = wire->receive(wait);
      if (!got) {
        out = Unexpected{got.error()};
        fail_all(got.error());
        break;
      }
      if (*got) {
        accept(**got);
        // Drain what is already there without waiting, so answers are not
        // taken for timeouts when many arrive together.
        while (!cancelled()) {
          fill_window();
          auto more = wire->receive(std::chrono::milliseconds(0));
          if (!more || !*more) break;
          accept(**more);
        }
      }
      expire();
    }
    running = false;
    stats.elapsed_ms += std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    return out;
  }
};

Transport::Transport(std::unique_ptr<Wire> wire, LocalPort local, Settings settings)
    : impl_(std::make_unique<Impl>()) {
  impl_->wire = std::move(wire);
  impl_->local = std::move(local);
  if (settings.window == 0) settings.window = 1;
  impl_->settings = settings;
}

Transport::~Transport() = default;

const LocalPort& Transport::local() const noexcept { return impl_->local; }
const Transport::Settings& Transport::settings() const noexcept { return impl_->settings; }

void Transport::submit(const MadBuffer& request, const Address& to, Completion on_done) {
  impl_->queue.push_back({request, to, std::move(on_done)});
}

Result<void> Transport::run() { return impl_->run(); }

bool Transport::cancelled() const noexcept { return impl_->cancelled(); }

Result<MadBuffer> Transport::call(const MadBuffer& request, const Address& to) {
  std::optional<Result<MadBuffer>> answer;
  submit(request, to, [&answer](Result<MadBuffer> r) { answer.emplace(std::move(r)); });
  auto r = run();
  if (answer) return std::move(*answer);
  if (!r) return Unexpected{std::move(r).error()};
  return fail(errc::protocol_error, "the transport finished without completing the request");
}

void Transport::submit(const Smp& request, SmpCompletion on_done) {
  MadBuffer raw{};
  encode(request, raw);
  const Address to = request.directed() ? Address::directed() : Address::smp(request.dest_lid);
  submit(raw, to, [req = request, done = std::move(on_done)](Result<MadBuffer> answer) mutable {
    if (!done) return;
    if (!answer) return done(Unexpected{std::move(answer).error()});
    auto smp = decode_smp(*answer);
    if (!smp) return done(Unexpected{std::move(smp).error()});
    req.header.tid = smp->header.tid;  // the transport chose the TID it sent
    if (auto ok = check_response(req, *smp); !ok) return done(Unexpected{std::move(ok).error()});
    smp->dest_lid = req.dest_lid;
    done(std::move(*smp));
  });
}

void Transport::submit(const PerfMad& request, PerfCompletion on_done) {
  MadBuffer raw{};
  encode(request, raw);
  submit(raw, Address::gsi(request.dest_lid), [req = request, done = std::move(on_done)](Result<MadBuffer> answer) mutable {
    if (!done) return;
    if (!answer) return done(Unexpected{std::move(answer).error()});
    auto mad = decode_perf(*answer);
    if (!mad) return done(Unexpected{std::move(mad).error()});
    req.header.tid = mad->header.tid;
    if (auto ok = check_response(req, *mad); !ok) return done(Unexpected{std::move(ok).error()});
    mad->dest_lid = req.dest_lid;
    done(std::move(*mad));
  });
}

namespace {
template <class T, class Submit>
Result<T> call_typed(Transport& t, Submit submit) {
  std::optional<Result<T>> answer;
  submit([&answer](Result<T> r) { answer.emplace(std::move(r)); });
  auto r = t.run();
  if (answer) return std::move(*answer);
  if (!r) return Unexpected{std::move(r).error()};
  return fail(errc::protocol_error, "the transport finished without completing the request");
}
} // namespace

Result<Smp> Transport::call(const Smp& request) {
  return call_typed<Smp>(*this, [&](SmpCompletion done) { submit(request, std::move(done)); });
}

Result<PerfMad> Transport::call(const PerfMad& request) {
  return call_typed<PerfMad>(*this, [&](PerfCompletion done) { submit(request, std::move(done)); });
}

std::size_t Transport::pending() const noexcept { return impl_->queue.size() + impl_->in_flight.size(); }

Statistics Transport::statistics() const noexcept { return impl_->stats; }
void Transport::reset_statistics() noexcept { impl_->stats = {}; }

Result<std::unique_ptr<Transport>> Transport::open(const Config& config) {
  if (config.window == 0) return fail(errc::invalid_argument, "umad: window must be at least 1");
  if (config.timeout.count() <= 0) return fail(errc::invalid_argument, "umad: timeout must be positive");
  if (umad_init() < 0) return fail(errc::unavailable, "umad: libibumad could not be initialised (no umad ABI in sysfs)");

  std::vector<std::string> names;
  if (config.device.empty()) {
    char cas[UMAD_MAX_DEVICES][UMAD_CA_NAME_LEN];
    const int n = umad_get_cas_names(cas, UMAD_MAX_DEVICES);
    for (int i = 0; i < n; ++i) names.emplace_back(cas[i], strnlen(cas[i], UMAD_CA_NAME_LEN));
    if (names.empty()) return fail(errc::unavailable, "umad: no InfiniBand device on this host");
  } else {
    if (config.device.size() >= UMAD_CA_NAME_LEN)
      return fail(errc::unavailable, "umad: no device \"" + config.device + "\" (name too long)");
    names.push_back(config.device);
  }

  std::string why;
  for (const std::string& name : names) {
    CaHandle h(name.c_str());
    if (!h.ok) {
      why = "umad: no device \"" + name + "\"";
      continue;
    }
    const int nports = std::min(h.ca.numports, UMAD_CA_MAX_PORTS - 1);
    int portnum = -1;
    if (config.port != 0) {
      if (config.port > static_cast<unsigned>(nports) || !h.ca.ports[config.port]) {
        why = "umad: " + name + " has no port " + std::to_string(config.port) + " (ports 1.." + std::to_string(nports) + ")";
        continue;
      }
      portnum = static_cast<int>(config.port);
    } else {
      for (int p = 1; p <= nports && portnum < 0; ++p)
        if (link_up(h.ca.ports[p])) portnum = p;
      // A switch's management port is port 0.
      if (portnum < 0 && h.ca.ports[0] && link_up(h.ca.ports[0])) portnum = 0;
      if (portnum < 0) {
        why = "umad: " + name + " has no port with a link";
        continue;
      }
    }
    const umad_port_t* p = h.ca.ports[portnum];
    if (std::strncmp(p->link_layer, "Ethernet", UMAD_CA_NAME_LEN) == 0) {
      why = "umad: " + name + " port " + std::to_string(portnum) + " is Ethernet (RoCE), not InfiniBand";
      continue;
    }
    LocalPort local;
    local.ca = name;
    local.port = static_cast<unsigned>(portnum);
    local.lid = static_cast<std::uint16_t>(p->base_lid);
    local.lmc = static_cast<std::uint8_t>(p->lmc);
    local.sm_lid = static_cast<std::uint16_t>(p->sm_lid);
    local.port_guid = be64toh(p->port_guid);
    local.node_guid = be64toh(h.ca.node_guid);
    local.system_guid = be64toh(h.ca.system_guid);
    local.state = to_state(p->state);
    local.phys_state = to_phys(p->phys_state);
    local.link_layer = std::string(p->link_layer, strnlen(p->link_layer, UMAD_CA_NAME_LEN));

    const std::string where = "umad: " + name + " port " + std::to_string(portnum);
    errno = 0;
    const int portid = umad_open_port(name.c_str(), portnum);
    if (portid < 0) return fail(system_error(errno ? errno : -portid, where + ": umad_open_port"));
    auto wire = std::make_unique<UmadWire>(portid, where);
    if (auto r = wire->register_agents(); !r) return Unexpected{std::move(r).error()};
    Settings s;
    s.timeout = config.timeout;
    s.retries = config.retries;
    s.window = config.window;
    s.cancel = config.cancel;
    return std::make_unique<Transport>(std::move(wire), std::move(local), s);
  }
  if (config.device.empty()) why = "umad: no usable InfiniBand port on this host (" + why + ")";
  return fail(errc::unavailable, why);
}

} // namespace ofmf::backend::umad
