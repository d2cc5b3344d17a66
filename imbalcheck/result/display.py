"""What every result shares: a one-line repr, its markdown report in a notebook, and JSON helpers."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

#: Longest ``repr()`` of a result: one line a REPL user reads at a glance.
REPR_LIMIT = 300


class Displayable:
    """Mixin: ``repr()`` is the report's verdict line; ``_repr_markdown_()`` the markdown report,
    ``_repr_html_()`` the HTML report's body (Jupyter prefers it)."""

    def __repr__(self) -> str:
        from ..render import verdict_of

        text = f"<{type(self).__name__} {verdict_of(self)}>"
        return text if len(text) <= REPR_LIMIT else text[: REPR_LIMIT - 4] + "...>"

    def _repr_markdown_(self) -> str:
        from ..render import render

        return render(self, "markdown")

    def _repr_html_(self) -> str:
        """The HTML report's body (no script, no plot): what a notebook shows."""
        from ..render import html_of

        return html_of(self)


def freeze(result) -> None:
    """Make a frozen dataclass's arrays read-only and its dicts read-only views, so that a result
    cannot be changed after the fact (``dataclasses.replace`` still makes a changed copy)."""
    import dataclasses
    from types import MappingProxyType

    def frozen(value):
        if isinstance(value, np.ndarray):
            value = value.view()
            value.setflags(write=False)
        elif isinstance(value, dict):
            value = MappingProxyType({k: frozen(v) for k, v in value.items()})
        return value

    for f in dataclasses.fields(result):
        object.__setattr__(result, f.name, frozen(getattr(result, f.name)))


def finite_list(values: np.ndarray) -> list:
    """``values.tolist()`` with inf/nan as None."""
    values = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(values)
    if finite.all():
        return values.tolist()
    return [v if ok else None for v, ok in zip(values.tolist(), finite.tolist())]


def json_safe(obj):
    """Replace inf/nan (not JSON) by None, recursively; numpy scalars become Python ones; keys become text."""
    if hasattr(obj, "to_dict") and not isinstance(obj, Mapping):
        obj = obj.to_dict()
    if isinstance(obj, Mapping):
        return {str(k): json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_safe(v) for v in obj]
    if isinstance(obj, (float, np.floating)):
        return float(obj) if math.isfinite(obj) else None
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    return obj
