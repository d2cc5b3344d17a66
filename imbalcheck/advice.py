"""What to do about a distribution: a class-count cutoff and a loss with its parameters."""

from __future__ import annotations

import math

import numpy as np

from . import metrics, stratify
from .defaults import BETA as CB_BETA
from .defaults import BETA_MANY_CLASSES as CB_BETA_MANY_CLASSES
from .defaults import CB_FOCAL_GAMMA, DRW_START_FRACTION, LDAM_MAX_MARGIN, LDAM_SCALE

CUTOFF_CANDIDATES = (2, 5, 10, 20, 50, 100)
BALANCED_RATIO = 1.5
MILD_RATIO = 10.0
STRONG_RATIO = 100.0
MANY_CLASSES = 1000


REMOVED_CLASS_ADVICE = (
    "Removed classes need not be lost: merge them into one 'other' class, or keep them out "
    "of training and use them for few-shot evaluation (or collect more samples) until they "
    "reach the cutoff."
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
        "stratifiable": bool(kept.size) and study.feasible_from(int(kept.min())),
    }


def recommend_cutoff(counts: np.ndarray, study: stratify.SplitStudy) -> dict:
    """The exact stratifiable cutoff and its cost, beside a few round-number cutoffs.

    The cutoff is :meth:`~imbalcheck.stratify.SplitStudy.min_count_required`; when the
    data is stratifiable as it is, that is its own minimum count (nothing removed).
    """
    required = study.min_count_required()
    smallest = int(counts.min())
    thresholds = sorted({t for t in CUTOFF_CANDIDATES if t <= counts.max()} | ({required} if required else set()))
    table = [cutoff_row(counts, study, t) for t in thresholds]
    if required is None:
        return {"min_count": None, "classes_removed": None, "samples_removed": None,
                "samples_removed_share": None, "imbalance_ratio_after": None, "table": table,
                "note": "no cutoff makes the split feasible: the data is too small for this split; "
                        "use fewer or larger splits (--split), or collect more data",
                "advice": REMOVED_CLASS_ADVICE}
    chosen = cutoff_row(counts, study, max(required, smallest))
    return {**{k: chosen[k] for k in ("min_count", "classes_removed", "samples_removed",
                                      "samples_removed_share", "imbalance_ratio_after")},
            "table": table, "advice": REMOVED_CLASS_ADVICE}


def ldam_margin_constant(counts: np.ndarray, max_margin: float = LDAM_MAX_MARGIN) -> float:
    """C in Delta_c = C / n_c^(1/4), chosen so the rarest class gets ``max_margin``.

    Cao et al. 2019, eq. 13; the reference scales ``1 / n_c^(1/4)`` by
    ``max_m / max(1 / n_c^(1/4))`` (kaidic/LDAM-DRW, losses.py, ``LDAMLoss``).
    """
    return float(max_margin * np.min(counts) ** 0.25)


def _evidence(key: str, ratio: float, k: int) -> dict:
    """The reference with its published result closest to this data (log ratio, then log K)."""
    from .references import REFERENCES

    ref = REFERENCES[key]
    results = ref.get("results") or []
    best = min(results, key=lambda r: (abs(math.log(r["imbalance"] / ratio)) + 0.25 * abs(math.log(r["num_classes"] / k))),
               default=None)
    return {"key": key, "citation": ref["citation"], "url": ref.get("url"), "evidence": best}


def recommend_loss(counts: np.ndarray) -> dict:
    """A loss, its exact parameters and the reason, from the (post-cutoff) counts.

    Decision rule over the imbalance ratio r and the number of classes K, each branch
    at the settings where its paper reports a gain over cross-entropy (the figures
    are in :mod:`imbalcheck.references`):

    ======================  =================  ==========================================
    condition               loss               evidence
    ======================  =================  ==========================================
    r <= 1.5                ce                 balanced: nothing is needed
    K == 2, r > 10          cb_focal           Cui et al. 2019 CB focal (beta 0.9999,
                                               gamma 1) on CIFAR-10-LT; Lin et al. 2017
                                               focal term for extreme binary imbalance
    r <= 10                 weighted_ce        Cui et al. 2019 effective-number weights;
                                               beta 0.9999 for K <= 10, else 0.999
    10 < r <= 100           logit_adjusted     Menon et al. 2021, CIFAR-10/100-LT at 100
                                               (also ahead of LDAM-DRW's published error)
    r > 100, K < 1000       balanced_softmax   Ren et al. 2020: CIFAR-LT at 200, Places-LT
    r > 100, K >= 1000      ldam_drw           Cao et al. 2019: iNaturalist 2018 (8,142
                                               classes), ahead of logit adjustment there
    ======================  =================  ==========================================
    """
    counts = np.asarray(counts)
    ratio = metrics.imbalance_ratio(counts)
    k = counts.size
    if ratio <= BALANCED_RATIO:
        name, params, refs, alternatives = "ce", {}, [], []
        why = f"imbalance ratio {ratio:.3g}:1 <= {BALANCED_RATIO}:1: the classes are balanced; plain cross-entropy, nothing is needed."
    elif k == 2 and ratio > MILD_RATIO:
        name = "cb_focal"
        params = {"beta": CB_BETA, "gamma": CB_FOCAL_GAMMA, "weights": "effective_number"}
        why = (f"two classes at {ratio:,.0f}:1: the focal term down-weights the easy majority examples that "
               "dominate extreme binary imbalance, and effective-number weights rebalance the classes "
               f"(Cui et al.'s best CIFAR-10-LT setting at ratio 100: beta {CB_BETA}, gamma {CB_FOCAL_GAMMA:g}).")
        refs, alternatives = ["cui2019", "lin2017"], ["focal", "weighted_ce"]
    elif ratio <= MILD_RATIO:
        beta = CB_BETA if k <= 10 else CB_BETA_MANY_CLASSES
        name = "weighted_ce"
        params = {"scheme": "effective_number", "beta": beta}
        why = (f"moderate imbalance ({ratio:,.1f}:1 <= {MILD_RATIO:g}:1): re-weighting cross-entropy by the inverse "
               f"effective number of samples rebalances the gradient without changing the model; beta {beta} is "
               f"Cui et al.'s best for {'10' if k <= 10 else '100'} classes at low imbalance.")
        refs, alternatives = ["cui2019"], ["ldam_drw"]
    elif ratio <= STRONG_RATIO:
        name = "logit_adjusted"
        params = {"tau": 1.0, "log_prior": "tau * ln(n_c / N) added to the logits during training"}
        why = (f"strong imbalance ({ratio:,.0f}:1): the logit-adjusted loss adds tau times the log prior to the "
               "logits, so the rare classes are not out-voted by their prior; tau = 1 is Fisher-consistent for "
               "the balanced error, needs no schedule, and can be tuned or applied post hoc.")
        refs, alternatives = ["menon2021", "cao2019"], ["ldam_drw", "balanced_softmax"]
    elif k < MANY_CLASSES:
        name = "balanced_softmax"
        params = {"log_prior": "ln(n_c / N) added to the logits during training"}
        why = (f"extreme imbalance ({ratio:,.0f}:1): balanced softmax adds the log prior to the logits (the "
               "logit-adjusted loss with tau = 1), correcting the label shift between the long-tailed training "
               "set and a balanced test; no schedule and no extra hyper-parameter.")
        refs, alternatives = ["ren2020", "menon2021"], ["logit_adjusted", "ldam_drw"]
    else:
        name = "ldam_drw"
        params = {"max_m": LDAM_MAX_MARGIN, "C": ldam_margin_constant(counts), "s": LDAM_SCALE,
                  "margin": "C / n_c^(1/4)", "drw_start_fraction": DRW_START_FRACTION, "drw_beta": CB_BETA,
                  "head": "cosine-normalised linear (NormedLinear)"}
        why = (f"extreme imbalance ({ratio:,.0f}:1) over {k:,} classes: label-distribution-aware margins (larger "
               "for rare classes) with deferred re-weighting over the last 20% of training; on iNaturalist 2018 "
               "(8,142 classes) it is ahead of both cross-entropy and logit adjustment. Needs a full schedule: "
               "DRW switches at 80% of the epochs.")
        refs, alternatives = ["cao2019", "menon2021"], ["logit_adjusted", "balanced_softmax"]
    return {
        "name": name,
        "params": params,
        "rationale": why,
        "alternatives": alternatives,
        "references": [_evidence(key, ratio, k) for key in refs],
    }

