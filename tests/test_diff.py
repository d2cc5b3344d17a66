"""`imbalcheck diff`: TVD and JS against scipy, classes only in one file, exit codes."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.distance import jensenshannon

from imbalcheck.counts import Counts
from imbalcheck.shift import compare, js_divergence, total_variation
from tests.cli_helpers import run, write_labels


def test_hand_computed():
    a = Counts.from_mapping({"x": 50, "y": 50})
    b = Counts.from_mapping({"x": 75, "z": 25})
    d = compare(a, b)
    # p = (.5, .5, 0), q = (.75, 0, .25): TVD = (.25 + .5 + .25) / 2 = .5
    assert d.tvd == pytest.approx(0.5)
    assert d.only_in_a == [{"label": "y", "count": 50}] and d.only_in_b == [{"label": "z", "count": 25}]
    assert d.labels.tolist() == ["y", "x", "z"]  # by |shift|: .5, then .25 tie broken by label


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), min_size=1, max_size=20).filter(
    lambda rows: sum(a for a, _ in rows) > 0 and sum(b for _, b in rows) > 0))
def test_divergences_match_scipy(rows):
    a = np.array([r[0] for r in rows], float)
    b = np.array([r[1] for r in rows], float)
    p, q = a / a.sum(), b / b.sum()
    assert js_divergence(p, q) == pytest.approx(jensenshannon(p, q, base=2) ** 2, abs=1e-9)
    assert total_variation(p, q) == pytest.approx(0.5 * np.abs(p - q).sum())
    assert 0 <= js_divergence(p, q) <= 1 + 1e-12


def test_cli_exit_codes(tmp_path):
    a = write_labels(tmp_path / "train.csv", ["x"] * 50 + ["y"] * 50)
    b = write_labels(tmp_path / "test.csv", ["x"] * 75 + ["z"] * 25)
    result = run("diff", a, b, "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["tvd"] == pytest.approx(0.5) and doc["only_in_a"] == [{"label": "y", "count": 50}]
    assert {"only_in_a", "only_in_b", "tvd", "js_divergence", "classes"} <= set(doc)
    failed = run("diff", a, b, "--max-tvd", "0.1", "--format", "json")
    assert failed.exit_code == 1 and json.loads(failed.stdout)["check"]["passed"] is False
    assert "max_tvd failed: 0.5000 > 0.1" in failed.stderr
    assert run("diff", a, b, "--max-tvd", "0.6").exit_code == 0
    assert run("diff", a, tmp_path / "nope.csv").exit_code == 2
    md = run("diff", a, b, "--format", "markdown")
    assert "| y | 50 | 0 |" in md.stdout
