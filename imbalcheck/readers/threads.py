"""Running one reader task per core on threads (pyarrow parses and decodes without the GIL)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

from .. import progress


def usable_cores() -> int:
    """Cores this process may run on (the affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class Job:
    """What the threads of one :func:`run` share: work done per task and the reason to stop."""

    def __init__(self, n: int) -> None:
        self.done = [0] * n
        self.stop = False
        self.error: BaseException | None = None


def run(task: Callable[[Job, int], None], n: int, total: int | None) -> Job:
    """Run ``task(job, i)`` for ``i < n``, one thread each, and wait for all of them.

    While waiting, the summed ``job.done`` is reported to :mod:`imbalcheck.progress`
    against ``total``. The first exception a task raises is kept in ``job.error``
    and sets ``job.stop``, which the other tasks check between steps.
    """
    job = Job(n)

    def guarded(i: int) -> None:
        try:
            task(job, i)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller through job.error
            if job.error is None:
                job.error = exc
            job.stop = True

    threads = [threading.Thread(target=guarded, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        while t.is_alive():
            t.join(0.1)
            progress.update(sum(job.done), total)
    progress.update(sum(job.done), total)
    return job
