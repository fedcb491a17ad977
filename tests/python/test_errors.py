# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
"""Errors: library errors become ofmf.OfmfError subclasses with .code;
wrong types and values raise the usual Python exceptions; nothing crashes."""

import pytest

import ofmf
from ofmf import NodeSpec, NodeType, PortRef

# errc value -> (class name, Python base) as documented in bindings/README.md.
EXPECTED = {
    1: ("InvalidArgumentError", ValueError),
    2: ("NotFoundError", LookupError),
    3: ("AlreadyExistsError", ValueError),
    4: ("OutOfRangeError", IndexError),
    5: ("BusyError", RuntimeError),
    6: ("ParseError", ValueError),
    7: ("IoError", OSError),
    8: ("NotSupportedError", NotImplementedError),
    9: ("LimitExceededError", ValueError),
    10: ("InconsistentError", ValueError),
    11: ("DeviceTimeoutError", TimeoutError),
    12: ("UnavailableError", RuntimeError),
    13: ("ProtocolError", RuntimeError),
    14: ("CancelledError", RuntimeError),
}


def test_hierarchy():
    assert issubclass(ofmf.OfmfError, Exception)
    for value, (name, base) in EXPECTED.items():
        cls = getattr(ofmf, name)
        assert issubclass(cls, ofmf.OfmfError) and issubclass(cls, base), name
        assert int(ofmf.Errc(value)) == value


def test_error_carries_code_and_message(two_switches):
    f, (s1, s2, h1, h2) = two_switches
    with pytest.raises(ofmf.AlreadyExistsError) as e:
        f.add_node(NodeSpec(type=NodeType.Switch, guid=0x100, num_ports=4))
    assert e.value.code == int(ofmf.Errc.already_exists)
    assert e.value.errc == ofmf.Errc.already_exists
    assert e.value.category == "ofmf"
    assert "0x0000000000000100" in str(e.value)   # the message names the GUID
    assert str(e.value) == e.value.message

    with pytest.raises(ofmf.BusyError):
        f.connect(PortRef(s1, 2), PortRef(s2, 3))
    with pytest.raises(ofmf.OutOfRangeError):
        f.connect(PortRef(s1, 9), PortRef(s2, 3))
    with pytest.raises(IndexError):          # the Python base works as well
        f.port(PortRef(h1, 2))
    with pytest.raises(ofmf.InvalidArgumentError):
        f.add_node(NodeSpec(type=NodeType.Switch, guid=0x900, num_ports=0))
    with pytest.raises(ofmf.InvalidArgumentError):
        f.set_description(s1, "x" * 65)
    with pytest.raises(LookupError):
        f.remove_node(ofmf.NodeId(999))
    with pytest.raises(ofmf.NotFoundError):
        f.remove_node(ofmf.NodeId())


def test_wrong_types_and_values_raise_type_errors(two_switches):
    f, (s1, *_rest) = two_switches
    with pytest.raises(TypeError):
        f.add_node("switch")
    with pytest.raises(TypeError):
        f.connect((s1, 1), (s1, 2))          # tuples are not PortRefs
    with pytest.raises(TypeError):
        NodeSpec(guid=-1)                    # GUIDs are unsigned 64-bit
    with pytest.raises(TypeError):
        NodeSpec(guid=1 << 64)
    with pytest.raises(TypeError):
        ofmf.PortAttributes(lid=0x10000)     # LIDs are 16-bit
    with pytest.raises(TypeError):
        ofmf.PortAttributes(state=4)         # enums are not ints
    with pytest.raises(TypeError, match="unexpected keyword argument 'gid'"):
        NodeSpec(gid=1)
    with pytest.raises(TypeError):
        ofmf.PortRef(s1, 256)                # port numbers are 8-bit
    with pytest.raises(TypeError):
        f.subscribe(42)


def test_parse_errors_say_where(tmp_path):
    with pytest.raises(ofmf.ParseError) as e:
        ofmf.parse_netfile('Switch 4 "a"\n[1] "b"[1]\n', ofmf.ReadOptions(source_name="t.net"))
    assert str(e.value).startswith("t.net:")
    with pytest.raises(ofmf.LimitExceededError):
        ofmf.parse_ibnetdiscover("x" * 100, ofmf.ReadOptions(max_bytes=10))
    with pytest.raises(ofmf.IoError) as e:
        ofmf.read_topology("/nonexistent/fabric.ibnd")
    assert "/nonexistent/fabric.ibnd" in str(e.value)
    dot = tmp_path / "fabric.dot"
    dot.write_text("graph {}\n")
    with pytest.raises(ofmf.NotSupportedError):
        ofmf.read_topology(dot)


def test_empty_topologies_and_long_lines():
    with pytest.raises(ofmf.ParseError) as e:
        ofmf.parse_ibnetdiscover("# nothing\n", ofmf.ReadOptions(source_name="e.topo"))
    assert str(e.value) == "e.topo: no nodes (ReadOptions::allow_empty accepts an empty fabric)"
    assert ofmf.parse_netfile("# nothing\n", ofmf.ReadOptions(allow_empty=True)).node_count() == 0
    assert ofmf.ReadOptions().max_line_bytes == 4096
    with pytest.raises(ofmf.ParseError) as e:
        ofmf.parse_ibnetdiscover("#" * 50 + "\n", ofmf.ReadOptions(source_name="l.topo", max_line_bytes=40))
    assert str(e.value).startswith("l.topo:1: expected a line of at most 40 bytes")


def test_hostile_inputs_do_not_crash():
    for text in ["", "\0\0\0", "Switch 255 \"a\"\n", "Switch 4294967296 \"x\"\n", "[1] \"" + "a" * 10000,
                 "switchguid=0x\nSwitch 2 \"s\"\n[1] \"s\"[1]\n", "\xff\xfe"]:
        for parse in (ofmf.parse_netfile, ofmf.parse_ibnetdiscover):
            try:
                parse(text)
            except ofmf.OfmfError:
                pass
    with pytest.raises(ofmf.InvalidArgumentError):
        ofmf.generate_fat_tree(ofmf.FatTreeSpec(radix=5))
    with pytest.raises(ofmf.LimitExceededError):
        ofmf.generate_fat_tree(ofmf.FatTreeSpec(radix=256))
    with pytest.raises(ofmf.NotFoundError) as e:
        ofmf.make_backend("no-such-backend")
    assert "sim" in str(e.value)               # the message lists the built-ins
    with pytest.raises(ofmf.NotFoundError):
        ofmf.EngineRegistry.builtin().create("no-such-engine")
    with pytest.raises(ofmf.InvalidArgumentError):
        ofmf.compute_chain(ofmf.EngineRegistry.builtin(), "", ofmf.Fabric().snapshot())
    t = ofmf.RouteTable()
    with pytest.raises(IndexError):
        t.lft(0)
    with pytest.raises(IndexError):
        t.out_port(-1, 1)
