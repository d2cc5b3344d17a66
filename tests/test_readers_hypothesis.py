"""Property test: whatever labels are written, in any format, read_counts counts
exactly what ``collections.Counter`` counts over the same data, in the README's one spelling."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imbalcheck.errors import InputError
from imbalcheck.readers import read_counts
from imbalcheck.readers.detect import FORMATS

# any unicode except surrogates (not encodable), NUL (taken as a sign of a binary
# file) and U+FEFF (a leading one is a byte order mark); txt also has no \n or \r
_EXCLUDED = "\x00\ufeff"
LABEL = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=_EXCLUDED), min_size=1, max_size=8)
TXT_LABEL = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters=_EXCLUDED + "\n\r"), min_size=1, max_size=8
)


_WHOLE = re.compile(r"(-?)(0|[1-9][0-9]*)\.0+")


def as_documented(values: list) -> list:
    """The README's spelling of a text label, by hand, value by value: a boolean in any case is
    true/false; a whole number printed with a decimal point and zeros only ("3.00") is "3"."""
    out = []
    for v in values:
        m = None if v is None else _WHOLE.fullmatch(v)
        if v is not None and v.lower() in ("true", "false"):
            v = v.lower()
        elif m:
            v = m[2] if m[2] == "0" else m[1] + m[2]
        out.append(v)
    return out


@st.composite
def label_lists(draw, label=LABEL):
    """A list of labels drawn from a small pool (so labels repeat) with some None (missing)."""
    pool = draw(st.lists(label, min_size=1, max_size=6, unique=True))
    return draw(st.lists(st.one_of(st.none(), st.sampled_from(pool)), min_size=1, max_size=40))


def _csv_bytes(values, *, dialect: str, single: bool, bom: bool) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, dialect=dialect)
    writer.writerow(["label"] if single else ["id", "label", "note"])
    for i, v in enumerate(values):
        writer.writerow([v or ""] if single else [i, v or "", "n,\"q\"\n" if i % 3 == 0 else ""])
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode()


def encode(fmt: str, values: list, variant: int) -> bytes:
    """``values`` (None = missing) as a file of format ``fmt``; ``variant`` varies the layout."""
    if fmt in ("csv", "tsv"):
        return _csv_bytes(values, dialect="excel" if fmt == "csv" else "excel-tab", single=variant % 2 == 0,
                          bom=variant % 3 == 0)
    if fmt == "txt":
        body = "\n".join("" if v is None else v for v in values)
        if values[-1] is None or variant % 2:
            body += "\n"  # without it, a missing last label would look like a final newline
        return body.encode()
    if fmt == "jsonl":
        # a missing label is null or an absent key (never absent in the first record,
        # which is where the label key is found)
        recs = [{"id": i, "label": v} if (v is not None or i == 0 or (i + variant) % 2) else {"id": i}
                for i, v in enumerate(values)]
        return "".join(json.dumps(r, ensure_ascii=variant % 2 == 0) + "\n" for r in recs).encode()
    if fmt == "json":
        recs = [{"label": v, "id": i} for i, v in enumerate(values)]
        return json.dumps(recs, ensure_ascii=variant % 2 == 0, indent=variant % 3 or None).encode()
    if fmt == "parquet":
        buf = io.BytesIO()
        pq.write_table(pa.table({"id": list(range(len(values))), "label": pa.array(values, pa.string())}), buf,
                       row_group_size=max(1, variant * 5))
        return buf.getvalue()
    raise AssertionError(fmt)


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def read_back(fmt: str, data: bytes, how: int):
    """Read ``data`` via a file (plain or gzipped) or via standard input."""
    if how == 2:
        old = sys.stdin
        sys.stdin = _Stdin(gzip.compress(data) if fmt != "parquet" else data)
        try:
            return read_counts("-", input_format=fmt)
        finally:
            sys.stdin = old
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / (f"labels.{fmt}" + (".gz" if how == 1 else ""))
        path.write_bytes(gzip.compress(data) if how == 1 else data)
        return read_counts(path)


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), variant=st.integers(0, 5), how=st.integers(0, 2))
def test_counts_match_counter(fmt, data, variant, how):
    values = data.draw(label_lists(TXT_LABEL if fmt == "txt" else LABEL))
    expected = Counter(v for v in as_documented(values) if v is not None)
    n_missing = sum(v is None for v in values)
    raw = encode(fmt, values, variant)
    if not expected:
        with pytest.raises(InputError, match="every label is missing"):
            read_back(fmt, raw, how)
        return
    got = read_back(fmt, raw, how)
    assert got.as_dict() == dict(expected)
    assert got.n_missing == n_missing
    assert got.n_samples == sum(expected.values())
    assert list(got.counts) == sorted(got.counts, reverse=True)


@settings(max_examples=60, deadline=None)
@given(
    table=st.dictionaries(LABEL, st.integers(1, 10**12), min_size=1, max_size=20),
    missing=st.integers(0, 50),
    fmt=st.sampled_from(["csv", "tsv", "jsonl", "json", "parquet"]),
)
def test_counts_tables_round_trip(table, missing, fmt):
    labels = list(table) + ([None] if missing else [])
    counts = list(table.values()) + ([missing] if missing else [])
    if fmt in ("csv", "tsv"):
        out = io.StringIO()
        writer = csv.writer(out, dialect="excel" if fmt == "csv" else "excel-tab")
        writer.writerow(["label", "count"])
        writer.writerows([[lab or "", n] for lab, n in zip(labels, counts)])
        raw = out.getvalue().encode()
    elif fmt == "jsonl":
        raw = "".join(json.dumps({"label": lab, "count": n}) + "\n" for lab, n in zip(labels, counts)).encode()
    elif fmt == "json":
        raw = json.dumps([{"label": lab, "n": n} for lab, n in zip(labels, counts)]).encode()
    else:
        buf = io.BytesIO()
        pq.write_table(pa.table({"label": pa.array(labels, pa.string()), "freq": counts}), buf)
        raw = buf.getvalue()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"counts.{fmt}"
        path.write_bytes(raw)
        got = read_counts(path, counts=True)
    want: dict = {}
    for lab, n in zip(as_documented(list(table)), table.values()):  # labels spelled alike are one class
        want[lab] = want.get(lab, 0) + n
    assert got.as_dict() == {lab: n for lab, n in want.items() if n}
    assert got.n_missing == missing
