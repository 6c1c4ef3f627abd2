import numpy as np
import pytest

from craig import Coreset
from craig.cli import main


@pytest.fixture
def table(tmp_path):
    rng = np.random.default_rng(0)
    path = tmp_path / "points.csv"
    rows = ["a,b,kind"] + [
        f"{x:.4f},{z:.4f},{'yes' if i % 4 else 'no'}"
        for i, (x, z) in enumerate(rng.normal(size=(200, 2)))
    ]
    path.write_text("\n".join(rows) + "\n")
    return path


def test_select_csv_with_string_labels(tmp_path, table, capsys):
    output = tmp_path / "c.csv"
    assert (
        main(
            ["select", str(table), "--size", "20", "--label", "kind", "-o", str(output)]
        )
        == 0
    )
    coreset = Coreset.load(output)
    assert len(coreset) == 20 and coreset.weights.sum() == 200
    assert sorted(set(coreset.labels)) == ["no", "yes"]
    printed = capsys.readouterr().out
    assert "n=200, classes=2" in printed and "k=20" in printed and "L(S) =" in printed


def test_select_refuses_existing_output_unless_forced(tmp_path, table, capsys):
    output = tmp_path / "c.parquet"
    argv = [
        "select",
        str(table),
        "--fraction",
        "0.1",
        "--label",
        "kind",
        "-o",
        str(output),
    ]
    assert main(argv) == 0
    before = output.read_bytes()
    assert main(argv) == 1
    assert "exists; pass --force" in capsys.readouterr().err
    assert output.read_bytes() == before
    assert main(argv + ["--force", "--method", "stochastic"]) == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fraction", "1.5"], r"fraction must be in \(0, 1\], got 1.5"),
        (["--size", "0"], r"size must be an integer in \[1, n_samples=200\], got 0"),
        (["--epsilon", "-2"], r"epsilon must be >= 0, got -2"),
        (["--size", "3", "--label", "colour"], r"colour"),
        (["--size", "3", "-o", "{tmp}/missing/c.parquet"], r"does not exist"),
        (["--size", "3", "-o", "{tmp}/c.txt"], r"must end in one of"),
    ],
)
def test_select_errors_are_one_line_and_write_nothing(
    tmp_path, table, capsys, args, message
):
    argv = ["select", str(table)] + [a.format(tmp=tmp_path) for a in args]
    if "--label" not in args:
        argv += ["--label", "kind"]
    if "-o" not in args:
        argv += ["-o", str(tmp_path / "c.parquet")]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("craig select: error:")
    assert __import__("re").search(message, err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["points.csv"]


def test_select_rejects_truncated_and_non_numeric_files(tmp_path, capsys):
    broken = tmp_path / "broken.csv"
    broken.write_text("a,b\n1,2\n3")
    words = tmp_path / "words.csv"
    words.write_text("a,name\n1,x\n2,y\n")
    for path, message in [(broken, "broken.csv"), (words, "name")]:
        assert (
            main(
                ["select", str(path), "--size", "1", "-o", str(tmp_path / "c.parquet")]
            )
            == 1
        )
        assert message in capsys.readouterr().err
    assert not (tmp_path / "c.parquet").exists()


def test_select_ijcnn1_end_to_end(tmp_path, shared_datasets, capsys):
    output = tmp_path / "c.parquet"
    source = shared_datasets / "ijcnn1" / "ijcnn1.bz2"
    assert main(["select", str(source), "--fraction", "0.1", "-o", str(output)]) == 0
    coreset = Coreset.load(output)
    assert len(coreset) == 4999
    assert coreset.weights.sum() == 49990
    labels, counts = np.unique(coreset.labels, return_counts=True)
    assert dict(zip(labels.tolist(), counts.tolist())) == {-1: 4514, 1: 485}
    assert np.unique(coreset.indices).size == 4999


def test_demo_prints_the_three_way_table(capsys):
    assert main(["demo", "--fractions", "0.2"]) == 0
    out = capsys.readouterr().out
    for name in ("full data", "random 20%", "CRAIG 20%"):
        assert name in out
