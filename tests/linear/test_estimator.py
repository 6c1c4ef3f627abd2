"""IGLogisticRegression: the scikit-learn contract, history, errors, divergence."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.sparse as sp

from craig._errors import DivergenceWarning
from craig.linear import IGLogisticRegression


def test_fit_returns_self_and_sets_results(weighted_problem):
    X, y, gamma = weighted_problem
    est = IGLogisticRegression(optimizer="saga", learning_rate=0.05, epochs=5)
    assert est.fit(X, y, sample_weight=gamma, eval_test=(X, y)) is est
    assert est.coef_.shape == (1, 3) and est.intercept_.shape == (1,)
    assert list(est.classes_) == ["no", "yes"]
    assert set(est.predict(X)) <= {"no", "yes"}
    np.testing.assert_allclose(est.predict_proba(X).sum(axis=1), 1.0)
    assert est.score(X, y) > 0.8
    history = est.history_
    assert history["epoch"] == list(range(6))
    assert history["gradient_evaluations"][-1] == 5 * len(y)
    assert np.all(np.diff(history["time"]) >= 0)
    assert history["test_error"][-1] == pytest.approx(1 - est.score(X, y))


def test_multinomial_and_sparse_agree_with_dense():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(90, 4)) * (rng.random((90, 4)) < 0.7)
    y = np.argmax(X @ rng.normal(size=(4, 3)), axis=1) + 10
    args = {"optimizer": "svrg", "learning_rate": 0.05, "epochs": 8, "random_state": 4}
    dense = IGLogisticRegression(**args).fit(X, y)
    sparse = IGLogisticRegression(**args).fit(sp.csr_matrix(X), y)
    assert dense.coef_.shape == (3, 4)
    np.testing.assert_allclose(dense.params_, sparse.params_, rtol=1e-10, atol=1e-12)
    assert dense.score(X, y) > 0.8


def test_random_state_is_honoured(weighted_problem):
    X, y, gamma = weighted_problem
    fits = [
        IGLogisticRegression(epochs=3, random_state=seed).fit(X, y, gamma).params_
        for seed in (7, 7, 8)
    ]
    np.testing.assert_array_equal(fits[0], fits[1])
    assert not np.array_equal(fits[0], fits[2])


def test_eval_train_measures_the_given_set(weighted_problem):
    X, y, gamma = weighted_problem
    est = IGLogisticRegression(epochs=2).fit(X[:20], y[:20], eval_train=(X, y))
    from craig.linear._optimum import resolve_model

    model, _, codes = resolve_model(y, l2=0.0, fit_intercept=True, multi_class="auto")
    assert est.history_["train_loss"][-1] == pytest.approx(
        model.loss(est.params_, X, codes)
    )


def test_divergence_warns_and_keeps_finite_parameters(weighted_problem):
    X, y, gamma = weighted_problem
    est = IGLogisticRegression(optimizer="momentum", learning_rate=1e300, epochs=10)
    with pytest.warns(DivergenceWarning, match="diverged at epoch"):
        est.fit(X * 1e10, y, sample_weight=gamma)
    assert est.diverged_epoch_ is not None
    assert est.n_epochs_ == est.diverged_epoch_ - 1
    assert np.all(np.isfinite(est.params_))


def test_no_warning_without_divergence(weighted_problem):
    X, y, gamma = weighted_problem
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        est = IGLogisticRegression(epochs=2).fit(X, y, gamma)
    assert est.diverged_epoch_ is None


def test_get_set_params_and_repr():
    est = IGLogisticRegression(optimizer="adam")
    assert est.get_params()["optimizer"] == "adam"
    assert est.set_params(epochs=3).epochs == 3
    assert repr(est) == "IGLogisticRegression(optimizer='adam', epochs=3)"
    with pytest.raises(ValueError, match="invalid parameter 'epoch'"):
        est.set_params(epoch=3)


BAD_SETTINGS = [
    (
        {"optimizer": "lbfgs"},
        ValueError,
        r"optimizer must be one of 'sgd', 'momentum', 'adagrad', 'adam', 'saga', "
        r"'svrg', got 'lbfgs'",
    ),
    ({"learning_rate": 0.0}, ValueError, r"learning_rate must be in \(0, inf\), got 0"),
    ({"learning_rate": -1}, ValueError, r"learning_rate must be in \(0, inf\), got -1"),
    ({"learning_rate": float("nan")}, ValueError, "learning_rate must be in"),
    ({"learning_rate": True}, TypeError, "learning_rate must be a real, got True"),
    ({"learning_rate": "0.1"}, TypeError, "learning_rate must be a real, got '0.1'"),
    ({"schedule": "cosine"}, ValueError, "schedule must be one of 'constant', "),
    ({"order": "random"}, ValueError, "order must be one of 'shuffle', 'greedy', "),
    ({"tau": 1.5}, ValueError, r"tau must be in \(0, 1\], got 1.5"),
    ({"decay": 0.0}, ValueError, r"decay must be in \(0, 1\], got 0.0"),
    ({"epochs": 0}, ValueError, "epochs must be an integer >= 1, got 0"),
    ({"batch_size": True}, TypeError, "batch_size must be an integer, got True"),
    ({"l2": -0.1}, ValueError, r"l2 must be in \[0, inf\), got -0.1"),
    ({"multi_class": "ovr"}, ValueError, "multi_class must be one of 'auto', "),
]


@pytest.mark.parametrize(("settings", "error", "message"), BAD_SETTINGS)
def test_bad_settings_raise_in_fit(weighted_problem, settings, error, message):
    X, y, _ = weighted_problem
    est = IGLogisticRegression(**settings)
    with pytest.raises(error, match=message):
        est.fit(X, y)


BAD_WEIGHTS = [
    (-np.ones(60), "sample_weight must be >= 0 with at least one positive weight"),
    (np.zeros(60), "sample_weight must be >= 0 with at least one positive weight"),
    (np.full(60, np.nan), "sample_weight must be finite, got NaN"),
    (np.ones(59), r"sample_weight must be 1-D with 60 weights .*got shape \(59,\)"),
    (np.ones((60, 1)), r"sample_weight must be 1-D with 60 weights"),
]


@pytest.mark.parametrize(("weights", "message"), BAD_WEIGHTS)
def test_bad_weights(weighted_problem, weights, message):
    X, y, _ = weighted_problem
    with pytest.raises(ValueError, match=message):
        IGLogisticRegression().fit(X, y, sample_weight=weights)


def test_binary_model_names_the_labels_found(weighted_problem):
    X, _, _ = weighted_problem
    y = np.repeat(["a", "b", "c"], 20)
    with pytest.raises(
        ValueError,
        match=r"exactly 2 distinct labels .*got 3: "
        r"\['a', 'b', 'c'\]",
    ):
        IGLogisticRegression(multi_class="binary").fit(X, y)


@pytest.mark.parametrize(
    ("X", "y", "message"),
    [
        (np.ones(5), np.ones(5), r"X must be 2-D with at least one row, got shape"),
        (np.full((4, 2), np.nan), np.arange(4) % 2, "X must be finite"),
        (np.ones((4, 2)), np.ones(3), r"y must be 1-D with 4 labels .*got shape"),
    ],
)
def test_bad_data(X, y, message):
    with pytest.raises(ValueError, match=message):
        IGLogisticRegression().fit(X, y)
