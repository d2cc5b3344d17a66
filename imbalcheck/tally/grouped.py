"""Grouped consumer: one label per row, counted separately for each value of a group column
(``profile --by split``)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from ..counts import Counts
from ..errors import ConfigError, InputError, warn
from ..labels import Cleanup, clean
from ..readers import kernels
from ..readers.columns import _named, choose_label_column
from ..readers.spelling import arrow_labels
from .single import LabelCounts, plural
from .value_counts import int64_numpy


#: Above this many groups ``--by`` warns that the column looks like an id.
MANY_GROUPS = 1000


class GroupedLabels:
    """label -> count for every value of the ``by`` column; memory bounded by groups x distinct labels.

    A row whose group value is missing belongs to no group (counted, and warned about).
    """

    what = "labels"
    parallel = True
    lists = False

    def __init__(self, by, cleanup: Cleanup = Cleanup(), column=None, *, option: str = "--column NAME") -> None:
        self.by = by
        self.cleanup = cleanup
        self.wanted = column
        self.option = option
        self.column = None
        self._name = ""
        self.groups: dict[str, LabelCounts] = {}
        self.no_group = 0
        self.rows = 0

    def choose(self, name: str, columns: Sequence, kind: str = "columns") -> list[int]:
        g = _named(name, columns, self.by, "--by COLUMN", kind)
        if self.wanted is not None and _named(name, columns, self.wanted, self.option, kind) == g:
            raise ConfigError(f"--by {self.by!s}: that is the label column; group by another column (e.g. split)")
        if len(columns) < 2:
            raise InputError(f"{name}: --by needs a group column beside the labels; the table has one {kind[:-1]}")
        i = choose_label_column(name, columns, self.wanted, exclude=[g], option=self.option, kind=kind)
        self.column, self._name = columns[i], name
        return [i, g]

    def _group(self, key: str) -> LabelCounts:
        part = self.groups.get(key)
        if part is None:
            part = self.groups[key] = LabelCounts(self.cleanup, self.wanted, option=self.option)
            part.column, part._name = self.column, self._name
        return part

    def add(self, arrays) -> None:
        labels, groups = arrays[0], arrays[1]
        enc = kernels.dictionary_encode(kernels.decode(groups) if hasattr(groups, "dictionary") else groups)
        # the label clean-ups (--strip, --na-values, ...) apply to group values too: " val" is val, NA no group
        keys = clean(arrow_labels(enc.dictionary, self._name, self.by), self.cleanup, source=self._name)
        codes = int64_numpy(enc.indices)
        self.rows += len(labels)
        for j, key in enumerate(keys):
            rows = np.flatnonzero(codes == j)
            if not rows.size:
                continue
            if key is None or key == "":
                self.no_group += int(rows.size)
            else:
                self._group(key).add([kernels.take(labels, pa.array(rows))])

    def fork(self, first_row: int | None = None) -> GroupedLabels:
        part = GroupedLabels(self.by, self.cleanup, self.wanted, option=self.option)
        part.column, part._name = self.column, self._name
        return part

    def join(self, parts: Sequence[GroupedLabels]) -> None:
        for part in parts:
            for key, counts in part.groups.items():
                self._group(key).join([counts])
                self._group(key).kind = self._group(key).kind or counts.kind
            self.no_group += part.no_group
            self.rows += part.rows

    def finish(self, name: str, what: str = "rows") -> dict[str, Counts]:
        """Each group's counts, the largest group first (ties by name)."""
        if not self.rows:
            raise InputError(f"{name}: no {what}; the input is empty")
        if not self.groups:
            raise InputError(f"{name}: every value of --by column {str(self.by)!r} is missing; check the column")
        if self.no_group:
            warn(f"{name}: {plural(self.no_group, what)} without a value in --by column {str(self.by)!r} left out "
                 "of every group")
        if len(self.groups) > MANY_GROUPS:
            warn(f"{name}: --by column {str(self.by)!r} has {len(self.groups):,} values; it looks like an id, not "
                 "a split or domain (each group gets a full profile)")
        out = {key: part.finish(f"{name} [{self.by}={key}]", what) for key, part in self.groups.items()}
        return dict(sorted(out.items(), key=lambda kv: (-kv[1].n_samples, kv[0])))
