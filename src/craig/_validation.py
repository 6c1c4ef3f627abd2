"""Checks of user input, shared by every entry point.

Each check validates at the public boundary and returns the value in the form
the internals expect. Messages name the argument, what is allowed and what was
received.
"""

from __future__ import annotations

import numbers
import re

import numpy as np

METRICS = ("euclidean", "sqeuclidean", "cosine", "precomputed")
METHODS = ("lazy", "stochastic", "naive")

_UNITS = {"": 1, "b": 1, "k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}


def check_choice(name: str, value, allowed: tuple[str, ...]) -> str:
    """Return ``value`` if it is one of ``allowed``, else raise naming both."""
    if not isinstance(value, str) or value not in allowed:
        options = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"{name} must be one of {options}, got {value!r}")
    return value


def check_matrix(X, *, name: str = "X", dtype=np.float32):
    """A 2-D, non-empty, finite matrix of numbers as ``dtype`` (sparse kept sparse).

    Raises
    ------
    TypeError
        If ``X`` holds something other than numbers.
    ValueError
        If ``X`` is not 2-D, is empty, or holds NaN or infinite values.
    """
    import scipy.sparse as sp

    if sp.issparse(X):
        X = sp.csr_matrix(X, dtype=dtype)
        values = X.data
    else:
        X = _as_numeric_array(X, name, dtype)
        values = X
    if X.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D (n_samples, n_features), got {X.ndim}-D with "
            f"shape {X.shape}; reshape 1-D data with X.reshape(-1, 1)"
        )
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"{name} must not be empty, got shape {X.shape}")
    _check_finite(values, X, name)
    return X


def _as_numeric_array(X, name: str, dtype) -> np.ndarray:
    array = np.asarray(X)
    numeric = np.issubdtype(array.dtype, np.number) or array.dtype == bool
    if array.dtype == object or not numeric or np.iscomplexobj(array):
        raise TypeError(
            f"{name} must hold real numbers, got an array of dtype {array.dtype}"
        )
    if array.dtype.kind == "f" and array.dtype.itemsize > np.dtype(dtype).itemsize:
        limit = np.finfo(dtype).max
        magnitude = np.abs(array, where=np.isfinite(array), out=np.zeros(array.shape))
        if (magnitude > limit).any():
            raise ValueError(
                f"{name} has values beyond {np.dtype(dtype).name}'s range (|x| > "
                f"{limit:.3g}); rescale the features"
            )
    return np.ascontiguousarray(array, dtype=dtype)


def _check_finite(values: np.ndarray, X, name: str) -> None:
    if np.isfinite(values).all():
        return
    import scipy.sparse as sp

    if sp.issparse(X):
        bad_rows = np.unique(X.nonzero()[0][~np.isfinite(X.data)])
    else:
        bad_rows = np.flatnonzero(~np.isfinite(X).all(axis=1))
    raise ValueError(
        f"{name} contains NaN or infinite values in {bad_rows.size} of "
        f"{X.shape[0]} rows (first: row {bad_rows[0]}); remove or impute them"
    )


def check_labels(y, n_samples: int) -> np.ndarray:
    """Labels as a 1-D array of length ``n_samples``; any hashable dtype."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y.ravel()
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D, got shape {y.shape}")
    if y.shape[0] != n_samples:
        raise ValueError(
            f"X and y must have the same number of rows, got {n_samples} rows in X "
            f"and {y.shape[0]} labels in y"
        )
    if y.dtype.kind == "f" and not np.isfinite(y).all():
        raise ValueError(f"y contains {int((~np.isfinite(y)).sum())} NaN labels")
    if y.dtype == object:
        kinds = sorted({type(label).__name__ for label in y})
        if len(kinds) > 1:
            raise TypeError(
                f"y must hold labels of one type, got a mix of {', '.join(kinds)}"
            )
    return y


def check_random_state(random_state):
    """None, a non-negative int, or a NumPy Generator/SeedSequence."""
    if random_state is None or isinstance(
        random_state, (np.random.Generator, np.random.SeedSequence)
    ):
        return random_state
    if isinstance(random_state, bool) or not isinstance(random_state, numbers.Integral):
        raise TypeError(
            f"random_state must be None, an integer >= 0 or a numpy Generator, got "
            f"{type(random_state).__name__} {random_state!r}"
        )
    if random_state < 0:
        raise ValueError(f"random_state must be an integer >= 0, got {random_state}")
    return int(random_state)


def check_budget(fraction, size, epsilon, n_samples: int):
    """Exactly one stopping rule, checked: returns ``(size, epsilon)``.

    ``fraction`` becomes a size ``round(fraction * n)`` (at least 1).
    """
    given = [
        name
        for name, v in [("fraction", fraction), ("size", size), ("epsilon", epsilon)]
        if v is not None
    ]
    if len(given) != 1:
        raise ValueError(
            "give exactly one of fraction, size or epsilon, got "
            + (", ".join(given) if given else "none")
        )
    if fraction is not None:
        fraction = check_real("fraction", fraction)
        if not 0 < fraction <= 1:
            raise ValueError(f"fraction must be in (0, 1], got {fraction}")
        return max(1, int(round(fraction * n_samples))), None
    if size is not None:
        size = check_integer("size", size)
        if not 1 <= size <= n_samples:
            raise ValueError(
                f"size must be an integer in [1, n_samples={n_samples}], got {size}"
            )
        return size, None
    epsilon = check_real("epsilon", epsilon)
    if epsilon < 0:
        raise ValueError(f"epsilon must be >= 0, got {epsilon}")
    return None, epsilon


def check_integer(name: str, value) -> int:
    """An integer (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be an integer, got {type(value).__name__} {value!r}"
        )
    return int(value)


def check_real(name: str, value) -> float:
    """A finite real number (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be a number, got {type(value).__name__} {value!r}"
        )
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


def check_memory(max_memory) -> int | None:
    """Bytes from an int or a string such as ``"4GB"``; None means no limit."""
    if max_memory is None:
        return None
    if isinstance(max_memory, str):
        match = re.fullmatch(r"\s*([0-9.]+)\s*([kmgt]?)i?b?\s*", max_memory.lower())
        if match is None:
            raise ValueError(
                f"max_memory must be a number of bytes or a size such as '4GB', "
                f"got {max_memory!r}"
            )
        n_bytes = int(float(match.group(1)) * _UNITS[match.group(2)])
        if n_bytes <= 0:
            raise ValueError(f"max_memory must be > 0 bytes, got {max_memory!r}")
        return n_bytes
    max_memory = check_real("max_memory", max_memory)
    if max_memory <= 0:
        raise ValueError(f"max_memory must be > 0 bytes, got {max_memory}")
    return int(max_memory)
