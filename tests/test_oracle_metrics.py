"""Oracle tests for imbalcheck.metrics.

Expected values are derived by hand from the formulas or from independent
library code (scipy, brute-force loops); never from imbalcheck itself.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

from imbalcheck import metrics as m

# ---------------------------------------------------------------- strategies

counts_st = st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=40).map(
    lambda xs: np.array(xs, dtype=np.int64)
)


# ---------------------------------------------------------------- oracles


def gini_bruteforce(counts):
    n = [int(x) for x in counts]
    k = len(n)
    mean = sum(n) / k
    total = 0
    for a in n:
        for b in n:
            total += abs(a - b)
    return total / (2 * k * k * mean)


def top_k_loop(counts, k):
    remaining = [int(x) for x in counts]
    total = sum(remaining)
    taken = 0
    for _ in range(min(k, len(remaining))):
        biggest = max(remaining)
        taken += biggest
        remaining.remove(biggest)
    return taken / total


def entropy_loop(counts):
    total = sum(int(x) for x in counts)
    h = 0.0
    for x in counts:
        p = int(x) / total
        h -= p * math.log(p)
    return h


# ---------------------------------------------------------------- hand-computed: [6, 3, 1]
# N = 10; p = (.6, .3, .1); max/min = 6/1 = 6; median = 3 -> max/median = 2.
# top1 = .6, top2 = .9, top3 = 1.0.
# H = -(.6 ln .6 + .3 ln .3 + .1 ln .1)
#   = .6*0.5108256238 + .3*1.2039728043 + .1*2.3025850930
#   = 0.3064953743 + 0.3611918413 + 0.2302585093 = 0.8979457249
# evenness = H / ln 3 = 0.8979457249 / 1.0986122887 = 0.817345...
# exp(H) = e^0.9 * e^-0.0020543 = 2.459603 * 0.997948 = 2.454556
# gini: |6-3| + |6-1| + |3-1| = 3 + 5 + 2 = 10, both orders -> 20;
#       mean = 10/3, 2 K^2 mean = 2*9*10/3 = 60 -> gini = 20/60 = 1/3.

C631 = np.array([6, 3, 1])
H631 = 0.6 * math.log(1 / 0.6) + 0.3 * math.log(1 / 0.3) + 0.1 * math.log(1 / 0.1)


def test_hand_631_numbers_are_what_the_comment_says():
    # guard the hand arithmetic itself
    assert H631 == pytest.approx(0.8979457249, abs=1e-9)


def test_shares_631():
    s = m.shares(C631)
    assert isinstance(s, np.ndarray)
    np.testing.assert_allclose(s, [0.6, 0.3, 0.1], rtol=1e-12)


def test_shares_aligned_with_input_order():
    s = m.shares(np.array([1, 6, 3]))
    np.testing.assert_allclose(s, [0.1, 0.6, 0.3], rtol=1e-12)


def test_imbalance_ratio_631():
    assert m.imbalance_ratio(C631) == pytest.approx(6.0, rel=1e-12)
    assert m.imbalance_ratio(np.array([1, 3, 6])) == pytest.approx(6.0, rel=1e-12)


def test_max_median_ratio_odd_k():
    # median of (6, 3, 1) is 3 -> 6/3 = 2
    assert m.max_median_ratio(C631) == pytest.approx(2.0, rel=1e-12)


def test_max_median_ratio_even_k():
    # (8, 4, 2, 1): median = (4 + 2)/2 = 3 -> 8/3
    assert m.max_median_ratio(np.array([2, 8, 1, 4])) == pytest.approx(8 / 3, rel=1e-12)


@pytest.mark.parametrize("k,expected", [(1, 0.6), (2, 0.9), (3, 1.0), (4, 1.0), (100, 1.0)])
def test_top_k_share_631(k, expected):
    assert m.top_k_share(np.array([1, 6, 3]), k) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("k", [0, -1, -10])
def test_top_k_share_rejects_k_below_one(k):
    with pytest.raises(ValueError):
        m.top_k_share(C631, k)


def test_entropy_631():
    assert m.entropy(C631) == pytest.approx(0.8979457249, abs=1e-9)


def test_evenness_631():
    assert m.evenness(C631) == pytest.approx(0.8979457249 / math.log(3), abs=1e-9)
    assert m.evenness(C631) == pytest.approx(0.817345, abs=1e-6)


def test_effective_num_classes_631():
    assert m.effective_num_classes(C631) == pytest.approx(math.exp(0.8979457249), rel=1e-9)
    assert m.effective_num_classes(C631) == pytest.approx(2.454556, abs=1e-6)


def test_gini_631():
    assert m.gini(C631) == pytest.approx(1 / 3, rel=1e-12)


def test_gini_two_classes():
    # (3, 1): |3-1|*2 = 4; mean 2; 2*K^2*mean = 2*4*2 = 16 -> 0.25
    assert m.gini(np.array([3, 1])) == pytest.approx(0.25, rel=1e-12)


# ---------------------------------------------------------------- K = 1


def test_single_class():
    c = np.array([7])
    np.testing.assert_allclose(m.shares(c), [1.0])
    assert m.imbalance_ratio(c) == pytest.approx(1.0)
    assert m.max_median_ratio(c) == pytest.approx(1.0)
    assert m.top_k_share(c, 1) == pytest.approx(1.0)
    assert m.top_k_share(c, 5) == pytest.approx(1.0)
    assert m.entropy(c) == pytest.approx(0.0, abs=1e-15)
    assert m.evenness(c) == 1.0  # convention
    assert m.effective_num_classes(c) == pytest.approx(1.0)
    assert m.gini(c) == pytest.approx(0.0, abs=1e-15)


# ---------------------------------------------------------------- ties


def test_all_tied():
    # (5,5,5,5): p = .25 each; H = ln 4; evenness 1; exp(H) = 4; gini 0; ratio 1
    c = np.array([5, 5, 5, 5])
    np.testing.assert_allclose(m.shares(c), [0.25] * 4)
    assert m.imbalance_ratio(c) == pytest.approx(1.0)
    assert m.max_median_ratio(c) == pytest.approx(1.0)
    assert m.top_k_share(c, 2) == pytest.approx(0.5)
    assert m.entropy(c) == pytest.approx(math.log(4), rel=1e-12)
    assert m.evenness(c) == pytest.approx(1.0, rel=1e-12)
    assert m.effective_num_classes(c) == pytest.approx(4.0, rel=1e-12)
    assert m.gini(c) == pytest.approx(0.0, abs=1e-15)


def test_partial_ties_top_k():
    # (4, 2, 4): N=10; top1 = .4 whichever 4 is picked; top2 = .8; top3 = 1
    c = np.array([4, 2, 4])
    assert m.top_k_share(c, 1) == pytest.approx(0.4)
    assert m.top_k_share(c, 2) == pytest.approx(0.8)
    assert m.top_k_share(c, 3) == pytest.approx(1.0)
    # gini: pairs |4-2|=2, |4-4|=0, |2-4|=2 -> 4, both orders 8; mean 10/3;
    # 2*9*10/3 = 60 -> 8/60 = 2/15
    assert m.gini(c) == pytest.approx(2 / 15, rel=1e-12)
    # median of (4,2,4) = 4 -> max/median = 1; max/min = 2
    assert m.max_median_ratio(c) == pytest.approx(1.0)
    assert m.imbalance_ratio(c) == pytest.approx(2.0)


# ---------------------------------------------------------------- buckets


def test_bucket_of_boundaries():
    c = np.array([150, 101, 100, 50, 20, 19, 1])
    got = m.bucket_of(c)
    assert list(got) == ["many", "many", "medium", "medium", "medium", "few", "few"]


def test_buckets_summary():
    # many: 150 (1 class, 150); medium: 100+50+20 (3 classes, 170); few: 19+1 (2, 20)
    # N = 340
    c = np.array([19, 150, 100, 1, 50, 20])
    b = m.buckets(c)
    assert set(b) == {"many", "medium", "few"}
    assert b["many"]["classes"] == 1 and b["many"]["samples"] == 150
    assert b["medium"]["classes"] == 3 and b["medium"]["samples"] == 170
    assert b["few"]["classes"] == 2 and b["few"]["samples"] == 20
    assert b["many"]["share"] == pytest.approx(150 / 340)
    assert b["medium"]["share"] == pytest.approx(170 / 340)
    assert b["few"]["share"] == pytest.approx(20 / 340)


def test_buckets_empty_bucket_is_zero_if_reported():
    # all "few": 5 + 10 = 15
    b = m.buckets(np.array([5, 10]))
    assert b["few"]["classes"] == 2
    assert b["few"]["samples"] == 15
    assert b["few"]["share"] == pytest.approx(1.0)
    for name in ("many", "medium"):
        if name in b:
            assert b[name]["classes"] == 0
            assert b[name]["samples"] == 0
            assert b[name]["share"] == 0.0


# ---------------------------------------------------------------- library oracles


@settings(max_examples=60, deadline=None)
@given(counts_st)
def test_entropy_matches_scipy(c):
    assert m.entropy(c) == pytest.approx(scipy.stats.entropy(c), rel=1e-10, abs=1e-12)
    assert m.entropy(c) == pytest.approx(entropy_loop(c), rel=1e-10, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(counts_st)
def test_evenness_and_effective_from_scipy_entropy(c):
    h = scipy.stats.entropy(c)
    k = len(c)
    expected_even = 1.0 if k == 1 else h / math.log(k)
    assert m.evenness(c) == pytest.approx(expected_even, rel=1e-10, abs=1e-12)
    assert m.effective_num_classes(c) == pytest.approx(math.exp(h), rel=1e-10)


@settings(max_examples=60, deadline=None)
@given(counts_st)
def test_gini_matches_bruteforce(c):
    assert m.gini(c) == pytest.approx(gini_bruteforce(c), rel=1e-10, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(counts_st, st.integers(min_value=1, max_value=50))
def test_top_k_matches_loop(c, k):
    assert m.top_k_share(c, k) == pytest.approx(top_k_loop(c, k), rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(counts_st)
def test_ratios_match_numpy_independent(c):
    vals = sorted(int(x) for x in c)
    k = len(vals)
    med = vals[k // 2] if k % 2 else (vals[k // 2 - 1] + vals[k // 2]) / 2
    assert m.imbalance_ratio(c) == pytest.approx(vals[-1] / vals[0], rel=1e-12)
    assert m.max_median_ratio(c) == pytest.approx(vals[-1] / med, rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(counts_st)
def test_bucket_of_matches_thresholds(c):
    got = list(m.bucket_of(c))
    expected = ["many" if x > 100 else ("medium" if x >= 20 else "few") for x in c]
    assert got == expected
    b = m.buckets(c)
    n = int(c.sum())
    for name in ("many", "medium", "few"):
        sel = [int(x) for x, e in zip(c, expected) if e == name]
        if name not in b:
            assert not sel
            continue
        assert b[name]["classes"] == len(sel)
        assert b[name]["samples"] == sum(sel)
        assert b[name]["share"] == pytest.approx(sum(sel) / n, rel=1e-12, abs=0)


# ---------------------------------------------------------------- invariants


@settings(max_examples=80, deadline=None)
@given(counts_st)
def test_shares_sum_to_one_and_are_proportional(c):
    s = m.shares(c)
    assert s.shape == c.shape
    assert float(np.sum(s)) == pytest.approx(1.0, rel=1e-12)
    np.testing.assert_allclose(s, c / c.sum(), rtol=1e-12)


@settings(max_examples=80, deadline=None)
@given(counts_st)
def test_ratio_at_least_one(c):
    assert m.imbalance_ratio(c) >= 1.0
    assert m.max_median_ratio(c) >= 1.0
    assert m.imbalance_ratio(c) >= m.max_median_ratio(c) - 1e-12


@settings(max_examples=80, deadline=None)
@given(counts_st)
def test_evenness_and_gini_bounds(c):
    e = m.evenness(c)
    g = m.gini(c)
    assert 0.0 <= e <= 1.0, e
    assert 0.0 <= g < 1.0, g
    assert 1.0 - 1e-9 <= m.effective_num_classes(c) <= len(c) * (1 + 1e-12)


SCALARS = [
    m.imbalance_ratio,
    m.max_median_ratio,
    m.entropy,
    m.evenness,
    m.effective_num_classes,
    m.gini,
]


@settings(max_examples=60, deadline=None)
@given(counts_st, st.randoms(use_true_random=False), st.integers(min_value=1, max_value=5))
def test_permutation_invariance(c, rnd, k):
    perm = list(range(len(c)))
    rnd.shuffle(perm)
    cp = c[perm]
    for f in SCALARS:
        assert f(cp) == pytest.approx(f(c), rel=1e-12, abs=1e-14), f.__name__
    assert m.top_k_share(cp, k) == pytest.approx(m.top_k_share(c, k), rel=1e-12)
    # array outputs are permuted along with the input
    np.testing.assert_allclose(m.shares(cp), m.shares(c)[perm], rtol=1e-12)
    assert list(m.bucket_of(cp)) == [m.bucket_of(c)[i] for i in perm]


@settings(max_examples=60, deadline=None)
@given(counts_st, st.integers(min_value=2, max_value=100), st.integers(min_value=1, max_value=5))
def test_scaling_invariance(c, factor, k):
    cs = c * factor
    np.testing.assert_allclose(m.shares(cs), m.shares(c), rtol=1e-12)
    for f in (m.entropy, m.evenness, m.gini, m.imbalance_ratio, m.max_median_ratio, m.effective_num_classes):
        assert f(cs) == pytest.approx(f(c), rel=1e-10, abs=1e-12), f.__name__
    assert m.top_k_share(cs, k) == pytest.approx(m.top_k_share(c, k), rel=1e-12)
