"""Stratified-split feasibility, computed as scikit-learn actually allocates.

Users split with ``train_test_split(..., stratify=y)``. For fractions
``(train, val, test)`` the documented procedure is two successive calls, each
with the same ``random_state``::

    X_tr, X_rest, y_tr, y_rest = train_test_split(X, y, test_size=val + test, stratify=y, random_state=s)
    X_va, X_te, y_va, y_te = train_test_split(X_rest, y_rest, test_size=test / (val + test),
                                              stratify=y_rest, random_state=s)

(two fractions ``(train, test)`` mean the first call only). scikit-learn's
``StratifiedShuffleSplit._iter_indices`` (sklearn/model_selection/_split.py)
draws each class's train count with ``_approximate_mode(class_counts, n_train, rng)``
(sklearn/utils/extmath.py): floor(n_c * n_train / N), then +1 for the classes
with the largest remainders, ties broken by ``rng.choice`` in sorted-class
order. That allocation depends only on the counts, so it is replayed here on the
counts vector (no sample array, any N), reproducing scikit-learn's checks and
error messages; the tests compare every figure with real ``train_test_split``
runs on the expanded label vector.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from .errors import ConfigError

_CANONICAL_INT = re.compile(r"-?(0|[1-9][0-9]*)\Z")


def parse_fractions(text: str) -> tuple[float, ...]:
    """Parse ``"0.8,0.1,0.1"`` (2 or 3 positive parts summing to 1)."""
    try:
        parts = tuple(float(p) for p in text.split(","))
    except ValueError:
        raise ConfigError(f"--split {text!r}: expected numbers like 0.8,0.1,0.1") from None
    if len(parts) not in (2, 3) or any(not 0 < p < 1 for p in parts) or abs(sum(parts) - 1) > 1e-9:
        raise ConfigError(f"--split {text!r}: give 2 or 3 fractions in (0, 1) that sum to 1, e.g. 0.8,0.1,0.1")
    return parts


def label_kind_of(labels: np.ndarray, kind: str | None = None) -> str:
    """"number" or "text": the kind given, else what pandas would infer from the texts.

    A CSV column whose every value parses as a number is read by pandas as int64 or
    float64, so ``np.unique(y)`` then sorts it numerically; anything else is text.
    """
    if kind in ("number", "text"):
        return kind
    texts = np.asarray(labels).astype(str)
    try:
        texts.astype(np.float64)
    except (ValueError, OverflowError):
        return "text"
    return "number"


def sklearn_class_order(labels: np.ndarray, kind: str | None = None) -> np.ndarray:
    """Indices that sort labels the way ``np.unique(y)`` sorts the user's ``y``.

    Numbers sort by value, text by code point (see :func:`label_kind_of`).
    """
    texts = np.asarray(labels).astype(str)
    if texts.size and label_kind_of(texts, kind) == "number":
        return np.argsort(texts.astype(np.float64), kind="stable")
    return np.argsort(texts, kind="stable")


def approximate_mode(class_counts: np.ndarray, n_draws: int, rng: np.random.RandomState) -> np.ndarray:
    """scikit-learn's ``_approximate_mode`` (sklearn/utils/extmath.py), rng use included.

    floor(n_c * n_draws / N), then +1 for the largest remainders, ties drawn with
    ``rng.choice(inds, add_now, replace=False)`` group by group in descending
    remainder order. The groups come from one sort instead of scikit-learn's scan
    per distinct remainder (O(K log K) for a million classes); ``rng.choice`` without
    replacement consumes the generator by group size only, so the draws are identical.
    """
    continuous = class_counts / class_counts.sum() * n_draws
    floored = np.floor(continuous)
    need_to_add = int(n_draws - floored.sum())
    if need_to_add > 0:
        remainder = continuous - floored
        order = np.argsort(-remainder, kind="stable")  # ties keep ascending index, like np.where
        ranked = remainder[order]
        starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
        ends = np.r_[starts[1:], ranked.size]
        for start, end in zip(starts, ends):
            add_now = min(end - start, need_to_add)
            picked = rng.choice(end - start, size=add_now, replace=False)
            floored[order[start:end][picked]] += 1
            need_to_add -= add_now
            if need_to_add == 0:
                break
    return floored.astype(np.int64)


class SklearnSplitError(Exception):
    """What ``train_test_split`` would raise; ``str()`` is scikit-learn's own message.

    The message is formatted on demand: feasibility searches raise many of these
    and never read them, and listing half a million classes is not free.
    """

    def __init__(self, message) -> None:
        super().__init__()
        self._message = message

    def __str__(self) -> str:
        if callable(self._message):
            self._message = self._message()
        return self._message


def _sklearn_sizes(n_samples: int, test_size: float) -> tuple[int, int]:
    """``_validate_shuffle_split`` for a float test_size: n_test = ceil(t N), n_train = N - n_test."""
    n_test = math.ceil(test_size * n_samples)
    n_train = n_samples - n_test
    if n_train == 0:
        raise SklearnSplitError(
            f"With n_samples={n_samples}, test_size={test_size} and train_size=None, the "
            "resulting train set will be empty. Adjust any of the aforementioned parameters."
        )
    return n_train, n_test


def stratified_call(counts: np.ndarray, labels: np.ndarray, test_size: float, seed: int, kind: str = "text") -> np.ndarray:
    """Per-class train counts of one ``train_test_split(stratify=y)`` call.

    ``counts``/``labels`` must be in scikit-learn's class order. Raises
    :class:`SklearnSplitError` with scikit-learn's message where it would raise.
    """
    n_train, n_test = _sklearn_sizes(int(counts.sum()), test_size)
    if counts.min() < 2:
        few = labels[counts < 2]
        raise SklearnSplitError(lambda: (
            "The least populated classes in y have only 1 member, which is too few. The minimum "
            "number of groups for any class cannot be less than 2. Classes with too few members are: "
            f"{[_as_sklearn_label(x, kind) for x in few]}"
        ))
    k = counts.size
    if n_train < k:
        raise SklearnSplitError(f"The train_size = {n_train} should be greater or equal to the number of classes = {k}")
    if n_test < k:
        raise SklearnSplitError(f"The test_size = {n_test} should be greater or equal to the number of classes = {k}")
    return approximate_mode(counts, n_train, np.random.RandomState(seed))


def _as_sklearn_label(label: str, kind: str):
    """The label as scikit-learn prints it: a Python int or float for numbers, else the text."""
    if kind != "number":
        return label
    return int(label) if _CANONICAL_INT.match(label) else float(label)


@dataclass
class SplitRun:
    """One seed's outcome.

    ``alloc`` is (K, n_splits); ``failure`` is what scikit-learn raises on this data
    (``error`` its message; ``failed_call`` 1 or 2), None when the split goes
    through; ``raised`` marks the classes set aside in diagnose mode.
    """

    alloc: np.ndarray
    failure: SklearnSplitError | None
    failed_call: int | None
    raised: np.ndarray

    @property
    def error(self) -> str | None:
        return None if self.failure is None else str(self.failure)


def _split_plan(fractions) -> list[float]:
    """test_size of each successive call: val + test, then test / (val + test)."""
    rest = sum(fractions[1:])
    return [rest] + ([fractions[2] / rest] if len(fractions) == 3 else [])


def simulate_split(counts: np.ndarray, labels: np.ndarray, fractions, seed: int, *, diagnose: bool = False,
                   ordered: bool = False, kind: str | None = None) -> SplitRun:
    """Replay the documented one- or two-call split for one seed.

    The run's ``error`` is always scikit-learn's first error. With ``diagnose=False``
    the run stops there, as scikit-learn does; with ``diagnose=True`` a class that
    makes a call raise (fewer than 2 members left) is set aside, with the allocation
    it had so far, and the call is replayed without it, so every other class still
    gets its allocation. ``ordered=True`` says the classes already come in
    :func:`sklearn_class_order` (results then stay in that order); ``kind`` is the
    labels' kind (see :func:`label_kind_of`).
    """
    kind = label_kind_of(labels, kind)
    order = None if ordered else sklearn_class_order(labels, kind)
    c = np.asarray(counts, dtype=np.int64) if ordered else np.asarray(counts, dtype=np.int64)[order]
    lab = np.asarray(labels, dtype=object) if ordered else np.asarray(labels, dtype=object)[order]
    alloc = np.zeros((c.size, len(fractions)), dtype=np.int64)
    raised = np.zeros(c.size, dtype=bool)
    remaining = c.copy()
    error, failed, stopped = None, None, False
    plan = _split_plan(fractions)
    for call, test_size in enumerate(plan):
        active = (remaining > 0) & ~raised
        while True:
            idx = np.flatnonzero(active)
            try:
                train = stratified_call(remaining[idx], lab[idx], test_size, seed, kind)
                break
            except SklearnSplitError as exc:
                if error is None:
                    error, failed = exc, call + 1
                few = active & (remaining < 2)
                if not (diagnose and few.any() and few.sum() < active.sum()):
                    stopped = True
                    break
                raised |= few
                active &= ~few
        if stopped:
            break
        alloc[idx, call] = train
        remaining[idx] -= train
        remaining[~active] = 0
    if not stopped:
        alloc[:, len(plan)] = remaining
    if ordered:
        return SplitRun(alloc, error, failed, raised)
    inv = np.argsort(order)
    return SplitRun(alloc[inv], error, failed, raised[inv])


def _global_sizes_ok(n_samples: int, n_classes: int, fractions) -> bool:
    """scikit-learn's size checks for every call when every class reaches every split."""
    try:
        for test_size in _split_plan(fractions):
            n_train, n_test = _sklearn_sizes(n_samples, test_size)
            if min(n_train, n_test) < n_classes:
                return False
            n_samples = n_test
    except SklearnSplitError:
        return False
    return True


def _floor_or_ceil(x: float) -> tuple[int, ...]:
    r = round(x)
    return (r,) if abs(x - r) < 1e-9 else (math.floor(x), math.ceil(x))


def _always_complete(n: int, fractions) -> bool:
    """Whether a class of n reaches every split under any rounding of its nominal shares."""
    for train in _floor_or_ceil(n * fractions[0]):
        rest = n - train
        if train < 1 or rest < (2 if len(fractions) == 3 else 1):
            return False
        if len(fractions) == 3:
            val_share = fractions[1] / (fractions[1] + fractions[2])
            if any(v < 1 or rest - v < 1 for v in _floor_or_ceil(rest * val_share)):
                return False
    return True


def guaranteed_min_count(fractions) -> int:
    """Smallest count from which a class reaches every split whatever the other classes are.

    ``_approximate_mode`` gives each class the floor or the ceiling of its nominal
    share (n_c times the call's train fraction; exact when that is an integer), and
    which one depends on the other classes' remainders. The bound takes the worst
    rounding in each call; above ceil(4 / min fraction) every split holds >= 2.
    """
    top = math.ceil(4 / min(fractions)) + 2
    failing = [n for n in range(1, top + 1) if not _always_complete(n, fractions)]
    return (max(failing) + 1) if failing else 1


class SplitStudy:
    """Every split question about one counts vector, with the class order computed once.

    Feasibility of keeping the classes with >= c samples is memoised by c, so the
    exact cutoff search and the cutoff table share their replays.
    """

    def __init__(self, counts: np.ndarray, labels: np.ndarray, fractions, seeds, kind: str | None = None) -> None:
        self.kind = label_kind_of(labels, kind)
        order = sklearn_class_order(labels, self.kind)
        self.counts = np.asarray(counts, dtype=np.int64)[order]
        self.labels = np.asarray(labels, dtype=object)[order]
        self.inverse = np.argsort(order)
        self.fractions = tuple(fractions)
        self.seeds = tuple(seeds)
        self.guaranteed = guaranteed_min_count(self.fractions)
        self._feasible: dict[int, bool] = {}

    def runs(self) -> list[SplitRun]:
        """The diagnose run of every seed, in the caller's class order."""
        out = []
        for seed in self.seeds:
            run = simulate_split(self.counts, self.labels, self.fractions, seed, diagnose=True, ordered=True,
                                 kind=self.kind)
            out.append(SplitRun(run.alloc[self.inverse], run.failure, run.failed_call, run.raised[self.inverse]))
        return out

    def feasible_from(self, min_count: int) -> bool:
        """No call raises and every kept class reaches every split, for every seed.

        Replayed seed by seed, except where the answer is certain: a kept class
        smaller than the number of splits cannot fill them, and when every kept class
        is at or above :attr:`guaranteed` only scikit-learn's size checks remain.
        """
        if min_count not in self._feasible:
            keep = self.counts >= min_count
            kept = self.counts[keep]
            if kept.size == 0 or kept.min() < len(self.fractions):
                ok = False
            elif not _global_sizes_ok(int(kept.sum()), kept.size, self.fractions):
                ok = False
            elif kept.min() >= self.guaranteed:
                ok = True
            else:
                ok = all(self._complete(simulate_split(kept, self.labels[keep], self.fractions, s, ordered=True,
                                                       kind=self.kind)) for s in self.seeds)
            self._feasible[min_count] = ok
        return self._feasible[min_count]

    @staticmethod
    def _complete(run: SplitRun) -> bool:
        return run.failure is None and bool((run.alloc >= 1).all())

    def min_count_required(self) -> int | None:
        """The smallest integer c such that keeping only classes with >= c samples is feasible.

        A cut between two distinct counts u_(j-1) < u_j keeps the same classes, so the
        distinct counts are tried in ascending order and the first feasible u_j gives
        c = u_(j-1) + 1 (the exact minimum: a class of u_(j-1) samples is what fails);
        c = u_0, the smallest count, when the data is feasible as it is. None when no
        cut makes the split feasible.
        """
        distinct = np.unique(self.counts)
        for j, c in enumerate(distinct):
            if self.feasible_from(int(c)):
                return int(c) if j == 0 else int(distinct[j - 1]) + 1
        return None


def min_count_required(counts: np.ndarray, labels: np.ndarray, fractions, seeds) -> int | None:
    """See :meth:`SplitStudy.min_count_required`."""
    return SplitStudy(counts, labels, fractions, seeds).min_count_required()


def fold_shortfall(counts: np.ndarray, k: int) -> tuple[np.ndarray, str | None]:
    """Classes with fewer than k members and what ``StratifiedKFold(k)`` says about them.

    scikit-learn raises when every class has fewer than k members and warns when
    the least populated one does (sklearn/model_selection/_split.py, ``_make_test_folds``).
    """
    counts = np.asarray(counts)
    below = counts < k
    if k > counts.sum():
        return below, (f"Cannot have number of splits n_splits={k} greater than the number of samples: "
                       f"n_samples={int(counts.sum())}.")
    if below.all():
        return below, f"n_splits={k} cannot be greater than the number of members in each class."
    if below.any():
        return below, f"The least populated class in y has only {int(counts.min())} members, which is less than n_splits={k}."
    return below, None
