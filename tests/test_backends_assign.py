import numpy as np
import pytest

from craig.backends import _assign
from tests import _reference


@pytest.mark.parametrize("metric", ["euclidean", "sqeuclidean", "cosine"])
def test_bound_and_weights_match_brute_force(metric, monkeypatch):
    monkeypatch.setattr(_assign, "CHUNK_ROWS", 37)  # several chunks
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 5))
    X[3] = 0.0  # a zero row: cosine distance 1 to everything
    picks = rng.choice(200, 17, replace=False)
    weights, owner, bound = _assign.weights_from_points(X, picks, metric)
    D = _reference.distances(X, metric)
    assert bound == pytest.approx(D[:, picks].min(axis=1).sum(), rel=1e-5)
    expected = _reference.nearest_pick_counts(D, picks)
    np.testing.assert_array_equal(weights, expected)
    assert (owner[picks] == np.arange(17)).all()
