"""Explicit label clean-ups, applied to the distinct labels a reader found: nothing implicit.

Labels are kept as written (in the one spelling of :mod:`imbalcheck.readers.spelling`)
unless the user asks otherwise: ``strip`` removes surrounding whitespace (merging labels
that then coincide), ``na_values`` turns listed texts into missing labels, ``numeric``
merges labels that denote the same number ("01", "1", "1.0"). Texts that look like
missing values but are not listed are kept as classes, with a warning naming them.

Every reader (files, in-memory objects, multi-label label names) calls :func:`clean` on
its distinct labels, so the clean-ups act the same way on every input.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .counts import Counts
from .errors import warn
from .readers.spelling import canonical_number, text_label

#: Texts that pandas and others read as missing by default; here they are labels, with a warning.
NA_LOOKALIKES = frozenset({"NA", "N/A", "n/a", "NaN", "nan", "NAN", "null", "NULL", "Null", "None", "none",
                           "<NA>", "#N/A", "-nan", "-NaN", "nil", "NIL"})


@dataclass(frozen=True)
class Cleanup:
    """The clean-ups a user asked for (``--na-values``, ``--strip``, ``--numeric-labels``)."""

    na_values: frozenset[str] = frozenset()
    strip: bool = False
    numeric: bool = False


def clean(labels: Sequence[str | None], cleanup: Cleanup = Cleanup(), *, source: str = "input") -> list[str | None]:
    """The distinct ``labels`` (``None`` = missing) after the clean-ups, aligned with the input.

    Order: strip, then ``na_values`` (and the empty string) become missing, then each
    text gets its one spelling (:func:`~imbalcheck.readers.spelling.text_label`), then
    numbers merge (``numeric``). Look-alikes of missing values left as labels are named
    in a warning.
    """
    out = list(labels)
    if cleanup.strip:
        out = [x if x is None else x.strip() for x in out]
    na = cleanup.na_values
    out = [None if x is None or x == "" or x in na else x for x in out]
    out = [x if x is None else text_label(x) for x in out]
    if cleanup.numeric:
        out = [x if x is None else canonical_number(x) for x in out]
    lookalikes = sorted({x for x in out if x in NA_LOOKALIKES})
    if lookalikes:
        shown = ", ".join(repr(x) for x in lookalikes)
        warn(f"{source}: label(s) {shown} look like missing values but are counted as classes; "
             f"pass --na-values {','.join(lookalikes)} to treat them as missing")
    return out


def merge(labels: Sequence[str | None], counts: Iterable[int], n_missing: int = 0) -> tuple[list[str], np.ndarray, int]:
    """Add up the counts of equal labels; a missing label's count goes to ``n_missing``.

    The one place where "label -> count, missing -> n_missing" is written.
    """
    merged: dict[str, int] = {}
    get = merged.get
    for lab, n in zip(labels, counts.tolist() if isinstance(counts, np.ndarray) else counts):
        if lab is None:
            n_missing += n
        else:
            merged[lab] = get(lab, 0) + n
    return list(merged), np.fromiter(merged.values(), np.int64, len(merged)), int(n_missing)


def clean_labels(data: Counts, *, na_values: Iterable[str] = (), strip: bool = False, numeric: bool = False,
                 source: str = "input") -> Counts:
    """:func:`clean` applied to a counts table (classes that coincide are merged)."""
    cleaned = clean(data.labels.tolist(), Cleanup(frozenset(na_values), strip, numeric), source=source)
    if cleaned == data.labels.tolist():
        return data
    labels, counts, n_missing = merge(cleaned, data.counts, data.n_missing)
    return Counts.from_codes(labels, counts, n_missing, data.label_kind)


def parse_na_values(text: str | Sequence[str] | None) -> tuple[str, ...]:
    """``"NA,null"`` -> ("NA", "null"); a sequence is taken as it is; an empty item means the empty string."""
    if not text:
        return ()
    return tuple(text.split(",")) if isinstance(text, str) else tuple(str(x) for x in text)
