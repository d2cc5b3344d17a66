"""Loss names, their parameters, :func:`build_loss` and :func:`torch_snippet`."""

from __future__ import annotations

from ..errors import ConfigError
from .. import defaults
from ..weights import SCHEMES, class_weights
from ._modules import (
    BalancedSoftmaxLoss,
    ClassBalancedLoss,
    FocalLoss,
    LDAMLoss,
    LogitAdjustedLoss,
    WeightedCrossEntropy,
)

LOSS_NAMES = ("ce", "weighted_ce", "focal", "cb_focal", "ldam_drw", "logit_adjusted", "balanced_softmax")

#: Every parameter each loss accepts, with its default (the reference implementations' defaults).
DEFAULT_PARAMS: dict[str, dict[str, float | str]] = {
    "ce": {},
    "weighted_ce": {"scheme": "inverse", "beta": defaults.BETA},
    "focal": {"gamma": defaults.FOCAL_GAMMA, "scheme": "ce", "beta": defaults.BETA},
    "cb_focal": {"beta": defaults.BETA, "gamma": defaults.CB_FOCAL_GAMMA, "loss_type": "focal"},
    "ldam_drw": {"max_m": defaults.LDAM_MAX_MARGIN, "s": defaults.LDAM_SCALE, "beta": defaults.BETA,
                 "drw_start_fraction": defaults.DRW_START_FRACTION},
    "logit_adjusted": {"tau": defaults.LOGIT_ADJUSTMENT_TAU},
    "balanced_softmax": {},
}

#: Losses whose model needs the cosine head :class:`~imbalcheck.losses.NormedLinear`.
NORMED_HEAD_LOSSES = frozenset({"ldam_drw"})

#: Where DRW switches on by default, as a fraction of training (Cao et al.: epoch 160 of 200).
DRW_SWITCH_FRACTION = defaults.DRW_START_FRACTION

_STR_PARAMS = {"scheme": SCHEMES, "loss_type": ClassBalancedLoss.LOSS_TYPES}


def resolve_params(name: str, params: dict | None = None) -> dict[str, float | str]:
    """The loss's full parameter set: defaults overridden by ``params``, validated and typed.

    Raises :class:`ConfigError` for an unknown loss, an unknown parameter or a bad value.
    """
    if name not in DEFAULT_PARAMS:
        raise ConfigError(f"unknown loss {name!r}; choose one of {', '.join(LOSS_NAMES)}")
    out = dict(DEFAULT_PARAMS[name])
    for key, value in (params or {}).items():
        if key not in out:
            accepted = ", ".join(out) or "no parameters"
            raise ConfigError(f"loss {name!r} does not take parameter {key!r} (it takes {accepted})")
        if key in _STR_PARAMS:
            if value not in _STR_PARAMS[key]:
                raise ConfigError(f"{name}: {key} must be one of {', '.join(_STR_PARAMS[key])}, got {value!r}")
            out[key] = str(value)
        else:
            try:
                out[key] = float(value)
            except (TypeError, ValueError):
                raise ConfigError(f"{name}: {key} must be a number, got {value!r}") from None
    beta = out.get("beta")
    if beta is not None and not 0.0 <= beta < 1.0:
        raise ConfigError(f"{name}: beta must be in [0, 1), got {beta}")
    start = out.get("drw_start_fraction")
    if start is not None and not 0.0 <= start <= 1.0:
        raise ConfigError(f"{name}: drw_start_fraction must be in [0, 1], got {start}")
    return out


#: Keys of :func:`imbalcheck.recipe.recommend_loss` params that are explanations or
#: derived values, not loss parameters: the margin constant C follows from max_m and the
#: counts, the texts describe the method, ``bias_init`` is the model's, not the loss's.
_DESCRIPTIVE_KEYS = frozenset({"C", "margin", "head", "log_prior", "weights", "bias_init"})
_ALIASES = {("ldam_drw", "drw_beta"): "beta"}


def from_recommendation(name, params: dict | None = None) -> tuple[str, dict[str, float | str]]:
    """``(name, params)`` for :func:`build_loss` from a recommendation.

    Accepts ``recommend_loss(counts)`` itself (a dict with ``name`` and ``params``) or
    its name and params. Drops the explanatory and derived keys (``C``, ``margin``,
    ``head``, ``log_prior``, ``weights``, ``bias_init``), renames ``drw_beta`` to ``beta``, and
    validates the rest with :func:`resolve_params` (an unknown key is a ConfigError).
    """
    if isinstance(name, dict):
        name, params = name["name"], name.get("params")
    out = {}
    for key, value in (params or {}).items():
        if key in _DESCRIPTIVE_KEYS:
            continue
        out[_ALIASES.get((name, key), key)] = value
    return name, resolve_params(name, out)


def build_loss(name: str, counts, **params):
    """Build the loss module ``name`` for a counts vector (class id order).

    Names and parameters (defaults in :data:`DEFAULT_PARAMS`):

    ``ce``
        :class:`WeightedCrossEntropy` without weights (plain cross-entropy).
    ``weighted_ce`` (scheme, beta)
        :class:`WeightedCrossEntropy` with ``class_weights(counts, scheme, beta)``.
    ``focal`` (gamma, scheme, beta)
        :class:`FocalLoss`; alpha = ``class_weights(counts, scheme, beta)`` unless scheme is ``ce``.
    ``cb_focal`` (beta, gamma, loss_type)
        :class:`ClassBalancedLoss`.
    ``ldam_drw`` (max_m, s, beta, drw_start_fraction)
        :class:`LDAMLoss` with no weight; ``beta`` and ``drw_start_fraction`` are kept
        as ``loss.drw_beta`` and ``loss.drw_start_fraction``. The caller runs the DRW
        stage: ``loss.weight = drw_weights(counts, step, switch_step, loss.drw_beta)``
        with ``switch_step = int(drw_start_fraction * total)``, and gives the model a
        :class:`NormedLinear` head.
    ``logit_adjusted`` (tau)
        :class:`LogitAdjustedLoss`.
    ``balanced_softmax``
        :class:`BalancedSoftmaxLoss`.
    """
    p = resolve_params(name, params)
    if name == "ce":
        return WeightedCrossEntropy()
    if name == "weighted_ce":
        return WeightedCrossEntropy(weight=class_weights(counts, p["scheme"], p["beta"]))
    if name == "focal":
        alpha = None if p["scheme"] == "ce" else class_weights(counts, p["scheme"], p["beta"])
        return FocalLoss(gamma=p["gamma"], alpha=alpha)
    if name == "cb_focal":
        return ClassBalancedLoss(counts, beta=p["beta"], gamma=p["gamma"], loss_type=p["loss_type"])
    if name == "ldam_drw":
        loss = LDAMLoss(counts, max_m=p["max_m"], s=p["s"])
        loss.drw_beta = p["beta"]
        loss.drw_start_fraction = p["drw_start_fraction"]
        return loss
    if name == "logit_adjusted":
        return LogitAdjustedLoss(counts, tau=p["tau"])
    return BalancedSoftmaxLoss(counts)


_COUNTS_NOTE = "# {var}: training samples per class, indexed by class id (list, numpy array or tensor)"


def torch_snippet(name: str, params: dict | None = None, *, counts_var: str = "counts") -> str:
    """Python source that builds loss ``name`` with exactly these parameters.

    The code assumes a variable named ``counts_var`` holding the per-class training
    counts; running it defines ``criterion`` (move it with ``criterion.to(device)``).
    """
    p = resolve_params(name, params)
    v = counts_var
    note = _COUNTS_NOTE.format(var=v)
    if name == "ce":
        return (
            "from imbalcheck.losses import WeightedCrossEntropy\n\n"
            "criterion = WeightedCrossEntropy()  # plain cross-entropy, as torch.nn.CrossEntropyLoss()\n"
        )
    if name == "weighted_ce":
        return (
            "from imbalcheck.losses import WeightedCrossEntropy\n"
            "from imbalcheck.weights import class_weights\n\n"
            f"{note}\n"
            f"criterion = WeightedCrossEntropy(weight=class_weights({v}, {p['scheme']!r}, beta={p['beta']!r}))\n"
        )
    if name == "focal":
        if p["scheme"] == "ce":
            return (
                "from imbalcheck.losses import FocalLoss\n\n"
                f"criterion = FocalLoss(gamma={p['gamma']!r})\n"
            )
        return (
            "from imbalcheck.losses import FocalLoss\n"
            "from imbalcheck.weights import class_weights\n\n"
            f"{note}\n"
            f"criterion = FocalLoss(gamma={p['gamma']!r}, "
            f"alpha=class_weights({v}, {p['scheme']!r}, beta={p['beta']!r}))\n"
        )
    if name == "cb_focal":
        return (
            "from imbalcheck.losses import ClassBalancedLoss\n\n"
            f"{note}\n"
            f"criterion = ClassBalancedLoss({v}, beta={p['beta']!r}, gamma={p['gamma']!r}, "
            f"loss_type={p['loss_type']!r})\n"
            "# sigmoid/focal types: predict with argmax of the logits\n"
        )
    if name == "ldam_drw":
        return (
            "from imbalcheck.losses import LDAMLoss, NormedLinear, drw_weights\n\n"
            f"{note}\n"
            f"criterion = LDAMLoss({v}, max_m={p['max_m']!r}, s={p['s']!r})\n"
            "# LDAM expects cosine logits: make the model's last layer\n"
            f"#     NormedLinear(in_features, len({v}))\n"
            f"# Deferred re-weighting (DRW) from {p['drw_start_fraction']:.0%} of training on "
            "(Cao et al.: epoch 160 of 200 on CIFAR, 60 of 90 on iNaturalist),\n"
            "# at the start of every epoch:\n"
            f"#     criterion.weight = drw_weights({v}, epoch, switch_step=int({p['drw_start_fraction']!r} * num_epochs),"
            f" beta={p['beta']!r}).to(device)\n"
        )
    if name == "logit_adjusted":
        return (
            "from imbalcheck.losses import LogitAdjustedLoss\n\n"
            f"{note}\n"
            f"criterion = LogitAdjustedLoss({v}, tau={p['tau']!r})\n"
            "# predict with the raw logits (no adjustment at test time)\n"
        )
    return (
        "from imbalcheck.losses import BalancedSoftmaxLoss\n\n"
        f"{note}\n"
        f"criterion = BalancedSoftmaxLoss({v})\n"
        "# predict with the raw logits (no adjustment at test time)\n"
    )
