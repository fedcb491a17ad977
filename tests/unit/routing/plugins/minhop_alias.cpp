// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Test plug-in: the built-in minhop engine under another name. Built as
// libofmf-<OFMF_PLUGIN_NAME>.so with ABI version OFMF_PLUGIN_ABI (a wrong
// value makes the wrong-ABI plug-in).
#include <memory>

#include "ofmf/routing/engine.hpp"

namespace {

class Alias final : public ofmf::routing::Engine {
 public:
  explicit Alias(std::unique_ptr<ofmf::routing::Engine> inner) : inner_(std::move(inner)) {}
  std::string_view name() const noexcept override { return OFMF_PLUGIN_NAME; }
  ofmf::Result<ofmf::routing::RouteTable> compute(const ofmf::model::TopologyView& view,
                                                  const ofmf::routing::Options& options) const override {
    auto t = inner_->compute(view, options);
    if (t) t->set_engine(OFMF_PLUGIN_NAME);
    return t;
  }

 private:
  std::unique_ptr<ofmf::routing::Engine> inner_;
};

ofmf::routing::Engine* create() noexcept {
  try {
    auto inner = ofmf::routing::EngineRegistry::builtin().create("minhop");
    if (!inner) return nullptr;
    return new Alias(std::move(inner).value());
  } catch (...) {
    return nullptr;
  }
}

const ofmf_routing_plugin descriptor{OFMF_PLUGIN_ABI, OFMF_PLUGIN_NAME, &create};

} // namespace

extern "C" OFMF_API const ofmf_routing_plugin* ofmf_plugin_entry() { return &descriptor; }
