#!/usr/bin/env bash
# threads=2 beside threads=1 for every k-NN estimator, on the same samples, in one run:
#   bench/threads_scaling.sh [build/release/suite/mibench] [REPEATS]
# Each (workload, estimator) runs REPEATS times (5) through `mibench estimate` at threads=1 and
# threads=2 alternately, so both see the same moments of a machine whose speed drifts (a shared
# VM's did by up to 1.5x within seconds). The two estimates must be the same bits (the threads
# split rows, never sums). Prints one line per (workload, estimator): the fastest run at each
# count (estimator seconds), their ratio, and the median over repeats of the ratio within a
# pair (1 thread, then 2) — the steadier of the two figures on a noisy machine.
set -euo pipefail
mibench=${1:-build/release/suite/mibench}
repeats=${2:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py=/usr/bin/python3
mi_estimators="ksg ksg2 ksg-bmi bi-ksg mixed-ksg kl lnc:k=11,alpha=0.1"
cmi_estimators="ksg-cmi mixed-ksg-cmi"
printf '%-18s %-22s %10s %10s %7s %7s\n' workload estimator 1-thread 2-threads ratio paired
for w in "10000 1v1-normal-0.75" "100000 1v1-normal-0.75" "10000 multinormal-dense-5-5-0.5" \
  "100000 multinormal-dense-5-5-0.5" "10000 cmi-common-1-0.8-0.5" "100000 cmi-common-1-0.8-0.5" \
  "10000 cmi-common-3-0.8-0.5" "100000 cmi-common-3-0.8-0.5"; do
  set -- $w
  n=$1 task=$2
  "$mibench" sample "$task" --n "$n" --seed 1 --out "$tmp/d" 2>/dev/null
  z=()
  estimators=$mi_estimators
  if [ -f "$tmp/d.z.npy" ]; then
    z=(--z "$tmp/d.z.npy")
    estimators=$cmi_estimators
  fi
  dims=$($py -c 'import numpy as np, sys; print("+".join(str(np.load(p).reshape(np.load(p).shape[0], -1).shape[1]) for p in sys.argv[1:]))' \
    "$tmp/d.x.npy" "$tmp/d.y.npy" "${z[@]:1}")
  for e in $estimators; do
    # ksg-bmi's Euclidean blocks are exhaustive (O(n²): 92 s at n = 10⁵, 1 + 1) and lnc fits a
    # PCA per row: both at n = 10⁴ only, to keep the run short.
    if [ "$n" -gt 10000 ] && [[ $e == ksg-bmi* || $e == lnc* ]]; then continue; fi
    sep=$([[ $e == *:* ]] && echo , || echo :)
    for r in $(seq "$repeats"); do
      for t in 1 2; do
        "$mibench" estimate --x "$tmp/d.x.npy" --y "$tmp/d.y.npy" "${z[@]}" \
          --estimator "$e${sep}standardize=false,threads=$t" --json >"$tmp/r.$t.$r.json"
      done
    done
    $py - "n=$n $dims" "$e" "$tmp" "$repeats" <<'PY'
import json, sys
name, est, tmp, repeats = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
runs = {t: [json.load(open("%s/r.%d.%d.json" % (tmp, t, r))) for r in range(1, repeats + 1)]
        for t in (1, 2)}
values = {run["mi"] for t in runs for run in runs[t]}
assert len(values) == 1, "threads changed the estimate: %s" % values
one, two = (min(run["seconds"] for run in runs[t]) for t in (1, 2))
paired = sorted(a["seconds"] / b["seconds"] for a, b in zip(runs[1], runs[2]))[repeats // 2]
print("%-18s %-22s %10.4f %10.4f %6.2fx %6.2fx" % (name, est.split(":")[0], one, two, one / two,
                                                 paired))
PY
  done
  rm -f "$tmp"/d.*
done
