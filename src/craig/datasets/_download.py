"""Where dataset files are looked for, and how a missing one is downloaded.

A file is looked for in ``data_home``, then ``$CRAIG_DATA``, then
``~/.cache/craig``, each with the layout ``<folder>/<dataset folder>/<file>``.
A missing file is downloaded into ``data_home`` (or ``~/.cache/craig``), through a
temporary file that is renamed only once its checksum matches, so an
interrupted download leaves nothing that looks complete.
"""

from __future__ import annotations

import hashlib
import logging
import os
import urllib.error
import urllib.request
from pathlib import Path

from craig._errors import DatasetNotFoundError
from craig._files import replace_atomically
from craig.datasets._registry import DataFile, DatasetInfo

logger = logging.getLogger(__name__)

DEFAULT_HOME = Path("~/.cache/craig")
_CHUNK = 1 << 20
_TIMEOUT_S = 30


def data_folders(data_home: str | os.PathLike | None = None) -> list[Path]:
    """The data folders in lookup order: data_home, $CRAIG_DATA, ~/.cache/craig.

    Parameters
    ----------
    data_home : str or path-like, default=None
        A folder looked at first; skipped when ``None``.

    Returns
    -------
    folders : list of Path
        Existing or not, without duplicates.
    """
    candidates = [data_home, os.environ.get("CRAIG_DATA") or None, DEFAULT_HOME]
    folders: list[Path] = []
    for candidate in candidates:
        if candidate is not None:
            folder = Path(candidate).expanduser()
            if folder not in folders:
                folders.append(folder)
    return folders


def find_file(info: DatasetInfo, file: DataFile, data_home=None) -> Path | None:
    """The first existing copy of ``file`` in the data folders, or ``None``."""
    for folder in data_folders(data_home):
        for name in file.names:
            path = folder / info.folder / name
            if path.is_file():
                return path
    return None


def download_folder(data_home=None) -> Path:
    """Where a download goes: ``data_home`` when given, else ``~/.cache/craig``.

    ``$CRAIG_DATA`` is only read from: it often names a shared, read-only copy.
    """
    folder = DEFAULT_HOME if data_home is None else Path(data_home)
    return folder.expanduser()


def fetch_file(info: DatasetInfo, file: DataFile, data_home=None) -> Path:
    """The path of ``file``: found in a data folder, or else downloaded.

    Raises
    ------
    DatasetNotFoundError
        When the file is nowhere and cannot be downloaded; the message names
        the file, its address and the folder to put it in.
    """
    path = find_file(info, file, data_home)
    if path is not None:
        return path
    target = download_folder(data_home) / info.folder / file.name
    try:
        _download(file, target)
    except (OSError, urllib.error.URLError, ValueError) as exc:
        message = _not_found_message(info, file, data_home, target, exc)
        raise DatasetNotFoundError(message) from exc
    return target


def _not_found_message(info, file, data_home, target, exc) -> str:
    where = ", ".join(str(folder) for folder in data_folders(data_home))
    also = f" (or as {' or '.join(file.aliases)})" if file.aliases else ""
    return (
        f"dataset {info.name!r}: file {file.name!r} was not found in the data "
        f"folders [{where}] and could not be downloaded from {file.url} "
        f"({exc}). Download it yourself and put it at {target}{also}, or pass "
        f"data_home= / set CRAIG_DATA to a folder holding "
        f"{info.folder}/{file.name}."
    )


def _download(file: DataFile, target: Path) -> None:
    from tqdm.auto import tqdm

    request = urllib.request.Request(file.url, headers={"User-Agent": "craig"})
    # Connect before creating any folder, so that offline leaves no trace.
    with urllib.request.urlopen(request, timeout=_TIMEOUT_S) as response:
        target.parent.mkdir(parents=True, exist_ok=True)
        logger.info("downloading %s to %s", file.url, target)
        total = int(response.headers.get("Content-Length") or 0) or None
        bar = tqdm(total=total, unit="B", unit_scale=True, desc=file.name)
        with replace_atomically(target) as temporary:
            with bar, open(temporary, "wb") as out:
                digest = _copy(response, out, bar)
            _check_digest(file, digest)


def _copy(response, out, bar) -> str:
    sha256 = hashlib.sha256()
    while chunk := response.read(_CHUNK):
        out.write(chunk)
        sha256.update(chunk)
        bar.update(len(chunk))
    return sha256.hexdigest()


def _check_digest(file: DataFile, digest: str) -> None:
    if file.sha256 is None:
        logger.warning("no known checksum for %s; sha256 is %s", file.url, digest)
    elif digest != file.sha256:
        raise ValueError(
            f"checksum mismatch for {file.url}: expected sha256 {file.sha256}, "
            f"got {digest}"
        )
