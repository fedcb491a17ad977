// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

// Private pieces shared by the libfabric sources: error conversion,
// address printing, and the control channel the two sides of a probe use
// to exchange endpoint names and parameters.

#include <rdma/fabric.h>
#include <rdma/fi_errno.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "ofmf/error.hpp"

namespace ofmf::backend::ofi {

/// An Error for a libfabric return value `ret` (negative -FI_E*): the
/// errno is kept (system category), the message says where and what.
inline Error fi_error(int ret, const std::string& where) {
  const int e = ret < 0 ? -ret : ret;
  return Error{std::error_code(e, std::system_category()), where + ": " + fi_strerror(e)};
}

/// "FI_SOCKADDR_IN" etc.
std::string address_format_name(std::uint32_t format);

/// A printable address ("127.0.0.1:4711", "[::1]:4711", the string of
/// FI_ADDR_STR, else hex bytes); "" for no address.
std::string format_address(std::uint32_t format, const void* addr, std::size_t len);

/// Hex of bytes and back (for names sent as JSON).
std::string to_hex(std::string_view bytes);
bool from_hex(std::string_view hex, std::string& out);

/// A message channel between the two sides of a probe: in memory (two
/// threads) or a TCP connection (two processes), framed messages.
class Channel {
 public:
  virtual ~Channel() = default;
  /// Sends one message. Errors: errc::unavailable (the peer is gone).
  virtual Result<void> send(std::string_view message) = 0;
  /// Waits up to `timeout` for one message. Errors: errc::timeout,
  /// errc::unavailable (the peer closed the channel).
  virtual Result<std::string> receive(std::chrono::milliseconds timeout) = 0;
  /// True once the other side has closed or dropped the channel (cheap:
  /// called while waiting for completions).
  virtual bool peer_gone() = 0;
};

/// Two connected in-memory channels.
std::pair<std::unique_ptr<Channel>, std::unique_ptr<Channel>> make_channel_pair();

/// A channel over a connected stream socket (takes ownership of `fd`).
std::unique_ptr<Channel> make_socket_channel(int fd);

/// Listens on address:port and accepts one connection within `timeout`.
Result<std::unique_ptr<Channel>> accept_channel(const std::string& address, std::uint16_t port,
                                                std::chrono::milliseconds timeout);

/// Connects to host:port within `timeout` (retrying while refused, so a
/// server started at the same moment is found).
Result<std::unique_ptr<Channel>> connect_channel(const std::string& host, std::uint16_t port,
                                                 std::chrono::milliseconds timeout);

} // namespace ofmf::backend::ofi
