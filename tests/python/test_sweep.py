"""mibench.run with Python estimators, Ctrl-C and resume, load and report."""
import _thread
import json
import math
import threading
import time

import numpy as np
import pytest

import mibench
from conftest import cli

CONFIG = {
    "schema_version": 1,
    "seed": 11,
    "replicates": 2,
    "sample_sizes": [300, 600],
    "tasks": ["multinormal-dense-2-2-0.5", "1v1-normal-0.75"],
    "estimators": ["gaussian", "ksg"],
}


def numpy_gaussian(x, y, seed):
    """The Gaussian fit's MI, ½ ln(det Σx det Σy / det Σ), in NumPy."""
    joint = np.cov(np.hstack([x, y]), rowvar=False)
    dx = x.shape[1]
    logdet = lambda m: np.linalg.slogdet(np.atleast_2d(m))[1]
    return 0.5 * (logdet(joint[:dx, :dx]) + logdet(joint[dx:, dx:]) - logdet(joint))


def raises(x, y, seed):
    raise ValueError(f"boom at n = {len(x)}")


def rows_by(rows, label):
    return {(r["task"], r["n"], r["replicate"]): r for r in rows if r["estimator"] == label}


def test_a_python_estimator_joins_the_sweep(tmp_path):
    seeds = []
    extra = {
        "numpy-gauss": numpy_gaussian,
        "raises": raises,
        "nan": lambda x, y, seed: math.nan,
        "with-info": lambda x, y, seed: seeds.append(seed) or {"mi": 0.25, "note": "hi"},
    }
    summary = mibench.run(CONFIG, out=str(tmp_path), threads=2, estimators=extra)
    assert summary["cells"] == 8 * 6 and summary["ran"] == 48 and summary["skipped"] == 0
    assert summary["failed"] == 16  # raises and nan, 8 cells each
    rows = mibench.load(tmp_path, as_frame=False)
    assert len(rows) == 48 and len({r["key"] for r in rows}) == 48
    ours, builtin = rows_by(rows, "numpy-gauss"), rows_by(rows, "gaussian")
    for key, row in ours.items():
        assert row["status"] == "ok"
        assert row["estimate"] == pytest.approx(builtin[key]["estimate"], abs=1e-9)
        assert row["spec"] == "python:callable=numpy-gauss,function=test_sweep.numpy_gaussian"
    for row in rows_by(rows, "raises").values():
        assert row["status"] == "error"
        assert row["message"] == f"ValueError: boom at n = {row['n']}"
    assert {r["status"] for r in rows_by(rows, "nan").values()} == {"nonfinite"}
    info = rows_by(rows, "with-info")
    assert {r["estimate"] for r in info.values()} == {0.25}
    assert {r["info"]["note"] for r in info.values()} == {"hi"}
    # The seed is the cell's: the same cells give the same seeds, whatever the thread.
    again = []
    mibench.run(CONFIG, out=str(tmp_path / "again"), threads=1,
                estimators={**extra, "with-info": lambda x, y, s: again.append(s) or 0.25})
    assert sorted(seeds) == sorted(again) and len(set(seeds)) == 8
    # The CLI reports the folder (it knows the stand-in "python").
    report = cli("report", tmp_path, "--format", "md")
    assert "numpy-gauss" in report.stdout


def test_a_python_estimator_that_returns_something_else_fails_its_cells_saying_what(tmp_path):
    config = dict(CONFIG, replicates=1, sample_sizes=[300], tasks=["1v1-normal-0.75"],
                  estimators=[])
    mibench.run(config, out=str(tmp_path), threads=1, estimators={
        "no-mi": lambda x, y, seed: {"value": 1.0},
        "text": lambda x, y, seed: "0.5",
        "arrays": lambda x, y, seed: {"mi": np.float32(0.5), "curve": np.arange(3.0)},
        "object": lambda x, y, seed: {"mi": 0.5, "model": object()}})
    rows = {r["estimator"]: r for r in mibench.load(tmp_path, as_frame=False)}
    assert 'one with a number "mi"' in rows["no-mi"]["message"]
    assert 'a float or a dict with "mi"' in rows["text"]["message"]
    assert "JSON-like" in rows["object"]["message"]
    assert {rows[k]["status"] for k in ("no-mi", "text", "object")} == {"error"}
    # NumPy scalars and arrays in the result are numbers and lists in the row.
    assert rows["arrays"]["status"] == "ok" and rows["arrays"]["estimate"] == 0.5
    assert rows["arrays"]["info"]["curve"] == [0.0, 1.0, 2.0]


def test_the_results_are_the_clis(tmp_path):
    config_path = tmp_path / "config.json"
    config_path.write_text(json.dumps(CONFIG))
    mibench.run(config_path, out=tmp_path / "py", threads=2)  # paths may be pathlib.Path
    cli("run", config_path, "--out", tmp_path / "cli", "--threads", 1)
    strip = lambda rows: sorted((r["key"], r["estimate"], r["status"]) for r in rows)
    assert strip(mibench.load(tmp_path / "py", as_frame=False)) == strip(
        mibench.load(tmp_path / "cli", as_frame=False))


def test_ctrl_c_stops_keeps_what_finished_and_the_same_call_resumes(tmp_path):
    calls = []

    def interrupting(x, y, seed):
        calls.append(seed)
        if len(calls) == 3:
            _thread.interrupt_main()  # as Ctrl-C: the signal reaches the main thread
            time.sleep(0.5)  # the main thread looks for signals every 50 ms
        return 0.5

    config = dict(CONFIG, replicates=6, sample_sizes=[300])
    with pytest.raises(KeyboardInterrupt):
        mibench.run(config, out=str(tmp_path), threads=1, estimators={"py": interrupting})
    kept = mibench.load(tmp_path, as_frame=False)
    total = 2 * 6 * 3
    assert 0 < len(kept) < total
    # The same call resumes (another function under the label would be another config).
    summary = mibench.run(config, out=str(tmp_path), threads=2, estimators={"py": interrupting})
    assert summary["skipped"] == len(kept) and summary["ran"] == total - len(kept)
    rows = mibench.load(tmp_path, as_frame=False)
    assert len(rows) == total and len({r["key"] for r in rows}) == total


def test_ctrl_c_stops_a_built_in_cell_in_flight_without_a_row(tmp_path):
    # A neural estimator trained for 10^6 steps with early stopping off (minutes); Ctrl-C
    # after 0.5 s must stop it at its next deadline check and leave no row for it.
    config = dict(CONFIG, replicates=1, sample_sizes=[2000], tasks=["1v1-normal-0.75"],
                  estimators=["gaussian", "infonce:steps=1000000,patience=0,batch=64"])
    timer = threading.Timer(0.5, _thread.interrupt_main)
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        mibench.run(config, out=str(tmp_path), threads=1)
    timer.join()
    assert [r["estimator"] for r in mibench.load(tmp_path, as_frame=False)] == ["gaussian"]


def test_report_writes_the_formats(tmp_path):
    mibench.run(dict(CONFIG, replicates=1), out=str(tmp_path / "run"), threads=1)
    written = mibench.report(tmp_path / "run", formats=["md", "csv"], out=tmp_path / "r")
    assert written == [str(tmp_path / "r" / "report.md"), str(tmp_path / "r" / "report.csv")]
    cli("report", tmp_path / "run", "--format", "md", "--out", tmp_path / "c")
    assert (tmp_path / "r" / "report.md").read_text() == (tmp_path / "c" / "report.md").read_text()


def test_load_gives_a_data_frame_when_pandas_is_there(tmp_path):
    mibench.run(dict(CONFIG, replicates=1, sample_sizes=[300]), out=str(tmp_path), threads=1)
    rows = mibench.load(tmp_path)
    try:
        import pandas
    except ImportError:
        assert isinstance(rows, list)
        return
    assert isinstance(rows, pandas.DataFrame) and len(rows) == 4


def test_the_cli_fails_the_cells_of_a_python_estimator_and_says_why(tmp_path):
    config = dict(CONFIG, replicates=1, sample_sizes=[300], estimators=[
        "gaussian", {"name": "python", "label": "f", "params": {"callable": "f"}}])
    (tmp_path / "c.json").write_text(json.dumps(config))
    result = cli("run", tmp_path / "c.json", "--out", tmp_path / "run", check=False)
    assert result.returncode == 1
    rows = rows_by(mibench.load(tmp_path / "run", as_frame=False), "f")
    assert {r["status"] for r in rows.values()} == {"error"}
    assert all("mibench.run(config, estimators={label: f})" in r["message"] for r in rows.values())
