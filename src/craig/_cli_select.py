"""``craig select``: read a data file, select a coreset, write it."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from craig._validation import METHODS, METRICS


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "select",
        help="select a weighted coreset of a data file",
        description=(
            "Select a weighted CRAIG coreset of INPUT (CSV, Parquet, .npy/.npz or "
            "LIBSVM/svmlight, also .bz2/.gz) and write index, weight, label, rank "
            "and gain of each pick to OUTPUT (.parquet, .csv or .npz)."
        ),
    )
    parser.add_argument("input", metavar="INPUT", help="the data file")
    budget = parser.add_mutually_exclusive_group(required=True)
    budget.add_argument("--fraction", type=float, help="coreset size as a fraction")
    budget.add_argument("--size", type=int, help="coreset size in points")
    budget.add_argument(
        "--epsilon", type=float, help="smallest coreset with bound L(S) <= EPSILON"
    )
    parser.add_argument(
        "--label", help="label column (CSV/Parquet), column index (.npy), key (.npz)"
    )
    parser.add_argument(
        "--no-per-class",
        dest="per_class",
        action="store_false",
        help="select over all points together instead of within each class",
    )
    parser.add_argument("--metric", default="euclidean", choices=METRICS[:-1])
    parser.add_argument("--method", default="lazy", choices=METHODS)
    parser.add_argument("--max-memory", help="most memory a class may use, e.g. 4GB")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("-o", "--output", required=True, help="the coreset file")
    parser.add_argument("--force", action="store_true", help="replace OUTPUT")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import craig
    from craig.datasets import read_file

    output = _check_output(Path(args.output), args.force)
    started = time.perf_counter()
    X, y = read_file(args.input, label=_label_argument(args.label))
    read_seconds = time.perf_counter() - started

    coreset = craig.select(
        X,
        y,
        fraction=args.fraction,
        size=args.size,
        epsilon=args.epsilon,
        per_class=args.per_class,
        metric=args.metric,
        method=args.method,
        max_memory=args.max_memory,
        random_state=args.seed,
        progress=True,
    )
    coreset.save(output, overwrite=args.force)
    print(summary(coreset, args.input, output, read_seconds))
    return 0


def _check_output(output: Path, force: bool) -> Path:
    from craig._coreset import _check_suffix

    _check_suffix(output)
    if not output.parent.is_dir():
        raise FileNotFoundError(f"the output folder {output.parent} does not exist")
    if output.exists() and not force:
        raise FileExistsError(f"{output} exists; pass --force to replace it")
    return output


def _label_argument(label):
    if label is not None and label.lstrip("-").isdigit():
        return int(label)
    return label


def summary(coreset, source, output, read_seconds: float) -> str:
    """The lines ``craig select`` prints."""
    classes = "none" if coreset.labels is None else len(coreset.class_bounds)
    seconds = coreset.timings
    steps = f"distances {seconds['distances']:.2f} s, greedy {seconds['greedy']:.2f} s"
    return "\n".join(
        [
            f"input      {source}: n={coreset.n_samples:,}, classes={classes}",
            f"coreset    k={len(coreset):,} ({len(coreset) / coreset.n_samples:.1%}), "
            f"weights sum to {coreset.weights.sum():,.0f}",
            f"bound      L(S) = {coreset.bound:,.6g} (sum of distances to nearest "
            "pick)",
            f"time       read {read_seconds:.2f} s, select {seconds['total']:.2f} s "
            f"({steps})",
            f"written    {output}",
        ]
    )
