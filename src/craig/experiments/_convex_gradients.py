"""Gradient error of CRAIG and random subsets along a full-data training run."""

from __future__ import annotations

import numpy as np

from craig.experiments import _convex_runs as runs_
from craig.linear import gradient_error, gradient_error_bound
from craig.linear._optimum import resolve_model


def gradient_errors(data, plan, selections, optimizer, rate) -> list[dict]:
    """Per size: the normalised gradient error of the CRAIG coreset, the mean
    over ``plan.runs`` random subsets (weights n/k) and the bound, at each point
    of :func:`points_along_run`."""
    model, _, codes = resolve_model(
        data.y, l2=plan.l2, fit_intercept=True, multi_class="auto"
    )
    start = model.init_params(data.X.shape[1])
    points = points_along_run(data, plan, optimizer, rate, start)
    rows = []
    for fraction, selection in selections.items():
        randoms = [
            runs_.random_subset(len(data.y), selection["size"], plan.seed + 2000 + r)
            for r in range(plan.runs)
        ]
        craig_, random_, bound = [], [], []
        for _, P in points:
            norm = len(data.y) * np.linalg.norm(model.gradient(P, data.X, codes))
            craig_.append(
                _error(data, plan, selection["indices"], selection["weights"], P)
            )
            random_.append(np.mean([_error(data, plan, *s[:2], P) for s in randoms]))
            bound.append(gradient_error_bound(selection["bound"], data.X, P, norm))
        ratios = np.asarray(craig_) / np.asarray(random_)
        rows.append({
            "fraction": fraction, "epochs": [epoch for epoch, _ in points],
            "craig": craig_, "random": random_, "bound": bound,
            "median_ratio": float(np.median(ratios)),
        })  # fmt: skip
    return rows


def _error(data, plan, rows, weights, P) -> float:
    return gradient_error(data.X, data.y, rows, weights, P, l2=plan.l2)


def points_along_run(data, plan, optimizer, rate, start) -> list:
    """``(epoch, parameters)`` at epochs 0 (``start``), 1, E/2 and E of a
    full-data run of ``optimizer`` with step size ``rate``."""
    wanted = {1, max(1, plan.epochs // 2), plan.epochs}
    points = [(0, start)]

    def keep(epoch, params):
        if epoch in wanted:
            points.append((epoch, params.copy()))

    everything = runs_.Subset(None, None, 0.0)
    runs_.train_once(
        data, optimizer, rate, plan.epochs, everything, plan, plan.seed, callback=keep
    )
    return points
