"""The loss decision rule and the cutoff table, on hand-built distributions."""

from __future__ import annotations

import numpy as np
import pytest

from imbalcheck import advice, recipe as recommend, stratify


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ([100, 90, 80], "ce"),  # ratio 1.25
        ([150, 100], "ce"),  # exactly 1.5
        ([1000, 50], "cb_focal"),  # binary, 20:1
        ([500] * 5 + [60], "weighted_ce"),  # 8.3:1
        ([5000] + [100] * 10 + [50], "logit_adjusted"),  # 100:1
        ([5000] + [100] * 10 + [20], "logit_adjusted"),  # 250:1, K < 1000: balanced softmax is this loss
        ([5000] + [100] * 1000 + [20], "ldam_drw"),  # 250:1, K >= 1000
    ],
)
def test_decision_rule(counts, expected):
    assert recommend.recommend_loss(np.array(counts))["name"] == expected


def test_balanced_data_says_nothing_is_needed():
    rec = recommend.recommend_loss(np.array([100, 99, 98]))
    assert rec["params"] == {} and "nothing is needed" in rec["rationale"]


def test_ldam_margins_follow_cao_et_al():
    counts = np.array([5000] * 1000 + [500, 20])
    rec = recommend.recommend_loss(counts)
    c = rec["params"]["C"]
    margins = c / counts**0.25
    # the rarest class gets exactly max_m, and margins scale as n^(-1/4) (Cao et al. eq. 13); at
    # iNaturalist scale Cao et al. (App. B) use max margin 0.3 and re-weight from epoch 60 of 90
    assert rec["name"] == "ldam_drw"
    assert margins[-1] == pytest.approx(0.3)
    assert margins[0] / margins[-1] == pytest.approx((20 / 5000) ** 0.25)
    assert rec["params"]["s"] == 30 and rec["params"]["drw_start_fraction"] == pytest.approx(60 / 90)


def test_weighted_ce_beta_comes_from_the_counts():
    # 1 / (1 - beta) must reach the largest class, or every large class saturates to one weight
    assert recommend.recommend_loss(np.array([50] * 5 + [10]))["params"]["beta"] == 0.99
    assert recommend.recommend_loss(np.array([5000] * 5 + [1000]))["params"]["beta"] == 0.9999
    assert recommend.recommend_loss(np.array([50_000, 20_000, 5_000]))["params"]["beta"] == pytest.approx(1 - 1 / 50_000)


def test_references_carry_the_closest_published_result():
    rec = recommend.recommend_loss(np.array([5000] + [100] * 10 + [50]))  # 100:1, K=12
    evidence = {r["key"]: r["evidence"] for r in rec["references"]}
    assert evidence["menon2021"]["imbalance"] == 100 and evidence["menon2021"]["method"][1] == 22.33
    # Ren et al.'s evidence is Balanced Softmax alone (Table 5), never BALMS (sampler + decoupling)
    assert evidence["ren2020"]["imbalance"] == 100 and evidence["ren2020"]["method"][1] == 83.1
    assert all("BALMS" not in r["evidence"]["method"][0] for r in rec["references"])


def test_cutoff_row_by_hand():
    counts = np.array([900, 90, 9, 3, 1])
    labels = np.array(list("abcde"), dtype=object)
    row = advice.cutoff_row(counts, stratify.SplitStudy(counts, labels, (0.8, 0.1, 0.1), range(5)), 5)
    assert row["classes_kept"] == 3 and row["classes_removed"] == 2 and row["samples_removed"] == 4
    assert row["samples_removed_share"] == pytest.approx(4 / 1003)
    assert row["imbalance_ratio_after"] == pytest.approx(100)
