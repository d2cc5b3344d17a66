"""Multi-label k-fold feasibility against the reference library: ``iterstrat``'s
MultilabelStratifiedKFold (iterative stratification) places labels in folds exactly as reported."""

from __future__ import annotations

import numpy as np
import pytest

import imbalcheck

iterstrat = pytest.importorskip("iterstrat.ml_stratifiers")


def _data(seed: int):
    rng = np.random.default_rng(seed)
    n, q = 300, 12
    p = np.array([0.5, 0.3, 0.2, 0.1, 0.05, 0.03, 0.02, 0.01, 0.01, 0.007, 0.005, 0.003])
    Y = rng.random((n, q)) < p
    Y[0, -1] = Y[1, -1] = True  # a label with 2 positives: never in every one of 5 folds
    return Y, [f"l{j:02d}" for j in range(q)]


@pytest.mark.parametrize(("seed", "k"), [(0, 5), (1, 3), (2, 10)])
def test_infeasible_labels_match_multilabel_stratified_kfold(seed, k):
    Y, names = _data(seed)
    rows = [[names[j] for j in np.flatnonzero(r)] for r in Y]
    p = imbalcheck.profile(rows, multi_label=True, folds=k, seeds=0, batch_size=16)
    np.random.seed(0)  # iterstrat draws from numpy's global RandomState when shuffle=False
    mskf = iterstrat.MultilabelStratifiedKFold(n_splits=k, shuffle=False)
    present = Y.sum(axis=0) > 0
    missing = np.zeros(Y.shape[1], dtype=bool)
    for _, test in mskf.split(np.zeros(len(Y)), Y.astype(int)):
        missing |= Y[test].sum(axis=0) == 0
    expected = [names[j] for j in np.flatnonzero(present & missing)]
    folds = p.to_dict()["multilabel"]["stratification"]["folds"]
    assert folds["k"] == k and folds["infeasible_labels"] == expected
    assert "l11" in expected or Y[:, -1].sum() >= k


def test_folds_apply_to_multi_label_input_now():
    p = imbalcheck.profile([["a"], ["a", "b"], ["b"], ["a"]] * 5, multi_label=True, folds=3, batch_size=4)
    assert p.stratification.folds["k"] == 3 and p.stratification.folds["infeasible_labels"] == []
