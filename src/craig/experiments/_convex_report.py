"""Results file, printed table and plots of the convex experiment."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from craig._files import replace_atomically

PAPER = (
    "paper: ijcnn1 30% -> 5.6x; Covtype 10% -> ~3x (SGD 2.75x, SVRG 4.5x, SAGA 2.5x)"
)


def _plain(value):
    """JSON-ready copy: arrays become lists, NaN and inf become None."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_results(results: dict, path: Path) -> Path:
    """Write ``results`` as JSON atomically (temporary file, then rename).

    The coreset indices and weights are left out; sizes, bounds and timings stay.
    """
    slim = dict(results)
    slim["selections"] = {
        f: {k: v for k, v in s.items() if k not in ("indices", "weights")}
        for f, s in results["selections"].items()
    }
    path = Path(path)
    with replace_atomically(path) as tmp, open(tmp, "w") as handle:
        json.dump(_plain(slim), handle, indent=1)
    return path


def _x(value: float) -> str:
    return "   -  " if value is None or not math.isfinite(value) else f"{value:6.2f}"


def table(results: dict) -> str:
    """The summary a person reads: speed-ups, selection cost, gradient error."""
    info = results["dataset"]
    lines = [
        f"convex experiment on {info['name']}: n={info['n_train']}, "
        f"d={info['n_features']}, f*={results['f_star']:.6f}, "
        f"runs={results['plan']['runs']}, full epochs={results['plan']['epochs']}",
        "",
        "selection (CRAIG, per class, euclidean):",
        "  fraction   size   seconds   full-data epochs   bound L(S)",
    ]
    for s in results["selections"].values():
        lines.append(
            f"  {s['fraction']:8.2f} {s['size']:6d} {s['seconds']:9.2f} "
            f"{s.get('full_data_epochs', math.nan):18.1f} {s['bound']:12.4g}"
        )
    for name, per in results["optimizers"].items():
        lines += ["", *_optimizer_lines(name, per), *_ladder_lines(per)]
    lines += ["", *_error_lines(results["gradient_error"]), "", PAPER]
    return "\n".join(lines)


def _optimizer_lines(name: str, per: dict) -> list[str]:
    full = per["full"]
    to = full["to_target"]
    lines = [
        f"{name}: full data step {full['tuning']['chosen']:g}, target residual "
        f"{full['target_residual']:.3e} reached after {to['evaluations']:.0f} "
        f"evaluations, {to['seconds']:.3f} s ({full['epoch_seconds'] * 1e3:.1f} ms "
        "per epoch)",
        "  speed-up to the full-data residual (x; '-' = not reached by most runs)",
        "  fraction | step craig/random | evals craig random | wall craig random "
        "| craig train-only | craig sweep-10",
    ]
    for fraction, row in per["fractions"].items():
        c, r = row["craig"]["speed_up"], row["random"]["speed_up"]
        steps = (
            f"{row['craig']['tuning']['chosen']:g}/"
            f"{row['random']['tuning']['chosen']:g}"
        )
        lines.append(
            f"  {float(fraction):8.2f} | {steps:>17} | {_x(c['evaluations'])} "
            f"{_x(r['evaluations'])} | {_x(c['wall_clock'])} {_x(r['wall_clock'])} | "
            f"{_x(c['wall_clock_training_only']):>16} | "
            f"{_x(c['wall_clock_sweep']):>14}"
        )
    return lines


def _error_lines(rows: list[dict]) -> list[str]:
    lines = [
        "normalised gradient error ||sum_V g_i - sum_S gamma_j g_j|| / ||sum_V g_i||"
        " at points w along a full-data run",
        "  fraction  epoch     CRAIG    random   CRAIG/random      bound",
    ]
    for row in rows:
        for k, epoch in enumerate(row["epochs"]):
            craig, random = row["craig"][k], row["random"][k]
            lines.append(
                f"  {row['fraction']:8.2f} {epoch:6d} {craig:9.4f} {random:9.4f} "
                f"{craig / random:14.3f} {row['bound'][k]:10.3g}"
            )
        lines.append(
            f"  {row['fraction']:8.2f} median CRAIG/random {row['median_ratio']:.3f}"
        )
    return lines


def _ladder_lines(per: dict) -> list[str]:
    rungs = list(per["full"]["ladder"])
    lines = [
        "  speed-up in gradient evaluations to fixed residuals "
        + ", ".join(rungs)
        + " (craig | random), and the median final residual"
    ]
    for fraction, row in per["fractions"].items():
        craig = " ".join(_x(row["craig"]["ladder"][r]) for r in rungs)
        random = " ".join(_x(row["random"]["ladder"][r]) for r in rungs)
        floors = [_final_residual(row[kind]["runs"]) for kind in ("craig", "random")]
        lines.append(
            f"  {float(fraction):8.2f} | {craig} | {random} | final craig "
            f"{floors[0]:.2e} random {floors[1]:.2e}"
        )
    return lines


def _final_residual(runs: list[dict]) -> float:
    return float(np.median([run["residual"][-1] for run in runs]))


def plot(results: dict, folder: Path) -> list[Path]:
    """PNG plots: residual and test error against time, speed-ups, gradient error."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    paths = [_plot_curves(plt, results, name, folder) for name in results["optimizers"]]
    paths.append(_plot_speed_ups(plt, results, folder))
    paths.append(_plot_errors(plt, results, folder))
    return paths


def _shown_fractions(fractions: list[str]) -> list[str]:
    values = np.array([float(f) for f in fractions])
    picks = {fractions[int(np.argmin(abs(values - t)))] for t in (0.1, 0.3, 0.5)}
    return sorted(picks, key=float)


def _plot_curves(plt, results, name, folder) -> Path:
    per = results["optimizers"][name]
    fig, axes = plt.subplots(1, 3, figsize=(15, 4))
    _draw_kind(axes, per["full"]["runs"][0], 0.0, "-", "full")
    for i, fraction in enumerate(_shown_fractions(list(per["fractions"]))):
        row = per["fractions"][fraction]
        for kind, style in (("craig", "-"), ("random", "--")):
            label = f"{kind} {float(fraction):.0%}"
            _draw_kind(
                axes,
                row[kind]["runs"][0],
                row[kind]["selection_seconds"],
                style,
                label,
                color=f"C{i}",
            )
    seconds = "seconds (selection + training)"
    axes[0].set(
        xlabel="gradient evaluations",
        ylabel="F(w) - f*",
        title=f"{name}: loss residual",
    )
    axes[1].set(xlabel=seconds, ylabel="F(w) - f*", title=f"{name}: loss residual")
    axes[2].set(xlabel=seconds, ylabel="test error", title=f"{name}: test error")
    for ax in axes[1:]:
        ax.set_xscale("symlog", linthresh=0.1)
    axes[0].legend(fontsize=7)
    return _save(fig, folder / f"convex_{name}_curves.png")


def _draw_kind(axes, run, offset, style, label, color="k") -> None:
    residual = np.maximum(run["residual"], 1e-12)
    seconds = np.asarray(run["time"]) + offset
    axes[0].semilogy(
        run["gradient_evaluations"], residual, style, color=color, label=label
    )
    axes[1].semilogy(seconds, residual, style, color=color, label=label)
    axes[2].plot(seconds[1:], run["test_error"][1:], style, color=color, label=label)


def _plot_speed_ups(plt, results, folder) -> Path:
    fig, ax = plt.subplots(figsize=(6, 4))
    for i, (name, per) in enumerate(results["optimizers"].items()):
        fractions = [float(f) for f in per["fractions"]]
        for kind, style in (("craig", "o-"), ("random", "x--")):
            values = [
                _nan(row[kind]["speed_up"]["evaluations"])
                for row in per["fractions"].values()
            ]
            ax.plot(fractions, values, style, color=f"C{i}", label=f"{name} {kind}")
    ax.axhline(1.0, color="grey", lw=0.5)
    ax.set(
        xlabel="subset size (fraction of n)",
        ylabel="speed-up in gradient evals",
        title="to the full-data loss residual",
    )
    ax.legend(fontsize=7)
    return _save(fig, folder / "convex_speed_ups.png")


def _plot_errors(plt, results, folder) -> Path:
    rows = results["gradient_error"]
    fractions = [row["fraction"] for row in rows]
    fig, ax = plt.subplots(figsize=(6, 4))
    for key, style in (("craig", "o-"), ("random", "x--"), ("bound", ":")):
        values = [np.median(row[key]) for row in rows]
        ax.semilogy(fractions, values, style, label=f"{key} (median over points)")
    ax.set(xlabel="subset size (fraction of n)", ylabel="normalised gradient error")
    ax.legend()
    return _save(fig, folder / "convex_gradient_error.png")


def _nan(value):
    return math.nan if value is None else value


def _save(fig, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    fig.clf()
    return path
