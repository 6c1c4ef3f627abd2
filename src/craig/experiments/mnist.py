"""``craig experiment mnist``: the paper's two-layer network on MNIST.

Full data vs random subsets vs CRAIG coresets reselected every R epochs, with
the paper's 784-100 sigmoid-10 network, SGD and an L2 penalty of 1e-4.
Selection time (gradient proxies plus greedy) is counted in the wall clock.
"""

from __future__ import annotations

DEFAULTS = {
    "fractions": [0.1, 0.2, 0.4],
    "methods": ["full", "random", "craig"],
    "reselect_every": 1,
    "epochs": 10,
    "budget": "examples",
    "batch_size": 32,
    "learning_rates": [0.5],
    "runs": 3,
    "part_size": 1000,
    "out": "results/mnist",
}

#: Size of the fixed training sample on which the training loss is measured.
PROBE_SIZE = 10_000


def register(subparsers) -> None:
    """Add ``mnist`` to the ``craig experiment`` subcommands."""
    from craig.experiments._deep_cli import add_arguments

    parser = subparsers.add_parser(
        "mnist",
        help="two-layer network on MNIST: full vs random vs CRAIG",
        description=__doc__.split("\n\n")[1],
    )
    add_arguments(parser, DEFAULTS)
    parser.set_defaults(handler=run)


def run(args) -> int:
    """Run the experiment the parsed ``args`` describe."""
    from craig.experiments._deep_cli import run_experiment

    run_experiment(args, build_task, "mnist")
    return 0


def build_task(args):
    """Data, network and optimizer of the MNIST experiment."""
    import torch
    from torch.utils.data import TensorDataset

    from craig import datasets
    from craig.experiments._deep import DeepTask
    from craig.experiments._deep_cli import sample_rows
    from craig.torch import MNIST_L2, MnistNet

    data = datasets.load("mnist")
    rows = sample_rows(len(data.y_train), args.n_train, args.seed)
    train = _tensors(data.X_train[rows], data.y_train[rows])
    test_rows = sample_rows(len(data.y_test), args.n_test, args.seed)
    probe = sample_rows(len(rows), PROBE_SIZE, args.seed + 1)

    def make_optimizer(parameters, learning_rate):
        return torch.optim.SGD(parameters, lr=learning_rate, weight_decay=MNIST_L2)

    return DeepTask(
        name="mnist",
        train=train,
        test=_tensors(data.X_test[test_rows], data.y_test[test_rows]),
        train_probe=TensorDataset(*(t[probe] for t in train.tensors)),
        make_model=MnistNet,
        make_optimizer=make_optimizer,
    )


def _tensors(X, y):
    import numpy as np
    import torch
    from torch.utils.data import TensorDataset

    inputs = torch.from_numpy(np.ascontiguousarray(X, dtype=np.float32))
    return TensorDataset(inputs.reshape(len(inputs), -1), torch.from_numpy(y).long())
