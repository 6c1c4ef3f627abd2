"""Selection on a Dask cluster: the partition backend's cells as tasks.

``craig.distributed.select`` computes exactly what
``craig.select(..., backend="partition")`` computes, bit for bit for the same
seed, cell size and memory budget, whatever the number of workers: every
class's k-means is fit on the client (on a sample the workers send), the
workers assign the points to cells, select each cell on the dense path and
assign every point to its nearest pick, in the same chunks and with the same
kernels as the in-process backend. Only labels, samples, cell numbers and picks
travel to the client; the points stay on the workers.

Import it explicitly (``import craig.distributed``); ``import craig`` does not
import dask.
"""

from __future__ import annotations

import contextlib
import math
import time

import numpy as np

from craig import _distances, _select, _validation, _weights
from craig._errors import CraigError
from craig._memory import memory_budget
from craig.backends import PartRequest, PartSelection, _assign, _partition

__all__ = ["select"]

# Rows per task: the in-process backend's chunks, so that each row is computed
# in the same faiss call, bit for bit.
_CHUNK_ROWS = _assign.CHUNK_ROWS


def select(
    X,
    y=None,
    *,
    fraction: float | None = None,
    size: int | None = None,
    epsilon: float | None = None,
    per_class: bool = True,
    metric: str = "euclidean",
    method: str = "lazy",
    stochastic_epsilon: float = 0.01,
    cell_size: int | None = None,
    max_memory: int | str | None = None,
    random_state=None,
    client=None,
    label: str | None = None,
    columns=None,
    retries: int = 2,
):
    """Select a CRAIG coreset with the partition backend on a Dask cluster.

    Parameters
    ----------
    X : ndarray, dask array, or list of str
        The points, or a list of Parquet files that the workers read
        themselves (in that order; rows are numbered across the files).
    y : array-like, default=None
        Labels. For Parquet files, give ``label`` (a column) instead.
    fraction, size, epsilon, per_class, metric, method, stochastic_epsilon, \
cell_size, max_memory, random_state
        As in ``craig.select``. ``metric="precomputed"`` is not supported.
        ``max_memory`` (default: 80% of the client's free memory) bounds each
        task and picks the cell size as in-process.
    client : dask.distributed.Client or str, default=None
        A client, or a scheduler address such as ``"tcp://10.0.0.1:8786"``.
        Default: a ``LocalCluster`` of worker processes, closed at the end.
    label : str, default=None
        The label column of the Parquet files.
    columns : list of str, default=None
        Feature columns of the Parquet files (default: every other column).
    retries : int >= 0, default=2
        Times a task is retried after its worker died. A selection that still
        fails raises ``CraigError``; a partial coreset is never returned.

    Returns
    -------
    Coreset
    """
    started = time.perf_counter()
    if _validation.check_integer("retries", retries) < 0:
        raise ValueError(f"retries must be an integer >= 0, got {retries}")
    with _connect(client) as dask_client:
        data, y = _load(X, y, label, columns, dask_client)
        n_samples = data.shape[0]
        settings = _settings(
            y, n_samples, fraction, size, epsilon, per_class, metric, method,
            stochastic_epsilon, cell_size, max_memory,
        )  # fmt: skip
        parts, part_labels = _select._split_into_parts(
            y, n_samples, settings["per_class"]
        )
        sizes, bounds = _select._part_budgets(parts, settings, n_samples)
        seeds = np.random.default_rng(random_state).integers(2**63, size=len(parts))
        selections = []
        for index, rows in enumerate(parts):
            request = _request(settings, part_labels[index], sizes[index],
                               bounds[index], seeds[index])  # fmt: skip
            selections.append(_select_class(data, rows, request, dask_client, retries))
    return _select._assemble(
        selections, parts, part_labels, y, n_samples, metric, method,
        time.perf_counter() - started,
    )  # fmt: skip


def _settings(y, n_samples, fraction, size, epsilon, per_class, metric, method,
              stochastic_epsilon, cell_size, max_memory):  # fmt: skip
    metric = _validation.check_choice("metric", metric, _validation.METRICS[:-1])
    _validation.check_choice("method", method, _validation.METHODS)
    _select._validate_backend_options("partition", metric, cell_size, None)
    size, epsilon = _validation.check_budget(fraction, size, epsilon, n_samples)
    stochastic_epsilon = _validation.check_real(
        "stochastic_epsilon", stochastic_epsilon
    )
    if not 0 < stochastic_epsilon < 1:
        raise ValueError(
            f"stochastic_epsilon must be in (0, 1), got {stochastic_epsilon}"
        )
    return {
        "size": size,
        "epsilon": epsilon,
        "memory": memory_budget(_validation.check_memory(max_memory)),
        "per_class": bool(per_class) and y is not None,
        "metric": metric,
        "method": method,
        "stochastic_epsilon": stochastic_epsilon,
        "cell_size": cell_size,
    }


def _request(settings, label, size, bound, seed) -> PartRequest:
    return PartRequest(
        label=label,
        size=size,
        bound=bound,
        metric=settings["metric"],
        method=settings["method"],
        sample_epsilon=settings["stochastic_epsilon"],
        seed=int(seed),
        memory_budget=settings["memory"],
        cell_size=settings["cell_size"],
    )


@contextlib.contextmanager
def _connect(client):
    from dask.distributed import Client, LocalCluster

    if client is not None and not isinstance(client, str):
        yield client
        return
    if isinstance(client, str):
        with Client(client) as connected:
            yield connected
        return
    with (
        LocalCluster(threads_per_worker=1, processes=True) as cluster,
        Client(cluster) as local,
    ):
        yield local


def _load(X, y, label, columns, client):
    """X as a float32 dask array, y as a NumPy array (or None)."""
    import dask.array as da

    if isinstance(X, (list, tuple)) and X and isinstance(X[0], str):
        return _parquet(list(X), label, columns)
    if label is not None:
        raise ValueError(
            f"label names a Parquet column; with X an array give y, got label={label!r}"
        )
    if not isinstance(X, da.Array):
        X = _validation.check_matrix(X)
        if hasattr(X, "toarray"):
            raise TypeError("X must be dense for craig.distributed.select")
        X = da.from_array(X, chunks=(_CHUNK_ROWS, -1))
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D, got shape {X.shape}")
    X = X.astype(np.float32)
    if y is not None:
        y = _validation.check_labels(np.asarray(y), X.shape[0])
    return X, y


def _parquet(paths, label, columns):
    import dask
    import dask.array as da
    import pyarrow.parquet as pq

    schema = pq.read_schema(paths[0])
    if label is not None and label not in schema.names:
        raise ValueError(
            f"label must be a column of {paths[0]} ({', '.join(schema.names)}), "
            f"got {label!r}"
        )
    columns = list(columns or [c for c in schema.names if c != label])
    lengths = [pq.ParquetFile(path).metadata.num_rows for path in paths]
    pieces = [
        da.from_delayed(
            dask.delayed(_read_columns)(path, columns),
            shape=(rows, len(columns)),
            dtype=np.float32,
        )
        for path, rows in zip(paths, lengths)
    ]
    y = None
    if label is not None:
        y = np.concatenate(
            dask.compute(*[dask.delayed(_read_label)(p, label) for p in paths])
        )
    return da.concatenate(pieces), y


def _read_columns(path, columns) -> np.ndarray:
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=columns)
    return np.column_stack(
        [table.column(c).to_numpy().astype(np.float32) for c in columns]
    )


def _read_label(path, label) -> np.ndarray:
    import pyarrow.parquet as pq

    return pq.read_table(path, columns=[label]).column(label).to_numpy()


def _select_class(data, rows, request, client, retries) -> PartSelection:
    """One class: as ``_partition.select_part``, the work done by tasks."""
    n = len(rows)
    if request.size == 0:
        return PartSelection(np.zeros(0, np.int64), np.zeros(0), np.zeros(0), np.inf)
    if n == 1:
        return PartSelection(np.zeros(1, np.int64), np.zeros(1), np.ones(1), 0.0)
    points = client.persist(data[rows].rechunk((_CHUNK_ROWS, -1)))
    cell_size = _partition.fitting_cell_size(n, data.shape[1], request)
    try:
        cells = _cells(points, cell_size, request, client, retries)
        picks, gains = _cell_picks(points, cells, cell_size, request, client, retries)
        weights, bound = _class_weights(points, picks, request, client, retries)
    except CraigError:
        raise
    except Exception as error:
        raise CraigError(
            f"distributed selection of class {request.label!r} failed after "
            f"{retries} retries per task ({type(error).__name__}: {error}); no "
            f"coreset was returned"
        ) from error
    finally:
        del points
    return PartSelection(picks, gains, weights, bound)


def _cells(points, cell_size, request, client, retries):
    n = points.shape[0]
    if n <= cell_size:
        return [np.arange(n, dtype=np.int64)]
    n_cells = math.ceil(n / cell_size)
    sample_rows = _partition.sample_rows(n, n_cells, request.seed)
    sample = client.compute(points[sample_rows], retries=retries).result()
    sample, _ = _distances.prepare(sample, request.metric)
    centres = _partition.fit_centres(sample, n_cells, request.seed)
    labels = points.map_blocks(
        _assign_block, centres, request.metric, drop_axis=1, dtype=np.int64
    )
    labels = client.compute(labels, retries=retries).result()
    return _partition.group_rows(labels, n_cells)


def _assign_block(block, centres, metric):
    X, _ = _distances.prepare(block, metric)
    return _partition.assign_to_centres(X, centres)


def _cell_picks(points, cells, cell_size, request, client, retries):
    import dask

    shares = _partition.cell_shares([len(c) for c in cells], request)
    seeds = _partition.cell_seeds(request.seed, len(cells))
    tasks = [
        dask.delayed(_select_cell)(points[cell], *share, request, cell_size, seed)
        for cell, share, seed in zip(cells, shares, seeds)
    ]
    results = client.gather(client.compute(tasks, retries=retries))
    return _partition.merge_by_gain(
        [(cell[local[0]], local[1]) for cell, local in zip(cells, results)],
        request.size,
    )


def _select_cell(points, size, bound, request, cell_size, seed):
    # One BLAS thread, as the in-process backend runs its cells.
    with _distances.one_blas_thread():
        return _partition.select_cell(points, size, bound, request, cell_size, seed)


def _class_weights(points, picks, request, client, retries):
    import dask

    centres = client.compute(points[picks], retries=retries).result()
    centres = client.scatter(centres)
    tasks = [
        dask.delayed(_assign.nearest_picks)(block, centres, request.metric)
        for block in points.to_delayed().ravel()
    ]
    results = client.gather(client.compute(tasks, retries=retries))
    owner = np.concatenate([r[0] for r in results])
    nearest = np.concatenate([r[1] for r in results])
    weights, _, bound = _weights.weights_from_nearest(owner, nearest, picks)
    return weights, bound
