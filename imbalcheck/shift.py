"""Two label distributions side by side (e.g. train vs test): what is missing and what shifted."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from .counts import Counts
from .defaults import SCHEMA_VERSION
from .result.display import Displayable, json_safe


def total_variation(p: np.ndarray, q: np.ndarray) -> float:
    """TVD = 1/2 sum_c |p_c - q_c|, in [0, 1]."""
    return float(0.5 * np.abs(p - q).sum())


def js_divergence(p: np.ndarray, q: np.ndarray) -> float:
    """Jensen-Shannon divergence in bits, in [0, 1] (Lin 1991).

    JS = 1/2 KL(p || m) + 1/2 KL(q || m), m = (p + q) / 2, log base 2; the square
    of ``scipy.spatial.distance.jensenshannon(p, q, base=2)``.
    """
    m = (p + q) / 2

    def kl(a: np.ndarray) -> float:
        nz = a > 0
        return float((a[nz] * np.log2(a[nz] / m[nz])).sum())

    return 0.5 * kl(p) + 0.5 * kl(q)


@dataclass(frozen=True, repr=False)
class Diff(Displayable):
    """Two label distributions aligned on the union of their labels (largest shift first);
    ``check`` holds the ``--max-tvd`` gate when one was given."""

    source_a: str
    source_b: str
    labels: np.ndarray
    count_a: np.ndarray
    count_b: np.ndarray
    share_a: np.ndarray
    share_b: np.ndarray
    tvd: float
    js_divergence: float
    check: object = None
    warnings: tuple[str, ...] = ()
    column_a: object = None
    column_b: object = None

    @property
    def passed(self) -> bool:
        return self.check is None or self.check.passed

    @property
    def only_in_a(self) -> list[dict]:
        return [{"label": lab, "count": int(c)} for lab, c, o in zip(self.labels, self.count_a, self.count_b) if o == 0]

    @property
    def only_in_b(self) -> list[dict]:
        return [{"label": lab, "count": int(c)} for lab, c, o in zip(self.labels, self.count_b, self.count_a) if o == 0]

    def to_dict(self) -> dict:
        head = json_safe({
            "schema_version": SCHEMA_VERSION,
            "a": {"source": self.source_a, "column": self.column_a, "n_samples": int(self.count_a.sum()),
                  "n_classes": int((self.count_a > 0).sum())},
            "b": {"source": self.source_b, "column": self.column_b, "n_samples": int(self.count_b.sum()),
                  "n_classes": int((self.count_b > 0).sum())},
            "only_in_a": self.only_in_a,
            "only_in_b": self.only_in_b,
            "tvd": self.tvd,
            "js_divergence": self.js_divergence,
            "warnings": list(self.warnings),
        })
        if self.check is not None:
            head["check"] = {k: v for k, v in asdict(self.check).items() if k != "description"}
        names = ("label", "count_a", "count_b", "share_a", "share_b", "share_diff")
        columns = (self.labels.tolist(), self.count_a.tolist(), self.count_b.tolist(), self.share_a.tolist(),
                   self.share_b.tolist(), (self.share_b - self.share_a).tolist())
        head["classes"] = [dict(zip(names, row)) for row in zip(*columns)]
        return head


def compare(a: Counts, b: Counts, source_a: str = "a", source_b: str = "b") -> Diff:
    """Align two counts tables on the union of labels; classes sorted by |share_b - share_a| descending."""
    labels = np.array(sorted(set(a.labels.tolist()) | set(b.labels.tolist())), dtype=object)
    index = {lab: i for i, lab in enumerate(labels.tolist())}
    ca = np.zeros(labels.size, dtype=np.int64)
    cb = np.zeros(labels.size, dtype=np.int64)
    ca[[index[x] for x in a.labels.tolist()]] = a.counts
    cb[[index[x] for x in b.labels.tolist()]] = b.counts
    pa, pb = ca / ca.sum(), cb / cb.sum()
    order = np.lexsort((labels.astype(str), -np.abs(pb - pa)))
    return Diff(source_a, source_b, labels[order], ca[order], cb[order], pa[order], pb[order],
                total_variation(pa, pb), js_divergence(pa, pb))
