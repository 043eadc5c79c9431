"""mibench.estimate and consistency: the CLI's numbers on the same data, any array layout."""
import json

import numpy as np
import pytest

import mibench
from conftest import cli, cli_estimate

SMALL_NEURAL = "batch=64,lr=0.01,eval_every=50"
# The estimators of I(X; Y | Z): they need z (tested below, not with the MI specs).
CONDITIONAL = ("gaussian-cmi", "gcmi-cmi", "ksg-cmi", "mixed-ksg-cmi")


def specs():
    """One spec per registered estimator (small neural settings), but those that run other
    programs (external, python)."""
    out = []
    for e in mibench.estimators():
        name = e["name"]
        if name in ("external", "python") or name in CONDITIONAL:
            continue
        if "eval_every" in e["params"]:
            name += ":" + SMALL_NEURAL
        elif name == "lnc":  # its alpha is tabulated for other dimensions than 2 + 2
            name += ":k=6,alpha=0.137"
        elif name == "lmi":  # the paper's networks are for high-dimensional data; pointwise MI
            name += ":hidden=[32,16],latent=2,epochs=20,pointwise=true"  # crosses too
        out.append(name)
    return out


def test_estimators_match_list_estimators():
    assert mibench.estimators() == json.loads(cli("list", "estimators", "--json").stdout)


@pytest.mark.parametrize("spec", specs())
def test_estimate_equals_the_cli_on_the_same_file(spec, sample_files):
    x_path, y_path, x, y = sample_files
    ours = mibench.estimate(x, y, spec, seed=5)
    theirs = cli_estimate(x_path, y_path, spec, "--seed", 5)
    assert ours["status"] == theirs["status"] == "ok", ours["message"]
    assert ours["mi"] == theirs["mi"]  # bit for bit
    assert ours["params"] == theirs["params"] and ours["info"] == theirs["info"]
    assert ours["copied"] == {"x": False, "y": False}


def test_lmi_pointwise_mi_reaches_python():
    x, y = mibench.Task("multinormal-dense-2-2-0.5").sample(400, seed=3)
    r = mibench.estimate(x, y, "lmi:hidden=[16],latent=2,epochs=10,pointwise=true")
    pmi, rows = np.asarray(r["info"]["pmi"]), np.asarray(r["info"]["pmi_rows"])
    assert pmi.shape == rows.shape == (200,)
    assert len(set(rows.tolist())) == 200 and rows.min() >= 0 and rows.max() < 400
    assert np.mean(pmi) == pytest.approx(r["mi"], abs=1e-12)


def test_several_specs_and_a_confidence_interval_equal_the_cli(sample_files):
    x_path, y_path, x, y = sample_files
    rows = mibench.estimate(x, y, ["ksg:k=5", {"name": "gaussian", "label": "G"}], ci=0.9,
                            resamples=10)
    assert [r["estimator"] for r in rows] == ["ksg:k=5", "G"]
    theirs = cli_estimate(x_path, y_path, "ksg:k=5", "--ci", "0.9", "--resamples", "10")
    assert rows[0]["ci"] == theirs["ci"]
    assert rows[0]["ci"]["low"] < rows[0]["mi"] < rows[0]["ci"]["high"]


def test_float32_fortran_strided_and_1d_inputs_are_copied_once_and_give_the_same_numbers():
    x, y = mibench.Task("multinormal-dense-2-2-0.5").sample(800, seed=2)
    base = mibench.estimate(x, y, "ksg")
    assert base["copied"] == {"x": False, "y": False}
    # Fortran order and strided views: copied once, the same values, the same estimate.
    for xx in (np.asfortranarray(x), np.hstack([x, x])[:, :2], np.repeat(x, 2, axis=0)[::2]):
        r = mibench.estimate(xx, y, "ksg")
        assert r["copied"] == {"x": True, "y": False} and r["mi"] == base["mi"]
    # float32 and integers are converted to float64 (values as NumPy rounds them).
    x32 = x.astype(np.float32)
    r = mibench.estimate(x32, y, "ksg")
    assert r["copied"]["x"]
    assert r["mi"] == mibench.estimate(x32.astype(np.float64), y, "ksg")["mi"]
    ints = mibench.estimate(np.arange(800) % 7, np.arange(800) % 5, "gaussian")
    assert ints["status"] == "ok" and ints["copied"] == {"x": True, "y": True}
    # A 1-D contiguous float64 array is one column, read in place.
    a, b = mibench.Task("1v1-normal-0.75").sample(800, seed=2)
    flat = mibench.estimate(a[:, 0], b[:, 0], "ksg")
    assert flat["copied"] == {"x": False, "y": False}
    assert flat["mi"] == mibench.estimate(a, b, "ksg")["mi"]


def test_a_failing_estimator_is_a_status_not_an_exception():
    x = np.arange(100.0)
    y = np.sin(x)
    r = mibench.estimate(x, np.c_[y, y], "gaussian")  # singular covariance
    assert r["status"] == "error" and r["mi"] is None and "singular" in r["message"]


def test_consistency_equals_the_cli(sample_files):
    x_path, y_path, x, y = sample_files
    ours = mibench.consistency(x, y, ["gaussian"], permutations=5)
    out = cli("consistency", "--x", x_path, "--y", y_path, "--estimator", "gaussian",
              "--permutations", 5, "--json", check=False)
    assert ours == [json.loads(out.stdout)]
    assert mibench.consistency(x, y, "gaussian", permutations=5) == ours[0]


@pytest.mark.parametrize("spec", [*CONDITIONAL, "chain:ksg:k=4", "chain:gaussian"])
def test_conditional_estimates_equal_the_cli_and_tasks_give_z(spec, tmp_path):
    prefix = tmp_path / "s"
    cli("sample", "cmi-common-1-0.8-0.5", "--n", 800, "--seed", 2, "--out", prefix)
    paths = [f"{prefix}.{v}.npy" for v in "xyz"]
    x, y, z = (np.load(p) for p in paths)
    task = mibench.Task("cmi-common-1-0.8-0.5")
    assert task.dim_z == 1
    sx, sy, sz = task.sample(800, seed=2)  # three arrays for a task with Z, the CLI's bytes
    assert np.array_equal(sx, x) and np.array_equal(sy, y) and np.array_equal(sz, z)
    ours = mibench.estimate(x, y, spec, seed=5, z=z)
    theirs = cli_estimate(paths[0], paths[1], spec, "--seed", 5, "--z", paths[2])
    assert ours["status"] == theirs["status"] == "ok", ours["message"]
    assert ours["mi"] == theirs["mi"]
    assert ours["dim_z"] == 1
    assert abs(ours["mi"] - task.mi) < 0.15


def test_conditional_pmi_and_the_bad_pairings_raise():
    task = mibench.Task("te-var-xy-1-0.5")
    x, y, z = task.sample(20000, seed=1)
    pmi = task.pmi(x, y, z)
    assert abs(pmi.mean() - task.mi) < 0.03  # rows are dependent: a wide margin
    with pytest.raises(ValueError, match="z must be given"):
        task.pmi(x, y)
    with pytest.raises(ValueError, match="ksg-cmi estimates I\\(X; Y \\| Z\\)"):
        mibench.estimate(x, y, "ksg-cmi")
    with pytest.raises(ValueError, match="z must be given only with estimators of I"):
        mibench.estimate(x, y, "ksg", z=z)
    with pytest.raises(ValueError, match="row counts of x and z"):
        mibench.estimate(x, y, "ksg-cmi", z=z[:100])
    with pytest.raises(ValueError, match="no conditional form"):
        mibench.consistency(x, y, "ksg-cmi")
