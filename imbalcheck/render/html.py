"""A self-contained HTML report: the markdown report's sections as one file with no external
resource (CSS inline, a plot as a data-URI PNG, a few lines of inline script that sort a
table by a clicked header). Every text is escaped, so a label such as
``<img src=x onerror=...>`` or ``</table>`` shows as text.

:func:`render_html` gives the whole document; :func:`html_body` the part a notebook shows
(``_repr_html_``): the same markup, readable without the script.
"""

from __future__ import annotations

import base64
from html import escape

from .sections import Section, numeric_columns

_CSS = """
.imbalcheck{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;max-width:1100px}
.imbalcheck h2{font-size:1.3em;margin:.2em 0 .4em}
.imbalcheck .verdict{font-weight:600;background:#f6f8fa;border-left:4px solid #0969da;padding:.6em .8em;margin:.6em 0 1em}
.imbalcheck h3,.imbalcheck summary{font-size:1.05em;font-weight:600;margin:1.1em 0 .4em}
.imbalcheck summary{cursor:pointer}
.imbalcheck table{border-collapse:collapse;margin:.3em 0}
.imbalcheck th,.imbalcheck td{border:1px solid #d0d7de;padding:.25em .6em;text-align:left;vertical-align:top}
.imbalcheck th{background:#f6f8fa}
.imbalcheck td.num,.imbalcheck th.num{text-align:right;font-variant-numeric:tabular-nums}
.imbalcheck table.sortable th{cursor:pointer}
.imbalcheck tr.gap td{text-align:center;color:#6e7781}
.imbalcheck .note{color:#57606a;margin:.3em 0}
.imbalcheck .warning{color:#9a6700}
.imbalcheck img{max-width:100%}
"""

#: Sorts a table.sortable by the clicked header (numbers by value, text by text); rows after a
#: gap row (head ... tail) stay in their groups' union, sorted together.
_SCRIPT = """
document.querySelectorAll("table.sortable th").forEach(function (th, col) {
  th.addEventListener("click", function () {
    var table = th.closest("table"), body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).filter(function (r) { return !r.classList.contains("gap"); });
    var up = th.getAttribute("data-order") !== "asc";
    th.setAttribute("data-order", up ? "asc" : "desc");
    var key = function (r) {
      var t = r.cells[th.cellIndex].textContent.trim(), n = parseFloat(t.replace(/[,%:]/g, ""));
      return isNaN(n) ? t.toLowerCase() : n;
    };
    rows.sort(function (a, b) { var x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : 0) * (up ? 1 : -1); });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
"""


def _table(sec: Section) -> str:
    headers = sec.headers or ["figure", "value"]
    numeric = numeric_columns(sec)
    sortable = bool(sec.headers) and len(sec.rows) > 1
    head = "".join(f'<th{" class=num" if n else ""}>{escape(h)}</th>' for h, n in zip(headers, numeric))
    rows = []
    for i, row in enumerate(sec.rows):
        cells = "".join(f'<td{" class=num" if n else ""}>{escape(c)}</td>' for c, n in zip(row, numeric))
        rows.append(f"<tr>{cells}</tr>")
        if i == sec.gap_after:
            rows.append(f'<tr class=gap><td colspan={len(headers)}>&hellip;</td></tr>')
    cls = ' class="sortable"' if sortable else ""
    return f"<table{cls}><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _notes(sec: Section) -> str:
    return "".join(f'<p class="note{" warning" if n.startswith("warning: ") else ""}">{escape(n)}</p>'
                   for n in sec.notes)


def html_body(sections: list[Section], title: str, verdict: str, image: bytes | None = None,
              alt: str = "class counts") -> str:
    """The report as one ``<div class="imbalcheck">``: title, verdict, plot, then the sections
    (``collapsible`` ones in ``<details>``); styles inline in a ``<style>`` of its own."""
    parts = [f"<style>{_CSS}</style>", '<div class="imbalcheck">', f"<h2>{escape(title)}</h2>",
             f'<p class="verdict">{escape(verdict)}</p>']
    if image:
        data = base64.b64encode(image).decode("ascii")
        parts.append(f'<img alt="{escape(alt)}" src="data:image/png;base64,{data}">')
    for sec in sections:
        block = _table(sec) + _notes(sec)
        if sec.collapsible:
            parts.append(f"<details><summary>{escape(sec.title)}</summary>{block}</details>")
        else:
            parts.append(f"<h3>{escape(sec.title)}</h3>{block}")
    parts.append("</div>")
    return "\n".join(parts)


def render_html(sections: list[Section], title: str, verdict: str, image: bytes | None = None,
                alt: str = "class counts") -> str:
    """A whole HTML document with no external resource."""
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{escape(title)}</title>\n</head>\n<body>\n"
            f"{html_body(sections, title, verdict, image, alt)}\n<script>{_SCRIPT}</script>\n</body>\n</html>\n")
