# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
"""Model: build, mutate, iterate, observe, partitions, counters, snapshot."""

import copy
import gc

import pytest

import ofmf
from ofmf import NodeSpec, NodeType, PortRef


def test_build_and_query(two_switches):
    f, (s1, s2, h1, h2) = two_switches
    assert f.node_count() == 4 and len(f) == 4
    assert f.switch_count() == 2
    assert f.link_count() == 3
    assert f.port_count() == 4 + 4 + 1 + 1
    assert f.nodes() == [s1, s2, h1, h2]
    assert list(f) == f.nodes()
    assert s1 in f
    assert f.find(0x200) == s2
    assert f.find(0x999) is None
    # A CA's port p gets guid + p (documented NodeSpec default).
    assert f.find_port(0x1001) == PortRef(h1, 1)
    assert f.peer(PortRef(s1, 2)) == PortRef(h1, 1)
    assert f.peer(PortRef(s1, 3)) is None
    assert f.type(h1) == NodeType.ChannelAdapter
    assert f.guid(s2) == 0x200
    assert f.num_ports(s1) == 4
    assert f.num_ports(ofmf.NodeId(12345)) is None

    n = f.node(s1)
    assert n.guid == 0x100 and n.description == "s1" and n.num_ports() == 4
    assert [p.number for p in n.ports] == [0, 1, 2, 3, 4]
    assert n.ports[1].peer == PortRef(s2, 1)
    assert n.ports[3].peer is None
    links = f.links()
    assert len(links) == 3
    assert all(link.a < link.b for link in links)
    assert {(link.a, link.b) for link in links} == {
        (PortRef(s1, 1), PortRef(s2, 1)), (PortRef(s1, 2), PortRef(h1, 1)), (PortRef(s2, 2), PortRef(h2, 1))}


def test_mutations_and_generation(two_switches):
    f, (s1, s2, h1, h2) = two_switches
    g = f.generation()
    f.disconnect(PortRef(s1, 1))
    assert f.link_count() == 2
    assert f.generation() == g + 1
    attrs = f.port(PortRef(s1, 3)).attributes
    attrs.lid = 7
    attrs.state = ofmf.PortState.Active
    attrs.speed = ofmf.LinkSpeed.HDR
    f.set_port(PortRef(s1, 3), attrs)
    got = f.port(PortRef(s1, 3)).attributes
    assert (got.lid, got.state, got.speed) == (7, ofmf.PortState.Active, ofmf.LinkSpeed.HDR)
    f.set_description(h2, "renamed")
    assert f.node(h2).description == "renamed"
    f.remove_node(h2)
    assert h2 not in f and f.node_count() == 3
    with pytest.raises(ofmf.NotFoundError):
        f.node(h2)


def test_copies_are_independent(two_switches):
    f, (s1, *_rest) = two_switches
    for c in (f.copy(), copy.copy(f), copy.deepcopy(f)):
        assert ofmf.same_fabric(f, c)
        c.remove_node(s1)
        assert not ofmf.same_topology(f, c)
        assert ofmf.topology_difference(f, c) != ""
        assert f.node_count() == 4


def test_observers_see_changes_in_order(two_switches):
    f, (s1, s2, h1, h2) = two_switches
    seen = []
    token = f.subscribe(seen.append)
    f.disconnect(PortRef(s2, 2))
    new = f.add_node(NodeSpec(type=NodeType.ChannelAdapter, guid=0x3000, num_ports=1))
    f.connect(PortRef(s2, 3), PortRef(new, 1))
    f.remove_node(h1)
    kinds = [c.kind for c in seen]
    K = ofmf.ChangeKind
    assert kinds == [K.LinkRemoved, K.NodeAdded, K.LinkAdded, K.LinkRemoved, K.NodeRemoved]
    assert seen[1].node == new
    assert seen[2].port in (PortRef(s2, 3), PortRef(new, 1))
    assert [c.generation for c in seen] == sorted(c.generation for c in seen)
    assert seen[-1].generation == f.generation()
    assert f.unsubscribe(token)
    assert not f.unsubscribe(token)
    f.remove_node(h2)
    assert len(seen) == 5


def test_observer_must_not_mutate_and_errors_are_unraisable(two_switches):
    f, (s1, s2, h1, h2) = two_switches
    caught = []

    def mutating(change):
        try:
            f.set_description(s1, "x")
        except ofmf.BusyError as e:
            caught.append(e)
        raise RuntimeError("observer failure")

    f.subscribe(mutating)
    import sys
    hook, reported = sys.unraisablehook, []
    sys.unraisablehook = reported.append
    try:
        f.disconnect(PortRef(s1, 1))   # the mutation itself succeeds
    finally:
        sys.unraisablehook = hook
    assert f.peer(PortRef(s1, 1)) is None
    assert len(caught) == 1 and caught[0].errc == ofmf.Errc.busy
    assert len(reported) == 1 and isinstance(reported[0].exc_value, RuntimeError)


def test_partitions_and_counters(two_switches):
    f, (s1, s2, h1, h2) = two_switches
    p = ofmf.Partition(pkey=0x10, name="compute",
                       members=[ofmf.PartitionMember(0x1001), ofmf.PartitionMember(0x2001, ofmf.Membership.Limited)])
    f.set_partition(p)
    assert f.partitions() == [p]
    assert f.partition(0x10) == p and f.partition(0x11) is None
    # Full member: bit 15 set (IBA P_Key table encoding).
    assert f.pkeys_of(0x1001) == [0x8010]
    assert f.pkeys_of(0x2001) == [0x0010]
    assert ofmf.pkey_entry(0x10, ofmf.Membership.Full) == 0x8010
    with pytest.raises(ofmf.NotFoundError):
        f.set_partition(ofmf.Partition(pkey=0x11, members=[ofmf.PartitionMember(0xdead)]))
    with pytest.raises(ofmf.InvalidArgumentError):
        f.set_partition(ofmf.Partition(pkey=0))
    f.remove_partition(0x10)
    assert f.partitions() == []

    c = ofmf.PortCounters(tx_bytes=4096, rx_packets=3, symbol_errors=1)
    assert f.counters(PortRef(h1, 1)) is None
    f.set_counters(PortRef(h1, 1), c)
    assert f.counters(PortRef(h1, 1)) == c
    f.clear_counters(PortRef(h1, 1))
    assert f.counters(PortRef(h1, 1)) is None


def test_snapshot_view(two_switches):
    f, (s1, s2, h1, h2) = two_switches
    v = f.snapshot()
    f.remove_node(h2)      # the view does not change
    del f
    gc.collect()
    assert v.node_count() == 4 and len(v) == 4
    assert v.switch_count() == 2 and v.link_count() == 3
    # Switches come first, in NodeId order.
    assert [v.is_switch(i) for i in range(4)] == [True, True, False, False]
    assert [v.guid(i) for i in range(4)] == [0x100, 0x200, 0x1000, 0x2000]
    assert v.find(0x2000) == 3 and v.find(0x7) is None
    assert v.find(s2) == 1
    assert v.description(2) == "h1"
    assert v.num_ports(0) == 4
    ports = v.ports(0)
    assert len(ports) == 5 and ports[1].peer == 1 and ports[1].peer_port == 1 and ports[3].peer is None
    assert [(e.target, e.local_port, e.remote_port) for e in v.edges(0)] == [(1, 1, 1), (2, 2, 1)]
    offsets = list(v.edge_offset())
    assert offsets[0] == 0 and offsets[-1] == len(v.all_edges()) == 2 * v.link_count()
    targets = list(v.edge_targets())
    assert targets == [e.target for e in v.all_edges()]
    with pytest.raises(IndexError):
        v.guid(4)
    with pytest.raises(IndexError):
        v.ports(-1)


def test_enum_helpers():
    assert ofmf.lanes(ofmf.LinkWidth.X4) == 4
    assert ofmf.lane_data_rate_gbps(ofmf.LinkSpeed.QDR) == 8
    assert ofmf.mtu_bytes(ofmf.Mtu.Mtu4096) == 4096
    assert ofmf.to_string(ofmf.NodeType.ChannelAdapter) == "Ca"
    assert ofmf.to_string(ofmf.LinkWidth.X12) == "12x"
    assert ofmf.parse_link_width("4x") == ofmf.LinkWidth.X4
    assert ofmf.parse_link_speed("EDR") == ofmf.LinkSpeed.EDR
    assert ofmf.parse_link_speed("nope") is None
    assert ofmf.format_guid(0x2c90300a1b2c3) == "0x0002c90300a1b2c3"
    assert ofmf.format_pkey(0x7fff) == "0x7fff"
