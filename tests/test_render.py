"""Reports: golden files, markdown structure, hostile labels.

Regenerate the golden files after an intended change with
``UPDATE_GOLDEN=1 python -m pytest tests/test_render.py``.
"""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from imbalcheck.render.markdown import escape
from tests.cli_helpers import run
from tests.conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"
EXAMPLE = "examples/classes_224_counts.csv"


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):  # rewriting is not checking: report it as a skip, never a pass
        path.write_text(text, encoding="utf-8")
        pytest.skip(f"{name} rewritten (UPDATE_GOLDEN is set); review the diff and run the tests without it")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; rerun with UPDATE_GOLDEN=1 if intended"


@pytest.fixture
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize(("fmt", "name"), [("markdown", "example.md"), ("json", "example.json"), ("rich", "example.txt")])
def test_golden_reports(at_root, fmt, name):
    result = run("profile", EXAMPLE, "--counts", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    golden(name, result.stdout)


def gfm() -> MarkdownIt:
    """CommonMark plus GFM tables and strikethrough (no linkify: it needs an extra package)."""
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def tables(markdown: str):
    """Each table's rows as lists of cell counts, from markdown-it's token stream."""
    tokens = gfm().parse(markdown)
    out, rows, cells = [], None, 0
    for tok in tokens:
        if tok.type == "table_open":
            rows = []
        elif tok.type == "tr_open":
            cells = 0
        elif tok.type in ("th_open", "td_open"):
            cells += 1
        elif tok.type == "tr_close":
            rows.append(cells)
        elif tok.type == "table_close":
            out.append(rows)
    return out


def test_every_markdown_table_has_consistent_columns(at_root):
    md = run("profile", EXAMPLE, "--counts", "--format", "markdown").stdout
    found = tables(md)
    assert len(found) >= 8
    for rows in found:
        assert len(set(rows)) == 1, rows


HOSTILE = ["a|b", "`code`", "<script>alert(1)</script>", "*bold*", "_it_", "line\nbreak", "x\\|y", "&amp;", "[l](http://x)"]


def test_hostile_labels_cannot_break_tables_or_inject_html(tmp_path):
    path = tmp_path / "hostile.jsonl"
    path.write_text("".join(json.dumps({"label": lab}) + "\n" for i, lab in enumerate(HOSTILE) for _ in range(i + 1)))
    md = run("profile", path, "--format", "markdown", "--batch-size", "4").stdout
    html = gfm().render(md)
    assert "<script>" not in html and "<strong>bold" not in html and "<em>it" not in html and "<code>code" not in html
    assert '<a href="http://x"' not in html
    for rows in tables(md):
        assert len(set(rows)) == 1, rows


@pytest.mark.parametrize("label", HOSTILE)
def test_escape_round_trips_through_a_renderer(label):
    html = gfm().render(f"| h |\n|---|\n| {escape(label)} |\n")
    assert html.count("<td>") == 1
    assert "<script" not in html


def test_unicode_labels_in_every_format(tmp_path):
    labels = ["고양이"] * 5 + ["🐕"] * 3 + ["قطة"] * 2
    path = tmp_path / "u.txt"
    path.write_text("\n".join(labels) + "\n", encoding="utf-8")
    for fmt in ("rich", "markdown", "json"):
        out = run("profile", path, "--format", fmt, "--batch-size", "2").stdout
        for lab in ("고양이", "🐕", "قطة"):
            assert lab in out, (fmt, lab)
    doc = json.loads(run("profile", path, "--format", "json", "--batch-size", "2").stdout)
    assert [(c["label"], c["count"]) for c in doc["classes"]] == [("고양이", 5), ("🐕", 3), ("قطة", 2)]


def test_large_k_plot_is_fast_and_valid(tmp_path):
    import time

    import numpy as np

    from imbalcheck.analysis import Options, analyze
    from imbalcheck.counts import Counts
    from imbalcheck.render.plot import plot_profile

    rng = np.random.default_rng(0)
    counts = Counts.from_codes(np.arange(100_000), rng.zipf(1.8, 100_000).clip(1, 10**6))
    prof = analyze(counts, Options(seeds=(0,)))
    start = time.perf_counter()
    png = plot_profile(prof)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and 20_000 < len(png) < 2_000_000
    assert time.perf_counter() - start < 30  # generous: a sanity bound, not a benchmark


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=5) | st.integers() | st.booleans(), children, max_size=4),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(doc=st.dictionaries(st.text(max_size=5), JSON_VALUES, max_size=5))
def test_json_output_reads_back_as_json_dumps_writes_it(doc):
    """Oracle: the standard library's own round trip (keys converted the same way)."""
    from imbalcheck.render.json_doc import to_json

    text = to_json(doc)
    assert text.endswith("\n") and json.loads(text) == json.loads(json.dumps(doc))


def test_json_rows_are_one_object_per_line():
    from imbalcheck.render.json_doc import to_json

    doc = {"classes": [{"label": "a", "count": 2}, {"label": "b", "count": 1}], "w": {"a": 0.5}, "k": [3]}
    assert to_json(doc) == (
        '{\n  "classes": [\n    {"label": "a", "count": 2},\n    {"label": "b", "count": 1}\n  ],\n'
        '  "w": {"a": 0.5},\n  "k": [3]\n}\n'
    )
    assert to_json({"a": 1}) == '{"a": 1}\n'
    assert to_json({"per": {"x": {"n": [1]}, "y": {}}}) == '{\n  "per": {\n    "x": {"n": [1]},\n    "y": {}\n  }\n}\n'

