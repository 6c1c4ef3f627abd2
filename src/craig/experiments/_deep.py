"""Training runs shared by the deep-network experiments (MNIST, CIFAR-10).

One run trains one network on full data, a random subset or a CRAIG coreset,
and records a curve: after each evaluated epoch, the wall clock (training plus
selection, evaluation excluded), the examples back-propagated, the share of
distinct training examples ever used, the training loss and the test accuracy.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from functools import partial

import numpy as np

METHODS = ("full", "random", "craig")


@dataclass
class DeepTask:
    """What an experiment trains: data, network, optimizer, evaluation sample.

    ``make_model()`` builds a fresh network (seeded by the caller);
    ``make_optimizer(parameters, learning_rate)`` its optimizer. ``train`` and
    ``test`` are ``TensorDataset``; ``train_probe`` a fixed sample of ``train``
    on which the training loss is measured; ``augment(inputs)``, when given,
    transforms each training batch (never the proxy pass or the evaluation).
    """

    name: str
    train: object
    test: object
    train_probe: object
    make_model: object
    make_optimizer: object
    proxy_batch_size: int = 2048
    augment: object = None


@dataclass
class RunSettings:
    """One run: a method, a subset fraction, a seed, a step size, epochs."""

    method: str
    fraction: float
    seed: int
    learning_rate: float
    epochs: int
    batch_size: int
    reselect_every: int
    evaluate_every: int = 1
    per_batch_weights: bool = False
    progress: bool = True
    extra: dict = field(default_factory=dict)


def epochs_for(method: str, fraction: float, epochs: int, same_epochs: bool) -> int:
    """Epochs of a run: equal back-propagated examples unless ``same_epochs``."""
    if method == "full" or same_epochs:
        return epochs
    return max(1, round(epochs / fraction))


def run_one(task: DeepTask, settings: RunSettings) -> dict:
    """Train one network as ``settings`` says; return its curve and timings."""
    import torch

    from craig.torch import CoresetLoader, CoresetSampler

    torch.manual_seed(settings.seed)
    model = task.make_model()
    optimizer = task.make_optimizer(model.parameters(), settings.learning_rate)
    selector = _selector(task, settings)
    generator = torch.Generator().manual_seed(settings.seed)
    period = settings.epochs if settings.method == "full" else settings.reselect_every
    sampler = CoresetSampler(
        task.train, selector, model, reselect_every=period, generator=generator
    )
    loader = CoresetLoader(task.train, sampler, batch_size=settings.batch_size)
    record = _Recorder(task, settings)
    record.evaluate(model, epoch=0)
    for epoch in range(settings.epochs):
        record.epoch(model, loader, optimizer, epoch)
    return record.result(selector)


def _selector(task: DeepTask, settings: RunSettings):
    from craig.torch import GradientSelector, RandomSelector

    if settings.method == "craig":
        return GradientSelector(
            fraction=settings.fraction,
            batch_size=task.proxy_batch_size,
            random_state=settings.seed,
            **settings.extra,
        )
    fraction = 1.0 if settings.method == "full" else settings.fraction
    return RandomSelector(fraction=fraction, random_state=settings.seed)


class _Recorder:
    """Runs the epochs of one run and keeps its curve."""

    def __init__(self, task: DeepTask, settings: RunSettings):
        self.task, self.settings = task, settings
        self.wall, self.examples, self.selection = 0.0, 0, 0.0
        self.cpu = 0.0
        self.used = np.zeros(len(task.train), dtype=bool)
        self.curve: list[dict] = []
        self.epoch_seconds: list[float] = []

    def epoch(self, model, loader, optimizer, epoch: int) -> None:
        from tqdm.auto import tqdm

        from craig.torch import train_epoch, weighted_cross_entropy

        start, cpu_start = time.perf_counter(), time.process_time()
        loader.set_epoch(epoch)
        selected = time.perf_counter()
        bar = tqdm(
            loader,
            desc=f"{self._label()} epoch {epoch + 1}/{self.settings.epochs}",
            leave=False,
            disable=not self.settings.progress,
        )
        if self.task.augment is not None:
            bar = ((self.task.augment(x), y, w) for x, y, w in bar)
        per_batch = self.settings.per_batch_weights
        loss = partial(weighted_cross_entropy, per_batch=per_batch)
        stats = train_epoch(model, bar, optimizer, epoch=epoch, loss=loss)
        end = time.perf_counter()
        self.cpu += time.process_time() - cpu_start
        self.wall += end - start
        self.selection += selected - start
        self.epoch_seconds.append(end - selected)
        self.examples += stats["examples"]
        self.used[loader.sampler.indices.numpy()] = True
        last = epoch + 1 == self.settings.epochs
        if last or (epoch + 1) % self.settings.evaluate_every == 0:
            self.evaluate(model, epoch + 1, batch_loss=stats["loss"])

    def evaluate(self, model, epoch: int, batch_loss: float = math.nan) -> None:
        from craig.torch import evaluate

        train = evaluate(model, self.task.train_probe)
        test = evaluate(model, self.task.test)
        self.curve.append(
            {
                "epoch": epoch,
                "wall_seconds": self.wall,
                "cpu_seconds": self.cpu,
                "selection_seconds": self.selection,
                "examples": self.examples,
                "distinct_fraction": float(self.used.mean()),
                "batch_loss": batch_loss,
                "train_loss": train["loss"],
                "test_loss": test["loss"],
                "test_accuracy": test["accuracy"],
            }
        )

    def _label(self) -> str:
        s = self.settings
        if s.method == "full":
            return f"full seed {s.seed}"
        return f"{s.method} {s.fraction:.0%} seed {s.seed}"

    def result(self, selector) -> dict:
        s = self.settings
        return {
            "method": s.method,
            "fraction": 1.0 if s.method == "full" else s.fraction,
            "seed": s.seed,
            "learning_rate": s.learning_rate,
            "epochs": s.epochs,
            "batch_size": s.batch_size,
            "reselect_every": s.reselect_every,
            "per_batch_weights": s.per_batch_weights,
            "curve": self.curve,
            "epoch_seconds": self.epoch_seconds,
            "selections": selector.history,
        }
