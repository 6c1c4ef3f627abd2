"""How much memory there is, and sizes in words."""

from __future__ import annotations

import mmap
import os

import numpy as np


def available_bytes() -> int:
    """Memory available to new allocations now (Linux: MemAvailable)."""
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")


def memory_budget(max_memory: int | None) -> int:
    """Bytes a selection may allocate: ``max_memory`` or 80% of what is free."""
    free = int(0.8 * available_bytes())
    return free if max_memory is None else min(max_memory, free)


def format_bytes(n_bytes: float) -> str:
    """``1536`` -> ``'1.5 KiB'``."""
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(n_bytes) < 1024 or unit == "GiB":
            return f"{n_bytes:.1f} {unit}" if unit != "B" else f"{int(n_bytes)} B"
        n_bytes /= 1024
    return f"{n_bytes:.1f} GiB"


# Linux 5.14+: fault in a whole range with one call. This VM pays dearly per
# page fault (400 MB: 0.5-1.1 s touched page by page, 0.33 s populated).
_MADV_POPULATE_WRITE = getattr(mmap, "MADV_POPULATE_WRITE", 23)
_PREFAULT_MIN_BYTES = 16 << 20


def empty_prefaulted(shape, dtype=np.float32) -> np.ndarray:
    """``np.empty(shape, dtype)``, with its pages faulted in up front when large.

    Large arrays come from an anonymous mapping advised for huge pages and
    populated by one ``madvise`` call; where that is not supported this falls
    back to ``np.empty``. The mapping lives as long as the array.
    """
    n_bytes = int(np.prod(shape)) * np.dtype(dtype).itemsize
    if n_bytes < _PREFAULT_MIN_BYTES or not hasattr(mmap.mmap, "madvise"):
        return np.empty(shape, dtype=dtype)
    mapping = mmap.mmap(-1, n_bytes)
    try:
        if hasattr(mmap, "MADV_HUGEPAGE"):
            mapping.madvise(mmap.MADV_HUGEPAGE)
        mapping.madvise(_MADV_POPULATE_WRITE)
    except OSError:
        pass  # an older kernel: pages fault in on first touch, as with np.empty
    return np.frombuffer(mapping, dtype=dtype).reshape(shape)
