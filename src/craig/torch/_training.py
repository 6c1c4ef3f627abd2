"""One epoch of weighted training, and evaluation, for the experiments."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import Dataset

from craig._errors import DivergenceError
from craig.torch._data import iterate_in_order
from craig.torch._layers import eval_mode, split_output
from craig.torch._loader import weighted_cross_entropy


def train_epoch(
    model: nn.Module,
    loader,
    optimizer: torch.optim.Optimizer,
    *,
    epoch: int,
    loss=weighted_cross_entropy,
) -> dict:
    """Run ``optimizer`` over one pass of ``loader``'s ``(x, y, weight)`` batches.

    ``loss(logits, labels, weights)`` gives the batch loss; by default
    :func:`weighted_cross_entropy`.

    Returns
    -------
    dict
        ``loss``: the mean weighted batch loss; ``examples``: the number of
        back-propagated examples.

    Raises
    ------
    DivergenceError
        If a batch loss is NaN or infinite; the message names the epoch.
    """
    model.train()
    total, examples, batches = 0.0, 0, 0
    for inputs, labels, weights in loader:
        value = loss(split_output(model(inputs)), labels, weights)
        if not torch.isfinite(value):
            raise DivergenceError(
                f"the training loss became {value.item()} at epoch {epoch} "
                f"(batch {batches}): training diverged; lower the learning rate"
            )
        optimizer.zero_grad(set_to_none=True)
        value.backward()
        optimizer.step()
        total += value.item()
        examples += len(labels)
        batches += 1
    return {"loss": total / max(batches, 1), "examples": examples}


def evaluate(model: nn.Module, dataset: Dataset, batch_size: int = 4096) -> dict:
    """Mean cross-entropy and accuracy of ``model`` on ``dataset``, in eval mode."""
    loss, correct, count = 0.0, 0, 0
    with torch.no_grad(), eval_mode(model):
        for inputs, labels in iterate_in_order(dataset, batch_size):
            logits = split_output(model(inputs))
            loss += F.cross_entropy(logits, labels, reduction="sum").item()
            correct += int((logits.argmax(1) == labels).sum())
            count += len(labels)
    return {"loss": loss / count, "accuracy": correct / count}
