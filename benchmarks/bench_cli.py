"""``craig select --backend auto`` from the command line, 10% per class.

Runs the command on ijcnn1 and skin_nonskin (their svmlight files) and on
kdd04-protein (a Parquet copy without its two id columns, written to a
temporary folder, since the command takes every non-label column as a
feature). Each run is a fresh process: the time includes starting Python,
importing, loading the cached numba kernels and reading the file; the peak
memory is the command's maximum resident set. Writes bench_cli.md.

Usage: CRAIG_DATA=... PYTHONPATH=src python benchmarks/bench_cli.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def kdd04_without_ids(folder: str) -> str:
    import pyarrow.parquet as pq

    source = Path(os.environ["CRAIG_DATA"]) / "kdd04-protein" / "bio_train.parquet"
    table = pq.read_table(source).drop_columns(["EXAMPLE_ID", "BLOCK_ID"])
    path = str(Path(folder) / "bio_train_features.parquet")
    pq.write_table(table, path)
    return path


def run(source: str, label, folder: str):
    command = [sys.executable, "-m", "craig", "select", source, "--fraction",
               "0.1", "--backend", "auto", "-o", f"{folder}/coreset.npz",
               "--force"] + (["--label", label] if label else [])  # fmt: skip
    wrapper = (
        "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], "
        "capture_output=True, text=True); print(r.stdout); print(r.stderr[-2000:],"
        " file=sys.stderr); print(resource.getrusage(resource.RUSAGE_CHILDREN)"
        ".ru_maxrss); sys.exit(r.returncode)"
    )
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", wrapper, *command],
                         capture_output=True, text=True)  # fmt: skip
    seconds = time.perf_counter() - started
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    lines = out.stdout.strip().splitlines()
    timing = next(line for line in lines if line.startswith("time"))
    return seconds, int(lines[-1]) * 1024, timing.split(None, 1)[1]


def main() -> None:
    data = Path(os.environ["CRAIG_DATA"])
    lines = ["# `craig select --backend auto --fraction 0.1` (fresh process each)",
             "", "| dataset | wall (s), whole command | peak memory | "
             "the command's own report |", "|---|---:|---:|---|"]  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        sources = [
            ("ijcnn1", str(data / "ijcnn1" / "ijcnn1.bz2"), None),
            ("skin_nonskin", str(data / "skin_nonskin" / "skin_nonskin.bz2"), None),
            ("kdd04-protein", kdd04_without_ids(folder), "target"),
        ]
        for name, source, label in sources:
            seconds, peak, timing = run(source, label, folder)
            lines.append(f"| {name} | {seconds:.1f} | {peak / 2**30:.2f} GiB | "
                         f"{timing} |")  # fmt: skip
            print(lines[-1], flush=True)
    lines += ["", f"Load average at the end {os.getloadavg()[0]:.1f} on "
              f"{os.cpu_count()} cores (shared machine)."]  # fmt: skip
    (HERE / "bench_cli.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
