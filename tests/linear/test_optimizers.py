"""Each optimizer converges on a weighted problem; weights act as repetitions."""

from __future__ import annotations

import numpy as np
import pytest

from craig.linear import IGLogisticRegression, reference_optimum, step_sizes

# (optimizer, settings, tolerance on the loss residual)
CONVERGE = [
    ("sgd", {"learning_rate": 0.1, "schedule": "inverse", "tau": 1.0}, 1e-3),
    ("sgd", {"learning_rate": 0.05, "batch_size": 8}, 1e-3),
    ("momentum", {"learning_rate": 0.01, "schedule": "inverse", "tau": 0.75}, 1e-3),
    ("adagrad", {"learning_rate": 0.2}, 1e-3),
    ("adam", {"learning_rate": 0.01, "schedule": "exponential", "decay": 0.97}, 1e-3),
    ("saga", {"learning_rate": 0.05}, 1e-8),
    ("svrg", {"learning_rate": 0.05}, 1e-8),
    ("saga", {"learning_rate": 0.1, "batch_size": 5}, 1e-8),
]


@pytest.mark.parametrize(("optimizer", "settings", "tolerance"), CONVERGE)
def test_converges_to_scipy_optimum(weighted_problem, optimizer, settings, tolerance):
    X, y, gamma = weighted_problem
    optimum = reference_optimum(X, y, l2=0.1, sample_weight=gamma)
    est = IGLogisticRegression(
        optimizer=optimizer, epochs=150, l2=0.1, random_state=0, **settings
    )
    est.fit(X, y, sample_weight=gamma)
    residual = est.history_["train_loss"][-1] - optimum.loss
    assert -1e-12 <= residual <= tolerance


@pytest.mark.parametrize("optimizer", ["saga", "svrg"])
def test_variance_reduced_residual_below_1e_6(optimizer):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(200, 6))
    y = np.where(X @ rng.normal(size=6) + rng.normal(size=200) > 0, 1, -1)
    gamma = rng.integers(1, 5, size=200).astype(float)
    optimum = reference_optimum(X, y, l2=0.05, sample_weight=gamma)
    est = IGLogisticRegression(
        optimizer=optimizer, learning_rate=0.02, epochs=60, l2=0.05, random_state=1
    )
    est.fit(X, y, sample_weight=gamma)
    assert est.history_["train_loss"][-1] - optimum.loss <= 1e-6


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "saga", "svrg"])
def test_full_batch_weights_equal_repeated_rows(weighted_problem, optimizer):
    X, y, _ = weighted_problem
    counts = np.random.default_rng(2).integers(1, 4, size=len(y))
    repeated = np.repeat(np.arange(len(y)), counts)
    # A batch moves by the mean of its weighted gradients, so a full batch of
    # |S| weighted rows takes the step of N = sum(gamma) rows scaled by N / |S|.
    rate = 0.5 * len(y) / len(repeated)
    common = {"optimizer": optimizer, "epochs": 20, "l2": 0.01, "order": "greedy"}
    weighted = IGLogisticRegression(learning_rate=rate, batch_size=len(y), **common)
    weighted.fit(X, y, sample_weight=counts.astype(float))
    plain = IGLogisticRegression(learning_rate=0.5, batch_size=len(repeated), **common)
    plain.fit(X[repeated], y[repeated])
    np.testing.assert_allclose(weighted.params_, plain.params_, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        ("constant", [0.5, 0.5, 0.5]),
        ("inverse", [0.5, 0.5 / 2**0.5, 0.5 / 3**0.5]),
        ("exponential", [0.5, 0.45, 0.405]),
    ],
)
def test_step_sizes(schedule, expected):
    got = step_sizes(schedule, 0.5, 3, tau=0.5, decay=0.9)
    np.testing.assert_allclose(got, expected)


def test_init_update_pairs_expose_their_state(weighted_problem):
    from craig.linear import LogisticModel, encode_labels, make_problem, saga, svrg

    X, y, gamma = weighted_problem
    _, codes = encode_labels(y, "binary")
    model = LogisticModel("binary", l2=0.1)
    problem = make_problem(X, codes, gamma, model)
    order = np.arange(len(y))

    state = saga().init(model.init_params(3), problem)
    assert state.table.shape == (60, 1) and not state.table.any()
    state = saga().update(state, problem, order, 0.05, 1)
    expected = model.derivatives(np.zeros((1, 4)), X[:1], codes[:1])
    assert state.table[0, 0] == pytest.approx(expected[0, 0])

    state = svrg().init(model.init_params(3), problem)
    before = state.params.copy()
    state = svrg().update(state, problem, order, 0.05, 1)
    np.testing.assert_array_equal(state.snapshot, before)
    full = model.gradient(before, X, codes, gamma) * gamma.mean()
    full[:, :-1] -= model.l2 * gamma.mean() * before[:, :-1]
    np.testing.assert_allclose(state.snapshot_gradient, full, atol=1e-14)
