"""Locality partitions: cells of at most P points, each solved on the dense path.

A part is split into cells by k-means (faiss, fit on a sample, every point then
assigned to its nearest centre); a cell larger than P is split again the same
way. Each cell runs dense greedy for up to twice its proportional share of the
part's budget (largest remainders); the budget then goes to the largest gains
over all cells, which is greedy on the sum of the cells' objectives (dense
cells of near-duplicates give picks to sparse ones). The weights come from
assigning every point of the part to its nearest pick over the whole part, not
only its cell, so the bound L(S) is exact for the picks made.

Random cells would be wrong for facility location: every cell would be a thin
sample of the whole space. Cells by locality keep each point's near neighbours
in its own cell, where the dense greedy sees them.
"""

from __future__ import annotations

import heapq
import math
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numba as nb
import numpy as np

from craig import _distances
from craig._budget import split_budget
from craig._errors import InsufficientMemoryError
from craig._memory import empty_prefaulted, format_bytes
from craig.backends import _assign, _dense
from craig.backends._part import PartRequest, PartSelection

# P = 4,000 measured on ijcnn1 and MNIST (benchmarks/bench_settings.md,
# bench_quality.md): L(S) within 0.1-0.6% of dense and 98-99% of the gap from
# random closed, at 10-50x less time; P = 2,000 closes only 94-95%.
DEFAULT_CELL_SIZE = 4000
# k-means is fit on at most this many points per centre (a sample).
_SAMPLE_PER_CENTRE = 64
_KMEANS_ITERATIONS = 12
_ASSIGN_BLOCK_BYTES = 8 << 20
_THREADED_KMEANS_SIZE = 1 << 24
_THREADS = min(4, os.cpu_count() or 1)
_SCRATCH = threading.local()  # each thread's reused cell matrix
# Each cell selects up to this many times its proportional share; the budget
# then goes to the largest gains over all cells.
OVERSELECT = 2


def select_part(points: np.ndarray, request: PartRequest) -> PartSelection:
    """Partition ``points`` into cells, select in each, weigh over the part."""
    n, d = points.shape
    cell_size = fitting_cell_size(n, d, request)

    started = time.perf_counter()
    cells = coarse_cells(points, cell_size, request.metric, request.seed)
    shares = cell_shares([len(c) for c in cells], request)
    seeds = cell_seeds(request.seed, len(cells))
    clustered = time.perf_counter()

    picks, gains = _select_cells(points, cells, shares, seeds, request, cell_size)
    searched = time.perf_counter()

    weights, _, bound = _assign.weights_from_points(points, picks, request.metric)
    timings = {
        "distances": clustered - started,
        "greedy": searched - clustered,
        "weights": time.perf_counter() - searched,
    }
    return PartSelection(picks, gains, weights, bound, timings)


def _select_cells(points, cells, shares, seeds, request, cell_size):
    # Cells run two (or cpu_count) at a time, each on one BLAS thread: the
    # kernels release the GIL, and small cells gain nothing from BLAS threads.
    results = []
    with _distances.one_blas_thread(), ThreadPoolExecutor(_THREADS) as pool:
        jobs = [
            pool.submit(select_cell, points[c], *share, request, cell_size, seed)
            for c, share, seed in zip(cells, shares, seeds)
        ]
        for cell, job in zip(cells, jobs):
            local = job.result()
            results.append((cell[local[0]], local[1]))
            if request.progress is not None:
                request.progress(
                    min(request.size or 0, sum(len(r[0]) for r in results))
                )
    return merge_by_gain(results, request.size)


def needed_bytes(n_points: int, n_features: int, cell_size: int) -> int:
    """Peak bytes beyond the input: one cell's dense matrix, the assignment
    blocks, and a few arrays of length n."""
    cell = _distances.dense_bytes(min(cell_size, n_points), n_features)
    assign = _ASSIGN_BLOCK_BYTES + _assign.BLOCK_BYTES + 12 * _assign.CHUNK_ROWS
    return _THREADS * cell + assign + 40 * n_points


def fitting_cell_size(n_points: int, n_features: int, request: PartRequest) -> int:
    """The requested (or default) P, made smaller until the memory budget holds.

    Raises ``InsufficientMemoryError`` when even cells of 64 points do not fit.
    """
    cell_size = request.cell_size or DEFAULT_CELL_SIZE
    while needed_bytes(n_points, n_features, cell_size) > request.memory_budget:
        if cell_size <= 64:
            raise InsufficientMemoryError(
                f"class {request.label!r} has {n_points:,} points: the partition "
                f"backend needs at least "
                f"{format_bytes(needed_bytes(n_points, n_features, 64))}, but the "
                f"memory budget is {format_bytes(request.memory_budget)}; raise "
                f"max_memory"
            )
        cell_size = max(64, cell_size // 2)
    return cell_size


def coarse_cells(points: np.ndarray, cell_size: int, metric: str, seed: int):
    """Row numbers of the first-level cells (ascending within a cell)."""
    n = points.shape[0]
    if n <= cell_size:
        return [np.arange(n, dtype=np.int64)]
    n_cells = math.ceil(n / cell_size)
    X, _ = _distances.prepare(points, metric)
    centres = fit_centres(X[sample_rows(n, n_cells, seed)], n_cells, seed)
    return group_rows(assign_to_centres(X, centres), n_cells)


def sample_rows(n_points: int, n_cells: int, seed: int) -> np.ndarray:
    """The sorted rows that k-means is fit on."""
    m = min(n_points, _SAMPLE_PER_CENTRE * n_cells)
    if m == n_points:
        return np.arange(n_points, dtype=np.int64)
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n_points, size=m, replace=False))


def fit_centres(sample: np.ndarray, n_cells: int, seed: int) -> np.ndarray:
    """k-means centres (faiss) of the rows of ``sample`` (float32, prepared)."""
    import faiss

    kmeans = faiss.Kmeans(
        sample.shape[1],
        n_cells,
        niter=_KMEANS_ITERATIONS,
        seed=int(seed % 2**31),
        max_points_per_centroid=1 << 30,
        min_points_per_centroid=1,
        verbose=False,
    )
    # faiss's OpenMP threads fight the BLAS and numba threads that still spin
    # after the previous step: on small samples one thread is many times faster.
    threads = faiss.omp_get_max_threads()
    if sample.shape[0] * n_cells < _THREADED_KMEANS_SIZE:
        faiss.omp_set_num_threads(1)
    try:
        kmeans.train(np.ascontiguousarray(sample, dtype=np.float32))
    finally:
        faiss.omp_set_num_threads(threads)
    return np.ascontiguousarray(kmeans.centroids, dtype=np.float32)


def assign_to_centres(X: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Index of the nearest centre (squared Euclidean) of each row of ``X``.

    A plain loop per row, not BLAS: each row's answer is the same whatever
    block or task it is computed in, which the distributed backend relies on.
    """
    centres = np.ascontiguousarray(centres, dtype=np.float32)
    labels = np.empty(X.shape[0], dtype=np.int64)
    c_sq = np.einsum("ij,ij->i", centres, centres).astype(np.float32)
    _nearest_centre(np.ascontiguousarray(X, dtype=np.float32), centres, c_sq, labels)
    return labels


@nb.njit(parallel=True, cache=True, nogil=True)
def _nearest_centre(X, centres, c_sq, labels):
    for i in nb.prange(X.shape[0]):
        best, best_j = np.float32(np.inf), 0
        for j in range(centres.shape[0]):
            dot = np.float32(0.0)
            for f in range(X.shape[1]):
                dot += X[i, f] * centres[j, f]
            score = c_sq[j] - np.float32(2.0) * dot
            if score < best:
                best, best_j = score, j
        labels[i] = best_j


def group_rows(labels: np.ndarray, n_cells: int):
    """Rows of each non-empty cell, ascending; cells in label order."""
    order = np.argsort(labels, kind="stable")
    ends = np.cumsum(np.bincount(labels, minlength=n_cells))
    return [cell for cell in np.split(order, ends[:-1]) if len(cell)]


def cell_shares(cell_sizes, request: PartRequest):
    """(size, bound) that each cell selects.

    With a bound, each cell gets the bound in proportion to its size. With a
    size, each cell selects up to ``OVERSELECT`` times its proportional share,
    and ``merge_by_gain`` keeps the part's budget from these.
    """
    n = sum(cell_sizes)
    if request.size is None:
        return [(None, request.bound * c / n) for c in cell_sizes]
    if len(cell_sizes) == 1:  # one cell: exactly the dense path
        return [(request.size, None)]
    sizes = split_budget(cell_sizes, request.size)
    return [(int(min(c, OVERSELECT * s)), None) for c, s in zip(cell_sizes, sizes)]


def cell_seeds(seed: int, n_cells: int) -> np.ndarray:
    """A seed per cell; a single cell keeps the part's seed (so one cell is
    exactly the dense path)."""
    if n_cells == 1:
        return np.array([seed], dtype=np.int64)
    return np.random.default_rng(seed).integers(2**62, size=n_cells)


def select_cell(points, size, bound, request: PartRequest, cell_size: int, seed):
    """Picks (cell rows) and gains of one cell; split again if over P points."""
    n = points.shape[0]
    if size == 0:
        return np.zeros(0, np.int64), np.zeros(0)
    if n <= cell_size:
        return _dense_cell(points, size, bound, request, seed, cell_size)
    cells = coarse_cells(points, cell_size, request.metric, seed)
    if len(cells) == 1:  # k-means cannot split it (duplicates): cut by order
        cells = np.array_split(np.arange(n), math.ceil(n / cell_size))
    sub = PartRequest(**{**request.__dict__, "size": size, "bound": bound})
    shares = cell_shares([len(c) for c in cells], sub)
    results = []
    for cell, share, s in zip(cells, shares, cell_seeds(seed, len(cells))):
        local = select_cell(points[cell], *share, request, cell_size, s)
        results.append((cell[local[0]], local[1]))
    return merge_by_gain(results, size)


def _cell_matrix(points, metric: str, capacity: int) -> np.ndarray:
    """The cell's distance matrix (as ``distance_matrix`` computes it) in a
    buffer this thread reuses from cell to cell: fresh pages are slow to touch
    on some machines, and a cell's matrix is the only large allocation. The
    buffer lives as long as the thread (the backend's pool threads end with
    the call; a Dask worker thread keeps one cell's matrix)."""
    n = points.shape[0]
    buffer = getattr(_SCRATCH, "buffer", None)
    if buffer is None or buffer.size < n * n:
        buffer = _SCRATCH.buffer = empty_prefaulted(max(n, capacity) ** 2)
    D = buffer[: n * n].reshape(n, n)
    X, sq = _distances.prepare(points, metric)
    for start in range(0, n, _distances.BLOCK_ROWS):
        stop = min(start + _distances.BLOCK_ROWS, n)
        _distances.distance_block(
            X[start:stop], sq[start:stop], X, sq, metric, out=D[start:stop]
        )
    np.fill_diagonal(D, 0.0)
    return D


def _dense_cell(points, size, bound, request: PartRequest, seed, cell_size):
    n = points.shape[0]
    if n == 1:
        return np.zeros(1, np.int64), np.zeros(1)
    D = _cell_matrix(points, request.metric, cell_size)
    sub = PartRequest(
        **{
            **request.__dict__,
            "size": size,
            "bound": bound,
            "seed": int(seed),
            "progress": None,
        }
    )
    return _dense.run_greedy(D, sub)


def merge_by_gain(results, size):
    """The part's picks from the cells' greedy sequences (cell rows mapped to
    part rows): every cell's first pick, then the largest gains over all cells
    until ``size`` picks (all when None), each cell's picks a prefix of its
    sequence. This is greedy on the sum of the cells' objectives; the first
    picks are kept apart because their gains hold the cell's phantom term.
    """
    picks, gains, heap = [], [], []
    for c, (cell_picks, cell_gains) in enumerate(results):
        if len(cell_picks):
            picks.append(cell_picks[0])
            gains.append(cell_gains[0])
        if len(cell_picks) > 1:
            heap.append((-cell_gains[1], c, 1))
    heapq.heapify(heap)
    total = sum(len(r[0]) for r in results) if size is None else size
    while len(picks) < total and heap:
        _, c, rank = heapq.heappop(heap)
        cell_picks, cell_gains = results[c]
        picks.append(cell_picks[rank])
        gains.append(cell_gains[rank])
        if rank + 1 < len(cell_picks):
            heapq.heappush(heap, (-cell_gains[rank + 1], c, rank + 1))
    return np.asarray(picks, dtype=np.int64), np.asarray(gains, dtype=np.float64)
