"""A sparse objective: each point is covered only by its t nearest neighbours.

Every point i keeps itself (at distance 0) and its t nearest neighbours j with
d_ij; the graph is stored by candidate (``craig._objective``'s sparse form), so
the gain of j reads only the points that have j among their neighbours. A point
that no pick covers contributes the phantom distance d0 to the greedy's F, d0
being the largest stored distance; with t = n - 1 every pair is stored and the
search is the dense one. An uncovered point may be farther than d0 from every
pick, so with an ``epsilon`` target the exact L(S) can exceed it (a
``CoresetWarning`` says so); partition and dense guarantee it. The weights and
L(S) are computed exactly, by assigning every point to its nearest pick over
the whole part.

Neighbours are exact (blockwise distances) up to ``EXACT_MAX_POINTS`` points,
and approximate above it (a faiss inverted-file index: the points are split
into about 4 sqrt(n) k-means lists, and each query scans the 16 nearest
lists; recall 0.9999 at t = 32 on ijcnn1).
"""

from __future__ import annotations

import math
import time
import warnings

import numpy as np

from craig import _distances
from craig._errors import CoresetWarning, InsufficientMemoryError
from craig._memory import format_bytes
from craig.backends import _assign, _dense
from craig.backends._part import PartRequest, PartSelection

# t = 64 measured on ijcnn1 and MNIST (benchmarks/bench_quality.md).
DEFAULT_NEIGHBORS = 64
EXACT_MAX_POINTS = 12_000
_PROBES = 16
_BLOCK_BYTES = 32 << 20


def select_part(points: np.ndarray, request: PartRequest) -> PartSelection:
    """Lazy or stochastic greedy on the t-nearest-neighbour graph of ``points``."""
    n, d = points.shape
    t = min(request.n_neighbors or DEFAULT_NEIGHBORS, n - 1)
    check_fits(n, d, t, request)

    started = time.perf_counter()
    neighbours, distances = neighbour_graph(points, t, request.metric, request.seed)
    objective = by_candidate(neighbours, distances)
    d0 = float(distances.max()) if distances.max() > 0 else 1.0
    built = time.perf_counter()

    picks, gains = _dense.run_search(objective, n, d0, request)
    searched = time.perf_counter()

    weights, _, bound = _assign.weights_from_points(points, picks, request.metric)
    _check_bound(bound, request)
    timings = {
        "distances": built - started,
        "greedy": searched - built,
        "weights": time.perf_counter() - searched,
    }
    return PartSelection(picks, gains, weights, bound, timings)


def _check_bound(bound: float, request: PartRequest) -> None:
    # The graph's L counts an uncovered point at d0, which can be below its
    # true distance to the nearest pick: the exact L(S) may exceed the target.
    if request.bound is not None and bound > request.bound:
        warnings.warn(
            f"class {request.label!r}: the knn backend stopped when its graph's "
            f"bound reached {request.bound:.6g}, but the exact L(S) is "
            f"{bound:.6g}; use more neighbours or backend='partition' for a "
            f"guaranteed epsilon",
            CoresetWarning,
            stacklevel=5,
        )


def needed_bytes(n_points: int, n_features: int, n_neighbors: int) -> int:
    """Peak bytes beyond the input: the graph twice (by point, by candidate),
    the search blocks and the greedy's arrays."""
    edges = n_points * (n_neighbors + 1)
    index = 0 if n_points <= EXACT_MAX_POINTS else 8 * n_points * n_features
    return 2 * 12 * edges + 8 * n_points + 2 * _BLOCK_BYTES + 64 * n_points + index


def check_fits(n_points, n_features, n_neighbors, request: PartRequest) -> None:
    """Raise ``InsufficientMemoryError`` before building what does not fit."""
    needed = needed_bytes(n_points, n_features, n_neighbors)
    if needed <= request.memory_budget:
        return
    raise InsufficientMemoryError(
        f"class {request.label!r} has {n_points:,} points: the knn backend with "
        f"n_neighbors={n_neighbors} needs {format_bytes(needed)}, but the memory "
        f"budget is {format_bytes(request.memory_budget)}; use fewer neighbours, "
        f"raise max_memory, or use backend='partition'"
    )


def neighbour_graph(points: np.ndarray, t: int, metric: str, seed: int):
    """(n, t + 1) neighbour rows and float32 distances; column 0 is the point."""
    n = points.shape[0]
    if n <= EXACT_MAX_POINTS or t + 1 >= n:
        neighbours, distances = _exact_neighbours(points, t, metric)
    else:
        neighbours, distances = _approximate_neighbours(points, t, metric, seed)
    return _put_self_first(neighbours, distances)


def _exact_neighbours(points, t, metric):
    X, sq = _distances.prepare(points, metric)
    n = X.shape[0]
    neighbours = np.empty((n, t + 1), dtype=np.int64)
    distances = np.empty((n, t + 1), dtype=np.float32)
    rows = max(1, _BLOCK_BYTES // (4 * n))
    for start in range(0, n, rows):
        stop = min(start + rows, n)
        block = _distances.distance_block(X[start:stop], sq[start:stop], X, sq, metric)
        block[np.arange(stop - start), np.arange(start, stop)] = -1.0  # self first
        if t + 1 < n:
            near = np.argpartition(block, t, axis=1)[:, : t + 1]
        else:
            near = np.broadcast_to(np.arange(n), (stop - start, n))
        neighbours[start:stop] = near
        distances[start:stop] = np.take_along_axis(block, near, axis=1)
    return neighbours, distances


def _approximate_neighbours(points, t, metric, seed):
    import faiss

    X, _ = _distances.prepare(points, metric)
    n, d = X.shape
    quantizer = faiss.IndexFlatL2(d)
    n_lists = max(1, min(int(4 * math.sqrt(n)), n // 39))  # 39: faiss's minimum
    index = faiss.IndexIVFFlat(quantizer, d, n_lists)
    index.cp.seed = int(seed % 2**31)
    index.train(X)
    index.add(X)
    index.nprobe = _PROBES
    squared, neighbours = index.search(X, t + 1)
    missing = neighbours < 0  # fewer than t + 1 points in the probed lists
    neighbours[missing] = np.arange(n).repeat(missing.sum(axis=1))
    squared[missing] = 0.0
    return neighbours.astype(np.int64), _from_squared(squared, metric)


def _from_squared(squared: np.ndarray, metric: str) -> np.ndarray:
    squared = np.maximum(squared, 0.0, out=squared)
    if metric == "euclidean":
        return np.sqrt(squared, out=squared)
    if metric == "cosine":  # unit rows: |a - b|^2 = 2 (1 - cos)
        return np.multiply(squared, 0.5, out=squared)
    return squared


def _put_self_first(neighbours: np.ndarray, distances: np.ndarray):
    """Make column 0 the point itself at distance 0 (duplicates may have
    displaced it; then its farthest neighbour makes room)."""
    n = neighbours.shape[0]
    own = np.arange(n)
    is_self = neighbours == own[:, None]
    has_self = is_self.any(axis=1)
    where = np.where(has_self, is_self.argmax(axis=1), distances.argmax(axis=1))
    neighbours[own, where] = neighbours[:, 0]
    distances[own, where] = distances[:, 0]
    neighbours[:, 0] = own
    distances[:, 0] = 0.0
    return neighbours, distances


def by_candidate(neighbours: np.ndarray, distances: np.ndarray):
    """The graph transposed: (indptr, points, distances) stored by candidate,
    each candidate's points ascending."""
    n = neighbours.shape[0]
    flat = neighbours.ravel()
    order = np.argsort(flat, kind="stable")
    points = (order // neighbours.shape[1]).astype(np.int64)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(flat, minlength=n), out=indptr[1:])
    return indptr, points, np.ascontiguousarray(distances.ravel()[order])
