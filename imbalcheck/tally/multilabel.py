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

Memory: each distinct label set is kept once; each row keeps only the 4-byte number of
its set, which iterative stratification (a per-sample algorithm) needs in file order
(:class:`~imbalcheck.multilabel.setrows.SetRows`). A batch's sets are keyed by one
64-bit number each (:func:`_set_keys`: up to four label codes of 16 bits; larger sets
by their bytes) and the batches' keys are numbered at once by a sort at the end. A
batch is dictionary-encoded first, so a cell that repeats is split once per batch,
unless most cells of the first batch were distinct.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from ..counts import LabelMatrix
from ..multilabel.setrows import SetRows, bincount, first_of_runs, key_items, ranges, sort_columns, sort_within
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
    encoded_cells = False  # the parallel CSV reader hands plain text: :meth:`_add_cells` decides whether to encode

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
        self._keys: list = []  # (first provisional number, distinct packed sets of a batch: uint64 numpy)
        self._wide: list = []  # (first provisional number, binary keys) of the batches' sets too large to pack
        self._ids: list[np.ndarray] = []  # per batch: each row's set, numbered across batches; -1 = missing
        self._n_keys = 0
        self.rows = 0
        self.first_row = first_row
        self.empty_items = 0
        self._rows_distinct = False  # whether cells are split row by row (see _add_cells)

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
        # Arrow's allocator keeps what a batch freed for Arrow's next use, but what this consumer keeps
        # is numpy's: hand it back, or it adds to the peak (about a third of it at 5M rows)
        pa.default_memory_pool().release_unused()

    def _add_cells(self, arr) -> None:
        """A delimited (or list) column: each distinct cell is split once, unless most cells of the
        first batch were distinct (then encoding the cells costs more than it saves, and each row is
        split as it comes)."""
        if pa.types.is_list(arr.type) or pa.types.is_large_list(arr.type) or self._rows_distinct:
            self._ids.append(self._cell_sets(arr).astype(np.int32))  # Arrow cannot encode lists
        else:
            enc = arr if pa.types.is_dictionary(arr.type) else kernels.dictionary_encode(arr)
            index = enc.indices
            codes = int64_numpy(index).copy()
            cells = enc.dictionary
            if index.null_count:  # a null: one more cell, an empty one
                codes[~kernels.valid(index)] = len(cells)
                cells = pa.concat_arrays([cells, pa.nulls(1, cells.type)])
            rows_per_cell = np.bincount(codes, minlength=len(cells))
            self._ids.append(self._cell_sets(cells, rows_per_cell)[codes].astype(np.int32))
            self._rows_distinct = (not self.rows and len(arr) >= 10_000 and 2 * len(cells) > len(arr)
                                   and not pa.types.is_dictionary(arr.type))
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
        offsets = offsets - offsets[0]
        if len(flat):
            enc = kernels.dictionary_encode(flat)
            items = arrow_labels(enc.dictionary, self._name, self.column)
            with self._lock:  # a new label gets the next code, once, whichever fork meets it first
                item_code = np.array([-1 if x is None else self.codes.setdefault(x, len(self.codes)) for x in items],
                                     dtype=np.int64)
            code = item_code[int64_numpy(enc.indices)]
        else:
            code = np.zeros(0, np.int64)
        sizes = np.diff(offsets)
        if (code >= 0).all() and not sizes[blank].any():
            # no empty item ("".split(sep) is [""]) and no blank cell with items (an Arrow null list may
            # still span values): nothing to drop
            return self._register(offsets, code, n, missing)
        owner = np.repeat(np.arange(n, dtype=np.int64), sizes)
        empty = (code < 0) & ~blank[owner]
        self.empty_items += int(empty.sum() if rows_per_cell is None else rows_per_cell[owner[empty]].sum())
        keep = (code >= 0) & ~blank[owner]
        return self._register(_offsets(owner[keep], n), code[keep], n, missing)

    def _add_indicators(self, arrays) -> None:
        n = len(arrays[0])
        values = np.empty((n, len(arrays)), dtype=np.int8)
        for j, arr in enumerate(arrays):
            values[:, j] = self._indicator_column(arr, j)
        missing = (values < 0).any(axis=1)
        rows, cols = np.nonzero(values == 1)
        self._ids.append(self._register(_offsets(rows, n), cols.astype(np.int64), n, missing).astype(np.int32))
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
        self._ids.append(self._register(_offsets(rows, n), cols.astype(np.int64), n, missing).astype(np.int32))
        self.rows += n

    def _register(self, offsets: np.ndarray, code: np.ndarray, n: int, missing: np.ndarray) -> np.ndarray:
        """A provisional set number for each of ``n`` rows from its label codes (row i's are
        ``code[offsets[i]:offsets[i + 1]]``; ``missing`` rows get -1): the batch's distinct sets are
        kept as keys (:func:`_set_keys`, distinct by :func:`_numbered`), numbered after those of
        earlier batches; :meth:`finish` numbers the sets of all batches at once."""
        packed, wide = _set_keys(offsets, code)
        out = np.empty(n, dtype=np.int64)
        fits = packed != _WIDE
        keys, out[fits] = _numbered([packed if wide is None else packed[fits]], len(self.codes))
        self._keys.append((self._n_keys, keys))
        self._n_keys += keys.size
        if wide is not None:  # sets too large to pack: their codes as binary keys
            enc = kernels.dictionary_encode(wide)
            out[~fits] = int64_numpy(enc.indices) + keys.size
            self._wide.append((self._n_keys, enc.dictionary))
            self._n_keys += len(enc.dictionary)
        out += self._keys[-1][0]
        out[missing] = -1
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
            self._keys += [(first + self._n_keys, keys) for first, keys in part._keys]
            self._wide += [(first + self._n_keys, keys) for first, keys in part._wide]
            self._n_keys += part._n_keys
            self.rows += part.rows
            self.empty_items += part.empty_items
            self.split_text = self.split_text or part.split_text

    # -- result -----------------------------------------------------------------------------------
    def _sets(self):
        """Every batch's label sets numbered at once: ``(flat, starts, sizes, set_of)`` where set ``s``
        holds the label codes ``flat[starts[s]:starts[s] + sizes[s]]`` (ascending) and ``set_of`` maps
        a row's provisional number to its set. The packed sets are numbered in the order of their
        keys (one sort of every batch's distinct keys, :func:`_numbered`; no hash table: at 5M rows
        it took a third of the memory and a fifth of the time of Arrow's), the wide ones (if any)
        after them."""
        set_of = np.empty(self._n_keys, dtype=np.int32)
        flat, ptr = np.zeros(0, np.int32), np.zeros(1, np.int64)
        if self._keys:
            parts = [k for _, k in self._keys]
            self._keys = [(first, k.size) for first, k in self._keys]  # parts holds the batches' keys now
            distinct, number = _numbered(parts, len(self.codes))  # ... and lets go of them as it reads them
            flat, ptr = _unpack(distinct)
            _place(set_of, self._keys, number)
            del number
        if self._wide:
            enc = kernels.dictionary_encode(pa.concat_arrays([keys for _, keys in self._wide]))
            _place(set_of, [(first, len(k)) for first, k in self._wide], int64_numpy(enc.indices) + ptr.size - 1)
            items, item_ptr = key_items(enc.dictionary, np.dtype("<i4"))
            flat = np.concatenate([flat, items])
            ptr = np.concatenate([ptr, item_ptr[1:] + ptr[-1]])
        self._keys, self._wide = [], []
        return flat, ptr[:-1], np.diff(ptr), set_of

    def finish(self, name: str, what: str = "rows") -> LabelMatrix:
        if self.sep_given and not self.split_text and self.rows:
            from ..errors import ConfigError

            raise ConfigError(f"--sep splits delimited text; the labels of {name} are lists already, with nothing "
                              "to split: drop --sep")
        if self.empty_items:
            warn(f"{name}: ignored {self.empty_items:,} empty label(s) between separators "
                 "(e.g. 'a||b' or a trailing separator)")
        names = list(self.codes)
        flat, starts, sizes, set_of = self._sets()
        if self.indicator:
            final = names
        else:  # clean-ups, then the label order of scikit-learn's MultiLabelBinarizer (sorted)
            cleaned = clean(names, self.cleanup, source=name)
            final = sorted({x for x in cleaned if x is not None})
            rank = {x: i for i, x in enumerate(final)}
            recode = np.array([-1 if x is None else rank[x] for x in cleaned] or [0], dtype=np.int32)
            if len(final) == len(cleaned) and not (recode < 0).any():
                # a renaming keeps the sets distinct; their labels, ascending in the new order
                flat = recode[flat]
                sort_within(np.r_[starts, flat.size], flat)
            else:
                flat, starts, sizes, set_of = self._merged(flat, sizes, set_of, recode,
                                                           [c is None and not (self.cleanup.strip and not x.strip())
                                                            for x, c in zip(names, cleaned)])
        rows, present = self._row_sets(set_of)
        if not rows.size:
            if not self.rows:
                raise InputError(f"{name}: no {what}; the input is empty")
            raise InputError(f"{name}: every label set is missing ({self.rows:,} {what}); "
                             "check --column or the input's contents")
        return LabelMatrix([str(x) for x in final], _set_rows(flat, starts, sizes, rows, len(final)),
                           self.rows - rows.size, present)

    def _merged(self, flat, sizes, set_of, recode, na: list[bool]):
        """The sets after a clean-up dropped labels (``recode`` -1) or made two one: ``(flat, starts,
        sizes, set_of)`` as :meth:`_sets` gives them, the sets that became equal numbered once. A set
        left with no label is missing (its rows' ``set_of`` -1) when it held a ``--na-values`` text
        (``na`` per label code) or with ``--empty-labels missing``, else it is the empty set."""
        owner = np.repeat(np.arange(sizes.size, dtype=np.int64), sizes)
        code = recode[flat].astype(np.int64)
        width = max(int(recode.max()) + 1, 1)
        key = _sorted_unique(owner[code >= 0] * width + code[code >= 0])  # labels that now coincide count once
        n_na = np.bincount(owner[np.array(na or [False])[flat]], minlength=sizes.size)
        del owner, code
        new_sizes = np.bincount(key // width, minlength=sizes.size)
        gone = (sizes > 0) & (new_sizes == 0) & ((n_na > 0) | self.empty_missing)
        flat = (key % width).astype(np.int32)
        del key
        set_of = np.where(gone[set_of], -1, set_of) if set_of.size else set_of
        enc = kernels.dictionary_encode(kernels.binary_keys(np.r_[0, np.cumsum(new_sizes)], flat))
        flat, ptr = key_items(enc.dictionary, np.dtype("<i4"))
        set_of = np.where(set_of < 0, -1, int64_numpy(enc.indices)[np.maximum(set_of, 0)])
        return flat, ptr[:-1], np.diff(ptr), set_of

    def _row_sets(self, set_of: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """Each labelled row's set (int32, rows in order), batch by batch so that no second per-row
        array of provisional numbers is held, and which rows have a set (None when every row has)."""
        rows, at, present = np.empty(self.rows, dtype=np.int32), 0, []  # pages are taken as they are written
        while self._ids:
            ids = self._ids.pop(0)
            ids = np.where(ids < 0, -1, set_of[np.maximum(ids, 0)] if set_of.size else -1).astype(np.int32)
            keep = ids >= 0
            present.append(keep)
            kept = ids if keep.all() else ids[keep]
            rows[at:at + kept.size] = kept
            at += kept.size
        rows = rows[:at].copy() if at <= rows.size // 2 else rows[:at]  # mostly missing: don't keep the rest
        return rows, None if all(p.all() for p in present) else np.concatenate(present)


def _numbered(parts: list[np.ndarray], q: int) -> tuple[np.ndarray, np.ndarray]:
    """``(distinct, number)``: the distinct packed keys (:func:`_set_keys`) ascending, and each key's
    place among them (int32), by one sort: a batch's rows (in place of a hash table: 2.5x faster on
    the benchmark's batches), then every batch's distinct keys. ``parts`` holds the keys in pieces,
    in order; the list is emptied as they are read, so a piece can be freed once it is.

    A field holds a code + 1 <= ``q``, so it needs b = ``q.bit_length()`` bits, not 16. When four
    such fields and the position of a key (i bits) fit in 64 bits, each key is re-packed into them,
    ``fields << i | position``: numpy's plain sort of those (SIMD) orders the keys as they are
    ordered (the fields keep their places) and remembers where each came from: the 20M-row
    benchmark's 10.8M keys in 1.3 s, against 2.1 s by the argsort, which is the way otherwise.
    """
    n = sum(part.size for part in parts)
    b = max(int(q), 1).bit_length()
    i = max(n - 1, 1).bit_length()
    if _PER_KEY * b + i <= 64:
        tagged, at = np.empty(n, dtype=np.uint64), 0
        while parts:
            keys = parts.pop(0)
            for a in range(0, keys.size, 1 << 20):  # a block at a time: the one temporary is a block's
                block = tagged[at + a:at + min(a + (1 << 20), keys.size)]
                block[:] = np.arange(at + a, at + a + block.size, dtype=np.uint64)
                field = np.empty(block.size, dtype=np.uint64)
                for f in range(_PER_KEY):
                    np.right_shift(keys[a:a + (1 << 20)], np.uint64(_FIELD * f), out=field)
                    field &= np.uint64(2**_FIELD - 1)
                    field <<= np.uint64(b * f + i)
                    block |= field
            at += keys.size
            del keys
        tagged.sort()
        order = (tagged & np.uint64(2**i - 1)).astype(np.int32 if n < 2**31 else np.int64)
        tagged >>= np.uint64(i)
        new = first_of_runs(tagged)
        distinct = np.zeros(int(new.sum()), dtype=np.uint64)
        fields = tagged[new]
        del tagged
        for f in range(_PER_KEY):  # back to 16-bit fields
            distinct |= ((fields >> np.uint64(b * f)) & np.uint64(2**b - 1)) << np.uint64(_FIELD * f)
    else:
        keys = np.concatenate(parts) if parts else np.zeros(0, np.uint64)
        parts.clear()
        order = np.argsort(keys)
        ordered = keys[order]
        del keys
        new = first_of_runs(ordered)
        distinct = ordered[new]
        del ordered
    rank = np.cumsum(new, dtype=np.int32)
    rank -= 1
    del new
    number = np.empty(n, dtype=np.int32)
    number[order] = rank
    return distinct, number


def _offsets(owner: np.ndarray, n: int) -> np.ndarray:
    """The CSR pointers of ``n`` rows from each entry's row (ascending)."""
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(owner, minlength=n), out=offsets[1:])
    return offsets


def _place(set_of: np.ndarray, spans: list[tuple[int, int]], number: np.ndarray) -> None:
    """Write ``number`` (the batches' keys numbered, concatenated) into ``set_of`` at each batch's
    provisional numbers ``first .. first + size - 1`` (``spans``: (first, size) per batch, in order)."""
    at = 0
    for first, size in spans:
        set_of[first:first + size] = number[at:at + size]
        at += size


def _set_rows(flat: np.ndarray, starts: np.ndarray, sizes: np.ndarray, rows: np.ndarray, q: int) -> SetRows:
    """The :class:`~imbalcheck.multilabel.setrows.SetRows` of the labelled rows (``rows``: each one's set
    number among the sets ``flat[starts[s]:starts[s] + sizes[s]]``), without the sets that no labelled
    row holds (e.g. one met only in a one-hot row with an empty indicator)."""
    counts = bincount(rows, sizes.size)
    kept = np.flatnonzero(counts)
    if kept.size < sizes.size:
        number = np.cumsum(counts > 0, dtype=np.int64) - 1
        rows = number.astype(np.int32)[rows]
        counts = counts[kept]
        flat = ranges(np.r_[starts, starts[-1] + sizes[-1]], kept, flat)
        sizes = sizes[kept]
    set_ptr = np.zeros(kept.size + 1, dtype=np.int64)
    np.cumsum(sizes, out=set_ptr[1:])
    return SetRows(q, set_ptr, flat.astype(np.int32, copy=False), counts, rows)


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
    return keys[first_of_runs(keys)]


_FIELD = 16  # bits per label code in a packed set key: code + 1, so that 0 is an empty field
_PER_KEY = 64 // _FIELD
_LIMIT = 2**_FIELD - 1  # codes below this fit a field
_WIDE = np.uint64(2**64 - 1)  # the packed key of a set that does not fit (more than 4 labels or a code >= 2**16 - 1)


def _set_keys(offsets: np.ndarray, code: np.ndarray):
    """One key per row for its label codes ``code[offsets[i]:offsets[i + 1]]`` (any order, repeats
    allowed): ``(packed, wide)`` where ``packed`` (uint64) holds a set of up to four distinct codes
    below 2**16 - 1 as 16-bit fields (code + 1, ascending from the lowest field; 0 for an empty
    field, so the empty set is 0) and is :data:`_WIDE` for a row whose set does not fit, and ``wide``
    holds the binary keys (:func:`~imbalcheck.readers.kernels.binary_keys`: the distinct codes,
    ascending) of those rows (None when every row fits). Equal sets get equal keys, and whether a
    set is packed depends on the set alone, so keys from different batches compare.

    The rows of s <= 4 codes are sorted together, their codes held as s columns and sorted by a
    sorting network (vectorised compare-exchanges); the other rows (more entries, a repeat, a large
    code) by (row, code), their repeats dropped.
    """
    sizes = np.diff(offsets)
    code = code.astype(np.int64, copy=False)
    packed = np.zeros(sizes.size, dtype=np.uint64)
    other = sizes > _PER_KEY
    for s in range(1, _PER_KEY + 1):
        rows = np.flatnonzero(sizes == s)
        if rows.size:
            column = sort_columns([code[offsets[rows] + i] for i in range(s)])  # the rows' codes, ascending
            plain = column[-1] < _LIMIT
            for lower, upper in zip(column, column[1:]):
                plain &= lower < upper  # distinct
            packed[rows[plain]] = _pack([c[plain] for c in column])
            other[rows[~plain]] = True
    if not other.any():
        return packed, None
    rows = np.flatnonzero(other)
    lengths = sizes[rows]
    pos = np.repeat(offsets[rows] - np.r_[0, np.cumsum(lengths)[:-1]], lengths) + np.arange(lengths.sum())
    width = int(code.max()) + 1
    key = _sorted_unique(np.repeat(np.arange(rows.size, dtype=np.int64), lengths) * width + code[pos])
    owner, items = key // width, key % width  # each row's distinct codes, ascending
    del key
    counts = np.bincount(owner, minlength=rows.size)
    ptr = np.r_[0, np.cumsum(counts)]
    fits = (counts <= _PER_KEY) & (np.maximum.reduceat(items, ptr[:-1]) < _LIMIT)
    for s in range(1, _PER_KEY + 1):  # rows that a repeat brought down to at most four codes
        these = np.flatnonzero(fits & (counts == s))
        if these.size:
            packed[rows[these]] = _pack([items[ptr[these] + i] for i in range(s)])
    if fits.all():
        return packed, None
    packed[rows[~fits]] = _WIDE
    keep = ~fits[owner]
    return packed, kernels.binary_keys(np.r_[0, np.cumsum(counts[~fits])], items[keep].astype("<i4"))


def _pack(column: list[np.ndarray]) -> np.ndarray:
    """The packed keys (:func:`_set_keys`) of sets given as columns: ``column[i]`` holds each set's
    (i+1)-th code, the codes of a set ascending and distinct."""
    key = np.zeros(column[0].size, dtype=np.uint64)
    for i, codes in enumerate(column):
        key |= (codes.astype(np.uint64) + np.uint64(1)) << np.uint64(_FIELD * i)
    return key


def _unpack(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(codes, pointers) of packed set keys (:func:`_set_keys`): key i holds ``codes[pointers[i]:
    pointers[i + 1]]``, ascending. A key's fields are its four little-endian 16-bit words."""
    fields = np.ascontiguousarray(keys, dtype="<u8").view("<u2").reshape(-1, _PER_KEY)
    present = fields > 0
    ptr = np.zeros(keys.size + 1, dtype=np.int64)
    np.cumsum(present.sum(axis=1), out=ptr[1:])
    return fields[present].astype(np.int32) - 1, ptr
