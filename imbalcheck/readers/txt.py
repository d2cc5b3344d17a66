"""Plain text: one label per line, no header, read in fixed-size byte chunks."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from .. import progress
from ..errors import InputError
from . import kernels
from .source import BOM, Source, check_text, is_utf8, utf8_stream

TXT_CHUNK = 8 << 20  # bytes read per chunk
MAX_LINE = 64 << 20  # longest line accepted


def read(src: Source, consumer, *, fmt: str = "txt", codec: str, delimiter: str | None = None) -> None:
    """Hand every line (without its ``\\n``, ``\\r\\n`` or ``\\r``) to ``consumer`` as one column with no name."""
    check_text(src, fmt, codec)
    stream = utf8_stream(src.open(), codec)
    try:
        _read_stream(src.name, stream, consumer, codec, src.size)
    finally:
        stream.close()


def one_binary(block: bytes) -> pa.Array:
    """A length-1 binary array holding ``block`` (``pa.array`` would import pandas)."""
    offsets = pa.py_buffer(np.array([0, len(block)], dtype=np.int32).tobytes())
    return pa.Array.from_buffers(pa.binary(), 1, [None, offsets, pa.py_buffer(block)])


def _lines(block: bytes) -> pa.Array:
    """The lines of ``block``, which ends with a newline."""
    return kernels.split_lines(one_binary(block[:-1]))


def _newlines(data: bytes) -> bytes:
    """``\r\n`` and a lone ``\r`` (old Mac files) as ``\n``, as the csv reader ends lines."""
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n") if b"\r" in data else data


def _read_stream(name: str, stream, consumer, codec: str, total: int | None = None) -> None:
    consumer.choose(name, [None])
    carry = b""
    first = True
    done = 0
    while True:
        chunk = stream.read(TXT_CHUNK)
        done += len(chunk)
        progress.update(done, total)
        if first:
            if len(chunk) < 3 and chunk:
                chunk += stream.read(TXT_CHUNK)
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
        held = data.endswith(b"\r")  # its \n may start the next chunk
        data = _newlines(data[:-1] if held else data)
        cut = data.rfind(b"\n")
        if cut < 0:
            carry = data + (b"\r" if held else b"")
            if len(carry) > MAX_LINE:
                raise InputError(
                    f"{name}: a line is longer than {MAX_LINE >> 20} MiB; is this really a txt label file? "
                    "(pass the right --input-format)"
                )
            continue
        carry = data[cut + 1 :] + (b"\r" if held else b"")
        consumer.add([_lines(data[: cut + 1])])
    carry = _newlines(carry)
    if carry:
        consumer.add([_lines(carry if carry.endswith(b"\n") else carry + b"\n")])
    if not consumer.rows:
        raise InputError(f"{name}: no rows; the file is empty")
