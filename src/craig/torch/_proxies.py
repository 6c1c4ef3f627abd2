"""Gradient proxies: per-example last-layer gradients from one forward pass.

For softmax cross-entropy with logits ``z = W h + b`` the gradient of the loss
of example ``i`` with respect to the logits is ``g_i = softmax(z_i) - onehot(y_i)``
and the gradient with respect to the last layer's weights is the outer product
``g_i [h_i, 1]^T`` (the ``1`` carries the bias). CRAIG measures how far apart
two examples' gradients are through these proxies (METHOD.md, "Which distance").
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import Dataset

from craig._errors import DivergenceError
from craig.torch._data import iterate_in_order
from craig.torch._layers import (
    capture_input,
    eval_mode,
    find_last_linear,
    split_output,
)


@dataclass(frozen=True)
class GradientProxies:
    """Per-example gradient proxies, row ``i`` for example ``i`` of the dataset.

    Attributes
    ----------
    logit_gradients : ndarray of shape (n_samples, n_classes), float32
        ``softmax(z_i) - onehot(y_i)``: the gradient of the loss with respect to
        the last layer's output (the input of the softmax loss).
    embeddings : ndarray of shape (n_samples, n_features + 1), float32, or None
        The last layer's input ``h_i`` with a column of ones appended when the
        layer has a bias; ``None`` unless asked for.
    labels : ndarray of shape (n_samples,), int64
    layer : str
        The name of the last linear layer that was used.
    seconds : float
        Wall-clock time of the pass.
    """

    logit_gradients: np.ndarray
    embeddings: np.ndarray | None
    labels: np.ndarray
    layer: str
    seconds: float


def gradient_proxies(
    model: nn.Module,
    dataset: Dataset,
    *,
    layer: str | None = None,
    with_embeddings: bool = False,
    batch_size: int = 2048,
    device: torch.device | str | None = None,
    epoch: int | None = None,
) -> GradientProxies:
    """Compute the gradient proxies of every example, in the dataset's order.

    The model runs in eval mode, under ``torch.no_grad``, batch by batch over
    the examples ``0 .. n-1`` in order; its training flag is restored after.

    Parameters
    ----------
    model : nn.Module
        A classifier whose last layer is an ``nn.Linear`` and that returns
        logits, or ``(logits, embedding)``.
    dataset : Dataset
        A map-style dataset of ``(input, label)`` pairs, labels in ``[0, C)``.
    layer : str or None, default=None
        Name of the last linear layer; found automatically when ``None``.
    with_embeddings : bool, default=False
        Also keep the last layer's inputs (needed for weight-gradient distances).
    batch_size : int, default=2048
    device : torch.device, str or None, default=None
        Where to run the model; the device of its first parameter when ``None``.
    epoch : int or None, default=None
        Only used to name the epoch in the error raised on non-finite logits.

    Returns
    -------
    GradientProxies

    Raises
    ------
    TypeError
        If the last layer is not an ``nn.Linear`` or the labels are not integers.
    ValueError
        If a label is outside ``[0, C)``.
    DivergenceError
        If the model's logits contain NaN or infinity.
    """
    start = time.perf_counter()
    device = _model_device(model) if device is None else torch.device(device)
    batches = iterate_in_order(dataset, batch_size, device)
    first = next(batches)
    name, linear = find_last_linear(model, first[0][:2], layer)
    parts = _forward_all(model, linear, _chain(first, batches), with_embeddings, epoch)
    gradients, embeddings, labels = (
        None if not part else torch.cat(part).cpu().numpy() for part in parts
    )
    if embeddings is not None and linear.bias is not None:
        ones = np.ones((len(embeddings), 1), dtype=embeddings.dtype)
        embeddings = np.hstack([embeddings, ones])
    seconds = time.perf_counter() - start
    labels = labels.astype(np.int64)
    return GradientProxies(gradients, embeddings, labels, name, seconds)


def _forward_all(model, linear, batches, with_embeddings, epoch):
    gradients, embeddings, labels = [], [], []
    seen = 0
    with torch.no_grad(), eval_mode(model), capture_input(linear) as captured:
        for inputs, targets in batches:
            logits = split_output(model(inputs)).float()
            check_logits(logits, epoch, offset=seen)
            check_labels(targets, logits.shape[1])
            probabilities = torch.softmax(logits, dim=1)
            onehot = F.one_hot(targets.long(), logits.shape[1])
            gradients.append(probabilities - onehot.to(probabilities.dtype))
            labels.append(targets.long())
            if with_embeddings:
                embeddings.append(captured[0].float().flatten(1))
            seen += len(targets)
    return gradients, embeddings, labels


def weight_gradient_distances(
    logit_gradients: np.ndarray, embeddings: np.ndarray
) -> np.ndarray:
    """Euclidean distances between last-layer weight gradients, pairwise.

    The weight gradient of example ``i`` is the outer product ``g_i h_i^T``;
    it is never formed. The identity

    .. math::

        \\|a b^T - c d^T\\|^2 = |a|^2 |b|^2 + |c|^2 |d|^2 - 2 (a \\cdot c)(b \\cdot d)

    needs only the Gram matrices of ``g`` (``logit_gradients``) and ``h``
    (``embeddings``): ``O(n^2 (C + d))`` time and ``O(n^2)`` memory.

    Parameters
    ----------
    logit_gradients : ndarray of shape (n, C)
    embeddings : ndarray of shape (n, d)

    Returns
    -------
    ndarray of shape (n, n), float32
        Zero on the diagonal, symmetric.
    """
    g = np.asarray(logit_gradients, dtype=np.float32)
    h = np.asarray(embeddings, dtype=np.float32)
    norms = np.einsum("ij,ij->i", g, g) * np.einsum("ij,ij->i", h, h)
    squared = (g @ g.T) * (h @ h.T)
    squared *= -2.0
    squared += norms[:, None]
    squared += norms[None, :]
    np.maximum(squared, 0.0, out=squared)
    np.fill_diagonal(squared, 0.0)
    return np.sqrt(squared, out=squared)


def check_logits(logits: torch.Tensor, epoch: int | None, offset: int = 0) -> None:
    """Raise :class:`DivergenceError` if ``logits`` hold NaN or infinity."""
    finite = torch.isfinite(logits).all(dim=1)
    if bool(finite.all()):
        return
    first = offset + int((~finite).nonzero()[0, 0])
    when = "" if epoch is None else f" at epoch {epoch}"
    raise DivergenceError(
        f"the model's logits are NaN or infinite{when} (first at example {first}): "
        "training diverged; lower the learning rate"
    )


def check_labels(labels: torch.Tensor, n_classes: int) -> None:
    """Raise unless ``labels`` are integers in ``[0, n_classes)``."""
    if labels.dtype.is_floating_point or labels.dtype in (torch.bool, torch.complex64):
        raise TypeError(
            f"labels must be integers in [0, {n_classes}), got dtype {labels.dtype}"
        )
    if len(labels) and (int(labels.min()) < 0 or int(labels.max()) >= n_classes):
        bad = labels[(labels < 0) | (labels >= n_classes)][0]
        raise ValueError(
            f"labels must be integers in [0, {n_classes}) (the model has "
            f"{n_classes} outputs), got {int(bad)}"
        )


def _model_device(model: nn.Module) -> torch.device:
    for parameter in model.parameters():
        return parameter.device
    return torch.device("cpu")


def _chain(first, rest):
    yield first
    yield from rest
