from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture
def weighted_problem():
    """A small binary problem with positive weights, not separable."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    y = np.where(X @ [1.0, -2.0, 0.5] + rng.normal(size=60) > 0, "yes", "no")
    gamma = rng.uniform(0.5, 3.0, size=60)
    return X, y, gamma
