#!/usr/bin/env bash
# Regenerates golden_rows.json: the first two rows of every catalogue task for seed 7, as
# written by `mibench sample`. Run only on purpose (a change of samples is a change of every
# sweep's results): tests/data/make_golden_rows.sh build/dev/suite/mibench
set -euo pipefail
mibench=${1:?path to mibench}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$(dirname "$0")"
ids=$("$mibench" list tasks --json | /usr/bin/python3 -c 'import json,sys; print("\n".join(t["id"] for t in json.load(sys.stdin)))')
{
  echo "{"
  first=1
  for id in $ids; do
    "$mibench" sample "$id" --n 2 --seed 7 --format csv --out "$tmp/s" 2>/dev/null
    x=$(paste -sd';' "$tmp/s.x.csv"); y=$(paste -sd';' "$tmp/s.y.csv")
    [ $first -eq 1 ] || echo ","
    first=0
    if [ -f "$tmp/s.z.csv" ]; then  # a task with a conditioning variable
      printf '  "%s": {"x": "%s", "y": "%s", "z": "%s"}' "$id" "$x" "$y" "$(paste -sd';' "$tmp/s.z.csv")"
      rm "$tmp/s.z.csv"
    else
      printf '  "%s": {"x": "%s", "y": "%s"}' "$id" "$x" "$y"
    fi
  done
  echo
  echo "}"
} > golden_rows.json
