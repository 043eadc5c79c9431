#!/usr/bin/env bash
# The project's CI gate: run configs/ci.json (every task family, every estimator, n = 1000)
# and configs/ci-cmi.json (the tasks with a conditioning variable, every estimator of
# I(X; Y | Z)) and compare each with its committed baseline; a regression fails the test.
#   tests/gate.sh MIBENCH REPO_ROOT
# Regenerate a baseline after an intended change of numbers:
#   mibench run configs/ci.json --out /tmp/ci && mibench baseline /tmp/ci --out configs/baselines/ci.json
#   (and likewise ci-cmi)
set -euo pipefail
mibench=$1
root=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# Exit 1 means failed cells; the baseline records which cells fail (e.g. kl on discrete data).
for name in ci ci-cmi; do
  "$mibench" run "$root/configs/$name.json" --out "$out/$name" --threads 2 || [ $? -eq 1 ]
  "$mibench" check "$out/$name" --baseline "$root/configs/baselines/$name.json"
done
