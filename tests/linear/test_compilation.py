"""The epoch kernels compile once, not per fit, and load from numba's cache."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import scipy.sparse as sp

from craig.linear import IGLogisticRegression

_FIT_ALL = """
import json, numpy as np, numba
from craig.linear import IGLogisticRegression, _kernels
X = np.random.default_rng(0).normal(size=(50, 3))
y = (X[:, 0] > 0).astype(int)
for name in ("sgd", "adam", "saga", "svrg"):
    IGLogisticRegression(optimizer=name, epochs=2).fit(X, y)
kernels = [v for v in vars(_kernels).values()
           if isinstance(v, numba.core.registry.CPUDispatcher)]
print(json.dumps({"misses": sum(sum(k.stats.cache_misses.values()) for k in kernels),
                  "hits": sum(sum(k.stats.cache_hits.values()) for k in kernels)}))
"""


def _signatures():
    import numba

    from craig.linear import _kernels

    return {
        name: len(value.signatures)
        for name, value in vars(_kernels).items()
        if isinstance(value, numba.core.registry.CPUDispatcher)
    }


def test_a_second_fit_compiles_nothing():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(80, 4)), rng.integers(0, 2, 80)
    for data in (X, sp.csr_matrix(X)):
        IGLogisticRegression(optimizer="saga", epochs=1).fit(data, y)
    before = _signatures()
    for data in (X * 2, sp.csr_matrix(X * 2)):
        for name in ("sgd", "momentum", "saga", "svrg"):
            IGLogisticRegression(optimizer=name, epochs=1, batch_size=3).fit(data, y)
    assert _signatures() == before


def test_a_second_process_loads_the_kernels_from_the_cache():
    def run():
        out = subprocess.run(
            [sys.executable, "-c", _FIT_ALL], capture_output=True, text=True, check=True
        ).stdout
        return json.loads(out.strip().splitlines()[-1])

    run()  # fills the cache if this checkout has not compiled yet
    second = run()
    assert second["misses"] == 0 and second["hits"] > 0
