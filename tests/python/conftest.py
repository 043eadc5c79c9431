"""Shared fixtures of the Python package's tests: the CLI to compare with, sample files."""
import json
import os
import subprocess

import numpy as np
import pytest

import mibench

MIBENCH = os.environ.get("MIBENCH", "mibench")


def cli(*args, check=True):
    """Runs the mibench CLI; returns its CompletedProcess (text)."""
    result = subprocess.run([MIBENCH, *map(str, args)], capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"mibench {' '.join(map(str, args))}: {result.stderr}")
    return result


def cli_estimate(x_path, y_path, spec, *extra):
    """`mibench estimate --json` for one spec: its row."""
    out = cli("estimate", "--x", x_path, "--y", y_path, "--estimator", spec, "--json", *extra,
              check=False)
    return json.loads(out.stdout.splitlines()[0])


@pytest.fixture(scope="session")
def sample_files(tmp_path_factory):
    """A 2 + 2-dim Gaussian sample of 1200 rows, written by the CLI and loaded back."""
    prefix = tmp_path_factory.mktemp("sample") / "s"
    cli("sample", "multinormal-dense-2-2-0.5", "--n", 1200, "--seed", 7, "--out", prefix)
    x_path, y_path = f"{prefix}.x.npy", f"{prefix}.y.npy"
    return x_path, y_path, np.load(x_path), np.load(y_path)


@pytest.fixture
def gaussian_sample():
    return mibench.Task("multinormal-dense-2-2-0.5").sample(600, seed=3)
