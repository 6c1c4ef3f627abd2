from __future__ import annotations

import bz2
import dataclasses
import gzip
import hashlib
import io
import os
import pickle
import subprocess
import sys
import tarfile
import urllib.error
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from craig._errors import DataFileError, DatasetNotFoundError
from craig.cli import main
from craig.datasets import Dataset, _download, list_datasets, load
from craig.datasets._registry import REGISTRY, DataFile

COVTYPE = "covtype.libsvm.binary.scale.bz2"
NAMES = [
    "ijcnn1", "a9a", "covtype", "skin_nonskin", "kdd04-protein", "sensorless",
    "mnist", "fashion-mnist", "cifar10",
]  # fmt: skip


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """No $CRAIG_DATA, an empty default folder, and no network at all."""
    monkeypatch.delenv("CRAIG_DATA", raising=False)
    monkeypatch.setattr(_download, "DEFAULT_HOME", tmp_path / "cache")

    def offline(*args, **kwargs):
        raise urllib.error.URLError("offline in tests")

    monkeypatch.setattr(_download.urllib.request, "urlopen", offline)
    return tmp_path


# ---------------------------------------------------------------- registry


def test_list_datasets():
    assert list_datasets() == NAMES


def test_every_file_has_an_address():
    for info in REGISTRY.values():
        for file in info.files:
            assert file.url.startswith(("https://", "http://"))
            assert file.sha256 is None or len(file.sha256) == 64


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(ValueError, match=r"name must be one of ijcnn1, a9a, .*got 'x'"):
        load("x")


def test_name_must_be_a_string():
    with pytest.raises(TypeError, match=r"name must be a str, got int"):
        load(3)


# ----------------------------------------------------------- data folders


def test_folder_order(tmp_path, monkeypatch):
    monkeypatch.setenv("CRAIG_DATA", str(tmp_path / "env"))
    monkeypatch.setattr(_download, "DEFAULT_HOME", tmp_path / "cache")
    folders = _download.data_folders(tmp_path / "home")
    assert folders == [tmp_path / "home", tmp_path / "env", tmp_path / "cache"]


@pytest.mark.parametrize("winner", ["home", "env", "cache"])
def test_first_folder_holding_the_file_wins(tmp_path, monkeypatch, winner):
    monkeypatch.setenv("CRAIG_DATA", str(tmp_path / "env"))
    monkeypatch.setattr(_download, "DEFAULT_HOME", tmp_path / "cache")
    order = ["home", "env", "cache"]
    for folder in order[order.index(winner) :]:
        _write_svmlight(tmp_path / folder / "covtype", COVTYPE)
    info = REGISTRY["covtype"]
    found = _download.find_file(info, info.train[0], tmp_path / "home")
    assert found.parent.parent == tmp_path / winner


# --------------------------------------------------------- small files


def _write_svmlight(folder: Path, name: str) -> None:
    """A covtype-like LIBSVM file: labels 1/2, scaled values, 1-based, sparse."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["2 1:0.368684 2:0.141667 10:0.5 15:1\n", "1 3:0.25 54:1\n", "1 2:0.9\n"]
    with bz2.open(folder / name, "wt") as stream:
        stream.writelines(lines)


def test_covtype_from_a_small_file(isolated):
    _write_svmlight(isolated / "covtype", "covtype.libsvm.binary.scale.bz2")
    data = load("covtype", data_home=isolated)
    assert isinstance(data, Dataset)
    assert data.X_train.shape == (3, 54)
    assert data.X_train.dtype == np.float64
    assert data.X_train[0, 0] == pytest.approx(0.368684)
    assert data.X_train[1, 53] == 1.0
    assert data.y_train.dtype == np.int64
    assert data.y_train.tolist() == [2, 1, 1]
    assert data.X_test is None and data.y_test is None
    assert "covtype" in repr(data)


def test_covtype_from_cache_when_no_data_home(isolated):
    _write_svmlight(isolated / "cache" / "covtype", "covtype.libsvm.binary.scale.bz2")
    assert load("covtype").X_train.shape == (3, 54)


def _idx(array: np.ndarray) -> bytes:
    header = bytes([0, 0, 8, array.ndim]) + np.array(array.shape, ">i4").tobytes()
    return gzip.compress(header + array.astype(np.uint8).tobytes())


def _write_mnist(folder: Path, n: int = 5, truncate: bool = False) -> np.ndarray:
    folder.mkdir(parents=True)
    images = np.arange(n * 784).reshape(n, 28, 28) % 256
    for split in ("train", "t10k"):
        (folder / f"{split}-images-idx3-ubyte.gz").write_bytes(_idx(images))
        (folder / f"{split}-labels-idx1-ubyte.gz").write_bytes(_idx(np.arange(n) % 10))
    if truncate:
        cut = gzip.compress(gzip.decompress(_idx(images))[:-10])
        (folder / "t10k-images-idx3-ubyte.gz").write_bytes(cut)
    return images


def test_mnist_from_small_idx_files(isolated):
    images = _write_mnist(isolated / "mnist")
    data = load("mnist", data_home=isolated)
    assert data.X_train.shape == data.X_test.shape == (5, 784)
    assert data.X_train.dtype == np.float32
    np.testing.assert_allclose(data.X_train, images.reshape(5, -1) / 255, atol=1e-7)
    assert data.y_train.tolist() == [0, 1, 2, 3, 4]
    assert data.y_train.dtype == np.int64


def test_truncated_idx_file(isolated):
    _write_mnist(isolated / "mnist", truncate=True)
    with pytest.raises(DataFileError, match=r"t10k-images.* is truncated"):
        load("mnist", data_home=isolated)


def _write_cifar(folder: Path, batches: dict) -> None:
    folder.mkdir(parents=True)
    with tarfile.open(folder / "cifar-10-python.tar.gz", "w:gz") as archive:
        for name, payload in batches.items():
            blob = pickle.dumps(payload, protocol=2)
            member = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            member.size = len(blob)
            archive.addfile(member, io.BytesIO(blob))


def _cifar_batch(n: int, first_label: int) -> dict:
    pixels = (np.arange(n * 3072) % 256).astype(np.uint8).reshape(n, 3072)
    return {b"data": pixels, b"labels": list(range(first_label, first_label + n))}


def test_cifar10_from_a_small_archive(isolated):
    batches = {
        "data_batch_2": _cifar_batch(2, 5),
        "data_batch_1": _cifar_batch(3, 0),
        "test_batch": _cifar_batch(4, 1),
        "batches.meta": {b"label_names": [b"airplane"]},
    }
    _write_cifar(isolated / "cifar-10", batches)
    data = load("cifar10", data_home=isolated)
    assert data.X_train.shape == (5, 3, 32, 32)
    assert data.X_test.shape == (4, 3, 32, 32)
    assert data.X_train.dtype == np.float32
    assert data.y_train.tolist() == [0, 1, 2, 5, 6]
    assert data.X_train[0, 0, 0, 1] == pytest.approx(1 / 255)


class _Evil:
    def __reduce__(self):
        return (os.system, ("echo hacked",))


def test_cifar10_refuses_arbitrary_pickles(isolated):
    _write_cifar(isolated / "cifar-10", {"data_batch_1": _Evil()})
    with pytest.raises(DataFileError, match=r"refusing to unpickle .*system"):
        load("cifar10", data_home=isolated)


def test_sensorless_from_a_small_text_file(isolated):
    folder = isolated / "sensorless"
    folder.mkdir()
    rows = ["0.5 -1e-06 0.25 1", "1.5 2.0 3.0 11"]
    (folder / "Sensorless_drive_diagnosis.txt").write_text("\n".join(rows) + "\n")
    data = load("sensorless", data_home=isolated)
    np.testing.assert_array_equal(data.X_train, [[0.5, -1e-06, 0.25], [1.5, 2, 3]])
    assert data.y_train.tolist() == [1, 11]


def test_kdd04_protein_from_a_small_parquet(isolated):
    folder = isolated / "kdd04-protein"
    folder.mkdir()
    columns = {"EXAMPLE_ID": [7, 8], "BLOCK_ID": [1, 1], "target": [0, 1]}
    columns |= {"4": [0.5, 1.5], "5": [-2.0, 3.0]}
    pq.write_table(pa.table(columns), folder / "bio_train.parquet")
    data = load("kdd04-protein", data_home=isolated)
    np.testing.assert_array_equal(data.X_train, [[0.5, -2.0], [1.5, 3.0]])
    assert data.y_train.tolist() == [0, 1]


# --------------------------------------------------------------- download


def test_offline_error_names_file_address_and_folder(isolated):
    with pytest.raises(DatasetNotFoundError) as caught:
        load("covtype")
    message = str(caught.value)
    assert "'covtype.libsvm.binary.scale.bz2'" in message
    assert REGISTRY["covtype"].train[0].url in message
    target = isolated / "cache" / "covtype" / "covtype.libsvm.binary.scale.bz2"
    assert f"put it at {target}" in message
    assert "offline in tests" in message
    assert not (isolated / "cache").exists()


def _serve_locally(monkeypatch, tmp_path, sha256):
    source = tmp_path / "upstream.bz2"
    _write_svmlight(tmp_path, source.name)
    digest = hashlib.sha256(source.read_bytes()).hexdigest() if sha256 else "0" * 64
    file = DataFile("covtype.libsvm.binary.scale.bz2", source.as_uri(), digest)
    info = dataclasses.replace(REGISTRY["covtype"], train=(file,))
    monkeypatch.setitem(REGISTRY, "covtype", info)
    monkeypatch.setattr(_download.urllib.request, "urlopen", _URLOPEN)


_URLOPEN = _download.urllib.request.urlopen


def test_download_verifies_and_renames(isolated, monkeypatch):
    _serve_locally(monkeypatch, isolated, sha256=True)
    data = load("covtype", data_home=isolated / "home")
    assert data.X_train.shape == (3, 54)
    folder = isolated / "home" / "covtype"
    assert sorted(os.listdir(folder)) == ["covtype.libsvm.binary.scale.bz2"]


def test_download_with_a_wrong_checksum_leaves_nothing(isolated, monkeypatch):
    _serve_locally(monkeypatch, isolated, sha256=False)
    with pytest.raises(DatasetNotFoundError, match=r"checksum mismatch .*expected"):
        load("covtype", data_home=isolated / "home")
    assert os.listdir(isolated / "home" / "covtype") == []


# ----------------------------------------------------------- real datasets

# name: n_train, n_test, X_train.shape[1:], X dtype, sorted label values
REAL = {
    "ijcnn1": (49_990, 91_701, (22,), np.float64, [-1, 1]),
    "a9a": (32_561, 16_281, (123,), np.float64, [-1, 1]),
    "skin_nonskin": (245_057, None, (3,), np.float64, [1, 2]),
    "kdd04-protein": (145_751, None, (74,), np.float64, [0, 1]),
    "sensorless": (58_509, None, (48,), np.float64, list(range(1, 12))),
    "mnist": (60_000, 10_000, (784,), np.float32, list(range(10))),
    "fashion-mnist": (60_000, 10_000, (784,), np.float32, list(range(10))),
    "cifar10": (10_000, 10_000, (3, 32, 32), np.float32, list(range(10))),
}


@pytest.mark.parametrize("name", list(REAL))
def test_real_dataset(shared_datasets, name):
    n_train, n_test, shape, dtype, classes = REAL[name]
    data = load(name, data_home=shared_datasets)
    assert data.X_train.shape == (n_train, *shape)
    assert data.X_train.dtype == dtype
    assert data.y_train.dtype == np.int64
    assert np.unique(data.y_train).tolist() == classes
    if n_test is None:
        assert data.X_test is None and data.y_test is None
    else:
        assert data.X_test.shape == (n_test, *shape)
        assert len(data.y_test) == n_test
    if dtype == np.float32:
        assert data.X_train.min() >= 0 and data.X_train.max() <= 1
    if name == "ijcnn1":  # positives as the datasets README gives them
        assert (data.y_train == 1).sum() == 4_853
        assert (data.y_test == 1).sum() == 8_712


# --------------------------------------------------------------------- CLI


def test_cli_lists_datasets_and_folders(isolated, capsys, monkeypatch):
    monkeypatch.setenv("CRAIG_DATA", str(isolated / "env"))
    _write_svmlight(isolated / "env" / "covtype", "covtype.libsvm.binary.scale.bz2")
    assert main(["datasets", "--data-home", str(isolated / "home")]) == 0
    out = capsys.readouterr().out
    assert f"1. {isolated / 'home'}  (--data-home)" in out
    assert f"2. {isolated / 'env'}  ($CRAIG_DATA)" in out
    assert f"3. {isolated / 'cache'}  (default)" in out
    for name in NAMES:
        assert name in out
    assert f"yes, in {isolated / 'env' / 'covtype'}" in out
    assert "missing: ijcnn1.bz2, ijcnn1.t.bz2" in out
    assert "581,012" in out


def test_importing_datasets_is_light():
    code = (
        "import sys, argparse, craig; before = set(sys.modules);"
        "import craig.datasets, craig.datasets._cli;"
        "craig.datasets._cli.register(argparse.ArgumentParser().add_subparsers());"
        "heavy = {'pyarrow', 'sklearn', 'tqdm', 'scipy'};"
        "print(sorted(m for m in set(sys.modules) - before"
        " if m.split('.')[0] in heavy))"
    )
    src = Path(__file__).resolve().parents[1] / "src"
    env = {**os.environ, "PYTHONPATH": str(src)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env
    )
    assert result.stdout.strip() == "[]", result.stderr
