"""The training probe: the compared losses trained side by side as one batched model."""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence

import numpy as np
import torch
import torch.nn.functional as F

from ..errors import ConfigError
from ..losses import (
    DRW_SWITCH_FRACTION,
    LOSS_NAMES,
    NORMED_HEAD_LOSSES,
    build_loss,
    drw_weights,
    from_recommendation,
)
from ..metrics import bucket_of
from .data import FeatureTask, SyntheticTask, check_features, sample_order, stratified_holdout, weighted_order
from .log import detect_plateau, downsample_curve, place_on_ladder

#: SGD with momentum 0.9 and weight decay 2e-4 as in Cao et al.; Nesterov as in Menon et al.
MOMENTUM = 0.9
WEIGHT_DECAY = 2e-4
#: Linear learning-rate warm-up over this fraction of the steps (Cao et al.: 5 of 200 epochs).
WARMUP_FRACTION = 0.05
#: Learning-rate factor from the DRW switch (80% of the steps) on, for every loss. Cao et al.
#: decay by 0.01 at epoch 160 of 200; with a probe's few hundred steps 0.1 leaves the
#: re-weighted stage room to move.
LR_DECAY = 0.1


class BatchedMLP:
    """L independent MLPs (d -> h -> h -> K, ReLU) evaluated as one batched model.

    Every parameter has a leading model axis, so one ``bmm`` serves all the compared
    losses and one optimizer step (element-wise SGD) updates them independently. All
    models start from the same weights (the default ``nn.Linear`` initialisation,
    U(-1/sqrt(fan_in), 1/sqrt(fan_in))). The last ``n_normed`` models get the cosine
    head of :class:`~imbalcheck.losses.NormedLinear` (unit-norm weight columns,
    normalised features, no bias) instead of a linear one.
    """

    def __init__(self, n_models: int, dim: int, hidden: int, n_classes: int, n_normed: int, *,
                 generator: torch.Generator, device: torch.device):
        sizes = [(dim, hidden), (hidden, hidden), (hidden, n_classes)]
        params: list[torch.Tensor] = []
        for fan_in, fan_out in sizes:
            bound = 1.0 / math.sqrt(fan_in)
            w = (torch.rand(fan_in, fan_out, generator=generator) * 2 - 1) * bound
            b = (torch.rand(1, fan_out, generator=generator) * 2 - 1) * bound
            params += [w.expand(n_models, -1, -1).clone(), b.expand(n_models, -1, -1).clone()]
        self.n_linear = n_models - n_normed
        if n_normed:
            cos_w = (torch.rand(hidden, n_classes, generator=generator) * 2 - 1).renorm(2, 1, 1e-5).mul(1e5)
            params[4][self.n_linear :] = cos_w
            # no bias on a cosine head (and no bias tensor at all without linear heads)
            params = params[:5] + ([params[5][: self.n_linear].clone()] if self.n_linear else [])
        self.params = [p.to(device).requires_grad_() for p in params]

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        """(B, d) inputs (the same batch for every model) or (L, B, d) (one per model) -> (L, B, K) logits."""
        w1, b1, w2, b2, w3 = self.params[:5]
        if x.dim() == 2:
            x = x.unsqueeze(0).expand(w1.shape[0], -1, -1)
        h = torch.relu(torch.baddbmm(b1, x, w1))
        h = torch.relu(torch.baddbmm(b2, h, w2))
        n = self.n_linear
        if n == w3.shape[0]:
            return torch.baddbmm(self.params[5], h, w3)
        cos = torch.bmm(F.normalize(h[n:], dim=2), F.normalize(w3[n:], dim=1))
        if n == 0:
            return cos
        return torch.cat([torch.baddbmm(self.params[5], h[:n], w3[:n]), cos])


class NesterovSGD:
    """``torch.optim.SGD(momentum=m, nesterov=True, weight_decay=wd)``, step for step.

    g = grad + wd p;  b = m b + g (b = g at the first step);  p -= lr (g + m b).
    Written with the ``_foreach`` kernels ``torch.optim`` itself uses; it avoids
    ``torch.optim``'s import of ``torch._dynamo`` (seconds on a first call) and the
    ``.grad`` bookkeeping, and takes the learning rate per step without a host sync.
    """

    def __init__(self, params: list[torch.Tensor], *, momentum: float, weight_decay: float):
        self.params = params
        self.momentum = momentum
        self.weight_decay = weight_decay
        self.buffers = [torch.zeros_like(p) for p in params]

    @torch.no_grad()
    def step(self, grads, lr: float) -> None:
        g = torch._foreach_add(list(grads), self.params, alpha=self.weight_decay)
        torch._foreach_mul_(self.buffers, self.momentum)
        torch._foreach_add_(self.buffers, g)
        torch._foreach_add_(g, self.buffers, alpha=self.momentum)
        torch._foreach_add_(self.params, g, alpha=-lr)


def _resolve_device(device) -> torch.device:
    if isinstance(device, torch.device):
        dev = device
    elif device in (None, "auto"):
        dev = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    else:
        try:
            dev = torch.device(device)
        except (RuntimeError, TypeError):
            raise ConfigError(f"unknown device {device!r}; use auto, cpu, cuda or cuda:N") from None
    if dev.type == "cuda":
        if not torch.cuda.is_available():
            raise ConfigError("device cuda requested but PyTorch sees no CUDA GPU; use --device cpu or auto")
        dev = torch.device("cuda", dev.index if dev.index is not None else torch.cuda.current_device())
    return dev


def _describe_device(dev: torch.device) -> str:
    if dev.type == "cuda":
        return f"cuda:{dev.index} ({torch.cuda.get_device_name(dev)})"
    return str(dev)


def _resolve_losses(losses, loss_params) -> list[tuple[str, dict]]:
    entries = []
    for item in losses:
        if isinstance(item, str):
            entries.append((item, {}))
        elif isinstance(item, Sequence) and len(item) == 2 and isinstance(item[0], str):
            entries.append((item[0], dict(item[1] or {})))
        else:
            raise ConfigError(f"losses entries must be a loss name or (name, params), got {item!r}")
    if not entries:
        raise ConfigError("losses is empty; give at least the baseline, e.g. ('ce', 'balanced_softmax')")
    params = dict(loss_params or {})
    if params:
        nested = all(k in LOSS_NAMES and isinstance(v, Mapping) for k, v in params.items())
        if nested:
            entries = [(name, {**params.get(name, {}), **p}) for name, p in entries]
        elif len(entries) < 2:
            raise ConfigError("loss_params without loss names apply to the second loss, but only one loss is given")
        else:
            name, p = entries[1]
            entries[1] = (name, {**params, **p})
    return [from_recommendation(name, p) for name, p in entries]


def _resolve_samplers(samplers, n_runs: int) -> list[tuple[str, dict]]:
    """One ``(strategy, params)`` per run, validated (default: every run ``instance``)."""
    from ..sampling import validate

    if samplers is None:
        return [("instance", {})] * n_runs
    if len(samplers) != n_runs:
        raise ConfigError(f"samplers has {len(samplers)} entries for {n_runs} losses; give one per loss")
    out = []
    for item in samplers:
        name, params = (item, {}) if isinstance(item, str) else (item[0], dict(item[1] or {}))
        unknown = set(params) - {"q", "t", "cap", "progress"}
        if unknown:
            raise ConfigError(f"sampler {name!r}: unknown parameter {sorted(unknown)[0]!r} (q, t, cap or progress)")
        out.append((str(name), validate(name, **params)))
    return out


def _lr_at(step: int, steps: int, lr: float) -> float:
    """Linear warm-up, then ``lr``, then ``lr * LR_DECAY`` from the DRW switch on."""
    warm = max(1, round(WARMUP_FRACTION * steps))
    if step >= int(DRW_SWITCH_FRACTION * steps):
        return lr * LR_DECAY
    return lr * min(1.0, (step + 1) / warm)


def train_batched(task, specs: list[tuple[str, dict]], *, steps: int, batch_size: int, lr: float, hidden: int,
                  seed: int, device: torch.device, samplers: list[tuple[str, dict]] | None = None,
                  ) -> tuple[BatchedMLP, np.ndarray, list[int]]:
    """Train one model per loss under the same batches (or, with ``samplers``, each model's own
    sampler: ``instance`` models share the shuffled order, the others draw with replacement).

    Returns the model, the (L, steps) per-step losses in ``specs`` order, and ``slots``:
    model index of each spec (cosine-head models sit last in the batched model).
    Everything stays on ``device``: the sample order is drawn there up front, each step's
    losses are written into a device tensor, and the host reads it once at the end.
    """
    counts = task.counts
    n_models = len(specs)
    order_specs = sorted(range(n_models), key=lambda i: specs[i][0] in NORMED_HEAD_LOSSES)
    slots = [order_specs.index(i) for i in range(n_models)]
    ordered = [specs[i] for i in order_specs]
    n_normed = sum(name in NORMED_HEAD_LOSSES for name, _ in specs)
    gen_cpu = torch.Generator().manual_seed(seed)
    model = BatchedMLP(n_models, task.dim, hidden, task.n_classes, n_normed, generator=gen_cpu, device=device)
    criteria = [build_loss(name, counts, **params).to(device) for name, params in ordered]
    # DRW weights are built (and copied to the device) before the loop, assigned at the switch.
    drw = [(crit, int(p["drw_start_fraction"] * steps), drw_weights(counts, 1, 0, p["beta"], device=device))
           for crit, (name, p) in zip(criteria, ordered) if name == "ldam_drw"]

    gen_dev = torch.Generator(device=device).manual_seed(seed)
    order = sample_order(task.n_train, steps, batch_size, generator=gen_dev, device=device)
    if samplers and any(name != "instance" for name, _ in samplers):
        class_of = task.labels_of(torch.arange(task.n_train, device=device))
        order = torch.stack([order if name == "instance" else
                             weighted_order(class_of, counts, name, params, steps, batch_size, generator=gen_dev,
                                            device=device)
                             for name, params in (samplers[i] for i in order_specs)], dim=1)  # (steps, L, B)
    labels = task.labels_of(order)
    own = order.dim() == 3
    optimizer = NesterovSGD(model.params, momentum=MOMENTUM, weight_decay=WEIGHT_DECAY)
    log = torch.empty(n_models, steps, device=device)
    for t in range(steps):
        for crit, switch, weight in drw:
            if t == switch:
                crit.weight = weight
        y = labels[t]
        logits = model(task.batch(order[t], y))
        values = torch.stack([crit(logits[i], y[i] if own else y) for i, crit in enumerate(criteria)])
        log[:, t] = values.detach()
        grads = torch.autograd.grad(values.sum(), model.params)
        optimizer.step(grads, _lr_at(t, steps, lr))
    curves = log.cpu().numpy().astype(np.float64)
    return model, curves[slots], slots


@torch.no_grad()
def evaluate(model: BatchedMLP, task, n_models: int, *, keep_predictions: bool = False):
    """Per-model hits per class, the per-class test totals and optionally the predictions."""
    k = task.n_classes
    hits = torch.zeros(n_models, k, dtype=torch.float64, device=task.device)
    totals = torch.zeros(k, dtype=torch.float64, device=task.device)
    preds, ys = [], []
    for x, y in task.eval_batches():
        pred = model(x).argmax(dim=2)  # (L, b)
        correct = (pred == y).to(torch.float64)
        for i in range(n_models):
            hits[i] += torch.bincount(y, weights=correct[i], minlength=k)
        totals += torch.bincount(y, minlength=k).to(torch.float64)
        if keep_predictions:
            preds.append(pred.cpu())
            ys.append(y.cpu())
    out_preds = torch.cat(preds, dim=1).numpy() if keep_predictions else None
    out_y = torch.cat(ys).numpy() if keep_predictions else None
    return hits.cpu().numpy(), totals.cpu().numpy(), out_preds, out_y


def _scores(hits: np.ndarray, totals: np.ndarray, buckets: np.ndarray) -> dict:
    present = totals > 0
    recall = np.where(present, hits / np.where(present, totals, 1.0), np.nan)
    out = {
        "accuracy": float(hits.sum() / totals.sum()),
        "balanced_accuracy": float(np.nanmean(recall[present])),
        "bucket_recall": {},
    }
    for name in ("many", "medium", "few"):
        sel = present & (buckets == name)
        out["bucket_recall"][name] = float(recall[sel].mean()) if sel.any() else None
    return out


def run_probe_impl(counts_vector, labels, *, losses, loss_params, batch_size, steps, device, seed, features, y,
                   eval_features, eval_y, lr, eval_per_class, hidden, dim, separation, test_fraction,
                   max_curve_points, return_predictions, threads=None, samplers=None) -> dict:
    if threads is not None:
        if int(threads) < 1:
            raise ConfigError(f"threads must be >= 1, got {threads}")
        previous = torch.get_num_threads()
        torch.set_num_threads(int(threads))
        try:
            return run_probe_impl(
                counts_vector, labels, losses=losses, loss_params=loss_params, batch_size=batch_size, steps=steps,
                device=device, seed=seed, features=features, y=y, eval_features=eval_features, eval_y=eval_y,
                lr=lr, eval_per_class=eval_per_class, hidden=hidden, dim=dim, separation=separation,
                test_fraction=test_fraction, max_curve_points=max_curve_points,
                return_predictions=return_predictions, samplers=samplers,
            )
        finally:
            torch.set_num_threads(previous)
    started = time.perf_counter()
    counts_vector = np.asarray(counts_vector)
    labels = [str(x) for x in labels]
    k = len(labels)
    if counts_vector.ndim != 1 or counts_vector.size != k:
        raise ConfigError(f"counts_vector has {counts_vector.size} entries but there are {k} labels")
    if k < 2:
        raise ConfigError("the probe needs at least two classes")
    if steps < 1 or batch_size < 1:
        raise ConfigError("steps and batch_size must be positive")
    if not lr > 0:
        raise ConfigError(f"lr must be > 0, got {lr}")
    specs = _resolve_losses(losses, loss_params)
    plans = _resolve_samplers(samplers, len(specs))
    dev = _resolve_device(device)

    if features is None:
        if y is not None or eval_features is not None:
            raise ConfigError("y and eval_features go with features")
        if np.any(counts_vector < 1) or not np.all(np.equal(np.mod(counts_vector, 1), 0)):
            raise ConfigError("counts_vector must hold positive integer class sizes")
        per_class = eval_per_class if eval_per_class is not None else max(10, min(100, 50_000 // k))
        task = SyntheticTask(counts_vector.astype(np.int64), dim=dim, separation=separation,
                             eval_per_class=int(per_class), seed=seed, device=dev)
    else:
        if y is None:
            raise ConfigError("features need y, the integer class code of each row")
        x_all, y_all = check_features(features, y, k, "training")
        if eval_features is not None:
            if eval_y is None:
                raise ConfigError("eval_features need eval_y")
            x_test, y_test = check_features(eval_features, eval_y, k, "evaluation")
            if x_test.shape[1] != x_all.shape[1]:
                raise ConfigError("eval_features and features have different numbers of columns")
            x_train, y_train = x_all, y_all
        else:
            tr, te = stratified_holdout(y_all, test_fraction, seed)
            if te.size == 0:
                raise ConfigError("no class has two samples, so nothing is left to evaluate on")
            x_train, y_train, x_test, y_test = x_all[tr], y_all[tr], x_all[te], y_all[te]
        missing = np.flatnonzero(np.bincount(y_train, minlength=k) == 0)
        if missing.size:
            raise ConfigError(f"{missing.size} classes have no training sample (first: {labels[missing[0]]!r})")
        task = FeatureTask(x_train, y_train, x_test, y_test, n_classes=k, device=dev)

    model, curves, slots = train_batched(task, specs, steps=steps, batch_size=batch_size, lr=lr, hidden=hidden,
                                         seed=seed, device=dev, samplers=plans)
    hits, totals, preds, y_eval = evaluate(model, task, len(specs), keep_predictions=return_predictions)
    hits = hits[slots]
    preds = preds[slots] if preds is not None else None
    buckets = bucket_of(task.counts)
    step_index = np.arange(steps)
    runs = []
    for i, (name, params) in enumerate(specs):
        finite = np.isfinite(curves[i])
        n_ok = int(finite.argmin()) if not finite.all() else steps  # losses before the first NaN/inf
        if n_ok:
            plateau = detect_plateau(step_index[:n_ok], curves[i][:n_ok])
            plateau = {"step": plateau["step"], "loss": plateau["loss"], "reached": plateau["reached"]}
            rung = place_on_ladder(plateau["loss"], task.counts)
        else:
            plateau, rung = {"step": None, "loss": None, "reached": False}, None
        run = {
            "loss": name,
            "params": params,
            "sampler": {"name": plans[i][0],
                        "params": {"progress": "0 to 1 over the steps"} if plans[i][0] == "progressive" else plans[i][1]},
            "curve": downsample_curve(step_index[:n_ok], curves[i][:n_ok], max_curve_points),
            "diverged_at_step": None if n_ok == steps else n_ok,
            "plateau": plateau,
            "rung": rung,
            "ladder_applies": name == "ce",
            **_scores(hits[i], totals, buckets),
        }
        if return_predictions:
            run["predictions"] = preds[i].tolist()
        runs.append(run)

    base = runs[0]
    rec = runs[1] if len(runs) > 1 else None
    verdict = {
        "baseline": base["loss"],
        "recommended": rec["loss"] if rec else None,
        "baseline_on_ladder": base["rung"]["on_ladder"] if base["ladder_applies"] and base["rung"] else None,
        "baseline_rung": base["rung"],
        "recommended_beats_baseline_balanced_accuracy": (
            bool(rec["balanced_accuracy"] > base["balanced_accuracy"]) if rec else None
        ),
        "recommended_beats_baseline_few_shot_recall": (
            bool(rec["bucket_recall"]["few"] > base["bucket_recall"]["few"])
            if rec and base["bucket_recall"]["few"] is not None
            else None
        ),
    }
    out = {
        "device": _describe_device(dev),
        "steps": int(steps),
        "batch_size": int(batch_size),
        "lr": float(lr),
        "seed": int(seed),
        "data": {
            "kind": task.kind,
            "n_classes": k,
            "n_train": task.n_train,
            "n_test": task.n_test,
            "dim": task.dim,
            "train_counts": task.counts.tolist(),
        },
        "runs": runs,
        "verdict": verdict,
        "seconds": round(time.perf_counter() - started, 3),
    }
    if return_predictions:
        out["eval_labels"] = y_eval.tolist()
    return out


__all__ = ["BatchedMLP", "NesterovSGD", "evaluate", "run_probe_impl", "train_batched"]
