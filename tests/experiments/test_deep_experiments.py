import json
import subprocess
import sys
import time

import pytest

torch = pytest.importorskip("torch")

import craig  # noqa: E402
import craig.datasets  # noqa: E402
from craig.cli import main  # noqa: E402

needs_main = pytest.mark.skipif(
    not (hasattr(craig, "select") and hasattr(craig.datasets, "load")),
    reason="craig.select or craig.datasets.load is not on this branch yet",
)


def test_import_craig_does_not_import_torch():
    code = "import sys, craig, craig.cli; sys.exit('torch' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


@needs_main
def test_mnist_two_epochs_end_to_end(shared_datasets, tmp_path, capsys):
    start = time.perf_counter()
    status = main(
        [
            "experiment",
            "mnist",
            "--n-train",
            "2000",
            "--epochs",
            "2",
            "--fractions",
            "0.2",
            "--runs",
            "1",
            "--out",
            str(tmp_path),
            "--no-progress",
        ]
    )
    assert status == 0
    assert time.perf_counter() - start < 60
    results = json.loads((tmp_path / "results.json").read_text())
    methods = {(run["method"], run["fraction"]) for run in results["runs"]}
    assert methods == {("full", 1.0), ("random", 0.2), ("craig", 0.2)}
    craig_run = next(run for run in results["runs"] if run["method"] == "craig")
    assert len(craig_run["selections"]) == craig_run["epochs"] == 10
    for name in ("mnist_vs_wall_seconds.png", "mnist_vs_examples.png", "table.txt"):
        assert (tmp_path / name).stat().st_size > 0
    assert "craig" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--reselect-every", "0"], "--reselect-every must be >= 1, got 0"),
        (["--fractions", "0"], r"--fractions must be in \(0, 1\], got 0.0"),
        (["--epochs", "0"], "--epochs must be >= 1, got 0"),
    ],
)
def test_bad_options(option, message, capsys):
    assert main(["experiment", "mnist", *option]) == 1
    assert message.replace("\\", "") in capsys.readouterr().err


@pytest.mark.slow
@needs_main
def test_cifar10_smoke_run_plots_distinct_examples(shared_datasets, tmp_path):
    status = main(
        [
            "experiment",
            "cifar10",
            "--n-train",
            "300",
            "--n-test",
            "100",
            "--epochs",
            "2",
            "--reselect-every",
            "2",
            "--fractions",
            "0.2",
            "--runs",
            "1",
            "--evaluations",
            "2",
            "--out",
            str(tmp_path),
            "--no-progress",
        ]
    )
    assert status == 0
    results = json.loads((tmp_path / "results.json").read_text())
    craig_run = next(run for run in results["runs"] if run["method"] == "craig")
    assert [s["epoch"] for s in craig_run["selections"]] == [0]
    assert (tmp_path / "cifar10_vs_distinct_fraction.png").stat().st_size > 0


def test_cifar_augment_crops_and_flips():
    from torch.nn import functional as F

    from craig.experiments.cifar10 import augment

    torch.manual_seed(0)
    images = torch.randn(6, 3, 32, 32)
    crops = augment(images)
    padded = F.pad(images, (4, 4, 4, 4))
    for image, crop in zip(padded, crops, strict=True):
        windows = [image[:, a : a + 32, b : b + 32] for a in range(9) for b in range(9)]
        assert any(
            torch.equal(w, crop) or torch.equal(w.flip(-1), crop) for w in windows
        )


def test_fractions_take_spaces_or_commas():
    import argparse

    from craig.experiments._deep_cli import add_arguments, check_arguments
    from craig.experiments.mnist import DEFAULTS

    parser = argparse.ArgumentParser()
    add_arguments(parser, dict(DEFAULTS, fractions=[0.1], learning_rates=[0.5]))
    for argv in (["--fractions", "0.1", "0.2,0.4"], ["--fractions", "0.1,0.2,0.4"]):
        args = parser.parse_args(argv + ["--learning-rates", "0.2,0.5"])
        check_arguments(args)
        assert args.fractions == [0.1, 0.2, 0.4]
        assert args.learning_rates == [0.2, 0.5]
    args = parser.parse_args([])
    check_arguments(args)
    assert args.fractions == [0.1] and args.learning_rates == [0.5]
    with pytest.raises(SystemExit):
        parser.parse_args(["--fractions", "a,b"])
