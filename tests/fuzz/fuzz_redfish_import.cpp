// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// libFuzzer target: Redfish import of untrusted JSON. The input is one
// JSON value:
//  - a resource (an object with "@odata.id"): it replaces or adds that
//    resource in the tree rendered from tests/data/ibsim-2sw2path4hca.ibnd
//    (the fabric the seeds come from), then the tree is imported;
//  - an object whose keys are URIs: a whole tree, imported as it is.
// Import must not crash, leak or throw; an error must say where; a
// successful import must render and import again to the same fabric. The
// input is imported twice: held as a value and held as compact text (as
// read_mockup() stores it; text is read by another parser), and both must
// give the same result.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ofmf/redfish/import.hpp"
#include "ofmf/redfish/render.hpp"
#include "ofmf/topology/format.hpp"
#include "redfish/detail/tree_access.hpp"

namespace {

const ofmf::redfish::Tree& base_tree() {
  static const ofmf::redfish::Tree tree = [] {
    // The fabric the seeds (tests/data/redfish-seeds) were exported from.
    auto f = ofmf::topology::read_topology(OFMF_TEST_DATA_DIR "/ibsim-2sw2path4hca.ibnd");
    if (!f) std::abort();
    auto t = ofmf::redfish::render(*f);
    if (!t) std::abort();
    return std::move(*t);
  }();
  return tree;
}

// The same tree with every resource held as its compact text.
ofmf::redfish::Tree as_text(const ofmf::redfish::Tree& tree) {
  ofmf::redfish::Tree out;
  for (const auto& [uri, j] : tree)
    ofmf::redfish::detail::TreeAccess::put_text(out, uri, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  return out;
}

void import_and_check(const ofmf::redfish::Tree& tree) {
  ofmf::redfish::ImportOptions opt;
  opt.max_resources = 4096;
  auto f = ofmf::redfish::import_tree(tree, opt);
  {
    // Invalid UTF-8 in a value is replaced in its text, so the two may
    // differ only for such input; compare when the text is a faithful copy.
    bool faithful = true;
    for (const auto& [uri, j] : tree) {
      const auto text = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      if (nlohmann::json::parse(text, nullptr, false) != j) faithful = false;
    }
    if (faithful) {
      auto g = ofmf::redfish::import_tree(as_text(tree), opt);
      if (bool(f) != bool(g) || (!f && f.error().message != g.error().message)) {
        std::fprintf(stderr, "value and text imports differ: %s | %s\n", f ? "ok" : f.error().message.c_str(),
                     g ? "ok" : g.error().message.c_str());
        std::abort();
      }
    }
  }
  if (!f) {
    const auto& m = f.error().message;
    // "<URI>: <property>: what" (the URI is the input's key, hostile or not).
    if (m.find(": ") == std::string::npos) {
      std::fprintf(stderr, "error without \"<URI>: <property>: \": %s\n", m.c_str());
      std::abort();
    }
    return;
  }
  auto again = ofmf::redfish::render(*f);
  if (!again) std::abort();
  auto f2 = ofmf::redfish::import_tree(*again, opt);
  if (!f2) {
    std::fprintf(stderr, "a rendered import does not import: %s\n", f2.error().message.c_str());
    std::abort();
  }
  std::string why;
  if (!ofmf::model::same_fabric(*f, *f2, &why)) {
    std::fprintf(stderr, "render/import round trip differs: %s\n", why.c_str());
    std::abort();
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return 0;
  const auto id = doc.find("@odata.id");
  if (id != doc.end() && id->is_string()) {
    ofmf::redfish::Tree tree = base_tree();
    const std::string uri = id->get<std::string>();
    tree.insert_or_assign(uri, std::move(doc));
    import_and_check(tree);
    return 0;
  }
  ofmf::redfish::Tree tree;
  for (auto it = doc.begin(); it != doc.end(); ++it) tree.insert_or_assign(it.key(), std::move(it.value()));
  import_and_check(tree);
  return 0;
}
