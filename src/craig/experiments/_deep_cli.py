"""Command-line options and the driver shared by ``craig experiment mnist|cifar10``."""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

logger = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser, defaults: dict) -> None:
    """The options every deep-network experiment takes."""
    _add_subset_options(parser.add_argument, defaults)
    _add_training_options(parser.add_argument, defaults)
    _add_output_options(parser.add_argument, defaults)


def _add_subset_options(add, defaults: dict) -> None:
    add(
        "--fractions",
        "--fraction",
        type=_floats,
        nargs="+",
        default=[defaults["fractions"]],
        help="subset sizes as fractions of the data: 0.1 0.2 or 0.1,0.2",
    )
    add(
        "--methods",
        nargs="+",
        choices=("full", "random", "craig"),
        default=defaults["methods"],
        help="what to train on",
    )
    add(
        "--reselect-every",
        type=int,
        default=defaults["reselect_every"],
        metavar="R",
        help="reselect the subset every R epochs (R >= 1)",
    )
    add(
        "--proxy",
        choices=("logit_gradient", "weight_gradient"),
        default="logit_gradient",
        help="gradient proxy of the CRAIG selection",
    )
    add(
        "--part-size",
        type=int,
        default=defaults.get("part_size"),
        help="CRAIG fast path: select within random parts of about this many "
        "examples of a class (0: whole classes)",
    )


def _add_training_options(add, defaults: dict) -> None:
    add(
        "--epochs",
        type=int,
        default=defaults["epochs"],
        help="epochs over the full data (see --budget)",
    )
    add(
        "--budget",
        choices=("examples", "epochs"),
        default=defaults["budget"],
        help="'examples': a subset of fraction f trains round(epochs / f) epochs, "
        "so every run back-propagates as many examples; 'epochs': all train "
        "--epochs epochs",
    )
    add("--batch-size", type=int, default=defaults["batch_size"])
    add(
        "--weighting",
        choices=("expectation", "batch"),
        default="expectation",
        help="'expectation': loss weights gamma k / n (mean 1, the batch loss's "
        "expectation is the full-data loss); 'batch': weights normalised within "
        "each batch (bounded steps when a few examples carry most weight)",
    )
    add(
        "--learning-rates",
        "--learning-rate",
        type=_floats,
        nargs="+",
        default=[defaults["learning_rates"]],
        help="step sizes; with several, each method keeps the one with the lowest "
        "final training loss on the first seed",
    )
    add("--seed", type=int, default=0, help="first seed; runs use seed, seed+1, ...")
    add("--runs", type=int, default=defaults["runs"], help="seeds per configuration")
    add(
        "--n-train",
        type=int,
        default=defaults.get("n_train"),
        help="train on a random sample of this many training examples",
    )
    add(
        "--n-test",
        type=int,
        default=defaults.get("n_test"),
        help="evaluate on a random sample of this many test examples",
    )
    add(
        "--threads",
        type=int,
        default=1,
        help="torch CPU threads (1: small batches gain nothing from more, and "
        "stall when other processes share the cores)",
    )


def _add_output_options(add, defaults: dict) -> None:
    add("--evaluations", type=int, default=20, help="evaluation points per run")
    add(
        "--out",
        type=Path,
        default=Path(defaults["out"]),
        help="folder for results.json, table.txt and the PNG plots",
    )
    add("--no-progress", action="store_true", help="no progress bars")


def _floats(text: str) -> list[float]:
    """``"0.1,0.2"`` -> ``[0.1, 0.2]``; lists are flattened by check_arguments."""
    try:
        return [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected numbers separated by spaces or commas, got {text!r}"
        ) from None


def check_arguments(args) -> None:
    """Reject option values that make no sense, naming the option."""
    args.fractions = [value for group in args.fractions for value in group]
    args.learning_rates = [value for group in args.learning_rates for value in group]
    if args.reselect_every < 1:
        raise ValueError(f"--reselect-every must be >= 1, got {args.reselect_every}")
    for name in ("epochs", "batch_size", "runs", "evaluations", "threads"):
        value = getattr(args, name)
        if value < 1:
            raise ValueError(f"--{name.replace('_', '-')} must be >= 1, got {value}")
    for name in ("n_train", "n_test"):
        value = getattr(args, name, None)
        if value is not None and value < 1:
            raise ValueError(f"--{name.replace('_', '-')} must be >= 1, got {value}")
    for rate in args.learning_rates:
        if not rate > 0:
            raise ValueError(f"--learning-rates must be > 0, got {rate}")
    for fraction in args.fractions:
        if not 0 < fraction <= 1:
            raise ValueError(f"--fractions must be in (0, 1], got {fraction}")


def run_experiment(args, build_task, name: str, *, distinct: bool = False) -> dict:
    """Build the task, run the grid, write results, plots and table; print it."""
    import torch

    from craig.experiments._deep_grid import (
        format_table,
        run_grid,
        summarise,
        write_json,
    )
    from craig.experiments._deep_plots import plot_runs

    check_arguments(args)
    torch.set_num_threads(args.threads)
    task = build_task(args)
    start = time.perf_counter()
    results = run_grid(
        task,
        methods=args.methods,
        fractions=args.fractions,
        learning_rates={method: args.learning_rates for method in args.methods},
        seeds=[args.seed + i for i in range(args.runs)],
        settings=_settings(args),
        log=logger.info,
    )
    results["summary"] = summarise(results["runs"])
    results["config"] = _config(args, time.perf_counter() - start)
    table = format_table(results["summary"])
    out = Path(args.out)
    write_json(out / "results.json", results)
    (out / "table.txt").write_text(table + "\n")
    plots = plot_runs(results["runs"], out, name, distinct=distinct)
    print(table)
    print(f"results: {out / 'results.json'}; plots: {', '.join(p.name for p in plots)}")
    return results


def _settings(args) -> dict:
    return {
        "epochs": args.epochs,
        "same_epochs": args.budget == "epochs",
        "batch_size": args.batch_size,
        "per_batch_weights": args.weighting == "batch",
        "reselect_every": args.reselect_every,
        "evaluations": args.evaluations,
        "progress": not args.no_progress,
        "selector_options": {"proxy": args.proxy, "part_size": args.part_size or None},
    }


def _config(args, seconds: float) -> dict:
    config = {
        key: (str(value) if isinstance(value, Path) else value)
        for key, value in vars(args).items()
        if key != "handler"
    }
    config["total_seconds"] = seconds
    return config


def sample_rows(n_rows: int, size: int | None, seed: int):
    """Sorted row numbers of a random sample of ``size`` rows (all when None)."""
    import numpy as np

    if size is None or size >= n_rows:
        return np.arange(n_rows)
    return np.sort(np.random.default_rng(seed).choice(n_rows, size, replace=False))
