// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// The JSON form of a route analysis.
#include "ofmf/routing/analysis.hpp"

namespace ofmf::routing {

nlohmann::ordered_json to_json(const Analysis& a) {
  nlohmann::ordered_json x;
  x["endpoint_ports"] = a.endpoint_ports;
  x["pairs"] = a.pairs;
  x["unreachable"] = a.unreachable;
  x["loops"] = a.loops;
  x["complete"] = a.complete();
  x["non_minimal"] = a.non_minimal;
  x["max_extra_hops"] = a.max_extra_hops;
  x["max_stretch"] = a.max_stretch;
  x["link_load"] = {{"max", a.max_load}, {"mean", a.mean_load}, {"stddev", a.stddev_load}};
  x["cdg_acyclic"] = a.cdg_acyclic;
  x["vls_with_cycle"] = a.vls_with_cycle;
  x["vls_used"] = a.vls_used;
  x["path_diversity"] = {{"min", a.min_distinct_paths}, {"mean", a.mean_distinct_paths}};
  return x;
}

} // namespace ofmf::routing
