"""In-memory label containers -> :class:`Counts`.

Accepted: a ``Counts`` (returned as is), a pandas Series / DataFrame / Index /
Categorical, a pyarrow Array / ChunkedArray / Table, a 1-D numpy array, a
mapping label -> count (a counts table), or any other iterable of labels.

Values become labels with ``str()`` (a string stays as it is); ``None``, NaN,
``pd.NA``, ``NaT`` and the empty string are missing labels, counted in
``n_missing``. pandas is imported only when ``obj`` is a pandas object.
"""

from __future__ import annotations

import dataclasses

from collections import Counter
from collections.abc import Iterable, Mapping

import numpy as np

from ..counts import Counts
from ..errors import ConfigError, InputError
from ._columns import choose_label_column

_OPTION = "column=NAME"


def counts_from_object(obj, *, column: str | None = None) -> Counts:
    if isinstance(obj, Counts):
        return obj
    module = type(obj).__module__ or ""
    if module.startswith("pandas"):
        return _from_pandas(obj, column)
    if module.startswith("pyarrow"):
        return _from_arrow(obj, column)
    if column is not None:
        raise ConfigError(
            f"{type(obj).__name__}: column={column!r} only applies to a DataFrame or table; drop it"
        )
    if isinstance(obj, np.ndarray):
        return _from_numpy(obj, "array")
    if isinstance(obj, Mapping):
        return _from_mapping(obj)
    if isinstance(obj, (str, bytes, bytearray)):
        raise InputError(
            f"{type(obj).__name__}: a single string is not a list of labels; pass a list, array or Series of labels"
        )
    if isinstance(obj, Iterable):
        return _from_values(list(obj), type(obj).__name__)
    raise InputError(
        f"{type(obj).__name__}: cannot count labels in this object; pass a Series, DataFrame, array, "
        "list of labels or a label -> count mapping"
    )


# -- helpers -----------------------------------------------------------------------------------------


def _is_missing(v) -> bool:
    if v is None:
        return True
    if isinstance(v, str):
        return v == ""
    name = type(v).__name__
    if name in ("NAType", "NaTType"):
        return True
    try:
        return bool(v != v)  # NaN, NaT
    except Exception:
        return False


def _label(v) -> str:
    return v if isinstance(v, str) else str(v)


def _build(name: str, counter: Mapping, n_missing: int, rows: int) -> Counts:
    if not counter:
        if rows == 0:
            raise InputError(f"{name}: no labels; the object is empty")
        raise InputError(f"{name}: every label is missing ({rows} values, all None, NaN or empty)")
    return Counts.from_codes(list(counter), np.fromiter(counter.values(), np.int64, len(counter)), n_missing)


def _from_values(values: list, name: str) -> Counts:
    """Count a list of arbitrary Python values."""
    counter = Counter(values) if all(type(k) is str for k in values[:1]) else None
    if counter is not None and all(type(k) is str for k in counter):
        missing = counter.pop("", 0)
        return _build(name, counter, missing, len(values))
    # mixed types: convert each value first (True and 1 must not merge)
    out: dict[str, int] = {}
    get = out.get
    missing = 0
    for v in values:
        if _is_missing(v):
            missing += 1
        else:
            s = _label(v)
            out[s] = get(s, 0) + 1
    return _build(name, out, missing, len(values))


def _from_numpy(arr: np.ndarray, name: str) -> Counts:
    """Count a 1-D array; numeric dtypes order as numbers, str and bool as text (as np.unique does)."""
    counts = _count_numpy(arr, name)
    kind = "number" if arr.dtype.kind in "iuf" else "text" if arr.dtype.kind in "Ub" else None
    return dataclasses.replace(counts, label_kind=kind)


def _count_numpy(arr: np.ndarray, name: str) -> Counts:
    if arr.ndim != 1:
        raise InputError(
            f"{name}: expected a 1-D array of labels, got shape {arr.shape}; pass one column, e.g. arr[:, 0]"
        )
    kind = arr.dtype.kind
    if kind in "iub" or kind == "U":
        uniques, counts = np.unique(arr, return_counts=True)
        out = dict(zip([_label(u) for u in uniques.tolist()], counts.tolist()))
        missing = out.pop("", 0)
        return _build(name, out, missing, arr.size)
    if kind == "f":
        nan = np.isnan(arr)
        uniques, counts = np.unique(arr[~nan], return_counts=True)
        out = {str(u): int(c) for u, c in zip(uniques, counts)}
        return _build(name, out, int(nan.sum()), arr.size)
    return _from_values(list(arr), name)


def _from_mapping(mapping: Mapping) -> Counts:
    from .tabular import counts_table

    labels = [None if _is_missing(k) else _label(k) for k in mapping.keys()]
    if not labels:
        raise InputError("mapping: no labels; the mapping is empty")
    return counts_table("mapping", labels, list(mapping.values()), col="values")


# -- pandas ------------------------------------------------------------------------------------------


def _from_pandas(obj, column) -> Counts:
    import pandas as pd

    if isinstance(obj, pd.DataFrame):
        cols = list(obj.columns)
        idx = choose_label_column("DataFrame", cols, column, option=_OPTION)
        return _from_series(obj.iloc[:, idx], f"DataFrame column {str(cols[idx])!r}")
    if column is not None:
        raise ConfigError(f"{type(obj).__name__}: column={column!r} only applies to a DataFrame; drop it")
    if isinstance(obj, pd.Series):
        return _from_series(obj, "Series" if obj.name is None else f"Series {str(obj.name)!r}")
    if isinstance(obj, (pd.Index, pd.Categorical)) or hasattr(obj, "__array__"):
        return _from_series(pd.Series(obj), type(obj).__name__)
    raise InputError(
        f"{type(obj).__name__}: cannot count labels in this pandas object; pass a Series or a DataFrame"
    )


def _from_series(s, name: str) -> Counts:
    import pandas as pd

    if isinstance(s, pd.DataFrame):  # duplicated column name
        raise InputError(f"{name}: more than one column has this name; rename the duplicates first")
    rows = len(s)
    missing_mask = s.isna()
    n_missing = int(missing_mask.sum())
    values = s[~missing_mask]
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(values.dtype.categories.dtype)
    numeric = pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype)
    kind = "number" if numeric else "text" if pd.api.types.infer_dtype(values, skipna=True) in ("string", "boolean") else None
    if values.dtype == object and pd.api.types.infer_dtype(values, skipna=False) not in ("string", "empty"):
        # mixed objects: convert first so that e.g. True, 1 and "1" stay apart
        values = values.map(_label)
    vc = values.value_counts(sort=False, dropna=True)
    out: dict[str, int] = {}
    for u, c in zip(vc.index.tolist(), vc.to_numpy().tolist()):
        if c <= 0:
            continue
        if _is_missing(u):
            n_missing += c
            continue
        lab = _label(u)
        out[lab] = out.get(lab, 0) + c
    return dataclasses.replace(_build(name, out, n_missing, rows), label_kind=kind)


# -- pyarrow -----------------------------------------------------------------------------------------


def _from_arrow(obj, column) -> Counts:
    import pyarrow as pa

    from .tabular import arrow_labels, finish
    from .tally import Tally

    name = type(obj).__name__
    if isinstance(obj, (pa.Table, pa.RecordBatch)):
        names = obj.schema.names
        idx = choose_label_column(name, names, column, option=_OPTION)
        arr, name = obj.column(idx), f"{name} column {names[idx]!r}"
        col = names[idx]
    elif isinstance(obj, (pa.Array, pa.ChunkedArray)):
        if column is not None:
            raise ConfigError(f"{name}: column={column!r} only applies to a table; drop it")
        arr, col = obj, None
    else:
        raise InputError(f"{name}: cannot count labels in this pyarrow object; pass an Array or a Table")
    tally = Tally()
    tally.add(arr)
    if tally.rows == 0:
        raise InputError(f"{name}: no labels; the object is empty")
    values, n = tally.result()
    return finish(name, arrow_labels(values, name, col), n, 0, rows=tally.rows, col=col, what="values")
