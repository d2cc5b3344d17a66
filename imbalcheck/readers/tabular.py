"""Reading label files (csv, tsv, parquet, jsonl, json, txt) into :class:`Counts`.

Everything streams: CSV/TSV through ``pyarrow.csv.open_csv`` (only the label
column is converted, as text), Parquet through ``ParquetFile.iter_batches``
(only the label column is read), txt in fixed-size byte chunks, JSON record by
record. Each batch is reduced to (value, count) pairs and the partial counts are
merged (:class:`~.tally.Tally`), so memory stays bounded by the number of distinct
labels, not the number of rows. Big quote-free CSV files and multi-row-group
Parquet files are read on every core (:mod:`.csv_ranges`, :mod:`.parquet_groups`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import re
import sys
import tempfile
import types
from itertools import chain, islice

import numpy as np
import pyarrow as pa

from .. import progress
from ..counts import Counts
from ..errors import ConfigError, InputError
from . import kernels
from ._columns import choose_columns, choose_label_column, list_columns
from ._source import BOM, Prefixed, Source, clean, encoding_message, is_utf8, utf8_stream
from .detect import PARQUET_MAGIC
from .tally import Tally

CSV_BLOCK_SIZE = 1 << 20  # bytes per CSV block handed to the parser (pyarrow reads ahead several)
TXT_CHUNK = 8 << 20  # bytes read per txt chunk
PARQUET_BATCH = 1 << 20  # rows per Parquet batch
MAX_LINE = 64 << 20  # longest header / txt line accepted
JSON_HEAD = 1000  # records looked at to find the keys of a JSON input


def read_source(
    src: Source,
    fmt: str,
    *,
    column: str | None,
    counts: bool,
    count_column: str | None,
    codec: str,
) -> Counts:
    if fmt == "txt":
        if column is not None:
            raise ConfigError(
                f"{src.name}: txt input has one label per line and no columns; drop --column "
                "or pass --input-format csv"
            )
        if counts:
            raise ConfigError(
                f"{src.name}: a label,count table cannot be txt; use csv, tsv, parquet, json or jsonl"
            )
        return _read_txt(src, codec)
    if fmt in ("csv", "tsv"):
        return _read_delimited(src, fmt, column, counts, count_column, codec)
    if fmt == "parquet":
        return _read_parquet(src, column, counts, count_column)
    if fmt in ("json", "jsonl"):
        return _read_json(src, fmt, column, counts, count_column, codec)
    raise ConfigError(f"{src.name}: unknown input format {fmt!r}")  # pragma: no cover


def float64_numpy(arr: pa.Array) -> np.ndarray:
    """A numeric Arrow array as float64 numpy, nulls as NaN."""
    arr = kernels.fill_null(kernels.cast(arr, pa.float64(), safe=False), float("nan"))
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return np.frombuffer(arr.buffers()[1], dtype=np.float64, count=len(arr), offset=arr.offset * 8).copy()


def _is_nested(t: pa.DataType) -> bool:
    return pa.types.is_nested(t) or pa.types.is_map(t) or pa.types.is_union(t)


def _type_error(name: str, col, t: pa.DataType) -> InputError:
    return InputError(
        f"{name}: column {str(col)!r} holds {t} values, which cannot be labels; pick another column with --column NAME"
    )


def arrow_labels(values: pa.Array, name: str, col) -> list[str | None]:
    """Arrow values as label strings (``None`` = missing), typed values written out:
    int 7 -> "7", bool -> "true"/"false", float 1.5 -> "1.5" (NaN is missing)."""
    t = values.type
    if pa.types.is_dictionary(t):
        values = kernels.decode(values)
        t = values.type
    if pa.types.is_string(t) or pa.types.is_large_string(t) or getattr(pa.types, "is_string_view", lambda _: False)(t):
        return values.to_pylist()
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t) or (
        getattr(pa.types, "is_binary_view", lambda _: False)(t)
    ):
        out: list[str | None] = []
        for v in values.to_pylist():
            try:
                out.append(None if v is None else v.decode("utf-8"))
            except UnicodeDecodeError as exc:
                raise InputError(encoding_message(name, "utf-8", exc)) from None
        return out
    if pa.types.is_boolean(t):
        return [None if v is None else ("true" if v else "false") for v in values.to_pylist()]
    if pa.types.is_integer(t):
        return [None if v is None else str(v) for v in values.to_pylist()]
    if pa.types.is_floating(t):
        return [None if v is None or v != v else str(float(v)) for v in values.to_pylist()]
    if pa.types.is_null(t):
        return [None] * len(values)
    if _is_nested(t):
        raise _type_error(name, col, t)
    try:
        return kernels.cast(values, pa.string()).to_pylist()
    except (pa.ArrowException, TypeError, ValueError):
        raise _type_error(name, col, t) from None


def plural(n: int, noun: str) -> str:
    """``plural(1, "rows")`` -> "1 row"."""
    return f"{n} {noun[:-1] if n == 1 and noun.endswith('s') else noun}"


def finish(
    name: str,
    labels: list,
    counts,
    n_missing: int,
    *,
    rows: int,
    col,
    what: str = "rows",
) -> Counts:
    """Merge (label, count) pairs, moving missing labels (None, "") to ``n_missing``."""
    merged: dict[str, int] = {}
    get = merged.get
    for lab, n in zip(labels, counts.tolist() if isinstance(counts, np.ndarray) else counts):
        if lab is None or lab == "":
            n_missing += n
        else:
            merged[lab] = get(lab, 0) + n
    if not merged:
        where = f" in column {str(col)!r}" if col is not None else ""
        raise InputError(
            f"{name}: every label is missing ({plural(rows, what)}, all empty or null{where}); "
            "check --column or the file's contents"
        )
    return Counts.from_codes(list(merged), np.fromiter(merged.values(), np.int64, len(merged)), n_missing)


# -- label,count tables ----------------------------------------------------------------------------


class _Num:
    """A JSON number kept as written (``1.50`` stays "1.50" as a label)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __float__(self) -> float:
        return float(self.text)

    def __repr__(self) -> str:
        return self.text


def _count_value(v, name: str, label, col) -> float:
    if v is None:
        return float("nan")
    if isinstance(v, (bool, np.bool_)):
        raise _not_a_number(name, v, label, col)
    if isinstance(v, str):
        s = v.strip()
        if not s:
            return float("nan")
        try:
            return float(int(s))
        except ValueError:
            pass
        try:
            return float(s)
        except ValueError:
            raise _not_a_number(name, v, label, col) from None
    try:
        return float(v)
    except (TypeError, ValueError):
        raise _not_a_number(name, v, label, col) from None


def _not_a_number(name: str, v, label, col) -> InputError:
    return InputError(
        f"{name}: count {clean(repr(v), 40)} for label {clean(repr(label), 40)} is not a number; "
        f"column {str(col)!r} must hold whole numbers"
    )


def counts_table(name: str, labels: list, values, *, col=None) -> Counts:
    """Validate a label,count table (one row per label) and build :class:`Counts`.

    A row whose label is missing adds its count to ``n_missing``.
    """
    if isinstance(values, np.ndarray) and values.dtype.kind in "iuf":
        nums = values.astype(np.float64)
    else:
        nums = np.fromiter(
            (_count_value(v, name, lab, col) for v, lab in zip(values, labels)), np.float64, len(labels)
        )
    missing = np.fromiter((lab is None or lab == "" for lab in labels), bool, len(labels))
    n_missing = 0
    if missing.any():
        m = nums[missing]
        if np.isnan(m).any():
            raise InputError(f"{name}: missing count for a row with a missing label; fill or drop that row")
        if (m < 0).any():
            raise InputError(f"{name}: negative count for a row with a missing label; counts must be >= 0")
        if (m != np.floor(m)).any() or (m > 2**62).any():
            raise InputError(
                f"{name}: non-integer count for a row with a missing label; counts must be whole numbers"
            )
        n_missing = int(m.sum())
    keep = ~missing
    kept = [lab for lab, k in zip(labels, keep.tolist()) if k]
    result = Counts.from_arrays(kept, nums[keep], n_missing, source=name)
    if result.n_classes == 0:
        if not kept:
            raise InputError(
                f"{name}: every label in the counts table is missing; check --column or the file's contents"
            )
        raise InputError(f"{name}: every count in the table is zero; there are no samples to analyse")
    return result


# -- csv / tsv -------------------------------------------------------------------------------------


def _header_end(buf: bytes, start: int, delim: int) -> int | None:
    """Index of the last byte (\n, or a lone \r) of the record that starts at
    ``start``, quotes respected; ``None`` if ``buf`` ends first."""
    nl = buf.find(b"\n", start)
    stop = nl if nl >= 0 else len(buf)
    if buf.find(b'"', start, stop) < 0 and buf.find(b"\r", start, max(start, stop - 1)) < 0:
        return nl if nl >= 0 else None  # the common case: no quotes, \n or \r\n line ends
    quote, newline, cr = 0x22, 0x0A, 0x0D
    i, n = start, len(buf)
    field_start, quoted = True, False
    while i < n:
        c = buf[i]
        if quoted:
            if c == quote:
                if i + 1 >= n:
                    return None  # need more data to tell "" from "
                if buf[i + 1] == quote:
                    i += 2
                    continue
                quoted = False
        elif c == newline:
            return i
        elif c == cr:
            if i + 1 >= n:
                return None
            return i + 1 if buf[i + 1] == newline else i
        elif c == delim:
            field_start = True
            i += 1
            continue
        elif c == quote and field_start:
            quoted = True
        field_start = False
        i += 1
    return None


def _skip_blank_lines(buf: bytes, start: int) -> int:
    while True:
        if buf.startswith(b"\n", start):
            start += 1
        elif buf.startswith(b"\r\n", start):
            start += 2
        elif buf.startswith(b"\r", start) and start + 1 < len(buf):
            start += 1
        else:
            return start


def _sniff_header(stream, delim: str, name: str, utf8: bool, fmt: str):
    """Read until the end of the header record.

    Returns ``(buf, start, end)``: the bytes read so far, where the header record
    starts (after a BOM and blank lines) and the index of its closing newline
    (``None`` when the input ends inside the header).
    """
    buf = b""
    start = 0
    eof = False
    while True:
        chunk = stream.read(1 << 16)
        if not chunk:
            eof = True
        buf += chunk
        if utf8 and len(buf) < 3 and not eof:
            continue
        if utf8 and start == 0 and buf.startswith(BOM):
            start = 3
        start = _skip_blank_lines(buf, start)
        if not eof and buf.endswith(b"\r") and start == len(buf) - 1:
            continue
        end = _header_end(buf, start, ord(delim)) if start < len(buf) else None
        if b"\x00" in buf[start : (start + (1 << 16)) if end is None else end]:
            raise InputError(
                f"{name}: this looks like a binary file, not {fmt} text; check the file or pass the right --input-format"
            )
        if end is not None:
            return buf, start, end
        if eof:
            return buf, start, None
        if len(buf) - start > MAX_LINE:
            raise InputError(
                f"{name}: the first line is longer than {MAX_LINE >> 20} MiB; is this really a {fmt} file? "
                "(pass the right --input-format)"
            )


def _read_delimited(src: Source, fmt: str, column, counts: bool, count_column, codec: str) -> Counts:
    name = src.name
    delim = "\t" if fmt == "tsv" else ","
    if src.head.startswith(PARQUET_MAGIC):
        raise InputError(f"{name}: this is a Parquet file, not {fmt}; pass --input-format parquet")
    stream = utf8_stream(src.open(), codec)
    try:
        return _read_delimited_stream(src, stream, fmt, delim, column, counts, count_column, codec)
    finally:
        stream.close()


def _read_delimited_stream(
    src: Source, stream, fmt: str, delim: str, column, counts: bool, count_column, codec: str
) -> Counts:
    import pyarrow.csv as pcsv

    name = src.name
    buf, start, end = _sniff_header(stream, delim, name, is_utf8(codec), fmt)
    if start >= len(buf):
        raise InputError(f"{name}: no rows; the file is empty")
    header = buf[start:] if end is None else buf[start : end + 1]
    parse = pcsv.ParseOptions(delimiter=delim, newlines_in_values=True)
    names = pcsv.read_csv(
        io.BytesIO(header if header.endswith(b"\n") else header + b"\n"),
        read_options=pcsv.ReadOptions(use_threads=False),
        parse_options=parse,
    ).column_names
    if end is None:
        raise InputError(f"{name}: no rows; the file has a header but no data")

    wanted = choose_columns(name, names, column, counts=counts, count_column=count_column)
    li = wanted[0]

    # the header is skipped by position and columns get unique internal names, so
    # duplicated or odd header names cannot confuse the parser
    offset = end + 1
    if not counts and src.reopenable and not src.gz and is_utf8(codec):
        from .csv_ranges import count_ranges

        tally = count_ranges(src.path, offset, delimiter=delim, n_columns=len(names), column=li)
        if tally is not None:
            return _tallied(name, tally, names[li])
    if src.reopenable:
        stream.close()
        raw = utf8_stream(src.open(), codec)
        _skip(raw, offset)
    else:
        raw = Prefixed(buf[offset:], stream)
    quotes = QuoteTally(raw, src.size)
    data = pa.PythonFile(quotes, mode="r")
    try:
        result, rows = _parse_rows(name, data, fmt, delim, names, wanted, counts)
    finally:
        data.close()
    quotes.check(name, rows)
    return result


class QuoteTally(io.RawIOBase):
    """Counts the ``"`` and newline bytes that the CSV parser reads, to catch an unclosed quote.

    pyarrow reads an unclosed quoted field to the end of the file without an error,
    silently swallowing every later row. Its signature: an odd number of quote
    characters and fewer rows than lines. (A stray quote inside an unquoted field
    is literal text and balances nothing, so the row count is checked too.)
    """

    def __init__(self, inner, total: int | None = None) -> None:
        self._inner = inner
        self._total = total
        self._read = 0
        self.quotes = 0
        self.newlines = 0
        self.ends_with_newline = True

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self._inner.read(size)
        if chunk:
            view = np.frombuffer(chunk, dtype=np.uint8)  # no copy; vectorised counts
            self.quotes += int(np.count_nonzero(view == 0x22))
            self.newlines += int(np.count_nonzero(view == 0x0A))
            self.ends_with_newline = bool(view[-1] == 0x0A)
            self._read += view.size
            progress.update(self._read, self._total)
        return chunk

    def check(self, name: str, rows: int) -> None:
        lines = self.newlines + (0 if self.ends_with_newline else 1)
        if self.quotes % 2 and rows < lines:
            raise InputError(
                f"{name}: a quoted field is never closed (odd number of '\"' characters), so the rows after it "
                "would be read as one value; fix the quoting"
            )


def _parse_rows(name: str, data, fmt: str, delim: str, names: list, wanted: list, counts: bool) -> tuple[Counts, int]:
    import pyarrow.csv as pcsv

    internal = [f"c{i}" for i in range(len(names))]
    keep = [internal[i] for i in wanted]
    bad_rows: list = []

    def on_invalid_row(row) -> str:
        bad_rows.append(row)
        return "error"

    with _quiet_row_decoding():
        try:
            reader = pcsv.open_csv(
                data,
                read_options=pcsv.ReadOptions(column_names=internal, block_size=CSV_BLOCK_SIZE, use_threads=False),
                parse_options=pcsv.ParseOptions(
                    delimiter=delim,
                    newlines_in_values=True,
                    ignore_empty_lines=len(names) > 1,
                    invalid_row_handler=on_invalid_row,
                ),
                convert_options=pcsv.ConvertOptions(
                    include_columns=keep,
                    column_types={c: pa.string() for c in keep},
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
            if counts:
                labs, cnts = [], []
                for batch in reader:
                    labs.append(batch.column(0))
                    cnts.append(batch.column(1))
                rows = sum(len(a) for a in labs)
                if rows == 0:
                    raise InputError(f"{name}: no rows; the file has a header but no data")
                labels = pa.chunked_array(labs, pa.string()).to_pylist()
                values = pa.chunked_array(cnts, pa.string()).to_pylist()
                return counts_table(name, labels, values, col=names[wanted[1]]), rows
            tally = Tally()
            for batch in reader:
                tally.add(batch.column(0))
        except pa.ArrowInvalid as exc:
            if bad_rows:
                raise _ragged(name, bad_rows[0], fmt) from None
            ragged = _RAGGED.search(str(exc))
            if ragged:  # a bad row pyarrow could not hand over (its text is not UTF-8)
                row = types.SimpleNamespace(number=int(ragged[1]), expected_columns=int(ragged[2]),
                                            actual_columns=int(ragged[3]), text=ragged[4])
                raise _ragged(name, row, fmt) from None
            if "Empty CSV file" in str(exc):
                raise InputError(f"{name}: no rows; the file has a header but no data") from None
            raise
        return _tallied(name, tally, names[wanted[0]]), tally.rows


def _tallied(name: str, tally: Tally, col) -> Counts:
    if tally.rows == 0:
        raise InputError(f"{name}: no rows; the file has a header but no data")
    values, n = tally.result()
    return finish(name, values.to_pylist(), n, 0, rows=tally.rows, col=col)


def _skip(stream, n: int) -> None:
    while n > 0:
        got = stream.read(min(n, 1 << 20))
        if not got:
            return
        n -= len(got)


_RAGGED = re.compile(r"Row #(\d+): Expected (\d+) columns, got (\d+): (.*)", re.S)


@contextlib.contextmanager
def _quiet_row_decoding():
    """Silence pyarrow's "Exception ignored" report when a bad row's text is not UTF-8.

    pyarrow decodes the row before calling ``invalid_row_handler``; when that fails it
    prints the decoding error to stderr and raises its own parse error, which is what
    the reader then reports (in one line).
    """
    previous = sys.unraisablehook

    def hook(unraisable) -> None:
        if not isinstance(unraisable.exc_value, UnicodeDecodeError):
            previous(unraisable)

    sys.unraisablehook = hook
    try:
        yield
    finally:
        sys.unraisablehook = previous


def _ragged(name: str, row, fmt: str) -> InputError:
    which = f"row {row.number} after the header" if row.number is not None else "a row"
    sep = "tabs" if fmt == "tsv" else "commas"
    return InputError(
        f"{name}: {which} has {plural(row.actual_columns, 'fields')} but the header has {row.expected_columns} "
        f"({clean(row.text, 60)!r}); fix that row or quote values that contain {sep}"
    )


# -- txt -------------------------------------------------------------------------------------------


def _one_binary(block: bytes) -> pa.Array:
    """A length-1 binary array holding ``block`` (``pa.array`` would import pandas)."""
    offsets = pa.py_buffer(np.array([0, len(block)], dtype=np.int32).tobytes())
    return pa.Array.from_buffers(pa.binary(), 1, [None, offsets, pa.py_buffer(block)])


def _lines(block: bytes) -> pa.Array:
    return kernels.split_lines(_one_binary(block))


def _read_txt(src: Source, codec: str) -> Counts:
    stream = utf8_stream(src.open(), codec)
    try:
        return _read_txt_stream(src.name, stream, codec, src.size)
    finally:
        stream.close()


def _read_txt_stream(name: str, stream, codec: str, total: int | None = None) -> Counts:
    tally = Tally()
    carry = b""
    first = True
    done = 0
    while True:
        chunk = stream.read(TXT_CHUNK)
        done += len(chunk)
        progress.update(done, total)
        if first:
            if len(chunk) < 3 and chunk:
                more = stream.read(TXT_CHUNK)
                chunk += more
            if is_utf8(codec) and chunk.startswith(BOM):
                chunk = chunk[3:]
            if b"\x00" in chunk[:4096]:
                raise InputError(
                    f"{name}: this looks like a binary file, not txt labels; check the file or pass the right --input-format"
                )
            first = False
        if not chunk:
            break
        data = carry + chunk if carry else chunk
        cut = data.rfind(b"\n")
        if cut < 0:
            carry = data
            if len(carry) > MAX_LINE:
                raise InputError(
                    f"{name}: a line is longer than {MAX_LINE >> 20} MiB; is this really a txt label file? "
                    "(pass the right --input-format)"
                )
            continue
        carry = data[cut + 1 :]
        tally.add(_lines(data[:cut]))
    if carry:
        tally.add(_one_binary(carry))
    if tally.rows == 0:
        raise InputError(f"{name}: no rows; the file is empty")
    values, n = tally.result()
    labels: list[str] = []
    for v in values.to_pylist():
        try:
            s = v.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(encoding_message(name, codec, exc)) from None
        labels.append(s[:-1] if s.endswith("\r") else s)
    return finish(name, labels, n, 0, rows=tally.rows, col=None, what="lines")


# -- parquet ---------------------------------------------------------------------------------------


def _read_parquet(src: Source, column, counts: bool, count_column) -> Counts:
    import pyarrow.parquet as pq

    name = src.name
    if src.reopenable and not src.gz:
        # pre_buffer (pyarrow's default) caches every column chunk read until the file is
        # closed: peak RSS then grew with the row groups (100M rows: 178 MB vs 80 MB)
        def reopen(**kw):
            return pq.ParquetFile(src.path, pre_buffer=False, **kw)

        with reopen() as pf:
            return _parquet_counts(pf, name, column, counts, count_column, reopen=reopen)
    # Parquet needs random access: spool the (decompressed) bytes to a temporary file
    with tempfile.TemporaryFile(prefix="imbalcheck-") as tmp:
        stream = src.open()
        try:
            while True:
                chunk = stream.read(8 << 20)
                if not chunk:
                    break
                tmp.write(chunk)
        finally:
            stream.close()
        tmp.seek(0)
        with pq.ParquetFile(tmp, pre_buffer=False) as pf:
            return _parquet_counts(pf, name, column, counts, count_column)


def _parquet_counts(pf, name: str, column, counts: bool, count_column, reopen=None) -> Counts:
    """Counts of a Parquet file's label column (or its label,count table).

    With ``reopen`` (a way to open the file again with options) a text label column
    is read dictionary-encoded, so each batch is counted from its integer indices
    instead of hashing every string.
    """
    schema = pf.schema_arrow
    names = schema.names
    wanted = choose_columns(name, names, column, counts=counts, count_column=count_column)
    li = wanted[0]
    for i in wanted:
        if names.count(names[i]) > 1:
            raise InputError(f"{name}: {names.count(names[i])} columns are named {names[i]!r}; rename the duplicates first")
    label_type = schema.field(li).type
    if pa.types.is_dictionary(label_type):
        label_type = label_type.value_type
    if _is_nested(label_type):
        raise _type_error(name, names[li], label_type)
    if pf.metadata.num_rows == 0:
        raise InputError(f"{name}: no rows; the file has columns but no data")
    cols = [names[i] for i in wanted]
    as_dictionary = (reopen is not None and not counts
                     and (pa.types.is_string(label_type) or pa.types.is_large_string(label_type)))
    if counts:
        batches = pf.iter_batches(batch_size=PARQUET_BATCH, columns=cols, use_threads=True)
        labels: list = []
        parts: list = []
        for batch in batches:
            labels += arrow_labels(batch.column(0), name, cols[0])
            parts.append(_arrow_counts(batch.column(1)))
        if parts and all(isinstance(p, np.ndarray) for p in parts):
            values = np.concatenate(parts)
        else:
            values = [v for p in parts for v in (p.tolist() if isinstance(p, np.ndarray) else p)]
        return counts_table(name, labels, values, col=cols[1])
    meta = pf.metadata
    tally = None
    if reopen is not None:
        from .parquet_groups import count_row_groups

        options = {"read_dictionary": [cols[0]]} if as_dictionary else {}
        tally = count_row_groups(lambda: reopen(**options), cols[0],
                                 [meta.row_group(i).num_rows for i in range(meta.num_row_groups)],
                                 batch_size=PARQUET_BATCH)
    if tally is None:
        tally = Tally()
        with reopen(read_dictionary=[cols[0]]) if as_dictionary else contextlib.nullcontext(pf) as source:
            for batch in source.iter_batches(batch_size=PARQUET_BATCH, columns=cols, use_threads=True):
                tally.add(batch.column(0))
                progress.update(tally.rows, meta.num_rows)
    if tally.rows == 0:
        raise InputError(f"{name}: no rows; the file has columns but no data")
    values, n = tally.result()
    result = finish(name, arrow_labels(values, name, names[li]), n, 0, rows=tally.rows, col=names[li])
    return dataclasses.replace(result, label_kind=arrow_label_kind(label_type))


def arrow_label_kind(t: pa.DataType) -> str | None:
    """How scikit-learn would order labels of this Arrow type: numbers by value, strings as text."""
    if pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t):
        return "number"
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_boolean(t):
        return "text"
    return None


def _arrow_counts(arr: pa.Array):
    t = arr.type
    if pa.types.is_dictionary(t):
        arr = kernels.decode(arr)
        t = arr.type
    if pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t):
        return float64_numpy(arr)
    if pa.types.is_null(t):
        return np.full(len(arr), np.nan)
    return arr.to_pylist()  # strings are parsed (and checked) one by one


# -- json / jsonl ----------------------------------------------------------------------------------


def _decoder() -> json.JSONDecoder:
    return json.JSONDecoder(parse_float=_Num, parse_constant=_Num)


def _kind(v) -> str:
    if isinstance(v, list):
        return "an array"
    if isinstance(v, dict):
        return "an object"
    if isinstance(v, str):
        return "a string"
    if isinstance(v, bool):
        return "a boolean"
    if v is None:
        return "null"
    return "a number"


def _text(src: Source, codec: str):
    enc = "utf-8-sig" if is_utf8(codec) else codec
    return io.TextIOWrapper(src.open(), encoding=enc, errors="strict")


def _iter_jsonl(text, name: str):
    decode = _decoder().decode
    for lineno, line in enumerate(text, 1):
        if not line or line.isspace():
            continue
        try:
            obj = decode(line)
        except json.JSONDecodeError as exc:
            hint = " (this looks like a JSON array: use --input-format json)" if line.lstrip().startswith("[") else ""
            raise InputError(
                f"{name}: invalid JSON on line {lineno}, column {exc.colno}: {exc.msg}{hint}; "
                "jsonl needs one JSON object per line"
            ) from None
        if type(obj) is not dict:
            hint = " (for a JSON array of records use --input-format json)" if isinstance(obj, list) else ""
            raise InputError(
                f"{name}: line {lineno} is {_kind(obj)}, not a JSON object{hint}; jsonl needs one object per line"
            )
        yield f"line {lineno}", obj


class _JsonArrayReader:
    """Stream the records of a top-level JSON array without loading the whole file."""

    CHUNK = 1 << 20

    def __init__(self, text, name: str) -> None:
        self.text = text
        self.name = name
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.line0 = 1  # line number of buf[0]
        self.col0 = 1  # column number of buf[0]

    def _fill(self) -> bool:
        if self.eof:
            return False
        chunk = self.text.read(self.CHUNK)
        if not chunk:
            self.eof = True
            return False
        if self.pos > self.CHUNK:  # drop what was consumed, keeping line/column bookkeeping
            dropped = self.buf[: self.pos]
            nl = dropped.count("\n")
            if nl:
                self.line0 += nl
                self.col0 = len(dropped) - dropped.rfind("\n")
            else:
                self.col0 += len(dropped)
            self.buf = self.buf[self.pos :]
            self.pos = 0
        self.buf += chunk
        return True

    def _where(self, pos: int) -> str:
        head = self.buf[:pos]
        nl = head.count("\n")
        if nl:
            return f"line {self.line0 + nl}, column {pos - head.rfind(chr(10))}"
        return f"line {self.line0}, column {self.col0 + pos}"

    def _peek(self) -> str:
        """Next non-whitespace character ('' at the end), leaving pos on it."""
        while True:
            buf, pos, n = self.buf, self.pos, len(self.buf)
            while pos < n and buf[pos] in " \t\r\n":
                pos += 1
            self.pos = pos
            if pos < n:
                return buf[pos]
            if not self._fill():
                return ""

    def _error(self, pos: int, msg: str) -> InputError:
        return InputError(f"{self.name}: invalid JSON at {self._where(pos)}: {msg}; json input must be an array of records")

    def __iter__(self):
        name = self.name
        c = self._peek()
        if c == "":
            raise InputError(f"{name}: no records; the file is empty")
        if c != "[":
            hint = (
                " (one object per line? use --input-format jsonl)"
                if c == "{"
                else ""
            )
            raise InputError(
                f"{name}: expected a JSON array of records like [{{\"label\": \"cat\"}}, ...] "
                f"but the file starts with {c!r}{hint}"
            )
        self.pos += 1
        decoder = _decoder()
        index = 0
        if self._peek() == "]":
            self.pos += 1
        else:
            while True:
                if self._peek() == "":
                    raise self._error(self.pos, "unexpected end of file inside the array")
                start = self.pos
                while True:
                    try:
                        obj, end = decoder.raw_decode(self.buf, self.pos)
                        break
                    except json.JSONDecodeError as exc:
                        if len(self.buf) - start > MAX_LINE or not self._fill():
                            raise self._error(exc.pos, exc.msg) from None
                        # _fill may have dropped consumed text: start is relative to buf
                        start = self.pos
                index += 1
                if type(obj) is not dict:
                    raise InputError(
                        f"{name}: item {index} of the array is {_kind(obj)}, not an object; "
                        "json input must be an array of records like [{\"label\": \"cat\"}, ...]"
                    )
                self.pos = end
                yield f"record {index}", obj
                c = self._peek()
                if c == ",":
                    self.pos += 1
                    continue
                if c == "]":
                    self.pos += 1
                    break
                if c == "":
                    raise self._error(self.pos, "unexpected end of file inside the array (missing ']')")
                raise self._error(self.pos, f"expected ',' or ']' after item {index} but found {c!r}")
        if self._peek() != "":
            raise self._error(self.pos, "extra data after the closing ']'")
        if index == 0:
            raise InputError(f"{name}: no records; the JSON array is empty")


def _json_label(v, name: str, where: str):
    """A JSON value as a label string, exactly as written; None = missing."""
    if v is None:
        return None
    if isinstance(v, str):
        return v
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, _Num):
        return None if v.text == "NaN" else v.text
    raise InputError(
        f"{name}: {where}: the label is {_kind(v)}; labels must be strings, numbers or booleans "
        "(pick another key with --column NAME)"
    )


def _read_json(src: Source, fmt: str, column, counts: bool, count_column, codec: str) -> Counts:
    name = src.name
    if src.head.startswith(PARQUET_MAGIC):
        raise InputError(f"{name}: this is a Parquet file, not {fmt}; pass --input-format parquet")
    with _text(src, codec) as text:
        return _count_json(name, text, fmt, column, counts, count_column)


def _count_json(name: str, text, fmt: str, column, counts: bool, count_column) -> Counts:
    records = _iter_jsonl(text, name) if fmt == "jsonl" else iter(_JsonArrayReader(text, name))
    head = list(islice(records, JSON_HEAD))
    if not head:
        raise InputError(f"{name}: no records; the file is empty" if fmt == "jsonl" else f"{name}: no records")
    keys = list(dict.fromkeys(k for _, obj in head for k in obj))
    if counts:
        lab_key, cnt_key = (keys[i] for i in choose_columns(name, keys, column, counts=True,
                                                           count_column=count_column, kind="keys"))
        labels, values = [], []
        for where, obj in chain(head, records):
            labels.append(_json_label(obj.get(lab_key), name, where))
            v = obj.get(cnt_key)
            values.append(float(v) if isinstance(v, _Num) else v)
        return counts_table(name, labels, values, col=cnt_key)
    if column is not None and column not in keys:
        key = column  # may still appear after the first records; checked below
    else:
        key = keys[choose_label_column(name, keys, column, kind="keys")]
    tally: dict[str, int] = {}
    get = tally.get
    missing = rows = seen = 0
    for where, obj in chain(head, records):
        rows += 1
        v = obj.get(key)
        if type(v) is str:
            seen += 1
            if v:
                tally[v] = get(v, 0) + 1
            else:
                missing += 1
            continue
        if key in obj:
            seen += 1
        lab = _json_label(v, name, where)
        if lab is None or lab == "":
            missing += 1
        else:
            tally[lab] = get(lab, 0) + 1
    if seen == 0 and key not in keys:
        raise InputError(
            f"{name}: no key named {str(column)!r} in any record; available keys: {list_columns(keys)} (use --column NAME)"
        )
    return finish(name, list(tally), np.fromiter(tally.values(), np.int64, len(tally)), missing, rows=rows, col=key)
