#!/usr/bin/env bash
# ksg-cmi (Frenzel & Pompe, k = 3) side by side with a straightforward SciPy cKDTree version
# (bench/ksg_cmi_scipy.py), one thread each, on the same samples, in one run:
#   bench/compare_ksg_cmi.sh [build/release/suite/mibench] [REPEATS]
# The samples are cmi-common-{1,3}-0.8-0.5 (X, Y and Z of 1 + 1 + 1 and 3 + 3 + 3 columns)
# drawn by `mibench sample`; mibench runs with standardize=false, so both see the same values
# and the estimates agree to ~1e-12. Each tool runs REPEATS times (1) per workload, the two
# alternating, and its fastest run counts — the same rule for both, so a VM's swings in speed
# (up to 1.5x between seconds on the project's machine) weigh less on the ratio. Prints one line
# per (workload, tool): the fastest seconds, the estimate, and the ratio.
set -euo pipefail
mibench=${1:-build/release/suite/mibench}
repeats=${2:-1}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py=/usr/bin/python3
printf '%-20s %-14s %10s %22s %8s\n' workload tool seconds estimate ratio
for w in "10000 1" "100000 1" "10000 3" "100000 3"; do
  set -- $w
  name="n=$1 $2+$2+$2"
  "$mibench" sample "cmi-common-$2-0.8-0.5" --n "$1" --seed 1 --out "$tmp/d" 2>/dev/null
  ours=() peer=()
  for r in $(seq "$repeats"); do
    ours+=("$("$mibench" estimate --x "$tmp/d.x.npy" --y "$tmp/d.y.npy" --z "$tmp/d.z.npy" \
      --estimator ksg-cmi:standardize=false --json)")
    peer+=("$($py "$here/ksg_cmi_scipy.py" --x "$tmp/d.x.npy" --y "$tmp/d.y.npy" --z "$tmp/d.z.npy")")
  done
  $py - "$name" "$repeats" "${ours[@]}" "${peer[@]}" <<'PY'
import json, sys
name, repeats = sys.argv[1], int(sys.argv[2])
ours = [json.loads(a) for a in sys.argv[3:3 + repeats]]
peer = [json.loads(a) for a in sys.argv[3 + repeats:]]
o = min(ours, key=lambda r: r["seconds"])
p = min(peer, key=lambda r: r["seconds"])
print("%-20s %-14s %10.3f %22.16f" % (name, "mibench", o["seconds"], o["mi"]))
print("%-20s %-14s %10.3f %22.16f %7.1fx" % (name, "scipy-ckdtree", p["seconds"],
      p["estimate"], p["seconds"] / o["seconds"]))
assert all(r["mi"] == o["mi"] for r in ours), "mibench's estimates differ between runs"
assert abs(o["mi"] - p["estimate"]) < 1e-9, "the estimates differ"
PY
done
