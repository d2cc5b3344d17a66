"""Multi-label consumer: each row's label set, from a delimited column or from indicator columns.

Two layouts:

* **delimited**: one column whose cells list a sample's labels, ``cat|dog`` (``sep``
  chooses the separator), or a list column (Parquet, JSON). An empty cell (``""`` or a
  null; a CSV's empty field, a pandas NaN) is a sample with no labels, a negative for
  every label, unless ``empty_missing`` (``--empty-labels missing``) makes it a missing
  label set (counted in ``n_missing``, not a sample); an empty list is always a sample with
  no labels. Empty items (``cat||dog``, a trailing ``|``) are dropped with a warning; a
  repeated label counts once. The label clean-ups act on the labels; a cell whose every
  label is a ``--na-values`` text is missing.
* **indicator** (one-hot): one column per label holding 0/1 or true/false (1.0/0.0 too,
  any capitalisation, surrounding spaces ignored). A row with an empty or null indicator
  (or a ``--na-values`` text) is a missing sample; any other value is an error naming
  the column and the row.

Memory: each distinct label set is kept once (its sorted label codes); each row keeps
only the 4-byte id of its set, which iterative stratification (a per-sample algorithm)
needs in file order. A batch is dictionary-encoded first, so a cell that repeats is
split once per batch, not once per row.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from ..counts import LabelMatrix
from ..errors import InputError, warn
from ..labels import Cleanup, clean
from ..readers import kernels
from ..readers.columns import LABEL_SET_NAMES, choose_indicator_columns, choose_label_column
from ..readers.spelling import arrow_labels, is_text
from .value_counts import int64_numpy

_TRUE = frozenset({"1", "true", "1.0"})
_FALSE = frozenset({"0", "false", "0.0"})


class LabelSets:
    """Label sets of a stream of rows (see the module docstring)."""

    what = "label sets"
    parallel = True

    def __init__(self, cleanup: Cleanup = Cleanup(), *, sep: str = "|", column=None,
                 one_hot: Sequence[str] | None = None, one_hot_prefix: str | None = None,
                 option: str = "--column NAME", first_row: int = 0, sep_given: bool = False,
                 empty_missing: bool = False) -> None:
        self.empty_missing = empty_missing
        self._name = ""
        self.sep_given = sep_given
        self.split_text = False  # whether a text cell was split on sep (--sep acts only then)
        self.cleanup = cleanup
        self.sep = sep
        self.wanted = column
        self.one_hot = one_hot
        self.one_hot_prefix = one_hot_prefix
        self.indicator = one_hot is not None or one_hot_prefix is not None
        self.option = option
        self.column = None
        self.codes: dict[str, int] = {}  # label -> code, in order of appearance (indicators: column order)
        self._lock = threading.Lock()  # forks read in parallel share ``codes``
        self._keys: list = []  # per batch: its distinct label sets (sorted codes as int32 bytes, Arrow binary)
        self._ids: list[np.ndarray] = []  # per batch: each row's set, numbered across batches; -1 = missing
        self._n_keys = 0
        self.rows = 0
        self.first_row = first_row
        self.empty_items = 0

    @property
    def lists(self) -> bool:
        """Whether a list column (Parquet, JSON) is welcome: the delimited layout takes one."""
        return not self.indicator

    # -- columns ------------------------------------------------------------------------------
    def choose(self, name: str, columns: Sequence, kind: str = "columns") -> list[int]:
        self._name = name
        if not self.indicator:
            i = choose_label_column(name, columns, self.wanted, names=LABEL_SET_NAMES, option=self.option, kind=kind)
            self.column = columns[i]
            return [i]
        picked = choose_indicator_columns(name, columns, self.one_hot, self.one_hot_prefix, kind=kind)
        self.column = [str(columns[i]) for i in picked]
        self.set_names([c[len(self.one_hot_prefix):] if self.one_hot_prefix else c for c in self.column], name)
        return picked

    def set_names(self, names: Sequence[str], name: str) -> None:
        """The label names of indicator columns (one per column, in order)."""
        names = [str(x) for x in names]
        dup = sorted({x for x in names if names.count(x) > 1})
        if dup:
            raise InputError(f"{name}: label name(s) {dup[:3]} appear more than once; rename the duplicate columns")
        self.codes.clear()
        self.codes.update((x, i) for i, x in enumerate(names))

    # -- batches ------------------------------------------------------------------------------
    def add(self, arrays) -> None:
        if self.indicator:
            self._add_indicators(arrays)
        else:
            self._add_cells(arrays[0])

    def _add_cells(self, arr) -> None:
        """A delimited (or list) column: each distinct cell is split once."""
        if pa.types.is_list(arr.type) or pa.types.is_large_list(arr.type):  # Arrow cannot encode lists
            self._ids.append(self._cell_sets(arr).astype(np.int32))
        else:
            enc = arr if pa.types.is_dictionary(arr.type) else kernels.dictionary_encode(arr)
            index = enc.indices
            codes = int64_numpy(index).copy()
            codes[~kernels.valid(index)] = len(enc.dictionary)  # a null: one more cell, an empty one
            rows_per_cell = np.bincount(codes, minlength=len(enc.dictionary) + 1)
            cells = pa.concat_arrays([enc.dictionary, pa.nulls(1, enc.dictionary.type)])
            self._ids.append(self._cell_sets(cells, rows_per_cell)[codes].astype(np.int32))
        self.rows += len(arr)

    def _cell_sets(self, cells, rows_per_cell: np.ndarray | None = None) -> np.ndarray:
        """The set id of each distinct cell (-1 for a missing cell); ``rows_per_cell`` weighs the
        cells (rows that hold each), for the count of empty items."""
        t = cells.type
        if pa.types.is_list(t) or pa.types.is_large_list(t):
            return self._register_lists(cells, ~kernels.valid(cells), rows_per_cell)
        if not is_text(t):  # typed cells (numbers, booleans): one label each, spelled once
            cells = kernels.string_array(arrow_labels(cells, self._name, self.column))
        blank = _blank(cells)
        self.split_text = self.split_text or not blank.all()
        return self._register_lists(kernels.split_pattern(cells, self.sep), blank, rows_per_cell)

    def _register_lists(self, lists, blank: np.ndarray, rows_per_cell: np.ndarray | None = None) -> np.ndarray:
        """Set ids of the lists (one per cell); the ``blank`` cells (empty or null) have no labels, or
        are missing (-1) with ``empty_missing``."""
        missing = blank if self.empty_missing else np.zeros(blank.size, dtype=bool)
        n = len(lists)
        offsets = int64_numpy(kernels.cast(lists.offsets, pa.int64()))
        flat = lists.values.slice(offsets[0], offsets[-1] - offsets[0])
        owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(offsets))
        if len(flat):
            enc = kernels.dictionary_encode(flat)
            items = arrow_labels(enc.dictionary, self._name, self.column)
            with self._lock:  # a new label gets the next code, once, whichever fork meets it first
                item_code = np.array([-1 if x is None else self.codes.setdefault(x, len(self.codes)) for x in items],
                                     dtype=np.int64)
            code = item_code[int64_numpy(enc.indices)]
        else:
            code = np.zeros(0, np.int64)
        empty = (code < 0) & ~blank[owner]
        self.empty_items += int(empty.sum() if rows_per_cell is None else rows_per_cell[owner[empty]].sum())
        keep = (code >= 0) & ~blank[owner]  # "".split(sep) is [""]: no label
        return self._register(owner[keep], code[keep], n, missing)

    def _add_indicators(self, arrays) -> None:
        n = len(arrays[0])
        values = np.empty((n, len(arrays)), dtype=np.int8)
        for j, arr in enumerate(arrays):
            values[:, j] = self._indicator_column(arr, j)
        missing = (values < 0).any(axis=1)
        rows, cols = np.nonzero(values == 1)
        self._ids.append(self._register(rows.astype(np.int64), cols.astype(np.int64), n, missing).astype(np.int32))
        self.rows += n

    def _indicator_column(self, arr, j: int) -> np.ndarray:
        """-1 (missing), 0 or 1 for every row of one indicator column."""
        enc = kernels.dictionary_encode(kernels.decode(arr) if pa.types.is_dictionary(arr.type) else arr)
        spelled = arrow_labels(enc.dictionary, self._name, self.column[j])
        na = {v.strip().lower() for v in self.cleanup.na_values}
        value = np.empty(len(spelled), dtype=np.int8)
        for k, raw in enumerate(spelled):
            text = "" if raw is None else raw.strip().lower()
            if not text or text in na:
                value[k] = -1
            elif text in _TRUE:
                value[k] = 1
            elif text in _FALSE:
                value[k] = 0
            else:
                row = int(np.flatnonzero(int64_numpy(enc.indices) == k)[0])
                raise InputError(
                    f"{self._name}: indicator column {str(self.column[j])!r}, row {self.first_row + self.rows + row + 1}: "
                    f"value {spelled[k]!r} is not 0/1 or true/false; fix the value, or read a delimited label "
                    "column with --multi-label --column NAME"
                )
        return value[int64_numpy(enc.indices)]

    def add_matrix(self, Y, missing: np.ndarray) -> None:
        """An indicator matrix (numpy or scipy.sparse, 0/1) whose rows in ``missing`` are missing."""
        import scipy.sparse as sp

        csr = sp.csr_matrix(Y)
        csr.eliminate_zeros()
        rows, cols = csr.nonzero()
        n = csr.shape[0]
        self._ids.append(self._register(rows.astype(np.int64), cols.astype(np.int64), n, missing).astype(np.int32))
        self.rows += n

    def _register(self, owner: np.ndarray, code: np.ndarray, n: int, missing: np.ndarray) -> np.ndarray:
        """A provisional set number for each of ``n`` rows from its (row, label code) pairs (``missing``
        rows get -1): the batch's distinct sets are kept as Arrow binary keys, numbered after those of
        earlier batches; :meth:`finish` numbers the sets of all batches at once."""
        width = max(len(self.codes), 1)
        key = _sorted_unique(owner * width + code)  # by row, then code; a repeated label counts once
        owner, code = key // width, (key % width).astype("<i4")
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(owner, minlength=n), out=offsets[1:])
        enc = kernels.dictionary_encode(kernels.binary_keys(offsets, code))
        out = int64_numpy(enc.indices) + self._n_keys
        out[missing] = -1
        self._keys.append(enc.dictionary)
        self._n_keys += len(enc.dictionary)
        return out

    def python_lists(self, values, name: str, where: Sequence[str] | None = None):
        """Python label collections (one per sample) as a list<string> Arrow array.

        A set, list or tuple is the sample's labels (``str()`` of each, in the one spelling;
        an empty one is a sample with no label); a string is split on ``sep``; an empty string,
        ``None`` and NaN are empty cells (see the module docstring). ``where`` names each value for messages
        (default "item 1", "item 2", ...).
        """
        from ..readers.spelling import kind_of, python_label

        sep = self.sep
        out: list = []
        for i, v in enumerate(values):
            if v is None or (isinstance(v, float) and v != v):
                out.append(None)
            elif isinstance(v, str):
                out.append(v.split(sep) if v else None)
                self.split_text = self.split_text or bool(v)
            elif isinstance(v, (list, tuple, set, frozenset, np.ndarray)):
                items = []
                for x in (sorted(v, key=str) if isinstance(v, (set, frozenset)) else v):
                    try:
                        items.append(python_label(x))
                    except TypeError:
                        raise InputError(f"{name}: {where[i] if where else f'item {i + 1}'}: a label set holds "
                                         f"{kind_of(x)}; labels must be text or numbers") from None
                out.append([x for x in items if x is not None])
            else:
                try:
                    label = python_label(v)
                except TypeError:
                    label = None
                if label is None or isinstance(v, dict):
                    raise InputError(f"{name}: {where[i] if where else f'item {i + 1}'}: expected a list of labels or "
                                     f"a '{sep}'-separated string, got {kind_of(v)}")
                out.append(label.split(sep))
                self.split_text = True
        return kernels.list_array(out)

    # -- parallel pieces --------------------------------------------------------------------------
    def fork(self, first_row: int | None = None) -> LabelSets:
        """A part for a piece read on another thread: it shares this consumer's label codes (under a
        lock), so its label sets are keyed alike and :meth:`join` only renumbers them."""
        part = LabelSets(self.cleanup, sep=self.sep, column=self.wanted, one_hot=self.one_hot,
                         one_hot_prefix=self.one_hot_prefix, option=self.option, first_row=first_row or 0,
                         sep_given=self.sep_given, empty_missing=self.empty_missing)
        part.column, part._name, part.codes, part._lock = self.column, self._name, self.codes, self._lock
        return part

    def join(self, parts: Sequence[LabelSets]) -> None:
        """Append the parts' rows (in order) and their label sets."""
        for part in parts:
            for ids in part._ids:
                self._ids.append(np.where(ids < 0, -1, ids + self._n_keys).astype(np.int32))
            self._keys += part._keys
            self._n_keys += part._n_keys
            self.rows += part.rows
            self.empty_items += part.empty_items
            self.split_text = self.split_text or part.split_text

    # -- result -----------------------------------------------------------------------------------
    def _sets(self):
        """Every batch's label sets numbered at once: ``(flat, starts, sizes, set_of)`` where set ``s``
        holds the label codes ``flat[starts[s]:starts[s] + sizes[s]]`` (ascending) and ``set_of`` maps
        a row's provisional number to its set."""
        if not self._keys:
            empty = np.zeros(0, np.int64)
            return empty, empty, empty, empty
        enc = kernels.dictionary_encode(pa.concat_arrays(self._keys))
        keys = enc.dictionary
        offsets = np.frombuffer(keys.buffers()[1], dtype=np.int64, count=len(keys) + 1, offset=keys.offset * 8)
        data = keys.buffers()[2]
        flat = (np.frombuffer(data, dtype="<i4", count=int(offsets[-1] - offsets[0]) // 4, offset=int(offsets[0]))
                if data is not None and offsets[-1] > offsets[0] else np.zeros(0, "<i4"))
        return (flat, (offsets[:-1] - offsets[0]) // 4, np.diff(offsets) // 4,
                int64_numpy(enc.indices))

    def finish(self, name: str, what: str = "rows") -> LabelMatrix:
        import scipy.sparse as sp

        if self.sep_given and not self.split_text and self.rows:
            from ..errors import ConfigError

            raise ConfigError(f"--sep splits delimited text; the labels of {name} are lists already, with nothing "
                              "to split: drop --sep")
        if self.empty_items:
            warn(f"{name}: ignored {self.empty_items:,} empty label(s) between separators "
                 "(e.g. 'a||b' or a trailing separator)")
        names = list(self.codes)
        flat, starts, sizes, set_of = self._sets()
        rows = np.concatenate(self._ids) if self._ids else np.zeros(0, np.int32)
        merged = False  # whether a clean-up made two label sets one (their table is then recounted)
        if self.indicator:
            final = names
        else:  # clean-ups, then the label order of scikit-learn's MultiLabelBinarizer (sorted)
            cleaned = clean(names, self.cleanup, source=name)
            final = sorted({x for x in cleaned if x is not None})
            merged = len(final) != len(cleaned)
            rank = {x: i for i, x in enumerate(final)}
            recode = np.array([-1 if x is None else rank[x] for x in cleaned] or [0], dtype=np.int64)
            owner = np.repeat(np.arange(sizes.size, dtype=np.int64), sizes)
            code = recode[flat]
            width = max(len(final), 1)
            key = _sorted_unique(owner[code >= 0] * width + code[code >= 0])  # labels that now coincide count once
            # a --na-values text makes its cell missing; a label that --strip empties is an empty item
            na = np.array([c is None and not (self.cleanup.strip and not x.strip()) for x, c in zip(names, cleaned)]
                          or [False])
            n_na = np.bincount(owner[na[flat]], minlength=sizes.size)
            del owner, code
            new_sizes = np.bincount(key // width, minlength=sizes.size)
            # a set left with no label is missing when it held a --na-values text, else an empty cell
            gone = (sizes > 0) & (new_sizes == 0) & ((n_na > 0) | self.empty_missing)
            flat, sizes = (key % width).astype(np.int32 if width < 2**31 else np.int64), new_sizes
            del key
            starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
            set_of = np.where(gone[set_of], -1, set_of) if set_of.size else set_of
        ids = np.where(rows < 0, -1, set_of[np.maximum(rows, 0)] if set_of.size else -1).astype(np.int32)
        del rows
        labelled = ids[ids >= 0]
        if not labelled.size:
            if not self.rows:
                raise InputError(f"{name}: no {what}; the input is empty")
            raise InputError(f"{name}: every label set is missing ({self.rows:,} {what}); "
                             "check --column or the input's contents")
        lengths = sizes[labelled]
        indptr = np.zeros(labelled.size + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        # entry e of row i is flat[starts[set of i] + e - indptr[i]]: one offset per row, repeated, plus e
        small = np.int32 if max(int(indptr[-1]), flat.size) < 2**31 else np.int64  # half the memory
        pos = np.repeat((starts[labelled] - indptr[:-1]).astype(small), lengths)
        pos += np.arange(indptr[-1], dtype=small)
        indices = flat.astype(small, copy=False)[pos]
        del pos
        shape = (labelled.size, len(final))
        Y = sp.csr_matrix((np.ones(indices.size, dtype=bool), indices, indptr), shape=shape)
        return LabelMatrix([str(x) for x in final], Y, int(ids.size - labelled.size), ids >= 0,
                           None if merged else _table(flat, sizes, labelled, shape[1]))


def _table(flat: np.ndarray, sizes: np.ndarray, labelled: np.ndarray, q: int):
    """The :class:`~imbalcheck.multilabel.metrics.LabelSetTable` of the labelled rows' sets (``labelled``:
    each labelled row's set number), in order of first appearance among those rows (a set first met
    in a missing row, e.g. a one-hot row with an empty indicator, is not earlier for that)."""
    import scipy.sparse as sp

    from ..multilabel.metrics import LabelSetTable

    indptr = np.zeros(sizes.size + 1, dtype=np.int64)
    np.cumsum(sizes, out=indptr[1:])
    members = sp.csr_matrix((np.ones(flat.size, dtype=bool), flat, indptr), shape=(sizes.size, q))
    counts = np.bincount(labelled, minlength=sizes.size)
    first = np.full(sizes.size, labelled.size, dtype=np.int64)
    np.minimum.at(first, labelled, np.arange(labelled.size, dtype=np.int64))
    kept = np.flatnonzero(counts > 0)
    kept = kept[np.argsort(first[kept], kind="stable")]
    return LabelSetTable(members[kept], counts[kept].astype(np.int64))


def _blank(cells) -> np.ndarray:
    """Which text cells are empty ("" or null): from the offsets of a (large) string array, without
    turning the cells into Python strings."""
    t = cells.type
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        width = 8 if pa.types.is_large_string(t) else 4
        offsets = np.frombuffer(cells.buffers()[1], dtype=f"<i{width}", count=len(cells) + 1, offset=cells.offset * width)
        return (np.diff(offsets) == 0) | ~kernels.valid(cells)
    return np.array([x is None or x == "" for x in cells.to_pylist()], dtype=bool)


def _sorted_unique(keys: np.ndarray) -> np.ndarray:
    """``np.unique`` of integer keys by sorting (numpy's hash-based unique is several times slower here)."""
    keys = np.sort(keys)
    return keys[np.r_[True, keys[1:] != keys[:-1]]] if keys.size else keys
