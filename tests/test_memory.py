import numpy as np
import pytest

from craig._memory import empty_prefaulted, format_bytes


@pytest.mark.parametrize("shape", [(3, 4), (2100, 2100)])
def test_prefaulted_arrays_behave_like_empty(shape):
    array = empty_prefaulted(shape, np.float32)
    assert array.shape == shape and array.dtype == np.float32
    assert array.flags["C_CONTIGUOUS"] and array.flags["WRITEABLE"]
    array[...] = 2.5
    assert float(array.sum()) == 2.5 * array.size


def test_format_bytes():
    assert format_bytes(512) == "512 B"
    assert format_bytes(1536) == "1.5 KiB"
    assert format_bytes(3 * 2**30) == "3.0 GiB"
