"""``check`` and ``diff``: the CI gates (exit 1 when the data fails a threshold)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from . import app
from .options import (
    ByOpt,
    ConfigOpt,
    DebugOpt,
    Format,
    FormatOpt,
    MaxRowsOpt,
    OutputOpt,
    QuietOpt,
    Source,
    given,
    reads_labels,
)
from .runtime import EXIT_FAILED_CHECK, check_render_options, config_path, emit, emit_bytes, guard, relative_link, resolve_format


@app.command()
@reads_labels
def check(
    source: Source,
    max_imbalance_ratio: Annotated[Optional[float], typer.Option(help="Fail above this max/min count ratio.", show_default=False)] = None,
    min_class_count: Annotated[Optional[int], typer.Option(help="Fail when a class has fewer samples.", show_default=False)] = None,
    max_top1_share: Annotated[Optional[float], typer.Option(help="Single-label: fail when the largest class holds a larger share (0-1).", show_default=False)] = None,
    min_evenness: Annotated[Optional[float], typer.Option(help="Single-label: fail below this evenness H / ln K (0-1).", show_default=False)] = None,
    require_stratifiable: Annotated[Optional[bool], typer.Option("--require-stratifiable/--no-require-stratifiable", help="Fail unless every class reaches every split of --split.", show_default=False)] = None,
    max_missing_share: Annotated[Optional[float], typer.Option(help="Fail when more labels are missing (0-1).", show_default=False)] = None,
    min_classes: Annotated[Optional[int], typer.Option(help="Fail with fewer classes.", show_default=False)] = None,
    max_mean_ir: Annotated[Optional[float], typer.Option(help="Multi-label: fail above this MeanIR (Charte et al.).", show_default=False)] = None,
    max_classes_without_samples: Annotated[Optional[int], typer.Option(help="Fail when more declared classes (COCO categories, YOLO names, class folders, dataset class names) have no sample.", show_default=False)] = None,
    split: Annotated[Optional[str], typer.Option("--split", help="Split for --require-stratifiable (default 0.8,0.1,0.1 or the config's).", show_default=False)] = None,
    by: ByOpt = None,
    config: ConfigOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
    read: dict = None,
) -> None:
    """CI gate: exit 1 when the distribution breaks a threshold, listing every failed check."""
    with guard(quiet, debug) as run:
        import imbalcheck

        from ..render import render, verdict_of

        fmt = resolve_format(fmt, output)
        report = imbalcheck.check(source, by=by, config=config_path(config), **read, **given(
            max_imbalance_ratio=max_imbalance_ratio, min_class_count=min_class_count, max_top1_share=max_top1_share,
            min_evenness=min_evenness, require_stratifiable=require_stratifiable, max_missing_share=max_missing_share,
            min_classes=min_classes, max_mean_ir=max_mean_ir, max_classes_without_samples=max_classes_without_samples,
            split=split))
        run.report(fmt, output)
        emit(render(report, fmt), output, (source,))
        if fmt is not Format.json:
            typer.echo(verdict_of(report), err=True)
    if not report.passed:
        raise typer.Exit(EXIT_FAILED_CHECK)


@app.command()
@reads_labels
def diff(
    a: Annotated[str, typer.Argument(help="First labels file (e.g. train), or the file to compare with --rev.", show_default=False)],
    b: Annotated[Optional[str], typer.Argument(help="Second labels file (e.g. test); omitted with --rev.", show_default=False)] = None,
    rev: Annotated[Optional[str], typer.Option("--rev", help="Compare A as committed at this git revision (e.g. HEAD, origin/main) with its working copy.", show_default=False)] = None,
    max_tvd: Annotated[Optional[float], typer.Option(help="Exit 1 when the total-variation distance exceeds this (0-1).", show_default=False)] = None,
    max_class_balanced_shift: Annotated[Optional[float], typer.Option(help="Exit 1 when the mean relative change of a class's share exceeds this (0-1).", show_default=False)] = None,
    alpha: Annotated[Optional[float], typer.Option(help="Significance level of a changed class, Bonferroni-corrected (default 0.05).", show_default=False)] = None,
    min_relative_change: Annotated[Optional[float], typer.Option(help="Smallest relative change of a class's share that counts as changed (default 0.2).", show_default=False)] = None,
    config: ConfigOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    max_rows: MaxRowsOpt = None,
    plot: Annotated[Optional[Path], typer.Option("--plot", help="Draw both distributions on one log axis, changed classes marked, to this PNG.", show_default=False)] = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
    read: dict = None,
) -> None:
    """Compare two label files (or a file with its committed version, --rev): changed classes, TVD, JS, class-balanced shift."""
    with guard(quiet, debug) as run:
        import imbalcheck

        from .. import defaults
        from ..render import render

        fmt = resolve_format(fmt, output)
        check_render_options(fmt, max_rows)
        result = imbalcheck.diff(a, b, rev=rev, max_tvd=max_tvd, max_class_balanced_shift=max_class_balanced_shift,
                                 alpha=alpha, min_relative_change=min_relative_change, config=config_path(config),
                                 **read)
        inputs = (a,) if b is None else (a, b)
        image = None
        if plot is not None:
            from ..render.plot import plot_diff

            emit_bytes(plot_diff(result), plot, inputs)
            image = relative_link(plot, output)
        run.report(fmt, output)
        emit(render(result, fmt, max_rows=max_rows or defaults.MAX_ROWS, image=image), output, inputs)
    for c in result.checks:
        if not c.passed:
            typer.echo(f"imbalcheck: {c.name} failed: {c.observed:.4f} > {c.limit:g}", err=True)
    if not result.passed:
        raise typer.Exit(EXIT_FAILED_CHECK)
