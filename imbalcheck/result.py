"""``Profile``: every figure of one analysis. Renderers read it; they never compute."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

SCHEMA_VERSION = 1


@dataclass
class Profile:
    """The analysis of one label distribution.

    Scalars are plain floats; per-class figures are numpy arrays aligned with
    ``labels`` (sorted by count descending, ties by label).
    """

    source: str
    n_samples: int
    n_missing: int
    batch_size: int
    labels: np.ndarray
    counts: np.ndarray
    imbalance_ratio: float
    max_median_ratio: float
    top_k_share: dict[str, float]
    entropy: float
    evenness: float
    effective_num_classes: float
    gini: float
    buckets: dict
    share: np.ndarray
    bucket: np.ndarray
    expected_per_batch: np.ndarray
    p_absent_per_batch: np.ndarray
    batches_between_appearances: np.ndarray
    beta: float
    class_weights: dict[str, np.ndarray]
    gradient_share: dict[str, np.ndarray]
    gradient_share_ratio: dict[str, float]
    stratification: dict
    split_alloc: np.ndarray
    split_raised: np.ndarray
    plateau: dict
    recommendation: dict
    warnings: list[str] = field(default_factory=list)
    label_kind: str = "text"  # "number" or "text": how scikit-learn would order the classes

    @property
    def n_classes(self) -> int:
        return int(self.counts.size)

    @property
    def cumulative_share(self) -> np.ndarray:
        """Share of samples in the k largest classes, for k = 1..K (the top-k share curve)."""
        return np.cumsum(self.share)

    @property
    def missing_share(self) -> float:
        total = self.n_samples + self.n_missing
        return self.n_missing / total if total else 0.0

    def to_dict(self, max_classes: int | None = None) -> dict:
        """The JSON contract (``schema_version`` 1): names are an interface; add, never rename.

        Every class is listed unless ``max_classes`` is given and K exceeds it: then
        ``classes``, ``class_weights``, ``stratification.per_class`` and the label lists
        hold the ``max_classes`` largest and smallest classes (half each), and
        ``classes_listed`` / ``classes_omitted`` say so. Every scalar still covers all classes.
        """
        k = self.n_classes
        if max_classes is not None and k > max_classes:
            half = max_classes // 2
            rows = np.r_[np.arange(half), np.arange(k - (max_classes - half), k)]
        else:
            rows = slice(None)
        labels = self.labels[rows].tolist()
        columns = {
            "label": labels,
            "count": self.counts[rows].tolist(),
            "share": _finite_list(self.share[rows]),
            "expected_per_batch": _finite_list(self.expected_per_batch[rows]),
            "p_absent_per_batch": _finite_list(self.p_absent_per_batch[rows]),
            "batches_between_appearances": _finite_list(self.batches_between_appearances[rows]),
            "bucket": self.bucket[rows].tolist(),
            "gradient_share": _finite_list(self.gradient_share["ce"][rows]),
        }
        names = list(columns)
        splits = self.stratification["splits"]
        cap = (lambda xs: xs[:max_classes]) if max_classes is not None else (lambda xs: xs)
        stratification = {
            **self.stratification,
            "infeasible_classes": cap(self.stratification["infeasible_classes"]),
            "folds": {**self.stratification["folds"],
                      "classes_below_k": cap(self.stratification["folds"]["classes_below_k"])},
            "per_class": {lab: {"split": dict(zip(splits, row)), "raises": raised} for lab, row, raised in
                          zip(labels, self.split_alloc[rows].tolist(), self.split_raised[rows].tolist())},
        }
        head = _json_safe({
            "schema_version": SCHEMA_VERSION,
            "source": self.source,
            "n_samples": self.n_samples,
            "n_missing": self.n_missing,
            "missing_share": self.missing_share,
            "n_classes": self.n_classes,
            "batch_size": self.batch_size,
            "imbalance_ratio": self.imbalance_ratio,
            "max_median_ratio": self.max_median_ratio,
            "top_k_share": self.top_k_share,
            "entropy": self.entropy,
            "evenness": self.evenness,
            "effective_num_classes": self.effective_num_classes,
            "gini": self.gini,
            "buckets": self.buckets,
            "beta": self.beta,
            "gradient_share_ratio": self.gradient_share_ratio,
            "stratification": stratification,
            "plateau": self.plateau,
            "recommendation": self.recommendation,
            "warnings": self.warnings,
            "label_kind": self.label_kind,
            "classes_listed": len(labels),
            "classes_omitted": k - len(labels),
        })
        # the per-class parts are built from finite-checked arrays: no recursive pass over K rows
        head["class_weights"] = {s: dict(zip(labels, _finite_list(w[rows]))) for s, w in self.class_weights.items()}
        head["classes"] = [dict(zip(names, row)) for row in zip(*columns.values())]
        return head


def _finite_list(values: np.ndarray) -> list:
    """``values.tolist()`` with inf/nan as None."""
    values = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(values)
    if finite.all():
        return values.tolist()
    return [v if ok else None for v, ok in zip(values.tolist(), finite.tolist())]


def _json_safe(obj):
    """Replace inf/nan (not JSON) by None, recursively; numpy scalars become Python ones."""
    if isinstance(obj, dict):
        return {str(k): _json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_json_safe(v) for v in obj]
    if isinstance(obj, (float, np.floating)):
        return float(obj) if math.isfinite(obj) else None
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    return obj
