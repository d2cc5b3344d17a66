"""Streaming value counts over Arrow arrays, merged in memory bounded by the number of distinct values."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from ..readers import kernels


class Tally:
    """Streaming ``value_counts`` over Arrow arrays, merged in bounded memory.

    Each added array is reduced to (distinct values, counts) at once; the partial
    results are merged by dictionary-encoding their concatenated values whenever they
    hold more entries than twice the merged result, so memory stays proportional to
    the number of distinct labels, not rows. A dictionary-encoded array is counted
    from its integer indices without decoding a string.
    """

    def __init__(self) -> None:
        self._values: list[pa.Array] = []
        self._counts: list[np.ndarray] = []
        self._pending = 0
        self._merged = 0
        self.rows = 0

    def add(self, arr) -> None:
        """Count the values of an Array or ChunkedArray (null is a value of its own)."""
        if isinstance(arr, pa.ChunkedArray):
            for chunk in arr.chunks:
                self.add(chunk)
            return
        if len(arr) == 0:
            return
        if pa.types.is_dictionary(arr.type):
            values, counts = _dictionary_counts(arr)
        else:
            vc = kernels.value_counts(arr)
            values, counts = vc.field(0), int64_numpy(vc.field(1))
        self.add_counts(values, counts)

    def add_counts(self, values: pa.Array, counts: np.ndarray) -> None:
        """Add already counted ``values`` (distinct within the call) with their ``counts``."""
        if len(values) == 0:
            return
        self.rows += int(counts.sum())
        self._values.append(values)
        self._counts.append(counts)
        self._pending += len(values)
        if self._pending > max(1 << 20, 2 * self._merged):
            self._merge()

    def _merge(self) -> None:
        if len(self._values) > 1:
            enc = kernels.dictionary_encode(pa.concat_arrays(self._values))
            idx = int64_numpy(enc.indices)
            sums = np.bincount(idx, weights=np.concatenate(self._counts), minlength=len(enc.dictionary))
            self._values = [enc.dictionary]
            self._counts = [np.rint(sums).astype(np.int64)]
        self._merged = self._pending = len(self._values[0]) if self._values else 0

    def result(self) -> tuple[pa.Array | None, np.ndarray]:
        """``(distinct values, counts)``; ``(None, [])`` when nothing was added."""
        self._merge()
        if not self._values:
            return None, np.zeros(0, np.int64)
        return self._values[0], self._counts[0]


def merged(tallies: list[Tally]) -> Tally:
    """One tally holding the counts of all of ``tallies``."""
    total = Tally()
    for tally in tallies:
        values, counts = tally.result()
        if values is not None:
            total.add_counts(values, counts)
    return total


def _dictionary_counts(arr: pa.DictionaryArray) -> tuple[pa.Array, np.ndarray]:
    """Counts of a dictionary-encoded chunk from its indices (no decoding into strings)."""
    indices = arr.indices
    width = indices.type.bit_width
    sign = "u" if pa.types.is_unsigned_integer(indices.type) else ""
    codes = np.frombuffer(indices.buffers()[1], dtype=f"{sign}int{width}", count=len(indices),
                          offset=indices.offset * width // 8)
    n_null = indices.null_count
    if n_null:
        codes = codes[kernels.valid(indices)]
    counts = np.bincount(codes, minlength=len(arr.dictionary))
    used = np.flatnonzero(counts)
    values = kernels.take(arr.dictionary, int64_arrow(used)) if used.size < len(arr.dictionary) else arr.dictionary
    counts = counts[used]
    if n_null:
        values = pa.concat_arrays([values, pa.nulls(1, values.type)])
        counts = np.append(counts, n_null)
    return values, counts.astype(np.int64)


def int64_numpy(arr: pa.Array) -> np.ndarray:
    """A null-free integer Arrow array as int64 numpy (``Array.to_numpy`` would import pandas)."""
    if arr.type != pa.int64():
        arr = kernels.cast(arr, pa.int64())
    return kernels.numpy_view(arr, np.int64)


def int64_arrow(values: np.ndarray) -> pa.Array:
    """A numpy integer array as an Arrow int64 array (``pa.array`` would import pandas)."""
    return kernels.numpy_array(np.asarray(values, dtype=np.int64))
