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


def relative_change(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """r_c = |p_c - q_c| / max(p_c, q_c): how much class c's share changed, relative to the
    larger of its two shares (1 for a class that appears or disappears; 0 for a class in
    neither, which :func:`compare` never holds)."""
    top = np.maximum(p, q)
    return np.divide(np.abs(p - q), top, out=np.zeros_like(top, dtype=np.float64), where=top > 0)


def class_balanced_shift(p: np.ndarray, q: np.ndarray) -> float:
    """The mean of r_c (:func:`relative_change`) over the classes present in either distribution:
    on average, how much a class's share changed, every class weighted equally (TVD weights
    each class by its share, so a small class can vanish without moving it)."""
    present = (p > 0) | (q > 0)
    return float(relative_change(p[present], q[present]).mean()) if present.any() else 0.0


def chi_square(count_a: np.ndarray, count_b: np.ndarray) -> dict:
    """Pearson's chi-square test of homogeneity of the 2 x K table of counts (no continuity
    correction): statistic sum_ij (O_ij - E_ij)^2 / E_ij with E_ij = row_i col_j / N, dof K - 1,
    p-value from the chi-square survival function; the same as
    ``scipy.stats.chi2_contingency(np.vstack([count_a, count_b]), correction=False)`` over the
    classes present in either file. One class: statistic 0, dof 0, p-value 1."""
    from scipy.special import chdtrc  # the chi-square survival function, without scipy.stats' import time

    keep = (count_a > 0) | (count_b > 0)
    table = np.vstack([count_a[keep], count_b[keep]]).astype(np.float64)
    dof = int(table.shape[1] - 1)
    if dof < 1 or table.sum(axis=1).min() == 0:
        return {"statistic": 0.0, "p_value": 1.0, "dof": max(dof, 0)}
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / table.sum()
    statistic = float(((table - expected) ** 2 / expected).sum())
    return {"statistic": statistic, "p_value": float(chdtrc(dof, statistic)), "dof": dof}


def two_proportion_p_values(count_a: np.ndarray, count_b: np.ndarray, n_a: int | None = None,
                            n_b: int | None = None) -> np.ndarray:
    """Per class, the two-sided p-value of the two-proportion z-test with pooled variance,
    Bonferroni-corrected over the K classes: z = (q_c - p_c) / sqrt(pi_c (1 - pi_c) (1/N_a + 1/N_b)),
    pi_c = (a_c + b_c) / (N_a + N_b), p = erfc(|z| / sqrt 2), corrected min(1, K p).
    A class with pi_c = 1 (the only class) has no variance: p-value 1. N_a and N_b are the
    counts' sums, or the numbers of samples ``n_a``/``n_b`` for labels that share samples
    (multi-label: p_c is then the share of samples carrying label c)."""
    from scipy.special import erfc

    a, b = count_a.astype(np.float64), count_b.astype(np.float64)
    na, nb = (a.sum(), b.sum()) if n_a is None else (float(n_a), float(n_b))
    pooled = (a + b) / (na + nb)
    se = np.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb))
    z = np.divide(b / nb - a / na, se, out=np.zeros_like(se), where=se > 0)
    return np.minimum(1.0, erfc(np.abs(z) / np.sqrt(2)) * a.size)


#: ``changed_classes`` defaults: the Bonferroni-corrected significance level and the smallest relative change.
ALPHA = 0.05
MIN_RELATIVE_CHANGE = 0.2


@dataclass(frozen=True, repr=False)
class Diff(Displayable):
    """Two label distributions aligned on the union of their labels (largest shift first).

    Per class (aligned with ``labels``): counts, shares, ``relative_change`` and the
    Bonferroni-corrected two-proportion ``p_value``; ``changed_classes`` are those with
    ``p_value < alpha`` and ``relative_change >= min_relative_change``. ``checks`` holds
    the gates given (``--max-tvd``, ``--max-class-balanced-shift``), ``check`` the first.
    For label sets (``n_samples_a``/``n_samples_b`` given, :func:`compare_label_sets`) a
    share is the share of samples carrying the label (its prevalence); the shares do not
    sum to 1, so ``tvd``, ``js_divergence`` and ``chi_square`` are None.
    """

    source_a: str
    source_b: str
    labels: np.ndarray
    count_a: np.ndarray
    count_b: np.ndarray
    share_a: np.ndarray
    share_b: np.ndarray
    tvd: float
    js_divergence: float
    relative_change: np.ndarray = None
    p_value: np.ndarray = None
    class_balanced_shift: float = 0.0
    chi_square: dict = None
    alpha: float = ALPHA
    min_relative_change: float = MIN_RELATIVE_CHANGE
    checks: tuple = ()
    warnings: tuple[str, ...] = ()
    column_a: object = None
    column_b: object = None
    n_samples_a: int | None = None  # label sets: the samples of A (a label's share is n_l / N)
    n_samples_b: int | None = None

    @property
    def multi_label(self) -> bool:
        return self.n_samples_a is not None

    @property
    def check(self):
        return self.checks[0] if self.checks else None

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def changed(self) -> np.ndarray:
        """Indices of the changed classes, largest relative change first (then smallest p-value)."""
        idx = np.flatnonzero((self.p_value < self.alpha) & (self.relative_change >= self.min_relative_change))
        return idx[np.lexsort((self.p_value[idx], -self.relative_change[idx]))]

    @property
    def changed_classes(self) -> list[dict]:
        out = []
        for i in self.changed.tolist():
            a, b = int(self.count_a[i]), int(self.count_b[i])
            change = "appeared" if a == 0 else "disappeared" if b == 0 else (
                "increased" if self.share_b[i] > self.share_a[i] else "decreased")
            out.append({"label": self.labels[i], "change": change, "count_a": a, "count_b": b,
                        "share_a": float(self.share_a[i]), "share_b": float(self.share_b[i]),
                        "relative_change": float(self.relative_change[i]), "p_value": float(self.p_value[i])})
        return out

    @property
    def only_in_a(self) -> list[dict]:
        return [{"label": lab, "count": int(c)} for lab, c, o in zip(self.labels, self.count_a, self.count_b) if o == 0]

    @property
    def only_in_b(self) -> list[dict]:
        return [{"label": lab, "count": int(c)} for lab, c, o in zip(self.labels, self.count_b, self.count_a) if o == 0]

    def to_dict(self) -> dict:
        head = json_safe({
            "schema_version": SCHEMA_VERSION,
            "multi_label": self.multi_label,
            "a": {"source": self.source_a, "column": self.column_a,
                  "n_samples": int(self.count_a.sum() if self.n_samples_a is None else self.n_samples_a),
                  "n_classes": int((self.count_a > 0).sum())},
            "b": {"source": self.source_b, "column": self.column_b,
                  "n_samples": int(self.count_b.sum() if self.n_samples_b is None else self.n_samples_b),
                  "n_classes": int((self.count_b > 0).sum())},
            "only_in_a": self.only_in_a,
            "only_in_b": self.only_in_b,
            "tvd": self.tvd,
            "js_divergence": self.js_divergence,
            "class_balanced_shift": self.class_balanced_shift,
            "chi_square": self.chi_square,
            "alpha": self.alpha,
            "min_relative_change": self.min_relative_change,
            "changed_classes": self.changed_classes,
            "warnings": list(self.warnings),
        })
        if self.checks:
            head["check"] = {k: v for k, v in asdict(self.check).items() if k not in ("description", "group")}
            head["checks"] = [{k: v for k, v in asdict(c).items() if k not in ("description", "group")}
                              for c in self.checks]
            head["passed"] = self.passed
        names = ("label", "count_a", "count_b", "share_a", "share_b", "share_diff", "relative_change", "p_value")
        columns = (self.labels.tolist(), self.count_a.tolist(), self.count_b.tolist(), self.share_a.tolist(),
                   self.share_b.tolist(), (self.share_b - self.share_a).tolist(), self.relative_change.tolist(),
                   self.p_value.tolist())
        head["classes"] = [dict(zip(names, row)) for row in zip(*columns)]
        return head


def compare(a: Counts, b: Counts, source_a: str = "a", source_b: str = "b", *, alpha: float = ALPHA,
            min_relative_change: float = MIN_RELATIVE_CHANGE) -> Diff:
    """Align two counts tables on the union of labels; classes sorted by |share_b - share_a| descending."""
    labels, ca, cb = _aligned(a.labels.tolist(), a.counts, b.labels.tolist(), b.counts)
    pa, pb = ca / ca.sum(), cb / cb.sum()
    order = np.lexsort((labels.astype(str), -np.abs(pb - pa)))
    ca, cb, pa, pb = ca[order], cb[order], pa[order], pb[order]
    return Diff(source_a, source_b, labels[order], ca, cb, pa, pb, total_variation(pa, pb), js_divergence(pa, pb),
                relative_change(pa, pb), two_proportion_p_values(ca, cb), class_balanced_shift(pa, pb),
                chi_square(ca, cb), alpha, min_relative_change)


def compare_label_sets(a, b, source_a: str = "a", source_b: str = "b", *, alpha: float = ALPHA,
                       min_relative_change: float = MIN_RELATIVE_CHANGE) -> Diff:
    """Per-label shift of two multi-label data sets (:class:`~imbalcheck.counts.LabelMatrix`):
    label l's share is its prevalence n_l / N (samples carrying it, over all N samples, those
    without labels included), compared by the same relative change, Bonferroni two-proportion
    z-test (with N_a, N_b samples) and class-balanced shift as single labels; labels sorted by
    |prevalence B - prevalence A| descending. TVD, JS and chi-square need shares that sum to 1
    over exclusive classes, so they are None."""
    from .multilabel.metrics import label_counts

    (names_a, Y_a, _), (names_b, Y_b, _) = a, b
    n_a, n_b = int(Y_a.shape[0]), int(Y_b.shape[0])
    labels, ca, cb = _aligned(list(names_a), label_counts(Y_a), list(names_b), label_counts(Y_b))
    seen = (ca > 0) | (cb > 0)  # an indicator column with no positive in either file: a label in neither
    labels, ca, cb = labels[seen], ca[seen], cb[seen]
    pa, pb = ca / n_a, cb / n_b
    order = np.lexsort((labels.astype(str), -np.abs(pb - pa)))
    ca, cb, pa, pb = ca[order], cb[order], pa[order], pb[order]
    return Diff(source_a, source_b, labels[order], ca, cb, pa, pb, None, None, relative_change(pa, pb),
                two_proportion_p_values(ca, cb, n_a, n_b), class_balanced_shift(pa, pb), None, alpha,
                min_relative_change, n_samples_a=n_a, n_samples_b=n_b)


def _aligned(labels_a: list, counts_a, labels_b: list, counts_b) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(the union of the labels, sorted; A's counts; B's counts), aligned with it (0 where absent)."""
    labels = np.array(sorted(set(labels_a) | set(labels_b)), dtype=object)
    index = {lab: i for i, lab in enumerate(labels.tolist())}
    ca = np.zeros(labels.size, dtype=np.int64)
    cb = np.zeros(labels.size, dtype=np.int64)
    ca[[index[x] for x in labels_a]] = counts_a
    cb[[index[x] for x in labels_b]] = counts_b
    return labels, ca, cb
