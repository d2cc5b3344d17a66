"""imbalcheck.integrations: Spark and Dask DataFrames -> Counts, checked against collections.Counter.

Spark runs in local mode (one core, two shuffle partitions, one session for the
module); Dask with the synchronous scheduler. Each engine's tests are skipped,
with the reason, only when that engine is not importable; the Java runtime Spark
needs is assumed to be there (CI installs it).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import warnings
from collections import Counter

import pytest

import imbalcheck
from imbalcheck.analysis import Options, analyze
from imbalcheck.counts import Counts
from imbalcheck.errors import ConfigError, InputError, MissingDependencyError
from imbalcheck.integrations import dask_label_counts, spark_label_counts
from tests.conftest import require

# -- shared data and oracle --------------------------------------------------------------------

N_ROWS = 3000


def _rows(seed: int = 0, n: int = N_ROWS) -> list[tuple]:
    """(label str, code int, score float, flag bool): long-tailed, with nulls, NaN and empty strings."""
    rng = random.Random(seed)
    names = ["cat", "dog", "axolotl", "01", "1", " a", "Ünïcode", "x,y", 'q"t', "NA"]
    weights = [400, 200, 100, 50, 40, 20, 10, 5, 2, 1]
    rows = []
    for _ in range(n):
        r = rng.random()
        label = None if r < 0.03 else "" if r < 0.05 else rng.choices(names, weights)[0]
        code = None if rng.random() < 0.04 else rng.choices([7, 0, -3, 12345678901], [50, 30, 15, 5])[0]
        s = rng.random()
        score = None if s < 0.03 else float("nan") if s < 0.06 else rng.choice([1.5, 2.0, -0.25, 100.0])
        flag = None if rng.random() < 0.1 else rng.random() < 0.8
        rows.append((label, code, score, flag))
    return rows


def _oracle(values, text=str) -> tuple[dict[str, int], int]:
    """Counter over the labels: None, NaN and "" are missing; other values become ``text(v)``."""
    missing = sum(1 for v in values if v is None or v == "" or v != v)
    counter = Counter(text(v) for v in values if not (v is None or v == "" or v != v))
    return dict(counter), missing


def _spelled(v) -> str:
    """The README's one spelling, written out by hand: booleans true/false, whole floats as integers."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v == int(v):
        return str(int(v))
    return str(v)


def _dist(c: Counts) -> tuple[dict[str, int], int]:
    return c.as_dict(), c.n_missing


def _is_sorted(c: Counts) -> bool:
    pairs = list(zip((-c.counts).tolist(), c.labels.tolist()))
    return pairs == sorted(pairs)


# pyspark 4 warns on import about pandas 3, which these tests do not use
pytestmark = pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")

ROWS = _rows()
COLUMNS = ["label", "code", "score", "flag"]


def _column(name: str) -> list:
    i = COLUMNS.index(name)
    return [r[i] for r in ROWS]


# -- without the engines -------------------------------------------------------------------------


def test_import_is_cheap():
    code = (
        "import sys, imbalcheck.integrations as i; "
        "heavy = [m for m in ('pyspark', 'dask', 'pandas', 'pyarrow') if m in sys.modules]; "
        "assert not heavy, heavy; assert callable(i.spark_label_counts) and callable(i.dask_label_counts)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    "func, modules, extra",
    [
        (spark_label_counts, ("pyspark", "pyspark.sql", "pyspark.sql.functions", "pyspark.sql.types"),
         "pip install 'pyspark>=3.4' (the spark extra)"),
        (dask_label_counts, ("dask", "dask.dataframe"), "pip install 'dask[dataframe]>=2024.1' (the dask extra)"),
    ],
)
def test_missing_dependency(monkeypatch, func, modules, extra):
    for m in modules:
        monkeypatch.setitem(sys.modules, m, None)  # makes `import m` raise ImportError
    with pytest.raises(MissingDependencyError) as info:
        func(object(), "label")
    assert str(info.value).endswith(extra)  # the missing package itself, never a name looked up on an index
    assert isinstance(info.value, ImportError)


# -- Spark ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spark():
    require("pyspark")
    import shutil

    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        if os.environ.get("CI"):
            pytest.fail("CI must run the Spark tests: install a Java runtime (.ci/run does)")
        pytest.skip("no Java runtime for local Spark (apt-get install default-jre-headless); .ci/run installs one")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[1]")
        .appName("imbalcheck-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "512m")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def spark_df(spark):
    schema = "label string, code bigint, score double, flag boolean"
    return spark.createDataFrame(ROWS, schema).repartition(3).cache()


@pytest.mark.parametrize("column", COLUMNS)
def test_spark_matches_counter(spark_df, column):
    got = spark_label_counts(spark_df, column)
    assert _dist(got) == _oracle(_column(column), _spelled)
    assert got.n_samples + got.n_missing == N_ROWS
    assert _is_sorted(got)


def test_spark_labels_as_written(spark_df):
    got = spark_label_counts(spark_df, "label").as_dict()
    assert "01" in got and "1" in got and " a" in got and "NA" in got and 'q"t' in got  # never merged or cleaned
    assert "" not in got and "None" not in got
    codes = spark_label_counts(spark_df, "code").as_dict()
    assert set(codes) == {"7", "0", "-3", "12345678901"}
    assert set(spark_label_counts(spark_df, "score").as_dict()) == {"1.5", "2", "-0.25", "100"}


def test_spark_default_column_and_errors(spark, spark_df):
    assert _dist(spark_label_counts(spark_df)) == _dist(spark_label_counts(spark_df, "label"))
    with pytest.raises(InputError, match="no column named 'nope'.*label, code, score, flag"):
        spark_label_counts(spark_df, "nope")
    with pytest.raises(InputError, match="cannot tell which column"):
        spark_label_counts(spark_df.select("code", "score"))
    with pytest.raises(InputError, match="cannot be labels"):
        spark_label_counts(spark.createDataFrame([([1, 2],)], "tags array<int>"), "tags")
    with pytest.raises(InputError, match="every label is missing"):
        spark_label_counts(spark.createDataFrame([(None,), ("",)], "label string"))
    with pytest.raises(InputError, match="no rows"):
        spark_label_counts(spark_df.limit(0), "label")
    with pytest.raises(InputError, match="not a Spark DataFrame"):
        spark_label_counts(["a", "b"], "label")


def test_spark_odd_column_names(spark):
    df = spark.createDataFrame([(1, "x"), (2, "x"), (None, None)], "`a.b` int, `count` string")
    assert _dist(spark_label_counts(df, "a.b")) == ({"1": 1, "2": 1}, 1)
    assert _dist(spark_label_counts(df, "count")) == ({"x": 2}, 1)


def test_spark_feeds_the_analysis(spark_df):
    counts = spark_label_counts(spark_df, "label")
    expected, missing = _oracle(_column("label"))
    ref = Counts.from_mapping(expected, n_missing=missing)
    got = analyze(counts, Options(batch_size=64), source="x").to_dict()
    assert got == analyze(ref, Options(batch_size=64), source="x").to_dict()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # e.g. the label "NA", kept as a class on purpose
        p = imbalcheck.profile(counts, batch_size=64)
    assert p.n_samples == sum(expected.values()) and p.n_missing == missing


# -- Dask ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dd():
    require("dask.dataframe")
    import dask
    import dask.dataframe as dd

    with dask.config.set(scheduler="synchronous"):
        yield dd


@pytest.fixture(scope="module")
def pdf(dd):
    import pandas as pd

    frame = pd.DataFrame(ROWS, columns=COLUMNS)
    frame["code"] = frame["code"].astype("Int64")  # nullable ints stay ints: "7", not "7.0"
    frame["flag"] = frame["flag"].astype("boolean")
    return frame


@pytest.mark.parametrize("column", COLUMNS)
def test_dask_matches_counter(dd, pdf, column):
    ddf = dd.from_pandas(pdf, npartitions=4)
    got = dask_label_counts(ddf, column)
    assert _dist(got) == _oracle(_column(column), _spelled)
    assert got.n_samples + got.n_missing == N_ROWS
    assert _is_sorted(got)


@pytest.mark.parametrize("column", COLUMNS)
def test_dask_same_as_pandas_object(dd, pdf, column):
    from imbalcheck.readers import read_counts as counts_from_object

    ddf = dd.from_pandas(pdf, npartitions=3)
    assert _dist(dask_label_counts(ddf, column)) == _dist(counts_from_object(pdf[column]))


def test_dask_object_and_categorical_columns(dd):
    import dask
    import numpy as np
    import pandas as pd

    mixed = pd.Series([True, 1, "1", None, "", 1.5, "x", np.nan, pd.NA, "01"], dtype=object)
    frame = pd.DataFrame({
        "mixed": mixed,
        "cat": pd.Categorical(["x", "y", "x", None, "x", "y", "x", "x", "y", "x"], categories=["x", "y", "z"]),
        "num": [1, 2, None, 4, 1, 1, 2, 3, 3, 3],
    })
    expected_mixed = ({"true": 1, "1": 2, "1.5": 1, "x": 1, "01": 1}, 4)
    with dask.config.set({"dataframe.convert-string": False}):  # keep the object dtype
        ddf = dd.from_pandas(frame, npartitions=3)
        assert ddf["mixed"].dtype == object
        assert _dist(dask_label_counts(ddf, "mixed")) == expected_mixed
    ddf = dd.from_pandas(frame, npartitions=3)
    # dask's default convert-string turns the object column into text itself: the text "True" is spelled true too
    assert ddf["mixed"].dtype != object
    assert _dist(dask_label_counts(ddf, "mixed")) == expected_mixed
    assert _dist(dask_label_counts(ddf, "cat")) == ({"x": 6, "y": 3}, 1)  # unobserved "z" is no class
    assert _dist(dask_label_counts(ddf, "num")) == ({"1": 3, "2": 2, "3": 3, "4": 1}, 1)
    assert _dist(dask_label_counts(ddf["cat"])) == ({"x": 6, "y": 3}, 1)


def test_dask_default_column_and_errors(dd, pdf):
    ddf = dd.from_pandas(pdf, npartitions=2)
    assert _dist(dask_label_counts(ddf)) == _dist(dask_label_counts(ddf, "label"))
    with pytest.raises(InputError, match="no column named 'nope'"):
        dask_label_counts(ddf, "nope")
    with pytest.raises(ConfigError, match="only applies to a DataFrame"):
        dask_label_counts(ddf["label"], "label")
    empty = dd.from_pandas(pdf.iloc[:0], npartitions=1)
    with pytest.raises(InputError, match="no rows"):
        dask_label_counts(empty, "label")
    nulls = dd.from_pandas(pdf.assign(label=[None] * len(pdf)), npartitions=2)
    with pytest.raises(InputError, match="every label is missing"):
        dask_label_counts(nulls, "label")
    with pytest.raises(InputError, match="not a Dask DataFrame"):
        dask_label_counts(pdf, "label")


def test_dask_feeds_the_analysis(dd, pdf):
    counts = dask_label_counts(dd.from_pandas(pdf, npartitions=4), "code")
    expected, missing = _oracle(_column("code"))
    ref = Counts.from_mapping(expected, n_missing=missing)
    assert analyze(counts, Options(batch_size=32), source="x").to_dict() == analyze(
        ref, Options(batch_size=32), source="x"
    ).to_dict()
    assert imbalcheck.profile(counts).n_missing == missing
