import numpy as np
import pytest

torch = pytest.importorskip("torch")

from torch import nn  # noqa: E402
from torch.nn import functional as F  # noqa: E402
from torch.utils.data import TensorDataset  # noqa: E402

from craig._errors import DivergenceError  # noqa: E402
from craig.torch import gradient_proxies, weight_gradient_distances  # noqa: E402


def _tiny(seed=0, n=12, n_classes=3):
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(5, 4), nn.Tanh(), nn.Linear(4, n_classes))
    inputs = torch.randn(n, 5)
    labels = torch.arange(n) % n_classes
    return model, TensorDataset(inputs, labels)


def _autograd_last_layer_gradients(model, dataset):
    """Per-example gradients of the loss w.r.t. the last layer's W and b."""
    last = model[-1]
    rows = []
    for inputs, label in dataset:
        model.zero_grad()
        loss = F.cross_entropy(model(inputs[None]), label[None])
        loss.backward()
        rows.append(torch.cat([last.weight.grad.flatten(), last.bias.grad]))
    return torch.stack(rows).numpy().astype(np.float64)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_weight_distances_equal_autograd_brute_force(seed):
    model, dataset = _tiny(seed)
    proxies = gradient_proxies(model, dataset, with_embeddings=True, batch_size=5)
    explicit = _autograd_last_layer_gradients(model, dataset)
    brute = np.linalg.norm(explicit[:, None] - explicit[None], axis=2)

    distances = weight_gradient_distances(proxies.logit_gradients, proxies.embeddings)

    np.testing.assert_allclose(distances, brute, atol=2e-5, rtol=1e-4)


def test_logit_gradients_equal_autograd():
    model, dataset = _tiny()
    inputs, labels = dataset.tensors
    logits = model(inputs).detach().requires_grad_(True)
    F.cross_entropy(logits, labels, reduction="sum").backward()

    proxies = gradient_proxies(model, dataset, batch_size=5)

    np.testing.assert_allclose(proxies.logit_gradients, logits.grad.numpy(), atol=1e-6)
    np.testing.assert_array_equal(proxies.labels, labels.numpy())
    assert proxies.layer == "2"


def test_rows_follow_dataset_order_and_restore_training_flag():
    model, dataset = _tiny(n=30)
    model.train()
    whole = gradient_proxies(model, dataset, batch_size=1000).logit_gradients
    batched = gradient_proxies(model, dataset, batch_size=7).logit_gradients
    np.testing.assert_allclose(batched, whole, atol=1e-6)
    assert model.training


class _WithEmbedding(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Linear(5, 4)
        self.head = nn.Linear(4, 3)

    def forward(self, inputs):
        embedding = torch.relu(self.body(inputs))
        return self.head(embedding), embedding


def test_model_returning_logits_and_embedding():
    _, dataset = _tiny()
    model = _WithEmbedding()
    proxies = gradient_proxies(model, dataset, with_embeddings=True)
    embedding = model(dataset.tensors[0])[1].detach().numpy()
    assert proxies.layer == "head"
    np.testing.assert_allclose(proxies.embeddings[:, :-1], embedding, atol=1e-6)
    np.testing.assert_array_equal(proxies.embeddings[:, -1], 1.0)


def test_named_layer_is_used():
    model, dataset = _tiny()
    proxies = gradient_proxies(model, dataset, layer="2", with_embeddings=True)
    assert proxies.embeddings.shape == (12, 5)


def test_non_linear_last_layer_is_named():
    _, dataset = _tiny()
    model = nn.Sequential(nn.Linear(5, 3), nn.Sigmoid())
    with pytest.raises(TypeError, match=r"must be an nn.Linear.*found Sigmoid '1'"):
        gradient_proxies(model, dataset)


def test_named_layer_must_be_linear():
    _, dataset = _tiny()
    model = nn.Sequential(nn.Linear(5, 3), nn.Sigmoid())
    with pytest.raises(TypeError, match="layer must name an nn.Linear, got '1'"):
        gradient_proxies(model, dataset, layer="1")
    with pytest.raises(ValueError, match=r"one of \['0'\], got 'nope'"):
        gradient_proxies(model, dataset, layer="nope")


@pytest.mark.parametrize(
    ("labels", "error", "message"),
    [
        (torch.tensor([0.0, 1.0, 2.0]), TypeError, r"integers in \[0, 3\), got dtype"),
        (torch.tensor([0, 1, 3]), ValueError, r"integers in \[0, 3\).*got 3"),
        (torch.tensor([0, -1, 2]), ValueError, r"integers in \[0, 3\).*got -1"),
    ],
)
def test_bad_labels(labels, error, message):
    model, _ = _tiny()
    dataset = TensorDataset(torch.randn(3, 5), labels)
    with pytest.raises(error, match=message):
        gradient_proxies(model, dataset)


def test_nan_logits_name_the_epoch():
    model, dataset = _tiny()
    with torch.no_grad():
        model[2].weight[0, 0] = float("nan")
    with pytest.raises(DivergenceError, match=r"NaN or infinite at epoch 4"):
        gradient_proxies(model, dataset, epoch=4)
