# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
# Sourced by the ofmfctl test scripts: usage SCRIPT OFMFCTL WORKDIR CASE.
# Sets OFMFCTL and CASE, enters a fresh WORKDIR and defines the checks.
set -u
OFMFCTL=$1
WORK=$2
CASE=$3
rm -rf "$WORK" && mkdir -p "$WORK" || exit 1
cd "$WORK" || exit 1

fail() { echo "FAIL [$CASE]: $*" >&2; echo "--- stdout:" >&2; cat out.txt >&2 2>/dev/null; echo "--- stderr:" >&2; cat err.txt >&2 2>/dev/null; exit 1; }

# run EXPECTED_RC ARGS... : runs ofmfctl, output in out.txt/err.txt.
run() {
  local want=$1; shift
  "$OFMFCTL" "$@" >out.txt 2>err.txt
  local rc=$?
  [ "$rc" -eq "$want" ] || fail "ofmfctl $* exited $rc, expected $want"
}
out_has() { grep -Eq -- "$1" out.txt || fail "stdout lacks /$1/"; }
err_has() { grep -Eq -- "$1" err.txt || fail "stderr lacks /$1/"; }

# run_measured EXPECTED_RC ARGS... : as run, under /usr/bin/time -v; sets
# PEAK_KB to the peak resident memory of ofmfctl in KiB.
run_measured() {
  local want=$1; shift
  [ -x /usr/bin/time ] || fail "/usr/bin/time is missing (Debian package time)"
  /usr/bin/time -v -o time.txt "$OFMFCTL" "$@" >out.txt 2>err.txt
  local rc=$?
  [ "$rc" -eq "$want" ] || fail "ofmfctl $* exited $rc, expected $want"
  PEAK_KB=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' time.txt)
  [ -n "$PEAK_KB" ] || fail "no peak memory in $(cat time.txt)"
}
# peak_below KIB WHAT : fails unless the last run_measured stayed below KIB.
peak_below() { [ "$PEAK_KB" -lt "$1" ] || fail "$2: peak resident memory ${PEAK_KB} KiB, expected below $1 KiB"; }
