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


def take(values, indices):
    return call_function("take", [values, indices])


def decode(arr: pa.DictionaryArray):
    """A dictionary array as plain values (``DictionaryArray.dictionary_decode`` imports
    ``pyarrow.compute``)."""
    return take(arr.dictionary, arr.indices)


def valid(arr):
    """Which values of an Arrow array are not null, as a numpy bool array (from the validity bitmap)."""
    import numpy as np

    if not arr.null_count:
        return np.ones(len(arr), dtype=bool)
    bits = np.frombuffer(arr.buffers()[0], dtype=np.uint8)
    return np.unpackbits(bits, bitorder="little", count=arr.offset + len(arr))[arr.offset:].astype(bool)


def float64_numpy(arr):
    """A numeric Arrow array as float64 numpy, nulls as NaN (``pa.scalar`` and ``to_numpy`` would import pandas)."""
    import numpy as np

    arr = cast(arr, pa.float64(), safe=False)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    out = np.frombuffer(arr.buffers()[1], dtype=np.float64, count=len(arr), offset=arr.offset * 8).copy()
    out[~valid(arr)] = np.nan
    return out


def split_pattern(arr, pattern: str):
    """Each value of a string array split on ``pattern`` (a list array)."""
    return call_function("split_pattern", [arr], SplitPatternOptions(pattern))


def split_lines(arr):
    """The pieces of ``arr``'s binary values split on ``\\n``, as one flat array."""
    return call_function("list_flatten", [call_function("split_pattern", [arr], SplitPatternOptions("\n"))])


def string_array(values) -> pa.Array:
    """Python strings (``None`` = null) as an Arrow large_string array, built from buffers
    (``pa.array`` would import pandas)."""
    import numpy as np

    values = list(values)
    n = len(values)
    encoded = [b"" if v is None else v.encode("utf-8") for v in values]
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, encoded), np.int64, n), out=offsets[1:])
    nulls = np.fromiter((v is None for v in values), bool, n)
    validity = pa.py_buffer(np.packbits(~nulls, bitorder="little")) if nulls.any() else None
    return pa.Array.from_buffers(pa.large_string(), n, [validity, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))])


def list_array(lists) -> pa.Array:
    """Lists of Python strings (a ``None`` list = null) as an Arrow large_list<large_string> array."""
    import numpy as np

    lists = list(lists)
    n = len(lists)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.fromiter((0 if x is None else len(x) for x in lists), np.int64, n), out=offsets[1:])
    nulls = np.fromiter((x is None for x in lists), bool, n)
    validity = pa.py_buffer(np.packbits(~nulls, bitorder="little")) if nulls.any() else None
    flat = string_array([v for x in lists if x is not None for v in x])
    return pa.Array.from_buffers(pa.large_list(pa.large_string()), n, [validity, pa.py_buffer(offsets)],
                                 children=[flat])


def arrow_copy(data: bytes | memoryview) -> pa.Buffer:
    """``data`` copied into memory Arrow owns (about 0.5 ms per 8 MiB).

    A buffer over a Python object (``pa.py_buffer``) given to a reader would be released
    by whichever thread drops it last: on one of Arrow's threads during interpreter
    shutdown, taking the GIL there ends the process (see :mod:`.csv`).
    """
    import numpy as np

    buf = pa.allocate_buffer(len(data), resizable=False)
    if len(data):
        np.frombuffer(buf, dtype=np.uint8)[:] = np.frombuffer(data, dtype=np.uint8)
    return buf


def numpy_array(values) -> pa.Array:
    """A 1-D numpy array of fixed-width numbers as an Arrow array sharing its memory (``pa.array``
    would import pandas)."""
    import numpy as np

    values = np.ascontiguousarray(values)
    return pa.Array.from_buffers(pa.from_numpy_dtype(values.dtype), values.size, [None, pa.py_buffer(values)])


def numpy_view(arr, dtype):
    """The values of a null-free fixed-width Arrow array as numpy (no copy)."""
    import numpy as np

    dtype = np.dtype(dtype)
    return np.frombuffer(arr.buffers()[1], dtype=dtype, count=len(arr), offset=arr.offset * dtype.itemsize)


def binary_keys(offsets, values) -> pa.Array:
    """One binary value per row: the row's integers (``values[offsets[i]:offsets[i+1]]``) as their
    little-endian bytes, so that equal rows are equal keys (``dictionary_encode`` then numbers them)."""
    import numpy as np

    values = np.ascontiguousarray(values)
    width = values.dtype.itemsize
    byte_offsets = np.asarray(offsets, dtype=np.int64) * width
    return pa.Array.from_buffers(pa.large_binary(), len(byte_offsets) - 1,
                                 [None, pa.py_buffer(byte_offsets), pa.py_buffer(values.astype(values.dtype.newbyteorder("<")))])
