"""The paper's networks: a two-layer MNIST net and ResNet-20 for CIFAR-10."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F


class MnistNet(nn.Module):
    """The paper's MNIST network: 784 inputs, 100 sigmoid units, 10 outputs.

    The paper trains it with an L2 penalty of 1e-4; pass that as the optimizer's
    ``weight_decay`` (see :data:`MNIST_L2`). Inputs of any shape with 784
    values per example are flattened.

    Parameters
    ----------
    n_inputs : int, default=784
    n_hidden : int, default=100
    n_classes : int, default=10
    """

    def __init__(self, n_inputs: int = 784, n_hidden: int = 100, n_classes: int = 10):
        super().__init__()
        self.hidden = nn.Linear(n_inputs, n_hidden)
        self.output = nn.Linear(n_hidden, n_classes)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        return self.output(torch.sigmoid(self.hidden(inputs.flatten(1))))


#: The L2 penalty of the paper's MNIST experiment.
MNIST_L2 = 1e-4


class _BasicBlock(nn.Module):
    def __init__(self, n_in: int, n_out: int, stride: int):
        super().__init__()
        self.conv1 = nn.Conv2d(n_in, n_out, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(n_out)
        self.conv2 = nn.Conv2d(n_out, n_out, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(n_out)
        self.shortcut = nn.Sequential()
        if stride != 1 or n_in != n_out:
            # The paper's "option A" shortcut: subsample and pad with zero channels.
            self.shortcut = _PadShortcut(n_out - n_in)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(self.conv1(inputs)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(inputs))


class _PadShortcut(nn.Module):
    def __init__(self, extra_channels: int):
        super().__init__()
        self.pad = extra_channels // 2

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        sub = inputs[:, :, ::2, ::2]
        return F.pad(sub, (0, 0, 0, 0, self.pad, self.pad))


class ResNet(nn.Module):
    """A CIFAR ResNet (He et al. 2016, section 4.2) of depth ``6 n + 2``.

    Parameters
    ----------
    n_blocks : int, default=3
        Blocks per stage; 3 gives ResNet-20 (about 0.27M parameters).
    n_classes : int, default=10
    """

    def __init__(self, n_blocks: int = 3, n_classes: int = 10):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn = nn.BatchNorm2d(16)
        blocks, width = [], 16
        for stage, out_width in enumerate((16, 32, 64)):
            for block in range(n_blocks):
                stride = 2 if stage > 0 and block == 0 else 1
                blocks.append(_BasicBlock(width, out_width, stride))
                width = out_width
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(64, n_classes)
        self._initialise()

    def _initialise(self) -> None:
        for module in self.modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(module.weight)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn(self.conv(inputs)))
        out = self.blocks(out)
        out = F.adaptive_avg_pool2d(out, 1).flatten(1)
        return self.fc(out)


def resnet20(n_classes: int = 10) -> ResNet:
    """ResNet-20 for 32x32 images (0.27M parameters with 10 classes)."""
    return ResNet(n_blocks=3, n_classes=n_classes)
