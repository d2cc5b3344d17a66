"""Learnable tasks with a given label distribution, held on the training device."""

from __future__ import annotations

import numpy as np
import torch

from ..errors import ConfigError

#: Distinct noise vectors of the synthetic task; sample i uses vector i mod this.
NOISE_POOL = 1 << 16
#: Above this many training samples, batches are drawn with replacement instead of
#: from shuffled epochs (a permutation of N would cost O(N) memory per epoch).
MAX_PERMUTED = 5_000_000


class SyntheticTask:
    """One Gaussian cluster per class, ``counts[c]`` training samples of class c.

    Class means m_c ~ N(0, sep^2 I_d), every sample x = m_c + e with e ~ N(0, I_d). The
    N = sum(counts) training samples are virtual: sample i (classes laid out in
    contiguous index ranges) has class y_i and noise vector ``pool[i mod P]`` from a
    fixed pool of P = min(N, 65536) draws, so each class has exactly n_c distinct
    points (for n_c <= P) and memory stays constant in N. The test set is balanced:
    ``eval_per_class`` fresh draws per class.
    """

    kind = "synthetic"

    def __init__(self, counts: np.ndarray, *, dim: int, separation: float, eval_per_class: int, seed: int,
                 device: torch.device):
        self.counts = np.asarray(counts, dtype=np.int64)
        self.n_classes = int(self.counts.size)
        self.n_train = int(self.counts.sum())
        self.dim = int(dim)
        self.eval_per_class = int(eval_per_class)
        self.device = device
        rng = np.random.default_rng(seed)
        means = rng.standard_normal((self.n_classes, self.dim)) * separation
        pool = rng.standard_normal((min(self.n_train, NOISE_POOL), self.dim))
        self._means = torch.as_tensor(means, dtype=torch.float32, device=device)
        self._pool = torch.as_tensor(pool, dtype=torch.float32, device=device)
        self._ends = torch.as_tensor(np.cumsum(self.counts), dtype=torch.int64, device=device)
        self._eval_seed = int(rng.integers(2**62))

    @property
    def n_test(self) -> int:
        return self.n_classes * self.eval_per_class

    def labels_of(self, idx: torch.Tensor) -> torch.Tensor:
        return torch.searchsorted(self._ends, idx, right=True)

    def batch(self, idx: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return self._means[y] + self._pool[idx % self._pool.shape[0]]

    def eval_batches(self, chunk: int = 65536):
        """Balanced test set in chunks of ``(x, y)``; the same draws on every device."""
        gen = torch.Generator().manual_seed(self._eval_seed)
        y_all = torch.arange(self.n_classes).repeat_interleave(self.eval_per_class)
        for start in range(0, y_all.numel(), chunk):
            y = y_all[start : start + chunk]
            noise = torch.randn(y.numel(), self.dim, generator=gen)
            y = y.to(self.device)
            yield self._means[y] + noise.to(self.device), y


class FeatureTask:
    """The user's features: standardised with the training mean and standard deviation."""

    kind = "features"

    def __init__(self, x_train, y_train, x_test, y_test, *, n_classes: int, device: torch.device):
        mu = x_train.mean(axis=0)
        sd = x_train.std(axis=0)
        sd = np.where(sd > 0, sd, 1.0)
        self.n_classes = int(n_classes)
        self.counts = np.bincount(y_train, minlength=n_classes).astype(np.int64)
        self.n_train = int(y_train.size)
        self.dim = int(x_train.shape[1])
        self.device = device
        self._x = torch.as_tensor((x_train - mu) / sd, dtype=torch.float32, device=device)
        self._y = torch.as_tensor(y_train, dtype=torch.int64, device=device)
        self._xt = torch.as_tensor((x_test - mu) / sd, dtype=torch.float32, device=device)
        self._yt = torch.as_tensor(y_test, dtype=torch.int64, device=device)
        self.y_test = np.asarray(y_test, dtype=np.int64)

    @property
    def n_test(self) -> int:
        return int(self._yt.numel())

    def labels_of(self, idx: torch.Tensor) -> torch.Tensor:
        return self._y[idx]

    def batch(self, idx: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return self._x[idx]

    def eval_batches(self, chunk: int = 65536):
        for start in range(0, self.n_test, chunk):
            yield self._xt[start : start + chunk], self._yt[start : start + chunk]


def stratified_holdout(y: np.ndarray, test_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Train and test indices with, per class, round(f * n_c) test samples, kept in 1..n_c - 1.

    A class with one sample stays in training (it cannot be in both); every class with
    two or more samples has at least one test and one training sample.
    """
    rng = np.random.default_rng(seed)
    train, test = [], []
    for c in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == c))
        n_test = 0 if idx.size < 2 else int(min(max(round(test_fraction * idx.size), 1), idx.size - 1))
        test.append(idx[:n_test])
        train.append(idx[n_test:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(test))


def check_features(x, y, n_classes: int, what: str) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y)
    if x.ndim != 2:
        raise ConfigError(f"{what} features must be a 2-D array (samples x dimensions), got shape {x.shape}")
    if y.ndim != 1 or y.size != x.shape[0]:
        raise ConfigError(f"{what} labels must be a 1-D array with one integer class code per feature row")
    if y.size == 0:
        raise ConfigError(f"{what} set is empty")
    if y.dtype.kind not in "iu":
        if y.dtype.kind == "f" and np.all(np.equal(np.mod(y, 1), 0)):
            y = y.astype(np.int64)
        else:
            raise ConfigError(f"{what} labels must be integer class codes 0..K-1 (indices into labels)")
    if y.min() < 0 or y.max() >= n_classes:
        raise ConfigError(f"{what} labels must lie in 0..{n_classes - 1} (indices into labels)")
    if not np.all(np.isfinite(x)):
        raise ConfigError(f"{what} features contain NaN or infinite values")
    return x, y.astype(np.int64)


def sample_order(n_train: int, steps: int, batch_size: int, *, generator: torch.Generator,
                 device: torch.device) -> torch.Tensor:
    """(steps, batch_size) sample indices: consecutive shuffled epochs, drawn on the device.

    The epochs' permutations are concatenated, so every sample is seen once per epoch
    (a batch may straddle two epochs). Above :data:`MAX_PERMUTED` samples, indices are
    drawn uniformly with replacement.
    """
    total = steps * batch_size
    if n_train > MAX_PERMUTED:
        return torch.randint(n_train, (steps, batch_size), generator=generator, device=device)
    epochs = -(-total // n_train)
    keys = torch.rand(epochs, n_train, generator=generator, device=device)
    return keys.argsort(dim=1).reshape(-1)[:total].reshape(steps, batch_size)


def weighted_order(class_of: torch.Tensor, counts: np.ndarray, strategy: str, params: dict, steps: int,
                   batch_size: int, *, generator: torch.Generator, device: torch.device) -> torch.Tensor:
    """(steps, batch_size) sample indices drawn with replacement under a sampling strategy
    (:mod:`imbalcheck.sampling`): a class with probability pi_c, then one of its samples
    uniformly, which is ``WeightedRandomSampler`` with each sample weighted pi_c / n_c. The
    ``progressive`` sampler moves t/T from 0 to 1 over the steps: each draw comes from the
    class-balanced sampler with probability t/T, else from plain instance sampling."""
    from ..sampling import probabilities

    total = steps * batch_size
    n = torch.as_tensor(counts, dtype=torch.int64, device=device)
    by_class = class_of.argsort(stable=True)
    starts = torch.cumsum(n, 0) - n
    if strategy == "progressive":
        lam = (torch.arange(steps, device=device, dtype=torch.float64) / max(steps - 1, 1)).repeat_interleave(batch_size)
        uniform = torch.full((n.numel(),), 1.0 / n.numel(), dtype=torch.float64, device=device)
        balanced = torch.rand(total, generator=generator, device=device, dtype=torch.float64) < lam
        cls = torch.searchsorted(torch.cumsum(n, 0), torch.randint(int(n.sum()), (total,), generator=generator,
                                                                    device=device), right=True)
        cls = torch.where(balanced, torch.multinomial(uniform, total, replacement=True, generator=generator), cls)
    else:
        pi = torch.as_tensor(probabilities(counts, strategy, params)[0], dtype=torch.float64, device=device)
        cls = torch.multinomial(pi, total, replacement=True, generator=generator)
    within = (torch.rand(total, generator=generator, device=device, dtype=torch.float64) * n[cls]).long()
    return by_class[starts[cls] + torch.minimum(within, n[cls] - 1)].reshape(steps, batch_size)
