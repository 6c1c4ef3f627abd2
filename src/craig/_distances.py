"""Distances block by block in float32, and the memory they need.

Euclidean distances come from the BLAS product ``X_a @ X_b.T`` and the squared
norms: ``d_ij = sqrt(max(0, |x_i|^2 + |x_j|^2 - 2 x_i . x_j))``. Cosine distance
is ``1 - x_i . x_j / (|x_i| |x_j|)``, with a zero vector at distance 1 from
every other point. No n x n float64 array is ever made.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from craig._memory import empty_prefaulted

BLOCK_ROWS = 2048
# Below this many entries, starting threads costs more than it saves.
_PARALLEL_MIN_SIZE = 1 << 20


def prepare(X: np.ndarray, metric: str) -> tuple[np.ndarray, np.ndarray]:
    """Rows ready for the dot-product kernels, and their squared norms.

    For cosine the rows are scaled to unit length (zero rows stay zero).
    """
    X = np.ascontiguousarray(X, dtype=np.float32)
    sq_norms = np.einsum("ij,ij->i", X, X, dtype=np.float64).astype(np.float32)
    if metric == "cosine":
        norms = np.sqrt(sq_norms)
        X = X / np.where(norms > 0, norms, 1)[:, None]
        sq_norms = (norms > 0).astype(np.float32)
    return X, sq_norms


def distance_block(A, a_sq, B, b_sq, metric: str, out=None) -> np.ndarray:
    """Distances between the rows of ``A`` and of ``B`` (both from ``prepare``)."""
    parallel = A.shape[0] * B.shape[0] >= _PARALLEL_MIN_SIZE
    if parallel:
        out = np.dot(A, B.T, out=out)
    else:
        with one_blas_thread():
            out = np.dot(A, B.T, out=out)
    if metric == "cosine":
        (_finish_cosine_parallel if parallel else _finish_cosine)(out, a_sq, b_sq)
    else:
        finish = _finish_euclidean_parallel if parallel else _finish_euclidean
        finish(out, a_sq, b_sq, metric == "euclidean")
    return out


def one_blas_thread():
    """A context in which BLAS runs on one thread.

    Waking BLAS threads costs more than a small product (50 ms against 1 ms
    for a 200 x 200 block, measured on 2 cores).
    """
    global _BLAS_CONTROLLER
    if _BLAS_CONTROLLER is None:
        from threadpoolctl import ThreadpoolController

        _BLAS_CONTROLLER = ThreadpoolController()
    return _BLAS_CONTROLLER.limit(limits=1, user_api="blas")


_BLAS_CONTROLLER = None


def distance_matrix(X: np.ndarray, metric: str, progress=None) -> np.ndarray:
    """The n x n float32 distance matrix of the rows of ``X``, built by blocks.

    The diagonal is exactly 0. ``progress`` (a tqdm bar or None) is advanced by
    the number of rows done.
    """
    X, sq = prepare(X, metric)
    n = X.shape[0]
    D = empty_prefaulted((n, n), np.float32)
    for start in range(0, n, BLOCK_ROWS):
        stop = min(start + BLOCK_ROWS, n)
        distance_block(X[start:stop], sq[start:stop], X, sq, metric, out=D[start:stop])
        if progress is not None:
            progress.update(stop - start)
    np.fill_diagonal(D, 0.0)
    return D


def dense_bytes(n_points: int, n_features: int) -> int:
    """Peak bytes of the dense path for one part: the matrix and its helpers."""
    return 4 * n_points * n_points + 64 * n_points + 8 * n_points * n_features


def _finish_euclidean(G, a_sq, b_sq, take_root):
    # G holds dot products on entry and distances on exit.
    for i in nb.prange(G.shape[0]):
        for j in range(G.shape[1]):
            value = a_sq[i] + b_sq[j] - np.float32(2.0) * G[i, j]
            value = max(value, np.float32(0.0))
            G[i, j] = np.sqrt(value) if take_root else value


def _finish_cosine(G, a_sq, b_sq):
    for i in nb.prange(G.shape[0]):
        for j in range(G.shape[1]):
            if a_sq[i] > 0 and b_sq[j] > 0:
                G[i, j] = max(np.float32(1.0) - G[i, j], np.float32(0.0))
            else:
                G[i, j] = np.float32(1.0)


_finish_euclidean_parallel = nb.njit(parallel=True, cache=True)(_finish_euclidean)
_finish_euclidean = nb.njit(cache=True, nogil=True)(_finish_euclidean)
_finish_cosine_parallel = nb.njit(parallel=True, cache=True)(_finish_cosine)
_finish_cosine = nb.njit(cache=True, nogil=True)(_finish_cosine)
