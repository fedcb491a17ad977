// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// The probe's control channel (in memory or TCP, length-prefixed frames)
// and address printing.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

#include "ofi_detail.hpp"

namespace ofmf::backend::ofi {
namespace {

using Clock = std::chrono::steady_clock;

// Frames larger than this are refused as a protocol error.
constexpr std::uint32_t max_frame = 1u << 20;

struct Shared {
  std::mutex mutex;
  std::condition_variable cv;
  std::deque<std::string> queue[2];  // queue[i]: messages for side i
  bool closed[2] = {false, false};
};

class MemoryChannel final : public Channel {
 public:
  MemoryChannel(std::shared_ptr<Shared> s, int side) : s_(std::move(s)), side_(side) {}
  ~MemoryChannel() override {
    std::lock_guard lock(s_->mutex);
    s_->closed[side_] = true;
    s_->cv.notify_all();
  }
  Result<void> send(std::string_view message) override {
    std::lock_guard lock(s_->mutex);
    if (s_->closed[1 - side_]) return fail(errc::unavailable, "control channel: the peer is gone");
    s_->queue[1 - side_].emplace_back(message);
    s_->cv.notify_all();
    return {};
  }
  Result<std::string> receive(std::chrono::milliseconds timeout) override {
    std::unique_lock lock(s_->mutex);
    auto& q = s_->queue[side_];
    if (!s_->cv.wait_for(lock, timeout, [&] { return !q.empty() || s_->closed[1 - side_]; }))
      return fail(errc::timeout, "control channel: no message from the peer within " +
                                     std::to_string(timeout.count()) + " ms");
    if (q.empty()) return fail(errc::unavailable, "control channel: the peer is gone");
    std::string m = std::move(q.front());
    q.pop_front();
    return m;
  }
  bool peer_gone() override {
    std::lock_guard lock(s_->mutex);
    return s_->closed[1 - side_];
  }

 private:
  std::shared_ptr<Shared> s_;
  int side_;
};

Error sys_error(int e, const std::string& what) {
  return Error{std::error_code(e, std::system_category()), what + ": " + std::strerror(e)};
}

class TcpChannel final : public Channel {
 public:
  explicit TcpChannel(int fd) : fd_(fd) {}
  ~TcpChannel() override { ::close(fd_); }

  Result<void> send(std::string_view message) override {
    std::string frame(4, '\0');
    const std::uint32_t n = htonl(std::uint32_t(message.size()));
    std::memcpy(frame.data(), &n, 4);
    frame += message;
    std::size_t off = 0;
    while (off < frame.size()) {
      const ssize_t w = ::send(fd_, frame.data() + off, frame.size() - off, MSG_NOSIGNAL);
      if (w < 0) {
        if (errno == EINTR) continue;
        return fail(errc::unavailable, "control connection: send: " + std::string(std::strerror(errno)));
      }
      off += std::size_t(w);
    }
    return {};
  }

  Result<std::string> receive(std::chrono::milliseconds timeout) override {
    const auto deadline = Clock::now() + timeout;
    char hdr[4];
    if (auto r = read_exact(hdr, 4, deadline, timeout); !r) return Unexpected(std::move(r).error());
    std::uint32_t n;
    std::memcpy(&n, hdr, 4);
    n = ntohl(n);
    if (n > max_frame)
      return fail(errc::protocol_error, "control connection: frame of " + std::to_string(n) + " bytes");
    std::string out(n, '\0');
    if (auto r = read_exact(out.data(), n, deadline, timeout); !r) return Unexpected(std::move(r).error());
    return out;
  }

  bool peer_gone() override {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0) return false;
    if (p.revents & (POLLHUP | POLLERR)) return true;
    char c;
    const ssize_t r = ::recv(fd_, &c, 1, MSG_PEEK | MSG_DONTWAIT);
    return r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
  }

 private:
  Result<void> read_exact(char* buf, std::size_t n, Clock::time_point deadline, std::chrono::milliseconds timeout) {
    std::size_t got = 0;
    while (got < n) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0)
        return fail(errc::timeout, "control connection: no message from the peer within " +
                                       std::to_string(timeout.count()) + " ms");
      pollfd p{fd_, POLLIN, 0};
      const int pr = ::poll(&p, 1, int(std::min<long long>(left, 1000)));
      if (pr < 0 && errno != EINTR) return Unexpected(sys_error(errno, "control connection: poll"));
      if (pr <= 0) continue;
      const ssize_t r = ::recv(fd_, buf + got, n - got, 0);
      if (r == 0) return fail(errc::unavailable, "control connection: the peer closed it");
      if (r < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        return fail(errc::unavailable, "control connection: " + std::string(std::strerror(errno)));
      }
      got += std::size_t(r);
    }
    return {};
  }
  int fd_;
};

Result<addrinfo*> resolve(const std::string& host, std::uint16_t port, bool passive) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = passive ? AI_PASSIVE : 0;
  addrinfo* res = nullptr;
  const std::string service = std::to_string(port);
  const int rc = ::getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &res);
  if (rc != 0)
    return fail(errc::unavailable, "control connection: cannot resolve \"" + host + "\": " + ::gai_strerror(rc));
  return res;
}

} // namespace

std::unique_ptr<Channel> make_socket_channel(int fd) { return std::make_unique<TcpChannel>(fd); }

std::pair<std::unique_ptr<Channel>, std::unique_ptr<Channel>> make_channel_pair() {
  auto s = std::make_shared<Shared>();
  return {std::make_unique<MemoryChannel>(s, 0), std::make_unique<MemoryChannel>(s, 1)};
}

Result<std::unique_ptr<Channel>> accept_channel(const std::string& address, std::uint16_t port,
                                                std::chrono::milliseconds timeout) {
  auto ai = resolve(address, port, true);
  if (!ai) return Unexpected(std::move(ai).error());
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> list(*ai, &::freeaddrinfo);
  const std::string where = "control connection: listen on " + address + ":" + std::to_string(port);
  int lfd = ::socket(list->ai_family, list->ai_socktype | SOCK_CLOEXEC, list->ai_protocol);
  if (lfd < 0) return Unexpected(sys_error(errno, where));
  const int one = 1;
  ::setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(lfd, list->ai_addr, list->ai_addrlen) < 0 || ::listen(lfd, 1) < 0) {
    const int e = errno;
    ::close(lfd);
    return Unexpected(sys_error(e, where));
  }
  pollfd p{lfd, POLLIN, 0};
  int pr;
  do {
    pr = ::poll(&p, 1, int(timeout.count()));
  } while (pr < 0 && errno == EINTR);
  if (pr <= 0) {
    ::close(lfd);
    return fail(errc::timeout, where + ": no client within " + std::to_string(timeout.count()) + " ms");
  }
  const int fd = ::accept4(lfd, nullptr, nullptr, SOCK_CLOEXEC);
  const int e = errno;
  ::close(lfd);
  if (fd < 0) return Unexpected(sys_error(e, where + ": accept"));
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return std::unique_ptr<Channel>(std::make_unique<TcpChannel>(fd));
}

Result<std::unique_ptr<Channel>> connect_channel(const std::string& host, std::uint16_t port,
                                                 std::chrono::milliseconds timeout) {
  auto ai = resolve(host, port, false);
  if (!ai) return Unexpected(std::move(ai).error());
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> list(*ai, &::freeaddrinfo);
  const std::string where = "control connection to " + host + ":" + std::to_string(port);
  const auto deadline = Clock::now() + timeout;
  std::string last = "no address";
  while (Clock::now() < deadline) {
    for (addrinfo* a = list.get(); a; a = a->ai_next) {
      const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
      if (fd < 0) continue;
      int rc = ::connect(fd, a->ai_addr, a->ai_addrlen);
      if (rc < 0 && errno == EINPROGRESS) {
        pollfd p{fd, POLLOUT, 0};
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (::poll(&p, 1, int(std::max<long long>(left, 1))) == 1) {
          int err = 0;
          socklen_t len = sizeof err;
          ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
          rc = err == 0 ? 0 : -1;
          errno = err == 0 ? ETIMEDOUT : err;
        } else {
          errno = ETIMEDOUT;
        }
      }
      if (rc == 0) {
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        // Back to blocking; reads use poll with deadlines.
        int fl = ::fcntl(fd, F_GETFL);
        ::fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
        return std::unique_ptr<Channel>(std::make_unique<TcpChannel>(fd));
      }
      last = std::strerror(errno);
      ::close(fd);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return fail(errc::unavailable, where + ": not reachable within " + std::to_string(timeout.count()) + " ms (" + last + ")");
}

std::string address_format_name(std::uint32_t format) {
  switch (format) {
    case FI_FORMAT_UNSPEC: return "FI_FORMAT_UNSPEC";
    case FI_SOCKADDR: return "FI_SOCKADDR";
    case FI_SOCKADDR_IN: return "FI_SOCKADDR_IN";
    case FI_SOCKADDR_IN6: return "FI_SOCKADDR_IN6";
    case FI_SOCKADDR_IB: return "FI_SOCKADDR_IB";
    case FI_ADDR_PSMX: return "FI_ADDR_PSMX";
    case FI_ADDR_GNI: return "FI_ADDR_GNI";
    case FI_ADDR_BGQ: return "FI_ADDR_BGQ";
    case FI_ADDR_MLX: return "FI_ADDR_MLX";
    case FI_ADDR_STR: return "FI_ADDR_STR";
    case FI_ADDR_PSMX2: return "FI_ADDR_PSMX2";
    case FI_ADDR_IB_UD: return "FI_ADDR_IB_UD";
    case FI_ADDR_EFA: return "FI_ADDR_EFA";
    default: return "format " + std::to_string(format);
  }
}

std::string to_hex(std::string_view bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

bool from_hex(std::string_view hex, std::string& out) {
  if (hex.size() % 2) return false;
  auto val = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  out.clear();
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = val(hex[i]), lo = val(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out += char(hi * 16 + lo);
  }
  return true;
}

std::string format_address(std::uint32_t format, const void* addr, std::size_t len) {
  if (!addr || len == 0) return {};
  char buf[INET6_ADDRSTRLEN + 16];
  const auto* sa = static_cast<const sockaddr*>(addr);
  if ((format == FI_SOCKADDR_IN || format == FI_SOCKADDR) && len >= sizeof(sockaddr_in) && sa->sa_family == AF_INET) {
    const auto* in = static_cast<const sockaddr_in*>(addr);
    ::inet_ntop(AF_INET, &in->sin_addr, buf, sizeof buf);
    return std::string(buf) + ":" + std::to_string(ntohs(in->sin_port));
  }
  if ((format == FI_SOCKADDR_IN6 || format == FI_SOCKADDR) && len >= sizeof(sockaddr_in6) &&
      sa->sa_family == AF_INET6) {
    const auto* in6 = static_cast<const sockaddr_in6*>(addr);
    ::inet_ntop(AF_INET6, &in6->sin6_addr, buf, sizeof buf);
    return "[" + std::string(buf) + "]:" + std::to_string(ntohs(in6->sin6_port));
  }
  if (format == FI_ADDR_STR) {
    const char* s = static_cast<const char*>(addr);
    return std::string(s, strnlen(s, len));
  }
  return to_hex(std::string_view(static_cast<const char*>(addr), len));
}

} // namespace ofmf::backend::ofi
