#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
# `ofmfctl sm` checked with references that do not share our code:
# infiniband-diags on ibsim (ibroute, ibtracert, smpquery) for the umad
# backend, the topology file for the sim backend.
# Usage: test_sm.sh OFMFCTL WORKDIR CASE [STOP_LIMIT_MS]. Exit 77 (skipped) without ibsim
# or infiniband-diags.
set -u
OFMFCTL=$1
WORK=$2
CASE=$3
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=$HERE/../data
HARNESS=$HERE/ibsim_harness.sh
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK" || exit 1

fail() {
  echo "FAIL [$CASE]: $*" >&2
  for f in sm.out sm.err check.txt; do [ -s "$f" ] && { echo "--- $f:" >&2; tail -40 "$f" >&2; }; done
  exit 1
}
# jq-like field access on one JSON line: json FILE LINE-INDEX EXPR
json() { /usr/bin/python3 -c "
import json,sys
d=[json.loads(l) for l in open(sys.argv[1]) if l.strip()][int(sys.argv[2])]
print($3)" "$1" "$2"; }

needs_diags() {
  for t in ibroute ibtracert smpquery ibnetdiscover; do
    command -v $t >/dev/null 2>&1 || { echo "$t not installed: skipped"; exit 77; }
  done
}

# The reference check, run inside the harness after `ofmfctl sm`: the LIDs
# ibnetdiscover sees, every switch's LFT through ibroute, every endpoint
# pair through ibtracert. Writes check.txt; exit 1 on the first failure.
cat > check.sh <<'EOF'
#!/bin/bash
# check.sh OUTDIR: fabric-wide reachability as infiniband-diags see it.
set -u
out=$1
ibnetdiscover -l > "$out/lids.txt" 2>/dev/null || { echo "ibnetdiscover -l failed"; exit 1; }
# "Ca : 0x... ports 1 devid ... \"h0\"" lines carry no LIDs; ibnetdiscover -p does.
ibnetdiscover -p > "$out/ports.txt" 2>/dev/null || { echo "ibnetdiscover -p failed"; exit 1; }
# CA lines of -p: "CA    <lid> <port> <guid> ..."; switch lines: "SW  <lid> <port> ..."
awk '$1 == "CA" { print $2 }' "$out/ports.txt" | sort -un > "$out/ca_lids.txt"
awk '$1 == "SW" { print $2 }' "$out/ports.txt" | sort -un > "$out/sw_lids.txt"
nca=$(wc -l < "$out/ca_lids.txt"); nsw=$(wc -l < "$out/sw_lids.txt")
echo "endpoint LIDs: $nca, switch LIDs: $nsw"
[ "$nca" -gt 0 ] && [ "$nsw" -gt 0 ] || { echo "no LIDs assigned"; exit 1; }
grep -qx 0 "$out/ca_lids.txt" "$out/sw_lids.txt" && { echo "a port has LID 0"; exit 1; }
total=$((nca + nsw))
for sw in $(cat "$out/sw_lids.txt"); do
  ibroute "$sw" > "$out/ibroute.$sw" 2>&1 || { echo "ibroute $sw failed"; cat "$out/ibroute.$sw"; exit 1; }
  # Every assigned LID has an entry ("N valid lids dumped").
  n=$(sed -n 's/^\([0-9]*\) valid lids dumped.*/\1/p' "$out/ibroute.$sw")
  [ "$n" = "$total" ] || { echo "ibroute $sw: $n valid LIDs, expected $total"; exit 1; }
done
# Every ordered pair on small fabrics; beyond 16 endpoints every source to
# 3 destinations spread over the fabric (one ibtracert process per pair).
mapfile -t L < "$out/ca_lids.txt"
pairs=0
for ((i = 0; i < nca; i++)); do
  for ((j = 0; j < nca; j++)); do
    s=${L[$i]} d=${L[$j]}
    [ "$s" = "$d" ] && continue
    if [ "$nca" -gt 16 ]; then
      k=$(( (j - i + nca) % nca )); [ "$k" = 1 ] || [ "$k" = $((nca / 2)) ] || [ "$k" = $((nca - 1)) ] || continue
    fi
    r=$(ibtracert "$s" "$d" 2>&1) || { echo "ibtracert $s $d failed: $r"; exit 1; }
    echo "$r" | grep -q "Route: .* found\|To ca" || { echo "ibtracert $s $d: $r"; exit 1; }
    pairs=$((pairs + 1))
  done
done
echo "ibtracert: $pairs endpoint pairs reachable"
EOF
chmod +x check.sh

# run_sm NETFILE "sm options" [harness options...]: ofmfctl sm then check.sh
# inside one harness run. Output: sm.out (JSON lines), sm.err, sm.rc,
# check.txt, check.rc.
run_sm() {
  local net=$1 opts=$2; shift 2
  "$HARNESS" "$@" "$net" -- sh -c '
    "$1" sm --backend umad --json $3 > "$2/sm.out" 2> "$2/sm.err"
    echo $? > "$2/sm.rc"
    "$2/check.sh" "$2" > "$2/check.txt" 2>&1
    echo $? > "$2/check.rc"
    [ -z "${4:-}" ] || sh -c "$4" > "$2/extra.txt" 2>&1' sh "$OFMFCTL" "$WORK" "$opts" "${EXTRA:-}"
  local rc=$?
  [ "$rc" -eq 77 ] && exit 77
  [ "$rc" -eq 0 ] || fail "harness exited $rc"
}

expect_programmed() {
  [ "$(cat sm.rc)" = 0 ] || fail "ofmfctl sm exited $(cat sm.rc)"
  [ "$(json sm.out 0 'd["apply"]["problem_count"]')" = 0 ] || fail "apply reported problems"
  [ "$(json sm.out 0 'd["apply"]["verified"] > 0')" = True ] || fail "nothing verified"
  [ "$(cat check.rc)" = 0 ] || fail "infiniband-diags disagree"
}

# The 4-ary 3-tree of `ofmfctl topo gen` (112 nodes, 192 links; the first
# switch kt-L1-0 has h0 on port 1) as net.net; sets $net.
kary_net() {
  "$OFMFCTL" topo gen kary-ntree --k 4 --n 3 --format netfile -o net.net 2>/dev/null || fail "topo gen"
  net=$WORK/net.net
}

# sweep_head "SM OPTIONS" N: begins sweep.sh, run inside the harness:
# `ofmfctl sm --backend umad --json OPTIONS` in the background ($pid;
# sm.out, sm.err), lines() counting its sweep reports and count PATTERN
# those matching PATTERN, and a wait for N reports. The case appends the rest; run_sweep runs it with the SM on h0.
sweep_head() {
  cat > sweep.sh <<EOF
#!/bin/bash
set -u
IBSIM_HARNESS_LIB=1 . "$HARNESS"
lines() { wc -l < "$WORK/sm.out"; }
count() { grep -c -- "\$1" "$WORK/sm.out"; }
"$OFMFCTL" sm --backend umad --json $1 > "$WORK/sm.out" 2> "$WORK/sm.err" &
pid=\$!
for _ in \$(seq 1 300); do [ "\$(lines)" -ge $2 ] && break; sleep 0.1; done
EOF
  chmod +x sweep.sh
}
run_sweep() {
  "$HARNESS" -H h0 "$net" -- "$WORK/sweep.sh"
  local rc=$?
  [ "$rc" -eq 77 ] && exit 77
  [ "$rc" -eq 0 ] || fail "harness exited $rc"
}

case $CASE in
  program_*)
    # Discover, route, program, verify; infiniband-diags see every LID in
    # every switch and a route for every endpoint pair.
    needs_diags
    name=${CASE#program_}
    case $name in
      kary_ntree) "$OFMFCTL" topo gen kary-ntree --k 4 --n 3 --format netfile -o net.net 2>/dev/null || fail "topo gen"
                  net=$WORK/net.net engine=ftree,updn,minhop ;;
      torus) net=$DATA/gen-torus-3x3.net engine=updn,minhop ;;
      *) net=$DATA/$name.net engine=minhop ;;
    esac
    run_sm "$net" "--once --engine $engine"
    expect_programmed
    # Our own count of what was programmed matches the switches' LFTs.
    sw=$(json sm.out 0 'd["discover"]["switches"]')
    blocks=$(json sm.out 0 '(d["route"]["max_lid"] + 64) // 64')
    [ "$(json sm.out 0 'd["apply"]["lft_blocks"]')" = $((sw * blocks)) ] || fail "LFT blocks written != switches x blocks"
    ;;
  rerun_keeps_lids)
    # A second run finds the LIDs in place: it sets none and writes the
    # same tables (LIDs are kept, not reassigned).
    needs_diags
    net=$DATA/gen-fat-tree-4-3.net
    EXTRA="$OFMFCTL sm --backend umad --json --once --engine minhop > $WORK/second.out" run_sm "$net" "--once --engine minhop"
    expect_programmed
    [ "$(json second.out 0 'd["apply"]["lids_set"]')" = 0 ] || fail "second run set LIDs again"
    [ "$(json second.out 0 'd["apply"]["ports_activated"]')" = 0 ] || fail "second run activated ports again"
    [ "$(json second.out 0 'd["apply"]["problem_count"]')" = 0 ] || fail "second run had problems"
    ;;
  pkeys)
    # Partitions as the file says, read back with smpquery pkeys.
    needs_diags
    net=$DATA/ibsim-2sw2path4hca.net
    # Port GUIDs of the first three channel adapters (ibsim: node GUID + 1).
    mapfile -t g < <(/usr/bin/python3 - "$net" <<'PY'
import re, sys
ca = 0x100000
out = []
for line in open(sys.argv[1]):
    line = line.strip()
    if line.startswith("caguid="): ca = int(line.split("=")[1].split()[0], 0)
    m = re.match(r'^(Hca|Ca)\s+(\d+)', line)
    if m:
        out.append("0x%016x" % (ca + 1)); ca += int(m.group(2)) + 1
    if line.startswith("switchguid="): pass
print("\n".join(out[:3]))
PY
)
    cat > partitions.conf <<EOF
# two partitions besides the default one
storage=0x8001, ipoib : ${g[0]}=full, ${g[1]} ;
compute=0x0002, defmember=full :
    ${g[1]}, ${g[2]}=limited ;
EOF
    # No SA here (smpquery -G needs one): GUID -> LID from ibnetdiscover -p.
    EXTRA="ibnetdiscover -p > ports.txt 2>/dev/null; for p in ${g[*]}; do echo \"== \$p\";
      smpquery pkeys \$(awk -v g=\$p '\$1 == \"CA\" && \$4 == g { print \$2; exit }' ports.txt) 1; done" \
      run_sm "$net" "--once --engine minhop --partitions $WORK/partitions.conf"
    expect_programmed
    [ "$(json sm.out 0 'd["apply"]["pkey_blocks"] > 0')" = True ] || fail "no P_Key blocks written"
    # Expected tables (default partition full for everyone, first).
    /usr/bin/python3 - extra.txt "${g[@]}" > check.txt 2>&1 <<'PY' || fail "P_Key tables differ"
import re, sys
text = open(sys.argv[1]).read()
g = sys.argv[2:]
want = {g[0]: {0xffff, 0x8001}, g[1]: {0xffff, 0x0001, 0x8002}, g[2]: {0xffff, 0x0002}}
for guid, block in re.findall(r"== (0x[0-9a-f]+)\n(.*?)(?=\n== |\Z)", text, re.S):
    keys = {int(k, 16) for k in re.findall(r"0x[0-9a-f]{4}", block)} - {0}
    print(guid, sorted(hex(k) for k in keys))
    if keys != want[guid]:
        print("expected", sorted(hex(k) for k in want[guid]))
        sys.exit(1)
    want.pop(guid)
if want:
    print("not read:", list(want)); sys.exit(1)
PY
    ;;
  resweep)
    # A link goes down and comes back while `ofmfctl sm` sweeps: each time
    # it reroutes incrementally, programs only the changed blocks, and
    # infiniband-diags find every endpoint pair reachable.
    needs_diags
    net=$DATA/gen-fat-tree-4-3.net
    # A link between a leaf switch and the level above it.
    read -r a ap b bp < <(/usr/bin/python3 - "$net" <<'PY'
import re, sys
sw, cur = set(), None
links = []
for l in open(sys.argv[1]):
    m = re.match(r'^(Switch|Hca|Ca)\s+\d+\s+"([^"]+)"', l)
    if m:
        cur = m.group(2)
        if m.group(1) == "Switch": sw.add(cur)
        continue
    m = re.match(r'^\[(\d+)\]\s+"([^"]+)"\[(\d+)\]', l)
    if m and cur: links.append((cur, m.group(1), m.group(2), m.group(3)))
for a, ap, b, bp in links:
    if a in sw and b in sw:
        print(a, ap, b, bp); break
PY
)
    [ -n "${bp:-}" ] || fail "no switch-to-switch link found in $net"
    cat > sweep.sh <<EOF
#!/bin/bash
# Inside the harness: sm in the background, a link down, then up again.
set -u
IBSIM_HARNESS_LIB=1 . "$HARNESS"
wait_sweeps() { # wait until sm.out has \$1 lines
  for _ in \$(seq 1 600); do [ "\$(wc -l < "$WORK/sm.out")" -ge "\$1" ] && return 0; sleep 0.1; done; return 1; }
"$OFMFCTL" sm --backend umad --json --engine minhop --interval 0.5 --max-sweeps 100000 > "$WORK/sm.out" 2> "$WORK/sm.err" &
pid=\$!
wait_sweeps 1 || { kill \$pid; exit 1; }
n=\$(wc -l < "$WORK/sm.out")
ibsim_console 'Unlink "$a"[$ap]'
# A sweep that saw it, and the next one (quiet).
for _ in \$(seq 1 600); do grep -q "link down" "$WORK/sm.out" && break; sleep 0.1; done
"$WORK/check.sh" "$WORK" > "$WORK/check_down.txt" 2>&1; echo \$? > "$WORK/check_down.rc"
ibsim_console 'ReLink "$a"[$ap]'
for _ in \$(seq 1 600); do grep -q "link up" "$WORK/sm.out" && break; sleep 0.1; done
"$WORK/check.sh" "$WORK" > "$WORK/check_up.txt" 2>&1; echo \$? > "$WORK/check_up.rc"
kill -TERM \$pid; wait \$pid; echo \$? > "$WORK/sm.rc"
EOF
    chmod +x sweep.sh
    "$HARNESS" "$net" -- "$WORK/sweep.sh"
    rc=$?; [ "$rc" -eq 77 ] && exit 77
    [ "$rc" -eq 0 ] || fail "harness exited $rc"
    [ "$(cat sm.rc)" = 0 ] || fail "ofmfctl sm exited $(cat sm.rc) after SIGTERM"
    cp check_down.txt check.txt
    [ "$(cat check_down.rc)" = 0 ] || fail "after link down: infiniband-diags disagree"
    cp check_up.txt check.txt
    [ "$(cat check_up.rc)" = 0 ] || fail "after link up: infiniband-diags disagree"
    /usr/bin/python3 - sm.out > check.txt 2>&1 <<'PY' || fail "resweeps not as expected"
import json, sys
sweeps = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
first = sweeps[0]
full = first["apply"]["lft_blocks"]
seen = set()
for s in sweeps[1:]:
    ch = s.get("changes", [])
    if not ch:
        continue
    kind = "down" if any(c.startswith("link down") for c in ch) else "up"
    rr, ap = s["reroute"], s.get("apply")
    print(kind, ch, rr)
    assert rr["incremental"], "not incremental: %s" % rr["full_reason"]
    assert rr["blocks"] > 0, "no block changed"
    assert ap is not None and ap["lft_blocks"] == rr["blocks"], "programmed %s blocks, delta has %s" % (ap and ap["lft_blocks"], rr["blocks"])
    assert ap["lft_blocks"] < full, "as many blocks as a full programming"
    assert ap["problem_count"] == 0, ap["problems"]
    assert ap["verified"] >= rr["blocks"]
    seen.add(kind)
assert seen == {"down", "up"}, "saw %s" % seen
PY
    ;;
  pkeys_switch_ports)
    # Partition enforcement: every switch port facing a channel adapter
    # holds the P_Keys of that adapter's partitions, full members, read
    # with smpquery pkeys over a directed route (ibsim's switches have a
    # PartitionEnforcementCap); switch-to-switch ports keep ibsim's 0xffff.
    needs_diags
    net=$DATA/ibsim-2sw2path4hca.net
    /usr/bin/python3 "$HERE/netfile_paths.py" "$net" > paths.json || fail "netfile_paths.py"
    # Port GUIDs of the four channel adapters, in file order.
    mapfile -t g < <(/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print("\n".join(n["guids"]["1"] for n in d.values() if n["type"] == "Ca"))' paths.json)
    cat > partitions.conf <<EOF
storage=0x8001 : ${g[0]}=full, ${g[1]} ;
compute=0x0002, defmember=full : ${g[1]}, ${g[2]}=limited ;
EOF
    # For every CA: the DR path of its switch and the switch port; one
    # switch-to-switch port. smpquery reads each P_Key table.
    /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for name, n in d.items():
    if n["type"] != "Ca": continue
    sw, port = n["ports"]["1"]
    print(n["guids"]["1"], d[sw]["path"], port)
for name, n in d.items():
    if n["type"] != "Switch": continue
    for p, (peer, pp) in n["ports"].items():
        if d[peer]["type"] == "Switch": print("switch", n["path"], p); break
    break' paths.json > ports.lst
    EXTRA="while read -r who path port; do echo \"== \$who \$path \$port\"; smpquery pkeys -D \$path \$port; done < $WORK/ports.lst" \
      run_sm "$net" "--once --engine minhop --partitions $WORK/partitions.conf"
    expect_programmed
    /usr/bin/python3 - extra.txt "${g[@]}" > check.txt 2>&1 <<'PY' || fail "switch-port P_Key tables differ"
import re, sys
text = open(sys.argv[1]).read()
g = sys.argv[2:]
# Full membership on the switch side, the default partition for all.
want = {g[0]: {0xffff, 0x8001}, g[1]: {0xffff, 0x8001, 0x8002}, g[2]: {0xffff, 0x8002}, g[3]: {0xffff},
        "switch": {0xffff}}
seen = 0
for who, path, port, block in re.findall(r"== (\S+) (\S+) (\d+)\n(.*?)(?=\n== |\Z)", text, re.S):
    keys = {int(k, 16) for k in re.findall(r"0x[0-9a-f]{4}", block)} - {0}
    print(who, "switch at", path, "port", port, sorted(hex(k) for k in keys))
    if keys != want[who]:
        print("expected", sorted(hex(k) for k in want[who]))
        sys.exit(1)
    seen += 1
if seen != len(want):
    print("read", seen, "tables, expected", len(want)); sys.exit(1)
PY
    ;;
  sl2vl_*)
    # SL2VL tables and OperationalVLs of a VL-using engine, compared with
    # the routing result (`ofmfctl route --dump-sl`, opensm-sl2vl.dump
    # layout) through smpquery sl2vl / portinfo over directed routes.
    # dfsssp on a 4x4 torus uses 2 SLs, dor on a 5x5 torus VLs 0 and 1.
    needs_diags
    case ${CASE#sl2vl_} in
      dfsssp) dims=4x4 engine=dfsssp ;;
      dor) dims=5x5 engine=dor ;;
      *) fail "unknown engine" ;;
    esac
    "$OFMFCTL" topo gen torus --dims $dims --format netfile -o net.net 2>/dev/null || fail "topo gen"
    "$OFMFCTL" route --engine $engine --dump-sl route.sl net.net > route.txt 2>&1 || fail "route --dump-sl"
    [ -s route.sl.sl2vl ] || fail "$engine wrote no SL2VL tables"
    /usr/bin/python3 "$HERE/netfile_paths.py" net.net > paths.json || fail "netfile_paths.py"
    # Every switch and linked out port (smpquery lists every in port), every
    # CA port, and the PortInfo of every linked port.
    /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for name, n in d.items():
    if n["type"] == "Switch":
        for p in sorted(n["ports"], key=int): print("sl2vl", name, n["path"], p)
    else:
        print("sl2vl", name, n["path"], 1)
for name, n in d.items():
    for p in sorted(n["ports"], key=int): print("portinfo", name, n["path"], p)' paths.json > queries.lst
    EXTRA="while read -r what name path port; do echo \"== \$what \$name \$port\"; smpquery \$what -D \$path \$port; done < $WORK/queries.lst" \
      run_sm "$WORK/net.net" "--once --engine $engine"
    expect_programmed
    [ "$(json sm.out 0 'd["route"]["engine"]')" = $engine ] || fail "engine $engine not used"
    [ "$(json sm.out 0 'd["apply"]["sl2vl_tables"] > 0')" = True ] || fail "no SL2VL table written"
    /usr/bin/python3 - extra.txt route.sl.sl2vl paths.json > check.txt 2>&1 <<'PY' || fail "SL2VL tables or OperationalVLs differ"
import json, re, sys
text, dump, paths = open(sys.argv[1]).read(), open(sys.argv[2]).read(), json.load(open(sys.argv[3]))
want, cur = {}, None  # (switch name, in, out) -> [VL of SL 0..15]
for line in dump.splitlines():
    m = re.match(r'^Switch 0x[0-9a-f]+, base LID \d+, "([^"]+)"', line)
    if m: cur = m.group(1); continue
    m = re.match(r"^(\d+) (\d+) : ([\d ]+)$", line)
    if m and cur: want[(cur, int(m.group(1)), int(m.group(2)))] = [int(x) for x in m.group(3).split()]
def opvls_code(top):  # VL0, VL0-1, VL0-3, VL0-7, VL0-14
    return 1 if top == 0 else 2 if top <= 1 else 3 if top <= 3 else 4 if top <= 7 else 5
top = {}  # (node, port) -> highest VL it sends on
checked = 0
for what, name, port, block in re.findall(r"== (\S+) (\S+) (\d+)\n(.*?)(?=\n== |\Z)", text, re.S):
    port = int(port)
    n = paths[name]
    if what == "sl2vl":
        rows = re.findall(r"ports: in\s+(\d+), out\s+(\d+): \|([\d| ]+)\|", block)
        if n["type"] == "Ca":
            m = re.search(r"SL:.*\n[^|\n]*\|([\d| ]+)\|", block)
            sw, sp = n["ports"]["1"]
            exp = want[(sw, 0, sp)]  # a CA sends on the VL its switch uses towards it
            got = [int(x) for x in m.group(1).split("|")] if m else None
            if got != exp: print(name, "SL2VL", got, "expected", exp, block); sys.exit(1)
            top[(name, 1)] = max(exp); checked += 1
            continue
        if not rows: print(name, port, "no SL2VL rows:", block); sys.exit(1)
        for i, o, vls in rows:
            i, o = int(i), int(o)
            if i == o or (i != 0 and str(i) not in n["ports"]): continue  # not programmed
            got = [int(x) for x in vls.split("|")]
            if got != want[(name, i, o)]:
                print(name, "in", i, "out", o, got, "expected", want[(name, i, o)]); sys.exit(1)
            top[(name, o)] = max(top.get((name, o), 0), max(got)); checked += 1
    else:
        m = re.search(r"OperVLs:\.*VL0(?:-(\d+))?", block)
        if not m: print(name, port, "no OperVLs in", block); sys.exit(1)
        got = opvls_code(int(m.group(1) or 0))
        peer, pp = n["ports"][str(port)]
        exp = opvls_code(max(top.get((name, port), 0), top.get((peer, pp), 0)))
        if got != exp: print(name, port, "OperVLs code", got, "expected", exp); sys.exit(1)
        checked += 1
print(checked, "tables and ports as routed")
vls = {v for t in want.values() for v in t}
print("VLs in the routing result:", sorted(vls))
if len(vls) < 2: print("only one VL: nothing tested"); sys.exit(1)
PY
    ;;
  resweep_port_reset)
    # A switch port is set Down by another manager (ibportstate): ibsim
    # brings both ends of the link back to Init. Nodes and links are
    # unchanged; the next sweep reports both ports and activates them
    # again without writing any LFT block, and smpquery reads them Active.
    needs_diags
    command -v ibportstate >/dev/null 2>&1 || { echo "ibportstate not installed: skipped"; exit 77; }
    net=$DATA/gen-fat-tree-4-3.net
    /usr/bin/python3 "$HERE/netfile_paths.py" "$net" > paths.json || fail "netfile_paths.py"
    # A switch-to-switch link away from the first node: "path port peer-path peer-port".
    read -r path port ppath pport < <(/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for name, n in d.items():
    if n["type"] != "Switch" or n["path"] == "0": continue
    for p, (peer, pp) in sorted(n["ports"].items(), key=lambda x: int(x[0])):
        if d[peer]["type"] == "Switch" and d[peer]["path"] != "0":
            print(n["path"], p, d[peer]["path"], pp); sys.exit(0)' paths.json)
    [ -n "${pport:-}" ] || fail "no switch-to-switch link away from the first node in $net"
    cat > sweep.sh <<EOF
#!/bin/bash
set -u
"$OFMFCTL" sm --backend umad --json --engine minhop --interval 0.5 --max-sweeps 100000 > "$WORK/sm.out" 2> "$WORK/sm.err" &
pid=\$!
for _ in \$(seq 1 600); do [ -s "$WORK/sm.out" ] && break; sleep 0.1; done
ibportstate -D $path $port down > "$WORK/ibportstate.txt" 2>&1
smpquery portinfo -D $path $port | grep -E '^LinkState' > "$WORK/state_reset.txt"
for _ in \$(seq 1 600); do grep -q port_changes "$WORK/sm.out" && break; sleep 0.1; done
# One more sweep after the one that saw it.
n=\$(wc -l < "$WORK/sm.out")
for _ in \$(seq 1 600); do [ "\$(wc -l < "$WORK/sm.out")" -gt "\$n" ] && break; sleep 0.1; done
kill -TERM \$pid; wait \$pid; echo \$? > "$WORK/sm.rc"
{ smpquery portinfo -D $path $port; smpquery portinfo -D $ppath $pport; } | grep -E '^LinkState' > "$WORK/state_after.txt"
"$WORK/check.sh" "$WORK" > "$WORK/check.txt" 2>&1; echo \$? > "$WORK/check.rc"
EOF
    chmod +x sweep.sh
    "$HARNESS" "$net" -- "$WORK/sweep.sh"
    rc=$?; [ "$rc" -eq 77 ] && exit 77
    [ "$rc" -eq 0 ] || fail "harness exited $rc"
    [ "$(cat sm.rc)" = 0 ] || fail "ofmfctl sm exited $(cat sm.rc) after SIGTERM"
    grep -q 'Init' state_reset.txt || fail "ibportstate did not reset the port: $(cat state_reset.txt ibportstate.txt)"
    [ "$(grep -c 'Active' state_after.txt)" = 2 ] || fail "ports not Active again: $(cat state_after.txt)"
    [ "$(cat check.rc)" = 0 ] || fail "infiniband-diags disagree after the reset"
    /usr/bin/python3 - sm.out > check.txt 2>&1 <<'PY' || fail "resweep did not report or reactivate the ports"
import json, sys
sweeps = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
hit = [s for s in sweeps[1:] if s.get("port_changes")]
assert hit, "no sweep reported port changes"
s = hit[0]
print(s["port_changes"], s.get("apply"))
assert not s.get("changes"), "nodes or links changed: %s" % s["changes"]
assert len(s["port_changes"]) == 2 and all(c.startswith("port Init") for c in s["port_changes"]), s["port_changes"]
ap = s["apply"]
assert ap["ports_activated"] == 2, ap
assert ap["lft_blocks"] == 0 and ap["pkey_blocks"] == 0, ap
assert ap["problem_count"] == 0, ap["problems"]
later = [x for x in sweeps[sweeps.index(s) + 1:]]
assert later and not any(x.get("port_changes") for x in later), "ports still not Active later"
PY
    ;;
  lossy_keeps_hosts)
    # 20% of the MADs through the SM host's own link are lost (ibsim
    # "Error", set after the first sweep programmed the fabric), with one
    # resend only: sweeps lose answers. None of them makes a node or link
    # gone: the sweeps list what was lost and keep what it hid as last
    # seen, nothing is rerouted and every host stays in the routes. Then a
    # host's link goes down: its switch port reads Down, so the host is
    # gone at once (a sweep later when that very PortInfo was lost), loss
    # or not.
    kary_net
    sweep_head "--check --interval 0 --retries 1 --timeout 100" 1
    cat >> sweep.sh <<EOF
ibsim_console 'Error "kt-L1-0"[1] 20'
# Six sweeps that resent MADs (at most 40 s).
for _ in \$(seq 1 400); do [ "\$(count '"retries":[1-9]')" -ge 6 ] && break; sleep 0.1; done
lines > "$WORK/before_unlink.txt"
ibsim_console 'Unlink "kt-L1-3"[2]'
for _ in \$(seq 1 200); do grep -q 'node gone: 0x[0-9a-f]* ..h13[^0-9]' "$WORK/sm.out" && break; sleep 0.1; done
kill -TERM \$pid; wait \$pid; echo \$? > "$WORK/sm.rc"
EOF
    start=$(date +%s)
    run_sweep
    echo "took $(( $(date +%s) - start )) s"
    /usr/bin/python3 - sm.out "$(cat before_unlink.txt)" > check.txt 2>&1 <<'PY' || fail "a host left the routes under MAD loss"
import json, sys
sweeps = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
cut = int(sys.argv[2])  # sweeps before the unlink
first = sweeps[0]
assert first["check"]["complete"] and first["check"]["endpoint_ports"] == 64, first["check"]
lossy = [s for s in sweeps[1:cut] if s["discover"]["statistics"]["retries"] > 0]
print(len(lossy), "sweeps with resends before the unlink")
assert len(lossy) >= 6, "the loss did not take effect"
for s in sweeps[1:cut]:
    d = s["discover"]
    assert d["nodes"] == 112 and d["links"] == 192, (s["sweep"], d["nodes"], d["links"])
    assert not s.get("changes"), (s["sweep"], s["changes"])
    assert "reroute" not in s, (s["sweep"], "rerouted")
for s in lossy:
    d = s["discover"]
    print("sweep", s["sweep"], "lost", d["lost_count"],
          [(l["description"], l["port"], l["attribute"], l["behind"]) for l in d["lost"]],
          "kept", [k["description"] for k in d["kept"]], d["kept_links"], d["kept_ports"])
    assert d["lost_count"] == len(d["lost"]) or len(d["lost"]) == 100
    for l in d["lost"]:
        assert l["node"].startswith("0x") and l["attribute"] and l["path"], l
lost = sum(s["discover"]["lost_count"] for s in lossy)
kept = sum(len(s["discover"]["kept"]) + s["discover"]["kept_links"] + s["discover"]["kept_ports"] for s in lossy)
print(lost, "answers lost;", kept, "nodes, links and ports kept as last seen")
assert lost > 0, "no answer was lost: nothing was tested"
assert kept > 0, "the lost answers hid nothing"
gone = [s for s in sweeps[cut:] if any("node gone" in c and '"h13"' in c for c in s.get("changes", []))]
assert gone, "h13 was unlinked but never gone"
s = gone[0]
print("h13 gone at sweep", s["sweep"], "(unlinked after sweep", cut, "):", s["changes"], s.get("check"))
assert s["sweep"] <= cut + 3, "h13 gone too late"
assert s["check"]["endpoint_ports"] == 63 and s["check"]["unreachable"] == 0, s["check"]
PY
    cat check.txt
    ;;
  stop_lossy)
    # SIGTERM in the middle of a sweep under MAD loss (default timeout and
    # resends: a sweep takes seconds): `ofmfctl sm` stops within 0.5 s
    # (the limit is the 4th argument; the sanitizer build allows more) and
    # exits 0, the fabric as programmed (infiniband-diags find every route).
    needs_diags
    kary_net
    limit=${4:-500}
    sweep_head "--interval 0" 1
    cat >> sweep.sh <<EOF
ibsim_console 'Error "kt-L1-0"[1] 20'
# A sweep that resent MADs has ended; the next one runs (interval 0).
for _ in \$(seq 1 600); do grep -q '"retries":[1-9]' "$WORK/sm.out" && break; sleep 0.1; done
sleep 1
n=\$(lines)
t0=\$(date +%s%N)
kill -TERM \$pid; wait \$pid; echo \$? > "$WORK/sm.rc"
echo \$(( (\$(date +%s%N) - t0) / 1000000 )) > "$WORK/stop_ms.txt"
if [ "\$(lines)" = "\$n" ]; then echo mid-sweep; else echo "after a sweep ended"; fi > "$WORK/where.txt"
ibsim_console 'Error "kt-L1-0"[1] 0'
"$WORK/check.sh" "$WORK" > "$WORK/check.txt" 2>&1; echo \$? > "$WORK/check.rc"
EOF
    run_sweep
    grep -q '"retries":[1-9]' sm.out || fail "no MAD was resent: the loss did not take effect"
    ms=$(cat stop_ms.txt)
    echo "SIGTERM $(cat where.txt): exit $(cat sm.rc) after $ms ms (limit $limit ms)"
    [ "$(cat sm.rc)" = 0 ] || fail "ofmfctl sm exited $(cat sm.rc) after SIGTERM"
    [ "$ms" -lt "$limit" ] || fail "ofmfctl sm took $ms ms to stop after SIGTERM (limit $limit ms)"
    [ "$(cat check.rc)" = 0 ] || fail "after the stop: infiniband-diags disagree"
    ;;
  local_port_down)
    # The SM host's own link goes down for a few sweeps, then up again:
    # one sweep says that the local port is down, one that it is up; no
    # node or link is reported gone, and afterwards the fabric is whole and
    # routed.
    needs_diags
    kary_net
    sweep_head "--check --interval 0.2" 2
    cat >> sweep.sh <<EOF
ibsim_console 'Unlink "h0"[1]'
for _ in \$(seq 1 100); do [ "\$(count '"local_port"')" -ge 1 ] && break; sleep 0.1; done
sleep 2  # about ten sweeps with the port down
ibsim_console 'ReLink "h0"[1]'
for _ in \$(seq 1 100); do [ "\$(count '"local_port"')" -ge 2 ] && break; sleep 0.1; done
n=\$(lines)
for _ in \$(seq 1 100); do [ "\$(lines)" -ge \$((n + 2)) ] && break; sleep 0.1; done
kill -TERM \$pid; wait \$pid; echo \$? > "$WORK/sm.rc"
"$WORK/check.sh" "$WORK" > "$WORK/check.txt" 2>&1; echo \$? > "$WORK/check.rc"
EOF
    run_sweep
    [ "$(cat sm.rc)" = 0 ] || fail "ofmfctl sm exited $(cat sm.rc) after SIGTERM"
    [ "$(cat check.rc)" = 0 ] || fail "after the port came back: infiniband-diags disagree"
    /usr/bin/python3 - sm.out > check.txt 2>&1 <<'PY' || fail "the local port going down was not reported once"
import json, sys
sweeps = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
marks = [(s["sweep"], s["local_port"]["state"]) for s in sweeps if "local_port" in s]
print("local port reports:", marks, "in", len(sweeps), "sweep reports, the last sweep", sweeps[-1]["sweep"])
assert [m[1] for m in marks] == ["down", "up"], marks
assert marks[1][0] - marks[0][0] >= 3, "the port was down for fewer than 3 sweeps"
gone = [c for s in sweeps for c in s.get("changes", []) if "gone" in c or "link down" in c]
assert not gone, gone[:5]
last = sweeps[-1]
assert last["discover"]["nodes"] == 112 and last["discover"]["links"] == 192, last["discover"]
PY
    cat check.txt
    ;;
  sim_once)
    # The sim backend: every switch gets every block; a partitions file
    # with an unknown GUID warns and goes on.
    net=$DATA/gen-fat-tree-4-3.ibnd
    printf 'Default=0x7fff : ALL=full ;\nextra=0x10 : 0x00000000deadbeef=full, ALL_SWITCHES ;\n' > partitions.conf
    "$OFMFCTL" sm --backend sim --device "$net" --engine minhop --once --json --check \
      --partitions partitions.conf > sm.out 2> sm.err
    [ $? = 0 ] || fail "sm exited non-zero"
    grep -q "0x00000000deadbeef is not in the fabric" sm.err || fail "no warning for the unknown GUID"
    [ "$(json sm.out 0 'd["check"]["complete"]')" = True ] || fail "routes incomplete"
    sw=$(json sm.out 0 'd["discover"]["switches"]')
    blocks=$(json sm.out 0 '(d["route"]["max_lid"] + 64) // 64')
    [ "$(json sm.out 0 'd["apply"]["lft_blocks"]')" = $((sw * blocks)) ] || fail "wrong block count"
    ;;
  sim_resweep)
    # Editing the sim backend's file between sweeps looks like a link
    # going down: one sweep reports it and programs a delta.
    cp "$DATA/gen-fat-tree-4-3.ibnd" fabric.ibnd
    "$OFMFCTL" sm --backend sim --device fabric.ibnd --engine minhop --json --interval 0.3 --max-sweeps 40 \
      > sm.out 2> sm.err &
    pid=$!
    for _ in $(seq 1 100); do [ -s sm.out ] && break; sleep 0.1; done
    # Drop the first switch-to-switch link from both sides of the file.
    /usr/bin/python3 - fabric.ibnd <<'PY' || fail "cannot edit the fabric file"
import re, sys
p = sys.argv[1]
lines = open(p).read().split("\n")
cur = None; victim = None
for i, l in enumerate(lines):
    m = re.match(r'^(Switch|Ca)\s+\d+\s+"([^"]+)"', l)
    if m: cur = (m.group(1), m.group(2)); continue
    m = re.match(r'^\[(\d+)\].*?"(S-[0-9a-f]+)"\[(\d+)\]', l)
    if cur and cur[0] == "Switch" and m and victim is None:
        victim = (cur[1], m.group(1), m.group(2), m.group(3))
if victim is None: sys.exit(1)
a, ap, b, bp = victim
out = []; cur = None
for l in lines:
    m = re.match(r'^(Switch|Ca)\s+\d+\s+"([^"]+)"', l)
    if m: cur = m.group(2)
    if (cur == a and l.startswith("[%s]" % ap)) or (cur == b and l.startswith("[%s]" % bp)): continue
    out.append(l)
tmp = p + ".tmp"; open(tmp, "w").write("\n".join(out)); import os; os.replace(tmp, p)
PY
    for _ in $(seq 1 100); do grep -q "link down" sm.out && break; sleep 0.1; done
    kill -INT $pid; wait $pid; rc=$?
    [ "$rc" = 0 ] || fail "sm exited $rc after SIGINT"
    /usr/bin/python3 - sm.out > check.txt 2>&1 <<'PY' || fail "no delta sweep"
import json, sys
sweeps = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
d = [s for s in sweeps if s.get("changes")]
assert d, "no sweep saw the change"
s = d[0]
print(s["changes"], s["reroute"], s["apply"]["lft_blocks"])
assert s["reroute"]["blocks"] == s["apply"]["lft_blocks"] > 0
assert s["apply"]["lft_blocks"] < sweeps[0]["apply"]["lft_blocks"]
PY
    ;;
  partitions_errors)
    net=$DATA/gen-fat-tree-4-3.ibnd
    bad() { # bad TEXT EXPECTED-MESSAGE
      printf '%b' "$1" > p.conf
      "$OFMFCTL" sm --backend sim --device "$net" --once --partitions p.conf > sm.out 2> sm.err
      rc=$?
      [ $rc = 1 ] || fail "'$1' exited $rc, expected 1"
      grep -qF -- "$2" sm.err || fail "'$1': expected message '$2', got: $(cat sm.err)"
    }
    bad 'a=0x8001 : ALL=full' 'p.conf:1: statement does not end with'
    bad '\n\nb : ALL ;' 'p.conf:3: partition "b" has no P_Key'
    bad 'c=0x0 : ALL ;' 'bad partition'
    bad 'd=0x1, color=red : ALL ;' 'unknown partition flag "color"'
    bad 'e=0x2 : ALL=both ;' 'is not full or limited'
    bad 'f=0x3 : ALL ;\ng=0x8003 : ALL ;' 'p.conf:2: P_Key 0x0003 defined twice'
    bad 'h=0x4 :\n  ALL,\n  zork ;' 'p.conf:3: member "zork"'
    ;;
  *)
    echo "unknown case $CASE" >&2
    exit 2
    ;;
esac
exit 0
