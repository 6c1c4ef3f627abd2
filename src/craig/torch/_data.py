"""Reading a map-style dataset in its own index order, in batches."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, TensorDataset


def iterate_in_order(
    dataset: Dataset, batch_size: int, device: torch.device | None = None
) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Yield ``(inputs, labels)`` batches of ``dataset`` in index order 0..n-1.

    A :class:`~torch.utils.data.TensorDataset` is sliced directly (no per-item
    Python call); any other map-style dataset goes through a sequential
    :class:`~torch.utils.data.DataLoader`. Never shuffled: row ``i`` of what the
    caller builds from these batches belongs to example ``i``.
    """
    if isinstance(dataset, TensorDataset):
        inputs, labels = dataset.tensors[0], dataset.tensors[1]
        for start in range(0, len(dataset), batch_size):
            stop = start + batch_size
            yield _to(inputs[start:stop], device), _to(labels[start:stop], device)
        return
    loader = DataLoader(dataset, batch_size=batch_size, shuffle=False)
    for inputs, labels in loader:
        yield _to(inputs, device), _to(torch.as_tensor(labels), device)


def dataset_labels(dataset: Dataset) -> np.ndarray:
    """The labels of ``dataset`` as an int64 array, without running a model."""
    if isinstance(dataset, TensorDataset):
        labels = dataset.tensors[1]
    elif hasattr(dataset, "targets"):
        labels = dataset.targets
    else:
        labels = [dataset[i][1] for i in range(len(dataset))]
    return np.asarray(torch.as_tensor(labels).cpu().numpy())


def _to(tensor: torch.Tensor, device: torch.device | None) -> torch.Tensor:
    return tensor if device is None else tensor.to(device, non_blocking=True)
