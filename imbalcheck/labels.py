"""Explicit label clean-up, applied to a counts table after reading: nothing implicit.

Labels are kept exactly as written unless the user asks otherwise:
``na_values`` turns listed texts into missing labels, ``strip`` removes
surrounding whitespace (merging labels that then coincide), ``numeric`` merges
labels that denote the same number ("01", "1", "1.0"). Texts that look like
missing values but are not listed are kept as classes, with a warning naming them.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable

import numpy as np

from .counts import Counts

#: Texts that pandas and others read as missing by default; here they are labels, with a warning.
NA_LOOKALIKES = frozenset({"NA", "N/A", "n/a", "NaN", "nan", "NAN", "null", "NULL", "Null", "None", "none",
                           "<NA>", "#N/A", "-nan", "-NaN", "nil", "NIL"})


def clean_labels(data: Counts, *, na_values: Iterable[str] = (), strip: bool = False, numeric: bool = False,
                 source: str = "input") -> Counts:
    """Apply the requested clean-ups and warn about missing-value look-alikes left as labels."""
    na = set(na_values)
    labels = data.labels.tolist()
    if strip:
        labels = [lab.strip() for lab in labels]
    if numeric:
        labels = [_canonical_number(lab) for lab in labels]
    missing = np.array([lab == "" or lab in na for lab in labels], dtype=bool)
    lookalikes = sorted({lab for lab, m in zip(labels, missing) if not m and lab in NA_LOOKALIKES})
    if lookalikes:
        shown = ", ".join(repr(x) for x in lookalikes)
        warnings.warn(f"{source}: label(s) {shown} look like missing values but are counted as classes; "
                      f"pass --na-values {','.join(lookalikes)} to treat them as missing", stacklevel=2)
    if not (strip or numeric or missing.any()):
        return data
    merged: dict[str, int] = {}
    for lab, n, m in zip(labels, data.counts.tolist(), missing.tolist()):
        if not m:
            merged[lab] = merged.get(lab, 0) + n
    n_missing = data.n_missing + int(data.counts[missing].sum())
    return Counts.from_codes(list(merged), np.fromiter(merged.values(), np.int64, len(merged)), n_missing)


def _canonical_number(label: str) -> str:
    """'01', '1', '1.0', '+1' -> '1'; '1.5' stays '1.5'; non-numbers unchanged."""
    try:
        value = float(label)
    except ValueError:
        return label
    if not math.isfinite(value):
        return label
    return str(int(value)) if value.is_integer() else repr(value)


def parse_na_values(text: str | None) -> tuple[str, ...]:
    """``"NA,null"`` -> ("NA", "null"); an empty item means the empty string."""
    return tuple(text.split(",")) if text else ()
