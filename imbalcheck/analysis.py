"""Counts in, :class:`~imbalcheck.result.Profile` out: the one place that calls every metric."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from . import batches, metrics, plateau, recommend, stratify, weights
from .counts import Counts
from .errors import ConfigError, InputError
from .result import Profile

DEFAULT_TOP_K = (1, 5, 10)


@dataclass(frozen=True)
class Options:
    """Every knob of an analysis, validated once at construction."""

    batch_size: int = 128
    top_k: tuple[int, ...] = DEFAULT_TOP_K
    split: tuple[float, ...] = stratify.DEFAULT_FRACTIONS
    folds: int = 5
    seeds: tuple[int, ...] = stratify.DEFAULT_SEEDS
    beta: float = weights.DEFAULT_BETA

    def __post_init__(self) -> None:
        if self.batch_size < 1:
            raise ConfigError(f"--batch-size must be >= 1, got {self.batch_size}")
        if any(k < 1 for k in self.top_k):
            raise ConfigError(f"--top-k values must be >= 1, got {list(self.top_k)}")
        if self.folds < 2:
            raise ConfigError(f"--folds must be >= 2, got {self.folds}")
        if not 0.0 <= self.beta < 1.0:
            raise ConfigError(f"--beta must be in [0, 1), got {self.beta}; Cui et al. use 0.9 to 0.9999")
        if not self.seeds:
            raise ConfigError("at least one random_state seed is needed")
        stratify.parse_fractions(",".join(str(f) for f in self.split))


def analyze(data: Counts, options: Options = Options(), source: str = "<memory>") -> Profile:
    """Compute every figure of the profile for a validated counts table."""
    if data.n_classes == 0:
        raise InputError(f"{source}: no labelled samples (every label is missing)")
    n, labels = data.counts, data.labels
    notes = []
    batch_size = options.batch_size
    if batch_size > data.n_samples:
        batch_size = data.n_samples
        notes.append(f"batch size {options.batch_size} exceeds the {data.n_samples} labelled samples; "
                     f"using {batch_size} (the whole data set is one batch)")
    if data.n_classes == 1:
        notes.append(f"only one class ({labels[0]!r}): nothing to balance, and a classifier has nothing to learn")
    for note in notes:
        warnings.warn(note, stacklevel=2)

    p_absent = batches.p_absent_per_batch(n, batch_size)
    schemes = {s: weights.class_weights(n, s, options.beta) for s in weights.SCHEMES}
    grad = {s: weights.gradient_share(n, w) for s, w in schemes.items()}
    study = stratify.SplitStudy(n, labels, options.split, options.seeds, data.label_kind)
    runs = study.runs()
    return Profile(
        source=source,
        n_samples=data.n_samples,
        n_missing=data.n_missing,
        batch_size=batch_size,
        labels=labels,
        counts=n,
        imbalance_ratio=metrics.imbalance_ratio(n),
        max_median_ratio=metrics.max_median_ratio(n),
        top_k_share={str(k): metrics.top_k_share(n, k) for k in sorted(set(options.top_k))},
        entropy=metrics.entropy(n),
        evenness=metrics.evenness(n),
        effective_num_classes=metrics.effective_num_classes(n),
        gini=metrics.gini(n),
        buckets=metrics.buckets(n),
        share=metrics.shares(n),
        bucket=metrics.bucket_of(n),
        expected_per_batch=batches.expected_per_batch(n, batch_size),
        p_absent_per_batch=p_absent,
        batches_between_appearances=batches.batches_between_appearances(p_absent),
        beta=options.beta,
        class_weights=schemes,
        gradient_share=grad,
        gradient_share_ratio={s: weights.gradient_share_ratio(n, w) for s, w in schemes.items()},
        stratification=_stratification(n, labels, options, study, runs),
        split_alloc=runs[0].alloc,
        split_raised=runs[0].raised,
        plateau=_plateau(n),
        recommendation=_recommendation(n, study),
        warnings=notes,
        label_kind=study.kind,
    )


def _stratification(n: np.ndarray, labels: np.ndarray, options: Options, study: stratify.SplitStudy,
                    runs: list[stratify.SplitRun]) -> dict:
    incomplete = np.zeros(n.size, dtype=bool)
    for run in runs:
        incomplete |= run.raised | (run.alloc < 1).any(axis=1)
    below_k, fold_message = stratify.fold_shortfall(n, options.folds)
    failed = next((r for r in runs if r.failure is not None), None)
    return {
        "fractions": list(options.split),
        "splits": ["train", "val", "test"] if len(options.split) == 3 else ["train", "test"],
        "random_states": list(options.seeds),
        "procedure": _procedure(options.split),
        "feasible": failed is None and not incomplete.any(),
        "min_count_required": study.min_count_required(),
        "guaranteed_min_count": study.guaranteed,
        "infeasible_classes": labels[incomplete].tolist(),
        "sklearn_error": failed.error if failed else None,
        "sklearn_error_call": failed.failed_call if failed else None,
        "folds": {"k": options.folds, "classes_below_k": labels[below_k].tolist(), "sklearn_message": fold_message},
    }


def _procedure(split: tuple[float, ...]) -> str:
    rest = sum(split[1:])
    first = f"train_test_split(X, y, test_size={rest:g}, stratify=y, random_state=s)"
    if len(split) == 2:
        return first
    return first + f"; then train_test_split(X_rest, y_rest, test_size={split[2] / rest:g}, stratify=y_rest, random_state=s)"


def _plateau(n: np.ndarray) -> dict:
    return {
        "initial_loss": plateau.initial_loss(n.size),
        "prior_loss": metrics.entropy(n),
        "ladder": plateau.ladder(n),
    }


def _recommendation(n: np.ndarray, study: stratify.SplitStudy) -> dict:
    cutoff = recommend.recommend_cutoff(n, study)
    kept = n[n >= cutoff["min_count"]] if cutoff["min_count"] else n
    loss = recommend.recommend_loss(kept)
    loss["computed_on"] = "classes kept by the cutoff" if kept.size < n.size else "all classes"
    return {"cutoff": cutoff, "loss": loss}
