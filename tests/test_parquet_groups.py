"""Counting Parquet row groups on several threads gives exactly the labels' Counter."""

from __future__ import annotations

from collections import Counter

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imbalcheck.errors import InputError
from imbalcheck.readers import parquet_groups, read_counts, threads


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.integers(0, 50), min_size=1, max_size=30), workers=st.integers(1, 9))
def test_blocks_are_contiguous_cover_everything_and_balance(rows, workers):
    parts = parquet_groups.blocks(rows, workers)
    assert [i for part in parts for i in part] == list(range(len(rows)))
    assert all(parts) and len(parts) <= workers
    total = sum(rows)
    if total and len(parts) == workers:
        # every block but the last ends at the first of its groups to reach its share
        seen = 0
        for k, part in enumerate(parts[:-1], start=1):
            seen += sum(rows[i] for i in part)
            assert seen * workers >= total * k
            assert len(part) == 1 or (seen - rows[part[-1]]) * workers < total * k


@pytest.mark.parametrize("workers", [2, 3, 7])
@pytest.mark.parametrize("dictionary", [True, False])
def test_threads_count_what_counter_counts(tmp_path, monkeypatch, workers, dictionary):
    monkeypatch.setattr(threads, "usable_cores", lambda: workers)
    labels = [None if i % 11 == 0 else f"c{(i * i) % 13}" for i in range(20_000)]
    path = tmp_path / "a.parquet"
    pq.write_table(pa.table({"id": range(len(labels)), "label": labels}), path, row_group_size=1500,
                   use_dictionary=dictionary)
    calls = []
    real = parquet_groups.read_row_groups
    monkeypatch.setattr(parquet_groups, "read_row_groups", lambda *a, **k: calls.append(1) or real(*a, **k))
    c = read_counts(path)
    expected = Counter(v for v in labels if v is not None)
    assert c.as_dict() == dict(expected) and c.n_missing == labels.count(None)
    assert calls == [1]


def test_integer_labels_keep_their_kind(tmp_path, monkeypatch):
    monkeypatch.setattr(threads, "usable_cores", lambda: 2)
    path = tmp_path / "a.parquet"
    pq.write_table(pa.table({"label": [3, 1, 3, 2] * 1000}), path, row_group_size=700)
    c = read_counts(path)
    assert c.as_dict() == {"1": 1000, "2": 1000, "3": 2000} and c.label_kind == "number"


def test_one_row_group_or_one_core_is_read_serially(tmp_path, monkeypatch):
    path = tmp_path / "a.parquet"
    pq.write_table(pa.table({"label": ["a", "b", "a"]}), path)
    from imbalcheck.tally.single import LabelCounts

    consumer = LabelCounts()
    assert parquet_groups.read_row_groups(lambda: pq.ParquetFile(path), ["label"], [3], consumer, batch_size=10) is False
    assert parquet_groups.read_row_groups(lambda: pq.ParquetFile(path), ["label"], [2, 1], consumer, batch_size=10,
                                          workers=1) is False
    assert consumer.rows == 0


def test_a_thread_error_reaches_the_user_as_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(threads, "usable_cores", lambda: 2)
    path = tmp_path / "a.parquet"
    pq.write_table(pa.table({"label": ["a", "b"] * 5000}), path, row_group_size=1000)
    page = pq.ParquetFile(path).metadata.row_group(7).column(0).data_page_offset
    data = bytearray(path.read_bytes())
    data[page : page + 32] = b"\xff" * 32  # corrupt one row group's page header, keep the footer
    path.write_bytes(bytes(data))
    with pytest.raises(InputError) as err:
        read_counts(path)
    message = str(err.value)
    assert message.startswith(f"{path}: ") and "\n" not in message


def test_column_chunks_are_not_cached_for_the_whole_read(tmp_path, monkeypatch):
    """pyarrow's pre_buffer keeps every column chunk read until the file closes, so peak
    memory would grow with the row groups; every ParquetFile the reader opens turns it off."""
    monkeypatch.setattr(threads, "usable_cores", lambda: 2)
    path = tmp_path / "a.parquet"
    pq.write_table(pa.table({"label": ["a", "b"] * 3000}), path, row_group_size=1000)
    opened = []
    real = pq.ParquetFile.__init__

    def spy(self, *args, **kwargs):
        opened.append(kwargs.get("pre_buffer", True))
        real(self, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetFile, "__init__", spy)
    assert read_counts(path).as_dict() == {"a": 3000, "b": 3000}
    with open(path, "rb") as f:  # a pipe or gzip is spooled to a temporary file first
        monkeypatch.setattr("sys.stdin", type("In", (), {"buffer": f})())
        assert read_counts("-", input_format="parquet").as_dict() == {"a": 3000, "b": 3000}
    assert len(opened) >= 4 and not any(opened)


def _two_corrupt_row_groups(path):
    pq.write_table(pa.table({"label": [f"c{i % 50}" for i in range(200_000)]}), path, row_group_size=20_000)
    meta = pq.ParquetFile(path).metadata
    data = bytearray(path.read_bytes())
    first = meta.row_group(0).column(0).data_page_offset
    data[first + 2000 : first + 2064] = b"\x00" * 64  # row group 0: damaged compressed page
    last = meta.row_group(9).column(0).data_page_offset
    data[last : last + 32] = b"\xff" * 32  # last row group: damaged page header
    path.write_bytes(bytes(data))


def test_the_error_reported_is_the_first_in_file_order(tmp_path, monkeypatch):
    """Oracle: the serial reader, which meets row group 0 first; threads may fail in any order."""
    path = tmp_path / "a.parquet"
    _two_corrupt_row_groups(path)

    def message(cores):
        monkeypatch.setattr(threads, "usable_cores", lambda: cores)
        with pytest.raises(InputError) as err:
            read_counts(path)
        return str(err.value)

    expected = message(1)
    for _ in range(5):
        assert message(2) == expected


def test_job_halts_tasks_after_a_failed_one():
    job = threads.Job(4)
    job.errors[1] = ValueError("block 1")
    assert [job.halted(i) for i in range(4)] == [False, False, True, True]
    job.errors[3] = ValueError("block 3")
    assert str(job.error) == "block 1"
    job.stop = True
    assert job.halted(0)


def test_an_interrupt_stops_and_joins_every_thread(tmp_path, monkeypatch):
    """Ctrl-C while waiting: no reader thread outlives read_counts (none keeps decoding)."""
    import threading

    from imbalcheck import progress
    from imbalcheck.readers import parquet as tabular

    monkeypatch.setattr(threads, "usable_cores", lambda: 2)
    monkeypatch.setattr(tabular, "PARQUET_BATCH", 64)  # slow enough to be interrupted mid-read
    path = tmp_path / "a.parquet"
    pq.write_table(pa.table({"label": [f"c{i % 100}" for i in range(200_000)]}), path, row_group_size=20_000)
    before = threading.active_count()

    def interrupt(done, total):
        raise KeyboardInterrupt

    with progress.reporting(interrupt), pytest.raises(KeyboardInterrupt):
        read_counts(path)
    assert threading.active_count() == before
