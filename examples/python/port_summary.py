#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
"""Summarises every port of a fabric with the column API.

    PYTHONPATH=build/<dir>/bindings/python examples/python/port_summary.py \
        [TOPOLOGY_FILE | --radix 88]

Reads an ibnetdiscover/netfile topology (or generates a 3-level fat tree)
and prints, from TopologyView.port_table() (one numpy array per column,
no per-port Python objects), the number of ports per state, width and
speed, the unlinked ports and the LID range, then the first unlinked port
looked up through the per-object API (TopologyView.ports()).
"""

import argparse
import collections
import sys

import ofmf


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("topology", nargs="?", help="ibnetdiscover output or ibsim netfile")
    ap.add_argument("--radix", type=int, default=36, help="radix of the generated fat tree (no file given)")
    args = ap.parse_args()

    try:
        fabric = (ofmf.read_topology(args.topology) if args.topology
                  else ofmf.generate_fat_tree(ofmf.FatTreeSpec(radix=args.radix, levels=3)))
    except ofmf.OfmfError as e:
        sys.exit("ports: %s" % e)
    view = fabric.snapshot()
    t = view.port_table()
    print(fabric)
    print("ports: %d" % len(t["port"]))
    for column, enum in (("state", ofmf.PortState), ("width", ofmf.LinkWidth), ("speed", ofmf.LinkSpeed)):
        counts = collections.Counter(int(v) for v in t[column])   # works on numpy arrays and memoryviews
        print("  %-6s %s" % (column, ", ".join("%s %d" % (enum(v).name, n) for v, n in sorted(counts.items()))))
    unlinked = [r for r, peer in enumerate(t["peer"]) if peer == 0xFFFFFFFF]
    lids = [lid for lid in t["lid"] if lid]
    print("  unlinked %d, LIDs %s" % (len(unlinked), "%d..%d" % (min(lids), max(lids)) if lids else "none"))
    if unlinked:
        r = unlinked[0]
        port = view.ports(int(t["node"][r]))[int(t["port"][r])]
        print("  first unlinked: %s on %s" % (port, view.description(port.node) or ofmf.format_guid(view.guid(port.node))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
