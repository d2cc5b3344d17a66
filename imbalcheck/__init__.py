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
            na_values: tuple[str, ...] = (), strip: bool = False, numeric_labels: bool = False, **options: Any):
    """Profile a label distribution.

    ``obj`` is a path (csv, tsv, parquet, jsonl, json, txt, optionally .gz; ``"-"`` for
    stdin), a pandas Series or DataFrame (with ``column``), a numpy array, a list of
    labels, a mapping label -> count, or a :class:`Counts`. ``na_values`` (texts to
    treat as missing), ``strip`` and ``numeric_labels`` are the explicit label
    clean-ups of :mod:`imbalcheck.labels`. Further keyword options
    (``top_k``, ``split``, ``folds``, ``seeds``, ``beta``) go to :class:`Options`.
    Returns a :class:`Profile`; ``.to_dict()`` is the versioned JSON document.
    """
    from .analysis import Options, analyze
    from .labels import clean_labels
    from .readers import counts_from_object, read_counts

    if isinstance(obj, (str, os.PathLike)):
        data = read_counts(obj, input_format=input_format, column=column, counts=counts,
                           count_column=count_column, encoding=encoding)
        source = os.fspath(obj)
    else:
        data = counts_from_object(obj, column=column)
        source = f"<{type(obj).__name__}>"
    data = clean_labels(data, na_values=na_values, strip=strip, numeric=numeric_labels, source=source)
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
