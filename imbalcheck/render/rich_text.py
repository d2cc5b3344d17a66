"""Terminal report with rich: panels and tables laid out from :mod:`.sections`."""

from __future__ import annotations

from .sections import Section, numeric_columns


def print_sections(sections: list[Section], console, title: str) -> None:
    """Lay the sections out on a rich console (the caller picks its width and file)."""
    from rich import box
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    for i, sec in enumerate(sections):
        if sec.headers:
            table = Table(title=sec.title, box=box.SIMPLE_HEAVY, title_justify="left", title_style="bold")
            for name, numeric in zip(sec.headers, numeric_columns(sec)):
                table.add_column(name, justify="right" if numeric else "left", overflow="fold")
            for r, row in enumerate(sec.rows):
                table.add_row(*row, end_section=(r == sec.gap_after))
                if r == sec.gap_after:
                    table.add_row(*(["..."] * len(sec.headers)), end_section=True)
            console.print(table)
        else:
            grid = Table.grid(padding=(0, 2))
            grid.add_column(style="bold")
            grid.add_column(overflow="fold")
            for key, value in sec.rows:
                grid.add_row(key, value)
            console.print(Panel(grid, title=title if i == 0 else sec.title, title_align="left",
                                subtitle=None, expand=False))
        for note in sec.notes:
            console.print(Padding(Text(note, style="dim"), (0, 0, 0, 2)))
        console.print()
