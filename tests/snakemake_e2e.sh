#!/usr/bin/env bash
# workflows/Snakefile end to end with Debian's snakemake: a small config in 3 shard jobs on 2
# cores, merged and reported; the merged results equal an unsharded run's (timing aside).
#   tests/snakemake_e2e.sh MIBENCH SOURCE_DIR
set -euo pipefail
mibench=$1
source=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/config.json" <<'JSON'
{"schema_version": 1, "seed": 9, "replicates": 3, "sample_sizes": [300, 600],
 "tasks": ["1v1-normal-0.75", "multinormal-sparse-3-3-2-2.0", "student-identity-1-1-1"],
 "estimators": ["ksg", "gaussian", "histogram"]}
JSON
cd "$tmp"
snakemake -s "$source/workflows/Snakefile" --cores 2 --quiet \
  --config config="$tmp/config.json" shards=3 out="$tmp/out" mibench="$mibench" >snakemake.log 2>&1 ||
  { tail -30 snakemake.log >&2; exit 1; }
[ -s out/merged/report.html ] && [ -s out/merged/report.md ]
"$mibench" run "$tmp/config.json" --out "$tmp/whole" --threads 2 2>/dev/null
python3 - out/merged/results.jsonl whole/results.jsonl <<'PY'
import json, sys
def rows(path):
    out = []
    for line in open(path):
        r = json.loads(line)
        for k in ("seconds", "cpu_seconds"):
            r.pop(k, None)
        out.append(r)
    return out
a, b = rows(sys.argv[1]), rows(sys.argv[2])
assert len(a) == 3 * 2 * 3 * 3, len(a)
assert a == b, "the merged shards differ from the unsharded run"
PY
echo "snakemake: 3 shards merged equal the unsharded run"
