import logging

import numpy as np
import pytest

import craig
from craig import InsufficientMemoryError
from craig.backends import _dense, _partition
from tests import _reference
from tests.test_backends_knn import _request


@pytest.fixture
def blobs():
    rng = np.random.default_rng(0)
    centres = rng.normal(0, 8, size=(12, 4))
    return (centres[rng.integers(12, size=3000)] + rng.normal(size=(3000, 4))).astype(
        np.float32
    )


@pytest.mark.parametrize("method", ["lazy", "stochastic"])
def test_one_cell_is_the_dense_path(method):
    X = np.random.default_rng(1).normal(size=(300, 4)).astype(np.float32)
    request = _request(30, method=method, cell_size=300)
    dense = _dense.select_part(X, request)
    cells = _partition.select_part(X, request)
    np.testing.assert_array_equal(cells.picks, dense.picks)
    np.testing.assert_array_equal(cells.weights, dense.weights)
    assert cells.bound == pytest.approx(dense.bound, rel=1e-5)


def test_cells_are_small_cover_every_row_and_budgets_add_up(blobs):
    request = _request(150, cell_size=200)
    cells = _partition.coarse_cells(blobs, 200, "euclidean", 0)
    rows = np.sort(np.concatenate(cells))
    np.testing.assert_array_equal(rows, np.arange(len(blobs)))
    selection = _partition.select_part(blobs, request)
    assert len(selection.picks) == 150 == np.unique(selection.picks).size
    assert selection.weights.sum() == len(blobs)


@pytest.mark.parametrize("metric", ["euclidean", "sqeuclidean", "cosine"])
def test_bound_and_weights_are_exact_over_the_whole_part(blobs, metric):
    X = blobs[:800]
    selection = _partition.select_part(X, _request(40, metric=metric, cell_size=100))
    D = _reference.distances(X, metric)
    brute = D[:, selection.picks].min(axis=1).sum()
    assert selection.bound == pytest.approx(brute, rel=1e-4)
    expected = _reference.nearest_pick_counts(D, selection.picks)
    assert np.abs(selection.weights - expected).sum() <= 2  # float32 near-ties


def test_partition_is_close_to_dense_and_far_better_than_random(blobs):
    dense = craig.select(blobs, size=150, backend="dense")
    cells = craig.select(blobs, size=150, backend="partition", cell_size=500)
    rng = np.random.default_rng(0)
    random_picks = rng.choice(len(blobs), 150, replace=False)
    D = _reference.distances(blobs)
    random_bound = D[:, random_picks].min(axis=1).sum()
    closed = (random_bound - cells.bound) / (random_bound - dense.bound)
    assert closed >= 0.95


def test_epsilon_bound_holds_per_cell(blobs):
    coreset = craig.select(blobs, epsilon=2000.0, backend="partition", cell_size=300)
    assert coreset.bound <= 2000.0


def test_same_seed_same_coreset(blobs):
    y = np.arange(len(blobs)) % 3
    first = craig.select(blobs, y, size=90, backend="partition", random_state=4)
    again = craig.select(blobs, y, size=90, backend="partition", random_state=4)
    np.testing.assert_array_equal(first.indices, again.indices)
    np.testing.assert_array_equal(first.weights, again.weights)


def test_memory_budget_shrinks_cells_then_refuses(blobs):
    small = _request(30, memory_budget=_partition.needed_bytes(3000, 4, 256) + 1)
    assert _partition.fitting_cell_size(3000, 4, small) == 250
    with pytest.raises(InsufficientMemoryError, match=r"partition backend needs"):
        craig.select(blobs, size=30, backend="partition", max_memory="1MB")


def test_auto_logs_its_choice(blobs, caplog):
    with caplog.at_level(logging.INFO, logger="craig._select"):
        craig.select(blobs[:500], size=10)
        craig.select(blobs, size=10, max_memory="30MB")
    assert "500 points, dense backend: 500 points fit" in caplog.text
    needs = "partition backend: the dense matrix needs 34.6 MiB, over the budget 30.0"
    assert needs in caplog.text


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"cell_size": 1}, ValueError, r"cell_size must be an integer >= 2, got 1"),
        ({"n_neighbors": 2.5}, TypeError, r"n_neighbors must be an integer, got"),
        ({"backend": "faiss"}, ValueError, r"backend must be one of .*'faiss'"),
        (
            {"backend": "knn", "metric": "precomputed"},
            ValueError,
            r"backend must be 'auto' or 'dense' with metric='precomputed', got 'knn'",
        ),
    ],
)
def test_bad_backend_arguments(kwargs, error, match):
    X = np.random.default_rng(0).random((20, 20))
    with pytest.raises(error, match=match):
        craig.select(X, size=3, **kwargs)


def test_auto_stays_within_max_memory():
    import tracemalloc

    rng = np.random.default_rng(0)
    X = rng.normal(size=(8_000, 4)).astype(np.float32)
    tracemalloc.start()
    try:
        coreset = craig.select(X, size=200, max_memory="40MB")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(coreset) == 200
    assert peak < 40 * 2**20  # NumPy's allocations (faiss's own are not traced)
