import json
from dataclasses import dataclass, field

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from torch.utils.data import TensorDataset  # noqa: E402

from craig.torch import CoresetLoader, CoresetSampler  # noqa: E402


@dataclass
class _FakeCoreset:
    indices: np.ndarray
    weights: np.ndarray
    n_samples: int

    def __len__(self):
        return len(self.indices)


@dataclass
class _FakeSelector:
    """Picks ``k`` examples, different ones at each call; records the epochs."""

    k: int
    calls: list = field(default_factory=list)

    def __call__(self, model, dataset, epoch):
        self.calls.append(epoch)
        n = len(dataset)
        rng = np.random.default_rng(epoch)
        indices = np.sort(rng.choice(n, self.k, replace=False))
        weights = rng.integers(1, 5, self.k).astype(float)
        return _FakeCoreset(indices, weights * n / weights.sum(), n)


def _dataset(n=50):
    return TensorDataset(torch.randn(n, 3), torch.arange(n) % 5)


def test_each_coreset_index_once_per_epoch():
    sampler = CoresetSampler(_dataset(), _FakeSelector(20), reselect_every=3)
    for epoch in range(4):
        sampler.set_epoch(epoch)
        drawn = list(sampler)
        assert sorted(drawn) == sorted(sampler.coreset.indices.tolist())
        assert len(drawn) == len(sampler) == 20


def test_shuffle_is_reproducible_and_changes_with_epoch():
    def draw(epoch, seed):
        generator = torch.Generator().manual_seed(seed)
        sampler = CoresetSampler(_dataset(), _FakeSelector(20), generator=generator)
        sampler.set_epoch(epoch)
        return list(sampler)

    assert draw(1, seed=7) == draw(1, seed=7)
    assert draw(1, seed=7) != draw(1, seed=8)
    assert sorted(draw(1, 7)) == sorted(draw(1, 8))


@pytest.mark.parametrize("period", [1, 2, 3, 5])
def test_reselection_exactly_every_period(period):
    selector = _FakeSelector(10)
    sampler = CoresetSampler(_dataset(), selector, reselect_every=period)
    for epoch in range(12):
        sampler.set_epoch(epoch)
        list(sampler)
    expected = [e for e in range(12) if e % period == 0]
    assert selector.calls == expected == sampler.selection_epochs


def test_resuming_mid_period_selects_once_then_on_period():
    selector = _FakeSelector(10)
    sampler = CoresetSampler(_dataset(), selector, reselect_every=4)
    for epoch in range(6, 10):
        sampler.set_epoch(epoch)
    assert selector.calls == [6, 8]


@pytest.mark.parametrize("k", [20, 21])
def test_two_ranks_share_the_coreset(k):
    generator = torch.Generator().manual_seed(3)
    shards = []
    for rank in range(2):
        sampler = CoresetSampler(
            _dataset(), _FakeSelector(k), generator=generator, num_replicas=2, rank=rank
        )
        sampler.set_epoch(1)
        shards.append(list(sampler))
        assert len(shards[-1]) == len(sampler) == -(-k // 2)
    coreset = set(sampler.coreset.indices.tolist())
    assert set(shards[0]) | set(shards[1]) == coreset
    if k % 2 == 0:
        assert not set(shards[0]) & set(shards[1])


def test_drop_last_shards_are_disjoint():
    generator = torch.Generator().manual_seed(3)
    shards = [
        list(
            CoresetSampler(
                _dataset(),
                _FakeSelector(21),
                generator=generator,
                num_replicas=2,
                rank=rank,
                drop_last=True,
            )
        )
        for rank in range(2)
    ]
    assert len(shards[0]) == len(shards[1]) == 10
    assert not set(shards[0]) & set(shards[1])


def test_sample_weights_have_mean_one_and_follow_indices():
    sampler = CoresetSampler(_dataset(), _FakeSelector(20))
    assert sampler.coreset is None  # selected on first use
    weights = sampler.sample_weights(sampler.indices)
    coreset = sampler.coreset
    expected = coreset.weights * len(coreset) / coreset.n_samples
    np.testing.assert_allclose(weights.numpy(), expected, rtol=1e-6)
    assert weights.mean().item() == pytest.approx(1.0)
    torch.testing.assert_close(sampler.weights.sum().item(), 50.0)


@pytest.mark.parametrize(
    ("period", "error", "message"),
    [
        (0, ValueError, "reselect_every must be >= 1, got 0"),
        (-2, ValueError, "reselect_every must be >= 1, got -2"),
        (1.5, TypeError, "reselect_every must be an integer >= 1, got 1.5"),
        (True, TypeError, "reselect_every must be an integer >= 1, got True"),
    ],
)
def test_bad_period(period, error, message):
    with pytest.raises(error, match=message):
        CoresetSampler(_dataset(), _FakeSelector(5), reselect_every=period)


def test_bad_rank():
    with pytest.raises(ValueError, match=r"rank must be in \[0, 2\), got 2"):
        CoresetSampler(_dataset(), _FakeSelector(5), num_replicas=2, rank=2)


class _PlainDataset(torch.utils.data.Dataset):
    def __init__(self, tensors):
        self.tensors = tensors

    def __len__(self):
        return len(self.tensors[0])

    def __getitem__(self, index):
        return self.tensors[0][index], self.tensors[1][index]


@pytest.mark.parametrize("plain", [False, True])
def test_loader_yields_weighted_batches(plain):
    dataset = _dataset()
    source = _PlainDataset(dataset.tensors) if plain else dataset
    sampler = CoresetSampler(source, _FakeSelector(20))
    loader = CoresetLoader(source, sampler, batch_size=8)
    loader.set_epoch(0)
    labels_batches = list(loader)
    loader = CoresetLoader(source, sampler, batch_size=8, device="meta")
    batches = list(loader)
    assert len(batches) == len(loader) == 3
    assert len(set(labels_batches[0][1].tolist())) > 1  # classes mix within a batch
    for inputs, labels, weights in batches:
        assert weights.device == inputs.device == torch.device("meta")
        assert len(weights) == len(labels) == len(inputs)


def test_loader_batches_carry_their_own_weights():
    dataset = TensorDataset(torch.arange(50.0)[:, None], torch.arange(50) % 5)
    sampler = CoresetSampler(dataset, _FakeSelector(20))
    seen = {}
    for inputs, _, weights in CoresetLoader(dataset, sampler, batch_size=6):
        seen.update(zip(inputs[:, 0].long().tolist(), weights.tolist(), strict=True))
    indices = torch.as_tensor(sampler.coreset.indices)
    weights = sampler.sample_weights(indices).tolist()
    expected = dict(zip(indices.tolist(), weights, strict=True))
    assert seen == pytest.approx(expected)


@pytest.mark.slow
def test_shards_follow_an_initialised_process_group(tmp_path):
    import os
    import socket
    import subprocess
    import sys
    from pathlib import Path

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    worker = Path(__file__).with_name("_distributed_worker.py")
    base = {**os.environ, "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": str(port)}
    base["WORLD_SIZE"] = "2"
    processes = [
        subprocess.Popen(
            [sys.executable, str(worker), str(tmp_path / "shard")],
            env={**base, "RANK": str(rank)},
        )
        for rank in range(2)
    ]
    assert [process.wait(timeout=120) for process in processes] == [0, 0]
    shards = [json.loads((tmp_path / f"shard.{r}").read_text()) for r in range(2)]
    assert [shard["replicas"] for shard in shards] == [2, 2]
    first, second = (set(shard["indices"]) for shard in shards)
    assert not first & second
    assert first | second == set(range(0, 60, 3))
