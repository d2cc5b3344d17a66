"""JSON: JSON Lines (one object per line) or a JSON array of records, streamed record by record.

Records are decoded by the ``json`` module and handed to the consumer in chunks, each
chosen key as one Arrow array: a scalar is a label in the one spelling of
:mod:`.spelling` (``1.0`` -> "1", ``true`` -> "true"), ``null`` is missing; a list is
a label set (multi-label consumers only). The keys are those of the first
:data:`JSON_HEAD` records (a key named with ``--column`` may appear later).
"""

from __future__ import annotations

import io
import json
from itertools import chain, islice

from ..errors import InputError
from .columns import list_columns
from .kernels import string_array
from .source import Source, check_text, is_utf8
from .spelling import kind_of, python_label

MAX_LINE = 64 << 20  # longest record accepted inside a JSON array
JSON_HEAD = 1000  # records looked at to find the keys
CHUNK = 1 << 16  # records per batch handed to the consumer


def read(src: Source, consumer, *, fmt: str, codec: str, delimiter: str | None = None) -> None:
    """Stream the chosen keys of a jsonl or json source to ``consumer``."""
    name = src.name
    check_text(src, fmt, codec)
    enc = "utf-8-sig" if is_utf8(codec) else codec
    with io.TextIOWrapper(src.open(), encoding=enc, errors="strict") as text:
        records = _iter_jsonl(text, name) if fmt == "jsonl" else iter(_JsonArrayReader(text, name))
        _consume(name, records, consumer, fmt)


def _consume(name: str, records, consumer, fmt: str) -> None:
    head = list(islice(records, JSON_HEAD))
    if not head:
        raise InputError(f"{name}: no records; the file is empty" if fmt == "jsonl" else f"{name}: no records")
    keys = list(dict.fromkeys(k for _, obj in head for k in obj))
    wanted = getattr(consumer, "wanted", None)
    late = wanted is not None and wanted not in keys and not getattr(consumer, "wanted_count", None)
    chosen = [wanted] if late else [keys[i] for i in consumer.choose(name, keys, kind="keys")]
    if late:  # the key may appear only after the first records: checked at the end
        consumer.choose(name, [wanted], kind="keys")
    lists = getattr(consumer, "lists", False)
    seen = False
    # a key chosen only for being the only one may be the wrong one if a label key turns up later
    known, late_key = (None if _label_named(chosen[0]) else set(keys)), None
    batch: list = []
    for item in chain(head, records):
        batch.append(item)
        if known is not None and late_key is None and not known.issuperset(item[1]):
            late_key = _late_label_key(item, known)
        if len(batch) == CHUNK:
            seen |= _add(name, batch, chosen, consumer, lists)
            batch = []
    if batch:
        seen |= _add(name, batch, chosen, consumer, lists)
    if late and not seen:
        raise InputError(
            f"{name}: no key named {str(wanted)!r} in any record; available keys: {list_columns(keys)} (use --column NAME)"
        )
    if late_key is not None and wanted is None:
        key, where = late_key
        raise InputError(f"{name}: key {key!r} first appears at {where}, after the first {len(head):,} records "
                         f"chose {', '.join(repr(str(c)) for c in chosen)}; pass --column {key} (or --column "
                         f"{chosen[0]} to keep that one)")


def _label_named(key) -> bool:
    """Whether ``key`` is named like a label column (else it was chosen as the only key)."""
    from .columns import LABEL_SET_NAMES

    return str(key).strip().lower() in LABEL_SET_NAMES


def _late_label_key(item, known: set):
    """``(key, where)`` when a record brings a key named like a label column that the first records
    lacked (writers such as Spark leave out null fields); None otherwise. Other keys become known."""
    from .columns import COUNT_NAMES, LABEL_SET_NAMES

    where, obj = item
    for key in obj:
        if key not in known:
            known.add(key)
            if str(key).strip().lower() in (*LABEL_SET_NAMES, *COUNT_NAMES):
                return key, where
    return None


def _add(name: str, batch: list, keys: list, consumer, lists: bool) -> bool:
    """Hand one chunk of records to the consumer; whether any record had the first key."""
    columns = []
    for key in keys:
        values = [obj.get(key) for _, obj in batch]
        if lists:
            columns.append(consumer.python_lists(values, name, where=[w for w, _ in batch]))
        else:
            columns.append(string_array(_labels(name, values, batch)))
    consumer.add(columns)
    return any(keys[0] in obj for _, obj in batch)


def _labels(name: str, values: list, batch: list) -> list:
    out = []
    for v, (where, _) in zip(values, batch):
        if type(v) is str:
            out.append(v)
            continue
        try:
            out.append(python_label(v))
        except TypeError:
            raise InputError(
                f"{name}: {where}: the label is {kind_of(v)}; labels must be strings, numbers or booleans "
                "(pick another key with --column NAME)"
            ) from None
    return out


def _iter_jsonl(text, name: str):
    decode = json.JSONDecoder().decode
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
                f"{name}: line {lineno} is {kind_of(obj)}, not a JSON object{hint}; jsonl needs one object per line"
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
        decoder = json.JSONDecoder()
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
                        f"{name}: item {index} of the array is {kind_of(obj)}, not an object; "
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
