"""Oracle tests for the sampling strategies, the per-row sampler and the class weights.

Every expected number is derived here from the published formulas (hand arithmetic,
numpy written in this file), from scikit-learn's ``compute_class_weight`` or from
PyTorch's own ``WeightedRandomSampler``; the code under test is never asked for an
expected value.

Formulas (counts n_c, N = sum n_c, K classes, batch size B):
  instance        pi_c = n_c / N                                 (Kang et al. 2020, q = 1)
  square_root     pi_c = sqrt(n_c) / sum_j sqrt(n_j)              (q = 1/2)
  class_balanced  pi_c = 1 / K                                    (q = 0)
  power           pi_c = n_c^q / sum_j n_j^q
  repeat_factor   r_c = max(1, sqrt(t / f_c)), f_c = n_c / N; pi_c proportional to n_c r_c
                  (Gupta et al., LVIS 2019; detectron2 RepeatFactorTrainingSampler)
  progressive     pi_c = (1 - p) n_c / N + p / K
  undersample     kept_c = min(n_c, C), C = floor(median) by default
  per class       E[per batch] = B pi_c, P(absent) = (1 - pi_c)^B,
                  draws per sample per epoch = L pi_c / n_c (L the unrounded epoch length)
  with replacement: distinct share = sum_c n_c (1 - (1 - pi_c / n_c)^L) / N
"""

from __future__ import annotations

import io
import json
import math
import subprocess

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import imbalcheck

STRATEGIES = ["instance", "square_root", "class_balanced", "repeat_factor", "progressive", "undersample"]
PER_CLASS_KEYS = {"probability", "expected_per_batch", "p_absent_per_batch", "draws_per_sample_per_epoch"}


# ----------------------------------------------------------------------------- oracle


def oracle_probabilities(counts, name, *, t=0.001, progress=0.5, cap=None, q=None):
    """(pi, unrounded epoch length, distinct share) written straight from the formulas."""
    n = np.asarray(counts, dtype=float)
    big_n = n.sum()
    k = len(n)
    if name == "instance":
        pi = n / big_n
        return pi, big_n, 1.0
    if name in ("square_root", "class_balanced", "power", "progressive"):
        if name == "square_root":
            pi = np.sqrt(n) / np.sqrt(n).sum()
        elif name == "class_balanced":
            pi = np.full(k, 1.0 / k)
        elif name == "power":
            pi = n**q / (n**q).sum()
        else:
            pi = (1 - progress) * n / big_n + progress / k
        length = big_n
        distinct = float(np.sum(n * (1 - (1 - pi / n) ** length)) / big_n)
        return pi, length, distinct
    if name == "repeat_factor":
        r = np.maximum(1.0, np.sqrt(t / (n / big_n)))
        pi = n * r / np.sum(n * r)
        return pi, float(np.sum(n * r)), 1.0
    if name == "undersample":
        c = cap if cap is not None else max(1, math.floor(float(np.median(n))))
        kept = np.minimum(n, c)
        return kept / kept.sum(), float(kept.sum()), float(kept.sum() / big_n)
    raise AssertionError(name)


def profile_sampling(counts: dict, batch_size: int):
    return imbalcheck.profile(counts, batch_size=batch_size).to_dict()["sampling"]


def assert_strategy_matches(block, counts: dict, name: str, batch_size: int, rtol=1e-9, **params):
    labels = list(counts)
    n = np.array([counts[c] for c in labels], dtype=float)
    pi, length, distinct = oracle_probabilities(n, name, **params)
    assert block["epoch_length"] == round(length)
    assert isinstance(block["epoch_length"], int)
    assert block["distinct_share_per_epoch"] == pytest.approx(distinct, rel=rtol, abs=1e-12)
    assert block["gradient_share_ratio"] == pytest.approx(pi.max() / pi.min(), rel=rtol)
    assert set(block["classes"]) == set(labels)
    for label, p, nc in zip(labels, pi, n):
        got = block["classes"][label]
        assert set(got) >= PER_CLASS_KEYS
        assert got["probability"] == pytest.approx(p, rel=rtol)
        assert got["expected_per_batch"] == pytest.approx(batch_size * p, rel=rtol)
        assert got["p_absent_per_batch"] == pytest.approx((1 - p) ** batch_size, rel=1e-7, abs=1e-300)
        assert got["draws_per_sample_per_epoch"] == pytest.approx(length * p / nc, rel=rtol)


# --------------------------------------------------------- profile: hand-computed vector

C3 = {"a": 900, "b": 90, "c": 10}  # N = 1000, K = 3
B = 32


@pytest.fixture(scope="module")
def s3():
    return profile_sampling(C3, B)


def test_sampling_document_shape(s3):
    assert s3["batch_size"] == B
    assert set(s3["strategies"]) == set(STRATEGIES)
    assert s3["strategies"]["repeat_factor"]["params"] == {"t": 0.001}
    assert s3["strategies"]["progressive"]["params"] == {"progress": 0.5}
    # the middle (t/T = 0.5, the average over training) is the top-level figures; start and end beside it
    assert set(s3["strategies"]["progressive"]["stages"]) == {"start", "end"}


def test_instance_hand(s3):
    d = s3["strategies"]["instance"]
    assert d["epoch_length"] == 1000
    assert d["distinct_share_per_epoch"] == pytest.approx(1.0)
    assert d["gradient_share_ratio"] == pytest.approx(90.0)
    cls = d["classes"]
    for lab, p in [("a", 0.9), ("b", 0.09), ("c", 0.01)]:
        assert cls[lab]["probability"] == pytest.approx(p)
        assert cls[lab]["expected_per_batch"] == pytest.approx(32 * p)
        assert cls[lab]["draws_per_sample_per_epoch"] == pytest.approx(1.0)
    assert cls["a"]["expected_per_batch"] == pytest.approx(28.8)
    assert cls["b"]["expected_per_batch"] == pytest.approx(2.88)
    assert cls["c"]["expected_per_batch"] == pytest.approx(0.32)
    assert cls["a"]["p_absent_per_batch"] == pytest.approx(1e-32, rel=1e-9)  # 0.1^32
    assert cls["b"]["p_absent_per_batch"] == pytest.approx(0.048901767249649, rel=1e-9)  # 0.91^32
    assert cls["c"]["p_absent_per_batch"] == pytest.approx(0.724980335957854, rel=1e-9)  # 0.99^32


def test_square_root_hand(s3):
    # sqrt(900) = 30, sqrt(90) = 3 sqrt(10), sqrt(10): denominator 30 + 4 sqrt(10)
    r10 = math.sqrt(10)
    den = 30 + 4 * r10
    pi = {"a": 30 / den, "b": 3 * r10 / den, "c": r10 / den}
    assert pi["a"] == pytest.approx(0.703414433, rel=1e-8)
    d = s3["strategies"]["square_root"]
    assert d["epoch_length"] == 1000
    assert d["gradient_share_ratio"] == pytest.approx(math.sqrt(90))  # 3 sqrt(10)
    for lab, nc in C3.items():
        got = d["classes"][lab]
        assert got["probability"] == pytest.approx(pi[lab], rel=1e-12)
        assert got["expected_per_batch"] == pytest.approx(32 * pi[lab], rel=1e-12)
        assert got["p_absent_per_batch"] == pytest.approx((1 - pi[lab]) ** 32, rel=1e-9)
        assert got["draws_per_sample_per_epoch"] == pytest.approx(1000 * pi[lab] / nc, rel=1e-12)
    distinct = sum(nc * (1 - (1 - pi[lab] / nc) ** 1000) for lab, nc in C3.items()) / 1000
    assert d["distinct_share_per_epoch"] == pytest.approx(distinct, rel=1e-9)
    assert d["distinct_share_per_epoch"] == pytest.approx(0.5806248, rel=1e-6)


def test_class_balanced_hand(s3):
    d = s3["strategies"]["class_balanced"]
    assert d["epoch_length"] == 1000
    assert d["gradient_share_ratio"] == pytest.approx(1.0)
    draws = {"a": 1000 / 3 / 900, "b": 1000 / 3 / 90, "c": 1000 / 3 / 10}  # 0.370, 3.70, 33.3
    for lab in C3:
        got = d["classes"][lab]
        assert got["probability"] == pytest.approx(1 / 3)
        assert got["expected_per_batch"] == pytest.approx(32 / 3)
        assert got["p_absent_per_batch"] == pytest.approx((2 / 3) ** 32, rel=1e-9)
        assert got["draws_per_sample_per_epoch"] == pytest.approx(draws[lab], rel=1e-12)
    assert d["classes"]["c"]["draws_per_sample_per_epoch"] == pytest.approx(100 / 3)
    distinct = (900 * (1 - (1 - 1 / 2700) ** 1000) + 90 * (1 - (1 - 1 / 270) ** 1000)
                + 10 * (1 - (1 - 1 / 30) ** 1000)) / 1000
    assert d["distinct_share_per_epoch"] == pytest.approx(distinct, rel=1e-9)


def test_repeat_factor_hand_no_repeats(s3):
    # f = 0.9, 0.09, 0.01 all above t = 0.001: every r_c = 1, so it is instance sampling
    d = s3["strategies"]["repeat_factor"]
    assert d["params"] == {"t": 0.001}
    assert d["epoch_length"] == 1000
    assert d["distinct_share_per_epoch"] == pytest.approx(1.0)
    assert d["gradient_share_ratio"] == pytest.approx(90.0)
    for lab, p in [("a", 0.9), ("b", 0.09), ("c", 0.01)]:
        assert d["classes"][lab]["probability"] == pytest.approx(p)
        assert d["classes"][lab]["draws_per_sample_per_epoch"] == pytest.approx(1.0)


def test_repeat_factor_hand_with_repeats():
    counts = {"a": 10_000, "b": 5, "c": 1}  # N = 10006
    # f_b = 5/10006 -> r_b = sqrt(0.001 * 10006 / 5) = sqrt(2.0012); r_c = sqrt(10.006); r_a = 1
    r = {"a": 1.0, "b": math.sqrt(2.0012), "c": math.sqrt(10.006)}
    assert r["c"] == pytest.approx(3.16322620, rel=1e-8)
    length = 10_000 + 5 * r["b"] + r["c"]  # 10010.2364...
    d = profile_sampling(counts, 64)["strategies"]["repeat_factor"]
    assert d["epoch_length"] == round(length) == 10010
    assert d["distinct_share_per_epoch"] == pytest.approx(1.0)
    for lab, nc in counts.items():
        got = d["classes"][lab]
        assert got["draws_per_sample_per_epoch"] == pytest.approx(r[lab], rel=1e-9)
        assert got["probability"] == pytest.approx(nc * r[lab] / length, rel=1e-9)
    assert d["gradient_share_ratio"] == pytest.approx(10_000 / r["c"], rel=1e-9)


def test_progressive_hand(s3):
    d = s3["strategies"]["progressive"]
    mid = {"a": 0.45 + 1 / 6, "b": 0.045 + 1 / 6, "c": 0.005 + 1 / 6}  # 0.6167, 0.2117, 0.1717
    assert d["epoch_length"] == 1000
    assert d["gradient_share_ratio"] == pytest.approx(mid["a"] / mid["c"], rel=1e-12)
    for lab, nc in C3.items():
        assert d["classes"][lab]["probability"] == pytest.approx(mid[lab], rel=1e-12)
        assert d["classes"][lab]["draws_per_sample_per_epoch"] == pytest.approx(1000 * mid[lab] / nc, rel=1e-12)
    stages = d["stages"]
    start = {"a": 0.9, "b": 0.09, "c": 0.01}
    for stage, pi in [("start", start), ("end", {k: 1 / 3 for k in C3})]:
        assert stages[stage]["epoch_length"] == 1000
        for lab in C3:
            assert stages[stage]["probability"][lab] == pytest.approx(pi[lab], rel=1e-12)
    assert stages["start"]["gradient_share_ratio"] == pytest.approx(90.0)
    assert stages["end"]["gradient_share_ratio"] == pytest.approx(1.0)


def test_undersample_hand(s3):
    d = s3["strategies"]["undersample"]
    # median(900, 90, 10) = 90 -> kept 90, 90, 10; 190 in all
    assert d["params"] == {"cap": 90}
    assert d["epoch_length"] == 190
    assert d["samples_discarded"] == 810
    assert d["distinct_share_per_epoch"] == pytest.approx(0.19)
    assert d["gradient_share_ratio"] == pytest.approx(9.0)
    for lab, p, draws in [("a", 9 / 19, 0.1), ("b", 9 / 19, 1.0), ("c", 1 / 19, 1.0)]:
        got = d["classes"][lab]
        assert got["probability"] == pytest.approx(p)
        assert got["expected_per_batch"] == pytest.approx(32 * p)
        assert got["p_absent_per_batch"] == pytest.approx((1 - p) ** 32, rel=1e-9)
        assert got["draws_per_sample_per_epoch"] == pytest.approx(draws)


def test_undersample_even_count_median_is_floored():
    counts = {"a": 10, "b": 5, "c": 4, "d": 1}  # median 4.5 -> cap 4; kept 4, 4, 4, 1 = 13
    d = profile_sampling(counts, 8)["strategies"]["undersample"]
    assert d["params"] == {"cap": 4}
    assert d["epoch_length"] == 13
    assert d["samples_discarded"] == 20 - 13
    assert d["distinct_share_per_epoch"] == pytest.approx(13 / 20)
    assert d["classes"]["a"]["draws_per_sample_per_epoch"] == pytest.approx(0.4)
    assert d["classes"]["d"]["probability"] == pytest.approx(1 / 13)


# ------------------------------------------------------ profile: any count vector

count_vectors = st.lists(st.integers(min_value=1, max_value=100_000), min_size=2, max_size=25)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(count_vectors, st.integers(min_value=1, max_value=256))
def test_every_strategy_matches_formulas(counts, batch_size):
    batch_size = min(batch_size, sum(counts))
    mapping = {f"k{i:02d}": c for i, c in enumerate(counts)}
    s = profile_sampling(mapping, batch_size)
    assert s["batch_size"] == batch_size
    for name in STRATEGIES:
        assert_strategy_matches(s["strategies"][name], mapping, name, batch_size, rtol=1e-7)
    stages = s["strategies"]["progressive"]["stages"]
    for stage, p in [("start", 0.0), ("end", 1.0)]:
        pi, _, _ = oracle_probabilities(counts, "progressive", progress=p)
        for lab, want in zip(mapping, pi):
            assert stages[stage]["probability"][lab] == pytest.approx(want, rel=1e-7)
    n = np.array(counts)
    cap = max(1, math.floor(float(np.median(n))))
    u = s["strategies"]["undersample"]
    assert u["params"]["cap"] == cap
    assert u["samples_discarded"] == int(n.sum() - np.minimum(n, cap).sum())
    # repeat factor: draws per sample is exactly r_c, never below 1
    r = np.maximum(1.0, np.sqrt(0.001 / (n / n.sum())))
    for lab, rc in zip(mapping, r):
        assert s["strategies"]["repeat_factor"]["classes"][lab]["draws_per_sample_per_epoch"] == pytest.approx(rc, rel=1e-7)


# ------------------------------------------------------------------ sampler (per row)

LIST6 = ["a"] * 6 + ["b"] * 3 + ["c"] + [None]  # n = 6, 3, 1; N = 10; one missing


def test_sampler_class_balanced_hand():
    s = imbalcheck.sampler(LIST6, "class_balanced")
    # epoch 10, pi = 1/3 -> weight = 10/3/n: 5/9, 10/9, 10/3; missing 0
    want = np.array([5 / 9] * 6 + [10 / 9] * 3 + [10 / 3] + [0.0])
    np.testing.assert_allclose(s.weights, want, rtol=1e-12)
    assert len(s.weights) == len(LIST6)
    assert s.weights.sum() == pytest.approx(10.0)
    assert s.num_samples == 10
    d = s.to_dict()
    assert set(d) >= {"schema_version", "source", "column", "input_format", "strategy", "params", "multi_label",
                      "n_rows", "n_missing", "num_samples", "warnings", "classes"}
    assert d["strategy"] == "class_balanced"
    assert d["multi_label"] is False
    assert d["n_rows"] == 11
    assert d["n_missing"] == 1
    assert d["num_samples"] == 10
    assert d["classes"]["a"]["count"] == 6
    assert d["classes"]["c"]["count"] == 1
    for lab, w in [("a", 5 / 9), ("b", 10 / 9), ("c", 10 / 3)]:
        assert d["classes"][lab]["probability"] == pytest.approx(1 / 3)
        assert d["classes"][lab]["weight"] == pytest.approx(w)


def test_sampler_square_root_hand():
    s = imbalcheck.sampler(LIST6, "square_root")
    den = math.sqrt(6) + math.sqrt(3) + 1
    w = {lab: 10 * (math.sqrt(n) / den) / n for lab, n in [("a", 6), ("b", 3), ("c", 1)]}
    want = [w["a"]] * 6 + [w["b"]] * 3 + [w["c"], 0.0]
    np.testing.assert_allclose(s.weights, want, rtol=1e-12)
    assert s.num_samples == 10


def test_sampler_instance_is_all_ones():
    s = imbalcheck.sampler(LIST6, "instance")
    np.testing.assert_allclose(s.weights, [1.0] * 10 + [0.0])
    assert s.num_samples == 10


def test_sampler_undersample_hand():
    # median(6, 3, 1) = 3 -> kept 3, 3, 1 = 7; weight = kept / n
    s = imbalcheck.sampler(LIST6, "undersample")
    np.testing.assert_allclose(s.weights, [0.5] * 6 + [1.0] * 3 + [1.0, 0.0], rtol=1e-12)
    assert s.num_samples == 7
    s = imbalcheck.sampler(LIST6, "undersample", cap=2)
    np.testing.assert_allclose(s.weights, [1 / 3] * 6 + [2 / 3] * 3 + [1.0, 0.0], rtol=1e-12)
    assert s.num_samples == 5
    assert s.to_dict()["params"]["cap"] == 2


def test_sampler_repeat_factor_single_label_hand():
    # t = 0.3: f = 0.6, 0.3, 0.1 -> r = 1, 1, sqrt(3); epoch = 6 + 3 + sqrt(3) = 10.73 -> 11
    s = imbalcheck.sampler(LIST6, "repeat_factor", t=0.3)
    np.testing.assert_allclose(s.weights, [1.0] * 9 + [math.sqrt(3), 0.0], rtol=1e-12)
    assert s.num_samples == 11
    assert s.to_dict()["params"]["t"] == pytest.approx(0.3)


def test_sampler_progressive_hand():
    # p = 0.25: pi = 0.75 n/10 + 0.25/3; weight = 10 pi / n = 0.75 + 2.5 / (3 n)
    s = imbalcheck.sampler(LIST6, "progressive", progress=0.25)
    w = {n: 0.75 + 2.5 / (3 * n) for n in (6, 3, 1)}
    np.testing.assert_allclose(s.weights, [w[6]] * 6 + [w[3]] * 3 + [w[1], 0.0], rtol=1e-12)
    assert s.num_samples == 10


@pytest.mark.parametrize("q, same_as", [(0.0, "class_balanced"), (0.5, "square_root"), (1.0, "instance")])
def test_sampler_power_endpoints(q, same_as):
    np.testing.assert_allclose(imbalcheck.sampler(LIST6, "power", q=q).weights,
                               imbalcheck.sampler(LIST6, same_as).weights, rtol=1e-12)


def test_sampler_power_hand():
    s = imbalcheck.sampler(LIST6, "power", q=0.25)
    n = np.array([6.0, 3.0, 1.0])
    pi = n**0.25 / (n**0.25).sum()
    w = 10 * pi / n
    np.testing.assert_allclose(s.weights, [w[0]] * 6 + [w[1]] * 3 + [w[2], 0.0], rtol=1e-12)
    assert s.to_dict()["params"]["q"] == pytest.approx(0.25)


label_lists = st.lists(st.one_of(st.none(), st.sampled_from(list("abcdefg"))), min_size=1, max_size=300).filter(
    lambda xs: any(x is not None for x in xs))


@settings(max_examples=60, deadline=None)
@given(label_lists, st.sampled_from(["instance", "square_root", "class_balanced", "repeat_factor", "progressive",
                                     "undersample", "power"]),
       st.floats(min_value=0.0, max_value=1.0), st.floats(min_value=0.0001, max_value=1.0))
def test_sampler_weights_invariant(labels, strategy, q, t):
    kwargs = {}
    if strategy == "power":
        kwargs["q"] = q
    if strategy == "repeat_factor":
        kwargs["t"] = t
    s = imbalcheck.sampler(labels, strategy, **kwargs)
    present = [x for x in labels if x is not None]
    classes = sorted(set(present))
    n = np.array([present.count(c) for c in classes], dtype=float)
    pi, length, _ = oracle_probabilities(n, strategy, q=q, t=t)
    per_class = dict(zip(classes, length * pi / n))
    want = np.array([0.0 if x is None else per_class[x] for x in labels])
    np.testing.assert_allclose(s.weights, want, rtol=1e-9, atol=1e-12)
    assert s.weights.sum() == pytest.approx(length, rel=1e-9)
    assert s.num_samples == round(length)
    d = s.to_dict()
    assert d["n_rows"] == len(labels)
    assert d["n_missing"] == len(labels) - len(present)
    for c, p in zip(classes, pi):
        assert d["classes"][c]["count"] == present.count(c)
        assert d["classes"][c]["probability"] == pytest.approx(p, rel=1e-9)


# ----------------------------------------------- THE key test: PyTorch draws the rows

def _skewed_rows(seed=0):
    counts = {"head": 6000, "mid1": 1500, "mid2": 400, "tail1": 80, "tail2": 15, "tail3": 3}
    rows = [lab for lab, c in counts.items() for _ in range(c)] + [None] * 200
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(rows))
    return counts, [rows[i] for i in order]


@pytest.mark.parametrize("strategy", ["class_balanced", "square_root", "undersample"])
def test_torch_weighted_random_sampler_draws_pi(strategy):
    torch = pytest.importorskip("torch")
    counts, rows = _skewed_rows()
    s = imbalcheck.sampler(rows, strategy)
    assert len(s.weights) == len(rows)
    draws = 200_000
    sampler = torch.utils.data.WeightedRandomSampler(torch.as_tensor(s.weights), num_samples=draws,
                                                     replacement=True,
                                                     generator=torch.Generator().manual_seed(0))
    picked = np.fromiter(iter(sampler), dtype=np.int64, count=draws)
    labels = np.array(["<none>" if r is None else r for r in rows], dtype=object)
    got = labels[picked]
    assert not np.any(got == "<none>"), "a row with a missing label was drawn"
    pi, _, _ = oracle_probabilities(list(counts.values()), strategy)
    for lab, p in zip(counts, pi):
        freq = np.mean(got == lab)
        se = math.sqrt(p * (1 - p) / draws)
        assert abs(freq - p) <= 5 * se, f"{strategy} {lab}: drew {freq:.5f}, expected {p:.5f} (se {se:.5f})"


def test_torch_sampler_never_draws_missing_rows_multilabel():
    torch = pytest.importorskip("torch")
    rows = [["a"]] * 50 + [["a", "b"]] * 5 + [None] * 30 + [[]] * 10 + [["c"]]
    s = imbalcheck.sampler(rows, "repeat_factor", multi_label=True, t=0.1, empty_labels="missing")
    sampler = torch.utils.data.WeightedRandomSampler(torch.as_tensor(s.weights), num_samples=20_000,
                                                     replacement=True, generator=torch.Generator().manual_seed(0))
    picked = np.fromiter(iter(sampler), dtype=np.int64, count=20_000)
    assert not any(rows[i] is None for i in picked)


# ------------------------------------------------------------------------ multi-label

def test_multilabel_repeat_factor_hand():
    rows = [["a"], ["a", "b"], [], None, ["c"], ["a", "c"]]
    # labelled rows: 5 (the empty list counts, None does not); f_a = 3/5, f_b = 1/5, f_c = 2/5
    t = 0.5
    r = {"a": max(1.0, math.sqrt(t / 0.6)), "b": math.sqrt(t / 0.2), "c": max(1.0, math.sqrt(t / 0.4))}
    assert r["a"] == 1.0 and r["b"] == pytest.approx(math.sqrt(2.5)) and r["c"] == pytest.approx(math.sqrt(1.25))
    want = [r["a"], max(r["a"], r["b"]), 1.0, 0.0, r["c"], max(r["a"], r["c"])]
    s = imbalcheck.sampler(rows, "repeat_factor", multi_label=True, t=t, empty_labels="missing")
    np.testing.assert_allclose(s.weights, want, rtol=1e-12)
    # by default None is an empty cell, a sample with no labels: 6 samples, f_a = 3/6, f_b = 1/6, f_c = 2/6
    r6 = {"a": max(1.0, math.sqrt(t / 0.5)), "b": math.sqrt(t / (1 / 6)), "c": max(1.0, math.sqrt(t / (2 / 6)))}
    default = imbalcheck.sampler(rows, "repeat_factor", multi_label=True, t=t)
    np.testing.assert_allclose(default.weights, [r6["a"], max(r6["a"], r6["b"]), 1.0, 1.0, r6["c"],
                                                 max(r6["a"], r6["c"])], rtol=1e-12)
    assert default.to_dict()["n_missing"] == 0
    d = s.to_dict()
    assert d["multi_label"] is True
    assert d["n_rows"] == 6
    assert d["n_missing"] == 1
    assert d["classes"]["a"]["count"] == 3
    assert d["classes"]["b"]["count"] == 1
    assert d["classes"]["c"]["count"] == 2
    assert d["num_samples"] == s.num_samples == round(sum(want))


def test_multilabel_default_t_lvis_style():
    # 2000 labelled rows; "rare" in 1 row -> f = 1/2000 < 0.001 -> r = sqrt(2); others f >= 0.5 -> 1
    rows = [["common"]] * 1000 + [["common", "other"]] * 999 + [["other", "rare"]] + [None] * 3
    s = imbalcheck.sampler(rows, "repeat_factor", multi_label=True, empty_labels="missing")
    want = np.array([1.0] * 1999 + [math.sqrt(2)] + [0.0] * 3)
    np.testing.assert_allclose(s.weights, want, rtol=1e-12)


def test_multilabel_csv_tags(tmp_path):
    path = tmp_path / "tags.csv"
    path.write_text("tags\na|b\na\n\"\"\nc\na\n", encoding="utf-8")
    # --empty-labels missing: labelled rows 4: f_a = 3/4, f_b = 1/4, f_c = 1/4; t = 0.9
    t = 0.9
    r = {"a": max(1.0, math.sqrt(t / 0.75)), "b": math.sqrt(t / 0.25), "c": math.sqrt(t / 0.25)}
    s = imbalcheck.sampler(str(path), "repeat_factor", multi_label=True, column="tags", t=t, empty_labels="missing")
    np.testing.assert_allclose(s.weights, [max(r["a"], r["b"]), r["a"], 0.0, r["c"], r["a"]], rtol=1e-12)
    # by default the empty cell is a sample with no labels: 5 samples, f_a = 3/5, f_b = f_c = 1/5, its factor 1
    r = {"a": max(1.0, math.sqrt(t / 0.6)), "b": math.sqrt(t / 0.2), "c": math.sqrt(t / 0.2)}
    s = imbalcheck.sampler(str(path), "repeat_factor", multi_label=True, column="tags", t=t)
    np.testing.assert_allclose(s.weights, [max(r["a"], r["b"]), r["a"], 1.0, r["c"], r["a"]], rtol=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.none(), st.lists(st.sampled_from(list("abcde")), max_size=4, unique=True)),
                min_size=1, max_size=200).filter(lambda xs: any(x is not None for x in xs)),
       st.floats(min_value=0.0001, max_value=1.0), st.sampled_from([None, "missing"]))
def test_multilabel_weights_invariant(rows, t, empty_labels):
    s = imbalcheck.sampler(rows, "repeat_factor", multi_label=True, t=t, empty_labels=empty_labels)
    if empty_labels is None:  # None is an empty cell: a sample with no labels
        rows = [[] if r is None else r for r in rows]
    labelled = [r for r in rows if r is not None]
    classes = sorted({c for r in labelled for c in r})
    f = {c: sum(c in r for r in labelled) / len(labelled) for c in classes}
    rc = {c: max(1.0, math.sqrt(t / f[c])) for c in classes}
    want = [0.0 if r is None else (max(rc[c] for c in r) if r else 1.0) for r in rows]
    np.testing.assert_allclose(s.weights, want, rtol=1e-9)
    assert np.all(s.weights[[i for i, r in enumerate(rows) if r is not None]] >= 1.0)


# ------------------------------------------------------------------- encode / save

def test_encode_and_save_round_trip(tmp_path):
    s = imbalcheck.sampler(LIST6, "square_root")
    np.testing.assert_array_equal(np.load(io.BytesIO(s.encode(".npy"))), s.weights)
    np.testing.assert_allclose(_parse_csv_weights(s.encode(".csv").decode()), s.weights, rtol=1e-15)
    for ext in (".npy", ".csv"):
        path = tmp_path / f"w{ext}"
        s.save(path)
        got = np.load(path) if ext == ".npy" else _parse_csv_weights(path.read_text())
        np.testing.assert_allclose(got, s.weights, rtol=1e-15)


def test_encode_pt_round_trip(tmp_path):
    torch = pytest.importorskip("torch")
    s = imbalcheck.sampler(LIST6, "class_balanced")
    got = torch.load(io.BytesIO(s.encode(".pt")))
    np.testing.assert_allclose(np.asarray(got, dtype=float), s.weights, rtol=1e-7)
    s.save(tmp_path / "w.pt")
    np.testing.assert_allclose(np.asarray(torch.load(tmp_path / "w.pt"), dtype=float), s.weights, rtol=1e-7)


def _parse_csv_weights(text: str) -> np.ndarray:
    values = []
    for line in text.splitlines():
        cell = line.split(",")[-1].strip()
        try:
            values.append(float(cell))
        except ValueError:
            continue  # a header
    return np.array(values)


# ------------------------------------------------------------------------ class weights

C631 = {"a": 6, "b": 3, "c": 1}  # N = 10, K = 3
RAW = {
    "ce": [1.0, 1.0, 1.0],
    "inverse": [1 / 6, 1 / 3, 1.0],
    "sqrt_inverse": [6**-0.5, 3**-0.5, 1.0],
    "log_inverse": [math.log(10 / 6), math.log(10 / 3), math.log(10)],
}


def _norm(raw, how, n=np.array([6, 3, 1])):
    raw = np.asarray(raw, dtype=float)
    if how == "samples":
        return raw * n.sum() / np.sum(n * raw)
    if how == "classes":
        return raw * len(raw) / raw.sum()
    return raw


@pytest.mark.parametrize("scheme", list(RAW))
@pytest.mark.parametrize("how", ["samples", "classes", "none"])
def test_class_weights_hand(scheme, how):
    cw = imbalcheck.class_weights(C631, scheme, normalize=how)
    assert list(cw.labels) == ["a", "b", "c"]
    assert cw.normalization == how
    np.testing.assert_allclose(cw.weights, _norm(RAW[scheme], how), rtol=1e-12)


@pytest.mark.parametrize("how", ["samples", "classes", "none"])
def test_effective_number_hand(how):
    beta = 0.9
    raw = [(1 - beta) / (1 - beta**n) for n in (6, 3, 1)]  # 0.1/0.468559, 0.1/0.271, 1
    cw = imbalcheck.class_weights(C631, "effective_number", beta=beta, normalize=how)
    np.testing.assert_allclose(cw.weights, _norm(raw, how), rtol=1e-12)


@pytest.mark.parametrize("scheme, default", [("inverse", "samples"), ("sqrt_inverse", "samples"),
                                             ("effective_number", "classes"), ("log_inverse", "none"),
                                             ("ce", "none")])
def test_class_weights_default_normalization(scheme, default):
    kwargs = {"beta": 0.99} if scheme == "effective_number" else {}
    cw = imbalcheck.class_weights(C631, scheme, **kwargs)
    assert cw.normalization == default
    explicit = imbalcheck.class_weights(C631, scheme, normalize=default, **kwargs)
    np.testing.assert_allclose(cw.weights, explicit.weights, rtol=1e-15)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=5000), min_size=2, max_size=30))
def test_inverse_samples_equals_sklearn_balanced(counts):
    from sklearn.utils.class_weight import compute_class_weight

    mapping = {f"k{i:02d}": c for i, c in enumerate(counts)}
    cw = imbalcheck.class_weights(mapping, "inverse", normalize="samples")
    k = len(counts)
    y = np.repeat(np.arange(k), counts)
    want = compute_class_weight("balanced", classes=np.arange(k), y=y)
    got = np.array([cw.weights[list(cw.labels).index(f"k{i:02d}")] for i in range(k)])
    np.testing.assert_allclose(got, want, rtol=1e-10)


# --------------------------------------------------------------------------------- CLI

def _invoke(*args):
    """In-process CLI run (typer's CliRunner) for the successful paths; exit codes go through subprocess."""
    from typer.testing import CliRunner

    from imbalcheck.cli import app

    res = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res


@pytest.fixture(scope="module")
def labels_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "labels.csv"
    path.write_text("label\n" + "".join(f"{x if x else ''}\n" for x in LIST6), encoding="utf-8")
    return path


def test_cli_console_script_exists():
    import shutil

    assert shutil.which("imbalcheck"), "the imbalcheck console script is not on PATH"


def test_cli_sampler_writes_npy_and_csv(labels_csv, tmp_path):
    api = imbalcheck.sampler(str(labels_csv), "class_balanced")
    np.testing.assert_allclose(api.weights, [5 / 9] * 6 + [10 / 9] * 3 + [10 / 3, 0.0], rtol=1e-12)
    for ext in (".npy", ".csv"):
        out = tmp_path / f"weights{ext}"
        res = subprocess.run(["imbalcheck", "sampler", str(labels_csv), "--strategy", "class_balanced", "-o",
                              str(out), "-f", "json", "-q"], capture_output=True, text=True, timeout=60)
        assert res.returncode == 0, res.stderr
        got = np.load(out) if ext == ".npy" else _parse_csv_weights(out.read_text())
        np.testing.assert_allclose(got, api.weights, rtol=1e-15)


def test_cli_sampler_json_summary(labels_csv):
    res = _invoke("sampler", labels_csv, "--strategy", "power", "--q", "0.5", "-f", "json", "-q")
    d = json.loads(res.stdout)
    den = math.sqrt(6) + math.sqrt(3) + 1
    assert d["strategy"] == "power"
    assert d["num_samples"] == 10
    assert d["classes"]["c"]["probability"] == pytest.approx(1 / den)
    assert d["classes"]["c"]["weight"] == pytest.approx(10 / den)


def test_cli_sampler_torch_format(labels_csv):
    res = _invoke("sampler", labels_csv, "-f", "torch", "-q")
    assert "WeightedRandomSampler" in res.stdout


@pytest.mark.parametrize("args", [
    ["--strategy", "bogus"],
    ["--strategy", "power", "--q", "1.5"],
    ["--strategy", "power", "--q", "-0.1"],
    ["--strategy", "undersample", "--cap", "0"],
    ["-o", "w.txt"],
    ["--strategy", "square_root", "--q", "0.5"],
    ["--strategy", "class_balanced", "--multi-label"],
])
def test_cli_sampler_bad_input_exit_2(labels_csv, tmp_path, args):
    res = subprocess.run(["imbalcheck", "sampler", str(labels_csv), *args], capture_output=True, text=True,
                         cwd=tmp_path, timeout=60)
    assert res.returncode == 2, (res.returncode, res.stderr)
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("imbalcheck: error:")
    assert not (tmp_path / "w.txt").exists()


def test_cli_sampler_counts_table_exit_2(tmp_path):
    path = tmp_path / "counts.csv"
    path.write_text("label,count\na,5\nb,2\n", encoding="utf-8")
    res = subprocess.run(["imbalcheck", "sampler", str(path), "--counts"], capture_output=True, text=True,
                         timeout=60)
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("imbalcheck: error:")


@pytest.mark.parametrize("scheme, how", [("inverse", "samples"), ("sqrt_inverse", "classes"),
                                         ("log_inverse", "none"), ("ce", "none")])
def test_cli_weights_json(labels_csv, scheme, how):
    res = _invoke("weights", labels_csv, "--scheme", scheme, "--normalize", how, "-q")
    got = json.loads(res.stdout)
    want = _norm(RAW[scheme], how)
    assert set(got) == {"a", "b", "c"}
    for lab, w in zip("abc", want):
        assert got[lab] == pytest.approx(w, rel=1e-9)
