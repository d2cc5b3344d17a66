"""Multi-label label distributions: an indicator matrix instead of one label per sample.

>>> from imbalcheck.multilabel import read_multilabel, analyze_multilabel
>>> names, Y, n_missing = read_multilabel("tags.csv", column="tags", sep="|")   # doctest: +SKIP
>>> profile = analyze_multilabel(names, Y, n_missing, batch_size=128)          # doctest: +SKIP
>>> profile.to_dict()["mean_ir"]                                                 # doctest: +SKIP

Modules: :mod:`.readers` (files and in-memory objects -> ``(names, Y, n_missing)``),
:mod:`.metrics` (Charte et al.'s IRLbl, MeanIR, MaxIR, CVIR, SCUMBLE; cardinality,
density, label sets; per-batch figures and ``pos_weight``), :mod:`.stratify`
(iterative stratification, Sechidis et al. 2011) and :mod:`.result`
(``MultilabelProfile`` and :func:`analyze_multilabel`).

Importing this package is cheap: numpy, pyarrow, pandas and scipy load on first use.
"""

from __future__ import annotations

__all__ = ["read_multilabel", "multilabel_from_object", "analyze_multilabel", "MultilabelProfile"]


def read_multilabel(path, **kwargs):
    """See :func:`imbalcheck.multilabel.readers.read_multilabel`."""
    from .readers import read_multilabel as _impl

    return _impl(path, **kwargs)


def multilabel_from_object(obj, names=None, **kwargs):
    """See :func:`imbalcheck.multilabel.readers.multilabel_from_object`."""
    from .readers import multilabel_from_object as _impl

    return _impl(obj, names, **kwargs)


def analyze_multilabel(names, Y, n_missing=0, batch_size=128, split=(0.8, 0.1, 0.1), seed=0, **kwargs):
    """See :func:`imbalcheck.multilabel.result.analyze_multilabel`."""
    from .result import analyze_multilabel as _impl

    return _impl(names, Y, n_missing, batch_size, split, seed, **kwargs)


def __getattr__(name: str):
    if name == "MultilabelProfile":
        from .result import MultilabelProfile

        return MultilabelProfile
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
