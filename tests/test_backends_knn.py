import numpy as np
import pytest

import craig
from craig import InsufficientMemoryError
from craig.backends import PartRequest, _dense, _knn
from tests import _reference


def _request(size, **changes):
    settings = dict(
        label="c",
        size=size,
        bound=None,
        metric="euclidean",
        method="lazy",
        sample_epsilon=0.01,
        seed=0,
        memory_budget=1 << 30,
    )
    return PartRequest(**{**settings, **changes})


@pytest.mark.parametrize("metric", ["euclidean", "sqeuclidean", "cosine"])
@pytest.mark.parametrize("method", ["lazy", "naive", "stochastic"])
def test_all_neighbours_is_the_dense_search(metric, method):
    X = np.random.default_rng(1).normal(size=(90, 4)).astype(np.float32)
    request = _request(12, metric=metric, method=method, n_neighbors=89)
    dense = _dense.select_part(X, request)
    sparse = _knn.select_part(X, request)
    np.testing.assert_array_equal(sparse.picks, dense.picks)
    np.testing.assert_allclose(sparse.gains, dense.gains, rtol=1e-5)
    np.testing.assert_array_equal(sparse.weights, dense.weights)
    assert sparse.bound == pytest.approx(dense.bound, rel=1e-4)


def test_graph_by_candidate_matches_a_plain_transpose():
    X = np.random.default_rng(2).normal(size=(40, 3))
    neighbours, distances = _knn.neighbour_graph(X, 5, "euclidean", 0)
    D = _reference.distances(X)
    assert (neighbours[:, 0] == np.arange(40)).all()
    assert (distances[:, 0] == 0).all()
    for i in range(40):  # the 5 nearest others, at their distances
        expected = np.sort(D[i][np.argsort(D[i])[:6]])
        np.testing.assert_allclose(np.sort(distances[i]), expected, atol=1e-5)
    indptr, points, stored = _knn.by_candidate(neighbours, distances)
    for j in range(40):
        covered = np.flatnonzero((neighbours == j).any(axis=1))
        segment = slice(indptr[j], indptr[j + 1])
        np.testing.assert_array_equal(points[segment], covered)
        np.testing.assert_allclose(stored[segment], D[covered, j], atol=1e-5)


def test_duplicates_keep_each_point_first_in_its_own_row():
    X = np.ones((30, 2))
    neighbours, distances = _knn.neighbour_graph(X, 3, "euclidean", 0)
    assert (neighbours[:, 0] == np.arange(30)).all()
    assert all(len(set(row)) == 4 for row in neighbours)


def test_approximate_graph_above_the_exact_limit(monkeypatch):
    monkeypatch.setattr(_knn, "EXACT_MAX_POINTS", 100)
    X = np.random.default_rng(3).normal(size=(2000, 5)).astype(np.float32)
    exact = craig.select(X, size=100, backend="dense")
    approximate = craig.select(X, size=100, backend="knn", n_neighbors=32)
    assert approximate.bound <= 1.03 * exact.bound
    assert approximate.weights.sum() == 2000


def test_memory_guard_names_neighbours_and_budget():
    X = np.random.default_rng(0).normal(size=(3000, 3))
    with pytest.raises(InsufficientMemoryError, match=r"n_neighbors=64 needs"):
        craig.select(X, size=30, backend="knn", max_memory="20MB")


def test_epsilon_target_missed_by_the_graph_warns():
    request = _request(None, bound=1.0)
    with pytest.warns(craig.CoresetWarning, match=r"reached 1, but the exact L\(S\)"):
        _knn._check_bound(2.5, request)
