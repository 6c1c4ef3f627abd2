"""The result of a selection: a weighted subset, with its certificate."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from craig._errors import DataFileError
from craig._files import replace_atomically

_FORMATS = (".parquet", ".csv", ".npz")


@dataclass(frozen=True, eq=False)
class Coreset:
    """A weighted CRAIG coreset of ``n_samples`` points.

    Attributes
    ----------
    indices : ndarray of int64, shape (k,)
        Rows of the input, in greedy order within each class; classes follow
        one another in sorted label order.
    weights : ndarray of float64, shape (k,)
        gamma_j, the number of points whose nearest selected point is j; they
        sum to ``n_samples`` (per class, to the class size).
    labels : ndarray of shape (k,) or None
        The label of each selected point, when labels were given.
    gains : ndarray of float64, shape (k,)
        The marginal gain F(S + j) - F(S) of each pick when it was made.
    ranks : ndarray of int64, shape (k,)
        Position of each pick in its class's greedy order (0 = first).
    bound : float
        L(S) = sum_i min_{j in S} d_ij over all points: an upper bound, up to
        the gradients' Lipschitz constant, on the gradient error.
    class_bounds : dict
        L(S) of each class, by label (one entry, ``None``, without labels).
    timings : dict
        Seconds spent: ``distances``, ``greedy``, ``weights``, ``total``.
    """

    indices: np.ndarray
    weights: np.ndarray
    labels: np.ndarray | None
    gains: np.ndarray
    ranks: np.ndarray
    bound: float
    n_samples: int
    class_bounds: dict = field(default_factory=dict)
    metric: str = "euclidean"
    method: str = "lazy"
    timings: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.indices)

    def __repr__(self) -> str:
        return (
            f"Coreset(k={len(self)}, n_samples={self.n_samples}, "
            f"bound={self.bound:.6g}, metric={self.metric!r}, method={self.method!r})"
        )

    @property
    def objective(self) -> float:
        """F(S), the facility-location value: the sum of the gains."""
        return float(self.gains.sum())

    def subset(self, X, y=None):
        """The weighted subset ``(X[indices], y[indices], weights)``.

        ``y`` is None in the result when it is None here. ``X`` may be any
        array or matrix that supports row indexing (NumPy, scipy sparse).
        """
        if X.shape[0] != self.n_samples:
            raise ValueError(
                f"X must have the n_samples={self.n_samples} rows the coreset was "
                f"selected from, got {X.shape[0]}"
            )
        y_subset = None if y is None else np.asarray(y)[self.indices]
        return X[self.indices], y_subset, self.weights

    def save(self, path, *, overwrite: bool = False) -> Path:
        """Write to ``.parquet``, ``.csv`` or ``.npz`` (chosen by the suffix).

        Columns: index, weight, label, rank, gain. Parquet and ``.npz`` also keep
        the bounds, timings and settings; CSV keeps the columns only. The file
        appears whole or not at all: it is written to a temporary file beside it
        and renamed.
        """
        path = Path(path)
        suffix = _check_suffix(path)
        if not path.parent.is_dir():
            raise FileNotFoundError(f"the output folder {path.parent} does not exist")
        if path.exists() and not overwrite:
            raise FileExistsError(
                f"{path} exists; pass overwrite=True (--force) to replace it"
            )
        with replace_atomically(path) as tmp:
            _WRITERS[suffix](self, tmp)
        return path

    @classmethod
    def load(cls, path) -> Coreset:
        """Read a coreset written by ``save``."""
        path = Path(path)
        suffix = _check_suffix(path)
        if not path.is_file():
            raise FileNotFoundError(f"no coreset file at {path}")
        try:
            columns, meta = _READERS[suffix](path)
        except (OSError, ValueError, KeyError) as exc:
            raise DataFileError(
                f"{path} is not a readable coreset file: {exc}"
            ) from exc
        missing = [c for c in ("index", "weight", "rank", "gain") if c not in columns]
        if missing:
            raise DataFileError(
                f"{path} is not a coreset file: it lacks the columns "
                f"{', '.join(missing)} (found {', '.join(columns) or 'none'})"
            )
        return _from_columns(columns, meta)

    def to_columns(self) -> dict:
        """The per-pick columns as a dict of arrays."""
        columns = {
            "index": self.indices,
            "weight": self.weights,
            "rank": self.ranks,
            "gain": self.gains,
        }
        if self.labels is not None:
            columns["label"] = self.labels
        return columns

    def metadata(self) -> dict:
        """The scalar facts, JSON-ready."""
        return {
            "n_samples": int(self.n_samples),
            "bound": float(self.bound),
            "class_bounds": {str(k): float(v) for k, v in self.class_bounds.items()},
            "metric": self.metric,
            "method": self.method,
            "timings": {k: float(v) for k, v in self.timings.items()},
        }


def _check_suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in _FORMATS:
        raise ValueError(
            f"coreset file must end in one of {', '.join(_FORMATS)}, got {path.name!r}"
        )
    return suffix


def _write_parquet(coreset: Coreset, tmp: str) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(coreset.to_columns())
    meta = {b"craig": json.dumps(coreset.metadata()).encode()}
    pq.write_table(table.replace_schema_metadata(meta), tmp)


def _write_csv(coreset: Coreset, tmp: str) -> None:
    import pyarrow as pa
    import pyarrow.csv as pcsv

    pcsv.write_csv(pa.table(coreset.to_columns()), tmp)


def _write_npz(coreset: Coreset, tmp: str) -> None:
    with open(tmp, "wb") as handle:
        np.savez(
            handle,
            **coreset.to_columns(),
            metadata=np.array(json.dumps(coreset.metadata())),
        )


def _read_parquet(path: Path):
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    raw = (table.schema.metadata or {}).get(b"craig")
    columns = {name: table.column(name).to_numpy() for name in table.column_names}
    return columns, json.loads(raw) if raw else {}


def _read_csv(path: Path):
    import pyarrow.csv as pcsv

    table = pcsv.read_csv(path)
    return {name: table.column(name).to_numpy() for name in table.column_names}, {}


def _read_npz(path: Path):
    with np.load(path, allow_pickle=False) as archive:
        columns = {name: archive[name] for name in archive.files if name != "metadata"}
        meta = json.loads(str(archive["metadata"])) if "metadata" in archive else {}
    return columns, meta


def _from_columns(columns: dict, meta: dict) -> Coreset:
    weights = np.asarray(columns["weight"], dtype=np.float64)
    return Coreset(
        indices=np.asarray(columns["index"], dtype=np.int64),
        weights=weights,
        labels=columns.get("label"),
        gains=np.asarray(columns["gain"], dtype=np.float64),
        ranks=np.asarray(columns["rank"], dtype=np.int64),
        bound=float(meta.get("bound", np.nan)),
        n_samples=int(meta.get("n_samples", round(weights.sum()))),
        class_bounds=meta.get("class_bounds", {}),
        metric=meta.get("metric", "unknown"),
        method=meta.get("method", "unknown"),
        timings=meta.get("timings", {}),
    )


_WRITERS = {".parquet": _write_parquet, ".csv": _write_csv, ".npz": _write_npz}
_READERS = {".parquet": _read_parquet, ".csv": _read_csv, ".npz": _read_npz}
