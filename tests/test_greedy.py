import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from craig.backends import PartRequest
from craig.backends._dense import run_greedy
from tests import _reference


def _request(method="lazy", size=None, bound=None, seed=0):
    return PartRequest(
        label=0,
        size=size,
        bound=bound,
        metric="euclidean",
        method=method,
        sample_epsilon=0.01,
        seed=seed,
        memory_budget=2**30,
    )


def _matrix(X):
    return _reference.distances(X).astype(np.float32)


@settings(max_examples=60, deadline=None)
@given(
    points=arrays(
        np.float64,
        st.tuples(st.integers(2, 40), st.integers(1, 4)),
        elements=st.integers(-3, 3).map(float),
    ),
    data=st.data(),
)
def test_lazy_picks_what_naive_picks(points, data):
    # Small integer grids make many ties and duplicates on purpose.
    D = _matrix(points)
    k = data.draw(st.integers(1, len(points)))
    naive, naive_gains = run_greedy(D, _request("naive", size=k))
    lazy, lazy_gains = run_greedy(D, _request("lazy", size=k))
    assert naive.tolist() == lazy.tolist()
    np.testing.assert_array_equal(naive_gains, lazy_gains)
    assert len(set(lazy.tolist())) == k


@pytest.mark.parametrize("seed", range(5))
def test_naive_kernel_matches_textbook_greedy(seed):
    D = _matrix(np.random.default_rng(seed).normal(size=(25, 3)))
    picks, gains = run_greedy(D, _request("naive", size=6))
    assert picks.tolist() == _reference.naive_greedy(D.astype(np.float64), 6)
    np.testing.assert_allclose(
        gains.sum(), _reference.facility_value(D.astype(np.float64), picks), rtol=1e-6
    )


@pytest.mark.parametrize("method", ["naive", "lazy"])
@pytest.mark.parametrize("seed", range(6))
def test_greedy_is_within_one_minus_one_over_e_of_optimum(method, seed):
    D = _matrix(np.random.default_rng(seed).normal(size=(12, 2)))
    for k in (1, 2, 3, 4):
        picks, _ = run_greedy(D, _request(method, size=k))
        value = _reference.facility_value(D.astype(np.float64), picks)
        optimum = _reference.best_subset_value(D.astype(np.float64), k)
        assert value >= (1 - 1 / math.e) * optimum - 1e-9


def test_stochastic_is_reproducible_and_close_to_lazy():
    D = _matrix(np.random.default_rng(3).normal(size=(600, 4)))
    first, _ = run_greedy(D, _request("stochastic", size=60, seed=11))
    again, _ = run_greedy(D, _request("stochastic", size=60, seed=11))
    other, _ = run_greedy(D, _request("stochastic", size=60, seed=12))
    lazy, _ = run_greedy(D, _request("lazy", size=60))
    assert first.tolist() == again.tolist()
    assert first.tolist() != other.tolist()
    assert len(set(first.tolist())) == 60
    value = _reference.facility_value(D.astype(np.float64), first)
    best = _reference.facility_value(D.astype(np.float64), lazy)
    assert value >= 0.97 * best


@pytest.mark.parametrize("method", ["naive", "lazy", "stochastic"])
def test_bound_stop_gives_smallest_greedy_prefix(method):
    D = _matrix(np.random.default_rng(4).normal(size=(200, 3)))
    full, _ = run_greedy(D, _request(method, size=200))
    bounds = [D[:, full[:m]].min(axis=1).sum(dtype=np.float64) for m in range(1, 201)]
    target = bounds[29] + 1e-3
    picks, _ = run_greedy(D, _request(method, bound=target))
    assert D[:, picks].min(axis=1).sum() <= target
    if method != "stochastic":
        assert len(picks) == next(m for m, b in enumerate(bounds, 1) if b <= target)
