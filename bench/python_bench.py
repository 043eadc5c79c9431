#!/usr/bin/python3
"""The Python package's speed, side by side in one process (issue 16); prints a Markdown table.

1. Per-call overhead of mibench.estimate: the whole call's wall time minus the C++ call's own
   (the harness's `seconds` in the result), n = 100, 1 + 1, `gaussian` and `ksg`, median of
   many calls.
2. mibench.estimate(x, y, "ksg:k=3,standardize=false") against scikit-learn's
   mutual_info_regression (n = 10^5, 1 + 1, k = 3) and a SciPy-cKDTree KSG (n = 10^4, 5 + 5,
   ../shared/peers/ksg_scipy.py), all in this process and on one thread, on the same sample.
3. A Python function as an estimator in a sweep against the `external` protocol running the
   same function as a script (this file with --external): the mean cell time of each.

Run: PYTHONPATH=build/release-python/python bench/python_bench.py [--peers ../shared/peers]
(needs Debian's python3-numpy, and python3-scipy/-sklearn for part 2; OPENBLAS/OMP threads are
pinned to 1 here).
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import numpy as np  # noqa: E402


def gaussian_fit(x, y, seed=0):
    """MI of the fitted Gaussian, ½ ln(det Σx det Σy / det Σ), in NumPy: the Python estimator."""
    cov = np.cov(np.hstack([x, y]), rowvar=False)
    dx = x.shape[1]
    logdet = lambda m: np.linalg.slogdet(np.atleast_2d(m))[1]
    return float(0.5 * (logdet(cov[:dx, :dx]) + logdet(cov[dx:, dx:]) - logdet(cov)))


def external_main(x_path, y_path):
    print(json.dumps({"mi": gaussian_fit(np.load(x_path), np.load(y_path))}))


def overhead(mibench, spec, calls=3000):
    x, y = mibench.Task("1v1-normal-0.75").sample(100, seed=0)
    total, inner = [], []
    for _ in range(calls):
        t = time.perf_counter()
        r = mibench.estimate(x, y, spec)
        total.append(time.perf_counter() - t)
        inner.append(r["seconds"])
    return statistics.median(total), statistics.median(inner)


def best_of(f, repeats=3):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        value = f()
        times.append(time.perf_counter() - t)
    return min(times), value


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--peers", default=os.path.join(os.path.dirname(__file__), "../../shared/peers"))
    ap.add_argument("--external", nargs=2, metavar=("X", "Y"), help=argparse.SUPPRESS)
    ap.add_argument("--cells", type=int, default=40)
    a = ap.parse_args()
    if a.external:
        return external_main(*a.external)
    import mibench

    print("| measurement | mibench | other | other / mibench |\n|---|---:|---:|---:|")
    for spec in ("gaussian", "ksg"):
        total, inner = overhead(mibench, spec)
        print(f"| per-call overhead, estimate(x, y, \"{spec}\"), n = 100, 1 + 1 "
              f"| {1e6 * (total - inner):.1f} µs over the C++ call's {1e6 * inner:.1f} µs "
              f"| | |")

    sys.path.insert(0, os.path.abspath(a.peers))
    try:
        import gauss_data
        from ksg_scipy import ksg1
        from sklearn.feature_selection import mutual_info_regression
    except ImportError as e:
        print(f"(peers skipped: {e})")
    else:
        for n, repeats in ((100000, 3), (1000000, 1)):
            x, y = gauss_data.sample(n, 1, 1, 0.6, 1)
            ours, r = best_of(lambda: mibench.estimate(x, y, "ksg:k=3,standardize=false"), repeats)
            theirs, v = best_of(lambda: mutual_info_regression(x, y[:, 0], n_neighbors=3,
                                                               random_state=0), repeats)
            print(f"| KSG k = 3, n = {n:.0e}, 1 + 1: mibench (its C++ call) vs scikit-learn "
                  f"mutual_info_regression | {ours:.3f} s ({r['seconds']:.3f} s; {r['mi']:.4f}) "
                  f"| {theirs:.3f} s ({v[0]:.4f}) | {theirs / ours:.1f}× |")
        x, y = gauss_data.sample(10000, 5, 5, 0.6, 1)
        ours, r = best_of(lambda: mibench.estimate(x, y, "ksg:k=3,standardize=false"))
        theirs, v = best_of(lambda: ksg1(x, y, k=3))
        print(f"| KSG k = 3, n = 10⁴, 5 + 5: mibench (its C++ call) vs SciPy cKDTree KSG "
              f"| {ours:.3f} s ({r['seconds']:.3f} s; {r['mi']:.6f}) | {theirs:.3f} s ({v:.6f}) "
              f"| {theirs / ours:.1f}× |")

    # Two sweeps, one per way of running the function: in one sweep, each external call's fork
    # would leave the Python process's pages copy-on-write for the next in-process cell.
    config = {"schema_version": 1, "seed": 0, "replicates": a.cells, "sample_sizes": [200],
              "tasks": ["multinormal-dense-2-2-0.5"], "estimators": []}
    script = {"name": "external", "label": "script",
              "params": {"command": [sys.executable, os.path.abspath(__file__), "--external",
                                     "{x}", "{y}"]}}
    rows = []
    with tempfile.TemporaryDirectory() as out:
        mibench.run(config, out=out + "/a", threads=1, estimators={"in-process": gaussian_fit})
        mibench.run(dict(config, estimators=[script]), out=out + "/b", threads=1)
        rows = mibench.load(out + "/a", as_frame=False) + mibench.load(out + "/b", as_frame=False)
    median = {label: statistics.median(r["seconds"] for r in rows if r["estimator"] == label)
              for label in ("in-process", "script")}
    by_cell = {}
    for r in rows:
        by_cell.setdefault((r["n"], r["replicate"]), set()).add(round(r["estimate"], 12))
    same = all(len(values) == 1 for values in by_cell.values())
    print(f"| a Python estimator's cell vs the `external` protocol running the same function as "
          f"a script, n = 200, {a.cells} cells each (median) | {1e3 * median['in-process']:.3f} ms"
          f" | {1e3 * median['script']:.1f} ms | {median['script'] / median['in-process']:.0f}× "
          f"(estimates {'equal' if same else 'DIFFER'}) |")


if __name__ == "__main__":
    main()
