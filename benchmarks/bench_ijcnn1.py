"""ijcnn1, 10% per class, backend="auto": selection time in full-data SGD epochs.

The epoch is one pass of per-sample logistic-regression SGD over all 49,990
rows in compiled code (a plain numba loop, as the convex workstream's kernels
do). Selection is timed in-process after one warm-up call (the numba kernels
are cached on disk; a warm-up only loads them), and once through the command
line, ``craig select --backend auto``, which adds reading the file.
Writes bench_ijcnn1.md beside itself.

Usage: CRAIG_DATA=... PYTHONPATH=src python benchmarks/bench_ijcnn1.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numba as nb
import numpy as np

import craig
from craig.datasets import load

HERE = Path(__file__).resolve().parent


@nb.njit(cache=True)
def sgd_epoch(X, y, w, learning_rate):
    for i in range(X.shape[0]):
        margin = y[i] * np.dot(X[i], w)
        scale = -y[i] / (1.0 + np.exp(margin))
        for f in range(X.shape[1]):
            w[f] -= learning_rate * scale * X[i, f]


def epoch_seconds(X, y) -> float:
    w = np.zeros(X.shape[1])
    sgd_epoch(X, y, w, 0.01)
    times = []
    for _ in range(20):
        started = time.perf_counter()
        sgd_epoch(X, y, w, 0.01)
        times.append(time.perf_counter() - started)
    return float(np.median(times))


def selection_seconds(X, y, repeats: int = 7):
    craig.select(X, y, fraction=0.1, random_state=0)
    times, cpu, coreset = [], [], None
    for _ in range(repeats):
        started, cpu_started = time.perf_counter(), time.process_time()
        coreset = craig.select(X, y, fraction=0.1, random_state=0)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return times, cpu, coreset


def cli_seconds() -> str:
    source = Path(os.environ["CRAIG_DATA"]) / "ijcnn1" / "ijcnn1.bz2"
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "craig", "select", str(source),
                   "--fraction", "0.1", "--backend", "auto",
                   "-o", str(Path(folder) / "coreset.npz")]  # fmt: skip
        out = subprocess.run(command, capture_output=True, text=True, check=True)
    return next(line for line in out.stdout.splitlines() if line.startswith("time"))


def main() -> None:
    data = load("ijcnn1")
    X, y = data.X_train, data.y_train
    epoch = epoch_seconds(np.ascontiguousarray(X), y.astype(np.float64))
    times, cpu, coreset = selection_seconds(X, y)
    best, median = min(times), float(np.median(times))
    cli = cli_seconds()
    text = "\n".join(
        [
            "# ijcnn1, 10% per class, backend auto (2 cores, shared machine)",
            "",
            f"- coreset: k = {len(coreset):,}, L(S) = {coreset.bound:,.1f}, "
            f"weights sum to {coreset.weights.sum():,.0f}",
            f"- selection: median {median:.2f} s, best {best:.2f} s of "
            f"{len(times)} runs (" + ", ".join(f"{t:.2f}" for t in times) + ")",
            f"- CPU time of the process (all threads), median: "
            f"{np.median(cpu):.2f} s; with other work on the machine the wall "
            f"time is longer than the CPU time divided by the cores",
            "- steps of the last run: "
            + ", ".join(f"{k} {v:.2f} s" for k, v in coreset.timings.items()),
            f"- one full-data SGD epoch (numba, per-sample logistic): "
            f"{epoch * 1e3:.1f} ms",
            f"- selection = {median / epoch:.0f} epochs (median), "
            f"{best / epoch:.0f} epochs (best); with the 14 ms epoch that "
            f"METHOD.md quotes: {median / 0.014:.0f} epochs (median)",
            f"- command line `craig select --backend auto`: {cli}",
            f"- load average at the end: {os.getloadavg()[0]:.1f} on "
            f"{os.cpu_count()} cores",
        ]
    )
    print(text)
    (HERE / "bench_ijcnn1.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
