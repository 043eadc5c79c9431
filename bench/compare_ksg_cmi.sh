#!/usr/bin/env bash
# ksg-cmi (Frenzel & Pompe, k = 3) side by side with a straightforward SciPy cKDTree version
# (bench/ksg_cmi_scipy.py), one thread each, on the same samples, in one run:
#   bench/compare_ksg_cmi.sh [build/release/suite/mibench]
# The samples are cmi-common-{1,3}-0.8-0.5 (X, Y and Z of 1 + 1 + 1 and 3 + 3 + 3 columns)
# drawn by `mibench sample`; mibench runs with standardize=false, so both see the same values
# and the estimates agree to ~1e-12. Prints one line per (workload, tool), and the ratio.
set -euo pipefail
mibench=${1:-build/release/suite/mibench}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py=/usr/bin/python3
printf '%-20s %-14s %10s %22s %8s\n' workload tool seconds estimate ratio
for w in "10000 1" "100000 1" "10000 3" "100000 3"; do
  set -- $w
  name="n=$1 $2+$2+$2"
  "$mibench" sample "cmi-common-$2-0.8-0.5" --n "$1" --seed 1 --out "$tmp/d" 2>/dev/null
  ours=$("$mibench" estimate --x "$tmp/d.x.npy" --y "$tmp/d.y.npy" --z "$tmp/d.z.npy" \
    --estimator ksg-cmi:standardize=false --json)
  peer=$($py "$here/ksg_cmi_scipy.py" --x "$tmp/d.x.npy" --y "$tmp/d.y.npy" --z "$tmp/d.z.npy")
  $py - "$name" "$ours" "$peer" <<'PY'
import json, sys
name, ours, peer = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
print("%-20s %-14s %10.3f %22.16f" % (name, "mibench", ours["seconds"], ours["mi"]))
print("%-20s %-14s %10.3f %22.16f %7.1fx" % (name, "scipy-ckdtree", peer["seconds"],
      peer["estimate"], peer["seconds"] / ours["seconds"]))
assert abs(ours["mi"] - peer["estimate"]) < 1e-9, "the estimates differ"
PY
done
