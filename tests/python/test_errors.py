"""Every class of bad input raises a Python exception with the CLI's message, never a crash."""
import numpy as np
import pytest

import mibench

X = np.random.default_rng(0).normal(size=(200, 2))
Y = X + np.random.default_rng(1).normal(size=(200, 2))
CONFIG = {"schema_version": 1, "seed": 0, "replicates": 1, "sample_sizes": [100],
          "tasks": ["1v1-normal-0.75"], "estimators": ["gaussian"]}

# (call, exception, words the message must contain)
CASES = {
    # Unknown names: KeyError, with the closest valid ones.
    "task id": (lambda: mibench.Task("multinormal-dense-5-5-0.55x"), KeyError, "closest"),
    "task list": (lambda: mibench.tasks("@bmi-v9"), KeyError, "@bmi-v1"),
    "estimator": (lambda: mibench.estimate(X, Y, "KSG"), KeyError, "closest: ksg"),
    "report format": (lambda d: mibench.report(d, formats=["pdf"]), KeyError, "md"),
    "python label": (lambda d: mibench.run(dict(CONFIG, estimators=[
        {"name": "python", "params": {"callable": "nope"}}]), out=d), KeyError, "nope"),
    # Out-of-domain values: ValueError, naming the setting.
    "task parameter": (lambda: mibench.Task("multinormal-dense-5-5-1.5"), ValueError, ""),
    "estimator parameter": (lambda: mibench.estimate(X, Y, "ksg:k=0"), ValueError, "k"),
    "misspelt parameter": (lambda: mibench.estimate(X, Y, "histogram:bin=10"), ValueError, "bins"),
    "spec syntax": (lambda: mibench.estimate(X, Y, "ksg:k"), ValueError, "ksg:k"),
    "n too small for k": (lambda: mibench.estimate(X, Y, "ksg:k=500"), ValueError, "k=500"),
    "ci level": (lambda: mibench.estimate(X, Y, "ksg", ci=1.5), ValueError, "ci"),
    "resample method": (lambda: mibench.estimate(X, Y, "ksg", ci=0.9, resample="jack"),
                        ValueError, "resample"),
    "subsamples too small": (lambda: mibench.estimate(X[:6], Y[:6], "ksg", ci=0.9), ValueError,
                             "resampled size"),
    "bootstrap with k-NN": (lambda: mibench.estimate(X, Y, "ksg", ci=0.9, resample="bootstrap"),
                            ValueError, "subsample"),
    "permutations": (lambda: mibench.consistency(X, Y, "ksg", permutations=1), ValueError,
                     "permutations"),
    "sample size": (lambda: mibench.Task("1v1-normal-0.75").sample(0, seed=0), ValueError, "n"),
    "empty spec list": (lambda: mibench.estimate(X, Y, []), ValueError, "non-empty"),
    # Bad data: ValueError naming x or y.
    "rows differ": (lambda: mibench.estimate(X, Y[:150], "ksg"), ValueError, "x and y"),
    "NaN": (lambda: mibench.estimate(np.where(X > 2, np.nan, X), Y, "ksg"), ValueError, "finite"),
    "no rows": (lambda: mibench.estimate(np.empty((0, 2)), np.empty((0, 2)), "ksg"), ValueError,
                ""),
    "3-D array": (lambda: mibench.estimate(X.reshape(100, 2, 2), Y, "ksg"), ValueError, "3"),
    "complex dtype": (lambda: mibench.estimate(X + 1j, Y, "ksg"), ValueError, "complex"),
    "ragged list": (lambda: mibench.estimate([[1.0, 2.0], [3.0]], Y, "ksg"), TypeError,
                    "must be an array"),
    "objects": (lambda: mibench.estimate(np.array([object()] * 200), Y, "ksg"), ValueError,
                "dtype"),
    "strings": (lambda: mibench.estimate(np.array(["a", "b"]), np.array(["c", "d"]), "ksg"),
                ValueError, "dtype"),
    "pmi shapes": (lambda: mibench.Task("multinormal-dense-2-2-0.5").pmi(X[:, :1], Y),
                   ValueError, "dim_x"),
    "pmi rows": (lambda: mibench.Task("multinormal-dense-2-2-0.5").pmi(X, Y[:10]), ValueError,
                 "rows of y"),
    # Configs and folders.
    "config key": (lambda d: mibench.run(dict(CONFIG, replicate=2), out=d), ValueError,
                   "replicate"),
    "config value": (lambda d: mibench.run(dict(CONFIG, sample_sizes=[1]), out=d), ValueError,
                     "sample_sizes"),
    "config type": (lambda d: mibench.run({"seed": object()}, out=d), TypeError, "seed"),
    "threads": (lambda d: mibench.run(CONFIG, out=d, threads=0), ValueError, "threads"),
    "shard": (lambda d: mibench.run(CONFIG, out=d, shard="3/2"), ValueError, "shard"),
    "out type": (lambda d: mibench.run(CONFIG, out=3), TypeError, "PathLike"),
    "label type": (lambda d: mibench.run(CONFIG, out=d, estimators={3: len}), TypeError, "label"),
    "estimators not a list": (lambda d: mibench.run(dict(CONFIG, estimators="gaussian"), out=d,
                                                    estimators={"f": len}), ValueError,
                              "\"estimators\" list"),
    "config key type": (lambda d: mibench.run({1: 2}, out=d), TypeError, "string"),
    "not callable": (lambda d: mibench.run(CONFIG, out=d, estimators={"f": 3}), TypeError,
                     "callable"),
    "missing config": (lambda d: mibench.run(d + "/none.json", out=d), FileNotFoundError,
                       "none.json"),
    "missing folder (load)": (lambda d: mibench.load(d + "/none"), FileNotFoundError, "none"),
    "missing folder (report)": (lambda d: mibench.report(d + "/none"), FileNotFoundError, "none"),
    "bad units": (lambda d: mibench.report(d, units="bytes"), ValueError, "bits"),
}


@pytest.mark.parametrize("name", CASES)
def test_bad_input_raises(name, tmp_path):
    call, error, words = CASES[name]
    folder = str(tmp_path)
    if name == "bad units" or name == "report format":
        mibench.run(CONFIG, out=folder, threads=1)
    with pytest.raises(error) as info:
        call(folder) if call.__code__.co_argcount else call()
    assert words in str(info.value)


def test_unknown_names_are_key_errors_whose_message_reads_plainly():
    with pytest.raises(mibench.UnknownNameError) as info:
        mibench.Task("no-such-task")
    assert isinstance(info.value, KeyError)
    assert str(info.value).startswith("Task: the task id must be a catalogue id")
