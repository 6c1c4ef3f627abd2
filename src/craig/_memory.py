"""How much memory there is, and sizes in words."""

from __future__ import annotations

import os


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
