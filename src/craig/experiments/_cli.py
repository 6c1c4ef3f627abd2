"""``craig experiment NAME``: one subcommand per experiment module."""

from __future__ import annotations

import importlib

# Each module has ``register(subparsers)``; adding an experiment is one line here.
_EXPERIMENT_MODULES: tuple[str, ...] = (
    "craig.experiments.convex",
    "craig.experiments.mnist",
    "craig.experiments.cifar10",
)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "experiment",
        help="reproduce one of the paper's experiments",
        description="Run an experiment: full data vs random vs CRAIG.",
    )
    experiments = parser.add_subparsers(dest="experiment", metavar="NAME")
    experiments.required = True
    for name in _EXPERIMENT_MODULES:
        importlib.import_module(name).register(experiments)
