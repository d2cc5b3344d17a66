"""Oracle tests for the training recipe and the class-count cutoff.

Expected values come from the published rules (Kang et al. ICLR 2020; Cao et al.
NeurIPS 2019, App. B; Cui et al. CVPR 2019; Menon et al. ICLR 2021; Lin et al.
ICCV 2017 prior-bias initialisation) written out here, and the cutoff from
scikit-learn's own ``train_test_split`` replayed in this file. Nothing is read
back from the code under test to serve as an expected value.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sklearn.model_selection import train_test_split

import imbalcheck

SEEDS = range(5)
HYP = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def profile(counts: dict):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. the batch size clamped to a small data set
        return imbalcheck.profile(counts)


def recommendation(counts: dict) -> dict:
    return profile(counts).to_dict()["recommendation"]


def as_mapping(counts) -> dict:
    return {f"k{i:03d}": int(c) for i, c in enumerate(counts)}


count_vectors = st.lists(st.integers(min_value=1, max_value=100_000), min_size=2, max_size=40)


# --------------------------------------------------------------------- sklearn oracle

def split_ok(counts: dict, seed: int) -> bool:
    """0.8 / 0.1 / 0.1 by two stratified train_test_split calls; every class in every split."""
    y = np.array([lab for lab, n in counts.items() for _ in range(n)], dtype=object)
    x = np.zeros((len(y), 1))
    try:
        _, x_rest, y_train, y_rest = train_test_split(x, y, test_size=0.2, stratify=y, random_state=seed)
        _, _, y_val, y_test = train_test_split(x_rest, y_rest, test_size=0.5, stratify=y_rest, random_state=seed)
    except ValueError:
        return False
    classes = set(counts)
    return all(set(part) == classes for part in (y_train, y_val, y_test))


def feasible(counts: dict, c: int) -> bool:
    kept = {lab: n for lab, n in counts.items() if n >= c}
    return bool(kept) and all(split_ok(kept, s) for s in SEEDS)


def smallest_feasible_cutoff(counts: dict):
    """The exact smallest integer c with which keeping classes of >= c samples is feasible."""
    checked = {}
    for c in range(1, max(counts.values()) + 1):
        key = frozenset(lab for lab, n in counts.items() if n >= c)
        if key not in checked:
            checked[key] = feasible(counts, c)
        if checked[key]:
            return c
    return None


def oracle_beta(max_count: int) -> float:
    """Smallest of 0.9 .. 0.9999 with 1/(1 - beta) >= max count (exact arithmetic), else 1 - 1/max."""
    for k in range(1, 5):
        if 10**k >= max_count:  # beta = 1 - 10^-k exactly: 1/(1 - beta) = 10^k
            return 1 - 10.0**-k
    return 1 - 1 / max_count


def kept_counts(counts: dict, rec: dict) -> dict:
    cut = rec["cutoff"]["min_count"]
    return dict(counts) if cut is None else {k: v for k, v in counts.items() if v >= cut}


# ------------------------------------------------------------ structural invariants

@HYP
@given(count_vectors)
def test_never_correct_twice_and_recipe_loss_is_the_loss(counts):
    rec = recommendation(as_mapping(counts))
    recipe = rec["recipe"]
    assert recipe["loss"]["name"] == rec["loss"]["name"]
    assert recipe["loss"]["params"] == rec["loss"]["params"]
    if recipe["loss"]["name"] != "ce":
        assert recipe["sampler"]["name"] == "instance", recipe
    for alt in recipe["alternatives"]:
        if alt["sampler"]["name"] != "instance":
            assert alt["loss"]["name"] == "ce", alt
    # logit-adjusted and balanced softmax are one loss: one name only
    names = [rec["loss"]["name"], recipe["loss"]["name"], *rec["loss"]["alternatives"],
             *(alt["loss"]["name"] for alt in recipe["alternatives"])]
    assert "balanced_softmax" not in names
    # BALMS (a decoupled pipeline) is no evidence for a loss
    for ref in rec["loss"]["references"]:
        assert (ref.get("evidence") or {}).get("kind") != "pipeline", ref


def test_recommendation_shape():
    rec = recommendation({"a": 900, "b": 90, "c": 10})
    assert set(rec) >= {"cutoff", "loss", "recipe"}
    assert set(rec["cutoff"]) >= {"min_count", "required", "classes_removed", "samples_removed",
                                  "samples_removed_share", "imbalance_ratio_after", "table", "advice"}
    assert set(rec["loss"]) >= {"name", "params", "rationale", "alternatives", "references"}
    assert set(rec["recipe"]) >= {"sampler", "loss", "schedule", "post_hoc", "alternatives", "rationale",
                                  "references"}
    assert set(rec["recipe"]["sampler"]) >= {"name", "params"}


@HYP
@given(st.integers(min_value=2, max_value=40), st.integers(min_value=1, max_value=60_000),
       st.data())
def test_balanced_data_plain_recipe(k, low, data):
    high = low * 3 // 2  # max / min <= 1.5
    counts = data.draw(st.lists(st.integers(min_value=low, max_value=max(low, high)), min_size=k, max_size=k))
    assume(max(counts) / min(counts) <= 1.5)
    rec = recommendation(as_mapping(counts))
    assert rec["recipe"]["sampler"]["name"] == "instance"
    assert rec["recipe"]["loss"]["name"] == "ce"
    assert rec["loss"]["name"] == "ce"
    assert rec["recipe"]["post_hoc"] is None


@pytest.mark.parametrize("counts", [{"maj": 1_000_000, "min": 1}, {"maj": 99, "min": 1}])
def test_binary_single_minority_sample_keeps_both_classes(counts):
    rec = recommendation(counts)
    assert rec["cutoff"]["min_count"] is None
    assert rec["loss"]["name"] != "ce"
    assert rec["recipe"]["loss"]["name"] != "ce"


def test_strong_imbalance_logit_adjusted():
    # 12 classes, geometric from 1000 down to 10 (100:1)
    counts = {f"c{i:02d}": round(1000 * 0.01 ** (i / 11)) for i in range(12)}
    assert max(counts.values()) / min(counts.values()) == 100
    rec = recommendation(counts)
    assert rec["loss"]["name"] == "logit_adjusted"
    assert rec["loss"]["params"]["tau"] == 1.0
    assert rec["recipe"]["sampler"]["name"] == "instance"


def _many_classes(k=1000, top=3000, bottom=20):
    return {f"c{i:04d}": max(bottom, round(top * (bottom / top) ** (i / (k - 1)))) for i in range(k)}


@pytest.mark.parametrize("counts", [_many_classes(), {**_many_classes(k=1200, top=1000, bottom=5), "x1": 1, "x2": 2}],
                         ids=["1000-classes-150to1", "1202-classes-cut-below-8"])
def test_ldam_drw_for_many_classes(counts):
    rec = recommendation(counts)
    kept = kept_counts(counts, rec)
    assert len(kept) >= 1000 and max(kept.values()) / min(kept.values()) > 100, "precondition"
    assert rec["loss"]["name"] == "ldam_drw"
    params = rec["loss"]["params"]
    assert params["max_m"] == pytest.approx(0.3)
    assert params["drw_start_fraction"] == pytest.approx(60 / 90)
    n_min = min(kept.values())
    # margin of the rarest class C / n_min^(1/4) is max_m
    assert params["C"] / n_min**0.25 == pytest.approx(0.3, rel=1e-9)
    assert rec["recipe"]["sampler"]["name"] == "instance"


@HYP
@given(st.integers(min_value=2, max_value=100_000), st.floats(min_value=10.01, max_value=1e6), st.booleans())
def test_binary_cb_focal_bias_init(minority, ratio, minority_first):
    majority = int(math.ceil(minority * ratio))
    assume(majority > 10 * minority and majority <= 10_000_000)
    counts = {"min": minority, "maj": majority} if minority_first else {"maj": majority, "min": minority}
    rec = recommendation(counts)
    assert rec["loss"]["name"] == "cb_focal"
    n = sum(counts.values())
    want = {"maj": math.log(majority / (n - majority)), "min": math.log(minority / (n - minority))}  # by label
    assert rec["loss"]["params"]["bias_init"] == pytest.approx(want, rel=1e-9)
    assert rec["loss"]["params"]["beta"] == pytest.approx(oracle_beta(majority), rel=1e-12)


def test_cb_focal_hand():
    # 1,000,000 : 1 -> bias ln(1e6), ln(1e-6); max count 1e6 > 1e4 -> beta = 1 - 1e-6
    rec = recommendation({"min": 1, "maj": 1_000_000})
    assert rec["loss"]["name"] == "cb_focal"
    assert rec["loss"]["params"]["bias_init"] == pytest.approx({"maj": math.log(1e6), "min": -math.log(1e6)}, rel=1e-9)
    assert rec["loss"]["params"]["beta"] == pytest.approx(0.999999, rel=1e-12)


@pytest.mark.parametrize("max_count, beta", [(9, 0.9), (10, 0.9), (11, 0.99), (99, 0.99), (100, 0.99),
                                             (101, 0.999), (999, 0.999), (1000, 0.999), (1001, 0.9999),
                                             (10_000, 0.9999), (10_001, 1 - 1 / 10_001)])
def test_effective_number_beta_rule(max_count, beta):
    # 1/(1 - beta) >= max count: at max count 10, 100, 1000 exactly, 0.9, 0.99, 0.999 qualify
    assert oracle_beta(max_count) == pytest.approx(beta, rel=1e-12)
    counts = {"a": max_count, "b": int(max_count * 0.6) + 1, "c": int(max_count * 0.4) + 1,
              "d": int(max_count * 0.3) + 1}
    rec = recommendation(counts)
    assert rec["loss"]["name"] in ("weighted_ce", "cb_focal"), "precondition: a loss with an effective-number beta"
    assert rec["loss"]["params"]["beta"] == pytest.approx(beta, rel=1e-12), (max_count, rec["loss"]["params"])


@HYP
@given(count_vectors)
def test_beta_rule_any_data(counts):
    rec = recommendation(as_mapping(counts))
    if rec["loss"]["name"] in ("weighted_ce", "cb_focal"):
        kept = kept_counts(as_mapping(counts), rec)
        assert rec["loss"]["params"]["beta"] == pytest.approx(oracle_beta(max(kept.values())), rel=1e-12)


def test_post_hoc_options():
    rec = recommendation({f"c{i:02d}": round(1000 * 0.01 ** (i / 11)) for i in range(12)})
    post = rec["recipe"]["post_hoc"]
    assert post is not None
    names = [o["name"] for o in post["options"]]
    assert {"logit_adjustment", "crt", "tau_normalization"} <= set(names)
    la = next(o for o in post["options"] if o["name"] == "logit_adjustment")
    kinds = [ref["evidence"]["kind"] for ref in la["references"] if ref.get("evidence")]
    assert kinds and all(k == "post_hoc" for k in kinds)


@HYP
@given(count_vectors)
def test_post_hoc_when_imbalanced(counts):
    assume(max(counts) / min(counts) >= 10)
    rec = recommendation(as_mapping(counts))
    kept = kept_counts(as_mapping(counts), rec)  # the recipe is computed on the classes the cutoff keeps
    assume(max(kept.values()) / min(kept.values()) >= 10)
    post = rec["recipe"]["post_hoc"]
    assert post is not None
    assert {"logit_adjustment", "crt", "tau_normalization"} <= {o["name"] for o in post["options"]}
    for o in post["options"]:
        if o["name"] == "logit_adjustment":
            for ref in o["references"]:
                if ref.get("evidence"):
                    assert ref["evidence"]["kind"] == "post_hoc"


# ---------------------------------------------------------------------------- cutoff

HAND = {"a": 500, "b": 300, "c": 200, "d": 1}


def test_cutoff_hand_case_against_sklearn():
    assert not feasible(HAND, 1)  # d (1 sample) cannot reach three splits
    assert all(feasible(HAND, c) for c in (2, 100, 200))
    assert smallest_feasible_cutoff(HAND) == 2
    cut = recommendation(HAND)["cutoff"]
    assert cut["required"] == 2
    assert cut["min_count"] == 2
    assert cut["classes_removed"] == 1
    assert cut["samples_removed"] == 1
    assert cut["samples_removed_share"] == pytest.approx(1 / 1001)
    assert cut["imbalance_ratio_after"] == pytest.approx(2.5)


@pytest.mark.parametrize("counts", [
    {"a": 400, "b": 100, "c": 12, "d": 6, "e": 3},
    {"a": 60, "b": 40, "c": 9, "d": 7, "e": 5, "f": 2},
    {"a": 1000, "b": 900, "c": 8, "d": 8, "e": 7},
])
def test_cutoff_required_against_sklearn(counts):
    want = smallest_feasible_cutoff(counts)
    cut = recommendation(counts)["cutoff"]
    if not feasible(counts, 1):
        assert cut["required"] == want
    else:  # feasible as it is: whatever is reported must keep every class and be feasible
        assert cut["required"] <= min(counts.values())
        assert feasible(counts, cut["required"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=1, max_value=40), min_size=2, max_size=7))
def test_cutoff_required_hypothesis(counts):
    mapping = {f"k{i}": c for i, c in enumerate(counts)}
    cut = recommendation(mapping)["cutoff"]
    want = smallest_feasible_cutoff(mapping)
    if want is None:
        assert cut["required"] is None
    elif want > 1:  # the data is not feasible as it is: the exact minimum is unambiguous
        assert cut["required"] == want, (mapping, want, cut["required"])
    else:
        assert cut["required"] is not None and feasible(mapping, cut["required"])
        assert cut["required"] <= min(counts)


NCI60 = dict(zip([f"t{i:02d}" for i in range(14)], [9, 9, 8, 7, 7, 6, 6, 5, 2, 1, 1, 1, 1, 1]))


def test_nci60_like_never_drops_most_of_the_data():
    assert sum(NCI60.values()) == 64
    rec = recommendation(NCI60)
    cut = rec["cutoff"]
    if cut["min_count"] is not None:
        removed = sum(n for n in NCI60.values() if n < cut["min_count"])
        assert removed / 64 <= 0.10
    else:
        # no cutoff: the recipe is computed on all classes
        assert rec["loss"].get("computed_on", "all classes") == "all classes"
        assert rec["loss"]["name"] != "balanced_softmax"
    # the exact requirement still agrees with scikit-learn
    assert cut["required"] == smallest_feasible_cutoff(NCI60)


def test_nci60_recipe_computed_on_all_classes():
    rec = recommendation(NCI60)
    if rec["cutoff"]["min_count"] is None and rec["loss"]["name"] in ("weighted_ce", "cb_focal"):
        assert rec["loss"]["params"]["beta"] == pytest.approx(oracle_beta(9))  # 0.9: max count 9 <= 10


# --------------------------------------------------------------------------- headline

@HYP
@given(st.lists(st.integers(min_value=1, max_value=100_000), min_size=1, max_size=40))
def test_headline_one_line_without_na(counts):
    text = repr(profile(as_mapping(counts)))
    assert "\n" not in text
    assert "n/a" not in text.lower()


@pytest.mark.parametrize("counts", [NCI60, HAND, {"maj": 1_000_000, "min": 1}, {"a": 5}, {"a": 1, "b": 1}])
def test_headline_hand_cases(counts):
    text = repr(profile(counts))
    assert "\n" not in text and "n/a" not in text.lower()
