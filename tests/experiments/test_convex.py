"""``craig experiment convex`` end to end at a tiny scale, and its pieces."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from craig.cli import main
from craig.experiments import _convex_runs


def test_command_end_to_end(shared_datasets, tmp_path, capsys):
    status = main([
        "experiment", "convex", "--dataset", "ijcnn1", "--subsample", "1200",
        "--fractions", "0.2,0.5", "--runs", "2", "--epochs", "3",
        "--optimizers", "sgd,saga,svrg", "--grid", "0.01,0.1", "--out", str(tmp_path),
    ])  # fmt: skip
    assert status == 0
    printed = capsys.readouterr().out
    assert "speed-up to the full-data residual" in printed
    assert "normalised gradient error" in printed
    results = json.loads((tmp_path / "convex_results.json").read_text())
    assert set(results["optimizers"]) == {"sgd", "saga", "svrg"}
    row = results["optimizers"]["saga"]["fractions"]["0.2"]
    assert len(row["craig"]["runs"]) == 2 and len(row["random"]["runs"]) == 2
    assert row["craig"]["tuning"]["grid"] == [0.01, 0.1]
    assert row["craig"]["selection_seconds"] > 0
    selection = results["selections"]["0.2"]
    assert selection["size"] == 240 and selection["full_data_epochs"] > 0
    assert "indices" not in selection
    assert len(results["gradient_error"]) == 2
    for name in ("sgd_curves", "saga_curves", "svrg_curves", "speed_ups"):
        assert (tmp_path / f"convex_{name}.png").stat().st_size > 0
    assert not list(tmp_path.glob("*.tmp"))


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--dataset", "mnist"], "--dataset must be one of ijcnn1, a9a"),
        (["--optimizers", "sgd,lbfgs"], "--optimizers must be among sgd, momentum"),
        (["--fractions", "0.1,1.5"], "--fractions must be in (0, 1), got [0.1, 1.5]"),
        (["--grid", "0,0.1"], "--grid must hold step sizes > 0"),
    ],
)
def test_command_rejects_bad_options(argv, message, capsys):
    assert main(["experiment", "convex", *argv]) == 1
    assert message in capsys.readouterr().err


def _history(residuals, step=10):
    n = len(residuals)
    return {
        "residual": residuals,
        "gradient_evaluations": [step * k for k in range(n)],
        "time": [0.5 * k for k in range(n)],
    }


def test_time_to_target_and_speed_ups():
    full = [_history([1.0, 0.5, 0.1]), _history([1.0, 0.2, 0.1])]
    part = [_history([1.0, 0.1, 0.05], step=2), _history([1.0, 0.3, 0.2], step=2)]
    to_full = _convex_runs.time_to_target(full, 0.1)
    assert to_full == {"reached": 2, "evaluations": 20.0, "seconds": 1.0}
    to_part = _convex_runs.time_to_target(part, 0.1)
    assert to_part == {"reached": 1, "evaluations": 2.0, "seconds": 0.5}
    gains = _convex_runs.speed_ups(to_full, to_part, selection_seconds=0.5, sweep=10)
    assert gains["evaluations"] == 10.0
    assert gains["wall_clock"] == 1.0
    assert gains["wall_clock_training_only"] == 2.0
    assert gains["wall_clock_sweep"] == pytest.approx(10 * 1.0 / (0.5 + 10 * 0.5))
    missed = _convex_runs.time_to_target([_history([1.0, 0.5])] * 3, 0.1)
    assert missed["reached"] == 0 and math.isnan(missed["evaluations"])


def test_random_subset_is_seeded_and_weighted():
    a = _convex_runs.random_subset(100, 10, seed=3)
    b = _convex_runs.random_subset(100, 10, seed=3)
    np.testing.assert_array_equal(a.rows, b.rows)
    assert len(set(a.rows)) == 10 and a.weights.sum() == pytest.approx(100)
