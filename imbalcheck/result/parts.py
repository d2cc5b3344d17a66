"""The typed parts of a profile: stratification, plateau ladder, cutoff and loss advice.

Each part is a frozen dataclass whose field names are the JSON names (``to_dict()`` gives
the JSON contract's shape), so ``profile.stratification.min_count_required`` in Python
is ``["stratification"]["min_count_required"]`` in the JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np


def _plain(part) -> dict:
    """A dataclass's fields as a dict, nested parts through their own ``to_dict()``."""
    out = {}
    for f in fields(part):
        value = getattr(part, f.name)
        if hasattr(value, "to_dict"):
            value = value.to_dict()
        elif isinstance(value, tuple):
            value = [v.to_dict() if hasattr(v, "to_dict") else v for v in value]
        out[f.name] = value
    return out


@dataclass(frozen=True)
class Folds:
    """Stratified k-fold feasibility: ``classes_below_k`` have fewer than k samples
    (``StratifiedKFold`` warns, or raises when every class does: ``sklearn_message``)."""

    k: int
    classes_below_k: tuple
    sklearn_message: str | None

    def to_dict(self) -> dict:
        return {"k": self.k, "classes_below_k": list(self.classes_below_k), "sklearn_message": self.sklearn_message}


@dataclass(frozen=True)
class Stratification:
    """What scikit-learn's ``train_test_split(stratify=y)`` does to each class, replayed on the counts.

    ``alloc`` is (K, splits): each class's samples per split for the first random_state;
    ``raised`` marks the classes scikit-learn raises for; both aligned with the profile's labels.
    """

    fractions: tuple
    splits: tuple
    random_states: tuple
    procedure: str
    feasible: bool
    min_count_required: int | None
    guaranteed_min_count: int
    infeasible_classes: tuple
    sklearn_error: str | None
    sklearn_error_call: int | None
    folds: Folds
    alloc: np.ndarray = field(repr=False, compare=False)
    raised: np.ndarray = field(repr=False, compare=False)

    def to_dict(self, labels: list, rows=slice(None), cap: int | None = None) -> dict:
        """The JSON section; ``rows`` selects the classes listed per class (aligned with ``labels``)."""
        clip = (lambda xs: list(xs)[:cap]) if cap is not None else list
        return {
            "fractions": list(self.fractions),
            "splits": list(self.splits),
            "random_states": list(self.random_states),
            "procedure": self.procedure,
            "feasible": self.feasible,
            "min_count_required": self.min_count_required,
            "guaranteed_min_count": self.guaranteed_min_count,
            "infeasible_classes": clip(self.infeasible_classes),
            "sklearn_error": self.sklearn_error,
            "sklearn_error_call": self.sklearn_error_call,
            "folds": {**self.folds.to_dict(), "classes_below_k": clip(self.folds.classes_below_k)},
            "per_class": {lab: {"split": dict(zip(self.splits, row)), "raises": raised} for lab, row, raised in
                          zip(labels, self.alloc[rows].tolist(), self.raised[rows].tolist())},
        }


@dataclass(frozen=True)
class Rung:
    """L_k: the cross-entropy when the ``top_k`` largest classes are learned (see :mod:`imbalcheck.plateau`)."""

    top_k: int
    loss: float

    def to_dict(self) -> dict:
        return {"top_k": self.top_k, "loss": self.loss}


@dataclass(frozen=True)
class Plateau:
    """The levels where cross-entropy stalls: ln K, the prior entropy, and the ladder of rungs."""

    initial_loss: float
    prior_loss: float
    ladder: tuple[Rung, ...]

    def to_dict(self) -> dict:
        return _plain(self)


@dataclass(frozen=True)
class CutoffRow:
    """The cost of keeping only classes with at least ``min_count`` samples."""

    min_count: int
    classes_kept: int
    classes_removed: int
    samples_removed: int
    samples_removed_share: float
    imbalance_ratio_after: float | None
    gradient_share_ratio_after: float | None
    stratifiable: bool

    def to_dict(self) -> dict:
        return _plain(self)


@dataclass(frozen=True)
class Cutoff:
    """The recommended class-count cutoff and the table of round-number cutoffs.

    ``required`` is the exact minimum count a stratified split needs (None when no cutoff
    makes it feasible); ``min_count`` the recommended cutoff, None when none is recommended
    (a binary problem, fewer than two classes left, too many samples removed, or no
    feasible cutoff: ``note`` says which)."""

    min_count: int | None
    classes_removed: int | None
    samples_removed: int | None
    samples_removed_share: float | None
    imbalance_ratio_after: float | None
    required: int | None
    table: tuple[CutoffRow, ...]
    advice: str
    note: str | None = None

    @classmethod
    def from_dict(cls, d: dict) -> Cutoff:
        return cls(**{**d, "table": tuple(CutoffRow(**r) for r in d["table"])})

    def to_dict(self) -> dict:
        out = _plain(self)
        advice = out.pop("advice")
        if out["note"] is None:
            del out["note"]
        out["advice"] = advice
        return out


@dataclass(frozen=True)
class Reference:
    """A paper behind a recommendation and its published result closest to this data."""

    key: str
    citation: str
    url: str | None
    evidence: dict | None

    def to_dict(self) -> dict:
        return _plain(self)


@dataclass(frozen=True)
class LossAdvice:
    """The recommended loss, its exact parameters, the reason and the published evidence."""

    name: str
    params: dict
    rationale: str
    alternatives: tuple[str, ...]
    references: tuple[Reference, ...]
    computed_on: str = "all classes"

    @classmethod
    def from_dict(cls, d: dict, computed_on: str) -> LossAdvice:
        return cls(d["name"], d["params"], d["rationale"], tuple(d["alternatives"]),
                   tuple(Reference(**r) for r in d["references"]), computed_on)

    def to_dict(self) -> dict:
        return _plain(self)


@dataclass(frozen=True)
class Recipe:
    """What to train with: ``sampler`` and ``loss`` (``{"name", "params"}``), ``schedule``
    (None when the loss needs none), ``post_hoc`` (the options for a model already trained
    with plain cross-entropy; None for balanced data), ``alternatives`` (the re-sampling
    recipe), and the ``rationale`` and ``references`` of the recommended method alone
    (see :mod:`imbalcheck.recipe`)."""

    sampler: dict
    loss: dict
    schedule: dict | None
    post_hoc: dict | None
    alternatives: tuple
    rationale: str
    references: tuple[Reference, ...]
    computed_on: str = "all classes"

    @classmethod
    def from_dict(cls, d: dict, computed_on: str) -> Recipe:
        return cls(d["sampler"], d["loss"], d["schedule"], d["post_hoc"], tuple(d["alternatives"]), d["rationale"],
                   tuple(Reference(**r) for r in d["references"]), computed_on)

    def to_dict(self) -> dict:
        return _plain(self)


@dataclass(frozen=True)
class Recommendation:
    """What to do: the class-count cutoff, the loss, and the whole recipe (whose loss is ``loss``)."""

    cutoff: Cutoff
    loss: LossAdvice
    recipe: Recipe

    def to_dict(self) -> dict:
        return {"cutoff": self.cutoff.to_dict(), "loss": self.loss.to_dict(), "recipe": self.recipe.to_dict()}
