"""Multi-label split feasibility by iterative stratification.

K. Sechidis, G. Tsoumakas, I. Vlahavas, "On the stratification of multi-label
data", ECML PKDD 2011, LNCS 6913, pp. 145-158, Algorithm 1 ("IterativeStratification"):

1. c_j = |D| r_j, the desired number of samples of subset j, and
   c_j^l = |D^l| r_j, the desired number of positives of label l in subset j.
2. While samples are left: take the label l with the fewest (but at least one)
   remaining positives, ties broken at random; give each of its remaining
   samples, in order, to the subset with the largest c_j^l, ties broken by the
   largest c_j, then at random; after each assignment decrement c_j and c_j^k
   for every label k of the sample.
3. Samples with no label go, in order, to the subset with the largest c_j,
   ties at random (mentioned in the paper's text).

:func:`iterative_stratification` is a numpy implementation that reproduces
``iterstrat.ml_stratifiers.IterativeStratification(labels=Y.astype(bool),
r=np.asarray(fractions), random_state=np.random.RandomState(seed))`` from the
``iterative-stratification`` package sample for sample (same tie-breaking and
random draws; the tests check it), in O(nnz + q^2) instead of O(q n) per label:
each label's samples are assigned in one pass over that label's column, and the
other labels' counters are updated in bulk. The samples are visited in input
order (the package's ``MultilabelStratifiedShuffleSplit`` shuffles them first;
the function itself does not).
"""

from __future__ import annotations

import math

import numpy as np

from ..defaults import SPLIT as DEFAULT_FRACTIONS
from ..errors import ConfigError
from .metrics import csr_parts, label_counts


def split_names(fractions) -> tuple[str, ...]:
    """("train", "val", "test") for three fractions, ("train", "test") for two."""
    return ("train", "val", "test") if len(fractions) == 3 else ("train", "test")


def check_fractions(fractions) -> tuple[float, ...]:
    """2 or 3 fractions in (0, 1) summing to 1, as floats; else :class:`ConfigError`."""
    try:
        parts = tuple(float(f) for f in fractions)
    except (TypeError, ValueError):
        raise ConfigError(f"split {fractions!r}: expected numbers like (0.8, 0.1, 0.1)") from None
    if len(parts) not in (2, 3) or any(not 0 < p < 1 for p in parts) or abs(sum(parts) - 1) > 1e-9:
        raise ConfigError(f"split {fractions!r}: give 2 or 3 fractions in (0, 1) that sum to 1, e.g. 0.8,0.1,0.1")
    return parts


def _csr_parts(Y):
    """:func:`~.metrics.csr_parts` plus the column view: column pointers and the rows of each column, ascending."""
    n, q, indptr, indices = csr_parts(Y)
    by_col = np.argsort(indices.astype(np.uint16) if q <= 1 << 16 else indices, kind="stable")  # rows stay
    # ascending within a column; 16-bit keys take numpy's radix sort
    col_rows = np.repeat(np.arange(n, dtype=np.int32 if n < 2**31 else np.int64), np.diff(indptr))[by_col]
    del by_col
    col_ptr = np.zeros(q + 1, dtype=np.int64)
    np.cumsum(np.bincount(indices, minlength=q), out=col_ptr[1:])
    return n, q, indptr, indices, col_ptr, col_rows


def _gather(indptr: np.ndarray, indices: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(position in ``rows``, label index) of every nonzero in the given rows."""
    lengths = indptr[rows + 1] - indptr[rows]
    total = int(lengths.sum())
    owner = np.repeat(np.arange(rows.size, dtype=np.int64), lengths)
    first = np.repeat(indptr[rows] - np.cumsum(lengths) + lengths, lengths)
    return owner, indices[first + np.arange(total, dtype=np.int64)]


def _decremented(x0: float, m: int) -> float:
    """x0 - 1 - 1 - ... (m times) in float64, bit for bit as m successive subtractions.

    While the running value is >= 1 each subtraction is exact, so those steps are
    taken at once; the rest (a counter driven below zero, where rounding can occur)
    one at a time.
    """
    x = float(x0)
    if m <= 0:
        return x
    s = min(m, int(math.floor(x))) if x >= 1.0 else 0
    x -= s
    for _ in range(m - s):
        x -= 1.0
    return x


_BULK = 64  # a pass over at least this many samples is merged in bulk (:func:`_bulk_pass`)


def _one_at_a_time(col: list, c_folds: list, m: int, rng, chosen: np.ndarray, start: int = 0) -> None:
    """Picks ``start .. m-1`` of a pass one by one (Algorithm 1's inner loop with iterstrat's draws):
    the subset with the largest ``col`` (desired positives of the label), ties by the largest
    ``c_folds`` (desired samples), then ``rng.choice`` over the tied subsets in ascending order."""
    fold_range = range(len(col))
    for pos in range(start, m):
        best = max(col)
        if col.count(best) == 1:
            j = col.index(best)
        else:
            idx = [j for j in fold_range if col[j] == best]
            best_c = max(c_folds[j] for j in idx)
            idx = [j for j in idx if c_folds[j] == best_c]
            j = idx[rng.choice(len(idx))] if len(idx) > 1 else idx[0]
        chosen[pos] = j
        col[j] -= 1.0
        c_folds[j] -= 1.0


def _bulk_pass(col: list, c_folds: list, m: int, rng, chosen: np.ndarray) -> None:
    """The ``m`` picks of one pass at once, identical to :func:`_one_at_a_time` (same draws).

    Subset j's t-th pick of the pass happens at value ``col_j - t``, so a pass is a k-way merge
    of descending sequences: the largest value first, then the largest ``c_j - t``, then
    iterstrat's draw among the subsets still tied. Values >= 1 are exact in float64 (x - t for
    x - t >= 1 needs no rounding), so every pick made at a value >= 1 is sorted at once; the
    rest (fewer than k of them: the values left sum to the picks left) are made one by one.
    """
    k = len(col)
    x0, c0 = np.array(col), np.array(c_folds)
    T = np.where(x0 >= 1.0, np.minimum(np.floor(x0), m), 0).astype(np.int64)
    j_of = np.repeat(np.arange(k), T)
    t_of = np.arange(j_of.size) - np.repeat(np.cumsum(T) - T, T)
    val = x0[j_of] - t_of
    cval = c0[j_of] - t_of
    inexact = np.flatnonzero(cval < 1.0)  # c_j below 1: rounded step by step, as the one-by-one loop does
    cval[inexact] = [_decremented(c0[j], t) for j, t in zip(j_of[inexact].tolist(), t_of[inexact].tolist())]
    order = np.lexsort((-cval, -val))[: m + k]  # stable: tied subsets stay in ascending order
    take = min(m, order.size)
    merged = j_of[order]
    _draw_ties(merged, val[order], cval[order], take, rng)
    chosen[:take] = merged[:take]
    picks = np.bincount(merged[:take], minlength=k).tolist()
    for j in range(k):
        col[j] = col[j] - picks[j]  # exact: every pick here was made at a value >= 1
        c_folds[j] = _decremented(c_folds[j], picks[j])
    if take < m:
        _one_at_a_time(col, c_folds, m, rng, chosen, take)


def _draw_ties(merged: np.ndarray, val: np.ndarray, cval: np.ndarray, take: int, rng) -> None:
    """Order, in place, each run of ``merged`` tied on (value, desired samples) that starts
    before ``take`` as iterstrat's draws do: with g tied subsets (ascending) the next pick is
    ``tied.pop(choice(g))``, then ``tied.pop(choice(g - 1))``, ...; the last needs no draw, and a
    run cut by the end of the pass draws only for its picks. Draws of one range are taken in a
    batch: ``randint(0, g, size=s)`` draws what ``s`` successive ``choice(g)`` calls draw."""
    same = (val[1:] == val[:-1]) & (cval[1:] == cval[:-1])
    if not same[:take].any():
        return
    edge = np.flatnonzero(np.diff(np.r_[0, same.astype(np.int8), 0]))
    starts, sizes = edge[::2], edge[1::2] - edge[::2] + 1
    starts, sizes = starts[starts < take], sizes[starts < take]
    n_draws = np.minimum(sizes - 1, take - starts)
    first = np.cumsum(n_draws) - n_draws
    ranges = np.repeat(sizes, n_draws) - (np.arange(n_draws.sum()) - np.repeat(first, n_draws))
    draws = np.empty(ranges.size, dtype=np.int64)
    cut = np.flatnonzero(np.diff(ranges)) + 1
    for a, b in zip(np.r_[0, cut].tolist(), np.r_[cut, ranges.size].tolist()):
        draws[a:b] = rng.randint(0, int(ranges[a]), size=b - a)
    pair = sizes == 2  # the common case: one draw, which swaps the two or not
    swap = starts[pair][draws[first[pair]] == 1]
    merged[swap], merged[swap + 1] = merged[swap + 1], merged[swap].copy()
    for p, g, f, d in zip(starts[~pair].tolist(), sizes[~pair].tolist(), first[~pair].tolist(),
                          n_draws[~pair].tolist()):
        tied = merged[p : p + g].tolist()
        merged[p : p + g] = [tied.pop(i) for i in draws[f : f + d].tolist()] + tied


def iterative_stratification(Y, fractions=DEFAULT_FRACTIONS, seed: int = 0) -> np.ndarray:
    """The subset (0 .. k-1, in the order of ``fractions``) of every sample under iterative stratification.

    Sechidis et al. 2011, Algorithm 1 (see the module docstring), with ties broken
    by ``np.random.RandomState(seed)`` exactly as ``iterstrat`` does, so the result
    equals ``iterstrat.ml_stratifiers.IterativeStratification(Y.astype(bool),
    np.asarray(fractions), np.random.RandomState(seed))``.

    Parameters
    ----------
    Y : (n, q) indicator matrix (numpy or scipy.sparse, 0/1)
    fractions : 2 or 3 fractions summing to 1, e.g. (0.8, 0.1, 0.1)
    seed : random seed for the tie-breaking draws

    Returns
    -------
    folds : (n,) int64 array
    """
    return assign_subsets(Y, np.asarray(check_fractions(fractions), dtype=np.float64), seed)


def assign_subsets(Y, r: np.ndarray, seed: int = 0) -> np.ndarray:
    """:func:`iterative_stratification` for any number of subsets of sizes ``r`` (summing to 1),
    e.g. k equal folds."""
    rng = np.random.RandomState(seed)
    n, q, indptr, indices, col_ptr, col_rows = _csr_parts(Y)
    k = r.size
    folds = np.zeros(n, dtype=np.int64)
    if n == 0:
        return folds
    c_folds = (r * n).tolist()  # desired samples per subset, decremented one by one
    totals = np.bincount(indices, minlength=q).astype(np.int64)
    desired0 = np.outer(r, totals)  # c_j^l before any assignment
    assigned = np.zeros((k, q), dtype=np.int64)  # positives of l given to j so far
    remaining = totals.copy()
    done = np.zeros(n, dtype=bool)
    fold_range = range(k)

    while True:
        positive = remaining > 0
        if not positive.any():
            break
        fewest = remaining[positive].min()
        tied = np.flatnonzero(remaining == fewest)
        label = int(tied[rng.choice(tied.size)]) if tied.size > 1 else int(tied[0])
        rows = col_rows[col_ptr[label] : col_ptr[label + 1]]
        rows = rows[~done[rows]]
        col = [_decremented(desired0[j, label], int(assigned[j, label])) for j in fold_range]
        chosen = np.empty(rows.size, dtype=np.int64)
        (_bulk_pass if rows.size >= _BULK else _one_at_a_time)(col, c_folds, rows.size, rng, chosen)
        folds[rows] = chosen
        done[rows] = True
        owner, labs = _gather(indptr, indices, rows)
        assigned += np.bincount(chosen[owner] * q + labs, minlength=k * q).reshape(k, q)
        remaining -= np.bincount(labs, minlength=q)

    for i in np.flatnonzero(~done).tolist():  # samples with no label
        best = max(c_folds)
        idx = [j for j in fold_range if c_folds[j] == best]
        j = idx[rng.choice(len(idx))] if len(idx) > 1 else idx[0]
        folds[i] = j
        c_folds[j] -= 1.0
    return folds


def split_label_counts(Y, folds: np.ndarray, n_splits: int) -> np.ndarray:
    """(q, k) int64: positives of each label in each subset."""
    n, q, indptr, indices = csr_parts(Y)
    fold_of_entry = np.repeat(np.asarray(folds, dtype=np.int64), np.diff(indptr))
    flat = np.bincount(indices * n_splits + fold_of_entry, minlength=q * n_splits)
    return flat.reshape(q, n_splits).astype(np.int64)


def min_count_isolated(fractions) -> int:
    """Smallest n for which iterative stratification puts a positive of an isolated label in every subset.

    For a label that shares no sample with another label the algorithm is a
    greedy largest-remaining-quota allocation of its n positives: each goes to
    the subset with the largest r_j n - (given so far). With (0.8, 0.1, 0.1) the
    first 5 of n = 6 go to train (4.8, 3.8, ..., -0.2 stays above 0.6 until the
    fifth), so n = 7 is the first count that reaches all three subsets. Which of
    two tied subsets gets a sample does not change how many subsets are reached,
    so ties are broken by index here. Labels that share samples with rarer labels
    can do better or worse, which is why the report also gives what the split
    actually produced.
    """
    r = check_fractions(fractions)
    k = len(r)
    for n in range(k, 10_000):
        left = [f * n for f in r]
        got = [0] * k
        for _ in range(n):
            j = max(range(k), key=lambda i: (left[i], -i))
            left[j] -= 1.0
            got[j] += 1
        if min(got) >= 1:
            return n
    return 10_000  # pragma: no cover - unreachable for fractions in (0, 1)


def stratification_report(names, Y, fractions=DEFAULT_FRACTIONS, seed: int = 0, folds: np.ndarray | None = None) -> dict:
    """What an iterative-stratification split does to each label.

    Returns the ``stratification`` part of the multi-label JSON section:
    ``impossible_labels`` (1 <= n_l < k: no splitter can put them in all k
    subsets), ``labels_without_positives`` (n_l = 0), ``missing_labels`` (labels
    with positives that the produced split leaves out of at least one subset; a
    superset of ``impossible_labels``), ``feasible`` (no missing label), the
    subset sizes, and ``per_label`` (positives per subset for every label).
    """
    parts = check_fractions(fractions)
    splits = split_names(parts)
    k = len(parts)
    names = [str(x) for x in names]
    if folds is None:
        folds = iterative_stratification(Y, parts, seed)
    per = split_label_counts(Y, folds, k)
    counts = label_counts(Y)
    present = counts > 0
    impossible = present & (counts < k)
    missing = present & (per.min(axis=1) < 1)
    sizes = np.bincount(np.asarray(folds, dtype=np.int64), minlength=k)
    n = int(Y.shape[0])
    return {
        "method": "iterative stratification (Sechidis, Tsoumakas & Vlahavas, ECML PKDD 2011)",
        "equivalent_to": (
            "iterstrat.ml_stratifiers.IterativeStratification(labels=Y.astype(bool), "
            f"r=np.array({list(parts)}), random_state=np.random.RandomState({seed}))"
        ),
        "fractions": list(parts),
        "splits": list(splits),
        "seed": int(seed),
        "feasible": bool(not missing.any()),
        "min_count_required": k,
        "min_count_isolated": min_count_isolated(parts),
        "impossible_labels": [names[i] for i in np.flatnonzero(impossible)],
        "labels_without_positives": [names[i] for i in np.flatnonzero(~present)],
        "missing_labels": [names[i] for i in np.flatnonzero(missing)],
        "split_sizes": dict(zip(splits, sizes.tolist())),
        "desired_sizes": dict(zip(splits, [f * n for f in parts])),
        "per_label": {
            lab: {"split": dict(zip(splits, row)), "in_every_split": bool(row_min >= 1)}
            for lab, row, row_min in zip(names, per.tolist(), per.min(axis=1).tolist())
        },
    }


def fold_report(names, Y, k: int, seed: int = 0) -> dict:
    """Which labels iterative stratification cannot place in every one of ``k`` folds:
    ``{"k", "infeasible_labels", "equivalent_to"}``. The folds are
    :func:`iterative_stratification` with k equal fractions, which is what
    ``iterstrat.ml_stratifiers.MultilabelStratifiedKFold(n_splits=k)`` (no shuffling) assigns as
    test folds with its ``random_state`` set to ``seed`` (after construction: scikit-learn refuses a
    random_state without shuffling, though iterstrat's ties draw from it); a label with positives but no positive in
    some fold is infeasible (every label with fewer than k positives is)."""
    folds = assign_subsets(Y, np.full(k, 1.0 / k), seed)
    per = split_label_counts(Y, folds, k)
    present = label_counts(Y) > 0
    bad = present & (per.min(axis=1) < 1)
    return {"k": int(k), "infeasible_labels": [str(names[i]) for i in np.flatnonzero(bad)],
            "equivalent_to": f"iterstrat.ml_stratifiers.MultilabelStratifiedKFold(n_splits={k}) test folds, "
                             f"with its random_state set to {seed} after construction"}
