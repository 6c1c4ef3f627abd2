"""The exact path: one n_c x n_c float32 distance matrix per part."""

from __future__ import annotations

import time

import numpy as np

from craig import _distances, _greedy, _weights
from craig._errors import InsufficientMemoryError
from craig._memory import format_bytes
from craig.backends._part import PartRequest, PartSelection

# Picks per kernel call: small enough for a live progress bar, large enough
# that the Python round trip costs nothing.
_CHUNK = 256


def select_part(points: np.ndarray, request: PartRequest) -> PartSelection:
    """Greedy facility location on the full distance matrix of ``points``.

    ``points`` are feature rows, or for ``metric="precomputed"`` the part's
    square distance matrix (row i, column j: d_ij).
    """
    check_fits(points.shape[0], _n_features(points, request), request)

    started = time.perf_counter()
    D = _candidate_major(points, request.metric)
    built = time.perf_counter()

    picks, gains = run_greedy(D, request)
    searched = time.perf_counter()

    weights, _, bound = _weights.weights_from_matrix(D, picks)
    timings = {
        "distances": built - started,
        "greedy": searched - built,
        "weights": time.perf_counter() - searched,
    }
    return PartSelection(picks, gains, weights, bound, timings)


def check_fits(n_points: int, n_features: int, request: PartRequest) -> None:
    """Raise ``InsufficientMemoryError`` before allocating what does not fit."""
    needed = _distances.dense_bytes(n_points, n_features)
    if needed <= request.memory_budget:
        return
    raise InsufficientMemoryError(
        f"class {request.label!r} has {n_points:,} points: the dense backend needs "
        f"{format_bytes(needed)} for its distance matrix, but the memory budget "
        f"is {format_bytes(request.memory_budget)}. Select per class, use a "
        f"smaller part of the data, raise max_memory if the machine has more, or "
        f"use backend='partition' (--backend partition), made for large classes"
    )


def run_greedy(D: np.ndarray, request: PartRequest):
    """Picks and gains of the requested greedy on the matrix ``D``."""
    n = D.shape[1]
    d0 = float(D.max()) if n > 1 else 1.0
    return run_search(D, n, d0, request)


def run_search(objective, n_points: int, d0: float, request: PartRequest):
    """Picks and gains of the requested greedy on any form of the objective
    (see ``craig._objective``) over ``n_points`` points, phantom at ``d0``."""
    state = _greedy.GreedyState.start(n_points, d0)
    stop_count = n_points if request.size is None else request.size
    stop_total = -1.0 if request.bound is None else request.bound
    search = _SEARCHES[request.method]
    search(objective, state, stop_count, stop_total, request)
    k = state.n_picked
    return state.picks[:k].copy(), state.gains[:k].copy()


def _naive(objective, state, stop_count, stop_total, request):
    scratch = np.empty(state.nearest.shape[0], dtype=np.float64)
    for target in _chunk_targets(stop_count):
        _greedy.naive_steps(
            objective,
            *state.pick_arrays(),
            scratch,
            target,
            stop_total,
        )
        if _report(state, request, stop_count, stop_total):
            return


def _lazy(objective, state, stop_count, stop_total, request):
    keys = _greedy.build_heap(
        objective,
        state.nearest,
        state.selected,
        state.bounds,
        state.stamps,
        state.order,
        state.counters,
    )
    for target in _chunk_targets(stop_count):
        _greedy.lazy_steps(
            objective,
            *state.pick_arrays(),
            keys,
            state.order,
            state.stamps,
            target,
            stop_total,
        )
        if _report(state, request, stop_count, stop_total):
            return


def _stochastic(objective, state, stop_count, stop_total, request):
    n = state.nearest.shape[0]
    k_planned = max(1, n // 10) if request.size is None else request.size
    per_step = _greedy.sample_size(n, k_planned, request.sample_epsilon)
    rng = np.random.default_rng(request.seed)
    while True:
        uniforms = rng.random((_CHUNK, per_step))
        _greedy.stochastic_steps(
            objective,
            *state.pick_arrays(),
            state.bounds,
            state.order,
            uniforms,
            stop_count,
            stop_total,
        )
        if _report(state, request, stop_count, stop_total):
            return


_SEARCHES = {"naive": _naive, "lazy": _lazy, "stochastic": _stochastic}


def _chunk_targets(stop_count: int):
    yield from range(_CHUNK, stop_count, _CHUNK)
    while True:
        yield stop_count


def _report(state, request, stop_count, stop_total) -> bool:
    """Advance the progress bar; True when the search has stopped."""
    if request.progress is not None:
        request.progress(state.n_picked)
    n = state.nearest.shape[0]
    picked = state.n_picked
    return picked >= stop_count or picked >= n or state.total[0] <= stop_total


def _candidate_major(points: np.ndarray, metric: str) -> np.ndarray:
    if metric == "precomputed":
        return np.ascontiguousarray(points.T, dtype=np.float32)
    return _distances.distance_matrix(points, metric)


def _n_features(points: np.ndarray, request: PartRequest) -> int:
    return 0 if request.metric == "precomputed" else points.shape[1]
