#!/usr/bin/env bash
# KSG (algorithm 1, k = 3) side by side with the peers, on the same samples, in one run:
#   bench/compare_ksg.sh [build/release/suite/mibench] [REPEATS]
# mibench runs with standardize=false: the peers work on the raw values, and the estimates
# must agree to ~1e-13. Needs ../shared/peers (python3-numpy, -scipy, -sklearn; r-cran-fnn for R's FNN): see
# ../shared/peers/README.md. Each tool runs REPEATS times (1) per workload, the tools in turn,
# and its fastest run counts — the same rule for all, so a VM's swings in speed (up to 1.5x
# between seconds on the project's machine) weigh less on the ratios. Prints one line per
# (workload, tool): the fastest seconds, the estimate and, for a peer, its time over mibench's.
set -euo pipefail
mibench=${1:-build/release/suite/mibench}
repeats=${2:-1}
peers=$(cd "$(dirname "$0")/../.." && pwd)/shared/peers
[ -d "$peers" ] || peers=$(cd "$(dirname "$0")/.." && pwd)/../shared/peers
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py=/usr/bin/python3
printf '%-22s %-16s %10s %22s %8s\n' workload tool seconds estimate ratio
for w in "10000 5 5" "100000 5 5" "10000 25 25" "1000000 1 1"; do
  set -- $w
  name="n=$1 ${2}+${3}"
  $py "$peers/gauss_data.py" --n "$1" --dx "$2" --dy "$3" --rho 0.6 --seed 1 --npy "$tmp/d" >/dev/null
  $py "$peers/gauss_data.py" --n "$1" --dx "$2" --dy "$3" --rho 0.6 --seed 1 --out "$tmp/d.bin" >/dev/null
  rm -f "$tmp"/*.jsonl
  for r in $(seq "$repeats"); do
    "$mibench" estimate --x "$tmp/d.x.npy" --y "$tmp/d.y.npy" --estimator ksg:standardize=false \
      --json >>"$tmp/mibench.jsonl"
    if [ "$1" -le 100000 ] && [ "$2" -gt 1 ]; then
      $py "$peers/ksg_scipy.py" --x "$tmp/d.x.npy" --y "$tmp/d.y.npy" --k 3 >>"$tmp/scipy-ckdtree.jsonl"
    fi
    if command -v Rscript >/dev/null && [ "$1" -le 10000 ]; then
      Rscript "$peers/ksg_fnn.R" --n "$1" --dx "$2" --dy "$3" --k 3 --input "$tmp/d.bin" \
        2>/dev/null >>"$tmp/R-FNN.jsonl"
    fi
    if [ "$2" -eq 1 ]; then
      $py "$peers/ksg_sklearn.py" --n "$1" --rho 0.6 --k 3 >>"$tmp/scikit-learn.jsonl"
    fi
  done
  $py - "$name" "$tmp" <<'PY'
import glob, json, os, sys
name, tmp = sys.argv[1], sys.argv[2]
runs = {os.path.basename(f)[:-6]: [json.loads(l) for l in open(f)]
        for f in glob.glob(tmp + "/*.jsonl")}
ours = min(runs.pop("mibench"), key=lambda r: r["seconds"])
print("%-22s %-16s %10.3f %22.16f" % (name, "mibench", ours["seconds"], ours["mi"]))
for tool in sorted(runs):
    best = min(runs[tool], key=lambda r: r["seconds"])
    own = "  (own sample, noise, clip)" if tool == "scikit-learn" else ""
    print("%-22s %-16s %10.3f %22.16f %7.1fx%s" % (name, tool, best["seconds"], best["estimate"],
          best["seconds"] / ours["seconds"], own))
    if not own:
        assert abs(best["estimate"] - ours["mi"]) < 1e-9, "%s's estimate differs" % tool
PY
done
