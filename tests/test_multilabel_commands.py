"""Multi-label input in weights, diff and profile's empty-cell semantics (issue 15 item 7),
against hand computation and scipy's normal distribution."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy.stats import norm

import imbalcheck
from imbalcheck.errors import ConfigError
from tests.cli_helpers import run

# 10 rows: 4 empty cells (samples with no labels), a in 4 (a|a once), b in 2, c in 1
TAGS = ["a", "", "a|b", "", "b", "a", "", "c", "", "a|a"]


@pytest.fixture
def tags(tmp_path):
    path = tmp_path / "tags.csv"
    path.write_text("id,tags\n" + "".join(f"{i},{t}\n" for i, t in enumerate(TAGS)))
    return path


def test_empty_cells_are_negatives_of_every_label(tags):
    ml = json.loads(run("profile", tags, "--multi-label", "-c", "tags", "-f", "json", "-b", "4").stdout)["multilabel"]
    assert (ml["n_samples"], ml["n_missing"], ml["n_without_labels"]) == (10, 0, 4)
    # pos_weight = (N - n_l) / n_l over all N = 10 samples
    assert ml["pos_weight"] == [6 / 4, 8 / 2, 9 / 1]
    assert ml["cardinality"] == pytest.approx(7 / 10)
    missing = json.loads(run("profile", tags, "--multi-label", "-c", "tags", "-f", "json", "-b", "4",
                             "--empty-labels", "missing").stdout)["multilabel"]
    assert (missing["n_samples"], missing["n_missing"], missing["n_without_labels"]) == (6, 4, 0)
    assert missing["pos_weight"] == [2 / 4, 4 / 2, 5 / 1]


def test_weights_multi_label_is_pos_weight(tags):
    got = json.loads(run("weights", tags, "--multi-label", "-c", "tags").stdout)
    assert got == {"a": 6 / 4, "b": 4.0, "c": 9.0}
    api = imbalcheck.class_weights(str(tags), multi_label=True, column="tags")
    assert api.scheme == "pos_weight" and api.to_dict() == got
    assert json.loads(run("weights", tags, "--multi-label", "-c", "tags", "--scheme", "pos_weight").stdout) == got
    md = run("weights", tags, "--multi-label", "-c", "tags", "-f", "markdown").stdout
    assert "**pos\\_weight of 3 labels, for BCEWithLogitsLoss**" in md and "| a | 1.5 |" in md


@pytest.mark.parametrize(("args", "message"), [
    (["--scheme", "inverse"], "--scheme inverse: multi-label weights are per-label pos_weight (negatives / positives, "
                              "for BCEWithLogitsLoss); drop --scheme or pass --scheme pos_weight"),
    (["--normalize", "samples"], "--normalize scales class weights; pos_weight is a ratio of negatives to positives "
                                 "that BCEWithLogitsLoss takes as it is: drop --normalize"),
])
def test_weights_multi_label_refuses_single_label_options(tags, args, message):
    result = run("weights", tags, "--multi-label", "-c", "tags", *args)
    assert result.exit_code == 2 and result.stderr == f"imbalcheck: error: {message}\n"


def test_pos_weight_scheme_needs_multi_label(tags):
    result = run("weights", tags, "-c", "id", "--scheme", "pos_weight")
    assert result.exit_code == 2
    assert result.stderr == ("imbalcheck: error: --scheme pos_weight is per label of multi-label input; add "
                             "--multi-label, or choose inverse, sqrt_inverse, log_inverse, effective_number or ce\n")


def _z_test(a: int, n_a: int, b: int, n_b: int, k: int) -> float:
    """The pooled two-proportion z-test, two-sided, Bonferroni over k labels (scipy's normal)."""
    pooled = (a + b) / (n_a + n_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    return min(1.0, 2 * norm.sf(abs(b / n_b - a / n_a) / se) * k) if se else 1.0


def test_diff_multi_label_compares_prevalences(tmp_path):
    rs = np.random.default_rng(4)
    rows_a = [("|".join(sorted({str(x) for x in rs.choice(list("abcd"), rs.integers(0, 3), p=[.6, .2, .15, .05])})))
              for _ in range(400)]
    rows_b = [("|".join(sorted({str(x) for x in rs.choice(list("abce"), rs.integers(0, 3), p=[.3, .3, .3, .1])})))
              for _ in range(300)]
    for name, rows in (("a.csv", rows_a), ("b.csv", rows_b)):
        (tmp_path / name).write_text("tags\n" + "".join(f'"{r}"\n' for r in rows))
    doc = json.loads(run("diff", tmp_path / "a.csv", tmp_path / "b.csv", "--multi-label", "-f", "json").stdout)
    assert doc["multi_label"] is True and (doc["a"]["n_samples"], doc["b"]["n_samples"]) == (400, 300)
    assert doc["tvd"] is None and doc["chi_square"] is None
    labels = sorted({x for r in rows_a + rows_b for x in r.split("|") if x})
    shifts = []
    for row in doc["classes"]:
        lab = row["label"]
        a = sum(lab in r.split("|") for r in rows_a)
        b = sum(lab in r.split("|") for r in rows_b)
        assert (row["count_a"], row["count_b"]) == (a, b)
        assert row["share_a"] == pytest.approx(a / 400) and row["share_b"] == pytest.approx(b / 300)
        assert row["p_value"] == pytest.approx(_z_test(a, 400, b, 300, len(labels)), rel=1e-9, abs=1e-300)
        shifts.append(abs(b / 300 - a / 400) / max(a / 400, b / 300))
    assert doc["class_balanced_shift"] == pytest.approx(sum(shifts) / len(labels))
    assert {c["label"] for c in doc["only_in_a"]} == {"d"} and {c["label"] for c in doc["only_in_b"]} == {"e"}
    changed = {c["label"] for c in doc["changed_classes"]}
    assert "a" in changed and "c" in changed  # 60% -> 30% and 15% -> 30% of the draws: clear at these sizes


def test_diff_multi_label_gate(tmp_path, tags):
    other = tmp_path / "other.csv"
    other.write_text("id,tags\n1,a\n2,b\n")
    result = run("diff", tags, other, "--multi-label", "-c", "tags", "--max-class-balanced-shift", "0.1")
    assert result.exit_code == 1
    result = run("diff", tags, other, "--multi-label", "-c", "tags", "--max-tvd", "0.1")
    assert result.exit_code == 2
    assert result.stderr == ("imbalcheck: error: --max-tvd: the total-variation distance compares shares of exclusive "
                             "classes; label sets share samples: gate them with --max-class-balanced-shift\n")
    with pytest.raises(ConfigError, match="--max-tvd"):
        imbalcheck.diff(str(tags), str(other), multi_label=True, column="tags", max_tvd=0.1)
    for fmt in ("markdown", "rich", "html"):
        assert run("diff", tags, other, "--multi-label", "-c", "tags", "-f", fmt).exit_code == 0


def _profile_of(counts: dict, n: int):
    """A MultilabelProfile of n samples with the given label counts (label l in the first counts[l] rows)."""
    rows = [[lab for lab, c in counts.items() if i < c] for i in range(n)]
    return imbalcheck.profile(rows, multi_label=True, batch_size=min(n, 128))


def test_recommend_multi_label_json_and_cli(tags):
    doc = json.loads(run("recommend", tags, "--multi-label", "-c", "tags", "-f", "json").stdout)
    recipe = doc["recommendation"]["recipe"]
    assert recipe["sampler"]["name"] == "instance" and recipe["loss"]["name"] == "bce_pos_weight"
    assert recipe["loss"]["params"]["pos_weight"] == [6 / 4, 8 / 2, 9 / 1]
    prof = json.loads(run("profile", tags, "--multi-label", "-c", "tags", "-f", "json", "-b", "4").stdout)
    assert prof["multilabel"]["recipe"] == recipe
    for fmt in ("rich", "markdown", "html"):
        assert "Recommended recipe" in run("recommend", tags, "--multi-label", "-c", "tags", "-f", fmt).stdout


def _official_asl(x, y, gamma_neg, gamma_pos, clip, eps=1e-8):
    """Alibaba-MIIL/ASL src/loss_functions/losses.py AsymmetricLoss.forward, transcribed (the oracle)."""
    import torch

    xs_pos = torch.sigmoid(x)
    xs_neg = 1 - xs_pos
    if clip is not None and clip > 0:
        xs_neg = (xs_neg + clip).clamp(max=1)
    los_pos = y * torch.log(xs_pos.clamp(min=eps))
    los_neg = (1 - y) * torch.log(xs_neg.clamp(min=eps))
    loss = los_pos + los_neg
    pt = xs_pos * y + xs_neg * (1 - y)
    gamma = gamma_pos * y + gamma_neg * (1 - y)
    return -(loss * torch.pow(1 - pt, gamma)).sum()


@pytest.mark.parametrize(("counts", "n", "loss"), [
    ({"a": 40, "b": 5, "c": 2}, 100, "bce_pos_weight"),
    ({**{f"l{i}": 3 for i in range(40)}, "big": 60}, 100, "asymmetric"),  # density 180 / (100 x 41) < 0.05
    ({"a": 3000, "b": 2}, 3000, "bce"),  # b in 2 of 3,000 < 0.001: repeat-factor sampling with plain BCE
])
def test_recommend_torch_snippet_runs(counts, n, loss):
    torch = pytest.importorskip("torch")
    from imbalcheck.render.torch import multilabel_code

    p = _profile_of(counts, n)
    assert p.recipe.loss["name"] == loss
    scope: dict = {}
    exec(multilabel_code(p), scope)  # noqa: S102 - the snippet the user pastes
    assert scope["labels"] == list(p.names)
    g = torch.Generator().manual_seed(0)
    x = torch.randn(16, len(p.names), generator=g)
    y = (torch.rand(16, len(p.names), generator=g) < 0.3).float()
    got = scope["criterion"](x, y)
    if loss == "asymmetric":
        prm = p.recipe.loss["params"]
        want = _official_asl(x, y, prm["gamma_neg"], prm["gamma_pos"], prm["clip"])
        assert float(got) == pytest.approx(float(want), rel=1e-6)
    elif loss == "bce_pos_weight":
        w = torch.tensor(p.recipe.loss["params"]["pos_weight"])
        want = -(w * y * torch.nn.functional.logsigmoid(x) + (1 - y) * torch.nn.functional.logsigmoid(-x)).mean()
        assert float(got) == pytest.approx(float(want), rel=1e-6)
    else:
        assert p.recipe.sampler["name"] == "repeat_factor"
        assert float(got) == pytest.approx(float(torch.nn.functional.binary_cross_entropy_with_logits(x, y)))


def test_a_null_is_an_empty_cell_in_every_column_type(tmp_path):
    """A null in a Parquet string column, a categorical Series or an Arrow dictionary column is an
    empty cell like '' (it was a missing row there only); with --strip a blank cell is one too."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    cells = ["cat|dog", None, "dog", ""]
    pq.write_table(pa.table({"labels": cells}), tmp_path / "n.parquet")
    pq.write_table(pa.table({"labels": pa.array(cells, pa.large_string())}), tmp_path / "l.parquet")
    for source in (str(tmp_path / "n.parquet"), str(tmp_path / "l.parquet"), pd.Series(cells, dtype="category"),
                   pa.array(cells).dictionary_encode()):
        r = imbalcheck.profile(source, multi_label=True, batch_size=2)
        assert (r.n_samples, r.n_missing, r.n_without_labels) == (4, 0, 2)
        assert r.pos_weight.tolist() == [3.0, 1.0]
        r = imbalcheck.profile(source, multi_label=True, batch_size=2, empty_labels="missing")
        assert (r.n_samples, r.n_missing, r.n_without_labels) == (2, 2, 0)
    blank = tmp_path / "ws.csv"
    blank.write_text('labels\na\n" "\nb\n""\nNA\n')
    r = imbalcheck.profile(str(blank), multi_label=True, strip=True, na_values="NA", batch_size=2)
    assert (r.n_samples, r.n_missing, r.n_without_labels) == (4, 1, 2)  # 'NA' is missing; ' ' and '' are empty


def test_review_edges_of_multi_label_commands(tmp_path):
    """An indicator column positive in neither file is in neither only_in list; one stream is not
    two files; a file of empty cells has no labels to weigh; the config's max_tvd is named as such."""
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("x,y,z\n1,0,0\n0,1,0\n")
    b.write_text("x,y,z\n1,0,0\n1,0,0\n")
    d = imbalcheck.diff(str(a), str(b), one_hot="x,y,z")
    assert d.labels.tolist() == ["x", "y"] and [x["label"] for x in d.only_in_a] == ["y"] and d.only_in_b == []
    with open(a, "rb") as f, pytest.raises(ConfigError, match="the same open file can be read once"):
        imbalcheck.diff(f, f, one_hot="x,y,z")
    empty = tmp_path / "e.csv"
    empty.write_text('tags\n""\n""\n')
    result = run("weights", empty, "--multi-label")
    assert result.exit_code == 2 and result.stderr == (
        "imbalcheck: error: no labels: every label set is empty (the indicator matrix has no columns); check the "
        "label column or one-hot columns\n")
    config = tmp_path / "pyproject.toml"
    config.write_text("[tool.imbalcheck]\nmax_tvd = 0.2\n")
    result = run("diff", a, b, "--one-hot", "x,y,z", "--config", config)
    assert result.exit_code == 2 and result.stderr.startswith(
        "imbalcheck: error: max_tvd (from the [tool.imbalcheck] configuration): the total-variation distance")
