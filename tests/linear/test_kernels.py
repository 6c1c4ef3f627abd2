"""The numba epoch kernels against their plain NumPy references."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from craig.linear import _kernels, _reference
from craig.linear._models import LogisticModel
from craig.linear._rows import as_kernel_data

HYPER = (0.9, 0.999, 1e-8)


def _setup(kind, sparse, seed=0):
    rng = np.random.default_rng(seed)
    m, d, C = 40, 5, 3
    X = rng.normal(size=(m, d)) * (rng.random((m, d)) < 0.6)
    if kind == "binary":
        y, C = np.where(rng.random(m) < 0.5, -1.0, 1.0), 1
    else:
        y = rng.integers(0, C, m).astype(np.float64)
    model = LogisticModel(kind, n_classes=3, l2=0.1)
    Xk = as_kernel_data(sp.csr_matrix(X)) if sparse else X
    P = rng.normal(size=(C, d + 1)) * 0.3
    return X, Xk, y, rng.uniform(0.2, 3.0, m), rng.permutation(m), model, P


def _visit(Xk, order):
    """The dense kernels take rows gathered in visiting order."""
    if isinstance(Xk, tuple):
        return Xk, order
    out = np.empty_like(Xk)
    _kernels.gather_rows(Xk, order, out)
    return out, np.arange(len(order))


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("kind", ["binary", "multinomial"])
@pytest.mark.parametrize("transform", [0, 1, 2, 3])
@pytest.mark.parametrize("batch", [1, 4])
def test_sgd_epoch_matches_reference(kind, sparse, transform, batch):
    X, Xk, y, gamma, order, model, P = _setup(kind, sparse)
    state = {"P": P.copy(), "M": np.zeros_like(P), "V": np.zeros_like(P), "t": 0}
    _reference.sgd_epoch(
        model, X, y, gamma, order, batch, 0.05, transform, HYPER, state
    )
    P2, M, V, t = P.copy(), np.zeros_like(P), np.zeros_like(P), np.zeros(1, np.int64)
    Xv, rows = _visit(Xk, order)
    _kernels.sgd_epoch(
        Xv,
        y,
        gamma,
        rows,
        order,
        batch,
        0.05,
        0.1,
        model.code,
        True,
        transform,
        np.array(HYPER),
        P2,
        M,
        V,
        t,
    )
    np.testing.assert_allclose(P2, state["P"], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("kind", ["binary", "multinomial"])
@pytest.mark.parametrize("batch", [1, 3])
def test_saga_epoch_matches_reference(kind, sparse, batch):
    X, Xk, y, gamma, order, model, P = _setup(kind, sparse)
    table, mean, P1 = np.zeros((len(y), P.shape[0])), np.zeros_like(P), P.copy()
    for _ in range(2):
        _reference.saga_epoch(model, X, y, gamma, order, batch, 0.05, P1, table, mean)
    table2, mean2, P2 = np.zeros_like(table), np.zeros_like(P), P.copy()
    Xv, rows = _visit(Xk, order)
    for _ in range(2):
        _kernels.saga_epoch(
            Xv,
            y,
            gamma,
            rows,
            order,
            batch,
            0.05,
            0.1,
            model.code,
            True,
            P2,
            table2,
            mean2,
        )
    np.testing.assert_allclose(P2, P1, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(mean2, mean, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(table2, table, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("kind", ["binary", "multinomial"])
@pytest.mark.parametrize("batch", [1, 3])
def test_svrg_epoch_matches_reference(kind, sparse, batch):
    X, Xk, y, gamma, order, model, P = _setup(kind, sparse)
    snapshot = P + 0.1
    mu = _reference.full_gradient(model, X, y, gamma, snapshot)
    mu2 = np.empty_like(P)
    _kernels.full_gradient(Xk, y, gamma, model.code, True, snapshot, mu2)
    np.testing.assert_allclose(mu2, mu, rtol=1e-12, atol=1e-14)
    P1, P2 = P.copy(), P.copy()
    _reference.svrg_epoch(model, X, y, gamma, order, batch, 0.05, P1, snapshot, mu)
    Xv, rows = _visit(Xk, order)
    _kernels.svrg_epoch(
        Xv, y, gamma, rows, order, batch, 0.05, 0.1, model.code, True, P2, snapshot, mu2
    )
    np.testing.assert_allclose(P2, P1, rtol=1e-12, atol=1e-12)


def test_derivative_matches_model():
    rng = np.random.default_rng(1)
    Z = rng.normal(size=(5, 4)) * 30
    y = rng.integers(0, 4, 5)
    model = LogisticModel("multinomial", n_classes=4)
    expected = model.derivatives(np.hstack([np.eye(4), np.zeros((4, 1))]), Z, y)
    s = np.empty(4)
    for i in range(5):
        _kernels.derivative(1, Z[i], float(y[i]), s)
        np.testing.assert_allclose(s, expected[i], atol=1e-14)
