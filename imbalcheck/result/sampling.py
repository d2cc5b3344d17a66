"""The typed sampling comparison of a profile: one :class:`SamplingPlan` per strategy."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .display import finite_list


@dataclass(frozen=True)
class SamplingPlan:
    """What one re-sampling strategy does to every class (arrays aligned with the profile's labels).

    ``probability`` is pi_c, ``draws_per_sample_per_epoch`` epoch_length x pi_c / n_c,
    ``expected_per_batch`` B pi_c, ``p_absent_per_batch`` (1 - pi_c)^B. ``distinct_share_per_epoch``
    is the strategy as published (shuffling and repeat-factor sampling see every sample,
    under-sampling its kept subset); ``distinct_share_with_replacement`` what
    ``WeightedRandomSampler(..., replacement=True)`` with the ``sampler`` weights sees.
    ``stages`` holds the progressive sampler at its start and end (the top-level figures are
    its middle, which is also its average over training), probabilities only.
    """

    name: str
    params: dict
    epoch_length: int
    distinct_share_per_epoch: float
    distinct_share_with_replacement: float
    gradient_share_ratio: float
    probability: np.ndarray = field(repr=False)
    expected_per_batch: np.ndarray = field(repr=False)
    p_absent_per_batch: np.ndarray = field(repr=False)
    draws_per_sample_per_epoch: np.ndarray = field(repr=False)
    samples_discarded: int | None = None
    stages: dict = field(default_factory=dict, repr=False)

    def scalars(self) -> dict:
        out = {
            "params": dict(self.params),
            "epoch_length": self.epoch_length,
            "distinct_share_per_epoch": self.distinct_share_per_epoch,
            "distinct_share_with_replacement": self.distinct_share_with_replacement,
            "gradient_share_ratio": self.gradient_share_ratio,
        }
        if self.samples_discarded is not None:
            out["samples_discarded"] = self.samples_discarded
        return out

    def to_dict(self, labels: list, rows=slice(None)) -> dict:
        columns = zip(finite_list(self.probability[rows]), finite_list(self.expected_per_batch[rows]),
                      finite_list(self.p_absent_per_batch[rows]), finite_list(self.draws_per_sample_per_epoch[rows]))
        out = self.scalars()
        if self.stages:
            out["stages"] = {name: {**stage.scalars(), "probability": dict(zip(labels, finite_list(stage.probability[rows])))}
                             for name, stage in self.stages.items()}
        out["classes"] = {lab: {"probability": p, "expected_per_batch": e, "p_absent_per_batch": a,
                                "draws_per_sample_per_epoch": d} for lab, (p, e, a, d) in zip(labels, columns)}
        return out


@dataclass(frozen=True)
class Sampling:
    """Every strategy of :data:`imbalcheck.sampling.STRATEGIES` on this data, at ``batch_size``."""

    batch_size: int
    strategies: dict[str, SamplingPlan]

    def __getitem__(self, name: str) -> SamplingPlan:
        return self.strategies[name]

    def to_dict(self, labels: list, rows=slice(None)) -> dict:
        return {"batch_size": self.batch_size,
                "strategies": {name: plan.to_dict(labels, rows) for name, plan in self.strategies.items()}}

    def rarest(self, counts: np.ndarray) -> int:
        """Index of the rarest class (the last of the smallest count in the profile's order)."""
        return int(np.flatnonzero(counts == counts.min())[-1])
