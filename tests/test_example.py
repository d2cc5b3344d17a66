"""Acceptance figures on the shipped 224-class example (issues 3 and 4)."""

from __future__ import annotations

import math

import pytest
from sklearn.utils.class_weight import compute_class_weight
import numpy as np

import imbalcheck
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def example():
    return imbalcheck.profile(str(EXAMPLES / "labels_224.csv.gz"), batch_size=128)


def test_labels_file_and_counts_file_agree(example):
    counts = imbalcheck.profile(str(EXAMPLES / "classes_224_counts.csv"), counts=True)
    assert counts.to_dict()["classes"] == example.to_dict()["classes"]
    assert example.labels.tolist() == counts.labels.tolist()


def test_core_figures(example):
    d = example.to_dict()
    assert d["n_samples"] == 298_821 and d["n_classes"] == 224 and d["n_missing"] == 0
    assert d["imbalance_ratio"] == 44_098
    assert round(d["top_k_share"]["1"], 4) == 0.1476
    assert round(d["top_k_share"]["5"], 4) == 0.4592
    top = d["classes"][0]
    assert top["label"] == "197" and top["count"] == 44_098
    assert round(top["expected_per_batch"], 2) == 18.89
    assert sum(1 for c in d["classes"] if c["count"] == 1) == 10
    assert sum(1 for c in d["classes"] if c["count"] < 10) == 24


def test_gradient_share_ratios(example):
    ratios = example.gradient_share_ratio
    assert ratios["ce"] == 44_098  # exactly: max n / min n under plain cross-entropy
    assert ratios["inverse"] == pytest.approx(1.0, abs=1e-9)
    y = np.repeat(example.labels, example.counts)
    sk = compute_class_weight("balanced", classes=np.unique(y), y=y)
    ours = dict(zip(example.labels.tolist(), example.class_weights["inverse"].tolist()))
    np.testing.assert_allclose([ours[c] for c in np.unique(y)], sk, rtol=1e-12)


def test_plateau_ladder(example):
    pl = example.plateau
    assert pl.initial_loss == pytest.approx(math.log(224))
    p = example.counts / example.counts.sum()
    assert pl.prior_loss == pytest.approx(-(p * np.log(p)).sum())
    assert [r.top_k for r in pl.ladder] == [1, 5, 10, 20, 50, 100]
    # the seed's stalled loss of about 2.0 sits on the top-10 rung
    rung10 = next(r for r in pl.ladder if r.top_k == 10)
    assert 1.9 < rung10.loss < 2.1


def test_stratification_and_cutoff(example):
    s = example.stratification
    assert s.feasible is False
    assert s.min_count_required == 8 and s.guaranteed_min_count == 10
    assert "Classes with too few members are: [2, 38, 44, 46, 85, 119, 127, 138, 221, 223]" in s.sklearn_error
    assert example.to_dict()["stratification"]["per_class"]["218"] == {"split": {"train": 2, "val": 0, "test": 0}, "raises": False}
    cut = example.recommendation.cutoff
    assert cut.min_count == 8 and cut.classes_removed == 22 and cut.samples_removed == 64
    assert cut.imbalance_ratio_after == pytest.approx(44_098 / 8)
    row10 = next(r for r in cut.table if r.min_count == 10)
    assert row10.classes_kept == 200 and row10.imbalance_ratio_after == pytest.approx(4409.8)


def test_recommended_loss(example):
    loss = example.recommendation.loss
    assert loss.name == "logit_adjusted" and loss.params["tau"] == 1.0  # = balanced softmax, one loss, one name
    assert loss.computed_on == "classes kept by the cutoff"
    assert {r.key for r in loss.references} == {"ren2020", "menon2021"}
    # the evidence is the loss alone: Ren et al.'s Table 5 Balanced Softmax, not BALMS (sampler + decoupling)
    assert all(r.evidence.get("kind", "loss") == "loss" for r in loss.references)
    recipe = example.recommendation.recipe
    assert recipe.sampler["name"] == "instance" and recipe.loss["name"] == loss.name
