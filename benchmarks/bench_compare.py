"""craig against apricot's and submodlib's sparse facility location, on
kdd04-protein (145,751 x 74), 10% per class.

Each library runs per class, in a fresh process (peak memory is its own, the
data included): craig with backend="auto" (partition), craig's knn backend
with the same 64 neighbours as the others, apricot's
``FacilityLocationSelection(n_neighbors=64)`` (its sparse mode; its
"euclidean" is the squared distance) and submodlib's
``FacilityLocationFunction(mode="sparse", num_neighbors=64)`` with lazy greedy
(in its own virtual environment, given by $SUBMODLIB_PYTHON).

apricot 0.6.1's sparse mode fails as released with scipy >= 1.15
(``TypeError: No matching definition``: its numba kernel is typed for int32
indices and the neighbour graph now has int64 ones), so the script builds the
same graph apricot builds (scikit-learn's KNeighborsTransformer, similarity
max(d) - d), casts its indices to int32 and passes it as precomputed; the
graph's time is counted as apricot's. L(S) is computed for
every selection by craig's exact nearest-pick assignment with the Euclidean
distance. A run over TIMEOUT seconds is stopped and reported as such.
Writes bench_compare.md beside itself.

Usage: CRAIG_DATA=... PYTHONPATH=src python benchmarks/bench_compare.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
# submodlib-py needs its own virtual environment: point SUBMODLIB_PYTHON at its
# interpreter (e.g. .venv-submodlib/bin/python); without it submodlib is skipped.
SUBMODLIB_PYTHON = Path(
    os.environ.get("SUBMODLIB_PYTHON", ".venv-submodlib/bin/python")
)
TIMEOUT = 450
NEIGHBOURS = 64

CHILD = r"""
import json, resource, sys, time
import numpy as np
library, folder = sys.argv[1], sys.argv[2]
picks_all, seconds = [], 0.0
for c in range(int(sys.argv[3])):
    X = np.load(f"{folder}/class{c}.npy")
    k = max(1, round(0.1 * len(X)))
    started = time.perf_counter()
    if library.startswith("craig"):
        import craig
        options = {}
        if library == "craig-knn":
            options = {"backend": "knn", "n_neighbors": NEIGHBOURS}
        craig.select(X[:200], size=5, **options)
        started = time.perf_counter()
        picks = craig.select(X, size=k, random_state=0, **options).indices
    elif library == "apricot":
        from apricot import FacilityLocationSelection
        from sklearn.neighbors import KNeighborsTransformer
        def graph(X):
            # apricot's own sparse path, with int32 indices (see the docstring)
            G = KNeighborsTransformer(n_neighbors=NEIGHBOURS).fit_transform(X)
            G.data = G.data.max() - G.data
            G.indices, G.indptr = G.indices.astype("int32"), G.indptr.astype("int32")
            return G
        FacilityLocationSelection(5, metric="precomputed").fit(graph(X[:200]))
        started = time.perf_counter()
        model = FacilityLocationSelection(
            k, metric="precomputed", optimizer="lazy"
        ).fit(graph(X))
        picks = model.ranking
    else:
        from submodlib import FacilityLocationFunction
        function = FacilityLocationFunction(
            n=len(X), mode="sparse", data=X, metric="euclidean",
            num_neighbors=NEIGHBOURS,
        )
        found = function.maximize(
            budget=k, optimizer="LazyGreedy", stopIfZeroGain=False,
            stopIfNegativeGain=False, verbose=False,
        )
        picks = [i for i, _ in found]
    seconds += time.perf_counter() - started
    picks_all.append(np.asarray(picks, dtype=np.int64))
np.savez(f"{folder}/{library}.npz", *picks_all)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "peak_bytes": peak}))
""".replace("NEIGHBOURS", str(NEIGHBOURS))


def run(library: str, folder: str, n_classes: int) -> dict:
    python = SUBMODLIB_PYTHON if library == "submodlib" else Path(sys.executable)
    if not python.exists():
        return {"error": f"{python} does not exist"}
    try:
        out = subprocess.run(
            [str(python), "-c", CHILD, library, folder, str(n_classes)],
            capture_output=True, text=True, timeout=TIMEOUT,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"error": f"stopped after {TIMEOUT} s"}
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1][:200]}
    result = json.loads(out.stdout.strip().splitlines()[-1])
    with np.load(f"{folder}/{library}.npz") as saved:
        result["picks"] = [saved[f"arr_{c}"] for c in range(n_classes)]
    return result


def main() -> None:
    from craig.backends import _assign
    from craig.datasets import load

    data = load("kdd04-protein")
    classes = [data.X_train[data.y_train == c] for c in np.unique(data.y_train)]
    lines = [
        "# craig vs apricot (sparse) vs submodlib (sparse): kdd04-protein, 10% "
        "per class",
        "",
        f"Neighbours for the sparse modes: {NEIGHBOURS}. Peak memory is the whole "
        "process (data included).",
        "",
        "| library | time (s) | peak memory | L(S) (Euclidean) | vs craig |",
        "|---|---:|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory() as folder:
        for c, X in enumerate(classes):
            np.save(f"{folder}/class{c}.npy", X)
        craig_bound = None
        for library in ("craig", "craig-knn", "apricot", "submodlib"):
            started = time.perf_counter()
            result = run(library, folder, len(classes))
            print(library, {k: v for k, v in result.items() if k != "picks"},
                  f"{time.perf_counter() - started:.0f} s", flush=True)  # fmt: skip
            if "error" in result:
                lines.append(f"| {library} | - | - | - | {result['error']} |")
                continue
            bound = sum(
                _assign.weights_from_points(X, picks, "euclidean")[2]
                for X, picks in zip(classes, result["picks"])
            )
            craig_bound = craig_bound or bound
            lines.append(
                f"| {library} | {result['seconds']:.1f} | "
                f"{result['peak_bytes'] / 2**30:.2f} GiB | {bound:,.5g} | "
                f"{bound / craig_bound - 1:+.2%} |"
            )
    text = "\n".join(lines) + "\n"
    print(text)
    (HERE / "bench_compare.md").write_text(text)


if __name__ == "__main__":
    main()
