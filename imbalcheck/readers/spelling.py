"""One spelling for every label, whatever wrote it.

The same column must give the same classes from CSV, Parquet, JSON, a pandas Series or a
Python list, so typed values are written out one way, and the texts a boolean or float
writer prints are read back the same way. Each rule looks at one value only, so a label
is spelled the same in every file, whatever else the file holds:

* a boolean is ``true`` / ``false`` (Arrow's and JSON's spelling); the texts ``True``,
  ``FALSE``, ... (any capitalisation) are spelled the same way;
* an integer is written in decimal (``7``);
* a float that is a whole number is written as one (``1.0`` -> ``1``), any other float
  in the shortest form that reads back to it (``2.50`` -> ``2.5``; a float32 as a
  float32: ``0.1``); NaN is a missing label. The text of a whole number with a
  decimal point and zeros only (``1.0``, ``-3.00``), as float writers print whole
  numbers, is that whole number (``1``, ``-3``);
* a date or time at midnight is its date (``2020-01-01``);
* every other text is kept exactly as written: ``01`` and ``1`` are two classes, and
  so are ``1.10`` and ``1.1``, ``3e8``, ``NA`` and ``cat``.

``None``, NaN, ``pd.NA``, ``NaT`` and the empty string are missing labels.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

import numpy as np

from ..errors import InputError

_WHOLE_TEXT = re.compile(r"(-?)(0|[1-9][0-9]*)\.0+\Z")
_BOOLEANS = ("true", "false")


def number_text(value) -> str | None:
    """A float as a label: ``1.0`` -> "1", ``2.50`` -> "2.5", NaN -> None (missing); a numpy
    float32 (or float16) in its own shortest form (``0.1``, not ``0.10000000149011612``)."""
    if value != value:
        return None
    if math.isfinite(value) and value == math.floor(value):
        return str(int(value))
    if isinstance(value, np.floating) and value.dtype.itemsize < 8:
        return str(value)
    return repr(float(value))


def decimal_text(value: Decimal) -> str | None:
    """A decimal as a label, spelled like the float of the same value where that is exact."""
    if value.is_nan():
        return None
    if value.is_finite() and value == value.to_integral_value():
        return str(int(value))
    return str(value.normalize())


def kind_of(value) -> str:
    """What a JSON-like value is, for messages: "a string", "an array", ..."""
    if isinstance(value, (list, tuple)):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (bool, np.bool_)):
        return "a boolean"
    if value is None:
        return "null"
    return "a number" if isinstance(value, (int, float, np.number)) else type(value).__name__


def python_label(value) -> str | None:
    """One Python value as a label (``None`` = missing); collections are not labels (TypeError)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value or None
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return number_text(value)
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8") or None
    if isinstance(value, (list, tuple, dict, set, frozenset, np.ndarray)):
        raise TypeError(kind_of(value))
    name = type(value).__name__
    if name in ("NAType", "NaTType") or (name == "datetime64" and np.isnat(value)):
        return None
    if hasattr(value, "hour") and hasattr(value, "date") and not getattr(value, "tzinfo", None) and not (
            value.hour or value.minute or value.second or value.microsecond or getattr(value, "nanosecond", 0)):
        return value.date().isoformat()  # a timestamp at midnight is its date, as pandas writes it
    return str(value) or None


def text_label(text: str) -> str:
    """One text as a label: a boolean in any case is true/false; a whole number printed with
    ``.0`` is the whole number; anything else as written (see the module docstring)."""
    low = text.lower()
    if low in _BOOLEANS:
        return low
    whole = _WHOLE_TEXT.match(text)
    if whole:
        sign, digits = whole.groups()
        return digits if digits == "0" else sign + digits
    return text


def canonical_number(label: str) -> str:
    """``--numeric-labels``: '01', '1', '1.0', '+1' -> '1'; '1.50' -> '1.5'; non-numbers unchanged.

    Read exactly (as a decimal), so big integers such as IDs are never rounded.
    """
    try:
        value = Decimal(label.strip())
    except ArithmeticError:
        return label
    if not value.is_finite():
        return label
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


# -- Arrow ------------------------------------------------------------------------------------


def is_nested(t) -> bool:
    import pyarrow as pa

    return pa.types.is_nested(t) or pa.types.is_map(t) or pa.types.is_union(t)


def is_text(t) -> bool:
    import pyarrow as pa

    return (pa.types.is_string(t) or pa.types.is_large_string(t)
            or getattr(pa.types, "is_string_view", lambda _: False)(t))


def label_kind(t) -> str | None:
    """How scikit-learn orders labels of an Arrow type: numbers by value, strings (and booleans) as text."""
    import pyarrow as pa

    if pa.types.is_dictionary(t):
        t = t.value_type
    if pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t):
        return "number"
    if is_text(t) or pa.types.is_boolean(t):
        return "text"
    return None


def type_error(name: str, col, t) -> InputError:
    import pyarrow as pa

    where = f"column {str(col)!r}" if col is not None else "the labels"
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        return InputError(f"{name}: {where} holds {t} values, which are label sets, not single labels; read "
                          "them with --multi-label (multi_label=True), or pick another column with --column NAME")
    return InputError(
        f"{name}: {where} holds {t} values, which cannot be labels; pick another column with --column NAME"
    )


def arrow_labels(values, name: str, col=None) -> list[str | None]:
    """Arrow values as labels (``None`` = missing), typed values spelled as :func:`python_label` does."""
    import pyarrow as pa

    from . import kernels
    from .source import encoding_message

    t = values.type
    if pa.types.is_dictionary(t):
        values = kernels.decode(values)
        t = values.type
    if is_text(t):
        return [v or None for v in values.to_pylist()]
    if pa.types.is_null(t):
        return [None] * len(values)
    if is_nested(t):
        raise type_error(name, col, t)
    if pa.types.is_float32(t) or pa.types.is_float16(t):  # each value back to its own width
        return [None if v is None else number_text(np.float32(v)) for v in values.to_pylist()]
    if pa.types.is_boolean(t) or pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t):
        return [python_label(v) for v in values.to_pylist()]
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t) or (
        getattr(pa.types, "is_binary_view", lambda _: False)(t)
    ):
        out: list[str | None] = []
        for v in values.to_pylist():
            try:
                out.append(None if v is None else (v.decode("utf-8") or None))
            except UnicodeDecodeError as exc:
                raise InputError(encoding_message(name, "utf-8", exc)) from None
        return out
    if pa.types.is_temporal(t):  # as Python writes dates and times: 2020-01-01, 2020-01-01 12:00:00
        return [python_label(v) for v in values.to_pylist()]
    try:
        return [v or None for v in kernels.cast(values, pa.string()).to_pylist()]
    except (pa.ArrowException, TypeError, ValueError):
        raise type_error(name, col, t) from None
