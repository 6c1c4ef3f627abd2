"""Choosing the defaults: partition cell size P and knn neighbours t.

One ijcnn1 class (the first 20,000 points of label -1), a 10% coreset, lazy
greedy. For each setting: L(S) (exact, over all 20,000 points), its excess
over dense, and the selection time. Writes bench_settings.md beside itself.

Usage: CRAIG_DATA=... PYTHONPATH=src python benchmarks/bench_settings.py
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

import craig
from craig.datasets import load

HERE = Path(__file__).resolve().parent


def timed(X, **kwargs):
    started = time.perf_counter()
    coreset = craig.select(X, fraction=0.1, random_state=0, **kwargs)
    return coreset.bound, time.perf_counter() - started


def main() -> None:
    data = load("ijcnn1")
    X = data.X_train[data.y_train == -1][:20_000].astype(np.float32)
    craig.select(X[:500], fraction=0.1, backend="partition", cell_size=100)
    craig.select(X[:500], fraction=0.1, backend="knn", n_neighbors=8)
    dense, dense_s = timed(X, backend="dense")
    rows = [("dense", "", dense, dense_s)]
    for cell_size in (500, 1000, 2000, 3000, 4000, 8000):
        rows.append(
            (
                "partition",
                f"P={cell_size}",
                *timed(X, backend="partition", cell_size=cell_size),
            )
        )
    for t in (16, 32, 64, 128):
        rows.append(("knn", f"t={t}", *timed(X, backend="knn", n_neighbors=t)))
    picks = np.random.default_rng(0).choice(len(X), 2000, replace=False)
    from craig.backends import _assign

    random_bound = _assign.weights_from_points(X, picks, "euclidean")[2]
    rows.append(("random", "", random_bound, 0.0))
    lines = [
        "# Defaults: cell size P and neighbours t (ijcnn1, label -1, 20,000 "
        "points, 10%)",
        "",
        "| backend | setting | L(S) | vs dense | gap closed | time (s) |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for name, setting, bound, seconds in rows:
        closed = (random_bound - bound) / (random_bound - dense)
        lines.append(
            f"| {name} | {setting} | {bound:,.1f} | {bound / dense - 1:+.2%} | "
            f"{closed:.3f} | {seconds:.2f} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    (HERE / "bench_settings.md").write_text(text)


if __name__ == "__main__":
    main()
