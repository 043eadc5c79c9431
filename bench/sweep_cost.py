#!/usr/bin/env python3
"""CPU time per estimator of one or two runs of the same sweep (e.g. a shard of configs/full.json
by two builds), and, for the critic-based bounds on all pairs (infonce, nwj, dv, js, smile with
the concat critic), the multiply-adds the protocol asked for and the time they need at an FMA
rate -- the FLOP bound of that cell.

  bench/sweep_cost.py RESULTS.jsonl [OTHER_RESULTS.jsonl] [--fma-per-s RATE]

RATE: multiply-adds per second of one core, e.g. the `fma_per_s` of `mib_bench_neural
--benchmark_filter=fma_peak` on the same machine (the default, 0, prints no bound). With two
files (the first the baseline) the cells are matched by key and both times are printed.

Multiply-adds of one cell, from its row (params and info): with the critic's widths
w = [d_x + d_y, h_1, ..., 1] and F = sum_{l >= 1} w_l w_{l+1} (the per-pair part of a forward
pass: the first layer is two per-row products, see estimators/neural/pairs.hpp), each training
step costs 3 F per pair (forward, then the weight gradient and the back-propagated delta, F each)
on batch^2 pairs plus 3 batch (d_x + d_y) h_1 for the first layer; each test evaluation costs
F on n_test^2 pairs plus n_test (d_x + d_y) h_1. The activations, exps and sums are not counted.
Standard library only.
"""
import argparse
import collections
import json
import math

ALL_PAIRS = {"infonce", "nwj", "dv", "js", "smile"}


def load(path):
    rows = {}
    with open(path) as f:
        for line in f:
            row = json.loads(line)
            rows[row["key"]] = row
    return rows


def family(row):
    return row["estimator"].split(":")[0]


def multiply_adds(row):
    """The cell's critic multiply-adds, or None when it is not an all-pairs concat bound."""
    p, info = row.get("params", {}), row.get("info", {})
    if family(row) not in ALL_PAIRS or p.get("critic", "concat") != "concat" or "steps" not in info:
        return None
    hidden = p.get("hidden") or [16, 8]
    d = row["dim_x"] + row["dim_y"]
    widths = [d] + hidden + [1]
    f = sum(widths[l] * widths[l + 1] for l in range(1, len(widths) - 1))
    n, batch = row["n"], p["batch"]
    n_test = n - math.floor(p["split"] * n)
    evaluations = len(info.get("test_curve", []))
    train = info["steps"] * (3 * f * batch * batch + 3 * batch * d * hidden[0])
    test = evaluations * (f * n_test * n_test + n_test * d * hidden[0])
    return train + test


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("results", nargs="+")
    ap.add_argument("--fma-per-s", type=float, default=0.0)
    a = ap.parse_args()
    runs = [load(p) for p in a.results]
    keys = sorted(set.intersection(*(set(r) for r in runs)))
    cpu = [collections.Counter() for _ in runs]
    fmas = collections.Counter()
    for k in keys:
        for i, r in enumerate(runs):
            cpu[i][family(r[k])] += r[k].get("cpu_seconds", 0.0)
        m = multiply_adds(runs[-1][k])
        if m is not None:
            fmas[family(runs[-1][k])] += m
    total = [sum(c.values()) for c in cpu]
    head = "%-10s" % "estimator" + "".join("%12s" % ("cpu s (%d)" % (i + 1)) for i in range(len(runs)))
    if len(runs) == 2:
        head += "%8s" % "ratio"
    head += "%8s" % "share"
    if a.fma_per_s:
        head += "%14s %12s %9s" % ("multiply-adds", "bound s", "of cpu")
    print("%d cells" % len(keys))
    print(head)
    for e in sorted(cpu[-1], key=lambda e: -cpu[-1][e]):
        line = "%-10s" % e + "".join("%12.2f" % c[e] for c in cpu)
        if len(runs) == 2:
            line += "%7.2fx" % (cpu[0][e] / cpu[1][e] if cpu[1][e] else float("nan"))
        line += "%7.1f%%" % (100 * cpu[-1][e] / total[-1])
        if a.fma_per_s and fmas[e]:
            bound = fmas[e] / a.fma_per_s
            line += "%14.3g %12.2f %8.0f%%" % (fmas[e], bound, 100 * bound / cpu[-1][e])
        print(line)
    line = "%-10s" % "total" + "".join("%12.2f" % t for t in total)
    if len(runs) == 2:
        line += "%7.2fx" % (total[0] / total[1])
    print(line)


if __name__ == "__main__":
    main()
