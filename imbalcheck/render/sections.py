"""The report as neutral sections of formatted strings, shared by the rich and markdown renderers.

Each renderer lays these out in its own medium; neither computes a figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..defaults import MAX_ROWS as DEFAULT_MAX_ROWS

#: How each ``--normalize`` scale reads in a report.
NORMALIZATION_TEXT = {"samples": "mean per sample = 1", "classes": "sum over classes = K", "none": "raw formula"}


@dataclass
class Section:
    """A titled block: key/value ``rows`` when ``headers`` is empty, else a table."""

    title: str
    rows: list[list[str]]
    headers: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    collapsible: bool = False
    gap_after: int | None = None  # index after which rows were elided (head ... tail)


def fmt_int(x) -> str:
    return "n/a" if x is None else f"{int(x):,}"


def fmt_ratio(x) -> str:
    from ..recipe import ratio_text

    return "n/a" if x is None else ratio_text(x)


def fmt_float(x, digits: int = 4) -> str:
    if x is None:
        return "n/a"
    text = f"{x:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text  # never "-0.0000"


def fmt_share(x) -> str:
    return "n/a" if x is None else f"{100 * x:.2f}%"


def fmt_prob(x) -> str:
    """A probability with five decimals (one format for a whole column)."""
    return "n/a" if x is None else f"{x:.5f}"


def fmt_label(label) -> str:
    """A label shown literally: quoted (Python-style) when it is empty, has surrounding
    whitespace or characters that do not print, so ``' cat'`` and ``'cat'`` stay apart."""
    text = str(label)
    if text == "" or text != text.strip() or not text.isprintable():
        return repr(text)
    return text


def fmt_column(column) -> str:
    if column is None:
        return "(the only column)"
    if isinstance(column, (list, tuple)):
        return ", ".join(fmt_label(c) for c in column[:8]) + (f", ... ({len(column)} columns)" if len(column) > 8 else "")
    return fmt_label(column)


def fmt_batches(x) -> str:
    return "n/a" if x is None else f"{x:,.2f}"


def numeric_columns(sec: Section) -> list[bool]:
    """Which columns hold numbers (right-aligned by every renderer)."""
    width = len(sec.headers) or 2

    def number(cell: str) -> bool:
        return cell[:1].isdigit() or (cell[:1] in "-+<" and cell[1:2].strip()[:1].isdigit()) or cell in ("n/a", "-")

    return [bool(sec.rows) and all(number(row[j]) for row in sec.rows) for j in range(width)]


def head_tail(n: int, max_rows: int) -> tuple[list[int], int | None]:
    """Row indices to show (all, or the first and last max_rows/2) and where the gap is."""
    if n <= max_rows:
        return list(range(n)), None
    half = max(1, max_rows // 2)
    return list(range(half)) + list(range(n - (max_rows - half), n)), half - 1


def verdict(profile) -> str:
    """One line a reviewer reads first."""
    recipe = profile.recommendation.recipe
    cut = profile.recommendation.cutoff
    strat = profile.stratification
    parts = [f"{plural(profile.n_classes, 'class')}, {plural(profile.n_samples, 'sample')}, "
             f"imbalance {fmt_ratio(profile.imbalance_ratio)}"]
    if profile.classes_without_samples:
        parts.append(f"{plural(len(profile.classes_without_samples), 'class')} without samples "
                     "(left out of the ratio)")
    if not strat.feasible:
        if cut.required is None:
            parts.append("no class cutoff makes the stratified split feasible")
        else:
            parts.append(f"stratified split needs >= {fmt_int(cut.required)} samples per class"
                         + ("" if cut.min_count is not None else " (no cutoff recommended)"))
    loss = recipe.loss["name"]
    if profile.n_classes == 1:
        parts.append("one class: nothing to learn, nothing to balance")
    else:
        parts.append("plain cross-entropy is fine" if loss == "ce" else
                     f"recipe: {recipe.sampler['name']} sampling + {loss}")
    return "; ".join(parts)


def what_to_do(profile) -> Section:
    """The few lines a user acts on, before any detail: the split, the cutoff, what to train with,
    and what to do with a model already trained."""
    rec, strat = profile.recommendation, profile.stratification
    cut, recipe = rec.cutoff, rec.recipe
    if strat.feasible:
        split = "feasible as it is (" + " / ".join(f"{n} {f:g}" for n, f in zip(strat.splits, strat.fractions)) + ")"
    elif cut.required is None:
        split = "no class cutoff makes it feasible: use stratified k-fold or fewer splits (--split)"
    else:
        split = f"needs >= {fmt_int(cut.required)} samples per class"
    if cut.min_count is not None and cut.classes_removed:
        cutoff = (f"keep classes with >= {fmt_int(cut.min_count)} samples (removes {plural(cut.classes_removed, 'class')}, "
                  f"{plural(cut.samples_removed, 'sample')}); evaluate the rest separately")
    elif cut.min_count is not None or strat.feasible:
        cutoff = "nothing to cut"
    else:
        cutoff = (cut.note or "no cutoff recommended").split(":")[0] + "; " + \
            "keep small classes in training, evaluate them separately, or use k-fold"
    params = ", ".join(f"{k} {fmt_param(v)}" for k, v in recipe.loss["params"].items()
                       if isinstance(v, (int, float)) and not isinstance(v, bool))
    train = (f"{recipe.sampler['name']} sampling + {recipe.loss['name']}" + (f" ({params})" if params else "")
             + (f"; {recipe.schedule['note']}" if recipe.schedule else ""))
    rows = [["split", split], ["cutoff", cutoff], ["train with", train]]
    if recipe.post_hoc:
        rows.append(["already trained", ", ".join(o["name"].replace("_", " ") for o in recipe.post_hoc["options"])])
    return Section("What to do", rows)


def plural(n: int, noun: str) -> str:
    """``plural(1, "class")`` -> "1 class", ``plural(3, "class")`` -> "3 classes"."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}{'es' if noun.endswith(('s', 'x', 'sh', 'ch')) else 's'}"


def profile_sections(profile, max_rows: int = DEFAULT_MAX_ROWS) -> list[Section]:
    p = profile
    top_k = [[f"top-{k} share", fmt_share(v)] for k, v in p.top_k_share.items()]
    summary = Section("Summary", [
        ["source", p.source],
        *_read_rows(p),
        ["samples (labelled)", fmt_int(p.n_samples)],
        ["missing labels", f"{fmt_int(p.n_missing)} ({fmt_share(p.missing_share)})"],
        ["classes", fmt_int(p.n_classes)],
        *([["classes without samples", f"{len(p.classes_without_samples):,}" + fmt_examples(p.classes_without_samples)]]
          if p.classes_without_samples else []),
        ["batch size", fmt_int(p.batch_size)],
        ["imbalance ratio (max/min)", fmt_ratio(p.imbalance_ratio)],
        ["max/median ratio", fmt_ratio(p.max_median_ratio)],
        *top_k,
        ["entropy (nats)", fmt_float(p.entropy)],
        ["evenness (H / ln K)", fmt_float(p.evenness)],
        ["effective number of classes", f"{p.effective_num_classes:,.1f}"],
        ["Gini coefficient", fmt_float(p.gini)],
    ], notes=warning_notes(p.warnings))

    buckets = Section("Buckets", [
        [name, fmt_int(b["classes"]), fmt_int(b["samples"]), fmt_share(b["share"])]
        for name, b in zip(("many-shot (>100)", "medium (20-100)", "few-shot (<20)"), p.buckets.values())
    ], headers=["bucket", "classes", "samples", "share"])

    idx, gap = head_tail(p.n_classes, max_rows)
    detection = list(p.detection_counts)  # COCO / YOLO: instances and images side by side
    classes = Section(
        f"Classes ({'all' if gap is None else f'head and tail of {p.n_classes:,}'}) at batch size {p.batch_size}",
        [[str(i + 1), fmt_label(p.labels[i]), fmt_int(p.counts[i]),
          *[fmt_int(p.detection_counts[k][i]) for k in detection], fmt_share(p.share[i]),
          f"{p.expected_per_batch[i]:,.4f}", fmt_prob(p.p_absent_per_batch[i]),
          fmt_batches(p.batches_between_appearances[i])] for i in idx],
        headers=["#", "label", "count", *detection, "share", "expected per batch", "P(absent from batch)",
                 "batches per appearance"],
        gap_after=gap,
        notes=["expected per batch = the class's effective batch size; P(absent) is exact (hypergeometric)."],
    )

    grad = Section("Gradient share by weighting scheme", [
        [scheme, fmt_ratio(ratio), NORMALIZATION_TEXT[p.class_weight_normalization[scheme]]]
        for scheme, ratio in p.gradient_share_ratio.items()
    ], headers=["scheme", "max:min gradient share", "weights normalised"],
        notes=[f"effective_number uses beta = {p.beta:g}. Weights: imbalcheck weights FILE --scheme NAME "
               "(--normalize samples|classes|none puts any scheme on one scale)."])

    rare = p.sampling.rarest(p.counts)
    sampling = Section(f"Sampling strategies at batch size {p.sampling.batch_size} (rarest class: "
                       f"{fmt_label(p.labels[rare])}, n = {fmt_int(p.counts[rare])})", [
        [name, fmt_params(plan.params, "="), fmt_int(plan.epoch_length), fmt_share(plan.distinct_share_per_epoch),
         _draws(plan.draws_per_sample_per_epoch[rare]), fmt_prob(plan.p_absent_per_batch[rare]),
         fmt_ratio(plan.gradient_share_ratio)]
        for name, plan in p.sampling.strategies.items()
    ], headers=["strategy", "params", "epoch", "seen", "rarest draws", "rarest P(absent)", "grad max:min"],
        notes=["per epoch of the given length: seen = share of the samples drawn at least once; rarest draws = epoch "
               "length x pi_c / n_c of the rarest class (above 1 its samples repeat: the memorisation risk); "
               "P(absent) = (1 - pi_c)^B per batch, drawn with replacement; gradient max:min under plain "
               "cross-entropy. progressive is shown at t/T = 0.5 (its average over training). Per-row weights: "
               "imbalcheck sampler FILE --strategy NAME -o weights.npy."])

    s = p.stratification
    strat_rows = [
        ["split", " / ".join(f"{n} {f:g}" for n, f in zip(s.splits, s.fractions))],
        ["random_state", ", ".join(str(x) for x in s.random_states)],
        ["feasible as is", "yes" if s.feasible else "no"],
        ["min count required (exact, this data)", fmt_int(s.min_count_required)],
        ["min count guaranteed (any data)", fmt_int(s.guaranteed_min_count)],
        ["classes that fail", f"{len(s.infeasible_classes):,}" + fmt_examples(s.infeasible_classes)],
        [f"classes below {s.folds.k} (for {s.folds.k}-fold CV)",
         f"{len(s.folds.classes_below_k):,}" + fmt_examples(s.folds.classes_below_k)],
    ]
    strat_notes = [f"procedure: {s.procedure}"]
    if s.sklearn_error:
        strat_notes.append(f"scikit-learn raises in call {s.sklearn_error_call}: {fmt_clip(s.sklearn_error)}")
    strat = Section("Stratified split (scikit-learn's own allocation)", strat_rows, notes=strat_notes)

    pl = p.plateau
    ladder = Section("Expected cross-entropy plateau", [
        ["initial (uniform, ln K)", "nothing", fmt_float(pl.initial_loss)],
        ["prior entropy", "frequencies only", fmt_float(pl.prior_loss)],
        *[[f"top {r.top_k}", f"top {r.top_k} learned", fmt_float(r.loss)] for r in pl.ladder],
    ], headers=["level", "learned", "loss (nats)"],
        notes=["a loss that stalls near a rung means only that many classes are being learned; "
               "'top k learned' = the k most frequent classes recognised, the rest predicted by frequency."])

    cut = p.recommendation.cutoff
    cut_rows = [[fmt_int(r.min_count), fmt_int(r.classes_kept), fmt_int(r.classes_removed),
                 f"{fmt_int(r.samples_removed)} ({fmt_share(r.samples_removed_share)})",
                 fmt_ratio(r.imbalance_ratio_after),
                 "n/a (< 2 classes)" if r.classes_kept < 2 else "ok" if r.stratifiable else "fail"] for r in cut.table]
    if cut.min_count is not None and not cut.classes_removed:
        cut_notes = [f"nothing to cut: the split is feasible as it is (every class has >= {fmt_int(cut.min_count)} "
                     "samples)"]
    elif cut.min_count is not None:
        cut_notes = [f"recommended: keep classes with >= {fmt_int(cut.min_count)} samples "
                     f"(removes {plural(cut.classes_removed, 'class')}, {plural(cut.samples_removed, 'sample')}; "
                     f"imbalance after {fmt_ratio(cut.imbalance_ratio_after)})"]
    else:
        cut_notes = ([f"a stratified split needs >= {fmt_int(cut.required)} samples per class"]
                     if cut.required is not None and cut.required > int(p.counts.min()) else []) + [cut.note or
                    "nothing to cut: the split is feasible as it is"]
    cut_notes.append(cut.advice)
    cutoff = Section("Class-count cutoff", cut_rows,
                     headers=["min count", "classes kept", "removed", "samples removed", "imbalance after", "splits"],
                     notes=cut_notes)

    seg = []
    if p.segmentation_weights:
        seg = [Section("Pixel-wise loss weights (segmentation)", [
            [fmt_label(p.labels[i]), *[f"{p.segmentation_weights[s][i]:,.4f}" for s in p.segmentation_weights]]
            for i in idx], headers=["label", *p.segmentation_weights], gap_after=gap,
            notes=["median_frequency (Eigen & Fergus 2015): median of freq / freq_c, freq_c = pixels of c over the "
                   "labelled pixels of the images holding c; enet (Paszke et al. 2016): 1 / ln(1.02 + p_c). For "
                   "torch.nn.CrossEntropyLoss(weight=..., ignore_index=...)."])]
    return [what_to_do(p), summary, buckets, classes, *seg, grad, sampling, strat, ladder, cutoff,
            recipe_section(p.recommendation.recipe, p.recommendation.loss.alternatives)]


def recipe_section(recipe, alternative_losses=()) -> Section:
    """The recipe: sampler, loss and parameters, schedule, then the options for a trained model.
    A per-label parameter (a long list, e.g. multi-label pos_weight) shows its first values."""
    rows = [["sampler", recipe.sampler["name"] + (f" ({fmt_params(recipe.sampler['params'])})" if recipe.sampler["params"] else "")],
            ["loss", recipe.loss["name"]], *[[f"  {k}", _param_value(v)] for k, v in recipe.loss["params"].items()]]
    if recipe.schedule:
        rows.append(["schedule", recipe.schedule["note"]])
    rows.append(["computed on", recipe.computed_on])
    if alternative_losses:
        rows.append(["alternative losses", ", ".join(alternative_losses)])
    notes = [recipe.rationale, *[_reference(r) for r in recipe.references]]
    for alt in recipe.alternatives:
        lead = "or" if alt["sampler"]["name"] == "instance" else "or re-sample instead"
        notes.append(f"{lead}: {alt['sampler']['name']} sampling + {alt['loss']['name']}: {alt['rationale']}")
    if recipe.post_hoc:
        notes.append(f"already trained ({recipe.post_hoc['applies_to']}):")
        for opt in recipe.post_hoc["options"]:
            refs = " ".join(_reference_dict(r) for r in opt["references"])
            notes.append(f"{opt['name']}: {opt['params']['rule']}; {opt['rationale']} {refs}".rstrip())
    return Section("Recommended recipe", rows, notes=notes)


def _param_value(v) -> str:
    if isinstance(v, (list, tuple)) and len(v) > 6:
        return ", ".join(fmt_param(x) for x in v[:3]) + f", ... ({len(v):,} values, in the label order of the JSON)"
    return fmt_param(v)


def fmt_params(params, sep: str = " ") -> str:
    return ", ".join(f"{k}{sep}{fmt_param(v)}" for k, v in params.items()) or "-"


def _draws(x) -> str:
    return f"{x:,.0f}" if x >= 100 else f"{x:.3g}"


def _reference_dict(ref: dict) -> str:
    from ..result.parts import Reference

    return _reference(Reference(**ref))


def _read_rows(result) -> list[list[str]]:
    """Which column (and format, delimiter) the figures come from (a data-set layout has no column)."""
    from ..defaults import LAYOUTS

    table = result.input_format not in (*LAYOUTS, "object") or result.column is not None
    rows = [["column", fmt_column(result.column)]] if table else []
    fmt = result.input_format + (f", delimiter {result.delimiter!r}" if result.delimiter not in (None, ",", "\t") else "")
    return rows + [["read as", fmt]]


def warning_notes(warnings) -> list[str]:
    return [f"warning: {w}" for w in warnings]


def fmt_examples(labels, limit: int = 8) -> str:
    """`` (a, b, ...)``: the first ``limit`` labels, a label holding the separator quoted (``'R24, K24'``)."""
    if not labels:
        return ""
    shown = ", ".join(repr(str(x)) if "," in str(x) else fmt_label(x) for x in labels[:limit])
    return f" ({shown}{', ...' if len(labels) > limit else ''})"


def fmt_clip(text: str, limit: int = 400) -> str:
    """A long message (scikit-learn lists every offending class) cut for people to read."""
    return text if len(text) <= limit else f"{text[:limit]} ... ({len(text):,} characters; the JSON output has it all)"


def fmt_param(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _reference(ref) -> str:
    line = f"{ref.citation} {ref.url or ''}".strip()
    r = ref.evidence
    if r:
        line += (f" {r['dataset']} ({r['num_classes']} classes, imbalance {r['imbalance']:g}), {r['metric']}: "
                 f"{r['baseline'][0]} {r['baseline'][1]:g} vs {r['method'][0]} {r['method'][1]:g}")
    return line


def multilabel_verdict(mp) -> str:
    unsampled = (f"; {plural(len(mp.classes_without_samples), 'label')} without samples"
                 if mp.classes_without_samples else "")
    return (f"{mp.n_labels:,} labels, {mp.n_samples:,} samples, MeanIR {mp.mean_ir:,.2f}, "
            f"MaxIR {mp.max_ir:,.2f}, SCUMBLE {mp.scumble:.3f}{unsampled}")


def multilabel_sections(mp, max_rows: int = DEFAULT_MAX_ROWS) -> list[Section]:
    """Sections of a :class:`~imbalcheck.multilabel.result.MultilabelProfile`."""
    summary = Section("Summary", [
        ["source", mp.source],
        *_read_rows(mp),
        ["samples", fmt_int(mp.n_samples)],
        ["missing label sets", fmt_int(mp.n_missing)],
        ["samples with no label", fmt_int(mp.n_without_labels)],
        ["labels", fmt_int(mp.n_labels)],
        ["batch size", fmt_int(mp.batch_size)],
        ["label cardinality", fmt_float(mp.cardinality)],
        ["label density", fmt_float(mp.density)],
        ["MeanIR", fmt_float(mp.mean_ir, 2)],
        ["MaxIR", fmt_float(mp.max_ir, 2)],
        ["CVIR", fmt_float(mp.cvir)],
        ["SCUMBLE", fmt_float(mp.scumble)],
        ["distinct label sets", fmt_int(mp.n_labelsets)],
    ], notes=warning_notes(mp.warnings))
    order = sorted(range(mp.n_labels), key=lambda i: (-int(mp.counts[i]), mp.names[i]))
    idx, gap = head_tail(mp.n_labels, max_rows)
    labels = Section(f"Labels ({'all' if gap is None else f'head and tail of {mp.n_labels:,}'}) at batch size {mp.batch_size}", [
        [fmt_label(mp.names[order[i]]), fmt_int(mp.counts[order[i]]), _opt(mp.ir_lbl[order[i]], "{:,.2f}"),
         f"{mp.expected_per_batch[order[i]]:.4g}", fmt_prob(mp.p_absent_per_batch[order[i]]),
         _opt(mp.pos_weight[order[i]], "{:,.2f}")] for i in idx
    ], headers=["label", "positives", "IRLbl", "expected per batch", "P(no positive in batch)", "pos_weight"],
        gap_after=gap, notes=["pos_weight = negatives / positives, in the label order of the JSON "
                              "(torch.nn.BCEWithLogitsLoss(pos_weight=...))."])
    sets = Section("Most frequent label sets", [[" + ".join(fmt_label(x) for x in r.labels) or "(none)", fmt_int(r.count)]
                                                for r in mp.top_labelsets], headers=["label set", "samples"])
    s = mp.stratification
    strat = Section("Iterative stratification", [
        ["split", " / ".join(f"{n} {f:g}" for n, f in zip(s.splits, s.fractions))],
        ["every label in every split", "yes" if s.feasible else "no"],
        ["labels that cannot reach every split", f"{len(s.impossible_labels):,}" + fmt_examples(s.impossible_labels)],
        ["labels missing from some split", f"{len(s.missing_labels):,}" + fmt_examples(s.missing_labels)],
        *([[f"labels not in every one of {s.folds['k']} folds", f"{len(s.folds['infeasible_labels']):,}"
            + fmt_examples(s.folds["infeasible_labels"])]] if s.folds else []),
    ], notes=[s.method])
    return [summary, labels, sets, strat, *([recipe_section(mp.recipe)] if mp.recipe is not None else [])]


def _opt(value, pattern: str) -> str:
    import math

    return "n/a" if value is None or not math.isfinite(value) else pattern.format(value)
