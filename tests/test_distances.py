import numpy as np
import pytest

from craig import _distances
from tests import _reference


@pytest.mark.parametrize("metric", ["euclidean", "sqeuclidean", "cosine"])
def test_distance_matrix_matches_reference(metric):
    X = np.random.default_rng(1).normal(size=(300, 7))
    X[5] = 0.0  # a zero vector: cosine distance 1 to the others
    D = _distances.distance_matrix(X, metric)
    assert D.dtype == np.float32
    np.testing.assert_allclose(D, _reference.distances(X, metric), atol=2e-3)
    assert (np.diag(D) == 0).all()


def test_blocks_cover_more_rows_than_one_block(monkeypatch):
    monkeypatch.setattr(_distances, "BLOCK_ROWS", 64)
    X = np.random.default_rng(2).normal(size=(200, 3))
    np.testing.assert_allclose(
        _distances.distance_matrix(X, "euclidean"), _reference.distances(X), atol=1e-4
    )
