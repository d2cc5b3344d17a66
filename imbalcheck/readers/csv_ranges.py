"""Reading a big CSV file's chosen columns on every core.

pyarrow's streaming CSV reader parses on one core. When a file's data holds no quote
character, every newline ends a record, so the data can be cut at newlines into one
byte range per core, and each range parsed by its own thread (pyarrow parses without
holding the GIL) in pieces of :data:`PIECE` bytes read with ``os.pread`` and handed to
its own fork of the consumer; the forks are joined in file order. Memory stays bounded
by ``workers * PIECE`` plus what the consumer keeps, as in the serial reader.

This is only ever a shortcut to the serial reader's answer. The first quote character,
a piece without a newline, or any parse error abandons the attempt (``None``), and the
caller reads the file with the serial reader, whose quote checks and error messages
then apply. A quote-free range parses as the serial reader parses it, because both run
the same pyarrow parser with the same options and a cut after ``\\n`` cannot split a
record; the one thing pyarrow does at the start of each input, dropping a byte order
mark, is handed over too.
"""

from __future__ import annotations

import os

import pyarrow as pa

from . import kernels, threads
from .source import BOM

PIECE = 8 << 20  # bytes parsed per call, per worker
PARALLEL_MIN = 32 << 20  # smaller data is read by the serial reader
_FIND = 1 << 20  # how far past a planned cut a newline is looked for


def plan(fd: int, start: int, size: int, workers: int) -> list[int]:
    """Cut points ``[start, ..., size]``: one range per worker, each cut just after a
    newline at or after an equal share of the bytes (fewer ranges where none is found)."""
    cuts = [start]
    for k in range(1, workers):
        at = start + (size - start) * k // workers
        window = os.pread(fd, _FIND, at)
        nl = window.find(b"\n")
        if nl >= 0 and at + nl + 1 > cuts[-1] and at + nl + 1 < size:
            cuts.append(at + nl + 1)
    cuts.append(size)
    return cuts


def read_ranges(path: str, start: int, consumer, *, delimiter: str, n_columns: int, columns: list[int],
                workers: int | None = None) -> bool:
    """Hand ``columns`` of the CSV data from byte ``start`` of ``path`` to its end to ``consumer``.

    Returns True when done (the consumer holds every row), or False when the file must
    be read by the serial reader (it is too small, or its data holds a quote, a piece
    without a newline, or anything pyarrow or the consumer rejects; the consumer is then
    untouched). Reads only; the caller validated the header.
    """
    size = os.path.getsize(path)
    workers = threads.workers() if workers is None else workers
    if workers < 2 or size - start < PARALLEL_MIN or not hasattr(os, "pread"):  # no pread on Windows
        return False
    with open(path, "rb", buffering=0) as f:
        fd = f.fileno()
        cuts = plan(fd, start, size, workers)
        parts = [consumer.fork() for _ in range(len(cuts) - 1)]

        def task(job: threads.Job, i: int) -> None:
            if not _read_range(job, i, fd, start, cuts[i], cuts[i + 1], parts[i], delimiter, n_columns, columns):
                job.stop = True

        job = threads.run(task, len(cuts) - 1, size, base=start)
    if isinstance(job.error, MemoryError):
        raise job.error
    if job.stop or job.errors:  # not quote-free, or something was rejected: the serial reader decides
        return False
    consumer.join(parts)
    return True


def _read_range(
    job: threads.Job, i: int, fd: int, first: int, begin: int, end: int, part, delimiter: str,
    n_columns: int, columns: list[int],
) -> bool:
    """Parse bytes ``[begin, end)`` piece by piece into ``part``; False = hand the file over.

    pyarrow drops a byte order mark at the start of every input it parses, so a piece
    other than the data's ``first`` byte that starts with one is handed over too (the
    serial reader keeps it as part of the label).
    """
    import pyarrow.csv as pcsv

    names = [f"c{j}" for j in range(n_columns)]
    read_options = pcsv.ReadOptions(column_names=names, use_threads=False)
    parse_options = pcsv.ParseOptions(delimiter=delimiter, ignore_empty_lines=n_columns > 1)
    keep = [names[j] for j in columns]
    convert_options = pcsv.ConvertOptions(
        include_columns=keep,
        column_types={c: pa.dictionary(pa.int32(), pa.string()) if getattr(part, "encoded_cells", True) else pa.string()
                      for c in keep},
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    scratch = bytearray(PIECE)  # one per range, reused: no 8 MiB Python object per piece
    view = memoryview(scratch)
    pos = begin
    while pos < end:
        if job.halted(i):
            return True
        got = os.preadv(fd, [view[: min(PIECE, end - pos)]], pos)
        if not got or scratch.find(b'"', 0, got) >= 0 or (pos != first and scratch.startswith(BOM, 0, got)):
            return False
        cut = got if pos + got >= end else scratch.rfind(b"\n", 0, got) + 1
        if cut == 0:
            return False
        buf = kernels.arrow_copy(view[:cut])  # Arrow-owned: the parser's threads never hold a Python object
        table = pcsv.read_csv(
            pa.BufferReader(buf),
            read_options=read_options,
            parse_options=parse_options,
            convert_options=convert_options,
        )
        for batch in table.to_batches():
            part.add([batch.column(k) for k in range(len(keep))])
        pos += cut
        job.done[i] = pos - begin
    return True


