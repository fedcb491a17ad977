# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
"""Backends: the seam through the always-built sim backend (a fabric read
from a topology file, compared with the parser's reading of the file)."""

import gc

import pytest

import ofmf


def test_builtin_backends():
    names = ofmf.builtin_backends()
    assert "sim" in names
    for name in names:
        b = ofmf.make_backend(name)
        assert b.name() == name
        try:
            caps = b.probe()
        except ofmf.OfmfError:
            continue                      # e.g. no permission on a device
        assert all(isinstance(c.name, str) and isinstance(c.properties, dict) for c in caps)


def test_sim_config_errors(data_dir):
    sim = ofmf.make_backend("sim")
    with pytest.raises(ofmf.InvalidArgumentError):
        sim.open(ofmf.Config())            # no device: the sim backend needs a topology file
    with pytest.raises(ofmf.UnavailableError):
        sim.open(ofmf.Config(device="/nonexistent.ibnd"))
    with pytest.raises(ofmf.InvalidArgumentError):
        sim.open(ofmf.Config(device=str(data_dir / "ibsim-3sw-mixed.ibnd"), options={"bogus": "1"}))
    c = ofmf.Config(device="x", port=1, timeout=0.5, retries=2)
    assert c.timeout.total_seconds() == 0.5


def test_sim_discover_apply_counters(data_dir):
    path = data_dir / "ibsim-2sw2path4hca.ibnd"
    session = ofmf.make_backend("sim").open(ofmf.Config(device=str(path)))
    gc.collect()                          # the session keeps its backend alive
    phases = []
    delta = session.discover(progress=lambda phase, done, total: phases.append((phase, done, total)))
    fabric = delta.fabric
    del delta
    gc.collect()                          # the fabric keeps the TopologyDelta alive
    reference = ofmf.read_topology(path)
    assert ofmf.same_topology(fabric, reference), ofmf.topology_difference(fabric, reference)
    assert phases and phases[-1][0] == "discover" and phases[-1][1] == fabric.node_count()

    view = fabric.snapshot()
    table = ofmf.compute_chain(ofmf.EngineRegistry.builtin(), "minhop", view)
    report = session.apply(fabric, table, ofmf.ApplyOptions(activate=False))
    assert report.lids_set > 0 and report.lft_blocks == table.switch_count() * table.block_count()
    assert not report.problems
    # What was programmed shows on the next discovery.
    again = session.discover().fabric
    for i in range(view.node_count()):
        node = again.find(view.guid(i))
        ports = [0] if view.is_switch(i) else range(1, view.num_ports(i) + 1)   # a switch's LID is on port 0
        for p in ports:
            lid = table.base_lid(i, p)
            if lid:
                assert again.port(ofmf.PortRef(node, p)).attributes.lid == lid
    try:
        problems = session.read_counters(fabric)
        assert isinstance(problems, list)
    except ofmf.NotSupportedError:
        pass
    assert session.statistics().received >= fabric.node_count()


def test_progress_exceptions_propagate(data_dir):
    session = ofmf.make_backend("sim").open(ofmf.Config(device=str(data_dir / "ibsim-3sw-mixed.net")))

    def boom(phase, done, total):
        raise KeyError("stop")

    with pytest.raises(KeyError):
        session.discover(progress=boom)
    assert session.discover().fabric.switch_count() == 3
