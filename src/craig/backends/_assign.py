"""Every point to its nearest pick, exactly, in bounded memory.

Weights, owner and L(S) (as ``craig._weights.weights_from_matrix`` gives them
from a matrix), computed by faiss's exact flat search (one BLAS product per
block and a fused minimum, ten times faster than a product and a separate
pass), in chunks of ``CHUNK_ROWS`` rows. The chunks are the unit of work of
the distributed backend too, so both compute every row the same way, bit for
bit.
"""

from __future__ import annotations

import numpy as np

from craig import _distances, _weights

CHUNK_ROWS = 65_536
# faiss's own scratch: blocks of 4,096 queries x 1,024 picks, float32.
BLOCK_BYTES = 4 * 4096 * 1024


def weights_from_points(X, picks: np.ndarray, metric: str):
    """Weights (float64, order of ``picks``), owner (rank of each point's
    nearest pick) and L(S) of the rows of ``X``."""
    centres = X[picks]
    owner = np.empty(X.shape[0], dtype=np.int64)
    nearest = np.empty(X.shape[0], dtype=np.float32)
    for start in range(0, X.shape[0], CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, X.shape[0])
        owner[start:stop], nearest[start:stop] = nearest_picks(
            X[start:stop], centres, metric
        )
    return _weights.weights_from_nearest(owner, nearest, picks)


def nearest_picks(X, centres, metric: str):
    """Rank of the nearest row of ``centres`` for each row of ``X`` (int64),
    and the float32 distance to it."""
    import faiss

    X, _ = _distances.prepare(X, metric)
    centres, _ = _distances.prepare(centres, metric)
    if metric == "cosine":
        index = faiss.IndexFlatIP(centres.shape[1])
    else:
        index = faiss.IndexFlatL2(centres.shape[1])
    index.add(centres)
    found, owner = index.search(X, 1)
    found, owner = found[:, 0], owner[:, 0].astype(np.int64)
    if metric == "cosine":  # unit rows (zero rows stay zero: distance 1)
        return owner, np.maximum(1.0 - found, 0.0).astype(np.float32)
    found = np.maximum(found, 0.0)
    return owner, np.sqrt(found) if metric == "euclidean" else found
