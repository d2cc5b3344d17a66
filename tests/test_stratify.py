"""Stratified-split replay against scikit-learn's own train_test_split (the oracle)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.model_selection import StratifiedKFold, train_test_split

from imbalcheck import stratify

EXAMPLE_SMALL = np.array([9, 8, 7, 7, 6, 6, 5, 5, 4, 4, 3, 3, 2, 2] + [1] * 10)


def sklearn_split(counts, labels, fractions, seed):
    """The documented two-call procedure, run for real; per-class counts or the error text."""
    y = np.repeat(np.asarray(labels), counts)
    rest = sum(fractions[1:])
    try:
        y_tr, y_rest = train_test_split(y, test_size=rest, stratify=y, random_state=seed)
        parts = [y_tr]
        if len(fractions) == 3:
            y_va, y_te = train_test_split(y_rest, test_size=fractions[2] / rest, stratify=y_rest, random_state=seed)
            parts += [y_va, y_te]
        else:
            parts.append(y_rest)
    except ValueError as exc:
        return str(exc)
    return np.array([[int((p == lab).sum()) for p in parts] for lab in labels])


def replay(counts, labels, fractions, seed):
    run = stratify.simulate_split(np.asarray(counts), np.asarray([str(x) for x in labels], dtype=object), fractions, seed)
    return run.error if run.error else run.alloc


def assert_same(ours, theirs):
    if isinstance(theirs, str):
        assert ours == theirs
    else:
        assert not isinstance(ours, str), ours
        np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("fractions", [(0.8, 0.1, 0.1), (0.7, 0.15, 0.15), (0.8, 0.2), (0.6, 0.2, 0.2)])
def test_replay_matches_sklearn_on_a_long_tail(seed, fractions):
    counts = np.array([400, 250, 120, 60, 33, 20, 16, 12, 11, 10, 9, 8, 8, 6])
    labels = np.arange(counts.size) * 7 % 23  # integer labels, not in sorted order
    assert_same(replay(counts, labels, fractions, seed), sklearn_split(counts, labels, fractions, seed))


def test_error_messages_are_sklearns_own():
    counts = np.array([50, 30, 1, 1])
    labels = np.array([3, 1, 10, 2])
    theirs = sklearn_split(counts, labels, (0.8, 0.1, 0.1), 0)
    assert "Classes with too few members are: [2, 10]" in theirs
    assert_same(replay(counts, labels, (0.8, 0.1, 0.1), 0), theirs)
    # the second call raises for a class left with one sample after the first
    counts = np.array([200, 150, 5])
    theirs = sklearn_split(counts, [0, 1, 2], (0.8, 0.1, 0.1), 0)
    assert isinstance(theirs, str)
    assert_same(replay(counts, [0, 1, 2], (0.8, 0.1, 0.1), 0), theirs)


def test_too_many_classes_for_the_test_split():
    counts = np.full(30, 3)
    theirs = sklearn_split(counts, range(30), (0.9, 0.1), 0)
    assert "should be greater or equal to the number of classes" in theirs
    assert_same(replay(counts, range(30), (0.9, 0.1), 0), theirs)


def test_string_labels_sort_as_text():
    labels = ["b", "a10", "a9", "Z", "01", "1"]
    counts = np.array([40, 23, 23, 23, 17, 17])
    for seed in range(5):
        assert_same(replay(counts, labels, (0.8, 0.1, 0.1), seed), sklearn_split(counts, labels, (0.8, 0.1, 0.1), seed))


@settings(max_examples=60, deadline=None)
@given(
    counts=st.lists(st.integers(2, 60), min_size=2, max_size=12),
    seed=st.integers(0, 4),
    fractions=st.sampled_from([(0.8, 0.1, 0.1), (0.7, 0.2, 0.1), (0.75, 0.25), (0.5, 0.25, 0.25)]),
)
def test_replay_matches_sklearn_property(counts, seed, fractions):
    counts = np.array(counts)
    labels = np.arange(counts.size)[::-1]
    assert_same(replay(counts, labels, fractions, seed), sklearn_split(counts, labels, fractions, seed))


def test_224_class_example_behaviour(example_counts):
    """The figures measured in issue 4: 2 -> (2, 0, 0); 3..7 raise in call 2; 8+ complete."""
    labels, counts = example_counts
    run = stratify.simulate_split(counts, labels, (0.8, 0.1, 0.1), 0, diagnose=True)
    by_count = {}
    for n, alloc, raised in zip(counts, run.alloc, run.raised):
        by_count.setdefault(int(n), set()).add((tuple(alloc), bool(raised)))
    assert by_count[2] == {((2, 0, 0), False)}
    for n in range(3, 8):
        assert all(raised for _, raised in by_count[n])
    for n in (8, 9, 10):
        assert all(min(a) >= 1 and not r for a, r in by_count[n])
    assert stratify.min_count_required(counts, labels, (0.8, 0.1, 0.1), range(5)) == 8
    assert stratify.guaranteed_min_count((0.8, 0.1, 0.1)) == 10


def test_min_count_required_is_verified_by_sklearn(example_counts):
    labels, counts = example_counts
    keep = counts >= 8
    for seed in range(5):
        alloc = sklearn_split(counts[keep], labels[keep].astype(int), (0.8, 0.1, 0.1), seed)
        assert not isinstance(alloc, str) and alloc.min() >= 1
    keep = counts >= 7
    assert isinstance(sklearn_split(counts[keep], labels[keep].astype(int), (0.8, 0.1, 0.1), 0), str)


@settings(max_examples=40, deadline=None)
@given(background=st.lists(st.integers(2, 300), min_size=1, max_size=15), seed=st.integers(0, 4),
       fractions=st.sampled_from([(0.8, 0.1, 0.1), (0.7, 0.15, 0.15), (0.8, 0.2)]))
def test_guaranteed_bound_holds_in_any_background(background, seed, fractions):
    g = stratify.guaranteed_min_count(fractions)
    for n in (g, g + 1, g + 3):
        counts = np.array(background + [n]) * np.array([20] * len(background) + [1])
        run = stratify.simulate_split(counts, np.arange(counts.size).astype(str).astype(object), fractions, seed, diagnose=True)
        assert run.error is None
        assert run.alloc[-1].min() >= 1, (n, run.alloc[-1])


def test_guaranteed_bound_is_tight_for_the_default_split():
    # a class of 9 can end with a single sample in the rest, which makes call 2 raise
    fails = False
    for seed in range(20):
        counts = np.array([9, 9, 9, 9, 9, 1000])
        run = stratify.simulate_split(counts, np.arange(6).astype(str).astype(object), (0.8, 0.1, 0.1), seed, diagnose=True)
        fails |= bool(run.raised[:5].any())
    assert fails


@pytest.mark.parametrize("k", [3, 5])
def test_fold_shortfall_matches_stratified_kfold(k):
    counts = np.array([30, 12, 4, 2])
    below, message = stratify.fold_shortfall(counts, k)
    y = np.repeat(np.arange(4), counts)
    with pytest.warns(UserWarning) as rec:
        list(StratifiedKFold(k).split(np.zeros(y.size), y))
    assert message in [str(w.message) for w in rec]
    assert below.tolist() == (counts < k).tolist()
    with pytest.raises(ValueError) as err:
        list(StratifiedKFold(40).split(np.zeros(y.size), y))
    assert stratify.fold_shortfall(counts, 40)[1] == str(err.value)


@pytest.mark.parametrize("text", ["0.8,0.1", "a,b", "0.8,0.1,0.1,0.0", "1.2,-0.2", "0.5"])
def test_parse_fractions_rejects(text):
    from imbalcheck.errors import ConfigError

    if text == "0.8,0.1":
        with pytest.raises(ConfigError, match="sum to 1"):
            stratify.parse_fractions(text)
    else:
        with pytest.raises(ConfigError):
            stratify.parse_fractions(text)


@settings(max_examples=200, deadline=None)
@given(counts=st.lists(st.integers(1, 40), min_size=1, max_size=40), frac=st.floats(0.01, 1.0), seed=st.integers(0, 2**31 - 1))
def test_approximate_mode_draws_exactly_like_sklearn(counts, frac, seed):
    from sklearn.utils.extmath import _approximate_mode

    counts = np.array(counts)
    n = max(1, int(frac * counts.sum()))
    ours = stratify.approximate_mode(counts, n, np.random.RandomState(seed))
    np.testing.assert_array_equal(ours, _approximate_mode(counts, n, np.random.RandomState(seed)))
