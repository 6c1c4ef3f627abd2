"""Output files that appear whole or not at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


@contextlib.contextmanager
def replace_atomically(path):
    """Yield a temporary path beside ``path``; on success rename it to ``path``.

    The file gets the permissions an ordinary new file would (``0666`` less the
    umask), not the private ``0600`` of a temporary file. On any exception,
    KeyboardInterrupt included, the temporary file is removed and ``path`` is
    left as it was.
    """
    path = Path(path)
    handle, tmp = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    os.close(handle)
    try:
        yield tmp
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
