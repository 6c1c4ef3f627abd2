"""Binary and multinomial logistic regression: loss and gradients in NumPy.

Parameters are one array ``P`` of shape ``(C, d + 1)``: the weights of output
``c`` in ``P[c, :d]`` and its intercept in ``P[c, d]`` (zero and unused when
``fit_intercept`` is False). The binary model has ``C = 1`` and labels encoded
as -1/+1; the multinomial model has ``C`` classes and labels encoded 0..C-1.

The objective of weights ``gamma`` (all ones by default) is the weighted mean

.. math::

    F(w) = \\frac{\\sum_i \\gamma_i \\ell_i(w)}{\\sum_i \\gamma_i}
           + \\frac{\\lambda}{2} \\lVert w \\rVert^2,

with ``l2`` for :math:`\\lambda` (intercepts are not penalised).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import log_softmax, softmax

_KINDS = {"binary": 0, "multinomial": 1}


@dataclass(frozen=True)
class LogisticModel:
    """Logistic loss of one kind, with an optional L2 penalty.

    Parameters
    ----------
    kind : {"binary", "multinomial"}
        Binary (labels -1/+1, one output) or multinomial (labels 0..C-1).
    n_classes : int, default=2
        The number of classes C; the binary model has one output row.
    l2 : float, default=0.0
        The L2 penalty :math:`\\lambda` on the weights (not the intercepts).
    fit_intercept : bool, default=True
        Whether the last column of the parameters is an intercept.
    """

    kind: str
    n_classes: int = 2
    l2: float = 0.0
    fit_intercept: bool = True

    @property
    def code(self) -> int:
        """The integer the kernels use for :attr:`kind`."""
        return _KINDS[self.kind]

    @property
    def n_outputs(self) -> int:
        """Rows of the parameter array: 1 for binary, C for multinomial."""
        return 1 if self.kind == "binary" else self.n_classes

    def init_params(self, n_features: int) -> np.ndarray:
        """Zero parameters of shape ``(n_outputs, n_features + 1)``."""
        return np.zeros((self.n_outputs, n_features + 1))

    def scores(self, P: np.ndarray, X) -> np.ndarray:
        """Linear scores ``X w_c + b_c``, shape ``(n, C)``."""
        Z = np.asarray(X @ P[:, :-1].T)
        return Z + P[:, -1] if self.fit_intercept else Z

    def sample_losses(self, P: np.ndarray, X, y: np.ndarray) -> np.ndarray:
        """The loss of each sample, without the L2 term, shape ``(n,)``."""
        Z = self.scores(P, X)
        if self.kind == "binary":
            return np.logaddexp(0.0, -y * Z[:, 0])
        return -log_softmax(Z, axis=1)[np.arange(len(y)), y.astype(np.int64)]

    def derivatives(self, P: np.ndarray, X, y: np.ndarray) -> np.ndarray:
        """The loss derivative in the scores, ``s_i`` with ``grad l_i = s_i x_i``."""
        Z = self.scores(P, X)
        if self.kind == "binary":
            return (-y * _sigmoid(-y * Z[:, 0]))[:, None]
        S = softmax(Z, axis=1)
        S[np.arange(len(y)), y.astype(np.int64)] -= 1.0
        return S

    def loss(self, P: np.ndarray, X, y: np.ndarray, sample_weight=None) -> float:
        """The objective :math:`F(w)`: weighted mean loss plus the L2 term."""
        mean = np.average(self.sample_losses(P, X, y), weights=sample_weight)
        return float(mean + 0.5 * self.l2 * np.sum(P[:, :-1] ** 2))

    def gradient(self, P: np.ndarray, X, y: np.ndarray, sample_weight=None):
        """The gradient of :math:`F` in ``P``, shape ``(C, d + 1)``."""
        S = self.derivatives(P, X, y)
        gamma = np.ones(len(y)) if sample_weight is None else sample_weight
        S = S * (gamma / gamma.sum())[:, None]
        G = np.empty_like(P)
        G[:, :-1] = np.asarray(X.T @ S).T + self.l2 * P[:, :-1]
        G[:, -1] = S.sum(axis=0) if self.fit_intercept else 0.0
        return G

    def sample_gradients(self, P: np.ndarray, X, y: np.ndarray) -> np.ndarray:
        """Per-sample gradients of :math:`\\ell_i + \\lambda/2 \\|w\\|^2`.

        Returns shape ``(n, C * (d + 1))``, each row one flattened gradient.
        Dense; meant for subsets and tests, not for the whole of a large dataset.
        """
        S = self.derivatives(P, X, y)
        Xd = X.toarray() if hasattr(X, "toarray") else np.asarray(X)
        n, C = S.shape
        ones = np.ones((n, 1)) if self.fit_intercept else np.zeros((n, 1))
        Xa = np.hstack([Xd, ones])
        grads = S[:, :, None] * Xa[:, None, :]
        grads[:, :, :-1] += self.l2 * P[None, :, :-1]
        return grads.reshape(n, C * Xa.shape[1])


def _sigmoid(t: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * t))


def encode_labels(y, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """Map labels to the model's codes; return ``(classes, y_encoded)``.

    Binary: the two labels found, in sorted order, map to -1 and +1. Multinomial:
    the sorted labels map to 0..C-1.

    Raises
    ------
    ValueError
        Binary with other than two distinct labels (the labels found are named).
    """
    classes, codes = np.unique(np.asarray(y), return_inverse=True)
    if kind == "binary":
        if len(classes) != 2:
            raise ValueError(
                "the binary model needs exactly 2 distinct labels in y, "
                f"got {len(classes)}: {_preview(classes)}"
            )
        return classes, np.where(codes == 1, 1.0, -1.0)
    return classes, codes.astype(np.float64)


def _preview(values: np.ndarray, limit: int = 10) -> str:
    shown = [repr(v.item() if hasattr(v, "item") else v) for v in values[:limit]]
    tail = ", ..." if len(values) > limit else ""
    return f"[{', '.join(shown)}{tail}]"
