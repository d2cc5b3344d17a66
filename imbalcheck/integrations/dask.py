"""Dask DataFrame / Series -> :class:`~imbalcheck.counts.Counts`, counted on the workers.

The counting is ``ddf[column].value_counts(dropna=True)`` plus a null count, in one
``dask.compute`` call with whatever scheduler is configured; only one row per
class comes back. Labels follow the pandas conventions of
``imbalcheck.profile(pandas_series)`` exactly (the partitions are pandas), so
``dask_label_counts(ddf, c) == counts_from_object(ddf[c].compute())``:

* a value becomes a label with ``str()`` (``7`` -> ``"7"``, ``1.0`` -> ``"1.0"``,
  ``True`` -> ``"True"``); a string stays as written;
* ``None``, NaN, ``pd.NA``, ``NaT`` and the empty string are missing labels,
  counted in ``n_missing``, never a class;
* in an object column of mixed types the values are turned into text before
  counting, so ``True`` and ``1`` stay apart (while ``1`` and ``"1"`` are both ``"1"``).
"""

from __future__ import annotations

from ..counts import Counts
from ..errors import ConfigError, InputError, MissingDependencyError
from ..readers.columns import choose_label_column

DASK_INSTALL_HINT = "counting a Dask DataFrame needs Dask; install it with: pip install 'dask[dataframe]>=2024.1' (the dask extra)"

_OPTION = "column=NAME"


def _import_dask():
    try:
        import dask
        import dask.dataframe as dd
    except ImportError:
        raise MissingDependencyError(DASK_INSTALL_HINT) from None
    return dask, dd


def _text_labels(part):
    """A pandas partition of an object column with every non-null value as text."""
    from ..readers.spelling import python_label

    return part.map(python_label, na_action="ignore")


def dask_label_counts(ddf, column: str | None = None) -> Counts:
    """Count the labels of a Dask DataFrame column (or a Dask Series).

    ``column`` is the label column (default: a column named label, labels, target,
    class or y, or the only column). Returns :class:`Counts` with ``n_missing`` the
    number of null, NaN or empty labels. Raises :class:`MissingDependencyError`
    without dask and :class:`InputError` for an unknown column, an empty frame or
    one whose labels are all missing.
    """
    dask, dd = _import_dask()
    if isinstance(ddf, dd.DataFrame):
        cols = list(ddf.columns)
        idx = choose_label_column("Dask DataFrame", cols, column, option=_OPTION)
        series = ddf[cols[idx]]
        where = f"Dask DataFrame column {str(cols[idx])!r}"
    elif isinstance(ddf, dd.Series):
        if column is not None:
            raise ConfigError(f"Dask Series: column={column!r} only applies to a DataFrame; drop it")
        series = ddf
        where = "Dask Series" if ddf.name is None else f"Dask Series {str(ddf.name)!r}"
    else:
        raise InputError(
            f"{type(ddf).__name__}: not a Dask DataFrame or Series; pass a dask.dataframe object "
            "(pandas, arrow and lists go to imbalcheck.profile directly)"
        )

    if series.dtype == object:
        # mixed objects: text first, so that True and 1 are not merged by value_counts
        series = series.map_partitions(_text_labels, meta=series._meta)
    vc = series.value_counts(dropna=True)
    n_null = series.isna().sum()
    n_rows = series.size
    vc, n_null, n_rows = dask.compute(vc, n_null, n_rows)

    if int(n_rows) == 0:
        raise InputError(f"{where}: no rows; the DataFrame is empty")
    values = [None, *vc.index.tolist()]
    counts = [int(n_null), *(int(n) for n in vc.to_numpy().tolist())]
    kept = [(v, n) for v, n in zip(values, counts) if n > 0]  # unobserved categories of a categorical column
    from ..tally.single import counts_from_pairs

    return counts_from_pairs(where, [v for v, _ in kept], [n for _, n in kept], column=series.name)
