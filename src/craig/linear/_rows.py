"""Row operations shared by the epoch kernels, for dense and CSR data.

A data matrix reaches a kernel either as a C-contiguous float64 array ``X`` of
shape ``(m, d)``, or as the tuple ``(data, indices, indptr)`` of a CSR matrix.
The two functions below are plain Python (usable as references) and have numba
overloads that pick the dense or the sparse loop from the type of ``X``, so one
kernel source serves both layouts.

The parameters ``P`` have shape ``(C, d + 1)``: row ``c`` holds the weights of
output ``c`` and, in its last column, the intercept (used when ``fit_intercept``).
"""

from __future__ import annotations

import numpy as np
from numba import types
from numba.extending import overload


def row_scores(X, i, P, fit_intercept, z):
    """Write ``z[c] = <x_i, P[c, :d]> + P[c, d]`` (intercept when asked)."""
    d = P.shape[1] - 1
    if isinstance(X, tuple):
        data, indices, indptr = X
        lo, hi = indptr[i], indptr[i + 1]
        z[:] = P[:, indices[lo:hi]] @ data[lo:hi]
    else:
        z[:] = P[:, :d] @ X[i]
    if fit_intercept:
        z += P[:, d]


def row_add(X, i, a, fit_intercept, G):
    """Add ``a[c] * x_i`` to ``G[c, :d]`` (and ``a[c]`` to the intercept column)."""
    d = G.shape[1] - 1
    if isinstance(X, tuple):
        data, indices, indptr = X
        lo, hi = indptr[i], indptr[i + 1]
        G[:, indices[lo:hi]] += np.outer(a, data[lo:hi])
    else:
        G[:, :d] += np.outer(a, X[i])
    if fit_intercept:
        G[:, d] += a


def _dense_scores(X, i, P, fit_intercept, z):
    d = X.shape[1]
    for c in range(P.shape[0]):
        acc = P[c, d] if fit_intercept else 0.0
        for f in range(d):
            acc += X[i, f] * P[c, f]
        z[c] = acc


def _sparse_scores(X, i, P, fit_intercept, z):
    data, indices, indptr = X
    d = P.shape[1] - 1
    for c in range(P.shape[0]):
        acc = P[c, d] if fit_intercept else 0.0
        for p in range(indptr[i], indptr[i + 1]):
            acc += data[p] * P[c, indices[p]]
        z[c] = acc


def _dense_add(X, i, a, fit_intercept, G):
    d = X.shape[1]
    for c in range(G.shape[0]):
        for f in range(d):
            G[c, f] += a[c] * X[i, f]
        if fit_intercept:
            G[c, d] += a[c]


def _sparse_add(X, i, a, fit_intercept, G):
    data, indices, indptr = X
    d = G.shape[1] - 1
    for c in range(G.shape[0]):
        for p in range(indptr[i], indptr[i + 1]):
            G[c, indices[p]] += a[c] * data[p]
        if fit_intercept:
            G[c, d] += a[c]


@overload(row_scores, jit_options={"cache": True})
def _row_scores_overload(X, i, P, fit_intercept, z):
    if isinstance(X, types.Array):
        return _dense_scores
    if isinstance(X, types.BaseTuple):
        return _sparse_scores
    return None


@overload(row_add, jit_options={"cache": True})
def _row_add_overload(X, i, a, fit_intercept, G):
    if isinstance(X, types.Array):
        return _dense_add
    if isinstance(X, types.BaseTuple):
        return _sparse_add
    return None


def as_kernel_data(X):
    """``X`` in the layout the kernels take: dense float64 C-order or a CSR tuple."""
    if hasattr(X, "tocsr"):
        X = X.tocsr()
        return (
            np.ascontiguousarray(X.data, dtype=np.float64),
            np.ascontiguousarray(X.indices, dtype=np.int64),
            np.ascontiguousarray(X.indptr, dtype=np.int64),
        )
    return np.ascontiguousarray(X, dtype=np.float64)
