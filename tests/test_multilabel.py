"""Multi-label analysis: metrics against hand-computed cases, invariants, the
iterative-stratification oracle, readers and errors.

Hand case H used throughout (6 samples, labels a, b, c):

    s1 {a, b}   s2 {a}   s3 {a, c}   s4 {b}   s5 {}   s6 {a}

    n_a = 4, n_b = 2, n_c = 1, N = 6, nnz = 2+1+2+1+0+1 = 7
"""

from __future__ import annotations

import gzip
import json
import math
import warnings
from unittest import mock

import numpy as np
import pytest
import scipy.sparse as sp
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

from imbalcheck import batches
from imbalcheck.errors import ConfigError, InputError
from imbalcheck.multilabel import analyze_multilabel, multilabel_from_object, read_multilabel
from imbalcheck.multilabel import metrics as m

from imbalcheck.multilabel.stratify import (
    check_fractions,
    iterative_stratification,
    min_count_isolated,
    stratification_report,
)

NAMES = ["a", "b", "c"]
H = np.array(
    [
        [1, 1, 0],  # s1 {a, b}
        [1, 0, 0],  # s2 {a}
        [1, 0, 1],  # s3 {a, c}
        [0, 1, 0],  # s4 {b}
        [0, 0, 0],  # s5 {}
        [1, 0, 0],  # s6 {a}
    ],
    dtype=bool,
)


def both(Y):
    """The same matrix dense and sparse: every metric must agree on the two."""
    return [np.asarray(Y), sp.csr_matrix(np.asarray(Y))]


# ---------------------------------------------------------------- hand-computed metrics


@pytest.mark.parametrize("Y", both(H))
def test_counts_cardinality_density_hand(Y):
    assert m.label_counts(Y).tolist() == [4, 2, 1]
    assert m.labels_per_sample(Y).tolist() == [2, 1, 2, 1, 0, 1]
    # Card = nnz / N = 7 / 6; Dens = Card / q = 7 / 18
    assert m.cardinality(Y) == pytest.approx(7 / 6, rel=1e-15)
    assert m.density(Y) == pytest.approx(7 / 18, rel=1e-15)


def test_irlbl_meanir_maxir_hand():
    counts = np.array([4, 2, 1])
    # IRLbl = max n / n_l = 4/4, 4/2, 4/1
    np.testing.assert_allclose(m.ir_per_label(counts), [1.0, 2.0, 4.0], rtol=1e-15)
    # MeanIR = (1 + 2 + 4) / 3 = 7/3; MaxIR = 4
    assert m.mean_ir(counts) == pytest.approx(7 / 3, rel=1e-15)
    assert m.max_ir(counts) == 4.0


def test_cvir_hand_uses_n_minus_1():
    # deviations from MeanIR 7/3: -4/3, -1/3, 5/3; squares 16/9 + 1/9 + 25/9 = 42/9
    # sample variance 42/9 / (3 - 1) = 7/3, sd = sqrt(7/3); CVIR = sqrt(7/3) / (7/3) = sqrt(3/7) = 0.6547
    # (the population sd, / 3, would give sqrt(14/9) / (7/3) = 0.5345)
    assert m.cvir(np.array([4, 2, 1])) == pytest.approx(math.sqrt(3 / 7), rel=1e-12)
    assert m.cvir(np.array([4, 2, 1])) != pytest.approx(math.sqrt(14 / 9) / (7 / 3), rel=1e-3)


@pytest.mark.parametrize("Y", both(H))
def test_scumble_hand(Y):
    # IRLbl a=1, b=2, c=4
    # s1 {a,b}: GM = sqrt(1*2) = 1.41421, AM = 1.5 -> 1 - 1.41421/1.5 = 1 - 2*sqrt(2)/3 = 0.057191
    # s3 {a,c}: GM = sqrt(1*4) = 2, AM = 2.5 -> 1 - 2/2.5 = 0.2
    # single-label and empty samples: 0
    s1 = 1 - 2 * math.sqrt(2) / 3
    per = m.scumble_per_sample(Y)
    np.testing.assert_allclose(per, [s1, 0, 0.2, 0, 0, 0], atol=1e-15)
    # SCUMBLE = mean over the 6 samples = (0.057191 + 0.2) / 6 = 0.042865
    assert m.scumble(Y) == pytest.approx((s1 + 0.2) / 6, rel=1e-12)


def test_scumble_three_labels_hand():
    # one sample with IRLbl 1, 2, 8 (counts 8, 4, 1 from other samples)
    # GM = (1*2*8)^(1/3) = 16^(1/3) = 2.519842; AM = 11/3 = 3.666667; 1 - GM/AM = 0.312770
    Y = np.zeros((9, 3), dtype=bool)
    Y[:8, 0] = True
    Y[:4, 1] = True
    Y[0, 2] = True
    per = m.scumble_per_sample(Y)
    assert per[0] == pytest.approx(1 - 16 ** (1 / 3) / (11 / 3), rel=1e-12)
    # samples 1..3 hold {a, b}: IRLbl 1, 2 -> 1 - sqrt(2)/1.5
    np.testing.assert_allclose(per[1:4], 1 - math.sqrt(2) / 1.5, rtol=1e-12)
    np.testing.assert_allclose(per[4:], 0.0)


@pytest.mark.parametrize("Y", both(H))
def test_labelsets_hand(Y):
    n_sets, keys, counts = m.labelset_counts(Y)
    # {a} twice (s2, s6); {a,b} s1, {a,c} s3, {b} s4, {} s5 once each: ties in order of first appearance
    assert n_sets == 5
    assert keys == [(0,), (0, 1), (0, 2), (1,), ()]
    assert counts.tolist() == [2, 1, 1, 1, 1]
    assert m.labelset_counts(Y, top=2)[1:] == ([(0,), (0, 1)], pytest.approx([2, 1]))


def test_batch_figures_hand():
    counts, n, B = np.array([4, 2, 1]), 6, 2
    # expected = B n_l / N = 2*4/6, 2*2/6, 2*1/6
    np.testing.assert_allclose(m.expected_per_batch(counts, n, B), [4 / 3, 2 / 3, 1 / 3], rtol=1e-15)
    # P(absent) = C(N - n_l, 2) / C(6, 2) = C(2,2)/15, C(4,2)/15, C(5,2)/15 = 1/15, 6/15, 10/15
    np.testing.assert_allclose(m.p_absent_per_batch(counts, n, B), [1 / 15, 6 / 15, 10 / 15], rtol=1e-12)
    # gradient share = n_l / sum n = 4/7, 2/7, 1/7
    np.testing.assert_allclose(m.gradient_share(counts), [4 / 7, 2 / 7, 1 / 7], rtol=1e-15)
    # pos_weight = (N - n_l) / n_l = 2/4, 4/2, 5/1
    np.testing.assert_allclose(m.pos_weight(counts, n), [0.5, 2.0, 5.0], rtol=1e-15)


def test_degenerate_labels():
    counts = np.array([5, 0, 5])
    ir = m.ir_per_label(counts)
    assert ir[0] == 1 and np.isinf(ir[1]) and ir[2] == 1
    assert m.mean_ir(counts) == 1.0  # over the labels that occur
    assert m.cvir(counts) == 0.0
    assert np.isinf(m.pos_weight(counts, 5)[1]) and m.pos_weight(counts, 5)[0] == 0.0
    assert m.p_absent_per_batch(counts, 5, 2).tolist() == [0.0, 1.0, 0.0]
    assert math.isnan(m.cvir(np.array([3])))
    assert math.isnan(m.mean_ir(np.array([0, 0])))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 60), min_size=1, max_size=8), st.integers(1, 80), st.integers(1, 40))
def test_p_absent_matches_single_label_semantics(counts, extra, batch):
    """Label l alone: the pair (n_l, N - n_l) through imbalcheck.batches, and scipy's hypergeometric pmf at 0."""
    counts = np.array(counts)
    n = int(counts.max()) + extra
    batch = min(batch, n)
    got = m.p_absent_per_batch(counts, n, batch)
    for c, g in zip(counts.tolist(), got.tolist()):
        ref = 1.0 if c == 0 else batches.p_absent_per_batch(np.array([c, n - c]), batch)[0] if c < n else 0.0
        assert g == pytest.approx(ref, rel=1e-9, abs=1e-300)
        assert g == pytest.approx(scipy.stats.hypergeom.pmf(0, n, c, batch), rel=1e-7, abs=1e-12)


# ---------------------------------------------------------------- invariants


@st.composite
def indicator(draw, max_n=40, max_q=7):
    n = draw(st.integers(1, max_n))
    q = draw(st.integers(1, max_q))
    bits = draw(st.lists(st.booleans(), min_size=n * q, max_size=n * q))
    return np.array(bits, dtype=bool).reshape(n, q)


@settings(max_examples=80, deadline=None)
@given(indicator())
def test_invariants(Y):
    counts = m.label_counts(Y)
    ir = m.ir_per_label(counts)
    assert (ir[np.isfinite(ir)] >= 1).all()
    if counts.any():
        assert m.mean_ir(counts) >= 1
        assert m.max_ir(counts) >= m.mean_ir(counts)
    per = m.scumble_per_sample(Y)
    assert ((per >= 0) & (per <= 1)).all()
    assert 0 <= m.scumble(Y) <= 1
    assert m.cardinality(Y) == pytest.approx(Y.sum() / Y.shape[0])
    assert m.density(Y) * Y.shape[1] == pytest.approx(m.cardinality(Y))
    n_sets, keys, set_counts = m.labelset_counts(Y)
    assert set_counts.sum() == Y.shape[0]
    assert n_sets == len(keys) == len({tuple(np.flatnonzero(r)) for r in Y})
    assert (np.diff(set_counts) <= 0).all()
    S = sp.csr_matrix(Y)
    assert m.label_counts(S).tolist() == counts.tolist()
    np.testing.assert_allclose(m.scumble_per_sample(S), per, atol=1e-15)
    assert m.labelset_counts(S)[1] == keys


@settings(max_examples=40, deadline=None)
@given(indicator())
def test_scumble_zero_when_labels_equally_frequent(Y):
    # every active label has the same count -> every IRLbl is 1 -> GM = AM -> SCUMBLE_ins = 0
    Y = np.repeat(Y[:1], 3, axis=0)
    assert m.scumble(Y) == 0.0


# ---------------------------------------------------------------- iterative stratification


def reference_iterative_stratification(Y, r, seed):
    """Sechidis et al. 2011, Algorithm 1, transcribed step by step (O(q n) per label).

    Same tie-breaking draws as iterstrat: rng.choice over the tied indices,
    ascending, only when there is a tie.
    """
    rng = np.random.RandomState(seed)
    Y = np.asarray(Y, dtype=bool)
    n = Y.shape[0]
    r = np.asarray(r, dtype=np.float64)
    c = r * n  # desired samples per subset
    cl = np.outer(r, Y.sum(axis=0))  # desired positives per subset and label
    out = np.zeros(n, dtype=int)
    left = np.ones(n, dtype=bool)
    while left.any():
        rem = Y[left].sum(axis=0)
        if rem.sum() == 0:  # only samples without labels: the subset with most desired samples
            for i in np.flatnonzero(left):
                tied = np.flatnonzero(c == c.max())
                j = tied[rng.choice(tied.size)] if tied.size > 1 else tied[0]
                out[i] = j
                c[j] -= 1
            break
        tied = np.flatnonzero(rem == rem[rem > 0].min())
        lab = tied[rng.choice(tied.size)] if tied.size > 1 else tied[0]
        for i in np.flatnonzero(Y[:, lab] & left):
            tied = np.flatnonzero(cl[:, lab] == cl[:, lab].max())
            if tied.size > 1:
                tied = tied[c[tied] == c[tied].max()]
            j = tied[rng.choice(tied.size)] if tied.size > 1 else tied[0]
            out[i] = j
            left[i] = False
            cl[j, Y[i]] -= 1
            c[j] -= 1
    return out


def split_label_counts(Y, folds, k):
    """(q, k): the positives of each label in each subset, counted on the dense matrix."""
    Y, folds = np.asarray(Y, dtype=bool), np.asarray(folds)
    return np.stack([Y[folds == j].sum(axis=0) for j in range(k)], axis=1).astype(np.int64)


FRACTIONS = [(0.8, 0.1, 0.1), (0.5, 0.5), (0.7, 0.15, 0.15), (0.6, 0.2, 0.2), (0.9, 0.1)]


@settings(max_examples=60, deadline=None)
@given(indicator(max_n=50, max_q=6), st.sampled_from(FRACTIONS), st.integers(0, 5))
def test_iterative_stratification_matches_reference(Y, fractions, seed):
    want = reference_iterative_stratification(Y, fractions, seed)
    np.testing.assert_array_equal(iterative_stratification(Y, fractions, seed), want)
    np.testing.assert_array_equal(iterative_stratification(sp.csr_matrix(Y), fractions, seed), want)


def test_iterative_stratification_matches_iterstrat():
    """The iterative-stratification package (test oracle only) gives the very same assignment."""
    import iterstrat.ml_stratifiers as ms  # a dev dependency: the oracle
    rs = np.random.RandomState(7)
    for trial in range(120):
        n, q = rs.randint(1, 120), rs.randint(1, 10)
        Y = rs.uniform(size=(n, q)) < rs.uniform(0.005, 0.5, size=q)
        fr = FRACTIONS[trial % len(FRACTIONS)]
        seed = trial % 4
        want = ms.IterativeStratification(labels=Y.copy(), r=np.asarray(fr), random_state=np.random.RandomState(seed))
        got = iterative_stratification(Y, fr, seed)
        np.testing.assert_array_equal(got, want, err_msg=f"trial {trial}")
        # and the per-label guarantee: the same labels reach every subset
        a = split_label_counts(Y, got, len(fr))
        b = split_label_counts(Y, want, len(fr))
        np.testing.assert_array_equal(a, b)


def test_iterstrat_larger_case_same_labels_missing():
    import iterstrat.ml_stratifiers as ms  # a dev dependency: the oracle
    rs = np.random.RandomState(3)
    n, q = 3000, 40
    p = 0.3 / np.arange(1, q + 1) ** 1.5  # a long tail: the last labels have a handful of positives
    Y = rs.uniform(size=(n, q)) < p
    want = ms.IterativeStratification(labels=Y.copy(), r=np.array([0.8, 0.1, 0.1]), random_state=np.random.RandomState(0))
    rep = stratification_report([f"l{i}" for i in range(q)], Y, (0.8, 0.1, 0.1), 0)
    per = split_label_counts(Y, want, 3)
    missing = [f"l{i}" for i in range(q) if Y[:, i].any() and per[i].min() < 1]
    assert rep["missing_labels"] == missing
    for i in range(q):
        assert list(rep["per_label"][f"l{i}"]["split"].values()) == per[i].tolist()


def test_min_count_isolated_hand_and_by_running():
    # (0.8, 0.1, 0.1), n = 6: quotas 4.8 / 0.6 / 0.6. Train keeps the largest quota for 5 picks
    # (4.8, 3.8, 2.8, 1.8, 0.8 > 0.6), then one of val/test gets the sixth: the other stays empty.
    # n = 7: quotas 5.6 / 0.7 / 0.7: train takes 5 (down to 0.6 < 0.7), then val and test one each.
    assert min_count_isolated((0.8, 0.1, 0.1)) == 7
    assert min_count_isolated((0.5, 0.5)) == 2
    for n_pos, reached in ((6, False), (7, True)):
        Y = np.zeros((50, 1), dtype=bool)
        Y[:n_pos, 0] = True
        per = split_label_counts(Y, iterative_stratification(Y, (0.8, 0.1, 0.1), 0), 3)
        assert bool(per.min() >= 1) is reached


def test_stratification_report_impossible_and_missing():
    # a: 40 positives, b: 2 (< 3 splits: impossible), c: 0 (no positives), d: 3 (possible, but the greedy
    # allocation sends all 3 to train: quotas 2.4/0.3/0.3 -> train, train (1.4 > 0.3), train (0.4 > 0.3))
    Y = np.zeros((100, 4), dtype=bool)
    Y[:40, 0] = True
    Y[50:52, 1] = True
    Y[60:63, 3] = True
    rep = stratification_report(["a", "b", "c", "d"], Y, (0.8, 0.1, 0.1), 0)
    assert rep["impossible_labels"] == ["b"]
    assert rep["labels_without_positives"] == ["c"]
    assert rep["missing_labels"] == ["b", "d"]
    assert rep["feasible"] is False
    assert rep["per_label"]["d"]["split"] == {"train": 3, "val": 0, "test": 0}
    assert rep["per_label"]["a"]["in_every_split"] is True
    assert sum(rep["split_sizes"].values()) == 100
    assert rep["min_count_required"] == 3 and rep["min_count_isolated"] == 7


@pytest.mark.parametrize("bad", [(0.8, 0.3), (1.0,), (0.5, 0.25, 0.15, 0.1), ("x", "y"), (0.0, 1.0)])
def test_bad_fractions(bad):
    with pytest.raises(ConfigError, match="fractions|numbers"):
        check_fractions(bad)


# ---------------------------------------------------------------- analyze_multilabel / JSON


def test_analyze_hand_and_json_schema():
    p = analyze_multilabel(NAMES, H, n_missing=2, batch_size=2)
    d = p.to_dict()["multilabel"]
    json.dumps(d, allow_nan=False)
    for key in ("n_samples", "n_labels", "n_missing", "cardinality", "density", "mean_ir", "max_ir", "cvir",
                "scumble", "n_labelsets", "top_labelsets", "labels", "stratification"):
        assert key in d
    assert (d["n_samples"], d["n_labels"], d["n_missing"], d["n_without_labels"]) == (6, 3, 2, 1)
    assert d["cardinality"] == pytest.approx(7 / 6)
    assert d["mean_ir"] == pytest.approx(7 / 3) and d["max_ir"] == 4.0
    assert d["cvir"] == pytest.approx(math.sqrt(3 / 7))
    assert d["n_labelsets"] == 5
    assert d["top_labelsets"][0] == {"labels": ["a"], "count": 2}
    assert d["top_labelsets"][1] == {"labels": ["a", "b"], "count": 1}
    assert d["top_labelsets"][4] == {"labels": [], "count": 1}
    rows = d["labels"]
    assert [r["label"] for r in rows] == NAMES
    assert set(rows[0]) == {"label", "count", "ir_lbl", "expected_per_batch", "p_absent_per_batch",
                            "gradient_share", "pos_weight"}
    assert rows[2]["p_absent_per_batch"] == pytest.approx(10 / 15)
    assert d["pos_weight"] == [0.5, 2.0, 5.0]


def test_analyze_no_inf_in_json_and_warnings():
    Y = np.array([[1, 0, 1], [1, 0, 1], [1, 0, 0]], dtype=bool)
    with pytest.warns(UserWarning) as rec:
        p = analyze_multilabel(["x", "never", "all"], Y, batch_size=10)
    msgs = " ".join(str(w.message) for w in rec)
    assert "batch size 10" in msgs and "no positive sample" in msgs
    d = p.to_dict()["multilabel"]
    text = json.dumps(d, allow_nan=False)
    assert "Infinity" not in text and "NaN" not in text
    never = d["labels"][1]
    assert never["ir_lbl"] is None and never["pos_weight"] is None and never["p_absent_per_batch"] == 1.0
    assert d["labels"][0]["pos_weight"] == 0.0  # positive in every sample
    assert d["batch_size"] == 3
    assert d["stratification"]["labels_without_positives"] == ["never"]


def test_analyze_errors():
    with pytest.raises(InputError, match="no labelled samples"):
        analyze_multilabel(["a"], np.zeros((0, 1), dtype=bool))
    with pytest.raises(InputError, match="2 label names for 3 columns"):
        analyze_multilabel(["a", "b"], H)
    with pytest.raises(InputError, match="more than once"):
        analyze_multilabel(["a", "a", "b"], H)
    with pytest.raises(InputError, match="0/1"):
        analyze_multilabel(NAMES, H.astype(int) * 2)
    with pytest.raises(ConfigError, match="batch_size"):
        analyze_multilabel(NAMES, H, batch_size=0)
    with pytest.raises(ConfigError, match="split"):
        analyze_multilabel(NAMES, H, split=(0.9, 0.2))
    with pytest.raises(InputError, match="no labels"):
        analyze_multilabel([], np.zeros((3, 0), dtype=bool))


def test_analyze_sparse_equals_dense():
    rs = np.random.RandomState(5)
    Y = rs.uniform(size=(400, 12)) < rs.uniform(0.01, 0.4, size=12)
    names = [f"t{i}" for i in range(12)]
    a = analyze_multilabel(names, Y).to_dict()
    b = analyze_multilabel(names, sp.csr_matrix(Y)).to_dict()
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


# ---------------------------------------------------------------- readers


def _write(path, text, gz=False):
    data = text.encode("utf-8")
    if gz:
        data = gzip.compress(data)
    path.write_bytes(data)
    return path


def _dense(Y):
    return Y.toarray() if sp.issparse(Y) else np.asarray(Y)


DELIMITED_ROWS = ["cat|dog", "", "dog", "bird|cat|dog", "cat|cat"]  # row 2 empty: no labels, or missing


def _check_delimited(names, Y, n_missing, empty_missing=False):
    assert names == ["bird", "cat", "dog"]  # sorted, like MultiLabelBinarizer
    assert n_missing == (1 if empty_missing else 0)
    rows = [[0, 1, 1], [0, 0, 0], [0, 0, 1], [1, 1, 1], [0, 1, 0]]
    np.testing.assert_array_equal(_dense(Y), [r for i, r in enumerate(rows) if not (empty_missing and i == 1)])


def _check_both(path, **options):
    """Read ``path`` with the default (an empty cell is a sample with no labels) and with
    ``empty_labels="missing"``."""
    _check_delimited(*read_multilabel(path, **options))
    _check_delimited(*read_multilabel(path, empty_labels="missing", **options), empty_missing=True)


def test_read_delimited_csv_tsv_gz(tmp_path):
    csv = "id,labels\n" + "\n".join(f"{i},{v}" for i, v in enumerate(DELIMITED_ROWS)) + "\n"
    _check_both(_write(tmp_path / "a.csv", csv))
    _check_both(_write(tmp_path / "a.csv.gz", csv, gz=True))
    tsv = csv.replace(",", "\t")
    _check_both(_write(tmp_path / "a.tsv", tsv))
    # explicit column and separator; labels kept as written (spaces, case)
    names, Y, n_missing = read_multilabel(_write(tmp_path / "b.csv", 'tags\n"A ; b"\n b\n'), column="tags", sep=";")
    assert names == [" b", "A "] and n_missing == 0


def test_read_delimited_parquet(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": list(range(5)), "labels": DELIMITED_ROWS}), tmp_path / "a.parquet")
    _check_both(tmp_path / "a.parquet")
    # a list column: [] is always a sample with no label; null is an empty cell
    lists = [["cat", "dog"], None, ["dog"], [], ["bird"]]
    pq.write_table(pa.table({"labels": lists}), tmp_path / "l.parquet")
    names, Y, n_missing = read_multilabel(tmp_path / "l.parquet")
    assert names == ["bird", "cat", "dog"] and n_missing == 0
    np.testing.assert_array_equal(_dense(Y), [[0, 1, 1], [0, 0, 0], [0, 0, 1], [0, 0, 0], [1, 0, 0]])
    names, Y, n_missing = read_multilabel(tmp_path / "l.parquet", empty_labels="missing")
    assert n_missing == 1
    np.testing.assert_array_equal(_dense(Y), [[0, 1, 1], [0, 0, 1], [0, 0, 0], [1, 0, 0]])


def test_read_delimited_jsonl_json(tmp_path):
    lines = [{"labels": v} if v != "" else {"labels": None} for v in DELIMITED_ROWS]
    lines[1] = {"other": 1}  # the key absent: an empty cell
    _check_both(_write(tmp_path / "a.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n"))
    recs = [{"labels": ["cat", "dog"]}, {"labels": ""}, {"labels": ["dog"]}, {"labels": "bird|cat|dog"}, {"labels": ["cat"]}]
    _check_both(_write(tmp_path / "a.json", json.dumps(recs)))


def test_read_empty_items_warn(tmp_path):
    with pytest.warns(UserWarning, match="ignored 2 empty label"):
        names, Y, _ = read_multilabel(_write(tmp_path / "e.csv", "labels\na||b\nb|\n"))
    assert names == ["a", "b"]
    np.testing.assert_array_equal(_dense(Y), [[1, 1], [0, 1]])


ONE_HOT_CSV = "id,cat,dog,bird\n1,1,0,0\n2,true,FALSE,1\n3,,1,0\n4,0,0,0\n5, 1 ,1,0\n"


def _check_one_hot(names, Y, n_missing):
    assert names == ["cat", "dog", "bird"]  # column order kept
    assert n_missing == 1  # row 3 has an empty indicator
    np.testing.assert_array_equal(_dense(Y), [[1, 0, 0], [1, 0, 1], [0, 0, 0], [1, 1, 0]])


def test_read_one_hot_csv_parquet_jsonl(tmp_path):
    _check_one_hot(*read_multilabel(_write(tmp_path / "o.csv", ONE_HOT_CSV), one_hot=["cat", "dog", "bird"]))
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({
        "cat": [1, 1, None, 0, 1], "dog": [False, False, True, False, True], "bird": [0.0, 1.0, 0.0, 0.0, 0.0],
    }), tmp_path / "o.parquet")
    _check_one_hot(*read_multilabel(tmp_path / "o.parquet", one_hot=["cat", "dog", "bird"]))
    rows = [{"cat": 1, "dog": 0, "bird": 0}, {"cat": True, "dog": "false", "bird": 1},
            {"cat": None, "dog": 1, "bird": 0}, {"cat": 0, "dog": 0, "bird": 0}, {"cat": "1", "dog": 1.0, "bird": 0}]
    _check_one_hot(*read_multilabel(_write(tmp_path / "o.jsonl", "\n".join(map(json.dumps, rows))),
                                    one_hot=["cat", "dog", "bird"]))


def test_read_one_hot_prefix(tmp_path):
    path = _write(tmp_path / "p.csv", "id,lbl_cat,lbl_dog,lbl_\n1,1,0,x\n2,0,1,y\n")
    names, Y, n_missing = read_multilabel(path, one_hot_prefix="lbl_")
    assert names == ["cat", "dog"] and n_missing == 0  # 'lbl_' alone is not an indicator column
    np.testing.assert_array_equal(_dense(Y), [[1, 0], [0, 1]])


def test_sparse_output_for_many_labels(tmp_path):
    q = 1029
    rows = ["|".join(f"L{(i * 3 + j) % q:05d}" for j in range(3)) for i in range(q)]
    names, Y, _ = read_multilabel(_write(tmp_path / "big.csv", "labels\n" + "\n".join(rows) + "\n"))
    assert sp.issparse(Y) and Y.shape == (q, q) and Y.nnz == 3 * q
    assert names == sorted(names)


def test_reader_errors(tmp_path):
    one_hot = _write(tmp_path / "o.csv", "id,cat,dog\n1,1,0\n2,0,2\n")
    with pytest.raises(InputError, match=r"o\.csv: indicator column 'dog', row 2: value '2'"):
        read_multilabel(one_hot, one_hot=["cat", "dog"])
    with pytest.raises(InputError, match=r"o\.csv: no column named 'cow'"):
        read_multilabel(one_hot, one_hot=["cat", "cow"])
    with pytest.raises(InputError, match="cannot tell which column holds the labels"):
        read_multilabel(one_hot)
    with pytest.raises(InputError, match="no column named 'tags'"):
        read_multilabel(one_hot, column="tags")
    with pytest.raises(ConfigError, match="not both"):
        read_multilabel(one_hot, one_hot=["cat"], one_hot_prefix="c")
    with pytest.raises(ConfigError, match="drop it"):
        read_multilabel(one_hot, one_hot=["cat"], column="id")
    with pytest.raises(ConfigError, match="sep"):
        read_multilabel(one_hot, sep="")
    with pytest.raises(ConfigError, match="unknown encoding"):
        read_multilabel(one_hot, encoding="klingon")
    with pytest.raises(ConfigError, match="unknown --input-format .xlsx."):
        read_multilabel(one_hot, input_format="xlsx")
    with pytest.raises(InputError, match="no such file"):
        read_multilabel(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="a folder, but not an ImageFolder"):
        read_multilabel(tmp_path)
    with pytest.raises(InputError, match=r"a spreadsheet \(.xlsx\) cannot be read"):
        read_multilabel(_write(tmp_path / "x.xlsx", "a"))
    (tmp_path / "t.csv.gz").write_bytes(gzip.compress(b"labels\na\n")[:-10])
    with pytest.raises(InputError, match="gzip data is truncated"):
        read_multilabel(tmp_path / "t.csv.gz")
    (tmp_path / "l1.csv").write_bytes("labels\ncaf\xe9\n".encode("latin-1"))
    with pytest.raises(InputError, match="not valid utf-8"):
        read_multilabel(tmp_path / "l1.csv")
    names, _, _ = read_multilabel(tmp_path / "l1.csv", encoding="latin-1")
    assert names == ["café"]
    with pytest.raises(InputError, match="invalid JSON on line 2"):
        read_multilabel(_write(tmp_path / "b.jsonl", '{"labels": "a"}\n{oops\n'))
    with pytest.raises(InputError, match="invalid JSON at line 1"):
        read_multilabel(_write(tmp_path / "b.json", '[{"labels": "a"},'))
    with pytest.raises(InputError, match="array of records"):
        read_multilabel(_write(tmp_path / "c.json", '{"labels": "a"}'))
    with pytest.raises(InputError, match="record 2: a label set holds an array"):
        read_multilabel(_write(tmp_path / "d.json", '[{"labels": ["a"]}, {"labels": [["b"]]}]'))
    with pytest.raises(InputError, match="not a valid Parquet file"):
        read_multilabel(_write(tmp_path / "e.parquet", "PAR1 not really"))
    with pytest.raises(InputError, match="row 2 after the header has 3 fields but the header has 2"):
        read_multilabel(_write(tmp_path / "r.csv", "labels,x\na,1\nb,2,3\n"))
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"labels": [1.5, 2.5]}), tmp_path / "f.parquet")
    assert read_multilabel(tmp_path / "f.parquet")[0] == ["1.5", "2.5"]  # typed cells are labels, spelled once


def test_reader_never_leaks_library_errors(tmp_path):
    # garbage in every format: only InputError comes out
    garbage = b"\x00\xff\xfe garbage \x00\n,,,\n\"unterminated"
    for ext in ("csv", "tsv", "parquet", "jsonl", "json"):
        (tmp_path / f"g.{ext}").write_bytes(garbage)
        with pytest.raises(InputError):
            read_multilabel(tmp_path / f"g.{ext}")


# ---------------------------------------------------------------- in-memory objects


def test_from_object_label_sets():
    sets = [{"cat", "dog"}, ["dog"], None, [], ("bird",), "cat|bird", ""]
    names, Y, n_missing = multilabel_from_object(sets)
    assert names == ["bird", "cat", "dog"] and n_missing == 0  # None, "" and [] are samples with no label
    np.testing.assert_array_equal(_dense(Y), [[0, 1, 1], [0, 0, 1], [0, 0, 0], [0, 0, 0], [1, 0, 0], [1, 1, 0],
                                              [0, 0, 0]])
    names, Y, n_missing = multilabel_from_object(sets, empty_labels="missing")
    assert n_missing == 2  # None and "" are missing; [] has no label
    np.testing.assert_array_equal(_dense(Y), [[0, 1, 1], [0, 0, 1], [0, 0, 0], [1, 0, 0], [1, 1, 0]])
    names, Y, _ = multilabel_from_object([[1, 2], [2]])  # non-text labels become text
    assert names == ["1", "2"]


def test_from_object_matrices():
    names, Y, n_missing = multilabel_from_object(H.astype(int), NAMES)
    assert names == NAMES and n_missing == 0 and _dense(Y).tolist() == H.tolist()
    names, Y, n_missing = multilabel_from_object(np.array([[1.0, 0.0], [np.nan, 1.0], [0.0, 1.0]]))
    assert names == ["0", "1"] and n_missing == 1
    names, Y, _ = multilabel_from_object(sp.csr_matrix(H), NAMES)
    assert _dense(Y).tolist() == H.tolist()
    names, Y, _ = multilabel_from_object([[1, 0, 0], [0, 1, 1]], names=["x", "y", "z"])
    assert _dense(Y).tolist() == [[True, False, False], [False, True, True]]
    with pytest.raises(InputError, match="row 2, label 'b': value 3.0 is not 0/1"):
        multilabel_from_object([[1, 0], [0, 3]], names=["a", "b"])
    with pytest.raises(InputError, match="2 names for 3 label columns"):
        multilabel_from_object(H, ["a", "b"])
    with pytest.raises(InputError, match="single|label set"):
        multilabel_from_object("cat|dog")
    with pytest.raises(InputError):
        multilabel_from_object(42)


def test_from_object_pandas():
    import pandas as pd
    df = pd.DataFrame({"cat": [1, 0, None], "dog": [True, False, True], "bird": ["1", "0", "0"]})
    names, Y, n_missing = multilabel_from_object(df)
    assert names == ["cat", "dog", "bird"] and n_missing == 1
    assert _dense(Y).tolist() == [[True, True, True], [False, False, False]]
    bad = pd.DataFrame({"cat": [1, 5]}, index=["r1", "r2"])
    with pytest.raises(InputError, match=r"indicator column 'cat', row 2: value '5'"):
        multilabel_from_object(bad)
    names, Y, n_missing = multilabel_from_object(pd.Series([["a"], None, ["a", "b"]]))
    assert names == ["a", "b"] and n_missing == 0 and _dense(Y).sum(axis=1).tolist() == [1, 0, 2]
    assert multilabel_from_object(pd.Series([["a"], None, ["a", "b"]]), empty_labels="missing")[2] == 1


def test_roundtrip_file_and_object_agree(tmp_path):
    rs = np.random.RandomState(2)
    Y = rs.uniform(size=(200, 6)) < 0.2
    names = [f"n{i}" for i in range(6)]
    rows = ["|".join(names[j] for j in np.flatnonzero(r)) for r in Y]
    # rows with no label would be empty cells (= missing) in the delimited file: keep them out
    keep = Y.any(axis=1)
    path = _write(tmp_path / "r.csv", "labels\n" + "\n".join(r for r, k in zip(rows, keep) if k) + "\n")
    got_names, got, n_missing = read_multilabel(path)
    present = [names[j] for j in range(6) if Y[keep][:, j].any()]
    assert got_names == present and n_missing == 0
    np.testing.assert_array_equal(_dense(got), Y[keep][:, [names.index(x) for x in present]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        analyze_multilabel(got_names, got, n_missing)


@settings(max_examples=80, deadline=None)
@given(indicator(max_n=300, max_q=6), st.sampled_from([*FRACTIONS, (0.25, 0.25, 0.25, 0.25)]), st.integers(0, 5),
       st.booleans())
def test_bulk_passes_draw_what_one_at_a_time_draws(Y, fractions, seed, levels):
    """Every pass merged in bulk (threshold 1), by a sort or level by level, gives the very
    assignment of the one-by-one loop, the reference transcription of Algorithm 1: same ties,
    same draws."""
    import imbalcheck.multilabel.stratify as s

    with mock.patch.object(s, "_BULK", 1), mock.patch.object(s, "_LEVELS", 1 if levels else 10**9):
        got = iterative_stratification(Y, fractions, seed) if len(fractions) < 4 else \
            s.assign_subsets(Y, np.asarray(fractions), seed)
    want = reference_iterative_stratification(Y, fractions, seed)
    np.testing.assert_array_equal(got, want)


def test_bulk_passes_match_iterstrat_on_thousands_of_rows():
    """Passes over thousands of samples (the bulk merge, with many val/test ties) against the package."""
    import iterstrat.ml_stratifiers as ms  # a dev dependency: the oracle
    rs = np.random.RandomState(5)
    for n, q, fr, seed in ((6000, 12, (0.8, 0.1, 0.1), 0), (4000, 5, (0.5, 0.5), 3), (5000, 8, (0.6, 0.2, 0.2), 1)):
        Y = rs.uniform(size=(n, q)) < 0.4 / np.arange(1, q + 1)
        want = ms.IterativeStratification(labels=Y.copy(), r=np.asarray(fr), random_state=np.random.RandomState(seed))
        np.testing.assert_array_equal(iterative_stratification(Y, fr, seed), want)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["a", "b", " c", "c", "NA", "d", " "]), max_size=4), min_size=1, max_size=40),
       st.booleans(), st.sampled_from([None, "missing"]))
def test_reader_label_set_table_equals_the_one_counted_from_Y(rows, strip, empty_labels):
    """The distinct label sets the reader counts while reading (handed to the analysis) are those
    of its Y, in the same order, with the same counts, whatever the clean-ups merge."""
    import io

    from imbalcheck.readers import read
    from imbalcheck.readers.spec import ReadSpec

    text = "tags\n" + "".join(("|".join(r) or '""') + "\n" for r in rows)
    from hypothesis import assume

    spec = ReadSpec.create(multi_label=True, strip=strip, na_values="NA", empty_labels=empty_labels)
    try:
        data = read(io.BytesIO(text.encode()), spec).data
    except InputError as exc:  # every label set missing
        assume("every label set is missing" not in str(exc))
        raise
    assert_same_sets(data.rows, m.label_sets(data.Y))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["0", "1", ""]), min_size=3, max_size=3), min_size=1, max_size=30))
def test_one_hot_label_set_table_equals_the_one_counted_from_Y(rows):
    """One-hot rows with an empty indicator are missing; the table's order is first appearance among
    the labelled rows."""
    import io

    from hypothesis import assume

    from imbalcheck.readers import read
    from imbalcheck.readers.spec import ReadSpec

    assume(any("" not in r for r in rows))
    text = "x,y,z\n" + "".join(",".join(r) + "\n" for r in rows)
    data = read(io.BytesIO(text.encode()), ReadSpec.create(one_hot="x,y,z")).data
    assert_same_sets(data.rows, m.label_sets(data.Y))


def assert_same_sets(got, want):
    """Two :class:`SetRows` hold the same distinct sets with the same counts, and each row the same set."""
    def canonical(sets):
        labels = [tuple(sorted(sets.set_labels[sets.set_ptr[j]:sets.set_ptr[j + 1]].tolist()))
                  for j in range(sets.n_sets)]
        assert len(set(labels)) == len(labels)  # distinct
        return sets.q, dict(zip(labels, sets.set_counts.tolist())), [labels[j] for j in sets.row_sets.tolist()]

    assert canonical(got) == canonical(want)


def test_reader_hands_its_label_set_table_on():
    import io

    from imbalcheck.readers import read
    from imbalcheck.readers.spec import ReadSpec

    data = read(io.BytesIO(b"tags\nb|a\na|b\nc\na\nb|a|a\n"), ReadSpec.create(multi_label=True)).data
    sets = data.rows
    labels = [tuple(sorted(sets.set_labels[sets.set_ptr[i]:sets.set_ptr[i + 1]])) for i in sets.row_sets]
    assert labels == [(0, 1), (0, 1), (2,), (0,), (0, 1)]
    assert sorted(sets.set_counts.tolist()) == [1, 1, 3]
    # the top sets: count descending, ties in order of first appearance, whatever the numbering
    assert sets.top() == ([(0, 1), (2,), (0,)], pytest.approx([3, 1, 1]))
    assert sets.top(2)[0] == [(0, 1), (2,)]
