from __future__ import annotations

import bz2
import gzip

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from craig._errors import DataFileError
from craig.datasets import read_file

FEATURES = np.array([[0.5, 1.0], [2.0, -3.5], [4.25, 0.0]])
LABELS = np.array([1, 0, 1])
SVMLIGHT = "1 1:0.5 2:1\n0 1:2 2:-3.5\n1 1:4.25\n"


def _write_csv(path, text):
    openers = {".gz": gzip.open, ".bz2": bz2.open}
    opener = openers.get(path.suffix, open)
    with opener(path, "wt") as stream:
        stream.write(text)
    return path


CSV = "a,b,target\n0.5,1.0,1\n2.0,-3.5,0\n4.25,0,1\n"


# ------------------------------------------------------------- happy paths


@pytest.mark.parametrize("name", ["data.csv", "data.csv.gz", "data.csv.bz2"])
@pytest.mark.parametrize("label", ["target", 2, -1])
def test_csv_with_label(tmp_path, name, label):
    X, y = read_file(_write_csv(tmp_path / name, CSV), label=label)
    assert X.dtype == np.float64
    np.testing.assert_array_equal(X, FEATURES)
    assert y.dtype == np.int64
    np.testing.assert_array_equal(y, LABELS)


def test_csv_without_label_keeps_every_column(tmp_path):
    X, y = read_file(_write_csv(tmp_path / "data.csv", CSV))
    assert y is None
    assert X.shape == (3, 3)


def test_csv_string_labels(tmp_path):
    path = _write_csv(tmp_path / "d.csv", "x,kind\n1,cat\n2,dog\n3,cat\n")
    X, y = read_file(path, label="kind")
    np.testing.assert_array_equal(X, [[1.0], [2.0], [3.0]])
    assert y.tolist() == ["cat", "dog", "cat"]


def test_parquet_with_label(tmp_path):
    table = pa.table({"a": FEATURES[:, 0], "b": FEATURES[:, 1], "y": LABELS})
    pq.write_table(table, tmp_path / "d.parquet")
    X, y = read_file(tmp_path / "d.parquet", label="y")
    np.testing.assert_array_equal(X, FEATURES)
    np.testing.assert_array_equal(y, LABELS)


@pytest.mark.parametrize(("label", "expected_y"), [(None, None), (2, LABELS)])
def test_npy(tmp_path, label, expected_y):
    np.save(tmp_path / "d.npy", np.column_stack([FEATURES, LABELS]))
    X, y = read_file(tmp_path / "d.npy", label=label)
    width = 3 if label is None else 2
    np.testing.assert_array_equal(X, np.column_stack([FEATURES, LABELS])[:, :width])
    if expected_y is None:
        assert y is None
    else:
        np.testing.assert_array_equal(y, expected_y)


@pytest.mark.parametrize(
    ("arrays", "label", "expected_y"),
    [
        ({"X": FEATURES, "y": LABELS}, None, LABELS),
        ({"X": FEATURES, "target": LABELS * 2}, "target", LABELS * 2),
        ({"X": FEATURES}, None, None),
    ],
)
def test_npz(tmp_path, arrays, label, expected_y):
    np.savez(tmp_path / "d.npz", **arrays)
    X, y = read_file(tmp_path / "d.npz", label=label)
    np.testing.assert_array_equal(X, FEATURES)
    if expected_y is None:
        assert y is None
    else:
        np.testing.assert_array_equal(y, expected_y)


@pytest.mark.parametrize("name", ["d.svm", "d.svmlight", "d.libsvm", "d.txt"])
def test_svmlight_plain(tmp_path, name):
    (tmp_path / name).write_text(SVMLIGHT)
    X, y = read_file(tmp_path / name)
    np.testing.assert_array_equal(X, FEATURES)
    np.testing.assert_array_equal(y, LABELS)
    assert y.dtype == np.int64


@pytest.mark.parametrize(("suffix", "opener"), [(".bz2", bz2.open), (".gz", gzip.open)])
def test_svmlight_compressed(tmp_path, suffix, opener):
    path = tmp_path / f"data{suffix}"
    with opener(path, "wt") as stream:
        stream.write(SVMLIGHT)
    X, y = read_file(path)
    np.testing.assert_array_equal(X, FEATURES)
    np.testing.assert_array_equal(y, LABELS)


def test_format_override(tmp_path):
    path = _write_csv(tmp_path / "table.dat", CSV)
    X, y = read_file(path, label="target", format="csv")
    np.testing.assert_array_equal(X, FEATURES)


# ------------------------------------------------------------------ errors


def test_missing_file(tmp_path):
    with pytest.raises(DataFileError, match=r"nope\.csv does not exist"):
        read_file(tmp_path / "nope.csv")


@pytest.mark.parametrize("name", ["e.csv", "e.parquet", "e.npy", "e.svm"])
def test_empty_file(tmp_path, name):
    (tmp_path / name).write_bytes(b"")
    with pytest.raises(DataFileError, match=r"is empty \(0 bytes\)"):
        read_file(tmp_path / name)


def test_header_only_csv(tmp_path):
    path = _write_csv(tmp_path / "h.csv", "a,b,target\n")
    with pytest.raises(DataFileError, match=r"has no rows \(columns: \['a', 'b'"):
        read_file(path, label="target")


def test_csv_cut_mid_row(tmp_path):
    path = _write_csv(tmp_path / "cut.csv", CSV + "7.5,")
    with pytest.raises(DataFileError, match=r"cannot read .*cut\.csv as CSV"):
        read_file(path, label="target")


def test_truncated_bz2(tmp_path):
    packed = bz2.compress(SVMLIGHT.encode() * 200)
    path = tmp_path / "cut.bz2"
    path.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(DataFileError, match=r"cannot read .*cut\.bz2: EOFError"):
        read_file(path)


def test_malformed_svmlight(tmp_path):
    (tmp_path / "bad.svm").write_text("1 1:0.5 2:x\n")
    with pytest.raises(DataFileError, match=r"cannot read .*bad\.svm as svmlight"):
        read_file(tmp_path / "bad.svm")


@pytest.mark.parametrize(
    ("name", "what"), [("c.parquet", "Parquet"), ("c.npy", ".npy"), ("c.npz", ".npz")]
)
def test_corrupt_binary_files(tmp_path, name, what):
    (tmp_path / name).write_bytes(b"this is not a binary table at all" * 3)
    with pytest.raises(DataFileError, match=rf"cannot read .*{name} as {what}"):
        read_file(tmp_path / name)


@pytest.mark.parametrize("label", ["price", 7])
def test_label_column_not_there(tmp_path, label):
    path = _write_csv(tmp_path / "d.csv", CSV)
    with pytest.raises(
        DataFileError,
        match=rf"label column {label!r} is not in .*; available columns: "
        r"\['a', 'b', 'target'\]",
    ):
        read_file(path, label=label)


def test_non_numeric_feature_columns_are_named(tmp_path):
    text = "a,colour,b,shape,y\n1,red,2,box,0\n3,blue,4,ball,1\n"
    path = _write_csv(tmp_path / "d.csv", text)
    with pytest.raises(
        DataFileError,
        match=r"non-numeric feature columns: 'colour' \(string\), 'shape' \(string\)",
    ):
        read_file(path, label="y")


def test_single_column_is_the_label(tmp_path):
    path = _write_csv(tmp_path / "d.csv", "y\n1\n0\n")
    with pytest.raises(DataFileError, match=r"single column \('y', the label\)"):
        read_file(path, label="y")


def test_npy_must_be_two_dimensional(tmp_path):
    np.save(tmp_path / "v.npy", np.arange(4.0))
    with pytest.raises(DataFileError, match=r"must hold a 2-D array; got shape \(4,\)"):
        read_file(tmp_path / "v.npy")


def test_npy_label_out_of_range(tmp_path):
    np.save(tmp_path / "d.npy", FEATURES)
    with pytest.raises(DataFileError, match=r"label column 5 .*columns: 0\.\.1"):
        read_file(tmp_path / "d.npy", label=5)


def test_npy_strings_are_not_features(tmp_path):
    np.save(tmp_path / "s.npy", np.array([["a", "b"], ["c", "d"]]))
    with pytest.raises(DataFileError, match=r"must hold numbers; got .* dtype <U1"):
        read_file(tmp_path / "s.npy")


def test_npz_without_x(tmp_path):
    np.savez(tmp_path / "d.npz", features=FEATURES)
    with pytest.raises(DataFileError, match=r"no array 'X'; arrays: \['features'\]"):
        read_file(tmp_path / "d.npz")


def test_npz_missing_label_key(tmp_path):
    np.savez(tmp_path / "d.npz", X=FEATURES, y=LABELS)
    with pytest.raises(DataFileError, match=r"label array 'target' .*\['X', 'y'\]"):
        read_file(tmp_path / "d.npz", label="target")


def test_npz_lengths_differ(tmp_path):
    np.savez(tmp_path / "d.npz", X=FEATURES, y=LABELS[:2])
    with pytest.raises(DataFileError, match=r"'y' has 2 entries but 'X' has 3 rows"):
        read_file(tmp_path / "d.npz")


def test_unknown_extension(tmp_path):
    (tmp_path / "d.xlsx").write_text("x")
    with pytest.raises(DataFileError, match=r"cannot tell the format of .*d\.xlsx"):
        read_file(tmp_path / "d.xlsx")


def test_bad_format_argument(tmp_path):
    with pytest.raises(ValueError, match=r"format must be one of .*; got 'excel'"):
        read_file(tmp_path / "d.csv", format="excel")


def test_svmlight_takes_no_label(tmp_path):
    (tmp_path / "d.svm").write_text(SVMLIGHT)
    with pytest.raises(ValueError, match=r"label must be None for svmlight .*got 'y'"):
        read_file(tmp_path / "d.svm", label="y")


@pytest.mark.parametrize("label", [True, 1.5])
def test_label_of_wrong_type(tmp_path, label):
    path = _write_csv(tmp_path / "d.csv", CSV)
    with pytest.raises(TypeError, match=r"label must be a column name .*got "):
        read_file(path, label=label)
