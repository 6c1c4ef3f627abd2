"""The facility-location objective: the gain of a candidate, and adding it.

For a part V with distances d_ij and a selected set S,

    L(S) = sum_{i in V} min_{j in S} d_ij,
    F(S) = sum_{i in V} (d0 - min_{j in S} d_ij) = L({}) - L(S),

where a phantom point at distance d0 (the largest distance in the part) stands
in for the empty set, so ``L({}) = n * d0``. The state is ``nearest``, the
distance from each point to its nearest selected point (d0 before any pick).
The gain of candidate j is ``F(S + j) - F(S) = sum_i max(0, nearest_i - d_ji)``.

The objective data is a dense candidate-major matrix ``D`` (row j holds d_ji for
every point i). The greedy kernels call only ``gain`` and ``add``; they are
numba overloads so that other forms of the objective (sparse graphs) can be
added by type without touching the search.

Note: numba's on-disk cache of a kernel is invalidated by changes to the
kernel's own file only. After editing this module, delete the ``__pycache__``
``*.nbi``/``*.nbc`` files (or touch ``_greedy.py``) before measuring.
"""

from __future__ import annotations

import numpy as np
from numba import types
from numba.extending import overload


def gain(objective, j, nearest):  # pragma: no cover - replaced by the overload
    """F(S + j) - F(S), accumulated in float64 in a fixed order."""
    raise NotImplementedError("gain is only callable from numba kernels")


def add(objective, j, nearest):  # pragma: no cover - replaced by the overload
    """Add j to S: ``nearest_i = min(nearest_i, d_ji)``."""
    raise NotImplementedError("add is only callable from numba kernels")


@overload(gain, jit_options={"cache": True, "nogil": True})
def _gain_overload(objective, j, nearest):
    if isinstance(objective, types.Array) and objective.ndim == 2:
        return _dense_gain
    return None


@overload(add, jit_options={"cache": True, "nogil": True})
def _add_overload(objective, j, nearest):
    if isinstance(objective, types.Array) and objective.ndim == 2:
        return _dense_add
    return None


def _dense_gain(objective, j, nearest):
    # Four accumulators in a fixed order: fast, and the same sum wherever it is
    # called, which keeps lazy greedy's picks identical to naive greedy's.
    row = objective[j]
    n = row.shape[0]
    s0 = s1 = s2 = s3 = 0.0
    stop = n - n % 4
    for i in range(0, stop, 4):
        s0 += max(nearest[i] - row[i], np.float32(0.0))
        s1 += max(nearest[i + 1] - row[i + 1], np.float32(0.0))
        s2 += max(nearest[i + 2] - row[i + 2], np.float32(0.0))
        s3 += max(nearest[i + 3] - row[i + 3], np.float32(0.0))
    for i in range(stop, n):
        s0 += max(nearest[i] - row[i], np.float32(0.0))
    return (s0 + s1) + (s2 + s3)


def _dense_add(objective, j, nearest):
    row = objective[j]
    for i in range(row.shape[0]):
        if row[i] < nearest[i]:
            nearest[i] = row[i]
