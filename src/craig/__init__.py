"""CRAIG coresets: weighted subsets whose gradient tracks the full data's.

>>> import numpy as np, craig
>>> X = np.random.default_rng(0).normal(size=(200, 5))
>>> coreset = craig.select(X, fraction=0.1)
>>> len(coreset), coreset.weights.sum()
(20, 200.0)
"""

from craig._coreset import Coreset
from craig._errors import CoresetWarning, CraigError, InsufficientMemoryError
from craig._select import select
from craig._selector import CoresetSelector

__version__ = "0.1.0"

__all__ = [
    "Coreset",
    "CoresetSelector",
    "CoresetWarning",
    "CraigError",
    "InsufficientMemoryError",
    "select",
    "__version__",
]
