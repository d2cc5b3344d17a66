"""Sections of the training results: the probe, a training log on the ladder, class weights and
sampler weights. Formatting only, as in :mod:`.sections`."""

from __future__ import annotations

from ..defaults import MAX_ROWS as DEFAULT_MAX_ROWS
from .sections import (
    NORMALIZATION_TEXT,
    Section,
    fmt_float,
    fmt_int,
    fmt_label,
    fmt_params,
    head_tail,
    warning_notes,
)


def probe_sections(result: dict, ladder) -> list[Section]:
    """Sections of a probe run (``imbalcheck.probing.run_probe``) beside the predicted ladder."""
    runs = result["runs"]
    rows = []
    for run in runs:
        rung = run.get("rung") or {}
        level = "n/a"
        if run.get("ladder_applies", True) and rung:
            top = rung.get("top_k")
            level = ("ln K" if top is None else "prior" if top == 0 else "all" if top == result["data"].get("n_classes")
                     else f"top {top}") + f" {rung['distance']:+.2f}"
        sampler = (run.get("sampler") or {}).get("name", "instance")
        rows.append([run["loss"], sampler, fmt_float(run["plateau"]["loss"], 3),
                     "n/a" if run["plateau"].get("step") is None else fmt_int(run["plateau"]["step"]), level,
                     _pct(run["balanced_accuracy"]), *[_pct(run["bucket_recall"].get(b)) for b in ("many", "medium", "few")]])
    data = result.get("data", {})
    verdict_rows = _probe_verdict_rows(result["verdict"], data.get("n_classes"))
    summary = Section("Training probe", [
        ["device", str(result["device"])],
        ["task", f"{data.get('kind', '?')}: {fmt_int(data.get('n_classes'))} classes, "
                 f"{fmt_int(data.get('n_train'))} training / {fmt_int(data.get('n_test'))} test samples"],
        ["budget", f"{fmt_int(result['steps'])} steps of batch {fmt_int(result['batch_size'])}"],
        *verdict_rows,
    ])
    table = Section("Runs", rows, headers=["loss", "sampler", "plateau", "step", "rung", "bal. acc.", "many", "medium",
                                           "few"],
                    notes=["rung: the predicted stall level closest to the plateau, and the distance in nats (within "
                           "0.1 counts as on it; n/a: only plain cross-entropy is in the ladder's nats); "
                           "many/medium/few: recall by training-count bucket; accuracies on a held-out set with every "
                           "class; every run has the same steps and batch size."])
    rungs = Section("Predicted ladder", [["initial (ln K)", fmt_float(ladder.initial_loss)],
                                         ["prior entropy", fmt_float(ladder.prior_loss)],
                                         *[[f"top {r.top_k} learned", fmt_float(r.loss)] for r in ladder.ladder]])
    return [summary, table, rungs]



def _rung_name(rung: dict, n_classes: int | None = None) -> str:
    if not rung:
        return "n/a"
    top = rung.get("top_k")
    name = ("nothing learned" if top is None else "frequencies only" if top == 0
            else "every class learned" if top == n_classes else f"top {top} learned")
    where = "on" if rung.get("on_ladder", rung.get("distance", 1) <= 0.1) else "near"
    return f"{where} {name} ({rung['loss']:.3f}, {rung['distance']:.3f} away)"



def _probe_verdict_rows(v: dict, n_classes: int | None) -> list[list[str]]:
    def yes(x):
        return "n/a" if x is None else "yes" if x else "no"

    return [["baseline stalls on a predicted rung", f"{yes(v.get('baseline_on_ladder'))}"
             + (f" ({_rung_name(v['baseline_rung'], n_classes)})" if v.get("baseline_rung") else "")],
            [f"{v.get('recommended', 'recommended')} beats {v.get('baseline', 'ce')} on balanced accuracy",
             yes(v.get("recommended_beats_baseline_balanced_accuracy"))],
            [f"{v.get('recommended', 'recommended')} beats {v.get('baseline', 'ce')} on few-shot recall",
             yes(v.get("recommended_beats_baseline_few_shot_recall"))]]



def log_verdict(result: dict) -> str:
    plateau, rung = result["plateau"], result.get("rung")
    level = f" ({_rung_name(rung)})" if rung else ""
    state = "flattened" if plateau.get("reached") else "still falling"
    return f"training loss {fmt_float(plateau['loss'], 3)}{level}, {state}"


def log_sections(result: dict) -> list[Section]:
    """Sections of a user's training log placed on the ladder (``plateau_from_log``)."""
    plateau = result["plateau"]
    rows = [["log", result["source"]], ["points", fmt_int(result["n_points"])],
            ["plateau loss", fmt_float(plateau["loss"], 3)],
            ["plateau step", "n/a" if plateau.get("step") is None else fmt_int(plateau["step"])],
            ["reached", "yes" if plateau.get("reached") else "no (still falling)"]]
    if result.get("rung"):
        rows.append(["stall level", _rung_name(result["rung"])])
    return [Section("Training log on the ladder", rows)]



def probe_verdict(found: dict) -> str:
    v = found["verdict"]
    rung = v.get("baseline_rung") or {}
    parts = [f"device {found['device']}"]
    if rung:
        top = rung.get("top_k")
        level = "nothing learned" if top is None else "frequencies only" if top == 0 else f"top {top} learned"
        parts.append(f"ce stalls at {rung['loss']:.2f} ({level}, {'on' if v.get('baseline_on_ladder') else 'off'} the ladder)")
    if v.get("recommended_beats_baseline_balanced_accuracy") is not None:
        parts.append(f"{v['recommended']} {'beats' if v['recommended_beats_baseline_balanced_accuracy'] else 'does not beat'} "
                     "ce on balanced accuracy")
    return "; ".join(parts)



def _pct(x) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"



def weights_sections(w) -> list[Section]:
    rows = [[fmt_label(lab), "n/a" if x != x else f"{x:.6g}"] for lab, x in zip(w.labels.tolist(), w.weights.tolist())]
    if w.scheme == "pos_weight":
        return [Section("Label weights (pos_weight)", rows, headers=["label", "pos_weight"],
                        notes=["pos_weight = negatives / positives over all samples (those without labels are "
                               "negatives of every label): torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(w)), "
                               "in this label order; n/a: no positive sample", *warning_notes(w.warnings)])]
    return [Section(f"Class weights ({w.scheme})", rows, headers=["label", "weight"],
                    notes=[f"normalised: {NORMALIZATION_TEXT[w.normalization]} (--normalize {w.normalization})"
                           + (f"; beta {w.beta:g}" if w.scheme == "effective_number" else ""),
                           *warning_notes(w.warnings)])]



def sampler_verdict(w) -> str:
    what = "label sets" if w.multi_label else "rows"
    return (f"{w.strategy} sampling: {w.n_rows:,} {what} weighted, num_samples {w.num_samples:,} per epoch"
            + (f", {w.n_missing:,} missing (weight 0)" if w.n_missing else ""))



def sampler_sections(w, max_rows: int = DEFAULT_MAX_ROWS) -> list[Section]:
    """The per-class summary of :class:`~imbalcheck.result.sampler.SamplerWeights`."""
    idx, gap = head_tail(w.labels.size, max_rows)
    weight_name = "repeat factor r_c" if w.multi_label else "weight per row (draws per epoch)"
    rows = [[fmt_label(w.labels[i]), fmt_int(w.counts[i]),
             "n/a" if w.probability is None else f"{w.probability[i]:.4g}", f"{w.class_weight[i]:.4g}"] for i in idx]
    notes = [f"params: {fmt_params(w.params)}; rows keep the input's order; a missing label weighs 0.",
             f"torch.utils.data.WeightedRandomSampler(weights, num_samples={w.num_samples}, replacement=True)"]
    if w.multi_label:
        notes.insert(0, "a row's weight is the max of r_c over its labels (Gupta et al. 2019); 1 for a row with no label.")
    return [Section(f"Sampler weights: {w.strategy} ({'all' if gap is None else f'head and tail of {w.labels.size:,}'} "
                    "classes)",
                    rows, headers=["label", "positives" if w.multi_label else "count", "probability pi_c", weight_name],
                    gap_after=gap, notes=notes + warning_notes(w.warnings))]
