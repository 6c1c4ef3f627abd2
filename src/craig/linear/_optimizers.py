"""Weighted incremental-gradient optimizers as ``init``/``update`` pairs.

An optimizer is a pair of functions over an explicit state, in the manner of
optax, except that ``update`` runs one whole epoch (in a numba kernel) and
updates the state's arrays in place before returning the state:

>>> opt = saga()                                        # doctest: +SKIP
>>> state = opt.init(params, problem)                   # doctest: +SKIP
>>> state = opt.update(state, problem, order, 0.1, 1)   # doctest: +SKIP

For sample j with weight :math:`\\gamma_j` and step size :math:`\\alpha_k`, SGD
steps :math:`w \\leftarrow w - \\alpha_k \\gamma_j \\nabla f_j(w)`; a mini-batch
uses the mean of the weighted gradients. SAGA keeps a table of the last
derivative of every sample and SVRG a snapshot with its full weighted gradient;
both are visible fields of their state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from craig.linear import _kernels
from craig.linear._models import LogisticModel
from craig.linear._rows import as_kernel_data


class Problem(NamedTuple):
    """The weighted training data as the kernels take it.

    ``X`` is dense float64 or a CSR tuple (see ``_rows.as_kernel_data``), ``y``
    the encoded labels (float64), ``weights`` the :math:`\\gamma_j` (float64).
    """

    X: Any
    y: np.ndarray
    weights: np.ndarray
    model: LogisticModel
    buffer: np.ndarray | None = None
    positions: np.ndarray | None = None


def make_problem(X, y, weights, model: LogisticModel) -> Problem:
    """A :class:`Problem` with the scratch rows that a dense ``X`` is gathered in."""
    X = as_kernel_data(X)
    y = np.ascontiguousarray(y, dtype=np.float64)
    weights = np.ascontiguousarray(weights, dtype=np.float64)
    if isinstance(X, tuple):
        return Problem(X, y, weights, model)
    positions = np.arange(len(X), dtype=np.int64)
    return Problem(X, y, weights, model, np.empty_like(X), positions)


def _visit(problem: Problem, order: np.ndarray):
    """``(X, rows, ids)`` for the kernels: dense rows gathered in visiting order."""
    if problem.buffer is None:
        return problem.X, order, order
    _kernels.gather_rows(problem.X, order, problem.buffer)
    return problem.buffer, problem.positions[: len(order)], order


class SGDState(NamedTuple):
    """Parameters, first and second moments (unused by plain SGD), step count."""

    params: np.ndarray
    first_moment: np.ndarray
    second_moment: np.ndarray
    steps: np.ndarray


class SAGAState(NamedTuple):
    """Parameters, the table of last derivatives ``(m, C)`` and its weighted mean."""

    params: np.ndarray
    table: np.ndarray
    table_mean: np.ndarray


class SVRGState(NamedTuple):
    """Parameters, the snapshot and the full weighted gradient at the snapshot."""

    params: np.ndarray
    snapshot: np.ndarray
    snapshot_gradient: np.ndarray


class Optimizer(NamedTuple):
    """An ``init``/``update`` pair and the gradient evaluations per sample-visit.

    ``update(state, problem, order, step_size, batch_size)`` runs one epoch
    over the sample positions in ``order``.
    """

    name: str
    init: Callable
    update: Callable
    evaluations_per_sample: int


def _sgd_family(name: str, kind: int, hyper: tuple[float, float, float]):
    hyper_array = np.asarray(hyper, dtype=np.float64)

    def init(params, problem):
        zeros = np.zeros_like(params)
        return SGDState(params, zeros, zeros.copy(), np.zeros(1, dtype=np.int64))

    def update(state, problem, order, step_size, batch_size):
        X, rows, ids = _visit(problem, order)
        y, gamma, model = problem.y, problem.weights, problem.model
        _kernels.sgd_epoch(
            X, y, gamma, rows, ids, batch_size, step_size, model.l2, model.code,
            model.fit_intercept, kind, hyper_array, state.params,
            state.first_moment, state.second_moment, state.steps,
        )  # fmt: skip
        return state

    return Optimizer(name, init, update, 1)


def sgd() -> Optimizer:
    """Plain weighted SGD: :math:`w \\leftarrow w - \\alpha_k g_B`."""
    return _sgd_family("sgd", _kernels.PLAIN, (0.0, 0.0, 0.0))


def momentum(beta: float = 0.9) -> Optimizer:
    """Heavy-ball SGD: :math:`v \\leftarrow \\beta v + g_B`, ``w -= alpha_k v``."""
    return _sgd_family("momentum", _kernels.MOMENTUM, (beta, 0.0, 0.0))


def adagrad(eps: float = 1e-8) -> Optimizer:
    """Adagrad: :math:`h \\mathrel{+}= g_B^2`, ``w -= alpha_k g_B / (sqrt(h)+eps)``."""
    return _sgd_family("adagrad", _kernels.ADAGRAD, (0.0, 0.0, eps))


def adam(beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> Optimizer:
    """Adam with bias correction, on the weighted batch gradients."""
    return _sgd_family("adam", _kernels.ADAM, (beta1, beta2, eps))


def saga() -> Optimizer:
    """Weighted SAGA with a table of per-sample derivatives (zeros at start)."""

    def init(params, problem):
        table = np.zeros((len(problem.y), params.shape[0]))
        return SAGAState(params, table, np.zeros_like(params))

    def update(state, problem, order, step_size, batch_size):
        X, rows, ids = _visit(problem, order)
        y, gamma, model = problem.y, problem.weights, problem.model
        _kernels.saga_epoch(
            X, y, gamma, rows, ids, batch_size, step_size, model.l2, model.code,
            model.fit_intercept, state.params, state.table, state.table_mean,
        )  # fmt: skip
        return state

    return Optimizer("saga", init, update, 1)


def svrg() -> Optimizer:
    """Weighted SVRG: each epoch snapshots ``w``, takes the full weighted
    gradient there (one evaluation per sample) and runs the inner loop (two)."""

    def init(params, problem):
        return SVRGState(params, params.copy(), np.zeros_like(params))

    def update(state, problem, order, step_size, batch_size):
        X, rows, ids = _visit(problem, order)
        y, gamma, model = problem.y, problem.weights, problem.model
        state.snapshot[:] = state.params
        _kernels.full_gradient(
            problem.X, y, gamma, model.code, model.fit_intercept, state.snapshot,
            state.snapshot_gradient,
        )  # fmt: skip
        _kernels.svrg_epoch(
            X, y, gamma, rows, ids, batch_size, step_size, model.l2, model.code,
            model.fit_intercept, state.params, state.snapshot,
            state.snapshot_gradient,
        )  # fmt: skip
        return state

    return Optimizer("svrg", init, update, 3)


OPTIMIZERS: dict[str, Callable[[], Optimizer]] = {
    "sgd": sgd,
    "momentum": momentum,
    "adagrad": adagrad,
    "adam": adam,
    "saga": saga,
    "svrg": svrg,
}


def step_sizes(schedule: str, learning_rate: float, epochs: int, *, tau=1.0, decay=0.9):
    """The step size :math:`\\alpha_k` of each epoch k = 0, ..., epochs - 1.

    ``"constant"``: :math:`\\alpha_0`; ``"inverse"``: :math:`\\alpha_0 / (k+1)^\\tau`;
    ``"exponential"``: :math:`\\alpha_0 b^k` with ``decay`` for b.
    """
    k = np.arange(epochs, dtype=np.float64)
    if schedule == "constant":
        return np.full(epochs, learning_rate)
    if schedule == "inverse":
        return learning_rate / (k + 1.0) ** tau
    return learning_rate * decay**k
