"""What one mini-batch of a shuffled epoch looks like to each class."""

from __future__ import annotations

import numpy as np

#: Work-array size cap for the log-space product below (unique counts x batch size).
_BLOCK_ELEMENTS = 4_000_000


def expected_per_batch(counts: np.ndarray, batch_size: int) -> np.ndarray:
    """E[samples of class c in a batch] = B * n_c / N: the class's effective batch size."""
    counts = np.asarray(counts, dtype=np.float64)
    return batch_size * counts / counts.sum()


def p_absent_per_batch(counts: np.ndarray, batch_size: int, n_total: int | None = None) -> np.ndarray:
    """P(a batch of B holds no sample of class c) for batches drawn without replacement.

    Exact hypergeometric probability of zero successes,
    P_c = C(N - n_c, B) / C(N, B) = prod_{i=0}^{B-1} (N - n_c - i) / (N - i),
    evaluated as exp(sum_i log1p(-n_c / (N - i))) over the distinct counts only, so a
    million classes cost no more than their distinct sizes. P_c = 0 when N - n_c < B
    (and 1 when n_c = 0). N is the sum of the counts unless ``n_total`` gives it (for
    multi-label data, where a sample counts towards several labels).
    """
    counts = np.asarray(counts, dtype=np.int64)
    n_total = int(counts.sum()) if n_total is None else int(n_total)
    if counts.size == 0:
        return np.zeros(0)
    if not 1 <= batch_size <= n_total:
        raise ValueError(f"batch_size must be in 1..{n_total}")
    uniq, inverse = np.unique(counts, return_inverse=True)
    denom = (n_total - np.arange(batch_size, dtype=np.float64))[None, :]
    out = np.zeros(uniq.size)
    step = max(1, _BLOCK_ELEMENTS // batch_size)
    for start in range(0, uniq.size, step):
        n = uniq[start : start + step].astype(np.float64)[:, None]
        possible = (n_total - n[:, 0]) >= batch_size
        with np.errstate(divide="ignore", invalid="ignore"):
            logp = np.log1p(-n / denom).sum(axis=1)
        out[start : start + step] = np.where(possible, np.exp(logp), 0.0)
    return out[inverse.ravel()]


def batches_between_appearances(p_absent: np.ndarray) -> np.ndarray:
    """Expected number of batches per batch that contains the class: 1 / (1 - P_absent).

    The mean of a geometric distribution with success probability 1 - P_absent
    (treating batches as independent draws).
    """
    return 1.0 / (1.0 - np.asarray(p_absent, dtype=np.float64))
