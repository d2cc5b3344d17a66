"""What every command does around its work: errors to exit codes, warnings to stderr, writing.

Exit codes: 0 ok, 1 the data failed a check, 2 bad usage or input, 130 interrupted.
"""

from __future__ import annotations

import contextlib
import sys
import warnings
from pathlib import Path
from typing import Optional

import typer

from ..errors import ConfigError, ImbalcheckError
from .options import FORMAT_BY_SUFFIX, Format

EXIT_FAILED_CHECK = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    typer.echo(f"imbalcheck: error: {message}", err=True)
    return typer.Exit(code)


class Run:
    """What a command tells :func:`guard`: whether its report on a terminal already shows the warnings."""

    def __init__(self) -> None:
        self.warnings_on_screen = False

    def report(self, fmt, output) -> None:
        """A rich report on stdout's terminal lists the warnings itself: stderr then stays quiet."""
        self.warnings_on_screen = fmt is Format.rich and output is None and sys.stdout.isatty()


@contextlib.contextmanager
def guard(quiet: bool = False, debug: bool = False):
    """Run a command: the package's errors become one line on stderr and an exit code; each
    warning is printed once on stderr (and is in the report itself)."""
    from ..progress import terminal_bar

    run = Run()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with terminal_bar("reading", enabled=not quiet and sys.stderr.isatty()):
                yield run
        except ImbalcheckError as exc:
            if debug:
                raise
            raise fail(str(exc)) from None
        except KeyboardInterrupt:
            raise fail("interrupted", EXIT_INTERRUPTED) from None
        except BrokenPipeError:
            raise typer.Exit(0) from None
        finally:
            if not quiet and not run.warnings_on_screen:
                seen = set()
                for w in caught:
                    text = str(w.message)
                    if text not in seen:
                        seen.add(text)
                        typer.echo(f"imbalcheck: warning: {text}", err=True)


def resolve_format(fmt: Optional[Format], output: Optional[Path]) -> Format:
    if fmt is not None:
        return fmt
    if output is not None:
        return FORMAT_BY_SUFFIX.get(output.suffix.lower(), Format.rich)
    return Format.rich


def check_render_options(fmt: Format, max_rows: Optional[int], all_classes: bool = False) -> None:
    """Rendering options that the chosen format does not use are refused, not ignored."""
    if max_rows is not None and max_rows < 1:
        raise ConfigError(f"--max-rows must be >= 1, got {max_rows}")
    if fmt is Format.json and max_rows is not None:
        raise ConfigError("--max-rows sets the class-table rows of rich and markdown reports; JSON lists every "
                          "class (see --all-classes); drop it")
    if fmt is not Format.json and all_classes:
        raise ConfigError("--all-classes applies to --format json; rich and markdown show the head and tail "
                          "(see --max-rows)")


def emit(text: str, output: Optional[Path], inputs: tuple[str, ...]) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from ..output import refuse_overwriting_input, write_atomic

    refuse_overwriting_input(output, *inputs)
    write_atomic(output, text)


def emit_bytes(data: bytes, path: Path, inputs: tuple[str, ...]) -> None:
    from ..output import refuse_overwriting_input, write_atomic

    refuse_overwriting_input(path, *inputs)
    write_atomic(path, data)


def relative_link(image: Path, output: Optional[Path]) -> str:
    """How a markdown report refers to an image it sits beside (relative to the report's folder)."""
    import os

    base = output.parent if output is not None else Path(".")
    return Path(os.path.relpath(image.resolve(), base.resolve())).as_posix()


def config_path(config: Optional[Path]) -> Optional[Path]:
    """``--config``, or the nearest ``pyproject.toml`` (the CLI's own discovery; the API reads none unasked)."""
    from ..thresholds import find_pyproject

    return config if config is not None else find_pyproject(Path.cwd())
