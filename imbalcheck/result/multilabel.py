"""``MultilabelProfile``: every figure of one multi-label analysis. Renderers read it; they never compute."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..defaults import SCHEMA_VERSION
from .display import Displayable, finite_list, freeze, json_safe


@dataclass(frozen=True)
class LabelSetCount:
    """One label combination and the number of samples that carry exactly it."""

    labels: tuple[str, ...]
    count: int

    def to_dict(self) -> dict:
        return {"labels": list(self.labels), "count": self.count}


@dataclass(frozen=True)
class IterativeStratification:
    """What an iterative-stratification split (Sechidis et al. 2011) does to each label.

    ``impossible_labels`` have 1 <= n_l < k positives (no splitter can reach k subsets);
    ``missing_labels`` are left out of at least one subset by the produced split (a
    superset of ``impossible_labels``); ``per_label`` gives positives per subset.
    """

    method: str
    equivalent_to: str
    fractions: tuple
    splits: tuple
    seed: int
    feasible: bool
    min_count_required: int
    min_count_isolated: int
    impossible_labels: tuple
    labels_without_positives: tuple
    missing_labels: tuple
    split_sizes: dict
    desired_sizes: dict
    per_label: dict = field(repr=False)
    folds: dict | None = None  # {"k", "infeasible_labels", "equivalent_to"}: iterative-stratification k-fold

    def to_dict(self) -> dict:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.__dict__.items()}


@dataclass(frozen=True, repr=False)
class MultilabelProfile(Displayable):
    """The analysis of one indicator matrix.

    Per-label figures are read-only numpy arrays aligned with ``names`` (the input's label
    order, which is also the order ``pos_weight`` must have for a model whose
    outputs follow it); ``ir_lbl`` and ``pos_weight`` are NaN (missing, None in the JSON)
    for a label with no positive sample, where they are undefined. ``top_labelsets`` are by count descending, ties in order of
    first appearance. ``to_dict()`` is the JSON document; its ``multilabel`` section
    holds the figures (add keys, never rename them).
    """

    names: list[str]
    n_samples: int
    n_missing: int
    n_without_labels: int
    batch_size: int
    counts: np.ndarray
    cardinality: float
    density: float
    ir_lbl: np.ndarray
    mean_ir: float
    max_ir: float
    cvir: float
    scumble: float
    n_labelsets: int
    top_labelsets: tuple[LabelSetCount, ...]
    expected_per_batch: np.ndarray
    p_absent_per_batch: np.ndarray
    gradient_share: np.ndarray
    pos_weight: np.ndarray
    stratification: IterativeStratification
    warnings: tuple[str, ...] = ()
    source: str = "<memory>"
    column: object = None
    input_format: str = "object"
    delimiter: str | None = None
    classes_without_samples: tuple = ()  # label names the input declares with no sample
    recipe: object = None  # the multi-label training recipe (a Recipe; imbalcheck.multilabel.recipe)

    def __post_init__(self) -> None:
        freeze(self)

    @property
    def n_labels(self) -> int:
        return len(self.names)

    def to_frame(self):
        """One row per label (label, count, ir_lbl, expected_per_batch, p_absent_per_batch,
        gradient_share, pos_weight), as a pandas DataFrame, in the label order of ``names``."""
        import pandas as pd

        return pd.DataFrame({"label": list(self.names), "count": self.counts, "ir_lbl": self.ir_lbl,
                             "expected_per_batch": self.expected_per_batch,
                             "p_absent_per_batch": self.p_absent_per_batch,
                             "gradient_share": self.gradient_share, "pos_weight": self.pos_weight})

    def section(self) -> dict:
        """The ``multilabel`` JSON section; inf/nan become None."""
        columns = {
            "label": list(self.names),
            "count": self.counts.tolist(),
            "ir_lbl": finite_list(self.ir_lbl),
            "expected_per_batch": finite_list(self.expected_per_batch),
            "p_absent_per_batch": finite_list(self.p_absent_per_batch),
            "gradient_share": finite_list(self.gradient_share),
            "pos_weight": finite_list(self.pos_weight),
        }
        keys = list(columns)
        out = json_safe({
            "n_samples": self.n_samples,
            "n_labels": self.n_labels,
            "n_missing": self.n_missing,
            "n_without_labels": self.n_without_labels,
            "batch_size": self.batch_size,
            "cardinality": self.cardinality,
            "density": self.density,
            "mean_ir": self.mean_ir,
            "max_ir": self.max_ir,
            "cvir": self.cvir,
            "scumble": self.scumble,
            "n_labelsets": self.n_labelsets,
            "top_labelsets": list(self.top_labelsets),
            "stratification": self.stratification,
            "recipe": self.recipe,
            "warnings": list(self.warnings),
        })
        out["labels"] = [dict(zip(keys, row)) for row in zip(*columns.values())]
        out["pos_weight"] = columns["pos_weight"]
        return out

    def to_dict(self) -> dict:
        """The JSON document (``schema_version`` 1)."""
        return {"schema_version": SCHEMA_VERSION, "source": self.source, "column": self.column,
                "input_format": self.input_format, "delimiter": self.delimiter, "warnings": list(self.warnings),
                "classes_without_samples": list(self.classes_without_samples), "multilabel": self.section()}
