"""Writing reports: atomically, and never over the input."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from .errors import ConfigError


def refuse_overwriting_input(output: str | os.PathLike, *inputs: str | os.PathLike) -> None:
    """Raise :class:`ConfigError` when ``output`` is (a link to) one of the input files."""
    out = Path(output)
    for src in inputs:
        if str(src) == "-" or not out.exists():
            continue
        try:
            if out.samefile(src):
                raise ConfigError(f"--output {output} is the input file; write the report somewhere else")
        except OSError:
            continue


def write_atomic(path: str | os.PathLike, data: str | bytes) -> None:
    """Write to a temporary file in the same folder, then rename over ``path``.

    An interrupted run leaves the previous file (or none), never half a report. A
    symbolic link is followed (its target is replaced, the link kept); something that
    is not a regular file (``/dev/null``, a FIFO) is written to directly; ``-`` is
    standard output. An existing file keeps its permissions; a new one gets the
    umask's.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if str(path) == "-":
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
        return
    path = Path(path)
    if path.is_symlink():
        path = path.resolve()
    if path.exists() and not path.is_file() and not path.is_dir():
        with open(path, "wb") as fh:  # a device or a pipe: never replace it
            fh.write(payload)
        return
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ConfigError(f"--output {path}: folder {folder} does not exist; create it first")
    if path.is_dir():
        raise ConfigError(f"--output {path} is a folder; give a file name")
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ConfigError(f"--output {path}: cannot write in {folder} ({exc.strerror}); choose a writable folder") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
