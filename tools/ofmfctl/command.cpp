// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include "command.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>

#include "ofmf/topology/format.hpp"

namespace ofmfctl {

void print_error(std::string_view message) {
  std::fprintf(stderr, "ofmfctl: %.*s\n", int(message.size()), message.data());
}

int report(const ofmf::Error& error) {
  print_error(error.message.empty() ? error.code.message() : error.message);
  const bool io = error.code == ofmf::errc::io_error || error.code.category() == std::system_category() ||
                  error.code.category() == std::generic_category();
  return io ? exit_io : exit_failed;
}

int write_stdout(std::string_view text) {
  errno = 0;
  const std::size_t n = std::fwrite(text.data(), 1, text.size(), stdout);
  if (n != text.size() || std::fflush(stdout) != 0) {
    print_error(std::string("cannot write to standard output: ") + std::strerror(errno));
    return exit_io;
  }
  return exit_ok;
}

const std::vector<std::string> readable_formats{"ibnetdiscover", "netfile"};

ofmf::Result<ofmf::model::Fabric> read_fabric(const std::string& path, const std::string& format) {
  std::optional<ofmf::topology::Format> f;
  if (!format.empty()) f = ofmf::topology::parse_format_name(format);
  ofmf::topology::ReadOptions options;
  options.source_name = path;
  return ofmf::topology::read_topology(path, f, options);
}

} // namespace ofmfctl
