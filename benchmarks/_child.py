"""Run one measurement in a fresh process: wall time, CPU time, peak memory.

``measure(argv)`` runs ``python <script> --one ARG...`` and returns the JSON
object the child printed last. The child calls ``report(...)``, which adds the
peak resident memory of the process (ru_maxrss) and the resident memory before
the measured step.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys


def resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def report(**values) -> None:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({**values, "peak_bytes": peak}), flush=True)


def measure(script: str, *args: str, timeout: float = 900) -> dict:
    env = {**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", "src")}
    out = subprocess.run(
        [sys.executable, script, "--one", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
    if out.returncode != 0:
        raise RuntimeError(f"{script} {args} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])
