"""Reading Parquet columns on every core, one block of row groups per thread.

pyarrow decodes one column of one row group on one core. A file with several row
groups is split into contiguous blocks of about equal row counts; each thread opens
the file on its own and hands its block batch by batch to its own fork of the
consumer (the forks are joined in file order), so memory stays bounded by the batch
size times the threads, plus what the consumer keeps.
"""

from __future__ import annotations

from collections.abc import Callable

from . import threads


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


def read_row_groups(open_file: Callable, columns: list[str], rows_per_group: list[int], consumer, *,
                    batch_size: int, workers: int | None = None) -> bool:
    """Hand ``columns`` of every row group to ``consumer``; False (nothing done) when there are
    fewer than two row groups or cores (the caller then reads serially). ``open_file()``
    returns a new ``pyarrow.parquet.ParquetFile`` each call. An error is raised as the
    serial reader would meet it: the one in the earliest failing block (later blocks stop
    early), with row numbers counted from the start of the file.
    """
    workers = threads.workers() if workers is None else workers
    if workers < 2 or len(rows_per_group) < 2:
        return False
    blocks_ = blocks(rows_per_group, workers)
    starts = [sum(rows_per_group[: b[0]]) for b in blocks_]
    parts = [consumer.fork(first) for first in starts]

    def task(job: threads.Job, i: int) -> None:
        with open_file() as pf:
            for batch in pf.iter_batches(batch_size=batch_size, row_groups=blocks_[i], columns=columns,
                                         use_threads=False):
                if job.halted(i):
                    return
                parts[i].add([batch.column(k) for k in range(len(columns))])
                job.done[i] += batch.num_rows

    job = threads.run(task, len(parts), sum(rows_per_group))
    if job.error is not None:
        raise job.error
    consumer.join(parts)
    return True
