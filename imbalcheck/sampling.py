"""Re-sampling strategies: the probability that a drawn sample belongs to class c, and
what each strategy does to every class at a batch size.

Counts are the per-class sample counts n_c (all >= 1), N = sum_c n_c, K classes.
Every function is pure numpy over the counts; :func:`plan` gathers one strategy's
figures, :func:`row_weights` turns them into one weight per sample for
``torch.utils.data.WeightedRandomSampler``.

Strategies (``STRATEGIES``):

==================  ==========================================  =================================
name                class probability pi_c                      source
==================  ==========================================  =================================
``instance``        n_c / N (plain shuffling)                   Kang et al. 2020, eq. 1, q = 1
``square_root``     n_c^(1/2) / sum_j n_j^(1/2)                 Kang et al. 2020, eq. 1, q = 1/2
``class_balanced``  1 / K                                       Kang et al. 2020, eq. 1, q = 0
``power``           n_c^q / sum_j n_j^q (``q`` in [0, 1])       Kang et al. 2020, eq. 1
``repeat_factor``   n_c r_c / sum_j n_j r_j,                    Gupta et al. 2019, sec. 4.1
                    r_c = max(1, sqrt(t / f_c)), f_c = n_c / N
``progressive``     (1 - t/T) n_c / N + (t/T) / K               Kang et al. 2020, eq. 2
``undersample``     min(n_c, cap) / sum_j min(n_j, cap)         random under-sampling to a cap
==================  ==========================================  =================================

References: Kang, Xie, Rohrbach, Yan, Gordo, Feng, Kalantidis, "Decoupling Representation
and Classifier for Long-Tailed Recognition", ICLR 2020 (p_j = n_j^q / sum_i n_i^q;
p_j^PB(t) = (1 - t/T) p_j^IB + (t/T) p_j^CB). Gupta, Dollar, Girshick, "LVIS: A Dataset
for Large Vocabulary Instance Segmentation", CVPR 2019 (repeat factor sampling; the
image's factor is the max over its categories, as detectron2's
``RepeatFactorTrainingSampler.repeat_factors_from_category_frequency``).
"""

from __future__ import annotations

import numpy as np

from .errors import ConfigError, InputError

STRATEGIES = ("instance", "square_root", "class_balanced", "repeat_factor", "progressive", "undersample")
#: Every name :func:`plan` takes: the report's strategies and ``power`` (any q).
STRATEGY_NAMES = (*STRATEGIES, "power")
#: Gupta et al.'s repeat-factor threshold (LVIS, and detectron2's default ``REPEAT_THRESHOLD``).
REPEAT_THRESHOLD = 0.001
#: Where the report shows the progressive sampler besides its middle (t/T = 0.5, the top-level figures).
PROGRESSIVE_STAGES = {"start": 0.0, "end": 1.0}
_POWER_OF = {"instance": 1.0, "square_root": 0.5, "class_balanced": 0.0}


def power_probabilities(counts, q: float) -> np.ndarray:
    """pi_c = n_c^q / sum_j n_j^q (Kang et al. 2020, eq. 1): q = 1 instance-balanced,
    q = 1/2 square-root, q = 0 class-balanced sampling."""
    n = np.asarray(counts, dtype=np.float64)
    if q == 0:
        return np.full(n.size, 1.0 / n.size)
    # n^q / sum n^q, computed relative to the largest class so 1e9-sample classes cannot overflow
    w = np.exp(q * (np.log(n) - np.log(n.max())))
    return w / w.sum()


def repeat_factors(fractions, t: float = REPEAT_THRESHOLD) -> np.ndarray:
    """r_c = max(1, sqrt(t / f_c)) (Gupta et al. 2019, sec. 4.1), f_c the fraction of
    samples (images) that contain class c; f_c = 0 gives no factor (NaN)."""
    f = np.asarray(fractions, dtype=np.float64)
    with np.errstate(divide="ignore"):
        return np.where(f > 0, np.maximum(1.0, np.sqrt(t / np.where(f > 0, f, 1.0))), np.nan)


def row_repeat_factors(indptr: np.ndarray, indices: np.ndarray, class_factors: np.ndarray) -> np.ndarray:
    """A sample's repeat factor, r(i) = max over its labels c of r_c (1 for a sample with no
    label, as detectron2's ``max(..., default=1.0)``); ``indptr``/``indices`` are the CSR rows."""
    sizes = np.diff(indptr)
    out = np.ones(sizes.size)
    has = sizes > 0
    if has.any():
        out[has] = np.maximum.reduceat(class_factors[indices], indptr[:-1][has])
    return out


def progressive_probabilities(counts, progress: float) -> np.ndarray:
    """p(t) = (1 - t/T) pi_instance + (t/T) pi_class_balanced (Kang et al. 2020, eq. 2), at
    ``progress`` = t/T in [0, 1]."""
    return (1.0 - progress) * power_probabilities(counts, 1.0) + progress * power_probabilities(counts, 0.0)


def undersampled_counts(counts, cap: int) -> np.ndarray:
    """min(n_c, cap): each class keeps at most ``cap`` samples, drawn at random."""
    n = np.asarray(counts, dtype=np.int64)
    return np.minimum(n, min(int(cap), int(n.max())))


def default_cap(counts) -> int:
    """The median class count (rounded down, at least 1): the ``undersample`` default."""
    return max(1, int(np.median(np.asarray(counts, dtype=np.float64))))


def validate(strategy: str, *, q=None, t=None, cap=None, progress=None) -> dict:
    """The strategy's parameters, validated once (a one-line :class:`ConfigError` otherwise)."""
    strategy = str(getattr(strategy, "value", strategy)).lower()
    if strategy not in STRATEGY_NAMES:
        raise ConfigError(f"unknown sampling strategy {strategy!r}; choose one of {', '.join(STRATEGY_NAMES)}")
    given = {"--q": q, "--t": t, "--cap": cap, "--progress": progress}
    owner = {"--q": "power", "--t": "repeat_factor", "--cap": "undersample", "--progress": "progressive"}
    for option, value in given.items():
        if value is not None and owner[option] != strategy:
            raise ConfigError(f"{option} sets the {owner[option]} strategy; --strategy {strategy} has no such "
                              "parameter: drop it")
    if strategy == "power":
        if q is None:
            raise ConfigError("--strategy power needs --q Q in [0, 1] (1 instance, 0.5 square_root, 0 class_balanced)")
        return {"q": _unit(q, "--q")}
    if strategy == "repeat_factor":
        t = REPEAT_THRESHOLD if t is None else _number(t, "--t")
        if not 0 < t <= 1:
            raise ConfigError(f"--t must be in (0, 1], got {t:g}; Gupta et al. use 0.001")
        return {"t": t}
    if strategy == "undersample":
        if cap is None:
            return {"cap": None}
        number = _number(cap, "--cap")
        if not number.is_integer() or number < 1:
            raise ConfigError(f"--cap must be a whole number of samples >= 1, got {cap!r}")
        return {"cap": int(min(number, 2**62))}  # above any class: nothing is cut
    if strategy == "progressive":
        return {"progress": 0.5 if progress is None else _unit(progress, "--progress")}
    return {}


def _number(value, option: str) -> float:
    if isinstance(value, (bool, np.bool_)):
        raise ConfigError(f"{option} must be a number, got {value!r}")
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{option} must be a number, got {value!r}") from None
    if not np.isfinite(x):
        raise ConfigError(f"{option} must be a finite number, got {value!r}")
    return x


def _unit(value, option: str) -> float:
    x = _number(value, option)
    if not 0.0 <= x <= 1.0:
        raise ConfigError(f"{option} must be in [0, 1], got {value!r}")
    return x


def probabilities(counts, strategy: str, params: dict) -> tuple[np.ndarray, float]:
    """(pi_c, epoch length) of a strategy on single-label counts.

    The epoch length is N, except ``repeat_factor`` (sum_c n_c r_c: each sample is
    repeated r times per epoch, rounded stochastically, as detectron2 does) and
    ``undersample`` (sum_c min(n_c, cap)).
    """
    n = np.asarray(counts, dtype=np.float64)
    if n.size == 0 or (n < 1).any():
        raise InputError("sampling needs at least one class and a count >= 1 for every class")
    total = float(n.sum())
    if strategy in _POWER_OF or strategy == "power":
        return power_probabilities(n, params.get("q", _POWER_OF.get(strategy))), total
    if strategy == "repeat_factor":
        mass = n * repeat_factors(n / total, params["t"])
        return mass / mass.sum(), float(mass.sum())
    if strategy == "progressive":
        return progressive_probabilities(n, params["progress"]), total
    if strategy == "undersample":
        kept = undersampled_counts(n, params["cap"] or default_cap(n)).astype(np.float64)
        return kept / kept.sum(), float(kept.sum())
    raise ConfigError(f"unknown sampling strategy {strategy!r}; choose one of {', '.join(STRATEGY_NAMES)}")


def draws_per_sample(counts, pi: np.ndarray, epoch_length: float) -> np.ndarray:
    """How many times each sample of class c is drawn per epoch on average,
    epoch_length x pi_c / n_c (1 for plain shuffling; the rarest classes' figure is
    the memorisation risk of over-sampling)."""
    return epoch_length * pi / np.asarray(counts, dtype=np.float64)


def distinct_share_with_replacement(counts, pi: np.ndarray, epoch_length: float) -> float:
    """The expected share of the N samples seen at least once when ``epoch_length`` draws are
    made with replacement, sample i of class c with probability pi_c / n_c per draw (what
    ``WeightedRandomSampler(weights, num_samples, replacement=True)`` does with the
    ``sampler`` weights): sum_c n_c (1 - (1 - pi_c / n_c)^L) / N."""
    n = np.asarray(counts, dtype=np.float64)
    with np.errstate(divide="ignore"):  # pi_c / n_c = 1 (one sample in all): seen for sure
        seen = -np.expm1(epoch_length * np.log1p(-pi / n))
    return float((n * seen).sum() / n.sum())


def distinct_share(counts, pi: np.ndarray, epoch_length: float, strategy: str) -> float:
    """The expected share of the N samples seen at least once in an epoch.

    ``instance`` (shuffling) and ``repeat_factor`` (each sample repeated >= 1 times)
    see every sample: 1. ``undersample`` sees the kept samples: epoch_length / N. A
    weighted sampler with replacement draws sample i of class c with probability
    pi_c / n_c per draw, so it is seen with probability 1 - (1 - pi_c / n_c)^L:
    the share is sum_c n_c (1 - (1 - pi_c / n_c)^L) / N.
    """
    if strategy in ("instance", "repeat_factor"):
        return 1.0
    if strategy == "undersample":
        return float(epoch_length / np.asarray(counts, dtype=np.float64).sum())
    return distinct_share_with_replacement(counts, pi, epoch_length)


def expected_per_batch(pi: np.ndarray, batch_size: int) -> np.ndarray:
    """B pi_c: the expected number of class-c samples in a batch of B."""
    return batch_size * pi


def p_absent_per_batch(pi: np.ndarray, batch_size: int) -> np.ndarray:
    """(1 - pi_c)^B: the probability that a batch of B drawn with replacement holds no sample of c."""
    with np.errstate(divide="ignore"):  # pi_c = 1 (one class): log 0, never absent
        return np.exp(batch_size * np.log1p(-np.minimum(pi, 1.0)))


def gradient_share_ratio(pi: np.ndarray) -> float:
    """max_c pi_c / min_c pi_c: under plain cross-entropy a class's share of the gradient
    signal is its share of the drawn samples (see :func:`imbalcheck.weights.gradient_share`)."""
    return float(pi.max() / pi.min())


def class_row_weights(codes: np.ndarray, counts, strategy: str, params: dict) -> tuple[np.ndarray, np.ndarray, float]:
    """(one weight per row, pi_c, epoch length) for single-label rows.

    ``codes`` is each row's class index into ``counts`` (-1 for a missing label). A row of
    class c gets epoch_length x pi_c / n_c, its expected draws per epoch, so the weights
    sum to the epoch length and ``WeightedRandomSampler(weights, num_samples=epoch_length,
    replacement=True)`` draws class c with probability pi_c; a missing label gets 0.
    """
    pi, length = probabilities(counts, strategy, params)
    per_class = draws_per_sample(counts, pi, length)
    codes = np.asarray(codes)
    return np.where(codes >= 0, per_class[np.maximum(codes, 0)], 0.0), pi, length


def multilabel_row_weights(Y, present: np.ndarray, t: float) -> tuple[np.ndarray, np.ndarray]:
    """(one repeat factor per row, r_c) for label sets: f_c = the share of the labelled rows
    whose set holds c, r_c = max(1, sqrt(t / f_c)), a row's factor the max over its labels
    (1 for an empty set), 0 for a row whose label set is missing (``present`` False)."""
    n_rows = Y.shape[0]
    positives = np.bincount(Y.indices, minlength=Y.shape[1]).astype(np.float64)
    r_c = repeat_factors(positives / n_rows, t)
    out = np.zeros(present.size)
    out[present] = row_repeat_factors(Y.indptr, Y.indices, np.nan_to_num(r_c, nan=1.0))
    return out, r_c
