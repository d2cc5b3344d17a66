"""What to train with: a sampler, a loss with its exact parameters, a schedule, and the
options for a model already trained, each with the published evidence of exactly that method.

Decision rule over the imbalance ratio r = max n_c / min n_c and the number of classes K
of the counts the recipe is computed on (after the cutoff, when one is recommended):

=========================  ========  ===============================  ============================================
condition                  sampler   loss                             evidence (method -> what it was measured as)
=========================  ========  ===============================  ============================================
r <= 1.5                   instance  ce                               balanced: nothing is needed
K = 2, r <= 10             instance  weighted_ce (effective number,   Cui et al. 2019, Table 2: CB loss alone
                                     beta from the counts)
K = 2, r > 10              instance  cb_focal (sigmoid, gamma 1,      Cui et al. 2019, Table 2: CB focal alone;
                                     beta from the counts, prior      Lin et al. 2017, sec. 4.1: the prior bias
                                     bias b_c = -ln((1 - pi_c)/pi_c)) initialisation
1.5 < r <= 10              instance  weighted_ce (effective number,   Cui et al. 2019, Table 2: CB loss alone
                                     beta from the counts)
r > 10, unless the next    instance  logit_adjusted (tau = 1; the     Menon et al. 2021, Table 3: the loss alone;
                                     same loss as balanced softmax)   Ren et al. 2020, Table 5: Balanced Softmax
                                                                      end to end (not BALMS)
r > 100, K >= 1000         instance  ldam_drw, iNaturalist settings   Cao et al. 2019, Table 3 and App. B:
                                     (max margin 0.3, re-weighting    iNaturalist 2018, 8,142 classes
                                     at the learning-rate drop,
                                     epoch 60 of 90)
=========================  ========  ===============================  ============================================

Never correct twice: every loss above corrects the imbalance itself, so it is paired
with ``instance`` sampling (logit adjustment's prior is the sampling prior; a
class-balanced sampler with it, or with inverse weights, would correct twice). The
re-sampling alternative pairs a re-balancing sampler with plain cross-entropy. For a
model already trained with plain cross-entropy (``post_hoc``): post-hoc logit
adjustment (Menon et al. 2021) and decoupled classifier re-training or
tau-normalisation (Kang et al. 2020). The figures behind every branch are in
:mod:`imbalcheck.references`.
"""

from __future__ import annotations

import math

import numpy as np

from . import metrics, sampling
from .defaults import CB_FOCAL_GAMMA, DRW_START_FRACTION, LDAM_MAX_MARGIN, LDAM_SCALE, LOGIT_ADJUSTMENT_TAU

BALANCED_RATIO = 1.5
MILD_RATIO = 10.0
STRONG_RATIO = 100.0
MANY_CLASSES = 1000
#: Cui et al.'s beta grid (CVPR 2019, sec. 5.3), each with 1 / (1 - beta) exactly (in floating
#: point 1 / (1 - 0.99) is 99.99999999999991).
BETA_GRID = ((0.9, 10), (0.99, 100), (0.999, 1_000), (0.9999, 10_000))
#: Cao et al. 2019, App. B (iNaturalist 2018): largest margin 0.3; 90 epochs, re-weighting from epoch 60.
LDAM_MAX_MARGIN_LARGE = 0.3
DRW_START_FRACTION_LARGE = 60 / 90
#: Cao et al.'s code re-weights with effective-number weights at beta 0.9999 in the DRW stage.
DRW_BETA = 0.9999
#: Above this many draws per sample per epoch of the rarest class, the re-sampling alternative
#: is square-root rather than progressive sampling (which ends class-balanced).
MAX_DRAWS_PER_SAMPLE = 100.0
#: Kang et al. 2020 (facebookresearch/classifier-balancing configs): cRT epochs.
CRT_EPOCHS = 10
CRT_EPOCHS_LARGE = 30


def ratio_text(ratio: float) -> str:
    """A ratio as every report writes it: 44,098:1 from 100 on, 7.23:1 below."""
    return f"{ratio:,.0f}:1" if ratio >= 100 else f"{ratio:,.2f}:1"


def effective_number_beta(counts) -> float:
    """beta for the effective-number weights, from the counts.

    E_n = (1 - beta^n) / (1 - beta) saturates at 1 / (1 - beta) for n >> 1 / (1 - beta),
    so classes well above that size all get the same weight (beta 0.999 on 50k/20k/5k
    classes is plain cross-entropy within 0.7 %). The rule takes the smallest beta of
    Cui et al.'s grid with 1 / (1 - beta) >= n_max, so that no class saturates, and
    1 - 1 / n_max beyond the grid; the weights then span between about 0.63x and 1x of
    inverse frequency (E_(n_max) >= (1 - 1/e) n_max).
    """
    top = float(np.max(counts))
    for beta, saturation in BETA_GRID:
        if saturation >= top:
            return beta
    return min(1.0 - 1.0 / top, float(np.nextafter(1.0, 0.0)))  # below 1 even for 1e16-sample classes


def ldam_margin_constant(counts: np.ndarray, max_margin: float = LDAM_MAX_MARGIN) -> float:
    """C in Delta_c = C / n_c^(1/4), chosen so the rarest class gets ``max_margin``.

    Cao et al. 2019, eq. 13; the reference scales ``1 / n_c^(1/4)`` by
    ``max_m / max(1 / n_c^(1/4))`` (kaidic/LDAM-DRW, losses.py, ``LDAMLoss``).
    """
    return float(max_margin * np.min(counts) ** 0.25)


def prior_bias(counts) -> list[float]:
    """b_c = -ln((1 - pi_c) / pi_c) with pi_c = n_c / N: each sigmoid output starts at its
    class prior (Lin et al. 2017, sec. 4.1, with pi = 0.01 for the rare foreground; Cui et al.
    2019, sec. 5.2, initialise their sigmoid and focal heads the same way)."""
    n = [int(x) for x in np.asarray(counts)]
    total = sum(n)  # exact integers: N - n_c of a 1e17-sample class is not lost to rounding
    return [math.log(x) - math.log(total - x) for x in n]


def evidence(key: str, ratio: float, k: int, kind: str = "loss", method: str = "") -> dict:
    """The reference and its published result of ``kind`` closest to this data (log ratio,
    then log K); ``kind`` (and ``method``, a part of the method's label) keep a method's
    evidence to results of that method alone."""
    from .references import REFERENCES

    ref = REFERENCES[key]  # a method label of the key's results must contain ``method`` (the rule's own names)
    results = [r for r in ref.get("results") or []
               if r.get("kind", "loss") == kind and method.lower() in r["method"][0].lower()]
    best = min(results, key=lambda r: (abs(math.log(r["imbalance"] / ratio)) + 0.25 * abs(math.log(r["num_classes"] / k))),
               default=None)
    return {"key": key, "citation": ref["citation"], "url": ref.get("url"), "evidence": best}


def _ldam(counts: np.ndarray, large: bool) -> dict:
    max_m = LDAM_MAX_MARGIN_LARGE if large else LDAM_MAX_MARGIN
    return {"max_m": max_m, "C": ldam_margin_constant(counts, max_m), "s": LDAM_SCALE, "margin": "C / n_c^(1/4)",
            "drw_start_fraction": DRW_START_FRACTION_LARGE if large else DRW_START_FRACTION, "drw_beta": DRW_BETA,
            "head": "cosine-normalised linear (NormedLinear)"}


def _ldam_schedule(large: bool) -> dict:
    if large:
        return {"epochs": 90, "drw_start_epoch": 60, "lr_drops": [30, 60],
                "note": "re-weight (effective number, beta 0.9999) from the learning-rate drop at epoch 60 of 90 "
                        "(Cao et al. 2019, App. B, iNaturalist 2018)"}
    return {"epochs": 200, "drw_start_epoch": 160, "lr_drops": [160, 180],
            "note": "re-weight (effective number, beta 0.9999) from epoch 160 of 200 (Cao et al. 2019, CIFAR)"}


def recommend_loss(counts: np.ndarray) -> dict:
    """The loss of the recipe (name, params, rationale, alternatives, references); see the module's table."""
    return _decide(np.asarray(counts))["loss"]


def _decide(n: np.ndarray) -> dict:
    ratio, k = metrics.imbalance_ratio(n), n.size
    schedule = None
    if ratio <= BALANCED_RATIO:
        return {"loss": {"name": "ce", "params": {}, "alternatives": [], "references": [],
                         "rationale": f"imbalance ratio {ratio_text(ratio)} <= {BALANCED_RATIO}:1: the classes are balanced; "
                                      "instance sampling and plain cross-entropy, nothing is needed."},
                "schedule": None}
    beta = effective_number_beta(n)
    w = (1 - beta) / -np.expm1(n * np.log(beta))
    spread = f"beta {beta:.6g} from the counts (1 / (1 - beta) >= the largest class, {int(n.max()):,}): the weights span {ratio_text(w.max() / w.min())} against the {ratio_text(ratio)} counts"
    if ratio <= MILD_RATIO:
        loss = {"name": "weighted_ce", "params": {"scheme": "effective_number", "beta": beta},
                "rationale": (f"moderate imbalance ({ratio_text(ratio)} <= {MILD_RATIO:g}:1): cross-entropy re-weighted by "
                              f"the inverse effective number of samples rebalances the gradient without changing the "
                              f"model; {spread}."),
                "alternatives": ["logit_adjusted"], "references": [evidence("cui2019", ratio, k, method="CB softmax")]}
    elif k == 2:
        loss = {"name": "cb_focal",
                "params": {"beta": beta, "gamma": CB_FOCAL_GAMMA, "loss_type": "focal", "weights": "effective_number",
                           "bias_init": prior_bias(n)},
                "rationale": (f"two classes at {ratio_text(ratio)}: sigmoid focal loss with class-balanced weights, the "
                              "output biases initialised at the class priors (b_c = -ln((1 - pi_c) / pi_c), "
                              f"pi_c = n_c / N) so that training does not start by unlearning them; {spread}; "
                              f"gamma {CB_FOCAL_GAMMA:g} (Cui et al.'s best CIFAR-10-LT focal setting at 100:1)."),
                "alternatives": ["logit_adjusted", "weighted_ce"],
                "references": [evidence("cui2019", ratio, k, method="CB focal"), evidence("lin2017", ratio, k)]}
    elif ratio > STRONG_RATIO and k >= MANY_CLASSES:
        loss = {"name": "ldam_drw", "params": _ldam(n, large=True),
                "rationale": (f"extreme imbalance ({ratio_text(ratio)}) over {k:,} classes: label-distribution-aware "
                              "margins with deferred re-weighting, at Cao et al.'s iNaturalist 2018 settings (max "
                              "margin 0.3, re-weighting from the learning-rate drop at epoch 60 of 90), where it is "
                              "ahead of both cross-entropy and the logit-adjusted loss."),
                "alternatives": ["logit_adjusted"],
                "references": [evidence("cao2019", ratio, k), evidence("menon2021", ratio, k)]}
        schedule = _ldam_schedule(large=True)
    else:
        loss = {"name": "logit_adjusted",
                "params": {"tau": LOGIT_ADJUSTMENT_TAU, "log_prior": "tau * ln(n_c / N) added to the logits during training"},
                "rationale": (f"strong imbalance ({ratio_text(ratio)}): the logit-adjusted loss adds tau ln(n_c / N) to the "
                              "logits, so the rare classes are not out-voted by their prior; tau = 1 is "
                              "Fisher-consistent for the balanced error and is Ren et al.'s balanced softmax (one "
                              "loss, one name here); no schedule, and it pairs with plain instance sampling."),
                "alternatives": ["ldam_drw", "cb_focal"],
                "references": [evidence("menon2021", ratio, k), evidence("ren2020", ratio, k)]}
    return {"loss": loss, "schedule": schedule}


def _resampling(n: np.ndarray, ratio: float, k: int) -> dict:
    """The re-sampling alternative: a re-balancing sampler with plain cross-entropy."""
    cb = sampling.probabilities(n, "class_balanced", {})[0]
    rare = float(sampling.draws_per_sample(n, cb, float(n.sum())).max())
    name = "progressive" if rare <= MAX_DRAWS_PER_SAMPLE else "square_root"
    why = (f"progressively-balanced sampling, the best joint-training sampler of Kang et al. (it ends class-balanced: "
           f"the rarest class's samples are then drawn {rare:,.1f} times per epoch)" if name == "progressive" else
           f"square-root sampling: class-balanced sampling would draw each sample of the rarest class {rare:,.0f} "
           f"times per epoch (memorised), so the milder power q = 1/2")
    return {"sampler": {"name": name, "params": {}}, "loss": {"name": "ce", "params": {}},
            "rationale": f"re-sampling instead of a re-balancing loss: {why}, with plain cross-entropy (never both).",
            "references": [evidence("kang2020", ratio, k, "sampler", "progressively" if name == "progressive" else "square-root")]}


def _post_hoc(n: np.ndarray, ratio: float, k: int) -> dict:
    """Options for a model already trained with plain cross-entropy and instance sampling."""
    large = k >= MANY_CLASSES
    return {
        "applies_to": "a model already trained with plain cross-entropy and instance sampling",
        "options": [
            {"name": "logit_adjustment",
             "params": {"tau": LOGIT_ADJUSTMENT_TAU, "rule": "predict argmax_y f_y(x) - tau * ln(n_y / N)"},
             "rationale": "subtract tau times the log prior from the trained logits at prediction time; no retraining.",
             "references": [evidence("menon2021", ratio, k, "post_hoc")]},
            {"name": "crt",
             "params": {"sampler": "class_balanced", "epochs": CRT_EPOCHS_LARGE if large else CRT_EPOCHS,
                        "rule": "freeze the representation, re-initialise the classifier and re-train it alone"},
             "rationale": "classifier re-training: the representation learned with instance sampling is kept, the "
                          "classifier is re-learned with class-balanced sampling.",
             "references": [evidence("kang2020", ratio, k, "post_hoc", "cRT")]},
            {"name": "tau_normalization",
             "params": {"rule": "w_c / ||w_c||^tau for each class's classifier weights",
                        "tau_search": "0 to 2 in steps of 0.1, chosen on a balanced validation set"},
             "rationale": "rescale the classifier weights by their norms (which grow with the class size); no "
                          "training at all.",
             "references": [evidence("kang2020", ratio, k, "post_hoc", "tau-normalised")]},
        ],
    }


def recommend_recipe(counts: np.ndarray) -> dict:
    """The recipe: ``sampler``, ``loss`` (the same as :func:`recommend_loss`), ``schedule``,
    ``post_hoc``, ``alternatives`` (the re-sampling recipe), ``rationale`` and ``references``."""
    return recommend(counts)[1]


def recommend(counts: np.ndarray) -> tuple[dict, dict]:
    """(:func:`recommend_loss`, :func:`recommend_recipe`) of the counts, decided once."""
    n = np.asarray(counts)
    ratio, k = metrics.imbalance_ratio(n), n.size
    decided = _decide(n)
    loss = decided["loss"]
    balanced = loss["name"] == "ce"
    return loss, {
        "sampler": {"name": "instance", "params": {}},
        "loss": {"name": loss["name"], "params": loss["params"]},
        "schedule": decided["schedule"],
        "post_hoc": None if balanced else _post_hoc(n, ratio, k),
        "alternatives": [] if balanced else [_resampling(n, ratio, k)],
        "rationale": loss["rationale"] if balanced else
        loss["rationale"] + " Instance sampling (plain shuffling): the loss does the re-balancing, once.",
        "references": loss["references"],
    }
