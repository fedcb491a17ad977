# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
"""Routing: engines, chains, LFTs as arrays, analysis (link loads checked
by walking the LFTs here), incremental reroute, OpenSM LFT dumps, and the
same results as the C++ command-line tool."""

import gc
import json
import subprocess

import pytest

import ofmf

np = pytest.importorskip("numpy")

FIXTURES = ["gen-fat-tree-4-3", "gen-kary-ntree-4-2", "gen-torus-3x3", "gen-dragonfly-2-1-1",
            "ibsim-2sw2path4hca", "ibsim-3sw-mixed"]


@pytest.fixture(scope="module")
def registry():
    return ofmf.EngineRegistry.builtin()


def walk_link_load(view, table):
    """Flows per directed edge, from the LFT arrays: every endpoint port to
    the base LID of every other endpoint port."""
    lfts = np.asarray(table)
    offsets = view.edge_offset()
    edge_index = {}
    for i in range(view.node_count()):
        for k, e in enumerate(view.edges(i)):
            edge_index[(i, e.local_port)] = int(offsets[i]) + k
    endpoints = [(i, p) for i in range(view.switch_count(), view.node_count())
                 for p in range(1, view.num_ports(i) + 1) if table.base_lid(i, p)]
    load = np.zeros(len(view.all_edges()), dtype=np.uint64)
    for (si, sp) in endpoints:
        for (di, dp) in endpoints:
            if (si, sp) == (di, dp):
                continue
            dlid = table.base_lid(di, dp)
            node, port = si, sp
            for _ in range(64):
                e = edge_index[(node, port)]
                load[e] += 1
                vp = view.ports(node)[port]
                node = vp.peer
                if not view.is_switch(node):
                    break
                port = int(lfts[node, dlid])
                if port == 0:
                    break
    return load


@pytest.mark.parametrize("fixture", FIXTURES)
def test_every_engine_routes_every_fixture_or_refuses(data_dir, registry, fixture):
    view = ofmf.read_topology(data_dir / (fixture + ".ibnd")).snapshot()
    routed = 0
    for name in registry.names():
        if name == "file":
            continue
        engine = registry.create(name)
        assert engine.name() == name
        try:
            table = engine.compute(view, ofmf.Options(threads=1))
        except ofmf.OfmfError as e:
            assert e.code != 0 and e.message
            continue
        routed += 1
        assert table.engine() == name
        a = ofmf.analyze(view, table)
        assert a.complete(), (name, a.unreachable_examples)
        assert a.loops == 0 and a.unreachable == 0
    assert routed >= 1


def test_lft_arrays(registry):
    view = ofmf.generate_kary_ntree(ofmf.KaryNTreeSpec(k=4, n=2)).snapshot()
    table = ofmf.compute_chain(registry, "minhop", view)
    lfts = np.asarray(table)
    assert lfts.shape == (table.switch_count(), table.lid_space())
    assert lfts.dtype == np.uint8
    assert table.lid_space() % ofmf.lft_block_size == 0 and table.lid_space() > table.max_lid()
    for sw in range(table.switch_count()):
        row = table.lft(sw)
        assert isinstance(row, np.ndarray)
        assert np.array_equal(row, lfts[sw])
        for lid in range(table.lid_space()):
            assert row[lid] == table.out_port(sw, lid)
        assert np.array_equal(table.lft_block(sw, 0), row[:64])
        # The switch's own LID goes to port 0; unassigned LID 0 is dropped.
        assert row[table.base_lid(sw, 0)] == 0 and row[0] == ofmf.no_route
    assert np.array_equal(np.asarray(memoryview(table)), lfts)
    with pytest.raises(ValueError):
        lfts[0, 1] = 3                       # read-only view of the table
    table.set_out_port(0, 1, 3)
    assert lfts[0, 1] == 3                   # zero-copy: the array shows the change
    row = table.lft(1)
    expected = row.copy()
    del table, lfts
    gc.collect()
    assert np.array_equal(row, expected)     # the array keeps the table alive


def test_chain_records_skipped_engines(registry):
    view = ofmf.generate_kary_ntree(ofmf.KaryNTreeSpec(k=4, n=2)).snapshot()
    table = ofmf.compute_chain(registry, "dor,minhop", view)
    assert table.engine() == "minhop"
    assert [s.engine for s in table.skipped()] == ["dor"]
    assert table.skipped()[0].message
    with pytest.raises(ofmf.OfmfError):
        ofmf.compute_chain(registry, "dor", view, ofmf.Options(allow_fallback=False))
    with pytest.raises(ofmf.NotFoundError):
        ofmf.compute_chain(registry, "minhop,nope", view)


@pytest.mark.parametrize("fixture,lmc", [("gen-fat-tree-4-3", 0), ("ibsim-3sw-mixed", 0), ("gen-torus-3x3", 1)])
def test_link_load_matches_a_walk_of_the_lfts(data_dir, registry, fixture, lmc):
    view = ofmf.read_topology(data_dir / (fixture + ".ibnd")).snapshot()
    table = ofmf.compute_chain(registry, "minhop", view, ofmf.Options(lmc=lmc))
    a = ofmf.analyze(view, table, ofmf.AnalysisOptions(threads=1))
    load = a.link_load
    assert len(load) == len(view.all_edges())
    assert np.array_equal(load, walk_link_load(view, table))
    n = a.endpoint_ports
    assert a.pairs == n * (n - 1) * (1 << lmc)
    sw_edges = [k for k, e in enumerate(view.all_edges())
                if view.is_switch(e.target)
                and any(k in range(int(view.edge_offset()[i]), int(view.edge_offset()[i + 1]))
                        for i in range(view.switch_count()))]
    assert a.max_load == int(load[sw_edges].max())
    del a
    gc.collect()
    assert int(load.sum()) > 0               # the array keeps the Analysis alive


def test_same_results_as_ofmfctl(data_dir, registry, ofmfctl, tmp_path):
    path = data_dir / "gen-fat-tree-4-3.ibnd"
    dump = tmp_path / "cli.lfts"
    out = subprocess.run([ofmfctl, "route", "--engine", "ftree,updn,minhop", "--threads", "1", "--json",
                          "--dump-lfts", str(dump), str(path)], check=True, capture_output=True, text=True).stdout
    cli = json.loads(out)
    view = ofmf.read_topology(path).snapshot()
    table = ofmf.compute_chain(registry, "ftree,updn,minhop", view, ofmf.Options(threads=1))
    a = ofmf.analyze(view, table)
    assert table.engine() == cli["engine"]
    assert table.max_lid() == cli["max_lid"]
    assert a.pairs == cli["analysis"]["pairs"]
    assert a.unreachable == cli["analysis"]["unreachable"]
    assert a.max_load == cli["analysis"]["link_load"]["max"]
    assert a.mean_load == pytest.approx(cli["analysis"]["link_load"]["mean"], rel=1e-9)
    assert ofmf.format_lft_dump(view, table) == dump.read_text()


def test_lft_dump_round_trip(registry):
    view = ofmf.generate_torus(ofmf.TorusSpec(dims=[3, 3])).snapshot()
    table = ofmf.compute_chain(registry, "minhop", view)
    text = ofmf.format_lft_dump(view, table)
    dumped = ofmf.parse_lft_dump(text, "mem")
    assert len(dumped) == table.switch_count()
    for sw, d in enumerate(dumped):
        assert d.guid == table.switch_guid(sw)
        assert d.lid == table.base_lid(sw, 0)
        assert np.array_equal(d.ports, table.lft(sw)[:len(d.ports)])
    with pytest.raises(ofmf.ParseError) as e:
        ofmf.parse_lft_dump("garbage\n", "bad.dump")
    assert str(e.value).startswith("bad.dump:")


def test_incremental_reroute(registry):
    fabric = ofmf.generate_kary_ntree(ofmf.KaryNTreeSpec(k=4, n=3))
    engine = registry.create("minhop")
    v0 = fabric.snapshot()
    t0 = engine.compute(v0)
    ofmf.store_lids(fabric, v0, t0)
    v0 = fabric.snapshot()
    changes = []
    fabric.subscribe(changes.append)
    # Take down one switch-to-switch link.
    link = next(l for l in fabric.links()
                if fabric.type(l.a.node) == ofmf.NodeType.Switch and fabric.type(l.b.node) == ofmf.NodeType.Switch)
    fabric.disconnect(link.a)
    v1 = fabric.snapshot()
    r = ofmf.reroute(engine, v0, t0, v1, changes=changes)
    t1 = r.table
    assert ofmf.analyze(v1, t1).complete()
    assert r.delta and r.incremental in (True, False)
    for sb in r.delta:
        for blk in sb.blocks:
            assert list(blk.ports) == list(t1.lft_block(sb.index, blk.block))
    assert [(s.guid, [b.block for b in s.blocks]) for s in ofmf.lft_delta(t1, t0)] == \
        [(s.guid, [b.block for b in s.blocks]) for s in r.delta]
    # LIDs stay stable.
    for i in range(v1.node_count()):
        for p in range(v1.num_ports(i) + 1):
            old = t0.base_lid(v0.find(v1.guid(i)), p)
            if old and t1.base_lid(i, p):
                assert t1.base_lid(i, p) == old
    del r
    gc.collect()
    assert t1.max_lid() == t0.max_lid()       # the table keeps its Reroute alive
    full = ofmf.reroute(engine, v0, t0, v1)
    assert ofmf.analyze(v1, full.table).complete()


def test_tables_belong_to_their_view(registry, tmp_path):
    # Two fabrics of the same shape and switch count, other GUIDs: a table
    # of one used with a view of the other is an error, not an empty
    # analysis or a mislabelled dump.
    f = ofmf.generate_kary_ntree(ofmf.KaryNTreeSpec(k=2, n=2))
    g = ofmf.generate_kary_ntree(ofmf.KaryNTreeSpec(k=2, n=2),
                                 ofmf.GeneratorOptions(switch_guid_base=0x1000, ca_guid_base=0x2000))
    vf, vg = f.snapshot(), g.snapshot()
    assert vf.switch_count() == vg.switch_count()
    assert vf.fingerprint() != vg.fingerprint()
    tg = ofmf.compute_chain(registry, "minhop", vg)
    assert tg.view_fingerprint() == vg.fingerprint()
    with pytest.raises(ofmf.InvalidArgumentError) as e:
        ofmf.analyze(vf, tg)
    assert "analyze: the route table was not computed on this view" in str(e.value)
    assert isinstance(e.value, ofmf.OfmfError) and e.value.errc == ofmf.Errc.invalid_argument
    with pytest.raises(ofmf.InvalidArgumentError):
        ofmf.format_lft_dump(vf, tg)
    with pytest.raises(ofmf.InvalidArgumentError):
        tg.check_view(vf)
    with pytest.raises(ofmf.InvalidArgumentError):
        ofmf.analyze(vf, ofmf.RouteTable())
    assert ofmf.analyze(vg, tg).complete()

    # The identity is structural: the same fabric snapshotted again, a copy,
    # the file written and read again, the LIDs stored, all match.
    tf = ofmf.compute_chain(registry, "minhop", vf)
    path = tmp_path / "f.ibnd"
    ofmf.write_topology(f, path, ofmf.Format.Ibnetdiscover)
    again = ofmf.read_topology(path).snapshot()
    ofmf.store_lids(f, vf, tf)
    for v in (f.snapshot(), f.copy().snapshot(), again):
        assert v.fingerprint() == vf.fingerprint()
        assert ofmf.analyze(v, tf).complete()
        tf.check_view(v)

    # Tables loaded from a dump (the file engine) belong to the view they
    # were loaded for.
    dump = tmp_path / "f.lfts"
    dump.write_text(ofmf.format_lft_dump(vf, tf))
    loaded = registry.create("file").compute(again, ofmf.Options(lft_file=str(dump)))
    assert ofmf.analyze(again, loaded).complete()
    with pytest.raises(ofmf.InvalidArgumentError):
        ofmf.analyze(vg, loaded)
