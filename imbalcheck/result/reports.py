"""The results of ``recommend``, ``weights`` and ``probe``: small typed objects around their figures."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..defaults import SCHEMA_VERSION
from .display import Displayable, finite_list, json_safe
from .profile import Profile


@dataclass(frozen=True, repr=False)
class RecommendReport(Displayable):
    """The cutoff and loss for one input (``profile`` holds every figure behind them); for
    multi-label input (a ``MultilabelProfile``) the recipe alone."""

    profile: Profile

    @property
    def recommendation(self):
        p = self.profile
        return p.recommendation if hasattr(p, "recommendation") else {"recipe": p.recipe}

    def to_dict(self) -> dict:
        p = self.profile
        return json_safe({"schema_version": SCHEMA_VERSION, "source": p.source, "column": p.column,
                          "warnings": list(p.warnings), "recommendation": self.recommendation})


@dataclass(frozen=True, repr=False)
class ClassWeights(Displayable):
    """Per-class loss weights under one scheme, aligned with ``labels``; ``to_dict()`` is label -> weight.
    ``normalization`` is their scale: ``samples`` (mean weight per labelled sample 1),
    ``classes`` (sum over classes K) or ``none`` (the raw formula)."""

    source: str
    scheme: str
    beta: float
    labels: np.ndarray = field(repr=False)
    weights: np.ndarray = field(repr=False)
    column: object = None
    warnings: tuple[str, ...] = ()
    normalization: str = "samples"

    def to_dict(self) -> dict:
        return dict(zip(self.labels.tolist(), finite_list(self.weights)))


@dataclass(frozen=True, repr=False)
class ProbeReport(Displayable):
    """A training probe (``probe``) or a user's log placed on the ladder (``log``), beside the profile's ladder."""

    profile: Profile
    probe: dict | None = None
    log: dict | None = None

    def to_dict(self) -> dict:
        key, value = ("probe", self.probe) if self.probe is not None else ("log", self.log)
        return json_safe({"schema_version": SCHEMA_VERSION, "source": self.profile.source,
                          "column": self.profile.column, "warnings": list(self.profile.warnings), key: value})
