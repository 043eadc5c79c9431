"""mibench: a benchmark suite for mutual-information estimators, from Python.

Tasks with known MI, every estimator of the C++ suite, and sweeps whose results are the
command line's own files (all values in nats):

    >>> import mibench
    >>> task = mibench.Task("multinormal-dense-5-5-0.5")
    >>> x, y = task.sample(5000, seed=0)
    >>> [r["mi"] for r in mibench.estimate(x, y, ["ksg", "gaussian"])], task.mi

Functions: tasks, Task, estimators, estimate, consistency, run, load, report.
Errors: ValueError for bad arguments and data, UnknownNameError (a KeyError) for unknown
names, FileNotFoundError for missing files, each with the CLI's message.
"""

from ._mibench import (  # noqa: F401  (the package's API)
    Task,
    UnknownNameError,
    __version__,
    consistency,
    estimate,
    estimators,
    report,
    run,
    tasks,
)
from ._mibench import load_rows as _load_rows

__all__ = ["Task", "UnknownNameError", "consistency", "estimate", "estimators", "load",
           "report", "run", "tasks", "__version__"]


def load(dir, as_frame=None):
    """The rows of a run folder's results.jsonl, checked as `mibench report` checks them.

    One row per cell: key, task, n, replicate, seed, estimator (the label), spec, params,
    dim_x, dim_y, mi_true, mi_true_se, estimate (None for a failed cell), status, message,
    seconds, cpu_seconds, info.

    as_frame: True for a pandas DataFrame, False for a list of dicts; None (the default)
    gives a DataFrame when pandas is installed, else the list.
    """
    rows = _load_rows(dir)
    if as_frame is False:
        return rows
    try:
        import pandas
    except ImportError:
        if as_frame:
            raise
        return rows
    return pandas.DataFrame(rows)
