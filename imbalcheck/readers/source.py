"""Opening an input (path or standard input) and turning low-level failures into
one-line :class:`InputError` messages."""

from __future__ import annotations

import codecs
import io
import os
import re
import stat
import sys

from ..errors import ConfigError, InputError
from .detect import is_gzip

STDIN = "-"
BOM = codecs.BOM_UTF8  # a UTF-8 byte order mark
STDIN_NAME = "<stdin>"
_HEAD = 1 << 16  # bytes looked at to tell the format (and kept for a single-use stream)


class Prefixed(io.RawIOBase):
    """``prefix`` bytes, then whatever ``rest`` (a binary stream) still has."""

    def __init__(self, prefix: bytes, rest, *, close_rest: bool = False) -> None:
        super().__init__()
        self._prefix = memoryview(bytes(prefix))
        self._rest = rest
        self._close_rest = close_rest

    def close(self) -> None:
        if self._close_rest and self._rest is not None:
            self._rest.close()
        super().close()

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        if self._prefix.nbytes:
            n = min(len(b), self._prefix.nbytes)
            b[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        if self._rest is None:
            return 0
        data = self._rest.read(len(b))
        if not data:
            return 0
        n = len(data)
        b[:n] = data
        return n

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            head = bytes(self._prefix)
            self._prefix = memoryview(b"")
            return head + (self._rest.read() if self._rest is not None else b"")
        if self._prefix.nbytes:
            n = min(size, self._prefix.nbytes)
            out = bytes(self._prefix[:n])
            self._prefix = self._prefix[n:]
            return out
        if self._rest is None:
            return b""
        return self._rest.read(size)


class Source:
    """An input file, standard input or an open file object.

    ``open()`` returns a pyarrow ``NativeFile`` of the (gzip-decompressed) bytes.
    A regular file can be opened any number of times (``reopenable``); standard
    input, a pipe, a FIFO or a file object only once (from where it stands). A text
    file object (``io.StringIO``, ``open(path)``) is read as UTF-8.
    """

    def __init__(self, source) -> None:
        from . import is_stream  # the package's one test of an open file object

        self._stream = None
        if isinstance(source, str) and source == STDIN:
            self.path = None
            self.name = STDIN_NAME
        elif is_stream(source):
            self.path = None
            name = getattr(source, "name", None)
            self.name = name if isinstance(name, str) else f"<{type(source).__name__}>"
            self._stream = source
        else:
            try:
                self.path = os.fsdecode(os.fspath(source))
            except TypeError:
                raise ConfigError(
                    f"{source!r}: not a file path; pass a path, '-' for standard input, "
                    "or pass the in-memory object itself to imbalcheck.profile()"
                ) from None
            self.name = self.path
        self.is_stdin = self.path is None
        self.reopenable = False
        self.head = b""
        self.gz = False
        self._once = None  # single-use binary stream (stdin, pipe)

    # -- probing ---------------------------------------------------------------------
    def probe(self) -> None:
        """Check that the input can be read and look at its first bytes."""
        if self.is_stdin:
            if self._stream is not None:
                text = isinstance(self._stream, io.TextIOBase) or isinstance(self._stream.read(0), str)
                raw = _Utf8(self._stream, self.name) if text else self._stream
            else:
                stdin = sys.stdin
                raw = getattr(stdin, "buffer", stdin) if stdin is not None else None
            if raw is None:
                raise InputError(f"{self.name}: there is no standard input to read; pass a file path")
            self.head = _read_exactly(raw, _HEAD)
            self._once = Prefixed(self.head, raw)
        else:
            try:
                st = os.stat(self.path)
            except OSError as exc:
                raise os_error(exc, self.name) from None
            if stat.S_ISDIR(st.st_mode):
                raise InputError(f"{self.name}: is a directory, not a file; pass the path of a file inside it")
            self.reopenable = stat.S_ISREG(st.st_mode)
            f = _open_file(self.path)
            if self.reopenable:
                with f:
                    self.head = _read_exactly(f, _HEAD)
            else:
                self.head = _read_exactly(f, _HEAD)
                self._once = Prefixed(self.head, f, close_rest=True)
        self.gz = is_gzip(self.head)

    @property
    def size(self) -> int | None:
        """Bytes the reader will consume, when known (a regular, uncompressed file)."""
        if not self.reopenable or self.gz:
            return None
        return os.path.getsize(self.path)

    # -- opening ---------------------------------------------------------------------
    def open_raw(self):
        """A pyarrow input stream of the file's bytes as stored (no decompression)."""
        import pyarrow as pa

        if self.reopenable:
            return pa.OSFile(self.path, "r")
        if self._once is None:
            raise RuntimeError(f"{self.name} can only be read once")
        stream, self._once = self._once, None
        return pa.PythonFile(stream, mode="r")

    def open(self):
        """A pyarrow input stream of the decompressed bytes."""
        import pyarrow as pa

        raw = self.open_raw()
        if self.gz:
            return pa.CompressedInputStream(raw, "gzip")
        return raw


class _Utf8(io.RawIOBase):
    """The bytes (UTF-8) of a text stream. A character that is not text (a lone surrogate, what
    ``errors="surrogateescape"`` makes of an undecodable byte) is an :class:`InputError` that says
    to open the file with its real encoding: ``encoding=`` does not apply to a text stream."""

    def __init__(self, text, name: str) -> None:
        super().__init__()
        self._text = text
        self._name = name
        self._pending = b""

    def _encoded(self, chunk: str) -> bytes:
        try:
            return chunk.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InputError(
                f"{self._name}: the text stream holds {chunk[exc.start]!r}, which is not text (a byte its encoding "
                "could not decode); open the file with its real encoding, e.g. open(path, encoding='latin-1'), "
                "or pass the path itself with encoding="
            ) from None

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            out, self._pending = self._pending + self._encoded(self._text.read()), b""
            return out
        while len(self._pending) < size:
            chunk = self._text.read(max(size, 1 << 16))
            if not chunk:
                break
            self._pending += self._encoded(chunk)
        out, self._pending = self._pending[:size], self._pending[size:]
        return out

    def readinto(self, b) -> int:
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)


def _open_file(path: str):
    try:
        return open(path, "rb")
    except OSError as exc:
        raise os_error(exc, path) from None


def os_error(exc: OSError, name: str) -> InputError:
    """The one-line message for a file that cannot be opened."""
    if isinstance(exc, FileNotFoundError):
        return InputError(f"{name}: no such file; check the path")
    if isinstance(exc, NotADirectoryError):
        return InputError(f"{name}: no such file (a parent is not a directory); check the path")
    if isinstance(exc, IsADirectoryError):
        return InputError(f"{name}: is a directory, not a file; pass the path of a file inside it")
    if isinstance(exc, PermissionError):
        return InputError(f"{name}: permission denied; check the file's permissions")
    return InputError(f"{name}: cannot read the file ({_detail(exc)}); check the file and try again")


def _read_exactly(f, n: int) -> bytes:
    out = b""
    while len(out) < n:
        chunk = f.read(n - len(out))
        if not chunk:
            break
        out += chunk
    return out


# -- encodings ----------------------------------------------------------------------------


def codec_name(encoding: str, name: str) -> str:
    """Normalised Python codec name, or :class:`ConfigError`."""
    try:
        info = codecs.lookup(str(encoding))
    except (LookupError, TypeError):
        raise ConfigError(
            f"{name}: unknown encoding {encoding!r}; use a Python codec name such as utf-8 or latin-1"
        ) from None
    return info.name


def is_utf8(codec: str) -> bool:
    return codec in ("utf-8", "utf-8-sig")


def utf8_stream(stream, codec: str):
    """``stream`` transcoded to UTF-8 (unchanged when it already is UTF-8)."""
    if is_utf8(codec):
        return stream
    import pyarrow as pa

    return pa.transcoding_input_stream(stream, codec, "utf-8")


# -- turning exceptions into messages --------------------------------------------------------


def clip(text: object, limit: int = 160) -> str:
    """One printable line, at most ``limit`` characters."""
    s = " ".join(str(text).split())
    s = "".join(ch if ch.isprintable() else "?" for ch in s)
    return s if len(s) <= limit else s[: limit - 3] + "..."


def _detail(exc: BaseException) -> str:
    msg = str(exc)
    msg = re.sub(r"^\[Errno \d+\] ", "", msg)
    return clip(msg) or type(exc).__name__


def encoding_message(name: str, codec: str, exc: BaseException | None = None) -> str:
    where = ""
    if isinstance(exc, UnicodeDecodeError):
        try:
            where = f" (byte 0x{exc.object[exc.start]:02x} cannot be decoded)"
        except Exception:  # pragma: no cover - defensive
            where = ""
    hint = "--encoding latin-1" if is_utf8(codec) else "--encoding utf-8"
    return f"{name}: the file is not valid {codec} text{where}; pass its real encoding, e.g. {hint}"


def check_text(src: Source, fmt: str, codec: str) -> None:
    """Refuse, before parsing, a text format whose bytes are something else: a Parquet file, or
    UTF-16 text read as UTF-8 (its byte order mark says so)."""
    from .detect import PARQUET_MAGIC, content_head

    head = content_head(src.head)
    if head.startswith(PARQUET_MAGIC):
        raise InputError(f"{src.name}: this is a Parquet file, not {fmt}; pass --input-format parquet")
    if is_utf8(codec) and head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise InputError(f"{src.name}: the file is UTF-16 text (it starts with a UTF-16 byte order mark); "
                         "pass --encoding utf-16")


def to_input_error(exc: BaseException, src: Source, fmt: str, codec: str) -> InputError:
    """Map any exception raised while reading ``src`` to a one-line :class:`InputError`."""
    name = src.name
    text = str(exc)
    if isinstance(exc, (FileNotFoundError, NotADirectoryError, IsADirectoryError, PermissionError)):
        return os_error(exc, name)
    if isinstance(exc, UnicodeError) or "invalid UTF8" in text or "invalid utf8" in text.lower():
        return InputError(encoding_message(name, codec, exc))
    low = text.lower()
    if src.gz and (
        isinstance(exc, EOFError)
        or "compress" in low
        or "zlib" in low
        or "gzip" in low
        or "inflate" in low
        or "truncated" in low
    ):
        return InputError(
            f"{name}: the gzip data is truncated or corrupt ({_detail(exc)}); re-create or re-download the file"
        )
    if fmt == "parquet" and "magic bytes" in text:
        return InputError(
            f"{name}: not a valid Parquet file (no Parquet footer: it is truncated or not Parquet); "
            "check the file or pass the right --input-format"
        )
    if fmt == "parquet":
        return InputError(
            f"{name}: not a valid Parquet file or it is corrupt ({_detail(exc)}); "
            "check the file or pass the right --input-format"
        )
    if isinstance(exc, OSError):
        return os_error(exc, name)
    return InputError(
        f"{name}: cannot read the file as {fmt} ({_detail(exc)}); check the file or pass the right --input-format"
    )
