"""Reading multi-label data into ``(names, Y, n_missing)``.

Two layouts:

* **delimited**: one column whose cells list a sample's labels, ``cat|dog``
  (``sep`` chooses the separator). Labels are kept exactly as written, nothing is
  stripped. An empty cell or a null is a missing label set (counted in
  ``n_missing``, not a sample). Empty items (``cat||dog``, a trailing ``|``) are
  dropped with a warning; a repeated label counts once. In JSON/JSON Lines and
  Parquet the cell may also be a list (``["cat", "dog"]``); an empty list is a
  sample with no label.
* **indicator** (one-hot): one column per label holding 0/1 or true/false.
  A row with an empty or null indicator is a missing sample (``n_missing``); any
  other value is an error naming the column and the row.

``names`` are the label names. Delimited labels come sorted (``sorted(set(...))``,
the order of scikit-learn's ``MultiLabelBinarizer``); indicator labels keep the
column order (with ``one_hot_prefix`` the prefix is removed from the names). ``Y``
is a ``scipy.sparse.csr_matrix`` (bool) from :data:`SPARSE_MIN_LABELS` labels
on, else a dense numpy bool array. Files are read into memory (gzip detected by
its magic bytes); pyarrow reads csv/tsv/parquet, the standard ``json`` module
reads json/jsonl. pyarrow, pandas and scipy are imported only when needed.

Rows in messages are numbered from 1 after the header (csv/tsv, parquet), lines
from 1 (jsonl), records from 1 (json).
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
import sys
import warnings
import zlib
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from ..errors import ConfigError, ImbalcheckError, InputError
from ..readers.detect import check_input_format, format_from_name

FORMATS = ("csv", "tsv", "parquet", "jsonl", "json")
#: Column names tried, case-insensitively, when ``column`` is not given.
LABEL_NAMES = ("labels", "label", "tags", "target", "targets", "class", "classes", "y")
#: From this many labels on, ``Y`` is a scipy.sparse CSR matrix.
SPARSE_MIN_LABELS = 1024
STDIN = "-"
_TRUE = {"1", "true", "1.0"}
_FALSE = {"0", "false", "0.0"}


# -- public API ----------------------------------------------------------------------------------


def read_multilabel(
    path,
    *,
    column: str | None = None,
    sep: str = "|",
    one_hot: Sequence[str] | None = None,
    one_hot_prefix: str | None = None,
    input_format: str | None = None,
    encoding: str = "utf-8",
):
    """Read a multi-label file.

    Parameters
    ----------
    path : path of a csv, tsv, parquet, jsonl or json file (optionally gzipped), or
        ``"-"`` for standard input (csv unless ``input_format`` says otherwise)
    column : the delimited label column (default: the first column named labels,
        label, tags, target, targets, class, classes or y, case-insensitive, or the
        only column)
    sep : separator between labels in a delimited cell
    one_hot : names of indicator columns, one per label (instead of ``column``)
    one_hot_prefix : use every column whose name starts with this prefix as an
        indicator column; the label name is the rest of the column name
    input_format : csv, tsv, parquet, jsonl or json (default: from the extension)
    encoding : text encoding of csv/tsv/json/jsonl

    Returns
    -------
    names : list[str]
    Y : (n_samples, n_labels) scipy.sparse.csr_matrix or numpy bool array
    n_missing : int, rows whose label set is missing (not in ``Y``)
    """
    name = _display_name(path)
    fmt = _check_format(input_format, name)
    mode = _check_options(name, column, sep, one_hot, one_hot_prefix)
    codec = _codec(encoding, name)
    data = _read_bytes(path, name)
    if fmt is None:
        fmt = "csv" if name == "<stdin>" else _format_from_name(name)
    try:
        if fmt in ("csv", "tsv"):
            table = _DelimitedTable(data, name, fmt, codec)
        elif fmt == "parquet":
            table = _ParquetTable(data, name)
        else:
            table = _JsonTable(data, name, fmt, codec)
        if mode == "delimited":
            col = table.choose(column)
            return _from_label_lists(table.label_lists(col, sep), name)
        cols = table.indicator_columns(one_hot, one_hot_prefix)
        return _from_indicator_columns(table, cols, one_hot_prefix, name)
    except ImbalcheckError:
        raise
    except MemoryError:
        raise
    except UnicodeError as exc:
        raise InputError(_encoding_message(name, codec, exc)) from None
    except Exception as exc:  # a library error: one line, never a traceback
        text = _clean(exc)
        if "utf8" in text.lower() or "utf-8" in text.lower():
            raise InputError(_encoding_message(name, codec, exc)) from None
        raise InputError(
            f"{name}: cannot read the file as {fmt} ({text}); check the file or pass the right input_format"
        ) from None


def multilabel_from_object(obj, names: Sequence | None = None, *, sep: str = "|"):
    """``(names, Y, n_missing)`` from an in-memory object.

    Accepted:

    * a list (any iterable) of label collections, one per sample: a set, list or
      tuple of labels (``str()`` of each; an empty one is a sample with no label),
      a string (split on ``sep``; an empty string is missing) or ``None`` (missing);
    * a 2-D indicator matrix (numpy array, nested lists with ``names`` given, or
      scipy.sparse) of 0/1 or bool, with ``names`` (default ``"0"``, ``"1"``, ...);
      a row holding NaN is missing;
    * a pandas DataFrame of indicator columns (its column names are the labels);
    * a pandas Series of label collections (like the list).

    Without ``names``, a list of lists is read as label sets; pass ``names`` to
    read it as indicator rows.
    """
    module = type(obj).__module__ or ""
    if module.startswith("pandas"):
        import pandas as pd

        if isinstance(obj, pd.DataFrame):
            if names is not None:
                raise ConfigError("DataFrame: its column names are the label names; drop names=")
            table = _FrameTable(obj)
            cols = list(range(len(table.columns)))
            return _from_indicator_columns(table, cols, None, "DataFrame")
        if isinstance(obj, pd.Series):
            obj = obj.tolist()
        else:
            raise InputError(f"{type(obj).__name__}: pass a DataFrame of indicator columns or a Series of label sets")
    if _looks_sparse(obj):
        return _from_matrix(obj, names, "sparse matrix")
    if isinstance(obj, np.ndarray):
        if obj.ndim == 2:
            return _from_matrix(obj, names, "array")
        if obj.ndim == 1 and names is None:
            return _from_label_lists(_object_lists(obj.tolist(), sep, "array"), "array")
        raise InputError(f"array: expected a 2-D indicator matrix (samples x labels), got {obj.ndim}-D")
    if isinstance(obj, (str, bytes, bytearray, Mapping)):
        raise InputError(
            f"{type(obj).__name__}: pass one label set per sample (a list of lists/sets) or an indicator matrix"
        )
    if isinstance(obj, Iterable):
        items = list(obj)
        if names is not None:
            try:
                matrix = np.asarray(items, dtype=np.float64)
            except (TypeError, ValueError):
                raise InputError(
                    "list: with names= the rows must be 0/1 indicator rows of equal length; "
                    "drop names= to pass label sets"
                ) from None
            if matrix.ndim != 2 and not (matrix.size == 0 and len(names) == 0):
                raise InputError("list: with names= pass indicator rows (a list of equal-length 0/1 lists)")
            return _from_matrix(matrix.reshape(len(items), len(names)) if matrix.size == 0 else matrix, names, "list")
        return _from_label_lists(_object_lists(items, sep, type(obj).__name__), type(obj).__name__)
    raise InputError(
        f"{type(obj).__name__}: cannot read label sets from this object; pass a list of label sets, "
        "an indicator matrix or a DataFrame of indicator columns"
    )


# -- options, formats, bytes ---------------------------------------------------------------------


def _display_name(path) -> str:
    if isinstance(path, str) and path == STDIN:
        return "<stdin>"
    try:
        return os.fsdecode(os.fspath(path))
    except TypeError:
        raise ConfigError(
            f"{path!r}: not a file path; pass a path, '-' for standard input, "
            "or use multilabel_from_object() for in-memory data"
        ) from None


def _check_format(input_format, name: str) -> str | None:
    """``input_format`` validated by the main readers, then limited to the multi-label formats."""
    fmt = check_input_format(input_format, name)
    if fmt is not None and fmt not in FORMATS:
        raise ConfigError(f"{name}: multi-label input cannot be {fmt}; use one of {', '.join(FORMATS)}")
    return fmt


def _format_from_name(name: str) -> str:
    fmt = format_from_name(name)
    if fmt not in FORMATS:
        raise InputError(f"{name}: multi-label input cannot be {fmt}; use --input-format {'|'.join(FORMATS)}")
    return fmt


def _check_options(name: str, column, sep, one_hot, one_hot_prefix) -> str:
    if one_hot is not None and one_hot_prefix is not None:
        raise ConfigError(f"{name}: give either one_hot (column names) or one_hot_prefix, not both")
    indicator = one_hot is not None or one_hot_prefix is not None
    if indicator and column is not None:
        raise ConfigError(f"{name}: column= names a delimited label column; drop it when using one-hot columns")
    if one_hot is not None:
        if isinstance(one_hot, str) or not all(isinstance(c, str) for c in one_hot):
            raise ConfigError(f"{name}: one_hot must be a list of column names, e.g. ['cat', 'dog']")
        if not list(one_hot):
            raise ConfigError(f"{name}: one_hot is empty; list the indicator columns")
        if len(set(one_hot)) != len(list(one_hot)):
            raise ConfigError(f"{name}: one_hot names a column twice; list each indicator column once")
    if one_hot_prefix is not None and (not isinstance(one_hot_prefix, str) or not one_hot_prefix):
        raise ConfigError(f"{name}: one_hot_prefix must be a non-empty string such as 'label_'")
    if not indicator and (not isinstance(sep, str) or not sep):
        raise ConfigError(f"{name}: sep must be a non-empty string such as '|'")
    return "indicator" if indicator else "delimited"


def _codec(encoding, name: str) -> str:
    try:
        return codecs.lookup(str(encoding)).name
    except LookupError:
        raise ConfigError(f"{name}: unknown encoding {encoding!r}; use a Python codec name such as utf-8 or latin-1") from None


def _read_bytes(path, name: str) -> bytes:
    try:
        if name == "<stdin>":
            stream = getattr(sys.stdin, "buffer", None)
            if stream is None:
                raise InputError(f"{name}: there is no standard input to read; pass a file path")
            data = stream.read()
        else:
            if os.path.isdir(name):
                raise InputError(f"{name}: is a directory, not a file; pass the path of a file inside it")
            with open(name, "rb") as f:
                data = f.read()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file; check the path") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied; check the file's permissions") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read the file ({_clean(exc)}); check the file and try again") from None
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(
                f"{name}: the gzip data is truncated or corrupt ({_clean(exc)}); re-create or re-download the file"
            ) from None
    return data


def _clean(exc, limit: int = 160) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _encoding_message(name: str, codec: str, exc=None) -> str:
    where = ""
    if isinstance(exc, UnicodeDecodeError):
        where = f" (byte 0x{exc.object[exc.start]:02x} cannot be decoded)"
    hint = "encoding='latin-1'" if codec in ("utf-8", "utf-8-sig") else "encoding='utf-8'"
    return f"{name}: the file is not valid {codec} text{where}; pass its real encoding, e.g. {hint}"


def _decode(data: bytes, codec: str) -> str:
    if codec in ("utf-8", "utf-8-sig"):
        codec = "utf-8-sig"  # a byte-order mark is not part of the first column name
    return data.decode(codec)


def _show(col) -> str:
    return repr(str(col))


def _list_columns(columns: Sequence, limit: int = 20) -> str:
    shown = [str(c) for c in columns[:limit]]
    if len(columns) > limit:
        shown.append(f"... ({len(columns) - limit} more)")
    return ", ".join(shown) if shown else "(none)"


# -- tables: one interface over csv/tsv, parquet, json(l) and DataFrames --------------------------


class _Table:
    """A table with named columns; subclasses give ``columns`` and ``values(i)``."""

    name: str
    columns: list
    where_word = "row"

    def where(self, i: int) -> str:
        return f"{self.where_word} {i + 1}"

    def choose(self, column) -> int:
        cols = [str(c) for c in self.columns]
        if column is not None:
            hits = [i for i, c in enumerate(cols) if c == str(column)]
            if not hits:
                raise InputError(
                    f"{self.name}: no column named {str(column)!r}; available columns: {_list_columns(cols)} "
                    "(use column=NAME, or one_hot=[...] for indicator columns)"
                )
            if len(hits) > 1:
                raise InputError(f"{self.name}: {len(hits)} columns are named {str(column)!r}; rename the duplicates first")
            return hits[0]
        lowered = [c.strip().lower() for c in cols]
        for wanted in LABEL_NAMES:
            if wanted in lowered:
                return lowered.index(wanted)
        if len(cols) == 1:
            return 0
        if not cols:
            raise InputError(f"{self.name}: the table has no columns")
        raise InputError(
            f"{self.name}: cannot tell which column holds the labels; available columns: {_list_columns(cols)} "
            "(use column=NAME for a delimited column, or one_hot=[...] / one_hot_prefix= for indicator columns)"
        )

    def indicator_columns(self, one_hot, prefix) -> list[int]:
        cols = [str(c) for c in self.columns]
        if len(set(cols)) != len(cols):
            dup = sorted({c for c in cols if cols.count(c) > 1})[:3]
            raise InputError(f"{self.name}: column(s) {dup} appear more than once; rename the duplicates first")
        if prefix is not None:
            picked = [i for i, c in enumerate(cols) if c.startswith(prefix) and len(c) > len(prefix)]
            if not picked:
                raise InputError(
                    f"{self.name}: no column name starts with {prefix!r}; available columns: {_list_columns(cols)}"
                )
            return picked
        missing = [c for c in one_hot if c not in cols]
        if missing:
            raise InputError(
                f"{self.name}: no column named {missing[0]!r}"
                + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")
                + f"; available columns: {_list_columns(cols)}"
            )
        return [cols.index(c) for c in one_hot]

    def label_lists(self, col: int, sep: str):  # pragma: no cover - abstract
        raise NotImplementedError

    def indicator_values(self, col: int) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError


class _ArrowTable(_Table):
    """csv/tsv/parquet through pyarrow: a string/list column becomes label lists in bulk."""

    def _column(self, col: int):
        raise NotImplementedError  # pragma: no cover

    def label_lists(self, col: int, sep: str):
        import pyarrow as pa
        import pyarrow.compute as pc

        arr = self._column(col)
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks() if arr.num_chunks else pa.array([], type=arr.type)
        t = arr.type
        if pa.types.is_dictionary(t):
            arr = arr.cast(t.value_type)
            t = arr.type
        if pa.types.is_large_list(t) or pa.types.is_list(t):
            if not (pa.types.is_string(t.value_type) or pa.types.is_large_string(t.value_type)
                    or pa.types.is_integer(t.value_type) or pa.types.is_dictionary(t.value_type)):
                raise InputError(
                    f"{self.name}: column {_show(self.columns[col])} holds lists of {t.value_type}; "
                    "labels must be text or integers"
                )
            missing = arr.is_null().to_numpy(zero_copy_only=False)
            return _ArrowLists(arr.filter(pc.invert(arr.is_null())), int(missing.sum()))
        if pa.types.is_integer(t):
            arr = arr.cast(pa.string())
        elif not (pa.types.is_string(t) or pa.types.is_large_string(t)):
            raise InputError(
                f"{self.name}: column {_show(self.columns[col])} has type {t}, not text; "
                "a delimited label column holds text like 'cat|dog'"
            )
        arr = arr.cast(pa.large_string())
        valid = pc.and_(pc.invert(arr.is_null()), pc.not_equal(arr, ""))
        valid = valid.fill_null(False)
        n_missing = len(arr) - int(pc.sum(valid).as_py() or 0)
        kept = arr.filter(valid)
        return _ArrowLists(pc.split_pattern(kept, pattern=sep), n_missing)

    def indicator_values(self, col: int) -> np.ndarray:
        import pyarrow as pa
        import pyarrow.compute as pc

        arr = self._column(col)
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks() if arr.num_chunks else pa.array([], type=arr.type)
        t = arr.type
        if pa.types.is_dictionary(t):
            arr = arr.cast(t.value_type)
            t = arr.type
        nulls = arr.is_null().to_numpy(zero_copy_only=False)
        if pa.types.is_boolean(t):
            vals = arr.fill_null(False).to_numpy(zero_copy_only=False).astype(np.int8)
            return np.where(nulls, -1, vals).astype(np.int8)
        if pa.types.is_integer(t) or pa.types.is_floating(t):
            vals = arr.cast(pa.float64()).fill_null(0.0).to_numpy(zero_copy_only=False)
            nulls = nulls | np.isnan(vals)
            bad = ~nulls & (vals != 0) & (vals != 1)
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise _bad_indicator(self, col, i, arr[i].as_py())
            return np.where(nulls, -1, vals).astype(np.int8)
        if pa.types.is_string(t) or pa.types.is_large_string(t):
            texts = pc.utf8_lower(pc.utf8_trim_whitespace(arr.cast(pa.large_string())))
            return _indicator_from_texts(self, col, texts.to_pylist())
        raise InputError(
            f"{self.name}: indicator column {_show(self.columns[col])} has type {t}; use 0/1 or true/false values"
        )


class _ArrowLists:
    """Label lists as an arrow ListArray (no nulls) plus the count of missing rows."""

    def __init__(self, lists, n_missing: int) -> None:
        self.lists = lists
        self.n_missing = n_missing


class _DelimitedTable(_ArrowTable):
    def __init__(self, data: bytes, name: str, fmt: str, codec: str) -> None:
        import pyarrow as pa
        import pyarrow.csv as pcsv

        self.name = name
        if codec not in ("utf-8", "utf-8-sig"):
            data = data.decode(codec).encode("utf-8")
        elif data[:3] == codecs.BOM_UTF8:
            data = data[3:]
        if not data.strip():
            raise InputError(f"{name}: the file is empty; it needs a header row and one row per sample")
        delim = "\t" if fmt == "tsv" else ","
        parse = pcsv.ParseOptions(delimiter=delim, newlines_in_values=True)
        head = pcsv.open_csv(
            pa.BufferReader(data),
            read_options=pcsv.ReadOptions(use_threads=False, block_size=1 << 16),
            parse_options=parse,
            convert_options=pcsv.ConvertOptions(column_types={}, strings_can_be_null=False),
        )
        self.columns = list(head.schema.names)
        self._data, self._parse, self._cache = data, parse, {}

    def _column(self, col: int):
        import pyarrow as pa
        import pyarrow.csv as pcsv

        if col not in self._cache:
            # internal names: duplicated or odd header names cannot confuse include_columns
            internal = [f"c{i}" for i in range(len(self.columns))]
            table = pcsv.read_csv(
                pa.BufferReader(self._data),
                read_options=pcsv.ReadOptions(column_names=internal, skip_rows=1, use_threads=True),
                parse_options=self._parse,
                convert_options=pcsv.ConvertOptions(
                    include_columns=[internal[col]],
                    column_types={internal[col]: pa.string()},
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
            self._cache[col] = table.column(0)
        return self._cache[col]


class _ParquetTable(_ArrowTable):
    def __init__(self, data: bytes, name: str) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.name = name
        if data[:4] != b"PAR1" or data[-4:] != b"PAR1":
            raise InputError(
                f"{name}: not a valid Parquet file (no Parquet header/footer: truncated or not Parquet); "
                "check the file or pass the right input_format"
            )
        self._pf = pq.ParquetFile(pa.BufferReader(data))
        self.columns = list(self._pf.schema_arrow.names)

    def _column(self, col: int):
        return self._pf.read(columns=[self.columns[col]]).column(0)


class _JsonTable(_Table):
    """json (an array of records) or jsonl (one record per line), via the json module."""

    def __init__(self, data: bytes, name: str, fmt: str, codec: str) -> None:
        self.name = name
        text = _decode(data, codec)
        records: list = []
        self._where: list[str] = []
        if fmt == "jsonl":
            self.where_word = "line"
            for lineno, line in enumerate(text.splitlines(), start=1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    hint = " (a JSON array? use input_format='json')" if line.lstrip().startswith("[") else ""
                    raise InputError(f"{name}: line {lineno} is not valid JSON ({exc.msg}){hint}; jsonl needs one object per line") from None
                if not isinstance(obj, dict):
                    raise InputError(f"{name}: line {lineno} is not a JSON object; jsonl needs one object per line")
                records.append(obj)
                self._where.append(f"line {lineno}")
        else:
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as exc:
                hint = " (one object per line? use input_format='jsonl')" if exc.msg == "Extra data" else ""
                raise InputError(
                    f"{name}: invalid JSON at line {exc.lineno} column {exc.colno} ({exc.msg}){hint}; "
                    "json input must be an array of records"
                ) from None
            if not isinstance(obj, list) or not all(isinstance(r, dict) for r in obj):
                raise InputError(f"{name}: json input must be an array of records like [{{\"labels\": [\"cat\"]}}, ...]")
            records = obj
            self._where = [f"record {i + 1}" for i in range(len(records))]
        if not records:
            raise InputError(f"{name}: no records; the file is empty")
        seen: dict = {}
        for r in records:
            for key in r:
                seen.setdefault(key, None)
        self.columns = list(seen)
        self._records = records

    def where(self, i: int) -> str:
        return self._where[i]

    def _raw(self, col: int) -> list:
        key = self.columns[col]
        return [r.get(key) for r in self._records]

    def label_lists(self, col: int, sep: str):
        return _object_lists(self._raw(col), sep, self.name, where=self.where, column=self.columns[col])

    def indicator_values(self, col: int) -> np.ndarray:
        out = np.empty(len(self._records), dtype=np.int8)
        for i, v in enumerate(self._raw(col)):
            out[i] = _indicator_scalar(self, col, i, v)
        return out


class _FrameTable(_Table):
    """A pandas DataFrame of indicator columns."""

    def __init__(self, frame) -> None:
        self.name = "DataFrame"
        self.columns = list(frame.columns)
        self._frame = frame

    def where(self, i: int) -> str:
        return f"row {i + 1} (index {self._frame.index[i]!r})"

    def indicator_values(self, col: int) -> np.ndarray:
        import pandas as pd

        s = self._frame.iloc[:, col]
        if pd.api.types.is_bool_dtype(s.dtype) or pd.api.types.is_numeric_dtype(s.dtype):
            try:
                vals = s.to_numpy(dtype=np.float64, na_value=np.nan)
            except (TypeError, ValueError):
                vals = None
            if vals is not None:
                nulls = np.isnan(vals)
                bad = ~nulls & (vals != 0) & (vals != 1)
                if bad.any():
                    i = int(np.flatnonzero(bad)[0])
                    raise _bad_indicator(self, col, i, s.iloc[i])
                return np.where(nulls, -1, vals).astype(np.int8)
        out = np.empty(len(s), dtype=np.int8)
        for i, v in enumerate(s.tolist()):
            out[i] = _indicator_scalar(self, col, i, v)
        return out


# -- indicator values ------------------------------------------------------------------------------


def _bad_indicator(table: _Table, col: int, i: int, value) -> InputError:
    if isinstance(value, np.generic):
        value = value.item()
    shown = repr(value) if not isinstance(value, str) else repr(value[:40])
    return InputError(
        f"{table.name}: indicator column {_show(table.columns[col])}, {table.where(i)}: value {shown} is not 0/1 "
        "or true/false; fix the value, or read a delimited label column with column=NAME"
    )


def _indicator_from_texts(table: _Table, col: int, texts: list) -> np.ndarray:
    out = np.empty(len(texts), dtype=np.int8)
    for i, t in enumerate(texts):
        if t is None or t == "":
            out[i] = -1
        elif t in _TRUE:
            out[i] = 1
        elif t in _FALSE:
            out[i] = 0
        else:
            raise _bad_indicator(table, col, i, _original_text(table, col, i, t))
    return out


def _original_text(table, col, i, fallback):
    try:
        v = table._column(col)[i].as_py()  # the value as written, for the message
        return v if v is not None else fallback
    except Exception:  # pragma: no cover - message detail only
        return fallback


def _indicator_scalar(table: _Table, col: int, i: int, v) -> int:
    if v is None:
        return -1
    if isinstance(v, (bool, np.bool_)):
        return int(bool(v))
    if isinstance(v, (int, float, np.integer, np.floating)):
        f = float(v)
        if f != f:  # NaN
            return -1
        if f in (0.0, 1.0):
            return int(f)
        raise _bad_indicator(table, col, i, v)
    if isinstance(v, str):
        t = v.strip().lower()
        if t == "":
            return -1
        if t in _TRUE:
            return 1
        if t in _FALSE:
            return 0
    type_name = type(v).__module__
    if type_name.startswith("pandas") and str(v) in ("<NA>", "NaT"):
        return -1
    raise _bad_indicator(table, col, i, v)


def _from_indicator_columns(table: _Table, cols: list[int], prefix: str | None, name: str):
    labels = [str(table.columns[c]) for c in cols]
    if prefix is not None:
        labels = [lab[len(prefix):] for lab in labels]
    if len(set(labels)) != len(labels):
        dup = sorted({x for x in labels if labels.count(x) > 1})[:3]
        raise InputError(f"{name}: label name(s) {dup} appear more than once; rename the duplicate columns")
    if not cols:
        raise InputError(f"{name}: no indicator columns; pass one_hot=[...] or a DataFrame with columns")
    values = np.stack([table.indicator_values(c) for c in cols], axis=1)
    missing = (values < 0).any(axis=1)
    Y = values[~missing] == 1
    return labels, _maybe_sparse(Y), int(missing.sum())


def _from_matrix(matrix, names, what: str):
    if _looks_sparse(matrix):
        import scipy.sparse as sp

        csr = sp.csr_matrix(matrix)
        csr.sum_duplicates()
        n, q = csr.shape
        data = np.asarray(csr.data, dtype=np.float64)
        if np.isnan(data).any():
            raise InputError(f"{what}: a sparse indicator matrix cannot mark missing rows with NaN; drop those rows")
        if ((data != 0) & (data != 1)).any():
            raise InputError(f"{what}: indicator values must be 0/1 or bool; found {data[(data != 0) & (data != 1)][0]!r}")
        names = _matrix_names(names, q, what)
        Y = csr.astype(bool)
        Y.eliminate_zeros()
        return names, (Y if q >= SPARSE_MIN_LABELS else Y.toarray()), 0
    try:
        arr = np.asarray(matrix, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError(f"{what}: indicator values must be 0/1 or bool numbers") from None
    if arr.ndim != 2:
        raise InputError(f"{what}: expected a 2-D indicator matrix (samples x labels), got {arr.ndim}-D")
    names = _matrix_names(names, arr.shape[1], what)
    nan_rows = np.isnan(arr).any(axis=1)
    bad = ~np.isnan(arr) & (arr != 0) & (arr != 1)
    if bad.any():
        r, c = (int(x[0]) for x in np.nonzero(bad))
        raise InputError(
            f"{what}: row {r + 1}, label {names[c]!r}: value {float(arr[r, c])!r} is not 0/1; an indicator matrix holds 0/1 or bool"
        )
    return names, _maybe_sparse(arr[~nan_rows] == 1), int(nan_rows.sum())


def _matrix_names(names, q: int, what: str) -> list[str]:
    if names is None:
        return [str(i) for i in range(q)]
    names = [str(x) for x in names]
    if len(names) != q:
        raise InputError(f"{what}: {len(names)} names for {q} label columns; give one name per column")
    if len(set(names)) != len(names):
        dup = sorted({x for x in names if names.count(x) > 1})[:3]
        raise InputError(f"{what}: label name(s) {dup} appear more than once; names must be unique")
    return names


def _looks_sparse(obj) -> bool:
    return hasattr(obj, "tocsr") and hasattr(obj, "nnz")


def _maybe_sparse(Y: np.ndarray):
    if Y.shape[1] >= SPARSE_MIN_LABELS:
        import scipy.sparse as sp

        return sp.csr_matrix(Y)
    return Y


# -- delimited label lists ------------------------------------------------------------------------


def _object_lists(values: list, sep: str, name: str, *, where=None, column=None) -> _ArrowLists:
    """Python values (str / list / None) -> label lists; None and '' are missing, [] is no label."""
    import pyarrow as pa

    lists: list[list[str]] = []
    n_missing = 0
    for i, v in enumerate(values):
        if v is None or (isinstance(v, float) and v != v):
            n_missing += 1
        elif isinstance(v, str):
            if v == "":
                n_missing += 1
            else:
                lists.append(v.split(sep))
        elif isinstance(v, (list, tuple, set, frozenset, np.ndarray)):
            items = list(v)
            for x in items:
                if isinstance(x, (list, tuple, dict, set, frozenset)):
                    loc = f"{where(i)}" if where else f"item {i + 1}"
                    col = f" column {_show(column)}," if column is not None else ""
                    raise InputError(f"{name}:{col} {loc}: a label set holds a nested {type(x).__name__}; labels must be text or numbers")
            lists.append([x if isinstance(x, str) else str(x) for x in items if x is not None])
        elif isinstance(v, (bool, int, float, np.integer, np.floating)):
            lists.append(str(v).split(sep))
        else:
            loc = f"{where(i)}" if where else f"item {i + 1}"
            col = f" column {_show(column)}," if column is not None else ""
            raise InputError(
                f"{name}:{col} {loc}: expected a list of labels or a '{sep}'-separated string, got {type(v).__name__}"
            )
    return _ArrowLists(pa.array(lists, type=pa.list_(pa.large_string())), n_missing)


def _from_label_lists(parts: _ArrowLists, name: str):
    """Arrow label lists -> (sorted names, Y, n_missing)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    lists = parts.lists
    n = len(lists)
    lengths = pc.list_value_length(lists).fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
    values = pc.list_flatten(lists)
    if pa.types.is_dictionary(values.type):
        values = values.cast(values.type.value_type)
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        values = values.cast(pa.large_string())
    rows = np.repeat(np.arange(n, dtype=np.int64), lengths)
    keep = pc.and_(pc.invert(values.is_null()), pc.not_equal(values, "")).fill_null(False)
    keep_np = keep.to_numpy(zero_copy_only=False)
    n_empty = int((~keep_np).sum())
    if n_empty:
        warnings.warn(
            f"{name}: ignored {n_empty} empty label(s) between separators (e.g. 'a||b' or a trailing separator)",
            stacklevel=3,
        )
        values = values.filter(keep)
        rows = rows[keep_np]
    encoded = pc.dictionary_encode(values)
    if isinstance(encoded, pa.ChunkedArray):  # pragma: no cover - arrays in, arrays out
        encoded = encoded.combine_chunks()
    dictionary = encoded.dictionary.to_pylist()
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    order = sorted(range(len(dictionary)), key=lambda i: dictionary[i])
    rank = np.empty(len(dictionary), dtype=np.int64)
    rank[order] = np.arange(len(dictionary), dtype=np.int64)
    names = [dictionary[i] for i in order]
    q = len(names)
    cols = rank[codes] if codes.size else codes
    key = np.sort(rows * max(q, 1) + cols)  # a label repeated within a row counts once
    if key.size:
        key = key[np.r_[True, key[1:] != key[:-1]]]
    rows, cols = key // max(q, 1), key % max(q, 1)
    if q >= SPARSE_MIN_LABELS:
        import scipy.sparse as sp

        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
        Y = sp.csr_matrix((np.ones(cols.size, dtype=bool), cols, indptr), shape=(n, q))
    else:
        Y = np.zeros((n, q), dtype=bool)
        Y[rows, cols] = True
    return names, Y, int(parts.n_missing)
