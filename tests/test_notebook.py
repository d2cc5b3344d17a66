"""Results in a notebook: a real kernel (nbclient + ipykernel) displays a profile as HTML, a diff and a
check too; the HTML needs no script to be read."""

from __future__ import annotations

import re

import pytest

import imbalcheck

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")


def test_repr_html_is_the_report_body_without_script():
    p = imbalcheck.profile({"cat": 900, "dog": 90, "<b>axolotl</b>": 10}, batch_size=32)
    body = p._repr_html_()
    assert body.startswith("<style>") and '<div class="imbalcheck">' in body
    assert "<script" not in body and "data:image" not in body  # light: no script, no plot
    assert "90.00:1" in re.search(r'<p class="verdict">(.*?)</p>', body).group(1)
    assert "&lt;b&gt;axolotl&lt;/b&gt;" in body and "<b>axolotl" not in body


def test_a_notebook_shows_results_as_html(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import imbalcheck\np = imbalcheck.profile({'cat': 900, 'dog': 90, 'newt': 10}, "
                                  "batch_size=32)\np"),
        nbformat.v4.new_code_cell("imbalcheck.diff(['a'] * 9 + ['b'], ['a'] * 5 + ['b'] * 5)"),
        nbformat.v4.new_code_cell("imbalcheck.check({'a': 9, 'b': 1}, max_imbalance_ratio=5)"),
    ]
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    html = [next(o["data"]["text/html"] for o in cell.outputs if "text/html" in o.get("data", {})) for cell in nb.cells]
    assert "imbalance 90.00:1" in html[0] and '<div class="imbalcheck">' in html[0]
    assert "class-balanced shift" in html[1]
    assert "FAIL: max_imbalance_ratio 9 (limit 5)" in html[2]
    assert all("text/markdown" in next(o for o in cell.outputs if "data" in o)["data"] for cell in nb.cells)
