"""Full vs random vs CRAIG over fractions, seeds and a step-size grid."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from craig._files import replace_atomically
from craig.experiments._deep import RunSettings, epochs_for, run_one

#: Accuracy a subset must reach: the full data's final accuracy minus this.
TOLERANCE = 0.003


def run_grid(task, *, methods, fractions, learning_rates, seeds, settings, log=print):
    """Every (method, fraction) for every seed; step size tuned on the first seed.

    For each configuration the first seed runs every step size in
    ``learning_rates[method]``; the one with the lowest final training loss is
    kept and used for the other seeds (the test set plays no part in the choice).

    Returns
    -------
    dict
        ``runs`` (the kept runs) and ``tuning`` (final figures of every step size).
    """
    runs, tuning = [], []
    for method, fraction in _configurations(methods, fractions):
        candidates = []
        for rate in learning_rates[method]:
            run = _run(task, method, fraction, seeds[0], rate, settings)
            candidates.append(run)
            tuning.append(_tuning_entry(run))
            log(_one_line(run))
        best = min(candidates, key=lambda run: run["curve"][-1]["train_loss"])
        runs.append(best)
        for seed in seeds[1:]:
            runs.append(
                _run(task, method, fraction, seed, best["learning_rate"], settings)
            )
            log(_one_line(runs[-1]))
    return {"runs": runs, "tuning": tuning}


def _configurations(methods, fractions):
    for method in methods:
        if method == "full":
            yield method, 1.0
        else:
            yield from ((method, fraction) for fraction in fractions)


def _run(task, method, fraction, seed, rate, settings):
    epochs = epochs_for(method, fraction, settings["epochs"], settings["same_epochs"])
    evaluate_every = max(1, round(epochs / settings["evaluations"]))
    return run_one(
        task,
        RunSettings(
            method=method,
            fraction=fraction,
            seed=seed,
            learning_rate=rate,
            epochs=epochs,
            batch_size=settings["batch_size"],
            reselect_every=settings["reselect_every"],
            evaluate_every=evaluate_every,
            per_batch_weights=settings.get("per_batch_weights", False),
            progress=settings["progress"],
            extra=settings.get("selector_options", {}),
        ),
    )


def _tuning_entry(run):
    last = run["curve"][-1]
    keys = ("method", "fraction", "seed", "learning_rate")
    return {**{k: run[k] for k in keys}, **last}


def _one_line(run):
    last = run["curve"][-1]
    return (
        f"{run['method']:>6} {run['fraction']:>5.0%} seed {run['seed']} "
        f"lr {run['learning_rate']:<5g} test acc {last['test_accuracy']:.4f} "
        f"train loss {last['train_loss']:.4f} wall {last['wall_seconds']:.1f} s"
    )


def summarise(runs):
    """One row of figures per (method, fraction), means and spreads over seeds."""
    groups = {}
    for run in runs:
        groups.setdefault((run["method"], run["fraction"]), []).append(run)
    full = groups.get(("full", 1.0))
    target = None
    if full:
        target = np.mean([r["curve"][-1]["test_accuracy"] for r in full]) - TOLERANCE
    rows = [_row(key, group, target) for key, group in groups.items()]
    for kind in ("seconds", "cpu_seconds"):
        reference = rows[0][f"{kind}_to_target"] if full else None
        for row in rows:
            row[f"{kind}_speedup"] = _ratio(reference, row[f"{kind}_to_target"])
    return {"target_accuracy": target, "rows": rows}


def _row(key, group, target):
    accuracies = [r["curve"][-1]["test_accuracy"] for r in group]
    reached = [_first_reaching(r["curve"], target) for r in group] if target else []
    reached = [point for point in reached if point is not None]
    selections = [s for r in group for s in r["selections"]]
    return {
        "method": key[0],
        "fraction": key[1],
        "learning_rate": group[0]["learning_rate"],
        "epochs": group[0]["epochs"],
        "runs": len(group),
        "accuracy_mean": float(np.mean(accuracies)),
        "accuracy_std": float(np.std(accuracies)),
        "wall_seconds": _final_mean(group, "wall_seconds"),
        "cpu_seconds": _final_mean(group, "cpu_seconds"),
        "epoch_seconds": float(np.mean([np.mean(r["epoch_seconds"]) for r in group])),
        "proxy_seconds": _mean(s["proxy_seconds"] for s in selections),
        "select_seconds": _mean(s["selection_seconds"] for s in selections),
        "reached": len(reached),
        "seconds_to_target": _all_or_none(reached, "wall_seconds", len(group)),
        "cpu_seconds_to_target": _all_or_none(reached, "cpu_seconds", len(group)),
        "examples_to_target": _all_or_none(reached, "examples", len(group)),
    }


def _final_mean(group, key):
    return float(np.mean([run["curve"][-1][key] for run in group]))


def _first_reaching(curve, target):
    return next((p for p in curve if p["test_accuracy"] >= target), None)


def _all_or_none(points, key, count):
    if not points or len(points) < count:
        return None
    return float(np.mean([p[key] for p in points]))


def _mean(values):
    values = list(values)
    return float(np.mean(values)) if values else float("nan")


def _ratio(reference, value):
    if reference is None or value is None or value == 0:
        return None
    return reference / value


def format_table(summary) -> str:
    """The summary as a fixed-width text table."""
    target = summary["target_accuracy"]
    head = (
        f"{'method':>6} {'size':>5} {'lr':>5} {'ep':>4} {'runs':>4} "
        f"{'test acc':>15} {'wall s':>6} {'cpu s':>6} {'epoch s':>7} "
        f"{'proxy s':>7} {'select s':>8} {'t->tgt':>6} {'speedup':>7} "
        f"{'cpu->tgt':>8} {'speedup':>7} {'bp->tgt':>8}"
    )
    lines = [head, "-" * len(head)]
    for row in summary["rows"]:
        lines.append(_table_line(row))
    if target is not None:
        lines.append(
            f"target: full-data final accuracy - {TOLERANCE * 100:.1f} points = "
            f"{target:.4f}; t->tgt, cpu->tgt, bp->tgt: mean wall seconds, CPU "
            "seconds, back-propagated examples to first reach it (- if a run never "
            "did); speedup: full's time to target / this row's"
        )
    return "\n".join(lines)


def _table_line(row):
    def num(value, spec):
        return "-" if value is None or value != value else format(value, spec)

    accuracy = f"{row['accuracy_mean']:.4f}+-{row['accuracy_std']:.4f}"
    return (
        f"{row['method']:>6} {row['fraction']:>5.0%} {row['learning_rate']:>5g} "
        f"{row['epochs']:>4} {row['runs']:>4} {accuracy:>15} "
        f"{row['wall_seconds']:>6.1f} {row['cpu_seconds']:>6.1f} "
        f"{row['epoch_seconds']:>7.3f} {num(row['proxy_seconds'], '.3f'):>7} "
        f"{num(row['select_seconds'], '.3f'):>8} "
        f"{num(row['seconds_to_target'], '.1f'):>6} "
        f"{num(row['seconds_speedup'], '.2f'):>7} "
        f"{num(row['cpu_seconds_to_target'], '.1f'):>8} "
        f"{num(row['cpu_seconds_speedup'], '.2f'):>7} "
        f"{num(row['examples_to_target'], '.3g'):>8}"
    )


def write_json(path: Path, payload: dict) -> Path:
    """Write ``payload`` as JSON, whole or not at all (temporary file, rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with replace_atomically(path) as tmp, open(tmp, "w") as stream:
        json.dump(payload, stream, indent=1)
    return path
