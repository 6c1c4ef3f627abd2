"""What a backend is asked for, and what it returns."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class PartRequest:
    """One part's selection problem.

    Exactly one of ``size`` (number of picks) and ``bound`` (stop once
    ``L(S) <= bound``) is set.
    """

    label: object
    size: int | None
    bound: float | None
    metric: str
    method: str
    sample_epsilon: float
    seed: int
    memory_budget: int
    progress: object = None  # called with the number of picks made so far


@dataclass
class PartSelection:
    """One part's coreset, in the part's own row numbers."""

    picks: np.ndarray  # int64 (k,), greedy order
    gains: np.ndarray  # float64 (k,)
    weights: np.ndarray  # float64 (k,), sum to the part's size
    bound: float  # L(S) over the part
    timings: dict = field(default_factory=dict)
