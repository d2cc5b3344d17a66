"""Running one reader task per core on threads (pyarrow parses and decodes without the GIL)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

from .. import progress

MAX_WORKERS = 8


def usable_cores() -> int:
    """Cores this process may run on (the affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def workers() -> int:
    """Threads a reader uses: one per usable core, at most :data:`MAX_WORKERS`."""
    return min(MAX_WORKERS, usable_cores())


class Job:
    """What the tasks of one :func:`run` share: work done per task, errors per task, and
    ``stop``, which a task (or the waiting caller) sets to stop every task."""

    def __init__(self, n: int) -> None:
        self.done = [0] * n
        self.errors: dict[int, BaseException] = {}
        self.stop = False

    def halted(self, i: int) -> bool:
        """Whether task ``i`` should stop: everything stops on ``stop``, and a task stops
        once an earlier task has failed (its error is the one reported)."""
        return self.stop or any(j < i for j in list(self.errors))

    @property
    def error(self) -> BaseException | None:
        """The error of the first failed task in task order (so in file order), if any."""
        return self.errors[min(self.errors)] if self.errors else None


def run(task: Callable[[Job, int], None], n: int, total: int | None, *, base: int = 0) -> Job:
    """Run ``task(job, i)`` for ``i < n``, one thread each, and wait for all of them.

    While waiting, ``base`` plus the summed ``job.done`` is reported to
    :mod:`imbalcheck.progress` against ``total``. An exception a task raises is kept in
    ``job.errors``. If the wait itself is interrupted (Ctrl-C), every task is told to
    stop and is waited for before the interrupt propagates, so no thread outlives the
    call or reads a file the caller has closed.
    """
    job = Job(n)

    def guarded(i: int) -> None:
        try:
            task(job, i)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller through job.errors
            job.errors[i] = exc

    threads = [threading.Thread(target=guarded, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    try:
        for t in threads:
            while t.is_alive():
                t.join(0.1)
                progress.update(base + sum(job.done), total)
    except BaseException:
        job.stop = True
        for t in threads:
            t.join()
        raise
    progress.update(base + sum(job.done), total)
    return job
