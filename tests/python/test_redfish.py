# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
"""Redfish from Python: render to dicts, mockup folders, import back."""

import json

import pytest

import ofmf

if not hasattr(ofmf, "render"):
    pytest.skip("Redfish layer not bound in this build", allow_module_level=True)


@pytest.fixture
def fabric(data_dir):
    f = ofmf.read_topology(data_dir / "ibsim-3sw-mixed.ibnd")
    f.set_partition(ofmf.Partition(pkey=0x12, name="p", members=[ofmf.PartitionMember(0x0002c90100000011)]))
    return f


def test_render_as_dicts(fabric):
    tree = ofmf.render(fabric)
    assert len(tree) > fabric.node_count()
    assert "/redfish/v1/" in tree and "/redfish/v1/Fabrics/IB" in tree
    root = tree["/redfish/v1/"]
    assert isinstance(root, dict) and root["@odata.id"] == "/redfish/v1/"
    fabrics = tree["/redfish/v1/Fabrics"]
    assert fabrics["Members@odata.count"] == len(fabrics["Members"]) == 1
    d = tree.to_dict()
    assert list(d) == tree.uris() == list(tree)
    assert list(d) == sorted(d, key=lambda s: s.encode())   # byte-wise URI order
    for uri, res in d.items():
        assert res["@odata.id"] == uri
        json.dumps(res)                                    # plain JSON values only
    assert ofmf.render_resource(fabric, "/redfish/v1/Fabrics/IB") == tree["/redfish/v1/Fabrics/IB"]
    sub = ofmf.render_subtree(fabric, "/redfish/v1/Fabrics/IB/Switches")
    assert set(sub.uris()) == {u for u in d if u == "/redfish/v1/Fabrics/IB/Switches"
                               or u.startswith("/redfish/v1/Fabrics/IB/Switches/")}
    assert sub == tree.subtree("/redfish/v1/Fabrics/IB/Switches")
    other = ofmf.render(fabric, ofmf.ExportOptions(fabric_id="fab0", threads=1))
    assert "/redfish/v1/Fabrics/fab0" in other
    with pytest.raises(ofmf.InvalidArgumentError):
        ofmf.render(fabric, ofmf.ExportOptions(fabric_id=".."))
    with pytest.raises(ofmf.NotFoundError):
        ofmf.render_resource(fabric, "/redfish/v1/Fabrics/IB/Switches/nope")
    with pytest.raises(ofmf.InvalidArgumentError):
        ofmf.render_resource(fabric, "/redfish/v1/../etc")
    with pytest.raises(KeyError):
        tree["/redfish/v1/none"]


def test_import_round_trip_through_dicts(fabric):
    tree = ofmf.render(fabric)
    rebuilt = ofmf.Tree.from_dict(json.loads(json.dumps(tree.to_dict())))
    assert rebuilt == tree
    notes = []
    back = ofmf.import_tree(rebuilt, notes=notes)
    assert ofmf.same_topology(back, fabric), ofmf.topology_difference(back, fabric)
    assert back.partitions() == fabric.partitions()
    assert all(isinstance(n, str) for n in notes)


def test_mockup_folder_round_trip(fabric, tmp_path):
    tree = ofmf.render(fabric)
    out = tmp_path / "mockup"
    ofmf.write_mockup(tree, out)
    index = ofmf.mockup_file(out, "/redfish/v1/Fabrics/IB")
    assert index == out / "redfish" / "v1" / "Fabrics" / "IB" / "index.json"
    assert json.loads(index.read_text()) == tree["/redfish/v1/Fabrics/IB"]
    assert ofmf.read_mockup(out) == tree
    assert ofmf.same_topology(ofmf.import_mockup(out), fabric)
    with pytest.raises(ofmf.AlreadyExistsError):
        (tmp_path / "busy").mkdir()
        (tmp_path / "busy" / "other.txt").write_text("x")
        ofmf.write_mockup(tree, tmp_path / "busy")
    with pytest.raises(ofmf.IoError):
        ofmf.read_mockup(tmp_path / "absent")


def test_mockup_limits(fabric, tmp_path):
    out = tmp_path / "mockup"
    ofmf.write_mockup(ofmf.render(fabric), out)
    index = ofmf.mockup_file(out, "/redfish/v1/Fabrics/IB")
    assert ofmf.ImportOptions().max_file_bytes == 8 << 20
    assert ofmf.ImportOptions().max_depth == 32
    with pytest.raises(ofmf.LimitExceededError) as e:
        ofmf.read_mockup(out, ofmf.ImportOptions(max_file_bytes=100))
    assert "larger than ImportOptions::max_file_bytes (100 bytes)" in str(e.value)
    resource = json.loads(index.read_text())
    resource["Deep"] = [[[[[1]]]]]  # the 1 at level 7
    index.write_text(json.dumps(resource))
    with pytest.raises(ofmf.ParseError) as e:
        ofmf.read_mockup(out, ofmf.ImportOptions(max_depth=6))
    assert str(e.value).startswith(str(index) + ": /redfish/v1/Fabrics/IB: nested deeper than "
                                   "ImportOptions::max_depth (6 levels) at byte ")
    ofmf.read_mockup(out, ofmf.ImportOptions(max_depth=7))


def test_renderer_follows_changes(fabric):
    r = ofmf.Renderer.create(fabric)
    assert r.pending() == 0
    node = fabric.find(0x0002c90000002000)
    fabric.set_description(node, "edge three")
    assert r.pending() > 0
    result = r.refresh()
    assert result.rendered and not result.removed
    assert r.tree() == ofmf.render(fabric)
    del fabric                                   # the renderer keeps its fabric alive
    import gc
    gc.collect()
    assert r.refresh().rendered == []


def test_bad_python_values():
    t = ofmf.Tree()
    with pytest.raises(TypeError):
        t["/redfish/v1/"] = {1: "non-str key"}
    with pytest.raises(TypeError):
        t["/redfish/v1/"] = {"x": object()}
    with pytest.raises(ValueError):
        t["/redfish/v1/"] = {"x": 1 << 70}
    deep = []
    for _ in range(1000):
        deep = [deep]
    with pytest.raises(ValueError):
        t["/redfish/v1/"] = {"x": deep}
    t["/redfish/v1/"] = {"@odata.id": "/redfish/v1/", "n": -1, "f": 1.5, "l": [True, None, "s"]}
    assert t["/redfish/v1/"]["l"] == [True, None, "s"]
    # Hostile trees are refused with library errors, never a crash.
    for d in ({"/redfish/v1/": {}}, {"/redfish/v1/../x": {"@odata.id": "/redfish/v1/../x"}},
              {"/redfish/v1/": {"@odata.id": "/redfish/v1/", "Fabrics": {"@odata.id": 5}}}):
        with pytest.raises(ofmf.OfmfError):
            ofmf.import_tree(ofmf.Tree.from_dict(d))
