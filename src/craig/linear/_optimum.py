"""The reference optimum f* and the gradient error of a weighted subset."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy.optimize import minimize

from craig.linear import _checks
from craig.linear._models import LogisticModel, encode_labels


class Optimum(NamedTuple):
    """The minimiser ``params`` (``(C, d + 1)``), ``loss`` f* and its gradient norm."""

    params: np.ndarray
    loss: float
    gradient_norm: float
    classes: np.ndarray


def resolve_model(y, *, l2, fit_intercept, multi_class) -> tuple:
    """The model for labels ``y`` and ``multi_class``; ``(model, classes, codes)``."""
    _checks.check_option("multi_class", multi_class, ("auto", "binary", "multinomial"))
    kind = multi_class
    if kind == "auto":
        kind = "binary" if len(np.unique(y)) <= 2 else "multinomial"
    classes, codes = encode_labels(y, kind)
    model = LogisticModel(kind, len(classes), l2, fit_intercept)
    return model, classes, codes


def reference_optimum(
    X,
    y,
    *,
    l2=0.0,
    fit_intercept=True,
    multi_class="auto",
    sample_weight=None,
    tol=1e-10,
    max_iter=20_000,
) -> Optimum:
    """Minimise the (weighted) logistic objective tightly with L-BFGS (scipy).

    Parameters
    ----------
    X : array-like or sparse matrix of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    l2 : float, default=0.0
        The L2 penalty :math:`\\lambda`; with 0 on separable data there is no
        minimiser and the result is wherever L-BFGS stops.
    fit_intercept : bool, default=True
    multi_class : {"auto", "binary", "multinomial"}, default="auto"
    sample_weight : array-like of shape (n_samples,), default=None
    tol : float, default=1e-10
        Gradient tolerance (``gtol``) of L-BFGS.
    max_iter : int, default=20000

    Returns
    -------
    Optimum
        ``params`` of shape ``(C, d + 1)`` (intercept last), ``loss`` f*,
        ``gradient_norm`` at the minimiser, ``classes``.
    """
    X = _checks.check_X(X)
    y = _checks.check_y(y, X.shape[0])
    gamma = _checks.check_sample_weight(sample_weight, X.shape[0])
    l2 = _checks.check_real("l2", l2, low=0.0, low_open=False)
    model, classes, codes = resolve_model(
        y, l2=l2, fit_intercept=fit_intercept, multi_class=multi_class
    )
    shape = (model.n_outputs, X.shape[1] + 1)

    def objective(theta):
        P = theta.reshape(shape)
        return model.loss(P, X, codes, gamma), model.gradient(
            P, X, codes, gamma
        ).ravel()

    options = {"gtol": tol, "ftol": 1e-16, "maxiter": max_iter, "maxcor": 30}
    result = minimize(
        objective,
        np.zeros(np.prod(shape)),
        jac=True,
        method="L-BFGS-B",
        options=options,
    )
    P = result.x.reshape(shape)
    grad = model.gradient(P, X, codes, gamma)
    return Optimum(P, float(result.fun), float(np.linalg.norm(grad)), classes)


def _gradient_sum(model: LogisticModel, P, X, y, gamma) -> np.ndarray:
    """``sum_i gamma_i grad f_i(P)`` with the L2 term, flattened."""
    S = model.derivatives(P, X, y) * gamma[:, None]
    G = np.zeros_like(P)
    G[:, :-1] = np.asarray(X.T @ S).T + gamma.sum() * model.l2 * P[:, :-1]
    if model.fit_intercept:
        G[:, -1] = S.sum(axis=0)
    return G.ravel()


def gradient_error(
    X, y, indices, weights, params, *, l2=0.0, fit_intercept=True, multi_class="auto"
) -> float:
    """The normalised error of a weighted subset's gradient at ``params``.

    .. math::

        \\frac{\\lVert \\sum_{i \\in V} \\nabla f_i(w)
              - \\sum_{j \\in S} \\gamma_j \\nabla f_j(w) \\rVert}
             {\\lVert \\sum_{i \\in V} \\nabla f_i(w) \\rVert}

    with ``indices`` for S (positions in X) and ``weights`` for gamma.

    Parameters
    ----------
    X : array-like or sparse matrix of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    indices : array-like of int, shape (k,)
    weights : array-like of shape (k,)
    params : ndarray of shape (C, n_features + 1)
        The point w, intercept last (``Optimum.params`` or the estimator's
        ``params_``).
    l2, fit_intercept, multi_class
        As in :func:`reference_optimum`.
    """
    X = _checks.check_X(X)
    y = _checks.check_y(y, X.shape[0])
    indices = np.asarray(indices, dtype=np.int64)
    gamma = _checks.check_sample_weight(weights, len(indices))
    model, _, codes = resolve_model(
        y, l2=l2, fit_intercept=fit_intercept, multi_class=multi_class
    )
    P = np.asarray(params, dtype=np.float64)
    full = _gradient_sum(model, P, X, codes, np.ones(X.shape[0]))
    part = _gradient_sum(model, P, X[indices], codes[indices], gamma)
    return float(np.linalg.norm(full - part) / np.linalg.norm(full))


def gradient_error_bound(bound: float, X, params, full_gradient_norm: float) -> float:
    """The certificate ``L(S) * c(w) / ||sum_V grad f_i(w)||`` for logistic loss.

    For two points of the same label, ``||grad f_i - grad f_j|| <= c(w)
    ||x_i - x_j||`` with ``c(w) = 1 + ||w|| max_i ||x_i|| / 4`` (the derivative
    is bounded by 1 and 1/4-Lipschitz in the score), so ``L(S) c(w)`` bounds
    the unnormalised gradient error of a per-class coreset at ``w``.
    """
    Xd = X.multiply(X).sum(axis=1) if hasattr(X, "multiply") else np.sum(X * X, 1)
    radius = float(np.sqrt(np.max(Xd) + 1.0))
    lipschitz = 1.0 + np.linalg.norm(params) * radius / 4.0
    return float(bound * lipschitz / full_gradient_norm)
