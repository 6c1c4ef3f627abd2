"""Quality of every backend against dense, on ijcnn1 and 40,000 MNIST images.

10% per class, lazy greedy, seed 0. For each backend: L(S) (exact, over every
point), the gap to random that it closes, (L_random - L) / (L_random - L_dense),
the gradient-error proxy sum over classes of
||sum_{i in V_c} x_i - sum_{j in S_c} gamma_j x_j||, and the selection time.
Random is a uniform subset of the same size per class, weighted by the same
nearest-pick assignment. Writes bench_quality.md beside itself.

Usage: CRAIG_DATA=... PYTHONPATH=src python benchmarks/bench_quality.py
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np

import craig
from craig.backends import _assign
from craig.datasets import load

HERE = Path(__file__).resolve().parent
BACKENDS = {
    "dense": {"backend": "dense"},
    "partition": {"backend": "partition"},
    "partition P=2000": {"backend": "partition", "cell_size": 2000},
    "knn": {"backend": "knn"},
    "auto": {"backend": "auto"},
}


def gradient_error(X, y, indices, weights) -> float:
    total = 0.0
    for label in np.unique(y):
        mine = y[indices] == label
        full = X[y == label].sum(axis=0, dtype=np.float64)
        picked = (weights[mine, None] * X[indices[mine]].astype(np.float64)).sum(0)
        total += float(np.linalg.norm(full - picked))
    return total


def random_subset(X, y, sizes, seed=0):
    rng = np.random.default_rng(seed)
    indices, weights, bound = [], [], 0.0
    for label, k in sizes.items():
        rows = np.flatnonzero(y == label)
        picks = np.sort(rng.choice(len(rows), k, replace=False))
        w, _, b = _assign.weights_from_points(X[rows], picks, "euclidean")
        indices.append(rows[picks])
        weights.append(w)
        bound += b
    return np.concatenate(indices), np.concatenate(weights), bound


def rows_for(name, X, y):
    craig.select(X[:400], y[:400], fraction=0.1, backend="knn")
    craig.select(X[:400], y[:400], fraction=0.1, backend="partition")
    results = {}
    for backend, options in BACKENDS.items():
        started = time.perf_counter()
        coreset = craig.select(X, y, fraction=0.1, random_state=0, **options)
        seconds = time.perf_counter() - started
        error = gradient_error(X, y, coreset.indices, coreset.weights)
        results[backend] = (coreset.bound, error, seconds)
        print(name, backend, results[backend], flush=True)
    sizes = {label: int((coreset.labels == label).sum()) for label in np.unique(y)}
    indices, weights, bound = random_subset(X, y, sizes)
    results["random"] = (bound, gradient_error(X, y, indices, weights), 0.0)
    return results


def table(name, results) -> list[str]:
    dense_bound, dense_error, _ = results["dense"]
    random_bound = results["random"][0]
    lines = [
        f"## {name}",
        "",
        "| backend | L(S) | L vs dense | gap closed | gradient error | vs dense "
        "| time (s) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for backend, (bound, error, seconds) in results.items():
        closed = (random_bound - bound) / (random_bound - dense_bound)
        lines.append(
            f"| {backend} | {bound:,.1f} | {bound / dense_bound - 1:+.2%} | "
            f"{closed:.3f} | {error:,.1f} | {error / dense_error - 1:+.1%} | "
            f"{seconds:.2f} |"
        )
    return lines + [""]


def main() -> None:
    lines = ["# Quality of the backends (10% per class, lazy greedy, seed 0)", ""]
    ijcnn1 = load("ijcnn1")
    lines += table("ijcnn1 (49,990 x 22)", rows_for("ijcnn1", ijcnn1.X_train,
                                                    ijcnn1.y_train))  # fmt: skip
    mnist = load("mnist")
    X, y = mnist.X_train[:40_000], mnist.y_train[:40_000]
    lines += table("MNIST, first 40,000 images (784 features)", rows_for("mnist", X, y))
    lines.append(
        f"Machine: {os.cpu_count()} cores shared with other work (load average "
        f"{os.getloadavg()[0]:.1f} at the end); times are wall clock."
    )
    text = "\n".join(lines) + "\n"
    print(text)
    (HERE / "bench_quality.md").write_text(text)


if __name__ == "__main__":
    main()
