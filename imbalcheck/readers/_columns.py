"""Choosing the label (and count) column of a table."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import ConfigError, InputError

LABEL_NAMES = ("label", "labels", "target", "class", "y")
COUNT_NAMES = ("count", "n", "frequency", "freq")

_MAX_LISTED = 20


def _show(col) -> str:
    text = str(col)
    return repr(text) if (text == "" or text != text.strip() or "," in text) else text


def list_columns(columns: Sequence) -> str:
    shown = [_show(c) for c in columns[:_MAX_LISTED]]
    if len(columns) > _MAX_LISTED:
        shown.append(f"... ({len(columns) - _MAX_LISTED} more)")
    return ", ".join(shown) if shown else "(none)"


def _find(columns: Sequence, wanted) -> list[int]:
    hits = [i for i, c in enumerate(columns) if c == wanted]
    if not hits and not isinstance(wanted, str):
        return hits
    if not hits:  # non-string column names (e.g. a DataFrame with integer columns)
        hits = [i for i, c in enumerate(columns) if not isinstance(c, str) and str(c) == wanted]
    return hits


def _by_names(columns: Sequence, names: Sequence[str], skip: set[int]) -> int | None:
    lowered = [str(c).strip().lower() if i not in skip else None for i, c in enumerate(columns)]
    for i, low in enumerate(lowered):
        if low in names:
            return i
    return None


def choose_label_column(
    name: str,
    columns: Sequence,
    column=None,
    *,
    exclude: Sequence[int] = (),
    option: str = "--column NAME",
    kind: str = "columns",
) -> int:
    """Index of the label column.

    ``column`` if given (exact name); else the first column whose name is one of
    :data:`LABEL_NAMES` (case-insensitive); else the only column; else an error.
    Columns whose index is in ``exclude`` (the count column) are not candidates.
    """
    skip = set(exclude)
    if column is not None:
        hits = _find(columns, column)
        if not hits:
            raise InputError(
                f"{name}: no column named {str(column)!r}; available {kind}: {list_columns(columns)} (use {option})"
            )
        if len(hits) > 1:
            raise InputError(f"{name}: {len(hits)} columns are named {str(column)!r}; rename the duplicates first")
        if hits[0] in skip:
            raise ConfigError(f"{name}: column {str(column)!r} cannot be both the label column and the count column")
        return hits[0]
    found = _by_names(columns, LABEL_NAMES, skip)
    if found is not None:
        return found
    rest = [i for i in range(len(columns)) if i not in skip]
    if len(rest) == 1:
        return rest[0]
    if not columns:
        raise InputError(f"{name}: the table has no {kind}")
    raise InputError(
        f"{name}: cannot tell which column holds the labels; available {kind}: {list_columns(columns)} (use {option})"
    )


def choose_count_column(
    name: str,
    columns: Sequence,
    count_column=None,
    *,
    label_column=None,
    option: str = "--count-column NAME",
    kind: str = "columns",
) -> int:
    """Index of the count column of a label,count table."""
    if count_column is not None:
        hits = _find(columns, count_column)
        if not hits:
            raise InputError(
                f"{name}: no column named {str(count_column)!r}; available {kind}: {list_columns(columns)} (use {option})"
            )
        if len(hits) > 1:
            raise InputError(f"{name}: {len(hits)} columns are named {str(count_column)!r}; rename the duplicates first")
        return hits[0]
    skip = set(_find(columns, label_column)) if label_column is not None else set()
    found = _by_names(columns, COUNT_NAMES, skip)
    if found is None:
        raise InputError(
            f"{name}: no count column (named count, n, frequency or freq); available {kind}: "
            f"{list_columns(columns)} (use {option})"
        )
    return found


def choose_columns(name: str, columns: Sequence, column=None, *, counts: bool = False, count_column=None,
                   kind: str = "columns") -> list[int]:
    """``[label]``, or ``[label, count]`` for a label,count table (the count column is
    chosen first, so that it is not taken for the label)."""
    if not counts:
        return [choose_label_column(name, columns, column, kind=kind)]
    ci = choose_count_column(name, columns, count_column, label_column=column, kind=kind)
    return [choose_label_column(name, columns, column, exclude=[ci], kind=kind), ci]

