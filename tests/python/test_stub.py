# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
"""The type stub ofmf/_ofmf.pyi names everything the module has, and
the package re-exports the module."""

import ast
import os
import pathlib

import ofmf
import ofmf._ofmf as mod

STUB = pathlib.Path(os.environ.get("OFMF_PYTHON_SOURCE_DIR",
                                   pathlib.Path(__file__).resolve().parents[2] / "bindings" / "python")) / "ofmf" / "_ofmf.pyi"


def stub_names():
    tree = ast.parse(STUB.read_text())
    top, members = set(), {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            top.add(node.name)
            members[node.name] = {n.name for n in node.body if isinstance(n, ast.FunctionDef)} | {
                n.target.id for n in node.body if isinstance(n, ast.AnnAssign)}
        elif isinstance(node, ast.FunctionDef):
            top.add(node.name)
        elif isinstance(node, ast.AnnAssign):
            top.add(node.target.id)
    return top, members


def test_every_public_name_is_in_the_stub():
    top, members = stub_names()
    public = {n for n in dir(mod) if not n.startswith("_")}
    assert public - top == set()
    assert {n for n in top if not n.startswith("_")} - public == set()   # nothing stale either
    for name in public:
        obj = getattr(mod, name)
        if isinstance(obj, type) and not issubclass(obj, BaseException):
            if hasattr(obj, "__members__"):
                expected = set(obj.__members__)
            else:
                expected = {a for a in vars(obj) if not a.startswith("_")}
            assert expected - members[name] == set(), name


def test_package_reexports_the_module():
    for name in dir(mod):
        if not name.startswith("_"):
            assert getattr(ofmf, name) is getattr(mod, name)
    assert ofmf.__version__ == mod.__version__ and ofmf.__version__.count(".") == 2


def test_every_public_name_has_a_docstring():
    missing = []
    for name in dir(mod):
        if name.startswith("_"):
            continue
        obj = getattr(mod, name)
        if callable(obj) and not (obj.__doc__ or "").strip():
            missing.append(name)
    assert missing == []
