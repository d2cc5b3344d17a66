"""Counts in, :class:`~imbalcheck.result.Profile` out: the one place that calls every metric."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import advice, batches, defaults, metrics, plateau, recipe, sampling, stratify, weights
from .counts import Counts
from .errors import ConfigError, InputError, warn
from .result import Profile
from .result.parts import Cutoff, Folds, LossAdvice, Plateau, Recipe, Recommendation, Rung, Stratification
from .result.sampling import Sampling, SamplingPlan

#: The analysis options, as the API's keywords (the CLI's long options in snake_case).
ANALYSIS_OPTIONS = ("batch_size", "top_k", "split", "folds", "seeds", "beta")


@dataclass(frozen=True)
class Options:
    """Every knob of an analysis, validated once at construction."""

    batch_size: int = defaults.BATCH_SIZE
    top_k: tuple[int, ...] = defaults.TOP_K
    split: tuple[float, ...] = defaults.SPLIT
    folds: int = defaults.FOLDS
    seeds: tuple[int, ...] = defaults.SEEDS
    beta: float = defaults.BETA

    @classmethod
    def create(cls, *, batch_size=None, top_k=None, split=None, folds=None, seeds=None, beta=None) -> Options:
        """From the API's keywords or the CLI's options; ``None`` = the default.

        ``split`` may be "0.8,0.1,0.1" or a tuple; ``top_k`` one k or several (added to
        1, 5, 10); ``seeds`` "0,1,2" or a sequence of ints.
        """
        given = {}
        if batch_size is not None:
            given["batch_size"] = _integer(batch_size, "--batch-size")
        if top_k is not None:
            ks = (top_k.split(",") if isinstance(top_k, str) else list(top_k) if isinstance(top_k, (list, tuple, set))
                  else [top_k])
            given["top_k"] = tuple(sorted(set(defaults.TOP_K) | {_integer(k, "--top-k") for k in ks}))
        if split is not None:
            given["split"] = stratify.parse_fractions(split if isinstance(split, str) else ",".join(map(str, split)))
        if folds is not None:
            given["folds"] = _integer(folds, "--folds")
        if seeds is not None:
            items = (seeds.split(",") if isinstance(seeds, str) else list(seeds) if isinstance(seeds, (list, tuple, set))
                     else [seeds])
            given["seeds"] = tuple(_integer(x, "--seeds") for x in items)
            if any(not 0 <= x < 2**32 for x in given["seeds"]):
                raise ConfigError(f"--seeds {seeds!r}: each random_state must be in 0..2**32-1")
        if beta is not None:
            if isinstance(beta, (bool, np.bool_)) or not isinstance(beta, (int, float, np.integer, np.floating)):
                raise ConfigError(f"--beta must be a number, got {beta!r}")
            given["beta"] = float(beta)
        return cls(**given)

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
        warn(note)

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
        top_k_share={k: metrics.top_k_share(n, k) for k in sorted(set(options.top_k))},
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
        class_weight_normalization=dict(weights.DEFAULT_NORMALIZATION),
        gradient_share=grad,
        gradient_share_ratio={s: weights.gradient_share_ratio(n, w) for s, w in schemes.items()},
        stratification=_stratification(n, labels, options, study, runs),
        plateau=_plateau(n),
        recommendation=_recommendation(n, labels, study),
        sampling=_sampling(n, batch_size),
        warnings=tuple(notes),
        label_kind=study.kind,
    )


def _stratification(n: np.ndarray, labels: np.ndarray, options: Options, study: stratify.SplitStudy,
                    runs: list[stratify.SplitRun]) -> Stratification:
    incomplete = np.zeros(n.size, dtype=bool)
    for run in runs:
        incomplete |= run.raised | (run.alloc < 1).any(axis=1)
    below_k, fold_message = stratify.fold_shortfall(n, options.folds)
    failed = next((r for r in runs if r.failure is not None), None)
    return Stratification(
        fractions=tuple(options.split),
        splits=("train", "val", "test") if len(options.split) == 3 else ("train", "test"),
        random_states=tuple(options.seeds),
        procedure=_procedure(options.split),
        feasible=failed is None and not incomplete.any(),
        min_count_required=study.min_count_required(),
        guaranteed_min_count=study.guaranteed,
        infeasible_classes=tuple(labels[incomplete].tolist()),
        sklearn_error=failed.error if failed else None,
        sklearn_error_call=failed.failed_call if failed else None,
        folds=Folds(options.folds, tuple(labels[below_k].tolist()), fold_message),
        alloc=runs[0].alloc,
        raised=runs[0].raised,
    )


def _procedure(split: tuple[float, ...]) -> str:
    rest = sum(split[1:])
    first = f"train_test_split(X, y, test_size={rest:g}, stratify=y, random_state=s)"
    if len(split) == 2:
        return first
    return first + f"; then train_test_split(X_rest, y_rest, test_size={split[2] / rest:g}, stratify=y_rest, random_state=s)"


def _plateau(n: np.ndarray) -> Plateau:
    return Plateau(plateau.initial_loss(n.size), metrics.entropy(n), tuple(Rung(**r) for r in plateau.ladder(n)))


def _recommendation(n: np.ndarray, labels: np.ndarray, study: stratify.SplitStudy) -> Recommendation:
    cutoff = Cutoff.from_dict(advice.recommend_cutoff(n, study))
    kept = n[n >= cutoff.min_count] if cutoff.min_count else n
    computed_on = "classes kept by the cutoff" if kept.size < n.size else "all classes"
    loss, plan = recipe.recommend(kept)
    if "bias_init" in loss["params"]:  # each class's output bias, by label
        biases = dict(zip(labels[n >= cutoff.min_count].tolist() if cutoff.min_count else labels.tolist(),
                          loss["params"]["bias_init"]))
        loss = {**loss, "params": {**loss["params"], "bias_init": biases}}
        plan = {**plan, "loss": {**plan["loss"], "params": loss["params"]}}
    return Recommendation(cutoff, LossAdvice.from_dict(loss, computed_on), Recipe.from_dict(plan, computed_on))


def sampling_plan(n: np.ndarray, strategy: str, params: dict, batch_size: int, *, stages: bool = True) -> SamplingPlan:
    """One strategy's figures on the counts (see :mod:`imbalcheck.sampling`); the progressive
    sampler also at its start and end unless ``stages`` is False."""
    pi, length = sampling.probabilities(n, strategy, params)
    shown = dict(params)
    discarded = None
    if strategy == "undersample":
        shown["cap"] = params.get("cap") or sampling.default_cap(n)
        discarded = int(n.sum() - sampling.undersampled_counts(n, shown["cap"]).sum())
    at = {}
    if strategy == "progressive" and stages:
        at = {name: sampling_plan(n, strategy, {"progress": t}, batch_size, stages=False)
              for name, t in sampling.PROGRESSIVE_STAGES.items()}
    return SamplingPlan(
        name=strategy, params=shown, epoch_length=int(round(length)),
        distinct_share_per_epoch=sampling.distinct_share(n, pi, length, strategy),
        distinct_share_with_replacement=sampling.distinct_share_with_replacement(n, pi, length),
        gradient_share_ratio=sampling.gradient_share_ratio(pi), probability=pi,
        expected_per_batch=sampling.expected_per_batch(pi, batch_size),
        p_absent_per_batch=sampling.p_absent_per_batch(pi, batch_size),
        draws_per_sample_per_epoch=sampling.draws_per_sample(n, pi, length),
        samples_discarded=discarded, stages=at)


def _sampling(n: np.ndarray, batch_size: int) -> Sampling:
    return Sampling(batch_size, {name: sampling_plan(n, name, sampling.validate(name), batch_size)
                                 for name in sampling.STRATEGIES})


def _integer(value, option: str) -> int:
    """An integer option (a whole float such as 128.0 is accepted; True is not)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, str, np.integer, np.floating)):
        raise ConfigError(f"{option} must be an integer, got {value!r}")
    try:
        number = float(value)
    except ValueError:
        raise ConfigError(f"{option} must be an integer, got {value!r}") from None
    if not math.isfinite(number):
        raise ConfigError(f"{option} must be an integer, got {value!r}")
    if not number.is_integer():
        raise ConfigError(f"{option} must be an integer, got {value!r}")
    return int(number)
