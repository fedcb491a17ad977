# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
# Usage: cli_test.sh OFMFCTL WORKDIR CASE
# Runs one command-line test case of ofmfctl; exits non-zero with a
# message on the first failed check.
. "$(dirname "$0")/common.sh"
out_empty() { [ ! -s out.txt ] || fail "stdout is not empty"; }
err_empty() { [ ! -s err.txt ] || fail "stderr is not empty"; }
# JSON count lines ("key": value) of `topo info --json`, without the file name.
json_counts() {
  "$OFMFCTL" topo info --json --no-bisection "$1" >json.txt 2>err.txt || fail "topo info --json $1 failed"
  grep -E '^  "(nodes|switches|channel_adapters|routers|ports|linked_ports|links|switch_links|components|diameter)":' json.txt
}

case "$CASE" in
help)
  run 0 --help
  out_has 'Usage:'
  out_has 'Exit codes: 0 ok, 1 operation failed'
  out_has 'topo'
  for cmd in "topo" "topo gen" "topo info" "topo convert" "topo gen fat-tree" "topo gen kary-ntree" \
             "topo gen xgft" "topo gen torus" "topo gen mesh" "topo gen dragonfly" "topo gen hyperx" \
             "topo gen random-regular"; do
    # shellcheck disable=SC2086
    run 0 $cmd --help
    out_has 'Usage:'
    out_has 'Exit codes'
  done
  run 0 topo gen fat-tree --help
  out_has '--radix'
  out_has '--speed'
  ;;
version)
  run 0 --version
  out_has '^ofmfctl [0-9]+\.[0-9]+\.[0-9]+$'
  ;;
unknown_option)
  run 2 --no-such-option
  err_has '^ofmfctl: '
  out_empty
  run 2 topo gen fat-tree --no-such-option
  err_has '^ofmfctl: .*no-such-option'
  ;;
missing_subcommand)
  run 2
  err_has '^ofmfctl: '
  run 2 topo
  run 2 topo gen
  run 2 topo gen no-such-kind
  run 2 topo info
  ;;
bad_value)
  run 2 topo gen fat-tree --speed WARP
  err_has 'WARP'
  run 2 topo gen fat-tree --radix many
  run 2 topo gen torus --dims 4xx4
  run 2 topo gen fat-tree --format xml
  run 2 topo gen xgft --m 4,4 --w 1
  ;;
gen_info)
  # Radix-4 two-level fat tree: 4 leaves, 2 spines, 8 endpoints.
  run 0 topo gen fat-tree --radix 4 --levels 2 -o ft.topo
  out_empty
  err_has '^ofmfctl: wrote ft.topo: 14 nodes \(6 switches\), 16 links'
  [ -s ft.topo ] || fail "ft.topo not written"
  run 0 topo info ft.topo
  out_has '^nodes: +14 \(6 switches, 8 channel adapters, 0 routers\)'
  out_has '^links: +16 \(8 switch-switch\)'
  out_has '^components: +1$'
  out_has '^diameter: +4 links'
  out_has '^bisection width: +4 links'
  err_empty
  run 0 topo info --json ft.topo
  out_has '^  "nodes": 14,?$'
  out_has '^  "switches": 6,?$'
  out_has '^  "links": 16,?$'
  out_has '^  "diameter": 4,?$'
  out_has '^  "bisection_width": 4,?$'
  run 0 topo info --json --no-diameter --no-bisection ft.topo
  out_has '^  "diameter": null,?$'
  out_has '^  "bisection_width": null,?$'
  run 0 topo info --no-diameter ft.topo
  out_has '^diameter: +not computed'
  ;;
gen_stdout)
  run 0 topo gen kary-ntree --k 2 --n 3
  err_empty
  out_has '^Switch'
  cp out.txt kt.topo
  run 0 topo info --json kt.topo
  out_has '^  "nodes": 20,?$'          # 2^3 endpoints, 3 levels of 2^2 switches
  out_has '^  "channel_adapters": 8,?$'
  out_has '^  "diameter": 6,?$'
  out_has '^  "bisection_width": 4,?$'  # k^n/2
  run 0 topo gen torus --dims 3x3 --format netfile
  cp out.txt t.net
  run 0 topo info --json t.net
  out_has '^  "switches": 9,?$'
  out_has '^  "switch_links": 18,?$'
  run 0 topo gen mesh --dims 2x3 --format dot
  out_has 'graph'
  ;;
gen_all_kinds)
  run 0 topo gen kary-ntree --k 2 --n 2 -o a.topo
  run 0 topo gen xgft --m 4,4 --w 1,4 -o b.topo
  run 0 topo gen fat-tree --radix 8 --levels 3 -o c.topo
  run 0 topo gen torus --dims 2x3x4 --endpoints-per-switch 2 -o d.net
  run 0 topo gen mesh --dims 4x4 -o e.topo
  run 0 topo gen dragonfly --a 4 --p 2 --h 2 -o f.topo
  run 0 topo gen hyperx --dims 3x3 --trunking 2 -o g.topo
  run 0 topo gen random-regular --switches 16 --degree 4 --seed 7 -o h.topo \
      --speed HDR --width 2x --switch-guid-base 0x1000 --ca-guid-base 0x200000
  for f in a.topo b.topo c.topo d.net e.topo f.topo g.topo h.topo; do
    run 0 topo info --json "$f"
    out_has '^  "components": 1,?$'
  done
  run 0 topo info --json d.net
  out_has '^  "switches": 24,?$'
  out_has '^  "channel_adapters": 48,?$'
  run 0 topo info --json h.topo
  out_has '^  "switches": 16,?$'
  out_has '^  "switch_links": 32,?$'
  grep -q 'HDR' h.topo || fail "--speed HDR not in h.topo"
  # The same spec and seed give the same file.
  run 0 topo gen random-regular --switches 16 --degree 4 --seed 7 -o h2.topo \
      --speed HDR --width 2x --switch-guid-base 0x1000 --ca-guid-base 0x200000
  cmp -s h.topo h2.topo || fail "random-regular is not deterministic"
  ;;
gen_invalid_spec)
  run 1 topo gen fat-tree --radix 5 -o x.topo
  err_has '^ofmfctl: '
  [ ! -e x.topo ] || fail "x.topo written for an invalid spec"
  ;;
convert_round_trip)
  run 0 topo gen fat-tree --radix 6 --levels 2 -o a.topo
  run 0 topo convert a.topo b.net
  err_has 'wrote b.net'
  run 0 topo convert b.net c.topo
  run 0 topo convert --from netfile --to ibnetdiscover b.net c2.txt
  json_counts a.topo >a.counts
  json_counts c.topo >c.counts
  json_counts c2.txt >c2.counts
  [ "$(wc -l <a.counts)" -eq 10 ] || fail "expected 10 count lines, got: $(cat a.counts)"
  cmp -s a.counts c.counts || fail "counts differ after the round trip: $(diff a.counts c.counts)"
  cmp -s a.counts c2.counts || fail "counts differ after --from/--to: $(diff a.counts c2.counts)"
  run 0 topo convert a.topo -
  out_has '^Switch'
  run 0 topo convert a.topo a.dot
  grep -q 'graph' a.dot || fail "a.dot is not DOT"
  run 1 topo info a.dot   # DOT cannot be read
  err_has '^ofmfctl: '
  ;;
malformed_file)
  printf 'vendid=0x2c9\ndevid=0xc738\nswitchguid=0x2c90000000001(2c90000000001)\nSwitch\t4 "S-0002c90000000001"\t# "sw" base port 0 lid 1 lmc 0\n[1]\t"H-bogus\n' >bad.topo
  run 1 topo info bad.topo
  err_has '^ofmfctl: .*bad\.topo:[0-9]+: '
  out_empty
  run 1 topo convert bad.topo out.net
  [ ! -e out.net ] || fail "out.net written from a malformed input"
  ;;
binary_input)
  # Devices that never end and binary data: refused at the first line that
  # cannot be a topology line, with bounded memory (not after max_bytes).
  run_measured 1 topo info /dev/zero
  err_has '^ofmfctl: /dev/zero:1: expected text, found a NUL byte'
  peak_below 65536 "topo info /dev/zero"
  run_measured 1 topo info /dev/urandom
  err_has '^ofmfctl: /dev/urandom:[0-9]+: '
  peak_below 65536 "topo info /dev/urandom"
  head -c 100000 /dev/zero >zero.ibnd
  run 1 topo convert zero.ibnd out.net
  err_has '^ofmfctl: zero\.ibnd:1: expected text, found a NUL byte'
  ;;
empty_topology)
  # No nodes: an error unless --allow-empty.
  : >empty.ibnd
  printf '#\n# Topology file: nothing\n\n' >comments.net
  for f in empty.ibnd comments.net; do
    run 1 topo info "$f"
    err_has "^ofmfctl: $f: no nodes"
    run 1 topo convert "$f" out.ibnd
    [ ! -e out.ibnd ] || fail "out.ibnd written from an empty topology"
    run 1 redfish export "$f" mock
    [ ! -e mock ] || fail "mockup written from an empty topology"
    run 0 topo info --allow-empty --json "$f"
    out_has '"nodes": 0'
    run 0 topo convert --allow-empty "$f" out.ibnd
    run 0 redfish export --allow-empty "$f" mock
    rm -rf out.ibnd mock
  done
  ;;
missing_file)
  run 3 topo info does-not-exist.topo
  err_has '^ofmfctl: .*does-not-exist\.topo'
  out_empty
  run 3 topo convert does-not-exist.topo x.net
  ;;
unwritable_output)
  run 0 topo gen fat-tree --radix 4 --levels 2 -o ok.topo
  run 3 topo gen fat-tree --radix 4 --levels 2 -o no-such-dir/ft.topo
  err_has '^ofmfctl: '
  run 3 topo convert ok.topo no-such-dir/x.net
  [ -z "$(ls -A . | grep -v -e '^ok.topo$' -e '^out.txt$' -e '^err.txt$')" ] || fail "left files behind: $(ls -A)"
  ;;
non_utf8_name)
  # File names are bytes; JSON output must stay valid (U+FFFD), not abort.
  name=$(printf 'ft\377.topo')
  run 0 topo gen fat-tree --radix 4 --levels 2 -o "$name"
  run 0 topo info --json "$name"
  out_has '"file": "ft.*\.topo"'
  run 0 route --engine minhop --json "$name"
  out_has '"engine": "minhop"'
  ;;
*)
  echo "unknown case $CASE" >&2
  exit 2
  ;;
esac
exit 0
