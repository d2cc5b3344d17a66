"""The cross-entropy levels at which training on a skewed distribution stalls.

Cross-entropy starts at ln K (uniform prediction). A model that predicts only the
label frequencies sits at the prior entropy H = -sum_c p_c ln p_c. A model that
classifies the k most frequent classes perfectly and knows only the frequencies
of the rest sits at

    L_k = -sum_{c not in top k} p_c ln(p_c / R_k),   R_k = sum_{c not in top k} p_c,

because it must put probability 1 on a recognised head sample (loss 0) and can
at best spread the remaining samples by their conditional frequency p_c / R_k.
L_0 = H and L_K = 0; the rungs in between tell what a stalled loss means.
"""

from __future__ import annotations

import math

import numpy as np

LADDER_K = (1, 5, 10, 20, 50, 100)


def initial_loss(n_classes: int) -> float:
    """ln K: cross-entropy of the uniform prediction at initialisation."""
    return math.log(n_classes)


def ladder_loss(counts: np.ndarray, top_k: int) -> float:
    """L_k (see the module docstring) for a descending or unsorted counts vector."""
    p = np.sort(np.asarray(counts, dtype=np.float64))[::-1]
    p = p / p.sum()
    rest = p[top_k:]
    r = rest.sum()
    if r <= 0:
        return 0.0
    return float(-(rest * np.log(rest / r)).sum())


def ladder(counts: np.ndarray, ks: tuple[int, ...] = LADDER_K) -> list[dict[str, float]]:
    """The rungs ``{"top_k": k, "loss": L_k}`` for each k < K."""
    k_all = np.asarray(counts).size
    return [{"top_k": k, "loss": ladder_loss(counts, k)} for k in ks if k < k_all]


def nearest_rung(loss: float, rungs: list[dict[str, float]], prior: float, initial: float) -> dict:
    """The named level closest to an observed loss, and how far it is (nats).

    Candidates are the initial loss (``top_k`` None, "nothing learned"), the prior
    (``top_k`` 0, "label frequencies only") and each ladder rung.
    """
    candidates = [{"top_k": None, "loss": initial}, {"top_k": 0, "loss": prior}, *rungs]
    best = min(candidates, key=lambda r: abs(r["loss"] - loss))
    return {**best, "distance": abs(best["loss"] - loss)}
