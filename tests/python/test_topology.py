# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
"""Topology: formats, generators and statistics, checked against the
ibsim captures in tests/data and the documented generator formulas."""

import pytest

import ofmf


def structure(f):
    """Nodes (GUID, type, ports) and links as GUID/port pairs."""
    nodes = {(f.guid(n), f.type(n), f.num_ports(n)) for n in f.nodes()}
    links = set()
    for link in f.links():
        a = (f.guid(link.a.node), link.a.port)
        b = (f.guid(link.b.node), link.b.port)
        links.add((min(a, b), max(a, b)))
    return nodes, links


@pytest.mark.parametrize("name", ["gen-fat-tree-4-3", "gen-kary-ntree-4-2", "gen-torus-3x3", "gen-dragonfly-2-1-1"])
def test_generators_match_ibsim_captures(data_dir, name):
    # tests/data/gen-*.ibnd is ibnetdiscover run on ibsim loaded with the
    # generated netfile: the reference for GUIDs, ports and links.
    gens = {
        "gen-fat-tree-4-3": lambda: ofmf.generate_fat_tree(ofmf.FatTreeSpec(radix=4, levels=3)),
        "gen-kary-ntree-4-2": lambda: ofmf.generate_kary_ntree(ofmf.KaryNTreeSpec(k=4, n=2)),
        "gen-torus-3x3": lambda: ofmf.generate_torus(ofmf.TorusSpec(dims=[3, 3])),
        "gen-dragonfly-2-1-1": lambda: ofmf.generate_dragonfly(ofmf.DragonflySpec(a=2, p=1, h=1)),
    }
    captured = ofmf.read_topology(data_dir / (name + ".ibnd"))
    assert structure(gens[name]()) == structure(captured)


def test_ibnetdiscover_and_netfile_agree(data_dir):
    for stem in ("ibsim-3sw-mixed", "ibsim-2sw2path4hca"):
        a = ofmf.read_topology(data_dir / (stem + ".ibnd"))
        b = ofmf.read_topology(str(data_dir / (stem + ".net")), ofmf.Format.Netfile)
        assert structure(a) == structure(b)
    text = (data_dir / "ibsim-3sw-mixed.ibnd").read_text()
    assert ofmf.detect_format(text) == ofmf.Format.Ibnetdiscover
    f = ofmf.parse_ibnetdiscover(text, ofmf.ReadOptions(source_name="mixed"))
    assert f.switch_count() == 3
    # Widths and speeds come from the port comments (the netfile says 12xQDR).
    core = f.find(0x0002c90000001000)
    port2 = f.port(ofmf.PortRef(core, 2)).attributes
    assert (port2.width, port2.speed) == (ofmf.LinkWidth.X12, ofmf.LinkSpeed.QDR)


@pytest.mark.parametrize("fmt", [ofmf.Format.Ibnetdiscover, ofmf.Format.Netfile])
def test_round_trip(tmp_path, fmt):
    f = ofmf.generate_dragonfly(ofmf.DragonflySpec(a=3, p=2, h=1))
    path = tmp_path / ("t." + ("ibnd" if fmt == ofmf.Format.Ibnetdiscover else "net"))
    ofmf.write_topology(f, path, fmt)
    assert ofmf.format_from_path(path) == fmt
    back = ofmf.read_topology(path)
    assert structure(back) == structure(f)
    text = ofmf.format_topology(f, fmt)
    assert text == path.read_text()
    parse = ofmf.parse_ibnetdiscover if fmt == ofmf.Format.Ibnetdiscover else ofmf.parse_netfile
    assert structure(parse(text)) == structure(f)
    assert ofmf.write_dot(f).lstrip().startswith(("graph", "digraph"))


def test_generator_sizes_follow_the_documented_formulas():
    for radix in (4, 6, 8):
        ft2 = ofmf.generate_fat_tree(ofmf.FatTreeSpec(radix=radix, levels=2))
        assert ft2.node_count() - ft2.switch_count() == radix * radix // 2
        ft3 = ofmf.generate_fat_tree(ofmf.FatTreeSpec(radix=radix, levels=3))
        assert ft3.switch_count() == 5 * radix * radix // 4
        assert ft3.node_count() - ft3.switch_count() == radix ** 3 // 4
    for k, n in ((2, 3), (3, 2), (4, 3)):
        t = ofmf.generate_kary_ntree(ofmf.KaryNTreeSpec(k=k, n=n))
        assert t.switch_count() == n * k ** (n - 1)
        assert t.node_count() - t.switch_count() == k ** n
    x = ofmf.generate_xgft(ofmf.XgftSpec(m=[2, 2], w=[1, 2]))
    assert x.node_count() - x.switch_count() == 4
    h = ofmf.generate_hyperx(ofmf.HyperXSpec(dims=[3, 3], endpoints_per_switch=2))
    assert h.switch_count() == 9 and h.link_count() == 9 * 2 + 9 * 2
    r = ofmf.generate_random_regular(ofmf.RandomRegularSpec(switches=10, degree=3, seed=7))
    r2 = ofmf.generate_random_regular(ofmf.RandomRegularSpec(switches=10, degree=3, seed=7))
    assert structure(r) == structure(r2)
    opts = ofmf.GeneratorOptions(switch_guid_base=0x5000, ca_guid_base=0x9000, speed=ofmf.LinkSpeed.HDR)
    t = ofmf.generate_kary_ntree(ofmf.KaryNTreeSpec(k=2, n=2), opts)
    assert t.find(0x5000) is not None and t.find_port(0x9001) is not None
    assert t.port(ofmf.PortRef(t.find(0x5000), 1)).attributes.speed == ofmf.LinkSpeed.HDR


def test_stats_of_kary_ntree():
    # A k-ary n-tree has diameter 2n between endpoints and full bisection k^n / 2.
    for k, n in ((4, 2), (2, 3)):
        v = ofmf.generate_kary_ntree(ofmf.KaryNTreeSpec(k=k, n=n)).snapshot()
        s = ofmf.compute_stats(v, ofmf.StatsOptions(threads=1))
        assert s.diameter_computed and s.diameter == 2 * n
        assert s.bisection_width == k ** n // 2
        assert s.components == 1
        assert s.channel_adapters == k ** n
        assert "diameter" in str(s) and str(s) == ofmf.format_stats(s)
    s = ofmf.compute_stats(v, ofmf.StatsOptions(diameter=False, bisection=False))
    assert not s.diameter_computed and s.diameter == -1 and s.bisection_width == -1
