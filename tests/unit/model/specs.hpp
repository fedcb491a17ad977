// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

// NodeSpecs the model tests build fabrics from.

#include <string>
#include <utility>

#include "ofmf/model/types.hpp"

namespace ofmf::test {

/// A switch with `ports` ports.
inline model::NodeSpec sw(model::Guid g, unsigned ports = 8, std::string desc = "") {
  model::NodeSpec s;
  s.type = model::NodeType::Switch;
  s.guid = g;
  s.num_ports = ports;
  s.description = std::move(desc);
  return s;
}

/// A channel adapter described "host"; port p gets GUID g + p.
inline model::NodeSpec ca(model::Guid g, unsigned ports = 1) {
  model::NodeSpec s;
  s.type = model::NodeType::ChannelAdapter;
  s.guid = g;
  s.num_ports = ports;
  s.description = "host";
  return s;
}

} // namespace ofmf::test
