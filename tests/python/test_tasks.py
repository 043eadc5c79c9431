"""The catalogue from Python: the same tasks, truths and samples as the CLI."""
import json
import pathlib

import numpy as np
import pytest

import mibench
from conftest import cli

# One task of each kind of law and id form: closed form, Student-t, Monte Carlo truth,
# discrete-continuous, a transform prefix, a concatenation, an SSL family.
TASKS = [
    "multinormal-dense-5-5-0.5",
    "student-identity-2-2-1",
    "half_cube-multinormal-sparse-3-3-2-2.0",
    "concat(1v1-normal-0.75,multinormal-dense-2-2-0.5)",
]


def test_the_catalogue_matches_list_tasks():
    listed = json.loads(cli("list", "tasks", "--json").stdout)
    assert mibench.tasks() == listed
    bmi = mibench.tasks("@bmi-v1")
    assert bmi == mibench.tasks("bmi-v1")
    assert 0 < len(bmi) < len(listed)
    assert {"id", "family", "dim_x", "dim_y", "mi", "mi_se", "method", "source"} <= set(bmi[0])


@pytest.mark.parametrize("task_id", TASKS + [mibench.tasks("@bmi-v1")[-1]["id"]])
@pytest.mark.parametrize("standardize", [False, True])
def test_task_sample_is_bit_identical_to_the_cli(task_id, standardize, tmp_path):
    task = mibench.Task(task_id)
    flags = ["--standardize"] if standardize else []
    cli("sample", task_id, "--n", 257, "--seed", 2**64 - 3, "--out", tmp_path / "s", *flags)
    x, y = task.sample(257, seed=2**64 - 3, standardize=standardize)
    assert x.dtype == np.float64 and x.flags.c_contiguous and x.flags.writeable
    assert x.shape == (257, task.dim_x) and y.shape == (257, task.dim_y)
    assert x.tobytes() == np.load(tmp_path / "s.x.npy").tobytes()
    assert y.tobytes() == np.load(tmp_path / "s.y.npy").tobytes()


def test_task_attributes_are_the_catalogue_row():
    task = mibench.Task("multinormal-dense-5-5-0.5")
    row = next(t for t in mibench.tasks() if t["id"] == task.id)
    assert (task.mi, task.mi_se, task.dim_x, task.dim_y, task.method, task.source, task.family) == (
        row["mi"], row["mi_se"], row["dim_x"], row["dim_y"], row["method"], row["source"],
        row["family"])
    assert "multinormal-dense-5-5-0.5" in repr(task)


@pytest.mark.parametrize("task_id", TASKS[:3])
def test_the_mean_pmi_is_the_true_mi(task_id):
    task = mibench.Task(task_id)
    x, y = task.sample(20000, seed=1)
    pmi = task.pmi(x, y)
    assert pmi.shape == (20000,)
    se = pmi.std(ddof=1) / np.sqrt(pmi.size)
    assert abs(pmi.mean() - task.mi) < 4 * np.hypot(se, task.mi_se)
    # Any real array layout gives the same values.
    assert np.array_equal(task.pmi(np.asfortranarray(x), y), pmi)


def test_every_public_name_is_documented_and_in_the_stub():
    stub = (pathlib.Path(mibench.__file__).parent / "__init__.pyi").read_text()
    for name in mibench.__all__:
        if name == "__version__":
            continue
        obj = getattr(mibench, name)
        assert obj.__doc__ and len(obj.__doc__) > 40, name
        assert f"def {name}(" in stub or f"class {name}" in stub, name
    assert "standardize" in mibench.Task.sample.__doc__
