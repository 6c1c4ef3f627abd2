import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from craig._budget import split_budget


def test_ijcnn1_split_is_largest_remainder():
    assert split_budget([45137, 4853], 4999).tolist() == [4514, 485]


@pytest.mark.parametrize(
    ("sizes", "total", "expected"),
    [
        ([10, 10, 10], 3, [1, 1, 1]),
        ([100, 1, 1], 3, [1, 1, 1]),
        ([1000, 1], 10, [9, 1]),
        ([5, 0, 5], 4, [2, 0, 2]),
        ([3, 3], 6, [3, 3]),
        ([100, 1, 1], 2, [1, 1, 0]),
    ],
)
def test_known_splits(sizes, total, expected):
    assert split_budget(sizes, total).tolist() == expected


@settings(max_examples=300, deadline=None)
@given(
    sizes=st.lists(st.integers(0, 500), min_size=1, max_size=12),
    data=st.data(),
)
def test_split_is_exact_and_feasible(sizes, data):
    n = sum(sizes)
    if n == 0:
        return
    total = data.draw(st.integers(1, n))
    shares = split_budget(sizes, total)
    sizes = np.array(sizes)
    assert shares.sum() == total
    assert (shares <= sizes).all()
    assert (shares >= 0).all()
    if total >= np.count_nonzero(sizes):
        assert (shares[sizes > 0] >= 1).all()
    # Never more than one point away from the proportional quota, except the
    # single points moved to classes that would otherwise be empty.
    quota = sizes * total / n
    moved = np.count_nonzero((np.floor(quota) == 0) & (sizes > 0))
    assert np.abs(shares - quota).max() < 1 + moved
