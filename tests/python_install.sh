#!/usr/bin/env bash
# `pip install .` into a fresh virtual environment (with the system's packages, for NumPy),
# then the package imported from outside the tree. The wheel packs the module that the build
# folder already has (MIBENCH_BUILD_DIR), so the test compiles nothing.
#   tests/python_install.sh BUILD_DIR SOURCE_DIR PYTHON
set -euo pipefail
build=$(realpath "$1") source=$(realpath "$2") python=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$python" -m venv --system-site-packages "$tmp/venv"
MIBENCH_BUILD_DIR=$build "$tmp/venv/bin/pip" install --quiet --no-build-isolation --no-index \
  --no-cache-dir "$source"
cd "$tmp"
"$tmp/venv/bin/python" - <<'PY'
import mibench, pathlib
assert "site-packages" in pathlib.Path(mibench.__file__).parts, mibench.__file__
task = mibench.Task("1v1-normal-0.75")
x, y = task.sample(500, seed=1)
r = mibench.estimate(x, y, "gaussian")
assert r["status"] == "ok" and abs(r["mi"] - task.mi) < 0.1, r
print(f"python-install: mibench {mibench.__version__} from {mibench.__file__}: ok")
PY
