// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#include "routing/engines/minhop/minhop.hpp"

#include "routing/detail/common.hpp"

namespace ofmf::routing::engines {
namespace {

class Minhop final : public Engine {
 public:
  std::string_view name() const noexcept override { return "minhop"; }

  Result<RouteTable> compute(const model::TopologyView& view, const Options& options) const override {
    const std::uint32_t nsw = view.switch_count();
    if (nsw == 0) return fail(errc::invalid_argument, "minhop: the fabric has no switches");
    auto table = RouteTable::create(view, options.lmc);
    if (!table) return fail(std::move(table).error());
    const auto hops = detail::all_pairs_hops(view, options.threads);
    const auto dst = detail::destinations(view, *table);
    detail::fill_balanced(view, *table, dst, options.threads,
                          [&](std::uint32_t s, std::uint32_t d, std::vector<std::uint8_t>& out) {
                            const std::uint16_t* row = hops.data() + std::size_t(d) * nsw;
                            const std::uint16_t hs = row[s];
                            if (hs == detail::unreachable_hops) return;
                            for (const model::Edge& e : view.edges(s))
                              if (e.target < nsw && row[e.target] + 1 == hs) out.push_back(e.local_port);
                          });
    table->set_engine("minhop");
    return table;
  }
};

} // namespace

std::unique_ptr<Engine> make_minhop() { return std::make_unique<Minhop>(); }

} // namespace ofmf::routing::engines
