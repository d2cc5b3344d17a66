"""Steps per second of the probe's training loop against a plain PyTorch loop.

The plain loop is the way most training scripts are written: a ``TensorDataset`` in
host memory, a shuffling ``DataLoader``, an ``nn.Module`` MLP of the same shape,
``torch.optim.SGD`` and ``loss.item()`` logged every step. The probe keeps data, sample
order and loss log on the device and trains the compared losses side by side as one
batched model. Both run the same number of steps of the same batch size on the same
device; compared are one loss (``ce``) and L losses (L plain runs one after another).

    python benchmarks/bench_probe.py [--steps 500] [--device auto] [--classes 224] [--threads N]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from imbalcheck.losses import NORMED_HEAD_LOSSES, NormedLinear, build_loss, resolve_params
from imbalcheck.probing.data import FeatureTask
from imbalcheck.probing.train import MOMENTUM, WEIGHT_DECAY, _resolve_device, _describe_device, train_batched


def make_data(n_classes: int, n_max: int, dim: int, seed: int):
    counts = np.maximum(1, n_max * 0.01 ** (np.arange(n_classes) / (n_classes - 1))).astype(np.int64)
    rng = np.random.default_rng(seed)
    means = rng.standard_normal((n_classes, dim))
    y = np.repeat(np.arange(n_classes), counts)
    x = means[y] + rng.standard_normal((y.size, dim))
    return x.astype(np.float32), y, counts


def plain_loop(x, y, counts, loss_name: str, *, steps: int, batch_size: int, hidden: int, device) -> float:
    """Seconds for ``steps`` steps of the usual DataLoader loop."""
    k = counts.size
    head = NormedLinear(hidden, k) if loss_name in NORMED_HEAD_LOSSES else nn.Linear(hidden, k)
    model = nn.Sequential(nn.Linear(x.shape[1], hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(), head)
    model = model.to(device)
    criterion = build_loss(loss_name, counts).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=MOMENTUM, nesterov=True,
                                weight_decay=WEIGHT_DECAY)
    loader = DataLoader(TensorDataset(torch.from_numpy(x), torch.from_numpy(y)), batch_size=batch_size, shuffle=True)
    history = []
    done = 0
    _sync(device)
    start = time.perf_counter()
    while done < steps:
        for xb, yb in loader:
            xb, yb = xb.to(device), yb.to(device)
            loss = criterion(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            history.append(loss.item())
            done += 1
            if done == steps:
                break
    _sync(device)
    return time.perf_counter() - start


def probe_loop(task, loss_names, *, steps: int, batch_size: int, hidden: int, device) -> float:
    specs = [(name, resolve_params(name)) for name in loss_names]
    _sync(device)
    start = time.perf_counter()
    train_batched(task, specs, steps=steps, batch_size=batch_size, lr=0.05, hidden=hidden, seed=0, device=device)
    _sync(device)
    return time.perf_counter() - start


def _sync(device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=500)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--classes", type=int, default=224)
    ap.add_argument("--n-max", type=int, default=1000)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--device", default="auto")
    ap.add_argument("--losses", default="ce,balanced_softmax,ldam_drw",
                    help="comma-separated losses for the side-by-side comparison")
    ap.add_argument("--repeats", type=int, default=3, help="best of this many timed runs")
    ap.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: PyTorch's)")
    args = ap.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)

    device = _resolve_device(args.device)
    x, y, counts = make_data(args.classes, args.n_max, 32, seed=0)
    task = FeatureTask(x, y, x[:1], y[:1], n_classes=counts.size, device=device)
    losses = [s.strip() for s in args.losses.split(",") if s.strip()]
    print(f"device {_describe_device(device)}, torch {torch.__version__}, threads {torch.get_num_threads()}")
    print(f"data: {counts.size} classes, {y.size} samples, batch {args.batch_size}, {args.steps} steps, "
          f"MLP 32-{args.hidden}-{args.hidden}-{counts.size}")

    kw = {"batch_size": args.batch_size, "hidden": args.hidden, "device": device}

    def plain(names, steps):
        return sum(plain_loop(x, y, counts, n, steps=steps, **kw) for n in names)

    def probe(names, steps):
        return probe_loop(task, names, steps=steps, **kw)

    for names in (["ce"], losses):
        plain(names, min(20, args.steps))  # warm-up (lazy imports, allocator, kernels)
        probe(names, min(20, args.steps))
        # Alternate the two loops so that a change in machine load hits both; keep the best.
        t_plain, t_probe = float("inf"), float("inf")
        for _ in range(args.repeats):
            t_plain = min(t_plain, plain(names, args.steps))
            t_probe = min(t_probe, probe(names, args.steps))
        label = "one loss (ce)" if names == ["ce"] else f"{len(names)} losses ({', '.join(names)})"
        print(f"{label:<45} plain {args.steps / t_plain:8.1f} steps/s   probe {args.steps / t_probe:8.1f} steps/s"
              f"   ratio {t_plain / t_probe:5.2f}x")
    print("(steps/s for L losses counts one step of all L models; plain runs them one after another)")


if __name__ == "__main__":
    main()
