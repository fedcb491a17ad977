# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
"""Checks an exported Redfish mockup tree against DMTF's JSON schemas (DSP8010).

usage: validate_tree.py [--schemas DIR] [--default-schemas DIR] [--validator PY]
                        [--work DIR] [--self-test] (TREE | -- EXPORT_COMMAND...)

TREE is a mockup folder (TREE/redfish/v1/**/index.json). With "-- COMMAND",
the command is run first with every "{out}" argument replaced by a fresh
folder under --work, and that folder is checked.

Checks, each reported with the resource URI:
  schema    every resource against its versioned schema ("#Port.v1_18_0.Port"
            -> Port.v1_18_0.json#/definitions/Port; collections against the
            unversioned file), $refs resolved in the local schema folder only
  count     X@odata.count == len(X) for every array X (Members included)
  id        Id == last segment of @odata.id (the service root excepted)
  path      @odata.id == the folder path of its index.json
  link      every {"@odata.id": ...} inside a resource resolves in the tree
  uri       @odata.id matches one of the unversioned schema's "uris" patterns
  version   no property whose "versionAdded" is newer than the schema version
            the resource (or the embedded type) declares
With --validator, also runs DMTF-rule validation `redfish-validate.py --rules`
on the tree and requires its summary to say "0 failed".
With --self-test, copies of the tree are broken in one way each and every
check must catch its breakage (so the checks themselves can fail).

Schemas: --schemas, else $OFMF_REDFISH_SCHEMA_DIR, else --default-schemas.
A missing schema folder or validator prints "SKIPPED: ..." and exits 77.
Exit status: 0 all passed, 1 a check failed, 2 usage or export error.
"""
import argparse
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import warnings

SKIP = 77
SCHEMA_URL = "http://redfish.dmtf.org/schemas/v1/"
URL_RE = re.compile(r"^https?://redfish\.dmtf\.org/schemas/(?:[A-Za-z0-9_-]+/)*v1/(?P<file>[^/#]+\.json)$")
TYPE_RE = re.compile(r"^#(?P<ns>[A-Za-z0-9_-]+)\.(?:v(?P<ver>\d+_\d+_\d+)\.)?(?P<type>[A-Za-z0-9_]+)$")
VFILE_RE = re.compile(r"^(?P<ns>[A-Za-z0-9_-]+)\.v(?P<ver>\d+_\d+_\d+)\.json$")


def skip(message):
    print("SKIPPED: " + message, flush=True)
    sys.exit(SKIP)


def version_key(v):
    """'1_18_0' or 'v1_18_0' -> (1, 18, 0)."""
    return tuple(int(x) for x in v.lstrip("v").split("_"))


class Schemas:
    """The local schema folder: files by name, cached; nothing is fetched."""

    def __init__(self, directory):
        self.dir = directory
        self.files = {f for f in os.listdir(directory) if f.endswith(".json")}
        self.cache = {}
        self.newest = {}  # namespace -> newest versioned file name
        for f in self.files:
            m = VFILE_RE.match(f)
            if m and (m["ns"] not in self.newest
                      or version_key(m["ver"]) > version_key(VFILE_RE.match(self.newest[m["ns"]])["ver"])):
                self.newest[m["ns"]] = f
        self.unresolved = set()

    def load(self, name):
        if name not in self.cache:
            if name not in self.files:
                return None
            with open(os.path.join(self.dir, name), encoding="utf-8") as fh:
                self.cache[name] = json.load(fh)
        return self.cache[name]

    def load_url(self, url):
        m = URL_RE.match(url.split("#")[0])
        doc = self.load(m["file"]) if m else None
        if doc is None:
            # Only the three SNIA Swordfish collections are absent (SOURCE.md).
            self.unresolved.add(url.split("#")[0])
            return {"definitions": AnyDefinitions()}
        return doc

    def validator(self, ref):
        import jsonschema
        wrapper = {"$ref": ref}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            resolver = jsonschema.RefResolver(base_uri="", referrer=wrapper,
                                              handlers={"http": self.load_url, "https": self.load_url})
            return jsonschema.Draft7Validator(wrapper, resolver=resolver)


class AnyDefinitions(dict):
    """Definitions of an absent schema: every type accepts anything."""

    def __missing__(self, key):
        return {}


def load_tree(root):
    """{uri: (document, path)} for every index.json under root/redfish/v1."""
    base = os.path.join(root, "redfish", "v1")
    if not os.path.isdir(base):
        raise SystemExit("validate_tree: %s has no redfish/v1 folder" % root)
    tree = {}
    for d, dirs, names in os.walk(base):
        dirs.sort()
        if "index.json" in names:
            path = os.path.join(d, "index.json")
            rel = os.path.relpath(d, root).replace(os.sep, "/")
            with open(path, encoding="utf-8") as fh:
                tree["/" + rel] = (json.load(fh), path)
    return tree


def norm_uri(uri):
    return uri[:-1] if uri.endswith("/") and uri != "/" else uri


def links_in(value, where=""):
    """Yields (json path, target) for every @odata.id below a resource's top level."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "@odata.id" and where and isinstance(v, str):
                yield where, v
            else:
                yield from links_in(v, where + "/" + k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from links_in(v, "%s/%d" % (where, i))


def counts_in(value, where=""):
    """Yields (json path, problem) for every X@odata.count that differs from len(X)."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k.endswith("@odata.count"):
                arr = value.get(k[: -len("@odata.count")])
                if not isinstance(arr, list):
                    yield where + "/" + k, "no array %r beside it" % k[: -len("@odata.count")]
                elif v != len(arr):
                    yield where + "/" + k, "is %r but the array has %d entries" % (v, len(arr))
            else:
                yield from counts_in(v, where + "/" + k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from counts_in(v, "%s/%d" % (where, i))


def resolve_pointer(doc, pointer):
    cur = doc
    for part in pointer.lstrip("/").split("/") if pointer.strip("/") else []:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        elif isinstance(cur, list) and part.isdigit() and int(part) < len(cur):
            cur = cur[int(part)]
        else:
            return False
    return True


class Checker:
    def __init__(self, schemas):
        self.s = schemas
        self.uri_patterns = {}
        self.validators = {}

    def patterns(self, ns):
        if ns not in self.uri_patterns:
            doc = self.s.load(ns + ".json") or {}
            uris = doc.get("definitions", {}).get(ns, {}).get("uris", [])
            self.uri_patterns[ns] = [re.compile("^" + re.sub(r"\\\{[A-Za-z0-9_]+\\\}", "[^/]+", re.escape(u)) + "$")
                                     for u in uris]
        return self.uri_patterns[ns]

    def schema_errors(self, doc, ns, ver, typ):
        fname = ns + (".v" + ver if ver else "") + ".json"
        schema = self.s.load(fname)
        if schema is None:
            return ["schema: no local schema file %s for this @odata.type" % fname]
        defn = schema.get("definitions", {}).get(typ)
        if defn is None:
            return ["schema: %s defines no type %s" % (fname, typ)]
        ref = SCHEMA_URL + fname + "#/definitions/" + typ
        if not ver and isinstance(defn.get("anyOf"), list) and len(defn["anyOf"]) == 2:
            ref += "/anyOf/1"  # a collection: the full object, not the bare link
        if ref not in self.validators:
            self.validators[ref] = self.s.validator(ref)
        out = []
        for e in sorted(self.validators[ref].iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
            msg = e.message if len(e.message) < 300 else e.message[:297] + "..."
            out.append("schema: /%s: %s" % ("/".join(map(str, e.absolute_path)), msg))
        return out

    def version_errors(self, value, fname, typ, where):
        """Properties of `value` (an instance of fname#/definitions/typ) added after fname's version."""
        m = VFILE_RE.match(fname)
        if not m or not isinstance(value, dict):
            return []
        declared = self.s.load(fname)
        newest = self.s.load(self.s.newest.get(m["ns"], fname))
        if declared is None or newest is None:
            return []
        ddef = declared.get("definitions", {}).get(typ, {})
        ndef = newest.get("definitions", {}).get(typ, {})
        out = []
        for k, v in value.items():
            added = ndef.get("properties", {}).get(k, {}).get("versionAdded")
            if added and version_key(added) > version_key(m["ver"]):
                out.append("version: %s/%s: added in %s %s, the resource declares v%s"
                           % (where, k, m["ns"], added, m["ver"]))
                continue
            sub = ddef.get("properties", {}).get(k)
            if sub is None:
                continue
            target = self.ref_of(sub)
            if target is None:
                continue
            tfile, ttype = target
            tfile = tfile or fname
            items = v if isinstance(v, list) else [v]
            for i, item in enumerate(items):
                out += self.version_errors(item, tfile, ttype,
                                           "%s/%s" % (where, k) + ("/%d" % i if isinstance(v, list) else ""))
        return out

    @staticmethod
    def ref_of(prop):
        """(file or None for this file, type) of the object a property holds, if it is a $ref."""
        cands = [prop, prop.get("items", {})] + list(prop.get("anyOf", [])) + list(prop.get("items", {}).get("anyOf", []))
        for c in cands:
            ref = c.get("$ref") if isinstance(c, dict) else None
            if not ref:
                continue
            base, _, frag = ref.partition("#")
            if not frag.startswith("/definitions/"):
                continue
            m = URL_RE.match(base) if base else None
            if base and not m:
                continue
            return (m["file"] if m else None), frag[len("/definitions/"):]
        return None

    def check(self, tree):
        """{uri: [problems]} for every resource with problems."""
        problems = {}
        for uri, (doc, path) in sorted(tree.items()):
            errs = []
            if not isinstance(doc, dict):
                problems[uri] = ["schema: top level is not an object"]
                continue
            oid = doc.get("@odata.id")
            if not isinstance(oid, str) or norm_uri(oid) != uri:
                errs.append("path: @odata.id %r differs from the file's folder %r" % (oid, uri))
            if isinstance(oid, str) and norm_uri(oid) != "/redfish/v1":
                last = norm_uri(oid).rsplit("/", 1)[-1]
                if doc.get("Id") is not None and doc.get("Id") != last:
                    errs.append("id: Id %r differs from the last URI segment %r" % (doc.get("Id"), last))
            errs += ["count: %s %s" % p for p in counts_in(doc)]
            for where, target in links_in(doc):
                base, _, frag = target.partition("#")
                if norm_uri(base) not in tree:
                    errs.append("link: %s: %r resolves to no resource in the tree" % (where, target))
                elif frag and not resolve_pointer(tree[norm_uri(base)][0], frag):
                    errs.append("link: %s: %r: fragment not found in the target" % (where, target))
            m = TYPE_RE.match(doc.get("@odata.type", "")) if isinstance(doc.get("@odata.type"), str) else None
            if not m:
                errs.append("schema: @odata.type %r is not '#Namespace[.vX_Y_Z].Type'" % doc.get("@odata.type"))
            else:
                ns, ver, typ = m["ns"], m["ver"], m["type"]
                errs += self.schema_errors(doc, ns, ver, typ)
                pats = self.patterns(ns)
                if isinstance(oid, str) and not any(p.match(oid) for p in pats):
                    errs.append("uri: %r matches none of the %d URI patterns of %s.json" % (oid, len(pats), ns))
                if ver:
                    errs += self.version_errors(doc, "%s.v%s.json" % (ns, ver), typ, "")
            if errs:
                problems[uri] = errs
        return problems


def report(problems, tree):
    for uri, errs in sorted(problems.items()):
        print("FAIL %s" % uri)
        for e in errs[:20]:
            print("    " + e)
        if len(errs) > 20:
            print("    ... %d more" % (len(errs) - 20))
    print("validate_tree: %d resources, %d passed, %d failed" % (len(tree), len(tree) - len(problems), len(problems)))


# ----- self test: every check must catch a breakage made on purpose -----

def first_of(tree, odata_prefix):
    for uri, (doc, _) in sorted(tree.items()):
        if str(doc.get("@odata.type", "")).startswith(odata_prefix):
            return uri
    return None


def breakages(tree):
    """(name, expected check prefix, function mutating a copy of the tree)."""
    port = first_of(tree, "#Port.v")
    coll = first_of(tree, "#PortCollection.")
    out = []

    def mutate(uri, fn):
        def apply(t):
            fn(t[uri][0])
        return apply
    if port:
        out += [
            ("wrong type of PortId", "schema:", mutate(port, lambda d: d.__setitem__("PortId", 7))),
            ("unknown enum value", "schema:", mutate(port, lambda d: d.__setitem__("PortProtocol", "Infiniband"))),
            ("property newer than declared", "version:",
             mutate(port, lambda d: (d.__setitem__("@odata.type", "#Port.v1_1_9.Port"),
                                     d.__setitem__("InfiniBand", {})))),
            ("Id not the last segment", "id:", mutate(port, lambda d: d.__setitem__("Id", "99"))),
            ("dangling link", "link:",
             mutate(port, lambda d: d.setdefault("Links", {}).__setitem__(
                 "ConnectedPorts", [{"@odata.id": "/redfish/v1/Fabrics/none/Switches/x/Ports/1"}]))),
        ]
    if coll:
        out += [("wrong Members@odata.count", "count:",
                 mutate(coll, lambda d: d.__setitem__("Members@odata.count", len(d.get("Members", [])) + 1)))]

    def move(t):
        # A Port resource at a URI no Port pattern allows (and Id/path kept consistent).
        doc, path = t[port]
        bad = "/redfish/v1/Fabrics/" + port.split("/")[4] + "/Ports/" + doc.get("Id", "1")
        doc = dict(doc, **{"@odata.id": bad})
        del t[port]
        t[bad] = (doc, path)
    if port:
        out.append(("URI outside the schema's patterns", "uri:", move))
    return out


def self_test(checker, tree):
    failures = 0
    cases = breakages(tree)
    if len(cases) < 7:
        print("self-test: the tree lacks a Port or a PortCollection to break")
        return 1
    for name, prefix, fn in cases:
        t = copy.deepcopy(tree)
        fn(t)
        found = [e for errs in checker.check(t).values() for e in errs]
        if any(e.startswith(prefix) for e in found):
            print("self-test PASS %s: caught (%s)" % (name, next(e for e in found if e.startswith(prefix))))
        else:
            failures += 1
            print("self-test FAIL %s: no %r problem reported (got %s)" % (name, prefix, found[:3]))
    return 1 if failures else 0


def run_validator(validator, schemas, root):
    proc = subprocess.run([sys.executable, validator, "--schemas", schemas.dir, "--rules", "--quiet", root],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
    lines = proc.stdout.strip().splitlines()
    print("\n".join(lines[-40:]))
    summary = lines[-1] if lines else ""
    ok = proc.returncode == 0 and re.match(r"^\d+ passed, 0 failed", summary) is not None
    print("redfish-validate --rules: %s" % ("ok (0 failed)" if ok else "FAILED (exit %d)" % proc.returncode))
    return 0 if ok else 1


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--schemas")
    ap.add_argument("--default-schemas")
    ap.add_argument("--validator", help="path of redfish-validate.py; also require it to report 0 failed")
    ap.add_argument("--work", help="folder for exported trees (default: a temporary folder)")
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("tree", nargs="?")
    command = []
    if "--" in argv:
        i = argv.index("--")
        argv, command = argv[:i], argv[i + 1:]
    args = ap.parse_args(argv)

    schema_dir = args.schemas or os.environ.get("OFMF_REDFISH_SCHEMA_DIR") or args.default_schemas
    if not schema_dir or not os.path.isdir(schema_dir):
        skip("Redfish JSON schema folder %r not found (set OFMF_REDFISH_SCHEMA_DIR to DSP8010's json-schema/)"
             % schema_dir)
    if args.validator and not os.path.isfile(args.validator):
        skip("Redfish validator %r not found" % args.validator)
    try:
        import jsonschema  # noqa: F401
    except ImportError:
        skip("python3-jsonschema is not installed")

    if args.tree and command:
        ap.error("give a tree or an export command, not both")
    tmp = None
    if args.tree:
        root = args.tree
    elif command:
        work = args.work or tempfile.mkdtemp(prefix="ofmf-redfish-")
        tmp = None if args.work else work
        os.makedirs(work, exist_ok=True)
        root = os.path.join(work, "tree")
        shutil.rmtree(root, ignore_errors=True)
        cmd = [a.replace("{out}", root) for a in command]
        proc = subprocess.run(cmd, check=False)
        if proc.returncode != 0:
            print("validate_tree: export command failed (exit %d): %s" % (proc.returncode, " ".join(cmd)))
            return 2
    else:
        ap.error("give a tree or '-- EXPORT_COMMAND'")
    try:
        schemas = Schemas(schema_dir)
        checker = Checker(schemas)
        tree = load_tree(root)
        if args.self_test:
            return self_test(checker, tree)
        problems = checker.check(tree)
        report(problems, tree)
        for u in sorted(schemas.unresolved):
            print("note: %s is not in the local schema set (accepted as unknown)" % u)
        status = 1 if problems or not tree else 0
        if args.validator:
            status |= run_validator(args.validator, schemas, root)
        return status
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
