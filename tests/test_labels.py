"""Label clean-ups happen only when asked, and look-alikes of missing values are named."""

from __future__ import annotations

import json
import warnings

import pytest

from imbalcheck.counts import Counts
from imbalcheck.labels import clean_labels
from tests.cli_helpers import run, write_labels


def counts(mapping, n_missing=0):
    return Counts.from_arrays(list(mapping), list(mapping.values()), n_missing)


def test_nothing_changes_by_default():
    data = counts({"01": 3, "1": 2, " a": 1, "a": 1})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert clean_labels(data) is data


def test_na_values_move_counts_to_missing():
    out = clean_labels(counts({"cat": 5, "NA": 3, "null": 2}, n_missing=1), na_values=("NA", "null"))
    assert out.as_dict() == {"cat": 5} and out.n_missing == 6


def test_lookalikes_are_kept_with_a_warning_naming_them():
    with pytest.warns(UserWarning, match=r"label\(s\) 'NA', 'None' look like missing values.*--na-values NA,None"):
        out = clean_labels(counts({"cat": 5, "NA": 3, "None": 1, "True": 2}), source="f.csv")
    assert out.as_dict() == {"cat": 5, "NA": 3, "None": 1, "true": 2}  # the one spelling of a boolean


def test_strip_merges_and_blank_becomes_missing():
    out = clean_labels(counts({" a": 2, "a ": 3, "a": 1, "  ": 4}), strip=True)
    assert out.as_dict() == {"a": 6} and out.n_missing == 4


def test_numeric_labels_merge_the_same_number():
    out = clean_labels(counts({"01": 2, "1": 3, "1.0": 1, "+1": 1, "1.5": 4, "x": 1, "inf": 1}), numeric=True)
    assert out.as_dict() == {"1": 7, "1.5": 4, "x": 1, "inf": 1}


def test_cli_options(tmp_path):
    path = write_labels(tmp_path / "y.csv", ["01", "1", "NA", " b", "b"])
    doc = json.loads(run("profile", path, "-b", "1", "-f", "json").stdout)
    assert {c["label"]: c["count"] for c in doc["classes"]} == {"01": 1, "1": 1, "NA": 1, " b": 1, "b": 1}
    result = run("profile", path, "-b", "1", "-f", "json", "--na-values", "NA", "--strip", "--numeric-labels")
    doc = json.loads(result.stdout)
    assert {c["label"]: c["count"] for c in doc["classes"]} == {"1": 2, "b": 2} and doc["n_missing"] == 1
    plain = run("profile", path, "-b", "1", "-f", "json")
    assert "warning: " in plain.stderr and "'NA' look like missing values" in plain.stderr
    json.loads(plain.stdout)  # warnings never reach stdout's JSON
