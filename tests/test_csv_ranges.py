"""The multi-core CSV path gives exactly the serial reader's answer, or hands over to it.

Oracle: the serial streaming reader (``read_ranges`` patched to decline), whose
semantics the rest of the reader tests pin down. The thresholds are shrunk so that a
few hundred bytes are split into several ranges and pieces of a few bytes each.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imbalcheck.errors import InputError
from imbalcheck.readers import csv_ranges, read_counts, threads


@pytest.fixture
def tiny(monkeypatch):
    """Split every file: no size threshold, 3 workers, pieces of ``piece`` bytes."""

    def setup(piece: int = 16, workers: int = 3):
        monkeypatch.setattr(csv_ranges, "PARALLEL_MIN", 0)
        monkeypatch.setattr(csv_ranges, "PIECE", piece)
        monkeypatch.setattr(threads, "usable_cores", lambda: workers)

    return setup


@pytest.fixture
def taken(monkeypatch):
    """Records whether each read went through the parallel path (True) or declined (False)."""
    calls: list[bool] = []
    real = csv_ranges.read_ranges

    def spy(*args, **kwargs):
        result = real(*args, **kwargs)
        calls.append(result)
        return result

    monkeypatch.setattr(csv_ranges, "read_ranges", spy)
    return calls


def serial(path, **kw):
    """The serial reader's answer (the parallel path forced to decline)."""
    real = csv_ranges.PARALLEL_MIN
    csv_ranges.PARALLEL_MIN = 1 << 62
    try:
        return outcome(path, **kw)
    finally:
        csv_ranges.PARALLEL_MIN = real


def outcome(path, **kw):
    try:
        c = read_counts(path, **kw)
    except InputError as exc:
        return ("error", str(exc))
    return (dict(zip(c.labels.tolist(), c.counts.tolist())), c.n_missing, c.label_kind)


def write(tmp_path: Path, data: bytes, name: str = "a.csv") -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


FIELD = st.text(st.sampled_from('ab,é\r\n x"'), max_size=4)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.lists(FIELD, min_size=1, max_size=3), min_size=0, max_size=30),
    header=st.sampled_from([b"label\n", b"id,label,note\n", b"id,label\r\n", b"\xef\xbb\xbfa,label\n"]),
    sep=st.sampled_from([b"\n", b"\r\n"]),
    trailing=st.booleans(),
    piece=st.integers(1, 40),
)
def test_same_answer_as_the_serial_reader(tmp_path, tiny, rows, header, sep, trailing, piece):
    """Unquoted rows of any shape (ragged, empty lines, commas, CR): same counts or same error."""
    tiny(piece=piece)
    body = sep.join(",".join(r).encode() for r in rows) + (sep if trailing and rows else b"")
    path = write(tmp_path, header + body)
    assert outcome(path, column="label") == serial(path, column="label")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    labels=st.lists(st.sampled_from(["cat", "dog", "", "ému", "x y"]), min_size=1, max_size=60),
    piece=st.integers(9, 64),  # at least the longest line ("59,ému\n" is 8 bytes)
    workers=st.integers(2, 5),
)
def test_quote_free_files_take_the_parallel_path(tmp_path, tiny, taken, labels, piece, workers):
    tiny(piece=piece, workers=workers)
    taken.clear()
    path = write(tmp_path, b"id,label\n" + b"".join(f"{i},{v}\n".encode() for i, v in enumerate(labels)))
    got = outcome(path)
    assert taken == [True]
    assert got == serial(path)
    expected = {v: labels.count(v) for v in set(labels) if v}
    if expected:
        assert got[:2] == (expected, labels.count(""))
    else:
        assert got[0] == "error"


def test_a_quote_hands_the_file_to_the_serial_reader(tmp_path, tiny, taken):
    tiny(piece=8)
    rows = [f"{i},a\n" for i in range(40)] + ['40,"b\nc"\n'] + [f"{i},a\n" for i in range(41, 60)]
    path = write(tmp_path, ("id,label\n" + "".join(rows)).encode())
    assert outcome(path) == ({"a": 59, "b\nc": 1}, 0, None)
    assert taken == [False]


def test_an_unclosed_quote_is_still_caught(tmp_path, tiny, taken):
    tiny(piece=8)
    path = write(tmp_path, b"id,label\n" + b"".join(f"{i},a\n".encode() for i in range(30)) + b'30,"b\n31,a\n')
    kind, message = outcome(path)
    assert kind == "error" and "a quoted field is never closed" in message
    assert taken == [False]


def test_a_ragged_row_gives_the_serial_readers_message(tmp_path, tiny, taken):
    tiny(piece=8)
    rows = [f"{i},a\n" for i in range(30)] + ["30,a,extra\n"] + [f"{i},a\n" for i in range(31, 40)]
    path = write(tmp_path, ("id,label\n" + "".join(rows)).encode())
    assert outcome(path) == (
        "error",
        f"{path}: row 31 after the header has 3 fields but the header has 2 ('30,a,extra'); "
        "fix that row or quote values that contain commas",
    )
    assert taken == [False]


def test_invalid_utf8_gives_the_serial_readers_message(tmp_path, tiny):
    tiny(piece=8)
    path = write(tmp_path, b"id,label\n" + b"".join(f"{i},a\n".encode() for i in range(30)) + b"30,\xff\n")
    kind, message = outcome(path)
    assert kind == "error" and "not valid utf-8" in message and "--encoding latin-1" in message


def test_a_line_longer_than_a_piece_hands_over(tmp_path, tiny, taken):
    tiny(piece=4)
    path = write(tmp_path, b"id,label\n1,abcdefghij\n2,abcdefghij\n")
    assert outcome(path) == ({"abcdefghij": 2}, 0, None)
    assert taken == [False]


def test_tsv_and_numeric_labels(tmp_path, tiny, taken):
    tiny(piece=6)
    path = write(tmp_path, b"id\tlabel\n" + b"".join(f"{i}\t{i % 3}\n".encode() for i in range(30)), "a.tsv")
    assert outcome(path) == ({"0": 10, "1": 10, "2": 10}, 0, None)
    assert taken == [True]


def test_small_files_and_one_core_stay_serial(tmp_path, monkeypatch):
    from imbalcheck.tally.single import LabelCounts

    path = write(tmp_path, b"label\na\n")
    kw = {"delimiter": ",", "n_columns": 1, "columns": [0]}
    assert csv_ranges.read_ranges(str(path), 6, LabelCounts(), **kw) is False
    monkeypatch.setattr(csv_ranges, "PARALLEL_MIN", 0)
    assert csv_ranges.read_ranges(str(path), 6, LabelCounts(), workers=1, **kw) is False
    consumer = LabelCounts()
    assert csv_ranges.read_ranges(str(path), 6, consumer, workers=2, **kw) is True and consumer.rows == 1


def test_plan_cuts_after_newlines(tmp_path):
    data = b"h\n" + b"".join(f"{i:03d}\n".encode() for i in range(100))
    path = write(tmp_path, data)
    fd = os.open(path, os.O_RDONLY)
    try:
        cuts = csv_ranges.plan(fd, 2, len(data), 4)
    finally:
        os.close(fd)
    assert cuts[0] == 2 and cuts[-1] == len(data) and len(cuts) == 5
    assert cuts == sorted(set(cuts))
    assert all(data[c - 1 : c] == b"\n" for c in cuts[1:-1])


def test_progress_reports_bytes(tmp_path, tiny):
    from imbalcheck import progress

    tiny(piece=8)
    data = b"label\n" + b"a\n" * 500
    path = write(tmp_path, data)
    seen: list[tuple[int, int | None]] = []
    with progress.reporting(lambda done, total: seen.append((done, total))):
        read_counts(path)
    # the same scale as the serial reader's (bytes of the whole file), so a hand-over
    # to it does not change the total
    assert seen and seen[-1] == (len(data), len(data))


def test_one_column_empty_lines_are_missing_labels(tmp_path, tiny, taken):
    """In a one-column file an empty line is a row with a missing label, on either side of a cut."""
    tiny(piece=5)
    lines = ["a", "", "bb", "", "", "a", "bb", "", "a"] * 5
    path = write(tmp_path, ("label\n" + "\n".join(lines) + "\n").encode())
    assert outcome(path) == ({"a": 15, "bb": 10}, 20, None)
    assert taken == [True]


def test_a_byte_order_mark_inside_the_data_hands_over(tmp_path, tiny, taken):
    """pyarrow drops a BOM at the start of every input; inside the data it is part of a label."""
    tiny(piece=6)
    path = write(tmp_path, b"label\n" + b"a\n" * 8 + b"\xef\xbb\xbfa\n" * 10)
    got = outcome(path)
    assert taken == [False]
    assert got == serial(path) == ({"a": 8, "\ufeffa": 10}, 0, None)


def test_without_pread_the_serial_reader_answers(tmp_path, tiny, taken, monkeypatch):
    tiny(piece=8)
    monkeypatch.delattr(os, "pread")
    path = write(tmp_path, b"label\n" + b"a\nb\n" * 20)
    assert outcome(path) == ({"a": 20, "b": 20}, 0, None)
    assert taken == [False]
