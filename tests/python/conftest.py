# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
"""Shared fixtures of the Python binding tests."""

import os
import pathlib
import shutil

import pytest

ofmf = pytest.importorskip("ofmf", reason="ofmf bindings not on PYTHONPATH (build with OFMF_BUILD_PYTHON)")

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent


@pytest.fixture(scope="session")
def data_dir():
    return pathlib.Path(os.environ.get("OFMF_TEST_DATA_DIR", REPO / "tests" / "data"))


@pytest.fixture(scope="session")
def ofmfctl():
    path = os.environ.get("OFMF_OFMFCTL") or shutil.which("ofmfctl")
    if not path or not os.path.exists(path):
        pytest.skip("ofmfctl not built")
    return path


@pytest.fixture
def two_switches():
    """Two 4-port switches linked on port 1, one single-port CA on each."""
    f = ofmf.Fabric()
    s1 = f.add_node(ofmf.NodeSpec(type=ofmf.NodeType.Switch, guid=0x100, num_ports=4, description="s1"))
    s2 = f.add_node(ofmf.NodeSpec(type=ofmf.NodeType.Switch, guid=0x200, num_ports=4, description="s2"))
    h1 = f.add_node(ofmf.NodeSpec(type=ofmf.NodeType.ChannelAdapter, guid=0x1000, num_ports=1, description="h1"))
    h2 = f.add_node(ofmf.NodeSpec(type=ofmf.NodeType.ChannelAdapter, guid=0x2000, num_ports=1, description="h2"))
    f.connect(ofmf.PortRef(s1, 1), ofmf.PortRef(s2, 1))
    f.connect(ofmf.PortRef(s1, 2), ofmf.PortRef(h1, 1))
    f.connect(ofmf.PortRef(s2, 2), ofmf.PortRef(h2, 1))
    return f, (s1, s2, h1, h2)
