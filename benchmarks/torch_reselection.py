"""Where the time of one CRAIG reselection goes on MNIST (60,000 images).

Trains the paper's network for one epoch on full data (timing it), then times
the gradient-proxy pass and the per-class selection for several fractions and
greedy methods. Prints one line per setting; the target is a reselection
(proxies + selection, all classes) of at most 25% of one full-data epoch.

    PYTHONPATH=src python benchmarks/torch_reselection.py [--threads 1]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import torch
from torch.utils.data import TensorDataset

import craig
from craig import datasets
from craig.torch import (
    CoresetLoader,
    CoresetSampler,
    GradientSelector,
    MnistNet,
    RandomSelector,
    gradient_proxies,
    train_epoch,
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--fractions", type=float, nargs="+", default=[0.1, 0.2, 0.4])
    parser.add_argument("--methods", nargs="+", default=["stochastic"])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--part-sizes", type=int, nargs="+", default=[0, 1000])
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    data = datasets.load("mnist")
    train = TensorDataset(
        torch.from_numpy(data.X_train).reshape(-1, 784),
        torch.from_numpy(data.y_train).long(),
    )
    torch.manual_seed(0)
    model = MnistNet()
    cpu = time.process_time()
    epoch = _train_one_epoch(model, train)
    cpu = time.process_time() - cpu
    print(
        f"threads {args.threads}; full-data epoch (batch 32): {epoch:.3f} s "
        f"(CPU {cpu:.3f} s); load average {os.getloadavg()[0]:.1f}"
    )
    _time_proxies(model, train, args.repeats)
    for part_size in args.part_sizes:
        for method in args.methods:
            for fraction in args.fractions:
                options = {"method": method, "part_size": part_size or None}
                _time_selection(model, train, options, fraction, args.repeats, epoch)


def _train_one_epoch(model, train) -> float:
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5, weight_decay=1e-4)
    selector = RandomSelector(fraction=1.0, random_state=0)
    loader = CoresetLoader(train, CoresetSampler(train, selector), batch_size=32)
    loader.set_epoch(0)
    start = time.perf_counter()
    train_epoch(model, loader, optimizer, epoch=0)
    return time.perf_counter() - start


def _time_proxies(model, train, repeats: int) -> None:
    seconds = [gradient_proxies(model, train).seconds for _ in range(repeats)]
    print(
        f"proxy pass (softmax - onehot): min {min(seconds):.3f} s, "
        f"median {np.median(seconds):.3f} s"
    )


def _time_selection(model, train, options, fraction, repeats, epoch) -> None:
    selector = GradientSelector(fraction=fraction, random_state=0, **options)
    cpu = []
    for call in range(repeats):
        start = time.process_time()
        selector(model, train, call)
        cpu.append(time.process_time() - start)
    proxy = [h["proxy_seconds"] for h in selector.history]
    select = [h["selection_seconds"] for h in selector.history]
    total = min(p + s for p, s in zip(proxy, select, strict=True))
    coreset = selector(model, train, repeats)
    timings = {k: round(v, 3) for k, v in coreset.timings.items()}
    print(
        f"{options['method']} part_size {options['part_size']} {fraction:4.0%}: "
        f"bound {coreset.bound:.1f}; proxies min {min(proxy):.3f} s, "
        f"selection min {min(select):.3f} / median {np.median(select):.3f} s, "
        f"reselection {total:.3f} s = {total / epoch:.0%} of an epoch "
        f"(CPU min {min(cpu):.3f} s, both threads); "
        f"core timings (sum over classes) {timings}"
    )


if __name__ == "__main__":
    print(f"craig {craig.__version__}")
    main()
