"""What to train a multi-label model with: a sampler, a loss with its exact parameters, the
options for a model already trained with plain binary cross-entropy, and the published
evidence of each method. The multi-label counterpart of :mod:`imbalcheck.recipe`.

Figures (:mod:`.metrics`): q labels, N samples, n_l the positives of label l,
pos_weight_l = (N - n_l) / n_l, f_l = n_l / N, MaxIR and MeanIR (Charte et al. 2015) over the
labels that occur, and density = sum_l n_l / (N q). Decision rule, the first row that holds:

===========================  =============  ============================  ======================================
condition                    sampler        loss                          evidence (what, where it was read)
===========================  =============  ============================  ======================================
every label within 1.5:1     instance       bce                           balanced: nothing is needed
positives to negatives
(so MaxIR <= 1.5)
some label in fewer than     repeat_factor  bce (plain: the sampler       Gupta et al. 2019 (LVIS):
t = 0.001 of the samples     (t = 0.001)    re-balances, once)            r_c = max(1, sqrt(t / f_c)), t = 0.001
(f_l < t)                                                                 (official detectron2 code, LVIS configs)
density < 0.05 and q >= 20   instance       asymmetric (gamma_neg 4,      Ben-Baruch, Ridnik et al. 2021: the
                                            gamma_pos 0, clip 0.05)       official MS-COCO training script
                                                                          (Alibaba-MIIL/ASL train.py)
otherwise                    instance       bce_pos_weight ((N - n_l) /   PyTorch's BCEWithLogitsLoss
                                            n_l per label, capped at      documentation
                                            100; None for a label with
                                            no positive)
===========================  =============  ============================  ======================================

Why these rows
--------------
* Balanced. Each output of a multi-label model is its own binary problem, so the measure that
  matters to binary cross-entropy is each label's positives-to-negatives ratio
  max(n_l, N - n_l) / min(n_l, N - n_l); a binary problem within 1.5:1 is balanced, the bound
  :data:`imbalcheck.recipe.BALANCED_RATIO` the single-label recipe uses. Labels within
  [0.4 N, 0.6 N] have a MaxIR of at most 1.5 too. A label positive in every sample (nothing to
  learn) or in none (pos_weight None) is left out of this test and named in the rationale.
* Repeat-factor sampling. Gupta et al. repeat an image by r(I) = max over its labels of
  r_c = max(1, sqrt(t / f_c)) with t = 0.001, so only labels in fewer than t of the images are
  touched (r_c = 1 at f_c = t exactly); :func:`imbalcheck.sampling.repeat_factors` is the same
  formula the multi-label sampler uses, and the rule fires exactly when it would repeat a
  sample. Such a label would need pos_weight > (1 - t) / t = 999, ten times the cap below: the
  loss cannot correct it without extreme weights, the sampler can (mildly: the square root).
* Asymmetric loss. ASL's premise is "a picture contains on average few positive labels, and
  many negative ones" (the paper's abstract): one loss for all labels that down-weights easy
  negatives (gamma_neg 4), discards the easiest (probability margin 0.05) and keeps positives
  at plain cross-entropy (gamma_pos 0), the settings of the official MS-COCO training script
  (80 labels). density < 0.05 is more than 19 negative label slots per positive one; q >= 20
  (Pascal-VOC's 20 object categories, one of ASL's benchmarks; a data-set fact) keeps the loss
  to many-label problems, where one global loss replaces a long vector of per-label weights.
  Both thresholds are this project's choices: no stored source compares ASL with pos_weight,
  and ASL's own comparison with cross-entropy and focal loss could not be read (see
  ``benbaruch2021`` in :mod:`imbalcheck.references`).
* pos_weight. ``BCEWithLogitsLoss(pos_weight=...)`` with negatives / positives per label
  weighs each label's positives as much as its negatives; PyTorch's documentation: "The loss
  would act as if the dataset contains 3 x 100 = 300 positive examples" (pos_weight 3), i.e. a
  weight is a repeat count of every positive in the loss.

The pos_weight cap
------------------
A label in 3 of 1,000 samples gets (1000 - 3) / 3 = 332.3: each of its 3 positives counts as
332 copies, which the network can memorise as surely as 332 real repeats (and its gradient
arrives in spikes, in the few batches that hold one of them). The cap is the bound the project
already puts on repeating one sample, :data:`imbalcheck.recipe.MAX_DRAWS_PER_SAMPLE` = 100
(beyond it the single-label re-sampling alternative switches from progressive sampling, which
ends class-balanced, to the milder square-root sampling), so a positive counts at most 100
times; it binds for labels in fewer than N / 101 samples, and the labels it caps are named. A fixed bound rather than a percentile (e.g. the 99th of the weights): a
percentile depends on the other labels (with 3 labels it is nearly the maximum) and would move
a label's weight when unrelated labels are added. No stored source gives a bound: PyTorch's
documentation sets none, and the cap is this project's choice.

Never correct twice: ``bce_pos_weight``, ``asymmetric`` and ``focal`` re-weight the loss, so
they are paired with ``instance`` sampling only; ``repeat_factor`` sampling is paired with plain
``bce`` only (also in ``alternatives``). For a model already trained with plain BCE
(``post_hoc``): one decision threshold per label, tuned on validation data to maximise that
label's F1 (Lipton et al. 2014: with calibrated outputs the F1-optimal threshold is half the
best F1, below 0.5 unless the label is predicted perfectly). The figures behind every row are
in :mod:`imbalcheck.references`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import recipe as single
from .. import sampling
from ..defaults import FOCAL_GAMMA
from ..errors import InputError
from . import metrics

#: A binary problem within this ratio (either way) is balanced (the single-label recipe's bound).
BALANCED_RATIO = single.BALANCED_RATIO
#: Below this density (more than 19 negative label slots per positive) with many labels: ASL.
SPARSE_DENSITY = 0.05
#: ... and at least this many labels (Pascal-VOC's 20 categories, one of ASL's benchmarks).
MANY_LABELS = 20
#: The largest pos_weight: the project's bound on repeating one sample (see the module docstring).
POS_WEIGHT_CAP = single.MAX_DRAWS_PER_SAMPLE
#: Gupta et al.'s repeat-factor threshold t.
REPEAT_THRESHOLD = sampling.REPEAT_THRESHOLD
#: Alibaba-MIIL/ASL train.py: AsymmetricLoss(gamma_neg=4, gamma_pos=0, clip=0.05).
ASL_GAMMA_NEG = 4.0
ASL_GAMMA_POS = 0.0
ASL_CLIP = 0.05
#: Lin et al. 2017, sec. 5.1: gamma 2 with alpha .25 (alpha weighs the positives).
FOCAL_ALPHA = 0.25
#: Losses that re-weight by themselves: never paired with a re-balancing sampler.
REWEIGHTING_LOSSES = frozenset({"bce_pos_weight", "asymmetric", "focal"})
#: How many label names a rationale lists before it says "and n more".
MAX_NAMED = 20


class _Figures(NamedTuple):
    n: np.ndarray  # positives per label (int64)
    total: int  # N, the samples
    names: list[str]
    present: np.ndarray  # n_l > 0
    constant: np.ndarray  # n_l == N
    pos_weight: np.ndarray  # (N - n_l) / n_l, NaN where n_l == 0
    fraction: np.ndarray  # f_l = n_l / N
    repeat: np.ndarray  # r_l = max(1, sqrt(t / f_l)), NaN where n_l == 0
    max_ir: float
    mean_ir: float
    density: float
    neg_pos: float  # negative label slots per positive one, over all N q slots


def recommend_multilabel(counts: np.ndarray, n_samples: int, names: list[str]) -> dict:
    """The training recipe for multi-label data from its per-label positive counts.

    Parameters
    ----------
    counts : array of int, shape (q,)
        n_l, the number of samples in which label l is positive (:func:`.metrics.label_counts`),
        in the order of the model's outputs. Zeros are allowed.
    n_samples : int
        N, the number of samples (a sample without any label is a negative of every label).
    names : list of str
        The label names, one per count.

    Returns
    -------
    dict
        Shaped like :func:`imbalcheck.recipe.recommend_recipe`:

        ``sampler``
            ``{"name": "instance" | "repeat_factor", "params": {} | {"t": 0.001}}``.
        ``loss``
            ``{"name", "params"}``, name one of ``bce``, ``bce_pos_weight`` (params
            ``pos_weight``: a list aligned with ``names``, None for a label with no positive;
            ``cap``; ``capped``: the labels the cap lowered; ``formula``), ``asymmetric``
            (``gamma_neg``, ``gamma_pos``, ``clip``).
        ``schedule``
            None (no rule here needs one).
        ``post_hoc``
            None for balanced data, else ``{"applies_to", "options"}``: per-label decision
            thresholds for a model trained with plain BCE.
        ``alternatives``
            List of ``{"sampler", "loss", "rationale", "references"}``; never a re-weighting
            loss with ``repeat_factor`` sampling.
        ``rationale``
            One paragraph with the figures: MaxIR, MeanIR, density, the largest pos_weight,
            and the labels without positives, capped or repeated.
        ``references``
            ``{"key", "citation", "url", "evidence"}`` of the recommended method, as
            :func:`imbalcheck.recipe.evidence` returns them.

    Raises
    ------
    InputError
        If ``counts`` is not a vector of integers in [0, N], ``names`` does not match it,
        or ``n_samples`` is not a positive integer.

    Notes
    -----
    The decision table and the reasons for each threshold and for the pos_weight cap are
    in the module docstring.

    Examples
    --------
    >>> rec = recommend_multilabel(np.array([900, 50, 3]), 1000, ["a", "b", "c"])
    >>> rec["sampler"]["name"], rec["loss"]["name"]
    ('instance', 'bce_pos_weight')
    >>> [round(w, 4) for w in rec["loss"]["params"]["pos_weight"]], rec["loss"]["params"]["capped"]
    ([0.1111, 19.0, 100.0], ['c'])
    """
    fig = _figures(counts, n_samples, names)
    if not fig.present.any():
        return _recipe(_instance(), _loss("bce"), None, [],
                       f"no label has a positive sample among the {fig.total:,} samples: there is nothing to "
                       f"learn{_absent_text(fig)}. Plain binary cross-entropy; check the label column.", [])
    figures = _figures_text(fig)
    if not (fig.present & ~fig.constant).any():
        return _recipe(_instance(), _loss("bce"), None, [],
                       f"{figures}. No label is positive in some samples and negative in others: there is nothing "
                       "to learn and nothing to balance. Plain binary cross-entropy; check the label column.", [])
    if _balanced(fig):
        return _recipe(_instance(), _loss("bce"), None, [],
                       f"{figures}. Every label is within {BALANCED_RATIO:g}:1 positives to negatives: the labels are "
                       "balanced; instance sampling and plain binary cross-entropy, nothing is needed.", [])
    post_hoc = _post_hoc(fig)
    if (fig.repeat[fig.present] > 1.0).any():
        rare = np.flatnonzero(fig.present & (fig.repeat > 1.0))
        top = int(rare[np.argmax(fig.repeat[rare])])
        why = (f"{figures}. {_count(rare.size, 'label')} in fewer than t = {REPEAT_THRESHOLD:g} of the samples "
               f"({_names(fig, rare)}): repeat-factor sampling repeats each sample r(I) = max over its labels of "
               f"r_c = max(1, sqrt(t / f_c)) times per epoch (stochastic rounding), at most {fig.repeat[top]:.3g}x ({fig.names[top]!r}, "
               f"{int(fig.n[top]):,} of {fig.total:,} samples), with plain binary cross-entropy: pos_weight would "
               f"correct the same labels a second time, and for them it would exceed "
               f"{(1 - REPEAT_THRESHOLD) / REPEAT_THRESHOLD:,.0f}.")
        return _recipe({"name": "repeat_factor", "params": {"t": REPEAT_THRESHOLD}}, _loss("bce"), post_hoc,
                       [_alt_pos_weight(fig), _alt_asymmetric(fig)], why, [_ref("gupta2019", fig)])
    if fig.density < SPARSE_DENSITY and fig.n.size >= MANY_LABELS:
        why = (f"{figures}. Sparse labels over many outputs (density < {SPARSE_DENSITY:g}, at least {MANY_LABELS} "
               f"labels): the asymmetric loss down-weights the easy negatives that dominate the gradient "
               f"(gamma_neg {ASL_GAMMA_NEG:g}), discards the easiest (probability margin {ASL_CLIP:g}) and keeps "
               f"positives at plain cross-entropy (gamma_pos {ASL_GAMMA_POS:g}), as the official MS-COCO training "
               "script does. Instance sampling: the loss does the re-balancing, once.")
        return _recipe(_instance(), _asymmetric(), post_hoc, [_alt_pos_weight(fig), _alt_focal(fig)], why,
                       [_ref("benbaruch2021", fig)])
    capped = _capped(fig)
    cap_text = (f"; capped at {POS_WEIGHT_CAP:g} for {_names(fig, capped)} (raw up to "
                f"{np.nanmax(fig.pos_weight):,.2f}; a positive then counts at most {POS_WEIGHT_CAP:g} times)"
                if capped.size else "")
    why = (f"{figures}. Binary cross-entropy with pos_weight_l = (N - n_l) / n_l weighs each label's positives as "
           f"much as its negatives{cap_text}. Instance sampling: the loss does the re-balancing, once.")
    return _recipe(_instance(), {"name": "bce_pos_weight", "params": _pos_weight_params(fig)}, post_hoc,
                   [_alt_focal(fig), _alt_asymmetric(fig)], why, [_ref("pytorch_bce_pos_weight", fig)])


# -- figures -------------------------------------------------------------------------------------


def _figures(counts, n_samples, names) -> _Figures:
    raw = np.asarray(counts)
    if raw.ndim != 1 or raw.size == 0:
        raise InputError(f"counts must be a non-empty vector of per-label positives, got shape {raw.shape}")
    if raw.dtype.kind not in "iu" and not (raw.dtype.kind == "f" and np.all(np.isfinite(raw)) and
                                           np.all(raw == np.round(raw))):
        raise InputError("counts must be integers (positives per label)")
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)) or n_samples < 1:
        raise InputError(f"n_samples must be an integer >= 1, got {n_samples!r}")
    n = raw.astype(np.int64)
    total = int(n_samples)
    if (n < 0).any() or (n > total).any():
        raise InputError(f"every count must be in [0, n_samples = {total}], got {n.min()} to {n.max()}")
    names = [str(x) for x in names]
    if len(names) != n.size:
        raise InputError(f"{len(names)} label names for {n.size} counts; give one name per count")
    if len(set(names)) != len(names):
        raise InputError("label names must be unique")
    present = n > 0
    fraction = n / total
    slots, positives = total * n.size, int(n.sum())
    return _Figures(
        n=n, total=total, names=names, present=present, constant=n == total,
        pos_weight=np.where(present, metrics.pos_weight(n, total), np.nan),
        fraction=fraction, repeat=sampling.repeat_factors(fraction, REPEAT_THRESHOLD),
        max_ir=metrics.max_ir(n), mean_ir=metrics.mean_ir(n), density=positives / slots,
        neg_pos=(slots - positives) / positives if positives else float("nan"),
    )


def _balanced(fig: _Figures) -> bool:
    """Every label that occurs and is not constant within 1.5:1 positives to negatives (either way);
    their counts then lie in [0.4 N, 0.6 N], so their MaxIR is at most 1.5 too."""
    learnable = fig.present & ~fig.constant
    pos, neg = fig.n[learnable], fig.total - fig.n[learnable]
    return bool((np.maximum(pos, neg) <= BALANCED_RATIO * np.minimum(pos, neg)).all())


def _count(k: int, word: str) -> str:
    return f"{k:,} {word}{'' if k == 1 else 's'}"


def _names(fig: _Figures, idx: np.ndarray) -> str:
    shown = ", ".join(repr(fig.names[i]) for i in idx[:MAX_NAMED].tolist())
    return shown + (f" and {idx.size - MAX_NAMED:,} more" if idx.size > MAX_NAMED else "")


def _absent_text(fig: _Figures) -> str:
    absent = np.flatnonzero(~fig.present)
    if not absent.size:
        return ""
    verb = "gets" if absent.size == 1 else "get"
    return (f"; {_count(absent.size, 'label')} with no positive sample {verb} no pos_weight (None) and cannot be "
            f"learned: {_names(fig, absent)}")


def _figures_text(fig: _Figures) -> str:
    pw = np.where(fig.present, fig.pos_weight, -np.inf)
    top = int(np.argmax(pw))
    constant = np.flatnonzero(fig.constant)
    always = (f"; {_count(constant.size, 'label')} positive in every sample (nothing to learn, pos_weight 0): "
              f"{_names(fig, constant)}" if constant.size else "")
    return (f"{_count(fig.n.size, 'label')} over {fig.total:,} samples: MaxIR {fig.max_ir:,.2f}, MeanIR "
            f"{fig.mean_ir:,.2f}, density {fig.density:.4g} ({fig.neg_pos:,.1f} negative label slots per positive), "
            f"largest pos_weight {fig.pos_weight[top]:,.2f} ({fig.names[top]!r}, {int(fig.n[top]):,} positives)"
            f"{_absent_text(fig)}{always}")


# -- the recipe's parts ----------------------------------------------------------------------------

def _instance() -> dict:
    return {"name": "instance", "params": {}}


def _loss(name: str) -> dict:
    return {"name": name, "params": {}}


def _asymmetric() -> dict:
    return {"name": "asymmetric", "params": {"gamma_neg": ASL_GAMMA_NEG, "gamma_pos": ASL_GAMMA_POS, "clip": ASL_CLIP}}


def _capped(fig: _Figures) -> np.ndarray:
    """Indices of the labels whose pos_weight the cap lowers."""
    return np.flatnonzero(fig.present & (np.nan_to_num(fig.pos_weight) > POS_WEIGHT_CAP))


def _pos_weight_params(fig: _Figures) -> dict:
    capped = _capped(fig)
    values = np.minimum(fig.pos_weight, POS_WEIGHT_CAP)
    return {"pos_weight": [float(v) if ok else None for v, ok in zip(values.tolist(), fig.present.tolist())],
            "cap": float(POS_WEIGHT_CAP), "capped": [fig.names[i] for i in capped.tolist()],
            "formula": f"(N - n_l) / n_l, at most {POS_WEIGHT_CAP:g}; None for a label with no positive sample"}


def _ref(key: str, fig: _Figures, kind: str = "loss", method: str = "") -> dict:
    """:func:`imbalcheck.recipe.evidence`, matched on the negatives-per-positive ratio and q."""
    return single.evidence(key, fig.neg_pos, fig.n.size, kind, method)


def _alt_pos_weight(fig: _Figures) -> dict:
    return {"sampler": _instance(), "loss": {"name": "bce_pos_weight", "params": _pos_weight_params(fig)},
            "rationale": (f"binary cross-entropy with pos_weight_l = (N - n_l) / n_l (at most {POS_WEIGHT_CAP:g}) "
                          "and plain shuffling: the loss re-weights each label instead of the sampler repeating "
                          "samples (never both)."),
            "references": [_ref("pytorch_bce_pos_weight", fig)]}


def _alt_asymmetric(fig: _Figures) -> dict:
    return {"sampler": _instance(), "loss": _asymmetric(),
            "rationale": (f"the asymmetric loss (gamma_neg {ASL_GAMMA_NEG:g}, gamma_pos {ASL_GAMMA_POS:g}, clip "
                          f"{ASL_CLIP:g}) with plain shuffling: one loss for all labels that down-weights easy "
                          f"negatives; made for sparse labels (here density {fig.density:.4g})."),
            "references": [_ref("benbaruch2021", fig)]}


def _alt_focal(fig: _Figures) -> dict:
    return {"sampler": _instance(), "loss": {"name": "focal", "params": {"gamma": FOCAL_GAMMA,
                                                                            "alpha": FOCAL_ALPHA}},
            "rationale": (f"sigmoid focal loss (gamma {FOCAL_GAMMA:g}, alpha {FOCAL_ALPHA:g}: RetinaNet's setting, "
                          "measured on dense detection, not on multi-label classification) with plain shuffling: "
                          "it down-weights easy positives and negatives alike."),
            "references": [_ref("lin2017", fig)]}


def _post_hoc(fig: _Figures) -> dict:
    return {
        "applies_to": "a model already trained with plain binary cross-entropy (no pos_weight) and instance sampling",
        "options": [
            {"name": "per_label_thresholds",
             "params": {"rule": "predict label l when sigmoid(z_l) >= tau_l, tau_l chosen per label to maximise "
                                "that label's F1 on validation data",
                        "search": "the label's distinct validation scores (or a grid over (0, 1))",
                        "fallback": "0.5 for a label without a positive in the validation data"},
             "rationale": ("tune one decision threshold per label on held-out data, never on the training data: "
                           "macro-F1 is the mean of the per-label F1s, so each label's threshold maximises its "
                           "own term, and with calibrated outputs the F1-optimal threshold is half the best F1, "
                           "below 0.5 unless the label is predicted perfectly; no retraining."),
             "references": [_ref("lipton2014", fig, "post_hoc")]},
        ],
    }


def _recipe(sampler: dict, loss: dict, post_hoc, alternatives: list, rationale: str, references: list) -> dict:
    for pair in [(sampler, loss), *((a["sampler"], a["loss"]) for a in alternatives)]:
        if pair[0]["name"] != "instance" and pair[1]["name"] in REWEIGHTING_LOSSES:  # never correct twice
            raise AssertionError(f"{pair[1]['name']} paired with {pair[0]['name']} sampling")
    return {"sampler": sampler, "loss": loss, "schedule": None, "post_hoc": post_hoc,
            "alternatives": alternatives, "rationale": rationale, "references": references}
