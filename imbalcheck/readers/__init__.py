"""Readers: label files and in-memory objects -> :class:`imbalcheck.counts.Counts`.

``read_counts`` reads csv, tsv, parquet, jsonl, json or txt (each optionally
gzipped) from a path or standard input, streaming in bounded memory.
``counts_from_object`` takes a pandas Series/DataFrame, a numpy array, a list of
labels, a label -> count mapping or a ``Counts``.

Importing this package is cheap: pyarrow, numpy and pandas are imported only
when a function needs them (pandas only for pandas objects).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ..errors import ConfigError, ImbalcheckError
from .detect import FORMATS, detect_format

if TYPE_CHECKING:  # pragma: no cover
    from ..counts import Counts

__all__ = ["FORMATS", "read_counts", "counts_from_object"]


def read_counts(
    source: str | os.PathLike,
    *,
    input_format: str | None = None,
    column: str | None = None,
    counts: bool = False,
    count_column: str | None = None,
    encoding: str = "utf-8",
) -> Counts:
    """Read a label file and count its labels.

    ``source`` is a path or ``"-"`` for standard input (csv unless ``input_format``
    says otherwise). The format comes from ``input_format`` or the extension
    (.csv .tsv .tab .parquet .pq .jsonl .ndjson .json .txt .labels, optionally
    .gz); gzip is recognised by its magic bytes. With ``counts=True`` the file is a
    label,count table. Every failure the user can fix raises
    :class:`~imbalcheck.errors.InputError` (or ``ConfigError`` for a bad option)
    with a one-line message that starts with the file name.
    """
    from ._source import Source, codec_name, to_input_error

    src = Source(source)
    name = src.name
    detect_format(name, input_format, is_stdin=True)  # validates input_format early
    codec = codec_name(encoding, name)
    if count_column is not None and not counts:
        raise ConfigError(f"{name}: --count-column only applies to a label,count table; add --counts")
    fmt = input_format
    try:
        src.probe()
        fmt = detect_format(name, input_format, is_stdin=src.is_stdin)
        from .tabular import read_source

        return read_source(src, fmt, column=column, counts=counts, count_column=count_column, codec=codec)
    except ImbalcheckError:
        raise
    except MemoryError:
        raise
    except Exception as exc:
        raise to_input_error(exc, src, fmt or "input", codec) from exc


def counts_from_object(obj, *, column: str | None = None) -> Counts:
    """Count the labels of an in-memory object (see :mod:`imbalcheck.readers.objects`)."""
    from .objects import counts_from_object as _impl

    return _impl(obj, column=column)


def read_labels(source, *, input_format: str | None = None, column: str | None = None,
                encoding: str = "utf-8") -> list[str | None]:
    """Every row's label in file order (None where missing), for aligning row-wise features.

    In memory (pandas), unlike :func:`read_counts`; labels are read as text exactly as
    :func:`read_counts` reads them (an empty field is missing).
    """
    import pandas as pd

    from ..errors import InputError
    from ._columns import choose_label_column

    name = str(source)
    fmt = detect_format(name, input_format)
    try:
        if fmt in ("csv", "tsv"):
            frame = pd.read_csv(source, sep="\t" if fmt == "tsv" else ",", dtype=str, keep_default_na=False,
                                na_values=[""], encoding=encoding)
        elif fmt == "parquet":
            frame = pd.read_parquet(source)
        elif fmt in ("jsonl", "json"):
            frame = pd.read_json(source, lines=fmt == "jsonl", dtype=False, encoding=encoding)
        else:
            with open(source, encoding=encoding, newline="") as fh:
                return [line.rstrip("\r\n") or None for line in fh]
    except (OSError, ValueError) as exc:
        raise InputError(f"{name}: cannot read the rows ({exc}); check the file") from None
    col = frame.columns[choose_label_column(name, list(frame.columns), column)]
    return [None if pd.isna(v) or v == "" else str(v) for v in frame[col].tolist()]
