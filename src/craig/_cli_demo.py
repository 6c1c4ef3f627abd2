"""``craig demo``: full data vs random vs CRAIG on scikit-learn's digits."""

from __future__ import annotations

import argparse
import time


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="train on all data, a random subset and a CRAIG coreset (built-in data)",
        description=(
            "Select a CRAIG coreset of scikit-learn's handwritten digits (1,797 "
            "images, 10 classes), train the same logistic regression on all the "
            "training data, on a random subset and on the coreset of the same "
            "size, and print selection time, training time, training loss on the "
            "full training set and test accuracy."
        ),
    )
    parser.add_argument(
        "--fractions", default="0.1,0.3", help="subset sizes (default 0.1,0.3)"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    fractions = [float(f) for f in args.fractions.split(",")]
    data = _digits(args.seed)
    rows = [_train("full data", data, None, 0.0)]
    for fraction in fractions:
        rows.extend(_compare_subsets(data, fraction, args.seed))
    print(_table(rows, len(data[0])))
    return 0


def _digits(seed: int):
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    return train_test_split(X, y, test_size=0.3, stratify=y, random_state=seed)


def _compare_subsets(data, fraction: float, seed: int):
    import numpy as np

    import craig

    X_train, _, y_train, _ = data
    started = time.perf_counter()
    coreset = craig.select(X_train, y_train, fraction=fraction, random_state=seed)
    seconds = time.perf_counter() - started

    rng = np.random.default_rng(seed)
    random_rows = rng.choice(len(X_train), size=len(coreset), replace=False)
    uniform = np.full(len(coreset), len(X_train) / len(coreset))
    return [
        _train(f"random {fraction:.0%}", data, (random_rows, uniform), 0.0),
        _train(
            f"CRAIG {fraction:.0%}", data, (coreset.indices, coreset.weights), seconds
        ),
    ]


def _train(name: str, data, subset, selection_seconds: float) -> dict:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import log_loss

    X_train, X_test, y_train, y_test = data
    rows, weights = (slice(None), None) if subset is None else subset
    model = LogisticRegression(C=10.0, max_iter=2000)
    started = time.perf_counter()
    model.fit(X_train[rows], y_train[rows], sample_weight=weights)
    return {
        "name": name,
        "k": len(X_train) if subset is None else len(subset[0]),
        "select": selection_seconds,
        "train": time.perf_counter() - started,
        "loss": log_loss(y_train, model.predict_proba(X_train)),
        "accuracy": model.score(X_test, y_test),
    }


def _table(rows, n_train: int) -> str:
    lines = [
        f"scikit-learn digits: {n_train} training images, 10 classes; "
        "multinomial logistic regression (L-BFGS, C=10)",
        f"{'subset':<12} {'points':>6} {'select s':>9} {'train s':>8} "
        f"{'train loss':>10} {'test acc':>9}",
    ]
    for row in rows:
        lines.append(
            f"{row['name']:<12} {row['k']:>6} {row['select']:>9.3f} "
            f"{row['train']:>8.3f} {row['loss']:>10.4f} {row['accuracy']:>9.2%}"
        )
    lines.append("train loss: mean log-loss over the full training set")
    return "\n".join(lines)
