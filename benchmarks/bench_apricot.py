"""craig against apricot on one class: time, peak memory and objective F.

Each (library, dataset, distance) runs in a fresh process so that peak memory
(ru_maxrss) is its own; times include building the similarities. apricot's
"euclidean" is the squared distance, so the squared rows compare both libraries
on their own code paths; for the plain Euclidean distance (craig's default)
apricot gets the similarity ``d_max - D`` precomputed by scikit-learn, and that
time is counted as apricot's. craig runs twice: its exact dense path (the same
lazy greedy as apricot's, so F should agree) and its default ``auto`` backend
(which takes the k-means partition path for classes above 4,000 points).
F(S) = sum_i (d_max - min_{j in S} d_ij) is evaluated for every selection by
one float64 routine.

Usage: python benchmarks/bench_apricot.py   (needs CRAIG_DATA or ../shared)
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
# craig's exact path (the same greedy as apricot's) and its default.
LIBRARIES = ("craig-dense", "craig-auto", "apricot")
SHARED = HERE.parent.parent / "shared" / "datasets"


def one_class(name: str) -> np.ndarray:
    from craig.datasets import load

    data = load(name)
    if name == "ijcnn1":
        return data.X_train[data.y_train == -1][:10_000].astype(np.float64)
    return data.X_train[data.y_train == 1].astype(np.float64)  # 6,742 images


def run_craig(X: np.ndarray, k: int, metric: str, backend: str):
    import craig

    craig.select(X[:50], size=5, metric=metric)  # load the compiled kernels
    started = time.perf_counter()
    picks = craig.select(X, size=k, metric=metric, backend=backend).indices
    return picks, time.perf_counter() - started


def run_apricot(X: np.ndarray, k: int, metric: str):
    from apricot import FacilityLocationSelection
    from sklearn.metrics import pairwise_distances

    warm = FacilityLocationSelection(5, metric="euclidean", optimizer="lazy")
    warm.fit(X[:50])  # compile apricot's numba kernels outside the timing
    started = time.perf_counter()
    if metric == "sqeuclidean":
        selector = FacilityLocationSelection(k, metric="euclidean", optimizer="lazy")
        selector.fit(X)
    else:
        D = pairwise_distances(X, metric="euclidean")
        similarity = D.max() - D
        selector = FacilityLocationSelection(k, metric="precomputed", optimizer="lazy")
        selector.fit(similarity)
    return np.asarray(selector.ranking), time.perf_counter() - started


def objective(X: np.ndarray, picks: np.ndarray, metric: str) -> float:
    """F(S) in float64, block by block."""
    X = X.astype(np.float64)
    sq = (X**2).sum(axis=1)
    nearest, d_max = np.full(len(X), np.inf), 0.0
    for start in range(0, len(X), 1000):
        block = (
            sq[start : start + 1000, None]
            + sq[None, :]
            - 2 * X[start : start + 1000] @ X.T
        )
        block = np.maximum(block, 0)
        if metric == "euclidean":
            block = np.sqrt(block)
        d_max = max(d_max, block.max())
        nearest[start : start + 1000] = block[:, picks].min(axis=1)
    return float((d_max - nearest).sum())


def child(library: str, dataset: str, metric: str) -> None:
    X = one_class(dataset)
    k = len(X) // 10
    if library == "apricot":
        picks, seconds = run_apricot(X, k, metric)
    else:
        picks, seconds = run_craig(X, k, metric, backend=library.split("-")[1])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak": peak,
                "n": len(X),
                "k": k,
                "F": objective(X, picks, metric),
            }
        )
    )


def main() -> None:
    os.environ.setdefault("CRAIG_DATA", str(SHARED))
    rows = []
    for dataset in ("ijcnn1", "mnist"):
        for metric in ("euclidean", "sqeuclidean"):
            result = {}
            for library in LIBRARIES:
                out = subprocess.run(
                    [sys.executable, __file__, library, dataset, metric],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                result[library] = json.loads(out.strip().splitlines()[-1])
            rows.append((dataset, metric, result))
            print(format_row(dataset, metric, result), flush=True)
    print(format_table(rows))


def format_row(dataset, metric, result) -> str:
    a = result["apricot"]
    cells = [f"{dataset} (n={a['n']:,}, k={a['k']})", metric]
    for library in LIBRARIES:
        r = result[library]
        cells.append(f"{r['seconds']:.2f} s, {r['peak'] / 2**30:.2f} GiB")
    for library in LIBRARIES[:2]:
        r = result[library]
        relative = (r["F"] - a["F"]) / abs(a["F"])
        cells.append(f"{a['seconds'] / r['seconds']:.1f}x, F {relative:+.1e}")
    return "| " + " | ".join(cells) + " |"


def format_table(rows) -> str:
    header = (
        "| class | distance | craig dense | craig auto | apricot | dense vs apricot "
        "(speed-up, F/F_apricot - 1) | auto vs apricot |\n|---|---|---|---|---|---|---|"
    )
    return "\n".join([header] + [format_row(*row) for row in rows])


if __name__ == "__main__":
    if len(sys.argv) == 4:
        child(*sys.argv[1:])
    else:
        main()
