"""What every command does around its work: errors to exit codes, reading, rendering, writing.

Exit codes: 0 ok, 1 the data failed a check, 2 bad usage or input, 130 interrupted.
"""

from __future__ import annotations

import contextlib
import sys
import warnings
from pathlib import Path
from typing import Optional

import typer

from ..errors import ImbalcheckError
from .options import FORMAT_BY_SUFFIX, Format, ReadArgs

EXIT_FAILED_CHECK = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    typer.echo(f"imbalcheck: error: {message}", err=True)
    return typer.Exit(code)


@contextlib.contextmanager
def guard(quiet: bool = False, debug: bool = False):
    """Run a command: the package's errors become one line on stderr and an exit code."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        except ImbalcheckError as exc:
            if debug:
                raise
            raise fail(str(exc)) from None
        except KeyboardInterrupt:
            raise fail("interrupted", EXIT_INTERRUPTED) from None
        except BrokenPipeError:
            raise typer.Exit(0) from None
        finally:
            if not quiet:
                for w in caught:
                    typer.echo(f"imbalcheck: warning: {w.message}", err=True)


def load(source: str, args: ReadArgs):
    """Read a file into counts (a progress bar on a terminal's stderr) and apply the label clean-ups."""
    from ..labels import clean_labels, parse_na_values
    from ..progress import terminal_bar
    from ..readers import read_counts

    layout = vision_layout(source, args.layout)
    with terminal_bar(f"reading {source}", enabled=not args.quiet and sys.stderr.isatty()):
        if layout is not None:
            data = _read_vision(source, layout, args.count_what)
        else:
            data = read_counts(source, input_format=args.input_format, column=args.column, counts=args.counts,
                               count_column=args.count_column, encoding=args.encoding)
    return clean_labels(data, na_values=parse_na_values(args.na_values), strip=args.strip,
                        numeric=args.numeric_labels, source=source)


_LAYOUTS = ("imagefolder", "coco", "yolo")


def vision_layout(source: str, layout: Optional[str]) -> Optional[str]:
    """The vision layout to read: as given, or detected for a folder or a COCO annotations file."""
    from ..errors import ConfigError

    if layout is not None:
        if layout not in _LAYOUTS:
            raise ConfigError(f"--layout {layout!r}: choose one of {', '.join(_LAYOUTS)}")
        return layout
    path = Path(source)
    if source != "-" and (path.is_dir() or path.suffix.lower() == ".json" and _starts_with_object(path)):
        from ..vision import detect_layout

        found = detect_layout(path)
        if found is None and path.is_dir():
            raise ConfigError(f"{source}: a folder, but not an ImageFolder, COCO or YOLO layout; pass a labels file "
                              "or --layout imagefolder|coco|yolo")
        return found
    return None


def _starts_with_object(path: Path) -> bool:
    """Whether a .json file is one object (COCO) rather than an array of records."""
    try:
        with open(path, "rb") as fh:
            return fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")
    except OSError:
        return False


def _read_vision(source: str, layout: str, count_what: str):
    from ..errors import ConfigError
    from ..vision import coco_counts, imagefolder_counts, yolo_counts

    if count_what not in ("instances", "images"):
        raise ConfigError(f"--count {count_what!r}: choose instances or images")
    if layout == "imagefolder":
        return imagefolder_counts(source)
    instances, images = (coco_counts if layout == "coco" else yolo_counts)(source)
    return instances if count_what == "instances" else images


def fitted_batch(data, wanted: int = 128) -> int:
    """A batch size no larger than the data, for commands whose output does not depend on it."""
    return min(wanted, max(data.n_samples, 1))


def analysis_options(batch_size, top_k, split, folds, beta):
    from ..analysis import DEFAULT_TOP_K, Options
    from ..stratify import parse_fractions

    return Options(batch_size=batch_size, top_k=tuple(sorted(set(DEFAULT_TOP_K) | set(top_k or ()))),
                   split=parse_fractions(split), folds=folds, beta=beta)


def resolve_format(fmt: Optional[Format], output: Optional[Path]) -> Format:
    if fmt is not None:
        return fmt
    if output is not None:
        return FORMAT_BY_SUFFIX.get(output.suffix.lower(), Format.rich)
    return Format.rich


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


def rich_text(sections, title: str) -> str:
    """Render sections through rich into a string (terminal width when stdout is a tty)."""
    from rich.console import Console

    from ..render.rich_text import print_sections

    console = Console(file=sys.stdout, record=True, force_terminal=None, soft_wrap=False)
    with console.capture() as capture:
        print_sections(sections, console, title)
    return capture.get()


def render_report(sections, title: str, verdict_line: str, document: dict, fmt: Format) -> str:
    if fmt is Format.json:
        from ..render.json_doc import to_json

        return to_json(document)
    if fmt is Format.markdown:
        from ..render.markdown import render_sections

        return render_sections(sections, title, verdict_line)
    return rich_text(sections, title)


def thresholds(config: Optional[Path], overrides: dict) -> dict:
    """Config-file thresholds, overridden by the options that were given."""
    from ..check import find_pyproject, load_config, validate_limits

    path = config if config is not None else find_pyproject(Path.cwd())
    merged = load_config(path, explicit=config is not None)
    merged.update({k: v for k, v in overrides.items() if v is not None})
    return validate_limits(merged)
