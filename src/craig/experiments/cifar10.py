"""``craig experiment cifar10``: ResNet-20 on CIFAR-10.

Full data vs random subsets vs CRAIG coresets reselected every R epochs, with
ResNet-20 (0.27M parameters) and SGD with momentum 0.9 and weight decay 5e-4.
Selection time (a forward pass for the gradient proxies plus greedy) is counted
in the wall clock. The defaults fit a CPU; see the README for a full GPU run.
"""

from __future__ import annotations

DEFAULTS = {
    "fractions": [0.1, 0.2],
    "methods": ["random", "craig"],
    "reselect_every": 5,
    "epochs": 12,
    "budget": "epochs",
    "batch_size": 128,
    "learning_rates": [0.1],
    "runs": 1,
    "n_test": 2000,
    "out": "results/cifar10",
}

#: Size of the fixed training sample on which the training loss is measured.
PROBE_SIZE = 1000


def register(subparsers) -> None:
    """Add ``cifar10`` to the ``craig experiment`` subcommands."""
    from craig.experiments._deep_cli import add_arguments

    parser = subparsers.add_parser(
        "cifar10",
        help="ResNet-20 on CIFAR-10: full vs random vs CRAIG",
        description=__doc__.split("\n\n")[1],
    )
    add_arguments(parser, DEFAULTS)
    parser.add_argument(
        "--device", default="cpu", help="torch device, e.g. cuda (default: cpu)"
    )
    parser.add_argument(
        "--no-augment",
        action="store_true",
        help="train without random crops (4-pixel padding) and horizontal flips",
    )
    parser.set_defaults(handler=run)


def run(args) -> int:
    """Run the experiment the parsed ``args`` describe."""
    from craig.experiments._deep_cli import run_experiment

    run_experiment(args, build_task, "cifar10", distinct=True)
    return 0


def build_task(args):
    """Data, network and optimizer of the CIFAR-10 experiment."""
    import torch
    from torch.utils.data import TensorDataset

    from craig import datasets
    from craig.experiments._deep import DeepTask
    from craig.experiments._deep_cli import sample_rows
    from craig.torch import resnet20

    data = datasets.load("cifar10")
    device = torch.device(args.device)
    rows = sample_rows(len(data.y_train), args.n_train, args.seed)
    train = _tensors(data.X_train[rows], data.y_train[rows], device)
    test_rows = sample_rows(len(data.y_test), args.n_test, args.seed)
    probe = sample_rows(len(rows), PROBE_SIZE, args.seed + 1)

    def make_optimizer(parameters, learning_rate):
        return torch.optim.SGD(
            parameters, lr=learning_rate, momentum=0.9, weight_decay=5e-4
        )

    return DeepTask(
        name="cifar10",
        train=train,
        test=_tensors(data.X_test[test_rows], data.y_test[test_rows], device),
        train_probe=TensorDataset(*(t[probe] for t in train.tensors)),
        make_model=lambda: resnet20().to(device),
        make_optimizer=make_optimizer,
        proxy_batch_size=500,
        augment=None if args.no_augment else augment,
    )


def _tensors(X, y, device):
    import numpy as np
    import torch
    from torch.utils.data import TensorDataset

    inputs = torch.from_numpy(np.ascontiguousarray(X, dtype=np.float32))
    inputs = _normalise(inputs.reshape(len(inputs), 3, 32, 32))
    labels = torch.from_numpy(y).long()
    return TensorDataset(inputs.to(device), labels.to(device))


# Per-channel means and standard deviations of the CIFAR-10 training images.
_MEAN = (0.4914, 0.4822, 0.4465)
_STD = (0.2470, 0.2435, 0.2616)


def _normalise(images):
    import torch

    mean = torch.tensor(_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(_STD).view(1, 3, 1, 1)
    return (images - mean) / std


def augment(images):
    """Random 32x32 crops of the 4-pixel zero-padded images, half of them flipped."""
    import torch
    from torch.nn import functional as F

    n, size = len(images), images.shape[-1]
    padded = F.pad(images, (4, 4, 4, 4))
    offsets = torch.randint(0, 9, (2, n, 1), device=images.device)
    grid = torch.arange(size, device=images.device)
    rows, cols = offsets[0] + grid, offsets[1] + grid
    batch = torch.arange(n, device=images.device)[:, None, None]
    crops = padded.permute(0, 2, 3, 1)[batch, rows[:, :, None], cols[:, None, :]]
    crops = crops.permute(0, 3, 1, 2)
    flip = torch.rand(n, device=images.device) < 0.5
    crops[flip] = crops[flip].flip(-1)
    return crops.contiguous()
