"""A fast path for large classes: select within random parts, weigh on the class.

Dense facility location on a class of ``n_c`` examples costs ``O(n_c^2)`` time
and memory. Splitting the class at random into parts of about ``part_size``
examples and selecting in each part (the budget shared in proportion to part
sizes) costs ``O(n_c * part_size)``. Random parts, unlike parts of nearby
points, keep each part a small copy of the class, so that a dense region
gets its share of the budget. The weights and the bound are then recomputed
against the whole class: every example goes to its nearest pick of any part.
"""

from __future__ import annotations

import numpy as np

# Rows of the distance block computed at once when re-assigning (memory bound).
_BLOCK = 2048


def random_parts(n: int, part_size: int, rng: np.random.Generator) -> np.ndarray:
    """A part label in ``[0, ceil(n / part_size))`` for each of ``n`` examples."""
    n_parts = -(-n // part_size)
    return rng.permutation(np.arange(n) % n_parts)


def nearest_pick_weights(points: np.ndarray, picks: np.ndarray):
    """Weights and bound of ``picks`` over all ``points`` (Euclidean).

    Returns
    -------
    weights : ndarray of float64, shape (len(picks),)
        gamma_j: how many points have pick j as their nearest pick; each pick
        counts itself, so a duplicate point cannot take a pick's own weight.
    bound : float
        L(S) = sum_i min_j ||p_i - p_j||.
    """
    points = np.asarray(points, dtype=np.float32)
    centres = points[picks]
    centre_norms = np.einsum("ij,ij->i", centres, centres)
    nearest = np.empty(len(points), dtype=np.int64)
    distance = np.empty(len(points), dtype=np.float64)
    for start in range(0, len(points), _BLOCK):
        block = points[start : start + _BLOCK]
        squared = centre_norms[None, :] - 2.0 * (block @ centres.T)
        squared += np.einsum("ij,ij->i", block, block)[:, None]
        nearest[start : start + len(block)] = squared.argmin(axis=1)
        best = squared[np.arange(len(block)), nearest[start : start + len(block)]]
        distance[start : start + len(block)] = np.sqrt(np.maximum(best, 0.0))
    nearest[picks] = np.arange(len(picks))
    distance[picks] = 0.0
    weights = np.bincount(nearest, minlength=len(picks)).astype(np.float64)
    return weights, float(distance.sum())
