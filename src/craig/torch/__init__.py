"""CRAIG for PyTorch: gradient proxies, a reselecting coreset sampler, models.

This is the only part of craig that imports torch (``pip install craig[torch]``).

A training loop on a coreset reselected every epoch::

    selector = GradientSelector(fraction=0.1, random_state=0)
    sampler = CoresetSampler(train_set, selector, model, reselect_every=1)
    loader = CoresetLoader(train_set, sampler, batch_size=32)
    for epoch in range(epochs):
        loader.set_epoch(epoch)
        for inputs, labels, weights in loader:
            loss = weighted_cross_entropy(model(inputs), labels, weights)
            ...
"""

from craig.torch._layers import find_last_linear
from craig.torch._loader import CoresetLoader, weighted_cross_entropy
from craig.torch._models import MNIST_L2, MnistNet, ResNet, resnet20
from craig.torch._proxies import (
    GradientProxies,
    gradient_proxies,
    weight_gradient_distances,
)
from craig.torch._sampler import CoresetSampler
from craig.torch._selector import GradientSelector, RandomSelector
from craig.torch._training import evaluate, train_epoch

__all__ = [
    "CoresetLoader",
    "CoresetSampler",
    "GradientProxies",
    "GradientSelector",
    "MNIST_L2",
    "MnistNet",
    "RandomSelector",
    "ResNet",
    "evaluate",
    "find_last_linear",
    "gradient_proxies",
    "resnet20",
    "train_epoch",
    "weight_gradient_distances",
    "weighted_cross_entropy",
]
