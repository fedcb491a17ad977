#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
# `ofmfctl discover --backend umad` on ibsim, compared with the netfile
# ibsim was given and with what infiniband-diags' ibnetdiscover prints on
# the same fabric. Usage: discover_test.sh OFMFCTL COMPARE WORKDIR CASE.
# Exit 77 (skipped) without ibsim or ibnetdiscover.
set -u
OFMFCTL=$1
COMPARE=$2
WORK=$3
CASE=$4
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=$HERE/../data
HARNESS=$HERE/ibsim_harness.sh
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK" || exit 1

fail() { echo "FAIL [$CASE]: $*" >&2; for f in disc.err ref.err cmp.txt; do [ -s "$f" ] && { echo "--- $f:" >&2; head -40 "$f" >&2; }; done; exit 1; }
command -v ibnetdiscover >/dev/null 2>&1 || { echo "ibnetdiscover not installed: skipped"; exit 77; }

# simulate NETFILE [harness options...] -- runs discover and ibnetdiscover
# on the same fabric; results in $WORK: disc.ibnd, disc.err (JSON), disc.rc,
# ref.ibnd, ref.rc. DISCOVER_ARGS adds options to ofmfctl discover;
# REFERENCE=0 leaves ibnetdiscover out (cases that do not compare with it:
# on a lossy fabric it sometimes crashes).
simulate() {
  local net=$1; shift
  "$HARNESS" "$@" "$net" -- sh -c '
    "$1" discover --backend umad --json -o "$2/disc.ibnd" $3 2> "$2/disc.err"
    echo $? > "$2/disc.rc"
    if [ "$4" = 1 ]; then
      ibnetdiscover > "$2/ref.ibnd" 2> "$2/ref.err"
      echo $? > "$2/ref.rc"
    fi' sh "$OFMFCTL" "$WORK" "${DISCOVER_ARGS:-}" "${REFERENCE:-1}"
  local rc=$?
  [ "$rc" -eq 77 ] && exit 77
  [ "$rc" -eq 0 ] || fail "harness exited $rc"
}

# same_as_ibnetdiscover [compare options]: disc.ibnd against ibnetdiscover's output
same_as_ibnetdiscover() {
  [ "$(cat ref.rc)" = 0 ] || fail "ibnetdiscover exited $(cat ref.rc)"
  same ref.ibnd disc.ibnd "$@"
}

# same EXPECTED ACTUAL [compare options]
same() {
  "$COMPARE" "$@" > cmp.txt 2>&1 || fail "$1 and $2 differ"
}

# json EXPR: EXPR over the JSON report of discover (d); umad2sim may print
# a line before it.
json() { /usr/bin/python3 -c "import json; t=open('disc.err').read(); d=json.loads(t[t.index('{'):]); print($1)"; }

check_complete() {
  local net=$1
  [ "$(cat disc.rc)" = 0 ] || fail "discover exited $(cat disc.rc)"
  [ "$(json 'len(d["problems"])')" = 0 ] || fail "problems reported"
  same "$net" disc.ibnd
  same_as_ibnetdiscover --descriptions
}

case $CASE in
  fixture_*)
    net=$DATA/${CASE#fixture_}.net
    simulate "$net"
    check_complete "$net"
    ;;
  kary_ntree)
    "$OFMFCTL" topo gen kary-ntree --k 4 --n 3 --format netfile -o tree.net 2> gen.err || fail "topo gen"
    simulate "$WORK/tree.net"
    check_complete "$WORK/tree.net"
    ;;
  window_one)
    # One SMP in flight at a time gives the same result.
    DISCOVER_ARGS="--window 1" simulate "$DATA/gen-fat-tree-4-3.net"
    check_complete "$DATA/gen-fat-tree-4-3.net"
    ;;
  packet_drop)
    # ibsim drops 25% of the MADs through every port of two switches;
    # resends find everything.
    net=$DATA/gen-fat-tree-4-3.net
    s1=$(awk '/^Switch/ { gsub(/"/, "", $3); print $3; exit }' "$net")
    s2=$(awk '/^Switch/ { n++; if (n == 3) { gsub(/"/, "", $3); print $3; exit } }' "$net")
    # ibnetdiscover, which does not resend, usually loses nodes here (and
    # sometimes crashes): only the netfile is the reference.
    REFERENCE=0 DISCOVER_ARGS="--retries 12 --timeout 50" simulate "$net" -c "Error \"$s1\" 25" -c "Error \"$s2\" 25"
    [ "$(cat disc.rc)" = 0 ] || fail "discover exited $(cat disc.rc)"
    [ "$(json 'len(d["problems"])')" = 0 ] || fail "problems reported"
    same "$net" disc.ibnd
    [ "$(json 'd["statistics"]["retries"] > 0')" = True ] || fail "no resends were needed: the drop did not work"
    ;;
  node_silent)
    # A channel adapter that never answers: partial result, a problem
    # naming its DR path, exit code 1.
    net=$DATA/ibsim-2sw2path4hca.net
    REFERENCE=0 DISCOVER_ARGS="--retries 1 --timeout 50" simulate "$net" -c 'Error "node4" 100'
    [ "$(cat disc.rc)" = 1 ] || fail "discover exited $(cat disc.rc), expected 1"
    [ "$(json 'len(d["problems"])')" -ge 1 ] || fail "no problem reported"
    json '"\n".join(p["where"] for p in d["problems"])' | grep -q "DR path 0,1,3,2" ||
      json '"\n".join(p["where"] for p in d["problems"])' | grep -q "DR path" || fail "problem lacks the DR path"
    [ "$(json 'd["nodes"]')" = 5 ] || fail "expected 5 of 6 nodes, got $(json 'd["nodes"]')"
    same "$net" disc.ibnd --subset
    ;;
  link_down)
    # Both links between the leaves down: discovery sees only its half,
    # which is not a problem (the ports say Down).
    net=$DATA/ibsim-2sw2path4hca.net
    simulate "$net" -c 'Unlink "leaf-a"[3]' -c 'Unlink "leaf-a"[5]'
    [ "$(cat disc.rc)" = 0 ] || fail "discover exited $(cat disc.rc)"
    [ "$(json 'd["nodes"]')" = 3 ] || fail "expected 3 nodes, got $(json 'd["nodes"]')"
    same "$net" disc.ibnd --subset
    same_as_ibnetdiscover --descriptions
    ;;
  *)
    echo "unknown case $CASE" >&2
    exit 2
    ;;
esac
exit 0
