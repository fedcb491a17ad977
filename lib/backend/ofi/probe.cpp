// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Latency/bandwidth probe over libfabric: two endpoints (RDM, DGRAM via an
// address vector; MSG via a passive endpoint and connection events), send
// and receive with completion queues polled against a deadline.
//
// Control protocol (JSON messages over ofi::Channel):
//   client -> server  {"hello": 1, provider, ep, mode, method, sizes, iterations, warmup, window}
//   server -> client  {"name": hex, "addr_format": n, "provider": chain} or {"error": text}
//   client -> server  {"name": hex} or {"error": text}    (MSG: the client then connects)
//   per size: server -> client {"ready": size} once its receives are posted
//
// ProbeMethod::FiPingpong reproduces util/pingpong.c's set-up (hints,
// interface choice, CQ sizes, inject threshold, receive sizes and
// re-posting, no warm-up); see include/ofmf/backend/probe.hpp.
//   at the end: client -> server {"done": true}
#include <rdma/fabric.h>
#include <rdma/fi_cm.h>
#include <rdma/fi_domain.h>
#include <rdma/fi_endpoint.h>
#include <rdma/fi_eq.h>
#include <rdma/fi_errno.h>

#include <nlohmann/json.hpp>

#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "ofi_detail.hpp"
#include "ofmf/backend/probe.hpp"

namespace ofmf::backend {
namespace {

using Clock = std::chrono::steady_clock;
using ofi::Channel;
using ofi::fi_error;

constexpr std::size_t ack_size = 4;
// fi_pingpong posts receives of at least this many bytes (its control
// message size).
constexpr std::size_t fi_pingpong_min_rx = 64;

fi_ep_type to_fi(EndpointType t) {
  switch (t) {
    case EndpointType::Msg: return FI_EP_MSG;
    case EndpointType::Rdm: return FI_EP_RDM;
    case EndpointType::Dgram: return FI_EP_DGRAM;
  }
  return FI_EP_RDM;
}

// Closes a fid on scope exit.
template <class T>
struct Fid {
  T* p = nullptr;
  Fid() = default;
  Fid(const Fid&) = delete;
  Fid& operator=(const Fid&) = delete;
  ~Fid() { reset(); }
  void reset() {
    if (p) fi_close(&p->fid);
    p = nullptr;
  }
};

// One side: the libfabric objects and buffers.
struct Side {
  bool server = false;
  ProbeOptions opt;
  Channel* channel = nullptr;
  std::atomic<bool>* abort = nullptr;  // set by a failing sibling thread (loopback)

  fi_info* info = nullptr;  // owned
  Fid<fid_fabric> fabric;
  Fid<fid_eq> eq;
  Fid<fid_pep> pep;
  Fid<fid_domain> domain;
  Fid<fid_av> av;
  Fid<fid_cq> txcq, rxcq;
  Fid<fid_ep> ep;
  Fid<fid_mr> txmr, rxmr, ackmr;
  std::vector<char> txbuf, rxbuf, ackbuf;
  std::vector<char> fibuf;  // FiPingpong: one buffer, receive part first, both page-aligned
  char* txp = nullptr;      // where sends read (txbuf, or inside fibuf)
  char* rxp = nullptr;      // where receives write (rxbuf, or inside fibuf)
  void* txdesc = nullptr;
  void* rxdesc = nullptr;
  void* ackdesc = nullptr;
  fi_addr_t peer = FI_ADDR_UNSPEC;
  std::vector<fi_context2> txctx, rxctx;
  std::size_t max_size = 0;
  std::size_t inject_size = 0;
  std::string local_name, peer_name;
  std::size_t tx_pending = 0;  // sends whose completion was not read yet
  std::size_t prefix = 0;      // ep_attr->msg_prefix_size (FiPingpong asks for FI_MSG_PREFIX)
  std::size_t rx_len = 0;      // FiPingpong: length of every posted receive
  unsigned rx_slot = 0;        // FiPingpong: context of the next receive (two outstanding on DGRAM)

  Side() = default;
  Side(const Side&) = delete;
  ~Side() {
    // Endpoint first, then what it was bound to.
    ep.reset();
    txmr.reset();
    rxmr.reset();
    ackmr.reset();
    txcq.reset();
    rxcq.reset();
    av.reset();
    pep.reset();
    domain.reset();
    eq.reset();
    fabric.reset();
    if (info) fi_freeinfo(info);
  }

  std::string who() const { return std::string(server ? "probe server" : "probe client"); }

  bool fi_method() const { return opt.method == ProbeMethod::FiPingpong; }

  std::size_t biggest_size() const {
    std::size_t b = 1;
    for (std::size_t s : opt.sizes) b = std::max(b, s);
    return b;
  }

  Error err(int ret, const std::string& what) const { return fi_error(ret, who() + ": " + what); }

  // ------------------------------------------------------------ control
  Result<void> send_json(const nlohmann::json& j) { return channel->send(j.dump()); }

  Result<nlohmann::json> receive_json() {
    auto m = channel->receive(opt.timeout);
    if (!m) return Unexpected(std::move(m).error());
    auto j = nlohmann::json::parse(*m, nullptr, false);
    if (j.is_discarded() || !j.is_object())
      return fail(errc::protocol_error, who() + ": malformed control message from the peer");
    if (auto e = j.find("error"); e != j.end() && e->is_string())
      return fail(errc::unavailable, who() + ": the peer failed: " + e->get<std::string>());
    return j;
  }

  // Tells the peer why we stop (best effort) and returns the error.
  Unexpected abandon(Error e) {
    (void)send_json({{"error", e.message}});
    if (abort) abort->store(true);
    return Unexpected(std::move(e));
  }

  // ------------------------------------------------------------ setup
  fi_info* make_hints() const {
    fi_info* h = fi_allocinfo();
    if (!h) throw std::bad_alloc();
    h->caps = FI_MSG;
    h->mode = FI_CONTEXT | FI_CONTEXT2;
    h->ep_attr->type = to_fi(opt.endpoint_type);
    if (fi_method()) {
      h->mode |= FI_MSG_PREFIX;
      if (opt.endpoint_type == EndpointType::Dgram) h->ep_attr->max_msg_size = biggest_size();
    }
    h->domain_attr->mr_mode = FI_MR_LOCAL | FI_MR_VIRT_ADDR | FI_MR_ALLOCATED | FI_MR_PROV_KEY;
    h->fabric_attr->prov_name = ::strdup(opt.provider.c_str());
    if (!h->fabric_attr->prov_name) throw std::bad_alloc();
    return h;
  }

  bool takes_ip() const {
    const std::string p = opt.provider;
    return p != "shm" && p.rfind("shm;", 0) != 0;
  }

  Result<void> getinfo_server() {
    fi_info* hints = make_hints();
    // fi_pingpong's server names no node: the provider's first interface.
    const char* node = takes_ip() && !opt.address.empty() && !fi_method() ? opt.address.c_str() : nullptr;
    const int ret = fi_getinfo(FI_VERSION(FI_MAJOR_VERSION, FI_MINOR_VERSION), node, node ? "0" : nullptr,
                               node ? FI_SOURCE : 0, hints, &info);
    fi_freeinfo(hints);
    if (ret == -FI_ENODATA)
      return fail(errc::unavailable, who() + ": libfabric provider \"" + opt.provider + "\" offers no " +
                                         std::string(to_string(opt.endpoint_type)) + " endpoint with FI_MSG" +
                                         (node ? " on " + opt.address : std::string()) +
                                         " (see ofmfctl inventory --backend ofi)");
    if (ret) return Unexpected(err(ret, "fi_getinfo(" + opt.provider + ")"));
    return {};
  }

  Result<void> getinfo_client(std::uint32_t addr_format, const std::string& server_name) {
    fi_info* hints = make_hints();
    hints->addr_format = addr_format;
    hints->dest_addr = ::malloc(server_name.size());
    if (!hints->dest_addr) throw std::bad_alloc();
    std::memcpy(hints->dest_addr, server_name.data(), server_name.size());
    hints->dest_addrlen = server_name.size();
    const int ret = fi_getinfo(FI_VERSION(FI_MAJOR_VERSION, FI_MINOR_VERSION), nullptr, nullptr, 0, hints, &info);
    fi_freeinfo(hints);
    if (ret == -FI_ENODATA)
      return fail(errc::unavailable, who() + ": libfabric provider \"" + opt.provider + "\" cannot reach " +
                                         ofi::format_address(addr_format, server_name.data(), server_name.size()));
    if (ret) return Unexpected(err(ret, "fi_getinfo(" + opt.provider + ")"));
    return {};
  }

  Result<void> check_sizes() {
    max_size = info->ep_attr->max_msg_size;
    inject_size = info->tx_attr->inject_size;
    for (std::size_t s : opt.sizes)
      if (s > max_size)
        return fail(errc::invalid_argument, who() + ": message size " + std::to_string(s) + " is above the " +
                                                std::string(info->fabric_attr->prov_name) + " " +
                                                std::string(to_string(opt.endpoint_type)) + " limit of " +
                                                std::to_string(max_size) + " bytes (ep_attr->max_msg_size)");
    return {};
  }

  Result<void> open_fabric() {
    if (int ret = fi_fabric(info->fabric_attr, &fabric.p, nullptr)) return Unexpected(err(ret, "fi_fabric"));
    if (opt.endpoint_type == EndpointType::Msg) {
      fi_eq_attr ea{};
      ea.wait_obj = FI_WAIT_UNSPEC;
      if (int ret = fi_eq_open(fabric.p, &ea, &eq.p, nullptr)) return Unexpected(err(ret, "fi_eq_open"));
    }
    return {};
  }

  Result<void> register_buffer(void* buf, std::size_t len, Fid<fid_mr>& mr, void*& desc) {
    if (!(info->domain_attr->mr_mode & FI_MR_LOCAL)) return {};
    if (int ret = fi_mr_reg(domain.p, buf, len, FI_SEND | FI_RECV, 0, 0, 0, &mr.p, nullptr))
      return Unexpected(err(ret, "fi_mr_reg"));
    desc = fi_mr_desc(mr.p);
    return {};
  }

  // Domain, CQs, (AV), endpoint, buffers. `ep_info` is the connection
  // request's info on a MSG server, else `info`.
  Result<void> open_endpoint(fi_info* ep_info) {
    if (int ret = fi_domain(fabric.p, ep_info, &domain.p, nullptr)) return Unexpected(err(ret, "fi_domain"));
    fi_cq_attr ca{};
    ca.format = FI_CQ_FORMAT_CONTEXT;
    ca.wait_obj = FI_WAIT_NONE;
    ca.size = std::max<std::size_t>(opt.window * 2 + 16, 128);
    if (fi_method()) ca.size = ep_info->tx_attr->size;
    if (int ret = fi_cq_open(domain.p, &ca, &txcq.p, nullptr)) return Unexpected(err(ret, "fi_cq_open"));
    if (fi_method()) ca.size = ep_info->rx_attr->size;
    if (int ret = fi_cq_open(domain.p, &ca, &rxcq.p, nullptr)) return Unexpected(err(ret, "fi_cq_open"));
    if (opt.endpoint_type != EndpointType::Msg) {
      fi_av_attr aa{};
      aa.type = FI_AV_UNSPEC;
      aa.count = 2;
      if (int ret = fi_av_open(domain.p, &aa, &av.p, nullptr)) return Unexpected(err(ret, "fi_av_open"));
    }
    if (int ret = fi_endpoint(domain.p, ep_info, &ep.p, nullptr)) return Unexpected(err(ret, "fi_endpoint"));
    if (eq.p)
      if (int ret = fi_ep_bind(ep.p, &eq.p->fid, 0)) return Unexpected(err(ret, "fi_ep_bind(eq)"));
    if (av.p)
      if (int ret = fi_ep_bind(ep.p, &av.p->fid, 0)) return Unexpected(err(ret, "fi_ep_bind(av)"));
    if (int ret = fi_ep_bind(ep.p, &txcq.p->fid, FI_TRANSMIT)) return Unexpected(err(ret, "fi_ep_bind(tx cq)"));
    if (int ret = fi_ep_bind(ep.p, &rxcq.p->fid, FI_RECV)) return Unexpected(err(ret, "fi_ep_bind(rx cq)"));
    if (int ret = fi_enable(ep.p)) return Unexpected(err(ret, "fi_enable"));
    const std::size_t biggest = biggest_size();
    if (fi_method()) {
      // fi_pingpong's layout: one zeroed allocation, the receive part at
      // its page-aligned start, the send part at the next page boundary.
      prefix = ep_info->ep_attr->msg_prefix_size;
      rx_len = std::max(biggest, fi_pingpong_min_rx) + prefix;
      const std::size_t page = std::size_t(std::max(4096L, ::sysconf(_SC_PAGESIZE)));
      auto align = [page](std::uintptr_t a) { return (a + page - 1) & ~std::uintptr_t(page - 1); };
      const std::size_t tx_len = std::max(biggest, fi_pingpong_min_rx) + prefix;
      fibuf.assign(rx_len + tx_len + 3 * page, 0);
      rxp = reinterpret_cast<char*>(align(reinterpret_cast<std::uintptr_t>(fibuf.data())));
      txp = reinterpret_cast<char*>(align(reinterpret_cast<std::uintptr_t>(rxp + rx_len)));
      if (auto r = register_buffer(rxp, std::size_t(txp + tx_len - rxp), rxmr, rxdesc); !r) return r;
      txdesc = rxdesc;
    } else {
      txbuf.assign(biggest, 'a');
      rxbuf.assign(biggest, 0);
      txp = txbuf.data();
      rxp = rxbuf.data();
      if (auto r = register_buffer(txbuf.data(), txbuf.size(), txmr, txdesc); !r) return r;
      if (auto r = register_buffer(rxbuf.data(), rxbuf.size(), rxmr, rxdesc); !r) return r;
    }
    ackbuf.assign(ack_size, 0);
    txctx.resize(std::max(1u, opt.window));
    rxctx.resize(std::max(1u, opt.window));
    if (auto r = register_buffer(ackbuf.data(), ackbuf.size(), ackmr, ackdesc); !r) return r;
    return {};
  }

  Result<std::string> getname(fid_t f) {
    std::string name(256, '\0');
    std::size_t len = name.size();
    int ret = fi_getname(f, name.data(), &len);
    if (ret == -FI_ETOOSMALL) {
      name.assign(len, '\0');
      ret = fi_getname(f, name.data(), &len);
    }
    if (ret) return Unexpected(err(ret, "fi_getname"));
    name.resize(len);
    return name;
  }

  Result<void> insert_peer(const std::string& name) {
    const int n = fi_av_insert(av.p, name.data(), 1, &peer, 0, nullptr);
    if (n != 1) return Unexpected(err(n < 0 ? n : -FI_EINVAL, "fi_av_insert(peer address)"));
    return {};
  }

  // Waits for one connection-manager event on the EQ; returns the
  // event's fi_info (a connection request's, owned by the caller) or null.
  Result<fi_info*> wait_cm(std::uint32_t want, const char* what) {
    const auto deadline = Clock::now() + opt.timeout;
    for (;;) {
      fi_eq_cm_entry entry{};
      std::uint32_t event = 0;
      const ssize_t rd = fi_eq_sread(eq.p, &event, &entry, sizeof entry, 50, 0);
      if (rd == -FI_EAVAIL) {
        fi_eq_err_entry e{};
        fi_eq_readerr(eq.p, &e, 0);
        const char* s = fi_eq_strerror(eq.p, e.prov_errno, e.err_data, nullptr, 0);
        return Unexpected(Error{std::error_code(e.err, std::system_category()),
                                who() + ": " + what + ": " + fi_strerror(e.err) + (s ? std::string(" (") + s + ")" : "")});
      }
      if (rd > 0) {
        if (event == want) return entry.info;
        if (event == FI_CONNREQ && entry.info) fi_freeinfo(entry.info);
        if (event == FI_SHUTDOWN) return fail(errc::unavailable, who() + ": " + what + ": the peer shut the connection down");
        continue;
      }
      if (rd != -FI_EAGAIN && rd != -FI_ETIMEDOUT && rd != 0) return Unexpected(err(int(rd), what));
      if (Clock::now() > deadline)
        return fail(errc::timeout, who() + ": " + what + ": nothing within " + std::to_string(opt.timeout.count()) + " ms");
      if (channel->peer_gone() || (abort && abort->load()))
        return fail(errc::unavailable, who() + ": " + what + ": the peer went away");
    }
  }

  // ------------------------------------------------------------ data path
  // Reads `count` completions from `cq`, polling, within the timeout.
  Result<void> wait_cq(fid_cq* cq, std::size_t count, const char* what) {
    fi_cq_entry entries[16];
    const auto deadline = Clock::now() + opt.timeout;
    unsigned spins = 0;
    while (count > 0) {
      const ssize_t n = fi_cq_read(cq, entries, std::min<std::size_t>(count, 16));
      if (n > 0) {
        count -= std::size_t(n);
        continue;
      }
      if (n == -FI_EAVAIL) {
        fi_cq_err_entry e{};
        fi_cq_readerr(cq, &e, 0);
        const char* s = fi_cq_strerror(cq, e.prov_errno, e.err_data, nullptr, 0);
        // A cancelled or failed transfer on a dead connection means the peer left.
        const bool gone = e.err == FI_ECANCELED || e.err == FI_ENOTCONN || e.err == FI_ECONNRESET ||
                          e.err == FI_ECONNABORTED || e.err == EPIPE || channel->peer_gone();
        return Unexpected(Error{std::error_code(e.err, std::system_category()),
                                who() + ": " + what + " completion: " + fi_strerror(e.err) +
                                    (s ? std::string(" (") + s + ")" : "") +
                                    (gone ? ": the peer closed the connection or vanished" : "")});
      }
      if (n != -FI_EAGAIN) return Unexpected(err(int(n), std::string("fi_cq_read(") + what + ")"));
      if ((++spins & 255) == 0) {
        const auto now = Clock::now();
        if (now > deadline)
          return fail(errc::timeout, who() + ": no " + what + " completion within " +
                                         std::to_string(opt.timeout.count()) + " ms (the peer is silent)");
        if ((spins & 65535) == 0 && (channel->peer_gone() || (abort && abort->load())))
          return fail(errc::unavailable, who() + ": the peer went away during the " + what);
      }
    }
    return {};
  }

  // Retries an operation that returns -FI_EAGAIN while driving progress.
  template <class Op>
  Result<void> post(Op op, const char* what) {
    const auto deadline = Clock::now() + opt.timeout;
    for (;;) {
      const ssize_t ret = op();
      if (ret == 0) return {};
      if (ret != -FI_EAGAIN) return Unexpected(err(int(ret), what));
      // Progress: read what completed meanwhile.
      fi_cq_entry entries[16];
      const ssize_t n = fi_cq_read(txcq.p, entries, 16);
      if (n > 0) tx_pending -= std::min<std::size_t>(tx_pending, std::size_t(n));
      (void)fi_cq_read(rxcq.p, nullptr, 0);
      if (Clock::now() > deadline)
        return fail(errc::timeout, who() + ": " + what + " could not be posted within " +
                                       std::to_string(opt.timeout.count()) + " ms");
    }
  }

  Result<void> post_rx(std::size_t size, std::size_t slot) {
    return post([&] { return fi_recv(ep.p, rxp, size, rxdesc, FI_ADDR_UNSPEC, &rxctx[slot]); }, "fi_recv");
  }

  // FiPingpong: a receive of the full buffer, whatever the message size.
  // Receives complete in order, so alternating two contexts is enough.
  Result<void> post_rx_fi() {
    auto r = post_rx(rx_len, rx_slot);
    rx_slot ^= 1u;
    return r;
  }

  Result<void> post_ack_rx() {
    return post([&] { return fi_recv(ep.p, ackbuf.data(), ack_size, ackdesc, FI_ADDR_UNSPEC, &rxctx[0]); },
                "fi_recv(ack)");
  }

  // Sends without waiting for its completion (fi_inject when the size
  // allows, like fi_pingpong).
  Result<void> post_tx(const char* buf, std::size_t size, void* desc, std::size_t slot) {
    if (fi_method() ? size < inject_size : size <= inject_size)
      return post([&] { return fi_inject(ep.p, buf, size, peer); }, "fi_inject");
    auto r = post([&] { return fi_send(ep.p, buf, size, desc, peer, &txctx[slot]); }, "fi_send");
    if (r) ++tx_pending;
    return r;
  }

  Result<void> drain_tx() {
    if (tx_pending == 0) return {};
    auto r = wait_cq(txcq.p, tx_pending, "send");
    tx_pending = 0;
    return r;
  }

  Result<void> tx(std::size_t size) {
    if (auto r = post_tx(txp, size + prefix, txdesc, 0); !r) return r;
    return drain_tx();
  }

  // One size, ping-pong. The client sends first.
  // FiPingpong: no warm-up, and the receive is re-posted after every
  // completion (the next size's first message finds it posted).
  Result<ProbeResult> pingpong(std::size_t size) {
    const unsigned warmup = fi_method() ? 0 : opt.warmup;
    const unsigned total = warmup + opt.iterations;
    Clock::time_point t0 = Clock::now();
    for (unsigned i = 0; i < total; ++i) {
      if (i == warmup) t0 = Clock::now();
      const bool last = i + 1 == total && !fi_method();
      if (!server) {
        if (auto r = tx(size); !r) return Unexpected(std::move(r).error());
        if (auto r = wait_cq(rxcq.p, 1, "receive"); !r) return Unexpected(std::move(r).error());
        if (!last)
          if (auto r = repost_rx(size); !r) return Unexpected(std::move(r).error());
      } else {
        if (auto r = wait_cq(rxcq.p, 1, "receive"); !r) return Unexpected(std::move(r).error());
        if (!last)
          if (auto r = repost_rx(size); !r) return Unexpected(std::move(r).error());
        if (auto r = tx(size); !r) return Unexpected(std::move(r).error());
      }
    }
    const double us = std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
    ProbeResult res;
    res.size = size;
    res.iterations = opt.iterations;
    res.elapsed_us = us;
    res.latency_us = us / (2.0 * opt.iterations);
    res.bandwidth_mbps = double(size) * 2.0 * opt.iterations / us;
    res.messages_per_s = 2.0 * opt.iterations / (us * 1e-6);
    return res;
  }

  Result<void> repost_rx(std::size_t size) { return fi_method() ? post_rx_fi() : post_rx(size, 0); }

  // Windows of a stream: warmup windows, then timed ones.
  std::vector<unsigned> windows() const {
    std::vector<unsigned> w;
    for (unsigned left = opt.warmup; left > 0; left -= std::min(left, opt.window)) w.push_back(std::min(left, opt.window));
    for (unsigned left = opt.iterations; left > 0; left -= std::min(left, opt.window)) w.push_back(std::min(left, opt.window));
    return w;
  }

  std::size_t warmup_windows() const { return (opt.warmup + opt.window - 1) / opt.window; }

  // Posts the receives of window `k` (server) or the ack receive (client).
  Result<void> pre_post_stream(std::size_t size, const std::vector<unsigned>& w, std::size_t k) {
    if (!server) return post_ack_rx();
    for (unsigned i = 0; i < w[k]; ++i)
      if (auto r = post_rx(size, i); !r) return r;
    return {};
  }

  // One size, streaming from the client to the server.
  Result<ProbeResult> stream(std::size_t size, const std::vector<unsigned>& w) {
    const std::size_t warm = warmup_windows();
    Clock::time_point t0 = Clock::now();
    for (std::size_t k = 0; k < w.size(); ++k) {
      if (k == warm) t0 = Clock::now();
      const bool last = k + 1 == w.size();
      if (!server) {
        for (unsigned i = 0; i < w[k]; ++i)
          if (auto r = post_tx(txp, size, txdesc, i); !r) return Unexpected(std::move(r).error());
        if (auto r = drain_tx(); !r) return Unexpected(std::move(r).error());
        if (auto r = wait_cq(rxcq.p, 1, "acknowledgement"); !r) return Unexpected(std::move(r).error());
        if (!last)
          if (auto r = post_ack_rx(); !r) return Unexpected(std::move(r).error());
      } else {
        if (auto r = wait_cq(rxcq.p, w[k], "receive"); !r) return Unexpected(std::move(r).error());
        if (!last)
          if (auto r = pre_post_stream(size, w, k + 1); !r) return Unexpected(std::move(r).error());
        if (auto r = post_tx(ackbuf.data(), ack_size, ackdesc, 0); !r) return Unexpected(std::move(r).error());
        if (auto r = drain_tx(); !r) return Unexpected(std::move(r).error());
      }
    }
    const double us = std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
    ProbeResult res;
    res.size = size;
    res.iterations = opt.iterations;
    res.elapsed_us = us;
    res.latency_us = us / opt.iterations;
    res.bandwidth_mbps = double(size) * opt.iterations / us;
    res.messages_per_s = opt.iterations / (us * 1e-6);
    return res;
  }

  // Runs every size; the server posts its receives, then says "ready".
  Result<std::vector<ProbeResult>> run_sizes() {
    std::vector<ProbeResult> out;
    if (fi_method()) {
      // Posted once (two on DGRAM), then re-posted after each completion.
      if (auto r = post_rx_fi(); !r) return Unexpected(std::move(r).error());
      if (opt.endpoint_type == EndpointType::Dgram)
        if (auto r = post_rx_fi(); !r) return Unexpected(std::move(r).error());
    }
    for (std::size_t size : opt.sizes) {
      const auto w = windows();
      // Receives of this size (FiPingpong: already posted).
      if (!fi_method()) {
        auto r = opt.mode == ProbeMode::PingPong ? post_rx(size, 0) : pre_post_stream(size, w, 0);
        if (!r) return Unexpected(std::move(r).error());
      }
      if (server) {
        if (auto r = send_json({{"ready", size}}); !r) return Unexpected(std::move(r).error());
      } else {
        auto ready = receive_json();
        if (!ready) return Unexpected(std::move(ready).error());
        auto it = ready->find("ready");
        if (it == ready->end() || !it->is_number_unsigned() || it->get<std::size_t>() != size)
          return fail(errc::protocol_error, who() + ": expected the server to be ready for size " + std::to_string(size));
      }
      auto r = opt.mode == ProbeMode::PingPong ? pingpong(size) : stream(size, w);
      if (!r) return Unexpected(std::move(r).error());
      out.push_back(*r);
    }
    return out;
  }

  ProbeReport report(std::vector<ProbeResult> results) const {
    ProbeReport rep;
    rep.provider = info->fabric_attr->prov_name ? info->fabric_attr->prov_name : "";
    rep.fabric = info->fabric_attr->name ? info->fabric_attr->name : "";
    rep.domain = info->domain_attr->name ? info->domain_attr->name : "";
    rep.endpoint_type = opt.endpoint_type;
    rep.mode = opt.mode;
    rep.method = opt.method;
    rep.local_address = ofi::format_address(info->addr_format, local_name.data(), local_name.size());
    rep.peer_address = ofi::format_address(info->addr_format, peer_name.data(), peer_name.size());
    rep.results = std::move(results);
    rep.finished_at_ms = std::uint64_t(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
    return rep;
  }
};

Result<void> validate(const ProbeOptions& o) {
  if (o.provider.empty()) return fail(errc::invalid_argument, "probe: no provider given");
  if (o.sizes.empty()) return fail(errc::invalid_argument, "probe: no message size given");
  for (std::size_t s : o.sizes)
    if (s == 0 || s > probe_max_size)
      return fail(errc::invalid_argument, "probe: message size " + std::to_string(s) + " outside 1 B .. 4 MiB");
  if (o.iterations == 0) return fail(errc::invalid_argument, "probe: iterations must be at least 1");
  if (o.window == 0 || o.window > 1024) return fail(errc::invalid_argument, "probe: window must be 1..1024");
  if (o.timeout.count() <= 0) return fail(errc::invalid_argument, "probe: timeout must be positive");
  if (o.mode == ProbeMode::Stream && o.method != ProbeMethod::Ofmf)
    return fail(errc::invalid_argument, "probe: method fi_pingpong is a ping-pong; stream mode has only method ofmf");
  return {};
}

nlohmann::json hello(const ProbeOptions& o) {
  return {{"hello", 1},
          {"provider", o.provider},
          {"ep", std::string(to_string(o.endpoint_type))},
          {"mode", std::string(to_string(o.mode))},
          {"method", std::string(to_string(o.method))},
          {"sizes", o.sizes},
          {"iterations", o.iterations},
          {"warmup", o.warmup},
          {"window", o.window}};
}

// The server adopts the client's parameters; provider and type must match.
Result<void> adopt(ProbeOptions& o, const nlohmann::json& j) {
  auto str = [&](const char* k) -> std::optional<std::string> {
    auto it = j.find(k);
    if (it == j.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
  };
  auto num = [&](const char* k) -> std::optional<unsigned> {
    auto it = j.find(k);
    if (it == j.end() || !it->is_number_unsigned()) return std::nullopt;
    const auto v = it->get<std::uint64_t>();
    if (v > 1000000000ULL) return std::nullopt;
    return unsigned(v);
  };
  const auto provider = str("provider");
  const auto ep = str("ep");
  const auto mode = str("mode");
  const auto it = num("iterations"), wu = num("warmup"), win = num("window");
  auto sz = j.find("sizes");
  if (j.find("hello") == j.end() || !provider || !ep || !mode || !it || !wu || !win || sz == j.end() || !sz->is_array())
    return fail(errc::protocol_error, "probe server: malformed hello from the client");
  if (*provider != o.provider || parse_endpoint_type(*ep) != o.endpoint_type)
    return fail(errc::invalid_argument, "probe server: the client wants " + *provider + " " + *ep + ", this server serves " +
                                            o.provider + " " + std::string(to_string(o.endpoint_type)));
  const auto m = parse_probe_mode(*mode);
  if (!m) return fail(errc::protocol_error, "probe server: unknown mode \"" + *mode + "\" from the client");
  std::vector<std::size_t> sizes;
  for (const auto& s : *sz) {
    if (!s.is_number_unsigned()) return fail(errc::protocol_error, "probe server: malformed size list from the client");
    sizes.push_back(s.get<std::size_t>());
  }
  // "method" is absent in hellos of clients that predate it: ofmf.
  o.method = ProbeMethod::Ofmf;
  if (auto mt = j.find("method"); mt != j.end()) {
    const auto method = mt->is_string() ? parse_probe_method(mt->get<std::string>()) : std::nullopt;
    if (!method) return fail(errc::protocol_error, "probe server: unknown method from the client");
    o.method = *method;
  }
  o.mode = *m;
  o.sizes = std::move(sizes);
  o.iterations = *it;
  o.warmup = *wu;
  o.window = *win;
  return validate(o);
}

Result<ProbeReport> run_server(Side& s) {
  auto h = s.receive_json();
  if (!h) return Unexpected(std::move(h).error());
  if (auto r = adopt(s.opt, *h); !r) return s.abandon(std::move(r).error());
  if (auto r = s.getinfo_server(); !r) return s.abandon(std::move(r).error());
  if (auto r = s.check_sizes(); !r) return s.abandon(std::move(r).error());
  if (auto r = s.open_fabric(); !r) return s.abandon(std::move(r).error());
  std::string name;
  if (s.opt.endpoint_type == EndpointType::Msg) {
    if (int ret = fi_passive_ep(s.fabric.p, s.info, &s.pep.p, nullptr)) return s.abandon(s.err(ret, "fi_passive_ep"));
    if (int ret = fi_pep_bind(s.pep.p, &s.eq.p->fid, 0)) return s.abandon(s.err(ret, "fi_pep_bind"));
    if (int ret = fi_listen(s.pep.p)) return s.abandon(s.err(ret, "fi_listen"));
    auto n = s.getname(&s.pep.p->fid);
    if (!n) return s.abandon(std::move(n).error());
    name = *n;
  } else {
    if (auto r = s.open_endpoint(s.info); !r) return s.abandon(std::move(r).error());
    auto n = s.getname(&s.ep.p->fid);
    if (!n) return s.abandon(std::move(n).error());
    name = *n;
  }
  s.local_name = name;
  if (auto r = s.send_json({{"name", ofi::to_hex(name)},
                            {"addr_format", s.info->addr_format},
                            {"provider", s.info->fabric_attr->prov_name}});
      !r)
    return Unexpected(std::move(r).error());
  auto c = s.receive_json();
  if (!c) return Unexpected(std::move(c).error());
  auto cn = c->find("name");
  std::string client_name;
  if (cn == c->end() || !cn->is_string() || !ofi::from_hex(cn->get<std::string>(), client_name))
    return s.abandon(make_error(errc::protocol_error, "probe server: malformed endpoint name from the client"));
  s.peer_name = client_name;
  if (s.opt.endpoint_type == EndpointType::Msg) {
    auto req = s.wait_cm(FI_CONNREQ, "waiting for the connection request");
    if (!req) return s.abandon(std::move(req).error());
    fi_info* conn = *req;
    auto r = s.open_endpoint(conn);
    if (r) {
      if (int ret = fi_accept(s.ep.p, nullptr, 0)) r = Unexpected(s.err(ret, "fi_accept"));
    }
    fi_freeinfo(conn);
    if (!r) return s.abandon(std::move(r).error());
    if (auto e = s.wait_cm(FI_CONNECTED, "accepting the connection"); !e) return s.abandon(std::move(e).error());
  } else if (auto r = s.insert_peer(client_name); !r) {
    return s.abandon(std::move(r).error());
  }
  auto results = s.run_sizes();
  if (!results) return s.abandon(std::move(results).error());
  // The client says when it is done (its last completions are read).
  (void)s.receive_json();
  return s.report(std::move(*results));
}

Result<ProbeReport> run_client(Side& s) {
  if (auto r = s.send_json(hello(s.opt)); !r) return Unexpected(std::move(r).error());
  auto j = s.receive_json();
  if (!j) return Unexpected(std::move(j).error());
  auto n = j->find("name");
  auto f = j->find("addr_format");
  std::string server_name;
  if (n == j->end() || !n->is_string() || !ofi::from_hex(n->get<std::string>(), server_name) || f == j->end() ||
      !f->is_number_unsigned())
    return s.abandon(make_error(errc::protocol_error, "probe client: malformed answer from the server"));
  s.peer_name = server_name;
  if (auto r = s.getinfo_client(f->get<std::uint32_t>(), server_name); !r) return s.abandon(std::move(r).error());
  if (auto r = s.check_sizes(); !r) return s.abandon(std::move(r).error());
  if (auto r = s.open_fabric(); !r) return s.abandon(std::move(r).error());
  if (auto r = s.open_endpoint(s.info); !r) return s.abandon(std::move(r).error());
  auto own = s.getname(&s.ep.p->fid);
  if (!own) return s.abandon(std::move(own).error());
  s.local_name = *own;
  if (s.opt.endpoint_type != EndpointType::Msg)
    if (auto r = s.insert_peer(server_name); !r) return s.abandon(std::move(r).error());
  if (auto r = s.send_json({{"name", ofi::to_hex(*own)}}); !r) return Unexpected(std::move(r).error());
  if (s.opt.endpoint_type == EndpointType::Msg) {
    if (int ret = fi_connect(s.ep.p, s.info->dest_addr, nullptr, 0)) return s.abandon(s.err(ret, "fi_connect"));
    if (auto e = s.wait_cm(FI_CONNECTED, "connecting to the server"); !e) return s.abandon(std::move(e).error());
    if (auto n = s.getname(&s.ep.p->fid)) s.local_name = *n;  // bound now
  }
  auto results = s.run_sizes();
  if (!results) return s.abandon(std::move(results).error());
  (void)s.send_json({{"done", true}});
  return s.report(std::move(*results));
}


// shm between two endpoints of one process fails for messages above its
// inline size (libfabric 1.17), so its server side runs in a child
// process, connected by a socket pair.
bool needs_process(const ProbeOptions& o) { return o.provider == "shm" || o.provider.rfind("shm;", 0) == 0; }

Result<ProbeReport> probe_with_child(const ProbeOptions& options) {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
    return Unexpected(Error{std::error_code(errno, std::system_category()), "probe: socketpair failed"});
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int e = errno;
    ::close(sv[0]);
    ::close(sv[1]);
    return Unexpected(Error{std::error_code(e, std::system_category()), "probe: fork failed"});
  }
  if (pid == 0) {
    ::close(sv[0]);
    int rc = 1;
    try {
      auto ch = ofi::make_socket_channel(sv[1]);
      Side s;
      s.server = true;
      s.opt = options;
      s.channel = ch.get();
      rc = run_server(s) ? 0 : 1;
    } catch (...) {
    }
    ::_exit(rc);
  }
  ::close(sv[1]);
  Result<ProbeReport> r = [&]() -> Result<ProbeReport> {
    auto ch = ofi::make_socket_channel(sv[0]);
    Side s;
    s.opt = options;
    s.channel = ch.get();
    return run_client(s);
  }();
  // The child ends once the client is done or gone; never wait forever.
  const auto deadline = Clock::now() + options.timeout;
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (Clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return r;
}

} // namespace

Result<ProbeReport> probe_loopback(const ProbeOptions& options) {
  if (auto r = validate(options); !r) return Unexpected(std::move(r).error());
  if (needs_process(options)) return probe_with_child(options);
  auto channels = ofi::make_channel_pair();
  std::unique_ptr<Channel>& a = channels.first;
  std::unique_ptr<Channel>& b = channels.second;
  std::atomic<bool> abort{false};
  Result<ProbeReport> server_result = fail(errc::unavailable, "probe server thread did not run");
  {
    std::jthread server([&, ch = b.get()] {
      try {
        Side s;
        s.server = true;
        s.opt = options;
        s.channel = ch;
        s.abort = &abort;
        server_result = run_server(s);
      } catch (const std::bad_alloc&) {
        server_result = fail(errc::limit_exceeded, "probe server: out of memory");
      }
      if (!server_result) abort.store(true);
      b.reset();  // closes the channel: the client sees the peer gone
    });
    Result<ProbeReport> client_result = [&]() -> Result<ProbeReport> {
      Side s;
      s.opt = options;
      s.channel = a.get();
      s.abort = &abort;
      auto r = run_client(s);
      if (!r) abort.store(true);
      return r;
    }();
    server.join();
    if (!client_result) {
      // The first failure is the interesting one; a "peer went away" on
      // one side is the consequence of the other side's error.
      if (!server_result && client_result.error().code == make_error_code(errc::unavailable) &&
          server_result.error().code != make_error_code(errc::unavailable))
        return Unexpected(server_result.error());
      return client_result;
    }
    if (!server_result) return Unexpected(server_result.error());
    return client_result;
  }
}

Result<ProbeReport> probe_server(const ProbeOptions& options) {
  if (auto r = validate(options); !r) return Unexpected(std::move(r).error());
  auto ch = ofi::accept_channel(options.address, options.control_port, options.timeout);
  if (!ch) return Unexpected(std::move(ch).error());
  Side s;
  s.server = true;
  s.opt = options;
  s.channel = ch->get();
  return run_server(s);
}

Result<ProbeReport> probe_client(const ProbeOptions& options, std::string_view server) {
  if (auto r = validate(options); !r) return Unexpected(std::move(r).error());
  auto ch = ofi::connect_channel(std::string(server), options.control_port, options.timeout);
  if (!ch) return Unexpected(std::move(ch).error());
  Side s;
  s.opt = options;
  s.channel = ch->get();
  return run_client(s);
}

} // namespace ofmf::backend
