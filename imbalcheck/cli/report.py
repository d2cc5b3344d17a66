"""``profile`` and ``weights``: the full report of one distribution, and its class weights."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import app
from .options import (
    AllClassesOpt,
    BatchOpt,
    BetaOpt,
    DebugOpt,
    FoldsOpt,
    Format,
    FormatOpt,
    MaxRowsOpt,
    MultiLabelOpt,
    OneHotOpt,
    OneHotPrefixOpt,
    OutputOpt,
    PlotOpt,
    QuietOpt,
    ReadArgs,
    Scheme,
    SepOpt,
    Source,
    SplitOpt,
    TopKOpt,
    reads_labels,
)
from .runtime import analysis_options, emit, emit_bytes, guard, load, render_report, resolve_format, rich_text

#: Above this many classes JSON lists the head and tail only, unless --all-classes.
JSON_MAX_CLASSES = 100_000


@app.command()
@reads_labels
def profile(
    source: Source,
    multi_label: MultiLabelOpt = False,
    sep: SepOpt = "|",
    one_hot: OneHotOpt = None,
    one_hot_prefix: OneHotPrefixOpt = None,
    batch_size: BatchOpt = 128,
    top_k: TopKOpt = None,
    split: SplitOpt = "0.8,0.1,0.1",
    folds: FoldsOpt = 5,
    beta: BetaOpt = 0.9999,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    max_rows: MaxRowsOpt = 20,
    all_classes: AllClassesOpt = False,
    plot: PlotOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
    read: ReadArgs = ReadArgs(),
) -> None:
    """Profile a label distribution: imbalance, batches, gradient share, splits, plateau, advice."""
    with guard(quiet, debug):
        options = analysis_options(batch_size, top_k, split, folds, beta)
        fmt = resolve_format(fmt, output)
        if multi_label or one_hot or one_hot_prefix:
            mp = load_multilabel(source, read, sep, one_hot, one_hot_prefix, options)
            emit(_render_multilabel(mp, source, fmt, max_rows), output, (source,))
            return
        from ..analysis import analyze

        result = analyze(load(source, read), options, source=source)
        image = None
        if plot is not None:
            from ..render.plot import plot_profile

            emit_bytes(plot_profile(result), plot, (source,))
            image = _relative_image(plot, output)
        emit(_render_profile(result, fmt, max_rows, image, None if all_classes else JSON_MAX_CLASSES), output, (source,))


def load_multilabel(source, read, sep, one_hot, one_hot_prefix, options):
    from ..multilabel import analyze_multilabel, read_multilabel

    names, matrix, n_missing = read_multilabel(
        source, column=read.column, sep=sep, one_hot=one_hot.split(",") if one_hot else None,
        one_hot_prefix=one_hot_prefix, input_format=read.input_format, encoding=read.encoding)
    return analyze_multilabel(names, matrix, n_missing, batch_size=options.batch_size, split=options.split,
                              seed=options.seeds[0])


def _render_multilabel(mp, source: str, fmt: Format, max_rows: int) -> str:
    from ..render.sections import multilabel_sections
    from ..result import SCHEMA_VERSION

    document = {"schema_version": SCHEMA_VERSION, "source": source, "multilabel": mp.to_dict()}
    verdict_line = (f"{mp.n_labels:,} labels, {mp.n_samples:,} samples, MeanIR {mp.mean_ir:,.2f}, "
                    f"MaxIR {mp.max_ir:,.2f}, SCUMBLE {mp.scumble:.3f}")
    return render_report(multilabel_sections(mp, source, max_rows), f"imbalcheck profile (multi-label): {source}",
                          verdict_line, document, fmt)


def _relative_image(plot: Path, output: Optional[Path]) -> str:
    """How the markdown report refers to the plot: relative to the report's folder."""
    import os

    base = output.parent if output is not None else Path(".")
    return Path(os.path.relpath(plot.resolve(), base.resolve())).as_posix()


def _render_profile(result, fmt: Format, max_rows: int, image: Optional[str], max_classes: Optional[int]) -> str:
    if fmt is Format.json:
        from ..render.json_doc import to_json

        document = result.to_dict(max_classes)
        if document["classes_omitted"]:
            warnings.warn(f"JSON lists {document['classes_listed']:,} of {result.n_classes:,} classes (the largest and "
                          "smallest); pass --all-classes for every class")
        return to_json(document)
    from ..render.sections import profile_sections, verdict

    sections = profile_sections(result, max_rows)
    title = f"imbalcheck profile: {result.source}"
    if fmt is Format.markdown:
        from ..render.markdown import render_sections

        for sec in sections[2:]:
            sec.collapsible = True
        return render_sections(sections, title, verdict(result), image)
    return rich_text(sections, title)


@app.command()
@reads_labels
def weights(
    source: Source,
    scheme: Annotated[Scheme, typer.Option("--scheme", "-s", help="Weighting scheme.", case_sensitive=False)] = Scheme.inverse,
    beta: BetaOpt = 0.9999,
    output: OutputOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
    read: ReadArgs = ReadArgs(),
) -> None:
    """Print per-class loss weights as JSON (label -> weight), ready for training code."""
    with guard(quiet, debug):
        from ..render.json_doc import to_json
        from ..weights import class_weights

        data = load(source, read)
        w = class_weights(data.counts, scheme.value, beta)
        emit(to_json(dict(zip(data.labels.tolist(), w.tolist()))), output, (source,))
