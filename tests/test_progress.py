"""Readers report progress through the hook; the CLI shows it only on a terminal."""

from __future__ import annotations

from imbalcheck import progress
from imbalcheck.readers import read_counts
from tests.cli_helpers import run


def test_csv_and_txt_readers_report_bytes(tmp_path):
    path = tmp_path / "y.csv"
    path.write_text("label\n" + "a\nb\n" * 50_000)
    seen = []
    with progress.reporting(lambda done, total: seen.append((done, total))):
        read_counts(path)
    assert seen and seen[-1][1] == path.stat().st_size
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    txt = tmp_path / "y.txt"
    txt.write_text("a\nb\n" * 10)
    seen.clear()
    with progress.reporting(lambda done, total: seen.append((done, total))):
        read_counts(txt)
    assert seen[0] == (40, 40)


def test_parquet_reports_rows(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "y.parquet"
    pq.write_table(pa.table({"label": ["a", "b", "c"] * 10}), path)
    seen = []
    with progress.reporting(lambda done, total: seen.append((done, total))):
        read_counts(path)
    assert seen[-1] == (30, 30)


def test_no_progress_without_a_reporter_or_a_terminal(tmp_path):
    path = tmp_path / "y.csv"
    path.write_text("label\na\nb\n")
    result = run("profile", path, "-b", "1", "-f", "json")
    assert result.exit_code == 0 and result.stderr == ""
