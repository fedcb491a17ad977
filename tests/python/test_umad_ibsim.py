# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
"""The umad backend from Python on a simulated fabric (ibsim, through
tests/integration/ibsim_harness.sh): what Session.discover() returns is
compared with infiniband-diags' ibnetdiscover on the same fabric.
Skipped without the umad backend, ibsim or ibnetdiscover."""

import os
import pathlib
import shutil
import subprocess
import sys

import pytest

import ofmf

REPO = pathlib.Path(__file__).resolve().parents[2]
HARNESS = REPO / "tests" / "integration" / "ibsim_harness.sh"

SCRIPT = r"""
import sys, ofmf
s = ofmf.make_backend("umad").open(ofmf.Config())
d = s.discover()
assert not d.problems, d.problems
ofmf.write_topology(d.fabric, sys.argv[1], ofmf.Format.Ibnetdiscover)
print(d.fabric.node_count(), d.statistics.sent, d.local_port_guid)
"""


def structure(f):
    nodes = {(f.guid(n), f.type(n), f.num_ports(n)) for n in f.nodes()}
    links = set()
    for link in f.links():
        a = (f.guid(link.a.node), link.a.port)
        b = (f.guid(link.b.node), link.b.port)
        links.add((min(a, b), max(a, b)))
    return nodes, links


@pytest.mark.parametrize("fixture", ["ibsim-3sw-mixed", "gen-fat-tree-4-3"])
def test_umad_discover_matches_ibnetdiscover(tmp_path, data_dir, fixture):
    if "umad" not in ofmf.builtin_backends():
        pytest.skip("umad backend not built")
    if not HARNESS.exists() or not shutil.which("ibsim") or not shutil.which("ibnetdiscover"):
        pytest.skip("ibsim, ibnetdiscover or the harness not available")
    ours, ref = tmp_path / "ours.ibnd", tmp_path / "ref.ibnd"
    script = tmp_path / "discover.py"
    script.write_text(SCRIPT)
    cmd = ["sh", str(HARNESS), str(data_dir / (fixture + ".net")), "--", "sh", "-c",
           '"$1" "$2" "$3" && ibnetdiscover > "$4"', "sh", "/usr/bin/python3", str(script), str(ours), str(ref)]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=dict(os.environ))
    if p.returncode == 77:
        pytest.skip("harness skipped: " + p.stdout + p.stderr)
    assert p.returncode == 0, p.stdout + p.stderr
    discovered = ofmf.read_topology(ours)
    reference = ofmf.read_topology(ref)
    assert structure(discovered) == structure(reference)
    assert structure(discovered) == structure(ofmf.read_topology(data_dir / (fixture + ".net")))
