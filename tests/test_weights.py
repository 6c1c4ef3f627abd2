import numpy as np
import pytest

from craig import _weights
from craig.backends import _assign
from tests import _reference


@pytest.mark.parametrize("seed", range(4))
def test_matrix_weights_match_brute_force_counts(seed):
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 4, size=(80, 2)).astype(float)  # many ties
    D = _reference.distances(X)
    picks = rng.choice(80, size=9, replace=False)
    weights, owner, bound = _weights.weights_from_matrix(D.astype(np.float32), picks)
    np.testing.assert_array_equal(weights, _reference.nearest_pick_counts(D, picks))
    assert weights.sum() == 80
    assert bound == pytest.approx(D[:, picks].min(axis=1).sum(), rel=1e-5)


@pytest.mark.parametrize("metric", ["euclidean", "sqeuclidean", "cosine"])
def test_blockwise_weights_equal_matrix_weights(metric):
    X = np.random.default_rng(7).normal(size=(150, 4))
    picks = np.arange(0, 150, 10)
    D = _reference.distances(X, metric).astype(np.float32)
    from_matrix = _weights.weights_from_matrix(D, picks)
    from_points = _assign.weights_from_points(X, picks, metric)
    np.testing.assert_array_equal(from_matrix[0], from_points[0])
    assert from_matrix[2] == pytest.approx(from_points[2], rel=1e-4)
