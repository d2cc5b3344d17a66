"""The Arrow compute kernels the readers use, called without importing ``pyarrow.compute``.

Importing ``pyarrow.compute`` builds Python wrappers for every kernel (~0.1 s, a third of
a small file's whole ``profile``); ``call_function`` reaches the same C++ kernels
directly. It lives in ``pyarrow._compute``, which ``pyarrow.compute`` itself re-exports;
if a pyarrow release moves it, the public module is used instead.
"""

from __future__ import annotations

import pyarrow as pa

try:
    from pyarrow._compute import CastOptions, DictionaryEncodeOptions, SplitPatternOptions, call_function
except ImportError:  # pragma: no cover - only if pyarrow reorganises its private modules
    from pyarrow.compute import CastOptions, DictionaryEncodeOptions, SplitPatternOptions, call_function


def value_counts(arr):
    """Struct array of ``{values, counts}``, one entry per distinct value (null included)."""
    return call_function("value_counts", [arr])


def dictionary_encode(arr):
    """Dictionary-encode ``arr``; a null becomes a dictionary entry of its own."""
    return call_function("dictionary_encode", [arr], DictionaryEncodeOptions("encode"))


def cast(arr, target: pa.DataType, *, safe: bool = True):
    options = CastOptions.safe(target) if safe else CastOptions.unsafe(target)
    return call_function("cast", [arr], options)


def fill_null(arr, value):
    return call_function("coalesce", [arr, pa.scalar(value, type=arr.type)])


def take(values, indices):
    return call_function("take", [values, indices])


def decode(arr: pa.DictionaryArray):
    """A dictionary array as plain values (``DictionaryArray.dictionary_decode`` imports
    ``pyarrow.compute``)."""
    return take(arr.dictionary, arr.indices)


def split_lines(arr):
    """The pieces of ``arr``'s binary values split on ``\\n``, as one flat array."""
    return call_function("list_flatten", [call_function("split_pattern", [arr], SplitPatternOptions("\n"))])
