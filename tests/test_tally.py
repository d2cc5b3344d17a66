"""Tally counts exactly what collections.Counter counts, for plain and dictionary arrays,
sliced anywhere, with nulls, any index width, added in any number of pieces."""

from __future__ import annotations

from collections import Counter

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imbalcheck.tally.value_counts import Tally

VALUES = st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "ccc", "é", ""])), min_size=1, max_size=80)


def counted(tally: Tally) -> Counter:
    values, counts = tally.result()
    return Counter(dict(zip(values.to_pylist(), counts.tolist()))) if values is not None else Counter()


@settings(max_examples=200, deadline=None)
@given(
    values=VALUES,
    index=st.sampled_from([pa.int8(), pa.int16(), pa.int32(), pa.int64(), pa.uint8(), pa.uint16(), pa.uint32()]),
    dictionary=st.booleans(),
    cuts=st.lists(st.integers(0, 80), max_size=4),
    start=st.integers(0, 10),
)
def test_tally_matches_counter(values, index, dictionary, cuts, start):
    arr = pa.array(values, pa.string())
    if dictionary:
        enc = arr.dictionary_encode()
        arr = pa.DictionaryArray.from_arrays(enc.indices.cast(index), enc.dictionary)
    arr = arr.slice(min(start, len(values)))  # a non-zero offset into the buffers
    tally = Tally()
    bounds = sorted({0, len(arr), *(min(c, len(arr)) for c in cuts)})
    for lo, hi in zip(bounds, bounds[1:]):
        tally.add(arr.slice(lo, hi - lo))
    expected = Counter(arr.to_pylist())
    assert counted(tally) == expected
    assert tally.rows == len(arr)


@pytest.mark.parametrize("index", [pa.uint8(), pa.uint16(), pa.int16()])
def test_dictionary_indices_past_the_signed_byte_range(index):
    """Index 200 of a uint8 dictionary (pyarrow keeps such a type in Parquet) is 200, not -56."""
    values = [f"v{i}" for i in range(201)] + ["v200"] * 5
    enc = pa.array(values).dictionary_encode()
    tally = Tally()
    tally.add(pa.DictionaryArray.from_arrays(enc.indices.cast(index), enc.dictionary))
    assert counted(tally) == Counter(values)
