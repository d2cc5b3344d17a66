"""A progress hook for long reads: readers report, the CLI decides whether to show anything.

Readers call :func:`update` with the work done and the total (bytes or rows; the
total may be None). Nothing happens unless a reporter is installed with
:func:`reporting`, so library use stays silent.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

Reporter = Callable[[int, "int | None"], None]
_reporter: Reporter | None = None


def update(done: int, total: int | None) -> None:
    if _reporter is not None:
        _reporter(done, total)


@contextlib.contextmanager
def reporting(reporter: Reporter) -> Iterator[None]:
    global _reporter
    previous, _reporter = _reporter, reporter
    try:
        yield
    finally:
        _reporter = previous


@contextlib.contextmanager
def terminal_bar(description: str, enabled: bool, delay: float = 1.5) -> Iterator[None]:
    """A rich progress bar on stderr, shown only once a read has taken ``delay`` seconds."""
    if not enabled:
        yield
        return
    import time

    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

    start = time.monotonic()
    bar = Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeElapsedColumn(),
                   console=Console(stderr=True), transient=True)
    task = bar.add_task(description, total=None)
    shown = False

    def report(done: int, total: int | None) -> None:
        nonlocal shown
        if not shown and time.monotonic() - start >= delay:
            bar.start()
            shown = True
        bar.update(task, completed=done, total=total)

    try:
        with reporting(report):
            yield
    finally:
        if shown:
            bar.stop()
