"""The training probe: train a small model on a task with the user's label distribution.

Importing this package needs no PyTorch: :func:`plateau_from_log`,
:func:`detect_plateau` and :func:`place_on_ladder` work on plain numbers.
:func:`run_probe` imports PyTorch when called and raises
:class:`~imbalcheck.errors.MissingDependencyError` with the install hint without it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._deps import TORCH_INSTALL_HINT, import_torch
from .log import MAX_CURVE_POINTS, ON_LADDER_NATS, detect_plateau, downsample_curve, place_on_ladder, plateau_from_log

DEFAULT_LOSSES = ("ce", "balanced_softmax")


def run_probe(
    counts_vector: np.ndarray,
    labels: Sequence[str],
    *,
    losses: Sequence = DEFAULT_LOSSES,
    loss_params: dict | None = None,
    batch_size: int = 128,
    steps: int = 1000,
    device="auto",
    seed: int = 0,
    features: np.ndarray | None = None,
    y: np.ndarray | None = None,
    eval_features: np.ndarray | None = None,
    eval_y: np.ndarray | None = None,
    lr: float = 0.05,
    eval_per_class: int | None = None,
    hidden: int = 128,
    dim: int = 32,
    separation: float = 1.0,
    test_fraction: float = 0.2,
    max_curve_points: int = MAX_CURVE_POINTS,
    return_predictions: bool = False,
    threads: int | None = None,
    samplers: Sequence | None = None,
) -> dict:
    """Train one small model per loss on a task with this label distribution and compare them.

    The task
        By default synthetic: one Gaussian cluster per class in ``dim`` dimensions
        (means ~ N(0, separation^2 I), unit noise), exactly ``counts_vector[c]`` training
        samples of class c, evaluated on a balanced test set of ``eval_per_class`` fresh
        samples per class (default max(10, min(100, 50000 // K))). With ``features``
        (n, d) and ``y`` (n integer codes into ``labels``): the user's data, standardised
        with the training statistics, evaluated on ``eval_features``/``eval_y`` when given,
        else on a stratified hold-out of ``test_fraction`` per class (at least one test
        and one training sample for every class with two or more samples). The losses
        then see the training counts, not ``counts_vector``.
    The training
        An MLP d -> hidden -> hidden -> K (ReLU) per loss (cosine head for ``ldam_drw``),
        all from the same initial weights, trained side by side as one batched model on
        the same ``steps`` batches of ``batch_size`` (consecutive shuffled epochs): SGD,
        Nesterov momentum 0.9, weight decay 2e-4, ``lr`` after a linear warm-up over the
        first 5% of steps and ``lr / 10`` from 80% of the steps on, where ``ldam_drw``
        switches on its DRW weights (Cao et al. decay the rate at the same epoch).
        Data, sample order and the per-step losses stay on the device; the host reads
        the losses once at the end. ``device="auto"`` picks CUDA when available.
    The losses
        ``losses`` holds names from :data:`imbalcheck.losses.LOSS_NAMES` or
        ``(name, params)`` pairs; the first is the baseline (normally ``"ce"``), the
        second the recommended loss. ``loss_params`` is either ``{name: params}`` or one
        flat params dict for the second loss.
    The samplers
        ``samplers`` (one per loss; default all ``"instance"``) gives each run a sampling
        strategy of :mod:`imbalcheck.sampling`, a name or ``(name, params)``: ``instance``
        runs share the shuffled order, the others draw their batches with replacement
        (a class with probability pi_c, then one of its samples), on the same budget.

    Returns a JSON-able dict::

        {"device": "cpu" | "cuda:0 (NVIDIA ...)", "steps", "batch_size", "lr", "seed",
         "data": {"kind": "synthetic" | "features", "n_classes", "n_train", "n_test",
                  "dim", "train_counts"},
         "runs": [{"loss", "params" (all parameters, defaults filled in),
                   "sampler": {"name", "params"},
                   "curve": [[step, loss], ...] (<= max_curve_points, bin means),
                   "diverged_at_step": int | None (first NaN/inf loss; the curve,
                       plateau and rung then cover the steps before it),
                   "plateau": {"step": int | None, "loss": float, "reached": bool},
                   "rung": {"top_k": int | None, "loss", "distance", "on_ladder"},
                   "ladder_applies": bool (only plain CE is in the ladder's nats),
                   "accuracy", "balanced_accuracy",
                   "bucket_recall": {"many", "medium", "few"} (None: no such class)}],
         "verdict": {"baseline", "recommended",
                     "baseline_on_ladder": bool | None (within 0.1 nats of a stall
                         level; None when the baseline is not plain CE),
                     "baseline_rung",
                     "recommended_beats_baseline_balanced_accuracy": bool | None,
                     "recommended_beats_baseline_few_shot_recall": bool | None},
         "seconds"}

    ``threads`` sets PyTorch's CPU threads for the duration of the call (restored
    afterwards); on a small, busy CPU one thread avoids OpenMP stalls. The plateau rule
    is in :mod:`imbalcheck.probing.log`. Buckets (many > 100, medium
    20..100, few < 20) are by training count. ``return_predictions`` adds each run's
    test predictions and the top-level ``eval_labels``.
    """
    import_torch()
    from .train import run_probe_impl

    return run_probe_impl(
        counts_vector, labels, losses=losses, loss_params=loss_params, batch_size=batch_size, steps=steps,
        device=device, seed=seed, features=features, y=y, eval_features=eval_features, eval_y=eval_y, lr=lr,
        eval_per_class=eval_per_class, hidden=hidden, dim=dim, separation=separation,
        test_fraction=test_fraction, max_curve_points=max_curve_points, return_predictions=return_predictions,
        threads=threads, samplers=samplers,
    )


__all__ = [
    "DEFAULT_LOSSES",
    "MAX_CURVE_POINTS",
    "ON_LADDER_NATS",
    "TORCH_INSTALL_HINT",
    "detect_plateau",
    "downsample_curve",
    "place_on_ladder",
    "plateau_from_log",
    "run_probe",
]
