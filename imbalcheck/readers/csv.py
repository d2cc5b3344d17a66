"""Delimited text (csv, tsv): the header, the delimiter, then the rows streamed to a consumer.

The delimiter is detected from the header record: whichever of ``,`` ``;`` tab and
``|`` occurs most often outside quotes (ties go to the format's own delimiter, ``,``
for csv and tab for tsv), so the semicolon files Excel writes in many locales read as
meant; ``--delimiter`` overrides. The rows go through ``pyarrow.csv.open_csv`` (only the
columns the consumer chose are converted, as text), or, for a big quote-free file, on
every core (:mod:`.csv_ranges`).
"""

from __future__ import annotations

import os
import re
import tempfile
import types

import numpy as np
import pyarrow as pa

from ..errors import ConfigError, InputError
from . import kernels
from .source import BOM, Prefixed, Source, check_text, clip, is_utf8, utf8_stream

CSV_BLOCK_SIZE = 1 << 20  # bytes per CSV block handed to the parser (pyarrow reads ahead several)
MAX_LINE = 64 << 20  # longest header accepted
DELIMITERS = (",", ";", "\t", "|")
_NAMED = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}


def check_delimiter(delimiter: str | None) -> str | None:
    """Validate ``--delimiter``: one character (``tab`` or ``\\t`` for a tab), not a quote or a newline."""
    if delimiter is None:
        return None
    d = _NAMED.get(str(delimiter).lower(), str(delimiter))
    if len(d) != 1 or d in "\"\r\n":
        raise ConfigError(f"--delimiter {delimiter!r}: give one character such as ',', ';', '|' or tab")
    return d


def read(src: Source, consumer, *, fmt: str, codec: str, delimiter: str | None = None) -> str:
    """Stream the chosen columns of a csv/tsv source to ``consumer``; returns the delimiter used."""
    check_text(src, fmt, codec)
    stream = utf8_stream(src.open(), codec)
    try:
        return _read_stream(src, stream, consumer, fmt, delimiter, codec)
    finally:
        stream.close()


def _read_stream(src: Source, stream, consumer, fmt: str, delimiter: str | None, codec: str) -> str:
    import pyarrow.csv as pcsv

    name = src.name
    default = "\t" if fmt == "tsv" else ","
    exclude = consumer.sep if getattr(consumer, "lists", False) else None  # a multi-label cell separator
    buf, start, end, delim = _sniff_header(stream, default, delimiter, name, is_utf8(codec), fmt, exclude)
    if start >= len(buf):
        raise InputError(f"{name}: no rows; the file is empty")
    header = buf[start:] if end is None else buf[start : end + 1]
    names = pcsv.read_csv(  # from Arrow-owned memory: no Python object for Arrow's threads to hold
        pa.BufferReader(kernels.arrow_copy(header if header.endswith(b"\n") else header + b"\n")),
        read_options=pcsv.ReadOptions(use_threads=False),
        parse_options=pcsv.ParseOptions(delimiter=delim, newlines_in_values=True),
    ).column_names
    if end is None:
        raise InputError(f"{name}: no rows; the file has a header but no data")
    wanted = consumer.choose(name, names)

    # the header is skipped by position and columns get unique internal names, so
    # duplicated or odd header names cannot confuse the parser
    offset = end + 1
    if getattr(consumer, "parallel", True) and src.reopenable and not src.gz and is_utf8(codec):
        from .csv_ranges import read_ranges

        if read_ranges(src.path, offset, consumer, delimiter=delim, n_columns=len(names), columns=wanted):
            if not consumer.rows:
                raise InputError(f"{name}: no rows; the file has a header but no data")
            return delim
    # Arrow's streaming CSV reader finishes its work on Arrow's own threads, and one of them may drop
    # the reader's last reference after this function returned, even while the interpreter shuts
    # down. So the reader owns only native objects: a Python file or callback it owned would take the
    # GIL on that thread, and a thread asking for the GIL during shutdown is ended (pthread_exit)
    # inside a noexcept destructor: std::terminate, "terminate called without an active exception"
    # (apache/arrow#34314). Quotes are counted from a second native stream over the same bytes.
    if src.reopenable and is_utf8(codec):
        stream.close()
        with _native_stream(src, offset) as copy:
            quotes = QuoteTally(copy, src.size)
            _parse_rows(name, _native_stream(src, offset), fmt, delim, names, wanted, consumer, quotes)
    else:
        # standard input, a pipe or another encoding: the bytes come through Python (a stream read
        # once, a Python codec), so they are spooled as UTF-8 to a temporary file, quotes counted on
        # the way, and the reader gets that file by path
        quotes = QuoteTally(None, src.size)
        with tempfile.TemporaryDirectory(prefix="imbalcheck-", ignore_cleanup_errors=True) as tmp:
            path = os.path.join(tmp, "data.csv")
            rest = Prefixed(buf[offset:], stream)
            with open(path, "wb") as out:
                while True:
                    chunk = rest.read(8 * CSV_BLOCK_SIZE)
                    if not chunk:
                        break
                    quotes.add(chunk)
                    out.write(chunk)
            _parse_rows(name, pa.OSFile(path), fmt, delim, names, wanted, consumer, quotes)
    quotes.check(name, consumer.rows)
    if not consumer.rows:
        raise InputError(f"{name}: no rows; the file has a header but no data")
    return delim


def _native_stream(src: Source, offset: int):
    """A native Arrow stream (``pa.OSFile``, gunzipped when needed) of ``src`` from byte ``offset``."""
    stream = src.open()
    try:
        if src.gz:
            _skip(stream, offset)
        else:
            stream.seek(offset)
    except BaseException:
        stream.close()
        raise
    return stream


def detect_delimiter(header: bytes, default: str, exclude: str | None = None) -> str:
    """The candidate delimiter occurring most often outside double quotes in the header (ties:
    ``default``); ``exclude`` (the separator of multi-label cells) is never a candidate."""
    text = re.sub(rb'"[^"]*"', b"", header)
    counts = {d: text.count(d.encode()) for d in DELIMITERS if d != exclude}
    counts.setdefault(default, text.count(default.encode()))
    best = max(counts.values())
    if best == 0 or counts[default] == best:
        return default
    return next(d for d in DELIMITERS if counts.get(d) == best)


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


def _sniff_header(stream, default: str, delimiter: str | None, name: str, utf8: bool, fmt: str,
                  exclude: str | None = None):
    """Read until the end of the header record and settle the delimiter.

    Returns ``(buf, start, end, delimiter)``: the bytes read so far, where the header
    record starts (after a BOM and blank lines), the index of its closing newline
    (``None`` when the input ends inside the header) and ``delimiter``, or the one
    :func:`detect_delimiter` finds in the header.
    """
    buf = b""
    start = 0
    eof = False
    delim = delimiter or default
    decided = delimiter is not None
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
        if end is not None and not decided:
            decided = True
            found = detect_delimiter(buf[start:end + 1], default, exclude)
            if found != delim:  # a quote after the new delimiter may open a field: look again
                delim = found
                end = _header_end(buf, start, ord(delim))
        if end is not None:
            return buf, start, end, delim
        if eof:
            return buf, start, None, delim if decided else detect_delimiter(buf[start:], default, exclude)
        if len(buf) - start > MAX_LINE:
            raise InputError(
                f"{name}: the first line is longer than {MAX_LINE >> 20} MiB; is this really a {fmt} file? "
                "(pass the right --input-format)"
            )


class QuoteTally:
    """Counts the ``"`` and newline bytes of the CSV data, to catch an unclosed quote.

    pyarrow reads an unclosed quoted field to the end of the file without an error,
    silently swallowing every later row. Its signature: an odd number of quote
    characters and fewer rows than lines. (A stray quote inside an unquoted field
    is literal text and balances nothing, so the row count is checked too.)

    The parser's input stays a native stream, so the bytes are counted apart from it:
    from a second native stream over the same data (``advance`` after each parsed batch
    keeps pace with the parser and reports progress, ``finish`` counts the rest), or chunk
    by chunk with ``add`` while the data is spooled.
    """

    def __init__(self, stream=None, total: int | None = None) -> None:
        self._stream = stream
        self._total = total
        self._read = 0
        self.quotes = 0
        self.newlines = 0
        self.ends_with_newline = True

    def add(self, chunk) -> None:
        from .. import progress

        view = np.frombuffer(chunk, dtype=np.uint8)  # no copy; vectorised counts
        if not view.size:
            return
        self.quotes += int(np.count_nonzero(view == 0x22))
        self.newlines += int(np.count_nonzero(view == 0x0A))
        self.ends_with_newline = bool(view[-1] == 0x0A)
        self._read += view.size
        progress.update(self._read, self._total)

    def advance(self, nbytes: int = CSV_BLOCK_SIZE) -> None:
        """Count up to ``nbytes`` more bytes of the stream (nothing when there is none or it ended)."""
        if self._stream is None:
            return
        chunk = self._stream.read_buffer(nbytes)
        if chunk.size:
            self.add(chunk)
        else:
            self._stream = None

    def finish(self) -> None:
        """Count the rest of the stream."""
        while self._stream is not None:
            self.advance(8 * CSV_BLOCK_SIZE)

    def check(self, name: str, rows: int) -> None:
        lines = self.newlines + (0 if self.ends_with_newline else 1)
        if self.quotes % 2 and rows < lines:
            raise InputError(
                f"{name}: a quoted field is never closed (odd number of '\"' characters), so the rows after it "
                "would be read as one value; fix the quoting"
            )


def _parse_rows(name: str, data, fmt: str, delim: str, names: list, wanted: list, consumer,
                quotes: QuoteTally) -> None:
    """Parse the rows after the header from ``data``, a native Arrow stream, into ``consumer``.

    No ``invalid_row_handler``: a Python callback would be owned by the reader (see
    :func:`_read_stream`); a ragged row is reported from pyarrow's own message.
    """
    import pyarrow.csv as pcsv

    internal = [f"c{i}" for i in range(len(names))]
    keep = [internal[i] for i in wanted]
    try:
        with pcsv.open_csv(
            data,
            read_options=pcsv.ReadOptions(column_names=internal, block_size=CSV_BLOCK_SIZE, use_threads=False),
            parse_options=pcsv.ParseOptions(delimiter=delim, newlines_in_values=True,
                                            ignore_empty_lines=len(names) > 1),
            convert_options=pcsv.ConvertOptions(
                include_columns=keep,
                column_types={c: pa.string() for c in keep},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        ) as reader:
            for batch in reader:
                consumer.add([batch.column(k) for k in range(len(keep))])
                quotes.advance()
    except pa.ArrowInvalid as exc:
        ragged = _RAGGED.search(str(exc))
        if ragged:
            row = types.SimpleNamespace(number=int(ragged[1]), expected_columns=int(ragged[2]),
                                        actual_columns=int(ragged[3]), text=ragged[4])
            raise _ragged(name, row, fmt, delim) from None
        if "Empty CSV file" not in str(exc):
            raise
    quotes.finish()


def _skip(stream, n: int) -> None:
    while n > 0:
        got = stream.read(min(n, 1 << 20))
        if not got:
            return
        n -= len(got)


_RAGGED = re.compile(r"Row #(\d+): Expected (\d+) columns, got (\d+): (.*)", re.S)


def _ragged(name: str, row, fmt: str, delim: str) -> InputError:
    from ..tally.single import plural

    which = f"row {row.number} after the header" if row.number is not None else "a row"
    sep = {"\t": "tabs", ",": "commas", ";": "semicolons", "|": "'|' characters"}.get(delim, repr(delim))
    return InputError(
        f"{name}: {which} has {plural(row.actual_columns, 'fields')} but the header has {row.expected_columns} "
        f"({clip(row.text, 60)!r}); fix that row or quote values that contain {sep}"
    )
