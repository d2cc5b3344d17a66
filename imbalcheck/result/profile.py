"""``Profile``: every figure of one single-label analysis. Renderers read it; they never compute."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..defaults import SCHEMA_VERSION
from .display import Displayable, finite_list, freeze, json_safe
from .parts import Plateau, Recommendation, Stratification
from .sampling import Sampling


def omitted_note(listed: int, total: int) -> str:
    """The warning of a JSON document that lists only the largest and smallest classes."""
    return (f"JSON lists {listed:,} of {total:,} classes (the largest and smallest); pass --all-classes "
            "(in Python: to_dict() without max_classes) for every class")


@dataclass(frozen=True, repr=False)
class Profile(Displayable):
    """The analysis of one label distribution.

    Scalars are plain floats; per-class figures are read-only numpy arrays aligned with ``labels``
    (sorted by count descending, ties by label); ``top_k_share`` maps k to the share of
    the k largest classes. ``to_dict()`` is the JSON document, ``to_frame()`` one row per
    class. ``column`` is the column read (None for a one-column input), ``input_format``
    what was read (csv, parquet, ..., coco, object), ``warnings`` everything the reading
    and the analysis warned about.
    """

    source: str
    n_samples: int
    n_missing: int
    batch_size: int
    labels: np.ndarray = field(repr=False)
    counts: np.ndarray = field(repr=False)
    imbalance_ratio: float
    max_median_ratio: float
    top_k_share: dict[int, float]
    entropy: float
    evenness: float
    effective_num_classes: float
    gini: float
    buckets: dict
    share: np.ndarray = field(repr=False)
    bucket: np.ndarray = field(repr=False)
    expected_per_batch: np.ndarray = field(repr=False)
    p_absent_per_batch: np.ndarray = field(repr=False)
    batches_between_appearances: np.ndarray = field(repr=False)
    beta: float
    class_weights: dict[str, np.ndarray] = field(repr=False)
    class_weight_normalization: dict[str, str] = field(repr=False)
    gradient_share: dict[str, np.ndarray] = field(repr=False)
    gradient_share_ratio: dict[str, float]
    stratification: Stratification
    plateau: Plateau
    recommendation: Recommendation
    sampling: Sampling = field(repr=False)
    warnings: tuple[str, ...] = ()
    label_kind: str = "text"  # "number" or "text": how scikit-learn would order the classes
    column: object = None
    input_format: str = "object"
    delimiter: str | None = None
    classes_without_samples: tuple = ()  # names the input declares with no sample (a dataset's ClassLabel)
    #: COCO and YOLO: ``{"instances": per class, "images": per class}`` aligned with ``labels``
    #: (``counts`` is the one ``--count`` chose).
    detection_counts: dict = field(default_factory=dict, repr=False)
    #: Masks: ``{"median_frequency": w, "enet": w}`` aligned with ``labels`` (see
    #: :func:`imbalcheck.readers.vision.masks.segmentation_weights`).
    segmentation_weights: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        freeze(self)

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

    def to_frame(self):
        """One row per class (label, count, share, expected_per_batch, p_absent_per_batch,
        batches_between_appearances, bucket, gradient_share under plain cross-entropy), as a pandas DataFrame."""
        import pandas as pd

        return pd.DataFrame({
            "label": self.labels.tolist(), "count": self.counts, "share": self.share,
            "expected_per_batch": self.expected_per_batch, "p_absent_per_batch": self.p_absent_per_batch,
            "batches_between_appearances": self.batches_between_appearances, "bucket": self.bucket.tolist(),
            "gradient_share": self.gradient_share["ce"],
        })

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
            "share": finite_list(self.share[rows]),
            "expected_per_batch": finite_list(self.expected_per_batch[rows]),
            "p_absent_per_batch": finite_list(self.p_absent_per_batch[rows]),
            "batches_between_appearances": finite_list(self.batches_between_appearances[rows]),
            "bucket": self.bucket[rows].tolist(),
            "gradient_share": finite_list(self.gradient_share["ce"][rows]),
            **{kind: counts[rows].tolist() for kind, counts in self.detection_counts.items()},
        }
        names = list(columns)
        head = json_safe({
            "schema_version": SCHEMA_VERSION,
            "source": self.source,
            "column": self.column,
            "input_format": self.input_format,
            "delimiter": self.delimiter,
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
            "class_weight_normalization": self.class_weight_normalization,
            "stratification": self.stratification.to_dict(labels, rows, max_classes),
            "plateau": self.plateau,
            "recommendation": self.recommendation,
            "warnings": list(self.warnings) + ([omitted_note(len(labels), k)] if len(labels) < k else []),
            "label_kind": self.label_kind,
            "classes_without_samples": list(self.classes_without_samples),
            "classes_listed": len(labels),
            "classes_omitted": k - len(labels),
        })
        # the per-class parts are built from finite-checked arrays: no recursive pass over K rows
        head["class_weights"] = {s: dict(zip(labels, finite_list(w[rows]))) for s, w in self.class_weights.items()}
        head["classes"] = [dict(zip(names, row)) for row in zip(*columns.values())]
        head["sampling"] = self.sampling.to_dict(labels, rows)
        if self.segmentation_weights:
            head["segmentation_weights"] = {s: dict(zip(labels, finite_list(w[rows])))
                                            for s, w in self.segmentation_weights.items()}
        return head
