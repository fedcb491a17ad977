# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
"""Per-port iteration (ViewPort, NodePort) and the column tables
(Fabric.port_table, TopologyView.port_table), each compared with the
per-object API (Fabric.port(), Fabric.node(), PortAttributes)."""

import gc
import os
import subprocess
import sys

import pytest

import ofmf
from ofmf import PortRef

ATTRS = ("guid", "lid", "lmc", "state", "phys_state", "width", "speed", "mtu")
UNLINKED = 0xFFFFFFFF


@pytest.fixture(params=["ibsim-3sw-mixed.ibnd", "ibsim-2sw2path4hca.ibnd", "gen-fat-tree-4-3.net"])
def fabric(request, data_dir):
    """Captured fabrics (LIDs, states, widths, speeds as read) and a generated one."""
    return ofmf.read_topology(str(data_dir / request.param))


@pytest.fixture
def routed_fabric():
    """A generated fat tree whose LIDs were set by routing (non-zero LIDs)."""
    f = ofmf.generate_kary_ntree(ofmf.KaryNTreeSpec(k=4, n=2))
    view = f.snapshot()
    table = ofmf.compute_chain(ofmf.EngineRegistry.builtin(), "minhop", view)
    ofmf.store_lids(f, view, table)
    return f


def test_view_ports_match_fabric_ports(fabric):
    view = fabric.snapshot()
    seen = 0
    for i in range(view.node_count()):
        node_id = view.node_id(i)
        ports = view.ports(i)
        assert len(ports) == fabric.num_ports(node_id) + 1
        for p, vp in enumerate(ports):
            assert isinstance(vp, ofmf.ViewPort)
            assert vp.number == p and vp.node == i
            ref = fabric.port(PortRef(node_id, p))
            assert vp.attributes == ref.attributes
            for a in ATTRS:
                assert getattr(vp, a) == getattr(ref.attributes, a), (i, p, a)
            assert type(vp.state) is ofmf.PortState and type(vp.width) is ofmf.LinkWidth
            if ref.peer is None:
                assert vp.peer is None and not vp.linked() and vp.peer_port == 0
            else:
                assert vp.linked()
                assert vp.peer == view.find(ref.peer.node) and vp.peer_port == ref.peer.port
            seen += p > 0
    assert seen == fabric.port_count()


def test_node_ports_match_fabric_ports(fabric):
    for node_id in fabric.nodes():
        node = fabric.node(node_id)
        assert len(node.ports) == node.num_ports() + 1
        for p, np_ in enumerate(node.ports):
            assert isinstance(np_, ofmf.NodePort)
            ref = fabric.port(PortRef(node_id, p))
            assert np_.number == ref.number == p
            assert np_.attributes == ref.attributes
            for a in ATTRS:
                assert getattr(np_, a) == getattr(ref.attributes, a)
            assert np_.peer == ref.peer and np_.linked() == (ref.peer is not None)


def test_port_attributes_are_copies(routed_fabric):
    f = routed_fabric
    node_id = f.nodes()[0]
    port = f.node(node_id).ports[1]
    attrs = port.attributes
    attrs.lid = 0x1234
    assert port.lid != 0x1234 and port.attributes.lid == f.port(PortRef(node_id, 1)).attributes.lid
    with pytest.raises(AttributeError):
        port.lid = 5
    view = f.snapshot()
    with pytest.raises(AttributeError):
        view.ports(0)[1].peer_port = 3


def test_port_objects_are_not_constructible():
    with pytest.raises(TypeError):
        ofmf.ViewPort()
    with pytest.raises(TypeError):
        ofmf.NodePort()


def test_port_objects_keep_their_owner_alive(routed_fabric):
    view = routed_fabric.snapshot()
    expected = [(p.guid, p.lid, p.peer) for p in view.ports(view.node_count() - 1)]
    ports = view.ports(view.node_count() - 1)
    del view
    gc.collect()
    assert [(p.guid, p.lid, p.peer) for p in ports] == expected
    node_id = routed_fabric.nodes()[0]
    expected = [(p.number, p.lid, p.peer) for p in routed_fabric.node(node_id).ports]
    ports = routed_fabric.node(node_id).ports    # the Node itself is only referenced by its ports
    routed_fabric.remove_node(node_id)           # later mutations do not show in the copy
    gc.collect()
    assert [(p.number, p.lid, p.peer) for p in ports] == expected
    assert "lid=" in repr(ports[1]) and "ViewPort" not in repr(ports[1])


def check_view_table(view, table, port0):
    rows = []
    for i in range(view.node_count()):
        for vp in view.ports(i)[0 if port0 else 1:]:
            rows.append(vp)
    assert set(table) == {"node", "port", "peer", "peer_port"} | set(ATTRS)
    for col in table.values():
        assert len(col) == len(rows)
    for r, vp in enumerate(rows):
        assert table["node"][r] == vp.node and table["port"][r] == vp.number
        assert table["guid"][r] == vp.guid and table["lid"][r] == vp.lid and table["lmc"][r] == vp.lmc
        assert ofmf.PortState(int(table["state"][r])) == vp.state
        assert ofmf.PhysState(int(table["phys_state"][r])) == vp.phys_state
        assert ofmf.LinkWidth(int(table["width"][r])) == vp.width
        assert ofmf.LinkSpeed(int(table["speed"][r])) == vp.speed
        assert ofmf.Mtu(int(table["mtu"][r])) == vp.mtu
        assert table["peer"][r] == (UNLINKED if vp.peer is None else vp.peer)
        assert table["peer_port"][r] == vp.peer_port


@pytest.mark.parametrize("port0", [False, True])
def test_view_port_table_matches_ports(fabric, port0):
    view = fabric.snapshot()
    table = view.port_table(port0=port0)
    check_view_table(view, table, port0)
    assert len(table["node"]) == fabric.port_count() + (fabric.node_count() if port0 else 0)


@pytest.mark.parametrize("port0", [False, True])
def test_fabric_port_table_matches_ports(fabric, port0):
    table = fabric.port_table(port0=port0)
    assert set(table) == {"node", "port", "peer_node", "peer_port"} | set(ATTRS)
    expected = []
    for node_id in fabric.nodes():
        for p in range(0 if port0 else 1, fabric.num_ports(node_id) + 1):
            expected.append((node_id, p, fabric.port(PortRef(node_id, p))))
    assert len(table["node"]) == len(expected)
    for r, (node_id, p, ref) in enumerate(expected):
        assert table["node"][r] == node_id.value and table["port"][r] == p
        for a in ("guid", "lid", "lmc"):
            assert table[a][r] == getattr(ref.attributes, a)
        for a, enum in (("state", ofmf.PortState), ("phys_state", ofmf.PhysState), ("width", ofmf.LinkWidth),
                        ("speed", ofmf.LinkSpeed), ("mtu", ofmf.Mtu)):
            assert enum(int(table[a][r])) == getattr(ref.attributes, a)
        if ref.peer is None:
            assert table["peer_node"][r] == UNLINKED and table["peer_port"][r] == 0
        else:
            assert table["peer_node"][r] == ref.peer.node.value and table["peer_port"][r] == ref.peer.port


def test_port_tables_of_routed_fabric_agree(routed_fabric):
    """LIDs written by routing show the same in both tables and in the ports."""
    np = pytest.importorskip("numpy")
    f = routed_fabric
    view = f.snapshot()
    ft, vt = f.port_table(port0=True), view.port_table(port0=True)
    for col in ATTRS + ("port", "peer_port"):
        assert isinstance(ft[col], np.ndarray) and not ft[col].flags.writeable
    # Same rows, ordered differently (nodes() order vs switches first).
    key_f = sorted(zip(ft["guid"].tolist(), ft["port"].tolist(), ft["lid"].tolist()))
    key_v = sorted(zip(vt["guid"].tolist(), vt["port"].tolist(), vt["lid"].tolist()))
    assert key_f == key_v
    nonzero = sum(1 for n in f.nodes() for p in range(f.num_ports(n) + 1)
                  if f.port(PortRef(n, p)).attributes.lid)
    assert nonzero > 0 and int(np.count_nonzero(vt["lid"])) == int(np.count_nonzero(ft["lid"])) == nonzero
    assert vt["lid"].dtype == np.uint16 and vt["guid"].dtype == np.uint64 and vt["peer"].dtype == np.uint32


def test_port_table_without_numpy(data_dir):
    """Without numpy the columns are memoryviews with the same values."""
    code = (
        "import sys; sys.modules['numpy'] = None\n"
        "import ofmf\n"
        "f = ofmf.read_topology(sys.argv[1]); v = f.snapshot(); t = v.port_table()\n"
        "assert all(isinstance(c, memoryview) for c in t.values()), t\n"
        "rows = [(i, p.number, p.guid, p.lid) for i in range(v.node_count()) for p in v.ports(i)[1:]]\n"
        "assert list(zip(t['node'], t['port'], t['guid'], t['lid'])) == rows\n"
        "assert t['guid'].format == 'Q' and t['lid'].format == 'H'\n")
    p = subprocess.run([sys.executable, "-c", code, str(data_dir / "ibsim-3sw-mixed.ibnd")],
                       capture_output=True, text=True, env=dict(os.environ))
    assert p.returncode == 0, p.stderr


def test_empty_fabric_tables():
    f = ofmf.Fabric()
    assert all(len(c) == 0 for c in f.port_table().values())
    assert all(len(c) == 0 for c in f.snapshot().port_table().values())
