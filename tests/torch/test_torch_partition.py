import numpy as np
import pytest

pytest.importorskip("torch")

from craig.torch._partition import nearest_pick_weights, random_parts  # noqa: E402


@pytest.mark.parametrize("seed", [0, 1])
def test_nearest_pick_weights_equal_brute_force(seed):
    rng = np.random.default_rng(seed)
    points = rng.normal(size=(5000, 4)).astype(np.float32)
    picks = rng.choice(5000, 40, replace=False)
    distances = np.linalg.norm(points[:, None] - points[picks][None], axis=2)

    weights, bound = nearest_pick_weights(points, picks)

    expected = np.bincount(distances.argmin(axis=1), minlength=40)
    np.testing.assert_array_equal(weights, expected)
    assert bound == pytest.approx(distances.min(axis=1).sum(), rel=1e-4)


def test_duplicates_keep_each_pick_its_own_weight():
    points = np.zeros((6, 2), dtype=np.float32)
    weights, bound = nearest_pick_weights(points, np.array([4, 1]))
    assert weights.sum() == 6 and weights.min() >= 1 and bound == 0


def test_random_parts_have_even_sizes():
    parts = random_parts(2503, 1000, np.random.default_rng(0))
    assert sorted(np.bincount(parts)) == [834, 834, 835]
