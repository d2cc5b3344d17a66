"""The ``imbalcheck`` command line: parse, call the library, pick a renderer, map errors to exit codes.

Exit codes: 0 ok, 1 the data failed a check, 2 bad usage or input, 130 interrupted.
Heavy modules are imported inside the commands so ``imbalcheck --help`` starts fast.
Modules: :mod:`.options` (shared options), :mod:`.runtime` (errors, reading,
rendering, writing), :mod:`.report` (profile, weights), :mod:`.gate` (check,
diff), :mod:`.training` (recommend, probe).
"""

from __future__ import annotations

import sys

import typer

app = typer.Typer(
    name="imbalcheck",
    help="How badly will this label distribution hurt training, and what to do about it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


from . import gate, report, training  # noqa: E402,F401 - each registers its commands on ``app``
from .runtime import EXIT_INTERRUPTED  # noqa: E402

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("imbalcheck: error: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
