#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
"""Routes a fat tree and shows the load of every switch-to-switch link.

    PYTHONPATH=build/<dir>/bindings/python examples/python/route_fat_tree.py \
        [--radix 8] [--levels 3] [--engine ftree,updn,minhop] [--plot load.png]

Prints the route analysis and a histogram of the per-link flow counts
(all-to-all traffic between endpoints); with --plot (matplotlib, optional)
also draws the load of each directed inter-switch link.
"""

import argparse
import collections
import sys

import ofmf


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--radix", type=int, default=8)
    ap.add_argument("--levels", type=int, default=3, choices=(2, 3))
    ap.add_argument("--engine", default="ftree,updn,minhop")
    ap.add_argument("--plot", metavar="PNG", help="write a per-link load plot (needs matplotlib)")
    args = ap.parse_args()

    try:
        fabric = ofmf.generate_fat_tree(ofmf.FatTreeSpec(radix=args.radix, levels=args.levels))
    except ofmf.OfmfError as e:
        sys.exit("generate: %s" % e)
    view = fabric.snapshot()
    table = ofmf.compute_chain(ofmf.EngineRegistry.builtin(), args.engine, view)
    analysis = ofmf.analyze(view, table)
    print(fabric)
    print("engine %s, max LID %d, %s" % (table.engine(), table.max_lid(),
                                          "complete" if analysis.complete() else "INCOMPLETE"))
    for s in table.skipped():
        print("  skipped %s: %s" % (s.engine, s.message))
    print("pairs %d, unreachable %d, loops %d, deadlock-free %s" % (
        analysis.pairs, analysis.unreachable, analysis.loops, analysis.cdg_acyclic))

    # Directed switch-to-switch links: edges leaving a switch towards a switch.
    offsets = view.edge_offset()
    targets = view.edge_targets()
    load = analysis.link_load
    labels, values = [], []
    for sw in range(view.switch_count()):
        for e in range(int(offsets[sw]), int(offsets[sw + 1])):
            if targets[e] < view.switch_count():
                labels.append("%s->%s" % (view.description(sw), view.description(int(targets[e]))))
                values.append(int(load[e]))
    print("inter-switch links: %d, load max %d mean %.1f stddev %.1f" % (
        len(values), analysis.max_load, analysis.mean_load, analysis.stddev_load))
    for flows, count in sorted(collections.Counter(values).items()):
        print("  %6d flows: %d links" % (flows, count))

    if args.plot:
        try:
            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:
            sys.exit("--plot needs matplotlib (Debian: python3-matplotlib)")
        fig, ax = plt.subplots(figsize=(12, 4))
        ax.bar(range(len(values)), values, width=1.0)
        ax.set_xlabel("directed switch-to-switch link")
        ax.set_ylabel("flows (all-to-all)")
        ax.set_title("%s: %s, %d endpoints" % (table.engine(), fabric, fabric.node_count() - fabric.switch_count()))
        fig.tight_layout()
        fig.savefig(args.plot)
        print("wrote", args.plot)


if __name__ == "__main__":
    main()
