"""Oracle tests for imbalcheck.plateau.

L_k = -sum_{c not in top k} p_c ln(p_c / R_k), R_k = sum of shares outside the
k most frequent classes. The oracle builds the predicted distribution of the
model that has "learned the top k classes" explicitly and averages the
cross-entropy over every sample.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

from imbalcheck import plateau as pl

counts_st = st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=25).map(
    lambda xs: np.array(xs, dtype=np.int64)
)


def ladder_oracle(counts, k):
    """Expected cross-entropy of an explicit K x K predictor, averaged over all N samples."""
    counts = [int(x) for x in counts]
    kk = len(counts)
    n = sum(counts)
    order = sorted(range(kk), key=lambda i: -counts[i])
    top = set(order[:k])
    rest = [i for i in range(kk) if i not in top]
    r = sum(counts[i] for i in rest) / n
    q = np.zeros((kk, kk))  # q[true_class] = predicted distribution
    for c in range(kk):
        if c in top:
            q[c, c] = 1.0
        else:
            for j in rest:
                q[c, j] = (counts[j] / n) / r
    assert np.allclose(q.sum(axis=1), 1.0)
    total = 0.0
    for c in range(kk):  # one term per sample, literally
        for _ in range(counts[c]):
            total += -math.log(q[c, c])
    return total / n


# ---------------------------------------------------------------- hand cases


def test_initial_loss():
    assert pl.initial_loss(10) == pytest.approx(2.302585093, abs=1e-9)
    assert pl.initial_loss(224) == pytest.approx(math.log(224), rel=1e-14)
    assert pl.initial_loss(2) == pytest.approx(0.6931471806, abs=1e-9)
    assert pl.initial_loss(1) == pytest.approx(0.0, abs=1e-15)


def test_ladder_loss_631():
    # [6,3,1], p = (.6,.3,.1)
    # k=0: L = H = 0.8979457249
    # k=1: rest {.3,.1}, R = .4; L = -(.3 ln(.3/.4) + .1 ln(.1/.4))
    #      = .3 ln(4/3) + .1 ln 4 = .3*0.2876820725 + .1*1.3862943611 = 0.0863046217 + 0.1386294361 = 0.2249340578
    # k=2: rest {.1}, R = .1; L = -.1 ln 1 = 0
    # k=3: nothing left -> 0
    c = np.array([3, 1, 6])
    assert pl.ladder_loss(c, 0) == pytest.approx(0.8979457249, abs=1e-9)
    assert pl.ladder_loss(c, 1) == pytest.approx(0.2249340578, abs=1e-9)
    assert pl.ladder_loss(c, 2) == pytest.approx(0.0, abs=1e-15)
    assert pl.ladder_loss(c, 3) == pytest.approx(0.0, abs=1e-15)
    assert pl.ladder_loss(c, 10) == pytest.approx(0.0, abs=1e-15)


def test_ladder_loss_ties():
    # [4,4,2]: top1 is one of the 4s; rest shares {.4,.2} either way, R = .6
    # L_1 = -(.4 ln(2/3) + .2 ln(1/3)) = .4*0.4054651081 + .2*1.0986122887 = 0.1621860432 + 0.2197224577 = 0.3819085009
    c = np.array([4, 2, 4])
    assert pl.ladder_loss(c, 1) == pytest.approx(0.3819085009, abs=1e-9)
    # uniform (5,5,5,5): L_k = (1 - k/4) ln(4 - k)
    u = np.array([5, 5, 5, 5])
    for k in range(5):
        expected = (1 - k / 4) * math.log(4 - k) if k < 4 else 0.0
        assert pl.ladder_loss(u, k) == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_ladder_loss_single_class():
    assert pl.ladder_loss(np.array([7]), 0) == pytest.approx(0.0, abs=1e-15)
    assert pl.ladder_loss(np.array([7]), 1) == pytest.approx(0.0, abs=1e-15)


def test_ladder_default_ks_631():
    # K=3 -> only k=1 from (1,5,10,20,50,100) is < K
    got = pl.ladder(np.array([6, 3, 1]))
    assert [r["top_k"] for r in got] == [1]
    assert got[0]["loss"] == pytest.approx(0.2249340578, abs=1e-9)


def test_ladder_custom_ks_and_filtering():
    got = pl.ladder(np.array([6, 3, 1]), ks=(1, 2, 3, 4))
    assert [r["top_k"] for r in got] == [1, 2]
    assert got[0]["loss"] == pytest.approx(0.2249340578, abs=1e-9)
    assert got[1]["loss"] == pytest.approx(0.0, abs=1e-15)


def test_ladder_single_class_empty():
    assert pl.ladder(np.array([7])) == []


def test_ladder_default_ks_many_classes():
    # K = 60 -> rungs 1,5,10,20,50 (100 >= 60 dropped)
    c = np.arange(1, 61)
    got = pl.ladder(c)
    assert [r["top_k"] for r in got] == [1, 5, 10, 20, 50]
    for r in got:
        assert r["loss"] == pytest.approx(ladder_oracle(c, r["top_k"]), rel=1e-10, abs=1e-14)


# ---------------------------------------------------------------- nearest_rung

RUNGS = [{"top_k": 1, "loss": 1.0}, {"top_k": 5, "loss": 0.5}]
PRIOR = 2.0
INITIAL = math.log(10)  # 2.302585


@pytest.mark.parametrize(
    "loss,top_k,rung_loss",
    [
        (0.55, 5, 0.5),  # |.55-.5| = .05 vs |.55-1| = .45
        (0.0, 5, 0.5),  # .5 vs 1
        (0.9, 1, 1.0),  # .1 vs .4
        (1.6, 0, PRIOR),  # prior: .4 ; rung1: .6 ; initial: .70
        (2.1, 0, PRIOR),  # prior: .1 ; initial: .2026
        (2.25, None, INITIAL),  # initial: .0526 ; prior: .25
        (3.0, None, INITIAL),  # initial: .6974
    ],
)
def test_nearest_rung(loss, top_k, rung_loss):
    got = pl.nearest_rung(loss, RUNGS, PRIOR, INITIAL)
    assert got["top_k"] == top_k
    assert got["loss"] == pytest.approx(rung_loss, rel=1e-14)
    assert got["distance"] == pytest.approx(abs(loss - rung_loss), rel=1e-12, abs=1e-15)


def test_nearest_rung_no_rungs():
    got = pl.nearest_rung(0.1, [], PRIOR, INITIAL)
    assert got["top_k"] == 0
    assert got["distance"] == pytest.approx(1.9, rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    st.floats(min_value=0.0, max_value=10.0),
    st.lists(st.floats(min_value=0.0, max_value=5.0), max_size=6),
    st.floats(min_value=0.0, max_value=5.0),
    st.floats(min_value=0.0, max_value=6.0),
)
def test_nearest_rung_distance_is_minimum(loss, rung_losses, prior, initial):
    rungs = [{"top_k": i + 1, "loss": x} for i, x in enumerate(rung_losses)]
    got = pl.nearest_rung(loss, rungs, prior, initial)
    cands = [(None, initial), (0, prior)] + [(r["top_k"], r["loss"]) for r in rungs]
    best = min(abs(loss - x) for _, x in cands)
    assert got["distance"] == pytest.approx(best, rel=1e-12, abs=1e-15)
    assert (got["top_k"], got["loss"]) in cands
    assert got["distance"] == pytest.approx(abs(loss - got["loss"]), rel=1e-12, abs=1e-15)


# ---------------------------------------------------------------- oracles / invariants


@settings(max_examples=60, deadline=None)
@given(counts_st, st.data())
def test_ladder_loss_matches_explicit_model(c, data):
    k = data.draw(st.integers(min_value=0, max_value=len(c)))
    assert pl.ladder_loss(c, k) == pytest.approx(ladder_oracle(c, k), rel=1e-10, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(counts_st)
def test_l0_is_entropy(c):
    assert pl.ladder_loss(c, 0) == pytest.approx(scipy.stats.entropy(c), rel=1e-10, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(counts_st)
def test_ladder_non_increasing_and_complete(c):
    kk = len(c)
    ks = tuple(range(1, kk + 3))
    got = pl.ladder(c, ks=ks)
    assert [r["top_k"] for r in got] == list(range(1, kk))
    losses = [pl.ladder_loss(c, 0)] + [r["loss"] for r in got]
    for a, b in zip(losses, losses[1:]):
        assert b <= a + 1e-12
    for r in got:
        assert r["loss"] >= 0
        assert r["loss"] == pytest.approx(ladder_oracle(c, r["top_k"]), rel=1e-10, abs=1e-12)
    # never above the uniform initial loss
    assert pl.ladder_loss(c, 0) <= pl.initial_loss(kk) + 1e-12


@settings(max_examples=40, deadline=None)
@given(counts_st, st.randoms(use_true_random=False), st.integers(min_value=0, max_value=30))
def test_ladder_loss_permutation_invariant(c, rnd, k):
    perm = list(range(len(c)))
    rnd.shuffle(perm)
    assert pl.ladder_loss(c[perm], k) == pytest.approx(pl.ladder_loss(c, k), rel=1e-12, abs=1e-15)
