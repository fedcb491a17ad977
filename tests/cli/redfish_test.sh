# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
# Usage: redfish_test.sh OFMFCTL WORKDIR CASE
# Command-line tests of `ofmfctl redfish export|get|import`.
. "$(dirname "$0")/common.sh"

case "$CASE" in
redfish_help)
  for cmd in "redfish" "redfish export" "redfish get" "redfish import"; do
    # shellcheck disable=SC2086
    run 0 $cmd --help
    out_has 'Usage:'
  done
  run 2 redfish
  run 2 redfish export
  err_has '^ofmfctl: '
  ;;
redfish_export_import)
  # Radix-4 two-level fat tree: 6 switches, 8 endpoints, 16 links.
  run 0 topo gen fat-tree --radix 4 --levels 2 -o ft.ibnd
  run 0 redfish export ft.ibnd mock
  err_has 'wrote mock: [0-9]+ Redfish resources'
  [ -f mock/redfish/v1/index.json ] || fail "no service root"
  [ "$(find mock/redfish/v1/Fabrics/IB/Switches -mindepth 2 -maxdepth 2 -name index.json | wc -l)" -eq 6 ] ||
    fail "expected 6 switch resources"
  [ "$(find mock/redfish/v1/Fabrics/IB/Endpoints -mindepth 2 -maxdepth 2 -name index.json | wc -l)" -eq 14 ] ||
    fail "expected 8 adapter port + 6 switch endpoints"
  grep -q '"Members@odata.count": 6' mock/redfish/v1/Fabrics/IB/Switches/index.json || fail "switch count"
  # The same fabric back, through a mockup folder.
  run 0 redfish import mock -o back.ibnd
  "$OFMFCTL" topo info --json --no-bisection ft.ibnd | grep -E '^  "(nodes|switches|links|ports)":' >a.txt
  "$OFMFCTL" topo info --json --no-bisection back.ibnd | grep -E '^  "(nodes|switches|links|ports)":' >b.txt
  [ -s a.txt ] && diff a.txt b.txt >/dev/null || fail "topo info differs after export/import: $(diff a.txt b.txt)"
  run 0 redfish import mock
  out_has '^Switch'
  # Exporting again replaces the earlier mockup.
  run 0 redfish export ft.ibnd mock --fabric-id ib0 --copyright
  [ ! -d mock/redfish/v1/Fabrics/IB ] || fail "old fabric folder left"
  grep -q '@Redfish.Copyright' mock/redfish/v1/Fabrics/ib0/index.json || fail "no copyright"
  ;;
redfish_get)
  run 0 topo gen fat-tree --radix 4 --levels 2 -o ft.ibnd
  run 0 redfish get ft.ibnd /redfish/v1/Fabrics/IB
  out_has '"FabricType": "InfiniBand"'
  out_has '"@odata.type": "#Fabric.v1_4_0.Fabric"'
  run 1 redfish get ft.ibnd /redfish/v1/Fabrics/IB/Switches/0000000000000bad
  err_has 'no resource at /redfish/v1/Fabrics/IB/Switches/0000000000000bad'
  run 1 redfish get ft.ibnd /redfish/v1/../etc
  err_has 'not a Redfish URI'
  ;;
redfish_errors)
  run 0 topo gen fat-tree --radix 4 --levels 2 -o ft.ibnd
  mkdir -p busy && echo keep >busy/notes.txt
  run 1 redfish export ft.ibnd busy
  err_has 'not a mockup'
  [ -f busy/notes.txt ] || fail "non-mockup folder touched"
  run 1 redfish export ft.ibnd out --fabric-id 'a/b'
  err_has 'fabric id'
  [ ! -e out ] || fail "folder written despite an error"
  run 3 redfish export missing.ibnd out
  "$OFMFCTL" redfish import busy >out.txt 2>err.txt && fail "import of a folder that is no mockup succeeded"
  err_has '^ofmfctl: '
  ;;
redfish_hostile_json)
  # A resource of nested '[': refused by the per-file size cap (50 MB) or
  # the nesting limit (4 MB), with memory bounded well below the input's
  # DOM (nlohmann made 2 GB of the 50 MB file).
  run 0 topo gen kary-ntree --k 2 --n 2 -o v.ibnet
  run 0 redfish export v.ibnet mock
  sw=mock/redfish/v1/Fabrics/IB/Switches/index.json
  head -c 50000000 /dev/zero | tr '\0' '[' >"$sw"
  run_measured 1 redfish import mock
  err_has "^ofmfctl: .*Switches/index.json: /redfish/v1/Fabrics/IB/Switches: 50000000 bytes, larger than ImportOptions::max_file_bytes \(8388608 bytes\)"
  peak_below 65536 "import of a 50 MB file"
  head -c 4000000 /dev/zero | tr '\0' '[' >"$sw"
  run_measured 1 redfish import mock
  err_has "Switches/index.json: /redfish/v1/Fabrics/IB/Switches: nested deeper than ImportOptions::max_depth \(32 levels\) at byte 32"
  # 4 MB of text: the file, simdjson's index of it, and little more.
  peak_below 65536 "import of a 4 MB file nested 4 million levels"
  ;;
*)
  fail "unknown case $CASE"
  ;;
esac
exit 0
