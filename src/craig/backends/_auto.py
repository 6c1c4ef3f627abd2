"""``backend="auto"``: which backend solves a part, and why.

Dense is exact, but its time grows as n^2 and its memory as 4 n^2 bytes;
locality partitions (cells of at most 4,000 points) reach an L(S) within
0.1-0.6% of dense (benchmarks/bench_quality.md), many times faster above a
cell's size. So auto takes dense for small parts that fit, and partition otherwise.
"""

from __future__ import annotations

from craig import _distances
from craig._memory import format_bytes
from craig.backends import _partition
from craig.backends._part import PartRequest

# Above this many points in a part, partition is several times faster than
# dense at no measurable loss (benchmarks/bench_quality.md).
DENSE_MAX_POINTS = 4000


def choose(n_points: int, n_features: int, request: PartRequest):
    """The backend name for a part, and the reason in words."""
    if request.metric == "precomputed":
        return "dense", "the distances are precomputed"
    dense = _distances.dense_bytes(n_points, n_features)
    budget = format_bytes(request.memory_budget)
    if dense > request.memory_budget:
        return "partition", (
            f"the dense matrix needs {format_bytes(dense)}, over the budget {budget}"
        )
    if n_points > DENSE_MAX_POINTS:
        cell = request.cell_size or _partition.DEFAULT_CELL_SIZE
        return "partition", (
            f"{n_points:,} points > {DENSE_MAX_POINTS:,}: cells of at most "
            f"{cell:,} points are many times faster at no measurable loss"
        )
    return "dense", f"{n_points:,} points fit ({format_bytes(dense)} of {budget})"
