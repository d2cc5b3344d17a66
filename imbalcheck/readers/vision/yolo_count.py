"""Counting the class ids of YOLO label files: many files at once with numpy, line by line
for the files that fast path does not vouch for (there every malformed line is an error
naming ``file:line``), and chunks of files in worker processes.

The fast path reads a chunk of files as bytes, joins them and checks every line with
array operations: a line is blank or ``class_id x y w h [...]``, the class id digits only
and every other field a number (digits with at most one dot are judged by the arrays, a
field with a sign or an exponent mark by :func:`float` itself). A file with anything else
(another byte, a lone ``\\r``, a signed class id, a malformed field, a class id beyond the
names) or that cannot be read is handed, in file order, to the line-by-line parse, which
counts it (``nan``, ``+1``, ...) or raises the error the serial reader always raised. So
the fast path accepts only what the line-by-line parse accepts, with the same class ids.

Worker processes (:func:`map_in_order`): the parsing holds the GIL, so threads do not
help; chunks of files go to forked processes and come back in chunk order, so they merge,
and fail, exactly as a serial loop would.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from ...errors import ImbalcheckError, InputError
from ..source import BOM

#: Longest class id the fast path parses (longer ones go line by line).
_MAX_ID_DIGITS = 9
_POW10 = 10 ** np.arange(_MAX_ID_DIGITS, dtype=np.int64)
_READ_SIZE = 1 << 16
#: The bytes of the fast path; a file with any other byte goes line by line.
_ALPHABET = b"0123456789.+-eE \t\r\n"
_ODD = np.ones(256, dtype=bool)
_ODD[list(_ALPHABET)] = False
#: Bytes from here up are field bytes (digits, ``.``, ``+``, ``-``, ``e``, ``E``); below, whitespace.
_FIELD_BYTE = ord("+")
#: Most cells of the (files x class ids) table of one batch counted densely.
_DENSE_CELLS = 1 << 24
#: Bytes of label files parsed together (the arrays take a few times as much).
_BATCH_BYTES = 1 << 22


def count_chunk(paths: list[str], k: int | None) -> tuple[dict[int, int], dict[int, int]]:
    """Instances and images per class id of the label files ``paths``.

    Parameters
    ----------
    paths : list of str
        Label files, in the order their errors are reported.
    k : int or None
        The number of class names (ids ``0..k-1``); None when there are no names.

    Returns
    -------
    (dict, dict)
        ``{class id: objects}`` and ``{class id: files with that class}``.

    Raises
    ------
    InputError
        For the first file, in ``paths`` order, with a malformed line, a class id beyond
        the names, or that cannot be read.
    """
    instances: Counter = Counter()
    images: Counter = Counter()
    careful: list[int] = []
    start = 0
    for datas in _batches(paths):
        ids, files, unsure = _fast_ids(datas, k)
        keep = ~unsure[files]
        batch_instances, batch_images = _tally(ids[keep], files[keep], len(datas))
        instances.update(batch_instances)
        images.update(batch_images)
        careful.extend((start + np.flatnonzero(unsure)).tolist())
        start += len(datas)
    for i in careful:  # in file order: the first error is the serial one
        present = careful_ids(Path(paths[i]), k)
        instances.update(present)
        images.update(set(present))
    return dict(instances), dict(images)


def _batches(paths: list[str]) -> Iterator[list[bytes | None]]:
    """The contents of consecutive files (None: unreadable), about :data:`_BATCH_BYTES` at a time."""
    batch: list[bytes | None] = []
    size = 0
    for path in paths:
        data = _read(path)
        batch.append(data)
        size += len(data or b"")
        if size >= _BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _read(path: str) -> bytes | None:
    """The bytes of a file, or None if it cannot be read (the careful parse then says why)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    parts = []
    try:
        while part := os.read(fd, _READ_SIZE):
            parts.append(part)
    except OSError:
        return None
    finally:
        os.close(fd)
    data = b"".join(parts)
    return data[len(BOM):] if data.startswith(BOM) else data  # as utf-8-sig reads it (Windows editors write one)


def _fast_ids(datas: list[bytes | None], k: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The class id of every object line of the files, as far as the fast path can tell.

    Returns
    -------
    ids, files : ndarray of int64
        Class id and file index of each non-blank line (meaningless for an unsure file).
    unsure : ndarray of bool
        Per file: unreadable, a line the fast path does not accept or a class id ``>= k``;
        :func:`careful_ids` is to read it.
    """
    unreadable = [i for i, d in enumerate(datas) if d is None] if None in datas else []
    blob = b"\n".join(d or b"" for d in datas) + b"\n"  # every file ends in a newline of its own
    ends = np.cumsum([len(d or b"") + 1 for d in datas])  # one past each file's newline
    unsure = np.zeros(len(datas), dtype=bool)
    unsure[unreadable] = True
    unsure[_file_of(ends, _odd_bytes(blob))] = True
    fields = _Fields(blob)
    if not fields.starts.size:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), unsure
    ids, plain = fields.class_ids()
    first, count = fields.first, fields.per_line
    files = _file_of(ends, fields.starts[first])
    unsure[_file_of(ends, fields.starts[fields.not_numbers(blob)])] = True
    unsure[files[(count < 5) | ~plain]] = True
    if k is not None:
        unsure[files[ids >= k]] = True
    return ids, files, unsure


def _file_of(ends: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The file index of byte positions in the joined files."""
    return np.searchsorted(ends, positions, side="right")


def _odd_bytes(blob: bytes) -> np.ndarray:
    """Positions of the bytes outside :data:`_ALPHABET`, and of each ``\\r`` not before a ``\\n``."""
    chars = np.frombuffer(blob, np.uint8)
    odd = _ODD[chars] if blob.translate(None, _ALPHABET) else np.zeros(chars.size, dtype=bool)
    if b"\r" in blob:
        odd[:-1] |= (chars[:-1] == 13) & (chars[1:] != 10)
    return np.flatnonzero(odd)


class _Fields:
    """The whitespace-separated fields of the joined files (first and last byte of each, in
    order) and their lines: ``first`` (index of each non-blank line's first field) and
    ``per_line`` (its number of fields)."""

    def __init__(self, blob: bytes) -> None:
        self.chars = np.frombuffer(blob, np.uint8)
        inside = np.concatenate(([False], self.chars >= _FIELD_BYTE, [False]))
        edges = np.flatnonzero(inside[1:] != inside[:-1])
        self.starts, self.lasts = edges[0::2], edges[1::2] - 1
        self.dots = self._per_field(self.chars == ord("."))
        self.signed = self._signed(blob)
        ends_line = self._per_field(self.chars == ord("\n")) > 0
        self.first = np.flatnonzero(np.concatenate(([True], ends_line[:-1])))[: self.starts.size]
        self.per_line = np.diff(np.append(self.first, self.starts.size))

    def _per_field(self, mask: np.ndarray) -> np.ndarray:
        """How many bytes of ``mask`` are in each field or the whitespace after it."""
        return np.add.reduceat(mask, self.starts, dtype=np.int64)

    def _signed(self, blob: bytes) -> np.ndarray:
        """Per field: whether it holds a sign or an exponent mark."""
        if not any(c in blob for c in (b"+", b"-", b"e", b"E")):
            return np.zeros(self.starts.size, dtype=bool)
        c = self.chars
        return self._per_field((c == ord("+")) | (c == ord("-")) | ((c | 32) == ord("e"))) > 0

    def not_numbers(self, blob: bytes) -> np.ndarray:
        """Per field: True unless :func:`float` reads it. Digits with at most one dot are judged
        here; a field with a sign or an exponent mark is handed to :func:`float` itself."""
        bad = (self.dots > 1) | (self.dots == self.lasts - self.starts + 1)
        for i in np.flatnonzero(self.signed).tolist():
            bad[i] = not _is_float(blob[self.starts[i]:self.lasts[i] + 1])
        return bad

    def class_ids(self) -> tuple[np.ndarray, np.ndarray]:
        """The value of each line's first field, and whether it is plain (digits only, at most
        :data:`_MAX_ID_DIGITS`); the value of a field that is not plain is meaningless."""
        start = self.starts[self.first]
        width = self.lasts[self.first] - start + 1
        col = np.arange(min(int(width.max()), _MAX_ID_DIGITS))
        used = col < width[:, None]
        at = np.where(used, start[:, None] + col, start[:, None])
        power = np.where(used, _POW10[np.clip(width[:, None] - 1 - col, 0, _MAX_ID_DIGITS - 1)], 0)
        values = ((self.chars[at].astype(np.int64) - ord("0")) * power).sum(axis=1)
        plain = (self.dots[self.first] == 0) & ~self.signed[self.first] & (width <= _MAX_ID_DIGITS)
        return values, plain


def _is_float(field: bytes) -> bool:
    """Whether :func:`float` reads ``field``."""
    try:
        float(field)
    except ValueError:
        return False
    return True


def _tally(ids: np.ndarray, files: np.ndarray, n_files: int) -> tuple[Counter, Counter]:
    """Objects per class id, and files per class id (each file once per class it holds)."""
    if not ids.size:
        return Counter(), Counter()
    span = int(ids.max()) + 1
    if span * n_files <= _DENSE_CELLS:  # a few thousand classes at most: a table, no sorting
        held = np.zeros((n_files, span), dtype=bool)
        held[files, ids] = True
        return _nonzero(np.bincount(ids, minlength=span)), _nonzero(held.sum(axis=0))
    instances = np.unique(ids, return_counts=True)
    images = np.unique(np.unique(files * span + ids) % span, return_counts=True)
    return Counter(dict(zip(*(a.tolist() for a in instances)))), Counter(dict(zip(*(a.tolist() for a in images))))


def _nonzero(counts: np.ndarray) -> Counter:
    """``{index: count}`` of the non-zero entries."""
    index = np.flatnonzero(counts)
    return Counter(dict(zip(index.tolist(), counts[index].tolist())))


def careful_ids(path: Path, k: int | None) -> list[int]:
    """The class id of every object line of one file, read line by line.

    Raises
    ------
    InputError
        For the first malformed line or class id ``>= k`` (``file:line``), or an unreadable file.
    """
    ids = []
    for lineno, cid in _yolo_lines(path):
        if k is not None and cid >= k:
            raise InputError(
                f"{path}:{lineno}: class id {cid} but the class names list only {k} "
                f"(ids 0..{k - 1}); fix the label or the names"
            )
        ids.append(cid)
    return ids


def _yolo_lines(f: Path):
    """``(line number, class id)`` of every non-blank line of a label file.

    Raises
    ------
    InputError
        For a file that is not UTF-8 or cannot be read, or a malformed line (``file:line``).
    """
    try:
        text = f.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{f}: not UTF-8 text; a YOLO label file holds 'class_id x y w h' lines") from None
    except OSError as exc:
        raise InputError(f"{f}: cannot read the file ({exc}); check its permissions") from None
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cid = parse_line(line)
        if cid is None:
            shown = line.strip()[:60]
            raise InputError(
                f"{f}:{lineno}: malformed YOLO line {shown!r}; expected 'class_id x_center y_center width height' "
                "with an integer class id >= 0"
            )
        yield lineno, cid


def parse_line(line: str) -> int | None:
    """The class id of a ``class_id x y w h [...]`` line, or None if the line is not one."""
    parts = line.split()
    if len(parts) < 5:
        return None
    try:
        cid = int(parts[0])
        [float(x) for x in parts[1:]]
    except ValueError:
        return None
    return cid if cid >= 0 else None


# ------------------------------------------------------------------------------------------------
# worker processes
# ------------------------------------------------------------------------------------------------


def map_in_order(fn: Callable, chunks: list, *args, workers: int) -> Iterator:
    """``fn(chunk, *args)`` for every chunk, computed on ``workers`` forked processes, in chunk order
    (call it where :func:`forking_is_safe`).

    Parameters
    ----------
    fn : callable
        A module-level function (it is pickled by name); ``chunks`` and ``args`` are pickled too.
    chunks : list
        The work, one item per task.
    *args
        Passed to every call after the chunk.
    workers : int
        Processes to start (at most one per chunk).

    Yields
    ------
    object
        ``fn``'s result for each chunk, in order.

    Raises
    ------
    ImbalcheckError
        The first one (in chunk order) a worker raised, as a fresh exception of the same
        class and message, without the worker's traceback.

    Notes
    -----
    Workers ignore Ctrl-C (SIGINT is blocked while they start, then ignored), so an
    interrupt reaches only this process, and end with it (``PR_SET_PDEATHSIG``: a SIGTERM or
    SIGKILL of this process ends them too). On an interrupt, an error or the caller closing
    the generator early, the chunks not started are cancelled and the workers, which only
    read files, are terminated and reaped with Ctrl-C held back, so a second Ctrl-C cannot
    leave one behind.
    """
    pool = ProcessPoolExecutor(min(workers, len(chunks)), mp_context=multiprocessing.get_context("fork"),
                               initializer=_worker_start, initargs=(os.getpid(),))
    try:
        with _sigint_blocked(), _quiet_fork():  # the workers are forked in submit(); none may see Ctrl-C
            futures = [pool.submit(fn, chunk, *args) for chunk in chunks]
        for future in futures:
            yield _result(future)
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown()


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel the chunks not started, terminate the workers and reap them, with SIGINT held back."""
    with _sigint_blocked():
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for p in processes:
            p.terminate()
        for p in processes:
            p.join()


def _result(future):
    """The future's result; a worker's :class:`ImbalcheckError` raised again as a one-line error of this process."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        return future.result()
    except ImbalcheckError as exc:
        raise type(exc)(str(exc)) from None
    except BrokenProcessPool:
        raise InputError("a worker process counting the label files ended unexpectedly (killed, e.g. out of "
                         "memory); run the command again") from None


def forking_is_safe() -> bool:
    """Whether :func:`map_in_order` may run here: Linux (where ``fork`` is a start method) with
    no Python thread but this one, so that no lock can be held in a forked worker.

    Only ``fork`` is used: ``forkserver`` and ``spawn`` run the caller's ``__main__`` again in
    every worker (a script without an ``if __name__ == "__main__"`` guard would fail or repeat
    its work) and import numpy and imbalcheck there again (about 0.3 s a pool).
    """
    return (sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1)


@contextlib.contextmanager
def _quiet_fork() -> Iterator[None]:
    """Python 3.12+ warns at every fork of a process with several OS threads, counting the
    idle threads of numpy's BLAS (which re-creates them after a fork); :func:`forking_is_safe`
    has checked the Python threads, so that warning is not shown."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*multi-threaded, use of fork\(\) may lead to deadlocks",
                                category=DeprecationWarning)
        yield


@contextlib.contextmanager
def _sigint_blocked() -> Iterator[None]:
    """SIGINT held back in this thread (and in the processes it starts) for the block; one
    that arrives meanwhile is delivered when it ends."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _worker_start(parent: int) -> None:
    """Worker initializer: Ctrl-C is the parent's to handle, and the worker ends with the parent
    (Linux ``prctl(PR_SET_PDEATHSIG, SIGTERM)``; if the parent is gone already, now)."""
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM))  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not glibc: the parent's clean-up still ends the workers
        pass
    if os.getppid() != parent:  # the parent died before prctl: end as its signal would have
        os.kill(os.getpid(), signal.SIGTERM)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
