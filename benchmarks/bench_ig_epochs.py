"""Time one epoch of the weighted IG kernels on 50,000 x 22, batch size 1.

Targets (one core): SGD <= 10 ms, SAGA and SVRG <= 30 ms per epoch, SVRG's
full-gradient pass excluded (it is timed on its own line). Run as

    PYTHONPATH=src python benchmarks/bench_ig_epochs.py [--data ijcnn1]

Without ``--data`` the points are Gaussian; ``--data ijcnn1`` uses the real
training set (needs ``craig.datasets`` and ``CRAIG_DATA``).
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

os.environ.setdefault("NUMBA_NUM_THREADS", "1")

from craig.linear import _kernels  # noqa: E402
from craig.linear._models import LogisticModel  # noqa: E402


def _data(name: str | None):
    if name is None:
        rng = np.random.default_rng(0)
        X = rng.normal(size=(50_000, 22)) / np.sqrt(22)
        y = np.where(X @ rng.normal(size=22) + 0.3 * rng.normal(size=50_000) > 0, 1, -1)
        return X, y.astype(np.float64)
    from craig.datasets import load

    data = load(name)
    return np.ascontiguousarray(data.X_train, dtype=np.float64), np.where(
        data.y_train == data.y_train.max(), 1.0, -1.0
    )


def _best(fn, repeats: int) -> tuple[float, float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), float(np.median(times))


def _kernels_to_time(X, y) -> dict:
    """One closure per kernel; dense rows are gathered in visiting order first,
    as the optimizers do, and the gather is timed with the epoch."""
    m, d = X.shape
    gamma = np.ones(m)
    order = np.random.default_rng(1).permutation(m).astype(np.int64)
    lam, code, step = 1e-5, LogisticModel("binary").code, 0.01
    P = np.zeros((1, d + 1))
    M, V, t = np.zeros_like(P), np.zeros_like(P), np.zeros(1, dtype=np.int64)
    table, mean = np.zeros((m, 1)), np.zeros_like(P)
    snapshot, mu, hyper = np.zeros_like(P), np.zeros_like(P), np.zeros(3)
    buffer, rows = np.empty_like(X), np.arange(m)

    def gathered():
        _kernels.gather_rows(X, order, buffer)
        return buffer

    def sgd():
        _kernels.sgd_epoch(
            gathered(),
            y,
            gamma,
            rows,
            order,
            1,
            step,
            lam,
            code,
            True,
            0,
            hyper,
            P,
            M,
            V,
            t,
        )

    def saga():
        _kernels.saga_epoch(
            gathered(), y, gamma, rows, order, 1, step, lam, code, True, P, table, mean
        )

    def svrg():
        _kernels.svrg_epoch(
            gathered(), y, gamma, rows, order, 1, step, lam, code, True, P, snapshot, mu
        )

    def svrg_full():
        _kernels.full_gradient(X, y, gamma, code, True, snapshot, mu)

    return {
        "sgd": sgd,
        "saga": saga,
        "svrg (inner loop)": svrg,
        "svrg full gradient": svrg_full,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=None, help="a dataset name, e.g. ijcnn1")
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    X, y = _data(args.data)
    targets = {"sgd": 10.0, "saga": 30.0, "svrg (inner loop)": 30.0}
    print(
        f"one epoch, {X.shape[0]} x {X.shape[1]}, batch size 1, "
        f"data={args.data or 'gaussian'}, load average {os.getloadavg()[0]:.2f}"
    )
    print(f"{'kernel':<20} {'best ms':>8} {'median ms':>10} {'target ms':>10}")
    for name, fn in _kernels_to_time(X, y).items():
        fn()  # compile, or load from the cache
        best, median = _best(fn, args.repeats)
        target = targets.get(name)
        shown = f"{target:>10.0f}" if target else f"{'-':>10}"
        print(f"{name:<20} {best * 1e3:>8.2f} {median * 1e3:>10.2f} {shown}")


if __name__ == "__main__":
    main()
