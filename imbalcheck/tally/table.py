"""Label,count tables (``--counts``): one row per label with its number of samples."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..counts import Counts
from ..errors import InputError
from ..labels import Cleanup, clean, merge
from ..readers.columns import choose_count_column, choose_label_column
from ..readers.source import clip
from ..readers.spelling import arrow_labels, label_kind


def count_value(v, name: str, label, col) -> float:
    """One count as written (a number, or a text like "12"); NaN when missing."""
    if v is None:
        return float("nan")
    if isinstance(v, (bool, np.bool_)):
        raise _not_a_number(name, v, label, col)
    if isinstance(v, str):
        s = v.strip()
        if not s:
            return float("nan")
        try:
            return float(int(s))
        except ValueError:
            pass
        try:
            return float(s)
        except ValueError:
            raise _not_a_number(name, v, label, col) from None
    try:
        return float(v)
    except (TypeError, ValueError):
        raise _not_a_number(name, v, label, col) from None


def _not_a_number(name: str, v, label, col) -> InputError:
    return InputError(
        f"{name}: count {clip(repr(v), 40)} for label {clip(repr(label), 40)} is not a number; "
        f"column {str(col)!r} must hold whole numbers"
    )


def counts_table(name: str, labels: list, values, *, col=None, cleanup: Cleanup = Cleanup(),
                 kind: str | None = None) -> Counts:
    """Validate a label,count table (one row per label) and build :class:`Counts`.

    ``labels`` are spelled labels (``None`` = missing); ``values`` the counts as numbers or
    texts. A row whose label is missing adds its count to ``n_missing``. Negative,
    fractional and missing counts and duplicated labels are errors; zero counts are
    dropped with a warning; then the clean-ups apply (merging labels that coincide).
    """
    if isinstance(values, np.ndarray) and values.dtype.kind in "iuf":
        nums = values.astype(np.float64)
    else:
        nums = np.fromiter((count_value(v, name, lab, col) for v, lab in zip(values, labels)), np.float64,
                           len(labels))
    missing = np.fromiter((lab is None or lab == "" for lab in labels), bool, len(labels))
    n_missing = 0
    if missing.any():
        m = nums[missing]
        if np.isnan(m).any():
            raise InputError(f"{name}: missing count for a row with a missing label; fill or drop that row")
        if (m < 0).any():
            raise InputError(f"{name}: negative count for a row with a missing label; counts must be >= 0")
        if (m != np.floor(m)).any() or (m > 2**62).any():
            raise InputError(f"{name}: non-integer count for a row with a missing label; counts must be whole numbers")
        n_missing = int(m.sum())
    keep = ~missing
    kept = [lab for lab, k in zip(labels, keep.tolist()) if k]
    table = Counts.from_arrays(kept, nums[keep], n_missing, source=name, label_kind=kind)
    if table.n_classes == 0:
        if not kept:
            raise InputError(f"{name}: every label in the counts table is missing; check --column or the file's contents")
        raise InputError(f"{name}: every count in the table is zero; there are no samples to analyse")
    cleaned = clean(table.labels.tolist(), cleanup, source=name)
    names, counts, n_missing = merge(cleaned, table.counts, table.n_missing)
    if not names:
        raise InputError(f"{name}: every label in the counts table is missing; check --column or the file's contents")
    return Counts.from_codes(names, counts, n_missing, table.label_kind)


class CountsTable:
    """Consumer of a label,count table: collects both columns (a table has one row per label)."""

    what = "a label,count table"
    parallel = False
    lists = False

    def __init__(self, cleanup: Cleanup = Cleanup(), column=None, count_column=None, *,
                 option: str = "--column NAME") -> None:
        self.cleanup = cleanup
        self.wanted, self.wanted_count = column, count_column
        self.option = option
        self.column = self.count_column = None
        self.kind: str | None = None
        self._labels: list = []
        self._counts: list = []
        self.rows = 0

    def choose(self, name: str, columns: Sequence, kind: str = "columns") -> list[int]:
        ci = choose_count_column(name, columns, self.wanted_count, label_column=self.wanted, kind=kind)
        li = choose_label_column(name, columns, self.wanted, exclude=[ci], option=self.option, kind=kind)
        self.column, self.count_column = columns[li], columns[ci]
        return [li, ci]

    def add(self, arrays) -> None:
        labels, counts = arrays
        self.kind = self.kind or label_kind(labels.type)
        self._labels.append(labels)
        self._counts.append(counts)
        self.rows += len(labels)

    def finish(self, name: str, what: str = "rows") -> Counts:
        if not self.rows:
            raise InputError(f"{name}: no {what}; the table is empty")
        labels = [lab for arr in self._labels for lab in arrow_labels(arr, name, self.column)]
        values = _count_values(self._counts)
        return counts_table(name, labels, values, col=self.count_column, cleanup=self.cleanup, kind=self.kind)


def _count_values(arrays: list):
    """The count column as float64 numpy when it is numeric, else its values one by one."""
    import pyarrow as pa

    from ..readers import kernels

    numeric = all(pa.types.is_integer(a.type) or pa.types.is_floating(a.type) or pa.types.is_decimal(a.type)
                  or pa.types.is_null(a.type) for a in arrays)
    if numeric:
        parts = [kernels.float64_numpy(a) for a in arrays]
        return np.concatenate(parts) if parts else np.zeros(0)
    out: list = []
    for a in arrays:
        if pa.types.is_dictionary(a.type):
            a = kernels.decode(a)
        out += a.to_pylist()
    return out
