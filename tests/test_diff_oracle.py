"""Independent oracle tests for ``imbalcheck.diff`` (issue 17).

Every expected figure is computed here, from the formulas of the issue, by hand, with numpy, or
with scipy itself; nothing is taken from the package's own implementation:

* p_c = a_c / N_a, q_c = b_c / N_b over the union of classes;
* r_c = |p_c - q_c| / max(p_c, q_c) (1 for a class in only one file);
  class_balanced_shift = mean of r_c over the union;
* chi_square = scipy.stats.chi2_contingency(np.vstack([a, b]), correction=False);
* per-class p-value: two-sided pooled two-proportion z-test, Bonferroni-corrected min(1, K p);
* changed_classes: corrected p < alpha (0.05) and r_c >= min_relative_change (0.2);
* TVD = 0.5 sum |p - q|; JS (bits) = jensenshannon(p, q, base=2) ** 2.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import imbalcheck

scipy_stats = pytest.importorskip("scipy.stats")
scipy_distance = pytest.importorskip("scipy.spatial.distance")

ROOT = Path(__file__).resolve().parent.parent
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


# --------------------------------------------------------------------------------------------
# The oracle
# --------------------------------------------------------------------------------------------


def oracle(ca: dict, cb: dict, alpha: float = 0.05, min_rel: float = 0.2) -> dict:
    """Every figure of the diff computed with numpy/scipy from two label -> count mappings."""
    labels = sorted(set(ca) | set(cb))
    a = np.array([ca.get(k, 0) for k in labels], dtype=float)
    b = np.array([cb.get(k, 0) for k in labels], dtype=float)
    na, nb = a.sum(), b.sum()
    p, q = a / na, b / nb
    r = np.abs(p - q) / np.maximum(p, q)
    k = len(labels)
    pooled = (a + b) / (na + nb)
    se = np.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb))
    z = (q - p) / se
    p_raw = 2 * scipy_stats.norm.sf(np.abs(z))
    p_adj = np.minimum(1.0, k * p_raw)
    stat, pval, dof, _ = scipy_stats.chi2_contingency(np.vstack([a, b]), correction=False)
    per_class = {}
    for i, lab in enumerate(labels):
        per_class[lab] = dict(count_a=int(a[i]), count_b=int(b[i]), share_a=p[i], share_b=q[i],
                              share_diff=q[i] - p[i], relative_change=r[i], p_value=p_adj[i])
    changed = {}
    for lab, c in per_class.items():
        if c["p_value"] < alpha and c["relative_change"] >= min_rel:
            if c["count_a"] == 0:
                kind = "appeared"
            elif c["count_b"] == 0:
                kind = "disappeared"
            elif c["share_b"] > c["share_a"]:
                kind = "increased"
            else:
                kind = "decreased"
            changed[lab] = kind
    return dict(
        labels=labels, n_a=int(na), n_b=int(nb), per_class=per_class, changed=changed,
        tvd=0.5 * np.abs(p - q).sum(),
        js=scipy_distance.jensenshannon(p, q, base=2) ** 2,
        cbs=r.mean(),
        chi=(stat, pval, dof),
    )


def check_against_oracle(d: dict, ca: dict, cb: dict, alpha: float = 0.05, min_rel: float = 0.2):
    """Compare a ``Diff.to_dict()`` document with the oracle, figure by figure."""
    o = oracle(ca, cb, alpha, min_rel)
    assert d["a"]["n_samples"] == o["n_a"]
    assert d["b"]["n_samples"] == o["n_b"]
    assert d["tvd"] == pytest.approx(o["tvd"], rel=1e-9, abs=1e-15)
    assert d["js_divergence"] == pytest.approx(o["js"], rel=1e-7, abs=1e-15)
    assert d["class_balanced_shift"] == pytest.approx(o["cbs"], rel=1e-9, abs=1e-15)
    stat, pval, dof = o["chi"]
    assert d["chi_square"]["statistic"] == pytest.approx(stat, rel=1e-9, abs=1e-12)
    assert d["chi_square"]["p_value"] == pytest.approx(pval, rel=1e-6, abs=1e-300)
    assert d["chi_square"]["dof"] == dof
    assert d["alpha"] == pytest.approx(alpha)
    assert d["min_relative_change"] == pytest.approx(min_rel)

    classes = {str(c["label"]): c for c in d["classes"]}
    assert set(classes) == set(map(str, o["labels"]))
    for lab, exp in o["per_class"].items():
        got = classes[str(lab)]
        assert got["count_a"] == exp["count_a"], lab
        assert got["count_b"] == exp["count_b"], lab
        for key in ("share_a", "share_b", "share_diff", "relative_change"):
            assert got[key] == pytest.approx(exp[key], rel=1e-9, abs=1e-15), (lab, key)
        assert got["p_value"] == pytest.approx(exp["p_value"], rel=1e-6, abs=1e-300), lab

    changed = {str(c["label"]): c for c in d["changed_classes"]}
    assert {k: c["change"] for k, c in changed.items()} == {str(k): v for k, v in o["changed"].items()}
    for lab, c in changed.items():
        full = classes[lab]
        for key in ("count_a", "count_b", "share_a", "share_b", "relative_change", "p_value"):
            assert c[key] == pytest.approx(full[key], rel=1e-12, abs=1e-300), (lab, key)
    only_a = {str(x["label"]): x["count"] for x in d["only_in_a"]}
    only_b = {str(x["label"]): x["count"] for x in d["only_in_b"]}
    assert only_a == {str(k): v for k, v in ca.items() if k not in cb}
    assert only_b == {str(k): v for k, v in cb.items() if k not in ca}
    return o


# --------------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------------

BIG = {f"big{i:02d}": 5000 for i in range(16)}
ISSUE_A = {**BIG, "small": 200, "gone": 100}
ISSUE_B = {**BIG, "small": 20, "new": 150}


def write_csv(path: Path, counts: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("label\n" + "".join(f"{k}\n" * v for k, v in counts.items()), encoding="utf-8")
    return path


def cli_inproc(*args, cwd=None, monkeypatch=None):
    """Run the CLI in-process (typer's CliRunner): for output checks, where a fresh interpreter per call
    would only cost time. Exit codes that matter are checked with real subprocesses (cli_many)."""
    from typer.testing import CliRunner

    from imbalcheck.cli import app

    if cwd is not None:
        monkeypatch.chdir(cwd)
    res = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "120", "NO_COLOR": "1"},
                             catch_exceptions=False)
    return res


def cli_many(calls):
    """Run several CLI calls concurrently (keeps the file fast); each call: (args, kwargs)."""
    procs = []
    for args, kw in calls:
        full_env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1", **(kw.get("env") or {})}
        procs.append(subprocess.Popen([sys.executable, "-m", "imbalcheck", *map(str, args)], cwd=kw.get("cwd"),
                                      env=full_env, stdin=subprocess.DEVNULL if kw.get("input") is None
                                      else subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True))
    out = []
    for (args, kw), proc in zip(calls, procs):
        stdout, stderr = proc.communicate(input=kw.get("input"), timeout=60)
        out.append(subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr))
    return out


def assert_one_line_error(res, *needles):
    assert res.returncode == 2, (res.returncode, res.stdout, res.stderr)
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("imbalcheck: error:"), res.stderr
    assert "Traceback" not in res.stderr
    for n in needles:
        assert n.lower() in lines[0].lower(), (n, lines[0])


@pytest.fixture(scope="module")
def issue_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("issue")
    return write_csv(d / "a.csv", ISSUE_A), write_csv(d / "b.csv", ISSUE_B)


@pytest.fixture(scope="module")
def issue_count_files(tmp_path_factory):
    """The issue's fixture as label,count tables (read with --counts: cheaper for the CLI runs)."""
    d = tmp_path_factory.mktemp("issue_counts")
    out = []
    for name, counts in (("a.csv", ISSUE_A), ("b.csv", ISSUE_B)):
        (d / name).write_text("label,count\n" + "".join(f"{k},{v}\n" for k, v in counts.items()), encoding="utf-8")
        out.append(d / name)
    return tuple(out)


# --------------------------------------------------------------------------------------------
# Formulas on hand vectors
# --------------------------------------------------------------------------------------------


def test_issue_fixture_by_hand():
    """The issue's fixture: every figure computed by hand (no numpy)."""
    d = imbalcheck.diff(ISSUE_A, ISSUE_B).to_dict()
    na, nb = 16 * 5000 + 200 + 100, 16 * 5000 + 20 + 150  # 80300, 80170
    p_big, q_big = 5000 / na, 5000 / nb
    r_big = abs(p_big - q_big) / max(p_big, q_big)
    r_small = (200 / na - 20 / nb) / (200 / na)  # ~ 0.9 (the shares moved a little too)
    cbs = (16 * r_big + r_small + 1 + 1) / 19
    tvd = 0.5 * (16 * abs(p_big - q_big) + abs(200 / na - 20 / nb) + 100 / na + 150 / nb)
    assert cbs == pytest.approx(0.15398635, abs=1e-8)
    assert tvd == pytest.approx(0.00348652, abs=1e-8)
    assert d["class_balanced_shift"] == pytest.approx(cbs, rel=1e-12)
    assert d["tvd"] == pytest.approx(tvd, rel=1e-12)
    # TVD blind, class-balanced shift not.
    assert d["tvd"] < 0.01
    assert d["class_balanced_shift"] > 0.15
    assert d["class_balanced_shift"] > 40 * d["tvd"]

    changed = {c["label"]: c for c in d["changed_classes"]}
    assert {k: c["change"] for k, c in changed.items()} == {
        "small": "decreased", "gone": "disappeared", "new": "appeared"}
    assert not any(k.startswith("big") for k in changed)
    assert changed["small"]["count_a"] == 200 and changed["small"]["count_b"] == 20
    assert changed["small"]["relative_change"] == pytest.approx(r_small, rel=1e-12)
    assert changed["gone"]["relative_change"] == 1.0 and changed["new"]["relative_change"] == 1.0
    assert changed["gone"]["count_b"] == 0 and changed["gone"]["share_b"] == 0.0
    assert changed["new"]["count_a"] == 0 and changed["new"]["share_a"] == 0.0
    assert changed["new"]["share_b"] == pytest.approx(150 / nb, rel=1e-12)
    assert d["only_in_a"] == [{"label": "gone", "count": 100}]
    assert d["only_in_b"] == [{"label": "new", "count": 150}]
    assert d["a"]["n_classes"] == 18 and d["b"]["n_classes"] == 18
    assert d["chi_square"]["dof"] == 18  # 19 classes in the union


def test_issue_fixture_against_oracle():
    check_against_oracle(imbalcheck.diff(ISSUE_A, ISSUE_B).to_dict(), ISSUE_A, ISSUE_B)


def test_diff_attributes_match_dict():
    diff = imbalcheck.diff(ISSUE_A, ISSUE_B)
    d = diff.to_dict()
    assert diff.tvd == pytest.approx(d["tvd"])
    assert diff.class_balanced_shift == pytest.approx(d["class_balanced_shift"])
    assert diff.js_divergence == pytest.approx(d["js_divergence"])
    assert json.loads(json.dumps(d)) == d  # JSON-serialisable as is


def test_z_test_by_hand():
    """Two classes, 30/70 vs 60/40 of 100 each: the pooled z-test worked out with math.erfc."""
    ca, cb = {"x": 30, "y": 70}, {"x": 60, "y": 40}
    pi = (30 + 60) / 200  # 0.45
    se = math.sqrt(pi * (1 - pi) * (1 / 100 + 1 / 100))
    z = (0.6 - 0.3) / se
    assert z == pytest.approx(4.264014327, rel=1e-9)
    p_raw = math.erfc(abs(z) / math.sqrt(2))  # = 2 (1 - Phi(|z|))
    p_adj = min(1.0, 2 * p_raw)  # K = 2 classes
    assert p_adj == pytest.approx(4.0157312e-05, rel=1e-7)
    # y is the mirror image: same |z| (pi = 110/200 -> same pi (1 - pi)).
    d = imbalcheck.diff(ca, cb).to_dict()
    classes = {c["label"]: c for c in d["classes"]}
    assert classes["x"]["p_value"] == pytest.approx(p_adj, rel=1e-6)
    assert classes["y"]["p_value"] == pytest.approx(p_adj, rel=1e-6)
    assert classes["x"]["relative_change"] == pytest.approx(0.3 / 0.6)
    assert classes["y"]["relative_change"] == pytest.approx(0.3 / 0.7)
    assert d["class_balanced_shift"] == pytest.approx((0.5 + 3 / 7) / 2)
    assert d["tvd"] == pytest.approx(0.3)
    changed = {c["label"]: c["change"] for c in d["changed_classes"]}
    assert changed == {"x": "increased", "y": "decreased"}
    # chi-square on a 2x2 table without correction is z^2 of the pooled test.
    assert d["chi_square"]["statistic"] == pytest.approx(z * z, rel=1e-9)
    assert d["chi_square"]["dof"] == 1
    assert d["chi_square"]["p_value"] == pytest.approx(p_raw, rel=1e-6)


def test_z_test_bonferroni_caps_at_one_and_uses_union_size():
    """Three classes in the union (one appearing): K = 3; a tiny change has corrected p = 1."""
    ca, cb = {"x": 500, "y": 500}, {"x": 499, "y": 500, "z": 1}
    d = imbalcheck.diff(ca, cb).to_dict()
    classes = {c["label"]: c for c in d["classes"]}
    # y: p = 0.5, q = 500/1000 = 0.5 -> z = 0 -> raw p = 1 -> capped at 1.
    assert classes["y"]["p_value"] == pytest.approx(1.0)
    # z: pi = 1/2000; q = 1/1000.
    pi = 1 / 2000
    zz = (1 / 1000) / math.sqrt(pi * (1 - pi) * (2 / 1000))
    expected = min(1.0, 3 * scipy_stats.norm.sf(zz) * 2)
    assert classes["z"]["p_value"] == pytest.approx(expected, rel=1e-6)
    assert classes["z"]["relative_change"] == 1.0
    assert d["changed_classes"] == []  # one sample is not significant
    check_against_oracle(d, ca, cb)


def test_class_balanced_shift_appearing_and_disappearing_by_hand():
    """p = (1/2, 1/2, 0), q = (0, 1/4, 3/4): r = (1, 1/2, 1), mean 5/6."""
    ca, cb = {"a": 10, "b": 10}, {"b": 10, "c": 30}
    d = imbalcheck.diff(ca, cb).to_dict()
    assert d["class_balanced_shift"] == pytest.approx(5 / 6)
    assert d["tvd"] == pytest.approx(0.5 * (0.5 + 0.25 + 0.75))
    m = np.array([0.25, 0.375, 0.375])
    js = 0.5 * (0.5 * math.log2(0.5 / 0.25) + 0.5 * math.log2(0.5 / 0.375)) \
        + 0.5 * (0.25 * math.log2(0.25 / 0.375) + 0.75 * math.log2(0.75 / 0.375))
    assert m.sum() == 1.0
    assert d["js_divergence"] == pytest.approx(js, rel=1e-9)
    classes = {c["label"]: c for c in d["classes"]}
    assert classes["a"]["relative_change"] == 1.0
    assert classes["b"]["relative_change"] == pytest.approx(0.5)
    assert classes["c"]["relative_change"] == 1.0
    check_against_oracle(d, ca, cb)


def test_identical_distributions():
    ca = {"x": 10, "y": 30, "z": 60}
    cb = {"x": 20, "y": 60, "z": 120}  # same shares, twice the samples
    d = imbalcheck.diff(ca, cb).to_dict()
    assert d["class_balanced_shift"] == pytest.approx(0.0, abs=1e-15)
    assert d["tvd"] == pytest.approx(0.0, abs=1e-15)
    assert d["js_divergence"] == pytest.approx(0.0, abs=1e-12)
    assert d["changed_classes"] == []
    stat, pval, dof, _ = scipy_stats.chi2_contingency(np.array([[10, 30, 60], [20, 60, 120]]), correction=False)
    assert d["chi_square"]["statistic"] == pytest.approx(stat, abs=1e-12)
    assert d["chi_square"]["p_value"] == pytest.approx(pval)
    assert d["chi_square"]["dof"] == dof == 2
    assert all(c["p_value"] == pytest.approx(1.0) for c in d["classes"])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_counts_against_oracle(seed):
    rng = np.random.default_rng(seed)
    k = 14
    wa = rng.dirichlet(np.full(k, 0.6))
    wb = np.clip(wa * rng.lognormal(0, 0.8, k), 1e-9, None)
    wb /= wb.sum()
    a = rng.multinomial(5000, wa)
    b = rng.multinomial(3000, wb)
    # force a class only in A and one only in B
    a[0], b[0] = 0, max(b[0], 25)
    a[1], b[1] = max(a[1], 40), 0
    ca = {f"c{i}": int(v) for i, v in enumerate(a) if v > 0}
    cb = {f"c{i}": int(v) for i, v in enumerate(b) if v > 0}
    check_against_oracle(imbalcheck.diff(ca, cb).to_dict(), ca, cb)


def test_label_lists_in_memory():
    la = ["cat"] * 50 + ["dog"] * 40 + ["fox"] * 10
    lb = ["cat"] * 80 + ["dog"] * 45 + ["owl"] * 25
    d = imbalcheck.diff(la, lb).to_dict()
    check_against_oracle(d, {"cat": 50, "dog": 40, "fox": 10}, {"cat": 80, "dog": 45, "owl": 25})


def test_csv_paths(issue_files):
    a, b = issue_files
    d = imbalcheck.diff(str(a), str(b)).to_dict()
    check_against_oracle(d, ISSUE_A, ISSUE_B)
    d2 = imbalcheck.diff(a, b).to_dict()  # pathlib.Path too
    assert d2["class_balanced_shift"] == pytest.approx(d["class_balanced_shift"])


# --------------------------------------------------------------------------------------------
# alpha / min_relative_change select the changed classes
# --------------------------------------------------------------------------------------------

SEL_A = {"x": 100, "y": 100, "w": 1000}
SEL_B = {"x": 125, "y": 70, "w": 1000}


def test_alpha_and_min_relative_change_select():
    o = oracle(SEL_A, SEL_B)
    px, py = o["per_class"]["x"]["p_value"], o["per_class"]["y"]["p_value"]
    rx, ry = o["per_class"]["x"]["relative_change"], o["per_class"]["y"]["relative_change"]
    # The fixture is built so the thresholds below separate the classes.
    assert py < px < 1 and 0.2 <= rx < ry
    assert o["per_class"]["w"]["relative_change"] < 0.05

    def changed(**kw):
        return {c["label"] for c in imbalcheck.diff(SEL_A, SEL_B, **kw).to_dict()["changed_classes"]}

    assert changed(alpha=px * 1.01) == {"x", "y"}
    assert changed(alpha=px * 0.99) == {"y"}
    assert changed(alpha=py * 0.99) == set()
    assert changed(alpha=1.0, min_relative_change=(rx + ry) / 2) == {"y"}
    assert changed(alpha=1.0, min_relative_change=ry * 1.001) == set()
    assert changed(alpha=1.0, min_relative_change=rx) >= {"x", "y"}  # r >= threshold, inclusive
    for a in (px * 1.01, px * 0.99):
        d = imbalcheck.diff(SEL_A, SEL_B, alpha=a, min_relative_change=0.1).to_dict()
        check_against_oracle(d, SEL_A, SEL_B, alpha=a, min_rel=0.1)


# --------------------------------------------------------------------------------------------
# Gates (API)
# --------------------------------------------------------------------------------------------


def test_gate_class_balanced_shift_api():
    cbs = oracle(ISSUE_A, ISSUE_B)["cbs"]
    failed = imbalcheck.diff(ISSUE_A, ISSUE_B, max_class_balanced_shift=cbs - 0.01)
    passed = imbalcheck.diff(ISSUE_A, ISSUE_B, max_class_balanced_shift=cbs + 0.01)
    assert failed.passed is False or failed.passed == False  # noqa: E712
    assert passed.passed is True or passed.passed == True  # noqa: E712
    fd = failed.to_dict()
    assert fd["passed"] is False
    assert "check" in fd and "checks" in fd
    assert passed.to_dict()["passed"] is True


def test_gate_tvd_api_does_not_see_small_classes():
    tvd = oracle(ISSUE_A, ISSUE_B)["tvd"]
    assert imbalcheck.diff(ISSUE_A, ISSUE_B, max_tvd=0.01).passed  # TVD 0.0035 passes ...
    assert not imbalcheck.diff(ISSUE_A, ISSUE_B, max_tvd=0.01, max_class_balanced_shift=0.1).passed  # ... CBS not
    assert not imbalcheck.diff(ISSUE_A, ISSUE_B, max_tvd=tvd / 2).passed


# --------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------


def test_cli_json_gates_and_selection(issue_count_files, monkeypatch):
    a, b = issue_count_files
    cbs = oracle(ISSUE_A, ISSUE_B)["cbs"]
    over, under = cli_many([
        (("diff", a, b, "--counts", "--max-class-balanced-shift", f"{cbs - 0.01:.4f}", "--format", "json"), {}),
        (("diff", a, b, "--counts", "--max-class-balanced-shift", f"{cbs + 0.01:.4f}", "--format", "json"), {}),
    ])
    assert over.returncode == 1, over.stderr
    d = json.loads(over.stdout)
    assert d["passed"] is False
    check_against_oracle(d, ISSUE_A, ISSUE_B)
    assert under.returncode == 0, under.stderr
    assert json.loads(under.stdout)["passed"] is True
    sel = cli_inproc("diff", a, b, "--counts", "--min-relative-change", "0.95", "--alpha", "1e-25",
                     "--format", "json", monkeypatch=monkeypatch)
    assert sel.exit_code == 0, sel.stderr
    d = json.loads(sel.stdout)
    # r(small) ~ 0.8998 < 0.95 drops out; p(gone) ~ 3e-22 > 1e-25 drops out; new (p ~ 3e-33) stays.
    o = oracle(ISSUE_A, ISSUE_B, alpha=1e-25, min_rel=0.95)
    assert o["changed"] == {"new": "appeared"}
    check_against_oracle(d, ISSUE_A, ISSUE_B, alpha=1e-25, min_rel=0.95)


def test_cli_invalid_thresholds_are_one_line_errors(issue_count_files):
    a, b = issue_count_files
    results = cli_many([
        (("diff", a, b, "--counts", "--alpha", "0"), {}),
        (("diff", a, b, "--counts", "--alpha", "2"), {}),
        (("diff", a, b, "--counts", "--min-relative-change", "-1"), {}),
    ])
    assert_one_line_error(results[0], "alpha")
    assert_one_line_error(results[1], "alpha")
    assert_one_line_error(results[2], "relative")
    assert all(r.stdout == "" for r in results)


def test_cli_markdown_verdict_and_plot(issue_count_files, tmp_path, monkeypatch):
    a, b = issue_count_files
    o = oracle(ISSUE_A, ISSUE_B)
    png = tmp_path / "out.png"
    md = cli_inproc("diff", a, b, "--counts", "--format", "markdown", "--plot", png, monkeypatch=monkeypatch)
    assert md.exit_code == 0, md.stderr
    text = md.stdout
    lines = [ln for ln in text.splitlines() if ln.strip()]
    # The verdict leads: it comes before any table or section below the title.
    first_table = next(i for i, ln in enumerate(lines) if ln.lstrip().startswith("|"))
    verdict_idx = next(i for i, ln in enumerate(lines) if "changed significantly" in ln)
    assert verdict_idx < first_table and verdict_idx <= 2, lines[:5]
    verdict = lines[verdict_idx]
    assert f"{len(o['changed'])} classes changed significantly" in verdict
    assert "1 disappeared" in verdict and "1 appeared" in verdict
    assert f"class-balanced shift {o['cbs']:.2f}" in verdict  # 0.15
    # Then the changed classes with the relative change in percent.
    after = "\n".join(lines[verdict_idx + 1:])
    details = after.find("<details")
    head = after if details < 0 else after[:details]
    r_small = o["per_class"]["small"]["relative_change"]
    assert f"-{round(100 * r_small)}%" in head  # -90%
    # a class only in one file reads "gone" / "new" (its share change (q - p) / p is -100% / undefined)
    assert "| gone |" in head and "| new |" in head
    for lab in ("small", "gone", "new"):
        assert lab in head
    # The plot.
    assert png.read_bytes()[:8] == PNG_MAGIC


# --------------------------------------------------------------------------------------------
# --rev: diff against a git revision
# --------------------------------------------------------------------------------------------

V1 = {"cat": 5, "dog": 3}
V2 = {"cat": 2, "dog": 3, "bird": 4}
V3 = {"cat": 7, "bird": 1}
SUB1 = {"red": 6, "blue": 2}
SUB2 = {"red": 1, "blue": 2, "green": 3}


def git_env(tmp_path: Path) -> dict:
    return {"GIT_CEILING_DIRECTORIES": str(tmp_path.parent), "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1"}


def git(repo: Path, *args, env):
    subprocess.run(["git", "-c", "user.email=t@example.com", "-c", "user.name=Test", "-c", "commit.gpgsign=false",
                    *args], cwd=repo, env={**os.environ, **env}, check=True, capture_output=True, timeout=30)


@pytest.fixture
def repo(tmp_path):
    env = git_env(tmp_path)
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", env=env)
    write_csv(root / "labels.csv", V1)
    write_csv(root / "sub" / "labels.csv", SUB1)
    git(root, "add", "labels.csv", "sub/labels.csv", env=env)
    git(root, "commit", "-q", "-m", "v1", env=env)
    write_csv(root / "labels.csv", V2)
    git(root, "commit", "-q", "-am", "v2", env=env)
    # the working copy differs from HEAD
    write_csv(root / "labels.csv", V3)
    write_csv(root / "sub" / "labels.csv", SUB2)
    (tmp_path / "elsewhere").mkdir()
    return root, env


def counts_of(doc: dict, side: str) -> dict:
    return {c["label"]: c[f"count_{side}"] for c in doc["classes"] if c[f"count_{side}"] > 0}


def test_rev_against_head_and_older(repo, tmp_path, monkeypatch):
    root, env = repo
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    elsewhere = tmp_path / "elsewhere"
    cases = [
        (root, "HEAD", "labels.csv", V2, V3),
        (elsewhere, "HEAD", root / "labels.csv", V2, V3),  # another cwd, absolute path
        (root, "HEAD~1", "labels.csv", V1, V3),  # an older revision
        (root, "HEAD", "sub/labels.csv", SUB1, SUB2),  # a file in a subfolder
        (root / "sub", "HEAD", "labels.csv", SUB1, SUB2),  # ... from inside the subfolder
        (elsewhere, "HEAD", root / "sub" / "labels.csv", SUB1, SUB2),
    ]
    for cwd, rev, path, ea, eb in cases:
        res = cli_inproc("diff", "--rev", rev, path, "--format", "json", cwd=cwd, monkeypatch=monkeypatch)
        assert res.exit_code == 0, (cwd, rev, path, res.stderr)
        d = json.loads(res.stdout)
        assert counts_of(d, "a") == ea, (cwd, rev, path)
        assert counts_of(d, "b") == eb, (cwd, rev, path)
        check_against_oracle(d, ea, eb)


def test_rev_gate_exit_code(repo):
    root, env = repo
    cbs = oracle(V2, V3)["cbs"]
    (over,) = cli_many([
        (("diff", "--rev", "HEAD", "labels.csv", "--format", "json", "--max-class-balanced-shift",
          f"{cbs - 0.05:.4f}"), {"cwd": root, "env": env}),
    ])
    assert over.returncode == 1, over.stderr
    d = json.loads(over.stdout)
    assert d["passed"] is False
    assert counts_of(d, "a") == V2 and counts_of(d, "b") == V3


def test_rev_api(repo, monkeypatch):
    root, env = repo
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    d = imbalcheck.diff(str(root / "labels.csv"), rev="HEAD").to_dict()
    assert counts_of(d, "a") == V2 and counts_of(d, "b") == V3
    check_against_oracle(d, V2, V3)


def test_rev_errors(repo, tmp_path):
    root, env = repo
    plain = write_csv(tmp_path / "plain" / "labels.csv", V1)
    write_csv(root / "untracked.csv", V1)
    other = write_csv(root / "other.csv", V2)
    runs = cli_many([
        (("diff", "--rev", "HEAD", plain), {"cwd": plain.parent, "env": env}),
        (("diff", "--rev", "nosuchrev", "labels.csv"), {"cwd": root, "env": env}),
        (("diff", "--rev", "HEAD", "untracked.csv"), {"cwd": root, "env": env}),
        (("diff", "--rev", "HEAD", "labels.csv", other), {"cwd": root, "env": env}),
        (("diff", "--rev", "HEAD", "-"), {"cwd": root, "env": env, "input": "label\ncat\n"}),
    ])
    assert_one_line_error(runs[0], "git")
    assert_one_line_error(runs[1], "nosuchrev")
    assert_one_line_error(runs[2], "untracked.csv")
    assert_one_line_error(runs[3])
    assert_one_line_error(runs[4])
    for r in runs:
        assert r.stdout == "", r.stdout
