"""Greedy maximisation of the facility-location objective.

Three searches, written only against ``_objective.gain`` and ``_objective.add``:

- naive: every step evaluates every candidate; the reference.
- lazy: a max-heap of stale gains, which upper-bound the true ones because F is
  submodular (Minoux 1978). Keys order by (gain desc, index asc), and a
  candidate is taken only when its key is fresh, so lazy picks exactly what
  naive picks, ties included.
- stochastic: each step evaluates a random sample of
  ``ceil(n / k * log(1 / sample_epsilon))`` candidates (Mirzasoleiman et al.
  2015, "lazier than lazy greedy"), pruned with the same stale upper bounds.

The kernels are resumable: all state lives in arrays owned by a ``GreedyState``,
so the caller can run them in chunks and report progress between chunks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba as nb
import numpy as np

from craig._objective import add, gain

# counters[0]: number picked; counters[1]: heap size (lazy) or pool size
# (stochastic). total[0]: L(S), the sum of ``nearest``.


@dataclass
class GreedyState:
    """Arrays that a greedy search reads and writes, step after step."""

    nearest: np.ndarray  # float32 (n,), distance to the nearest pick
    picks: np.ndarray  # int64 (n,), picks in order
    gains: np.ndarray  # float64 (n,), gain of each pick
    selected: np.ndarray  # bool (n,)
    bounds: np.ndarray  # float64 (n,), stale gains (upper bounds)
    stamps: np.ndarray  # int64 (n,), the pick count a bound was computed at
    order: np.ndarray  # int64 (n,), heap (lazy) or candidate pool (stochastic)
    counters: np.ndarray  # int64 (2,)
    total: np.ndarray  # float64 (1,)

    @classmethod
    def start(cls, n_points: int, d0: float) -> GreedyState:
        nearest = np.full(n_points, d0, dtype=np.float32)
        return cls(
            nearest=nearest,
            picks=np.full(n_points, -1, dtype=np.int64),
            gains=np.zeros(n_points, dtype=np.float64),
            selected=np.zeros(n_points, dtype=np.bool_),
            bounds=np.full(n_points, np.inf, dtype=np.float64),
            stamps=np.full(n_points, -1, dtype=np.int64),
            order=np.arange(n_points, dtype=np.int64),
            counters=np.array([0, n_points], dtype=np.int64),
            total=np.array([float(nearest.sum(dtype=np.float64))]),
        )

    def pick_arrays(self) -> tuple:
        """The arrays every search reads and writes, in the kernels' order:
        nearest, picks, gains, selected, counters, total."""
        return (
            self.nearest,
            self.picks,
            self.gains,
            self.selected,
            self.counters,
            self.total,
        )

    @property
    def n_picked(self) -> int:
        return int(self.counters[0])


def sample_size(n_points: int, k: int, sample_epsilon: float) -> int:
    """Candidates per step of stochastic greedy: ceil(n / k * log(1 / eps))."""
    return max(1, min(n_points, math.ceil(n_points / k * math.log(1 / sample_epsilon))))


@nb.njit(cache=True, nogil=True)
def _take(objective, state_nearest, picks, gains, selected, counters, total, j, g):
    add(objective, j, state_nearest)
    picks[counters[0]] = j
    gains[counters[0]] = g
    selected[j] = True
    counters[0] += 1
    total[0] -= g


@nb.njit(cache=True, nogil=True)
def _done(counters, total, stop_count, stop_total, n):
    # A bound met by the empty set still gets one pick: every point needs a
    # pick to stand for it.
    picked = counters[0]
    return (
        picked >= stop_count or picked >= n or (picked >= 1 and total[0] <= stop_total)
    )


@nb.njit(parallel=True, cache=True, nogil=True)
def _all_gains_parallel(objective, nearest, selected, out):
    for j in nb.prange(out.shape[0]):
        out[j] = -np.inf if selected[j] else gain(objective, j, nearest)


@nb.njit(cache=True, nogil=True)
def _all_gains(objective, nearest, selected, out):
    # Threads pay off only once a pass over the objective is large.
    if out.shape[0] * nearest.shape[0] >= 1 << 20:
        _all_gains_parallel(objective, nearest, selected, out)
        return
    for j in range(out.shape[0]):
        out[j] = -np.inf if selected[j] else gain(objective, j, nearest)


@nb.njit(cache=True, nogil=True)
def naive_steps(
    objective,
    nearest,
    picks,
    gains,
    selected,
    counters,
    total,
    scratch,
    stop_count,
    stop_total,
):
    """Pick until ``stop_count`` picks or ``L(S) <= stop_total``."""
    n = nearest.shape[0]
    while not _done(counters, total, stop_count, stop_total, n):
        _all_gains(objective, nearest, selected, scratch)
        best = np.argmax(scratch)  # the first maximum: lowest index on ties
        _take(
            objective,
            nearest,
            picks,
            gains,
            selected,
            counters,
            total,
            best,
            scratch[best],
        )


@nb.njit(cache=True, nogil=True)
def _before(keys, ids, a, b):
    # Heap order: larger gain first, then smaller index.
    return keys[a] > keys[b] or (keys[a] == keys[b] and ids[a] < ids[b])


@nb.njit(cache=True, nogil=True)
def _sift_down(keys, ids, size, pos):
    while True:
        left = 2 * pos + 1
        if left >= size:
            return
        child = left
        if left + 1 < size and _before(keys, ids, left + 1, left):
            child = left + 1
        if not _before(keys, ids, child, pos):
            return
        keys[pos], keys[child] = keys[child], keys[pos]
        ids[pos], ids[child] = ids[child], ids[pos]
        pos = child


@nb.njit(cache=True, nogil=True)
def build_heap(objective, nearest, selected, bounds, stamps, heap, counters):
    """Evaluate every candidate once and arrange ``heap`` by (gain, index)."""
    _all_gains(objective, nearest, selected, bounds)
    stamps[:] = counters[0]
    keys = bounds[heap].copy()
    size = heap.shape[0]
    for pos in range(size // 2 - 1, -1, -1):
        _sift_down(keys, heap, size, pos)
    return keys


@nb.njit(cache=True, nogil=True)
def lazy_steps(
    objective,
    nearest,
    picks,
    gains,
    selected,
    counters,
    total,
    keys,
    heap,
    stamps,
    stop_count,
    stop_total,
):
    """Lazy greedy from a heap made by ``build_heap``; same stops as naive."""
    n = nearest.shape[0]
    while not _done(counters, total, stop_count, stop_total, n):
        j = heap[0]
        if stamps[j] == counters[0]:
            g = keys[0]
            size = counters[1] - 1
            keys[0], heap[0] = keys[size], heap[size]
            counters[1] = size
            _sift_down(keys, heap, size, 0)
            _take(objective, nearest, picks, gains, selected, counters, total, j, g)
        else:
            keys[0] = gain(objective, j, nearest)
            stamps[j] = counters[0]
            _sift_down(keys, heap, counters[1], 0)


@nb.njit(cache=True, nogil=True)
def stochastic_steps(
    objective,
    nearest,
    picks,
    gains,
    selected,
    counters,
    total,
    bounds,
    pool,
    uniforms,
    stop_count,
    stop_total,
):
    """One stochastic-greedy step per row of ``uniforms`` (random numbers in
    [0, 1) that drive the sampling), until a stop or the rows run out."""
    n = nearest.shape[0]
    for step in range(uniforms.shape[0]):
        if _done(counters, total, stop_count, stop_total, n):
            return
        size = counters[1]
        m = min(uniforms.shape[1], size)
        for t in range(m):  # a partial Fisher-Yates shuffle of the pool
            r = t + int(uniforms[step, t] * (size - t))
            pool[t], pool[r] = pool[r], pool[t]
        best_pos = _best_of_sample(objective, nearest, bounds, pool, m)
        j = pool[best_pos]
        g = bounds[j]
        pool[best_pos], pool[size - 1] = pool[size - 1], pool[best_pos]
        counters[1] = size - 1
        _take(objective, nearest, picks, gains, selected, counters, total, j, g)


@nb.njit(cache=True, nogil=True)
def _best_of_sample(objective, nearest, bounds, pool, m):
    # Visit the sample by stale bound; stop once no bound can beat the best.
    sample = pool[:m]
    visit = np.argsort(-bounds[sample], kind="mergesort")
    best_pos, best_gain = -1, -np.inf
    for v in visit:
        j = sample[v]
        if bounds[j] < best_gain:
            break
        bounds[j] = gain(objective, j, nearest)
        if bounds[j] > best_gain or (bounds[j] == best_gain and j < pool[best_pos]):
            best_pos, best_gain = v, bounds[j]
    return best_pos
