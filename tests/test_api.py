"""The Python API: the same capability as the CLI, from every kind of object."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import imbalcheck
from imbalcheck.errors import ConfigError, InputError
from tests.cli_helpers import run, write_labels

LABELS = ["a"] * 6 + ["b"] * 3 + ["c"]


@pytest.mark.parametrize(
    "obj",
    [
        LABELS,
        np.array(LABELS),
        pd.Series(LABELS),
        {"a": 6, "b": 3, "c": 1},
    ],
    ids=["list", "ndarray", "series", "mapping"],
)
def test_objects_give_the_same_profile(obj):
    p = imbalcheck.profile(obj, batch_size=2)
    assert p.labels.tolist() == ["a", "b", "c"] and p.counts.tolist() == [6, 3, 1]
    assert p.imbalance_ratio == 6 and p.top_k_share[1] == 0.6


def test_dataframe_with_column_and_missing_values():
    df = pd.DataFrame({"id": range(5), "target": ["x", None, "y", "x", np.nan]})
    p = imbalcheck.profile(df, column="target", batch_size=1)
    assert p.n_missing == 2 and p.n_samples == 3 and p.missing_share == pytest.approx(0.4)


def test_api_and_cli_agree(tmp_path):
    path = write_labels(tmp_path / "y.csv", LABELS)
    api = imbalcheck.profile(str(path), batch_size=2).to_dict()
    cli = json.loads(run("profile", path, "--batch-size", "2", "--format", "json").stdout)
    assert api == cli


def test_options_are_validated():
    with pytest.raises(ConfigError):
        imbalcheck.profile(LABELS, batch_size=0)
    with pytest.raises(ConfigError):
        imbalcheck.profile(LABELS, split=(0.5, 0.6))
    with pytest.raises(InputError):
        imbalcheck.profile([None, None])


def test_profile_to_dict_is_json_serialisable():
    json.dumps(imbalcheck.profile(["x"] * 3 + ["y"], batch_size=2).to_dict(), allow_nan=False)
