"""Scaling curve: 10^4 to 10^6 points, 10% per class, backend="auto".

The data are SYNTHETIC, only for this curve: a Gaussian mixture in 54
dimensions (Covtype's width) with 7 labels, each label a mixture of 12
components with random centres and scales, label proportions drawn once. Each n
runs in a fresh process; the table and the plot give wall time, CPU time and
peak resident memory (the whole process, data included). Writes
bench_scaling.md and bench_scaling.png beside itself.

Usage: PYTHONPATH=src python benchmarks/bench_scaling.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _child import measure, report, resident_bytes  # noqa: E402

SIZES = (10_000, 30_000, 100_000, 300_000, 1_000_000)


def gaussian_mixture(n: int, seed: int = 0):
    """float32 (n, 54) points and int64 labels 0..6, made chunk by chunk."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 4, size=(7, 12, 54)).astype(np.float32)
    scales = rng.uniform(0.5, 2.0, size=(7, 12)).astype(np.float32)
    shares = rng.dirichlet(np.full(7, 2.0))
    y = rng.choice(7, size=n, p=shares)
    X = np.empty((n, 54), dtype=np.float32)
    for start in range(0, n, 100_000):
        stop = min(start + 100_000, n)
        part = rng.integers(12, size=stop - start)
        noise = rng.standard_normal((stop - start, 54), dtype=np.float32)
        labels = y[start:stop]
        X[start:stop] = centres[labels, part] + scales[labels, part, None] * noise
    return X, y


def one(n: str) -> None:
    import craig

    X, y = gaussian_mixture(int(n))
    craig.select(X[:300], y[:300], fraction=0.1, backend="partition")
    before = resident_bytes()
    started, cpu = time.perf_counter(), time.process_time()
    coreset = craig.select(X, y, fraction=0.1, random_state=0)
    report(
        n=int(n),
        k=len(coreset),
        seconds=time.perf_counter() - started,
        cpu_seconds=time.process_time() - cpu,
        before_bytes=before,
        steps=coreset.timings,
    )


def plot(results) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = [r["n"] for r in results]
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.loglog(n, [r["seconds"] for r in results], "o-", label="wall")
    left.loglog(n, [r["cpu_seconds"] for r in results], "s--", label="CPU")
    left.loglog(n, [results[0]["seconds"] * x / n[0] for x in n], ":", label="linear")
    left.set(xlabel="points n", ylabel="seconds", title="selection time (10%)")
    left.legend()
    right.loglog(n, [r["peak_bytes"] / 2**30 for r in results], "o-", label="peak")
    right.loglog(n, [r["before_bytes"] / 2**30 for r in results], "s--",
                 label="before selecting")  # fmt: skip
    right.set(xlabel="points n", ylabel="GiB", title="resident memory")
    right.legend()
    figure.suptitle("craig auto backend, synthetic Gaussian mixture, 54 dims, 7 labels")
    figure.tight_layout()
    figure.savefig(HERE / "bench_scaling.png", dpi=90)


def main() -> None:
    results = []
    lines = [
        "# Scaling: synthetic Gaussian mixture (54 dims, 7 labels), 10%, auto",
        "",
        "| n | k | time (s) | CPU (s) | peak memory | before select | steps (s) |",
        "|---:|---:|---:|---:|---:|---:|---|",
    ]
    for n in SIZES:
        r = measure(__file__, str(n), timeout=1200)
        results.append(r)
        steps = ", ".join(f"{k} {v:.1f}" for k, v in r["steps"].items())
        lines.append(
            f"| {n:,} | {r['k']:,} | {r['seconds']:.1f} | {r['cpu_seconds']:.1f} | "
            f"{r['peak_bytes'] / 2**30:.2f} GiB | {r['before_bytes'] / 2**30:.2f} "
            f"GiB | {steps} |"
        )
        print(lines[-1], flush=True)
    plot(results)
    lines += ["", "Targets: 1,000,000 points in at most 3 min and 8 GiB. Load "
              f"average at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} "
              "cores (shared machine).", "",
              "![scaling](bench_scaling.png)"]  # fmt: skip
    text = "\n".join(lines) + "\n"
    print(text)
    (HERE / "bench_scaling.md").write_text(text)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        one(sys.argv[2])
    else:
        main()
