"""PNG plots of the deep-network runs: accuracy and loss against cost."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from craig._files import replace_atomically

_AXES = {
    "wall_seconds": "wall clock, training + selection (s)",
    "cpu_seconds": "CPU time of the process, training + selection (s)",
    "examples": "back-propagated examples",
    "distinct_fraction": "share of distinct training examples ever used",
}
_METRICS = {"test_accuracy": "test accuracy", "train_loss": "training loss"}
_STYLES = {"full": "-", "random": ":", "craig": "--"}


def plot_runs(runs, folder: Path, name: str, *, distinct: bool = False) -> list[Path]:
    """One PNG per x axis, with test accuracy above and training loss below.

    Lines are means over seeds; the band spans the seeds' minimum and maximum.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    axes = ["wall_seconds", "cpu_seconds", "examples"]
    axes += ["distinct_fraction"] if distinct else []
    groups = _group(runs)
    fractions = sorted({fraction for method, fraction in groups if method != "full"})
    colors = {fraction: f"C{i}" for i, fraction in enumerate(fractions)}
    paths = []
    for x_key in axes:
        figure, panels = plt.subplots(2, 1, figsize=(7, 7), sharex=True)
        for panel, metric in zip(panels, _METRICS, strict=True):
            for (method, fraction), group in groups.items():
                color = colors.get(fraction, "black")
                _draw(panel, group, x_key, metric, method, fraction, color)
            panel.set_ylabel(_METRICS[metric])
            panel.grid(alpha=0.3)
        panels[0].legend(fontsize=8)
        panels[0].set_ylim(*_accuracy_limits(runs))
        panels[1].set_xlabel(_AXES[x_key])
        panels[1].set_yscale("log")
        figure.suptitle(f"{name}: full data vs random vs CRAIG")
        figure.tight_layout()
        paths.append(_save(figure, Path(folder) / f"{name}_vs_{x_key}.png"))
        plt.close(figure)
    return paths


def _accuracy_limits(runs) -> tuple[float, float]:
    """Limits that leave out the first, near-chance evaluations."""
    later = [
        point["test_accuracy"]
        for run in runs
        for point in run["curve"][max(1, len(run["curve"]) // 4) :]
    ]
    return max(0.0, min(later) - 0.01), min(1.0, max(later) + 0.005)


def _group(runs):
    groups = {}
    for run in runs:
        groups.setdefault((run["method"], run["fraction"]), []).append(run)
    return groups


def _draw(panel, group, x_key, metric, method, fraction, color):
    length = min(len(run["curve"]) for run in group)
    x = np.mean([[p[x_key] for p in r["curve"][:length]] for r in group], axis=0)
    y = np.array([[p[metric] for p in r["curve"][:length]] for r in group])
    label = "full" if method == "full" else f"{method} {fraction:.0%}"
    color = "black" if method == "full" else color
    panel.plot(x, y.mean(axis=0), _STYLES[method], color=color, label=label)
    if len(group) > 1:
        panel.fill_between(x, y.min(axis=0), y.max(axis=0), color=color, alpha=0.15)


def _save(figure, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with replace_atomically(path) as tmp:
        figure.savefig(tmp, format="png", dpi=110)
    return path
