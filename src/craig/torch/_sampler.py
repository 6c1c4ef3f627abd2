"""A sampler over a coreset that is reselected every few epochs."""

from __future__ import annotations

import logging
import math

import numpy as np
import torch
from torch import nn
from torch.utils.data import Dataset, Sampler

logger = logging.getLogger(__name__)


class CoresetSampler(Sampler[int]):
    """Yield the examples of a coreset, reselected every ``reselect_every`` epochs.

    At epoch ``e`` (set with :meth:`set_epoch`, before iterating, as with
    :class:`~torch.utils.data.distributed.DistributedSampler`) the sampler calls
    ``selector(model, dataset, e)`` when no coreset exists yet or when ``e`` is a
    multiple of ``reselect_every``, then yields every coreset example once, in an
    order shuffled by a generator seeded with ``seed + e``, so batches mix
    classes and every rank draws the same permutation.

    With ``torch.distributed`` initialised (or ``num_replicas`` and ``rank``
    given) rank ``r`` yields positions ``r, r + R, r + 2R, ...`` of the
    permutation, padded by repeating its start to a multiple of the number of
    replicas (or cut to one, with ``drop_last=True``). Every rank must run the
    same model so that it selects the same coreset.

    Parameters
    ----------
    dataset : Dataset
        The full training set.
    selector : callable
        ``selector(model, dataset, epoch) -> Coreset``, e.g.
        :class:`~craig.torch.GradientSelector` or :class:`~craig.torch.RandomSelector`.
    model : nn.Module or None, default=None
        The network the selector reads.
    reselect_every : int, default=1
        The period R >= 1, in epochs.
    generator : torch.Generator or None, default=None
        Its ``initial_seed()`` seeds the shuffles; seed 0 when ``None``, as for
        ``DistributedSampler`` (every rank must use the same seed).
    num_replicas, rank : int or None, default=None
        The shard; read from ``torch.distributed`` when ``None``.
    drop_last : bool, default=False

    Attributes
    ----------
    coreset : Coreset or None
        The current coreset.
    selection_epochs : list of int
        The epochs at which a selection ran.
    """

    def __init__(
        self,
        dataset: Dataset,
        selector,
        model: nn.Module | None = None,
        *,
        reselect_every: int = 1,
        generator: torch.Generator | None = None,
        num_replicas: int | None = None,
        rank: int | None = None,
        drop_last: bool = False,
    ):
        self.dataset = dataset
        self.selector = selector
        self.model = model
        self.reselect_every = check_period(reselect_every)
        self.seed = _base_seed(generator)
        self.num_replicas, self.rank = _shard(num_replicas, rank)
        self.drop_last = drop_last
        self.epoch = 0
        self.coreset = None
        self.selection_epochs: list[int] = []
        self._sample_weights: torch.Tensor | None = None

    def set_epoch(self, epoch: int) -> None:
        """Set the epoch, reselecting the coreset when the period says so."""
        self.epoch = epoch
        due = epoch % self.reselect_every == 0 and epoch not in self.selection_epochs
        if self.coreset is None or due:
            self._reselect(epoch)

    def __iter__(self):
        self._ensure_selected()
        generator = torch.Generator()
        generator.manual_seed(self.seed + self.epoch)
        order = torch.randperm(len(self.coreset), generator=generator)
        positions = self._shard_positions(order)
        yield from self.indices[positions].tolist()

    def __len__(self) -> int:
        self._ensure_selected()
        k = len(self.coreset)
        if self.drop_last:
            return k // self.num_replicas
        return math.ceil(k / self.num_replicas)

    @property
    def indices(self) -> torch.Tensor:
        """The dataset indices of the current coreset (int64)."""
        self._ensure_selected()
        return torch.as_tensor(self.coreset.indices, dtype=torch.int64)

    @property
    def weights(self) -> torch.Tensor:
        """The CRAIG weights gamma of the current coreset (float64, sum n)."""
        self._ensure_selected()
        return torch.as_tensor(self.coreset.weights, dtype=torch.float64)

    def sample_weights(self, indices: torch.Tensor) -> torch.Tensor:
        """Loss weights of dataset ``indices``: ``gamma_j k / n`` (mean 1, float32).

        With these, a uniformly drawn batch's weighted mean loss has the full
        data's mean loss as its expectation.
        """
        self._ensure_selected()
        return self._sample_weights[torch.as_tensor(indices, dtype=torch.int64)]

    def _ensure_selected(self) -> None:
        if self.coreset is None:
            self._reselect(self.epoch)

    def _reselect(self, epoch: int) -> None:
        self.coreset = self.selector(self.model, self.dataset, epoch)
        self.selection_epochs.append(epoch)
        weights = np.zeros(self.coreset.n_samples, dtype=np.float32)
        k, n = len(self.coreset), self.coreset.n_samples
        weights[self.coreset.indices] = self.coreset.weights * (k / n)
        self._sample_weights = torch.from_numpy(weights)
        logger.debug("epoch %d: new coreset of %d examples", epoch, k)

    def _shard_positions(self, order: torch.Tensor) -> torch.Tensor:
        if self.num_replicas == 1:
            return order
        total = len(self) * self.num_replicas
        if total > len(order):
            repeats = math.ceil(total / len(order))
            order = order.repeat(repeats)
        return order[:total][self.rank :: self.num_replicas]


def check_period(reselect_every) -> int:
    """Raise unless the reselection period is an integer >= 1."""
    if isinstance(reselect_every, bool) or not isinstance(
        reselect_every, (int, np.integer)
    ):
        raise TypeError(
            f"reselect_every must be an integer >= 1, got {reselect_every!r}"
        )
    if reselect_every < 1:
        raise ValueError(f"reselect_every must be >= 1, got {reselect_every}")
    return int(reselect_every)


def _base_seed(generator: torch.Generator | None) -> int:
    if generator is None:
        return 0
    return int(generator.initial_seed())


def _shard(num_replicas: int | None, rank: int | None) -> tuple[int, int]:
    dist = torch.distributed
    distributed = dist.is_available() and dist.is_initialized()
    if num_replicas is None:
        num_replicas = torch.distributed.get_world_size() if distributed else 1
    if rank is None:
        rank = torch.distributed.get_rank() if distributed else 0
    if num_replicas < 1:
        raise ValueError(f"num_replicas must be >= 1, got {num_replicas}")
    if not 0 <= rank < num_replicas:
        raise ValueError(f"rank must be in [0, {num_replicas}), got {rank}")
    return num_replicas, rank
