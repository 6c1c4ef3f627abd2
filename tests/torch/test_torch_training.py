import pytest

torch = pytest.importorskip("torch")

from torch import nn  # noqa: E402
from torch.utils.data import TensorDataset  # noqa: E402

from craig._errors import DivergenceError  # noqa: E402
from craig.torch import (  # noqa: E402
    MnistNet,
    evaluate,
    resnet20,
    train_epoch,
    weighted_cross_entropy,
)


def _batches(n_batches=3):
    torch.manual_seed(0)
    return [
        (torch.randn(8, 784), torch.randint(0, 10, (8,)), torch.ones(8))
        for _ in range(n_batches)
    ]


def test_train_epoch_lowers_the_loss():
    model = MnistNet()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    batches = _batches(1) * 30
    first = train_epoch(model, batches[:1], optimizer, epoch=0)["loss"]
    stats = train_epoch(model, batches, optimizer, epoch=1)
    assert stats["examples"] == 240
    assert weighted_cross_entropy(model(batches[0][0]), batches[0][1]) < first


def test_nan_loss_names_the_epoch():
    model = MnistNet()
    with torch.no_grad():
        model.output.bias[0] = float("inf")
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(DivergenceError, match="became nan at epoch 7 .batch 0."):
        train_epoch(model, _batches(), optimizer, epoch=7)


def test_weighted_loss_with_unit_weights_is_the_mean():
    logits, labels = torch.randn(5, 3), torch.tensor([0, 1, 2, 1, 0])
    plain = nn.functional.cross_entropy(logits, labels)
    torch.testing.assert_close(weighted_cross_entropy(logits, labels), plain)
    ones = torch.ones(5, dtype=torch.float64)
    weighted = weighted_cross_entropy(logits, labels, ones)
    torch.testing.assert_close(weighted, plain)


def test_weighted_loss_expectation_is_the_full_mean():
    # Coreset {0, 1} of 4 examples with gamma = (3, 1): w = gamma k / n = (1.5, .5).
    losses = torch.tensor([1.0, 2.0, 1.0, 2.0])
    logits = torch.stack([torch.tensor([0.0, -loss]) for loss in losses])
    labels = torch.ones(4, dtype=torch.int64)
    per_example = nn.functional.cross_entropy(logits, labels, reduction="none")
    weights = torch.tensor([1.5, 0.5])
    coreset = weighted_cross_entropy(logits[:2], labels[:2], weights)
    expected = (3 * per_example[0] + per_example[1]) / 4
    torch.testing.assert_close(coreset, expected)


def test_models():
    assert MnistNet()(torch.randn(2, 1, 28, 28)).shape == (2, 10)
    model = resnet20()
    assert 0.26e6 < sum(p.numel() for p in model.parameters()) < 0.28e6
    assert model(torch.randn(2, 3, 32, 32)).shape == (2, 10)


def test_evaluate_accuracy():
    model = nn.Linear(2, 2)
    with torch.no_grad():
        model.weight.copy_(torch.eye(2))
        model.bias.zero_()
    inputs = torch.tensor([[1.0, 0], [0, 1], [1, 0]])
    dataset = TensorDataset(inputs, torch.tensor([0, 1, 1]))
    assert evaluate(model, dataset)["accuracy"] == pytest.approx(2 / 3)


def test_per_batch_weights_give_a_convex_combination():
    logits, labels = torch.randn(4, 3), torch.tensor([0, 1, 2, 1])
    losses = nn.functional.cross_entropy(logits, labels, reduction="none")
    weights = torch.tensor([30.0, 1.0, 0.0, 1.0])
    value = weighted_cross_entropy(logits, labels, weights, per_batch=True)
    torch.testing.assert_close(value, (losses * weights).sum() / 32)
    assert losses.min() <= value <= losses.max()
