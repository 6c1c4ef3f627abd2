"""CRAIG weights: each point counts for the selected point nearest to it.

``gamma_j = |{i in V : s(i) = j}|`` where ``s(i)`` is the selected point nearest
to i; ties go to the point picked earlier, and a selected point always counts
for itself. The weights of a part sum to its size. ``L(S) = sum_i d_{i s(i)}``
comes out of the same pass. The blockwise search over points (no n x n
matrix) is ``craig.backends._assign``.
"""

from __future__ import annotations

import numba as nb
import numpy as np


def weights_from_matrix(D: np.ndarray, picks: np.ndarray):
    """Weights and L(S) from a candidate-major distance matrix.

    Returns
    -------
    weights : float64 (k,), in the order of ``picks``.
    owner : int64 (n,), rank (position in ``picks``) of each point's nearest pick.
    bound : float, L(S).
    """
    n = D.shape[1]
    owner = np.empty(n, dtype=np.int64)
    nearest = np.empty(n, dtype=np.float32)
    _nearest_pick_dense(D, picks, owner, nearest)
    return weights_from_nearest(owner, nearest, picks)


def weights_from_nearest(owner: np.ndarray, nearest: np.ndarray, picks: np.ndarray):
    """Weights and L(S) from each point's nearest pick (``owner``, a rank) and
    its distance to it; every pick is made to count for itself."""
    owner[picks] = np.arange(len(picks))
    nearest[picks] = 0.0
    weights = np.bincount(owner, minlength=len(picks)).astype(np.float64)
    return weights, owner, float(nearest.sum(dtype=np.float64))


@nb.njit(cache=True, nogil=True)
def _nearest_pick_dense(D, picks, owner, nearest):
    nearest[:] = np.inf
    owner[:] = -1
    for rank in range(picks.shape[0]):
        row = D[picks[rank]]
        for i in range(row.shape[0]):
            if row[i] < nearest[i]:  # strict: the earlier pick wins ties
                nearest[i] = row[i]
                owner[i] = rank
