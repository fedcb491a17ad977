#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
"""Discovers a fabric through a backend and exports it as a Redfish mockup.

With the umad backend on a simulated fabric (ibsim):

    tests/integration/ibsim_harness.sh tests/data/ibsim-3sw-mixed.net -- \
        env PYTHONPATH=$PWD/build/<dir>/bindings/python \
        /usr/bin/python3 $PWD/examples/python/discover_redfish.py --backend umad --out $PWD/mockup

Without hardware, the sim backend reads a topology file:

    examples/python/discover_redfish.py --backend sim --device tests/data/ibsim-3sw-mixed.ibnd --out mockup

Prints what was discovered, routes it, programs the tables when the
backend can (--apply), and writes the mockup folder.
"""

import argparse
import os
import sys

import ofmf


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backend", default="umad", help="one of: %s" % ", ".join(ofmf.builtin_backends()))
    ap.add_argument("--device", default="", help="device (umad: HCA name; sim: topology file)")
    ap.add_argument("--out", required=True, help="mockup folder to write (absent, empty or a previous mockup)")
    ap.add_argument("--apply", action="store_true", help="program LIDs and LFTs (subnet manager)")
    args = ap.parse_args()

    try:
        backend = ofmf.make_backend(args.backend)
        session = backend.open(ofmf.Config(device=args.device))
        delta = session.discover(progress=lambda phase, done, total: None)
    except ofmf.OfmfError as e:
        sys.exit("%s: %s" % (args.backend, e))
    fabric = delta.fabric
    print("discovered %s in %.1f ms (%d requests, %d timeouts)" % (
        fabric, delta.statistics.elapsed_ms, delta.statistics.sent, delta.statistics.timeouts))
    for p in delta.problems:
        print("  problem: %s: %s" % (p.where, p.message))

    view = fabric.snapshot()
    table = ofmf.compute_chain(ofmf.EngineRegistry.builtin(), "ftree,updn,minhop", view)
    print("routed with %s: %s" % (table.engine(), "complete" if ofmf.analyze(view, table).complete() else "INCOMPLETE"))
    if args.apply:
        try:
            report = session.apply(fabric, table)
            print("applied: %d LIDs, %d LFT blocks, %d verified" % (report.lids_set, report.lft_blocks, report.verified))
            ofmf.store_lids(fabric, view, table)
        except ofmf.NotSupportedError as e:
            print("apply: not supported by this backend (%s)" % e)

    tree = ofmf.render(fabric, ofmf.ExportOptions(mockup_copyright=True))
    ofmf.write_mockup(tree, args.out)
    print("wrote %d Redfish resources to %s" % (len(tree), os.path.abspath(args.out)))
    fab = tree["/redfish/v1/Fabrics"]
    print("fabrics:", [m["@odata.id"] for m in fab.get("Members", [])])


if __name__ == "__main__":
    main()
