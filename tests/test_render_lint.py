"""Every renderer reads well: markdown that CommonMark (with GFM tables) parses as meant, rich output that
fits the terminal at any width, and the small words right."""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt

import imbalcheck
from imbalcheck.render import render
from tests.conftest import EXAMPLES, ROOT

MD = MarkdownIt("commonmark").enable("table")


def _results():
    p = imbalcheck.profile(str(EXAMPLES / "labels_224.csv.gz"), batch_size=128)
    d = imbalcheck.diff({"a": 500, "b": 300, "R24, K24": 40}, {"a": 500, "b": 30, "c": 70})
    c = imbalcheck.check({"a": 90, "b": 10}, max_imbalance_ratio=5)
    s = imbalcheck.sampler(["a"] * 9 + ["b"], "class_balanced")
    one = imbalcheck.profile({"only": 5})
    return {"profile": p, "diff": d, "check": c, "sampler": s, "one class": one}


@pytest.fixture(scope="module")
def results():
    with pytest.warns(imbalcheck.ImbalcheckWarning):
        return _results()


def _markdown_documents(results):
    docs = {name: render(r, "markdown") for name, r in results.items()}
    docs.update({f"golden {p.name}": p.read_text() for p in (ROOT / "tests" / "golden").glob("*.md")})
    return docs


def test_markdown_parses_as_meant(results):
    for name, text in _markdown_documents(results).items():
        html = MD.render(text)
        pipe_tables = len(re.findall(r"^\|:?-", text, re.M))
        assert html.count("<table>") == pipe_tables, name  # every table is a table
        headings = re.findall(r"<h\d>(.*?)</h\d>", html)
        assert len(headings) == len(set(headings)), (name, headings)  # no heading twice
        assert "\\`" not in html and "`" not in re.sub(r"<code>.*?</code>", "", html), name
        for quote in re.findall(r"<blockquote>(.*?)</blockquote>", html, re.S):
            assert quote.count("<p>") >= 1
        notes = re.findall(r"^> (?!\n)", text, re.M)
        assert html.count("<blockquote>") + sum(q.count("<p>") - 1 for q in re.findall(
            r"<blockquote>(.*?)</blockquote>", html, re.S)) == len(notes), name  # one paragraph per note


@pytest.mark.parametrize("width", [40, 80, 120])
def test_rich_fits_the_terminal(results, width):
    from imbalcheck.render import _layout
    from imbalcheck.render.sections import numeric_columns

    for name, r in results.items():
        text = render(r, "rich", width=width)
        longest = max(len(line.rstrip()) for line in text.splitlines())
        assert longest <= width, (name, width, longest)
        if width >= 80:  # wide enough: every number of every table shows whole
            for sec in _layout(r, 20)[2]:
                for row in sec.rows if sec.headers else []:
                    for cell, numeric in zip(row, numeric_columns(sec)):
                        assert not numeric or cell in text, (name, width, sec.title, cell)


def test_a_collapsed_title_is_html_escaped_in_markdown():
    p = imbalcheck.profile({"a": 500, "b": 100, '<img src=x onerror="document.title=1337">': 1})
    html = MD.render(p._repr_markdown_())
    assert "<img" not in html and "&lt;img src=x" in html


def test_the_small_words(results):
    assert "1 class," in results["one class"].__repr__() and "nothing to learn" in repr(results["one class"])
    check = render(results["check"], "markdown")
    assert "1 of 1 check failed" in check and "1 checks" not in check
    assert "'R24, K24'" in render(results["diff"], "markdown")  # a label holding the separator is quoted
    assert "-0.0000" not in render(results["profile"], "markdown")


@pytest.mark.parametrize("command", ["profile", "check", "diff", "recommend", "sampler", "weights", "probe"])
def test_help_at_80_columns_keeps_every_option_name_whole(command):
    import click
    from typer.main import get_command
    from typer.testing import CliRunner

    from imbalcheck.cli import app

    result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "80", "TERM": "dumb"})
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    sub = get_command(app).commands[command]
    for param in sub.params:
        if isinstance(param, click.Option):
            for name in param.opts:
                assert name in result.stdout, (command, name)
    assert not re.search(r"\w \.(\s|$)", result.stdout), "a help text lost a word before its full stop"
