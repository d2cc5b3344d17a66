"""The self-contained HTML report, rendered by a real browser (headless Chromium): the verdict and the
figures are in the DOM, hostile labels stay text, nothing is fetched, and the page is not blank."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import numpy as np
import pytest

from tests.cli_helpers import run
from tests.conftest import EXAMPLES, ROOT

BROWSER = next((shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
needs_browser = pytest.mark.skipif(BROWSER is None and not os.environ.get("CI"),
                                   reason="headless Chromium is installed by .ci/run; CI fails without it")
HOSTILE = ["<img src=x onerror=alert(1)>", "</table>", "<script>alert(2)</script>", "&amp;", "[/x]"]


def _browser(*args: str) -> subprocess.CompletedProcess:
    assert BROWSER, "headless Chromium is missing: .ci/run installs it (apt-get install chromium)"
    return subprocess.run([BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                           "--no-first-run", *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def example_html(tmp_path_factory):
    out = tmp_path_factory.mktemp("html") / "report.html"
    result = run("profile", EXAMPLES / "labels_224.csv.gz", "--batch-size", "128", "--output", out)
    assert result.exit_code == 0, result.stderr
    return out


def test_one_file_with_no_external_resource(example_html):
    text = example_html.read_text()
    assert text.startswith("<!DOCTYPE html>")
    assert not re.search(r'(src|href)\s*=\s*"?(https?:|//)', text)  # the citations are text, not links
    assert re.search(r'<img alt="class counts" src="data:image/png;base64,', text)


@needs_browser
def test_the_browser_shows_the_verdict_and_figures(example_html):
    dom = _browser("--dump-dom", example_html.as_uri()).stdout
    verdict = re.search(r'<p class="verdict">(.*?)</p>', dom).group(1)
    assert "44,098:1" in verdict and "recipe: instance sampling + logit_adjusted" in verdict
    assert dom.count("<details>") >= 5 and "Recommended recipe" in dom
    assert '<table class="sortable">' in dom


@needs_browser
def test_hostile_labels_stay_text(tmp_path):
    path = tmp_path / "hostile.csv"
    path.write_text("label\n" + "".join(f'"{h}"\n' * (i + 1) for i, h in enumerate(HOSTILE)))
    out = tmp_path / "hostile.html"
    assert run("profile", path, "--batch-size", "4", "--output", out).exit_code == 0
    dom = _browser("--dump-dom", out.as_uri()).stdout
    assert dom.count("<img") == 1  # the plot, nothing injected
    assert dom.count("<script>") == 1 and "alert(" not in dom.split("<script>")[1]  # only the sorting script
    assert "&lt;img src=x onerror=alert(1)&gt;" in dom and "&lt;/table&gt;" in dom and "&amp;amp;" in dom


@needs_browser
def test_the_screenshot_is_not_blank(example_html, tmp_path):
    shot = tmp_path / "shot.png"
    _browser(f"--screenshot={shot}", "--window-size=1200,1600", example_html.as_uri())
    from matplotlib.image import imread

    if os.environ.get("UPDATE_GOLDEN"):  # the README's screenshot is this one
        shutil.copyfile(shot, ROOT / "docs" / "html-report.png")
    pixels = imread(shot)[..., :3]
    ink = (pixels.min(axis=2) < 0.9).mean()  # share of pixels that are not near-white
    assert ink > 0.05 and len(np.unique((pixels * 255).astype(np.uint8).reshape(-1, 3), axis=0)) > 50


def test_a_diff_and_a_check_render_as_html(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("label\n" + "x\n" * 50 + "y\n" * 20)
    b.write_text("label\n" + "x\n" * 50 + "z\n" * 20)
    out = run("diff", a, b, "--format", "html").stdout
    assert out.startswith("<!DOCTYPE html>") and "class-balanced shift" in out and "data:image/png;base64," in out
    check = run("check", a, "--min-classes", "3", "--format", "html")
    assert check.exit_code == 1 and "FAIL: min_classes 2 (limit 3)" in check.stdout
