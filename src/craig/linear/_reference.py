"""Plain NumPy references of the epoch kernels, for the tests.

Each function does what the kernel of the same name in ``_kernels`` does, one
batch at a time with whole-array NumPy operations on a dense ``X``, and with
the model's own NumPy derivative. They are slow and meant for tiny inputs.
"""

from __future__ import annotations

import numpy as np

from craig.linear._models import LogisticModel


def _batches(order: np.ndarray, batch: int):
    for lo in range(0, len(order), batch):
        yield order[lo : lo + batch]


def _weighted_sum(model, P, X, y, gamma, B):
    """``sum_{j in B} gamma_j s_j [x_j, 1]``, shape ``(C, d + 1)``."""
    S = model.derivatives(P, X[B], y[B]) * gamma[B, None]
    G = np.zeros_like(P)
    G[:, :-1] = S.T @ X[B]
    if model.fit_intercept:
        G[:, -1] = S.sum(axis=0)
    return G


def _penalty(P, lam):
    R = lam * P
    R[:, -1] = 0.0
    return R


def sgd_epoch(
    model: LogisticModel, X, y, gamma, order, batch, alpha, kind, hyper, state
):
    """Reference of ``_kernels.sgd_epoch``; ``state`` is a dict P, M, V, t."""
    P, M, V = state["P"], state["M"], state["V"]
    beta1, beta2, eps = hyper
    for B in _batches(order, batch):
        G = _weighted_sum(model, P, X, y, gamma, B) / len(B)
        G += _penalty(P, model.l2 * gamma[B].mean())
        state["t"] += 1
        t = state["t"]
        if kind == 0:
            P -= alpha * G
        elif kind == 1:
            M[:] = beta1 * M + G
            P -= alpha * M
        elif kind == 2:
            V += G**2
            P -= alpha * G / (np.sqrt(V) + eps)
        else:
            M[:] = beta1 * M + (1 - beta1) * G
            V[:] = beta2 * V + (1 - beta2) * G**2
            P -= alpha * (M / (1 - beta1**t)) / (np.sqrt(V / (1 - beta2**t)) + eps)


def saga_epoch(model, X, y, gamma, order, batch, alpha, P, table, mean):
    """Reference of ``_kernels.saga_epoch``."""
    m = len(y)
    for B in _batches(order, batch):
        S = model.derivatives(P, X[B], y[B])
        D = (S - table[B]) * gamma[B, None]
        table[B] = S
        G = np.zeros_like(P)
        G[:, :-1] = D.T @ X[B]
        if model.fit_intercept:
            G[:, -1] = D.sum(axis=0)
        P -= alpha * (G / len(B) + mean + _penalty(P, model.l2 * gamma.mean()))
        mean += G / m


def full_gradient(model, X, y, gamma, P):
    """Reference of ``_kernels.full_gradient``."""
    return _weighted_sum(model, P, X, y, gamma, np.arange(len(y))) / len(y)


def svrg_epoch(model, X, y, gamma, order, batch, alpha, P, snapshot, mu):
    """Reference of ``_kernels.svrg_epoch``."""
    for B in _batches(order, batch):
        G = _weighted_sum(model, P, X, y, gamma, B)
        G -= _weighted_sum(model, snapshot, X, y, gamma, B)
        P -= alpha * (G / len(B) + mu + _penalty(P, model.l2 * gamma.mean()))
