"""Multi-label imbalance measures over an indicator matrix.

``Y`` is an indicator matrix, n samples x q labels, either a numpy array (bool or
0/1 integers) or a ``scipy.sparse`` matrix with 0/1 entries, or the same data as its
distinct label sets (:class:`~.setrows.SetRows`, what the readers hand over). Every
function here works on all three without densifying a sparse ``Y``. Per-label figures
are numpy arrays aligned with the columns of ``Y``.

Notation (Charte et al. 2015): D the samples, L the labels (q = |L|), Y_i the
label set of sample i, n_l = |{i : l in Y_i}| the number of positives of label l.

Sources
-------
* F. Charte, A. J. Rivera, M. J. del Jesus, F. Herrera, "Addressing imbalance in
  multilabel classification: Measures and random resampling algorithms",
  Neurocomputing 163 (2015) 3-16: IRLbl, MeanIR, MaxIR, CVIR.
* F. Charte, A. J. Rivera, M. J. del Jesus, F. Herrera, "Concurrence among
  imbalanced labels and its influence on multilabel resampling algorithms",
  HAIS 2014, LNCS 8480, pp. 110-121: SCUMBLE.
* The reference implementation of both, the R package ``mldr`` by the same
  authors (``R/measures.R``: ``label_measures``, ``dataset_measures``, ``measures``).
* G. Tsoumakas, I. Katakis, "Multi-label classification: an overview", IJDWM 2007:
  label cardinality and density.
"""

from __future__ import annotations

import math

import numpy as np

from .. import batches
from .setrows import SetRows, row_blocks

# -- basic shape helpers -------------------------------------------------------------------------


def is_sparse(Y) -> bool:
    """True for a scipy.sparse matrix or array (checked without importing scipy)."""
    return hasattr(Y, "tocsr") and hasattr(Y, "nnz")


def csr_parts(Y) -> tuple[int, int, np.ndarray, np.ndarray]:
    """(n, q, indptr, indices) of Y as a canonical CSR: 0/1, no duplicate, columns ascending
    within a row (``indptr`` int64; ``indices`` int32 or int64, as the matrix holds them). A
    canonical boolean CSR (what the readers and the analysis hold) is used as it is, without
    a copy of its indices."""
    if is_sparse(Y):
        csr = Y.tocsr()
        if not (csr.dtype == bool and csr.has_canonical_format and csr.data.all()):
            csr = csr.copy()
            csr.sum_duplicates()
            csr.eliminate_zeros()
            csr.sort_indices()
        n, q = csr.shape
        return n, q, csr.indptr.astype(np.int64, copy=False), csr.indices
    dense = np.asarray(Y)
    n, q = dense.shape
    rows, indices = np.nonzero(dense)  # row-major: columns ascending within a row
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    return n, q, indptr, indices.astype(np.int64)


def label_counts(Y) -> np.ndarray:
    """n_l = sum_i Y_il: the number of positive samples of each label (int64)."""
    if isinstance(Y, SetRows):
        return Y.label_counts()
    if is_sparse(Y):
        _, q, _, indices = csr_parts(Y)
        return np.bincount(indices, minlength=q).astype(np.int64)
    return np.count_nonzero(np.asarray(Y), axis=0).astype(np.int64)


def labels_per_sample(Y) -> np.ndarray:
    """|Y_i|: the number of active labels of each sample (int64)."""
    if isinstance(Y, SetRows):
        return Y.set_sizes[Y.row_sets].astype(np.int64)
    if is_sparse(Y):
        csr = Y.tocsr()
        csr.sum_duplicates()
        return np.asarray((csr != 0).sum(axis=1), dtype=np.int64).ravel()
    return np.count_nonzero(np.asarray(Y), axis=1).astype(np.int64)


# -- label cardinality and density ---------------------------------------------------------------


def cardinality(Y) -> float:
    """Label cardinality Card = (1/|D|) sum_i |Y_i| = nnz(Y) / n: mean labels per sample.

    Tsoumakas & Katakis 2007; ``mldr`` ``measures()$cardinality``. Samples with no
    label count (as 0). NaN for an empty matrix.
    """
    n = Y.shape[0]
    if not n:
        return float("nan")
    return float((Y.nnz if isinstance(Y, SetRows) else labels_per_sample(Y).sum()) / n)


def density(Y) -> float:
    """Label density Dens = Card / |L|: the mean fraction of labels active per sample.

    Tsoumakas & Katakis 2007; ``mldr`` ``measures()$density``.
    """
    q = Y.shape[1]
    return cardinality(Y) / q if q else float("nan")


# -- imbalance: IRLbl, MeanIR, MaxIR, CVIR ------------------------------------------------------


def ir_per_label(counts: np.ndarray) -> np.ndarray:
    """Imbalance ratio per label, IRLbl(l) = max_{l'} n_{l'} / n_l (Charte et al. 2015, eq. 2).

    1 for the most frequent label(s), larger for rarer ones. A label with no
    positive sample gets ``inf`` (``mldr`` stores 0 there instead; see :func:`mean_ir`).
    """
    n = np.asarray(counts, dtype=np.float64)
    if n.size == 0:
        return n
    with np.errstate(divide="ignore"):
        return np.where(n > 0, n.max() / np.where(n > 0, n, 1.0), np.inf)


def _finite_ir(counts: np.ndarray) -> np.ndarray:
    ir = ir_per_label(counts)
    return ir[np.isfinite(ir)]


def mean_ir(counts: np.ndarray) -> float:
    """MeanIR = (1/|L|) sum_l IRLbl(l) (Charte et al. 2015, eq. 3).

    The mean runs over the labels with at least one positive sample: a label that
    never occurs has no imbalance ratio. (``mldr`` sets such a label's IRLbl to 0
    and keeps it in the mean, which lowers MeanIR; with every label present the two
    agree.) NaN when no label occurs.
    """
    ir = _finite_ir(counts)
    return float(ir.mean()) if ir.size else float("nan")


def max_ir(counts: np.ndarray) -> float:
    """MaxIR = max_l IRLbl(l) = max_l n_l / min_l n_l over the labels that occur (Charte et al. 2015)."""
    ir = _finite_ir(counts)
    return float(ir.max()) if ir.size else float("nan")


def cvir(counts: np.ndarray) -> float:
    """CVIR = IRLbl_sigma / MeanIR, the coefficient of variation of IRLbl (Charte et al. 2015, eq. 4).

    IRLbl_sigma = sqrt( sum_l (IRLbl(l) - MeanIR)^2 / (|L| - 1) ): the sample
    standard deviation, with the n - 1 (Bessel) denominator as in the paper.
    Over the labels that occur; NaN with fewer than two such labels.
    """
    ir = _finite_ir(counts)
    if ir.size < 2:
        return float("nan")
    return float(ir.std(ddof=1) / ir.mean())


# -- SCUMBLE ------------------------------------------------------------------------------------


def scumble_per_sample(Y, counts: np.ndarray | None = None) -> np.ndarray:
    """SCUMBLE_ins(i) = 1 - (prod_{l in Y_i} IRLbl(l))^(1/|Y_i|) / mean_{l in Y_i} IRLbl(l).

    One minus the ratio of the geometric to the arithmetic mean of the imbalance
    ratios of the sample's active labels (an Atkinson index with epsilon = 1):
    0 when they are all equally frequent, near 1 when a very rare label is
    active together with a very frequent one. 0 for a sample with no label.
    Charte et al. 2014, eq. 2, as computed by ``mldr`` ``dataset_measures()``
    (product and mean over the active labels only). The geometric mean is taken
    in log space; values are clipped to [0, 1] against rounding.
    """
    if counts is None:
        counts = label_counts(Y)
    if isinstance(Y, SetRows):
        return _scumble_rows(Y.set_ptr, Y.set_labels, counts)[Y.row_sets]
    _, _, indptr, indices = csr_parts(Y)
    return _scumble_rows(indptr, indices, counts)


def _scumble_rows(indptr: np.ndarray, indices: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """SCUMBLE_ins of each CSR row (``indices[indptr[i]:indptr[i + 1]]`` are row i's labels), a block
    of rows (about 2**20 label entries) at a time."""
    ir = ir_per_label(counts)
    safe_ir = np.where(np.isfinite(ir), ir, 1.0)  # a label with no positives is never active
    log_ir = np.log(safe_ir)
    sizes = np.diff(indptr)
    out = np.zeros(sizes.size)
    for a, b in row_blocks(indptr):
        owner = np.repeat(np.arange(b - a), sizes[a:b])
        labels = indices[indptr[a]:indptr[b]]
        k = sizes[a:b].astype(np.float64)
        has = k > 0
        geo = np.exp(np.bincount(owner, weights=log_ir[labels], minlength=b - a)[has] / k[has])
        arith = np.bincount(owner, weights=safe_ir[labels], minlength=b - a)[has] / k[has]
        out[a:b][has] = 1.0 - geo / arith
    return np.clip(out, 0.0, 1.0)


def scumble(Y, counts: np.ndarray | None = None) -> float:
    """SCUMBLE(D) = (1/|D|) sum_i SCUMBLE_ins(i): the mean over all samples (Charte et al. 2014, eq. 3).

    Samples with no label contribute 0, as in ``mldr`` (``measures()$scumble``).
    Charte et al. read values above 0.1 as a high concurrence of rare and
    frequent labels, where resampling one label also resamples the other.
    NaN for an empty matrix. Samples with one label set share its SCUMBLE_ins, so the
    mean is taken over the distinct sets (:func:`label_sets`) weighted by their counts, summed
    exactly (``math.fsum``), so it does not depend on the order of the sets.
    """
    if Y.shape[0] == 0:
        return float("nan")
    if counts is None:
        counts = label_counts(Y)
    sets = label_sets(Y)
    # math.fsum: the correctly rounded sum, whatever order the reader numbered the sets in
    return math.fsum((_scumble_rows(sets.set_ptr, sets.set_labels, counts) * sets.set_counts).tolist()) / sets.n


# -- label sets ---------------------------------------------------------------------------------


def label_sets(Y) -> SetRows:
    """``Y`` as its distinct label sets (:class:`~.setrows.SetRows`; ``Y`` itself when it is one),
    in order of first appearance; the empty set is a set like any other. O(nnz + n)."""
    if isinstance(Y, SetRows):
        return Y
    n, q, indptr, indices = csr_parts(Y)
    return SetRows.from_csr(n, q, indptr, indices)


def labelset_counts(Y, top: int | None = None) -> tuple[int, list[tuple[int, ...]], np.ndarray]:
    """The number of distinct label sets, and the ``top`` most frequent ones (all when None).

    Returns ``(n_labelsets, keys, counts)``: ``keys`` are tuples of column indices
    (ascending), sorted by count descending, ties in order of first appearance.
    The empty set is a label set like any other (``mldr``
    ``measures()$num.labelsets`` counts it too).
    """
    sets = label_sets(Y)
    keys, counts = sets.top(top)
    return sets.n_sets, keys, counts


# -- training impact per label ------------------------------------------------------------------


def expected_per_batch(counts: np.ndarray, n_samples: int, batch_size: int) -> np.ndarray:
    """E[positives of label l in a batch of B] = B n_l / N (N = samples, not label occurrences).

    The multi-label counterpart of :func:`imbalcheck.batches.expected_per_batch`:
    labels overlap, so N is the number of samples rather than sum_l n_l.
    """
    return batch_size * np.asarray(counts, dtype=np.float64) / n_samples


def p_absent_per_batch(counts: np.ndarray, n_samples: int, batch_size: int) -> np.ndarray:
    """P(a batch of B samples drawn without replacement from N holds no positive of label l).

    Exact hypergeometric probability of zero successes, the semantics of
    :func:`imbalcheck.batches.p_absent_per_batch` with N the number of samples:
    P_l = C(N - n_l, B) / C(N, B) = prod_{i=0}^{B-1} (N - n_l - i) / (N - i),
    evaluated as exp(sum_i log1p(-n_l / (N - i))) over the distinct counts only.
    P_l = 0 when N - n_l < B, and 1 for a label with no positives.
    """
    return batches.p_absent_per_batch(counts, batch_size, n_total=n_samples)


def gradient_share(counts: np.ndarray) -> np.ndarray:
    """Label l's share of the positive-sample gradient under plain binary cross-entropy: n_l / sum_j n_j.

    With BCE-with-logits every (sample, label) pair contributes
    dL/dz = sigmoid(z) - y; at initialisation (z near 0) each positive pair gives
    about |0.5 - 1| = 0.5, so the positive gradient mass of label l is
    proportional to n_l. (Each label also receives N - n_l negative pairs of the
    same size, which is what ``pos_weight`` rebalances.) NaN when no label occurs.
    """
    n = np.asarray(counts, dtype=np.float64)
    total = n.sum()
    return n / total if total > 0 else np.full(n.size, np.nan)


def pos_weight(counts: np.ndarray, n_samples: int) -> np.ndarray:
    """pos_weight_l = n_negative / n_positive = (N - n_l) / n_l, per label in column order.

    The per-label positive weight of ``torch.nn.BCEWithLogitsLoss(pos_weight=...)``
    (a tensor of length q, one entry per label/class, in the order of the model's
    outputs); PyTorch's documentation gives exactly this ratio as the example
    ("if a dataset contains 100 positive and 300 negative examples of a single
    class, then pos_weight for the class should be equal to 300/100 = 3").
    ``inf`` for a label with no positives, 0 for a label positive in every sample.
    """
    n = np.asarray(counts, dtype=np.float64)
    with np.errstate(divide="ignore"):
        return np.where(n > 0, (n_samples - n) / np.where(n > 0, n, 1.0), np.inf)
