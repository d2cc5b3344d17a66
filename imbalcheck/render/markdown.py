"""GitHub-flavoured Markdown laid out from :mod:`.sections`, safe for hostile labels."""

from __future__ import annotations

import html
import re

from .sections import Section, numeric_columns

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#~!])")


def escape(text: str) -> str:
    """Escape a user string for a GFM table cell: no table break, no HTML, no emphasis."""
    text = _SPECIAL.sub(r"\\\1", str(text))
    text = text.replace("&", "&amp;")
    return re.sub(r"\r\n|\r|\n", " ", text)


def cell(text: str) -> str:
    """A table cell: escaped, its leading spaces kept (a table trims them: an indented parameter row
    would lose its indent, a label ``' cat'`` would read ``cat``)."""
    text = str(text)
    body = text.lstrip(" ")
    return "&nbsp;" * (len(text) - len(body)) + escape(body)


def table(headers: list[str], rows: list[list[str]], numeric: list[bool], gap_after: int | None = None) -> str:
    out = ["| " + " | ".join(escape(h) for h in headers) + " |",
           "|" + "|".join("---:" if right else ":---" for right in numeric) + "|"]
    for r, row in enumerate(rows):
        out.append("| " + " | ".join(cell(c) for c in row) + " |")
        if r == gap_after:
            out.append("| " + " | ".join("…" for _ in headers) + " |")
    return "\n".join(out)


def render_sections(sections: list[Section], title: str, verdict: str, image: str | None = None,
                    alt: str = "class counts") -> str:
    parts = [f"## {escape(title)}", "", f"**{escape(verdict)}**", ""]
    if image:
        parts += [f"![{escape(alt)}]({image})", ""]
    for sec in sections:
        body = table(sec.headers or ["figure", "value"], sec.rows, numeric_columns(sec), sec.gap_after)
        notes = "\n>\n".join(f"> {escape(n)}" for n in sec.notes)  # one paragraph per note
        block = body + ("\n\n" + notes if notes else "")
        if sec.collapsible:
            # raw HTML ignores backslash escapes: the summary is HTML-escaped
            parts += [f"<details><summary>{html.escape(sec.title)}</summary>", "", block, "", "</details>", ""]
        else:
            parts += [f"### {escape(sec.title)}", "", block, ""]
    return "\n".join(parts).rstrip() + "\n"
