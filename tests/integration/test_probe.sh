#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
# ofmfctl probe and inventory on the libfabric providers of this host,
# with the two sides in two processes; failure cases must end with a clear
# error within their timeout, never hang.
# usage: test_probe.sh OFMFCTL WORKDIR CASE PORT
set -u
OFMFCTL=$1
WORK=$2
CASE=$3
PORT=$4
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK" || exit 1
PY=/usr/bin/python3

fail() { echo "FAIL [$CASE]: $*" >&2; for f in *.out *.err; do [ -f "$f" ] && { echo "--- $f" >&2; cat "$f" >&2; }; done; exit 1; }
command -v fi_info >/dev/null || { echo "fi_info (libfabric-bin) not installed"; exit 77; }
"$OFMFCTL" inventory --backend ofi --provider tcp >/dev/null 2>&1 || { echo "ofmfctl built without libfabric"; exit 77; }

# pair PROVIDER EP [client args...]: server and client in two processes.
pair() {
  local prov=$1 ep=$2; shift 2
  "$OFMFCTL" probe --server --provider "$prov" --ep "$ep" --port "$PORT" --timeout-ms 10000 --json >server.out 2>server.err &
  local spid=$!
  timeout 120 "$OFMFCTL" probe --client 127.0.0.1 --provider "$prov" --ep "$ep" --port "$PORT" --timeout-ms 10000 --json "$@" >client.out 2>client.err
  local crc=$?
  wait "$spid"
  local src=$?
  [ "$crc" -eq 0 ] || fail "client exited $crc"
  [ "$src" -eq 0 ] || fail "server exited $src"
  # Both sides report the same sizes, the client's parameters.
  $PY - "$@" <<'PYEOF' || fail "reports disagree"
import json, sys
c = json.load(open("client.out")); s = json.load(open("server.out"))
assert [r["size"] for r in c["results"]] == [r["size"] for r in s["results"]], "sizes differ"
assert c["provider"] == s["provider"], "providers differ"
for r in c["results"]:
    assert r["latency_us"] > 0 and r["bandwidth_mbps"] > 0, r
PYEOF
}

# expect_fail SECONDS PATTERN ARGS...: ofmfctl exits 1 within SECONDS and
# says PATTERN on stderr.
expect_fail() {
  local secs=$1 pat=$2; shift 2
  timeout "$secs" "$OFMFCTL" "$@" >cmd.out 2>cmd.err
  local rc=$?
  [ "$rc" -ne 124 ] || fail "ofmfctl $* hung (killed after ${secs}s)"
  [ "$rc" -eq 1 ] || fail "ofmfctl $* exited $rc, expected 1"
  grep -Eq -- "$pat" cmd.err || fail "stderr lacks /$pat/"
}

case $CASE in
  tcp_rdm) pair tcp rdm --sizes 1,4K,64K,1M -I 50 ;;
  tcp_msg) pair tcp msg --sizes 1,4K,64K,1M -I 50 ;;
  udp_rdm) pair udp rdm --sizes 1,4K,64K -I 50 ;;
  shm_rdm) pair shm rdm --sizes 1,4K,1M,4M -I 20 ;;
  tcp_stream) pair tcp rdm --mode stream --sizes 64,1M -I 200 --window 32 ;;
  tcp_rdm_fi_pingpong | udp_dgram_fi_pingpong)
    # fi_pingpong's method: both sides report it; the data endpoints are
    # on the interface libfabric lists first (fi_info's first entry).
    if [ "$CASE" = tcp_rdm_fi_pingpong ]; then prov=tcp ep=rdm sizes=1,64,4K,64K; else prov=udp ep=dgram sizes=1,64,1K; fi
    pair "$prov" "$ep" --method fi_pingpong --sizes "$sizes" -I 50
    fi_info -p "$prov" -t "FI_EP_$(echo "$ep" | tr a-z A-Z)" >fi_info.out 2>&1 || fail "fi_info failed"
    $PY - <<'PYEOF' || fail "method or interface differs from fi_info"
import json
c = json.load(open("client.out")); s = json.load(open("server.out"))
assert c["method"] == s["method"] == "fi_pingpong", (c["method"], s["method"])
first = None
for line in open("fi_info.out"):
    k, _, v = line.partition(":")
    if k.strip() == "fabric":
        first = v.strip()
        break
assert first and s["fabric"] == first, (s["fabric"], first)
PYEOF
    ;;
  redfish_merge | redfish_merge_dmtf)
    # A generated fabric and this host's libfabric interfaces in one
    # service tree: DMTF schemas (and, _dmtf, DMTF's rule validator) pass,
    # and every provider/fabric pair fi_info lists is a Fabric in it.
    here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
    validate=(/usr/bin/python3 "$here/../unit/redfish/validate_tree.py"
              --default-schemas "$here/../../../shared/redfish/json-schema" --work "$WORK/v")
    [ "$CASE" = redfish_merge_dmtf ] && validate+=(--validator "$here/../../../shared/tools/redfish-validate.py")
    "${validate[@]}" -- /bin/sh -c "\"$OFMFCTL\" topo gen kary-ntree --k 2 --n 3 -o {out}.ibnd && \"$OFMFCTL\" redfish export --ofi {out}.ibnd {out}" >validate.out 2>validate.err
    rc=$?
    [ "$rc" -eq 77 ] && { cat validate.out; exit 77; }
    [ "$rc" -eq 0 ] || fail "the merged tree does not validate (exit $rc): $(tail -20 validate.out validate.err)"
    "$OFMFCTL" topo gen kary-ntree --k 2 --n 3 -o topo.ibnd 2>/dev/null || fail "topo gen failed"
    "$OFMFCTL" redfish export --ofi topo.ibnd tree >export.out 2>export.err || fail "redfish export --ofi failed"
    fi_info >fi_info.out 2>&1 || fail "fi_info failed"
    $PY - <<'PYEOF' || fail "merged tree differs from fi_info"
import json, os
root = "tree/redfish/v1/Fabrics"
coll = json.load(open(os.path.join(root, "index.json")))
members = [m["@odata.id"] for m in coll["Members"]]
assert coll["Members@odata.count"] == len(members)
assert "/redfish/v1/Fabrics/IB" in members, members
ours = set()
for m in members:
    f = json.load(open(os.path.join("tree" + m, "index.json")))
    oem = f.get("Oem", {}).get("Ofmf", {})
    if "Provider" in oem:
        ours.add((oem["Provider"], oem["FabricName"]))
ref, cur = set(), {}
for line in open("fi_info.out"):
    k, _, v = line.partition(":")
    cur[k.strip()] = v.strip()
    if k.strip() == "fabric":
        ref.add((cur["provider"], v.strip()))
assert ref and ref == ours, (ref ^ ours)
PYEOF
    "$OFMFCTL" redfish export --ofi --provider nosuchprov topo.ibnd tree2 >cmd.out 2>cmd.err && fail "an unknown provider was accepted"
    grep -q nosuchprov cmd.err || fail "no clear error for an unknown provider"
    ;;
  unknown_provider) expect_fail 30 'nosuchprov' probe --provider nosuchprov --sizes 64 -I 5 ;;
  udp_too_big) expect_fail 30 'max_msg_size' probe --provider udp --ep dgram --sizes 1M -I 5 ;;
  unreachable) expect_fail 30 "127.0.0.1:$PORT" probe --client 127.0.0.1 --port "$PORT" --timeout-ms 500 ;;
  vanished_client | vanished_server)
    # One side is killed mid-probe; the other must fail within its timeout.
    "$OFMFCTL" probe --server --provider tcp --port "$PORT" --timeout-ms 2000 >server.out 2>server.err &
    spid=$!
    "$OFMFCTL" probe --client 127.0.0.1 --provider tcp --port "$PORT" --timeout-ms 2000 --sizes 4M -I 100000 >client.out 2>client.err &
    cpid=$!
    sleep 3
    if [ "$CASE" = vanished_client ]; then victim=$cpid survivor=$spid; else victim=$spid survivor=$cpid; fi
    kill -9 "$victim" 2>/dev/null || fail "the probe ended before the peer was killed"
    wait "$victim" 2>/dev/null
    for _ in $(seq 1 200); do kill -0 "$survivor" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$survivor" 2>/dev/null; then kill -9 "$survivor"; fail "the surviving side hangs 20 s after its peer vanished"; fi
    wait "$survivor"
    rc=$?
    [ "$rc" -eq 1 ] || fail "the surviving side exited $rc, expected 1"
    grep -Eq 'peer|timeout|within|closed|gone|refused|reset' server.err client.err || fail "no clear error"
    ;;
  inventory_vs_fi_info)
    "$OFMFCTL" inventory --backend ofi --provider tcp --ep msg --json >inv.out 2>inv.err || fail "inventory failed"
    fi_info -p tcp -t FI_EP_MSG >fi_info.out 2>&1 || fail "fi_info failed"
    $PY - <<'PYEOF' || fail "inventory differs from fi_info"
import json
ours = {(i["provider"], i["fabric"], i["domain"]) for i in json.load(open("inv.out"))["ofi"]}
ref, cur = set(), {}
for line in open("fi_info.out"):
    if ":" not in line: continue
    k, v = line.split(":", 1)
    k, v = k.strip(), v.strip()
    cur[k] = v
    if k == "domain": ref.add((cur["provider"], cur["fabric"], v))
assert ref and ref <= ours, (ref - ours)
PYEOF
    ;;
  inventory_verbs)
    "$OFMFCTL" inventory --backend verbs >inv.out 2>inv.err || fail "inventory --backend verbs failed"
    if [ -d /sys/class/infiniband ] && [ -n "$(ls /sys/class/infiniband 2>/dev/null)" ]; then
      for d in /sys/class/infiniband/*; do grep -q "$(basename "$d")" inv.out || fail "device $(basename "$d") missing"; done
    else
      grep -q 'no RDMA device' inv.out || fail "no clear 'no RDMA device' message"
    fi
    ;;
  *) fail "unknown case" ;;
esac
exit 0
