"""Checks of user input at the public boundary of ``craig.linear``.

Every message names the argument, what is allowed and the value received.
"""

from __future__ import annotations

import numbers

import numpy as np
import scipy.sparse as sp


def check_option(name: str, value, allowed) -> str:
    """``value`` if it is one of ``allowed`` (strings), else ValueError."""
    if not isinstance(value, str) or value not in allowed:
        listed = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"{name} must be one of {listed}, got {value!r}")
    return value


def check_real(name: str, value, *, low=None, high=None, low_open=True) -> float:
    """A finite real in the interval; TypeError for non-reals (and bools)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real, got {value!r}")
    value = float(value)
    too_low = low is not None and (value <= low if low_open else value < low)
    too_high = high is not None and value > high
    if not np.isfinite(value) or too_low or too_high:
        left = "(" if low_open else "["
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf)" if high is None else f"{high:g}]"
        raise ValueError(f"{name} must be in {left}{lo}, {hi}, got {value!r}")
    return value


def check_int(name: str, value, *, low: int) -> int:
    """An integer (not a bool) at least ``low``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
    return int(value)


def check_X(X, name: str = "X"):
    """A finite 2-D float64 array or CSR matrix with at least one row."""
    if sp.issparse(X):
        X = sp.csr_matrix(X, dtype=np.float64)
        values = X.data
    else:
        X = np.asarray(X, dtype=np.float64)
        values = X
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(
            f"{name} must be 2-D with at least one row, got shape {X.shape}"
        )
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{name} must be finite, got NaN or infinite values")
    return X


def check_y(y, n_samples: int, name: str = "y") -> np.ndarray:
    """A 1-D label array with one label per row of X."""
    y = np.asarray(y)
    if y.ndim != 1 or len(y) != n_samples:
        raise ValueError(
            f"{name} must be 1-D with {n_samples} labels (one per row), "
            f"got shape {y.shape}"
        )
    return y


def check_sample_weight(sample_weight, n_samples: int) -> np.ndarray:
    """Weights gamma: 1-D, ``n_samples`` long, finite, >= 0, not all zero."""
    if sample_weight is None:
        return np.ones(n_samples)
    gamma = np.asarray(sample_weight, dtype=np.float64)
    if gamma.ndim != 1 or len(gamma) != n_samples:
        raise ValueError(
            f"sample_weight must be 1-D with {n_samples} weights (one per row), "
            f"got shape {gamma.shape}"
        )
    if not np.all(np.isfinite(gamma)):
        raise ValueError("sample_weight must be finite, got NaN or infinite values")
    if np.any(gamma < 0) or not np.any(gamma > 0):
        raise ValueError(
            "sample_weight must be >= 0 with at least one positive weight, "
            f"got minimum {gamma.min()!r} and sum {gamma.sum()!r}"
        )
    return gamma
