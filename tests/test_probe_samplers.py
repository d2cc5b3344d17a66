"""The probe's per-run samplers: batches drawn under a strategy match its class probabilities."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from imbalcheck.probing.data import weighted_order  # noqa: E402


def _class_of(counts):
    # classes laid out in a shuffled order, as a feature task's rows are
    y = np.repeat(np.arange(len(counts)), counts)
    return torch.as_tensor(np.random.default_rng(0).permutation(y))


@pytest.mark.parametrize(("strategy", "params", "expected"), [
    ("class_balanced", {}, lambda n: np.full(n.size, 1 / n.size)),
    ("square_root", {}, lambda n: np.sqrt(n) / np.sqrt(n).sum()),
    ("undersample", {"cap": 50}, lambda n: np.minimum(n, 50) / np.minimum(n, 50).sum()),
])
def test_draws_follow_the_strategy(strategy, params, expected):
    counts = np.array([900, 300, 60, 20, 5])
    class_of = _class_of(counts)
    order = weighted_order(class_of, counts, strategy, params, 400, 500, generator=torch.Generator().manual_seed(1),
                           device=torch.device("cpu"))
    drawn = class_of[order.reshape(-1)].numpy()
    freq = np.bincount(drawn, minlength=counts.size) / drawn.size
    pi = expected(counts)
    se = np.sqrt(pi * (1 - pi) / drawn.size)
    assert np.all(np.abs(freq - pi) < 5 * se), (freq, pi)
    # within a class every sample is drawn: the rarest class's 5 samples all appear
    assert torch.unique(order.reshape(-1)[class_of[order.reshape(-1)] == 4]).numel() == 5


def test_progressive_moves_from_instance_to_class_balanced():
    counts = np.array([950, 50])
    class_of = _class_of(counts)
    steps, batch = 200, 400
    order = weighted_order(class_of, counts, "progressive", {"progress": 0.5}, steps, batch,
                           generator=torch.Generator().manual_seed(2), device=torch.device("cpu"))
    rare = (class_of[order] == 1).double().mean(dim=1).numpy()  # share of the rare class per step
    lam = np.arange(steps) / (steps - 1)
    expected = (1 - lam) * 0.05 + lam * 0.5  # Kang et al. 2020: (1 - t/T) p_IB + (t/T) p_CB
    first, last = slice(0, 20), slice(-20, None)
    assert rare[first].mean() == pytest.approx(expected[first].mean(), abs=0.02)
    assert rare[last].mean() == pytest.approx(expected[last].mean(), abs=0.03)


def test_probe_trains_the_recipe_and_the_sampler_alone(tmp_path):
    import imbalcheck

    counts = [400, 150, 60, 25, 10, 4]
    labels = [f"c{i}" for i, n in enumerate(counts) for _ in range(n)]
    report = imbalcheck.probe(labels, steps=60, batch_size=32)
    runs = report.probe["runs"]
    recipe = report.profile.recommendation.recipe
    assert [(r["loss"], r["sampler"]["name"]) for r in runs] == [
        ("ce", "instance"), (recipe.loss["name"], "instance"),
        ("ce", recipe.alternatives[0]["sampler"]["name"])]
    for r in runs:
        assert 0 <= r["balanced_accuracy"] <= 1 and set(r["bucket_recall"]) == {"many", "medium", "few"}
