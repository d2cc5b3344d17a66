"""Counting labels where the data already lives: Spark and Dask DataFrames -> :class:`Counts`.

The label counts are computed by the engine (a ``groupBy().count()`` on the Spark
cluster, a ``value_counts()`` on the Dask workers); only the per-class table (one
row per class) comes back to Python. The result is an ordinary
:class:`~imbalcheck.counts.Counts`, so it feeds ``imbalcheck.profile(counts)`` or
``imbalcheck.analysis.analyze(counts, Options(...))`` like any other counts::

    from imbalcheck.integrations import spark_label_counts
    p = imbalcheck.profile(spark_label_counts(df, "label"), batch_size=256)

Importing this package is cheap: pyspark and dask are imported only when a
function is called, and a missing one raises
:class:`~imbalcheck.errors.MissingDependencyError` with the ``pip install`` line of
the missing package (the ``spark`` and ``dask`` extras).
"""

from __future__ import annotations

from .dask import dask_label_counts
from .spark import spark_label_counts

__all__ = ["spark_label_counts", "dask_label_counts"]
