"""imbalcheck.readers.counts_from_object: in-memory label containers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from imbalcheck.counts import Counts
from imbalcheck.errors import ConfigError, InputError
from imbalcheck.readers import read_counts as counts_from_object


def dist(c):
    return c.as_dict(), c.n_missing


def test_counts_returned_as_is():
    c = Counts.from_arrays(["a", "b"], [3, 1])
    assert counts_from_object(c) is c


def test_list_tuple_iterable():
    assert dist(counts_from_object(["a", "b", "a"])) == ({"a": 2, "b": 1}, 0)
    assert dist(counts_from_object(("a", None, "", float("nan")))) == ({"a": 1}, 3)
    assert dist(counts_from_object(iter(["x", "y", "x"]))) == ({"x": 2, "y": 1}, 0)
    assert dist(counts_from_object(x for x in "abca")) == ({"a": 2, "b": 1, "c": 1}, 0)


def test_list_values_converted_with_str_and_kept_apart():
    # True == 1 == 1.0 in Python: the number 1 and 1.0 are one label (README, "one spelling"), True another
    assert dist(counts_from_object([1, True, "1", 1.0, pd.NA, None, np.int64(1)])) == (
        {"1": 4, "true": 1}, 2
    )
    assert dist(counts_from_object(["01", "1", "NA", "None"])) == ({"01": 1, "1": 1, "NA": 1, "None": 1}, 0)


def test_numpy_arrays():
    assert dist(counts_from_object(np.array(["a", "b", "a", ""]))) == ({"a": 2, "b": 1}, 1)
    assert dist(counts_from_object(np.array([3, 1, 3]))) == ({"3": 2, "1": 1}, 0)
    assert dist(counts_from_object(np.array([1.5, np.nan, 2.0]))) == ({"1.5": 1, "2": 1}, 1)
    assert dist(counts_from_object(np.array([True, False, True]))) == ({"true": 2, "false": 1}, 0)
    assert dist(counts_from_object(np.array(["a", None, 2], dtype=object))) == ({"a": 1, "2": 1}, 1)
    dt = np.array(["2020-01-01", "NaT"], dtype="datetime64[D]")
    assert dist(counts_from_object(dt)) == ({"2020-01-01": 1}, 1)
    with pytest.raises(InputError, match=r"^ndarray: expected a 1-D array of labels, got shape \(2, 2\)"):
        counts_from_object(np.zeros((2, 2)))


def test_mapping_is_a_counts_table():
    assert dist(counts_from_object({"cat": 900, "dog": 90})) == ({"cat": 900, "dog": 90}, 0)
    assert dist(counts_from_object({"a": 3, None: 2, "": 1})) == ({"a": 3}, 3)
    assert dist(counts_from_object(pd.Series({"a": 3, "b": 1}).to_dict())) == ({"a": 3, "b": 1}, 0)
    with pytest.raises(InputError, match=r"^mapping: negative count for label\(s\) \['a'\]"):
        counts_from_object({"a": -1})
    with pytest.raises(InputError, match=r"^mapping: count for label"):
        counts_from_object({"a": 1.5})
    with pytest.raises(InputError, match=r"^mapping: missing count"):
        counts_from_object({"a": None})
    with pytest.raises(InputError, match=r"^mapping: label\(s\) \['1'\] appear more than once"):
        counts_from_object({1: 2, "1": 3})
    with pytest.raises(InputError, match=r"^mapping: count 'x' for label 'a' is not a number"):
        counts_from_object({"a": "x"})
    with pytest.raises(InputError, match=r"^mapping: no labels; the object is empty$"):
        counts_from_object({})


def test_pandas_series():
    s = pd.Series(["a", "b", None, "a", pd.NA, np.nan, ""])
    assert dist(counts_from_object(s)) == ({"a": 2, "b": 1}, 4)
    assert dist(counts_from_object(pd.Series([1, 2, None], dtype="Int64"))) == ({"1": 1, "2": 1}, 1)
    assert dist(counts_from_object(pd.Series([1.0, 2.5, None]))) == ({"1": 1, "2.5": 1}, 1)
    assert dist(counts_from_object(pd.Series([True, False, True]))) == ({"true": 2, "false": 1}, 0)
    assert dist(counts_from_object(pd.Series([1, True, "1"], dtype=object))) == ({"1": 2, "true": 1}, 0)
    assert dist(counts_from_object(pd.Series(["NA", "01", "1"]))) == ({"NA": 1, "01": 1, "1": 1}, 0)
    ts = pd.Series(pd.to_datetime(["2020-01-01", None]))
    assert dist(counts_from_object(ts)) == ({"2020-01-01": 1}, 1)


def test_pandas_categorical_drops_unused_categories():
    s = pd.Series(pd.Categorical(["x", "y", "x", None], categories=["x", "y", "z"]))
    assert dist(counts_from_object(s)) == ({"x": 2, "y": 1}, 1)
    assert dist(counts_from_object(pd.Categorical([1, 2, 2]))) == ({"2": 2, "1": 1}, 0)
    assert dist(counts_from_object(pd.Index(["a", "a"]))) == ({"a": 2}, 0)


def test_pandas_dataframe_columns():
    df = pd.DataFrame({"id": [1, 2, 3], "Target": ["a", "b", "a"], "text": ["x", "y", "z"]})
    assert dist(counts_from_object(df)) == ({"a": 2, "b": 1}, 0)
    assert dist(counts_from_object(df, column="text")) == ({"x": 1, "y": 1, "z": 1}, 0)
    with pytest.raises(InputError) as err:
        counts_from_object(df, column="lbl")
    assert str(err.value) == "DataFrame: no column named 'lbl'; available columns: id, Target, text (use column=NAME)"
    with pytest.raises(InputError, match=r"^DataFrame: cannot tell which column holds the labels"):
        counts_from_object(df.drop(columns="Target"))
    assert dist(counts_from_object(pd.DataFrame({"only": ["a"]}))) == ({"a": 1}, 0)
    assert dist(counts_from_object(pd.DataFrame({0: [1], 1: ["q"]}), column="1")) == ({"q": 1}, 0)


def test_pyarrow_objects():
    assert dist(counts_from_object(pa.array(["a", None, "a", ""]))) == ({"a": 2}, 2)
    assert dist(counts_from_object(pa.chunked_array([["a"], ["a", "b"]]))) == ({"a": 2, "b": 1}, 0)
    assert dist(counts_from_object(pa.table({"id": [1, 2], "label": [7, 7]}))) == ({"7": 2}, 0)


def test_object_errors():
    with pytest.raises(InputError, match=r"^list: no labels; the object is empty$"):
        counts_from_object([])
    with pytest.raises(InputError, match=r"^Series: every label is missing \(2 values"):
        counts_from_object(pd.Series([None, np.nan]))
    with pytest.raises(InputError, match=r"^abc: no such file"):  # a string is a path
        counts_from_object("abc")
    with pytest.raises(InputError, match=r"^bytes: a single string is not a list of labels"):
        counts_from_object(b"abc")
    with pytest.raises(InputError, match=r"^int: cannot read labels from this object"):
        counts_from_object(5)
    with pytest.raises(ConfigError, match=r"^list: column='x' only applies to a DataFrame or table"):
        counts_from_object(["a"], column="x")
    with pytest.raises(ConfigError, match=r"^Series: column='x' only applies to a DataFrame"):
        counts_from_object(pd.Series(["a"]), column="x")


def test_objects_without_pandas_do_not_import_it():
    code = (
        "import sys, numpy as np; from imbalcheck.readers import read_counts as c; "
        "c(['a', 'b']); c(np.array([1, 2])); c({'a': 1}); c([1, None, float('nan')]); "
        "assert 'pandas' not in sys.modules"
    )
    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)
