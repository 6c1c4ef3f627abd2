"""The reference optimum and the gradient error of a weighted subset."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from craig.linear import (
    LogisticModel,
    encode_labels,
    gradient_error,
    gradient_error_bound,
    reference_optimum,
)


def test_reference_optimum_matches_scikit_learn(weighted_problem):
    X, y, _ = weighted_problem
    l2 = 0.05
    optimum = reference_optimum(X, y, l2=l2)
    # scikit-learn minimises ||w||^2 / 2 + C sum_i loss_i: C = 1 / (n l2).
    sk = LogisticRegression(C=1 / (len(y) * l2), tol=1e-12, max_iter=10_000).fit(X, y)
    np.testing.assert_allclose(optimum.params[0, :-1], sk.coef_[0], atol=1e-6)
    np.testing.assert_allclose(optimum.params[0, -1], sk.intercept_[0], atol=1e-6)
    assert optimum.gradient_norm < 1e-8


@pytest.mark.parametrize("kind", ["binary", "multinomial"])
@pytest.mark.parametrize("l2", [0.0, 0.3])
def test_gradient_error_matches_brute_force(kind, l2):
    rng = np.random.default_rng(5)
    X = rng.normal(size=(50, 4))
    y = rng.integers(0, 2 if kind == "binary" else 3, 50)
    classes, codes = encode_labels(y, kind)
    model = LogisticModel(kind, len(classes), l2=l2)
    P = rng.normal(size=(model.n_outputs, 5))
    indices = rng.choice(50, 12, replace=False)
    weights = rng.uniform(1, 8, 12)
    grads = model.sample_gradients(P, X, codes)
    full = grads.sum(axis=0)
    part = (weights[:, None] * grads[indices]).sum(axis=0)
    expected = np.linalg.norm(full - part) / np.linalg.norm(full)
    got = gradient_error(X, y, indices, weights, P, l2=l2, multi_class=kind)
    assert got == pytest.approx(expected, rel=1e-12)


def test_gradient_error_of_the_whole_set_is_zero(weighted_problem):
    X, y, _ = weighted_problem
    P = np.ones((1, 4))
    assert gradient_error(X, y, np.arange(60), np.ones(60), P) < 1e-14


def test_gradient_error_bound_holds_for_nearest_assignment():
    rng = np.random.default_rng(6)
    X = rng.normal(size=(40, 3))
    y = np.ones(40)
    y[0] = -1  # one label per class; all but sample 0 in class +1
    centres = np.array([0, 1, 2, 3])
    d = np.linalg.norm(X[:, None] - X[None, centres], axis=2)
    d[1:, 0] = np.inf
    d[0, 1:] = np.inf
    nearest = centres[np.argmin(d, axis=1)]
    weights = np.bincount(nearest, minlength=40)[centres].astype(float)
    L = d.min(axis=1).sum()
    P = rng.normal(size=(1, 4))
    classes, codes = encode_labels(y, "binary")
    full = np.linalg.norm(LogisticModel("binary").sample_gradients(P, X, codes).sum(0))
    error = gradient_error(X, y, centres, weights, P)
    assert error <= gradient_error_bound(L, X, P, full)
