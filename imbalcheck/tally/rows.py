"""Every row's label in file order, for aligning the rows of a features array with their classes."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import InputError
from ..labels import Cleanup, clean
from ..readers import kernels
from ..readers.columns import choose_label_column
from ..readers.spelling import arrow_labels
from .value_counts import int64_numpy


class RowLabels:
    """The label of each row (``None`` where missing), read and cleaned exactly as
    :class:`~.single.LabelCounts` counts them; memory: one int32 per row plus the distinct labels."""

    what = "labels"
    parallel = True
    lists = False

    def __init__(self, cleanup: Cleanup = Cleanup(), column=None, *, option: str = "--column NAME") -> None:
        self.cleanup = cleanup
        self.wanted = column
        self.option = option
        self.column = None
        self._name = ""
        self._distinct: dict = {}  # raw value -> id
        self._ids: list[np.ndarray] = []
        self.rows = 0

    def choose(self, name: str, columns: Sequence, kind: str = "columns") -> list[int]:
        i = choose_label_column(name, columns, self.wanted, option=self.option, kind=kind)
        self.column, self._name = columns[i], name
        return [i]

    def add(self, arrays) -> None:
        enc = kernels.dictionary_encode(kernels.decode(arrays[0]) if hasattr(arrays[0], "dictionary") else arrays[0])
        spelled = arrow_labels(enc.dictionary, self._name, self.column)
        ids = np.array([self._distinct.setdefault(x, len(self._distinct)) for x in spelled], dtype=np.int32)
        self._ids.append(ids[int64_numpy(enc.indices)])
        self.rows += len(arrays[0])

    def fork(self, first_row: int | None = None) -> RowLabels:
        part = RowLabels(self.cleanup, self.wanted, option=self.option)
        part.column, part._name = self.column, self._name
        return part

    def join(self, parts: Sequence[RowLabels]) -> None:
        for part in parts:
            recode = np.array([self._distinct.setdefault(x, len(self._distinct)) for x in part._distinct],
                              dtype=np.int32)
            self._ids += [recode[ids] for ids in part._ids]
            self.rows += part.rows

    def finish(self, name: str, what: str = "rows") -> list[str | None]:
        labels, codes = self.codes(name, what)
        return np.array([*labels, None], dtype=object)[codes].tolist()

    def codes(self, name: str, what: str = "rows") -> tuple[list[str], np.ndarray]:
        """(the distinct labels after the clean-ups, each row's index into them; -1 where missing)."""
        if not self.rows:
            raise InputError(f"{name}: no {what}; the input is empty")
        cleaned = clean(list(self._distinct), self.cleanup, source=name)
        labels = list(dict.fromkeys(x for x in cleaned if x is not None))
        index = {lab: i for i, lab in enumerate(labels)}
        recode = np.array([index.get(x, -1) if x is not None else -1 for x in cleaned] or [-1], dtype=np.int64)
        return labels, recode[np.concatenate(self._ids)] if self._ids else np.zeros(0, np.int64)


class RowCodes(RowLabels):
    """:class:`RowLabels` whose ``finish`` gives ``(labels, codes)``: the distinct labels and each
    row's index into them (-1 where missing), without a Python object per row."""

    def fork(self, first_row: int | None = None) -> RowCodes:
        part = RowCodes(self.cleanup, self.wanted, option=self.option)
        part.column, part._name = self.column, self._name
        return part

    def finish(self, name: str, what: str = "rows") -> tuple[list[str], np.ndarray]:
        return self.codes(name, what)
