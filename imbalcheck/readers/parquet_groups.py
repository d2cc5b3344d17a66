"""Counting a Parquet column on every core, one block of row groups per thread.

pyarrow decodes one column of one row group on one core. A file with several row
groups is split into contiguous blocks of about equal row counts; each thread opens
the file on its own and tallies its block batch by batch, so memory stays bounded by
the batch size times the threads, plus the distinct labels.
"""

from __future__ import annotations

from collections.abc import Callable

from . import threads
from .tally import Tally, merged


def blocks(rows_per_group: list[int], workers: int) -> list[list[int]]:
    """Contiguous, non-empty runs of row-group indices, at most ``workers`` of them, each
    ending where the running row count first reaches its equal share."""
    total = sum(rows_per_group)
    out: list[list[int]] = [[]]
    seen = 0
    for i, n in enumerate(rows_per_group):
        out[-1].append(i)
        seen += n
        if seen * workers >= total * len(out) and len(out) < workers and i + 1 < len(rows_per_group):
            out.append([])
    return out


def count_row_groups(open_file: Callable, column: str, rows_per_group: list[int], *, batch_size: int,
                     workers: int | None = None) -> Tally | None:
    """Tally ``column`` over all row groups; ``None`` when there are fewer than two row
    groups or cores (the caller then reads serially). ``open_file()`` returns a new
    ``pyarrow.parquet.ParquetFile`` each call. An error is raised as the serial reader
    would meet it: the one in the earliest failing block (later blocks stop early).
    """
    workers = threads.workers() if workers is None else workers
    if workers < 2 or len(rows_per_group) < 2:
        return None
    parts = blocks(rows_per_group, workers)
    tallies = [Tally() for _ in parts]

    def task(job: threads.Job, i: int) -> None:
        with open_file() as pf:
            for batch in pf.iter_batches(batch_size=batch_size, row_groups=parts[i], columns=[column],
                                         use_threads=False):
                if job.halted(i):
                    return
                tallies[i].add(batch.column(0))
                job.done[i] += batch.num_rows

    job = threads.run(task, len(parts), sum(rows_per_group))
    if job.error is not None:
        raise job.error
    return merged(tallies)
