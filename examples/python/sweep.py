"""A sweep with a Python estimator beside the built-in ones, loaded into pandas."""
import sys
import tempfile

import numpy as np

import mibench


def numpy_gaussian(x, y, seed):
    """MI of the Gaussian fitted to (x, y): ½ ln(det Σx det Σy / det Σ), in nats."""
    cov = np.cov(np.hstack([x, y]), rowvar=False)
    dx = x.shape[1]
    logdet = lambda m: np.linalg.slogdet(m)[1]
    return 0.5 * (logdet(cov[:dx, :dx]) + logdet(cov[dx:, dx:]) - logdet(cov))


config = {
    "schema_version": 1,
    "seed": 0,
    "replicates": 3,
    "sample_sizes": [500, 2000],
    "tasks": ["multinormal-dense-5-5-0.5", "student-identity-2-2-1"],
    "estimators": ["ksg", "gaussian"],
}
out = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="mibench-")
summary = mibench.run(config, out=out, estimators={"numpy-gauss": numpy_gaussian})
print(f"{summary['ran']} cells run, {summary['failed']} failed; results in {out}")

rows = mibench.load(out)  # a pandas DataFrame when pandas is installed
try:
    table = rows.assign(bias=rows.estimate - rows.mi_true).groupby(["task", "n", "estimator"])
    print(table.bias.mean().unstack())
except AttributeError:  # no pandas: a list of dicts
    for r in rows[:5]:
        print(r["task"], r["n"], r["estimator"], r["estimate"], r["mi_true"])
mibench.report(out, formats=["md"])
print(f"report: {out}/report.md")
