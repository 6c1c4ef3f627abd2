from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED_DATASETS = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"

if SHARED_DATASETS.is_dir():
    os.environ.setdefault("CRAIG_DATA", str(SHARED_DATASETS))


@pytest.fixture
def shared_datasets() -> Path:
    """The folder of real datasets beside the repository; skip when absent."""
    if not SHARED_DATASETS.is_dir():
        pytest.skip(f"the shared datasets folder {SHARED_DATASETS} is absent")
    return SHARED_DATASETS
