"""The class-count cutoff: which classes a stratified split needs removed, and whether to remove them.

A cutoff is recommended only when the problem can lose what it removes: it never cuts
a binary problem, it keeps at least two classes, and it removes at most
``MAX_CUTOFF_SAMPLE_SHARE`` of the labelled samples. Otherwise the advice says what
works instead (:data:`SMALL_CLASS_ADVICE`) and the recipe is computed on every class.
"""

from __future__ import annotations

import numpy as np

from . import metrics, stratify

CUTOFF_CANDIDATES = (2, 5, 10, 20, 50, 100)
#: The largest share of the labelled samples a recommended cutoff may remove.
MAX_CUTOFF_SAMPLE_SHARE = 0.10

SMALL_CLASS_ADVICE = (
    "Classes below the cutoff need not be lost: keep them in training only and evaluate them "
    "separately (few-shot evaluation), merge them into one 'other' class, use stratified or "
    "repeated k-fold (or group k-fold) instead of a fixed split, or collect more samples."
)


def cutoff_row(counts: np.ndarray, study: stratify.SplitStudy, min_count: int) -> dict:
    """The cost of keeping only classes with >= ``min_count`` samples."""
    keep = counts >= min_count
    kept = counts[keep]
    removed = counts[~keep]
    total = counts.sum()
    ratio = metrics.imbalance_ratio(kept) if kept.size else None
    return {
        "min_count": int(min_count),
        "classes_kept": int(kept.size),
        "classes_removed": int(removed.size),
        "samples_removed": int(removed.sum()),
        "samples_removed_share": float(removed.sum() / total),
        "imbalance_ratio_after": ratio,
        # under plain cross-entropy the gradient-share ratio equals the count ratio
        "gradient_share_ratio_after": ratio,
        "stratifiable": bool(kept.size) and study.feasible_from(int(min_count)),
    }


def _refusal(counts: np.ndarray, row: dict) -> str | None:
    """Why the cutoff ``row`` must not be recommended, or None."""
    if counts.size == 2:
        return ("a binary problem cannot lose a class: no cutoff; the split cannot be stratified as asked "
                f"(a class has {int(counts.min())} sample(s))")
    if row["classes_kept"] < 2:
        return f"the cutoff at {row['min_count']:,} would leave {row['classes_kept']} class: no cutoff"
    if row["samples_removed_share"] > MAX_CUTOFF_SAMPLE_SHARE:
        return (f"the cutoff at {row['min_count']:,} would remove {row['samples_removed_share']:.0%} of the samples "
                f"(more than {MAX_CUTOFF_SAMPLE_SHARE:.0%}): no cutoff")
    return None


def recommend_cutoff(counts: np.ndarray, study: stratify.SplitStudy) -> dict:
    """The smallest stratifiable cutoff and its cost, beside a few round-number cutoffs.

    ``required`` is :meth:`~imbalcheck.stratify.SplitStudy.min_count_required`, the exact
    minimum. It is recommended (``min_count``) when it removes something the problem can
    lose (module docstring); otherwise ``min_count`` is None and ``note`` says why. When
    the data is stratifiable as it is, ``min_count`` is its smallest count (nothing removed).
    """
    required = study.min_count_required()
    smallest = int(counts.min())
    thresholds = sorted({t for t in CUTOFF_CANDIDATES if t <= counts.max()} | ({required} if required else set()))
    table = [cutoff_row(counts, study, t) for t in thresholds]
    empty = {"min_count": None, "classes_removed": None, "samples_removed": None,
             "samples_removed_share": None, "imbalance_ratio_after": None, "required": required, "table": table}
    if required is None:
        return {**empty, "advice": SMALL_CLASS_ADVICE,
                "note": "no class cutoff makes the split feasible: the data is too small for this split; use "
                        "fewer or larger splits (--split), stratified k-fold, or collect more data"}
    chosen = cutoff_row(counts, study, max(required, smallest))
    refused = _refusal(counts, chosen) if chosen["classes_removed"] else None
    if refused:
        return {**empty, "advice": SMALL_CLASS_ADVICE, "note": refused}
    return {**{k: chosen[k] for k in ("min_count", "classes_removed", "samples_removed",
                                      "samples_removed_share", "imbalance_ratio_after")},
            "required": required, "table": table, "advice": SMALL_CLASS_ADVICE}
