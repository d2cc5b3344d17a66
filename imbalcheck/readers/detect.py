"""Input format and compression detection (no heavy imports here)."""

from __future__ import annotations

import os

from ..errors import ConfigError, InputError

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

_FORMAT_HINT = "use --input-format " + "|".join(FORMATS)


def check_input_format(input_format: str | None, name: str) -> str | None:
    """Validate ``--input-format`` (case-insensitive); ``None`` means "detect"."""
    if input_format is None:
        return None
    fmt = str(input_format).strip().lower().lstrip(".")
    if fmt not in FORMATS:
        raise ConfigError(f"{name}: unknown --input-format {input_format!r}; choose one of {', '.join(FORMATS)}")
    return fmt


def format_from_name(name: str) -> str:
    """The format implied by a file name's extension, ignoring a trailing ``.gz``."""
    base = os.path.basename(name.rstrip("/\\")).lower()
    gz = base.endswith(".gz")
    stem = base[:-3] if gz else base
    ext = os.path.splitext(stem)[1]
    if ext in EXTENSIONS:
        return EXTENSIONS[ext]
    if not ext:
        what = "'.gz' without a format extension" if gz else "no file extension"
        raise InputError(f"{name}: cannot tell the file type ({what}); {_FORMAT_HINT}")
    shown = ext + (".gz" if gz else "")
    raise InputError(f"{name}: unknown file type {shown!r}; {_FORMAT_HINT}")


def detect_format(name: str, input_format: str | None = None, *, is_stdin: bool = False) -> str:
    """``input_format`` if given, else csv for standard input, else from the extension."""
    fmt = check_input_format(input_format, name)
    if fmt is not None:
        return fmt
    if is_stdin:
        return "csv"
    return format_from_name(name)


def is_gzip(head: bytes) -> bool:
    return head[:2] == GZIP_MAGIC
