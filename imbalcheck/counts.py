"""The in-memory types between readers and analysis: ``Counts`` (single-label) and
``LabelMatrix`` (multi-label).

A label distribution is a pair of aligned arrays: ``labels`` (str, exactly as
written in the input) and ``counts`` (int64, all >= 1), sorted by count
descending with ties broken by label, plus ``n_missing``, the number of samples
whose label was missing (not a class), and ``label_kind``: whether the labels were
numbers or text where the input said so (a typed Parquet column, a numpy array),
None where only the text is known (CSV, where pandas would infer the type).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .errors import InputError, warn


@dataclass(frozen=True)
class Counts:
    labels: np.ndarray
    counts: np.ndarray
    n_missing: int = 0
    label_kind: str | None = None

    def __post_init__(self) -> None:
        if len(self.labels) != len(self.counts):
            raise InputError("labels and counts have different lengths")
        if len(self.counts) and float(np.sum(self.counts, dtype=np.float64)) + self.n_missing >= 2.0**63:
            raise InputError("the counts add up to 2**63 samples or more, beyond exact integer arithmetic; "
                             "check the count column")

    @property
    def n_classes(self) -> int:
        return int(self.counts.size)

    @property
    def n_samples(self) -> int:
        return int(self.counts.sum())

    def as_dict(self) -> dict[str, int]:
        return dict(zip(self.labels.tolist(), self.counts.tolist()))

    @classmethod
    def from_arrays(
        cls, labels: Iterable, counts: Iterable, n_missing: int = 0, *, source: str = "counts",
        label_kind: str | None = None,
    ) -> Counts:
        """Validate a (label, count) table and return it sorted.

        Raises :class:`InputError` for negative, fractional or missing counts and for
        duplicated labels; warns about and drops classes with a zero count.
        """
        labels = np.asarray([str(x) for x in labels], dtype=object)
        raw = np.asarray(list(counts) if not isinstance(counts, np.ndarray) else counts)
        if raw.dtype.kind not in "iuf" and raw.size:
            raise InputError(f"{source}: counts must be numbers; check the count column")
        values = raw.astype(np.float64)
        if np.isnan(values).any():
            bad = labels[np.isnan(values)][:3].tolist()
            raise InputError(f"{source}: missing count for label(s) {bad}; fill or drop those rows")
        if (values < 0).any():
            bad = labels[values < 0][:3].tolist()
            raise InputError(f"{source}: negative count for label(s) {bad}; counts must be >= 0")
        bad_value = (values != np.floor(values)) | (values > 2**62)
        if bad_value.any():
            bad = labels[bad_value][:3].tolist()
            raise InputError(f"{source}: count for label(s) {bad} is not a whole number below 2**62; "
                             "counts must be whole numbers")
        ints = values.astype(np.int64)
        if len(set(labels.tolist())) != labels.size:
            dup = [k for k, v in Counter(labels.tolist()).items() if v > 1][:3]
            raise InputError(f"{source}: label(s) {dup} appear more than once; aggregate the counts first")
        if (ints == 0).any():
            zero = labels[ints == 0][:5].tolist()
            warn(f"{source}: dropping {int((ints == 0).sum())} class(es) with a zero count, e.g. {zero}")
            labels, ints = labels[ints > 0], ints[ints > 0]
        return cls._sorted(labels, ints, int(n_missing), label_kind)

    @classmethod
    def from_mapping(cls, mapping: Mapping, n_missing: int = 0) -> Counts:
        return cls.from_arrays(list(mapping.keys()), list(mapping.values()), n_missing, source="mapping")

    @classmethod
    def _sorted(cls, labels: np.ndarray, counts: np.ndarray, n_missing: int, label_kind: str | None = None) -> Counts:
        # stable two-key sort: count descending, then label ascending
        by_label = np.argsort(labels.astype(str), kind="stable")
        labels, counts = labels[by_label], counts[by_label]
        order = np.argsort(-counts, kind="stable")
        return cls(labels[order], counts[order].astype(np.int64), n_missing, label_kind)

    @classmethod
    def from_codes(cls, uniques: Iterable, counts: np.ndarray, n_missing: int = 0,
                   label_kind: str | None = None) -> Counts:
        """Build from already-aggregated unique labels (no validation needed: counts > 0)."""
        return cls._sorted(np.asarray([str(u) for u in uniques], dtype=object), np.asarray(counts, np.int64),
                           n_missing, label_kind)


@dataclass(frozen=True)
class LabelMatrix:
    """Multi-label data: ``names`` (one per label), ``rows`` the labelled samples as their
    distinct label sets plus each sample's set (:class:`~imbalcheck.multilabel.setrows.SetRows`,
    the form every figure reads), ``n_missing``, the rows whose label set was missing (not in
    ``rows``), and ``present``, which marks for every input row in order whether it has a label
    set (None when every row has one). ``Y`` is the same data as a boolean (samples x labels)
    ``scipy.sparse.csr_matrix``, built when asked for."""

    names: list
    rows: object
    n_missing: int = 0
    present: object = None

    @cached_property
    def Y(self):
        """The (samples x labels) indicator matrix, a boolean CSR with columns ascending in a row."""
        return self.rows.to_csr()

    def __iter__(self):
        """``names, Y, n_missing = matrix``."""
        return iter((self.names, self.Y, self.n_missing))
