"""imbalcheck.probing with PyTorch: batched training, the synthetic and feature tasks, end-to-end probes.

The tests that need no PyTorch (plateau rule, training logs) are in test_probe.py; this module
is skipped as a whole only where PyTorch is not installed (never in CI).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from imbalcheck.errors import ConfigError
from tests.conftest import require

torch = require("torch")

from imbalcheck.losses import NormedLinear, resolve_params  # noqa: E402
from imbalcheck.probing import run_probe  # noqa: E402
from imbalcheck.probing.data import FeatureTask, SyntheticTask, sample_order, stratified_holdout  # noqa: E402
from imbalcheck.probing.train import BatchedMLP, NesterovSGD, train_batched  # noqa: E402


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """One CPU thread: on a small shared CPU, OpenMP's spinning threads stall under load."""
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


def test_stratified_holdout_keeps_every_class():
    y = np.repeat(np.arange(5), [50, 10, 3, 2, 1])
    tr, te = stratified_holdout(y, 0.2, seed=0)
    assert np.intersect1d(tr, te).size == 0 and tr.size + te.size == y.size
    assert np.bincount(y[te], minlength=5).tolist() == [10, 2, 1, 1, 0]
    assert np.all(np.bincount(y[tr], minlength=5) >= 1)


def test_sample_order_is_shuffled_epochs():
    order = sample_order(10, steps=7, batch_size=4, generator=torch.Generator().manual_seed(0), device="cpu")
    flat = order.reshape(-1).tolist()
    assert order.shape == (7, 4)
    assert sorted(flat[:10]) == list(range(10)) and sorted(flat[10:20]) == list(range(10))


def test_nesterov_sgd_matches_torch_optim():
    torch.manual_seed(0)
    a = [torch.randn(3, 4, requires_grad=True), torch.randn(4, requires_grad=True)]
    b = [p.detach().clone().requires_grad_() for p in a]
    ref = torch.optim.SGD(b, lr=0.1, momentum=0.9, nesterov=True, weight_decay=2e-4)
    mine = NesterovSGD(a, momentum=0.9, weight_decay=2e-4)
    x = torch.randn(5, 3)
    for step in range(4):
        lr = 0.1 * (step + 1) / 4
        loss_a = ((x @ a[0] + a[1]) ** 2).mean()
        mine.step(torch.autograd.grad(loss_a, a), lr)
        for group in ref.param_groups:
            group["lr"] = lr
        ref.zero_grad()
        ((x @ b[0] + b[1]) ** 2).mean().backward()
        ref.step()
    for p, q in zip(a, b):
        torch.testing.assert_close(p, q)


def test_batched_model_equals_separate_modules():
    model = BatchedMLP(3, 5, 8, 4, n_normed=1, generator=torch.Generator().manual_seed(0), device="cpu")
    x = torch.randn(6, 5)
    out = model(x)
    w1, b1, w2, b2, w3, b3 = model.params
    assert out.shape == (3, 6, 4) and b3.shape[0] == 2
    for i in range(3):
        h = torch.relu(torch.relu(x @ w1[i] + b1[i]) @ w2[i] + b2[i])
        if i < 2:
            torch.testing.assert_close(out[i], h @ w3[i] + b3[i])
        else:
            head = NormedLinear(8, 4)
            head.weight.data.copy_(w3[i])
            torch.testing.assert_close(out[i], head(h))
    torch.testing.assert_close(w1[0], w1[2])  # same initial weights for every loss
    torch.testing.assert_close(w3[2].norm(dim=0), torch.ones(4))


def test_side_by_side_training_equals_training_alone():
    counts = np.array([300, 60, 12, 3])
    task = SyntheticTask(counts, dim=8, separation=1.0, eval_per_class=5, seed=0, device=torch.device("cpu"))
    both = [(n, resolve_params(n)) for n in ("ldam_drw", "balanced_softmax")]
    kw = {"steps": 40, "batch_size": 32, "lr": 0.05, "hidden": 16, "seed": 3, "device": torch.device("cpu")}
    _, curves, slots = train_batched(task, both, **kw)
    assert slots == [1, 0]  # the cosine-head model sits last inside the batch
    for i, spec in enumerate(both):
        _, alone, _ = train_batched(task, [spec], **kw)
        np.testing.assert_allclose(curves[i], alone[0], rtol=1e-4, atol=1e-5)


def _digits_long_tailed(split_seed=0, per_class_test=30, n_max=140, ratio=100):
    from sklearn.datasets import load_digits

    digits = load_digits()
    x, y = digits.data, digits.target
    rng = np.random.default_rng(split_seed)
    train, test = [], []
    counts = [int(n_max * (1 / ratio) ** (c / 9)) for c in range(10)]  # Cao et al.'s exponential profile
    for c in range(10):
        idx = rng.permutation(np.flatnonzero(y == c))
        test.append(idx[:per_class_test])
        train.append(idx[per_class_test : per_class_test + counts[c]])
    train, test = np.concatenate(train), np.concatenate(test)
    return x[train], y[train], x[test], y[test], np.array(counts)


def test_digits_long_tailed_balanced_losses_beat_ce():
    """Digits at imbalance ratio 100 (140 .. 1 training images per class), balanced test set."""
    from sklearn.metrics import balanced_accuracy_score

    from imbalcheck.recipe import recommend_loss

    x_tr, y_tr, x_te, y_te, counts = _digits_long_tailed()
    assert counts.tolist() == [140, 83, 50, 30, 18, 10, 6, 3, 2, 1]
    assert recommend_loss(counts)["name"] == "logit_adjusted"  # what the tool recommends here (= balanced softmax) is what wins
    for seed in (0, 1):
        out = run_probe(counts, [str(c) for c in range(10)], losses=("ce", "balanced_softmax", "logit_adjusted",
                        "ldam_drw"), features=x_tr, y=y_tr, eval_features=x_te, eval_y=y_te, steps=400,
                        seed=seed, return_predictions=True, threads=1)
        runs = {r["loss"]: r for r in out["runs"]}
        assert out["data"]["train_counts"] == counts.tolist() and out["data"]["n_test"] == 300
        for r in out["runs"]:  # the probe's metric is sklearn's
            assert r["balanced_accuracy"] == pytest.approx(balanced_accuracy_score(out["eval_labels"], r["predictions"]))
        ce = runs["ce"]
        for name in ("balanced_softmax", "logit_adjusted"):
            assert runs[name]["balanced_accuracy"] >= ce["balanced_accuracy"] + 0.04, (name, seed)
            assert runs[name]["bucket_recall"]["few"] > ce["bucket_recall"]["few"]
        assert out["verdict"]["recommended"] == "balanced_softmax"
        assert out["verdict"]["recommended_beats_baseline_balanced_accuracy"] is True
        assert out["verdict"]["recommended_beats_baseline_few_shot_recall"] is True
        # ~420 epochs of a 343-image set: every loss fits its training data.
        assert ce["plateau"]["reached"] and ce["plateau"]["loss"] < 0.05
        assert ce["rung"]["top_k"] == 10 and out["verdict"]["baseline_on_ladder"] is False


def test_synthetic_224_classes_reports_plateau_and_rung():
    k = 224
    counts = np.maximum(1, 1000 * 0.01 ** (np.arange(k) / (k - 1))).astype(int)
    out = run_probe(counts, [f"c{i}" for i in range(k)], losses=("ce", "balanced_softmax"), steps=300,
                    device="cpu", seed=0, eval_per_class=20, threads=1)
    json.dumps(out)
    assert out["device"] == "cpu" and out["steps"] == 300 and out["batch_size"] == 128
    assert out["data"] == {**out["data"], "kind": "synthetic", "n_classes": k, "n_train": int(counts.sum()),
                           "n_test": 20 * k}
    ce, bs = out["runs"]
    assert set(ce) >= {"loss", "params", "curve", "plateau", "rung", "accuracy", "balanced_accuracy",
                       "bucket_recall"}
    assert len(ce["curve"]) == 300 and ce["curve"][0][0] == 0
    assert ce["curve"][0][1] == pytest.approx(math.log(k), abs=0.1)  # starts near ln K
    assert ce["plateau"]["reached"] and 200 <= ce["plateau"]["step"] < 300
    assert 0.0 < ce["plateau"]["loss"] < 1.0
    assert set(ce["rung"]) == {"top_k", "loss", "distance", "on_ladder"}
    assert ce["rung"]["distance"] == pytest.approx(abs(ce["rung"]["loss"] - ce["plateau"]["loss"]))
    verdict = out["verdict"]
    assert verdict["baseline_rung"] == ce["rung"]
    assert verdict["baseline_on_ladder"] == (ce["rung"]["distance"] <= 0.1 and ce["rung"]["top_k"] != k)
    assert ce["accuracy"] == pytest.approx(ce["balanced_accuracy"])  # balanced test set
    assert set(ce["bucket_recall"]) == {"many", "medium", "few"}
    assert bs["balanced_accuracy"] > ce["balanced_accuracy"]
    assert bs["bucket_recall"]["few"] > ce["bucket_recall"]["few"]
    assert ce["ladder_applies"] is True and bs["ladder_applies"] is False


def test_probe_is_deterministic_and_downsamples():
    counts = np.array([400, 100, 20, 5])
    kw = {"losses": ("ce", ("focal", {"gamma": 1.0})), "steps": 600, "batch_size": 16, "hidden": 16,
          "max_curve_points": 100, "threads": 1}
    a = run_probe(counts, list("abcd"), **kw)
    b = run_probe(counts, list("abcd"), **kw)
    assert a["runs"] == b["runs"]
    assert len(a["runs"][0]["curve"]) == 100 and a["runs"][0]["curve"][-1][0] == 599
    assert a["runs"][1]["params"] == {"gamma": 1.0, "scheme": "ce", "beta": 0.9999}


def test_user_features_with_stratified_holdout_and_loss_params():
    rng = np.random.default_rng(0)
    counts = np.array([150, 60, 25, 6, 2])
    y = np.repeat(np.arange(5), counts)
    x = rng.normal(size=(5, 4))[y] * 3 + rng.normal(size=(y.size, 4))
    out = run_probe(counts, list("vwxyz"), losses=("ce", "ldam_drw", "logit_adjusted"),
                    loss_params={"ldam_drw": {"max_m": 0.3}, "logit_adjusted": {"tau": 1.5}},
                    features=x, y=y, steps=100, batch_size=32, threads=1)
    assert out["data"]["kind"] == "features"
    assert out["data"]["train_counts"] == [120, 48, 20, 5, 1] and out["data"]["n_test"] == 30 + 12 + 5 + 1 + 1
    assert out["runs"][1]["params"]["max_m"] == 0.3 and out["runs"][2]["params"]["tau"] == 1.5
    assert out["runs"][0]["bucket_recall"]["many"] is not None  # 120 > 100
    flat = run_probe(counts, list("vwxyz"), losses=("ce", "ldam_drw"), loss_params={"s": 16},
                     features=x, y=y, steps=20, batch_size=32, threads=1)
    assert flat["runs"][1]["params"]["s"] == 16.0


def test_probe_rejects_bad_arguments():
    counts, labels = np.array([10, 5]), ["a", "b"]
    with pytest.raises(ConfigError, match="labels"):
        run_probe(counts, ["a"])
    with pytest.raises(ConfigError, match="unknown loss"):
        run_probe(counts, labels, losses=("ce", "hinge"))
    with pytest.raises(ConfigError, match="does not take"):
        run_probe(counts, labels, losses=("ce", "balanced_softmax"), loss_params={"tau": 1.0})
    with pytest.raises(ConfigError, match="device"):
        run_probe(counts, labels, device="tpu")
    with pytest.raises(ConfigError, match="0..1"):
        run_probe(counts, labels, features=np.zeros((3, 2)), y=np.array([0, 1, 2]))
    if not torch.cuda.is_available():
        with pytest.raises(ConfigError, match="CUDA"):
            run_probe(counts, labels, device="cuda")


def test_feature_task_standardises_with_training_statistics():
    x = np.array([[1.0, 5.0], [3.0, 5.0], [2.0, 5.0]])
    task = FeatureTask(x, np.array([0, 1, 1]), x[:1], np.array([0]), n_classes=2, device=torch.device("cpu"))
    assert task.counts.tolist() == [1, 2]
    torch.testing.assert_close(task._x.mean(dim=0), torch.zeros(2))


def test_divergence_is_reported_not_propagated():
    out = run_probe(np.array([200, 50, 10]), list("abc"), losses=("ce", ("ldam_drw", {"s": 1e30})), steps=30,
                    batch_size=16, hidden=8, threads=1)
    json.dumps(out, allow_nan=False)
    ce, ldam = out["runs"]
    assert ce["diverged_at_step"] is None and len(ce["curve"]) == 30
    assert ldam["diverged_at_step"] is not None and len(ldam["curve"]) == ldam["diverged_at_step"]
