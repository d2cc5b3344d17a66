"""``SamplerWeights``: one weight per input row for ``torch.utils.data.WeightedRandomSampler``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import numpy as np

from ..defaults import SCHEMA_VERSION
from .display import Displayable, finite_list, json_safe

#: The weight files ``save`` writes, by suffix.
WEIGHT_FILE_SUFFIXES = (".npy", ".csv", ".pt")


@dataclass(frozen=True, repr=False)
class SamplerWeights(Displayable):
    """Per-row sampling weights of one strategy, in input row order (0 for a row whose label is missing).

    ``weights[i]`` is row i's expected draws per epoch, so ``num_samples`` (their sum,
    rounded: the strategy's epoch length) is the ``num_samples`` to give
    ``WeightedRandomSampler(weights, num_samples, replacement=True)``. Per class
    (aligned with ``labels``): ``counts``, ``probability`` (pi_c; None for label sets) and
    ``class_weight`` (the weight of a row of that class; r_c for label sets, whose rows
    take the max over their labels).
    """

    source: str
    strategy: str
    params: dict
    weights: np.ndarray = field(repr=False)
    num_samples: int
    labels: np.ndarray = field(repr=False)
    counts: np.ndarray = field(repr=False)
    probability: np.ndarray | None = field(repr=False)
    class_weight: np.ndarray = field(repr=False)
    multi_label: bool = False
    n_missing: int = 0
    column: object = None
    input_format: str = "object"
    warnings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # ``params`` read-only; the arrays stay writable so that torch.as_tensor(weights) (which
        # WeightedRandomSampler calls) shares them without PyTorch's "not writable" warning
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    @property
    def n_rows(self) -> int:
        return int(self.weights.size)

    def to_dict(self) -> dict:
        probability = finite_list(self.probability) if self.probability is not None else [None] * self.labels.size
        head = json_safe({
            "schema_version": SCHEMA_VERSION, "source": self.source, "column": self.column,
            "input_format": self.input_format, "strategy": self.strategy, "params": self.params,
            "multi_label": self.multi_label, "n_rows": self.n_rows, "n_missing": self.n_missing,
            "num_samples": self.num_samples, "warnings": list(self.warnings)})
        head["classes"] = {lab: {"count": c, "probability": p, "weight": w} for lab, c, p, w in
                           zip(self.labels.tolist(), self.counts.tolist(), probability, finite_list(self.class_weight))}
        return head

    def encode(self, suffix: str) -> bytes:
        """The weights as a file's bytes: ``.npy`` (float64), ``.csv`` (a ``weight`` column) or
        ``.pt`` (a float64 tensor; needs PyTorch)."""
        from ..errors import ConfigError

        suffix = suffix.lower()
        if suffix == ".npy":
            import io

            buf = io.BytesIO()
            np.save(buf, np.asarray(self.weights, dtype=np.float64), allow_pickle=False)
            return buf.getvalue()
        if suffix == ".csv":
            return ("weight\n" + "".join(f"{w!r}\n" for w in self.weights.tolist())).encode()
        if suffix == ".pt":
            import io

            from ..probing._deps import import_torch

            torch = import_torch("writing .pt weights")
            buf = io.BytesIO()
            torch.save(torch.from_numpy(np.array(self.weights, dtype=np.float64)), buf)
            return buf.getvalue()
        raise ConfigError(f"cannot write weights to a {suffix or 'suffix-less'} file; use one of "
                          f"{', '.join(WEIGHT_FILE_SUFFIXES)} (e.g. -o weights.npy)")

    def save(self, path) -> Path:
        """Write the weights to ``path`` (format from its suffix, see :meth:`encode`)."""
        from ..output import write_atomic

        path = Path(path)
        write_atomic(path, self.encode(path.suffix))
        return path
