"""Splitting a coreset size across parts (classes), exactly."""

from __future__ import annotations

import numpy as np


def split_budget(part_sizes, total: int) -> np.ndarray:
    """Per-part sizes proportional to ``part_sizes`` that sum exactly to ``total``.

    Largest-remainder rounding of ``total * n_c / n``, then two repairs: every
    non-empty part gets at least one point, and no part gets more points than
    it has. Ties in the remainders go to the earlier part.

    Parameters
    ----------
    part_sizes : array-like of int
        Number of points in each part.
    total : int
        The coreset size, ``1 <= total <= sum(part_sizes)``. When it is smaller
        than the number of non-empty parts, the largest parts get one point each.

    Returns
    -------
    ndarray of int64, the size of each part's share.
    """
    sizes = np.asarray(part_sizes, dtype=np.int64)
    n = int(sizes.sum())
    if not 0 <= total <= n:
        raise ValueError(f"total must be in [0, {n}], got {total}")
    shares = np.zeros(len(sizes), dtype=np.int64)
    if total < np.count_nonzero(sizes):
        shares[np.argsort(-sizes, kind="stable")[:total]] = 1
        return shares
    quota = sizes * (total / n)
    shares = np.floor(quota).astype(np.int64)
    remainders = quota - shares
    order = np.lexsort((np.arange(len(sizes)), -remainders))
    shares[order[: total - int(shares.sum())]] += 1
    _give_each_part_one(shares, sizes)
    return shares


def _give_each_part_one(shares: np.ndarray, sizes: np.ndarray) -> None:
    """Move single points to empty parts from the parts with the largest share.

    Only called when there are at least as many points as non-empty parts, so a
    donor with more than one point always exists.
    """
    for part in np.flatnonzero((shares == 0) & (sizes > 0)):
        donor = int(np.argmax(shares))
        shares[donor] -= 1
        shares[part] = 1
