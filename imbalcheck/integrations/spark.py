"""PySpark DataFrame -> :class:`~imbalcheck.counts.Counts`, counted on the cluster.

Conventions (the same as the file readers'):

* the counting is ``df.groupBy(column).count()``; only one row per class is collected;
* labels are spelled as every reader spells them (:mod:`imbalcheck.readers.spelling`):
  an int ``7`` is ``"7"``, a boolean ``"true"``/``"false"``, a double ``1.5`` is ``"1.5"``
  and ``1.0`` is ``"1"``; string labels are kept exactly as written (``"01"`` and ``"1"``
  are two classes);
* nulls, NaN (in float/double columns) and the empty string are missing labels:
  counted in ``n_missing``, never a class;
* array, map and struct columns cannot be labels (:class:`InputError`).
"""

from __future__ import annotations

from ..counts import Counts
from ..errors import InputError, MissingDependencyError
from ..readers.columns import choose_label_column

SPARK_INSTALL_HINT = "counting a Spark DataFrame needs PySpark; install it with: pip install 'pyspark>=3.4' (the spark extra)"

_OPTION = "column=NAME"


def _import_pyspark():
    try:
        from pyspark.sql import functions, types
    except ImportError:
        raise MissingDependencyError(SPARK_INSTALL_HINT) from None
    return functions, types


def _quoted(name: str) -> str:
    """A column name as a Spark identifier (dots and backticks are not syntax)."""
    return "`" + name.replace("`", "``") + "`"


def spark_label_counts(df, column: str | None = None) -> Counts:
    """Count the labels of a PySpark DataFrame column on the cluster.

    ``column`` is the label column (default: a column named label, labels, target,
    class or y, or the only column). Returns :class:`Counts` with ``n_missing`` the
    number of null, NaN or empty labels. Raises :class:`MissingDependencyError`
    without pyspark and :class:`InputError` for an unknown column, a column that
    cannot hold labels, an empty DataFrame or one whose labels are all missing.
    """
    F, T = _import_pyspark()
    if not (hasattr(df, "groupBy") and hasattr(df, "schema")):
        raise InputError(
            f"{type(df).__name__}: not a Spark DataFrame; pass a pyspark.sql.DataFrame "
            "(pandas, arrow and lists go to imbalcheck.profile directly)"
        )
    fields = list(df.schema.fields)
    names = [f.name for f in fields]
    idx = choose_label_column("Spark DataFrame", names, column, option=_OPTION)
    field = fields[idx]
    where = f"Spark DataFrame column {field.name!r}"
    dtype = field.dataType
    if isinstance(dtype, (T.ArrayType, T.MapType, T.StructType)) or type(dtype).__name__ in ("VariantType",):
        raise InputError(
            f"{where} holds {dtype.simpleString()} values, which cannot be labels; "
            f"pick another column with {_OPTION}"
        )

    key = "__imbalcheck_label__"
    rows = df.groupBy(F.col(_quoted(field.name)).alias(key)).count().collect()
    if not rows:
        raise InputError(f"{where}: no rows; the DataFrame is empty")
    kind = "number" if isinstance(dtype, T.NumericType) else "text" if isinstance(dtype, (T.StringType, T.BooleanType)) else None
    from ..tally.single import counts_from_pairs

    return counts_from_pairs(where, [r[0] for r in rows], [int(r[1]) for r in rows], column=field.name, kind=kind)
