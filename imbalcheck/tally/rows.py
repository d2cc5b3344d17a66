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
        if not self.rows:
            raise InputError(f"{name}: no {what}; the input is empty")
        labels = np.array(clean(list(self._distinct), self.cleanup, source=name) + [None], dtype=object)
        return labels[np.concatenate(self._ids)].tolist()
