"""Choosing the columns a consumer reads: the label column, a count column, indicator columns.

One rule for every source (files, data frames, Arrow tables): a column named by the
user is taken exactly (and must be unique); otherwise the first column whose name is a
usual label name (case-insensitive, in column order), else the only column. Several
columns with usual label names are named in a warning; a duplicated column name is
an error, never a silent choice of the first one.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import ConfigError, InputError, warn

LABEL_NAMES = ("label", "labels", "target", "class", "y")
#: A multi-label column is also often called one of these.
LABEL_SET_NAMES = ("label", "labels", "tags", "target", "targets", "class", "classes", "y")
COUNT_NAMES = ("count", "n", "frequency", "freq")

_MAX_LISTED = 20


def show(col) -> str:
    """A column name for a message: quoted when it is empty, has surrounding spaces or a comma."""
    text = str(col)
    return repr(text) if (text == "" or text != text.strip() or "," in text) else text


def list_columns(columns: Sequence) -> str:
    shown = [show(c) for c in columns[:_MAX_LISTED]]
    if len(columns) > _MAX_LISTED:
        shown.append(f"... ({len(columns) - _MAX_LISTED} more)")
    return ", ".join(shown) if shown else "(none)"


def _find(columns: Sequence, wanted) -> list[int]:
    hits = [i for i, c in enumerate(columns) if c == wanted]
    if not hits:  # non-string column names (e.g. a DataFrame with integer columns)
        hits = [i for i, c in enumerate(columns) if not isinstance(c, str) and str(c) == str(wanted)]
    return hits


def _named(name: str, columns: Sequence, wanted, option: str, kind: str) -> int:
    hits = _find(columns, wanted)
    if not hits:
        raise InputError(
            f"{name}: no column named {str(wanted)!r}; available {kind}: {list_columns(columns)} (use {option})"
        )
    if len(hits) > 1:
        raise InputError(f"{name}: {len(hits)} {kind} are named {str(wanted)!r}; rename the duplicates first")
    return hits[0]


def _by_names(name: str, columns: Sequence, names: Sequence[str], skip: set[int], option: str, kind: str,
              what: str) -> int | None:
    """The first column (in column order) whose name is one of ``names``; warns when there are several."""
    hits = [i for i, c in enumerate(columns) if i not in skip and str(c).strip().lower() in names]
    if not hits:
        return None
    first = hits[0]
    same = [i for i in hits if columns[i] == columns[first]]
    if len(same) > 1:
        raise InputError(f"{name}: {len(same)} {kind} are named {str(columns[first])!r}; rename the duplicates "
                         f"or pick a column with {option}")
    if len(hits) > 1:
        others = ", ".join(repr(str(columns[i])) for i in hits[1:4])
        warn(f"{name}: {kind} {str(columns[first])!r} and {others} could each hold the {what}; "
             f"reading {str(columns[first])!r} (pick another with {option})")
    return first


def choose_label_column(
    name: str,
    columns: Sequence,
    column=None,
    *,
    exclude: Sequence[int] = (),
    names: Sequence[str] = LABEL_NAMES,
    option: str = "--column NAME",
    kind: str = "columns",
) -> int:
    """Index of the label column (see the module docstring). Columns in ``exclude`` (the count
    column) are not candidates."""
    skip = set(exclude)
    if column is not None:
        found = _named(name, columns, column, option, kind)
        if found in skip:
            raise ConfigError(f"{name}: column {str(column)!r} cannot be both the label column and the count column")
        return found
    found = _by_names(name, columns, names, skip, option, kind, "labels")
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


def choose_count_column(name: str, columns: Sequence, count_column=None, *, label_column=None,
                        option: str = "--count-column NAME", kind: str = "columns") -> int:
    """Index of the count column of a label,count table."""
    if count_column is not None:
        return _named(name, columns, count_column, option, kind)
    skip = set(_find(columns, label_column)) if label_column is not None else set()
    found = _by_names(name, columns, COUNT_NAMES, skip, option, kind, "counts")
    if found is None:
        raise InputError(
            f"{name}: no count column (named count, n, frequency or freq); available {kind}: "
            f"{list_columns(columns)} (use {option})"
        )
    return found


def count_column_named(columns: Sequence, label_index: int) -> str | None:
    """The name of a column other than the label column that looks like a count column, if any."""
    for i, c in enumerate(columns):
        if i != label_index and str(c).strip().lower() in COUNT_NAMES:
            return str(c)
    return None


def choose_indicator_columns(name: str, columns: Sequence, one_hot: Sequence[str] | None, prefix: str | None,
                             *, kind: str = "columns") -> list[int]:
    """Indices of one-hot indicator columns: the named ones, in the given order, or every column
    whose name starts with ``prefix`` (and is longer than it), in column order."""
    cols = [str(c) for c in columns]
    if prefix is not None:
        picked = [i for i, c in enumerate(cols) if c.startswith(prefix) and len(c) > len(prefix)]
        if not picked:
            raise InputError(f"{name}: no column name starts with {prefix!r}; available {kind}: {list_columns(cols)}")
    else:
        missing = [c for c in one_hot if c not in cols]
        if missing:
            more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
            raise InputError(f"{name}: no column named {missing[0]!r}{more}; available {kind}: {list_columns(cols)}")
        picked = [cols.index(c) for c in one_hot]
    dup = sorted({cols[i] for i in picked if cols.count(cols[i]) > 1})
    if dup:
        raise InputError(f"{name}: {kind} {dup[:3]} appear more than once; rename the duplicates first")
    return picked
