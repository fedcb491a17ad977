#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#
# Regenerates the MAD captures in this folder: starts ibsim on
# tests/data/ibsim-3sw-mixed.net, lets OpenSM sweep once (LIDs, LFTs),
# then runs infiniband-diags tools attached to "host a" with libibmad's
# debug dump on (-dd). For each capture <name> it writes
#   <name>.hex  every MAD the tool received, 256 octets each, as hex
#   <name>.txt  what the tool printed
# The unit tests decode the .hex and compare with the .txt. Everything
# started here is stopped by PID.
#
# Needs ibsim (ibsim-utils), opensm, infiniband-diags, libumad2sim.so.
# Environment: UMAD2SIM (path of libumad2sim.so).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
net=$(cd "$here/.." && pwd)/ibsim-3sw-mixed.net
umad2sim=${UMAD2SIM:-/usr/lib/x86_64-linux-gnu/umad2sim/libumad2sim.so}
die() { echo "capture.sh: $*" >&2; exit 1; }
for tool in ibsim opensm smpquery perfquery ibroute timeout; do
  command -v "$tool" > /dev/null || die "$tool not found"
done
[ -e "$umad2sim" ] || die "$umad2sim not found (set UMAD2SIM)"

work=$(mktemp -d "${TMPDIR:-/tmp}/ofmf-madcap.XXXXXX")
ibsim_pid=
cleanup() {
  if [ -n "$ibsim_pid" ]; then
    kill "$ibsim_pid" 2> /dev/null || true
    wait "$ibsim_pid" 2> /dev/null || true
  fi
  exec 8>&- || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

sock=ofmfmadcap$$
mkfifo "$work/console"
(cd "$work" && IBSIM_SOCKNAME="$sock" exec ibsim -s "$net" < console > ibsim.log 2>&1) &
ibsim_pid=$!
exec 8> "$work/console"
for _ in $(seq 1 300); do
  grep -q "Network simulator ready" "$work/ibsim.log" 2> /dev/null && break
  kill -0 "$ibsim_pid" 2> /dev/null || { cat "$work/ibsim.log" >&2; die "ibsim exited"; }
  sleep 0.1
done
grep -q "Network simulator ready" "$work/ibsim.log" || die "ibsim not ready"

export IBSIM_SOCKNAME="$sock" SIM_HOST="host a"
mkdir -p "$work/osm-cache" "$work/osm-dump"
(cd "$work" && env OSM_CACHE_DIR="$work/osm-cache" LD_PRELOAD="$umad2sim" timeout 120 opensm -o \
    -f "$work/osm.log" --dump_files_dir "$work/osm-dump" > "$work/opensm.out" 2>&1) || die "opensm failed"
grep -q "SUBNET UP" "$work/osm.log" || die "OpenSM did not report SUBNET UP"

# capture <name> <command...>
capture() {
  local name=$1
  shift
  local out=$work/$name
  LD_PRELOAD="$umad2sim" timeout 60 "$@" -dd > "$out.stdout" 2> "$out.stderr" || {
    cat "$out.stderr" >&2
    die "$name: $* failed"
  }
  {
    echo "# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only"
    echo "# $* (ibsim 0.10, ibsim-3sw-mixed.net, from \"host a\" port 1): MADs received"
    # libibmad prints each received MAD after a "rcv buf" line, 16 octets a line.
    awk '/^rcv buf/ { n = 16; print "# mad"; next } n > 0 { print; n-- }' "$out.stderr"
  } > "$here/$name.hex"
  {
    echo "# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only"
    echo "# $*"
    cat "$out.stdout"
  } > "$here/$name.txt"
  echo "capture.sh: wrote $name.hex $name.txt"
}

capture nodeinfo-ca smpquery -D nodeinfo 0
capture nodeinfo-switch smpquery -D nodeinfo 0,1
capture nodedesc-switch smpquery -D nodedesc 0,1
capture portinfo-ca-fdr smpquery -D portinfo 0 1
capture portinfo-switch-hdr smpquery -D portinfo 0,1 1
capture portinfo-switch-12xqdr smpquery -D portinfo 0,1 2
capture portinfo-switch-1xddr smpquery -D portinfo 0,1 8
capture portinfo-switch-port0 smpquery -D portinfo 0,1 0
capture portinfo-switch-2xsdr smpquery -D portinfo 0,1,1 6
capture portinfo-lid smpquery portinfo 2 1
capture switchinfo smpquery -D switchinfo 0,1
capture pkeys-ca smpquery -D pkeys 0 1
capture sl2vl-switch smpquery -D sl2vl 0,1 1
capture lft-switch ibroute -D 0,1
capture perf-counters perfquery 1 1
capture perf-counters-ext perfquery -x 1 1
capture perf-counters-switch perfquery -x 2 7
