"""Every multi-label figure for one indicator matrix: :func:`analyze_multilabel`."""

from __future__ import annotations

import numpy as np

from ..defaults import BATCH_SIZE as DEFAULT_BATCH_SIZE
from ..defaults import SPLIT as DEFAULT_FRACTIONS
from ..errors import ConfigError, InputError, warn
from ..result.multilabel import IterativeStratification, LabelSetCount, MultilabelProfile
from . import metrics
from ..result.parts import Recipe
from .recipe import recommend_multilabel
from .setrows import SetRows
from .stratify import check_fractions, fold_report, stratification_report

DEFAULT_TOP_LABELSETS = 10


def analyze_multilabel(
    names,
    Y,
    n_missing: int = 0,
    batch_size: int = DEFAULT_BATCH_SIZE,
    split=DEFAULT_FRACTIONS,
    seed: int = 0,
    *,
    top_labelsets: int = DEFAULT_TOP_LABELSETS,
    folds: int | None = None,
) -> MultilabelProfile:
    """Compute every multi-label figure for ``(names, Y, n_missing)`` as the readers return it.

    Parameters
    ----------
    names : label names, one per column of ``Y`` (unique)
    Y : (n_samples, n_labels) indicator matrix, numpy (bool or 0/1) or scipy.sparse, or the
        same data as its distinct label sets (:class:`~.setrows.SetRows`, what the readers hold)
    n_missing : rows whose label set was missing (reported, not analysed)
    batch_size : B for the per-batch figures (clamped to n_samples with a warning)
    split : 2 or 3 fractions for the iterative-stratification check
    seed : seed of the split's tie-breaking draws
    top_labelsets : how many of the most frequent label combinations to list
    folds : k of the k-fold check (:func:`~.stratify.fold_report`), run only when given: it is a
        second iterative stratification over every row (about 2 s on 2M rows)

    Degenerate input (labels with no positive sample, the batch size clamped, a
    single label) is reported in ``warnings`` and with :func:`warnings.warn`.
    """
    names = [str(x) for x in names]
    sets = _label_sets(Y, names)
    n, q = sets.shape
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ConfigError(f"batch_size must be an integer >= 1, got {batch_size!r}")
    if isinstance(top_labelsets, bool) or not isinstance(top_labelsets, (int, np.integer)) or top_labelsets < 0:
        raise ConfigError(f"top_labelsets must be an integer >= 0, got {top_labelsets!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**32:
        raise ConfigError(f"seed must be an integer in 0..2**32-1, got {seed!r}")
    fractions = check_fractions(split)
    if n == 0:
        raise InputError("no labelled samples (every label set is missing); check the label column")

    notes: list[str] = []
    B = int(batch_size)
    if B > n:
        B = n
        notes.append(f"batch size {batch_size} exceeds the {n} samples; using {B} (the whole data set is one batch)")
    counts = sets.label_counts()
    absent = [names[i] for i in np.flatnonzero(counts == 0)]
    if absent:
        notes.append(
            f"{len(absent)} label(s) have no positive sample, e.g. {absent[:5]}; they get no imbalance ratio "
            "and a pos_weight of None, and a model cannot learn them"
        )
    if q == 1:
        notes.append(f"only one label ({names[0]!r}): this is binary classification; CVIR is undefined")
    for note in notes:
        warn(note)

    keys, set_counts = sets.top(top_labelsets)
    top = tuple(LabelSetCount(tuple(names[i] for i in key), int(c)) for key, c in zip(keys, set_counts.tolist()))
    return MultilabelProfile(
        names=names,
        n_samples=int(n),
        n_missing=int(n_missing),
        n_without_labels=int(sets.set_counts[sets.set_sizes == 0].sum()),
        batch_size=B,
        counts=counts,
        cardinality=float(sets.nnz / n),
        density=float(sets.nnz / n / q),
        ir_lbl=_undefined_as_nan(metrics.ir_per_label(counts)),
        mean_ir=metrics.mean_ir(counts),
        max_ir=metrics.max_ir(counts),
        cvir=metrics.cvir(counts),
        scumble=metrics.scumble(sets, counts),
        n_labelsets=sets.n_sets,
        top_labelsets=top,
        expected_per_batch=metrics.expected_per_batch(counts, n, B),
        p_absent_per_batch=metrics.p_absent_per_batch(counts, n, B),
        gradient_share=metrics.gradient_share(counts),
        pos_weight=_undefined_as_nan(metrics.pos_weight(counts, n)),
        recipe=Recipe.from_dict(recommend_multilabel(counts, int(n), names), "all labels"),
        stratification=IterativeStratification(**{k: tuple(v) if isinstance(v, list) else v for k, v in
                                                   stratification_report(names, sets, fractions, int(seed)).items()},
                                               folds=fold_report(names, sets, folds, int(seed)) if folds else None),
        warnings=tuple(notes),
    )


def pos_weights(matrix) -> tuple[np.ndarray, np.ndarray]:
    """(label names, pos_weight) of a :class:`~imbalcheck.counts.LabelMatrix`: (N - n_l) / n_l over
    all N samples (those without labels are negatives of every label), NaN for a label with no
    positive (:func:`~.metrics.pos_weight`)."""
    names = [str(x) for x in matrix.names]
    sets = _label_sets(matrix.rows, names)
    return np.asarray(names, dtype=object), _undefined_as_nan(metrics.pos_weight(sets.label_counts(), sets.n))


def _label_sets(Y, names: list[str]) -> SetRows:
    """``Y`` checked (0/1, 2-D, one unique name per column, at least one column) as :class:`SetRows`."""
    if len(set(names)) != len(names):
        dup = sorted({x for x in names if names.count(x) > 1})[:3]
        raise InputError(f"label name(s) {dup} appear more than once; label names must be unique")
    if isinstance(Y, SetRows):
        _check_columns(Y.q, names)
        return Y
    if metrics.is_sparse(Y):
        if len(Y.shape) != 2:
            raise InputError(f"Y must be 2-D (samples x labels), got shape {Y.shape}")
        Y = Y.tocsr()
        data = np.asarray(Y.data)
        if data.size and data.dtype != bool and ((data != 0) & (data != 1)).any():
            raise InputError("Y must hold 0/1 or bool values; found other numbers")
    else:
        Y = np.asarray(Y)
        if Y.ndim != 2:
            raise InputError(f"Y must be 2-D (samples x labels), got shape {Y.shape}")
        if Y.dtype != bool:
            if Y.dtype.kind not in "iuf" or ((Y != 0) & (Y != 1)).any():
                raise InputError("Y must hold 0/1 or bool values; use multilabel_from_object() to convert label sets")
            Y = Y != 0
    _check_columns(Y.shape[1], names)
    return metrics.label_sets(Y)


def _check_columns(q: int, names: list[str]) -> None:
    if q != len(names):
        raise InputError(f"{len(names)} label names for {q} columns of Y; give one name per column")
    if q == 0:
        raise InputError("no labels: every label set is empty (the indicator matrix has no columns); check the "
                         "label column or one-hot columns")


def _undefined_as_nan(values: np.ndarray) -> np.ndarray:
    """A label with no positive sample has no IRLbl and no pos_weight: NaN (missing), never inf."""
    values = np.asarray(values, dtype=np.float64)
    return np.where(np.isfinite(values), values, np.nan)
