"""``select``: validate, split into parts, select each part, assemble."""

from __future__ import annotations

import logging
import time
import warnings

import numpy as np

from craig import _validation
from craig._budget import split_budget
from craig._coreset import Coreset
from craig._errors import CoresetWarning
from craig._memory import memory_budget
from craig.backends import PartRequest, PartSelection

logger = logging.getLogger(__name__)

BACKENDS = ("auto", "dense", "partition", "knn")


def select(
    X,
    y=None,
    *,
    fraction: float | None = None,
    size: int | None = None,
    epsilon: float | None = None,
    per_class: bool = True,
    metric: str = "euclidean",
    method: str = "lazy",
    stochastic_epsilon: float = 0.01,
    backend: str = "auto",
    max_memory: int | str | None = None,
    cell_size: int | None = None,
    n_neighbors: int | None = None,
    random_state=None,
    progress: bool = False,
) -> Coreset:
    """Select a weighted CRAIG coreset by greedy facility location.

    Maximises, in each part (each class when ``y`` is given and ``per_class``),

    .. math:: F(S) = \\sum_{i \\in V} (d_0 - \\min_{j \\in S} d_{ij})

    which is the same as minimising the bound
    :math:`L(S) = \\sum_{i \\in V} \\min_{j \\in S} d_{ij}` on the gradient error.
    The weight of a pick j is :math:`\\gamma_j`, the number of points of its
    part whose nearest pick is j.

    Parameters
    ----------
    X : array-like or sparse matrix of shape (n_samples, n_features)
        The points; for ``metric="precomputed"``, the (n_samples, n_samples)
        distance matrix with d_ij in row i, column j.
    y : array-like of shape (n_samples,), default=None
        Labels of any type. With ``per_class=True`` each class is a part.
    fraction : float in (0, 1], default=None
        Coreset size as a fraction of n_samples, ``round(fraction * n)``.
    size : int in [1, n_samples], default=None
        Coreset size. Across classes it is split in proportion to class sizes
        (largest remainders, every class at least one point, sum exact).
    epsilon : float >= 0, default=None
        Bound on L(S): in each part, greedy until
        ``L(S_c) <= epsilon * n_c / n``, so that the total is at most epsilon.
        Give exactly one of fraction, size and epsilon.
    per_class : bool, default=True
        Select within each class (the distances of the convex bound are only
        meaningful between points of one label).
    metric : {"euclidean", "sqeuclidean", "cosine", "precomputed"}, \
default="euclidean"
        The distance d_ij.
    method : {"lazy", "stochastic", "naive"}, default="lazy"
        Lazy greedy is exact (the picks of naive greedy); stochastic greedy
        samples ``ceil(n/k * log(1/stochastic_epsilon))`` candidates a step.
    stochastic_epsilon : float in (0, 1), default=0.01
        Stochastic greedy's sampling parameter (not the bound ``epsilon``).
        With an ``epsilon`` bound it samples as if k were 10% of the part.
    backend : {"auto", "dense", "partition", "knn"}, default="auto"
        How each part is solved. "dense" holds one n_c x n_c float32 matrix
        (exact). "partition" splits the part into cells of at most
        ``cell_size`` points by k-means, runs dense greedy in each cell and
        keeps the largest gains over all cells (greedy on the sum of the
        cells' objectives). "knn" runs greedy on the graph
        of each point's ``n_neighbors`` nearest neighbours (a point no pick
        covers counts at the phantom distance d0, the largest stored one).
        With every backend the weights and L(S) are exact: every point is
        assigned to its nearest pick over the whole part. "auto" takes dense
        for parts of at most 4,000 points that fit in memory, partition
        otherwise, and logs its choice (logger ``craig._select``, INFO).
    max_memory : int or str, default=None
        Most bytes a part may use (``"4GB"`` works). Default: 80% of the memory
        available. A part that needs more raises ``InsufficientMemoryError``;
        partition shrinks its cells to fit.
    cell_size : int >= 2, default=None
        Partition backend: most points in a cell (default 4,000).
    n_neighbors : int >= 1, default=None
        Knn backend: neighbours of each point besides itself (default 64).
    random_state : int, numpy Generator or None, default=None
        Seeds stochastic greedy; the same seed gives the same coreset.
    progress : bool, default=False
        Show a progress bar (after one second) while selecting.

    Returns
    -------
    Coreset
    """
    started = time.perf_counter()
    X, y, settings = _validate(
        X,
        y,
        fraction,
        size,
        epsilon,
        per_class,
        metric,
        method,
        stochastic_epsilon,
        backend,
        max_memory,
    )
    _validate_backend_options(backend, metric, cell_size, n_neighbors)
    parts, part_labels = _split_into_parts(y, X.shape[0], settings["per_class"])
    sizes, bounds = _part_budgets(parts, settings, X.shape[0])
    random_state = _validation.check_random_state(random_state)
    seeds = np.random.default_rng(random_state).integers(2**63, size=len(parts))

    with _ProgressBar(progress, sizes) as bar:
        selections = []
        for index, rows in enumerate(parts):
            request = PartRequest(
                label=part_labels[index],
                size=sizes[index],
                bound=bounds[index],
                metric=metric,
                method=method,
                sample_epsilon=stochastic_epsilon,
                seed=int(seeds[index]),
                memory_budget=settings["memory"],
                progress=bar.for_part(index),
                cell_size=cell_size,
                n_neighbors=n_neighbors,
            )
            selections.append(_select_part(X, rows, request, backend))

    return _assemble(
        selections,
        parts,
        part_labels,
        y,
        X.shape[0],
        metric,
        method,
        time.perf_counter() - started,
    )


def _validate(
    X,
    y,
    fraction,
    size,
    epsilon,
    per_class,
    metric,
    method,
    stochastic_epsilon,
    backend,
    max_memory,
):
    metric = _validation.check_choice("metric", metric, _validation.METRICS)
    _validation.check_choice("method", method, _validation.METHODS)
    _validation.check_choice("backend", backend, BACKENDS)
    X = _validation.check_matrix(X)
    if metric == "precomputed":
        _check_distance_matrix(X)
    if y is not None:
        y = _validation.check_labels(y, X.shape[0])
    size, epsilon = _validation.check_budget(fraction, size, epsilon, X.shape[0])
    stochastic_epsilon = _validation.check_real(
        "stochastic_epsilon", stochastic_epsilon
    )
    if not 0 < stochastic_epsilon < 1:
        raise ValueError(
            f"stochastic_epsilon must be in (0, 1), got {stochastic_epsilon}"
        )
    if not isinstance(per_class, (bool, np.bool_)):
        raise TypeError(f"per_class must be True or False, got {per_class!r}")
    memory = memory_budget(_validation.check_memory(max_memory))
    settings = {
        "size": size,
        "epsilon": epsilon,
        "memory": memory,
        "per_class": bool(per_class) and y is not None,
    }
    return X, y, settings


def _validate_backend_options(backend, metric, cell_size, n_neighbors) -> None:
    if metric == "precomputed" and backend in ("partition", "knn"):
        raise ValueError(
            f"backend must be 'auto' or 'dense' with metric='precomputed', got "
            f"{backend!r}"
        )
    for name, value, low in (
        ("cell_size", cell_size, 2),
        ("n_neighbors", n_neighbors, 1),
    ):
        if value is None:
            continue
        value = _validation.check_integer(name, value)
        if value < low:
            raise ValueError(f"{name} must be an integer >= {low}, got {value}")


def _check_distance_matrix(D) -> None:
    if D.shape[0] != D.shape[1]:
        raise ValueError(
            f"with metric='precomputed', X must be a square distance matrix, got "
            f"shape {D.shape}"
        )
    if hasattr(D, "toarray"):
        raise TypeError("with metric='precomputed', X must be a dense matrix")
    if (D < 0).any():
        raise ValueError("with metric='precomputed', distances must be >= 0")


def _split_into_parts(y, n_samples: int, per_class: bool):
    """Row numbers of each part, and each part's label (sorted labels)."""
    if not per_class:
        return [np.arange(n_samples)], [None]
    labels, codes = np.unique(y, return_inverse=True)
    order = np.argsort(codes, kind="stable")
    ends = np.cumsum(np.bincount(codes, minlength=len(labels)))
    return np.split(order, ends[:-1]), labels.tolist()


def _part_budgets(parts, settings, n_samples: int):
    counts = [len(rows) for rows in parts]
    if settings["epsilon"] is not None:
        share = settings["epsilon"] / n_samples
        return [None] * len(parts), [share * c for c in counts]
    sizes = [int(s) for s in split_budget(counts, settings["size"])]
    if 0 in sizes:
        warnings.warn(
            f"size={settings['size']} is smaller than the number of classes "
            f"({len(parts)}): {sizes.count(0)} classes get no point, their points "
            f"no weight, and their bound is infinite",
            CoresetWarning,
            stacklevel=3,
        )
    return sizes, [None] * len(parts)


def _select_part(X, rows, request: PartRequest, backend: str) -> PartSelection:
    if request.metric == "precomputed":
        points = X[np.ix_(rows, rows)]
    else:
        points = X[rows]
        points = points.toarray() if hasattr(points, "toarray") else points
    if request.size == 0:
        return PartSelection(np.zeros(0, np.int64), np.zeros(0), np.zeros(0), np.inf)
    if len(rows) == 1:
        return PartSelection(np.zeros(1, np.int64), np.zeros(1), np.ones(1), 0.0)
    return _run_backend(points, request, backend)


def _run_backend(points, request: PartRequest, backend: str) -> PartSelection:
    from craig.backends import _auto, _dense, _knn, _partition

    n_features = 0 if request.metric == "precomputed" else points.shape[1]
    if backend == "auto":
        backend, reason = _auto.choose(points.shape[0], n_features, request)
        logger.info(
            "class %r: %d points, %s backend: %s",
            request.label,
            points.shape[0],
            backend,
            reason,
        )
    else:
        logger.info(
            "class %r: %d points, %s backend", request.label, points.shape[0], backend
        )
    modules = {"dense": _dense, "partition": _partition, "knn": _knn}
    return modules[backend].select_part(points, request)


def _assemble(
    selections, parts, part_labels, y, n_samples, metric, method, seconds
) -> Coreset:
    timings = {"distances": 0.0, "greedy": 0.0, "weights": 0.0}
    for selection in selections:
        for step, value in selection.timings.items():
            timings[step] = timings.get(step, 0.0) + value
    timings["total"] = seconds
    indices = np.concatenate([rows[s.picks] for rows, s in zip(parts, selections)])
    return Coreset(
        indices=indices,
        weights=np.concatenate([s.weights for s in selections]),
        labels=None if y is None else y[indices],
        gains=np.concatenate([s.gains for s in selections]),
        ranks=np.concatenate([np.arange(len(s.picks)) for s in selections]),
        bound=float(sum(s.bound for s in selections)),
        n_samples=n_samples,
        class_bounds={label: s.bound for label, s in zip(part_labels, selections)},
        metric=metric,
        method=method,
        timings=timings,
    )


class _ProgressBar:
    """One tqdm bar over all picks; it appears only after a second."""

    def __init__(self, enabled: bool, sizes):
        self.enabled = enabled
        self.total = sum(s if s is not None else 0 for s in sizes) or None
        self.bar = None

    def __enter__(self):
        if self.enabled:
            from tqdm.auto import tqdm

            self.bar = tqdm(total=self.total, unit="pick", desc="selecting", delay=1)
        return self

    def __exit__(self, error_type, *rest):
        if self.bar is not None:
            self.bar.close()
            if error_type is not None:  # keep the error off the bar's line
                self.bar.fp.write("\n")

    def for_part(self, index: int):
        if self.bar is None:
            return None
        start = self.bar.n

        def advance(n_picked: int) -> None:
            self.bar.update(start + n_picked - self.bar.n)
            self.bar.set_postfix_str(f"part {index + 1}")

        return advance
