"""Per-class loss weights and the share of the gradient signal each class then gets.

A class with no sample has no defined weight (``inverse`` would be infinite), so every
function here refuses a count below 1 with :class:`~imbalcheck.errors.InputError`
naming the class positions, and so do the loss constructors of
:mod:`imbalcheck.losses`. Counts read by :func:`imbalcheck.profile` never hold zeros:
readers drop zero-count classes with a warning.
"""

from __future__ import annotations

import numpy as np

from .defaults import BETA
from .errors import ConfigError, InputError

SCHEMES = ("ce", "inverse", "sqrt_inverse", "log_inverse", "effective_number")
POS_WEIGHT = "pos_weight"  # the multi-label scheme: see imbalcheck.multilabel.metrics.pos_weight
#: The scales of :func:`class_weights` (``--normalize``): mean weight per labelled sample 1,
#: sum over classes K, or the raw formula.
NORMALIZATIONS = ("samples", "classes", "none")
#: Each scheme's scale as its source defines it.
DEFAULT_NORMALIZATION = {"ce": "none", "inverse": "samples", "sqrt_inverse": "samples", "log_inverse": "none",
                         "effective_number": "classes"}


def positive_counts(counts, where: str = "class_weights") -> np.ndarray:
    """``counts`` as a float64 vector, or :class:`InputError` unless it is a non-empty vector of
    finite counts >= 1."""
    n = np.asarray(counts, dtype=np.float64)
    if n.ndim != 1 or n.size == 0:
        raise InputError(f"{where}: counts must be a non-empty 1-D vector of class sizes, got shape {n.shape}")
    bad = ~np.isfinite(n) | (n < 1)
    if bad.any():
        at = np.flatnonzero(bad)
        raise InputError(f"{where}: class(es) at position {at[:5].tolist()} have {n[at[0]]:g} samples; every class "
                         "needs at least 1 (a weight for a class without samples is undefined): drop those classes")
    return n


def class_weights(counts: np.ndarray, scheme: str, beta: float = BETA, normalize: str | None = None) -> np.ndarray:
    """Per-class weight w_c under a weighting scheme, on the scheme's own scale or on ``normalize``'s.

    Raw formulas (``normalize="none"``):

    ``ce``
        w_c = 1 (plain cross-entropy).
    ``inverse``
        w_c = 1 / n_c.
    ``sqrt_inverse``
        w_c = n_c^(-1/2).
    ``log_inverse``
        w_c = ln(N / n_c).
    ``effective_number``
        w_c = (1 - beta) / (1 - beta^n_c), the inverse effective number of samples
        (Cui et al., "Class-Balanced Loss Based on Effective Number of Samples", CVPR
        2019, eqs. 3 and 6: E_n = (1 - beta^n) / (1 - beta)).

    Scales (``NORMALIZATIONS``): ``samples`` rescales so that the mean weight per
    labelled sample is 1, sum_c n_c w_c = N (scikit-learn's convention:
    ``compute_class_weight("balanced")`` is ``inverse`` on this scale,
    ``sklearn/utils/class_weight.py``); ``classes`` so that sum_c w_c = K (Cui et al.'s
    reference implementation); ``none`` keeps the formula. Each scheme's default
    (``DEFAULT_NORMALIZATION``) is its source's: ``inverse`` and ``sqrt_inverse`` on
    ``samples``, ``effective_number`` on ``classes``, ``log_inverse`` and ``ce`` raw.
    """
    n = positive_counts(counts)
    total, k = n.sum(), n.size
    if scheme not in SCHEMES:
        raise ConfigError(f"unknown weighting scheme {scheme!r}; choose one of {', '.join(SCHEMES)}")
    normalize = DEFAULT_NORMALIZATION[scheme] if normalize is None else str(getattr(normalize, "value", normalize))
    if normalize not in NORMALIZATIONS:
        raise ConfigError(f"unknown normalisation {normalize!r}; choose one of {', '.join(NORMALIZATIONS)}")
    if scheme == "ce":
        raw = np.ones(k)
    elif scheme == "inverse":
        raw = 1.0 / n
    elif scheme == "sqrt_inverse":
        raw = n ** -0.5
    elif scheme == "log_inverse":
        raw = np.log(total / n)
    else:
        if not 0.0 <= beta < 1.0:
            raise ConfigError(f"beta must be in [0, 1), got {beta}; Cui et al. use 0.9, 0.99, 0.999 or 0.9999")
        raw = (1.0 - beta) / -np.expm1(n * np.log(beta)) if beta > 0 else np.ones(k)
    if normalize == "none":
        return raw
    scale = (n * raw).sum() / total if normalize == "samples" else raw.sum() / k
    if scale <= 0:
        raise InputError(f"{scheme} weights are all 0 (one class: ln(N / n) = 0), so they cannot be normalised; "
                         "use --normalize none")
    return raw / scale


def gradient_share(counts: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Class c's share of the gradient signal, p_c w_c / sum_j p_j w_j.

    At initialisation every sample's cross-entropy gradient has about the same size,
    so a class contributes in proportion to how often it is seen times its weight.
    """
    mass = np.asarray(counts, dtype=np.float64) * np.asarray(weights, dtype=np.float64)
    total = mass.sum()
    if total <= 0:  # every weight zero (log_inverse on one class): no class is favoured
        return np.full(mass.size, 1.0 / mass.size)
    return mass / total


def gradient_share_ratio(counts: np.ndarray, weights: np.ndarray) -> float:
    """Largest over smallest gradient share, max_c n_c w_c / min_c n_c w_c.

    Taken from the masses directly (no normalisation in between, so plain
    cross-entropy gives exactly max n / min n). 1.0 when every weight is zero.
    """
    mass = np.asarray(counts, dtype=np.float64) * np.asarray(weights, dtype=np.float64)
    if mass.max() <= 0:
        return 1.0
    low = mass.min()
    return float("inf") if low <= 0 else float(mass.max() / low)
