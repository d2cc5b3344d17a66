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
random draws; the tests check it). It walks the distinct label sets
(:class:`~.setrows.SetRows`), not the samples: a label's pass takes every sample of
every set that carries the label and is not yet assigned, so the state (which
samples are left, how many positives each subset got) is per set, and the samples
count only for their order within a pass. A pass's picks, one subset per position,
are a merge of arithmetic sequences (:func:`_bulk_pass`), and each set gets the
picks at its samples' positions. The samples are visited in input order (the
package's ``MultilabelStratifiedShuffleSplit`` shuffles them first; the function
itself does not).
"""

from __future__ import annotations

import math

import numpy as np

from ..defaults import SPLIT as DEFAULT_FRACTIONS
from ..errors import ConfigError
from .metrics import label_sets
from .setrows import SetRows, grouped, ranges


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
_LEVELS = 4096  # ... and from this many on level by level (:func:`_merge_by_level`), without a sort


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
    x - t >= 1 needs no rounding), so every pick made at a value >= 1 is merged at once
    (:func:`_merge_by_level`, or a sort when some ``c_j - t`` falls below 1); the rest (fewer
    than k of them: the values left sum to the picks left) are made one by one.
    """
    k = len(col)
    x0, c0 = np.array(col), np.array(c_folds)
    T = np.where(x0 >= 1.0, np.minimum(np.floor(x0), m), 0).astype(np.int64)
    merged = _merge_by_level(col, c_folds, T.tolist(), m + k) if m >= _LEVELS else None
    if merged is not None:
        merged, same = merged
    else:
        j_of = np.repeat(np.arange(k), T)
        t_of = np.arange(j_of.size) - np.repeat(np.cumsum(T) - T, T)
        val = x0[j_of] - t_of
        cval = c0[j_of] - t_of
        inexact = np.flatnonzero(cval < 1.0)  # c_j below 1: rounded step by step, as the one-by-one loop does
        cval[inexact] = [_decremented(c0[j], t) for j, t in zip(j_of[inexact].tolist(), t_of[inexact].tolist())]
        order = np.lexsort((-cval, -val))[: m + k]  # stable: tied subsets stay in ascending order
        merged, val, cval = j_of[order], val[order], cval[order]
        same = (val[1:] == val[:-1]) & (cval[1:] == cval[:-1])
    take = min(m, merged.size)
    _draw_ties(merged, same, take, rng)
    chosen[:take] = merged[:take]
    picks = np.bincount(merged[:take], minlength=k).tolist()
    for j in range(k):
        col[j] = col[j] - picks[j]  # exact: every pick here was made at a value >= 1
        c_folds[j] = _decremented(c_folds[j], picks[j])
    if take < m:
        _one_at_a_time(col, c_folds, m, rng, chosen, take)


def _merge_by_level(col: list, c_folds: list, T: list, limit: int):
    """The first ``limit`` picks of :func:`_bulk_pass`'s merge, ``(merged, same)`` (``same[p]``: picks
    p and p + 1 are tied), without sorting; None when some ``c_j - t`` of a pick is below 1 (inexact).

    Write ``col_j = f_j + v_j`` (f_j its integer part, v_j in [0, 1)): subset j's picks are at the
    levels f_j, f_j - 1, ..., f_j - T_j + 1 with the same fraction v_j, and at one level two
    subsets' ``c - t`` differ by (c_i - f_i) - (c_j - f_j) whatever the level. So the merge goes
    level by level, downwards, and within a level always in one order: v descending, then
    c - f descending (exact), then ascending j; subsets equal on both are tied. Between two levels
    where a subset starts or stops, every level holds the same subsets: one pattern, repeated.
    """
    live = [j for j in range(len(col)) if T[j] > 0]
    if not live or any(c_folds[j] - (T[j] - 1) < 1.0 for j in live):
        return None
    f = {j: math.floor(col[j]) for j in live}
    v = _exact_differences([col[j] for j in live], [f[j] for j in live])
    d = _exact_differences([c_folds[j] for j in live], [f[j] for j in live])
    key = {j: (v[i], d[i]) for i, j in enumerate(live)}
    order = sorted(live, key=lambda j: (-key[j][0], -key[j][1], j))
    group = [0]  # tie groups: runs of equal keys in that order
    for a, b in zip(order, order[1:]):
        group.append(group[-1] if key[a] == key[b] else len(group))
    top = max(f.values())
    lo = [top - f[j] for j in order]  # level row (top level first) of each subset's first pick
    hi = [a + T[j] for a, j in zip(lo, order)]
    rows = min(max(hi), limit)  # rows 0 .. m - 1 hold at least m picks: the subset at the top has them
    merged, same = [], []
    edges = sorted({min(x, rows) for x in lo + hi})
    for a, b in zip(edges[:-1], edges[1:]):  # the levels a .. b - 1 hold the same subsets: one pattern, repeated
        here = [i for i in range(len(order)) if lo[i] <= a < hi[i]]
        if here:  # (levels no subset reaches hold no pick)
            merged.append(np.tile(np.array([order[i] for i in here], dtype=np.int64), b - a))
            same.append(np.tile(np.array([group[i] == group[i2] for i, i2 in zip(here, here[1:])] + [False]), b - a))
    if not merged:  # no pick asked for (limit <= 0)
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
    merged = np.concatenate(merged)[:limit]
    return merged, np.concatenate(same)[: max(merged.size - 1, 0)]


def _exact_differences(xs: list[float], fs: list[int]) -> list[int]:
    """x - f for each pair, exactly, as integers over one common denominator (a float is an
    integer over a power of two), so they compare as the real differences do."""
    ratios = [x.as_integer_ratio() for x in xs]
    common = max(den for _, den in ratios)
    return [(num - f * den) * (common // den) for (num, den), f in zip(ratios, fs)]


def _draw_ties(merged: np.ndarray, same: np.ndarray, take: int, rng) -> None:
    """Order, in place, each run of ``merged`` tied on (value, desired samples) (``same[p]``: p and
    p + 1 are) that starts before ``take`` as iterstrat's draws do: with g tied subsets (ascending) the next pick is
    ``tied.pop(choice(g))``, then ``tied.pop(choice(g - 1))``, ...; the last needs no draw, and a
    run cut by the end of the pass draws only for its picks. Draws of one range are taken in a
    batch: ``randint(0, g, size=s)`` draws what ``s`` successive ``choice(g)`` calls draw."""
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
    Y : (n, q) indicator matrix (numpy or scipy.sparse, 0/1) or :class:`~.setrows.SetRows`
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
    return _stratify(label_sets(Y), r, seed, keep_folds=True)[2]


def _stratify(sets: SetRows, r: np.ndarray, seed: int, keep_folds: bool = False):
    """Algorithm 1 over the distinct label sets: ``(per_label, sizes, folds)`` where ``per_label``
    (k, q) int64 holds the positives of each label given to each subset, ``sizes`` the samples
    of each subset and ``folds`` each sample's subset (int64; None unless ``keep_folds``).

    A pass (one label's remaining samples) takes whole label sets: every sample of a set
    carrying the label is left until then, and after it none is. So the state is per set;
    the samples matter only for their order within a pass, which decides which of the pass's
    picks (:func:`_bulk_pass`, one subset per position) each set receives.
    """
    rng = np.random.RandomState(seed)
    n, q, k = sets.n, sets.q, r.size
    folds = np.zeros(n, dtype=np.int64) if keep_folds else None
    per_label = np.zeros((k, q), dtype=np.int64)  # positives of l given to j so far
    c_folds = (r * n).tolist()  # desired samples per subset, decremented one by one
    if n == 0:
        return per_label, np.zeros(k, dtype=np.int64), folds
    set_ptr, set_labels, set_counts = sets.set_ptr, sets.set_labels, sets.set_counts
    totals = sets.label_counts()
    desired0 = np.outer(r, totals)  # c_j^l before any assignment
    remaining = totals.copy()
    # the sets of each label (ascending), and the samples of each set (ascending)
    label_ptr, label_sets_ = grouped(set_labels, q, sets.set_owner())
    row_ptr, rows_of_set = grouped(sets.row_sets, sets.n_sets, counts=set_counts)
    done = np.zeros(sets.n_sets, dtype=bool)
    sizes = np.zeros(k, dtype=np.int64)
    fold_range = range(k)

    while True:
        positive = remaining > 0
        if not positive.any():
            break
        fewest = remaining[positive].min()
        tied = np.flatnonzero(remaining == fewest)
        label = int(tied[rng.choice(tied.size)]) if tied.size > 1 else int(tied[0])
        picked = label_sets_[label_ptr[label]:label_ptr[label + 1]]
        picked = picked[~done[picked]]
        m = int(set_counts[picked].sum())
        col = [_decremented(desired0[j, label], int(per_label[j, label])) for j in fold_range]
        chosen = np.empty(m, dtype=np.int64)
        (_bulk_pass if m >= _BULK else _one_at_a_time)(col, c_folds, m, rng, chosen)
        if picked.size > 1:
            # the pass's samples in order (position p gets chosen[p]), each with its set's place in the
            # pass: one sort of sample << bits | place
            bits = (picked.size - 1).bit_length()
            sample_place = ranges(row_ptr, picked, rows_of_set).astype(np.int64)
            sample_place <<= bits
            sample_place |= np.repeat(np.arange(picked.size, dtype=np.int64), set_counts[picked])
            sample_place.sort()
            got = np.bincount((sample_place & ((1 << bits) - 1)) * k + chosen, minlength=picked.size * k)
            got = got.reshape(picked.size, k)
            if keep_folds:
                folds[sample_place >> bits] = chosen
        else:
            got = np.bincount(chosen, minlength=k)[None, :]
            if keep_folds:  # one set: its samples, ascending
                folds[ranges(row_ptr, picked, rows_of_set)] = chosen
        labels = ranges(set_ptr, picked, set_labels)
        owner = np.repeat(np.arange(picked.size), set_ptr[picked + 1] - set_ptr[picked])
        for j in fold_range:
            per_label[j] += np.bincount(labels, weights=got[owner, j], minlength=q).astype(np.int64)
        remaining -= np.bincount(labels, weights=set_counts[picked][owner], minlength=q).astype(np.int64)
        sizes += got.sum(axis=0)
        done[picked] = True

    empty = np.flatnonzero(~done)  # the empty set, if any sample has no label
    if empty.size:
        m = int(set_counts[empty].sum())
        chosen = np.empty(m, dtype=np.int64)
        # the subset with the largest c_j, ties at random: a pass whose "label" column is c itself
        (_bulk_pass if m >= _BULK else _one_at_a_time)(list(c_folds), c_folds, m, rng, chosen)
        sizes += np.bincount(chosen, minlength=k)
        if keep_folds:
            folds[ranges(row_ptr, empty, rows_of_set)] = chosen
    return per_label, sizes, folds


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


def stratification_report(names, Y, fractions=DEFAULT_FRACTIONS, seed: int = 0) -> dict:
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
    sets = label_sets(Y)
    per, sizes, _ = _stratify(sets, np.asarray(parts, dtype=np.float64), seed)
    per = per.T
    counts = sets.label_counts()
    present = counts > 0
    impossible = present & (counts < k)
    missing = present & (per.min(axis=1) < 1)
    n = sets.n
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
    sets = label_sets(Y)
    per = _stratify(sets, np.full(k, 1.0 / k), seed)[0]
    bad = (sets.label_counts() > 0) & (per.min(axis=0) < 1)
    return {"k": int(k), "infeasible_labels": [str(names[i]) for i in np.flatnonzero(bad)],
            "equivalent_to": f"iterstrat.ml_stratifiers.MultilabelStratifiedKFold(n_splits={k}) test folds, "
                             f"with its random_state set to {seed} after construction"}
