# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
"""ofmf.reconcile(): a discovery applied to the live fabric as mutations."""

import pytest

import ofmf
from ofmf import NodeSpec, NodeType, PortRef


def test_identical_discovery_changes_nothing(two_switches):
    live, _ = two_switches
    disc = live.copy()
    seen = []
    live.subscribe(seen.append)
    report = ofmf.reconcile(live, disc)
    assert not report.changed() and not report
    assert report.mutations == 0
    assert str(report) == ""
    assert seen == []


def test_changes_are_applied_and_reported(two_switches):
    live, (s1, s2, h1, h2) = two_switches
    disc = live.copy()
    disc.disconnect(PortRef(h2, 1))
    h3 = disc.add_node(NodeSpec(type=NodeType.ChannelAdapter, guid=0x3000, num_ports=1, description="h3"))
    disc.connect(PortRef(s2, 3), PortRef(h3, 1))
    a = disc.port(PortRef(h1, 1)).attributes
    a.state = ofmf.PortState.Active
    a.lid = 7
    disc.set_port(PortRef(h1, 1), a)
    disc.set_description(s1, "spine")
    kinds = []
    live.subscribe(lambda c: kinds.append(c.kind))
    generation = live.generation()

    report = ofmf.reconcile(live, disc)
    assert report.changed()
    assert [n.guid for n in report.nodes_added] == [0x3000]
    assert report.nodes_added[0].type == NodeType.ChannelAdapter
    assert report.nodes_removed == []
    assert report.links_removed == [ofmf.LinkSummary(ofmf.LinkEnd(0x200, 2), ofmf.LinkEnd(0x2000, 1))]
    assert report.links_added == [ofmf.LinkSummary(ofmf.LinkEnd(0x200, 3), ofmf.LinkEnd(0x3000, 1))]
    (pc,) = report.ports_changed
    assert pc.port == ofmf.LinkEnd(0x1000, 1)
    assert (pc.before.lid, pc.after.lid) == (0, 7)
    assert pc.after.state == ofmf.PortState.Active
    (dc,) = report.descriptions_changed
    assert (dc.node, dc.before, dc.after) == (0x100, "s1", "spine")
    assert report.mutations == live.generation() - generation
    assert ofmf.ChangeKind.NodeAdded in kinds and ofmf.ChangeKind.LinkRemoved in kinds
    assert ofmf.same_fabric(live, disc), ofmf.topology_difference(live, disc)
    assert "link added: 0x0000000000000200[3] - 0x0000000000003000[1]" in str(report)
    # The nodes that were there keep their IDs.
    assert live.find(0x2000) == h2


def test_options_keep_missing_and_dry_run(two_switches):
    live, (s1, s2, h1, h2) = two_switches
    disc = live.copy()
    disc.remove_node(h2)
    report = ofmf.reconcile(live, disc, ofmf.ReconcileOptions(keep_missing=True))
    assert report.nodes_kept == [0x2000]
    assert not report.changed()
    assert live.find(0x2000) is not None

    dry = ofmf.reconcile(live, disc, ofmf.ReconcileOptions(dry_run=True))
    assert [n.guid for n in dry.nodes_removed] == [0x2000]
    assert dry.mutations == 0
    assert live.find(0x2000) is not None

    done = ofmf.reconcile(live, disc, ofmf.ReconcileOptions(partitions=ofmf.ReconcileFrom.Discovered))
    assert [n.guid for n in done.nodes_removed] == [0x2000]
    assert live.find(0x2000) is None


def test_refused_discovery_leaves_live_untouched(two_switches):
    live, (s1, s2, h1, h2) = two_switches
    disc = live.copy()
    disc.remove_node(h2)
    disc.disconnect(PortRef(s1, 1))
    # A new adapter whose port GUID is still held by the kept h2.
    disc.add_node(NodeSpec(type=NodeType.ChannelAdapter, guid=0x5000, num_ports=1, port_guids=[0x2001]))
    before = live.copy()
    seen = []
    live.subscribe(seen.append)
    with pytest.raises(ofmf.AlreadyExistsError):
        ofmf.reconcile(live, disc, ofmf.ReconcileOptions(keep=[0x2000]))
    assert seen == []
    assert ofmf.same_fabric(live, before)
