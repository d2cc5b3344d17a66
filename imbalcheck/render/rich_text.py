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
            # the widest layout that fits: values whole; headers wrapped; texts cut with an ellipsis and
            # numbers whole; at last rich's own folding (a too narrow terminal still sees every column)
            table = next((t for t in (_table(sec, "whole"), _table(sec, "whole", wrapped_headers=True))
                          if _natural_width(t) <= console.width), None)
            if table is None:
                table = _table(sec, "ellipsis" if _ellipsis_width(sec) <= console.width else "fold",
                               wrapped_headers=True)
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


def _ellipsis_width(sec: Section) -> int:
    """The width of the "ellipsis" layout: numbers whole, texts cut to 8 characters (or their
    header's longest word), 3 characters of padding and rule per column."""
    width = 0
    for j, numeric in enumerate(numeric_columns(sec)):
        widest = max((len(row[j]) for row in sec.rows), default=0)
        word = max((len(w) for w in sec.headers[j].split()), default=0)
        width += max(word, widest if numeric else min(widest, _CUT)) + 3
    return width + 1


#: How short the "ellipsis" layout cuts a text column.
_CUT = 8


def _table(sec: Section, values: str, *, wrapped_headers: bool = False):
    """A section's table. ``values``: "whole" (no value broken), "ellipsis" (numbers whole, texts cut
    with an ellipsis) or "fold" (rich folds every column); ``wrapped_headers`` puts each header
    word on its own line."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(sec.title), box=box.SIMPLE_HEAVY, title_justify="left", title_style="bold")
    headers = ["\n".join(h.split()) for h in sec.headers] if wrapped_headers else sec.headers
    for j, (name, numeric) in enumerate(zip(headers, numeric_columns(sec))):
        widest = max((len(row[j]) for row in sec.rows), default=0)
        justify = "right" if numeric else "left"
        if values == "whole" or (values == "ellipsis" and numeric):
            table.add_column(Text(name), justify=justify, overflow="fold", min_width=widest)
        elif values == "ellipsis":
            table.add_column(Text(name), overflow="ellipsis", no_wrap=True, min_width=min(widest, _CUT))
        else:
            table.add_column(Text(name), justify=justify, overflow="fold")
    for r, row in enumerate(sec.rows):
        table.add_row(*(Text(cell) for cell in row), end_section=(r == sec.gap_after))
        if r == sec.gap_after:
            table.add_row(*(["..."] * len(sec.headers)), end_section=True)
    return table
