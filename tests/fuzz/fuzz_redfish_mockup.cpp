// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// libFuzzer target: reading Redfish mockup files. A mockup of the fabric in
// tests/data/ibsim-2sw2path4hca.ibnd is written once; each input replaces
// one of its index.json files (the first byte chooses which, the rest is
// the file's content), then the folder is read and imported. Reading must
// not crash, leak or throw; an error must name the file or the resource;
// a file the reader accepts must mean, to nlohmann's parser, the value the
// reader stored.

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ofmf/redfish/import.hpp"
#include "ofmf/redfish/mockup.hpp"
#include "ofmf/redfish/render.hpp"
#include "ofmf/topology/format.hpp"

namespace {

namespace fs = std::filesystem;

struct Mockup {
  fs::path dir;
  std::vector<std::string> uris;   // every resource, in URI order
  std::vector<std::string> texts;  // each file's content as written
};

const Mockup& mockup() {
  static const Mockup m = [] {
    auto f = ofmf::topology::read_topology(OFMF_TEST_DATA_DIR "/ibsim-2sw2path4hca.ibnd");
    if (!f) std::abort();
    auto t = ofmf::redfish::render(*f);
    if (!t) std::abort();
    Mockup out;
    out.dir = fs::temp_directory_path() / ("ofmf-fuzz-mockup-" + std::to_string(::getpid()));
    if (!ofmf::redfish::write_mockup(*t, out.dir)) std::abort();
    for (const auto& [uri, j] : *t) {
      auto file = ofmf::redfish::mockup_file(out.dir, uri);
      if (!file) std::abort();
      std::ifstream in(*file, std::ios::binary);
      out.uris.push_back(uri);
      out.texts.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(mockup().dir, ec);
    });
    return out;
  }();
  return m;
}

void put(const fs::path& file, std::string_view content) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(content.data(), std::streamsize(content.size()));
  if (!out) std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const Mockup& m = mockup();
  const std::size_t k = data[0] % m.uris.size();
  const std::string_view content(reinterpret_cast<const char*>(data + 1), size - 1);
  const fs::path file = *ofmf::redfish::mockup_file(m.dir, m.uris[k]);
  put(file, content);

  ofmf::redfish::ImportOptions opt;
  opt.max_resources = 4096;
  auto tree = ofmf::redfish::read_mockup(m.dir, opt);
  if (!tree) {
    const auto& msg = tree.error().message;
    if (msg.find(file.string()) == std::string::npos && msg.find(m.uris[k]) == std::string::npos) {
      std::fprintf(stderr, "error names neither %s nor %s: %s\n", file.c_str(), m.uris[k].c_str(), msg.c_str());
      std::abort();
    }
  } else {
    const auto reference = nlohmann::json::parse(content, nullptr, false);
    const nlohmann::json* stored = tree->find(m.uris[k]);
    if (reference.is_discarded() || !stored || *stored != reference) {
      std::fprintf(stderr, "the reader accepted %s as a value nlohmann reads differently\n", file.c_str());
      std::abort();
    }
    auto f = ofmf::redfish::import_tree(*tree, opt);
    if (!f && f.error().message.find(": ") == std::string::npos) {
      std::fprintf(stderr, "import error without \"<URI>: <property>: \": %s\n", f.error().message.c_str());
      std::abort();
    }
  }
  put(file, m.texts[k]);  // the next input starts from the written mockup
  return 0;
}
