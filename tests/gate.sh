#!/usr/bin/env bash
# The project's CI gate: run configs/ci.json (every task family, every estimator, n = 1000)
# and compare it with the committed baseline; a regression fails the test.
#   tests/gate.sh MIBENCH REPO_ROOT
# Regenerate the baseline after an intended change of numbers:
#   mibench run configs/ci.json --out /tmp/ci && mibench baseline /tmp/ci --out configs/baselines/ci.json
set -euo pipefail
mibench=$1
root=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# Exit 1 means failed cells; the baseline records which cells fail (e.g. kl on discrete data).
"$mibench" run "$root/configs/ci.json" --out "$out/run" --threads 2 || [ $? -eq 1 ]
"$mibench" check "$out/run" --baseline "$root/configs/baselines/ci.json"
