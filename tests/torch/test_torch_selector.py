import numpy as np
import pytest

torch = pytest.importorskip("torch")

from torch import nn  # noqa: E402
from torch.utils.data import TensorDataset  # noqa: E402

import craig  # noqa: E402
from craig.torch import (  # noqa: E402
    CoresetLoader,
    CoresetSampler,
    GradientSelector,
    RandomSelector,
)

needs_core = pytest.mark.skipif(
    not hasattr(craig, "select"), reason="craig.select is not on this branch yet"
)


def _problem(n=120, n_classes=3, seed=0):
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(4, 6), nn.Tanh(), nn.Linear(6, n_classes))
    labels = torch.arange(n) % n_classes
    return model, TensorDataset(torch.randn(n, 4), labels)


@needs_core
@pytest.mark.parametrize("proxy", ["logit_gradient", "weight_gradient"])
def test_gradient_selector_gives_a_per_class_coreset(proxy):
    model, dataset = _problem()
    selector = GradientSelector(fraction=0.25, proxy=proxy, random_state=0)
    coreset = selector(model, dataset, epoch=3)
    labels = dataset.tensors[1].numpy()
    assert len(coreset) == 30
    assert len(np.unique(coreset.indices)) == 30
    np.testing.assert_array_equal(coreset.labels, labels[coreset.indices])
    for label in range(3):
        in_class = coreset.labels == label
        assert in_class.sum() == 10
        assert coreset.weights[in_class].sum() == pytest.approx(40)
    entry = selector.history[-1]
    assert entry["epoch"] == 3 and entry["size"] == 30
    assert entry["proxy_seconds"] > 0 and entry["selection_seconds"] > 0


@needs_core
def test_gradient_selector_is_reproducible():
    model, dataset = _problem()

    def pick(seed):
        return GradientSelector(fraction=0.2, random_state=seed)(model, dataset, 1)

    np.testing.assert_array_equal(pick(5).indices, pick(5).indices)
    np.testing.assert_array_equal(pick(5).weights, pick(5).weights)


@needs_core
def test_random_selector_weights_sum_to_class_sizes():
    _, dataset = _problem(n=100, n_classes=4)
    coreset = RandomSelector(fraction=0.3, random_state=1)(None, dataset, 0)
    assert len(coreset) == 32  # round(0.3 * 25) = 8 per class
    assert coreset.weights.sum() == pytest.approx(100)
    again = RandomSelector(fraction=0.3, random_state=1)(None, dataset, 0)
    np.testing.assert_array_equal(coreset.indices, again.indices)


@needs_core
def test_sampler_batches_mix_classes_of_a_craig_coreset():
    model, dataset = _problem()
    sampler = CoresetSampler(dataset, GradientSelector(fraction=0.5), model)
    first = next(iter(CoresetLoader(dataset, sampler, batch_size=16)))
    assert len(set(first[1].tolist())) > 1


@pytest.mark.parametrize("selector", [GradientSelector, RandomSelector])
def test_fraction_leaving_a_class_empty(selector):
    model, dataset = _problem(n=30)
    with pytest.raises(ValueError, match=r"fraction=0.01 leaves class 0 \(10 examp"):
        selector(fraction=0.01)(model, dataset, 0)


@pytest.mark.parametrize(
    ("fraction", "error", "message"),
    [
        (0.0, ValueError, r"fraction must be in \(0, 1\], got 0.0"),
        (1.5, ValueError, r"fraction must be in \(0, 1\], got 1.5"),
        ("half", TypeError, r"fraction must be a number in \(0, 1\], got 'half'"),
    ],
)
def test_bad_fraction(fraction, error, message):
    with pytest.raises(error, match=message):
        GradientSelector(fraction=fraction)


def test_bad_proxy():
    with pytest.raises(ValueError, match=r"proxy must be one of .*got 'hessian'"):
        GradientSelector(fraction=0.1, proxy="hessian")


def test_random_selector_rejects_float_labels():
    dataset = TensorDataset(torch.randn(6, 2), torch.tensor([0.0, 1, 0, 1, 0, 1]))
    with pytest.raises(TypeError, match=r"labels must be integers in \[0, C\)"):
        RandomSelector(fraction=0.5)(None, dataset, 0)


@needs_core
def test_partitioned_selection_keeps_class_budgets_and_weights():
    model, dataset = _problem(n=300)
    selector = GradientSelector(fraction=0.2, part_size=30, random_state=0)
    coreset = selector(model, dataset, 0)
    assert len(coreset) == 60 and len(np.unique(coreset.indices)) == 60
    for label in range(3):
        assert coreset.weights[coreset.labels == label].sum() == pytest.approx(100)
    exact = GradientSelector(fraction=0.2, random_state=0)(model, dataset, 0)
    assert coreset.bound < 3 * exact.bound


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"part_size": 1}, ValueError, "part_size must be >= 2 or None, got 1"),
        ({"part_size": 2.5}, TypeError, "part_size must be an integer >= 2 or None"),
        (
            {"part_size": 100, "proxy": "weight_gradient"},
            ValueError,
            "part_size needs proxy='logit_gradient', got proxy='weight_gradient'",
        ),
    ],
)
def test_bad_part_size(options, error, message):
    with pytest.raises(error, match=message):
        GradientSelector(fraction=0.1, **options)
