"""numba kernels: one epoch of a weighted incremental-gradient method.

Symbols follow the paper: ``gamma`` the per-sample weights, ``alpha`` the step
size of the epoch, ``lam`` the L2 penalty, ``P`` the parameters (``(C, d + 1)``,
intercept last), ``s`` the loss derivative in the scores (``grad l_j = s_j x_j``).

A batch ``B`` of the visiting ``order`` moves ``P`` along

.. math::

    g_B = \\frac{1}{|B|} \\sum_{j \\in B} \\gamma_j \\nabla \\ell_j(P)
          + \\bar\\gamma_B \\lambda P,

the mean of the weighted gradients (with one sample: ``gamma_j grad f_j``).
Step k visits the row ``rows[k]`` of ``X``, which holds sample ``ids[k]`` (whose
label, weight and table entry are indexed by ``ids[k]``): a dense ``X`` is first
gathered into visiting order with :func:`gather_rows`, so that the sequential
dependent loop reads memory in order (random row reads cost more than the
arithmetic), while a CSR ``X`` is read in place with ``rows = ids``.
SAGA and SVRG replace the first term by their variance-reduced estimates and
use the mean weight of the whole training set for the L2 term. Every kernel
writes into arrays that its caller allocated; nothing is returned.
"""

from __future__ import annotations

import math

from numba import njit

from craig.linear._rows import row_add, row_scores

# Codes of the step transforms of the SGD family.
PLAIN, MOMENTUM, ADAGRAD, ADAM = 0, 1, 2, 3


@njit(cache=True)
def derivative(model, z, y, s):
    """Loss derivative in the scores: binary (model 0) or multinomial (1)."""
    if model == 0:
        s[0] = -y * 0.5 * (1.0 - math.tanh(0.5 * y * z[0]))
        return
    top = z[0]
    for c in range(1, z.shape[0]):
        top = max(top, z[c])
    total = 0.0
    for c in range(z.shape[0]):
        s[c] = math.exp(z[c] - top)
        total += s[c]
    for c in range(z.shape[0]):
        s[c] /= total
    s[int(y)] -= 1.0


@njit(cache=True)
def _accumulate(X, y, gamma, rows, ids, lo, hi, model, fi, P, z, s, G):
    """``G += sum_{k in [lo, hi)} gamma_j s_j x_j``; return the sum of gamma_j."""
    gsum = 0.0
    for k in range(lo, hi):
        j = ids[k]
        row_scores(X, rows[k], P, fi, z)
        derivative(model, z, y[j], s)
        for c in range(s.shape[0]):
            s[c] *= gamma[j]
        row_add(X, rows[k], s, fi, G)
        gsum += gamma[j]
    return gsum


@njit(cache=True)
def _transform(kind, alpha, beta1, beta2, eps, t, P, G, M, V):
    """Move ``P`` along ``G``: plain, heavy-ball momentum, Adagrad or Adam."""
    if kind == PLAIN:
        for c in range(P.shape[0]):
            for f in range(P.shape[1]):
                P[c, f] -= alpha * G[c, f]
    elif kind == MOMENTUM:
        for c in range(P.shape[0]):
            for f in range(P.shape[1]):
                M[c, f] = beta1 * M[c, f] + G[c, f]
                P[c, f] -= alpha * M[c, f]
    elif kind == ADAGRAD:
        for c in range(P.shape[0]):
            for f in range(P.shape[1]):
                V[c, f] += G[c, f] * G[c, f]
                P[c, f] -= alpha * G[c, f] / (math.sqrt(V[c, f]) + eps)
    else:
        _adam(alpha, beta1, beta2, eps, t, P, G, M, V)


@njit(cache=True)
def _adam(alpha, beta1, beta2, eps, t, P, G, M, V):
    b1t = 1.0 - beta1**t
    b2t = 1.0 - beta2**t
    for c in range(P.shape[0]):
        for f in range(P.shape[1]):
            g = G[c, f]
            M[c, f] = beta1 * M[c, f] + (1.0 - beta1) * g
            V[c, f] = beta2 * V[c, f] + (1.0 - beta2) * g * g
            P[c, f] -= alpha * (M[c, f] / b1t) / (math.sqrt(V[c, f] / b2t) + eps)


@njit(cache=True)
def _add_l2(G, P, scale, lam):
    """``G[:, :d] = scale * G[:, :d] + lam * P[:, :d]``; intercept scaled only."""
    d = P.shape[1] - 1
    for c in range(P.shape[0]):
        for f in range(d):
            G[c, f] = scale * G[c, f] + lam * P[c, f]
        G[c, d] *= scale


@njit(cache=True)
def sgd_epoch(
    X, y, gamma, rows, ids, batch, alpha, lam, model, fi, kind, hyper, P, M, V, t
):
    """One epoch of SGD (``kind``: plain, momentum, Adagrad, Adam).

    ``hyper`` holds (beta1, beta2, eps); ``t`` (int64, shape (1,)) counts steps.
    """
    if kind == PLAIN and batch == 1:
        _plain_sgd_single(X, y, gamma, rows, ids, alpha, lam, model, fi, P, t)
        return
    z = P[:, 0].copy()
    s = P[:, 0].copy()
    G = P.copy()
    m = ids.shape[0]
    for lo in range(0, m, batch):
        hi = min(lo + batch, m)
        G[:, :] = 0.0
        gsum = _accumulate(X, y, gamma, rows, ids, lo, hi, model, fi, P, z, s, G)
        _add_l2(G, P, 1.0 / (hi - lo), lam * gsum / (hi - lo))
        t[0] += 1
        _transform(kind, alpha, hyper[0], hyper[1], hyper[2], t[0], P, G, M, V)


@njit(cache=True)
def _plain_sgd_single(X, y, gamma, rows, ids, alpha, lam, model, fi, P, t):
    """Plain SGD with batch size 1, without the batch buffer (the paper's case)."""
    z = P[:, 0].copy()
    s = P[:, 0].copy()
    d = P.shape[1] - 1
    for k in range(ids.shape[0]):
        j = ids[k]
        row_scores(X, rows[k], P, fi, z)
        derivative(model, z, y[j], s)
        step = alpha * gamma[j]
        for c in range(P.shape[0]):
            s[c] *= -step
            for f in range(d):
                P[c, f] *= 1.0 - step * lam
        row_add(X, rows[k], s, fi, P)
    t[0] += ids.shape[0]


@njit(cache=True)
def saga_epoch(X, y, gamma, rows, ids, batch, alpha, lam, model, fi, P, table, mean):
    """One epoch of weighted SAGA.

    ``table[j]`` holds the last derivative ``s_j`` seen for sample j (unweighted)
    and ``mean`` the average ``(1/m) sum_j gamma_j s_j x_j`` over all m samples.
    """
    C = P.shape[0]
    z = P[:, 0].copy()
    s = P[:, 0].copy()
    G = P.copy()
    m = table.shape[0]
    gamma_bar = gamma.mean()
    for lo in range(0, ids.shape[0], batch):
        hi = min(lo + batch, ids.shape[0])
        G[:, :] = 0.0
        for k in range(lo, hi):
            j = ids[k]
            row_scores(X, rows[k], P, fi, z)
            derivative(model, z, y[j], s)
            for c in range(C):
                new = s[c]
                s[c] = gamma[j] * (new - table[j, c])
                table[j, c] = new
            row_add(X, rows[k], s, fi, G)
        _variance_reduced_step(P, G, mean, 1.0 / (hi - lo), alpha, lam * gamma_bar)
        for c in range(C):
            for f in range(P.shape[1]):
                mean[c, f] += G[c, f] / m


@njit(cache=True)
def _variance_reduced_step(P, D, mean, scale, alpha, lam):
    """``P -= alpha * (scale * D + mean + lam * P)`` (no penalty on intercepts)."""
    d = P.shape[1] - 1
    for c in range(P.shape[0]):
        for f in range(d):
            P[c, f] -= alpha * (scale * D[c, f] + mean[c, f] + lam * P[c, f])
        P[c, d] -= alpha * (scale * D[c, d] + mean[c, d])


@njit(cache=True)
def full_gradient(X, y, gamma, model, fi, P, out):
    """``out = (1/m) sum_j gamma_j s_j(P) x_j`` over all m samples (no L2 term)."""
    z = P[:, 0].copy()
    s = P[:, 0].copy()
    out[:, :] = 0.0
    m = gamma.shape[0]
    for j in range(m):
        row_scores(X, j, P, fi, z)
        derivative(model, z, y[j], s)
        for c in range(s.shape[0]):
            s[c] *= gamma[j] / m
        row_add(X, j, s, fi, out)


@njit(cache=True)
def svrg_epoch(X, y, gamma, rows, ids, batch, alpha, lam, model, fi, P, snapshot, mu):
    """The inner loop of one SVRG epoch around ``snapshot`` with gradient ``mu``.

    ``mu`` comes from :func:`full_gradient` at ``snapshot``.
    """
    C = P.shape[0]
    z = P[:, 0].copy()
    s = P[:, 0].copy()
    s0 = P[:, 0].copy()
    G = P.copy()
    gamma_bar = gamma.mean()
    for lo in range(0, ids.shape[0], batch):
        hi = min(lo + batch, ids.shape[0])
        G[:, :] = 0.0
        for k in range(lo, hi):
            j = ids[k]
            row_scores(X, rows[k], P, fi, z)
            derivative(model, z, y[j], s)
            row_scores(X, rows[k], snapshot, fi, z)
            derivative(model, z, y[j], s0)
            for c in range(C):
                s[c] = gamma[j] * (s[c] - s0[c])
            row_add(X, rows[k], s, fi, G)
        _variance_reduced_step(P, G, mu, 1.0 / (hi - lo), alpha, lam * gamma_bar)


@njit(cache=True)
def gather_rows(X, ids, out):
    """``out[k] = X[ids[k]]`` for a dense ``X``."""
    for k in range(ids.shape[0]):
        j = ids[k]
        for f in range(X.shape[1]):
            out[k, f] = X[j, f]
