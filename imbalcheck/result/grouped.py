"""``GroupedProfile``: one profile per value of a group column, their drift and the classes each misses."""

from __future__ import annotations

from dataclasses import dataclass

from ..defaults import SCHEMA_VERSION
from .display import Displayable, json_safe


def drift_figures(diff) -> dict:
    """The ``diff`` figures of one group against the reference group (JSON ``drift`` entries)."""
    return {"a": diff.source_a, "b": diff.source_b, "tvd": diff.tvd, "js_divergence": diff.js_divergence,
            "class_balanced_shift": diff.class_balanced_shift, "chi_square": diff.chi_square,
            "only_in_a": diff.only_in_a, "only_in_b": diff.only_in_b, "changed_classes": diff.changed_classes}


@dataclass(frozen=True, repr=False)
class GroupedProfile(Displayable):
    """``groups``: group value -> :class:`~imbalcheck.result.Profile`, the largest group first;
    ``drift``: each other group's :class:`~imbalcheck.shift.Diff` against the largest;
    ``missing_by_group``: the classes of the whole input that a group lacks."""

    source: str
    by: str
    groups: dict
    drift: tuple
    missing_by_group: dict
    warnings: tuple[str, ...] = ()
    column: object = None

    @property
    def reference(self) -> str:
        return next(iter(self.groups))

    @property
    def noun(self) -> str:
        """What a group is called in a report."""
        return "group"

    def to_dict(self, max_classes: int | None = None) -> dict:
        docs = {key: p.to_dict(max_classes) for key, p in self.groups.items()}
        head = json_safe({"schema_version": SCHEMA_VERSION, "source": self.source, "column": self.column,
                          "by": self.by, "reference_group": self.reference,
                          "drift": [{"group": key, **drift_figures(d)}
                                    for key, d in zip([k for k in self.groups if k != self.reference], self.drift)],
                          "missing_by_group": {k: list(v) for k, v in self.missing_by_group.items()},
                          "warnings": list(self.warnings)})
        head["groups"] = docs
        return head


@dataclass(frozen=True, repr=False)
class DatasetSplits(GroupedProfile):
    """The splits of a Hugging Face ``DatasetDict`` (``by`` is "split"): one profile per split, the
    drift of every other split against the first (normally ``train``) and the classes a split lacks."""

    @property
    def noun(self) -> str:
        return "split"

    def to_dict(self, max_classes: int | None = None) -> dict:
        docs = {key: p.to_dict(max_classes) if hasattr(p, "n_classes") else p.to_dict() for key, p in self.groups.items()}
        others = [k for k in self.groups if k != self.reference]
        head = json_safe({"schema_version": SCHEMA_VERSION, "source": self.source, "column": self.column,
                          "drift": [{**drift_figures(d), "a": self.reference, "b": key}
                                    for key, d in zip(others, self.drift)],
                          "missing_by_split": {k: list(v) for k, v in self.missing_by_group.items()},
                          "warnings": list(self.warnings)})
        head["splits"] = docs
        return head
