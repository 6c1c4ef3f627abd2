"""Named datasets in their upstream formats, and readers of data files.

``load(name)`` finds a named dataset in ``data_home``, ``$CRAIG_DATA`` or
``~/.cache/craig`` (downloading it when online); ``read_file(path)`` reads a
CSV, Parquet, NumPy or svmlight file into ``(X, y)``.
"""

from craig.datasets._load import Dataset, load
from craig.datasets._readers import FORMATS, read_file
from craig.datasets._registry import list_datasets

__all__ = ["FORMATS", "Dataset", "list_datasets", "load", "read_file"]
