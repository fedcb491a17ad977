#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
# What `pip wheel bindings/python` does with bindings/python/pyproject.toml
# (scikit-build-core, which Debian does not package), done step by step
# with the settings read from that file: configure the source dir it names
# with its CMake defines and SKBUILD=ON, build its targets, install into a
# wheel root, add its Python packages, then import the result with Debian's
# Python and use it. Checks on the way: the build backend, the version
# (equal to the CMake project's), and that the wheel holds only the
# package (no library, headers or CMake files).
#   pyproject_test.sh SOURCE_DIR WORK_DIR
set -euo pipefail
src=$(cd "$1" && pwd)
work=$2
py=/usr/bin/python3
rm -rf "$work"
mkdir -p "$work"

# Settings from pyproject.toml, as lines: KEY VALUE...
"$py" - "$src" >"$work/settings" <<'PY'
import os, sys, tomllib
src = sys.argv[1]
proj = os.path.join(src, "bindings", "python")
with open(os.path.join(proj, "pyproject.toml"), "rb") as f:
    p = tomllib.load(f)
def die(msg):
    sys.exit("pyproject.toml: " + msg)
if p["build-system"]["build-backend"] != "scikit_build_core.build":
    die("build-backend is not scikit_build_core.build")
sk = p["tool"]["scikit-build"]
source = os.path.normpath(os.path.join(proj, sk["cmake"]["source-dir"]))
if source != os.path.normpath(src):
    die("cmake.source-dir %s is not the repository root %s" % (source, src))
print("version", p["project"]["version"])
print("source", source)
print("build_type", sk["cmake"].get("build-type", "Release"))
print("targets", " ".join(sk["build"]["targets"]))
print("packages", " ".join(os.path.join(proj, x) for x in sk["wheel"]["packages"]))
print("defines", " ".join("-D%s=%s" % kv for kv in sk["cmake"]["define"].items()))
PY
get() { sed -n "s/^$1 //p" "$work/settings"; }

# shellcheck disable=SC2046
cmake -S "$(get source)" -B "$work/build" -G Ninja -DSKBUILD=ON -DCMAKE_BUILD_TYPE="$(get build_type)" \
  -DPython_EXECUTABLE="$py" $(get defines) >"$work/configure.log"
for t in $(get targets); do cmake --build "$work/build" --target "$t" -j "$(nproc)" >"$work/build.log"; done
cmake --install "$work/build" --prefix "$work/wheel" >"$work/install.log"
for pkg in $(get packages); do cp -r "$pkg" "$work/wheel/"; done

# Only the Python package goes into a wheel.
extra=$(cd "$work/wheel" && find . -type f ! -path './ofmf/*' | sort)
if [[ -n $extra ]]; then
  echo "pyproject_test: files outside the package would go into the wheel:" >&2
  echo "$extra" >&2
  exit 1
fi
ls "$work/wheel/ofmf/"_ofmf*.so >/dev/null

cd "$work"
PYTHONPATH="$work/wheel" PYTHONNOUSERSITE=1 "$py" - "$work/wheel" "$(get version)" <<'PY'
import os, sys
import ofmf
root, version = sys.argv[1], sys.argv[2]
assert os.path.realpath(ofmf.__file__).startswith(os.path.realpath(root)), ofmf.__file__
assert ofmf.__version__ == version, "pyproject.toml says %s, the module %s" % (version, ofmf.__version__)
view = ofmf.generate_kary_ntree(ofmf.KaryNTreeSpec(k=4, n=2)).snapshot()
table = ofmf.compute_chain(ofmf.EngineRegistry.builtin(), "ftree,minhop", view)
assert ofmf.analyze(view, table).unreachable == 0
print("pyproject_test: ofmf", ofmf.__version__, "from", root, "routes", view.switch_count(), "switches")
PY
