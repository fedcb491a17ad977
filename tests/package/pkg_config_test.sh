#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
# Compiles and runs a program with the flags of the installed ofmf.pc.
# usage: pkg_config_test.sh PREFIX CXX SOURCE WORKDIR
set -eu
prefix=$1 cxx=$2 src=$3 work=$4
mkdir -p "$work"
pcdir=$(dirname "$(find "$prefix" -name ofmf.pc | head -n 1)")
[ -n "$pcdir" ] || { echo "ofmf.pc not installed under $prefix" >&2; exit 1; }
export PKG_CONFIG_PATH="$pcdir"
libdir=$(pkg-config --variable=libdir ofmf)
# shellcheck disable=SC2046
"$cxx" -o "$work/consumer" "$src" $(pkg-config --cflags --libs ofmf) -Wl,-rpath,"$libdir"
"$work/consumer" "$(pkg-config --modversion ofmf)"
