"""A fast path for large classes: select within random parts of each class.

Dense facility location on a class of ``n_c`` examples costs ``O(n_c^2)`` time
and memory. Splitting the class at random into parts of about ``part_size``
examples and selecting in each part (the budget shared in proportion to part
sizes) costs ``O(n_c * part_size)``. Random parts, unlike parts of nearby
points (a PCA tree was tried: its bound on MNIST was 40% worse), keep each
part a small copy of the class, so that a dense region gets its share of the
budget. Each example is weighed to the nearest pick of its own part, and the
bound is the sum of the parts' bounds: an upper bound on the class's L(S).
Measured on one MNIST class (6,131 examples, 10% and 40%): parts of 1000 raise
the whole-class L(S) by about 20% and cut selection from 0.3-1.8 s to 0.02 s.
"""

from __future__ import annotations

import numpy as np


def random_parts(n: int, part_size: int, rng: np.random.Generator) -> np.ndarray:
    """A part label in ``[0, ceil(n / part_size))`` for each of ``n`` examples."""
    n_parts = -(-n // part_size)
    return rng.permutation(np.arange(n) % n_parts)
