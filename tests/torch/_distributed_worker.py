"""Run by test_torch_sampler: one rank of a 2-process gloo group."""

import json
import sys

import numpy as np
import torch
import torch.distributed as dist
from torch.utils.data import TensorDataset

from craig.torch import CoresetSampler


class _Coreset:
    def __init__(self, n):
        self.indices = np.arange(0, n, 3)
        self.weights = np.full(len(self.indices), n / len(self.indices))
        self.n_samples = n

    def __len__(self):
        return len(self.indices)


def main(path: str) -> None:
    dist.init_process_group("gloo")
    dataset = TensorDataset(torch.zeros(60, 1), torch.zeros(60, dtype=torch.int64))
    sampler = CoresetSampler(dataset, lambda model, data, epoch: _Coreset(len(data)))
    sampler.set_epoch(2)
    shard = {"rank": dist.get_rank(), "replicas": sampler.num_replicas}
    shard["indices"] = list(sampler)
    with open(f"{path}.{dist.get_rank()}", "w") as stream:
        json.dump(shard, stream)
    dist.destroy_process_group()


if __name__ == "__main__":
    main(sys.argv[1])
