"""`imbalcheck recommend` and `imbalcheck probe` through the CLI (CPU, small budgets)."""

from __future__ import annotations

import json
import sys

import pytest

from tests.cli_helpers import run, write_labels
from tests.conftest import EXAMPLES, needs_torch


@needs_torch
def test_recommend_torch_snippet_runs(tmp_path):
    import torch

    result = run("recommend", EXAMPLES / "classes_224_counts.csv", "--counts", "--format", "torch")
    assert result.exit_code == 0, result.stderr
    namespace: dict = {}
    exec(result.stdout, namespace)  # the snippet is valid, self-contained Python
    assert len(namespace["classes"]) == len(namespace["counts"]) == 202
    logits = torch.zeros(4, 202)
    loss = namespace["criterion"](logits, torch.tensor([0, 1, 2, 3]))
    assert torch.isfinite(loss)


@needs_torch
@pytest.mark.parametrize("counts", [[500, 60, 60], [4000, 300, 100, 40]])
def test_recommend_snippet_for_other_rules(tmp_path, counts):
    path = write_labels(tmp_path / "y.txt", [str(i) for i, n in enumerate(counts) for _ in range(n)], header="")
    import torch

    result = run("recommend", path, "--format", "torch")
    assert result.exit_code == 0, result.stderr
    namespace: dict = {}
    exec(result.stdout, namespace)
    out = namespace["criterion"](torch.randn(3, len(counts)), torch.tensor([0, 1, 2]))
    assert torch.isfinite(out)


def test_recommend_json(tmp_path):
    doc = json.loads(run("recommend", EXAMPLES / "classes_224_counts.csv", "--counts", "-f", "json").stdout)
    assert doc["recommendation"]["loss"]["name"] == "logit_adjusted"
    assert doc["recommendation"]["recipe"]["sampler"] == {"name": "instance", "params": {}}


@needs_torch
def test_probe_on_a_small_long_tail(tmp_path):
    counts = [400, 150, 60, 25, 10, 4]
    path = write_labels(tmp_path / "y.csv", [f"c{i}" for i, n in enumerate(counts) for _ in range(n)])
    png = tmp_path / "curves.png"
    result = run("probe", path, "--steps", "150", "--batch-size", "32", "--format", "json", "--plot", png)
    assert result.exit_code == 0, result.stderr
    probe = json.loads(result.stdout)["probe"]
    assert probe["device"].startswith("cpu")
    # the baseline, the recipe (instance sampling + its loss) and the re-sampling alternative (a sampler + ce)
    assert [(r["loss"], r["sampler"]["name"]) for r in probe["runs"]] == [
        ("ce", "instance"), ("logit_adjusted", "instance"), ("ce", "progressive")]
    for r in probe["runs"]:
        assert 0 <= r["balanced_accuracy"] <= 1 and set(r["bucket_recall"]) == {"many", "medium", "few"}
    assert png.read_bytes()[:4] == b"\x89PNG"
    rich = run("probe", path, "--steps", "50", "--batch-size", "32", "--losses", "ce,focal")
    assert rich.exit_code == 0 and "rung" in rich.stdout and "focal" in rich.stdout


@needs_torch
def test_probe_with_features_file(tmp_path):
    import numpy as np

    rng = np.random.default_rng(0)
    labels = ["a"] * 80 + ["b"] * 20
    x = rng.normal(size=(100, 3)) + np.array([[3.0, 0, 0] if lab == "a" else [-3.0, 0, 0] for lab in labels])
    np.save(tmp_path / "x.npy", x)
    path = write_labels(tmp_path / "y.csv", labels)
    result = run("probe", path, "--features-file", tmp_path / "x.npy", "--steps", "60", "-b", "16", "-f", "json")
    assert result.exit_code == 0, result.stderr
    probe = json.loads(result.stdout)["probe"]
    assert probe["data"]["kind"] == "features" and probe["runs"][0]["balanced_accuracy"] > 0.9
    bad = np.zeros((5, 3))
    np.save(tmp_path / "bad.npy", bad)
    result = run("probe", path, "--features-file", tmp_path / "bad.npy")
    assert result.exit_code == 2 and "does not match the 100 rows" in result.stderr


def test_probe_log_needs_no_torch(tmp_path, monkeypatch):
    log = tmp_path / "train.csv"
    log.write_text("step,loss\n" + "".join(f"{s},{2.04 + 3.0 * 0.97 ** s:.4f}\n" for s in range(600)))
    monkeypatch.setitem(sys.modules, "torch", None)
    result = run("probe", EXAMPLES / "classes_224_counts.csv", "--counts", "--log", log, "-f", "json")
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)["log"]
    assert found["rung"]["top_k"] == 10 and found["rung"]["on_ladder"] is True


def test_probe_without_torch_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    path = write_labels(tmp_path / "y.csv", ["a"] * 5 + ["b"] * 3)
    result = run("probe", path, "--steps", "5")
    assert result.exit_code == 2
    assert "pip install 'torch>=2.1'" in result.stderr and result.stderr.count("\n") == 1
