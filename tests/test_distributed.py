import subprocess
import sys

import numpy as np
import pytest

import craig

distributed = pytest.importorskip("dask.distributed")
craig_distributed = pytest.importorskip("craig.distributed")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    )
    with distributed.Client(cluster) as connected:
        yield connected
    cluster.close()


@pytest.fixture(scope="module")
def blobs():
    rng = np.random.default_rng(0)
    centres = rng.normal(0, 6, size=(10, 5))
    X = centres[rng.integers(10, size=4000)] + rng.normal(size=(4000, 5))
    y = rng.integers(3, size=4000)
    return X, y


def _assert_identical(first, second):
    np.testing.assert_array_equal(first.indices, second.indices)
    np.testing.assert_array_equal(first.weights, second.weights)
    np.testing.assert_array_equal(first.gains, second.gains)
    assert first.bound == second.bound
    assert first.class_bounds == second.class_bounds


@pytest.mark.parametrize("method", ["lazy", "stochastic"])
def test_equals_the_in_process_partition_backend(client, blobs, method):
    X, y = blobs
    settings = dict(
        fraction=0.1, cell_size=300, method=method, random_state=7, max_memory="2GB"
    )
    local = craig.select(X, y, backend="partition", **settings)
    remote = craig_distributed.select(X, y, client=client, **settings)
    _assert_identical(remote, local)
    assert remote.weights.sum() == len(X)


def test_dask_array_input(client, blobs):
    import dask.array as da

    X, y = blobs
    settings = dict(size=120, cell_size=500, random_state=2, max_memory="2GB")
    local = craig.select(X, y, backend="partition", **settings)
    chunked = da.from_array(X, chunks=(700, 5))
    _assert_identical(
        craig_distributed.select(chunked, y, client=client, **settings), local
    )


def test_parquet_files_read_by_the_workers(client, blobs, tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    X, y = blobs
    paths = []
    for index, rows in enumerate(np.array_split(np.arange(len(X)), 3)):
        columns = {f"x{f}": X[rows, f] for f in range(X.shape[1])}
        table = pa.table({**columns, "target": y[rows]})
        paths.append(str(tmp_path / f"part{index}.parquet"))
        pq.write_table(table, paths[-1])
    settings = dict(size=200, cell_size=400, random_state=1, max_memory="2GB")
    local = craig.select(X, y, backend="partition", **settings)
    remote = craig_distributed.select(paths, label="target", client=client, **settings)
    _assert_identical(remote, local)


def test_bad_label_column(client, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = str(tmp_path / "one.parquet")
    pq.write_table(pa.table({"a": [1.0, 2.0], "b": [0, 1]}), path)
    with pytest.raises(ValueError, match=r"label must be a column of .* got 'y'"):
        craig_distributed.select([path], label="y", size=1, client=client)


def test_import_craig_does_not_import_dask():
    code = "import sys, craig; craig.select; print('dask' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr


def test_a_failing_task_raises_and_returns_no_coreset(blobs, monkeypatch):
    def broken(*args):
        raise OSError("worker lost its disk")

    monkeypatch.setattr(craig_distributed, "_select_cell", broken)
    X, y = blobs
    with (
        distributed.LocalCluster(
            n_workers=1, processes=False, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as threads,
        pytest.raises(craig.CraigError, match=r"failed after 0 retries .*OSError"),
    ):
        craig_distributed.select(
            X, y, size=40, cell_size=300, client=threads, retries=0
        )


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"retries": -1}, ValueError, r"retries must be an integer >= 0, got -1"),
        ({"retries": 1.5}, TypeError, r"retries must be an integer, got float"),
        ({"label": "y"}, ValueError, r"label names a Parquet column; .* got label="),
        ({"metric": "precomputed"}, ValueError, r"metric must be one of .*"),
    ],
)
def test_bad_arguments(client, blobs, kwargs, error, match):
    X, y = blobs
    with pytest.raises(error, match=match):
        craig_distributed.select(X, y, size=10, client=client, **kwargs)
