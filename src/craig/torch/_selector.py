"""Selecting a coreset of a network's training data from its gradient proxies."""

from __future__ import annotations

import logging
import time

import numpy as np
from torch import nn
from torch.utils.data import Dataset

from craig.torch._data import dataset_labels
from craig.torch._partition import random_parts
from craig.torch._proxies import gradient_proxies, weight_gradient_distances

logger = logging.getLogger(__name__)

_PROXIES = ("logit_gradient", "weight_gradient")


class GradientSelector:
    """Select a CRAIG coreset per class from a model's last-layer gradients.

    Each call runs the model once over the dataset (:func:`gradient_proxies`),
    then calls :func:`craig.select` on every class with the same per-class budget
    as :class:`RandomSelector` (``round(fraction * n_c)``), and returns one
    :class:`craig.Coreset` whose weights sum to the number of examples.

    Parameters
    ----------
    fraction : float
        Share of each class to keep, in (0, 1].
    proxy : {"logit_gradient", "weight_gradient"}, default="logit_gradient"
        ``"logit_gradient"``: Euclidean distances between ``softmax(z) - onehot(y)``
        (C numbers per example, the fast choice). ``"weight_gradient"``: distances
        between the last layer's weight gradients, from
        :func:`weight_gradient_distances` (an ``n_c x n_c`` matrix per class).
    method : {"stochastic", "lazy", "naive"}, default="stochastic"
        The greedy of :func:`craig.select`.
    stochastic_epsilon : float, default=0.01
        Stochastic greedy's sampling parameter (not an accuracy bound).
    layer : str or None, default=None
        Name of the last linear layer; found automatically when ``None``.
    part_size : int or None, default=None
        Fast path for large classes (``"logit_gradient"`` only): split each class
        at random into parts of about this many examples and select in each part,
        the class's budget shared in proportion to part sizes; weights count the
        examples of a pick's own part, and the bound is the sum of the parts'
        (an upper bound). ``O(n_c * part_size)`` instead of ``O(n_c^2)``.
        ``None`` selects on each whole class.
    batch_size : int, default=2048
        Batch size of the proxy pass.
    random_state : int or None, default=None
        Seed; call ``e`` uses a seed derived from ``(random_state, e)``.

    Attributes
    ----------
    history : list of dict
        One entry per call: ``epoch``, ``proxy_seconds``, ``selection_seconds``,
        ``size``, ``bound``.
    """

    def __init__(
        self,
        *,
        fraction: float,
        proxy: str = "logit_gradient",
        method: str = "stochastic",
        stochastic_epsilon: float = 0.01,
        layer: str | None = None,
        part_size: int | None = None,
        batch_size: int = 2048,
        random_state: int | None = None,
    ):
        if proxy not in _PROXIES:
            raise ValueError(f"proxy must be one of {_PROXIES}, got {proxy!r}")
        check_fraction(fraction)
        _check_part_size(part_size, proxy)
        self.fraction = fraction
        self.proxy = proxy
        self.method = method
        self.stochastic_epsilon = stochastic_epsilon
        self.layer = layer
        self.part_size = part_size
        self.batch_size = batch_size
        self.random_state = random_state
        self.history: list[dict] = []

    def __call__(self, model: nn.Module, dataset: Dataset, epoch: int = 0):
        """Select a coreset of ``dataset`` for ``model`` as it is now."""
        proxies = gradient_proxies(
            model,
            dataset,
            layer=self.layer,
            with_embeddings=self.proxy == "weight_gradient",
            batch_size=self.batch_size,
            epoch=epoch,
        )
        start = time.perf_counter()
        coreset = self._select(proxies, epoch)
        seconds = time.perf_counter() - start
        self._record(epoch, proxies.seconds, seconds, coreset)
        return coreset

    def _select(self, proxies, epoch):
        import craig

        seed = epoch_seed(self.random_state, epoch)
        rng = np.random.default_rng(seed)
        parts = []
        for label, rows, size in class_budgets(proxies.labels, self.fraction):
            features, metric = self._class_features(proxies, rows)
            groups = None
            if self.part_size is not None and len(rows) > self.part_size:
                groups = random_parts(len(rows), self.part_size, rng)
            part = craig.select(
                features,
                groups,
                size=size,
                metric=metric,
                method=self.method,
                stochastic_epsilon=self.stochastic_epsilon,
                random_state=seed,
            )
            parts.append((label, rows, part))
        return concatenate(parts, len(proxies.labels), metric, self.method)

    def _class_features(self, proxies, rows):
        if self.proxy == "logit_gradient":
            return proxies.logit_gradients[rows], "euclidean"
        gradients = proxies.logit_gradients[rows]
        return weight_gradient_distances(gradients, proxies.embeddings[rows]), (
            "precomputed"
        )

    def _record(self, epoch, proxy_seconds, selection_seconds, coreset):
        entry = {
            "epoch": epoch,
            "proxy_seconds": proxy_seconds,
            "selection_seconds": selection_seconds,
            "size": len(coreset),
            "bound": coreset.bound,
        }
        self.history.append(entry)
        logger.info(
            "epoch %d: selected %d examples (proxies %.3f s, selection %.3f s)",
            epoch,
            len(coreset),
            proxy_seconds,
            selection_seconds,
        )


def _check_part_size(part_size, proxy: str) -> None:
    if part_size is None:
        return
    if isinstance(part_size, bool) or not isinstance(part_size, (int, np.integer)):
        raise TypeError(f"part_size must be an integer >= 2 or None, got {part_size!r}")
    if part_size < 2:
        raise ValueError(f"part_size must be >= 2 or None, got {part_size}")
    if proxy != "logit_gradient":
        raise ValueError(f"part_size needs proxy='logit_gradient', got proxy={proxy!r}")


class RandomSelector:
    """A uniformly random subset per class, the baseline of every experiment.

    Each class keeps ``round(fraction * n_c)`` examples (the same budget as
    :class:`GradientSelector`); each kept example weighs ``n_c / k_c``, so the
    weights sum to the number of examples as CRAIG's do.

    Parameters
    ----------
    fraction : float
        Share of each class to keep, in (0, 1].
    random_state : int or None, default=None
        Seed; call ``e`` uses a seed derived from ``(random_state, e)``.
    """

    def __init__(self, *, fraction: float, random_state: int | None = None):
        check_fraction(fraction)
        self.fraction = fraction
        self.random_state = random_state
        self.history: list[dict] = []

    def __call__(self, model: nn.Module | None, dataset: Dataset, epoch: int = 0):
        """Draw a subset of ``dataset``; ``model`` is ignored."""
        start = time.perf_counter()
        labels = dataset_labels(dataset)
        check_integer_labels(labels)
        rng = np.random.default_rng(epoch_seed(self.random_state, epoch))
        parts = []
        for label, rows, size in class_budgets(labels, self.fraction):
            picks = np.sort(rng.choice(len(rows), size=size, replace=False))
            parts.append((label, rows, _uniform_part(picks, len(rows))))
        coreset = concatenate(parts, len(labels), "none", "random")
        seconds = time.perf_counter() - start
        self.history.append(
            {"epoch": epoch, "proxy_seconds": 0.0, "selection_seconds": seconds}
        )
        return coreset


def _uniform_part(picks: np.ndarray, n: int):
    import craig

    k = len(picks)
    return craig.Coreset(
        indices=picks.astype(np.int64),
        weights=np.full(k, n / k),
        labels=None,
        gains=np.zeros(k),
        ranks=np.arange(k, dtype=np.int64),
        bound=float("nan"),
        n_samples=n,
        metric="none",
        method="random",
    )


def concatenate(parts, n_samples: int, metric: str, method: str):
    """One :class:`craig.Coreset` from per-class coresets of row subsets.

    ``parts`` holds ``(label, rows, coreset)`` triples, where ``coreset`` indexes
    ``rows``; the result indexes the whole dataset.
    """
    import craig

    indices = np.concatenate([rows[part.indices] for _, rows, part in parts])
    labels = np.concatenate([np.full(len(part), label) for label, _, part in parts])
    class_bounds = {label: float(part.bound) for label, _, part in parts}
    timings: dict[str, float] = {}
    for _, _, part in parts:
        for key, value in part.timings.items():
            timings[key] = timings.get(key, 0.0) + value
    return craig.Coreset(
        indices=indices.astype(np.int64),
        weights=np.concatenate([part.weights for _, _, part in parts]),
        labels=labels,
        gains=np.concatenate([part.gains for _, _, part in parts]),
        ranks=np.concatenate([part.ranks for _, _, part in parts]),
        bound=float(sum(class_bounds.values())),
        n_samples=n_samples,
        class_bounds=class_bounds,
        metric=metric,
        method=method,
        timings=timings,
    )


def class_budgets(labels: np.ndarray, fraction: float):
    """``(label, rows, size)`` per class, ``size = round(fraction * n_c)``.

    Raises
    ------
    ValueError
        If the fraction leaves a class with no example.
    """
    classes, inverse = np.unique(labels, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    bounds = np.cumsum(np.bincount(inverse, minlength=len(classes)))[:-1]
    budgets = []
    for label, rows in zip(classes, np.split(order, bounds), strict=True):
        size = int(np.floor(fraction * len(rows) + 0.5))
        if size == 0:
            raise ValueError(
                f"fraction={fraction} leaves class {label} ({len(rows)} examples) "
                f"with no example; use a fraction of at least {0.5 / len(rows):.3g}"
            )
        budgets.append((label, rows, size))
    return budgets


def check_fraction(fraction) -> None:
    """Raise unless ``fraction`` is a real number in (0, 1]."""
    if isinstance(fraction, bool) or not isinstance(fraction, (int, float)):
        raise TypeError(f"fraction must be a number in (0, 1], got {fraction!r}")
    if not 0 < fraction <= 1:
        raise ValueError(f"fraction must be in (0, 1], got {fraction}")


def check_integer_labels(labels: np.ndarray) -> None:
    """Raise unless ``labels`` are non-negative integers."""
    if not np.issubdtype(labels.dtype, np.integer):
        raise TypeError(f"labels must be integers in [0, C), got dtype {labels.dtype}")
    if len(labels) and labels.min() < 0:
        raise ValueError(f"labels must be integers in [0, C), got {labels.min()}")


def epoch_seed(random_state: int | None, epoch: int) -> int | None:
    """A seed for call ``epoch`` derived from ``random_state`` (None stays None)."""
    if random_state is None:
        return None
    return int(np.random.SeedSequence([random_state, epoch]).generate_state(1)[0])
