// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include "ofmf/error.hpp"

#include "ofmf/version.hpp"

namespace ofmf {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "ofmf"; }
  std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
      case errc::ok: return "success";
      case errc::invalid_argument: return "invalid argument";
      case errc::not_found: return "not found";
      case errc::already_exists: return "already exists";
      case errc::out_of_range: return "out of range";
      case errc::busy: return "busy";
      case errc::parse_error: return "parse error";
      case errc::io_error: return "I/O error";
      case errc::not_supported: return "not supported";
      case errc::limit_exceeded: return "limit exceeded";
      case errc::inconsistent: return "inconsistent input";
      case errc::timeout: return "timed out";
      case errc::unavailable: return "unavailable";
      case errc::protocol_error: return "protocol error";
      case errc::cancelled: return "cancelled";
    }
    return "unknown ofmf error " + std::to_string(value);
  }
};

} // namespace

const std::error_category& category() noexcept {
  static const Category instance;
  return instance;
}

std::string Error::what() const {
  return message + " (" + code.category().name() + ":" + std::to_string(code.value()) + ")";
}

const char* version_string() noexcept {
#define OFMF_STR2(x) #x
#define OFMF_STR(x) OFMF_STR2(x)
  return OFMF_STR(OFMF_VERSION_MAJOR) "." OFMF_STR(OFMF_VERSION_MINOR) "." OFMF_STR(OFMF_VERSION_PATCH);
#undef OFMF_STR
#undef OFMF_STR2
}

} // namespace ofmf
