"""Kernels compile once after install, and never again per call."""

import json
import subprocess
import sys

import numpy as np

import craig

_COUNT_COMPILATIONS = """
import json, numpy as np, numba, craig
from craig import _distances, _greedy, _weights
X = np.random.default_rng(0).normal(size=(300, 4))
for method in ("lazy", "stochastic", "naive"):
    craig.select(X, np.arange(300) % 2, size=20, method=method, random_state=0)
kernels = [v for m in (_distances, _greedy, _weights) for v in vars(m).values()
           if isinstance(v, numba.core.registry.CPUDispatcher)]
print(json.dumps({"misses": sum(sum(k.stats.cache_misses.values()) for k in kernels),
                  "hits": sum(sum(k.stats.cache_hits.values()) for k in kernels)}))
"""


def _kernels():
    import numba

    from craig import _distances, _greedy, _weights

    return [
        value
        for module in (_distances, _greedy, _weights)
        for value in vars(module).values()
        if isinstance(value, numba.core.registry.CPUDispatcher)
    ]


def test_a_second_select_compiles_nothing():
    X = np.random.default_rng(1).normal(size=(400, 3))
    craig.select(X, size=10)
    before = {kernel: len(kernel.signatures) for kernel in _kernels()}
    craig.select(X * 2, size=25)
    assert {kernel: len(kernel.signatures) for kernel in _kernels()} == before


def test_a_second_process_loads_kernels_from_the_cache():
    def run():
        out = subprocess.run(
            [sys.executable, "-c", _COUNT_COMPILATIONS],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return json.loads(out.strip().splitlines()[-1])

    run()  # fills the cache if this checkout has not compiled yet
    second = run()
    assert second["misses"] == 0
    assert second["hits"] > 0
