"""``CoresetSelector``: ``select`` behind scikit-learn's estimator contract."""

from __future__ import annotations

import inspect

from craig._select import select


class CoresetSelector:
    """Select a weighted CRAIG coreset with ``fit(X, y)``.

    The parameters are those of :func:`craig.select`; they are stored as given
    and checked in ``fit``. ``get_params``/``set_params`` follow scikit-learn,
    so the selector works with ``sklearn.base.clone``.

    Attributes
    ----------
    coreset_ : Coreset
        The whole result.
    indices_ : ndarray of int64
        Selected rows, in greedy order within each class.
    weights_ : ndarray of float64
        Their weights, summing to the number of rows of X.
    bound_ : float
        L(S), the certificate on the gradient error.

    Examples
    --------
    >>> import numpy as np
    >>> from craig import CoresetSelector
    >>> X = np.random.default_rng(0).normal(size=(100, 3))
    >>> y = np.arange(100) % 2
    >>> selector = CoresetSelector(fraction=0.2).fit(X, y)
    >>> len(selector.indices_), selector.weights_.sum()
    (20, 100.0)
    """

    def __init__(
        self,
        *,
        fraction=None,
        size=None,
        epsilon=None,
        per_class=True,
        metric="euclidean",
        method="lazy",
        stochastic_epsilon=0.01,
        backend="auto",
        max_memory=None,
        random_state=None,
        progress=False,
    ):
        self.fraction = fraction
        self.size = size
        self.epsilon = epsilon
        self.per_class = per_class
        self.metric = metric
        self.method = method
        self.stochastic_epsilon = stochastic_epsilon
        self.backend = backend
        self.max_memory = max_memory
        self.random_state = random_state
        self.progress = progress

    def fit(self, X, y=None):
        """Select the coreset of ``X`` (per class of ``y``); returns ``self``."""
        self.coreset_ = select(X, y, **self.get_params())
        self.indices_ = self.coreset_.indices
        self.weights_ = self.coreset_.weights
        self.bound_ = self.coreset_.bound
        return self

    def transform(self, X):
        """The selected rows of ``X``."""
        self._check_fitted()
        return self.coreset_.subset(X)[0]

    def fit_transform(self, X, y=None):
        return self.fit(X, y).transform(X)

    def get_params(self, deep: bool = True) -> dict:
        return {name: getattr(self, name) for name in self._parameter_names()}

    def set_params(self, **params) -> CoresetSelector:
        allowed = self._parameter_names()
        for name, value in params.items():
            if name not in allowed:
                raise ValueError(
                    f"invalid parameter {name!r} for CoresetSelector; valid "
                    f"parameters are {', '.join(allowed)}"
                )
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = inspect.signature(type(self).__init__).parameters
        changed = [
            f"{name}={value!r}"
            for name, value in self.get_params().items()
            if defaults[name].default != value
        ]
        return f"CoresetSelector({', '.join(changed)})"

    @classmethod
    def _parameter_names(cls) -> list[str]:
        parameters = inspect.signature(cls.__init__).parameters
        return [name for name in parameters if name != "self"]

    def _check_fitted(self) -> None:
        if not hasattr(self, "coreset_"):
            raise AttributeError(
                "this CoresetSelector is not fitted yet; call fit(X, y) first"
            )
