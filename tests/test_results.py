"""Typed results that fit a notebook: frozen, a one-line repr, markdown display, a per-class frame;
and no inf or NaN from the library for classes without samples."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import imbalcheck
from imbalcheck.errors import InputError
from imbalcheck.render import render
from imbalcheck.result import MultilabelProfile, Profile, Recommendation, Stratification
from imbalcheck.weights import SCHEMES, class_weights
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def example():
    return imbalcheck.profile(str(EXAMPLES / "classes_224_counts.csv"), counts=True)


def test_results_are_frozen_and_typed(example):
    assert isinstance(example, Profile)
    assert isinstance(example.stratification, Stratification) and isinstance(example.recommendation, Recommendation)
    for obj, field in ((example, "n_samples"), (example.stratification, "feasible"), (example.plateau, "ladder"),
                       (example.recommendation.loss, "name"), (example.recommendation.cutoff, "min_count")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, field, None)
    assert example.stratification.min_count_required == 8 and example.recommendation.cutoff.min_count == 8
    assert example.plateau.ladder[2].top_k == 10


def test_repr_is_one_short_verdict_line(example):
    text = repr(example)
    assert "\n" not in text and len(text) < 300
    assert text == ("<Profile 224 classes, 298,821 samples, imbalance 44,098:1; stratified split needs >= 8 "
                    "samples per class; recipe: instance sampling + logit_adjusted>")
    many = imbalcheck.profile({f"class {i}": 1 + i % 7 for i in range(5000)})
    assert len(repr(many)) < 300 and "\n" not in repr(many)


def test_markdown_display_is_the_markdown_report(example):
    assert example._repr_markdown_() == render(example, "markdown")
    assert example._repr_markdown_().splitlines()[0] == f"## imbalcheck profile: {example.source}".replace("_", "\\_")


def test_top_k_share_is_keyed_by_int_in_python_and_text_in_json(example):
    assert list(example.top_k_share) == [1, 5, 10]
    assert example.top_k_share[1] == pytest.approx(44_098 / 298_821)
    assert list(example.to_dict()["top_k_share"]) == ["1", "5", "10"]


def test_to_frame_has_one_row_per_class(example):
    frame = example.to_frame()
    assert list(frame.columns) == ["label", "count", "share", "expected_per_batch", "p_absent_per_batch",
                                   "batches_between_appearances", "bucket", "gradient_share"]
    assert len(frame) == 224 and frame["count"].sum() == 298_821
    top = frame.iloc[0]
    assert top["label"] == "197" and top["count"] == 44_098
    assert top["expected_per_batch"] == pytest.approx(128 * 44_098 / 298_821)  # B n_c / N
    assert frame["share"].sum() == pytest.approx(1.0) and frame["gradient_share"].sum() == pytest.approx(1.0)
    assert frame.to_dict("records")[5] == {k: v for k, v in example.to_dict()["classes"][5].items()}


def test_multi_label_results_display_too():
    p = imbalcheck.profile([["a", "b"], ["a"], ["a"], ["c"], []], multi_label=True, batch_size=2)
    assert isinstance(p, MultilabelProfile)
    assert repr(p).startswith("<MultilabelProfile 3 labels, 5 samples, MeanIR") and len(repr(p)) < 300
    assert p._repr_markdown_().startswith("## imbalcheck profile (multi-label)")
    frame = p.to_frame()
    assert frame.set_index("label")["count"].to_dict() == {"a": 3, "b": 1, "c": 1}
    assert frame.set_index("label")["pos_weight"].to_dict() == {"a": 2 / 3, "b": 4.0, "c": 4.0}


def test_check_and_diff_results_display(tmp_path):
    path = tmp_path / "y.csv"
    path.write_text("label\n" + "a\n" * 9 + "b\n")
    report = imbalcheck.check(str(path), max_imbalance_ratio=5)
    assert repr(report) == "<CheckReport FAIL: max_imbalance_ratio 9 (limit 5)>" and not report.passed
    d = imbalcheck.diff(str(path), str(path))
    assert repr(d) == ("<Diff 0 classes changed significantly; 0 disappeared; 0 appeared; class-balanced shift 0.00; "
                       "TVD 0.0000, JS 0.0000 bits>")
    assert "## imbalcheck diff" in d._repr_markdown_()


# -- no inf or NaN for classes without samples ----------------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
def test_class_weights_refuse_a_class_without_samples(scheme):
    with pytest.raises(InputError, match=r"class\(es\) at position \[2\] have 0 samples; every class needs at least 1"):
        class_weights([100, 10, 0], scheme)
    with pytest.raises(InputError, match="non-empty 1-D vector"):
        class_weights([], scheme)


def test_zero_counts_are_dropped_with_a_warning_where_labels_are_read():
    with pytest.warns(imbalcheck.ImbalcheckWarning, match=r"dropping 1 class\(es\) with a zero count, e.g. \['c'\]"):
        w = imbalcheck.class_weights({"a": 100, "b": 10, "c": 0}, "inverse")
    assert w.to_dict() == pytest.approx({"a": 110 / 200, "b": 110 / 20})  # N / (K n_c), K = 2
    assert all(np.isfinite(x) for x in imbalcheck.class_weights({"a": 100, "b": 10, "c": 0}, "sqrt_inverse")
               .to_dict().values())
