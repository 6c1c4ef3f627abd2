"""kdd04-protein and skin_nonskin: 10% per class with backend="auto".

Each dataset runs in a fresh process; the table gives the selection's wall and
CPU time, the process's peak resident memory (everything: Python, libraries,
the loaded data) and the resident memory before selecting. kdd04-protein is
read from its Parquet file (label ``target``, the two id columns dropped).
Writes bench_large.md beside itself.

Usage: CRAIG_DATA=... PYTHONPATH=src python benchmarks/bench_large.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _child import measure, report, resident_bytes  # noqa: E402

DATASETS = ("kdd04-protein", "skin_nonskin")


def one(name: str) -> None:
    import craig
    from craig.datasets import load

    data = load(name)
    X, y = data.X_train, data.y_train
    craig.select(X[:300], y[:300], fraction=0.1, backend="partition")
    before = resident_bytes()
    started, cpu = time.perf_counter(), time.process_time()
    coreset = craig.select(X, y, fraction=0.1, random_state=0)
    report(
        n=len(X),
        d=X.shape[1],
        k=len(coreset),
        seconds=time.perf_counter() - started,
        cpu_seconds=time.process_time() - cpu,
        before_bytes=before,
        bound=coreset.bound,
        steps=coreset.timings,
    )


def main() -> None:
    lines = [
        "# Large convex datasets: 10% per class, backend auto",
        "",
        "| dataset | n x d | k | time (s) | CPU (s) | peak memory | before select "
        "| L(S) |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name in DATASETS:
        r = measure(__file__, name)
        lines.append(
            f"| {name} | {r['n']:,} x {r['d']} | {r['k']:,} | {r['seconds']:.1f} "
            f"| {r['cpu_seconds']:.1f} | {r['peak_bytes'] / 2**30:.2f} GiB | "
            f"{r['before_bytes'] / 2**30:.2f} GiB | {r['bound']:,.4g} |"
        )
        print(lines[-1], r["steps"], flush=True)
    lines += ["", f"Targets: at most 60 s and 4 GiB each. Load average at the end "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores."]  # fmt: skip
    text = "\n".join(lines) + "\n"
    print(text)
    (HERE / "bench_large.md").write_text(text)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        one(sys.argv[2])
    else:
        main()
