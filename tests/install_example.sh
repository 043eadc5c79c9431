#!/usr/bin/env bash
# mibench as an installed CMake package: install this build into a temporary prefix, build
# examples/cpp_estimator against it with find_package(mibench), and run a sweep that uses the
# example's own estimator next to a built-in one.
#   tests/install_example.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
source=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
cmake -S "$source/examples/cpp_estimator" -B "$tmp/example" -G Ninja \
  -DCMAKE_PREFIX_PATH="$tmp/prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$tmp/example" >/dev/null
cat > "$tmp/config.json" <<'JSON'
{"schema_version": 1, "seed": 3, "replicates": 2, "sample_sizes": [500],
 "tasks": ["1v1-normal-0.75", "multinormal-sparse-3-3-2-2.0"],
 "estimators": ["pearson", "gaussian", "ksg"]}
JSON
"$tmp/example/my_mibench" run "$tmp/config.json" --out "$tmp/run" --threads 1 2>/dev/null
python3 - "$tmp/run/results.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 12, len(rows)
assert all(r["status"] == "ok" for r in rows), [r["message"] for r in rows if r["status"] != "ok"]
by = {(r["task"], r["replicate"], r["estimator"]): r["estimate"] for r in rows}
# On the 1-D normal pair the plug-in's -1/2 ln(1 - r^2) is the Gaussian fit's value exactly.
for rep in (0, 1):
    a, b = by[("1v1-normal-0.75", rep, "pearson")], by[("1v1-normal-0.75", rep, "gaussian")]
    assert abs(a - b) < 1e-12, (a, b)
PY
echo "installed package: example built and run"
