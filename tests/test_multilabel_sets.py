"""The reader's label-set table (SetRows) against a plain-Python oracle.

The reader keys a label set of up to four codes below 2**16 - 1 as one packed 64-bit number
and any other set as binary bytes, splits a batch's distinct cells once or (when most cells of
the first batch are distinct) row by row, and numbers the sets of all batches at once. Whatever
path a set takes, the result must be the one a dictionary of frozensets gives: the same distinct
sets (each once), with the same counts and the same set for every row.
"""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imbalcheck.readers import read
from imbalcheck.readers.spec import ReadSpec


def oracle(cells: list[str], sep: str = "|"):
    """(label names sorted, {set as a sorted name tuple: count}, each row's set) of delimited
    cells; an empty cell is the empty set, empty items and repeated labels are dropped."""
    names = sorted({x for c in cells for x in c.split(sep) if x})
    rows = [tuple(sorted({x for x in c.split(sep) if x})) for c in cells]
    return names, dict(Counter(rows)), rows


def read_sets(path):
    """The same three of what the reader holds; its sets must be distinct."""
    data = read(path, ReadSpec.create(multi_label=True, column="tags")).data
    s = data.rows
    sets = [tuple(sorted(data.names[i] for i in s.set_labels[s.set_ptr[j]:s.set_ptr[j + 1]])) for j in range(s.n_sets)]
    assert len(set(sets)) == len(sets)
    assert all((np.diff(s.set_labels[s.set_ptr[j]:s.set_ptr[j + 1]]) > 0).all() for j in range(s.n_sets))  # ascending
    return data.names, dict(zip(sets, s.set_counts.tolist())), [sets[j] for j in s.row_sets.tolist()]


def write(tmp_path, cells: list[str]):
    path = tmp_path / "tags.csv"
    path.write_text("tags\n" + "".join(f'"{c}"\n' if c == "" else f"{c}\n" for c in cells))
    return path


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from([f"l{i}" for i in range(12)] + [""]), max_size=8), min_size=1, max_size=60),
       st.sampled_from([64, 256, 1 << 20]))
def test_small_files_in_many_batches_match_the_oracle(tmp_path_factory, rows, block):
    """Sets of 0 to 8 labels (wide ones beyond four), empty items and repeats, in batches of 64 bytes on."""
    from unittest import mock

    from imbalcheck.readers import csv as tabular

    cells = ["|".join(r) for r in rows]
    path = write(tmp_path_factory.mktemp("sets"), cells)
    with mock.patch.object(tabular, "CSV_BLOCK_SIZE", block):
        assert read_sets(path) == oracle(cells)


@pytest.mark.parametrize("distinct", [True, False], ids=["rows-distinct", "cells-repeat"])
def test_many_rows_match_the_oracle(tmp_path, distinct):
    """60,000 rows in batches of 512 KiB (about 17,000 rows): mostly distinct cells (split row by
    row after the first batch) or a few hundred cells repeated (split once per distinct cell);
    sets of up to seven labels, blanks and empty items among them."""
    from unittest import mock

    from imbalcheck.readers import csv as tabular
    from imbalcheck.tally import multilabel

    rng = random.Random(0)
    labels = [f"t{i}" for i in range(400)]
    n = 60_000
    pool = ["|".join(rng.sample(labels, rng.randint(0, 7))) for _ in range(n if distinct else 300)]
    cells = [pool[i] if distinct else rng.choice(pool) for i in range(n)]
    cells = [c if rng.random() > 0.01 else c.replace("|", "||", 1) for c in cells]  # a few empty items
    split = []
    real = multilabel.LabelSets._cell_sets

    def spy(self, cells, rows_per_cell=None):
        split.append(rows_per_cell is None)
        return real(self, cells, rows_per_cell)

    with mock.patch.object(tabular, "CSV_BLOCK_SIZE", 1 << 19), \
            mock.patch.object(multilabel.LabelSets, "_cell_sets", spy):
        assert read_sets(write(tmp_path, cells)) == oracle(cells)
    assert any(split) == distinct and not split[0]  # the path this case is for was taken


def test_codes_beyond_sixteen_bits_match_the_oracle(tmp_path):
    """70,000 distinct labels: a set holding a code >= 2**16 - 1 cannot be packed and is keyed as
    bytes, next to packed sets of low codes, with equal sets (in any spelling order) still one."""
    rng = random.Random(1)
    cells = [f"x{i}" for i in range(70_000)]  # codes in order of appearance: 0 .. 69,999
    cells += ["|".join(rng.sample(cells[:70_000], rng.randint(1, 3))) for _ in range(5_000)]
    cells += ["x69999|x1", "x1|x69999", "x5|x6", "x6|x5"]
    assert read_sets(write(tmp_path, cells)) == oracle(cells)


@pytest.mark.parametrize("n_groups", [1, 7, 70_000])
@pytest.mark.parametrize("bits", [0, 3, 20])
def test_grouped_is_a_stable_sort_by_key(n_groups, bits):
    """``grouped`` against numpy's stable argsort: the same positions (or values) per group, in order,
    whether the keys are sorted in one piece or in chunks (of one key, of 8), counted or given counts."""
    from unittest import mock

    from imbalcheck.multilabel import setrows

    rng = np.random.default_rng(n_groups + bits)
    keys = rng.integers(0, n_groups, size=3_000).astype(np.int32)
    values = rng.integers(-5, 5, size=keys.size).astype(np.int32)
    order = np.argsort(keys, kind="stable")
    counts = np.bincount(keys, minlength=n_groups)
    want_ptr = np.r_[0, np.cumsum(counts)]
    with mock.patch.object(setrows, "_SORT_BITS", bits):
        ptr, out = setrows.grouped(keys, n_groups)
        np.testing.assert_array_equal(ptr, want_ptr)
        np.testing.assert_array_equal(out, order)
        np.testing.assert_array_equal(setrows.grouped(keys, n_groups, values)[1], values[order])
        ptr, out = setrows.grouped(keys, n_groups, counts=counts)
        np.testing.assert_array_equal(ptr, want_ptr)
        np.testing.assert_array_equal(out, order)


@pytest.mark.parametrize("chunk", [1, 3, 100])
def test_row_blocks_cover_every_row_once(chunk):
    """The blocks that bound the memory of the per-label sums and SCUMBLE tile the rows in order."""
    from unittest import mock

    from imbalcheck.multilabel import setrows

    ptr = np.r_[0, np.cumsum([0, 2, 5, 0, 0, 1, 7, 3])]
    with mock.patch.object(setrows, "_CHUNK", chunk):
        blocks = setrows.row_blocks(ptr)
    assert blocks[0][0] == 0 and blocks[-1][1] == ptr.size - 1
    assert all(b0[1] == b1[0] and b0[0] < b0[1] for b0, b1 in zip(blocks, blocks[1:]))
    assert all(ptr[b] - ptr[a + 1] <= chunk for a, b in blocks)  # at most ``chunk`` entries after the first row
    assert setrows.row_blocks(np.zeros(1, np.int64)) == []


def test_indicator_matrix_rows_with_more_sets_times_labels_than_int32_holds():
    """35,000 distinct sets over 70,000 labels: 2.45e9 (set, label) keys overflow int32. Each row of
    Y must still hold its own labels (the review found every row wrong before the keys were int64)."""
    from imbalcheck.multilabel import multilabel_from_object

    sets = [[f"l{2 * i:05d}", f"l{2 * i + 1:05d}"] for i in range(35_000)]
    names, Y, _ = multilabel_from_object(sets)
    got = [[names[j] for j in Y.indices[Y.indptr[i]:Y.indptr[i + 1]]] for i in (0, 1, 17_000, 34_999)]
    assert got == [sets[0], sets[1], sets[17_000], sets[34_999]]


def test_no_top_label_sets_when_none_are_asked_for():
    from imbalcheck.multilabel import analyze_multilabel
    from imbalcheck.multilabel import metrics as m

    Y = np.array([[1, 0], [0, 1], [1, 1]], dtype=bool)
    assert analyze_multilabel(["a", "b"], Y, top_labelsets=0).top_labelsets == ()
    assert m.labelset_counts(Y, 0)[0] == 3 and m.labelset_counts(Y, 0)[1] == []


def test_scumble_does_not_depend_on_the_order_labels_are_met(tmp_path):
    """The same rows in another order meet the labels in another order (so the reader numbers labels
    and sets differently, and parallel reading can do that too): SCUMBLE must be the same float,
    to the last bit, not a sum that depends on that numbering."""
    import imbalcheck

    rng = random.Random(3)
    labels = [f"t{i}" for i in range(60)]
    weights = [1 / (i + 1) ** 1.3 for i in range(60)]
    cells = ["|".join(dict.fromkeys(rng.choices(labels, weights, k=rng.randint(1, 4)))) for _ in range(20_000)]
    got = []
    for name, order in (("a", cells), ("b", cells[::-1])):
        (tmp_path / name).mkdir()
        got.append(imbalcheck.profile(write(tmp_path / name, order), multi_label=True, column="tags").scumble)
    assert got[0] == got[1]


def test_sort_within_sorts_each_row_alone():
    from imbalcheck.multilabel.setrows import sort_within

    rng = np.random.default_rng(0)
    sizes = rng.integers(0, 9, size=500)
    ptr = np.r_[0, np.cumsum(sizes)]
    values = rng.integers(0, 1000, size=ptr[-1]).astype(np.int32)
    want = np.concatenate([np.sort(values[a:b]) for a, b in zip(ptr[:-1], ptr[1:])])
    sort_within(ptr, values)
    np.testing.assert_array_equal(values, want)
    assert values.dtype == np.int32


@pytest.mark.parametrize("s", [1, 2, 3, 4])
def test_sorting_network_sorts_every_row(s):
    """Every arrangement of s values, repeats included, against np.sort (the 0-1 principle asks
    only for 0/1 rows; all of them are here too)."""
    import itertools

    from imbalcheck.multilabel.setrows import sort_columns

    rows = np.array(list(itertools.product(range(s + 1), repeat=s)))
    got = np.stack(sort_columns([rows[:, i] for i in range(s)]), axis=1)
    np.testing.assert_array_equal(got, np.sort(rows, axis=1))


@pytest.mark.parametrize("chunk", [1, 7, 1 << 18])
@pytest.mark.parametrize("k", [1, 3, 10, None])
def test_top_sets_by_count_then_first_appearance(tmp_path, chunk, k):
    """``top(k)`` against ``Counter``: counts descending, a tie in the order the sets first appear
    (a ``Counter`` keeps first-insertion order and ``sorted`` is stable), whether the first rows are
    looked for in one block or in many (the scan stops once every candidate is found)."""
    from unittest import mock

    from imbalcheck.multilabel import setrows

    rng = random.Random(chunk + (k or 0))
    cells = ["|".join(sorted(rng.sample("abcdef", rng.randint(0, 3)))) for _ in range(400)]
    counts = Counter(cells)
    want = sorted(counts.items(), key=lambda kv: -kv[1])[:k]
    data = read(write(tmp_path, cells), ReadSpec.create(multi_label=True, column="tags")).data
    with mock.patch.object(setrows, "_CHUNK", chunk):
        keys, got_counts = data.rows.top(k)
    got = [("|".join(data.names[i] for i in key), c) for key, c in zip(keys, got_counts.tolist())]
    assert got == want


def test_grouped_refuses_counts_that_do_not_add_up():
    from imbalcheck.multilabel.setrows import grouped

    with pytest.raises(ValueError, match="add up to 3, not to the 4 keys"):
        grouped(np.array([0, 1, 1, 2]), 3, counts=np.array([1, 1, 1]))


def test_level_merge_with_no_pick_asked_for():
    from imbalcheck.multilabel.stratify import _merge_by_level

    merged, same = _merge_by_level([5.5, 3.5], [10.0, 8.0], [5, 3], 0)
    assert merged.size == 0 and same.size == 0


@pytest.mark.parametrize("q", [1, 5, 1000, 2**16 - 2])
def test_packed_keys_numbered_as_numpy_unique_numbers_them(q):
    """``_numbered`` (the re-packed plain sort when the fields fit, else the argsort) against
    ``np.unique(..., return_inverse=True)``: the same distinct keys ascending, the same number per key."""
    from imbalcheck.tally.multilabel import _numbered, _pack

    rng = np.random.default_rng(q)
    sets = [sorted(rng.choice(q, size=rng.integers(0, min(q, 4) + 1), replace=False)) for _ in range(3_000)]
    by_size = {}
    for s in sets:
        by_size.setdefault(len(s), []).append(s)
    keys = np.concatenate([np.zeros(len(by_size.get(0, [])), np.uint64)]
                          + [_pack([np.array(c) for c in zip(*rows)]) for size, rows in by_size.items() if size])
    keys = keys[rng.permutation(keys.size)]
    distinct, number = _numbered([keys[:1000], keys[1000:1001], keys[1001:]], q)  # in pieces, as the batches come
    want, inverse = np.unique(keys, return_inverse=True)
    np.testing.assert_array_equal(distinct, want)
    np.testing.assert_array_equal(number, inverse)
    assert number.dtype == np.int32


def test_a_null_list_that_still_spans_values_is_a_sample_with_no_labels():
    """Arrow lets a null list slot keep offsets that cover values (a filter or a hand-built array);
    the slot is null, so the sample has no labels, whatever the values under it say."""
    import pyarrow as pa

    arr = pa.ListArray.from_arrays(pa.array([0, 2, 3], pa.int32()), pa.array(["a", "b", "c"]),
                                   mask=pa.array([True, False]))
    data = read(pa.table({"tags": arr}), ReadSpec.create(multi_label=True, column="tags")).data
    s = data.rows
    sets = [[data.names[i] for i in s.set_labels[s.set_ptr[j]:s.set_ptr[j + 1]]] for j in s.row_sets.tolist()]
    assert sets == [[], ["c"]]
