"""Multi-label label distributions: an indicator matrix instead of one label per sample.

>>> from imbalcheck.multilabel import read_multilabel, analyze_multilabel
>>> names, Y, n_missing = read_multilabel("tags.csv", column="tags", sep="|")   # doctest: +SKIP
>>> profile = analyze_multilabel(names, Y, n_missing, batch_size=128)          # doctest: +SKIP
>>> profile.mean_ir                                                              # doctest: +SKIP

:func:`read_multilabel` and :func:`multilabel_from_object` read through the one input
layer (:mod:`imbalcheck.readers`, consumer :class:`imbalcheck.tally.multilabel.LabelSets`);
``imbalcheck.profile(..., multi_label=True)`` does both steps. Modules: :mod:`.metrics`
(Charte et al.'s IRLbl, MeanIR, MaxIR, CVIR, SCUMBLE; cardinality, density, label sets;
per-batch figures and ``pos_weight``), :mod:`.stratify` (iterative stratification,
Sechidis et al. 2011) and :mod:`.analysis` (:func:`analyze_multilabel`).

Importing this package is cheap: numpy, pyarrow, pandas and scipy load on first use.
"""

from __future__ import annotations

__all__ = ["read_multilabel", "multilabel_from_object", "analyze_multilabel", "MultilabelProfile"]


def read_multilabel(path, *, column=None, sep=None, one_hot=None, one_hot_prefix=None, **options):
    """``(names, Y, n_missing)`` of a multi-label file: a delimited column (``column``, ``sep``)
    or indicator columns (``one_hot`` names, or ``one_hot_prefix``). Further reading options
    (``input_format``, ``encoding``, ``na_values``, ...) as for :func:`imbalcheck.profile`."""
    from ..readers import read
    from ..readers.spec import ReadSpec

    indicator = one_hot is not None or one_hot_prefix is not None
    spec = ReadSpec.create(multi_label=not indicator, column=column, sep=sep, one_hot=one_hot,
                           one_hot_prefix=one_hot_prefix, **options)
    return tuple(read(path, spec).data)


def multilabel_from_object(obj, names=None, *, sep=None, empty_labels=None):
    """``(names, Y, n_missing)`` of an in-memory object.

    * a list (any iterable) of label collections, one per sample: a set, list or tuple
      of labels (an empty one is a sample with no label), a ``sep``-delimited string, or
      ``None``/NaN; an empty string, ``None`` and NaN are empty cells: samples with no
      label, or missing with ``empty_labels="missing"``;
    * a 2-D indicator matrix (numpy array, nested lists with ``names`` given, or
      scipy.sparse) of 0/1 or bool, with ``names`` (default ``"0"``, ``"1"``, ...);
      a row holding NaN is missing;
    * a pandas DataFrame of indicator columns (its column names are the labels);
    * a pandas Series of label collections (like the list).
    """
    from ..errors import ConfigError, InputError
    from ..readers import read
    from ..readers.spec import ReadSpec

    if isinstance(obj, (str, bytes)):
        raise InputError(f"{type(obj).__name__}: a single string is not a list of label sets; pass one label set "
                         "per sample")
    if type(obj).__name__ == "DataFrame":
        if names is not None:
            raise ConfigError("DataFrame: its column names are the label names; drop names=")
        names = [str(c) for c in obj.columns]
    matrix = names is not None or (hasattr(obj, "ndim") and getattr(obj, "ndim", 1) == 2)
    if matrix and empty_labels is not None:
        raise ConfigError("empty_labels says what an empty label-set cell is; an indicator matrix holds 0/1 "
                          "cells (a row with NaN is missing): drop empty_labels")
    spec = ReadSpec.create(one_hot=None if names is None else list(names), multi_label=True, sep=None if matrix else sep,
                           empty_labels=None if matrix else empty_labels)
    return tuple(read(obj, spec).data)


def analyze_multilabel(names, Y, n_missing=0, batch_size=None, split=None, seed=0, **kwargs):
    """See :func:`imbalcheck.multilabel.analysis.analyze_multilabel`."""
    from .. import defaults
    from .analysis import analyze_multilabel as _impl

    return _impl(names, Y, n_missing, defaults.BATCH_SIZE if batch_size is None else batch_size,
                 defaults.SPLIT if split is None else split, seed, **kwargs)


def __getattr__(name: str):
    if name == "MultilabelProfile":
        from ..result.multilabel import MultilabelProfile

        return MultilabelProfile
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
