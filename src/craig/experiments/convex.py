"""The paper's convex experiment: logistic regression on full data, CRAIG, random.

``craig experiment convex --dataset ijcnn1 --optimizers sgd,saga,svrg
--fractions 0.1,0.2,...,0.9 --runs 5`` trains L2-regularised logistic regression
with each optimizer on the full training set, on a CRAIG coreset (per class,
euclidean, weights gamma) and on a uniform random subset of the same size
(weights n/k), and reports, per optimizer and size:

- the speed-up to reach the loss residual F(w) - f* that full data reaches at
  the end of its epochs, in gradient evaluations and in wall clock with the
  selection time counted, for one training and for a sweep of 10 step sizes;
- the selection time in seconds and in full-data epochs;
- the normalised gradient error of CRAIG and random subsets and the bound.

Step sizes are tuned per optimizer, per kind and per size on a grid by final
training loss (recorded). f* comes from L-BFGS on the full data.
"""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

DATASETS = ("ijcnn1", "a9a", "kdd04-protein", "skin_nonskin", "covtype")
DEFAULT_GRID = (1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1)
# Fixed residuals F(w) - f* at which speed-ups are also reported.
LADDER = (1e-2, 1e-3, 1e-4)
SWEEP = 10


def register(subparsers) -> None:
    """Add ``convex`` to ``craig experiment``."""
    p = subparsers.add_parser(
        "convex",
        help="logistic regression: full vs CRAIG vs random (paper, Sec. 5.1)",
        description="\n\n".join(__doc__.split("\n\n")[1:]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--dataset",
        default="ijcnn1",
        help="ijcnn1 (the paper's, default), a9a, kdd04-protein, skin_nonskin or "
        "covtype (when its file is in the data folder); large classes are selected "
        "by the partition backend",
    )
    p.add_argument("--optimizers", default="sgd,saga,svrg", type=_names)
    p.add_argument(
        "--fractions",
        default="0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9",
        type=_floats,
        help="coreset sizes as fractions of n",
    )
    p.add_argument("--runs", type=int, default=5, help="runs per kind (seeds)")
    p.add_argument(
        "--epochs",
        type=int,
        default=20,
        help="full-data epochs; subsets run min(E / fraction, 3 E)",
    )
    p.add_argument("--l2", type=float, default=1e-5, help="L2 penalty lambda")
    p.add_argument("--batch-size", type=int, default=1)
    p.add_argument(
        "--grid",
        type=_floats,
        default=DEFAULT_GRID,
        help="step sizes tried (comma-separated)",
    )
    p.add_argument(
        "--subsample",
        type=int,
        default=None,
        help="use this many random training rows (quick runs)",
    )
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, default=Path("results/convex"))
    p.add_argument("--no-plots", action="store_true")
    p.set_defaults(handler=_handle)


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(",") if name.strip())


def _floats(text: str) -> tuple[float, ...]:
    return tuple(float(value) for value in text.split(",") if value.strip())


def _handle(args) -> int:
    from craig.experiments import _convex_report

    results = run_convex(
        args.dataset,
        optimizers=args.optimizers,
        fractions=args.fractions,
        runs=args.runs,
        epochs=args.epochs,
        l2=args.l2,
        batch_size=args.batch_size,
        grid=args.grid,
        subsample=args.subsample,
        seed=args.seed,
        progress=True,
    )
    args.out.mkdir(parents=True, exist_ok=True)
    path = _convex_report.write_results(results, args.out / "convex_results.json")
    if not args.no_plots:
        _convex_report.plot(results, args.out)
    print(_convex_report.table(results))
    print(f"\nresults: {path}")
    return 0


def run_convex(
    dataset="ijcnn1",
    *,
    optimizers=("sgd", "saga", "svrg"),
    fractions=(0.1, 0.3, 0.5),
    runs=5,
    epochs=20,
    l2=1e-5,
    batch_size=1,
    grid=DEFAULT_GRID,
    subsample=None,
    seed=0,
    progress=False,
) -> dict:
    """Run the convex experiment and return its results as plain data.

    Parameters mirror the command's options; see the module docstring.
    """
    from craig.experiments import _convex_runs as runs_
    from craig.experiments._convex_gradients import gradient_errors
    from craig.linear import OPTIMIZERS

    _check(dataset, optimizers, fractions, runs, epochs, grid, OPTIMIZERS)
    data, info = _load(dataset, l2, subsample, seed)
    plan = runs_.Plan(epochs, l2, batch_size, tuple(grid), runs, seed)
    selections = _select_all(data, fractions, progress)
    bar = _progress(progress, len(optimizers) * (1 + 2 * len(fractions)))
    per_optimizer = {}
    for optimizer in optimizers:
        per_optimizer[optimizer] = _one_optimizer(
            data, optimizer, plan, selections, bar
        )
    bar.close()
    epoch_seconds = per_optimizer[optimizers[0]]["full"]["epoch_seconds"]
    # Selection cost in epochs of the first optimizer on the full data.
    for selection in selections.values():
        selection["full_data_epochs"] = selection["seconds"] / epoch_seconds
    first = optimizers[0]
    rate = per_optimizer[first]["full"]["tuning"]["chosen"]
    errors = gradient_errors(data, plan, selections, first, rate)
    return {
        "dataset": info,
        "f_star": data.f_star,
        "plan": plan.__dict__,
        "sweep": SWEEP,
        "schedules": {o: runs_.SCHEDULES.get(o, {}) for o in optimizers},
        "selections": {str(f): s for f, s in selections.items()},
        "optimizers": per_optimizer,
        "gradient_error": errors,
    }


def _check(dataset, optimizers, fractions, runs, epochs, grid, allowed) -> None:
    if dataset not in DATASETS:
        raise ValueError(
            f"--dataset must be one of {', '.join(DATASETS)}, got {dataset!r}"
        )
    for name in optimizers:
        if name not in allowed:
            raise ValueError(
                f"--optimizers must be among {', '.join(allowed)}, got {name!r}"
            )
    if not fractions or any(not 0 < f < 1 for f in fractions):
        raise ValueError(f"--fractions must be in (0, 1), got {list(fractions)}")
    if runs < 1 or epochs < 1:
        raise ValueError(f"--runs and --epochs must be >= 1, got {runs}, {epochs}")
    if not grid or any(not rate > 0 for rate in grid):
        raise ValueError(f"--grid must hold step sizes > 0, got {list(grid)}")


def _load(name, l2, subsample, seed):
    """Standardised data with a test set (20% held out when none) and f*."""
    from craig.datasets import load
    from craig.linear import reference_optimum

    dataset = load(name)
    X, y = np.asarray(dataset.X_train, dtype=np.float64), np.asarray(dataset.y_train)
    rng = np.random.default_rng(seed)
    if dataset.X_test is None:
        test = rng.permutation(len(y)) < len(y) // 5
        X_test, y_test, X, y = X[test], y[test], X[~test], y[~test]
    else:
        X_test = np.asarray(dataset.X_test, dtype=np.float64)
        y_test = np.asarray(dataset.y_test)
    if subsample is not None and subsample < len(y):
        keep = np.sort(rng.choice(len(y), subsample, replace=False))
        X, y = X[keep], y[keep]
        test_keep = np.sort(rng.choice(len(y_test), min(subsample, len(y_test)), False))
        X_test, y_test = X_test[test_keep], y_test[test_keep]
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    X, X_test = (X - mean) / scale, (X_test - mean) / scale
    start = time.perf_counter()
    optimum = reference_optimum(X, y, l2=l2)
    info = {
        "name": name,
        "n_train": len(y),
        "n_test": len(y_test),
        "n_features": X.shape[1],
        "standardised": True,
        "reference_seconds": time.perf_counter() - start,
        "reference_gradient_norm": optimum.gradient_norm,
    }
    from craig.experiments._convex_runs import Data

    return Data(np.ascontiguousarray(X), y, X_test, y_test, optimum.loss), info


def _select_all(data, fractions, progress) -> dict:
    """One CRAIG coreset per fraction (per class, euclidean), timed."""
    import craig

    selections = {}
    for fraction in fractions:
        start = time.perf_counter()
        coreset = craig.select(data.X, data.y, fraction=fraction, progress=progress)
        seconds = time.perf_counter() - start
        logger.info("CRAIG %.2f: %d points in %.2f s", fraction, len(coreset), seconds)
        selections[fraction] = {
            "fraction": fraction,
            "size": len(coreset),
            "seconds": seconds,
            "bound": float(coreset.bound),
            "timings": dict(coreset.timings),
            "indices": coreset.indices,
            "weights": coreset.weights,
        }
    return selections


def _progress(enabled: bool, total: int):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="training", unit="setting", disable=not enabled)


def _one_optimizer(data, optimizer, plan, selections, bar) -> dict:
    """Full data, then CRAIG and random at every size: tuned, then repeated."""
    from craig.experiments import _convex_runs as runs_

    full = _one_kind(data, optimizer, plan, plan.epochs, lambda seed: _all_rows())
    residuals = [run["residual"][-1] for run in full["runs"]]
    target = float(np.median(residuals))
    full["target_residual"] = target
    full["to_target"] = runs_.time_to_target(full["runs"], target)
    full["ladder"] = {str(r): runs_.time_to_target(full["runs"], r) for r in LADDER}
    full["epoch_seconds"] = float(
        np.median([r["time"][-1] for r in full["runs"]]) / plan.epochs
    )
    bar.update()
    by_fraction = {}
    for fraction, selection in selections.items():
        by_fraction[str(fraction)] = _one_fraction(
            data, optimizer, plan, full, selection, bar
        )
    return {"full": full, "fractions": by_fraction}


def _one_fraction(data, optimizer, plan, full, selection, bar) -> dict:
    from craig.experiments import _convex_runs as runs_

    epochs = runs_.subset_epochs(plan, selection["fraction"])
    n, k = len(data.y), selection["size"]
    coreset = runs_.Subset(
        selection["indices"], selection["weights"], selection["seconds"]
    )
    kinds = {
        "craig": lambda seed: coreset,
        "random": lambda seed: runs_.random_subset(n, k, seed + 1000),
    }
    result = {"epochs": epochs}
    for kind, make in kinds.items():
        outcome = _one_kind(data, optimizer, plan, epochs, make)
        outcome["to_target"] = runs_.time_to_target(
            outcome["runs"], full["target_residual"]
        )
        seconds = make(plan.seed).seconds
        outcome["selection_seconds"] = seconds
        outcome["ladder"] = _ladder(full, outcome["runs"])
        outcome["speed_up"] = runs_.speed_ups(
            full["to_target"], outcome["to_target"], seconds, SWEEP
        )
        result[kind] = outcome
        bar.update()
    return result


def _ladder(full, runs) -> dict:
    """Speed-ups in gradient evaluations to each residual of :data:`LADDER`."""
    from craig.experiments import _convex_runs as runs_

    ladder = {}
    for r in LADDER:
        part = runs_.time_to_target(runs, r)
        ladder[str(r)] = full["ladder"][str(r)]["evaluations"] / part["evaluations"]
    return ladder


def _one_kind(data, optimizer, plan, epochs, make_subset) -> dict:
    """Tune the step size on the grid, then train ``plan.runs`` times."""
    from craig.experiments import _convex_runs as runs_

    tuning = runs_.tune(data, optimizer, epochs, make_subset(plan.seed), plan)
    runs = [
        runs_.train_once(
            data,
            optimizer,
            tuning["chosen"],
            epochs,
            make_subset(plan.seed + r),
            plan,
            plan.seed + r,
        )
        for r in range(plan.runs)
    ]
    return {"tuning": tuning, "runs": runs}


def _all_rows():
    from craig.experiments._convex_runs import Subset

    return Subset(None, None, 0.0)
