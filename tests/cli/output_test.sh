#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
# ofmfctl output paths: devices, FIFOs, links and temporaries
# (tools/ofmfctl/README.md, "Output files").
#   output_test.sh OFMFCTL WORKDIR CASE
. "$(dirname "$0")/common.sh"

case $CASE in
output_device)
  run 0 topo gen kary-ntree --k 2 --n 2 -o v.ibnet
  if mknod -m 666 mynull c 1 3 2>/dev/null; then
    run 0 topo convert v.ibnet mynull
    [ "$(stat -c %F mynull)" = "character special file" ] || fail "mynull became a $(stat -c %F mynull)"
    run 0 topo gen kary-ntree --k 2 --n 2 -o mynull
    run 0 route v.ibnet --dump-lfts mynull
    run 0 discover --backend sim --device v.ibnet -o mynull
    run 0 redfish export v.ibnet mock
    run 0 redfish import mock -o mynull
    [ "$(stat -c %F mynull)" = "character special file" ] || fail "mynull became a $(stat -c %F mynull)"
  else
    echo "output_device: mknod not permitted here; the device case is covered through /dev/null only"
  fi
  # /dev/stdout and - write through to standard output.
  run 0 topo convert v.ibnet /dev/stdout
  out_has '^Switch'
  run 0 topo convert v.ibnet -
  out_has '^Switch'
  "$OFMFCTL" route v.ibnet --dump-lfts /dev/stdout --json >out.txt 2>err.txt || fail "dump to /dev/stdout"
  out_has '^Unicast lids'
  ;;
output_fifo)
  run 0 topo gen kary-ntree --k 2 --n 2 -o v.ibnet
  mkfifo f
  timeout 20 cat f >from-fifo.txt &
  reader=$!
  run 0 topo convert v.ibnet f
  wait "$reader"
  [ -p f ] || fail "the FIFO became a $(stat -c %F f)"
  grep -q '^Switch' from-fifo.txt || fail "nothing came through the FIFO"
  ;;
output_symlink)
  run 0 topo gen kary-ntree --k 2 --n 2 -o v.ibnet
  # A link to a file: the file is written, the link stays.
  echo old >target.ibnet
  ln -s target.ibnet link.ibnet
  run 0 topo convert v.ibnet link.ibnet
  [ -L link.ibnet ] || fail "the link was replaced"
  grep -q '^Switch' target.ibnet || fail "the link's target was not written"
  # A dangling link is refused; nothing is created through it.
  ln -s nowhere.ibnet dangling.ibnet
  run 1 topo convert v.ibnet dangling.ibnet
  err_has 'symbolic link to the missing'
  [ ! -e nowhere.ibnet ] || fail "a file was created through a dangling link"
  # A link planted at the old temporary name is neither followed nor removed.
  echo keep >victim.txt
  ln -s victim.txt lf.dump.tmp
  run 0 route v.ibnet --dump-lfts lf.dump
  [ "$(cat victim.txt)" = keep ] || fail "the link at lf.dump.tmp was followed"
  [ -L lf.dump.tmp ] || fail "lf.dump.tmp was removed"
  grep -q '^Unicast lids' lf.dump || fail "no dump written"
  run 0 route v.ibnet --engine dfsssp --dump-sl sl.dump
  [ -s sl.dump ] && [ -s sl.dump.sl2vl ] || fail "no SL dumps"
  ;;
output_errors)
  run 0 topo gen kary-ntree --k 2 --n 2 -o v.ibnet
  # --dump-lfts failures name the OS reason.
  run 3 route v.ibnet --dump-lfts no-such-dir/lf.dump
  err_has "lf.dump': No such file or directory"
  mkdir adir
  run 1 route v.ibnet --dump-lfts adir
  err_has 'is a folder'
  [ -d adir ] || fail "the folder was replaced"
  ;;
output_stale)
  run 0 topo gen kary-ntree --k 2 --n 2 -o v.ibnet
  # Temporaries of a writer that is gone are removed by the next writer of
  # the same target; those of a running process and of other targets stay.
  sh -c 'exit 0' & dead=$!; wait $dead
  echo partial >"out.ibnet.ofmf-tmp-$dead-0123456789abcdef"
  echo partial >"out.ibnet.ofmf-tmp-1-0123456789abcdef"
  echo partial >"other.ibnet.ofmf-tmp-$dead-0123456789abcdef"
  run 0 topo convert v.ibnet out.ibnet
  [ ! -e "out.ibnet.ofmf-tmp-$dead-0123456789abcdef" ] || fail "stale temporary left"
  [ -e "out.ibnet.ofmf-tmp-1-0123456789abcdef" ] || fail "a live writer's temporary was removed"
  [ -e "other.ibnet.ofmf-tmp-$dead-0123456789abcdef" ] || fail "another target's temporary was removed"
  # The same for a mockup folder: a killed export's folder is removed.
  mkdir -p "mock.ofmf-tmp-$dead-00000000000000aa/redfish/v1"
  run 0 redfish export v.ibnet mock
  [ ! -e "mock.ofmf-tmp-$dead-00000000000000aa" ] || fail "stale mockup folder left"
  # A killed export: kill -9 while it writes a large mockup, then export again.
  run 0 topo gen fat-tree --radix 16 --levels 3 -o big.ibnet
  "$OFMFCTL" redfish export big.ibnet bigmock >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 200); do
    ls -d bigmock.ofmf-tmp-* >/dev/null 2>&1 && break
    sleep 0.01
  done
  kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  run 0 redfish export v.ibnet bigmock
  left=$(ls -d bigmock.ofmf-* 2>/dev/null)
  [ -z "$left" ] || fail "temporaries left after the next export: $left"
  ;;
output_mockup_marker)
  run 0 topo gen kary-ntree --k 2 --n 2 -o v.ibnet
  # A folder holding only redfish/ with the user's files is not ours.
  mkdir -p d/redfish && echo x >d/redfish/notes.txt
  run 1 redfish export v.ibnet d
  err_has 'not a mockup written by ofmf'
  [ "$(cat d/redfish/notes.txt)" = x ] || fail "the user's file was touched"
  # Our own mockup is replaced, and carries the marker.
  run 0 redfish export v.ibnet m
  [ -f m/.ofmf-mockup ] || fail "no marker"
  run 0 redfish export v.ibnet m --fabric-id ib1
  [ -d m/redfish/v1/Fabrics/ib1 ] && [ ! -d m/redfish/v1/Fabrics/IB ] || fail "mockup not replaced"
  run 0 redfish import m -o back.ibnet
  ;;
*)
  echo "unknown case $CASE" >&2
  exit 2
  ;;
esac
exit 0
