"""What a source is: a file format (from ``--input-format``, the extension, or the content) or a
data-set layout (from ``--layout`` or the folder). No heavy imports here."""

from __future__ import annotations

import os
import zlib

from ..errors import ConfigError, InputError, warn

FORMATS = ("csv", "tsv", "parquet", "jsonl", "json", "txt")

#: file-name extension (lower case) -> format
EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".txt": "txt",
    ".labels": "txt",
}

GZIP_MAGIC = b"\x1f\x8b"
PARQUET_MAGIC = b"PAR1"
ZIP_MAGIC = b"PK\x03\x04"

_FORMAT_HINT = "use --input-format " + "|".join(FORMATS)
#: First lines that are a column name, not a label: such a text is read as csv with a header.
_HEADER_WORDS = frozenset({"label", "labels", "target", "targets", "class", "classes", "y", "tags", "category",
                           "count", "n", "frequency", "freq"})


def check_input_format(input_format: str | None) -> str | None:
    """Validate ``--input-format`` (case-insensitive); ``None`` means "detect"."""
    if input_format is None:
        return None
    fmt = str(input_format).strip().lower().lstrip(".")
    if fmt not in FORMATS:
        raise ConfigError(f"unknown --input-format {input_format!r}; choose one of {', '.join(FORMATS)}")
    return fmt


def format_from_name(name: str) -> str | None:
    """The format implied by a file name's extension (ignoring a trailing ``.gz``); None when
    there is no extension; an error for an extension that is not a label format."""
    base = os.path.basename(name.rstrip("/\\")).lower()
    stem = base[:-3] if base.endswith(".gz") else base
    ext = os.path.splitext(stem)[1]
    if ext in EXTENSIONS:
        return EXTENSIONS[ext]
    if not ext or not ext[1:].isalpha() or ext in (".gz", ".data", ".dat", ".out"):
        return None
    shown = ext + (".gz" if base.endswith(".gz") else "")
    if ext in (".xlsx", ".xls", ".xlsm", ".ods"):
        raise InputError(f"{name}: a spreadsheet ({shown}) cannot be read; export the sheet as CSV")
    raise InputError(f"{name}: unknown file type {shown!r}; {_FORMAT_HINT}")


def is_gzip(head: bytes) -> bool:
    return head[:2] == GZIP_MAGIC


def content_head(head: bytes) -> bytes:
    """The first bytes of the content: ``head`` itself, or as much of it as gunzips."""
    if not is_gzip(head):
        return head
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head)
    except zlib.error:
        return b""


def _delimiters(exclude: str | None) -> tuple[bytes, ...]:
    return tuple(d for d in (b",", b";", b"\t", b"|") if exclude is None or d != exclude.encode())


def sniff_format(head: bytes, name: str, exclude: str | None = None) -> str:
    """The format of a source from its first bytes (standard input, a file without an extension).

    Parquet by its magic bytes; a first line holding one JSON object: jsonl; ``[`` then a
    record or ``]``: json; any other text is csv when its first line holds a delimiter
    (``,`` ``;`` tab ``|``, except ``exclude``: the separator of multi-label cells) or is a
    usual column name that does not come back as a value below it, else plain text (one
    label per line), with a warning naming the first line.
    """
    data = content_head(head)
    if data.startswith(PARQUET_MAGIC):
        return "parquet"
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise InputError(f"{name}: the input is UTF-16 text (it starts with a UTF-16 byte order mark); "
                         "pass --encoding utf-16")
    if data.startswith(ZIP_MAGIC):
        raise InputError(f"{name}: a zip archive (an Excel workbook?) cannot be read; export the sheet as CSV")
    if b"\x00" in data[:4096]:
        raise InputError(f"{name}: this looks like a binary file, not label text; {_FORMAT_HINT}")
    text = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"[") and text[1:].lstrip(b" \t\r\n")[:1] in (b"{", b"]"):
        return "json"
    first = text.split(b"\n", 1)[0].rstrip(b"\r")
    if text.startswith(b"{"):
        import json

        try:
            return "jsonl" if isinstance(json.loads(first), dict) else "json"
        except ValueError:
            return "json"  # a pretty-printed object: the JSON reader says what it expected
    if not text.strip():
        raise InputError(f"{name}: no labels; the input is empty or holds only whitespace")
    lines = text.split(b"\n")
    header_word = first.strip().lower().decode("utf-8", "replace") in _HEADER_WORDS
    again = first in (line.rstrip(b"\r") for line in lines[1:-1])  # a header's text is not a value below it
    if any(d in first for d in _delimiters(exclude)) or (header_word and not again):
        return "csv"
    shown = first.decode("utf-8", "replace")[:40]
    warn(f"{name}: read as plain text, one label per line (the first line {shown!r} has no delimiter); "
         "pass --input-format csv if it is a header")
    return "txt"


def detect_format(name: str, head: bytes, input_format: str | None = None, *, exclude: str | None = None) -> str:
    """``--input-format`` if given, else the extension, else the content (:func:`sniff_format`;
    ``head`` as UTF-8, ``exclude`` the multi-label separator)."""
    fmt = check_input_format(input_format)
    if fmt is not None:
        return fmt
    return format_from_name(name) or sniff_format(head, name, exclude)
