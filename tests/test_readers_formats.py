"""imbalcheck.readers: every input format, detection, columns, missing labels, encodings."""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from imbalcheck.errors import ConfigError, InputError
from imbalcheck.readers import read_counts
from imbalcheck.readers.detect import FORMATS
from imbalcheck.readers.detect import EXTENSIONS, detect_format, format_from_name


def write(tmp_path: Path, name: str, data: bytes | str, *, gz: bool = False) -> Path:
    path = tmp_path / name
    raw = data.encode() if isinstance(data, str) else data
    path.write_bytes(gzip.compress(raw) if gz else raw)
    return path


def write_parquet(tmp_path: Path, name: str, table: pa.Table, *, gz: bool = False) -> Path:
    path = tmp_path / name
    buf = io.BytesIO()
    pq.write_table(table, buf)
    path.write_bytes(gzip.compress(buf.getvalue()) if gz else buf.getvalue())
    return path


class FakeStdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def dist(c):
    return c.as_dict(), c.n_missing


# -- the public surface ---------------------------------------------------------------------


def test_formats_constant():
    assert FORMATS == ("csv", "tsv", "parquet", "jsonl", "json", "txt")
    assert set(EXTENSIONS.values()) == set(FORMATS)


def test_import_is_cheap():
    code = (
        "import sys, imbalcheck.readers as r; "
        "assert 'pandas' not in sys.modules, 'pandas'; "
        "assert 'pyarrow' not in sys.modules, 'pyarrow'; "
        "assert callable(r.read_counts) and callable(r.read)"
    )
    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)


def test_reading_does_not_import_pandas_or_compute_wrappers(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    # a batch that uses only part of its row group's dictionary takes the subset path
    pq.write_table(pa.table({"label": ["a"] * 140_000 + ["b"] * 10}), tmp_path / "a.parquet")
    paths = [
        tmp_path / "a.parquet",
        write(tmp_path, "a.csv", "label\na\nb\n"),
        write(tmp_path, "a.txt", "a\nb\n"),
        write(tmp_path, "a.jsonl", '{"label": "a"}\n'),
        write(tmp_path, "c.csv", "label,count\na,3\n"),
    ]
    code = (
        "import sys; from imbalcheck.readers import read_counts; "
        f"[read_counts(p) for p in {[str(p) for p in paths[:4]]!r}]; "
        f"read_counts({str(paths[4])!r}, counts=True); "
        "assert 'pandas' not in sys.modules, 'pandas'; "
        "assert 'pyarrow.compute' not in sys.modules, 'pyarrow.compute'"
    )
    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)


# -- detection ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,fmt",
    [
        ("a.csv", "csv"), ("a.CSV", "csv"), ("a.tsv", "tsv"), ("a.tab", "tsv"), ("a.parquet", "parquet"),
        ("a.pq", "parquet"), ("a.jsonl", "jsonl"), ("a.ndjson", "jsonl"), ("a.json", "json"),
        ("a.txt", "txt"), ("a.labels", "txt"), ("dir.v2/a.csv.gz", "csv"), ("a.jsonl.gz", "jsonl"),
        ("a.b.parquet.GZ", "parquet"),
    ],
)
def test_format_from_name(name, fmt):
    assert format_from_name(name) == fmt


def test_unknown_extension_message():
    with pytest.raises(InputError) as err:
        format_from_name("x.xlsx")
    assert str(err.value) == "x.xlsx: a spreadsheet (.xlsx) cannot be read; export the sheet as CSV"
    with pytest.raises(InputError, match=r"^x\.docx\.gz: unknown file type '\.docx\.gz'"):
        format_from_name("x.docx.gz")
    assert format_from_name("labels") is None  # no extension: the content decides (sniff_format)


def test_input_format_overrides_and_is_validated(tmp_path):
    p = write(tmp_path, "data.xlsx", "label\na\n")
    assert dist(read_counts(p, input_format="csv")) == ({"a": 1}, 0)
    assert dist(read_counts(p, input_format="CSV")) == ({"a": 1}, 0)
    assert dist(read_counts(p, input_format="txt")) == ({"label": 1, "a": 1}, 0)
    with pytest.raises(ConfigError, match=r"unknown --input-format 'xls'; choose one of csv, tsv"):
        read_counts(p, input_format="xls")
    assert detect_format("<stdin>", b"label\na\n") == "csv"


def test_gzip_detected_by_magic_bytes_and_suffix(tmp_path):
    a = write(tmp_path, "a.csv.gz", "label\na\nb\nb\n", gz=True)
    b = write(tmp_path, "b.csv", "label\na\nb\nb\n", gz=True)  # gzipped, no .gz suffix
    c = write(tmp_path, "c.data", "x\ny\n", gz=True)
    d = write(tmp_path, "d.csv.gz", "label\na\n")  # named .gz but plain text
    assert dist(read_counts(a)) == ({"b": 2, "a": 1}, 0)
    assert dist(read_counts(b)) == ({"b": 2, "a": 1}, 0)
    assert dist(read_counts(c, input_format="txt")) == ({"x": 1, "y": 1}, 0)
    assert dist(read_counts(d)) == ({"a": 1}, 0)


def test_multi_member_gzip(tmp_path):
    p = tmp_path / "a.txt.gz"
    p.write_bytes(gzip.compress(b"a\nb\n") + gzip.compress(b"a\n"))
    assert dist(read_counts(p)) == ({"a": 2, "b": 1}, 0)


# -- every format -----------------------------------------------------------------------------------

LABELS = ["cat", "dog", None, "cat", "01", "1", "NA", "cat", None]
EXPECTED = ({"cat": 3, "dog": 1, "01": 1, "1": 1, "NA": 1}, 2)


def _csv(sep: str) -> str:
    rows = [f"id{sep}label{sep}text"]
    rows += [f"{i}{sep}{'' if v is None else v}{sep}t{i}" for i, v in enumerate(LABELS)]
    return "\n".join(rows) + "\n"


def make(tmp_path: Path, fmt: str, gz: bool = False) -> Path:
    suffix = ".gz" if gz else ""
    if fmt == "csv":
        return write(tmp_path, "l.csv" + suffix, _csv(","), gz=gz)
    if fmt == "tsv":
        return write(tmp_path, "l.tsv" + suffix, _csv("\t"), gz=gz)
    if fmt == "txt":
        return write(tmp_path, "l.txt" + suffix, "".join(f"{v or ''}\n" for v in LABELS), gz=gz)
    if fmt == "jsonl":
        lines = [json.dumps({"id": i, "label": v}) if i % 2 else json.dumps({"id": i} if v is None else {"id": i, "label": v})
                 for i, v in enumerate(LABELS)]
        return write(tmp_path, "l.jsonl" + suffix, "\n".join(lines) + "\n", gz=gz)
    if fmt == "json":
        return write(tmp_path, "l.json" + suffix, json.dumps([{"id": i, "label": v} for i, v in enumerate(LABELS)]), gz=gz)
    if fmt == "parquet":
        table = pa.table({"id": list(range(len(LABELS))), "label": LABELS})
        return write_parquet(tmp_path, "l.parquet" + suffix, table, gz=gz)
    raise AssertionError(fmt)


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format(tmp_path, fmt, gz):
    assert dist(read_counts(make(tmp_path, fmt, gz))) == EXPECTED


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_from_stdin(tmp_path, monkeypatch, fmt):
    data = make(tmp_path, fmt).read_bytes()
    monkeypatch.setattr(sys, "stdin", FakeStdin(data))
    assert dist(read_counts("-", input_format=fmt)) == EXPECTED


def test_stdin_defaults_to_csv_and_detects_gzip(monkeypatch):
    monkeypatch.setattr(sys, "stdin", FakeStdin(b"label\na\nb\na\n"))
    assert dist(read_counts("-")) == ({"a": 2, "b": 1}, 0)
    monkeypatch.setattr(sys, "stdin", FakeStdin(gzip.compress(b"x,label\n1,a\n2,\n")))
    assert dist(read_counts("-")) == ({"a": 1}, 1)


def test_stdin_tiny_inputs(monkeypatch):
    monkeypatch.setattr(sys, "stdin", FakeStdin(b"a"))
    assert dist(read_counts("-", input_format="txt")) == ({"a": 1}, 0)
    monkeypatch.setattr(sys, "stdin", FakeStdin(b"y\n1\n"))
    assert dist(read_counts("-")) == ({"1": 1}, 0)
    monkeypatch.setattr(sys, "stdin", FakeStdin(b""))
    with pytest.raises(InputError, match=r"^<stdin>: no labels; the input is empty or holds only whitespace$"):
        read_counts("-")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a FIFO")
def test_named_pipe_is_read_once(tmp_path):
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def feed():
        with open(fifo, "wb") as f:
            f.write(b"id,label\n1,a\n2,b\n3,a\n")

    t = threading.Thread(target=feed)
    t.start()
    try:
        assert dist(read_counts(fifo, input_format="csv")) == ({"a": 2, "b": 1}, 0)
    finally:
        t.join(5)


def test_pathlike_and_str(tmp_path):
    p = write(tmp_path, "a.csv", "label\nx\n")
    assert dist(read_counts(str(p))) == dist(read_counts(p)) == ({"x": 1}, 0)


# -- column choice --------------------------------------------------------------------------------


@pytest.mark.parametrize("header,expected", [
    ("id,Label,text", "b"), ("id,TARGET,text", "b"), ("id,class,text", "b"), ("id,y,text", "b"),
    ("id,labels,text", "b"), ("label,target,text", "a"),
])
def test_label_column_auto_pick(tmp_path, header, expected):
    p = write(tmp_path, "a.csv", f"{header}\na,b,c\n")
    assert read_counts(p).as_dict() == {expected: 1}


def test_single_column_is_the_label(tmp_path):
    assert read_counts(write(tmp_path, "a.csv", "species\nfox\nfox\n")).as_dict() == {"fox": 2}


def test_column_option(tmp_path):
    p = write(tmp_path, "labels.csv", "id,label,text\n1,a,x\n2,b,y\n")
    assert read_counts(p, column="text").as_dict() == {"x": 1, "y": 1}
    with pytest.raises(InputError) as err:
        read_counts(p, column="lbl")
    assert str(err.value) == (
        f"{p}: no column named 'lbl'; available columns: id, label, text (use --column NAME)"
    )


def test_ambiguous_columns(tmp_path):
    p = write(tmp_path, "a.csv", "id,name,text\n1,a,x\n")
    with pytest.raises(InputError) as err:
        read_counts(p)
    assert str(err.value) == (
        f"{p}: cannot tell which column holds the labels; available columns: id, name, text (use --column NAME)"
    )


def test_columns_in_other_formats(tmp_path):
    pq_path = write_parquet(tmp_path, "a.parquet", pa.table({"id": [1, 2], "species": ["a", "b"]}))
    with pytest.raises(InputError, match=r"available columns: id, species \(use --column NAME\)$"):
        read_counts(pq_path)
    assert read_counts(pq_path, column="species").as_dict() == {"a": 1, "b": 1}
    jl = write(tmp_path, "a.jsonl", '{"id": 1, "species": "a"}\n{"id": 2, "species": "b", "extra": 1}\n')
    with pytest.raises(InputError, match=r"available keys: id, species, extra \(use --column NAME\)$"):
        read_counts(jl)
    assert read_counts(jl, column="species").as_dict() == {"a": 1, "b": 1}
    with pytest.raises(InputError, match=r"no key named 'kind' in any record; available keys: id, species, extra"):
        read_counts(jl, column="kind")


def test_duplicate_column_names(tmp_path):
    p = write(tmp_path, "a.csv", "label,label\na,b\n")
    with pytest.raises(InputError, match=r"2 columns are named 'label'; rename the duplicates or pick a column"):
        read_counts(p)  # never silently the first one
    with pytest.raises(InputError, match=r"2 columns are named 'label'; rename the duplicates first"):
        read_counts(p, column="label")


def test_json_key_that_appears_late(tmp_path):
    lines = ['{"id": %d}' % i for i in range(1500)] + ['{"id": 0, "kind": "z"}']
    p = write(tmp_path, "a.jsonl", "\n".join(lines))
    assert dist(read_counts(p, column="kind")) == ({"z": 1}, 1500)


# -- values kept exactly as written, missing values -------------------------------------------


def test_text_values_are_labels_not_missing(tmp_path):
    p = write(tmp_path, "a.csv", "label\nNA\nNone\nnull\nTrue\nnan\nN/A\n01\n1\n1.0\n \n")
    assert dist(read_counts(p)) == (
        {"NA": 1, "None": 1, "null": 1, "true": 1, "nan": 1, "N/A": 1, "01": 1, "1": 2, " ": 1}, 0
    )


def test_empty_and_quoted_empty_fields_are_missing(tmp_path):
    p = write(tmp_path, "a.csv", 'id,label\n1,a\n2,""\n3,\n4,"a"\n')
    assert dist(read_counts(p)) == ({"a": 2}, 2)


def test_single_column_csv_blank_lines_are_missing(tmp_path):
    p = write(tmp_path, "a.csv", "label\na\n\nb\n\n")
    assert dist(read_counts(p)) == ({"a": 1, "b": 1}, 2)


def test_multi_column_csv_ignores_blank_lines(tmp_path):
    p = write(tmp_path, "a.csv", "\nid,label\n1,a\n\n2,b\n\n")
    assert dist(read_counts(p)) == ({"a": 1, "b": 1}, 0)


def test_quoted_fields_with_commas_quotes_and_newlines(tmp_path):
    body = 'id,label,text\n1,"a, b","x\ny"\n2,"say ""hi""",z\n3,"multi\nline\r\nlabel",q\n4,"a, b",w\n'
    p = write(tmp_path, "a.csv", body)
    assert dist(read_counts(p)) == ({"a, b": 2, 'say "hi"': 1, "multi\nline\r\nlabel": 1}, 0)


def test_quoted_newlines_across_parser_blocks(tmp_path, monkeypatch):
    from imbalcheck.readers import csv as tabular

    monkeypatch.setattr(tabular, "CSV_BLOCK_SIZE", 1 << 10)
    body = "label\n" + '"a\nb"\n' * 5000 + "c\n" * 5000
    assert dist(read_counts(write(tmp_path, "a.csv", body))) == ({"a\nb": 5000, "c": 5000}, 0)


def test_quoted_header(tmp_path):
    p = write(tmp_path, "a.csv", '"the\nid","label"\n1,a\n')
    assert read_counts(p).as_dict() == {"a": 1}
    assert read_counts(p, column="the\nid").as_dict() == {"1": 1}


def test_crlf_and_no_trailing_newline(tmp_path):
    assert dist(read_counts(write(tmp_path, "a.csv", "id,label\r\n1,a\r\n2,b\r\n3,\r\n"))) == ({"a": 1, "b": 1}, 1)
    assert dist(read_counts(write(tmp_path, "b.csv", "label\na\nb"))) == ({"a": 1, "b": 1}, 0)
    assert dist(read_counts(write(tmp_path, "c.txt", "a\r\nb\r\n\r\nb"))) == ({"b": 2, "a": 1}, 1)
    assert dist(read_counts(write(tmp_path, "d.jsonl", '{"label": "a"}\r\n{"label": "b"}'))) == ({"a": 1, "b": 1}, 0)
    assert dist(read_counts(write(tmp_path, "e.tsv", "label\tx\r\na\t1"))) == ({"a": 1}, 0)


def test_old_mac_line_ends(tmp_path):
    assert dist(read_counts(write(tmp_path, "a.csv", "id,label\r1,a\r2,\r3,a\r"))) == ({"a": 2}, 1)
    assert dist(read_counts(write(tmp_path, "b.csv", '"x\ry",label\r1,a'))) == ({"a": 1}, 0)


def test_bom_and_encodings(tmp_path):
    bom = b"\xef\xbb\xbf"
    assert read_counts(write(tmp_path, "a.csv", bom + b"label,x\ncaf\xc3\xa9,1\n")).as_dict() == {"café": 1}
    assert read_counts(write(tmp_path, "a.txt", bom + b"caf\xc3\xa9\n")).as_dict() == {"café": 1}
    assert read_counts(write(tmp_path, "a.jsonl", bom + b'{"label": "a"}\n')).as_dict() == {"a": 1}
    assert read_counts(write(tmp_path, "a.json", bom + b'[{"label": "a"}]')).as_dict() == {"a": 1}
    assert read_counts(write(tmp_path, "b.csv", bom + b"label\na\n"), encoding="utf-8-sig").as_dict() == {"a": 1}
    latin = "label\ncafé\nnaïve\ncafé\n".encode("latin-1")
    for name in ("l.csv", "l.txt"):
        p = write(tmp_path, name, latin if name.endswith("csv") else latin.split(b"\n", 1)[1])
        assert read_counts(p, encoding="latin-1").as_dict() == {"café": 2, "naïve": 1}
    p = write(tmp_path, "l.jsonl", '{"label": "café"}\n'.encode("latin-1"))
    assert read_counts(p, encoding="latin-1").as_dict() == {"café": 1}
    p = write(tmp_path, "u.csv", "label\nß\nß\n".encode("utf-16"))
    assert read_counts(p, encoding="utf-16").as_dict() == {"ß": 2}


def test_unknown_encoding(tmp_path):
    p = write(tmp_path, "a.csv", "label\na\n")
    with pytest.raises(ConfigError) as err:
        read_counts(p, encoding="klingon")
    assert str(err.value) == "--encoding: unknown encoding 'klingon'; use a Python codec name such as utf-8 or latin-1"


# -- txt ------------------------------------------------------------------------------------------------


def test_txt_has_no_quoting_or_delimiter(tmp_path):
    p = write(tmp_path, "a.txt", 'a,b\n"quoted"\n\tx\t\n"\na,b\n')
    assert dist(read_counts(p)) == ({"a,b": 2, '"quoted"': 1, "\tx\t": 1, '"': 1}, 0)


def test_txt_lines(tmp_path):
    assert dist(read_counts(write(tmp_path, "a.txt", "a\n\nb\n"))) == ({"a": 1, "b": 1}, 1)
    assert dist(read_counts(write(tmp_path, "b.txt", "a\nb"))) == ({"a": 1, "b": 1}, 0)
    assert dist(read_counts(write(tmp_path, "c.txt", "a\n\n"))) == ({"a": 1}, 1)
    assert dist(read_counts(write(tmp_path, "d.labels", " a \n"))) == ({" a ": 1}, 0)


def test_txt_across_chunks(tmp_path, monkeypatch):
    from imbalcheck.readers import txt

    monkeypatch.setattr(txt, "TXT_CHUNK", 7)
    body = "alpha\nbeta\n\ngamma-ray\nalpha\nb"
    assert dist(read_counts(write(tmp_path, "a.txt", body))) == ({"alpha": 2, "beta": 1, "gamma-ray": 1, "b": 1}, 1)


def test_txt_rejects_column_and_counts(tmp_path):
    p = write(tmp_path, "a.txt", "a\n")
    with pytest.raises(ConfigError, match=r"--column does not apply to txt input: a txt file has one label per line"):
        read_counts(p, column="label")
    with pytest.raises(ConfigError, match=r"a label,count table cannot be txt"):
        read_counts(p, counts=True)


# -- typed values ---------------------------------------------------------------------------------------


def test_json_values_in_the_one_spelling(tmp_path):
    recs = [{"label": 1}, {"label": 1.5}, {"label": 1.50}, {"label": True}, {"label": False}, {"label": "1"},
            {"label": None}, {}, {"label": ""}, {"label": -0.0}]
    p = write(tmp_path, "a.jsonl", "\n".join(json.dumps(r) for r in recs) + '\n{"label": 1.50}\n{"label": 1e3}\n')
    # a JSON number is a number: 1.50 is 1.5, 1e3 is 1000, -0.0 is 0 (README, "one spelling")
    assert dist(read_counts(p)) == ({"1": 2, "1.5": 3, "true": 1, "false": 1, "1000": 1, "0": 1}, 3)


def test_json_mixed_types_in_one_column(tmp_path):
    p = write(tmp_path, "a.json", '[{"label": 1}, {"label": "1"}, {"label": true}, {"label": "true"}, {"label": 2}]')
    assert dist(read_counts(p)) == ({"1": 2, "true": 2, "2": 1}, 0)


def test_parquet_typed_columns(tmp_path):
    table = pa.table({
        "i": pa.array([7, 7, None, 10], pa.int64()),
        "b": pa.array([True, False, True, None]),
        "f": pa.array([1.5, 1.0, float("nan"), None]),
        "s": pa.array(["x", None, "", "x"]),
        "d": pa.array(["p", "q", "p", "p"]).dictionary_encode(),
        "u": pa.array([1, 2, 1, 1], pa.uint8()),
    })
    p = write_parquet(tmp_path, "a.parquet", table)
    assert dist(read_counts(p, column="i")) == ({"7": 2, "10": 1}, 1)
    assert dist(read_counts(p, column="b")) == ({"true": 2, "false": 1}, 1)
    assert dist(read_counts(p, column="f")) == ({"1.5": 1, "1": 1}, 2)
    assert dist(read_counts(p, column="s")) == ({"x": 2}, 2)
    assert dist(read_counts(p, column="d")) == ({"p": 3, "q": 1}, 0)
    assert dist(read_counts(p, column="u")) == ({"1": 3, "2": 1}, 0)


def test_parquet_many_row_groups_and_only_one_column_read(tmp_path, monkeypatch):
    n = 50_000
    table = pa.table({"label": [f"c{i % 7}" for i in range(n)], "other": list(range(n))})
    path = tmp_path / "a.parquet"
    pq.write_table(table, path, row_group_size=4096)
    seen = []
    real = pq.ParquetFile.iter_batches

    def spy(self, *args, **kwargs):
        seen.append(kwargs.get("columns"))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetFile, "iter_batches", spy)
    c = read_counts(path)
    assert c.n_samples == n and c.as_dict()["c0"] == len(range(0, n, 7))
    assert seen and all(columns == ["label"] for columns in seen)


def test_large_cardinality_merges_across_batches(tmp_path, monkeypatch):
    from imbalcheck.readers import csv as tabular

    monkeypatch.setattr(tabular, "CSV_BLOCK_SIZE", 1 << 12)
    rows = [f"k{i % 3000}" for i in range(20000)]
    c = read_counts(write(tmp_path, "a.csv", "label\n" + "\n".join(rows) + "\n"))
    assert c.n_classes == 3000 and c.n_samples == 20000
    assert c.as_dict()["k0"] == 7 and c.as_dict()["k2999"] == 6


def test_result_is_sorted_by_count_then_label(tmp_path):
    c = read_counts(write(tmp_path, "a.txt", "b\na\nc\nc\nb\n"))
    assert c.labels.tolist() == ["b", "c", "a"]
    assert c.counts.tolist() == [2, 2, 1]
