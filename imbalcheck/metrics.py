"""Distribution metrics: pure functions over a counts vector.

Every function takes ``counts``, a 1-D array of positive integers (one entry per
class, any order) and returns plain Python numbers. Callers validate input at the
boundary (:class:`imbalcheck.counts.Counts`); nothing here reads files.
"""

from __future__ import annotations

import math

import numpy as np

#: Long-tail bucket boundaries (Liu et al., "Large-Scale Long-Tailed Recognition in
#: an Open World", CVPR 2019; also used by Cao et al. 2019): many-shot > 100,
#: medium-shot 20..100, few-shot < 20 training samples.
MANY_SHOT_ABOVE = 100
FEW_SHOT_BELOW = 20


def shares(counts: np.ndarray) -> np.ndarray:
    """p_c = n_c / N."""
    counts = np.asarray(counts, dtype=np.float64)
    return counts / counts.sum()


def imbalance_ratio(counts: np.ndarray) -> float:
    """max_c n_c / min_c n_c (1.0 for a single class)."""
    counts = np.asarray(counts)
    return float(counts.max() / counts.min())


def max_median_ratio(counts: np.ndarray) -> float:
    """max_c n_c / median_c n_c: less sensitive than the imbalance ratio to a few singletons."""
    counts = np.asarray(counts)
    return float(counts.max() / np.median(counts))


def top_k_share(counts: np.ndarray, k: int) -> float:
    """Share of all samples held by the k largest classes (1.0 when k >= K)."""
    if k < 1:
        raise ValueError("k must be >= 1")
    counts = np.asarray(counts)
    k = min(k, counts.size)
    top = np.partition(counts, counts.size - k)[counts.size - k :]
    return float(top.sum() / counts.sum())


def entropy(counts: np.ndarray) -> float:
    """Shannon entropy in nats, H = -sum_c p_c ln p_c."""
    p = shares(counts)
    return float(-(p * np.log(p)).sum()) + 0.0  # + 0.0: no "-0.0" for a single class


def evenness(counts: np.ndarray) -> float:
    """Pielou's evenness J = H / ln K (Pielou 1966); 1.0 by convention for K = 1.

    Clipped to [0, 1]: for equal counts H and ln K agree only up to rounding.
    """
    k = np.asarray(counts).size
    return 1.0 if k == 1 else min(1.0, entropy(counts) / math.log(k))


def effective_num_classes(counts: np.ndarray) -> float:
    """exp(H): the number of equally frequent classes with the same entropy (Hill number of order 1)."""
    return math.exp(entropy(counts))


def gini(counts: np.ndarray) -> float:
    """Gini coefficient G = sum_i sum_j |n_i - n_j| / (2 K^2 mean(n)).

    Computed in O(K log K) from the sorted counts x_(1) <= ... <= x_(K):
    G = sum_i (2i - K - 1) x_(i) / (K sum_i x_i). 0 for equal counts, -> 1 - 1/K at most.
    """
    x = np.sort(np.asarray(counts, dtype=np.float64))
    k = x.size
    i = np.arange(1, k + 1, dtype=np.float64)
    return float(((2 * i - k - 1) * x).sum() / (k * x.sum()))


def bucket_of(counts: np.ndarray) -> np.ndarray:
    """Per-class bucket name: ``many`` (> 100), ``medium`` (20..100) or ``few`` (< 20)."""
    counts = np.asarray(counts)
    return np.where(counts > MANY_SHOT_ABOVE, "many", np.where(counts >= FEW_SHOT_BELOW, "medium", "few"))


def buckets(counts: np.ndarray) -> dict[str, dict[str, float]]:
    """Classes and samples per many/medium/few-shot bucket, with the sample share."""
    counts = np.asarray(counts)
    names = bucket_of(counts)
    total = counts.sum()
    out = {}
    for name in ("many", "medium", "few"):
        sel = names == name
        n = int(counts[sel].sum())
        out[name] = {"classes": int(sel.sum()), "samples": n, "share": float(n / total)}
    return out
