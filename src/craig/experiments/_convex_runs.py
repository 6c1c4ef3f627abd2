"""Training runs of the convex experiment: tuning, repeated runs, speed-ups.

A *kind* of training data is ``"full"`` (all rows, weight 1), ``"craig"`` (one
CRAIG coreset, weights gamma = cluster sizes) or ``"random"`` (a fresh uniform
subset of the same size per run, every weight n / k).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from craig._errors import DivergenceWarning
from craig.linear import IGLogisticRegression

# Schedules per optimizer: SGD needs decreasing steps to settle; the
# variance-reduced methods converge with a constant step.
SCHEDULES = {
    "sgd": {"schedule": "inverse", "tau": 0.5},
    "momentum": {"schedule": "inverse", "tau": 0.5},
}


class Data(NamedTuple):
    """The (standardised) training and test sets and the reference f*."""

    X: np.ndarray
    y: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    f_star: float


@dataclass(frozen=True)
class Plan:
    """How every training run is set up."""

    epochs: int
    l2: float
    batch_size: int
    grid: tuple[float, ...]
    runs: int
    seed: int


class Subset(NamedTuple):
    """Rows and weights of one training set (``rows`` None: all, unweighted)."""

    rows: np.ndarray | None
    weights: np.ndarray | None
    seconds: float


def subset_epochs(plan: Plan, fraction: float) -> int:
    """Epochs on a subset: the full run's gradient budget, at most 3x its epochs."""
    return min(math.ceil(plan.epochs / fraction), 3 * plan.epochs)


def random_subset(n: int, size: int, seed: int) -> Subset:
    """A uniform subset of ``size`` rows, each weighted ``n / size``."""
    rng = np.random.default_rng(seed)
    rows = np.sort(rng.choice(n, size=size, replace=False))
    return Subset(rows, np.full(size, n / size), 0.0)


def train_once(
    data: Data, optimizer, rate, epochs, subset: Subset, plan, seed, callback=None
) -> dict:
    """One training run; its history with the residual F(w_k) - f* added."""
    est = IGLogisticRegression(
        optimizer=optimizer,
        learning_rate=rate,
        epochs=epochs,
        l2=plan.l2,
        batch_size=plan.batch_size,
        random_state=seed,
        **SCHEDULES.get(optimizer, {}),
    )
    X, y = data.X, data.y
    if subset.rows is not None:
        X, y = X[subset.rows], y[subset.rows]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DivergenceWarning)
        est.fit(
            X,
            y,
            subset.weights,
            eval_train=(data.X, data.y),
            eval_test=(data.X_test, data.y_test),
            callback=callback,
        )
    history = {key: list(values) for key, values in est.history_.items()}
    history["residual"] = [loss - data.f_star for loss in history["train_loss"]]
    history["diverged_epoch"] = est.diverged_epoch_
    history["learning_rate"] = rate
    return history


def tune(data, optimizer, epochs, subset: Subset, plan) -> dict:
    """Pick the step size of the grid with the lowest final training loss."""
    losses = []
    for rate in plan.grid:
        history = train_once(data, optimizer, rate, epochs, subset, plan, plan.seed)
        diverged = history["diverged_epoch"] is not None
        losses.append(math.inf if diverged else history["train_loss"][-1])
    best = int(np.argmin(losses))
    return {
        "grid": list(plan.grid),
        "final_train_loss": losses,
        "chosen": plan.grid[best],
    }


def crossing(history: dict, target: float):
    """``(gradient evaluations, seconds)`` at the first epoch with residual <=
    target, or None when the run never gets there."""
    for evals, seconds, residual in zip(
        history["gradient_evaluations"],
        history["time"],
        history["residual"],
        strict=True,
    ):
        if residual <= target:
            return evals, seconds
    return None


def time_to_target(runs: list[dict], target: float) -> dict:
    """Median evaluations and seconds to the target over the runs that reach it."""
    hits = [hit for hit in (crossing(run, target) for run in runs) if hit is not None]
    if 2 * len(hits) < len(runs) or not hits:
        return {"reached": len(hits), "evaluations": math.nan, "seconds": math.nan}
    evals, seconds = np.median(np.asarray(hits, dtype=np.float64), axis=0)
    return {
        "reached": len(hits),
        "evaluations": float(evals),
        "seconds": float(seconds),
    }


def speed_ups(full: dict, part: dict, selection_seconds: float, sweep: int) -> dict:
    """Speed-ups of a subset kind over full data, to the same residual.

    Wall clock counts the selection once per single run, and once per sweep of
    ``sweep`` step sizes (one coreset serves every training of the sweep).
    """
    sub_seconds = part["seconds"]
    return {
        "evaluations": full["evaluations"] / part["evaluations"],
        "wall_clock": full["seconds"] / (selection_seconds + sub_seconds),
        "wall_clock_training_only": full["seconds"] / sub_seconds,
        "wall_clock_sweep": sweep
        * full["seconds"]
        / (selection_seconds + sweep * sub_seconds),
    }
