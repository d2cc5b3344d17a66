"""Class order follows the labels' type, as scikit-learn's np.unique / LabelEncoder see them."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder

import imbalcheck
from tests.cli_helpers import run
from tests.conftest import require

FLOATS = [1.5, 10.5, 2.5, 20.5, 3.5, 0.5, 100.5, 9.5, 11.5, 12.5, -1.5, -10.5]
DIGIT_STRINGS = ["1", "2", "10", "101", "3", "30", "7", "70", "8", "9", "11", "12"]


def sklearn_per_class(y, seed=0):
    y = np.asarray(y)
    try:
        tr, rest = train_test_split(y, test_size=0.2, stratify=y, random_state=seed)
        va, te = train_test_split(rest, test_size=0.5, stratify=rest, random_state=seed)
    except ValueError as exc:
        return str(exc)
    return {str(u): [int((part == u).sum()) for part in (tr, va, te)] for u in np.unique(y)}


def ours(doc):
    s = doc["stratification"]
    if s["sklearn_error"]:
        return s["sklearn_error"]
    return {k: list(v["split"].values()) for k, v in s["per_class"].items()}


def test_float_labels_from_the_api():
    y = np.repeat(FLOATS, 13)
    assert ours(imbalcheck.profile(y).to_dict()) == sklearn_per_class(y)


def test_float_labels_from_csv(tmp_path):
    path = tmp_path / "f.csv"
    pd.DataFrame({"label": np.repeat(FLOATS, 13)}).to_csv(path, index=False)
    doc = json.loads(run("profile", path, "-f", "json").stdout)
    expected = {str(k): v for k, v in sklearn_per_class(pd.read_csv(path)["label"].to_numpy()).items()}
    assert ours(doc) == expected


def test_error_message_quotes_float_labels_like_sklearn(tmp_path):
    path = tmp_path / "f7.csv"
    pd.DataFrame({"label": np.repeat(FLOATS, 7)}).to_csv(path, index=False)
    doc = json.loads(run("profile", path, "-f", "json").stdout)
    assert ours(doc) == sklearn_per_class(pd.read_csv(path)["label"].to_numpy())


def test_digit_strings_in_parquet_sort_as_text(tmp_path):
    path = tmp_path / "s.parquet"
    pd.DataFrame({"label": np.repeat(DIGIT_STRINGS, 13)}).to_parquet(path)
    doc = json.loads(run("profile", path, "-f", "json").stdout)
    assert doc["label_kind"] == "text"
    assert ours(doc) == sklearn_per_class(pd.read_parquet(path)["label"].to_numpy())


@pytest.mark.parametrize("labels", [["2.5"] * 300 + ["10.0"] * 30 + ["3.0"] * 10, ["b"] * 300 + ["a"] * 30 + ["c"] * 10])
def test_torch_snippet_classes_follow_label_encoder(tmp_path, labels):
    require("torch")
    path = tmp_path / "y.csv"
    path.write_text("label\n" + "\n".join(labels) + "\n")
    namespace: dict = {}
    exec(run("recommend", path, "--format", "torch").stdout, namespace)
    encoder = LabelEncoder().fit(pd.read_csv(path)["label"])
    assert [str(c) for c in encoder.classes_] == [str(type(encoder.classes_[0])(c)) for c in namespace["classes"]]
    y = encoder.transform(pd.read_csv(path)["label"])
    assert namespace["counts"] == np.bincount(y).tolist()
