"""Oracle tests for imbalcheck.batches.

p_absent for class c with batch B drawn without replacement from N samples:
    C(N - n_c, B) / C(N, B) = prod_{i=0}^{B-1} (N - n_c - i) / (N - i)
Oracles: exact rational arithmetic (math.comb + Fraction), a log1p product,
and scipy.stats.hypergeom.pmf(0, N, n_c, B).
"""

from __future__ import annotations

import math
import time
from fractions import Fraction

import numpy as np
import pytest
import scipy.stats
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from imbalcheck import batches as b

counts_st = st.lists(st.integers(min_value=1, max_value=500), min_size=1, max_size=30).map(
    lambda xs: np.array(xs, dtype=np.int64)
)


def p_absent_exact(n_total, n_c, batch):
    if n_total - n_c < batch:
        return 0.0
    return float(Fraction(math.comb(n_total - n_c, batch), math.comb(n_total, batch)))


def p_absent_log1p(n_total, n_c, batch):
    """prod_{i<B} (1 - n_c/(N-i)), summed in log space; accurate for huge N."""
    if n_total - n_c < batch:
        return 0.0
    i = np.arange(batch, dtype=np.float64)
    return float(np.exp(np.sum(np.log1p(-n_c / (n_total - i)))))


# ---------------------------------------------------------------- expected_per_batch


def test_expected_per_batch_hand():
    # [6,3,1], N=10, B=5: 5*6/10 = 3, 5*3/10 = 1.5, 5*1/10 = .5
    got = b.expected_per_batch(np.array([6, 3, 1]), 5)
    np.testing.assert_allclose(got, [3.0, 1.5, 0.5], rtol=1e-12)
    got = b.expected_per_batch(np.array([1, 6, 3]), 5)
    np.testing.assert_allclose(got, [0.5, 3.0, 1.5], rtol=1e-12)


def test_expected_per_batch_single_class():
    np.testing.assert_allclose(b.expected_per_batch(np.array([7]), 4), [4.0])


# ---------------------------------------------------------------- p_absent hand cases


def test_p_absent_hand_b2():
    # N=10, B=2, C(10,2)=45
    # n=6: C(4,2)/45 = 6/45 = 2/15 ; n=3: C(7,2)/45 = 21/45 = 7/15 ; n=1: C(9,2)/45 = 36/45 = .8
    got = b.p_absent_per_batch(np.array([6, 3, 1]), 2)
    np.testing.assert_allclose(got, [2 / 15, 7 / 15, 0.8], rtol=1e-12)


def test_p_absent_hand_b5():
    # N=10, B=5, C(10,5)=252
    # n=6: N-n = 4 < 5 -> 0 ; n=3: C(7,5)/252 = 21/252 = 1/12 ; n=1: C(9,5)/252 = 126/252 = .5
    got = b.p_absent_per_batch(np.array([6, 3, 1]), 5)
    np.testing.assert_allclose(got, [0.0, 1 / 12, 0.5], rtol=1e-12, atol=0)
    assert got[0] == 0.0


def test_p_absent_b1():
    # B=1: C(N-n,1)/C(N,1) = (N-n)/N = 1 - n/N
    c = np.array([6, 3, 1])
    np.testing.assert_allclose(b.p_absent_per_batch(c, 1), [0.4, 0.7, 0.9], rtol=1e-12)


def test_p_absent_b_equals_n():
    # B=N: every class is present in the (single, full) batch
    c = np.array([6, 3, 1])
    np.testing.assert_array_equal(b.p_absent_per_batch(c, 10), [0.0, 0.0, 0.0])


def test_p_absent_n_c_equals_n_minus_b():
    # counts [3, 7], N=10, B=7: class 0 has N-n = 7 = B -> C(7,7)/C(10,7) = 1/120;
    # class 1 has N-n = 3 < 7 -> 0
    got = b.p_absent_per_batch(np.array([3, 7]), 7)
    np.testing.assert_allclose(got, [1 / 120, 0.0], rtol=1e-12, atol=0)


def test_p_absent_single_class_is_zero():
    for batch in range(1, 6):
        np.testing.assert_array_equal(b.p_absent_per_batch(np.array([5]), batch), [0.0])


@pytest.mark.parametrize("batch", [0, -1, 11, 1000])
def test_p_absent_rejects_bad_batch(batch):
    with pytest.raises(ValueError):
        b.p_absent_per_batch(np.array([6, 3, 1]), batch)


# ---------------------------------------------------------------- library / exact oracles


@settings(max_examples=80, deadline=None)
@given(counts_st, st.data())
def test_p_absent_matches_exact_and_scipy(c, data):
    n = int(c.sum())
    batch = data.draw(st.integers(min_value=1, max_value=n))
    got = b.p_absent_per_batch(c, batch)
    assert got.shape == c.shape
    exact = np.array([p_absent_exact(n, int(x), batch) for x in c])
    sp = scipy.stats.hypergeom.pmf(0, n, c, batch)
    # relative where meaningful; absolute floor for underflowed tails
    np.testing.assert_allclose(got, exact, rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(got, sp, rtol=1e-7, atol=1e-300)


def test_p_absent_boundaries_against_scipy():
    c = np.array([1, 2, 50, 947])
    n = int(c.sum())  # 1000
    for batch in (1, 2, 53, 998, 999, 1000):
        got = b.p_absent_per_batch(c, batch)
        sp = scipy.stats.hypergeom.pmf(0, n, c, batch)
        exact = [p_absent_exact(n, int(x), batch) for x in c]
        np.testing.assert_allclose(got, exact, rtol=1e-9, atol=1e-300)
        np.testing.assert_allclose(got, sp, rtol=1e-7, atol=1e-300)


def test_p_absent_huge_n_tiny_values():
    # N = 10^7, B = 4096. For n_c = 10^5: (1 - .01)^4096 ~ e^-41 ~ 1.4e-18
    # (tiny but representable); n_c = 10^6 -> ~1e-187; n_c = 1 -> 1 - 4096/1e7.
    small = np.array([1, 10, 1000, 100_000, 1_000_000, 3_000_000])
    big = 10_000_000 - int(small.sum())
    c = np.concatenate([small, [big]])
    n = int(c.sum())
    assert n == 10_000_000
    batch = 4096
    got = b.p_absent_per_batch(c, batch)
    oracle = np.array([p_absent_log1p(n, int(x), batch) for x in c])
    sp = scipy.stats.hypergeom.pmf(0, n, c, batch)
    assert got[0] == pytest.approx(1 - 4096 / 1e7, rel=1e-12)
    assert 1e-19 < got[3] < 1e-17
    assert 0 < got[4] < 1e-150
    np.testing.assert_allclose(got, oracle, rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(got, sp, rtol=1e-6, atol=1e-300)
    # 3e6 of 1e7: 0.7^4096 ~ 1e-635 underflows to 0 in double precision
    assert got[5] == pytest.approx(0.0, abs=1e-300)
    assert np.all(np.isfinite(got)) and np.all(got >= 0)


def test_p_absent_million_classes_fast():
    rng = np.random.default_rng(0)
    c = np.concatenate(
        [
            np.full(900_000, 1),
            np.full(90_000, 10),
            np.full(9_999, 1000),
            [50_000],
        ]
    ).astype(np.int64)
    rng.shuffle(c)
    n = int(c.sum())  # 900000 + 900000 + 9999000 + 50000 = 11_849_000
    assert n == 11_849_000
    batch = 4096
    b.p_absent_per_batch(np.array([6, 3, 1]), 2)  # warm-up (imports, caches)
    t0 = time.perf_counter()
    got = b.p_absent_per_batch(c, batch)
    elapsed = time.perf_counter() - t0
    assert elapsed < 1.0, f"p_absent_per_batch took {elapsed:.2f}s for 1e6 classes"
    assert got.shape == c.shape
    distinct = np.unique(c)
    table = {int(v): scipy.stats.hypergeom.pmf(0, n, int(v), batch) for v in distinct}
    logtab = {int(v): p_absent_log1p(n, int(v), batch) for v in distinct}
    for v in distinct:
        sel = got[c == v]
        assert np.all(sel == sel[0]), "equal counts must get equal p_absent"
        assert sel[0] == pytest.approx(logtab[int(v)], rel=1e-9, abs=1e-300)
        assert sel[0] == pytest.approx(table[int(v)], rel=1e-6, abs=1e-300)


# ---------------------------------------------------------------- batches_between_appearances


def test_batches_between_appearances_hand():
    # 1/(1-0) = 1, 1/(1-.5) = 2, 1/(1-.8) = 5, 1/(1-.99) = 100
    got = b.batches_between_appearances(np.array([0.0, 0.5, 0.8, 0.99]))
    np.testing.assert_allclose(got, [1.0, 2.0, 5.0, 100.0], rtol=1e-12)


def test_batches_between_appearances_chain():
    # [6,3,1], B=2: p = (2/15, 7/15, .8) -> 15/13, 15/8, 5
    p = b.p_absent_per_batch(np.array([6, 3, 1]), 2)
    np.testing.assert_allclose(b.batches_between_appearances(p), [15 / 13, 15 / 8, 5.0], rtol=1e-12)


# ---------------------------------------------------------------- invariants


@settings(max_examples=80, deadline=None)
@given(counts_st, st.data())
def test_expected_per_batch_sums_to_batch(c, data):
    n = int(c.sum())
    batch = data.draw(st.integers(min_value=1, max_value=n))
    e = b.expected_per_batch(c, batch)
    assert e.shape == c.shape
    assert float(np.sum(e)) == pytest.approx(batch, rel=1e-12)
    np.testing.assert_allclose(e, batch * c / n, rtol=1e-12)


@settings(max_examples=80, deadline=None)
@given(counts_st, st.data())
def test_p_absent_decreases_with_count(c, data):
    n = int(c.sum())
    assume(len(c) >= 2)
    batch = data.draw(st.integers(min_value=1, max_value=n))
    p = b.p_absent_per_batch(c, batch)
    assert np.all((p >= 0) & (p <= 1))
    order = np.argsort(c, kind="stable")
    for lo, hi in zip(order[:-1], order[1:]):
        if c[lo] == c[hi]:
            assert p[lo] == pytest.approx(p[hi], rel=1e-12, abs=0)
        else:  # c[lo] < c[hi]
            assert p[lo] >= p[hi]
            if p[hi] > 1e-290:
                assert p[lo] > p[hi]


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=2, max_value=2000), st.data())
def test_p_absent_strictly_monotone_in_n_c_fixed_n(n, data):
    # with N and B fixed, C(N-n, B)/C(N,B) strictly decreases in n until it hits 0
    batch = data.draw(st.integers(min_value=1, max_value=n - 1))
    n_lo = data.draw(st.integers(min_value=1, max_value=n - 1))
    n_hi = data.draw(st.integers(min_value=n_lo, max_value=n - 1))
    assume(n_hi > n_lo)
    p_lo = b.p_absent_per_batch(np.array([n_lo, n - n_lo]), batch)[0]
    p_hi = b.p_absent_per_batch(np.array([n_hi, n - n_hi]), batch)[0]
    assert p_lo >= p_hi
    assert p_lo == pytest.approx(p_absent_exact(n, n_lo, batch), rel=1e-9, abs=1e-300)
    assert p_hi == pytest.approx(p_absent_exact(n, n_hi, batch), rel=1e-9, abs=1e-300)
