"""imbalcheck.probing: plateau rule, log reading, batched training and end-to-end probes."""

from __future__ import annotations

import importlib
import json
import math
import sys

import numpy as np
import pytest

from imbalcheck.errors import InputError, MissingDependencyError
from imbalcheck.plateau import ladder_loss
from imbalcheck.probing import detect_plateau, downsample_curve, place_on_ladder, plateau_from_log

HINT = "the probe needs PyTorch; install it with: pip install 'torch>=2.1' (the probe extra)"


# ---- plateau rule (no torch) ----------------------------------------------------------

def _noisy(curve, sd, seed=0):
    return curve + np.random.default_rng(seed).normal(0, sd, curve.size)


def test_plateau_of_exponential_decay():
    t = np.arange(1000)
    loss = _noisy(1.0 + 2.0 * np.exp(-t / 60.0), 0.05)
    p = detect_plateau(t, loss)
    assert p["reached"] is True
    assert p["loss"] == pytest.approx(1.0, abs=0.02)
    # 2 * exp(-t/60) falls below the 2% band (0.02) near t = 276
    assert 150 <= p["step"] <= 400


def test_plateau_after_a_late_drop():
    """A stall at 2.0 and a later escape to 0.5: the plateau is the final level, not the stall."""
    t = np.arange(800)
    loss = _noisy(np.where(t < 400, 2.0, 0.5), 0.02)
    p = detect_plateau(t, loss)
    assert p["reached"] and p["loss"] == pytest.approx(0.5, abs=0.01)
    assert 400 <= p["step"] <= 440


def test_flat_curve_plateaus_at_step_zero():
    t = np.arange(300)
    p = detect_plateau(t * 10, _noisy(np.full(300, math.log(10)), 0.01))
    assert p == {**p, "step": 0, "reached": True}
    assert p["loss"] == pytest.approx(math.log(10), abs=0.01)


def test_still_falling_curve_has_no_plateau():
    t = np.arange(500)
    p = detect_plateau(t, 5.0 - 0.008 * t)
    assert p["reached"] is False and p["step"] is None
    assert p["loss"] == pytest.approx(p["final_loss"])
    assert p["loss"] == pytest.approx(5.0 - 0.008 * 487, abs=1e-9)  # mean of the last 25-point window


def test_short_curve_is_not_judged():
    p = detect_plateau([0, 1, 2], [3.0, 2.0, 1.5])
    assert p["reached"] is False and p["step"] is None


def test_downsample_keeps_short_curves_and_averages_long_ones():
    assert downsample_curve([0, 1, 2], [3.0, 2.0, 1.0]) == [[0, 3.0], [1, 2.0], [2, 1.0]]
    t = np.arange(1000)
    curve = downsample_curve(t, t.astype(float), max_points=500)
    assert len(curve) == 500
    assert curve[0] == [1, 0.5] and curve[-1] == [999, 998.5]


def test_place_on_ladder():
    counts = np.array([1000, 300, 100, 30, 10, 3, 1])
    prior = -(counts / counts.sum() * np.log(counts / counts.sum())).sum()
    at_prior = place_on_ladder(prior + 0.05, counts)
    assert at_prior["top_k"] == 0 and at_prior["on_ladder"] and at_prior["distance"] == pytest.approx(0.05)
    at_rung = place_on_ladder(ladder_loss(counts, 1), counts)
    assert at_rung["top_k"] == 1 and at_rung["distance"] == pytest.approx(0.0, abs=1e-12)
    learned = place_on_ladder(0.0, counts)
    assert learned["top_k"] == counts.size and learned["on_ladder"] is False
    assert place_on_ladder(math.log(7), counts)["top_k"] is None


# ---- training logs (no torch) ---------------------------------------------------------

def _curve():
    t = np.arange(0, 2000, 4)
    return t, 0.8 + 1.5 * np.exp(-t / 200.0) + np.random.default_rng(1).normal(0, 0.02, t.size)


def test_plateau_from_csv_log(tmp_path):
    t, loss = _curve()
    path = tmp_path / "train.csv"
    lines = ["epoch,step,loss,lr"] + [f"{i // 100},{s},{v:.6f},0.1" for i, (s, v) in enumerate(zip(t, loss))]
    path.write_text("\n".join(lines) + "\n")
    out = plateau_from_log(path)
    assert out["n_points"] == t.size and out["n_nonfinite"] == 0
    assert out["curve"][0] == [0, pytest.approx(loss[0], abs=1e-6)]
    assert out["plateau"]["reached"] and out["plateau"]["loss"] == pytest.approx(0.8, abs=0.02)
    json.dumps(out)


def test_plateau_from_jsonl_log_with_noise_records(tmp_path):
    t, loss = _curve()
    records = []
    for s, v in zip(t, loss):
        records.append(json.dumps({"step": int(s), "loss": float(v)}))
        if s % 400 == 0:
            records.append(json.dumps({"step": int(s), "eval_accuracy": 0.5}))  # no loss: skipped
    records.insert(10, json.dumps({"step": 9999, "loss": float("nan")}))
    path = tmp_path / "log.jsonl"
    path.write_text("\n".join(records) + "\n\n")
    out = plateau_from_log(path, counts=[500, 50, 5])
    assert out["n_points"] == t.size and out["n_nonfinite"] == 1
    assert out["plateau"]["loss"] == pytest.approx(0.8, abs=0.02)
    assert set(out["rung"]) == {"top_k", "loss", "distance", "on_ladder"}


def test_log_is_sorted_and_resumed_steps_keep_the_last_record(tmp_path):
    path = tmp_path / "resumed.csv"
    path.write_text("step;loss\n0;3.0\n10;2.0\n20;1.0\n10;2.5\n5;2.8\n")
    from imbalcheck.probing.log import read_log

    steps, losses, _ = read_log(path)
    assert steps.tolist() == [0, 5, 10, 20] and losses.tolist() == [3.0, 2.8, 2.5, 1.0]


def test_log_errors(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        plateau_from_log(tmp_path / "missing.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("step,accuracy\n1,0.5\n")
    with pytest.raises(InputError, match="no loss column"):
        plateau_from_log(bad)
    empty = tmp_path / "empty.jsonl"
    empty.write_text('{"step": 1}\n')
    with pytest.raises(InputError, match="no \\(step, loss\\) records"):
        plateau_from_log(empty)


def test_probe_package_works_without_torch(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "torch", None)
    for mod in [m for m in sys.modules if m.startswith(("imbalcheck.probing", "imbalcheck.losses"))]:
        monkeypatch.delitem(sys.modules, mod)
    probe = importlib.import_module("imbalcheck.probing")
    path = tmp_path / "l.csv"
    path.write_text("step,loss\n" + "".join(f"{i},{1 + 1 / (i + 1):.5f}\n" for i in range(100)))
    assert probe.plateau_from_log(path)["n_points"] == 100
    with pytest.raises(MissingDependencyError) as err:
        probe.run_probe(np.array([10, 5]), ["a", "b"])
    assert str(err.value) == HINT


# ---- the loss library without torch -----------------------------------------------------

def test_import_without_torch_raises_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    for mod in [m for m in sys.modules if m.startswith("imbalcheck.losses")]:
        monkeypatch.delitem(sys.modules, mod)
    with pytest.raises(MissingDependencyError) as err:
        importlib.import_module("imbalcheck.losses")
    assert str(err.value) == HINT
    assert isinstance(err.value, ImportError)
