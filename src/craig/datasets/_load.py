"""``load(name)``: a named dataset, read from its upstream files."""

from __future__ import annotations

import gzip
import logging
import os
import pickle
import re
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from craig._errors import DataFileError
from craig.datasets._download import fetch_file
from craig.datasets._readers import read_svmlight, read_table, split_table
from craig.datasets._registry import DatasetInfo, get_info

logger = logging.getLogger(__name__)


@dataclass(frozen=True, repr=False, eq=False)
class Dataset:
    """A named dataset: training part, test part (if any) and a description.

    Attributes
    ----------
    name : str
        The registry name, e.g. ``"ijcnn1"``.
    X_train : ndarray
        Dense features: float64 of shape (n, d) for tabular data; float32 in
        [0, 1] for images, of shape (n, 784) for MNIST and Fashion-MNIST and
        (n, 3, 32, 32) for CIFAR-10.
    y_train : ndarray of shape (n,), dtype int64
        Labels with the file's own values (ijcnn1: -1/+1, skin_nonskin: 1/2).
    X_test, y_test : ndarray or None
        The test part; ``None`` where the dataset has no test file.
    description : str
        One line: what the data is and where it came from.
    """

    name: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray | None
    y_test: np.ndarray | None
    description: str

    def __repr__(self) -> str:
        test = None if self.X_test is None else self.X_test.shape
        return (
            f"Dataset(name={self.name!r}, X_train={self.X_train.shape}, "
            f"X_test={test}, description={self.description!r})"
        )


def load(name: str, data_home: str | os.PathLike | None = None) -> Dataset:
    """Load a named dataset from its upstream files.

    The files are looked for in ``data_home``, then ``$CRAIG_DATA``, then
    ``~/.cache/craig``, as ``<folder>/<dataset folder>/<file>``; a missing
    file is downloaded (with a progress bar and a checksum) into ``data_home``,
    or ``~/.cache/craig`` when it is ``None``.

    Parameters
    ----------
    name : str
        One of :func:`list_datasets`: ``"ijcnn1"``, ``"a9a"``, ``"covtype"``,
        ``"skin_nonskin"``, ``"kdd04-protein"``, ``"sensorless"``, ``"mnist"``,
        ``"fashion-mnist"``, ``"cifar10"``.
    data_home : str or path-like, default=None
        A data folder looked at before ``$CRAIG_DATA`` and ``~/.cache/craig``.

    Returns
    -------
    dataset : Dataset

    Raises
    ------
    ValueError
        ``name`` is not a known dataset (the message lists them).
    TypeError
        ``name`` is not a str.
    DatasetNotFoundError
        A file is missing and cannot be downloaded; the message names the
        file, its address and the folder to put it in.
    DataFileError
        A file is there but cannot be read.

    Notes
    -----
    .. note::
       Checksums are checked on download only, not on every load, so a local
       copy that differs from upstream (a re-encoded one) is read as it is.
       Where the upstream checksum is unknown (covtype, skin_nonskin,
       sensorless) a download is kept unverified, with a logged warning. The
       CIFAR-10 training part is every ``data_batch_N`` the archive holds.

    Examples
    --------
    >>> data = load("ijcnn1")  # doctest: +SKIP
    >>> data.X_train.shape, data.X_test.shape  # doctest: +SKIP
    ((49990, 22), (91701, 22))
    """
    info = get_info(name)
    train = [fetch_file(info, file, data_home) for file in info.train]
    test = [fetch_file(info, file, data_home) for file in info.test]
    start = time.perf_counter()
    X_train, y_train, X_test, y_test = _LOADERS[info.kind](info, train, test)
    logger.info("loaded %s in %.2f s", name, time.perf_counter() - start)
    return Dataset(name, X_train, y_train, X_test, y_test, info.description)


def _load_svmlight(info: DatasetInfo, train: list[Path], test: list[Path]):
    options = {"n_features": info.n_features, **info.options}
    parts = read_svmlight(train + test, **options)
    (X_train, y_train), (X_test, y_test) = parts if test else (parts[0], (None, None))
    X_test = None if X_test is None else X_test.toarray()
    return X_train.toarray(), y_train, X_test, y_test


def _load_parquet(info: DatasetInfo, train: list[Path], test: list[Path]):
    table = read_table(train[0], "parquet")
    options = info.options
    X, y = split_table(table, options["label"], train[0], drop=options["drop"])
    return X, y, None, None


def _load_text(info: DatasetInfo, train: list[Path], test: list[Path]):
    table = read_table(train[0], "csv", delimiter=" ", header=False)
    X, y = split_table(table, -1, train[0])
    return X, y, None, None


# ------------------------------------------------------------------- IDX


def _load_idx(info: DatasetInfo, train: list[Path], test: list[Path]):
    X_train, y_train = (_read_idx(path) for path in train)
    X_test, y_test = (_read_idx(path) for path in test)
    return _images(X_train), y_train, _images(X_test), y_test


def _images(pixels: np.ndarray) -> np.ndarray:
    flat = pixels.reshape(len(pixels), -1)
    return np.divide(flat, np.float32(255), dtype=np.float32)


def _read_idx(path: Path) -> np.ndarray:
    """An IDX array of unsigned bytes (the MNIST format), from a .gz file."""
    try:
        with gzip.open(path, "rb") as stream:
            data = stream.read()
    except (OSError, EOFError) as exc:
        raise DataFileError(f"cannot read {path} as gzip: {exc}") from exc
    if len(data) < 4 or data[:3] != b"\x00\x00\x08":
        raise DataFileError(f"{path} is not an IDX file of unsigned bytes")
    n_dims = data[3]
    shape = tuple(np.frombuffer(data, ">i4", count=n_dims, offset=4))
    offset = 4 + 4 * n_dims
    if len(data) - offset != int(np.prod(shape)):
        raise DataFileError(
            f"{path} is truncated: header says {shape}, got {len(data) - offset} bytes"
        )
    values = np.frombuffer(data, np.uint8, offset=offset).reshape(shape)
    return values if n_dims > 1 else values.astype(np.int64)


# ---------------------------------------------------------------- CIFAR


class _ArrayUnpickler(pickle.Unpickler):
    """Unpickles dicts, lists, bytes and NumPy arrays, and nothing else."""

    _ALLOWED = {
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("_codecs", "encode"),  # how Python 2 pickles stored byte strings
    }

    def find_class(self, module, name):
        if (module, name) not in self._ALLOWED:
            raise pickle.UnpicklingError(f"refusing to unpickle {module}.{name}")
        return super().find_class(module, name)


def _load_cifar(info: DatasetInfo, train: list[Path], test: list[Path]):
    batches = _read_cifar_batches(train[0])
    names = sorted(name for name in batches if re.fullmatch(r"data_batch_\d+", name))
    if not names or "test_batch" not in batches:
        raise DataFileError(
            f"{train[0]} holds no data_batch_N or no test_batch; got {sorted(batches)}"
        )
    X_train = np.concatenate([batches[name][0] for name in names])
    y_train = np.concatenate([batches[name][1] for name in names])
    return X_train, y_train, *batches["test_batch"]


def _read_cifar_batches(path: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    batches = {}
    try:
        with tarfile.open(path, "r|gz") as archive:
            for member in archive:
                name = member.name.rsplit("/", 1)[-1]
                if member.isfile() and name.startswith(("data_batch_", "test_batch")):
                    batches[name] = _cifar_batch(archive.extractfile(member))
    except (OSError, EOFError, tarfile.TarError, pickle.UnpicklingError) as exc:
        raise DataFileError(f"cannot read {path} as a CIFAR archive: {exc}") from exc
    return batches


def _cifar_batch(stream) -> tuple[np.ndarray, np.ndarray]:
    batch = _ArrayUnpickler(stream, encoding="bytes").load()
    pixels = np.asarray(batch[b"data"], dtype=np.uint8).reshape(-1, 3, 32, 32)
    images = np.divide(pixels, np.float32(255), dtype=np.float32)
    return images, np.asarray(batch[b"labels"], dtype=np.int64)


_LOADERS = {
    "svmlight": _load_svmlight,
    "parquet": _load_parquet,
    "text": _load_text,
    "idx": _load_idx,
    "cifar": _load_cifar,
}
