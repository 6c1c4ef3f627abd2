"""Readers of data files: CSV, Parquet, NumPy ``.npy``/``.npz`` and svmlight.

Every reader returns ``(X, y)`` with ``X`` a dense float64 2-D array and ``y``
an array or ``None``. What the libraries raise on a broken file (a truncated
archive, a CSV row cut short) comes out as :class:`~craig._errors.DataFileError`
naming the file.
"""

from __future__ import annotations

import bz2
import gzip
import io
import os
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from craig._errors import DataFileError

FORMATS = ("csv", "parquet", "npy", "npz", "svmlight")
_SVMLIGHT_SUFFIXES = (".svm", ".svmlight", ".libsvm", ".txt", ".bz2", ".gz")
# What numpy, pyarrow, sklearn, bz2 and gzip raise on a file they cannot parse.
_READ_ERRORS = (OSError, EOFError, ValueError, KeyError, zlib.error, zipfile.BadZipFile)


def read_file(
    path: str | os.PathLike,
    *,
    label: str | int | None = None,
    format: str | None = None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Read a data file into a feature matrix and, optionally, labels.

    Parameters
    ----------
    path : str or path-like
        The file. Its format comes from the extension: ``.csv``, ``.csv.gz``,
        ``.csv.bz2`` (CSV with a header row), ``.parquet``, ``.npy``, ``.npz``, and
        ``.svm``, ``.svmlight``, ``.libsvm``, ``.txt``, ``.bz2``, ``.gz``
        (svmlight/LIBSVM, also compressed).
    label : str or int, default=None
        The labels. CSV and Parquet: a column name (or position); ``.npy``: a
        column index; ``.npz``: the key of the label array (default ``"y"``
        when present). Must be ``None`` for svmlight, whose labels are part of
        each line. ``None`` elsewhere means no labels.
    format : {"csv", "parquet", "npy", "npz", "svmlight"}, default=None
        Overrides the format detected from the extension.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features), dtype float64
        Dense features (svmlight files are densified).
    y : ndarray of shape (n_samples,) or None
        Labels: int64 when integral, else as stored (strings allowed).

    Raises
    ------
    DataFileError
        The file is missing, empty, unreadable, truncated or corrupt; the label
        column does not exist (the message lists the columns); feature columns
        are not numeric (named); no feature column is left.
    ValueError
        ``format`` is not one of the known formats, or ``label`` is given for
        an svmlight file.
    TypeError
        ``label`` is neither a str, an int nor ``None``.

    Notes
    -----
    Missing CSV or Parquet values become NaN; they are not rejected here but
    by the validation of :func:`craig.select`.

    Examples
    --------
    >>> X, y = read_file("train.csv", label="target")  # doctest: +SKIP
    """
    path = Path(path)
    kind = _resolve_format(path, format)
    _check_exists(path)
    X, y = _READERS[kind](path, label)
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise DataFileError(f"{path} holds no feature matrix: got shape {X.shape}")
    return X, y


def _resolve_format(path: Path, format) -> str:
    if format is not None:
        if format not in FORMATS:
            raise ValueError(f"format must be one of {FORMATS} or None; got {format!r}")
        return format
    name = path.name.lower()
    if name.endswith((".csv", ".csv.gz", ".csv.bz2")):
        return "csv"
    if name.endswith(".parquet"):
        return "parquet"
    for suffix in (".npy", ".npz"):
        if name.endswith(suffix):
            return suffix[1:]
    if name.endswith(_SVMLIGHT_SUFFIXES):
        return "svmlight"
    raise DataFileError(
        f"cannot tell the format of {path} from its extension; known extensions: "
        ".csv, .csv.gz, .csv.bz2, .parquet, .npy, .npz, "
        f"{', '.join(_SVMLIGHT_SUFFIXES)}; or pass format= one of {FORMATS}"
    )


def _check_exists(path: Path) -> None:
    if not path.exists():
        raise DataFileError(f"data file {path} does not exist")
    if not path.is_file():
        raise DataFileError(f"data file {path} is not a regular file")
    if path.stat().st_size == 0:
        raise DataFileError(f"data file {path} is empty (0 bytes)")


def _guarded(path: Path, what: str, read, *args, **kwargs):
    """Call ``read``, turning a library's parse error into DataFileError."""
    try:
        return read(*args, **kwargs)
    except _READ_ERRORS as exc:
        raise DataFileError(
            f"cannot read {path} as {what}: {type(exc).__name__}: {exc}"
        ) from exc


# ----------------------------------------------------------------- tables


def read_table(path: Path, kind: str, *, delimiter: str = ",", header: bool = True):
    """A pyarrow Table from a CSV (``kind="csv"``) or Parquet file."""
    if kind == "parquet":
        import pyarrow.parquet as pq

        return _guarded(path, "Parquet", pq.read_table, path)
    import pyarrow.csv as pv

    read = pv.ReadOptions(autogenerate_column_names=not header)
    parse = pv.ParseOptions(delimiter=delimiter)
    return _guarded(path, "CSV", pv.read_csv, path, read, parse)


def split_table(table, label, path: Path, *, drop=()):
    """``(X, y)`` from a pyarrow Table: ``label`` is a column name or position."""
    if table.num_rows == 0:
        raise DataFileError(f"{path} has no rows (columns: {table.column_names})")
    y = None
    if label is not None:
        name = _label_column(table.column_names, label, path)
        y = _labels(table.column(name).to_numpy())
        drop = (*drop, name)
    table = table.drop_columns([name for name in drop if name in table.column_names])
    if table.num_columns == 0:
        raise DataFileError(
            f"{path} has a single column ({label!r}, the label): "
            "no feature column is left"
        )
    _check_numeric(table, path)
    X = np.empty((table.num_rows, table.num_columns), dtype=np.float64)
    for j, column in enumerate(table.columns):
        X[:, j] = column.to_numpy()
    return X, y


def _label_column(names: list[str], label, path: Path) -> str:
    if isinstance(label, bool) or not isinstance(label, (str, int, np.integer)):
        raise TypeError(
            f"label must be a column name (str), a position (int) or None; "
            f"got {type(label).__name__}"
        )
    if isinstance(label, str):
        if label in names:
            return label
    elif -len(names) <= label < len(names):
        return names[label]
    raise DataFileError(
        f"label column {label!r} is not in {path}; available columns: {names}"
    )


def _check_numeric(table, path: Path) -> None:
    import pyarrow as pa

    def numeric(kind):
        return pa.types.is_integer(kind) or pa.types.is_floating(kind)

    bad = [
        f"{field.name!r} ({field.type})"
        for field in table.schema
        if not (numeric(field.type) or pa.types.is_boolean(field.type))
    ]
    if bad:
        raise DataFileError(
            f"{path} has non-numeric feature columns: {', '.join(bad)}; "
            "pass one of them as label= or remove them"
        )


def _labels(values: np.ndarray) -> np.ndarray:
    """Labels as int64 when integral, strings as str, else as they are."""
    if values.dtype == object:
        return values.astype(str)
    integral = values.dtype.kind == "f" and np.all(np.isfinite(values))
    if integral and np.array_equal(values, np.round(values)):
        return values.astype(np.int64)
    if values.dtype.kind in "iub":
        return values.astype(np.int64)
    return values


def _read_csv(path: Path, label):
    return split_table(read_table(path, "csv"), label, path)


def _read_parquet(path: Path, label):
    return split_table(read_table(path, "parquet"), label, path)


# ------------------------------------------------------------------ numpy


def _read_npy(path: Path, label):
    array = _guarded(path, ".npy", np.load, path, allow_pickle=False)
    if array.ndim != 2:
        raise DataFileError(f"{path} must hold a 2-D array; got shape {array.shape}")
    _check_numeric_array(array, path)
    if label is None:
        return array.astype(np.float64), None
    if isinstance(label, bool) or not isinstance(label, (int, np.integer)):
        raise TypeError(
            f"label must be a column index (int) or None for .npy files; "
            f"got {type(label).__name__}"
        )
    n_columns = array.shape[1]
    if not -n_columns <= label < n_columns:
        raise DataFileError(
            f"label column {label} is not in {path}; available columns: "
            f"0..{n_columns - 1}"
        )
    if n_columns == 1:
        raise DataFileError(f"{path} has a single column: no feature column is left")
    X = np.delete(array, label, axis=1).astype(np.float64)
    return X, _labels(array[:, label])


def _read_npz(path: Path, label):
    with _guarded(path, ".npz", np.load, path, allow_pickle=False) as archive:
        keys = list(archive.files)
        if "X" not in keys:
            raise DataFileError(f"{path} has no array 'X'; arrays: {keys}")
        if label is not None and label not in keys:
            raise DataFileError(
                f"label array {label!r} is not in {path}; arrays: {keys}"
            )
        X = _guarded(path, ".npz", archive.__getitem__, "X")
        key = label if label is not None else ("y" if "y" in keys else None)
        y = None if key is None else _guarded(path, ".npz", archive.__getitem__, key)
    if X.ndim != 2:
        raise DataFileError(f"array 'X' of {path} must be 2-D; got shape {X.shape}")
    _check_numeric_array(X, path)
    if y is not None and len(y) != len(X):
        raise DataFileError(
            f"{path}: {key!r} has {len(y)} entries but 'X' has {len(X)} rows"
        )
    return X.astype(np.float64), None if y is None else _labels(np.asarray(y))


def _check_numeric_array(array: np.ndarray, path: Path) -> None:
    if array.dtype.kind not in "biuf":
        raise DataFileError(
            f"{path} must hold numbers; got an array of dtype {array.dtype}"
        )


# --------------------------------------------------------------- svmlight


def read_svmlight(paths, *, n_features=None, zero_based="auto"):
    """``[(X, y), ...]`` of svmlight files: X scipy CSR float64, y as in the file.

    The files are decompressed in threads while scikit-learn is imported, which
    hides most of the import time (about a second).
    """
    with ThreadPoolExecutor(max_workers=len(paths)) as pool:
        blobs = [pool.submit(_read_bytes, Path(path)) for path in paths]
        from sklearn.datasets import load_svmlight_file

        blobs = [blob.result() for blob in blobs]
    parsed = []
    for path, blob in zip(paths, blobs, strict=True):
        X, y = _guarded(
            path, "svmlight", load_svmlight_file, io.BytesIO(blob),
            n_features=n_features, zero_based=zero_based, dtype=np.float64,
        )  # fmt: skip
        parsed.append((X, _labels(y)))
    return parsed


def _read_bytes(path: Path) -> bytes:
    """The content of ``path``, decompressed when it ends in .bz2 or .gz."""
    opener = {".bz2": bz2.open, ".gz": gzip.open}.get(path.suffix.lower(), open)
    try:
        with opener(path, "rb") as stream:
            return stream.read()
    except (OSError, EOFError, zlib.error) as exc:
        raise DataFileError(f"cannot read {path}: {type(exc).__name__}: {exc}") from exc


def _read_svmlight(path: Path, label):
    if label is not None:
        raise ValueError(
            "label must be None for svmlight files (the label is the first "
            f"field of each line); got {label!r}"
        )
    ((X, y),) = read_svmlight([path])
    return X.toarray(), y


_READERS = {
    "csv": _read_csv,
    "parquet": _read_parquet,
    "npy": _read_npy,
    "npz": _read_npz,
    "svmlight": _read_svmlight,
}
