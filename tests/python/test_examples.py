"""The README's Python examples (examples/python) run as they are."""
import pathlib
import subprocess
import sys

import mibench

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples" / "python"


def run(script, *args):
    result = subprocess.run([sys.executable, str(EXAMPLES / script), *map(str, args)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_quickstart_prints_estimates_beside_the_truth():
    out = run("quickstart.py").splitlines()
    assert [line.split(": ")[0].strip() for line in out] == ["ksg:k=5", "gaussian", "true"]
    assert out[-1] == f"    true: {mibench.Task('multinormal-dense-5-5-0.5').mi:.3f} nats"


def test_the_sweep_example_runs_a_python_estimator_and_reports(tmp_path):
    out = run("sweep.py", tmp_path)
    assert "36 cells run, 0 failed" in out
    assert (tmp_path / "report.md").exists()
    assert "numpy-gauss" in (tmp_path / "report.md").read_text()
