"""Multi-label data held as its distinct label sets plus one set number per sample.

A data set of n samples over q labels with S distinct label sets is

* the sets: set s holds the label indices ``set_labels[set_ptr[s]:set_ptr[s + 1]]`` (int32,
  distinct, ascending), ``set_counts[s]`` samples carry it (int64); the sets
  are distinct, numbered in no particular order (the reader numbers them by a sort of their
  keys), and the empty set (a sample with no label) is a set like any other;
* ``row_sets`` (n, int32): each sample's set, in input order.

That is 4 bytes per sample plus a table that grows with the number of distinct sets, where a
CSR indicator matrix takes 8 bytes per sample plus 4 per label occurrence (and scipy to hold
it). Every figure of the profile reads this form: label counts, cardinality and SCUMBLE are
sums over the sets weighted by their counts, and iterative stratification
(:mod:`.stratify`) walks the sets and uses ``row_sets`` only for the order of the samples.
:meth:`SetRows.to_csr` gives the scipy matrix back for the API's ``(names, Y, n_missing)``.
"""

from __future__ import annotations

import numpy as np


class SetRows:
    """Distinct label sets and each sample's set (see the module docstring)."""

    __slots__ = ("q", "set_ptr", "set_labels", "set_counts", "row_sets", "_label_counts")

    def __init__(self, q: int, set_ptr: np.ndarray, set_labels: np.ndarray, set_counts: np.ndarray,
                 row_sets: np.ndarray) -> None:
        self.q = int(q)
        self.set_ptr = set_ptr
        self.set_labels = set_labels
        self.set_counts = set_counts
        self.row_sets = row_sets
        self._label_counts = None

    def __repr__(self) -> str:
        return f"<SetRows {self.n:,} samples, {self.q:,} labels, {self.n_sets:,} label sets>"

    @property
    def n(self) -> int:
        """Number of samples."""
        return int(self.row_sets.size)

    @property
    def n_sets(self) -> int:
        return int(self.set_counts.size)

    @property
    def shape(self) -> tuple[int, int]:
        """(samples, labels), as the indicator matrix's."""
        return self.n, self.q

    @property
    def set_sizes(self) -> np.ndarray:
        """|Y_s|, the number of labels of each set."""
        return np.diff(self.set_ptr)

    @property
    def nnz(self) -> int:
        """sum_i |Y_i|: label occurrences over all samples."""
        return int(self.set_sizes @ self.set_counts)

    def set_owner(self) -> np.ndarray:
        """The set of each entry of ``set_labels`` (int32)."""
        return np.repeat(np.arange(self.n_sets, dtype=np.int32), self.set_sizes)

    def label_counts(self) -> np.ndarray:
        """n_l = sum_s [l in Y_s] count_s: the positives of each label (int64; a copy)."""
        if self._label_counts is None:
            self._label_counts = self.label_sums(self.set_counts).astype(np.int64)
        return self._label_counts.copy()

    def label_sums(self, per_set: np.ndarray) -> np.ndarray:
        """sum_s [l in Y_s] per_set[s] for every label l (float64: exact for integers below 2**53),
        a block of sets at a time."""
        out = np.zeros(self.q)
        sizes = self.set_sizes
        for a, b in row_blocks(self.set_ptr):
            weights = np.repeat(np.asarray(per_set[a:b], dtype=np.float64), sizes[a:b])
            out += np.bincount(self.set_labels[self.set_ptr[a]:self.set_ptr[b]], weights=weights, minlength=self.q)
        return out

    def top(self, k: int | None = None) -> tuple[list[tuple[int, ...]], np.ndarray]:
        """The ``k`` most frequent sets (all when None), count descending, ties in order of first
        appearance: (label-index tuples, ascending; counts)."""
        counts = self.set_counts
        cand = np.arange(self.n_sets)
        if k == 0:
            return [], counts[:0]
        if k is not None and k < self.n_sets:
            cand = np.flatnonzero(counts >= np.sort(counts)[self.n_sets - k])  # the k-th largest count
        order = cand[np.lexsort((self.first_rows(cand), -counts[cand]))][:k]
        ptr, labels = self.set_ptr, self.set_labels
        return [tuple(labels[ptr[s]:ptr[s + 1]].tolist()) for s in order.tolist()], counts[order]

    def first_rows(self, sets: np.ndarray) -> np.ndarray:
        """The first sample of each of ``sets`` (distinct; -1 for a set no sample holds), looking at
        :data:`_CHUNK` samples at a time until every one is found: frequent sets, the usual question,
        show up early."""
        wanted = np.zeros(self.n_sets, dtype=bool)
        wanted[sets] = True
        where = np.full(self.n_sets, -1, dtype=np.int64)
        left = sets.size
        for start in range(0, self.n, _CHUNK):
            block = self.row_sets[start:start + _CHUNK]
            rows = np.flatnonzero(wanted[block])
            found, first = np.unique(block[rows], return_index=True)
            where[found] = rows[first] + start
            wanted[found] = False
            left -= found.size
            if not left:
                break
        return where[sets]

    def to_csr(self):
        """The (n, q) boolean ``scipy.sparse.csr_matrix``, columns ascending within a row."""
        import scipy.sparse as sp

        lengths = self.set_sizes[self.row_sets]
        indptr = np.zeros(self.n + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        # entry e of row i is set_labels[set_ptr[set of i] + e - indptr[i]]: one offset per row, plus e
        small = np.int32 if max(int(indptr[-1]), self.set_labels.size) < 2**31 else np.int64
        pos = np.repeat((self.set_ptr[:-1][self.row_sets] - indptr[:-1]).astype(small), lengths)
        pos += np.arange(indptr[-1], dtype=small)
        indices = self.set_labels.astype(small, copy=False)[pos]
        return sp.csr_matrix((np.ones(indices.size, dtype=bool), indices, indptr), shape=self.shape)

    @classmethod
    def from_csr(cls, n: int, q: int, indptr: np.ndarray, indices: np.ndarray) -> SetRows:
        """The sets of a canonical CSR (0/1, no duplicate, columns ascending within a row): each row's
        column indices are one binary key that Arrow numbers in order of first appearance."""
        from ..readers.kernels import binary_keys, dictionary_encode
        from ..tally.value_counts import int64_numpy

        indices = np.asarray(indices)
        enc = dictionary_encode(binary_keys(indptr, indices))
        flat, set_ptr = key_items(enc.dictionary, np.dtype(indices.dtype))
        row_sets = int64_numpy(enc.indices).astype(np.int32) if n else np.zeros(0, np.int32)
        counts = np.bincount(row_sets, minlength=len(enc.dictionary)).astype(np.int64)
        return cls(q, set_ptr, flat.astype(np.int32), counts, row_sets)


_CHUNK = 1 << 18  # at a time: label entries summed (row_blocks), rows sorted (sort_within), samples scanned


def row_blocks(ptr: np.ndarray) -> list[tuple[int, int]]:
    """``[(a, b), ...]`` covering the rows of a CSR with pointers ``ptr`` in order, each block
    holding at most :data:`_CHUNK` entries besides those of its first row."""
    n = ptr.size - 1
    cuts = np.searchsorted(ptr, np.arange(_CHUNK, int(ptr[-1]), _CHUNK), side="right") - 1
    edges = np.unique(np.r_[0, cuts, n])
    return [(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:])] if n else []


_SORT_BITS = 18  # :func:`grouped` sorts 2**18 keys at a time (a chunk's temporaries: about 10 MB)


def grouped(keys: np.ndarray, n_groups: int, values: np.ndarray | None = None,
            counts: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(ptr, out)``: the ``values`` (default: the positions 0, 1, ...) grouped by their key, in
    their order within a group (a stable sort by key): group g is ``out[ptr[g]:ptr[g + 1]]``.
    ``counts``, when the caller has it, saves counting the keys: it must be ``np.bincount(keys,
    minlength=n_groups)`` (its total is checked).

    A chunk of ``2 ** _SORT_BITS`` keys at a time is sorted as one int64 per key, ``key << bits |
    position in the chunk`` (distinct, so the order is stable; numpy's SIMD sort of int64 is several
    times faster than its argsort), and each group's run is written after those of earlier chunks:
    besides ``out`` (int32) the memory is a chunk's.
    """
    keys = np.asarray(keys)
    ptr = np.zeros(n_groups + 1, dtype=np.int64)
    np.cumsum(bincount(keys, n_groups) if counts is None else counts, out=ptr[1:])
    if ptr[-1] != keys.size:
        raise ValueError(f"grouped: the counts add up to {int(ptr[-1])}, not to the {keys.size} keys")
    out = np.empty(keys.size, dtype=np.int32)
    fill = ptr[:-1].copy()  # where each group's next value goes
    bits = _SORT_BITS
    for start in range(0, keys.size, 1 << bits):
        chunk = keys[start:start + (1 << bits)]
        ordered = chunk.astype(np.int64) << bits
        ordered |= np.arange(chunk.size, dtype=np.int64)
        ordered.sort()
        order = ordered & ((1 << bits) - 1)
        ordered >>= bits
        head = np.flatnonzero(first_of_runs(ordered))
        size = np.diff(np.r_[head, ordered.size])
        first = ordered[head]
        del ordered
        at = np.repeat(fill[first] - head, size)  # a run's p-th value goes to fill[its key] + p
        at += np.arange(at.size)
        out[at] = (order + start) if values is None else values[start:start + (1 << bits)][order]
        fill[first] += size
    return ptr, out


def first_of_runs(ordered: np.ndarray) -> np.ndarray:
    """Which entries of a sorted array differ from the one before (the first is always new)."""
    new = np.empty(ordered.size, dtype=bool)
    new[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    return new


def bincount(keys: np.ndarray, n_groups: int) -> np.ndarray:
    """``np.bincount(keys, minlength=n_groups)`` (int64), a block of 2**22 keys at a time: numpy
    turns int32 keys into int64 first, which for all 20M samples of a file is a 160 MB copy."""
    out = np.zeros(n_groups, dtype=np.int64)
    for start in range(0, keys.size, 1 << 22):
        out += np.bincount(keys[start:start + (1 << 22)], minlength=n_groups)
    return out


def ranges(ptr: np.ndarray, picks: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``values[ptr[p]:ptr[p + 1]]`` for every ``p`` in ``picks``, concatenated."""
    if picks.size == 1:
        return values[int(ptr[picks[0]]):int(ptr[picks[0] + 1])]
    return values[_positions(ptr, picks)]


def _positions(ptr: np.ndarray, picks: np.ndarray) -> np.ndarray:
    """The positions ``ptr[p] .. ptr[p + 1] - 1`` of every ``p`` in ``picks``, concatenated."""
    starts, lengths = ptr[picks], ptr[picks + 1] - ptr[picks]
    pos = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    pos += np.arange(pos.size, dtype=np.int64)
    return pos


_SORTING_NETWORK = {1: [], 2: [(0, 1)], 3: [(0, 1), (1, 2), (0, 1)],
                    4: [(0, 1), (2, 3), (0, 2), (1, 3), (1, 2)]}  # Knuth, TAOCP vol. 3, 5.3.4: optimal for n <= 4


def sort_columns(column: list[np.ndarray]) -> list[np.ndarray]:
    """Rows of at most four values held as columns (``column[i]``: every row's i-th value), each
    row sorted ascending across the columns by a sorting network: vectorised compare-exchanges,
    where ``np.sort(axis=1)`` sorts each short row by itself."""
    column = list(column)
    for a, b in _SORTING_NETWORK[len(column)]:
        column[a], column[b] = np.minimum(column[a], column[b]), np.maximum(column[a], column[b])
    return column


def sort_within(ptr: np.ndarray, values: np.ndarray) -> None:
    """Sort, in place, each row's part of ``values`` (``values[ptr[i]:ptr[i + 1]]``) ascending: rows
    of two to four as columns (:func:`sort_columns`, :data:`_CHUNK` rows at a time), longer rows by
    one (row, value) sort."""
    sizes = np.diff(ptr)
    for s in range(2, 5):
        rows = np.flatnonzero(sizes == s)
        for a in range(0, rows.size, _CHUNK):  # a block of rows at a time: bounded memory
            start = ptr[rows[a:a + _CHUNK]]
            for i, c in enumerate(sort_columns([values[start + i] for i in range(s)])):
                values[start + i] = c
    long = np.flatnonzero(sizes > 4)
    if long.size:
        at = _positions(ptr, long)
        width = int(values[at].max()) + 1
        key = np.repeat(np.arange(long.size, dtype=np.int64), sizes[long]) * width + values[at]
        key.sort()
        values[at] = key % width


def key_items(keys, item: np.dtype) -> tuple[np.ndarray, np.ndarray]:
    """(items, pointers) of a (large) binary Arrow array whose values are packed little-endian
    integers of dtype ``item``: value i holds ``items[pointers[i]:pointers[i + 1]]``."""
    item = np.dtype(item).newbyteorder("<")
    offsets = np.frombuffer(keys.buffers()[1], dtype=np.int64, count=len(keys) + 1, offset=keys.offset * 8)
    data = keys.buffers()[2]
    flat = (np.frombuffer(data, dtype=item, count=int(offsets[-1] - offsets[0]) // item.itemsize,
                          offset=int(offsets[0]))
            if data is not None and offsets[-1] > offsets[0] else np.zeros(0, item))
    return flat, (offsets - offsets[0]) // item.itemsize
