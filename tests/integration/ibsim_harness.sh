#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#
# Runs a command against a simulated InfiniBand fabric (ibsim).
#
#   ibsim_harness.sh [-a "ibsim args"] [-c "console command"]... [-H sim_host]
#                    [-w seconds] NETFILE -- COMMAND [ARGS...]
#
#   -a ARGS   extra ibsim arguments (pools: "-N 13300 -S 1636 -P 71668")
#   -c CMD    an ibsim console command run after the fabric is up and
#             before COMMAND ("Error \"sw1\" 30", "Unlink \"sw2\"[3]");
#             repeatable, run in order
#   -H HOST   SIM_HOST: the node id COMMAND attaches to (default: the
#             first node of NETFILE)
#   -w SECS   how long ibsim may live at most (default 1800)
#
# COMMAND runs in a private scratch directory (umad2sim writes sys-<pid>/
# into the current directory) with LD_PRELOAD=libumad2sim.so, a private
# IBSIM_SOCKNAME, and IBSIM_CONSOLE naming a FIFO on which it may write
# more console commands (one per line; `ibsim_console CMD` is defined for
# scripts that source this file with IBSIM_HARNESS_LIB=1). IBSIM_LOG names
# ibsim's output. Relative paths in NETFILE and ARGS are taken from the
# directory the harness was started in; COMMAND sees it as $IBSIM_ORIG_DIR.
#
# ibsim's console reads stdin; EOF makes it spin at 100% CPU, so its stdin
# is a FIFO whose write end a `sleep` holds open. On every exit path
# (success, failure, signal) ibsim is stopped by PID, then the sleep, and
# the scratch directory is removed (kept when IBSIM_KEEP=1).
#
# Exit status: COMMAND's; 77 (skip) when ibsim or umad2sim is not
# installed; 99 when ibsim does not come up.

set -u

UMAD2SIM=${UMAD2SIM:-/usr/lib/x86_64-linux-gnu/umad2sim/libumad2sim.so}

ibsim_console() {
    # Sends one console command and waits until ibsim has read it (a
    # comment line after it is echoed to the log).
    _mark="# harness-mark-$$-$(date +%s%N)"
    printf '%s\n%s\n' "$1" "$_mark" > "$IBSIM_CONSOLE"
    _i=0
    while ! grep -qF -- "$_mark" "$IBSIM_LOG" 2>/dev/null; do
        _i=$((_i + 1))
        if [ "$_i" -gt 600 ]; then echo "ibsim_harness: ibsim did not take \"$1\"" >&2; return 1; fi
        sleep 0.05
    done
}

if [ "${IBSIM_HARNESS_LIB:-0}" = 1 ]; then
    return 0 2>/dev/null || exit 0
fi

extra=""
host=""
life=1800
ncmds=0
while getopts "a:c:H:w:" opt; do
    case $opt in
        a) extra=$OPTARG ;;
        c) ncmds=$((ncmds + 1)); eval "cmd_$ncmds=\$OPTARG" ;;
        H) host=$OPTARG ;;
        w) life=$OPTARG ;;
        *) echo "usage: $0 [-a args] [-c cmd]... [-H host] [-w secs] NETFILE -- COMMAND..." >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
if [ $# -lt 3 ] || [ "$2" != "--" ]; then
    echo "usage: $0 [-a args] [-c cmd]... [-H host] [-w secs] NETFILE -- COMMAND..." >&2
    exit 2
fi
netfile=$1
shift 2

if ! command -v ibsim >/dev/null 2>&1 || [ ! -r "$UMAD2SIM" ]; then
    echo "ibsim_harness: ibsim or $UMAD2SIM not installed: skipped" >&2
    exit 77
fi

IBSIM_ORIG_DIR=$(pwd)
case $netfile in /*) ;; *) netfile=$IBSIM_ORIG_DIR/$netfile ;; esac
scratch=$(mktemp -d "${TMPDIR:-/tmp}/ofmf-ibsim.XXXXXX") || exit 99
ibsim_pid=""
sleep_pid=""

cleanup() {
    rc=$?
    trap - EXIT INT TERM HUP
    if [ -n "$ibsim_pid" ]; then
        kill "$ibsim_pid" 2>/dev/null
        wait "$ibsim_pid" 2>/dev/null
    fi
    if [ -n "$sleep_pid" ]; then
        kill "$sleep_pid" 2>/dev/null
        wait "$sleep_pid" 2>/dev/null
    fi
    if [ "${IBSIM_KEEP:-0}" = 1 ]; then
        echo "ibsim_harness: kept $scratch" >&2
    else
        rm -rf "$scratch"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

IBSIM_CONSOLE=$scratch/console
IBSIM_LOG=$scratch/ibsim.log
IBSIM_SOCKNAME=ofmf$$x$(date +%N)
mkfifo "$IBSIM_CONSOLE" || exit 99

# The sleep holds the FIFO's write end: ibsim never sees EOF.
sleep "$life" > "$IBSIM_CONSOLE" &
sleep_pid=$!
# shellcheck disable=SC2086 # extra holds several arguments
IBSIM_SOCKNAME=$IBSIM_SOCKNAME stdbuf -oL -eL ibsim -s $extra "$netfile" < "$IBSIM_CONSOLE" > "$IBSIM_LOG" 2>&1 &
ibsim_pid=$!

i=0
while ! grep -q "Network simulator ready" "$IBSIM_LOG" 2>/dev/null; do
    if ! kill -0 "$ibsim_pid" 2>/dev/null; then
        echo "ibsim_harness: ibsim exited:" >&2
        tail -20 "$IBSIM_LOG" >&2
        ibsim_pid=""
        exit 99
    fi
    i=$((i + 1))
    if [ "$i" -gt 2400 ]; then echo "ibsim_harness: ibsim not ready after 120 s" >&2; exit 99; fi
    sleep 0.05
done
# The data sockets are bound right after the banner.
sleep 0.2

export IBSIM_CONSOLE IBSIM_LOG IBSIM_SOCKNAME IBSIM_ORIG_DIR
k=1
while [ "$k" -le "$ncmds" ]; do
    eval "c=\$cmd_$k"
    ibsim_console "$c" || exit 99
    k=$((k + 1))
done

cd "$scratch" || exit 99
if [ -n "$host" ]; then SIM_HOST=$host; export SIM_HOST; fi
# Under AddressSanitizer: the preloaded library is not instrumented, and
# umad2sim 0.10's read() copies umad_size()+256 = 320 bytes out of its
# 288-byte message buffer (its bug, not ours), which ASan's memcpy
# interceptor would report; replace_intrin=0 keeps that interceptor from
# checking. Our own code stays instrumented (its accesses are checked
# inline, not through the interceptor).
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0:replace_intrin=0"
export ASAN_OPTIONS
LD_PRELOAD="$UMAD2SIM${LD_PRELOAD:+:$LD_PRELOAD}" "$@"
