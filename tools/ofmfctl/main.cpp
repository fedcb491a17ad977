// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// ofmfctl: command-line front end of the ofmf library.
#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>
#include <new>
#include <string>

#include "command.hpp"
#include "ofmf/version.hpp"

namespace {

const char* const exit_code_footer =
    "Exit codes: 0 ok, 1 operation failed (e.g. malformed input), 2 usage error, "
    "3 I/O error (a file could not be read or written), 4 the result failed its check (route check).";

} // namespace

int main(int argc, char** argv) {
  CLI::App app("ofmfctl - fabric management tool of the ofmf library", "ofmfctl");
  app.set_version_flag("--version", std::string("ofmfctl ") + ofmf::version_string());
  app.footer(exit_code_footer);
  app.require_subcommand(1);
  app.failure_message([](const CLI::App*, const CLI::Error& e) {
    return "ofmfctl: " + std::string(e.what()) + "\nRun with --help for more information.\n";
  });

  ofmfctl::Context context;
  ofmfctl::register_topo(app, context);
  ofmfctl::register_route(app, context);
  ofmfctl::register_discover(app, context);
  ofmfctl::register_sm(app, context);
  ofmfctl::register_inventory(app, context);
  ofmfctl::register_probe(app, context);
  ofmfctl::register_redfish(app, context);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" with exit code 0; everything else
    // CLI11 reports is a usage error.
    const int rc = app.exit(e);
    return rc == 0 ? ofmfctl::exit_ok : ofmfctl::exit_usage;
  }
  if (!context.run) {
    std::cerr << app.help();
    return ofmfctl::exit_usage;
  }
  try {
    return context.run();
  } catch (const std::bad_alloc&) {
    ofmfctl::print_error("out of memory");
    return ofmfctl::exit_failed;
  }
}
