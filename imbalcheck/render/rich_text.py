"""Terminal report with rich: panels and tables laid out from :mod:`.sections`.

Every text is a ``rich.text.Text``, never markup: a label such as ``[/x]``, ``[pad]`` or
``[link](http://x)`` is shown as written.
"""

from __future__ import annotations

import io
import sys

from .sections import Section, numeric_columns


def render_rich(sections: list[Section], title: str, width: int | None = None) -> str:
    """The sections as the terminal shows them (colour and width of stdout's terminal, if it is one)."""
    from rich.console import Console

    console = Console(file=sys.stdout, record=True, force_terminal=None, soft_wrap=False, width=width)
    with console.capture() as capture:
        print_sections(sections, console, title)
    return capture.get()


def print_sections(sections: list[Section], console, title: str) -> None:
    """Lay the sections out on a rich console (the caller picks its width and file)."""
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    for i, sec in enumerate(sections):
        if sec.headers:
            # values whole and headers wrapped at their spaces, when that fits; else rich's own fit
            table = _table(sec, values_whole=True)
            if _natural_width(table) > console.width:
                narrow = _table(sec, values_whole=True, wrapped_headers=True)
                table = narrow if _natural_width(narrow) <= console.width else _table(sec, values_whole=False)
            console.print(table)
        else:
            grid = Table.grid(padding=(0, 2))
            grid.add_column(style="bold")
            grid.add_column(overflow="fold")
            for key, value in sec.rows:
                grid.add_row(Text(key), Text(value))
            console.print(Panel(grid, title=Text(title if i == 0 else sec.title), title_align="left",
                                subtitle=None, expand=False))
        for note in sec.notes:
            style = "yellow" if note.startswith("warning: ") else "dim"
            console.print(Padding(Text(note, style=style), (0, 0, 0, 2)))
        console.print()


def _natural_width(table) -> int:
    """The width a table takes when nothing constrains it."""
    from rich.console import Console

    wide = Console(width=10_000, record=False, file=io.StringIO(), color_system=None)
    with wide.capture() as capture:
        wide.print(table)
    return max((len(line.rstrip()) for line in capture.get().splitlines()), default=0)


def _table(sec: Section, *, values_whole: bool, wrapped_headers: bool = False):
    """A section's table; with ``values_whole`` no value is broken (the headers wrap instead);
    ``wrapped_headers`` puts each header word on its own line (to measure the narrowest fit)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(sec.title), box=box.SIMPLE_HEAVY, title_justify="left", title_style="bold")
    headers = ["\n".join(h.split()) for h in sec.headers] if wrapped_headers else sec.headers
    for j, (name, numeric) in enumerate(zip(headers, numeric_columns(sec))):
        widest = max((len(row[j]) for row in sec.rows), default=0) if values_whole else None
        table.add_column(Text(name), justify="right" if numeric else "left", overflow="fold", min_width=widest)
    for r, row in enumerate(sec.rows):
        table.add_row(*(Text(cell) for cell in row), end_section=(r == sec.gap_after))
        if r == sec.gap_after:
            table.add_row(*(["..."] * len(sec.headers)), end_section=True)
    return table
