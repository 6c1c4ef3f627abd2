import numpy as np
import pytest

pytest.importorskip("torch")

from craig.torch._partition import random_parts  # noqa: E402


def test_random_parts_have_even_sizes():
    parts = random_parts(2503, 1000, np.random.default_rng(0))
    assert sorted(np.bincount(parts)) == [834, 834, 835]
