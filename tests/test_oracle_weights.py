"""Oracle tests for imbalcheck.weights.

Oracles: hand arithmetic, sklearn.utils.class_weight.compute_class_weight,
and the Cui et al. (CVPR 2019) class-balanced weight written out by hand.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.utils.class_weight import compute_class_weight

from imbalcheck import weights as w
from imbalcheck.errors import ConfigError

counts_st = st.lists(st.integers(min_value=1, max_value=5_000), min_size=1, max_size=30).map(
    lambda xs: np.array(xs, dtype=np.int64)
)
SCHEMES = ["ce", "inverse", "sqrt_inverse", "log_inverse", "effective_number"]


def sklearn_balanced(counts):
    k = len(counts)
    y = np.repeat(np.arange(k), counts)
    return compute_class_weight("balanced", classes=np.arange(k), y=y)


def cui_weights(counts, beta):
    """Cui et al. 2019: w_c = (1 - beta) / (1 - beta^n_c), normalised to sum to K."""
    k = len(counts)
    raw = []
    for n in counts:
        n = int(n)
        if beta == 0.0:
            raw.append(1.0)
            continue
        # 1 - beta^n computed as -expm1(n ln beta) to avoid cancellation
        raw.append((1.0 - beta) / (-math.expm1(n * math.log(beta))))
    s = sum(raw)
    return np.array([r * k / s for r in raw])


# ---------------------------------------------------------------- hand cases

C631 = np.array([6, 3, 1])  # N = 10, K = 3


def test_ce_all_ones():
    np.testing.assert_array_equal(w.class_weights(C631, "ce"), [1.0, 1.0, 1.0])


def test_inverse_hand():
    # N/(K n): 10/18 = 5/9, 10/9, 10/3
    got = w.class_weights(C631, "inverse")
    np.testing.assert_allclose(got, [5 / 9, 10 / 9, 10 / 3], rtol=1e-12)
    np.testing.assert_allclose(got, sklearn_balanced(C631), rtol=1e-12)


def test_sqrt_inverse_hand():
    # counts (9,4,1): N = 14, sum sqrt = 3+2+1 = 6; w_c = a/sqrt(n_c) with
    # sum n_c w_c = a * sum sqrt(n_c) = N -> a = 14/6 = 7/3
    # w = (7/9, 7/6, 7/3); check: 9*7/9 + 4*7/6 + 7/3 = 7 + 14/3 + 7/3 = 14
    got = w.class_weights(np.array([9, 4, 1]), "sqrt_inverse")
    np.testing.assert_allclose(got, [7 / 9, 7 / 6, 7 / 3], rtol=1e-12)


def test_log_inverse_hand():
    # ln(10/6) = 0.5108256, ln(10/3) = 1.2039728, ln(10/1) = 2.3025851
    got = w.class_weights(C631, "log_inverse")
    np.testing.assert_allclose(got, [0.5108256238, 1.2039728043, 2.3025850930], rtol=1e-9)


def test_effective_number_hand_beta_09():
    # beta = .9: raw_c = .1/(1 - .9^n)
    #   n=6: .9^6 = .531441 -> .1/.468559 = 0.21341773
    #   n=3: .9^3 = .729    -> .1/.271    = 0.36900369
    #   n=1:                -> .1/.1      = 1
    # sum = 1.5824240 ; normalise to K=3: w = raw * 3/sum
    #   = (.21341773, .36900369, 1) * 1.8958257 = (0.404608, 0.699567, 1.895826)
    raw = np.array([0.1 / 0.468559, 0.1 / 0.271, 1.0])
    expected = raw * 3 / raw.sum()
    got = w.class_weights(C631, "effective_number", beta=0.9)
    np.testing.assert_allclose(got, expected, rtol=1e-10)
    np.testing.assert_allclose(got, [0.404608, 0.699567, 1.895826], atol=1e-6)
    assert float(np.sum(got)) == pytest.approx(3.0, rel=1e-12)


def test_effective_number_default_beta_is_09999():
    got = w.class_weights(C631, "effective_number")
    np.testing.assert_allclose(got, cui_weights(C631, 0.9999), rtol=1e-9)
    # with beta = .9999 and tiny counts, 1-beta^n ~ n(1-beta), so w ~ inverse-ish:
    # raw proportional to 1/6, 1/3, 1 (to ~1e-3) -> w ~ 3*(1/6,1/3,1)/1.5 = (1/3, 2/3, 2)
    np.testing.assert_allclose(got, [1 / 3, 2 / 3, 2.0], rtol=2e-3)


def test_effective_number_beta_zero_is_uniform():
    # beta = 0: raw = 1/(1 - 0) = 1 for every n >= 1 -> all ones
    np.testing.assert_allclose(w.class_weights(C631, "effective_number", beta=0.0), [1.0, 1.0, 1.0], rtol=1e-12)


@pytest.mark.parametrize("beta", [-0.1, 1.0, 1.5, float("nan")])
def test_effective_number_rejects_bad_beta(beta):
    with pytest.raises(ConfigError):
        w.class_weights(C631, "effective_number", beta=beta)


@pytest.mark.parametrize("scheme", ["", "Inverse", "focal", "balanced", "sqrt"])
def test_unknown_scheme(scheme):
    with pytest.raises(ConfigError):
        w.class_weights(C631, scheme)


def test_single_class_weights():
    c = np.array([7])
    np.testing.assert_allclose(w.class_weights(c, "ce"), [1.0])
    np.testing.assert_allclose(w.class_weights(c, "inverse"), [1.0])  # 7/(1*7)
    np.testing.assert_allclose(w.class_weights(c, "sqrt_inverse"), [1.0])  # 7 * w = 7
    np.testing.assert_allclose(w.class_weights(c, "log_inverse"), [0.0], atol=1e-15)  # ln 1
    np.testing.assert_allclose(w.class_weights(c, "effective_number", beta=0.9), [1.0])  # sums to K=1


def test_ties_get_equal_weights():
    c = np.array([5, 2, 5, 5])
    for scheme in SCHEMES:
        got = w.class_weights(c, scheme)
        assert got[0] == pytest.approx(got[2], rel=1e-14)
        assert got[0] == pytest.approx(got[3], rel=1e-14)


# ---------------------------------------------------------------- gradient share


def test_gradient_share_hand():
    # ce: n_c*1 / 10 = (.6, .3, .1); ratio .6/.1 = 6
    ones = np.ones(3)
    np.testing.assert_allclose(w.gradient_share(C631, ones), [0.6, 0.3, 0.1], rtol=1e-12)
    assert w.gradient_share_ratio(C631, ones) == pytest.approx(6.0, rel=1e-12)
    # explicit weights (1, 2, 4): n w = (6, 6, 4), sum 16 -> (.375, .375, .25); ratio 1.5
    ww = np.array([1.0, 2.0, 4.0])
    np.testing.assert_allclose(w.gradient_share(C631, ww), [0.375, 0.375, 0.25], rtol=1e-12)
    assert w.gradient_share_ratio(C631, ww) == pytest.approx(1.5, rel=1e-12)


def test_gradient_share_inverse_hand():
    # inverse: n_c * N/(K n_c) = N/K for every c -> share 1/3, ratio 1
    inv = np.array([5 / 9, 10 / 9, 10 / 3])
    np.testing.assert_allclose(w.gradient_share(C631, inv), [1 / 3] * 3, rtol=1e-12)
    assert w.gradient_share_ratio(C631, inv) == pytest.approx(1.0, rel=1e-12)


# ---------------------------------------------------------------- the product brief's 224-class check


def _brief_counts():
    # 224 classes, geometric spread between 44,098 and 1, endpoints exact, shuffled
    k = 224
    vals = np.round(np.geomspace(44_098, 1, k)).astype(np.int64)
    vals[0], vals[-1] = 44_098, 1
    rng = np.random.default_rng(224)
    rng.shuffle(vals)
    return vals


def test_brief_224_class_example():
    c = _brief_counts()
    assert len(c) == 224 and c.max() == 44_098 and c.min() == 1
    ce = w.class_weights(c, "ce")
    assert w.gradient_share_ratio(c, ce) == 44_098.0
    inv = w.class_weights(c, "inverse")
    assert abs(w.gradient_share_ratio(c, inv) - 1.0) <= 1e-9
    np.testing.assert_allclose(inv, sklearn_balanced(c), rtol=1e-12)


# ---------------------------------------------------------------- library oracles / invariants


@settings(max_examples=60, deadline=None)
@given(counts_st)
def test_inverse_matches_sklearn(c):
    np.testing.assert_allclose(w.class_weights(c, "inverse"), sklearn_balanced(c), rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(counts_st, st.floats(min_value=0.0, max_value=0.99999, exclude_max=False))
def test_effective_number_matches_cui(c, beta):
    got = w.class_weights(c, "effective_number", beta=beta)
    np.testing.assert_allclose(got, cui_weights(c, beta), rtol=1e-8)
    assert float(np.sum(got)) == pytest.approx(len(c), rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(counts_st)
def test_sqrt_inverse_formula(c):
    got = w.class_weights(c, "sqrt_inverse")
    n = int(c.sum())
    a = n / sum(math.sqrt(int(x)) for x in c)
    np.testing.assert_allclose(got, [a / math.sqrt(int(x)) for x in c], rtol=1e-12)
    assert float(np.sum(c * got)) == pytest.approx(n, rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(counts_st)
def test_log_inverse_formula(c):
    n = int(c.sum())
    got = w.class_weights(c, "log_inverse")
    np.testing.assert_allclose(got, [math.log(n / int(x)) for x in c], rtol=1e-12, atol=1e-15)
    assert np.all(got >= 0)


@settings(max_examples=60, deadline=None)
@given(counts_st)
def test_inverse_gradient_shares_are_uniform(c):
    k = len(c)
    inv = w.class_weights(c, "inverse")
    np.testing.assert_allclose(w.gradient_share(c, inv), np.full(k, 1 / k), rtol=1e-10)
    assert w.gradient_share_ratio(c, inv) == pytest.approx(1.0, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(counts_st)
def test_ce_gradient_ratio_equals_imbalance_ratio(c):
    ce = w.class_weights(c, "ce")
    np.testing.assert_array_equal(ce, np.ones(len(c)))
    ratio = int(c.max()) / int(c.min())
    assert w.gradient_share_ratio(c, ce) == pytest.approx(ratio, rel=1e-12)
    np.testing.assert_allclose(w.gradient_share(c, ce), c / c.sum(), rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(counts_st, st.lists(st.floats(min_value=0.01, max_value=100.0), min_size=30, max_size=30))
def test_gradient_share_formula(c, raw):
    ww = np.array(raw[: len(c)])
    nw = [int(x) * y for x, y in zip(c, ww)]
    tot = sum(nw)
    expected = [v / tot for v in nw]
    got = w.gradient_share(c, ww)
    np.testing.assert_allclose(got, expected, rtol=1e-10)
    assert float(np.sum(got)) == pytest.approx(1.0, rel=1e-12)
    assert w.gradient_share_ratio(c, ww) == pytest.approx(max(expected) / min(expected), rel=1e-10)


@settings(max_examples=40, deadline=None)
@given(counts_st, st.randoms(use_true_random=False))
def test_weights_follow_permutation(c, rnd):
    perm = list(range(len(c)))
    rnd.shuffle(perm)
    for scheme in SCHEMES:
        np.testing.assert_allclose(
            w.class_weights(c[perm], scheme), w.class_weights(c, scheme)[perm], rtol=1e-12, atol=1e-15
        )
        ww = w.class_weights(c, scheme)
        if np.all(ww > 0):
            assert w.gradient_share_ratio(c[perm], ww[perm]) == pytest.approx(
                w.gradient_share_ratio(c, ww), rel=1e-12
            )
