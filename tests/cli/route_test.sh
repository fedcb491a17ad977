# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
# Usage: route_test.sh OFMFCTL WORKDIR CASE
# Command-line tests of `ofmfctl route`; exits non-zero with a message on
# the first failed check.
. "$(dirname "$0")/common.sh"
# Value of a JSON number field ("key": N) of out.txt; the first occurrence.
json_num() { sed -nE "s/^ *\"$1\": ([0-9.eE+-]+),?$/\\1/p" out.txt | head -n 1; }
# Checks that out.txt is one complete JSON object (python3 when available).
json_ok() {
  if command -v python3 >/dev/null; then
    python3 -c 'import json,sys; json.load(open("out.txt"))' || fail "stdout is not JSON"
  else
    head -c 1 out.txt | grep -q '{' || fail "stdout is not a JSON object"
  fi
}

"$OFMFCTL" topo gen fat-tree --radix 4 --levels 2 -o ft.topo 2>/dev/null || fail "cannot generate the fat tree"

case "$CASE" in
route_engines)
  # Every engine that routes a fat tree, alone and in the default chain.
  for engine in minhop updn ftree "ftree,updn,minhop"; do
    run 0 route --engine "$engine" --json ft.topo
    json_ok
    [ "$(json_num unreachable)" = 0 ] || fail "$engine: unreachable pairs"
    [ "$(json_num loops)" = 0 ] || fail "$engine: loops"
    [ "$(json_num pairs)" = 56 ] || fail "$engine: pairs"
  done
  run 0 route --engine updn,minhop ft.topo
  out_has '^engine: +updn$'
  out_has '^unreachable: +0$'
  out_has '^cdg acyclic: +yes'
  out_has '^routing time: +[0-9.]+ ms$'
  ;;
route_skips_unavailable)
  # An engine this build does not have is skipped with a warning.
  run 0 route --engine no-such-engine,minhop --json ft.topo
  err_has "warning: routing engine 'no-such-engine' is not available"
  grep -q '"engine": "no-such-engine"' out.txt || fail "skipped engine not listed"
  grep -q '"engine": "minhop"' out.txt || fail "engine used not listed"
  ;;
route_bad_engine)
  run 2 route --engine no-such-engine ft.topo
  err_has "^ofmfctl: no routing engine of 'no-such-engine' is available \(engines: minhop"
  run 2 route --lmc 9 ft.topo
  run 2 route
  run 3 route no-such-file.topo
  ;;
route_dump_check)
  # --dump-lfts then `route check` analyses the same tables.
  for engine in minhop updn; do
    run 0 route --engine "$engine" --lmc 1 --json --dump-lfts lfts.dump ft.topo
    json_ok
    max=$(json_num max)
    [ -s lfts.dump ] || fail "no dump written"
    grep -q '^Unicast lids \[0-' lfts.dump || fail "dump has no switch header"
    run 0 route check --lfts lfts.dump --json ft.topo
    json_ok
    grep -q '"engine": "file"' out.txt || fail "check did not use the file engine"
    [ "$(json_num unreachable)" = 0 ] || fail "check: unreachable pairs"
    [ "$(json_num max)" = "$max" ] || fail "check: max load $(json_num max), route: $max"
    [ "$(json_num lmc)" = 1 ] || fail "check: LMC not taken from the dump"
  done
  ;;
route_check_errors)
  run 3 route check --lfts missing.dump ft.topo
  run 2 route check ft.topo
  # A dump of another fabric: clear error naming the file and line.
  "$OFMFCTL" topo gen fat-tree --radix 4 --levels 2 --switch-guid-base 0x5000 -o other.topo 2>/dev/null || fail "gen"
  "$OFMFCTL" route --engine minhop --no-check --dump-lfts other.dump other.topo >/dev/null 2>&1 || fail "route other"
  run 1 route check --lfts other.dump ft.topo
  err_has '^ofmfctl: other.dump:[0-9]+: port 0x[0-9a-f]{16} \(owner of LID [0-9]+\) is not in the fabric'
  # Without owner comments the file engine maps LIDs itself and names the switch.
  sed 's/ #.*//' other.dump > bare.dump
  run 1 route check --lfts bare.dump ft.topo
  err_has '^ofmfctl: bare.dump:1: switch 0x0000000000005000 is not a switch of the fabric'
  ;;
route_check_verdict)
  # `route check` exits 4 when the tables fail: unreachable pairs, loops,
  # or a channel-dependency cycle (unless --allow-cycles).
  run 0 route --engine minhop --dump-lfts good.dump ft.topo
  run 0 route check --lfts good.dump ft.topo
  # Send one switch's traffic for the first endpoint LID to the switch itself.
  awk 'BEGIN{done=0} /^0x/ && !done && $0 ~ /Channel Adapter/ {sub(/^0x[0-9a-f]+ [0-9]+/, substr($0,1,6) " 000"); done=1} {print}' \
    good.dump >bad.dump
  cmp -s good.dump bad.dump && fail "the dump was not changed"
  run 4 route check --lfts bad.dump ft.topo
  out_has '^unreachable: +[1-9]'
  err_has 'the tables fail the check: [0-9]+ unreachable pairs'
  run 4 route check --lfts bad.dump --json ft.topo
  json_ok
  # A torus routed by minhop: every pair reachable, no loop, but a
  # channel-dependency cycle on one VL.
  run 0 topo gen torus --dims 4x4 -o t.topo
  run 0 route --engine minhop --dump-lfts t.dump t.topo
  run 4 route check --lfts t.dump t.topo
  err_has 'channel-dependency cycle'
  run 0 route check --allow-cycles --lfts t.dump t.topo
  out_has '^cdg acyclic: +no'
  ;;
*)
  fail "unknown case"
  ;;
esac
exit 0
