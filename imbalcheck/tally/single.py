"""Single-label consumer: one label per row, counted."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from ..counts import Counts
from ..errors import InputError, warn
from ..labels import Cleanup, clean, merge
from ..readers.columns import LABEL_NAMES, choose_label_column, count_column_named
from ..readers.spelling import arrow_labels, is_nested, label_kind, type_error
from .value_counts import Tally


def plural(n: int, noun: str) -> str:
    """``plural(1, "rows")`` -> "1 row"."""
    return f"{n:,} {noun[:-1] if n == 1 and noun.endswith('s') else noun}"


class LabelCounts:
    """label -> count over the label column, in memory bounded by the distinct labels."""

    what = "labels"
    parallel = True
    lists = False

    def __init__(self, cleanup: Cleanup = Cleanup(), column=None, *, option: str = "--column NAME",
                 names: Sequence[str] = LABEL_NAMES) -> None:
        self.cleanup = cleanup
        self.wanted = column
        self.option = option
        self.names = names
        self.column = None  # the column read, once chosen
        self.count_like: str | None = None  # a count-looking column beside it, for a hint
        self.kind: str | None = None
        self._name = ""
        self._tally = Tally()

    @property
    def rows(self) -> int:
        return self._tally.rows

    def choose(self, name: str, columns: Sequence, kind: str = "columns") -> list[int]:
        i = choose_label_column(name, columns, self.wanted, option=self.option, names=self.names, kind=kind)
        self.column, self._name = columns[i], name
        self.count_like = count_column_named(columns, i)
        return [i]

    def add(self, arrays) -> None:
        values = arrays[0]
        t = values.type.value_type if pa.types.is_dictionary(values.type) else values.type
        if is_nested(t):
            raise type_error(self._name, self.column, t)
        if self.kind is None:
            self.kind = label_kind(values.type)
        self._tally.add(values)

    def add_counted(self, values, counts: np.ndarray, kind: str | None = None) -> None:
        """Add already counted distinct ``values`` (an Arrow array) with their ``counts``."""
        self.kind = self.kind or kind
        self._tally.add_counts(values, np.asarray(counts, dtype=np.int64))

    def fork(self, first_row: int | None = None) -> LabelCounts:
        part = LabelCounts(self.cleanup, self.wanted, option=self.option, names=self.names)
        part.column, part.kind, part._name = self.column, self.kind, self._name
        return part

    def join(self, parts: Sequence[LabelCounts]) -> None:
        for part in parts:
            values, counts = part._tally.result()
            if values is not None:
                self._tally.add_counts(values, counts)
            self.kind = self.kind or part.kind

    def finish(self, name: str, what: str = "rows") -> Counts:
        """The counts, after spelling and clean-ups; an error when every label is missing."""
        values, n = self._tally.result()
        if values is None:
            raise InputError(f"{name}: no {what}; the input is empty")
        labels = clean(arrow_labels(values, name, self.column), self.cleanup, source=name)
        names, counts, n_missing = merge(labels, n)
        if not names:
            where = f" in column {str(self.column)!r}" if self.column is not None else ""
            raise InputError(f"{name}: every label is missing ({plural(self.rows, what)}, all empty or null{where}); "
                             "check --column or the input's contents")
        if self.count_like is not None and counts.max() == 1 and counts.size > 1:
            warn(f"{name}: every label appears once and there is a {self.count_like!r} column; "
                 "if this is a label,count table, pass --counts")
        return Counts.from_codes(names, counts, n_missing, self.kind)


def counts_from_pairs(name: str, values, counts, *, column=None, kind: str | None = None,
                      cleanup: Cleanup = Cleanup()) -> Counts:
    """Already counted (value, count) pairs (from a cluster's ``groupBy``, a ``Counter``) as
    :class:`Counts`: each value spelled once (:func:`~imbalcheck.readers.spelling.python_label`),
    then the same clean-ups and merge as every reader."""
    from ..readers.kernels import string_array
    from ..readers.spelling import python_label

    consumer = LabelCounts(cleanup)
    consumer.column = column
    labels = [v if type(v) is str else python_label(v) for v in values]
    consumer.add_counted(string_array(labels), np.asarray(counts, dtype=np.int64), kind)
    return consumer.finish(name)
