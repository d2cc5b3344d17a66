"""Frozen, typed results: what the analysis found, ready for every renderer.

:class:`Profile` (single-label) and :class:`MultilabelProfile` with their parts
(:mod:`.parts`: stratification, plateau ladder, cutoff and loss); the check, diff and
command results live beside their computations (:class:`imbalcheck.thresholds.CheckReport`,
:class:`imbalcheck.shift.Diff`) and in :mod:`.reports`. Each has ``to_dict()`` (the JSON
contract), a one-line ``repr()`` and ``_repr_markdown_()`` for notebooks.
"""

from __future__ import annotations

from .multilabel import IterativeStratification, LabelSetCount, MultilabelProfile
from .parts import Cutoff, CutoffRow, Folds, LossAdvice, Plateau, Recommendation, Reference, Rung, Stratification
from .profile import Profile

__all__ = ["Cutoff", "CutoffRow", "Folds", "IterativeStratification", "LabelSetCount", "LossAdvice",
           "MultilabelProfile", "Plateau", "Profile", "Recommendation", "Reference", "Rung", "Stratification"]
