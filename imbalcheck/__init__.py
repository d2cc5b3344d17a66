"""imbalcheck: how badly a label distribution will hurt training, and what to do about it.

>>> import imbalcheck
>>> p = imbalcheck.profile({"cat": 900, "dog": 90, "axolotl": 10}, batch_size=32)
>>> round(p.imbalance_ratio)
90
"""

from __future__ import annotations

import os
from typing import Any

__version__ = "0.1.0"
__all__ = ["profile", "read_counts", "Options", "Profile", "Counts", "__version__"]


def profile(obj: Any, batch_size: int = 128, *, column: str | None = None, counts: bool = False,
            count_column: str | None = None, input_format: str | None = None, encoding: str = "utf-8",
            **options: Any):
    """Profile a label distribution.

    ``obj`` is a path (csv, tsv, parquet, jsonl, json, txt, optionally .gz; ``"-"`` for
    stdin), a pandas Series or DataFrame (with ``column``), a numpy array, a list of
    labels, a mapping label -> count, or a :class:`Counts`. Further keyword options
    (``top_k``, ``split``, ``folds``, ``seeds``, ``beta``) go to :class:`Options`.
    Returns a :class:`Profile`; ``.to_dict()`` is the versioned JSON document.
    """
    from .analysis import Options, analyze
    from .readers import counts_from_object, read_counts

    if isinstance(obj, (str, os.PathLike)):
        data = read_counts(obj, input_format=input_format, column=column, counts=counts,
                           count_column=count_column, encoding=encoding)
        source = os.fspath(obj)
    else:
        data = counts_from_object(obj, column=column)
        source = f"<{type(obj).__name__}>"
    return analyze(data, Options(batch_size=batch_size, **options), source=source)


def __getattr__(name: str):
    if name == "read_counts":
        from .readers import read_counts

        return read_counts
    if name == "Options":
        from .analysis import Options

        return Options
    if name == "Profile":
        from .result import Profile

        return Profile
    if name == "Counts":
        from .counts import Counts

        return Counts
    raise AttributeError(name)
