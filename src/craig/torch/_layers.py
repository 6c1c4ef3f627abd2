"""Finding a model's last linear layer and reading its input and output."""

from __future__ import annotations

from contextlib import contextmanager

import torch
from torch import nn

# Modules that leave their input unchanged in eval mode may follow the last layer.
_PASS_THROUGH = (nn.Identity, nn.Dropout, nn.Dropout1d, nn.Dropout2d, nn.Flatten)


def find_last_linear(
    model: nn.Module, example: torch.Tensor, layer: str | None = None
) -> tuple[str, nn.Linear]:
    """The model's last layer, which must be an :class:`~torch.nn.Linear`.

    Parameters
    ----------
    model : nn.Module
        The network.
    example : Tensor
        A small input batch; the model runs once on it, in eval mode, so that the
        last layer is the last one *executed*, not the last one registered.
    layer : str or None, default=None
        The dotted name of the layer to use instead (as in ``named_modules``).

    Returns
    -------
    name : str
    linear : nn.Linear

    Raises
    ------
    TypeError
        If the layer found or named is not an ``nn.Linear``; the message names the
        module that was found.
    """
    if layer is not None:
        return layer, _named_linear(model, layer)
    name, module = _last_executed_leaf(model, example)
    if not isinstance(module, nn.Linear):
        raise TypeError(
            "the last layer of the model must be an nn.Linear (the gradient proxies "
            f"are those of a linear last layer), found {type(module).__name__} "
            f"{name!r}; name the linear layer to use with layer="
        )
    return name, module


def _named_linear(model: nn.Module, layer: str) -> nn.Linear:
    try:
        module = model.get_submodule(layer)
    except AttributeError as exc:
        names = [n for n, m in model.named_modules() if isinstance(m, nn.Linear)]
        raise ValueError(
            f"layer must name a module of the model, one of {names}, got {layer!r}"
        ) from exc
    if not isinstance(module, nn.Linear):
        raise TypeError(
            f"layer must name an nn.Linear, got {layer!r}, a {type(module).__name__}"
        )
    return module


def _last_executed_leaf(model: nn.Module, example: torch.Tensor):
    order: list[tuple[str, nn.Module]] = []
    leaves = [
        (name, module)
        for name, module in model.named_modules()
        if not list(module.children()) and not isinstance(module, _PASS_THROUGH)
    ]
    if not leaves:
        raise TypeError(
            "the model must end with an nn.Linear layer, found no layer at all in "
            f"{type(model).__name__}"
        )

    def record(name):
        return lambda module, inputs, output: order.append((name, module))

    handles = [m.register_forward_hook(record(n)) for n, m in leaves]
    try:
        with torch.no_grad(), eval_mode(model):
            model(example)
    finally:
        for handle in handles:
            handle.remove()
    if not order:
        return leaves[-1]
    return order[-1]


@contextmanager
def eval_mode(model: nn.Module):
    """Put ``model`` in eval mode for the block, then restore its training flag."""
    was_training = model.training
    model.eval()
    try:
        yield model
    finally:
        model.train(was_training)


@contextmanager
def capture_input(linear: nn.Linear):
    """Record the input of ``linear`` on each forward call into a one-item list."""
    captured: list[torch.Tensor] = []

    def hook(module, inputs, output):
        captured[:] = [inputs[0]]

    handle = linear.register_forward_hook(hook)
    try:
        yield captured
    finally:
        handle.remove()


def split_output(output) -> torch.Tensor:
    """The logits of a model that returns logits or ``(logits, embedding)``."""
    if isinstance(output, (tuple, list)):
        return output[0]
    return output
