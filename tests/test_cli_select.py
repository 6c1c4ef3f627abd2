import numpy as np
import pytest

import craig
from craig import cli


@pytest.mark.parametrize("backend", ["auto", "dense", "partition", "knn"])
def test_select_command_backends(tmp_path, backend, capsys):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3))
    source = tmp_path / "points.npy"
    np.save(source, X)
    out = tmp_path / "coreset.npz"
    status = cli.main(
        ["select", str(source), "--size", "30", "--backend", backend,
         "--cell-size", "100", "--neighbors", "20", "-o", str(out)]
    )  # fmt: skip
    assert status == 0
    coreset = craig.Coreset.load(out)
    assert len(coreset) == 30 and coreset.weights.sum() == 300
    assert "L(S) =" in capsys.readouterr().out


def test_unknown_backend_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit):
        cli.main(["select", "x.npy", "--size", "3", "--backend", "gpu", "-o", "c.npz"])
    assert "invalid choice: 'gpu'" in capsys.readouterr().err
