"""imbalcheck.readers: counts tables and every way an input can be wrong.

Every user-caused failure is an InputError (ConfigError for a bad option) whose
message is one line and starts with the file name.
"""

from __future__ import annotations

import gzip
import io
import os
import random
import sys
import warnings
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from imbalcheck.errors import ConfigError, InputError
from imbalcheck.readers import read_counts


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def parquet_bytes(table: pa.Table, **kw) -> bytes:
    buf = io.BytesIO()
    pq.write_table(table, buf, **kw)
    return buf.getvalue()


def fails(path, exc=InputError, **kwargs) -> str:
    """The message of the error ``read_counts`` raises; checks the message rules."""
    with pytest.raises(exc) as err:
        read_counts(path, **kwargs)
    msg = str(err.value)
    assert "\n" not in msg and msg.isprintable(), msg
    name = "<stdin>" if path == "-" else os.fspath(path)
    if exc is InputError:  # an input error names the input; an option error names the option
        assert msg.startswith(f"{name}: "), msg
    else:
        assert msg.startswith(("--", "unknown --", f"{name}: ")), msg
    assert len(msg) < 400, msg
    return msg


# -- counts tables --------------------------------------------------------------------------------------


def test_counts_table_basic(tmp_path):
    p = write(tmp_path, "c.csv", "label,count\ncat,900\ndog,90\naxolotl,10\n")
    c = read_counts(p, counts=True)
    assert c.labels.tolist() == ["cat", "dog", "axolotl"] and c.counts.tolist() == [900, 90, 10]
    assert c.n_missing == 0


@pytest.mark.parametrize("count_name", ["count", "N", "Frequency", "freq"])
def test_count_column_auto_pick(tmp_path, count_name):
    p = write(tmp_path, "c.csv", f"{count_name},name\n3,a\n4,b\n")
    assert read_counts(p, counts=True).as_dict() == {"a": 3, "b": 4}


def test_count_column_option(tmp_path):
    p = write(tmp_path, "c.csv", "class,total,other\na,3,9\nb,4,9\n")
    assert read_counts(p, counts=True, count_column="total").as_dict() == {"a": 3, "b": 4}
    msg = fails(p, counts=True)
    assert msg == (
        f"{p}: no count column (named count, n, frequency or freq); available columns: class, total, other "
        "(use --count-column NAME)"
    )
    msg = fails(p, counts=True, count_column="totl")
    assert msg == f"{p}: no column named 'totl'; available columns: class, total, other (use --count-column NAME)"
    fails(p, ConfigError, count_column="total")  # needs counts=True


def test_counts_label_and_count_same_column(tmp_path):
    p = write(tmp_path, "c.csv", "label,n\na,3\n")
    fails(p, ConfigError, counts=True, column="n", count_column="n")


def test_counts_label_column_choice(tmp_path):
    p = write(tmp_path, "c.csv", "a,b,count\nx,y,3\n")
    assert fails(p, counts=True).endswith("available columns: a, b, count (use --column NAME)")
    assert read_counts(p, counts=True, column="b").as_dict() == {"y": 3}


def test_counts_missing_label_goes_to_n_missing(tmp_path):
    p = write(tmp_path, "c.csv", 'label,count\na,3\n,4\nb,2\n"",1\n')
    c = read_counts(p, counts=True)
    assert c.as_dict() == {"a": 3, "b": 2} and c.n_missing == 5


@pytest.mark.parametrize(
    "body,pattern",
    [
        ("a,3\nb,-2\n", r"negative count for label\(s\) \['b'\]; counts must be >= 0$"),
        ("a,3\nb,2.5\n", r"count for label\(s\) \['b'\] is not a whole number below 2\*\*62; counts must be whole numbers$"),
        ("a,3\nb,\n", r"missing count for label\(s\) \['b'\]; fill or drop those rows$"),
        ("a,3\nb,2\na,1\n", r"label\(s\) \['a'\] appear more than once; aggregate the counts first$"),
        ("a,3\nb,lots\n", r"count 'lots' for label 'b' is not a number; column 'count' must hold whole numbers$"),
        ("a,3\n,-1\n", r"negative count for a row with a missing label; counts must be >= 0$"),
        ("a,3\n,\n", r"missing count for a row with a missing label; fill or drop that row$"),
        ("a,3\n,0.5\n", r"non-integer count for a row with a missing label"),
        ("a,0\n", r"every count in the table is zero"),
        (",3\n", r"every label in the counts table is missing"),
        ("", r"no rows; the file has a header but no data$"),
    ],
)
def test_counts_table_errors(tmp_path, body, pattern):
    p = write(tmp_path, "c.csv", "label,count\n" + body)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        msg = fails(p, counts=True)
    assert __import__("re").search(pattern, msg), msg


def test_counts_zero_count_warns_and_drops(tmp_path):
    p = write(tmp_path, "c.csv", "label,count\na,3\nb,0\n")
    with pytest.warns(UserWarning, match="dropping 1 class"):
        assert read_counts(p, counts=True).as_dict() == {"a": 3}


def test_counts_whole_floats_and_spaces_accepted(tmp_path):
    p = write(tmp_path, "c.csv", "label,count\na, 3 \nb,4.0\nc,1e2\n")
    assert read_counts(p, counts=True).as_dict() == {"a": 3, "b": 4, "c": 100}


def test_counts_table_other_formats(tmp_path):
    t = pa.table({"label": ["a", "b", None], "n": pa.array([3, 4, 5], pa.int64())})
    p = write(tmp_path, "c.parquet", parquet_bytes(t))
    c = read_counts(p, counts=True)
    assert c.as_dict() == {"b": 4, "a": 3} and c.n_missing == 5
    bad = write(tmp_path, "d.parquet", parquet_bytes(pa.table({"label": ["a", "b"], "n": [3.0, None]})))
    assert "missing count for label(s) ['b']" in fails(bad, counts=True)
    neg = write(tmp_path, "e.parquet", parquet_bytes(pa.table({"label": [1, 2], "n": [3, -1]})))
    assert "negative count for label(s) ['2']" in fails(neg, counts=True)
    sc = write(tmp_path, "f.parquet", parquet_bytes(pa.table({"label": ["a", "b"], "n": ["3", "x"]})))
    assert "count 'x' for label 'b' is not a number" in fails(sc, counts=True)
    j = write(tmp_path, "c.jsonl", '{"label": "a", "count": 2}\n{"label": "b", "count": "3"}\n{"count": 4}\n')
    c = read_counts(j, counts=True)
    assert c.as_dict() == {"b": 3, "a": 2} and c.n_missing == 4
    j2 = write(tmp_path, "d.json", '[{"label": "a", "freq": 2}, {"label": "a", "freq": 1}]')
    assert "label(s) ['a'] appear more than once" in fails(j2, counts=True)
    j3 = write(tmp_path, "e.json", '[{"label": "a", "freq": true}]')
    assert "count 'true' for label 'a' is not a number" in fails(j3, counts=True)
    j4 = write(tmp_path, "f.json", '[{"label": "a", "freq": 2.5}]')
    assert "count for label(s) ['a'] is not a whole number" in fails(j4, counts=True)
    j5 = write(tmp_path, "g.json", '[{"label": "a", "freq": 1}, {"label": "b"}]')
    assert "missing count for label(s) ['b']" in fails(j5, counts=True)
    j6 = write(tmp_path, "h.json", '[{"label": "a"}]')
    assert "no column named 'freq'; available keys: label (use --count-column NAME)" in fails(
        j6, counts=True, count_column="freq"
    )


# -- files that cannot be opened ----------------------------------------------------------------------


def test_missing_file(tmp_path):
    p = tmp_path / "nope.csv"
    assert fails(p) == f"{p}: no such file; check the path"


def test_directory(tmp_path):
    assert fails(tmp_path) == (f"{tmp_path}: a folder, but not an ImageFolder, COCO or YOLO layout; pass a labels "
                               "file inside it, or --layout imagefolder|coco|yolo")


def test_permission_denied(tmp_path, monkeypatch):
    p = write(tmp_path, "a.csv", "label\na\n")
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # root can read anything: simulate
        from imbalcheck.readers import source as _source

        def denied(*args, **kwargs):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(_source, "open", denied, raising=False)
    else:
        p.chmod(0)
    try:
        assert fails(p) == f"{p}: permission denied; check the file's permissions"
    finally:
        p.chmod(0o644)


def test_unknown_extension_before_reading(tmp_path):
    p = write(tmp_path, "x.xlsx", b"PK\x03\x04")
    assert fails(p) == f"{p}: a spreadsheet (.xlsx) cannot be read; export the sheet as CSV"
    p = write(tmp_path, "x.docx", b"PK\x03\x04")
    assert fails(p) == f"{p}: unknown file type '.docx'; use --input-format csv|tsv|parquet|jsonl|json|txt"


def test_empty_files(tmp_path):
    for name in ("a.csv", "a.tsv", "a.txt", "a.jsonl"):
        assert fails(write(tmp_path, name, "")).endswith("no rows; the file is empty") or name.endswith("jsonl")
    assert fails(write(tmp_path, "b.jsonl", "")) == f"{tmp_path / 'b.jsonl'}: no records; the file is empty"
    assert fails(write(tmp_path, "c.jsonl", "\n  \n")).endswith("no records; the file is empty")
    assert fails(write(tmp_path, "a.json", "")).endswith("no records; the file is empty")
    assert fails(write(tmp_path, "b.json", " [ ] ")).endswith("no records; the JSON array is empty")
    assert fails(write(tmp_path, "b.csv", "\n\n")).endswith("no rows; the file is empty")
    assert fails(write(tmp_path, "c.csv", b"\xef\xbb\xbf")).endswith("no rows; the file is empty")
    assert fails(write(tmp_path, "e.parquet", b"")).startswith(f"{tmp_path / 'e.parquet'}: not a valid Parquet file")


@pytest.mark.parametrize("body", ["label\n", "label", "id,label\r\n", "id,label\n\n\n"])
def test_header_only(tmp_path, body):
    p = write(tmp_path, "a.csv", body)
    assert fails(p) == f"{p}: no rows; the file has a header but no data"


def test_header_only_parquet(tmp_path):
    p = write(tmp_path, "a.parquet", parquet_bytes(pa.table({"label": pa.array([], pa.string())})))
    assert fails(p) == f"{p}: no rows; the file has columns but no data"


@pytest.mark.parametrize(
    "name,body",
    [
        ("a.csv", "id,label\n1,\n2,\n"),
        ("b.csv", "label\n\n\n"),
        ("a.txt", "\n\n"),
        ("a.jsonl", '{"label": null}\n{"x": 1, "label": ""}\n'),
        ("a.json", '[{"label": null}]'),
    ],
)
def test_all_labels_missing(tmp_path, name, body):
    msg = fails(write(tmp_path, name, body))
    assert "every label is missing" in msg


def test_all_labels_missing_parquet(tmp_path):
    p = write(tmp_path, "a.parquet", parquet_bytes(pa.table({"label": pa.array([None, None], pa.string())})))
    assert "every label is missing (2 rows, all empty or null in column 'label')" in fails(p)


# -- corrupt content --------------------------------------------------------------------------------------


def _random_labels(name: str, n: int = 50_000) -> bytes:
    rnd = random.Random(1)
    labels = [f"c{rnd.randrange(10**6)}" for _ in range(n)]
    if ".parquet" in name:
        return parquet_bytes(pa.table({"label": labels}), compression="none")
    if ".jsonl" in name:
        return "".join('{"label": "%s"}\n' % x for x in labels).encode()
    return ("label\n" + "".join(f"{x}\n" for x in labels)).encode()


@pytest.mark.parametrize("name", ["a.csv.gz", "a.txt.gz", "a.jsonl.gz", "a.parquet.gz"])
def test_truncated_gzip(tmp_path, name):
    data = gzip.compress(_random_labels(name))
    p = write(tmp_path, name, data[: len(data) // 2])
    assert "the gzip data is truncated or corrupt" in fails(p)


def test_corrupt_gzip(tmp_path):
    p = write(tmp_path, "a.csv.gz", b"\x1f\x8b" + bytes(range(256)) * 4)
    assert "the gzip data is truncated or corrupt" in fails(p)


def test_broken_parquet(tmp_path):
    good = parquet_bytes(pa.table({"label": [f"c{i}" for i in range(1000)]}))
    p = write(tmp_path, "trunc.parquet", good[: len(good) // 2])
    assert fails(p) == (
        f"{p}: not a valid Parquet file (no Parquet footer: it is truncated or not Parquet); "
        "check the file or pass the right --input-format"
    )
    p = write(tmp_path, "text.parquet", "label\na\n")
    assert "not a valid Parquet file" in fails(p)
    # damage the column data but keep the footer
    raw = bytearray(parquet_bytes(pa.table({"label": [f"c{i}" for i in range(1000)]}), compression="snappy"))
    raw[4:200] = b"\xff" * 196
    p = write(tmp_path, "bad.parquet", bytes(raw))
    assert "Parquet" in fails(p)


def test_nested_parquet_column(tmp_path):
    p = write(tmp_path, "a.parquet", parquet_bytes(pa.table({"label": [[1], [2]]})))
    assert "holds list<element: int64> values, which are label sets, not single labels; read them with --multi-label" in fails(p)


def test_binary_garbage(tmp_path):
    rnd = random.Random(7)
    garbage = bytes(rnd.randrange(256) for _ in range(20_000))
    for name in ("a.csv", "a.tsv", "a.txt", "a.jsonl", "a.json"):
        fails(write(tmp_path, name, garbage))
    msg = fails(write(tmp_path, "b.csv", b"\x00\x01\x02label\n"))
    assert msg.endswith("this looks like a binary file, not csv text; check the file or pass the right --input-format")


def test_parquet_read_as_csv(tmp_path):
    p = write(tmp_path, "a.csv", parquet_bytes(pa.table({"label": ["a"]})))
    assert fails(p) == f"{p}: this is a Parquet file, not csv; pass --input-format parquet"


def test_invalid_utf8(tmp_path):
    for name, body in [
        ("a.csv", b"label\ncaf\xe9\n"),
        ("a.tsv", b"l\xe9bel\tx\na\t1\n"),
        ("a.txt", b"caf\xe9\n"),
        ("a.jsonl", b'{"label": "caf\xe9"}\n'),
        ("a.json", b'[{"label": "caf\xe9"}]'),
    ]:
        msg = fails(write(tmp_path, name, body))
        assert "is not valid utf-8 text" in msg and msg.endswith("pass its real encoding, e.g. --encoding latin-1")
    assert read_counts(tmp_path / "a.csv", encoding="latin-1").as_dict() == {"café": 1}


def test_invalid_text_in_other_encoding(tmp_path):
    p = write(tmp_path, "a.csv", b"label\n\xff\xfe\xfd\n")
    assert "is not valid ascii text" in fails(p, encoding="ascii")


def test_ragged_rows(tmp_path):
    p = write(tmp_path, "a.csv", "id,label\n1,a\n2,b\n3\n4,c\n")
    assert fails(p) == (
        f"{p}: row 3 after the header has 1 field but the header has 2 ('3'); "
        "fix that row or quote values that contain commas"
    )
    p = write(tmp_path, "a.tsv", "id\tlabel\n1\ta\tb\n")
    assert fails(p) == (
        f"{p}: row 1 after the header has 3 fields but the header has 2 ('1 a b'); "
        "fix that row or quote values that contain tabs"
    )
    body = "id,label\n" + "1,a\n" * 300_000 + "9,x,y\n"
    assert "row 300001 after the header has 3 fields" in fails(write(tmp_path, "b.csv", body))


def test_bad_json(tmp_path):
    p = write(tmp_path, "a.jsonl", '{"label": "a"}\n{"label": "b",}\n')
    assert fails(p) == (
        f"{p}: invalid JSON on line 2, column 15: Expecting property name enclosed in double quotes; "
        "jsonl needs one JSON object per line"
    )
    p = write(tmp_path, "b.jsonl", '{"label": "a"}\n[1, 2]\n')
    assert "line 2 is an array, not a JSON object (for a JSON array of records use --input-format json)" in fails(p)
    p = write(tmp_path, "c.jsonl", '[{"label": "a"},\n{"label": "b"}]\n')
    assert "(this looks like a JSON array: use --input-format json)" in fails(p)
    p = write(tmp_path, "a.json", '[\n  {"label": "a"},\n  {"label": "b"}\n  {"label": "c"}\n]')
    assert fails(p) == (
        f"{p}: invalid JSON at line 4, column 3: expected ',' or ']' after item 2 but found '{{'; "
        "json input must be an array of records"
    )
    p = write(tmp_path, "b.json", '{"label": ["a", "b"]}')
    assert "(one object per line? use --input-format jsonl)" in fails(p)
    p = write(tmp_path, "c.json", '[{"label": "a"}, 3]')
    assert "item 2 of the array is a number, not an object" in fails(p)
    p = write(tmp_path, "d.json", '[{"label": "a"}')
    assert "unexpected end of file inside the array (missing ']')" in fails(p)
    p = write(tmp_path, "e.json", '[{"label": "a"}] []')
    assert "extra data after the closing ']'" in fails(p)
    p = write(tmp_path, "f.json", '[{"label": "a", "x": tru}]')
    assert "invalid JSON at line 1, column 22: Expecting value" in fails(p)
    p = write(tmp_path, "g.jsonl", '{"label": {"a": 1}}\n')
    assert "line 1: the label is an object; labels must be strings, numbers or booleans" in fails(p)


def test_json_array_streams_in_chunks(tmp_path, monkeypatch):
    from imbalcheck.readers import json as tabular

    monkeypatch.setattr(tabular._JsonArrayReader, "CHUNK", 5)
    recs = ",\n".join('{"label": "%s", "pad": "%s"}' % ("ab"[i % 2], "x" * (i % 13)) for i in range(500))
    p = write(tmp_path, "a.json", "[" + recs + "]\n")
    assert read_counts(p).as_dict() == {"a": 250, "b": 250}
    p = write(tmp_path, "b.json", "[" + recs + ",\n\n  oops]")
    assert "invalid JSON at line 502, column 3: Expecting value" in fails(p)


def test_stdin_errors(monkeypatch):
    class Stdin:
        def __init__(self, data):
            self.buffer = io.BytesIO(data)

    monkeypatch.setattr(sys, "stdin", Stdin(b"id,label\n1\n"))
    assert fails("-").startswith("<stdin>: row 1 after the header has 1 field")
    monkeypatch.setattr(sys, "stdin", Stdin(gzip.compress(b"label\na\n" * 1000)[:30]))
    assert "the gzip data is truncated or corrupt" in fails("-")
    monkeypatch.setattr(sys, "stdin", Stdin(b"PAR1xxxx"))
    assert "not a valid Parquet file" in fails("-", input_format="parquet")
    monkeypatch.setattr(sys, "stdin", None)
    assert fails("-") == "<stdin>: there is no standard input to read; pass a file path"


def test_bad_options(tmp_path):
    p = write(tmp_path, "a.csv", "label\na\n")
    assert fails(p, ConfigError, input_format="excel").startswith("unknown --input-format 'excel'; choose one of csv")
    assert fails(p, ConfigError, count_column="n") == "--count-column only applies to a label,count table; add --counts"
    with pytest.raises(InputError, match="int: cannot read labels from this object"):
        read_counts(123)


def test_errors_chain_the_original_exception(tmp_path):
    p = write(tmp_path, "a.parquet", b"not parquet at all")
    with pytest.raises(InputError) as err:
        read_counts(p)
    assert err.value.__cause__ is not None


def test_unclosed_quote_in_the_last_column_is_an_error_not_lost_rows(tmp_path):
    from imbalcheck.readers import read_counts

    path = tmp_path / "u.csv"
    path.write_text('id,label,text\n1,a,"unclosed\n2,b,x\n3,c,y\n')
    with pytest.raises(InputError, match="a quoted field is never closed"):
        read_counts(path)


def test_stray_quote_inside_an_unquoted_field_is_literal(tmp_path):
    from imbalcheck.readers import read_counts

    path = tmp_path / "s.csv"
    path.write_text('id,label,text\n1,a,12" pizza\n2,b,x\n')
    assert read_counts(path).as_dict() == {"a": 1, "b": 1}


def test_ragged_row_that_is_not_utf8_is_one_clean_line(tmp_path, capsys):
    """pyarrow cannot hand such a row to the handler; no 'Exception ignored' noise either."""
    path = tmp_path / "a.csv"
    path.write_bytes(b"id,label\n1,a\n2,\xff,x\n")
    with pytest.raises(InputError) as err:
        read_counts(path)
    assert str(err.value) == (
        f"{path}: row 2 after the header has 3 fields but the header has 2 ('2,\ufffd,x'); "
        "fix that row or quote values that contain commas"
    )
    assert capsys.readouterr().err == ""
