#!/usr/bin/env bash
# Neural estimators' training speed side by side with PyTorch (CPU, one thread, OpenBLAS), in
# one run, on the same workload: InfoNCE on the 5 + 5-dim Gaussian with MI 2 nats,
#   bmi's concat critic [16, 8], batch 256 (all 65 536 pairs per step), and
#   Poole's separable critic 256-256-32, batch 128.
# Usage: bench/compare_neural.sh [build/release/bench/mib_bench_neural]
# Needs ../shared/peers (python3-torch; /opt/peer-openblas from setup_peers.sh for realistic
# PyTorch timings — Debian's default BLAS is the slow reference one).
set -euo pipefail
bench=${1:-build/release/bench/mib_bench_neural}
peers=$(cd "$(dirname "$0")/../.." && pwd)/shared/peers
blas=/opt/peer-openblas/usr/lib/x86_64-linux-gnu/openblas-pthread
torch() {
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 \
    LD_LIBRARY_PATH="$blas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
    /usr/bin/python3 "$peers/infonce_torch.py" --threads 1 --d 5 --mi 2 --eval-batches 1 "$@" |
    /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.1f" % d["steps_per_s"])'
}
printf '%-44s %14s %14s %8s\n' workload "mibench st/s" "pytorch st/s" ratio
row() {
  local name=$1 filter=$2
  shift 2
  local ours theirs
  ours=$("$bench" --benchmark_filter="$filter" --benchmark_format=json 2>/dev/null |
    /usr/bin/python3 -c 'import json,sys; b=json.load(sys.stdin)["benchmarks"]; print("%.1f" % b[0]["steps_per_s"])')
  theirs=$(torch "$@")
  printf '%-44s %14s %14s %7.1fx\n' "$name" "$ours" "$theirs" "$(echo "$ours / $theirs" | bc -l)"
}
row "infonce, concat [16, 8], batch 256" 'infonce_concat_16_8_b256' --critic concat --batch 256 --steps 1000
row "nwj, concat [16, 8], batch 256" 'nwj_concat_16_8_b256' --estimator nwj --critic concat --batch 256 --steps 1000
row "infonce, separable 256-256-32, batch 128" 'infonce_separable_256_256_32_b128' --critic separable --batch 128 --steps 1000
