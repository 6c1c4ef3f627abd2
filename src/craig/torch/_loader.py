"""Batches of ``(inputs, labels, weights)`` from a coreset sampler; weighted loss."""

from __future__ import annotations

import math

import torch
from torch.nn import functional as F
from torch.utils.data import BatchSampler, DataLoader, Dataset, TensorDataset

from craig.torch._sampler import CoresetSampler


class CoresetLoader:
    """Iterate a coreset in batches of ``(inputs, labels, weights)``.

    The weights are the sampler's :meth:`~CoresetSampler.sample_weights` (mean 1
    over the coreset) and arrive on the device of the inputs. A
    :class:`~torch.utils.data.TensorDataset` is indexed a whole batch at a time;
    other datasets go through a :class:`~torch.utils.data.DataLoader` built with
    ``loader_options`` (``num_workers``, ``pin_memory``, ...).

    Parameters
    ----------
    dataset : Dataset
        The full training set, yielding ``(input, label)``.
    sampler : CoresetSampler
    batch_size : int, default=32
    device : torch.device, str or None, default=None
        Where batches go; left where the dataset holds them when ``None``.
    drop_last : bool, default=False
        Drop the last incomplete batch.
    **loader_options
        Passed to ``DataLoader`` for datasets that are not a ``TensorDataset``.

    Examples
    --------
    >>> for epoch in range(epochs):  # doctest: +SKIP
    ...     loader.set_epoch(epoch)
    ...     for inputs, labels, weights in loader:
    ...         loss = weighted_cross_entropy(model(inputs), labels, weights)
    """

    def __init__(
        self,
        dataset: Dataset,
        sampler: CoresetSampler,
        *,
        batch_size: int = 32,
        device: torch.device | str | None = None,
        drop_last: bool = False,
        **loader_options,
    ):
        self.dataset = dataset
        self.sampler = sampler
        self.batch_size = batch_size
        self.device = None if device is None else torch.device(device)
        self.drop_last = drop_last
        self.loader_options = loader_options

    def set_epoch(self, epoch: int) -> None:
        """Forward the epoch to the sampler (which may reselect)."""
        self.sampler.set_epoch(epoch)

    def __len__(self) -> int:
        if self.drop_last:
            return len(self.sampler) // self.batch_size
        return math.ceil(len(self.sampler) / self.batch_size)

    def __iter__(self):
        for inputs, labels, indices in self._batches():
            if self.device is not None:
                inputs = inputs.to(self.device, non_blocking=True)
                labels = labels.to(self.device, non_blocking=True)
            weights = self.sampler.sample_weights(indices).to(inputs.device)
            yield inputs, labels, weights

    def _batches(self):
        batches = BatchSampler(self.sampler, self.batch_size, self.drop_last)
        if isinstance(self.dataset, TensorDataset) and not self.loader_options:
            inputs, labels = self.dataset.tensors[:2]
            for batch in batches:
                indices = torch.as_tensor(batch, dtype=torch.int64)
                yield inputs[indices], labels[indices], indices
            return
        loader = DataLoader(
            _WithIndex(self.dataset), batch_sampler=batches, **self.loader_options
        )
        yield from loader


class _WithIndex(Dataset):
    def __init__(self, dataset: Dataset):
        self.dataset = dataset

    def __len__(self) -> int:
        return len(self.dataset)

    def __getitem__(self, index: int):
        inputs, label = self.dataset[index][:2]
        return inputs, label, index


def weighted_cross_entropy(
    logits: torch.Tensor,
    labels: torch.Tensor,
    weights: torch.Tensor | None = None,
    *,
    per_batch: bool = False,
) -> torch.Tensor:
    """The weighted mean cross-entropy of a batch.

    .. math::

        \\ell(B) = \\frac{1}{|B|} \\sum_{j \\in B} w_j \\, \\mathrm{CE}(z_j, y_j),
        \\qquad w_j = \\gamma_j \\frac{k}{n}

    With ``w_j`` from :meth:`CoresetSampler.sample_weights` (CRAIG weights
    ``gamma_j`` scaled to mean 1 over the ``k`` coreset examples), a batch drawn
    uniformly from the coreset has expectation
    ``(1/n) sum_j gamma_j CE_j``, the coreset's estimate of the full-data mean
    loss. Without ``weights`` it is the plain mean.

    Parameters
    ----------
    logits : Tensor of shape (batch, C)
    labels : Tensor of shape (batch,)
    weights : Tensor of shape (batch,) or None, default=None
    per_batch : bool, default=False
        Divide by the batch's sum of weights instead of its size:
        ``sum_j w_j CE_j / sum_j w_j``. A convex combination of the batch's
        losses, so one heavy example cannot scale the step up (a slightly
        biased, ratio estimate of the full-data loss).

    .. note:: Early in training the proxies of a class are nearly equal, so a
       few picks carry most of the class's weight (``w_j`` in the tens); with a
       large step size the unnormalised loss can then diverge. ``per_batch``
       or a smaller step size avoids it.
    """
    losses = F.cross_entropy(logits, labels, reduction="none")
    if weights is None:
        return losses.mean()
    weights = weights.to(losses.dtype)
    if per_batch:
        return (losses * weights).sum() / weights.sum()
    return (losses * weights).mean()
