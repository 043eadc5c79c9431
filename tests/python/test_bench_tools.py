"""bench/sweep_cost.py: the critic multiply-adds it counts (by hand here), and its table on a
real run's results."""
import importlib.util
import json
import pathlib
import subprocess
import sys

from conftest import cli

SCRIPT = pathlib.Path(__file__).resolve().parents[2] / "bench" / "sweep_cost.py"


def load_script():
    spec = importlib.util.spec_from_file_location("sweep_cost", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def row(estimator, **params):
    base = {"batch": 256, "split": 0.5, "critic": "concat", "hidden": []}
    base.update(params)
    return {"estimator": estimator, "dim_x": 5, "dim_y": 5, "n": 10000, "params": base,
            "info": {"steps": 1000, "test_curve": [[250, 0.1], [500, 0.2], [750, 0.3],
                                                   [1000, 0.4]]}}


def test_multiply_adds_by_hand():
    m = load_script().multiply_adds
    # [10, 16, 8, 1]: F = 16·8 + 8·1 = 136 per pair. Training: 1000 steps of 3·136·256² pairs
    # plus 3·256·10·16 for the first layer; test: 4 evaluations of 136·5000² + 5000·10·16.
    train = 1000 * (3 * 136 * 256 * 256 + 3 * 256 * 10 * 16)
    test = 4 * (136 * 5000 * 5000 + 5000 * 10 * 16)
    assert m(row("infonce")) == train + test
    assert m(row("dv:batch=256", hidden=[16, 8])) == train + test
    # hidden [6]: F = 6 · 1; batch 64; split 0.8 leaves 2000 test rows.
    assert m(row("nwj", hidden=[6], batch=64, split=0.8)) == (
        1000 * (3 * 6 * 64 * 64 + 3 * 64 * 10 * 6) + 4 * (6 * 2000 * 2000 + 2000 * 10 * 6))
    assert m(row("infonce", critic="separable")) is None  # not the pair kernel's cost
    assert m(row("mine")) is None  # paired, not all pairs
    assert m({"estimator": "ksg", "dim_x": 1, "dim_y": 1, "n": 100}) is None


def test_table_of_a_real_run(tmp_path):
    config = {"schema_version": 1, "seed": 3, "replicates": 1, "sample_sizes": [300],
              "tasks": ["multinormal-dense-2-2-0.5"],
              "estimators": ["ksg", "infonce:batch=32,steps=40,eval_every=20"]}
    (tmp_path / "c.json").write_text(json.dumps(config))
    cli("run", tmp_path / "c.json", "--out", tmp_path / "run", "--threads", "1")
    results = tmp_path / "run" / "results.jsonl"
    out = subprocess.run([sys.executable, str(SCRIPT), str(results), str(results),
                          "--fma-per-s", "1e10"], capture_output=True, text=True, check=True)
    lines = out.stdout.splitlines()
    assert lines[0] == "2 cells"
    by_name = {line.split()[0]: line.split() for line in lines[2:]}
    assert set(by_name) == {"ksg", "infonce", "total"}
    assert by_name["infonce"][3] == "1.00x"  # the same file twice
    info = json.loads(next(line for line in results.read_text().splitlines()
                           if "infonce" in line))["info"]
    # The steps run and evaluations at batch 32, n_test 150: the count the table prints.
    evaluations = len(info["test_curve"])
    expected = (info["steps"] * (3 * 136 * 32 * 32 + 3 * 32 * 4 * 16)
                + evaluations * (136 * 150 ** 2 + 150 * 4 * 16))
    assert float(by_name["infonce"][5]) == float("%.3g" % expected)
