"""``recommend`` and ``probe``: what loss to train with, and a short run that checks the prediction."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from . import app
from .options import (
    BatchOpt,
    DebugOpt,
    Format,
    FormatOpt,
    OutputOpt,
    QuietOpt,
    ReadArgs,
    RecommendFormat,
    Source,
    SplitOpt,
    reads_labels,
)
from .runtime import analysis_options, emit, emit_bytes, fitted_batch, guard, load, render_report, resolve_format

@app.command()
@reads_labels
def recommend(
    source: Source,
    split: SplitOpt = "0.8,0.1,0.1",
    fmt: Annotated[Optional[RecommendFormat], typer.Option("--format", "-f", help="rich, markdown, json, or torch (a ready-to-paste PyTorch snippet).", case_sensitive=False)] = None,
    output: OutputOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
    read: ReadArgs = ReadArgs(),
) -> None:
    """The recommended class-count cutoff and loss; --format torch prints code that builds the loss."""
    with guard(quiet, debug):
        from ..analysis import analyze

        data = load(source, read)
        result = analyze(data, analysis_options(fitted_batch(data), None, split, 5, 0.9999), source=source)
        rec = result.recommendation
        if fmt is RecommendFormat.torch:
            emit(_torch_code(result), output, (source,))
            return
        from ..render.sections import profile_sections, verdict

        plain = Format(fmt.value) if fmt is not None else resolve_format(None, output)
        emit(render_report(profile_sections(result)[-2:], f"imbalcheck recommend: {source}", verdict(result),
                             {"schema_version": 1, "source": source, "recommendation": rec}, plain), output, (source,))


def _torch_code(result) -> str:
    """A paste-ready snippet: the kept classes in class-id order, their counts, and the loss."""
    from ..losses import from_recommendation, torch_snippet
    from ..stratify import sklearn_class_order

    loss = result.recommendation["loss"]
    cut = result.recommendation["cutoff"]["min_count"] or 1
    keep = result.counts >= cut
    labels, kept = result.labels[keep], result.counts[keep]
    order = sklearn_class_order(labels, result.label_kind)
    header = (f"# imbalcheck recommend {result.source}: {loss['name']}\n"
              f"# {loss['rationale']}\n"
              f"# classes kept by the cutoff (>= {cut} samples), in class-id order (as LabelEncoder sorts\n"
              f"# {'numbers' if result.label_kind == 'number' else 'text'}; map your labels to ids in this order):\n"
              f"classes = {[str(x) for x in labels[order]]!r}\n"
              f"counts = {[int(x) for x in kept[order]]!r}\n\n")
    return header + torch_snippet(*from_recommendation(loss))


@app.command()
@reads_labels
def probe(
    source: Source,
    batch_size: BatchOpt = 128,
    steps: Annotated[int, typer.Option("--steps", help="Training steps per loss.")] = 1000,
    losses: Annotated[Optional[str], typer.Option("--losses", help="Comma-separated losses to compare (default: ce and the recommended loss).")] = None,
    device: Annotated[str, typer.Option("--device", help="auto (CUDA when present), cpu, cuda or cuda:N.")] = "auto",
    seed: Annotated[int, typer.Option("--seed", help="Seed of the task, the initial weights and the batch order.")] = 0,
    features_file: Annotated[Optional[Path], typer.Option("--features-file", help="A .npy (n, d) array of real features aligned with the file's rows.")] = None,
    log: Annotated[Optional[Path], typer.Option("--log", help="Place your own training log (CSV or JSON lines with step,loss) on the ladder; no PyTorch needed.")] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    plot: Annotated[Optional[Path], typer.Option("--plot", help="Write the loss curves with the ladder to this PNG.")] = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
    read: ReadArgs = ReadArgs(),
) -> None:
    """Train a small model on this label distribution: does cross-entropy stall where predicted, does the recommended loss help?"""
    with guard(quiet, debug):
        from ..analysis import analyze

        fmt = resolve_format(fmt, output)
        data = load(source, read)
        result = analyze(data, analysis_options(fitted_batch(data, batch_size), None, "0.8,0.1,0.1", 5, 0.9999),
                         source=source)
        if log is not None:
            from ..probe import plateau_from_log
            from ..render.sections import log_sections

            found = plateau_from_log(log, result.counts)
            emit(render_report(log_sections(found), f"imbalcheck probe --log {log}", "training log on the ladder",
                                 {"schema_version": 1, "source": source, "log": found}, fmt), output, (source, str(log)))
            return
        from ..probe import run_probe
        from ..render.sections import probe_sections

        rec = result.recommendation["loss"]
        names = tuple(losses.split(",")) if losses else ("ce", rec["name"]) if rec["name"] != "ce" else ("ce",)
        params = {rec["name"]: rec["params"]} if rec["name"] in names else None
        features, y = _probe_features(features_file, source, read, result.labels) if features_file else (None, None)
        found = run_probe(result.counts, result.labels.tolist(), losses=names, loss_params=params,
                          batch_size=result.batch_size, steps=steps, device=device, seed=seed, features=features, y=y)
        if plot is not None:
            from ..render.plot import plot_probe

            emit_bytes(plot_probe(found, result.plateau), plot, (source,))
        verdict_line = _probe_verdict(found)
        emit(render_report(probe_sections(found, result.plateau), f"imbalcheck probe: {source}", verdict_line,
                             {"schema_version": 1, "source": source, "probe": found}, fmt), output, (source,))


def _probe_features(path: Path, source: str, read: ReadArgs, labels):
    """Features from a .npy file and the integer class of each row of the labels file."""
    import numpy as np

    from ..errors import InputError
    from ..readers import read_labels

    try:
        features = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read a .npy array ({exc}); save it with numpy.save") from None
    rows = read_labels(source, input_format=read.input_format, column=read.column, encoding=read.encoding)
    if features.ndim != 2 or features.shape[0] != len(rows):
        raise InputError(f"{path}: shape {features.shape} does not match the {len(rows):,} rows of {source}; "
                         "pass an (n_rows, n_features) array in the file's row order")
    index = {lab: i for i, lab in enumerate(labels.tolist())}
    keep = np.array([r is not None for r in rows])
    y = np.array([index[r] for r in rows if r is not None], dtype=np.int64)
    return features[keep], y


def _probe_verdict(found: dict) -> str:
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
