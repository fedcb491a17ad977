# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
"""Subnet-manager layer: partition policies (partitions.conf and JSON),
their resolution on a fabric, and the state folder."""

import json

import pytest

import ofmf


CONF = """
Default=0x7fff,ipoib : ALL=full ;
Storage=0x8010,indx0,mtu=5,rate=7 : 0x1001=full, ALL_SWITCHES,
  mgid=ff12:401b::9
  ;
Lost=0x20 : 0xdead ;
"""


def test_policy_text_json_and_resolution(two_switches):
    f, _ = two_switches
    p = ofmf.parse_partitions_conf(CONF, "p.conf")
    assert [r.pkey for r in p.partitions] == [0x10, 0x20, 0x7fff]
    storage = p.find(0x10)
    assert storage.name == "Storage" and storage.indx0 and storage.flags.mtu == 5
    assert storage.groups[0].mgid == "ff12:401b:8010::9"
    assert storage.members[1].kind == ofmf.MemberKind.AllSwitches
    assert storage.members[1].membership == ofmf.RuleMembership.Limited
    assert ofmf.parse_partitions_conf(p.to_conf()) == p
    assert ofmf.partitions_from_json(p.to_json()) == p
    assert json.loads(p.to_json())["partitions"][0]["pkey"] == "0x0010"

    r = ofmf.resolve_partitions(p, f, sm_port=0x1001)
    assert [x.pkey for x in r.partitions] == [0x10, 0x7fff]
    members = {m.port_guid: m.membership for m in r.partitions[0].members}
    assert members == {0x1001: ofmf.Membership.Full, 0x100: ofmf.Membership.Limited, 0x200: ofmf.Membership.Limited}
    assert r.index0 == [0x10]
    assert [g.mgid for g in r.groups] == ["ff12:401b:8010::9", "ff12:401b:ffff::ffff:ffff"]
    assert any("0x000000000000dead is not in the fabric" in w for w in r.warnings)
    for part in r.partitions:
        f.set_partition(part)

    d = ofmf.default_partition_policy()
    assert d.partitions[0].ipoib and d.partitions[0].members[-1].kind == ofmf.MemberKind.All
    assert d == ofmf.parse_partitions_conf("Default=0x7fff,ipoib : ALL=full ;")


def test_policy_errors_say_where():
    with pytest.raises(ofmf.ParseError, match=r"p\.conf:3: unknown partition flag 'colour'"):
        ofmf.parse_partitions_conf("A=1 : ALL ;\n\nB=2,colour=1 : ALL ;", "p.conf")
    with pytest.raises(ofmf.ParseError, match=r"p\.json: /partitions/0/members/0/membership"):
        ofmf.partitions_from_json('{"partitions": [{"pkey": 1, "members": [{"port": "ALL", "membership": "most"}]}]}',
                                  "p.json")
    rule = ofmf.GroupRule()
    rule.mgid = "ff12::1"
    assert rule.mgid == "ff12::1"
    with pytest.raises(ofmf.InvalidArgumentError):
        rule.mgid = "fe80::1"


def test_state_dir(tmp_path, two_switches):
    f, (s1, _, h1, _) = two_switches
    folder = tmp_path / "state"
    s = ofmf.StateDir.open(folder)
    with pytest.raises(ofmf.BusyError):
        ofmf.StateDir.open(folder)
    lids = {0x100: ofmf.LidRange(base=1, lmc=0), 0x1001: ofmf.LidRange(base=4, lmc=1)}
    assert ofmf.apply_lids(f, lids) == 2
    assert ofmf.lids_of(f) == lids
    assert s.save_guid2lid(lids) is True
    assert s.save_guid2lid(lids) is False
    assert s.save_policy(ofmf.default_partition_policy().to_json())
    loaded = s.load()
    assert loaded.guid2lid == lids and loaded.problems == []
    assert ofmf.partitions_from_json(loaded.policy) == ofmf.default_partition_policy()
    text = ofmf.format_guid2lid(lids)
    assert ofmf.parse_guid2lid(text) == lids
    with pytest.raises(ofmf.InconsistentError, match="truncated"):
        ofmf.parse_guid2lid(text[:-1], "g")
    (folder / "guid2lid").write_text(text[: len(text) // 2])
    loaded = s.load()
    assert loaded.guid2lid == {} and "set aside as guid2lid.corrupt-" in loaded.problems[0]
