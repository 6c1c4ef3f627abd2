"""Plain NumPy references that the fast paths are checked against."""

from __future__ import annotations

import itertools

import numpy as np


def distances(X: np.ndarray, metric: str = "euclidean") -> np.ndarray:
    """Pairwise distances in float64, the textbook way."""
    X = np.asarray(X, dtype=np.float64)
    if metric == "cosine":
        norms = np.linalg.norm(X, axis=1)
        safe = np.where(norms > 0, norms, 1.0)
        D = 1.0 - (X / safe[:, None]) @ (X / safe[:, None]).T
        zero = norms == 0
        D[zero, :] = 1.0
        D[:, zero] = 1.0
    else:
        diff = X[:, None, :] - X[None, :, :]
        D = (diff**2).sum(axis=2)
        if metric == "euclidean":
            D = np.sqrt(D)
    np.fill_diagonal(D, 0.0)
    return np.maximum(D, 0.0)


def facility_value(D: np.ndarray, S) -> float:
    """F(S) = sum_i (d0 - min_{j in S} d_ij), d0 the largest distance."""
    d0 = D.max()
    if len(S) == 0:
        return 0.0
    return float((d0 - D[:, list(S)].min(axis=1)).sum())


def naive_greedy(D: np.ndarray, k: int) -> list[int]:
    """Greedy on F, evaluating every candidate; ties to the lowest index."""
    S: list[int] = []
    for _ in range(k):
        gains = [
            -np.inf if j in S else facility_value(D, S + [j]) for j in range(len(D))
        ]
        S.append(int(np.argmax(gains)))
    return S


def best_subset_value(D: np.ndarray, k: int) -> float:
    """max F(S) over all |S| = k, by exhaustive search."""
    return max(facility_value(D, S) for S in itertools.combinations(range(len(D)), k))


def nearest_pick_counts(D: np.ndarray, picks) -> np.ndarray:
    """gamma_j: how many points have pick j nearest (earlier pick on ties)."""
    picks = list(picks)
    owner = np.argmin(D[:, picks], axis=1)
    owner[picks] = np.arange(len(picks))
    return np.bincount(owner, minlength=len(picks)).astype(float)
