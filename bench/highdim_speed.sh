#!/usr/bin/env bash
# The exhaustive k-NN estimators and kde at SSL scale, a baseline build beside a new one, in one
# run: bench/highdim_speed.sh BASELINE_MIBENCH NEW_MIBENCH [N] [KDE_N] [THREADS] [ESTIMATORS]
# Samples: N rows of 512 + 512 float32 "embeddings" (an 8-dimensional Gaussian latent mixed into
# each view, plus unit noise; NumPy seed 1). Each estimator runs with threads=THREADS (2) on both
# builds, one after the other; kde (O(n²) exponentials) at KDE_N rows (10 000). The two estimates
# must be the same bits. Prints one line per estimator: both times (the estimator's own seconds)
# and the ratio. ESTIMATORS: a space-separated subset (default: all seven below).
set -euo pipefail
base=$1 new=$2 n=${3:-50000} kde_n=${4:-10000} threads=${5:-2}
estimators=${6:-kl ksg-bmi bi-ksg mixed-ksg ksg ksg2 kde}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py=/usr/bin/python3
$py - "$tmp" "$n" "$kde_n" <<'PY'
import sys
import numpy as np
tmp, sizes = sys.argv[1], [int(a) for a in sys.argv[2:]]
for n in sorted(set(sizes)):
    rng = np.random.default_rng(1)
    latent = rng.standard_normal((n, 8))
    a, b = rng.standard_normal((8, 512)), rng.standard_normal((8, 512))
    np.save("%s/x%d.npy" % (tmp, n), (latent @ a + rng.standard_normal((n, 512))).astype(np.float32))
    np.save("%s/y%d.npy" % (tmp, n), (latent @ b + rng.standard_normal((n, 512))).astype(np.float32))
PY
printf '%-10s %7s %10s %10s %7s\n' estimator n baseline new ratio
for e in $estimators; do
  rows=$n
  [ "$e" = kde ] && rows=$kde_n
  for b in base new; do
    bin=$base
    [ $b = new ] && bin=$new
    "$bin" estimate --x "$tmp/x$rows.npy" --y "$tmp/y$rows.npy" --estimator "$e:threads=$threads" \
      --json >"$tmp/$b.json"
  done
  $py - "$e" "$rows" "$tmp" <<'PY'
import json, sys
est, rows, tmp = sys.argv[1], sys.argv[2], sys.argv[3]
base, new = (json.load(open("%s/%s.json" % (tmp, b))) for b in ("base", "new"))
assert repr(base["mi"]) == repr(new["mi"]), "the estimates differ: %r %r" % (base["mi"], new["mi"])
print("%-10s %7s %10.1f %10.1f %6.2fx" % (est, rows, base["seconds"], new["seconds"],
                                          base["seconds"] / new["seconds"]))
PY
done
