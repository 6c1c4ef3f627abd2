import numpy as np
import pytest

import craig
from craig import Coreset


@pytest.fixture
def coreset():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3))
    y = np.where(np.arange(120) % 3 == 0, "cat", "dog")
    return craig.select(X, y, fraction=0.1), X, y


@pytest.mark.parametrize("suffix", [".parquet", ".npz", ".csv"])
def test_save_and_load_round_trip(tmp_path, coreset, suffix):
    original, _, _ = coreset
    path = original.save(tmp_path / f"c{suffix}")
    loaded = Coreset.load(path)
    np.testing.assert_array_equal(loaded.indices, original.indices)
    np.testing.assert_array_equal(loaded.weights, original.weights)
    np.testing.assert_array_equal(loaded.ranks, original.ranks)
    np.testing.assert_allclose(loaded.gains, original.gains)
    assert loaded.labels.tolist() == original.labels.tolist()
    assert loaded.n_samples == 120
    if suffix != ".csv":
        assert loaded.bound == pytest.approx(original.bound)
        assert loaded.metric == "euclidean"
    assert [p.name for p in tmp_path.iterdir()] == [f"c{suffix}"]  # no temp left


def test_save_refuses_to_overwrite_and_missing_folder(tmp_path, coreset):
    original, _, _ = coreset
    path = original.save(tmp_path / "c.parquet")
    with pytest.raises(FileExistsError, match="exists; pass overwrite=True"):
        original.save(path)
    original.save(path, overwrite=True)
    with pytest.raises(FileNotFoundError, match="output folder .* does not exist"):
        original.save(tmp_path / "nowhere" / "c.parquet")
    with pytest.raises(ValueError, match=r"must end in one of .parquet, .csv, .npz"):
        original.save(tmp_path / "c.json")


def test_interrupted_write_leaves_nothing(tmp_path, coreset, monkeypatch):
    original, _, _ = coreset
    from craig import _coreset

    def fail(coreset, tmp):
        with open(tmp, "w") as handle:
            handle.write("half")
        raise KeyboardInterrupt

    monkeypatch.setitem(_coreset._WRITERS, ".parquet", fail)
    with pytest.raises(KeyboardInterrupt):
        original.save(tmp_path / "c.parquet")
    assert list(tmp_path.iterdir()) == []


def test_subset_returns_weighted_rows(coreset):
    original, X, y = coreset
    X_s, y_s, weights = original.subset(X, y)
    np.testing.assert_array_equal(X_s, X[original.indices])
    assert y_s.tolist() == y[original.indices].tolist()
    assert weights is original.weights
    with pytest.raises(ValueError, match="n_samples=120 rows .* got 5"):
        original.subset(X[:5])


def test_objective_is_sum_of_gains(coreset):
    original, _, _ = coreset
    assert original.objective == pytest.approx(original.gains.sum())
    assert "k=12" in repr(original)


def test_load_rejects_files_that_are_not_coresets(tmp_path):
    from craig._errors import DataFileError

    table = tmp_path / "data.csv"
    table.write_text("a,b\n1,2\n")
    junk = tmp_path / "junk.parquet"
    junk.write_bytes(b"not parquet")
    with pytest.raises(DataFileError, match=r"lacks the columns index, weight"):
        Coreset.load(table)
    with pytest.raises(DataFileError, match=r"junk.parquet is not a readable coreset"):
        Coreset.load(junk)


def test_saved_files_get_ordinary_permissions(tmp_path, coreset):
    import os

    umask = os.umask(0o022)
    try:
        path = coreset[0].save(tmp_path / "c.npz")
    finally:
        os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o644
