"""``imbalcheck sampler``: one sampling weight per input row, in the input's order."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from . import sampling
from .counts import Counts
from .errors import ConfigError, InputError
from .readers import read, resolve_layout
from .result.sampler import SamplerWeights
from .tally.rows import RowCodes


def sampler_weights(source, strategy: str, params: dict, spec) -> SamplerWeights:
    """The weights of ``strategy`` (validated ``params``) for every row of ``source`` read as ``spec``
    says: class probabilities for single-label rows (ImageFolder trees in torchvision's order),
    repeat factors for label sets and COCO images (see :mod:`imbalcheck.sampling`)."""
    if spec.counts or isinstance(source, Mapping):
        raise ConfigError("sampler writes one weight per input row; a counts table (or a label -> count mapping) "
                          "has no rows: pass the per-sample labels (e.g. a CSV with one row per image)")
    layout = resolve_layout(source, spec)
    if layout in ("coco", "yolo") and spec.count is not None:
        raise ConfigError(f"--count {spec.count}: sampler weighs images by the categories they hold (repeat "
                          "factors over images); drop it")
    if layout == "coco" or spec.is_multi_label:
        if strategy != "repeat_factor":
            what = "a COCO image holds several categories" if layout == "coco" else "a row holds a label set"
            raise ConfigError(f"--strategy {strategy}: class probabilities need one label per row, and {what}; "
                              "use --strategy repeat_factor (Gupta et al. 2019)")
        if layout == "coco":
            import scipy.sparse as sp

            from .readers.vision.coco import coco_image_label_sets

            names, indptr, indices = coco_image_label_sets(source)
            Y = sp.csr_matrix((np.ones(indices.size, dtype=bool), indices, indptr), shape=(indptr.size - 1, len(names)))
            where, n_missing, column, fmt = str(source), 0, None, "coco"
            present = np.ones(Y.shape[0], dtype=bool)
        else:
            reading = read(source, spec)
            names, Y, n_missing = reading.data
            present, where, column, fmt = reading.data.present, reading.source, reading.column, reading.input_format
            if present is None:  # every row has a label set
                present = np.ones(Y.shape[0], dtype=bool)
        weights, r_c = sampling.multilabel_row_weights(Y, present, params["t"])
        positives = np.bincount(Y.indices, minlength=len(names))
        result = SamplerWeights(where, strategy, params, weights, int(round(weights.sum())),
                                np.array(names, dtype=object), positives, None, r_c, True, n_missing, column, fmt)
    else:
        if layout == "imagefolder":  # torchvision's order: classes sorted by name, each one's files together
            reading = read(source, spec)
            by_name = np.argsort(np.array(reading.data.labels, dtype=str), kind="stable")
            table = reading.data
            codes = np.repeat(by_name, table.counts[by_name])
        elif layout is not None:
            raise ConfigError(f"{source}: sampler does not read YOLO label folders yet (an image holds several "
                              "boxes); convert them to COCO for --strategy repeat_factor, or pass per-image labels")
        else:
            reading = read(source, spec, consumer=RowCodes(spec.cleanup, spec.column))
            labels, codes = reading.data
            present = codes >= 0
            if not present.any():
                raise InputError(f"{reading.source}: no labelled rows (every label is missing)")
            table = Counts.from_codes(labels, np.bincount(codes[present], minlength=len(labels)),
                                      int((~present).sum()))
            position = {lab: i for i, lab in enumerate(table.labels.tolist())}
            order = np.array([position[lab] for lab in labels], dtype=np.int64)
            codes = np.where(present, order[np.maximum(codes, 0)], -1)
        if strategy == "undersample" and params["cap"] is None:
            params = {"cap": sampling.default_cap(table.counts)}
        weights, pi, length = sampling.class_row_weights(codes, table.counts, strategy, params)
        result = SamplerWeights(reading.source, strategy, params, weights, int(round(length)), table.labels,
                                table.counts, pi, sampling.draws_per_sample(table.counts, pi, length), False,
                                table.n_missing, reading.column, reading.input_format)
    return result
