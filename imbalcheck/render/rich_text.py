"""Terminal report with rich: panels and tables laid out from :mod:`.sections`.

Every text is a ``rich.text.Text``, never markup: a label such as ``[/x]``, ``[pad]`` or
``[link](http://x)`` is shown as written.
"""

from __future__ import annotations

import io
import sys

from .sections import Section, numeric_columns


def render_rich(sections: list[Section], title: str, width: int | None = None, verdict: str | None = None) -> str:
    """The sections as the terminal shows them (colour and width of stdout's terminal, if it is one),
    the verdict first."""
    from rich.console import Console

    console = Console(file=sys.stdout, record=True, force_terminal=None, soft_wrap=False, width=width)
    with console.capture() as capture:
        print_sections(sections, console, title, verdict)
    return capture.get()


def print_sections(sections: list[Section], console, title: str, verdict: str | None = None) -> None:
    """Lay the sections out on a rich console (the caller picks its width and file)."""
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    if verdict:
        console.print(Text(title, style="bold"))
        console.print(Text(verdict))
        console.print()
    for i, sec in enumerate(sections):
        if sec.headers:
            console.print(_fitting_table(sec, console.width))
        else:
            grid = Table.grid(padding=(0, 2))
            grid.add_column(style="bold")
            grid.add_column(overflow="fold")
            for key, value in sec.rows:
                grid.add_row(Text(key), Text(value))
            console.print(Panel(grid, title=Text(title if i == 0 and not verdict else sec.title), title_align="left",
                                subtitle=None, expand=False))
        for note in sec.notes:
            style = "yellow" if note.startswith("warning: ") else "dim"
            console.print(Padding(Text(note, style=style), (0, 0, 0, 2)))
        console.print()


def _fitting_table(sec: Section, width: int):
    """The widest layout whose every number shows whole within ``width``: values whole; headers
    wrapped; texts cut with an ellipsis to the room the numbers leave; at last rich's folding
    (a terminal too narrow for the numbers still sees every column, wrapped)."""
    numbers = {row[j] for row in sec.rows for j, n in enumerate(numeric_columns(sec)) if n}
    for layout in (dict(values="whole"), dict(values="whole", wrapped_headers=True),
                   dict(values="ellipsis", wrapped_headers=True)):
        table = _table(sec, width=width, **layout)
        if _shows_whole(table, numbers, width):
            return table
    return _table(sec, width=width, values="fold")


def _shows_whole(table, numbers: set, width: int) -> bool:
    """Whether ``table`` printed at ``width`` keeps within it and shows every number unbroken."""
    from rich.console import Console

    probe = Console(width=width, file=io.StringIO(), color_system=None, soft_wrap=False)
    with probe.capture() as capture:
        probe.print(table)
    text = capture.get()
    lines = text.splitlines()
    return max((len(x.rstrip()) for x in lines), default=0) <= width and all(
        any(n in line for line in lines) for n in numbers)


def _table(sec: Section, *, width: int, values: str, wrapped_headers: bool = False):
    """A section's table. ``values``: "whole" (no value broken), "ellipsis" (numbers whole, texts cut
    with an ellipsis to share the width the numbers leave) or "fold" (rich folds every column);
    ``wrapped_headers`` puts each header word on its own line."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    numeric = numeric_columns(sec)
    widest = [max((len(row[j]) for row in sec.rows), default=0) for j in range(len(sec.headers))]
    texts = [j for j, n in enumerate(numeric) if not n]
    room = width - sum(w + 3 for w, n in zip(widest, numeric) if n) - 3 * len(texts) - 2
    cut = max(3, room // max(len(texts), 1))
    table = Table(title=Text(sec.title), box=box.SIMPLE_HEAVY, title_justify="left", title_style="bold")
    headers = ["\n".join(h.split()) for h in sec.headers] if wrapped_headers else sec.headers
    for j, (name, num) in enumerate(zip(headers, numeric)):
        justify = "right" if num else "left"
        if values == "whole" or (values == "ellipsis" and num):
            table.add_column(Text(name), justify=justify, overflow="fold", min_width=widest[j])
        elif values == "ellipsis":
            table.add_column(Text(name), overflow="ellipsis", no_wrap=True, max_width=min(widest[j], cut))
        else:
            table.add_column(Text(name), justify=justify, overflow="fold")
    for r, row in enumerate(sec.rows):
        table.add_row(*(Text(cell) for cell in row), end_section=(r == sec.gap_after))
        if r == sec.gap_after:
            table.add_row(*(["..."] * len(sec.headers)), end_section=True)
    return table
