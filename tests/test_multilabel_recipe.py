"""The multi-label recipe (:func:`imbalcheck.multilabel.recipe.recommend_multilabel`).

Expected values are computed here by hand from the published formulas: pos_weight_l =
(N - n_l) / n_l (PyTorch's BCEWithLogitsLoss documentation), r_c = max(1, sqrt(t / f_c)) with
t = 0.001 (Gupta et al. 2019), ASL's settings from the official MS-COCO script and focal loss's
from Lin et al. 2017; none is read back from the code under test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imbalcheck.errors import InputError
from imbalcheck.multilabel.recipe import recommend_multilabel
from imbalcheck.references import REFERENCES

HYP = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
REWEIGHTING = {"bce_pos_weight", "asymmetric", "focal"}


def rec(counts, n, names=None):
    names = names if names is not None else [f"l{i}" for i in range(len(counts))]
    return recommend_multilabel(np.asarray(counts), n, names)


def all_pairs(r: dict):
    """(sampler, loss) of the recipe and of every alternative."""
    yield r["sampler"], r["loss"]
    for alt in r["alternatives"]:
        yield alt["sampler"], alt["loss"]


def all_references(r: dict):
    yield from r["references"]
    for alt in r["alternatives"]:
        yield from alt["references"]
    for opt in (r["post_hoc"] or {}).get("options", []):
        yield from opt["references"]


# --------------------------------------------------------------------- the example of the brief

def test_example_900_50_3():
    r = rec([900, 50, 3], 1000, ["a", "b", "c"])
    assert set(r) == {"sampler", "loss", "schedule", "post_hoc", "alternatives", "rationale", "references"}
    assert r["sampler"] == {"name": "instance", "params": {}}
    assert r["loss"]["name"] == "bce_pos_weight"
    p = r["loss"]["params"]
    # (1000 - 900) / 900, (1000 - 50) / 50 = 19, (1000 - 3) / 3 = 332.33 -> capped at 100
    assert p["pos_weight"] == [100 / 900, 19.0, 100.0]
    assert p["cap"] == 100.0 and p["capped"] == ["c"]
    assert r["schedule"] is None
    assert [a["loss"]["name"] for a in r["alternatives"]] == ["focal", "asymmetric"]
    assert [x["key"] for x in r["references"]] == ["pytorch_bce_pos_weight"]
    assert r["post_hoc"]["options"][0]["name"] == "per_label_thresholds"
    # the figures: MaxIR 900/3 = 300, MeanIR (1 + 18 + 300) / 3, density 953 / 3000, largest pos_weight 997/3
    for text in ("MaxIR 300.00", f"MeanIR {(1 + 18 + 300) / 3:,.2f}", f"density {953 / 3000:.4g}",
                 f"largest pos_weight {997 / 3:,.2f} ('c'"):
        assert text in r["rationale"], text


# --------------------------------------------------------------------- one hand-computed case per branch

@pytest.mark.parametrize(("counts", "n"), [([500, 450, 550], 1000), ([400, 600], 1000), ([1000, 500], 1000)])
def test_balanced_is_plain_bce(counts, n):
    # 1000/450 - 1 = 1.22, 600/400 = 1.5 exactly; a label in every sample is left out of the test
    r = rec(counts, n)
    assert r["sampler"] == {"name": "instance", "params": {}} and r["loss"] == {"name": "bce", "params": {}}
    assert r["post_hoc"] is None and r["alternatives"] == [] and r["references"] == []
    assert "nothing is needed" in r["rationale"]


@pytest.mark.parametrize(("counts", "n"), [([1000, 1000], 1000), ([1000, 0], 1000)])
def test_every_label_in_every_sample_has_nothing_to_learn(counts, n):
    """A label positive in every sample is no imbalance to correct, and not 'balanced' either."""
    r = rec(counts, n)
    assert r["loss"] == {"name": "bce", "params": {}} and r["post_hoc"] is None
    assert "nothing to learn and nothing to balance" in r["rationale"] and "balanced;" not in r["rationale"]


def test_just_past_balanced_is_pos_weight():
    r = rec([399, 600], 1000)  # 601 / 399 = 1.506 > 1.5
    assert r["loss"]["name"] == "bce_pos_weight"
    assert r["loss"]["params"]["pos_weight"] == [601 / 399, 400 / 600] and r["loss"]["params"]["capped"] == []


def test_pos_weight_exact_values_below_the_cap():
    r = rec([100, 10, 20], 1000)  # q = 3: not the asymmetric branch
    assert r["loss"]["params"]["pos_weight"] == [9.0, 99.0, 49.0]
    assert r["loss"]["params"]["capped"] == []


def test_cap_boundary():
    # pos_weight exactly 100 is not capped: (1010 - 10) / 10 = 100; (1011 - 10) / 10 = 100.1 is
    r = rec([10, 500], 1010)
    assert r["loss"]["params"]["pos_weight"] == [100.0, 510 / 500] and r["loss"]["params"]["capped"] == []
    r = rec([10, 500], 1011)
    assert r["loss"]["params"]["pos_weight"] == [100.0, 511 / 500] and r["loss"]["params"]["capped"] == ["l0"]


def test_repeat_factor_threshold_at_t_exactly_and_just_below():
    # f = 1 / 1000 = t: r = max(1, sqrt(1)) = 1, nothing is repeated -> no repeat-factor sampling
    at_t = rec([500, 1], 1000)
    assert at_t["sampler"]["name"] == "instance"
    assert at_t["loss"]["name"] == "bce_pos_weight"
    assert at_t["loss"]["params"]["pos_weight"] == [1.0, 100.0] and at_t["loss"]["params"]["capped"] == ["l1"]
    # f = 1 / 1001 < t: r = sqrt(1.001) > 1 -> repeat-factor sampling with plain bce
    below = rec([500, 1], 1001)
    assert below["sampler"] == {"name": "repeat_factor", "params": {"t": 0.001}}
    assert below["loss"] == {"name": "bce", "params": {}}
    assert [x["key"] for x in below["references"]] == ["gupta2019"]
    assert f"at most {math.sqrt(0.001 * 1001):.3g}x ('l1'" in below["rationale"]
    assert all(a["sampler"]["name"] == "instance" for a in below["alternatives"])


def test_repeat_factor_names_the_rarest_labels():
    r = rec([5000, 3, 7, 4000], 10_000, ["common", "rare3", "rare7", "other"])  # t N = 10: 3 and 7 are below
    assert r["sampler"]["name"] == "repeat_factor"
    assert "2 labels in fewer than t = 0.001" in r["rationale"] and "'rare3', 'rare7'" in r["rationale"]
    assert f"at most {math.sqrt(0.001 / (3 / 10_000)):.3g}x ('rare3'" in r["rationale"]


def test_asymmetric_branch_and_its_boundaries():
    r = rec([40] * 20, 1000)  # density 800 / 20000 = 0.04 < 0.05, q = 20
    assert r["sampler"] == {"name": "instance", "params": {}}
    assert r["loss"] == {"name": "asymmetric", "params": {"gamma_neg": 4.0, "gamma_pos": 0.0, "clip": 0.05}}
    assert [x["key"] for x in r["references"]] == ["benbaruch2021"]
    assert [a["loss"]["name"] for a in r["alternatives"]] == ["bce_pos_weight", "focal"]
    assert rec([40] * 19, 1000)["loss"]["name"] == "bce_pos_weight"  # q = 19
    assert rec([50] * 20, 1000)["loss"]["name"] == "bce_pos_weight"  # density exactly 0.05


def test_parameters_are_the_stored_defaults():
    asl = REFERENCES["benbaruch2021"]["defaults"]
    assert rec([40] * 20, 1000)["loss"]["params"] == {k: asl[k] for k in ("gamma_neg", "gamma_pos", "clip")}
    focal = next(a for a in rec([900, 50, 3], 1000)["alternatives"] if a["loss"]["name"] == "focal")
    lin = REFERENCES["lin2017"]["defaults"]
    assert focal["loss"]["params"] == {"gamma": lin["gamma"], "alpha": lin["alpha"]}
    assert rec([500, 1], 1001)["sampler"]["params"]["t"] == REFERENCES["gupta2019"]["defaults"]["t"]


# --------------------------------------------------------------------- labels without positives

def test_zero_count_label_gets_none_and_is_named():
    r = rec([100, 0, 10], 1000, ["cat", "ghost", "dog"])
    assert r["loss"]["name"] == "bce_pos_weight"
    assert r["loss"]["params"]["pos_weight"] == [9.0, None, 99.0]
    assert "'ghost'" in r["rationale"] and "no positive sample" in r["rationale"]
    # MaxIR and MeanIR over the labels that occur: 100/10 = 10, (1 + 10) / 2
    assert "MaxIR 10.00" in r["rationale"] and "MeanIR 5.50" in r["rationale"]


def test_zero_count_label_in_the_other_branches():
    r = rec([500, 0, 480], 1000, ["a", "ghost", "b"])
    assert r["loss"]["name"] == "bce" and "'ghost'" in r["rationale"]  # balanced apart from it
    r = rec([0] + [40] * 20, 1000)
    assert r["loss"]["name"] == "asymmetric" and "'l0'" in r["rationale"]
    pw = next(a for a in r["alternatives"] if a["loss"]["name"] == "bce_pos_weight")["loss"]["params"]["pos_weight"]
    assert pw[0] is None and pw[1:] == [24.0] * 20


def test_no_positive_at_all():
    r = rec([0, 0], 10, ["a", "b"])
    assert r["loss"] == {"name": "bce", "params": {}} and r["references"] == [] and r["alternatives"] == []
    assert "'a', 'b'" in r["rationale"]


@pytest.mark.parametrize(("counts", "n", "names"), [
    ([5, 11], 10, ["a", "b"]),  # a count above N
    ([-1, 3], 10, ["a", "b"]),
    ([1, 2], 10, ["a"]),  # one name short
    ([1, 2], 10, ["a", "a"]),
    ([1, 2], 0, ["a", "b"]),
    ([1.5, 2], 10, ["a", "b"]),
    ([], 10, []),
])
def test_invalid_input(counts, n, names):
    with pytest.raises(InputError):
        recommend_multilabel(np.asarray(counts), n, names)


# --------------------------------------------------------------------- invariants over random counts

@st.composite
def data(draw):
    q = draw(st.integers(min_value=1, max_value=60))
    n = draw(st.integers(min_value=1, max_value=200_000))
    # a mix of common, rare and absent labels
    counts = draw(st.lists(st.one_of(st.integers(0, n), st.integers(0, min(n, 5 + n // 1000))),
                           min_size=q, max_size=q))
    return counts, n


@HYP
@given(data())
def test_never_corrects_twice_and_every_reference_is_stored(case):
    counts, n = case
    r = rec(counts, n)
    for sampler, loss in all_pairs(r):
        assert sampler["name"] in {"instance", "repeat_factor"}
        if sampler["name"] == "repeat_factor":
            assert loss == {"name": "bce", "params": {}}, loss
        if loss["name"] in REWEIGHTING:
            assert sampler == {"name": "instance", "params": {}}
    # repeat-factor sampling exactly when some label is in fewer than t = 1/1000 of the samples
    assert (r["sampler"]["name"] == "repeat_factor") == any(0 < c and c * 1000 < n for c in counts)
    for ref in all_references(r):
        stored = REFERENCES[ref["key"]]
        assert ref["citation"] == stored["citation"] and ref["url"] == stored.get("url")
        ev = ref["evidence"]
        if ev is not None:  # every number of the evidence is one of the stored entry's results
            assert any(ev == res for res in stored["results"])
            assert ev["baseline"][1] in [x["baseline"][1] for x in stored["results"]]
            assert ev["method"][1] in [x["method"][1] for x in stored["results"]]
    for _, loss in all_pairs(r):
        if loss["name"] == "bce_pos_weight":
            pw = loss["params"]["pos_weight"]
            assert len(pw) == len(counts)
            for c, w in zip(counts, pw):
                if c == 0:
                    assert w is None
                else:
                    assert w == min((n - c) / c, 100.0)
    assert r["schedule"] is None
    assert isinstance(r["rationale"], str) and r["rationale"]
