#!/usr/bin/env bash
# KSG (algorithm 1, k = 3) side by side with the peers, on the same samples, in one run:
#   bench/compare_ksg.sh [build/release/suite/mibench]
# mibench runs with standardize=false: the peers work on the raw values, and the estimates
# must agree to ~1e-13. Needs ../shared/peers (python3-numpy, -scipy, -sklearn; r-cran-fnn for R's FNN): see
# ../shared/peers/README.md. Prints one line per (workload, tool): seconds and the estimate.
set -euo pipefail
mibench=${1:-build/release/suite/mibench}
peers=$(cd "$(dirname "$0")/../.." && pwd)/shared/peers
[ -d "$peers" ] || peers=$(cd "$(dirname "$0")/.." && pwd)/../shared/peers
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py=/usr/bin/python3
printf '%-22s %-16s %10s %22s\n' workload tool seconds estimate
for w in "10000 5 5" "100000 5 5" "10000 25 25" "1000000 1 1"; do
  set -- $w
  name="n=$1 ${2}+${3}"
  $py "$peers/gauss_data.py" --n "$1" --dx "$2" --dy "$3" --rho 0.6 --seed 1 --npy "$tmp/d" >/dev/null
  $py "$peers/gauss_data.py" --n "$1" --dx "$2" --dy "$3" --rho 0.6 --seed 1 --out "$tmp/d.bin" >/dev/null
  "$mibench" estimate --x "$tmp/d.x.npy" --y "$tmp/d.y.npy" --estimator ksg:standardize=false --json |
    $py -c 'import json,sys; d=json.load(sys.stdin); print("%-22s %-16s %10.3f %22.16f" % (sys.argv[1], "mibench", d["seconds"], d["mi"]))' "$name"
  if [ "$1" -le 100000 ] && [ "$2" -gt 1 ]; then
    $py "$peers/ksg_scipy.py" --x "$tmp/d.x.npy" --y "$tmp/d.y.npy" --k 3 |
      $py -c 'import json,sys; d=json.load(sys.stdin); print("%-22s %-16s %10.3f %22.16f" % (sys.argv[1], "scipy-ckdtree", d["seconds"], d["estimate"]))' "$name"
  fi
  if command -v Rscript >/dev/null && [ "$1" -le 10000 ]; then
    Rscript "$peers/ksg_fnn.R" --n "$1" --dx "$2" --dy "$3" --k 3 --input "$tmp/d.bin" 2>/dev/null |
      $py -c 'import json,sys; d=json.load(sys.stdin); print("%-22s %-16s %10.3f %22.16f" % (sys.argv[1], "R-FNN", d["seconds"], d["estimate"]))' "$name"
  fi
  if [ "$2" -eq 1 ]; then
    $py "$peers/ksg_sklearn.py" --n "$1" --rho 0.6 --k 3 |
      $py -c 'import json,sys; d=json.load(sys.stdin); print("%-22s %-16s %10.3f %22.16f  (own sample, noise, clip)" % (sys.argv[1], "scikit-learn", d["seconds"], d["estimate"]))' "$name"
  fi
done
