import numpy as np
import pytest
import scipy.sparse as sp

import craig
from craig import InsufficientMemoryError
from tests import _reference


@pytest.fixture
def blobs():
    rng = np.random.default_rng(0)
    X = np.concatenate([rng.normal(c, 1.0, size=(150, 3)) for c in (0, 5, 10)])
    y = np.repeat(np.array(["a", "b", "c"]), 150)
    return X, y


def test_per_class_selection_weights_and_bounds(blobs):
    X, y = blobs
    coreset = craig.select(X, y, fraction=0.1)
    assert len(coreset) == 45
    assert np.unique(coreset.indices).size == 45
    assert coreset.weights.sum() == 450
    for label in "abc":
        mine = coreset.labels == label
        assert mine.sum() == 15
        assert coreset.weights[mine].sum() == 150
        assert (y[coreset.indices[mine]] == label).all()
        rows = np.flatnonzero(y == label)
        D = _reference.distances(X[rows])
        local = np.searchsorted(rows, coreset.indices[mine])
        expected = _reference.nearest_pick_counts(D, local)
        np.testing.assert_array_equal(coreset.weights[mine], expected)
        true_bound = D[:, local].min(axis=1).sum()
        assert coreset.class_bounds[label] == pytest.approx(true_bound, rel=1e-4)
    assert coreset.bound == pytest.approx(sum(coreset.class_bounds.values()))
    assert coreset.ranks.tolist() == list(range(15)) * 3


def test_permuting_the_input_permutes_the_selection(blobs):
    X, y = blobs
    permutation = np.random.default_rng(5).permutation(len(X))
    direct = craig.select(X, y, fraction=0.1)
    permuted = craig.select(X[permutation], y[permutation], fraction=0.1)
    assert permutation[permuted.indices].tolist() == direct.indices.tolist()
    np.testing.assert_array_equal(permuted.weights, direct.weights)
    assert 0 not in direct.indices[:3]


@pytest.mark.parametrize("method", ["lazy", "stochastic", "naive"])
def test_same_seed_same_coreset(blobs, method):
    X, y = blobs
    first = craig.select(X, y, size=30, method=method, random_state=3)
    again = craig.select(X, y, size=30, method=method, random_state=3)
    np.testing.assert_array_equal(first.indices, again.indices)
    np.testing.assert_array_equal(first.weights, again.weights)


def test_epsilon_gives_smallest_set_under_the_bound(blobs):
    X, y = blobs
    loose = craig.select(X, y, epsilon=400.0)
    tight = craig.select(X, y, epsilon=100.0)
    assert loose.bound <= 400.0 and tight.bound <= 100.0
    assert len(loose) < len(tight)
    assert craig.select(X, y, epsilon=0.0).indices.size == len(X)


def test_without_labels_or_per_class(blobs):
    X, y = blobs
    pooled = craig.select(X, y, size=20, per_class=False)
    unlabelled = craig.select(X, size=20)
    np.testing.assert_array_equal(pooled.indices, unlabelled.indices)
    assert unlabelled.labels is None
    assert pooled.labels.tolist() == y[pooled.indices].tolist()


def test_precomputed_equals_euclidean(blobs):
    X, _ = blobs
    D = _reference.distances(X)
    direct = craig.select(X, size=12)
    precomputed = craig.select(D, size=12, metric="precomputed")
    np.testing.assert_array_equal(direct.indices, precomputed.indices)


def test_sparse_input_equals_dense(blobs):
    X, y = blobs
    dense = craig.select(X, y, size=12)
    sparse = craig.select(sp.csr_matrix(X), y, size=12)
    np.testing.assert_array_equal(dense.indices, sparse.indices)


@pytest.mark.parametrize("size", [1, 3, 7])
def test_tiny_classes_identical_and_duplicate_points(size):
    X = np.ones((10, 2))
    X[7:] = [[2, 2], [2, 2], [5, 5]]
    y = np.array([0, 0, 0, 0, 0, 0, 0, 1, 1, 2])  # class 2 has one point
    if size < 3:
        with pytest.warns(craig.CoresetWarning, match="2 classes get no point"):
            coreset = craig.select(X, y, size=size)
    else:
        coreset = craig.select(X, y, size=size)
    assert len(coreset) == size
    assert np.unique(coreset.indices).size == size
    assert coreset.weights.sum() == 10 if size >= 3 else coreset.weights.sum() <= 10
    assert (coreset.weights > 0).all()


def test_taking_everything_gives_unit_weights(blobs):
    X, y = blobs
    coreset = craig.select(X, y, fraction=1.0)
    assert sorted(coreset.indices.tolist()) == list(range(len(X)))
    assert (coreset.weights == 1).all()
    assert coreset.bound == 0


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"fraction": 1.5}, ValueError, r"fraction must be in \(0, 1\], got 1.5"),
        ({"fraction": 0}, ValueError, r"fraction must be in \(0, 1\], got 0"),
        ({"size": 0}, ValueError, r"size must be an integer in \[1, n_samples=450\]"),
        ({"size": 451}, ValueError, r"got 451"),
        ({"size": True}, TypeError, r"size must be an integer, got bool"),
        ({"epsilon": -1}, ValueError, r"epsilon must be >= 0, got -1"),
        ({"fraction": 0.1, "size": 3}, ValueError, r"exactly one of .* fraction, size"),
        ({}, ValueError, r"exactly one of fraction, size or epsilon, got none"),
        ({"size": 3, "metric": "l1"}, ValueError, r"metric must be one of .*'l1'"),
        ({"size": 3, "method": "greedy"}, ValueError, r"method must be one of"),
        ({"size": 3, "stochastic_epsilon": 1}, ValueError, r"stochastic_epsilon"),
        ({"size": 3, "max_memory": "lots"}, ValueError, r"max_memory must be"),
        ({"size": 3, "per_class": "yes"}, TypeError, r"per_class must be True or"),
    ],
)
def test_bad_arguments(blobs, kwargs, error, match):
    X, y = blobs
    with pytest.raises(error, match=match):
        craig.select(X, y, **kwargs)


@pytest.mark.parametrize(
    ("X", "y", "error", "match"),
    [
        (np.zeros((0, 3)), None, ValueError, r"X must not be empty"),
        (np.arange(5.0), None, ValueError, r"X must be 2-D .* got 1-D"),
        (
            np.array([[1.0, np.nan], [np.inf, 0], [1, 1]]),
            None,
            ValueError,
            r"NaN or infinite values in 2 of 3 rows \(first: row 0\)",
        ),
        (np.array([["a", "b"]]), None, TypeError, r"X must hold real numbers"),
        (np.ones((4, 2)), [0, 1], ValueError, r"4 rows in X and 2 labels in y"),
        (np.ones((4, 3)), None, ValueError, None),
    ],
)
def test_bad_data(X, y, error, match):
    if match is None:  # precomputed needs a square matrix
        with pytest.raises(error, match=r"square distance matrix, got shape \(4, 3\)"):
            craig.select(X, size=1, metric="precomputed")
        return
    with pytest.raises(error, match=match):
        craig.select(X, y, size=1)


def test_memory_guard_names_class_size_and_need():
    X = np.random.default_rng(0).normal(size=(2000, 3))
    y = np.repeat([7, 8], 1000)
    with pytest.raises(InsufficientMemoryError, match=r"class np.int64\(7\)|class 7"):
        craig.select(X, y, fraction=0.1, max_memory="1MB")
    with pytest.raises(InsufficientMemoryError, match=r"1,000 points.*3.9 MiB"):
        craig.select(X, y, fraction=0.1, max_memory=2**20, backend="dense")


def test_selector_follows_the_estimator_contract(blobs):
    from sklearn.base import clone

    X, y = blobs
    selector = craig.CoresetSelector(fraction=0.1, random_state=0)
    assert selector.fit(X, y) is selector
    np.testing.assert_array_equal(
        selector.indices_, craig.select(X, y, fraction=0.1).indices
    )
    assert selector.weights_.sum() == len(X)
    assert clone(selector).get_params() == selector.get_params()
    assert not hasattr(clone(selector), "indices_")
    assert selector.transform(X).shape == (45, 3)
    with pytest.raises(ValueError, match="invalid parameter 'k'"):
        selector.set_params(k=3)
    with pytest.raises(AttributeError, match="not fitted yet"):
        craig.CoresetSelector(size=2).transform(X)


@pytest.mark.parametrize("method", ["lazy", "stochastic", "naive"])
def test_a_bound_met_by_the_empty_set_still_picks_one_point_per_class(method):
    X = np.random.default_rng(0).normal(size=(50, 3))
    y = np.arange(50) % 2
    loose = craig.select(X, y, epsilon=1e9, method=method)
    assert len(loose) == 2 and loose.weights.sum() == 50
    flat = craig.select(np.ones((50, 3)), y, epsilon=0.0, method=method)
    assert len(flat) == 2 and flat.bound == 0


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"random_state": -1}, ValueError, r"random_state must be an integer >= 0"),
        ({"random_state": "a"}, TypeError, r"random_state must be None, an integer"),
        ({"max_memory": "0GB"}, ValueError, r"max_memory must be > 0 bytes"),
    ],
)
def test_bad_seed_and_memory(blobs, kwargs, error, match):
    X, y = blobs
    with pytest.raises(error, match=match):
        craig.select(X, y, size=5, **kwargs)


def test_bad_values_and_labels(blobs):
    X, _ = blobs
    with pytest.raises(ValueError, match=r"beyond float32's range"):
        craig.select(X * 1e200, size=5)
    with pytest.raises(TypeError, match=r"real numbers, got .* complex128"):
        craig.select(X + 1j, size=5)
    mixed = np.array([1, "a"] * 225, dtype=object)
    with pytest.raises(TypeError, match=r"labels of one type, got a mix of int, str"):
        craig.select(X, mixed, size=5)
