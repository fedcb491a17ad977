# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
"""Directed routes into an ibsim netfile, independent of ofmf's code.

Usage: netfile_paths.py NETFILE

Prints one JSON object: for every node (by its node id, the quoted name
of its Switch/Hca/Ca line) its type ("Switch" or "Ca"), the port GUID of
each port as ibsim assigns it (switchguid=/caguid= lines, else ibsim's
defaults 0x200000 / 0x100000; switch ports share the node GUID, a CA
port is node GUID + port), its links {port: [peer, peer_port]} and "path",
a shortest directed route from the first node of the file (where ibsim
attaches clients by default) in smpquery -D syntax ("0,1,3"). Channel
adapters other than the first node do not forward.
"""
import collections
import json
import re
import sys


def parse(path):
    nodes = collections.OrderedDict()
    cur = None
    sw_guid, ca_guid = 0x200000, 0x100000
    for line in open(path):
        line = line.split("#", 1)[0].rstrip() if not line.lstrip().startswith("[") else line.rstrip()
        s = line.strip()
        m = re.match(r"^(switchguid|caguid|hcaguids)\s*=\s*(\S+)", s)
        if m:
            v = int(m.group(2), 0)
            if m.group(1) == "switchguid":
                sw_guid = v
            else:
                ca_guid = v
            continue
        m = re.match(r'^(Switch|Hca|Ca)\s+(\d+)\s+"([^"]+)"', s)
        if m:
            kind = "Switch" if m.group(1) == "Switch" else "Ca"
            nports = int(m.group(2))
            if kind == "Switch":
                guid = sw_guid
                sw_guid += 1
            else:
                guid = ca_guid
                ca_guid += nports + 1
            cur = m.group(3)
            nodes[cur] = {"type": kind, "node_guid": "0x%016x" % guid, "ports": {}, "guids": {}}
            for p in range(0 if kind == "Switch" else 1, nports + 1):
                nodes[cur]["guids"][p] = "0x%016x" % (guid if kind == "Switch" else guid + p)
            continue
        m = re.match(r'^\[(\d+)\]\s+"([^"]+)"\[(\d+)\]', s)
        if m and cur is not None:
            nodes[cur]["ports"][int(m.group(1))] = [m.group(2), int(m.group(3))]
            continue
        if not s:
            cur = None
    # Links written on one side only count for both.
    for name, n in nodes.items():
        for p, (peer, pp) in list(n["ports"].items()):
            if peer in nodes:
                nodes[peer]["ports"].setdefault(pp, [name, p])
    return nodes


def main():
    nodes = parse(sys.argv[1])
    first = next(iter(nodes))
    nodes[first]["path"] = "0"
    queue = collections.deque([first])
    while queue:
        u = queue.popleft()
        if u != first and nodes[u]["type"] != "Switch":
            continue
        for p in sorted(nodes[u]["ports"]):
            v = nodes[u]["ports"][p][0]
            if v in nodes and "path" not in nodes[v]:
                nodes[v]["path"] = nodes[u]["path"] + "," + str(p)
                queue.append(v)
    json.dump(nodes, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
